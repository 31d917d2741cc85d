"""The permission matrix: every URL of the project, for every role, answers as the table says.

The test walks the whole URL resolver (portal, accounts, back office, admin,
API …).  Every named pattern must have a row in ``TABLE`` (admin patterns are
generated from ``ADMIN_MODELS``, unnamed ones are keyed by their route): a new
URL without a row fails the test, so whoever adds a page also states who may
open it.

Expectations per role, in the order of ``ROLES``:

``200`` ``404`` ``405`` … the status code;
``L`` a redirect to the login page (with ``next``);
``A`` a redirect to the admin's login page;
``R`` any other redirect.

A row's ``get`` string is checked with GET; POST-only views also have a
``post`` string, checked with an empty POST (the change is rolled back).
Each request runs in a transaction that is rolled back, so the requests do not
influence each other.
"""

from __future__ import annotations

import copy
import os
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import translation
from factories import (
    AdminFactory,
    EventFactory,
    InterpreterFactory,
    MeetingFactory,
    MeetingRequestFactory,
    MembershipFactory,
    OrganizationFactory,
    OrganizerFactory,
    ProfileFactory,
    ProgrammeItemFactory,
    PublishedProfileFactory,
    RegistrationFactory,
    SessionFactory,
    SponsorFactory,
    StaffMembershipFactory,
)

from qiao.brokerage.models import Introduction
from qiao.meetings.models import SchedulingRun

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "participant_a", "participant_b", "staff_a", "staff_b", "admin")


@dataclass(frozen=True)
class Row:
    """Expected answers of one URL pattern, per role (see the module docstring)."""

    get: str
    post: str | None = None
    kwargs: tuple[tuple[str, str], ...] = ()
    i18n: bool = True

    def expected(self, method: str, role: str) -> str:
        """The expectation for ``role`` and ``method``."""
        codes = (self.get if method == "GET" else self.post).split()
        assert len(codes) == len(ROLES), f"row {self} needs {len(ROLES)} codes"
        return codes[ROLES.index(role)]


def row(get: str, post: str | None = None, i18n: bool = True, **kwargs: str) -> Row:
    """A table row; ``kwargs`` name world objects (``pk="profile_draft_a"``) or fixed values."""
    return Row(get=get, post=post, kwargs=tuple(sorted(kwargs.items())), i18n=i18n)


#            anon  pa   pb   sa   sb   admin
PUBLIC = "200 200 200 200 200 200"
SIGNED_IN = "L 200 200 200 200 200"
POST_ONLY_SIGNED_IN = "L 405 405 405 405 405"
POST_ONLY = "405 405 405 405 405 405"
ADMIN_ONLY = "A A A A A 200"
MATCHMAKING_PAGE = "L 404 404 200 404 200"
MATCHMAKING_POST = "L 404 404 R 404 R"

