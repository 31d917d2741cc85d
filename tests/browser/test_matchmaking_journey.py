"""The matchmaking journey in a real browser, from the first request to the agenda in the pocket.

Three people, each in their own browser context and their own language:

1. Katrin Vogel of a Dresden firm (German pages) finds a company from Jinan in the
   event's participants list and asks it for a meeting, with a message and high
   priority; Li Na of that company (Chinese pages, Asia/Shanghai) reads the request
   in Chinese and accepts it.
2. The organiser (English back office) runs the scheduler, reads the result
   (meetings placed), applies it and publishes the agenda.
3. Both participants open their agenda in their language: the meeting with table
   and time (Li Na also in her own time), the PDF (with the partner's name, in
   Chinese characters for the Jinan company) and the calendar file (one event at the
   meeting's start in the event's zone).

Every page ends without JavaScript or console errors.  User-interface texts are
looked up through Django's translation catalogues, and each one the test relies on
must really be translated, so a page that fell back to English would fail.
"""

from __future__ import annotations

import datetime
import io
import os
import re
import zoneinfo
from pathlib import Path
from urllib.parse import urlsplit

import icalendar
import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation
from factories import (
    PASSWORD,
    EventFactory,
    MatchmakingSettingsFactory,
    MembershipFactory,
    OrganizationFactory,
    OrganizerFactory,
    RegistrationFactory,
    SessionFactory,
    StaffMembershipFactory,
    event_time,
)
from pypdf import PdfReader

from qiao.meetings import services
from qiao.meetings.models import Meeting, MeetingRequest, MeetingStatus

pytestmark = pytest.mark.django_db(transaction=True)

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
EVENT_NAME = {
    "de": "Kooperationsbörse Jinan–Dresden 2031",
    "en": "Jinan–Dresden Matchmaking 2031",
    "zh-hans": "济南—德累斯顿对接会 2031",
}
GERMAN_ORG = "Elbtal Sensorik GmbH"
CHINESE_ORG = "济南华康生物科技有限公司"
REPO_DIR = Path(__file__).resolve().parents[2]
MESSAGE = "Wir vertreiben Labordiagnostik in Sachsen und suchen einen Partner in Shandong."


# --------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------


def t(language: str, message: str, *, same_word: bool = False, **params) -> str:
    """``message`` translated into ``language`` (and filled with ``params``).

    Fails when a non-English language has no translation, so that a test looking for
    the translated text really checks that the page speaks that language; pass
    ``same_word=True`` for words that the language borrows unchanged (German
    "Matchmaking").
    """
    with translation.override(language):
        text = translation.gettext(message)
    if language != "en" and not same_word:
        assert text != message, f"{message!r} is not translated into {language}"
    return text % params if params else text


def url(language: str, name: str, *args) -> str:
    """The path of URL ``name`` with the prefix of ``language``."""
    with translation.override(language):
        return reverse(name, args=args)


def watch_console(page) -> list[str]:
    """Collect the page's uncaught JavaScript errors and console errors (not the favicon)."""
    errors: list[str] = []

    def on_console(msg) -> None:
        source = msg.location.get("url") or ""
        if msg.type == "error" and urlsplit(source).path != "/favicon.ico":
            errors.append(f"console.error: {msg.text} ({source})")

    page.on("console", on_console)
    page.on("pageerror", lambda exc: errors.append(f"pageerror: {exc}"))
    return errors


@pytest.fixture
def person(request, browser, live_server):
    """Return a function opening a page in a new context with its own locale and time zone.

    Each person gets their own cookies (so their own session); ``page.console_errors``
    collects their errors.  The contexts close after the test; when the test failed,
    each person's page is photographed into ``test-artifacts/screenshots`` first.
    """
    contexts = []
    failed_before = request.session.testsfailed

    def _open(locale: str, timezone_id: str):
        context = browser.new_context(base_url=live_server.url, locale=locale,
                                      timezone_id=timezone_id, accept_downloads=True,
                                      viewport={"width": 1280, "height": 900})
        context.set_default_timeout(15_000)
        contexts.append(context)
        page = context.new_page()
        page.console_errors = watch_console(page)
        return page

    yield _open
    if request.session.testsfailed > failed_before:
        folder = Path(os.environ.get("QIAO_TEST_ARTIFACTS", REPO_DIR / "test-artifacts"))
        folder = folder / "screenshots"
        folder.mkdir(parents=True, exist_ok=True)
        for number, context in enumerate(contexts):
            for page in context.pages:
                try:
                    page.screenshot(path=folder / f"matchmaking-journey-{number}.png",
                                    full_page=True)
                except Exception as exc:  # a crashed page must not hide the test's error
                    print(f"no screenshot of person {number}: {exc}")
    for context in contexts:
        context.close()


