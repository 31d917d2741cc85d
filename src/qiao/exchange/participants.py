"""Participant lists for an event: column mapping, row checks and the import service.

A participant list is a spreadsheet (read by :mod:`qiao.exchange.tabular`) with
one row per person or organisation. Staff map each column to a target field
(``guess_mapping`` proposes a mapping from German, English and Chinese column
names), look at a preview with every problem named by row and column
(``check_participants``), then import (``import_participants``): in one
transaction, and only when no row has a problem.

The import is additive and never overwrites what is already known:

* organisations are matched by external id, else by name (or romanised name)
  and country, case-insensitively, preferring those served by the event's
  organisers; new ones are created, existing ones only get empty fields
  filled in;
* contact persons are matched per organisation by e-mail, else by name;
* each organisation gets one registration for the event, pending or (with
  "approve at once") approved; existing registrations keep their status
  except that pending ones are approved when asked to;
* the organisations are linked to the event's organisers.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from qiao.core.choices import OrganizationKind
from qiao.events.models import Attendance, Registration, RegistrationStatus
from qiao.organizations.models import Contact, Organization

from . import lookups
from .columns import IGNORE, TARGET_LABELS, TARGETS, guess_mapping, mapping_problems
from .tabular import Table

__all__ = [
    "IGNORE",
    "TARGETS",
    "TARGET_LABELS",
    "Options",
    "RowIssue",
    "CheckedRow",
    "CheckResult",
    "ParticipantReport",
    "ParticipantImportError",
    "guess_mapping",
    "mapping_problems",
    "check_participants",
    "import_participants",
]

logger = logging.getLogger(__name__)

#: Working language guessed from the country for new organisations without one.
_COUNTRY_LANGUAGE = {"DE": "de", "AT": "de", "CH": "de", "LI": "de", "CN": "zh", "TW": "zh",
                     "HK": "zh", "MO": "zh", "GB": "en", "US": "en", "IE": "en"}  # fmt: skip
_CONTACT_TARGETS = ("contact_name", "contact_email", "contact_phone", "contact_role")
_ORG_FIELDS = {
    "name": "organization_name", "name_latin": "name_latin", "external_id": "external_id",
    "kind": "kind", "country": "country", "region": "region", "city": "city",
    "website": "website", "languages": "languages",
}  # fmt: skip
_CONTACT_FIELDS = {"name": "contact_name", "email": "contact_email", "phone": "contact_phone",
                   "role": "contact_role"}  # fmt: skip
_FILLABLE = ("name_latin", "region", "city", "website", "external_id")


@dataclass
class Options:
    """Choices made on the mapping page."""

    default_country: str = ""
    default_kind: str = OrganizationKind.OTHER
    approve: bool = False


@dataclass
class RowIssue:
    """A problem in one cell: row number in the file, column name, message."""

    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"{self.row} / {self.column}: {self.message}"


@dataclass
class CheckedRow:
    """One data row with its cleaned values and the organisation it matches (if any)."""

    row: int
    values: dict[str, Any]
    organization: Organization | None = None
    issues: list[RowIssue] = field(default_factory=list)

    @property
    def group_key(self) -> tuple:
        """Rows with the same key belong to the same organisation."""
        if self.organization is not None:
            return ("pk", self.organization.pk)
        if self.values.get("external_id"):
            return ("id", self.values["external_id"])
        return ("name", lookups.fold(self.values.get("organization_name", "")),
                self.values.get("country"))  # fmt: skip


@dataclass
class CheckResult:
    """All rows checked, their problems, and what an import would do."""

    rows: list[CheckedRow]
    issues: list[RowIssue]
    new_organizations: int = 0
    known_organizations: int = 0
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Whether the rows can be imported."""
        return not self.issues


@dataclass
class ParticipantReport:
    """What a participant import wrote."""

    organizations_created: int = 0
    organizations_matched: int = 0
    contacts_created: int = 0
    contacts_updated: int = 0
    registrations_created: int = 0
    registrations_approved: int = 0
    registrations_unchanged: int = 0


