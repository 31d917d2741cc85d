"""Reading and writing qiao-exchange/1 files (spec: ``specs/exchange.md``).

``parse_exchange`` checks a whole file and either returns an ``ExchangeFile``
or raises ``ExchangeError`` listing every problem with its path (e.g.
``organizations[3].opportunities[0].direction``). ``dump_exchange`` writes the
canonical form: keys in the spec's order, absent optional keys omitted,
``indent=2``, UTF-8 characters unescaped, trailing newline, so that
parse → dump → parse → dump gives identical text.

Normalisation on parsing: strings are stripped, country codes upper-cased,
language codes lower-cased, NACE codes upper-cased, USCC and VAT ids
normalised, repeated list entries dropped, ``null`` for an optional key treated
as absent. ``x`` extension objects are allowed on the file, organisations,
opportunities and contacts and are kept as they are.
"""

from __future__ import annotations

import datetime
import json
import os
from pathlib import Path
from typing import Any

from qiao.core.codes import COOPERATION_TYPES, DIRECTIONS, ORGANIZATION_KINDS, TOPICS
from qiao.core.identifiers import (
    IdentifierError,
    normalize_register,
    validate_eu_vat,
    validate_uscc,
)

from . import checks
from .checks import Collector, Fields, TooManyErrors, type_name
from .records import (
    FORMAT_ID,
    MAX_ERRORS,
    MAX_FILE_BYTES,
    MAX_ORGANIZATIONS,
    MAX_SHORT,
    MAX_TEXT,
    MAX_TITLE,
    ContactRecord,
    ExchangeError,
    ExchangeFile,
    ExchangeIssue,
    Identifiers,
    OpportunityRecord,
    OrganizationRecord,
)

__all__ = [
    "FORMAT_ID",
    "MAX_FILE_BYTES",
    "MAX_ORGANIZATIONS",
    "MAX_TEXT",
    "MAX_TITLE",
    "ExchangeIssue",
    "ExchangeError",
    "ExchangeFile",
    "OrganizationRecord",
    "OpportunityRecord",
    "ContactRecord",
    "Identifiers",
    "parse_exchange",
    "parse_exchange_file",
    "dump_exchange",
    "FILE_KEYS",
    "ORGANIZATION_KEYS",
    "OPPORTUNITY_KEYS",
    "CONTACT_KEYS",
    "IDENTIFIER_KEYS",
]

#: Keys per object, in the spec's (and the canonical output's) order.
FILE_KEYS = ("format", "organizations", "x")
ORGANIZATION_KEYS = (
    "id", "name", "name_latin", "kind", "country", "region", "city", "website", "employees",
    "founded", "languages", "sectors", "identifiers", "description", "opportunities",
    "contacts", "x",
)  # fmt: skip
OPPORTUNITY_KEYS = (
    "id", "direction", "topic", "title", "text", "language", "cooperation", "keywords",
    "target_countries", "valid_until", "x",
)  # fmt: skip
CONTACT_KEYS = ("name", "email", "phone", "role", "languages", "x")
IDENTIFIER_KEYS = ("uscc", "vat", "register")

_ORGANIZATION_REQUIRED = ("id", "name", "kind", "country", "languages")
_OPPORTUNITY_REQUIRED = ("id", "direction", "topic", "title", "text", "cooperation")
_CONTACT_REQUIRED = ("name",)
#: Earliest plausible founding year (the oldest universities are older than 1000).
MIN_FOUNDED = 800

_kind_check = checks.enum_check(ORGANIZATION_KINDS)
_direction_check = checks.enum_check(DIRECTIONS)
_topic_check = checks.enum_check(TOPICS)
_cooperation_check = checks.enum_check(COOPERATION_TYPES)