def log_in(page, language: str, email: str, landing: str = "portal:dashboard") -> None:
    """Log in through the login form in ``language``; land on ``landing`` (My Qiao)."""
    page.goto(url(language, "login"))
    assert page.locator("html").get_attribute("lang") == language
    page.get_by_label(t(language, "Email address")).fill(email)
    page.get_by_label(t(language, "Password"), exact=True).fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name=t(language, "Log in")).click()
    page.wait_for_url(f"**{url(language, landing)}")


def participant(event, *, organisation: dict, user: dict) -> object:
    """An approved registration of a new organisation whose one representative is ``user``."""
    organization = OrganizationFactory(**organisation)
    membership = MembershipFactory(organization=organization, **{
        f"user__{key}": value for key, value in user.items()})
    registration = RegistrationFactory(event=event, organization=organization,
                                       status="approved", attendance="in_person",
                                       languages=list(organization.languages))
    registration.user = membership.user
    return registration


def pdf_text(data: bytes) -> str:
    """The text of every page of a PDF, whitespace collapsed (for searching names)."""
    reader = PdfReader(io.BytesIO(data))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def download(page, link) -> bytes:
    """Click ``link`` and return the bytes of the file the browser downloads."""
    with page.expect_download() as info:
        link.click()
    path = info.value.path()
    with open(path, "rb") as handle:
        return handle.read()


def open_document(page, link) -> bytes:
    """Click ``link`` to a document the browser shows itself (a PDF); return its bytes.

    The agenda PDF is served inline, so Chromium opens it in its viewer instead of
    saving it, and the viewer's page hides the file.  A route passes the request
    the click makes on to the server unchanged and keeps the bytes it answers.
    The browser then goes back to the page of the link.
    """
    before = page.url
    target = link.get_attribute("href")
    path = urlsplit(target).path
    seen: list = []

    def keep(route) -> None:
        response = route.fetch()
        seen.append((response.status, response.headers, response.body()))
        route.fulfill(response=response)

    def matches(address: str) -> bool:
        return urlsplit(address).path == path

    page.route(matches, keep)
    try:
        with page.expect_response(lambda response: matches(response.url)):
            link.click()
    finally:
        page.unroute(matches, keep)
    page.goto(before)
    assert len(seen) == 1, f"{len(seen)} requests for {target}"
    status, headers, data = seen[0]
    assert status == 200 and headers["content-type"] == "application/pdf", (status, headers)
    return data


# --------------------------------------------------------------------------
# The world
# --------------------------------------------------------------------------


@pytest.fixture
def world(db):
    """A one-morning matchmaking in Dresden, the Jinan–Dresden office, six participants.

    Besides the two companies of the journey, two German and two Chinese
    participants have already agreed two meetings, so the scheduler has three
    meetings to place in four slots at two tables.
    """
    organizer = OrganizerFactory(slug="jinan-dresden", name={
        "de": "Kontaktbüro Jinan–Dresden", "en": "Jinan–Dresden Contact Office",
        "zh-hans": "济南—德累斯顿联络处"})
    staff = StaffMembershipFactory(organizer=organizer, user__name="Wang Lei",
                                   user__preferred_language="en").user
    day = datetime.date(2031, 6, 12)
    event = EventFactory(organizers=[organizer], slug="jinan-dresden-2031", name=EVENT_NAME,
                         allows_meeting_requests=True, timezone="Europe/Berlin",
                         start_date=day, end_date=day)
    MatchmakingSettingsFactory(event=event, slot_minutes=25, pause_minutes=5, default_tables=2)
    SessionFactory(event=event, starts_at=event_time(event, 9), ends_at=event_time(event, 11))
    services.generate_slots(event)

    german = participant(event, organisation={"name": GERMAN_ORG, "city": "Dresden"},
                         user={"name": "Katrin Vogel", "preferred_language": "de",
                               "timezone": "Europe/Berlin"})
    chinese = participant(event, organisation={
        "name": CHINESE_ORG, "country": "CN", "city": "济南", "languages": ["zh", "en"]},
        user={"name": "李娜", "preferred_language": "zh-hans", "timezone": "Asia/Shanghai"})
    others = [
        participant(event, organisation={"name": name, "country": country, **extra},
                    user={"preferred_language": language})
        for name, country, language, extra in [
            ("Saxonia Medizintechnik GmbH", "DE", "de", {}),
            ("Lausitz Analytik GmbH", "DE", "de", {}),
            ("山东康桥医疗器械有限公司", "CN", "zh-hans", {"languages": ["zh", "en"]}),
            ("济南泉城环保科技有限公司", "CN", "zh-hans", {"languages": ["zh", "en"]}),
        ]
    ]
    for requester, recipient in [(others[0], others[2]), (others[3], others[1])]:
        sent = services.send_meeting_request(event, requester, recipient, requester.user)
        services.accept_meeting_request(sent, recipient.user)
    return {"organizer": organizer, "staff": staff, "event": event, "german": german,
            "chinese": chinese}