class ParticipantImportError(Exception):
    """The list has problems; nothing was written. ``issues`` names every one."""

    def __init__(self, issues: list[RowIssue]):
        self.issues = issues
        super().__init__(f"{len(issues)} problems in the participant list")


# --- checking ------------------------------------------------------------------------


class _Row:
    """Collects cleaned values and problems of one row."""

    def __init__(self, number: int, cells: dict[str, str], columns: dict[str, str]):
        self.number, self.cells, self.columns = number, cells, columns
        self.values: dict[str, Any] = {}
        self.issues: list[RowIssue] = []

    def column(self, key: str) -> str:
        return self.columns.get(key) or str(TARGET_LABELS[key])

    def problem(self, key: str, message: str) -> None:
        self.issues.append(RowIssue(self.number, self.column(key), message))


def _clean_row(row: _Row, options: Options) -> None:
    for key, (_label, max_length, _names) in TARGETS.items():
        value = row.cells.get(key, "")
        if max_length and len(value) > max_length:
            row.problem(key, _("At most %(max)d characters.") % {"max": max_length})
        row.values[key] = value
    values = row.values
    if not values["organization_name"]:
        row.problem("organization_name", _("The organisation's name is missing."))
    _clean_choice(row, "country", lookups.country_code, options.default_country,
                  _("Unknown country “%(value)s”."))  # fmt: skip
    if not values.get("country") and not row.cells.get("country"):
        row.problem("country", _("The country is missing."))
    _clean_choice(row, "kind", lookups.organization_kind, "", _("Unknown kind “%(value)s”."))
    _clean_choice(row, "attendance", lookups.attendance, Attendance.IN_PERSON,
                  _("Unknown attendance “%(value)s” (in person or online)."))  # fmt: skip
    try:
        values["languages"] = lookups.language_codes(row.cells.get("languages", ""))
    except LookupError as exc:
        row.problem("languages", _("Unknown language “%(value)s”.") % {"value": exc.args[0]})
    website = values.get("website")
    if website:
        if "://" not in website:
            website = values["website"] = f"https://{website}"
        try:
            URLValidator(schemes=["http", "https"])(website)
        except ValidationError:
            row.problem("website", _("Not a web address."))
    if values.get("contact_email"):
        try:
            validate_email(values["contact_email"])
        except ValidationError:
            row.problem("contact_email", _("Not an e-mail address."))
    has_contact = any(values.get(key) for key in _CONTACT_TARGETS[1:])
    if has_contact and not values.get("contact_name"):
        row.problem("contact_name", _("The contact person's name is missing."))


def _clean_choice(row: _Row, key: str, lookup, default: str, message: str) -> None:
    text = row.cells.get(key, "")
    if not text:
        row.values[key] = default or None
        return
    value = lookup(text)
    if value is None:
        row.problem(key, message % {"value": text})
    row.values[key] = value


def _matching_organization(values: dict, organizers: list, cache: dict) -> Organization | None:
    ext, name, country = values.get("external_id"), values["organization_name"], values["country"]
    key = (ext, lookups.fold(name), country)
    if key in cache:
        return cache[key]
    found = Organization.objects.filter(external_id=ext).first() if ext else None
    if found is None:
        names = Q(name__iexact=name) | Q(name_latin__iexact=name)
        if values.get("name_latin"):
            latin = values["name_latin"]
            names |= Q(name__iexact=latin) | Q(name_latin__iexact=latin)
        candidates = Organization.objects.filter(names, country=country).order_by("pk")
        found = candidates.filter(organizers__in=organizers).first() or candidates.first()
        if found is not None and ext and found.external_id and found.external_id != ext:
            found = None
    cache[key] = found
    return found


def _model_problems(row: _Row, instance, fields: dict[str, str], exclude: list[str]) -> None:
    try:
        instance.full_clean(exclude=exclude, validate_unique=False)
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            key = fields.get(name, "organization_name")
            for message in messages:
                row.problem(key, str(message))


