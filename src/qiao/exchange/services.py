"""Importing and exporting qiao-exchange/1 files into and out of the database.

``import_exchange`` writes a parsed file in one transaction: organisations and
cooperation profiles are matched by their external id (re-importing updates,
never duplicates), contact persons are replaced per organisation; profiles
that are not in the file and fields the format does not carry (address,
e-mail, phone, logo) are left as they are. Every object
is validated at model level first (``full_clean``); any problem is reported
with its exchange path (e.g. ``organizations[2].website``) and nothing is
written.

``export_exchange`` builds a file of all organisations (or those served by one
organiser) with their published (and expired) profiles. Objects without an
external id get a generated one, ``qiao-org-<pk>`` / ``qiao-opp-<pk>`` (with a
``-<n>`` suffix in the rare case that this id is already taken by an imported
object). The export is normalised through the parser, so export → import →
export gives identical bytes.

Mapping between the model and the format:

* kind ``culture`` (not in the exchange enum) is written as ``other`` with
  ``{"qiao": {"kind": "culture"}}`` merged into the organisation's ``x``, and
  read back the same way;
* ``x`` objects are kept untouched in the ``extra`` field of the organisation,
  profile or contact and written back on export;
* imported profiles are published, valid until the file's ``valid_until`` or
  today + ``QIAO_PROFILE_VALIDITY_DAYS`` (already past: expired);
* drafts, submitted and returned profiles are work in progress and are not
  exported.
"""

from __future__ import annotations

import copy
import datetime
import logging
import re
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from qiao.core.choices import OrganizationKind
from qiao.core.langdetect import detect_language
from qiao.organizations.models import Contact, Organization
from qiao.profiles.models import CooperationProfile, ProfileStatus

from .format import exchange_to_json, parse_exchange
from .records import (
    MAX_ERRORS,
    ContactRecord,
    ExchangeError,
    ExchangeFile,
    ExchangeIssue,
    Identifiers,
    OpportunityRecord,
    OrganizationRecord,
)

__all__ = ["ImportReport", "import_exchange", "export_exchange", "EXPORTED_STATUSES"]

logger = logging.getLogger(__name__)

#: Profile states written by ``export_exchange``.
EXPORTED_STATUSES = (ProfileStatus.PUBLISHED, ProfileStatus.EXPIRED)
#: Key in ``x`` (and ``Organization.extra``) for Qiao's own extension data.
QIAO_X_KEY = "qiao"
#: Lookups by external id are done in chunks (SQLite limits query parameters).
_CHUNK = 500

# Model field → key path in the exchange record.
_ORGANIZATION_PATHS = {
    "external_id": "id", "uscc": "identifiers.uscc", "vat": "identifiers.vat",
    "register": "identifiers.register",
}  # fmt: skip
_PROFILE_PATHS = {"external_id": "id"}


class _DryRun(Exception):
    """Raised inside the import transaction to roll a dry run back."""


@dataclass
class ImportReport:
    """What an import did (or, for a dry run, would do)."""

    organizations_created: int = 0
    organizations_updated: int = 0
    profiles_created: int = 0
    profiles_updated: int = 0
    contacts: int = 0
    dry_run: bool = False
    warnings: list[ExchangeIssue] = field(default_factory=list)

    @property
    def created(self) -> int:
        """Organisations and profiles created."""
        return self.organizations_created + self.profiles_created

    @property
    def updated(self) -> int:
        """Organisations and profiles updated."""
        return self.organizations_updated + self.profiles_updated

    def summary(self) -> str:
        """One line for people (not translated: used by the command line)."""
        prefix = "Dry run, nothing was saved. " if self.dry_run else ""
        return (
            f"{prefix}Organisations: {self.organizations_created} created, "
            f"{self.organizations_updated} updated; profiles: {self.profiles_created} created, "
            f"{self.profiles_updated} updated; {self.contacts} contact persons written."
        )


@dataclass
class _Planned:
    """An organisation ready to be saved, with its profiles and contacts."""

    organization: Organization
    is_new: bool
    profiles: list[tuple[CooperationProfile, bool]]
    contacts: list[Contact]


# --- import ------------------------------------------------------------------------


