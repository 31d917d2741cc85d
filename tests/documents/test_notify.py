"""Agenda mails (PDF attached, feed link) and meeting-change mails, in each reader's language."""

from __future__ import annotations

import icalendar
import pytest
from django.core import mail
from factories import MembershipFactory

from qiao.documents import notify
from qiao.documents.tokens import feed_token

from .conftest import CHINESE_ORG
from .test_pdf_xlsx import pdf_text

pytestmark = pytest.mark.django_db


def by_recipient():
    """Sent mails by recipient address."""
    return {m.to[0]: m for m in mail.outbox}


def test_agenda_published_mail_carries_pdf_and_feed_in_each_language(
        world, django_capture_on_commit_callbacks):
    inactive = MembershipFactory(organization=world.elbtal.organization, user__is_active=False)
    with django_capture_on_commit_callbacks(execute=True):
        assert notify.send_agenda_published(world.event) == 3
    sent = by_recipient()
    assert set(sent) == {world.elbtal.user.email, world.saxonia.user.email,
                         world.jinan.user.email}
    assert inactive.user.email not in sent
    chinese = sent[world.jinan.user.email]
    assert "2031德累斯顿对接会" in chinese.subject
    assert f"/zh-hans/calendar/{feed_token(world.jinan)}/agenda.ics" in chinese.body
    assert "/zh-hans/my/events/dresden-2031/agenda/" in chinese.body
    assert "Elbtal Sensorik GmbH" in chinese.body and "https://meet.example.org/q-1" in chinese.body
    # The reader in Jinan also sees their own time (16:00 for 10:00 in Dresden).
    assert "16:00 北京时间（UTC+8）" in chinese.body
    assert "您的洽谈，时间均为柏林时间（UTC+2）：" in chinese.body
    assert "Asia/Shanghai" not in chinese.body and "Europe/Berlin" not in chinese.body
    (name, content, mimetype), = chinese.attachments
    assert name.endswith(".pdf") and mimetype == "application/pdf"
    assert CHINESE_ORG in pdf_text(content) and "1号桌" in pdf_text(content)
    german = sent[world.saxonia.user.email]
    assert "Kooperationsbörse Dresden 2031" in german.subject
    assert "Ihre Gespräche, Uhrzeiten nach Berliner Zeit (UTC+2):" in german.body
    assert "Europe/Berlin" not in german.body
    assert "Tisch 3" in pdf_text(german.attachments[0][1])
    assert f"/de/calendar/{feed_token(world.saxonia)}/agenda.ics" in german.body


