import datetime
import zoneinfo

import pytest
from django.core import mail
from django.test import override_settings
from django.utils import formats, translation
from factories import (
    EventFactory,
    OrganizerFactory,
    RegistrationFactory,
    StaffMembershipFactory,
    UserFactory,
)

from qiao.core.mail import mail_organizer_staff, render_user_mail, send_user_mail

pytestmark = pytest.mark.django_db


def context():
    registration = RegistrationFactory(message="Hallo <b>Team</b> & Co")
    registration.created_at = datetime.datetime(2026, 3, 2, 8, 30, tzinfo=datetime.UTC)
    return {
        "registration": registration, "event": registration.event,
        "organization": registration.organization,
    }


def test_mail_is_sent_after_commit(django_capture_on_commit_callbacks):
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        send_user_mail(user, "registration_received", context())
    assert mail.outbox == []
    for callback in callbacks:
        callback()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [user.email]
    assert "\n" not in mail.outbox[0].subject


def test_text_is_not_html_escaped(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        send_user_mail(UserFactory(), "registration_received", context())
    assert "Hallo <b>Team</b> & Co" in mail.outbox[0].body


def test_inactive_users_get_no_mail(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        send_user_mail(UserFactory(is_active=False), "registration_received", context())
    assert mail.outbox == []


def test_rendered_in_language_and_time_zone_of_recipient():
    ctx = context()
    user = UserFactory(preferred_language="de", timezone="Asia/Shanghai")
    subject, body = render_user_mail(user, "registration_received", ctx)
    assert ctx["event"].name["de"] in subject
    local = ctx["registration"].created_at.astimezone(zoneinfo.ZoneInfo("Asia/Shanghai"))
    with translation.override("de"):
        expected = formats.date_format(local, "DATETIME_FORMAT")
    assert expected in body
    assert "16:30" in body


def test_registered_at_names_the_recipients_zone_in_their_language():
    ctx = context()
    _subject, body = render_user_mail(
        UserFactory(preferred_language="de", timezone="Asia/Shanghai"), "registration_received",
        ctx)
    assert "16:30 Pekinger Zeit (UTC+8)" in body and "Asia/Shanghai" not in body
    _subject, body = render_user_mail(
        UserFactory(preferred_language="zh-hans", timezone="Europe/Berlin"),
        "registration_received", ctx)
    assert "9:30 柏林时间（UTC+1）" in body and "Europe/Berlin" not in body  # March: winter time


@override_settings(QIAO_BASE_URL="https://qiao.example.org")
def test_links_use_base_url():
    _subject, body = render_user_mail(UserFactory(), "registration_received", context())
    assert "https://qiao.example.org/en/" in body


def test_mail_organizer_staff_each_once(django_capture_on_commit_callbacks):
    first, second = OrganizerFactory(), OrganizerFactory()
    both = UserFactory(preferred_language="zh-hans")
    StaffMembershipFactory(organizer=first, user=both)
    StaffMembershipFactory(organizer=second, user=both)
    StaffMembershipFactory(organizer=second, user__preferred_language="de")
    StaffMembershipFactory(organizer=OrganizerFactory())  # another organiser
    ctx = context()
    ctx["event"] = EventFactory(name={"de": "Börse", "en": "Fair", "zh-hans": "对接会"})
    with django_capture_on_commit_callbacks(execute=True):
        count = mail_organizer_staff([first, second], "registration_cancelled", ctx)
    assert count == 2
    subjects = sorted(m.subject for m in mail.outbox)
    assert any("对接会" in s for s in subjects)
    assert any("Börse" in s for s in subjects)
