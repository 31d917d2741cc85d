import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation
from factories import (
    MembershipFactory,
    ProfileFactory,
    PublishedProfileFactory,
    StaffMembershipFactory,
)

from qiao.profiles import services
from qiao.profiles.models import CooperationProfile, ProfileStatus

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english_urls():
    """Build the URLs in English whatever language an earlier test left active."""
    with translation.override("en"):
        yield

FORM = {
    "direction": "offer",
    "topic": "technology",
    "cooperation": ["licensing", "research"],
    "title": "我们提供用于临床实验室的生物传感器技术",
    "text": "我们公司开发用于临床实验室的生物传感器，寻找德国的合作伙伴进行技术许可和联合研发。",
    "language": "",
    "keywords": "生物传感器，诊断、 clinical labs",
    "target_countries": ["DE", "AT"],
}


@pytest.fixture
def member():
    return MembershipFactory(organization__languages=["zh", "en"])


@pytest.fixture
def reviewer(member):
    staff = StaffMembershipFactory()
    member.organization.organizers.add(staff.organizer)
    return staff.user


def test_full_workflow(client, member, reviewer, django_capture_on_commit_callbacks):
    client.force_login(member.user)
    response = client.post(reverse("portal:profile_create", args=[member.organization.pk]), FORM)
    profile = CooperationProfile.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:my_profile", args=[profile.pk])
    assert profile.status == ProfileStatus.DRAFT
    assert profile.language == "zh"
    assert profile.keywords == ["生物传感器", "诊断", "clinical labs"]
    assert profile.target_countries == ["DE", "AT"]
    assert profile.created_by == member.user

    preview = client.get(response["Location"]).content.decode()
    assert 'lang="zh"' in preview
    assert reverse("portal:profile_submit", args=[profile.pk]) in preview

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("portal:profile_submit", args=[profile.pk]))
    profile.refresh_from_db()
    assert profile.status == ProfileStatus.SUBMITTED
    assert [m.to for m in mail.outbox] == [[reviewer.email]]

    services.approve_profile(profile, reviewer)
    profile.refresh_from_db()
    assert profile.status == ProfileStatus.PUBLISHED

    edit_url = reverse("portal:profile_edit", args=[profile.pk])
    page = client.get(edit_url).content.decode()
    assert "goes back to the office for review" in page
    assert "生物传感器, 诊断, clinical labs" in page
    client.post(edit_url, dict(FORM, title="更新：生物传感器技术许可"))
    profile.refresh_from_db()
    assert profile.title == "更新：生物传感器技术许可"
    assert profile.status == ProfileStatus.SUBMITTED


def test_create_shows_errors(client, member):
    client.force_login(member.user)
    response = client.post(
        reverse("portal:profile_create", args=[member.organization.pk]),
        dict(FORM, cooperation=[], target_countries=["ZZ"]),
    )
    assert response.status_code == 200
    assert "Choose at least one kind of cooperation." in response.content.decode()
    assert not CooperationProfile.objects.exists()


def test_explicit_language_wins(client, member):
    client.force_login(member.user)
    client.post(
        reverse("portal:profile_create", args=[member.organization.pk]), dict(FORM, language="en")
    )
    assert CooperationProfile.objects.get().language == "en"


def test_rejected_profile_shows_reason_and_can_be_resubmitted(client, member):
    profile = ProfileFactory(
        organization=member.organization, status="rejected",
        rejection_reason="Bitte den Zielmarkt genauer beschreiben.",
    )
    client.force_login(member.user)
    page = client.get(reverse("portal:my_profile", args=[profile.pk])).content.decode()
    assert "Bitte den Zielmarkt genauer beschreiben." in page
    client.post(reverse("portal:profile_submit", args=[profile.pk]))
    profile.refresh_from_db()
    assert profile.status == ProfileStatus.SUBMITTED


def test_submitted_profile_cannot_be_edited(client, member):
    profile = ProfileFactory(organization=member.organization, status="submitted")
    client.force_login(member.user)
    response = client.post(reverse("portal:profile_edit", args=[profile.pk]), FORM)
    assert response.status_code == 302
    profile.refresh_from_db()
    assert profile.title != FORM["title"]


def test_withdraw_renew_delete(client, member):
    client.force_login(member.user)
    published = PublishedProfileFactory(organization=member.organization)
    client.post(reverse("portal:profile_renew", args=[published.pk]))
    client.post(reverse("portal:profile_withdraw", args=[published.pk]))
    published.refresh_from_db()
    assert published.status == ProfileStatus.DRAFT
    response = client.post(reverse("portal:profile_delete", args=[published.pk]))
    assert response["Location"] == reverse("portal:dashboard")
    assert not CooperationProfile.objects.exists()


def test_refused_transition_shows_message(client, member):
    profile = ProfileFactory(organization=member.organization, status="submitted")
    client.force_login(member.user)
    response = client.post(reverse("portal:profile_delete", args=[profile.pk]), follow=True)
    assert "Only drafts can be deleted" in response.content.decode()
    assert CooperationProfile.objects.filter(pk=profile.pk).exists()


def test_actions_need_post(client, member):
    profile = ProfileFactory(organization=member.organization)
    client.force_login(member.user)
    for name in ("profile_submit", "profile_withdraw", "profile_renew", "profile_delete"):
        assert client.get(reverse(f"portal:{name}", args=[profile.pk])).status_code == 405
    assert CooperationProfile.objects.get().status == ProfileStatus.DRAFT


@pytest.mark.parametrize("name", [
    "my_profile", "profile_edit", "profile_submit", "profile_withdraw", "profile_renew",
    "profile_delete",
])
def test_other_participant_gets_404(client, member, name):
    profile = ProfileFactory(organization=member.organization)
    client.force_login(MembershipFactory().user)
    method = client.get if name in {"my_profile", "profile_edit"} else client.post
    assert method(reverse(f"portal:{name}", args=[profile.pk])).status_code == 404
    assert CooperationProfile.objects.get().status == ProfileStatus.DRAFT


def test_other_participant_cannot_create_for_foreign_org(client, member):
    client.force_login(MembershipFactory().user)
    url = reverse("portal:profile_create", args=[member.organization.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, FORM).status_code == 404
    assert not CooperationProfile.objects.exists()


@pytest.mark.parametrize("name", ["my_profile", "profile_edit", "profile_submit"])
def test_anonymous_redirected_to_login(client, name):
    profile = ProfileFactory()
    response = client.get(reverse(f"portal:{name}", args=[profile.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_detect_language_helper(client, member):
    client.force_login(member.user)
    url = reverse("portal:profile_detect_language")
    response = client.post(url, {"title": FORM["title"], "text": FORM["text"]})
    assert "Chinese" in response.content.decode()
    response = client.post(url, {"title": "", "text": ""})
    assert "cannot recognise" in response.content.decode()


def test_submitted_time_names_the_viewers_offset(client, member):
    """A profile belongs to no event: 'Submitted' is in the viewer's zone, with its offset."""
    import datetime

    profile = ProfileFactory(
        organization=member.organization, status="submitted", language="zh",
        submitted_at=datetime.datetime(2031, 5, 20, 8, 30, tzinfo=datetime.UTC))
    member.user.timezone = "Asia/Shanghai"
    member.user.save()
    client.force_login(member.user)
    html = client.get(reverse("portal:my_profile", args=[profile.pk])).content.decode()
    submitted = html.split("Submitted</dt>")[1].split("</dd>")[0]
    assert "4:30 p.m." in submitted and '<abbr class="tz">UTC+8</abbr>' in submitted