def test_agenda_mail_is_sent_only_after_commit(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notify.send_agenda_published(world.event)
    assert mail.outbox == [] and len(callbacks) == 3


def test_meeting_moved_mail(world, django_capture_on_commit_callbacks):
    former_slot, former_table = world.table.slot, world.table.table
    world.table.slot, world.table.table = world.slots[2], 2
    with django_capture_on_commit_callbacks(execute=True):
        assert notify.send_meeting_changed(world.table, notify.MOVED, former_slot,
                                           former_table) == 2
    sent = by_recipient()
    german = sent[world.saxonia.user.email]
    assert "Elbtal Sensorik GmbH" in german.subject
    assert "10:30" in german.body and "11:00" in german.body
    english = sent[world.elbtal.user.email]
    assert "Saxonia Medizintechnik GmbH" in english.subject
    assert "has been moved" in english.body and "table 3" in english.body
    assert "Where: table 2" in english.body
    (name, calendar, mimetype), = english.attachments
    assert name == f"dresden-2031-meeting-{world.table.pk}.ics"
    assert mimetype.startswith("text/calendar")
    event, = icalendar.Calendar.from_ical(calendar).walk("VEVENT")
    assert str(event["UID"]) == f"meeting-{world.table.pk}.dresden-2031@127.0.0.1"
    assert (event.decoded("DTSTART").hour, str(event["LOCATION"])[:7]) == (11, "Table 2")
    german_event, = icalendar.Calendar.from_ical(german.attachments[0][1]).walk("VEVENT")
    assert str(german_event["LOCATION"]).startswith("Tisch 2")


def test_meeting_cancelled_mail(world, django_capture_on_commit_callbacks):
    former_slot = world.online.slot
    world.online.cancel_reason = "Flug gestrichen"
    world.online.status, world.online.slot, world.online.interpreter = "cancelled", None, None
    world.online.save()
    with django_capture_on_commit_callbacks(execute=True):
        notify.send_meeting_changed(world.online, notify.CANCELLED, former_slot)
    sent = by_recipient()
    english = sent[world.elbtal.user.email]
    assert english.subject.startswith("Cancelled:") and CHINESE_ORG in english.subject
    assert "Flug gestrichen" in english.body
    assert "/en/my/events/dresden-2031/agenda/" in english.body
    assert "Elbtal Sensorik GmbH" in sent[world.jinan.user.email].subject
    event, = icalendar.Calendar.from_ical(english.attachments[0][1]).walk("VEVENT")
    assert str(event["STATUS"]) == "CANCELLED"
    assert event.decoded("DTSTART").hour == 10
    assert event["DTSTART"].params["TZID"] == "Europe/Berlin"


def test_unknown_change_is_refused(world):
    with pytest.raises(ValueError):
        notify.send_meeting_changed(world.online, "renamed")


def test_meeting_mails_name_the_zones_in_the_readers_language(
        world, django_capture_on_commit_callbacks):
    """Moved: 'Before', 'When' and 'Your time' by zone name; cancelled: 'planned for' too."""
    former_slot = world.third.slot  # 11:00 in Dresden, 17:00 in Jinan
    world.third.slot = world.slots[0]  # 10:00 in Dresden, 16:00 in Jinan
    with django_capture_on_commit_callbacks(execute=True):
        notify.send_meeting_changed(world.third, notify.MOVED, former_slot, 1)
    sent = by_recipient()
    chinese, german = sent[world.jinan.user.email].body, sent[world.saxonia.user.email].body
    assert "原安排：柏林时间（UTC+2）" in chinese
    assert "10:25 柏林时间（UTC+2）" in chinese  # when, in the event's zone
    assert "16:25 北京时间（UTC+8）" in chinese  # and in the reader's
    assert "Bisher: " in german and "11:00 Berliner Zeit (UTC+2)" in german
    assert "10:25 Berliner Zeit (UTC+2)" in german
    for body in (chinese, german):
        assert "Europe/Berlin" not in body and "Asia/Shanghai" not in body

    mail.outbox.clear()
    former_slot = world.online.slot
    world.online.status, world.online.slot, world.online.interpreter = "cancelled", None, None
    world.online.save()
    with django_capture_on_commit_callbacks(execute=True):
        notify.send_meeting_changed(world.online, notify.CANCELLED, former_slot)
    sent = by_recipient()
    assert "June 12, 2031, 10 a.m. Berlin time (UTC+2); this time is free again." in (
        sent[world.elbtal.user.email].body)
    assert "该洽谈原定于柏林时间（UTC+2）" in sent[world.jinan.user.email].body


def test_readers_on_the_events_clock_get_no_second_time(
        world, django_capture_on_commit_callbacks):
    """A reader in Vienna shares Berlin's offset: no 'Your time' line repeating the first."""
    world.saxonia.user.timezone = "Europe/Vienna"
    world.saxonia.user.save()
    with django_capture_on_commit_callbacks(execute=True):
        notify.send_agenda_published(world.event)
    agenda = by_recipient()[world.saxonia.user.email].body
    assert "Ihre Zeit:" not in agenda and "Wiener Zeit" not in agenda
    assert "16:00 北京时间（UTC+8）" in by_recipient()[world.jinan.user.email].body

    mail.outbox.clear()
    former_slot = world.third.slot
    world.third.slot = world.slots[0]
    with django_capture_on_commit_callbacks(execute=True):
        notify.send_meeting_changed(world.third, notify.MOVED, former_slot, 1)
    sent = by_recipient()
    german = sent[world.saxonia.user.email].body
    assert "10:25 Berliner Zeit (UTC+2)" in german
    assert "Ihre Zeit:" not in german and "Wiener Zeit" not in german
    assert "16:25 北京时间（UTC+8）" in sent[world.jinan.user.email].body
