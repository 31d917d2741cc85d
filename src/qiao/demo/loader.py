"""Load the demo data from the JSON files in ``data/`` in one transaction.

Every row has a natural key (slug, external id, email, or its parent plus a
position or start time), so loading twice creates nothing new and, because
rows are only saved when a value differs, changes nothing either. Rows are
validated with ``full_clean()`` before they are saved: broken demo data fails
loudly instead of producing a half-valid database.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from django.conf import settings as django_settings
from django.db import transaction

from qiao.demo.records import Tally, apply, date, local_datetime, upsert
from qiao.events.models import (
    Event,
    EventOrganizer,
    ProgrammeItem,
    Registration,
    RegistrationStatus,
    Sponsor,
)
from qiao.organizations.models import Contact, Membership, Organization
from qiao.organizers.models import Organizer, StaffMembership
from qiao.people.models import User
from qiao.profiles.models import CooperationProfile, ProfileStatus

DATA_DIR = Path(__file__).resolve().parent / "data"

ORGANIZER_FIELDS = ("name", "description", "city", "country", "website", "email", "timezone")
ORGANIZATION_FIELDS = (
    "name", "name_latin", "kind", "country", "region", "city", "address", "website",
    "employees", "founded", "languages", "sectors", "description", "description_language",
    "uscc", "vat", "register", "email", "phone",
)
CONTACT_FIELDS = ("name", "phone", "role", "languages")
USER_FIELDS = (
    "name", "name_latin", "phone", "position", "languages", "preferred_language", "timezone",
    "consent_listing",
)
PROFILE_FIELDS = (
    "direction", "topic", "cooperation", "title", "text", "language", "keywords",
    "target_countries", "status", "rejection_reason",
)
EVENT_FIELDS = (
    "kind", "name", "description", "venue", "address", "city", "country", "timezone",
    "start_date", "end_date", "languages", "capacity", "is_public", "allows_meeting_requests",
)
PROGRAMME_FIELDS = ("kind", "title", "description", "speaker", "speaker_affiliation")
REGISTRATION_FIELDS = (
    "representatives", "languages", "attendance", "message", "status", "decision_note",
)


class DemoDataError(ValueError):
    """The demo data files are inconsistent (unknown key, dangling reference…)."""


@dataclass
class Login:
    """A demo account shown to the person who loaded the demo."""

    role: dict[str, str]
    email: str
    order: int


@dataclass
class DemoResult:
    """What :func:`load_demo` did, and how to log in afterwards."""

    tally: Tally
    url: str
    password: str
    logins: list[Login] = field(default_factory=list)


@cache
def read_json(name: str):
    """Parse one file of ``data/`` (cached: the files do not change while running)."""
    with (DATA_DIR / name).open(encoding="utf-8") as handle:
        return json.load(handle)


def organisation_records() -> list[dict]:
    """All organisations of the ``organisations-*.json`` files, in file order."""
    files = sorted(DATA_DIR.glob("organisations-*.json"))
    return [record for path in files for record in read_json(path.name)]


def load_demo(password: str | None = None) -> DemoResult:
    """Create or update the whole demo data set in one transaction.

    ``password`` overrides the demo password of ``data/demo.json`` for every
    demo account. Returns the tally of created/updated/unchanged rows and the
    logins to print.
    """
    settings = read_json("demo.json")
    password = password or settings["password"]
    loader = _Loader(settings, password)
    with transaction.atomic():
        loader.run()
    logins = sorted(loader.logins, key=lambda login: login.order)
    url = getattr(django_settings, "QIAO_BASE_URL", "") or settings["url"]
    return DemoResult(loader.tally, url.rstrip("/") + "/", password, logins)


def _check_keys(record: dict, allowed: set[str], where: str) -> None:
    """Reject keys the loader does not know, so typos in the data do not go unnoticed."""
    unknown = set(record) - allowed
    if unknown:
        raise DemoDataError(f"{where}: unknown keys {', '.join(sorted(unknown))}")


def _values(model, record: dict, names) -> dict:
    """Field values from ``record``; missing keys fall back to the model field's default."""
    return {
        name: record[name] if name in record else model._meta.get_field(name).get_default()
        for name in names
    }


