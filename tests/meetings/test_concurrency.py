"""Concurrent accepts against a live HTTP server: nobody, no table, no interpreter is double-booked.

Once the agenda is published, accepting a request places the meeting at once.
Here several participants, each with an own HTTP session (cookie jar), accept
their requests at the same moment (a ``threading.Barrier``): six requests of
one popular participant who has only two slots, and two pairs who compete for
the tables and the one interpreter.  Afterwards every request must be either
placed or cleanly left unscheduled (no free slot remained for it), no server
error may have happened, and the database must hold at most one seat per
participant, table and interpreter in each slot.

The server is Django's ``LiveServerThread`` (what pytest-django's
``live_server`` runs) started without a shared connection, so every request
thread opens its own database connection and transaction.  On PostgreSQL that
is the test database.  SQLite's in-memory test database would be shared by one
connection across all threads (no real concurrency), so there the test copies
it into a file (SQLite's backup API) and serves that file: the transactions
then really compete for the write lock (``transaction_mode IMMEDIATE``,
``timeout 20``).
"""

from __future__ import annotations

import http.cookiejar
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.conf import settings
from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.db import connection, connections
from django.test import Client
from django.test.testcases import LiveServerThread
from django.urls import reverse
from django.utils import translation
from factories import InterpreterFactory, SessionFactory, event_time
from meetings.conftest import make_participant

from qiao.meetings import services
from qiao.meetings.models import Meeting, MeetingRequest, MeetingSeat, MeetingStatus, Slot
from qiao.scheduling import place_one

pytestmark = pytest.mark.django_db(transaction=True)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """One participant's HTTP session: own cookie jar, logged in, CSRF token at hand."""

    def __init__(self, base_url: str, session_key: str):
        self.base_url = base_url
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect()
        )
        host = urllib.parse.urlsplit(base_url).hostname
        self.jar.set_cookie(http.cookiejar.Cookie(
            0, settings.SESSION_COOKIE_NAME, session_key, None, False, host, False, False,
            "/", True, False, None, False, None, None, {},
        ))

    def request(self, path: str, data: dict | None = None) -> int:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        try:
            with self.opener.open(self.base_url + path, data=body, timeout=60) as response:
                response.read()
                return response.status
        except urllib.error.HTTPError as exc:
            return exc.code

    def csrf_token(self) -> str:
        return next(c.value for c in self.jar if c.name == settings.CSRF_COOKIE_NAME)


def session_key(user) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


@pytest.fixture
def served_database(tmp_path):
    """Make new connections (the server's threads) use a database they can share for real."""
    if connection.vendor != "sqlite":
        yield
        return
    path = tmp_path / "concurrency.sqlite3"
    original = connection.settings_dict["NAME"]

    def switch():
        import sqlite3

        connection.ensure_connection()
        target = sqlite3.connect(path)
        connection.connection.backup(target)
        target.close()
        connection.settings_dict["NAME"] = str(path)

    yield switch
    connection.settings_dict["NAME"] = original


def in_new_thread(function):
    """Run ``function`` in a fresh thread (a fresh connection to the served database)."""
    def run():
        try:
            return function()
        finally:
            connections.close_all()

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(run).result()


def build_scenario():
    from factories import EventFactory, MatchmakingSettingsFactory

    event = EventFactory(allows_meeting_requests=True)
    MatchmakingSettingsFactory(event=event, default_tables=2, phase="published")
    SessionFactory(event=event, starts_at=event_time(event, 9), ends_at=event_time(event, 10))
    services.generate_slots(event)  # two slots (09:00, 09:30) with two tables each
    interpreter = InterpreterFactory(event=event, languages=["de", "zh"])
    interpreter.available_slots.set(Slot.objects.filter(event=event))
    hub = make_participant(event, languages=("de", "en"))
    requests = [
        services.send_meeting_request(event, hub, make_participant(event, languages=("en",)),
                                      hub.user)
        for _k in range(6)
    ]
    for _k in range(2):  # German-only meets Chinese-only: both need the one interpreter
        german = make_participant(event, languages=("de",))
        chinese = make_participant(event, languages=("zh",), country="CN")
        requests.append(services.send_meeting_request(event, german, chinese, german.user))
    return event, requests