# --------------------------------------------------------------------------
# The journey
# --------------------------------------------------------------------------


def test_request_accept_schedule_publish_and_agendas(person, world):
    """From a German request to both participants' agendas, PDFs and calendar files."""
    event, german, chinese = world["event"], world["german"], world["chinese"]
    mail.outbox.clear()

    # 1a. Katrin Vogel (German pages) sends the request from the participants list.
    de = person(locale="de-DE", timezone_id="Europe/Berlin")
    log_in(de, "de", german.user.email)
    row = de.get_by_role("row", name=re.compile(re.escape(EVENT_NAME["de"])))
    row.get_by_role("link", name=t("de", "Participants"), exact=True).click()
    de.wait_for_url(f"**{url('de', 'portal:event_participants', event.slug)}*")
    assert de.locator("html").get_attribute("lang") == "de"
    card = de.locator("article", has=de.get_by_role("heading", name=CHINESE_ORG))
    assert de.locator("article.participant").count() == 5  # everybody but herself
    card.get_by_role("link", name=t("de", "Request a meeting")).click()
    de.wait_for_url(f"**{url('de', 'portal:meeting_request_new', event.slug, chinese.pk)}*")
    de.get_by_label(t("de", "Message")).fill(MESSAGE)
    de.get_by_role("radio", name=t("de", "High"), exact=True).check()
    de.get_by_role("button", name=t("de", "Send the request")).click()
    de.wait_for_url(f"**{url('de', 'portal:event_meetings', event.slug)}*")
    assert de.get_by_text(t("de", "Your request has been sent to %(org)s. You will be told by "
                                  "email when they answer.", org=CHINESE_ORG)).is_visible()
    sent = de.get_by_role("row", name=re.compile(CHINESE_ORG))
    assert t("de", "Pending") in sent.inner_text()
    request = MeetingRequest.objects.get(requester=german, recipient=chinese)
    assert (request.message, request.priority, request.status) == (MESSAGE, 2, "pending")
    assert de.console_errors == []

    # 1b. Li Na (Chinese pages, Shanghai) reads the request in Chinese and accepts it.
    zh = person(locale="zh-CN", timezone_id="Asia/Shanghai")
    log_in(zh, "zh-hans", chinese.user.email)
    row = zh.get_by_role("row", name=re.compile(re.escape(EVENT_NAME["zh-hans"])))
    row.get_by_role("link", name=t("zh-hans", "Requests and meetings")).click()
    zh.wait_for_url(f"**{url('zh-hans', 'portal:event_meetings', event.slug)}*")
    assert zh.locator("html").get_attribute("lang") == "zh-hans"
    to_answer = zh.get_by_role("region", name=t("zh-hans", "Requests to answer"))
    card = to_answer.locator("article", has=zh.get_by_role("heading", name=GERMAN_ORG))
    assert MESSAGE in card.inner_text()
    card.get_by_label(t("zh-hans", "Your priority")).select_option(label=t("zh-hans", "High"))
    card.get_by_role("button", name=t("zh-hans", "Accept"), exact=True).click()
    zh.wait_for_url(f"**{url('zh-hans', 'portal:event_meetings', event.slug)}*")
    assert zh.get_by_text(t("zh-hans", "You have accepted the meeting with %(org)s. The "
                                       "organiser will schedule it.", org=GERMAN_ORG)).is_visible()
    meetings = zh.get_by_role("region", name=t("zh-hans", "Your meetings"))
    agreed = meetings.locator("article", has=zh.get_by_role("heading", name=GERMAN_ORG))
    assert t("zh-hans", "Not yet scheduled") in agreed.inner_text()
    meeting = Meeting.objects.get(request=request)
    assert meeting.status == MeetingStatus.UNSCHEDULED
    request.refresh_from_db()
    assert request.status == "accepted"
    assert zh.console_errors == []

    # 2. The organiser runs the scheduler, applies its result and publishes the agenda.
    orga = person(locale="en-GB", timezone_id="Europe/Berlin")
    log_in(orga, "en", world["staff"].email, landing="orga:dashboard")
    orga.get_by_role("link", name=EVENT_NAME["en"]).first.click()
    orga.get_by_role("link", name="Matchmaking and agenda").click()
    orga.wait_for_url(f"**{url('en', 'orga:scheduling', 'jinan-dresden', event.slug)}")
    orga.get_by_label("Time limit").select_option("10")
    orga.get_by_role("button", name="Run the scheduler").click()
    apply = orga.get_by_role("button", name="Apply this schedule")
    apply.wait_for()
    placed = orga.locator(".sched-figures .card", has_text="meetings placed")
    assert placed.locator(".sched-figure").inner_text() == "3 / 3"
    assert orga.get_by_text("Every requested meeting has a place.").is_visible()
    apply.click()
    orga.wait_for_url(f"**{url('en', 'orga:scheduling_plan', 'jinan-dresden', event.slug)}")
    assert orga.get_by_text("The schedule is applied: 3 meetings placed").is_visible()
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.SCHEDULED and meeting.table
    orga.get_by_role("navigation", name="Matchmaking pages").get_by_role(
        "link", name="Overview").click()
    orga.wait_for_url(f"**{url('en', 'orga:scheduling', 'jinan-dresden', event.slug)}")
    orga.once("dialog", lambda dialog: dialog.accept())
    orga.get_by_role("button", name="Publish the agenda").click()
    notice = orga.get_by_text("The agenda is published; the participants are being told by mail.")
    notice.wait_for()
    assert orga.locator(".sched-phase").inner_text() == "Agenda published"
    told = {address for message in mail.outbox for address in message.to}
    assert {german.user.email, chinese.user.email} <= told
    assert orga.console_errors == []

    # 3. Each participant's agenda in their language: table, time, PDF and calendar file.
    starts = meeting.slot.starts_at
    check_agenda(de, "de", event, partner=CHINESE_ORG, meeting=meeting, own_time=None)
    check_agenda(zh, "zh-hans", event, partner=GERMAN_ORG, meeting=meeting,
                 own_time=starts.astimezone(SHANGHAI).strftime("%H:%M"))
    assert de.console_errors == [] and zh.console_errors == []


