"""The Django admin: platform administrators only, every model usable, pinyin search, actions."""

import datetime

import pytest
from django.contrib import admin
from django.urls import reverse
from factories import (
    AdminFactory,
    ContactFactory,
    EventFactory,
    InterpreterFactory,
    MembershipFactory,
    OrganizationFactory,
    OrganizerFactory,
    ProfileFactory,
    ProgrammeItemFactory,
    RegistrationFactory,
    SponsorFactory,
    StaffMembershipFactory,
    UserFactory,
    event_time,
)

from qiao.meetings.models import (
    MatchmakingSettings,
    Meeting,
    MeetingRequest,
    SchedulingRun,
    Session,
)
from qiao.meetings.services import generate_slots, place_meeting, set_availability
from qiao.people.models import User

pytestmark = pytest.mark.django_db

QIAO_APPS = {"people", "organizers", "organizations", "profiles", "events", "meetings"}


@pytest.fixture
def admin_client(client):
    client.force_login(AdminFactory())
    return client


@pytest.fixture
def data(db):
    organizer = OrganizerFactory()
    StaffMembershipFactory(organizer=organizer)
    organization = OrganizationFactory(name="济南华康生物科技有限公司", country="CN", city="Jinan")
    organization.organizers.add(organizer)
    MembershipFactory(organization=organization)
    ContactFactory(organization=organization)
    ProfileFactory(organization=organization, status="submitted")
    event = EventFactory(organizers=[organizer])
    ProgrammeItemFactory(event=event)
    SponsorFactory(event=event)
    first = RegistrationFactory(event=event, organization=organization, status="approved")
    second = RegistrationFactory(event=event, status="approved")
    request = MeetingRequest.objects.create(event=event, requester=first, recipient=second,
                                            status="accepted")
    meeting = Meeting.objects.create(event=event, request=request)
    MatchmakingSettings.objects.create(event=event)
    session = Session.objects.create(event=event, name={"en": "Morning"},
                                     starts_at=event_time(event, 9), ends_at=event_time(event, 12))
    generate_slots(event)
    slot = session.slots.first()
    InterpreterFactory(event=event).available_slots.add(slot)
    set_availability(second, None, "hours", start_time=datetime.time(9),
                     end_time=datetime.time(11))
    place_meeting(meeting, slot)
    SchedulingRun.objects.create(event=event)
    return {"organization": organization, "event": event}


def qiao_models():
    return [m for m in admin.site._registry if m._meta.app_label in QIAO_APPS]


def test_every_domain_model_is_registered():
    registered = {m._meta.label for m in qiao_models()}
    assert {
        "people.User", "organizers.Organizer", "organizers.StaffMembership",
        "organizations.Organization", "organizations.Membership", "organizations.Contact",
        "profiles.CooperationProfile", "events.Event", "events.EventOrganizer",
        "events.ProgrammeItem", "events.Sponsor", "events.Registration",
        "meetings.MeetingRequest", "meetings.Meeting",
    } <= registered


def test_changelist_add_and_change_pages_render(admin_client, data):
    for model in qiao_models():
        opts = model._meta
        prefix = f"admin:{opts.app_label}_{opts.model_name}"
        response = admin_client.get(reverse(f"{prefix}_changelist"))
        assert response.status_code == 200, opts.label
        assert admin_client.get(reverse(f"{prefix}_add")).status_code == 200, opts.label
        obj = model.objects.first()
        assert obj is not None, opts.label
        response = admin_client.get(reverse(f"{prefix}_change", args=[obj.pk]))
        assert response.status_code == 200, opts.label


@pytest.mark.parametrize("query", ["jinan", "huakang", "华康", "Jinan Huakang"])
def test_organisation_search_understands_pinyin(admin_client, data, query):
    OrganizationFactory(name="Elbtal Sensorik GmbH")
    response = admin_client.get(reverse("admin:organizations_organization_changelist"),
                                {"q": query})
    names = [o.name for o in response.context["cl"].result_list]
    assert names == ["济南华康生物科技有限公司"]


def test_registration_search_by_pinyin(admin_client, data):
    response = admin_client.get(reverse("admin:events_registration_changelist"),
                                {"q": "huakang"})
    assert [r.organization.name for r in response.context["cl"].result_list] == [
        "济南华康生物科技有限公司"]


def test_non_admins_cannot_open_the_admin(client, data):
    index = reverse("admin:index")
    assert client.get(index).status_code == 302
    staff = StaffMembershipFactory().user
    participant = MembershipFactory().user
    # Even with the is_staff flag a user who is not a platform administrator stays out.
    flagged = UserFactory(is_staff=True)
    for user in (staff, participant, flagged):
        client.force_login(user)
        response = client.get(index)
        assert response.status_code == 302, user
        assert response["Location"].startswith(reverse("admin:login"))
        changelist = reverse("admin:organizations_organization_changelist")
        assert client.get(changelist).status_code == 302


def test_add_user_with_email_login(admin_client):
    response = admin_client.post(reverse("admin:people_user_add"), {
        "email": "Wang.Fang@Example.CN", "name": "王芳", "usable_password": "true",
        "password1": "a long and unusual password 42",
        "password2": "a long and unusual password 42",
    })
    assert response.status_code == 302, response.context["adminform"].form.errors
    user = User.objects.get(email="wang.fang@example.cn")
    assert user.name == "王芳"
    assert user.check_password("a long and unusual password 42")
    assert not user.is_superuser


def test_approve_profiles_action_uses_the_service(admin_client, data):
    profile = data["organization"].profiles.get()
    draft = ProfileFactory(status="draft")
    response = admin_client.post(reverse("admin:profiles_cooperationprofile_changelist"), {
        "action": "approve_selected", "_selected_action": [profile.pk, draft.pk],
    }, follow=True)
    profile.refresh_from_db()
    draft.refresh_from_db()
    assert profile.status == "published" and profile.valid_until is not None
    assert draft.status == "draft"
    text = response.content.decode()
    assert "1 profile was published." in text


def test_approve_registrations_action_uses_the_service(admin_client, data):
    pending = RegistrationFactory(event=data["event"])
    admin_client.post(reverse("admin:events_registration_changelist"), {
        "action": "approve_selected", "_selected_action": [pending.pk],
    })
    pending.refresh_from_db()
    assert pending.status == "approved" and pending.decided_by is not None