def import_exchange(
    file: ExchangeFile, *, organizer=None, by=None, dry_run: bool = False, today=None
) -> ImportReport:
    """Write ``file`` to the database in one transaction and report what changed.

    Organisations and profiles are created or updated by external id; each
    organisation's contact persons are replaced by those in the file. With
    ``organizer`` the organisations are linked to that organiser. ``by`` is
    recorded as creator and reviewer of new profiles. Raises ``ExchangeError``
    (nothing written) when any object fails model validation. With
    ``dry_run`` everything is checked and written, then rolled back.
    """
    today = today or timezone.localdate()
    report = ImportReport(dry_run=dry_run)
    try:
        with transaction.atomic():
            plans = _plan(file, report, today, by)
            _save(plans, organizer, report)
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    logger.info(
        "exchange import%s: %d organisations created, %d updated, %d profiles created, "
        "%d updated (organiser %s)",
        " (dry run)" if dry_run else "",
        report.organizations_created,
        report.organizations_updated,
        report.profiles_created,
        report.profiles_updated,
        getattr(organizer, "slug", "-"),
    )
    return report


def _by_external_id(model, ids: list[str]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for start in range(0, len(ids), _CHUNK):
        found.update(model.objects.in_bulk(ids[start : start + _CHUNK], field_name="external_id"))
    return found


def _plan(file: ExchangeFile, report: ImportReport, today, by) -> list[_Planned]:
    """Build and validate every object; raise ``ExchangeError`` listing all problems."""
    orgs = _by_external_id(Organization, [o.id for o in file.organizations])
    profiles = _by_external_id(
        CooperationProfile, [p.id for o in file.organizations for p in o.opportunities]
    )
    issues: list[ExchangeIssue] = []
    plans = []
    for index, record in enumerate(file.organizations):
        path = f"organizations[{index}]"
        existing = orgs.get(record.id)
        organization = _organization_from_record(record, existing)
        _validate(organization, path, _ORGANIZATION_PATHS, issues, exclude=())
        planned_profiles = []
        for opp_index, opp in enumerate(record.opportunities):
            opp_path = f"{path}.opportunities[{opp_index}]"
            old = profiles.get(opp.id)
            profile = _profile_from_record(opp, old, organization, record, today, by)
            _validate(profile, opp_path, _PROFILE_PATHS, issues, exclude=("organization",))
            planned_profiles.append((profile, old is None))
        contacts = []
        for contact_index, contact_record in enumerate(record.contacts):
            contact_path = f"{path}.contacts[{contact_index}]"
            contact = _contact_from_record(contact_record, contact_index)
            _validate(contact, contact_path, {}, issues, exclude=("organization",))
            contacts.append(contact)
        plans.append(_Planned(organization, existing is None, planned_profiles, contacts))
        if len(issues) >= MAX_ERRORS:
            stop = f"too many errors, checking stopped after {MAX_ERRORS}"
            issues.append(ExchangeIssue("", stop))
            break
    if issues:
        raise ExchangeError(issues)
    return plans


def _validate(instance, path: str, paths: dict[str, str], issues: list, exclude) -> None:
    """Run ``full_clean`` and turn its messages into exchange issues."""
    try:
        # Uniqueness of external ids is given: the parser rejects repeated ids
        # and existing objects were looked up by id.
        instance.full_clean(exclude=list(exclude), validate_unique=False)
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            key = paths.get(name, name)
            where = path if name == "__all__" else f"{path}.{key}"
            for message in messages:
                issues.append(ExchangeIssue(where, str(message)))


def _organization_from_record(record: OrganizationRecord, existing) -> Organization:
    organization = existing or Organization(external_id=record.id)
    kind, extra = _kind_from_exchange(record.kind, record.x)
    identifiers = record.identifiers or Identifiers()
    description = record.description or ""
    values = {
        "name": record.name,
        "name_latin": record.name_latin or "",
        "kind": kind,
        "country": record.country,
        "region": record.region or "",
        "city": record.city or "",
        "website": record.website or "",
        "employees": record.employees,
        "founded": record.founded,
        "languages": list(record.languages),
        "sectors": list(record.sectors),
        "uscc": identifiers.uscc or "",
        "vat": identifiers.vat or "",
        "register": identifiers.register or "",
        "description": description,
        "description_language": (detect_language(description) or "") if description else "",
        "extra": extra,
    }
    for name, value in values.items():
        setattr(organization, name, value)
    return organization


def _kind_from_exchange(kind: str, x: dict | None) -> tuple[str, dict]:
    """Map the exchange kind (and ``x.qiao.kind``) to the model's kind and extra data."""
    extra = copy.deepcopy(x) if x is not None else {}
    qiao = extra.get(QIAO_X_KEY)
    if kind == OrganizationKind.OTHER and isinstance(qiao, dict):
        if qiao.get("kind") == OrganizationKind.CULTURE:
            del qiao["kind"]
            if not qiao:
                del extra[QIAO_X_KEY]
            return OrganizationKind.CULTURE, extra
    return kind, extra


def _profile_from_record(
    opp: OpportunityRecord, existing, organization, record: OrganizationRecord, today, by
) -> CooperationProfile:
    valid_until = opp.valid_until or today + datetime.timedelta(
        days=settings.QIAO_PROFILE_VALIDITY_DAYS
    )
    status = ProfileStatus.EXPIRED if valid_until < today else ProfileStatus.PUBLISHED
    profile = existing or CooperationProfile(external_id=opp.id, created_by=by)
    language = opp.effective_language or (record.languages[0] if record.languages else "")
    values = {
        "organization": organization,
        "direction": opp.direction,
        "topic": opp.topic,
        "cooperation": list(opp.cooperation),
        "title": opp.title,
        "text": opp.text,
        "language": language,
        "keywords": list(opp.keywords),
        "target_countries": list(opp.target_countries),
        "valid_until": valid_until,
        "status": status,
        "rejection_reason": "",
        "extra": copy.deepcopy(opp.x) if opp.x is not None else {},
    }
    was_published = existing is not None and existing.status == ProfileStatus.PUBLISHED
    for name, value in values.items():
        setattr(profile, name, value)
    if not was_published:
        profile.published_at = timezone.now()
        profile.reviewed_by = by
    return profile


def _contact_from_record(record: ContactRecord, position: int) -> Contact:
    return Contact(
        name=record.name,
        email=record.email or "",
        phone=record.phone or "",
        role=record.role or "",
        languages=list(record.languages),
        position=position,
        extra=copy.deepcopy(record.x) if record.x is not None else {},
    )


def _save(plans: list[_Planned], organizer, report: ImportReport) -> None:
    for plan in plans:
        organization = plan.organization
        organization.save()
        if plan.is_new:
            report.organizations_created += 1
        else:
            report.organizations_updated += 1
        if organizer is not None:
            organization.organizers.add(organizer)
        for profile, is_new in plan.profiles:
            profile.organization = organization
            profile.save()
            if is_new:
                report.profiles_created += 1
            else:
                report.profiles_updated += 1
        if not plan.is_new:
            organization.contacts.all().delete()
        for contact in plan.contacts:
            contact.organization = organization
        Contact.objects.bulk_create(plan.contacts)
        report.contacts += len(plan.contacts)


# --- export ------------------------------------------------------------------------


def _sorted_json(value: Any) -> Any:
    """Sort object keys recursively, so ``x`` is written the same on every database."""
    if isinstance(value, dict):
        return {key: _sorted_json(value[key]) for key in sorted(value)}
    if isinstance(value, list):
        return [_sorted_json(item) for item in value]
    return value


class _IdMaker:
    """Generated external ids that never collide with stored ones."""

    def __init__(self, model, prefix: str) -> None:
        self.prefix = prefix
        pattern = rf"^{re.escape(prefix)}\d+"
        self.taken = set(
            model.objects.filter(external_id__regex=pattern).values_list("external_id", flat=True)
        )

    def id_for(self, obj) -> str:
        if obj.external_id:
            return obj.external_id
        candidate = f"{self.prefix}{obj.pk}"
        suffix = 2
        while candidate in self.taken:
            candidate = f"{self.prefix}{obj.pk}-{suffix}"
            suffix += 1
        return candidate


def export_exchange(
    organizer=None, *, skip_invalid: bool = False, skipped: list | None = None
) -> ExchangeFile:
    """Build a qiao-exchange/1 file of all organisations, or those served by ``organizer``.

    The result is normalised as the parser reads it. Organisations whose data
    does not fit the format (e.g. no working language) raise ``ExchangeError``
    naming them; with ``skip_invalid`` they are left out instead and their
    problems appended to ``skipped`` (a list) when given.
    """
    organizations = Organization.objects.all() if organizer is None else organizer.organizations
    organizations = organizations.prefetch_related("contacts").order_by("pk")
    profiles_by_org: dict[int, list[CooperationProfile]] = {}
    for profile in CooperationProfile.objects.filter(
        status__in=EXPORTED_STATUSES, organization__in=organizations
    ).order_by("pk"):
        profiles_by_org.setdefault(profile.organization_id, []).append(profile)
    org_ids = _IdMaker(Organization, "qiao-org-")
    opp_ids = _IdMaker(CooperationProfile, "qiao-opp-")
    records = []
    for organization in organizations:
        opportunities = [
            _opportunity_record(p, opp_ids.id_for(p))
            for p in profiles_by_org.get(organization.pk, [])
        ]
        opportunities.sort(key=lambda opp: opp.id)
        records.append(
            _organization_record(organization, org_ids.id_for(organization), opportunities)
        )
    records.sort(key=lambda record: record.id)
    data = exchange_to_json(ExchangeFile(organizations=records))
    try:
        result = parse_exchange(data)
    except ExchangeError as exc:
        problems = [_name_organization(issue, records) for issue in exc.errors]
        if not skip_invalid:
            raise ExchangeError(problems) from None
        bad = {_organization_index(issue.path) for issue in exc.errors}
        data["organizations"] = [
            org for index, org in enumerate(data["organizations"]) if index not in bad
        ]
        result = parse_exchange(data)
        if skipped is not None:
            skipped.extend(problems)
    logger.info(
        "exchange export: %d organisations (organiser %s)",
        len(result.organizations),
        getattr(organizer, "slug", "-"),
    )
    return result


def _name_organization(issue: ExchangeIssue, records: list[OrganizationRecord]) -> ExchangeIssue:
    """Add the organisation's id to a problem found in the export (paths are positions)."""
    index = _organization_index(issue.path)
    if index is None or index >= len(records):
        return issue
    return ExchangeIssue(issue.path, f"{issue.message} (organisation {records[index].id!r})")


def _organization_index(path: str) -> int | None:
    match = re.match(r"organizations\[(\d+)\]", path)
    return int(match.group(1)) if match else None


def _organization_record(
    org: Organization, org_id: str, opportunities: list[OpportunityRecord]
) -> OrganizationRecord:
    kind = org.kind
    x = copy.deepcopy(org.extra) if isinstance(org.extra, dict) and org.extra else None
    if kind == OrganizationKind.CULTURE:
        kind = OrganizationKind.OTHER
        x = x or {}
        qiao = x.get(QIAO_X_KEY)
        if not isinstance(qiao, dict):
            qiao = x[QIAO_X_KEY] = {}
        qiao["kind"] = OrganizationKind.CULTURE
    identifiers = Identifiers(
        uscc=org.uscc or None, vat=org.vat or None, register=org.register or None
    )
    return OrganizationRecord(
        id=org_id,
        name=org.name,
        name_latin=org.name_latin or None,
        kind=str(kind),
        country=org.country,
        region=org.region or None,
        city=org.city or None,
        website=org.website or None,
        employees=org.employees,
        founded=org.founded,
        languages=list(org.languages or []),
        sectors=list(org.sectors or []),
        identifiers=None if identifiers.is_empty() else identifiers,
        description=org.description or None,
        opportunities=opportunities,
        contacts=[_contact_record(c) for c in org.contacts.all()],
        x=_sorted_json(x) if x is not None else None,
    )


def _opportunity_record(profile: CooperationProfile, opp_id: str) -> OpportunityRecord:
    return OpportunityRecord(
        id=opp_id,
        direction=profile.direction,
        topic=profile.topic,
        title=profile.title,
        text=profile.text,
        cooperation=list(profile.cooperation or []),
        language=profile.language or None,
        keywords=list(profile.keywords or []),
        target_countries=list(profile.target_countries or []),
        valid_until=profile.valid_until,
        x=_sorted_json(profile.extra) if profile.extra else None,
    )


def _contact_record(contact: Contact) -> ContactRecord:
    return ContactRecord(
        name=contact.name,
        email=contact.email or None,
        phone=contact.phone or None,
        role=contact.role or None,
        languages=list(contact.languages or []),
        x=_sorted_json(contact.extra) if contact.extra else None,
    )