class _Ids:
    """Remembers where each id was first used, to report duplicates across the file."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.first: dict[str, str] = {}

    def see(self, value: str | None, path: str, collector: Collector) -> None:
        if value is None:
            return
        if value in self.first:
            collector.add(
                path, f"duplicate {self.label} id {value!r} (first used at {self.first[value]})"
            )
        else:
            self.first[value] = path


def parse_exchange(data: bytes | bytearray | str | dict) -> ExchangeFile:
    """Parse and validate a qiao-exchange/1 file given as bytes, text or decoded JSON.

    Raises ``ExchangeError`` whose ``errors`` list every problem found (up to
    ``MAX_ERRORS``). Bytes and text are checked against ``MAX_FILE_BYTES``
    before decoding.
    """
    collector = Collector()
    result: ExchangeFile | None = None
    try:
        root = data if isinstance(data, dict) else checks.load_json(data, collector)
        if root is not checks.FAILED:
            result = _parse_file(root, collector)
    except TooManyErrors:
        collector.issues.append(
            ExchangeIssue("", f"too many errors, checking stopped after {MAX_ERRORS}")
        )
    if collector.issues or result is None:
        raise ExchangeError(collector.issues or [ExchangeIssue("", "file could not be read")])
    return result


def parse_exchange_file(path: str | os.PathLike[str]) -> ExchangeFile:
    """Read and parse an exchange file from disk, refusing oversize files before reading."""
    size = os.stat(path).st_size
    if size > MAX_FILE_BYTES:
        raise ExchangeError(
            [ExchangeIssue("", f"file too large: {size} bytes, at most {MAX_FILE_BYTES}")]
        )
    return parse_exchange(Path(path).read_bytes())


def _parse_file(root: Any, collector: Collector) -> ExchangeFile | None:
    if not isinstance(root, dict):
        collector.add("", f"expected a JSON object at the top level, got {type_name(root)}")
        return None
    collector.check_keys(root, "", FILE_KEYS, ("format", "organizations"))
    if "format" in root and root["format"] != FORMAT_ID:
        value = root["format"]
        shown = repr(value) if isinstance(value, str) else type_name(value)
        collector.add("format", f"expected {FORMAT_ID!r}, got {shown}")
    fields = Fields(root, "", collector)
    extension = fields.extension()
    organizations = root.get("organizations")
    if "organizations" in root and not isinstance(organizations, list):
        collector.add("organizations", f"expected a list, got {type_name(organizations)}")
        return None
    if organizations is None:
        return None
    if len(organizations) > MAX_ORGANIZATIONS:
        collector.add(
            "organizations",
            f"too many organisations: {len(organizations)}, at most {MAX_ORGANIZATIONS}",
        )
        return None
    org_ids, opp_ids = _Ids("organisation"), _Ids("opportunity")
    records = []
    for path, obj in fields.objects("organizations"):
        record = _parse_organization(obj, path, collector, org_ids, opp_ids)
        if record is not None:
            records.append(record)
    return ExchangeFile(organizations=records, x=extension)


def _parse_organization(
    obj: dict, path: str, collector: Collector, org_ids: _Ids, opp_ids: _Ids
) -> OrganizationRecord | None:
    errors_before = len(collector.issues)
    collector.check_keys(obj, path, ORGANIZATION_KEYS, _ORGANIZATION_REQUIRED)
    f = Fields(obj, path, collector)
    org_id = f.get("id", checks.check_id, required=True)
    org_ids.see(org_id, f.at("id"), collector)
    this_year = datetime.date.today().year
    record = OrganizationRecord(
        id=org_id,
        name=f.get("name", checks.check_string, required=True, max_len=MAX_SHORT),
        name_latin=f.get("name_latin", checks.check_string, max_len=MAX_SHORT),
        kind=f.get("kind", _kind_check, required=True),
        country=f.get("country", checks.check_country, required=True),
        region=f.get("region", checks.check_string, max_len=MAX_SHORT),
        city=f.get("city", checks.check_string, max_len=MAX_SHORT),
        website=f.get("website", checks.check_url),
        employees=f.get("employees", checks.check_integer, minimum=0),
        founded=f.get("founded", checks.check_integer, minimum=MIN_FOUNDED, maximum=this_year + 1),
        languages=f.items("languages", checks.check_language, required=True),
        sectors=f.items("sectors", checks.check_nace),
        identifiers=_parse_identifiers(f),
        description=f.get("description", checks.check_string, max_len=MAX_TEXT),
        x=f.extension(),
    )
    for opp_path, opp_obj in f.objects("opportunities"):
        opportunity = _parse_opportunity(opp_obj, opp_path, collector, opp_ids)
        if opportunity is not None:
            record.opportunities.append(opportunity)
    for contact_path, contact_obj in f.objects("contacts"):
        contact = _parse_contact(contact_obj, contact_path, collector)
        if contact is not None:
            record.contacts.append(contact)
    return record if len(collector.issues) == errors_before else None


def _identifier(check: Any) -> Any:
    """Wrap an identifier validator as an item check reporting ``IdentifierError``."""

    def run(value: Any, path: str, collector: Collector) -> str | None:
        if not isinstance(value, str):
            collector.add(path, f"expected a string, got {type_name(value)}")
            return None
        try:
            return check(value)
        except IdentifierError as exc:
            collector.add(path, str(exc))
            return None

    return run


_uscc_check = _identifier(validate_uscc)
_vat_check = _identifier(validate_eu_vat)
_register_check = _identifier(normalize_register)


def _parse_identifiers(f: Fields) -> Identifiers | None:
    value = f.obj.get("identifiers")
    if value is None:
        return None
    path = f.at("identifiers")
    if not isinstance(value, dict):
        f.collector.add(path, f"expected an object, got {type_name(value)}")
        return None
    f.collector.check_keys(value, path, IDENTIFIER_KEYS, ())
    g = Fields(value, path, f.collector)
    identifiers = Identifiers(
        uscc=g.get("uscc", _uscc_check),
        vat=g.get("vat", _vat_check),
        register=g.get("register", _register_check),
    )
    return None if identifiers.is_empty() else identifiers


def _parse_opportunity(
    obj: dict, path: str, collector: Collector, opp_ids: _Ids
) -> OpportunityRecord | None:
    errors_before = len(collector.issues)
    collector.check_keys(obj, path, OPPORTUNITY_KEYS, _OPPORTUNITY_REQUIRED)
    f = Fields(obj, path, collector)
    opp_id = f.get("id", checks.check_id, required=True)
    opp_ids.see(opp_id, f.at("id"), collector)
    record = OpportunityRecord(
        id=opp_id,
        direction=f.get("direction", _direction_check, required=True),
        topic=f.get("topic", _topic_check, required=True),
        title=f.get("title", checks.check_string, required=True, max_len=MAX_TITLE),
        text=f.get("text", checks.check_string, required=True, max_len=MAX_TEXT),
        language=f.get("language", checks.check_language),
        cooperation=f.items("cooperation", _cooperation_check, required=True),
        keywords=f.items("keywords", checks.check_string, max_len=MAX_SHORT),
        target_countries=f.items("target_countries", checks.check_country),
        valid_until=f.get("valid_until", checks.check_date),
        x=f.extension(),
    )
    return record if len(collector.issues) == errors_before else None


def _parse_contact(obj: dict, path: str, collector: Collector) -> ContactRecord | None:
    errors_before = len(collector.issues)
    collector.check_keys(obj, path, CONTACT_KEYS, _CONTACT_REQUIRED)
    f = Fields(obj, path, collector)
    record = ContactRecord(
        name=f.get("name", checks.check_string, required=True, max_len=MAX_SHORT),
        email=f.get("email", checks.check_email),
        phone=f.get("phone", checks.check_string, max_len=MAX_SHORT),
        role=f.get("role", checks.check_string, max_len=MAX_SHORT),
        languages=f.items("languages", checks.check_language),
        x=f.extension(),
    )
    return record if len(collector.issues) == errors_before else None


# --- writing ---------------------------------------------------------------------


def _compact(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """Keep pairs in order, dropping None values and empty lists."""
    return {key: value for key, value in pairs if value is not None and value != []}


def _identifiers_json(identifiers: Identifiers | None) -> dict[str, Any] | None:
    if identifiers is None or identifiers.is_empty():
        return None
    return _compact([(key, getattr(identifiers, key)) for key in IDENTIFIER_KEYS])


def _opportunity_json(opp: OpportunityRecord) -> dict[str, Any]:
    valid_until = opp.valid_until.isoformat() if opp.valid_until else None
    values = {**vars(opp), "valid_until": valid_until}
    data = _compact([(key, values[key]) for key in OPPORTUNITY_KEYS])
    # Required lists stay even when empty, so a broken record is not silently "fixed".
    data.setdefault("cooperation", list(opp.cooperation))
    return {key: data[key] for key in OPPORTUNITY_KEYS if key in data}


def _contact_json(contact: ContactRecord) -> dict[str, Any]:
    return _compact([(key, getattr(contact, key)) for key in CONTACT_KEYS])


def _organization_json(org: OrganizationRecord) -> dict[str, Any]:
    values = {
        **vars(org),
        "identifiers": _identifiers_json(org.identifiers),
        "opportunities": [_opportunity_json(opp) for opp in org.opportunities],
        "contacts": [_contact_json(contact) for contact in org.contacts],
    }
    data = _compact([(key, values[key]) for key in ORGANIZATION_KEYS])
    data.setdefault("languages", list(org.languages))
    return {key: data[key] for key in ORGANIZATION_KEYS if key in data}


def exchange_to_json(file: ExchangeFile) -> dict[str, Any]:
    """Return the canonical JSON object (as Python data) for ``file``."""
    data: dict[str, Any] = {
        "format": FORMAT_ID,
        "organizations": [_organization_json(org) for org in file.organizations],
    }
    if file.x is not None:
        data["x"] = file.x
    return data


def dump_exchange(file: ExchangeFile) -> str:
    """Write ``file`` as canonical qiao-exchange/1 JSON text (ends with a newline).

    The records are written as they are; they are not validated again.
    """
    text = json.dumps(exchange_to_json(file), ensure_ascii=False, indent=2, allow_nan=False)
    return text + "\n"
