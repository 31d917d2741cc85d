import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from factories import (
    EventFactory,
    MembershipFactory,
    OrganizationFactory,
    OrganizerFactory,
    RegistrationFactory,
    StaffMembershipFactory,
    UserFactory,
)

from qiao.core.errors import TransitionError
from qiao.events import services
from qiao.events.models import Registration, RegistrationStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def organizer():
    return OrganizerFactory()


@pytest.fixture
def staff(organizer):
    return StaffMembershipFactory(organizer=organizer, user__preferred_language="de").user


@pytest.fixture
def event(organizer):
    return EventFactory(organizers=[organizer])


@pytest.fixture
def member():
    return MembershipFactory(user__preferred_language="zh-hans")


def register(event, member, **kwargs):
    return services.register_organization(event, member.organization, member.user, **kwargs)


def test_register_creates_pending_and_mails_staff(
    event, member, staff, organizer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        registration = register(
            event, member, representatives="Li Wei", languages=["ZH", "en"],
            attendance="remote", message="我们希望见到生物技术公司。",
        )
    assert registration.status == RegistrationStatus.PENDING
    assert registration.registered_by == member.user
    assert registration.languages == ["zh", "en"]
    assert registration.attendance == "remote"
    assert organizer in member.organization.organizers.all()
    assert [m.to for m in mail.outbox] == [[staff.email], [member.user.email]]
    message, confirmation = mail.outbox
    assert event.name["zh-hans"] in confirmation.subject
    assert "/zh-hans/my/" in confirmation.body
    with translation.override("de"):
        assert event.display_name in message.subject
        assert str(registration.get_attendance_display()) in message.body
    assert event.name["de"] in message.subject
    assert "我们希望见到生物技术公司。" in message.body
    assert f"/de/orga/{organizer.slug}/events/{event.slug}/" in message.body


def test_register_refused_when_closed(event, member):
    event.registration_closes = timezone.now() - datetime.timedelta(hours=1)
    event.save()
    with pytest.raises(TransitionError) as exc:
        register(event, member)
    assert exc.value.code == "closed"
    assert not Registration.objects.exists()


def test_register_refused_before_opening(event, member):
    event.registration_opens = timezone.now() + datetime.timedelta(days=1)
    event.save()
    with pytest.raises(TransitionError):
        register(event, member)


def test_register_refused_after_event(event, member):
    event.start_date = event.end_date = timezone.localdate() - datetime.timedelta(days=2)
    event.save()
    with pytest.raises(TransitionError):
        register(event, member)


def test_register_refused_when_full(event, member):
    event.capacity = 2
    event.save()
    RegistrationFactory(event=event, status="approved")
    RegistrationFactory(event=event, status="pending")
    RegistrationFactory(event=event, status="cancelled")
    with pytest.raises(TransitionError) as exc:
        register(event, member)
    assert exc.value.code == "full"


def test_register_with_free_place(event, member):
    event.capacity = 2
    event.save()
    RegistrationFactory(event=event, status="approved")
    RegistrationFactory(event=event, status="rejected")
    assert register(event, member).status == RegistrationStatus.PENDING


@pytest.mark.parametrize("status", ["pending", "approved"])
def test_duplicate_registration_refused(status, event, member):
    RegistrationFactory(event=event, organization=member.organization, status=status)
    with pytest.raises(TransitionError) as exc:
        register(event, member)
    assert exc.value.code == "duplicate"


@pytest.mark.parametrize("status", ["cancelled", "rejected"])
def test_reregistration_reopens(status, event, member, staff):
    old = RegistrationFactory(
        event=event, organization=member.organization, status=status, decision_note="x",
        decided_by=staff,
    )
    registration = register(event, member, message="Zweiter Versuch")
    assert registration.pk == old.pk
    assert registration.status == RegistrationStatus.PENDING
    assert registration.decision_note == ""
    assert registration.decided_by is None
    assert Registration.objects.count() == 1


def test_register_validates_details(event, member):
    with pytest.raises(ValidationError):
        register(event, member, attendance="teleport")
    with pytest.raises(ValidationError):
        register(event, member, languages=["klingon"])


def test_approve_and_mail_in_recipient_language(
    event, member, staff, django_capture_on_commit_callbacks
):
    registration = RegistrationFactory(event=event, organization=member.organization)
    with django_capture_on_commit_callbacks(execute=True):
        services.approve_registration(registration, staff, note="Bitte um 9 Uhr da sein.")
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.APPROVED
    assert registration.decided_by == staff
    assert registration.decided_at is not None
    assert [m.to for m in mail.outbox] == [[member.user.email]]
    message = mail.outbox[0]
    assert event.name["zh-hans"] in message.subject
    assert "Bitte um 9 Uhr da sein." in message.body
    day = event.start_date
    assert f"{day.year}年{day.month}月{day.day}日" in message.body


def test_approve_checks_capacity(event, staff):
    event.capacity = 1
    event.save()
    RegistrationFactory(event=event, status="approved")
    registration = RegistrationFactory(event=event)
    with pytest.raises(TransitionError):
        services.approve_registration(registration, staff)
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.PENDING


@pytest.mark.parametrize("status", ["approved", "cancelled"])
def test_approve_refused(status, event, staff):
    with pytest.raises(TransitionError):
        services.approve_registration(RegistrationFactory(event=event, status=status), staff)


def test_reject_needs_note_and_mails(event, member, staff, django_capture_on_commit_callbacks):
    registration = RegistrationFactory(event=event, organization=member.organization)
    with pytest.raises(ValidationError):
        services.reject_registration(registration, staff, "")
    with django_capture_on_commit_callbacks(execute=True):
        services.reject_registration(registration, staff, "Ausgebucht für Ihre Branche.")
    assert Registration.objects.get().status == RegistrationStatus.REJECTED
    assert "Ausgebucht für Ihre Branche." in mail.outbox[0].body


@pytest.mark.parametrize("status", ["rejected", "cancelled"])
def test_reject_refused(status, event, staff):
    with pytest.raises(TransitionError):
        services.reject_registration(
            RegistrationFactory(event=event, status=status), staff, "note"
        )


@pytest.mark.parametrize("status", ["pending", "approved"])
def test_cancel_mails_staff(status, event, member, staff, django_capture_on_commit_callbacks):
    registration = RegistrationFactory(
        event=event, organization=member.organization, status=status
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_registration(registration, member.user)
    assert registration.status == RegistrationStatus.CANCELLED
    assert [m.to for m in mail.outbox] == [[staff.email]]


@pytest.mark.parametrize("status", ["rejected", "cancelled"])
def test_cancel_refused(status, event, member):
    with pytest.raises(TransitionError):
        services.cancel_registration(
            RegistrationFactory(event=event, status=status), member.user
        )


def test_staff_of_several_organisers_get_one_mail(event, member, staff, organizer):
    other = OrganizerFactory()
    event2 = EventFactory(organizers=[organizer, other])
    StaffMembershipFactory(organizer=other, user=staff)
    UserFactory()  # not staff: gets nothing
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        services.register_organization(event2, OrganizationFactory(), member.user)
    assert [m.to for m in mail.outbox] == [[staff.email]]  # the new organisation has no users


@pytest.mark.parametrize("status", ["pending", "approved"])
def test_update_registration_mails_staff(
    status, event, member, staff, django_capture_on_commit_callbacks
):
    registration = RegistrationFactory(
        event=event, organization=member.organization, status=status
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.update_registration(
            registration, member.user, representatives="Wang Fang", languages=["zh"],
            attendance="remote", message="",
        )
    registration.refresh_from_db()
    assert registration.status == status
    assert registration.representatives == "Wang Fang"
    assert registration.attendance == "remote"
    assert [m.to for m in mail.outbox] == [[staff.email]]
    assert "Wang Fang" in mail.outbox[0].body


@pytest.mark.parametrize("status", ["rejected", "cancelled"])
def test_update_registration_refused(status, event, member):
    registration = RegistrationFactory(event=event, status=status)
    with pytest.raises(TransitionError):
        services.update_registration(registration, member.user, languages=["de"])


def test_update_registration_refused_after_event(event, member):
    event.start_date = event.end_date = timezone.localdate() - datetime.timedelta(days=1)
    event.save()
    registration = RegistrationFactory(event=event, status="approved")
    with pytest.raises(TransitionError):
        services.update_registration(registration, member.user, languages=["de"])