def test_concurrent_accepts_never_double_book(served_database):
    event, requests = build_scenario()
    with translation.override("en"):
        meetings_path = reverse("portal:event_meetings", args=[event.slug])
        accept_paths = [reverse("portal:meeting_request_accept", args=[r.pk]) for r in requests]
    keys = [session_key(r.recipient.organization.memberships.get().user) for r in requests]
    if served_database:
        served_database()

    server = LiveServerThread("127.0.0.1", StaticFilesHandler, connections_override={}, port=0)
    server.daemon = True
    server.start()
    server.is_ready.wait()
    if server.error:
        raise server.error
    base_url = f"http://127.0.0.1:{server.port}"
    barrier = threading.Barrier(len(requests))
    statuses: list[int] = []

    def accept(index: int) -> int:
        browser = Browser(base_url, keys[index])
        assert browser.request(meetings_path) == 200
        data = {"csrfmiddlewaretoken": browser.csrf_token(), "priority": "2"}
        barrier.wait(timeout=30)
        return browser.request(accept_paths[index], data)

    try:
        with ThreadPoolExecutor(len(requests)) as pool:
            statuses = list(pool.map(accept, range(len(requests))))
    finally:
        server.terminate()
        server.join()

    assert statuses == [302] * len(requests)  # every answer a redirect: no server error
    in_new_thread(lambda: check_invariants(event, requests))


def check_invariants(event, requests):
    requests = list(MeetingRequest.objects.filter(pk__in=[r.pk for r in requests]))
    assert {r.status for r in requests} == {"accepted"}
    meetings = list(Meeting.objects.filter(event=event).select_related("slot", "request"))
    assert len(meetings) == len(requests)
    seats = list(MeetingSeat.objects.filter(meeting__event=event))
    # The invariant itself: at most one seat per participant or interpreter and slot ...
    by_participant = Counter((s.registration_id, s.slot_id) for s in seats if s.registration_id)
    by_interpreter = Counter((s.interpreter_id, s.slot_id) for s in seats if s.interpreter_id)
    assert max(by_participant.values()) == 1
    assert not by_interpreter or max(by_interpreter.values()) == 1
    # ... one meeting per table and slot, within the slot's tables ...
    scheduled = [m for m in meetings if m.status == MeetingStatus.SCHEDULED]
    tables = Counter((m.slot_id, m.table) for m in scheduled)
    assert max(tables.values()) == 1
    assert all(1 <= m.table <= m.slot.tables for m in scheduled)
    # ... and every meeting's seats match its placement.
    for m in meetings:
        mine = [s for s in seats if s.meeting_id == m.pk]
        if m.status == MeetingStatus.SCHEDULED:
            assert sorted(s.registration_id for s in mine if s.registration_id) == sorted(
                [m.request.requester_id, m.request.recipient_id])
            assert all(s.slot_id == m.slot_id for s in mine)
            assert bool(m.interpreter_id) == any(s.interpreter_id for s in mine)
        else:
            assert m.status == MeetingStatus.UNSCHEDULED and not mine
    # The popular participant has two slots: two of their six meetings fit; the interpreter
    # serves one meeting per slot: both interpreted meetings fit.
    hub = Counter(r.requester_id for r in requests).most_common(1)[0][0]
    hub_meetings = [m for m in scheduled if m.request.requester_id == hub]
    assert len(hub_meetings) == 2
    assert sum(1 for m in scheduled if m.interpreter_id) == 2
    # Every meeting left unscheduled was cleanly refused: no slot is free for it now.
    instance = services.build_instance(event)
    solution = services.current_solution(event, instance)
    for m in meetings:
        if m.status == MeetingStatus.UNSCHEDULED:
            result = place_one(instance, solution, m.key)
            assert m.key not in result.slot_of(), f"meeting {m.key} could still be placed"
