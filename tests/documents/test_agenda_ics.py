"""The agenda data and its iCalendar file: time zones, UIDs, SEQUENCE, texts, languages."""

from __future__ import annotations

import datetime
import zoneinfo

import icalendar
import pytest

from qiao.documents import files
from qiao.documents.agenda import participant_agenda, sequence_of
from qiao.meetings.models import Meeting, Phase

from .conftest import CHINESE_ORG

pytestmark = pytest.mark.django_db

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")


def meetings_of(calendar_bytes: bytes) -> dict[str, icalendar.Event]:
    """The VEVENTs of meetings in a parsed calendar, by UID."""
    cal = icalendar.Calendar.from_ical(calendar_bytes)
    return {str(e["UID"]): e for e in cal.walk("VEVENT") if str(e["UID"]).startswith("meeting-")}


def test_agenda_lists_own_meetings_in_time_order_with_partners_and_programme(world):
    agenda = participant_agenda(world.elbtal)
    assert [m.meeting for m in agenda.meetings] == [world.online, world.table]
    first = agenda.meetings[0]
    assert first.partner_organization == world.jinan.organization
    assert [p.title for p in first.profiles] == ["寻找德国医疗器械合作伙伴"]
    assert first.interpreter == world.interpreter
    assert [kind for kind, _item in agenda.days[0][1]] == ["programme", "meeting", "meeting"]
    assert agenda.days[0][0] == datetime.date(2031, 6, 12)
    # The other participants' meetings are not in it.
    assert world.third not in [m.meeting for m in agenda.meetings]


def test_unpublished_agenda_shows_the_programme_but_no_meetings(world):
    world.event.matchmaking.phase = Phase.SCHEDULING
    world.event.matchmaking.save()
    world.elbtal.event.refresh_from_db()
    agenda = participant_agenda(world.elbtal)
    assert not agenda.published and agenda.meetings == [] and len(agenda.programme) == 1
    assert len(participant_agenda(world.elbtal, include_draft=True).meetings) == 2


def test_ics_keeps_the_event_time_zone_and_means_08_utc_in_summer(world):
    cal = icalendar.Calendar.from_ical(files.agenda_ics(world.elbtal, "en").content)
    assert [str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")] == ["Europe/Berlin"]
    event = meetings_of(cal.to_ical())[f"meeting-{world.online.pk}.dresden-2031@127.0.0.1"]
    start = event.decoded("DTSTART")
    assert event["DTSTART"].params["TZID"] == "Europe/Berlin"
    assert (start.hour, start.minute) == (10, 0)
    assert start.astimezone(datetime.UTC).hour == 8
    assert event.decoded("DTEND") - start == datetime.timedelta(minutes=25)
    assert "TZID=Europe/Berlin:20310612T100000" in cal.to_ical().decode()


def test_ics_texts_location_description_and_uids(world):
    events = meetings_of(files.agenda_ics(world.elbtal, "en").content)
    online = events[f"meeting-{world.online.pk}.dresden-2031@127.0.0.1"]
    at_table = events[f"meeting-{world.table.pk}.dresden-2031@127.0.0.1"]
    assert len(events) == 2
    assert str(online["LOCATION"]) == "https://meet.example.org/q-1"
    assert str(online["SUMMARY"]) == f"Meeting with {CHINESE_ORG} (Jinan Huakang Biotech)"
    description = str(online["DESCRIPTION"])
    assert CHINESE_ORG in description and "(China)" in description
    assert "寻找德国医疗器械合作伙伴 [Chinese]" in description
    assert "Interpreter: Li Na" in description
    assert str(at_table["LOCATION"]).startswith("Table 3, Internationales Congress Center Dresden")
    assert "Vertriebspartner für Ultraschallsonden" in str(at_table["DESCRIPTION"])


def test_ics_is_written_in_the_requested_language(world):
    content = files.agenda_ics(world.jinan, "zh-hans").content.decode()
    events = meetings_of(content.encode())
    third = events[f"meeting-{world.third.pk}.dresden-2031@127.0.0.1"]
    assert str(third["LOCATION"]).startswith("1号桌")
    german = meetings_of(files.agenda_ics(world.elbtal, "de").content)
    assert str(german[f"meeting-{world.table.pk}.dresden-2031@127.0.0.1"]["LOCATION"]
               ).startswith("Tisch 3")


def test_uid_is_stable_and_sequence_grows_when_a_meeting_moves(world):
    uid = f"meeting-{world.table.pk}.dresden-2031@127.0.0.1"
    before = meetings_of(files.agenda_ics(world.elbtal, "en").content)[uid]
    Meeting.objects.filter(pk=world.table.pk).update(
        slot=world.slots[2], table=2,
        updated_at=world.table.updated_at + datetime.timedelta(minutes=3))
    after = meetings_of(files.agenda_ics(world.elbtal, "en").content)[uid]
    assert int(after["SEQUENCE"]) > int(before["SEQUENCE"])
    assert after.decoded("DTSTART").astimezone(BERLIN).hour == 11
    assert str(after["LOCATION"]).startswith("Table 2")
    world.table.refresh_from_db()
    assert int(after["SEQUENCE"]) == sequence_of(world.table) < 2**31


def test_cancelled_meetings_leave_the_calendar(world):
    Meeting.objects.filter(pk=world.online.pk).update(status="cancelled", slot=None,
                                                      interpreter=None)
    events = meetings_of(files.agenda_ics(world.elbtal, "en").content)
    assert list(events) == [f"meeting-{world.table.pk}.dresden-2031@127.0.0.1"]
