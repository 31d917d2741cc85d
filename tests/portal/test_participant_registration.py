import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation
from factories import (
    EventFactory,
    MembershipFactory,
    OrganizerFactory,
    RegistrationFactory,
    StaffMembershipFactory,
    UserFactory,
)

from qiao.events.models import Registration, RegistrationStatus

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english_urls():
    """Build the URLs in English whatever language an earlier test left active."""
    with translation.override("en"):
        yield

FORM = {
    "representatives": "Dr. Anna Krüger, Geschäftsführerin",
    "languages": ["de", "en"],
    "attendance": "in_person",
    "message": "Wir möchten Kliniken aus Jinan treffen.",
}


@pytest.fixture
def organizer():
    return OrganizerFactory()


@pytest.fixture
def event(organizer):
    return EventFactory(organizers=[organizer])


@pytest.fixture
def member():
    return MembershipFactory(user__languages=["de", "en"])


def test_registration_creates_pending_and_mails_staff(
    client, event, organizer, member, django_capture_on_commit_callbacks
):
    staff = StaffMembershipFactory(organizer=organizer, user__preferred_language="zh-hans").user
    client.force_login(member.user)
    url = reverse("portal:event_register", args=[event.slug])
    page = client.get(url)
    assert page.status_code == 200
    assert page.context["form"]["languages"].initial == ["de", "en"]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, dict(FORM, organization=member.organization.pk))
    assert response["Location"] == reverse("portal:dashboard")
    registration = Registration.objects.get()
    assert registration.status == RegistrationStatus.PENDING
    assert registration.organization == member.organization
    assert registration.registered_by == member.user
    assert registration.languages == ["de", "en"]
    assert [m.to for m in mail.outbox] == [[staff.email], [member.user.email]]
    assert event.name["zh-hans"] in mail.outbox[0].subject
    assert organizer in member.organization.organizers.all()


def test_cannot_register_someone_elses_organisation(client, event, member):
    stranger = MembershipFactory()
    client.force_login(member.user)
    response = client.post(
        reverse("portal:event_register", args=[event.slug]),
        dict(FORM, organization=stranger.organization.pk),
    )
    assert response.status_code == 200
    assert "organization" in response.context["form"].errors
    assert not Registration.objects.exists()


def test_closed_registration_shows_reason(client, event, member):
    event.registration_closes = timezone.now() - datetime.timedelta(days=1)
    event.save()
    client.force_login(member.user)
    url = reverse("portal:event_register", args=[event.slug])
    response = client.get(url)
    assert response.context["form"] is None
    assert "Registration for this event is closed." in response.content.decode()
    client.post(url, dict(FORM, organization=member.organization.pk))
    assert not Registration.objects.exists()


def test_full_event_shows_reason(client, event, member):
    event.capacity = 1
    event.save()
    RegistrationFactory(event=event, status="approved")
    client.force_login(member.user)
    response = client.get(reverse("portal:event_register", args=[event.slug]))
    assert "fully booked" in response.content.decode()


def test_already_registered(client, event, member):
    RegistrationFactory(event=event, organization=member.organization)
    client.force_login(member.user)
    response = client.get(reverse("portal:event_register", args=[event.slug]))
    assert "already registered" in response.content.decode()


def test_user_without_organisation_gets_404(client, event):
    client.force_login(UserFactory())
    assert client.get(reverse("portal:event_register", args=[event.slug])).status_code == 404


def test_hidden_event_gets_404(client, member):
    hidden = EventFactory(is_public=False)
    client.force_login(member.user)
    assert client.get(reverse("portal:event_register", args=[hidden.slug])).status_code == 404


def test_anonymous_redirected(client, event):
    response = client.get(reverse("portal:event_register", args=[event.slug]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_cancel_own_registration(client, event, organizer, member,
                                 django_capture_on_commit_callbacks):
    staff = StaffMembershipFactory(organizer=organizer).user
    registration = RegistrationFactory(
        event=event, organization=member.organization, status="approved"
    )
    client.force_login(member.user)
    url = reverse("portal:registration_cancel", args=[registration.pk])
    assert client.get(url).status_code == 405
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    assert response["Location"] == reverse("portal:dashboard")
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CANCELLED
    assert [m.to for m in mail.outbox] == [[staff.email]]
    # registering again re-opens the cancelled registration
    client.post(reverse("portal:event_register", args=[event.slug]),
                dict(FORM, organization=member.organization.pk))
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.PENDING


def test_cannot_cancel_others_registration(client, event, member):
    registration = RegistrationFactory(event=event)
    client.force_login(member.user)
    response = client.post(reverse("portal:registration_cancel", args=[registration.pk]))
    assert response.status_code == 404
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.PENDING


def test_cancel_anonymous_redirected(client, event):
    registration = RegistrationFactory(event=event)
    response = client.post(reverse("portal:registration_cancel", args=[registration.pk]))
    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.PENDING


def test_edit_own_registration(client, event, member):
    registration = RegistrationFactory(
        event=event, organization=member.organization, status="approved",
        languages=["de"], representatives="Anna",
    )
    client.force_login(member.user)
    url = reverse("portal:registration_edit", args=[registration.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "organization" not in page.context["form"].fields
    response = client.post(url, dict(FORM, attendance="remote"))
    assert response["Location"] == reverse("portal:dashboard")
    registration.refresh_from_db()
    assert registration.attendance == "remote"
    assert registration.status == RegistrationStatus.APPROVED
    assert registration.representatives == FORM["representatives"]


def test_cancelled_registration_cannot_be_edited(client, event, member):
    registration = RegistrationFactory(
        event=event, organization=member.organization, status="cancelled"
    )
    client.force_login(member.user)
    response = client.post(reverse("portal:registration_edit", args=[registration.pk]), FORM)
    assert response["Location"] == reverse("portal:dashboard")
    registration.refresh_from_db()
    assert registration.representatives == ""


def test_cannot_edit_others_registration(client, event, member):
    registration = RegistrationFactory(event=event)
    client.force_login(member.user)
    url = reverse("portal:registration_edit", args=[registration.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, FORM).status_code == 404


def test_edit_registration_anonymous_redirected(client, event):
    registration = RegistrationFactory(event=event)
    response = client.get(reverse("portal:registration_edit", args=[registration.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_registered_at_names_the_event_zone_and_the_viewers(client, event, member):
    """'Registered at' like every event time: the event's zone with its offset, and the viewer's."""
    registration = RegistrationFactory(event=event, organization=member.organization)
    Registration.objects.filter(pk=registration.pk).update(
        created_at=datetime.datetime(2031, 5, 20, 8, 30, tzinfo=datetime.UTC))
    member.user.timezone = "Asia/Shanghai"
    member.user.save()
    client.force_login(member.user)
    html = client.get(reverse("portal:registration_edit", args=[registration.pk])).content.decode()
    registered = html.split("Registered at</dt>")[1].split("</dd>")[0]
    assert '<abbr class="tz">UTC+2</abbr>' in registered  # 10:30 in Dresden (event)
    assert '<abbr class="tz">UTC+8</abbr>' in registered  # 16:30 in Jinan (viewer)