def _new_organization(values: dict, options: Options) -> Organization:
    languages = values.get("languages") or []
    if not languages and values.get("country") in _COUNTRY_LANGUAGE:
        languages = [_COUNTRY_LANGUAGE[values["country"]]]
    return Organization(
        name=values["organization_name"],
        name_latin=values.get("name_latin") or "",
        external_id=values.get("external_id") or None,
        kind=values.get("kind") or options.default_kind,
        country=values["country"],
        region=values.get("region") or "",
        city=values.get("city") or "",
        website=values.get("website") or "",
        languages=languages,
    )


def _new_contact(values: dict) -> Contact:
    return Contact(
        name=values["contact_name"],
        email=values.get("contact_email") or "",
        phone=values.get("contact_phone") or "",
        role=values.get("contact_role") or "",
        languages=list(values.get("languages") or []),
    )


def check_participants(table: Table, mapping: list[str], event, options: Options) -> CheckResult:
    """Clean and check every row; name each problem by row number and column.

    Reads the database (to tell new from known organisations) but writes nothing.
    """
    columns = {key: table.headers[i] for i, key in enumerate(mapping) if key}
    organizers = list(event.organizers.all())
    cache: dict = {}
    checked, issues = [], []
    for number, cells in table.records():
        row = _Row(number, {key: cells[i] for i, key in enumerate(mapping) if key}, columns)
        _clean_row(row, options)
        organization = None
        if not row.issues:
            organization = _matching_organization(row.values, organizers, cache)
            if organization is None:
                _model_problems(row, _new_organization(row.values, options), _ORG_FIELDS, [])
            if row.values.get("contact_name"):
                _model_problems(row, _new_contact(row.values), _CONTACT_FIELDS, ["organization"])
        checked.append(CheckedRow(number, row.values, organization, row.issues))
        issues.extend(row.issues)
    result = CheckResult(checked, issues)
    groups = {r.group_key: r for r in checked if not r.issues}
    result.known_organizations = sum(1 for r in groups.values() if r.organization is not None)
    result.new_organizations = len(groups) - result.known_organizations
    _capacity_warning(result, event, groups.values())
    return result


def _capacity_warning(result: CheckResult, event, rows) -> None:
    if not event.capacity:
        return
    registered = set(
        Registration.objects.filter(
            event=event, status__in=(RegistrationStatus.PENDING, RegistrationStatus.APPROVED)
        ).values_list("organization_id", flat=True)
    )
    extra = sum(1 for r in rows if r.organization is None or r.organization.pk not in registered)
    if len(registered) + extra > event.capacity:
        result.warnings.append(
            ngettext(
                "The event has room for %(capacity)d organisation; after this import "
                "%(total)d would be registered.",
                "The event has room for %(capacity)d organisations; after this import "
                "%(total)d would be registered.",
                event.capacity,
            )
            % {"capacity": event.capacity, "total": len(registered) + extra}
        )


# --- importing -----------------------------------------------------------------------


def import_participants(
    table: Table, mapping: list[str], event, *, options: Options, by=None
) -> ParticipantReport:
    """Import the list into ``event`` in one transaction (see the module docstring).

    Raises ``ParticipantImportError`` naming every problem; then nothing is written.
    """
    report = ParticipantReport()
    with transaction.atomic():
        result = check_participants(table, mapping, event, options)
        if not result.ok:
            raise ParticipantImportError(result.issues)
        organizers = list(event.organizers.all())
        groups: dict[tuple, list[CheckedRow]] = {}
        for row in result.rows:
            groups.setdefault(row.group_key, []).append(row)
        for rows in groups.values():
            organization = _write_organization(rows, options, report)
            organization.organizers.add(*organizers)
            for row in rows:
                if row.values.get("contact_name"):
                    _write_contact(organization, row.values, report)
            _write_registration(event, organization, rows, options, by, report)
    logger.info(
        "participant list for event %s: %d organisations created, %d matched, "
        "%d registrations created, %d approved (user %s)",
        event.pk, report.organizations_created, report.organizations_matched,
        report.registrations_created, report.registrations_approved, getattr(by, "pk", None),
    )  # fmt: skip
    return report