TABLE: dict[str, Row] = {
    # Language switch and the JSON API (outside the language prefix).
    "set_language": row(POST_ONLY, post="R R R R R R", i18n=False),
    "api:api-root": row("404 404 404 404 404 404", i18n=False),
    "api:openapi-json": row(PUBLIC, i18n=False),
    "api:openapi-view": row(PUBLIC, i18n=False),
    "api:list_events": row(PUBLIC, i18n=False),
    "api:get_event": row(PUBLIC, i18n=False, slug="event_a"),
    "api:list_profiles": row(PUBLIC, i18n=False),
    "api:get_profile": row(PUBLIC, i18n=False, profile_id="profile_published_a"),
    # Home and accounts.
    "home": row(PUBLIC),
    "login": row("200 R R R R R"),
    "logout": row(POST_ONLY, post="R R R R R R"),
    "signup": row("200 R R R R R"),
    "terms": row(PUBLIC),
    "account_settings": row(SIGNED_IN),
    "password_change": row(SIGNED_IN),
    "password_reset": row(PUBLIC),
    "password_reset_done": row(PUBLIC),
    "password_reset_confirm": row(PUBLIC, uidb64="MQ", token="set-password"),
    "password_reset_complete": row(PUBLIC),
    # Public portal pages.
    "portal:event_list": row(PUBLIC),
    "portal:event_detail": row(PUBLIC, slug="event_a"),
    "portal:profile_list": row(PUBLIC),
    "portal:profile_detail": row(PUBLIC, pk="profile_published_a"),
    "portal:organization_detail": row(PUBLIC, pk="org_a"),
    # Participant area ("My Qiao").
    "portal:dashboard": row(SIGNED_IN),
    # Platform administrators may act for every organisation (core/rules.py).
    "portal:organization_edit": row("L 200 404 404 404 200", pk="org_a"),
    "portal:profile_create": row("L 200 404 404 404 200", pk="org_a"),
    "portal:profile_detect_language": row(POST_ONLY_SIGNED_IN, post="L 200 200 200 200 200"),
    "portal:my_profile": row("L 200 404 404 404 200", pk="profile_draft_a"),
    "portal:profile_edit": row("L 200 404 404 404 200", pk="profile_draft_a"),
    "portal:profile_submit": row(POST_ONLY_SIGNED_IN, post="L R 404 404 404 R",
                                 pk="profile_draft_a"),
    "portal:profile_withdraw": row(POST_ONLY_SIGNED_IN, post="L R 404 404 404 R",
                                   pk="profile_submitted_a"),
    "portal:profile_renew": row(POST_ONLY_SIGNED_IN, post="L R 404 404 404 R",
                                pk="profile_published_a"),
    "portal:profile_delete": row(POST_ONLY_SIGNED_IN, post="L R 404 404 404 R",
                                 pk="profile_draft_a"),
    "portal:event_register": row("L 200 200 404 404 200", slug="event_a"),
    "portal:registration_edit": row("L 200 404 404 404 200", pk="registration_a"),
    "portal:registration_cancel": row(POST_ONLY_SIGNED_IN, post="L R 404 404 404 R",
                                      pk="registration_a"),
    # Matchmaking: only representatives of an approved registration of the event (the pages
    # list the user's own registrations, so administrators see none; like everywhere else
    # they may act on any request or meeting).
    "portal:event_participation": row("L 200 200 404 404 404", slug="event_m"),
    "portal:event_participants": row("L 200 200 404 404 404", slug="event_m"),
    "portal:event_meetings": row("L 200 200 404 404 404", slug="event_m"),
    "portal:meeting_request_new": row("L 200 200 404 404 404", slug="event_m",
                                      pk="registration_m_c"),
    "portal:meeting_request_accept": row(POST_ONLY_SIGNED_IN, post="L R 404 404 404 R",
                                         pk="meeting_request_m"),
    "portal:meeting_request_decline": row(POST_ONLY_SIGNED_IN, post="L R 404 404 404 R",
                                          pk="meeting_request_m"),
    "portal:meeting_request_withdraw": row(POST_ONLY_SIGNED_IN, post="L 404 R 404 404 R",
                                           pk="meeting_request_m"),
    "portal:meeting_cancel": row(POST_ONLY_SIGNED_IN, post="L R 404 404 404 R",
                                 pk="meeting_m"),
    # Personal agenda (page, PDF, calendar file): own approved registrations only; the
    # calendar feed needs no login but a genuine token (a made-up one answers 404).
    "portal:agenda": row("L 200 200 404 404 404", slug="event_m"),
    "portal:agenda_pdf": row("L 200 200 404 404 404", slug="event_m"),
    "portal:agenda_ics": row("L 200 200 404 404 404", slug="event_m"),
    "portal:agenda_feed": row("404 404 404 404 404 404", token="1.not-a-signature"),
    # Resetting the feed's address: the registration's own participant (and, as everywhere,
    # a platform administrator).
    "portal:agenda_feed_reset": row(POST_ONLY_SIGNED_IN, post="L R 404 404 404 R",
                                    pk="registration_m_a"),
    # Recommendations and introductions (participants A and B are approved at event_m, and
    # introductions are answered only by the two organisations' representatives).
    "portal:recommendations": row(SIGNED_IN),
    "portal:event_recommendations": row("L 200 200 404 404 404", slug="event_m"),
    "portal:introduction_request": row(POST_ONLY_SIGNED_IN, post="L R R 404 404 404"),
    "portal:introductions": row(SIGNED_IN),
    # Only the two sides answer (a platform administrator represents neither: 404).
    "portal:introduction_respond": row(POST_ONLY_SIGNED_IN, post="L R 404 404 404 404",
                                       pk="introduction_a"),
    # Back office of organiser A (staff of B must get 404 everywhere).
    "orga:dashboard": row("L 404 404 200 200 200"),
    "orga:organizer": row("L 404 404 200 404 200"),
    "orga:review_queue": row("L 404 404 200 404 200"),
    "orga:profile_decide": row(POST_ONLY, post="L 404 404 R 404 R", pk="profile_submitted_a"),
    "orga:event_create": row("L 404 404 200 404 200"),
    "orga:event_detail": row("L 404 404 200 404 200"),
    "orga:event_edit": row("L 404 404 200 404 200"),
    "orga:registration_decide": row(POST_ONLY, post="L 404 404 R 404 R", pk="registration_a"),
    "orga:programme_add": row("L 404 404 200 404 200"),
    "orga:programme_edit": row("L 404 404 200 404 200", pk="programme_a"),
    "orga:programme_delete": row(POST_ONLY, post="L 404 404 R 404 R", pk="programme_a"),
    "orga:sponsor_add": row("L 404 404 200 404 200"),
    "orga:sponsor_edit": row("L 404 404 200 404 200", pk="sponsor_a"),
    "orga:sponsor_delete": row(POST_ONLY, post="L 404 404 R 404 R", pk="sponsor_a"),
    "orga:participants_upload": row("L 404 404 200 404 200"),
    # An unknown upload sends staff back to the upload form.
    "orga:participants_map": row("L 404 404 R 404 R", token="no-such-upload"),
    "orga:event_matches": row("L 404 404 200 404 200"),
    "orga:introductions": row("L 404 404 200 404 200"),
    "orga:introduction_propose": row(POST_ONLY, post="L 404 404 R 404 R"),
    "orga:introduction_dismiss": row(POST_ONLY, post="L 404 404 R 404 R", pk="introduction_a"),
    # Matchmaking back office, on the matchmaking event of organiser A (staff of B: 404).
    "orga:scheduling": row(MATCHMAKING_PAGE, event="event_m"),
    "orga:scheduling_settings": row(MATCHMAKING_PAGE, event="event_m"),
    "orga:scheduling_session_add": row(MATCHMAKING_PAGE, event="event_m"),
    "orga:scheduling_session_edit": row(MATCHMAKING_PAGE, event="event_m", pk="session_m"),
    "orga:scheduling_session_delete": row(
        POST_ONLY, post=MATCHMAKING_POST, event="event_m", pk="session_m"),
    "orga:scheduling_interpreter_add": row(MATCHMAKING_PAGE, event="event_m"),
    "orga:scheduling_interpreter_edit": row(MATCHMAKING_PAGE, event="event_m", pk="interpreter_m"),
    "orga:scheduling_interpreter_delete": row(
        POST_ONLY, post=MATCHMAKING_POST, event="event_m", pk="interpreter_m"),
    "orga:scheduling_phase": row(POST_ONLY, post=MATCHMAKING_POST, event="event_m"),
    "orga:scheduling_publish": row(POST_ONLY, post=MATCHMAKING_POST, event="event_m"),
    "orga:scheduling_run_start": row(POST_ONLY, post=MATCHMAKING_POST, event="event_m"),
    "orga:scheduling_run": row(MATCHMAKING_PAGE, event="event_m", pk="run_m"),
    "orga:scheduling_run_status": row(MATCHMAKING_PAGE, event="event_m", pk="run_m"),
    "orga:scheduling_run_apply": row(POST_ONLY, post=MATCHMAKING_POST, event="event_m", pk="run_m"),
    "orga:scheduling_plan": row(MATCHMAKING_PAGE, event="event_m"),
    "orga:scheduling_meeting": row(MATCHMAKING_PAGE, event="event_m", pk="meeting_m"),
    "orga:scheduling_meeting_move": row(
        POST_ONLY, post=MATCHMAKING_POST, event="event_m", pk="meeting_m"),
    "orga:scheduling_meeting_lock": row(
        POST_ONLY, post=MATCHMAKING_POST, event="event_m", pk="meeting_m"),
    "orga:scheduling_meeting_unplace": row(
        POST_ONLY, post=MATCHMAKING_POST, event="event_m", pk="meeting_m"),
    "orga:scheduling_meeting_cancel": row(
        POST_ONLY, post=MATCHMAKING_POST, event="event_m", pk="meeting_m"),
    "orga:scheduling_meeting_swap": row(
        POST_ONLY, post=MATCHMAKING_POST, event="event_m", pk="meeting_m"),
    # All agendas (PDF), table and interpreters' plans (PDF, XLSX) of the matchmaking event.
    "orga:agendas_pdf": row(MATCHMAKING_PAGE, event="event_m"),
    "orga:table_plan_pdf": row(MATCHMAKING_PAGE, event="event_m"),
    "orga:table_plan_xlsx": row(MATCHMAKING_PAGE, event="event_m"),
    "orga:interpreter_plan_pdf": row(MATCHMAKING_PAGE, event="event_m"),
    "orga:interpreter_plan_xlsx": row(MATCHMAKING_PAGE, event="event_m"),
    # The admin site (platform administrators only).
    "admin:index": row(ADMIN_ONLY),
    "admin:login": row("200 200 200 200 200 R"),
    "admin:logout": row("R R R R R 405", post="R R R R R R"),
    "admin:password_change": row(ADMIN_ONLY),
    "admin:password_change_done": row(ADMIN_ONLY),
    "admin:autocomplete": row("A A A A A 403"),
    "admin:jsi18n": row(ADMIN_ONLY),
    "admin:view_on_site": row("A A A A A 404", content_type_id="content_type_event",
                              object_id="event_a"),
    "admin:app_list": row(ADMIN_ONLY, app_label="events"),
    "admin:auth_user_password_change": row(ADMIN_ONLY, id="participant_a"),
    # Unnamed patterns, keyed by route.
    "admin/(?P<url>.*)$": row("A A A A A 404", url="no-such-page/"),
}