class _Loader:
    """Walks the data files in dependency order and upserts every row."""

    def __init__(self, settings: dict, password: str):
        self.settings = settings
        self.password = password
        self.tally = Tally()
        self.logins: list[Login] = []
        self.organizers: dict[str, Organizer] = {}
        self.organizations: dict[str, Organization] = {}
        self.users: dict[str, User] = {}
        self.first_member: dict[str, User] = {}

    def run(self) -> None:
        """Load organisers, organisations, users, profiles and events, in that order."""
        organisations = organisation_records()
        for record in read_json("organisers.json"):
            self.organizer(record)
        for record in organisations:
            self.organization(record)
        for record in read_json("users.json"):
            self.user(record)
        for record in organisations:
            for profile in record.get("profiles", []):
                self.profile(self.organizations[record["external_id"]], profile)
        for record in read_json("events.json"):
            self.event(record)

    # -- references ---------------------------------------------------------

    def _ref(self, table: dict, key: str, what: str):
        try:
            return table[key]
        except KeyError:
            raise DemoDataError(f"unknown {what} {key!r}") from None

    def _user(self, email: str | None) -> User | None:
        return self._ref(self.users, email, "user") if email else None

    # -- organisers and organisations ----------------------------------------

    def organizer(self, record: dict) -> None:
        """Create or update one organiser, keyed by slug."""
        _check_keys(record, {"slug", *ORGANIZER_FIELDS}, f"organiser {record.get('slug')}")
        values = _values(Organizer, record, ORGANIZER_FIELDS)
        self.organizers[record["slug"]] = upsert(
            self.tally, Organizer, {"slug": record["slug"]}, values
        )

    def organization(self, record: dict) -> None:
        """Create or update one organisation with its organisers and contact person."""
        key = record["external_id"]
        allowed = {"external_id", "organizers", "contact", "profiles", *ORGANIZATION_FIELDS}
        _check_keys(record, allowed, f"organisation {key}")
        organizers = [self._ref(self.organizers, s, "organiser") for s in record["organizers"]]
        org = upsert(
            self.tally, Organization, {"external_id": key},
            _values(Organization, record, ORGANIZATION_FIELDS), m2m={"organizers": organizers},
        )
        self.organizations[key] = org
        contact = record.get("contact")
        if contact:
            _check_keys(contact, {"email", *CONTACT_FIELDS}, f"contact of {key}")
            values = _values(Contact, contact, CONTACT_FIELDS)
            values["position"] = 0
            upsert(self.tally, Contact, {"organization": org, "email": contact["email"]}, values)

    # -- people -------------------------------------------------------------

    def user(self, record: dict) -> None:
        """Create or update one account with the demo password and its memberships."""
        email = record["email"]
        allowed = {
            "email", "superuser", "accepted_terms_at", "staff", "memberships", "login",
            *USER_FIELDS,
        }
        _check_keys(record, allowed, f"user {email}")
        values = _values(User, record, USER_FIELDS)
        superuser = bool(record.get("superuser"))
        values.update(is_superuser=superuser, is_staff=superuser, is_active=True)
        values["accepted_terms_at"] = local_datetime(
            record.get("accepted_terms_at"), values["timezone"]
        )
        user = User.objects.filter(email=email).first()
        created = user is None
        if created:
            user = User(email=email)
        changed = apply(user, values)
        if created or not user.check_password(self.password):
            user.set_password(self.password)
            changed = True
        if changed:
            user.full_clean()
            user.save()
        self.tally.add(User, "created" if created else "updated" if changed else "unchanged")
        self.users[email] = user

        for link in record.get("staff", []):
            organizer = self._ref(self.organizers, link["organizer"], "organiser")
            upsert(
                self.tally, StaffMembership, {"organizer": organizer, "user": user},
                {"role": link["role"]},
            )
        for link in record.get("memberships", []):
            org = self._ref(self.organizations, link["organization"], "organisation")
            upsert(
                self.tally, Membership, {"organization": org, "user": user},
                {"role": link["role"]},
            )
            self.first_member.setdefault(link["organization"], user)
        if "login" in record:
            login = record["login"]
            role = {code: text for code, text in login.items() if code != "order"}
            self.logins.append(Login(role, email, login.get("order", 99)))

    # -- profiles -----------------------------------------------------------

    def profile(self, org: Organization, record: dict) -> None:
        """Create or update one cooperation profile, with review data fitting its status."""
        key = record["external_id"]
        _check_keys(record, {"external_id", "valid_until", *PROFILE_FIELDS}, f"profile {key}")
        values = _values(CooperationProfile, record, PROFILE_FIELDS)
        times = self.settings["profile_times"]
        stamps = times[values["status"]]
        reviewed = values["status"] in {ProfileStatus.PUBLISHED, ProfileStatus.REJECTED}
        values.update(
            organization=org,
            valid_until=date(record.get("valid_until") or self.settings["profile_valid_until"]),
            submitted_at=local_datetime(stamps.get("submitted_at"), times["timezone"]),
            published_at=local_datetime(stamps.get("published_at"), times["timezone"]),
            reviewed_by=self._user(self.settings["reviewer"]) if reviewed else None,
            created_by=self.first_member.get(org.external_id),
        )
        upsert(self.tally, CooperationProfile, {"external_id": key}, values)

    # -- events -------------------------------------------------------------

    def event(self, record: dict) -> None:
        """Create or update one event with organisers, programme, sponsors and registrations."""
        slug = record["slug"]
        allowed = {
            "slug", "organizers", "registration_opens", "registration_closes", "decided_at",
            "decided_by", "programme", "sponsors", "registrations", *EVENT_FIELDS,
        }
        _check_keys(record, allowed, f"event {slug}")
        tz = record["timezone"]
        values = _values(Event, record, EVENT_FIELDS)
        values.update(
            start_date=date(record["start_date"]),
            end_date=date(record["end_date"]),
            registration_opens=local_datetime(record.get("registration_opens"), tz),
            registration_closes=local_datetime(record.get("registration_closes"), tz),
        )
        event = upsert(self.tally, Event, {"slug": slug}, values)
        for link in record["organizers"]:
            organizer = self._ref(self.organizers, link["organizer"], "organiser")
            upsert(
                self.tally, EventOrganizer, {"event": event, "organizer": organizer},
                {"is_lead": bool(link.get("lead"))},
            )
        self.programme(event, record.get("programme", []))
        for position, sponsor in enumerate(record.get("sponsors", [])):
            _check_keys(sponsor, {"name", "funds"}, f"sponsor of {slug}")
            upsert(
                self.tally, Sponsor, {"event": event, "position": position},
                {"name": sponsor["name"], "funds": sponsor.get("funds", {})},
            )
        decision = {
            "decided_by": self._user(record.get("decided_by")),
            "decided_at": local_datetime(record.get("decided_at"), tz),
        }
        for registration in record.get("registrations", []):
            self.registration(event, registration, decision)

    def programme(self, event: Event, items: list[dict]) -> None:
        """Create or update programme items, keyed by event and start time."""
        starts = [item["starts_at"] for item in items]
        if len(starts) != len(set(starts)):
            raise DemoDataError(f"event {event.slug}: two programme items start at the same time")
        for item in items:
            _check_keys(item, {"starts_at", "ends_at", *PROGRAMME_FIELDS}, f"item of {event.slug}")
            values = _values(ProgrammeItem, item, PROGRAMME_FIELDS)
            values["ends_at"] = local_datetime(item["ends_at"], event.timezone)
            starts_at = local_datetime(item["starts_at"], event.timezone)
            upsert(self.tally, ProgrammeItem, {"event": event, "starts_at": starts_at}, values)

    def registration(self, event: Event, record: dict, decision: dict) -> None:
        """Create or update one registration; decided ones get the event's decision data."""
        key = record["organization"]
        allowed = {"organization", "registered_by", *REGISTRATION_FIELDS}
        _check_keys(record, allowed, f"registration of {key} for {event.slug}")
        org = self._ref(self.organizations, key, "organisation")
        values = _values(Registration, record, REGISTRATION_FIELDS)
        values["registered_by"] = self._user(record.get("registered_by"))
        decided = values["status"] in {RegistrationStatus.APPROVED, RegistrationStatus.REJECTED}
        values["decided_by"] = decision["decided_by"] if decided else None
        values["decided_at"] = decision["decided_at"] if decided else None
        upsert(self.tally, Registration, {"event": event, "organization": org}, values)