def _merged(rows: list[CheckedRow]) -> dict[str, Any]:
    """The first non-empty value of each field over the rows of one organisation."""
    merged: dict[str, Any] = {}
    for row in rows:
        for key, value in row.values.items():
            if value and not merged.get(key):
                merged[key] = value
    return merged


def _write_organization(rows, options: Options, report: ParticipantReport) -> Organization:
    values = _merged(rows)
    organization = rows[0].organization
    if organization is None:
        organization = _new_organization(values, options)
        organization.full_clean(validate_unique=False)
        organization.save()
        report.organizations_created += 1
        return organization
    organization = Organization.objects.select_for_update().get(pk=organization.pk)
    changed = []
    for name in _FILLABLE:
        target = _ORG_FIELDS[name]
        if values.get(target) and not getattr(organization, name):
            if (
                name == "external_id"
                and Organization.objects.filter(external_id=values[target]).exists()
            ):
                continue
            setattr(organization, name, values[target])
            changed.append(name)
    if values.get("languages") and not organization.languages:
        organization.languages = values["languages"]
        changed.append("languages")
    if changed:
        organization.full_clean(validate_unique=False)
        organization.save()
    report.organizations_matched += 1
    return organization


def _write_contact(organization, values: dict, report: ParticipantReport) -> None:
    contacts = organization.contacts.all()
    email = values.get("contact_email")
    existing = (contacts.filter(email__iexact=email) if email else Contact.objects.none()).first()
    existing = existing or contacts.filter(name__iexact=values["contact_name"]).first()
    if existing is None:
        contact = _new_contact(values)
        contact.organization = organization
        contact.position = contacts.count()
        contact.full_clean()
        contact.save()
        report.contacts_created += 1
        return
    new = _new_contact(values)
    changed = False
    for name in ("email", "phone", "role", "languages"):
        if getattr(new, name) and not getattr(existing, name):
            setattr(existing, name, getattr(new, name))
            changed = True
    if changed:
        existing.full_clean()
        existing.save()
        report.contacts_updated += 1


def _registration_details(rows: list[CheckedRow], organization) -> dict[str, Any]:
    values = _merged(rows)
    languages: list[str] = []
    for row in rows:
        languages += [code for code in row.values.get("languages") or [] if code not in languages]
    names = []
    for row in rows:
        name = row.values.get("representatives") or row.values.get("contact_name")
        if name and name not in names:
            names.append(name)
    return {
        "representatives": "\n".join(names)[:2000],
        "languages": languages or list(organization.languages or []),
        "attendance": values.get("attendance") or Attendance.IN_PERSON,
        "message": (values.get("message") or "")[:2000],
    }


def _write_registration(event, organization, rows, options, by, report) -> None:
    details = _registration_details(rows, organization)
    registration = (
        Registration.objects.select_for_update()
        .filter(event=event, organization=organization)
        .first()
    )
    now = timezone.now()
    if registration is None:
        registration = Registration(event=event, organization=organization, registered_by=by,
                                    **details)  # fmt: skip
        report.registrations_created += 1
        if options.approve:
            registration.status = RegistrationStatus.APPROVED
            registration.decided_by, registration.decided_at = by, now
            report.registrations_approved += 1
        registration.full_clean(validate_unique=False)
        registration.save()
        return
    for name, value in details.items():
        if value and not getattr(registration, name):
            setattr(registration, name, value)
    if options.approve and registration.status == RegistrationStatus.PENDING:
        registration.status = RegistrationStatus.APPROVED
        registration.decided_by, registration.decided_at = by, now
        report.registrations_approved += 1
    else:
        report.registrations_unchanged += 1
    registration.save()