#: Models registered in the admin; each gets the standard admin rows.
ADMIN_MODELS = {
    "auth.group": None,
    "django_tasks_database.dbtaskresult": None,
    "people.user": "participant_a",
    "organizers.organizer": "organizer_a",
    "organizers.staffmembership": "staff_membership_a",
    "organizations.organization": "org_a",
    "organizations.membership": "membership_a",
    "organizations.contact": None,
    "profiles.cooperationprofile": "profile_draft_a",
    "events.event": "event_a",
    "events.registration": "registration_a",
    "events.programmeitem": "programme_a",
    "events.sponsor": "sponsor_a",
    "events.eventorganizer": "event_link_a",
    "meetings.meetingrequest": None,
    "meetings.meeting": None,
    "meetings.matchmakingsettings": None,
    "meetings.session": None,
    "meetings.slot": None,
    "meetings.interpreter": None,
    "meetings.availabilityrule": None,
    "meetings.availability": None,
    "meetings.schedulingrun": None,
    "brokerage.introduction": None,
}
#: Models whose admin refuses adding and deleting by hand (task results are read-only).
ADMIN_READ_ONLY = {"django_tasks_database.dbtaskresult"}


def _admin_rows() -> dict[str, Row]:
    rows = {}
    for label, obj in ADMIN_MODELS.items():
        app_label, model_name = label.split(".")
        prefix = f"admin:{app_label}_{model_name}"
        # Models without a world object use an id that does not exist: the admin
        # redirects administrators to its index with a message.
        target = obj or "999999"
        found = "200" if obj else "R"
        rows[f"{prefix}_changelist"] = row(ADMIN_ONLY)
        read_only = label in ADMIN_READ_ONLY
        rows[f"{prefix}_add"] = row("A A A A A 403" if read_only else ADMIN_ONLY)
        for view in ("change", "delete", "history"):
            answer = "403" if read_only and view == "delete" else found
            rows[f"{prefix}_{view}"] = row(f"A A A A A {answer}", object_id=target)
        rows[f"admin/{app_label}/{model_name}/<path:object_id>/"] = row(
            "A A A A A R", object_id=target
        )
    return rows