def check_agenda(page, language: str, event, *, partner: str, meeting, own_time: str | None):
    """Open the agenda from the meetings page; check the meeting, the PDF and the ICS file.

    ``own_time`` is the meeting's start in the viewer's zone when it differs from the
    event's; it must then appear next to the event's time.
    """
    page.goto(url(language, "portal:event_meetings", event.slug))
    page.get_by_role("navigation", name=t(language, "Matchmaking", same_word=True)).get_by_role(
        "link", name=t(language, "Agenda"), exact=True).click()
    page.wait_for_url(f"**{url(language, 'portal:agenda', event.slug)}*")
    assert page.locator("html").get_attribute("lang") == language
    card = page.locator("article.meeting", has=page.get_by_role(
        "heading", name=t(language, "Meeting with %(org)s", org=partner)))
    text = card.inner_text()
    assert t(language, "Table %(table)s", table=meeting.table) in text
    event_start = meeting.slot.starts_at.astimezone(BERLIN).strftime("%H:%M")
    event_end = meeting.slot.ends_at.astimezone(BERLIN).strftime("%H:%M")
    assert event_start in text and event_end in text
    viewer_time = card.locator(".viewer-time")
    if own_time is None:
        assert viewer_time.count() == 0  # same zone as the event: one time only
    else:
        assert t(language, "your time:") in viewer_time.first.inner_text()
        assert own_time in viewer_time.first.inner_text()
        assert own_time not in card.locator("time").first.inner_text()

    documents = page.get_by_role("region", name=t(language, "Take your agenda with you"))
    pdf = open_document(page, documents.get_by_role("link", name="PDF", exact=True))
    assert pdf.startswith(b"%PDF")
    printed = pdf_text(pdf)
    assert partner in printed
    assert t(language, "Table %(table)s", table=meeting.table) in printed
    assert event_start in printed and event_end in printed
    if own_time is not None:
        assert own_time in printed

    ics = download(page, documents.get_by_role("link", name=t(language, "Calendar file (ICS)")))
    calendar = icalendar.Calendar.from_ical(ics)
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 1
    start = events[0]["DTSTART"]
    assert start.params["TZID"] == event.timezone
    assert start.dt == meeting.slot.starts_at
    assert str(start.dt.tzinfo) == event.timezone
    zones = [str(zone["TZID"]) for zone in calendar.walk("VTIMEZONE")]
    assert zones == [event.timezone]  # calendar apps get the zone's rules with the file
    assert partner in str(events[0]["SUMMARY"]) or partner in str(events[0]["DESCRIPTION"])