TABLE.update(_admin_rows())


# --------------------------------------------------------------------------
# Walking the resolver
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Pattern:
    """One URL pattern of the project."""

    key: str  # namespaced name, or the route for unnamed patterns
    name: str | None
    route: str
    i18n: bool
    kwarg_names: tuple[str, ...]


def _kwarg_names(pattern) -> tuple[str, ...]:
    inner = pattern.pattern
    if hasattr(inner, "converters") and inner.converters:
        return tuple(inner.converters)
    regex = inner.regex if hasattr(inner, "regex") else re.compile(str(inner))
    return tuple(regex.groupindex)


def walk(patterns=None, namespace=None, route="", i18n=False, names=()):
    """Yield every :class:`Pattern` below ``patterns`` (default: the project's root)."""
    if patterns is None:
        patterns = get_resolver().url_patterns
    for entry in patterns:
        if isinstance(entry, URLResolver):
            is_locale = type(entry.pattern).__name__ == "LocalePrefixPattern"
            ns = namespace
            if entry.namespace:
                ns = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from walk(entry.url_patterns, ns, route + ("" if is_locale else
                                                             str(entry.pattern)),
                            i18n or is_locale, names + _kwarg_names(entry))
        elif isinstance(entry, URLPattern):
            full_route = route + str(entry.pattern)
            if entry.name:
                key = f"{namespace}:{entry.name}" if namespace else entry.name
            else:
                key = full_route
            yield Pattern(key, key if entry.name else None, full_route, i18n,
                          names + _kwarg_names(entry))


# --------------------------------------------------------------------------
# The world every role looks at
# --------------------------------------------------------------------------


def build_world() -> dict:
    """Two organisers, each serving one organisation with a participant; events and profiles."""
    organizer_a = OrganizerFactory(slug="office-a")
    organizer_b = OrganizerFactory(slug="office-b")
    org_a = OrganizationFactory(name="济南华康生物科技有限公司", country="CN")
    org_a.organizers.add(organizer_a)
    org_b = OrganizationFactory(name="Elbtal Sensorik GmbH")
    org_b.organizers.add(organizer_b)
    membership_a = MembershipFactory(organization=org_a)
    staff_membership_a = StaffMembershipFactory(organizer=organizer_a)
    event_a = EventFactory(slug="event-a", organizers=[organizer_a])
    EventFactory(slug="event-b", organizers=[organizer_b])
    # A matchmaking event in which organisations A, B and C are approved participants.
    event_m = EventFactory(slug="event-m", organizers=[organizer_a], allows_meeting_requests=True)
    reg_m_a = RegistrationFactory(event=event_m, organization=org_a, status="approved")
    reg_m_b = RegistrationFactory(event=event_m, organization=org_b, status="approved")
    reg_m_c = RegistrationFactory(event=event_m, status="approved")
    meeting_m = MeetingFactory(request__event=event_m, request__requester=reg_m_a,
                               request__recipient=reg_m_c)
    # A participant's request for an introduction, addressed to organiser A's office.
    introduction_a = Introduction.objects.create(
        organizer=organizer_a, event=event_m, org_a=org_a, org_b=reg_m_c.organization,
        requested_by=membership_a.user, status="requested",
    )
    return {
        "introduction_a": introduction_a,
        "event_m": event_m,
        "session_m": SessionFactory(event=event_m),
        "interpreter_m": InterpreterFactory(event=event_m),
        "run_m": SchedulingRun.objects.create(event=event_m, time_limit=10),
        "registration_m_a": reg_m_a,
        "registration_m_c": reg_m_c,
        "meeting_request_m": MeetingRequestFactory(event=event_m, requester=reg_m_b,
                                                   recipient=reg_m_a),
        "meeting_m": meeting_m,
        "organizer_a": organizer_a,
        "organizer_b": organizer_b,
        "org_a": org_a,
        "org_b": org_b,
        "membership_a": membership_a,
        "staff_membership_a": staff_membership_a,
        "event_a": event_a,
        "event_link_a": event_a.organizer_links.get(),
        "content_type_event": ContentType.objects.get_for_model(event_a),
        "programme_a": ProgrammeItemFactory(event=event_a),
        "sponsor_a": SponsorFactory(event=event_a),
        "registration_a": RegistrationFactory(event=event_a, organization=org_a),
        "profile_draft_a": ProfileFactory(organization=org_a, status="draft"),
        "profile_submitted_a": ProfileFactory(organization=org_a, status="submitted"),
        "profile_published_a": PublishedProfileFactory(organization=org_a),
        "participant_a": membership_a.user,
        "participant_b": MembershipFactory(organization=org_b).user,
        "staff_a": staff_membership_a.user,
        "staff_b": StaffMembershipFactory(organizer=organizer_b).user,
        "admin": AdminFactory(),
    }


#: Values of URL arguments by argument name, unless a row names them.
DEFAULT_KWARGS = {"organizer": "organizer_a", "event": "event_a"}


#: URL arguments that take a slug; all others take a primary key.
SLUG_ARGUMENTS = {"organizer", "event", "slug"}


def _value(world: dict, name: str, ref: str):
    obj = world.get(ref, ref)
    if isinstance(obj, str):
        return obj
    return obj.slug if name in SLUG_ARGUMENTS else obj.pk


def build_url(pattern: Pattern, table_row: Row, world: dict, language: str = "en") -> str:
    """The address of ``pattern`` with its arguments taken from ``world``."""
    given = dict(table_row.kwargs)
    kwargs = {}
    for name in pattern.kwarg_names:
        ref = given.get(name) or DEFAULT_KWARGS.get(name)
        assert ref, f"{pattern.key}: no value for URL argument {name!r}; name it in the row"
        kwargs[name] = _value(world, name, ref)
    with translation.override(language):
        if pattern.name:
            return reverse(pattern.name, kwargs=kwargs)
        # Unnamed patterns: substitute the arguments into the route.
        path = pattern.route
        for name, value in kwargs.items():
            regex = rf"<(?:\w+:)?{name}>|\(\?P<{name}>[^)]*\)"
            path = re.sub(regex, str(value), path)
        path = path.replace("$", "").replace("^", "")
        prefix = f"/{language}/" if pattern.i18n else "/"
        return prefix + path


def check(client, url: str, method: str, code: str, language: str = "en") -> str | None:
    """Request ``url`` (rolled back afterwards); describe a mismatch, or return None."""
    cookies = copy.deepcopy(client.cookies)  # a logout must not end the role's session
    with transaction.atomic():
        response = client.get(url) if method == "GET" else client.post(url, {})
        transaction.set_rollback(True)
    client.cookies = cookies
    status = response.status_code
    location = response.get("Location", "")
    with translation.override(language):
        login_path = reverse("login")
        admin_login = reverse("admin:login")
    if code in {"L", "A", "R"}:
        if status not in (301, 302, 303):
            return f"expected redirect {code}, got {status}"
        target = urlsplit(location).path
        if code == "L" and target != login_path:
            return f"expected redirect to {login_path}, got {location}"
        if code == "A" and target != admin_login:
            return f"expected redirect to {admin_login}, got {location}"
        if code == "R" and target in {login_path, admin_login}:
            return f"expected a redirect elsewhere than the login, got {location}"
        return None
    if status != int(code):
        return f"expected {code}, got {status} {location}"
    return None


def _client_for(client, world: dict, role: str):
    if role != "anonymous":
        client.force_login(world[role])
    return client


# --------------------------------------------------------------------------
# Tests
# --------------------------------------------------------------------------


def test_every_url_pattern_has_a_row():
    missing = sorted({p.key for p in walk()} - set(TABLE))
    assert not missing, (
        "URL patterns without a row in the permission matrix; add them to TABLE in "
        f"tests/test_permission_matrix.py: {missing}"
    )


def test_table_has_no_stale_rows():
    stale = sorted(set(TABLE) - {p.key for p in walk()})
    assert not stale, f"rows for URL patterns that no longer exist: {stale}"


def test_admin_models_are_listed():
    registered = {m._meta.label_lower for m in admin.site._registry}
    assert registered == set(ADMIN_MODELS)


@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix(client, role):
    world = build_world()
    client = _client_for(client, world, role)
    failures = []
    dump = os.environ.get("QIAO_MATRIX_DUMP")
    for pattern in walk():
        table_row = TABLE.get(pattern.key)
        if table_row is None:
            continue  # reported by test_every_url_pattern_has_a_row
        url = build_url(pattern, table_row, world)
        methods = ["GET"] + (["POST"] if table_row.post else [])
        for method in methods:
            expected = table_row.expected(method, role)
            problem = check(client, url, method, expected)
            if problem or dump:
                failures.append(f"{method} {url} [{pattern.key}] as {role}: {problem}")
    assert not failures, "\n".join(failures)


#: A sample of pages checked under the other language prefixes as well.
LANGUAGE_SAMPLE = [
    "home", "portal:event_detail", "portal:dashboard", "portal:organization_edit",
    "orga:dashboard", "orga:organizer", "orga:event_detail", "orga:review_queue",
    "orga:registration_decide", "admin:index", "orga:scheduling", "orga:scheduling_plan",
]


@pytest.mark.parametrize("language", ["de", "zh-hans"])
@pytest.mark.parametrize("role", ["anonymous", "participant_a", "staff_a", "staff_b"])
def test_permission_matrix_other_languages(client, role, language):
    world = build_world()
    client = _client_for(client, world, role)
    patterns = {p.key: p for p in walk()}
    failures = []
    for key in LANGUAGE_SAMPLE:
        pattern, table_row = patterns[key], TABLE[key]
        url = build_url(pattern, table_row, world, language)
        assert url.startswith(f"/{language}/")
        for method in ["GET"] + (["POST"] if table_row.post else []):
            problem = check(client, url, method, table_row.expected(method, role), language)
            if problem:
                failures.append(f"{method} {url} as {role}: {problem}")
    assert not failures, "\n".join(failures)
