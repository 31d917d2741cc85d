import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.utils import timezone
from factories import (
    AdminFactory,
    MembershipFactory,
    OrganizationFactory,
    ProfileFactory,
    PublishedProfileFactory,
    StaffMembershipFactory,
    UserFactory,
)

from qiao.core.errors import TransitionError
from qiao.profiles import services
from qiao.profiles.models import CooperationProfile, ProfileStatus
from qiao.profiles.tasks import expire_profiles as expire_task

pytestmark = pytest.mark.django_db

FIELDS = {
    "direction": "request",
    "topic": "technology",
    "cooperation": ["licensing", "research"],
    "title": "Partner für Biosensorik gesucht",
    "text": "Wir suchen einen Partner für die gemeinsame Entwicklung von Biosensoren in China.",
    "keywords": ["Biosensor", " Diagnostik ", "Biosensor"],
    "target_countries": ["cn"],
}


@pytest.fixture
def member():
    return MembershipFactory(organization__languages=["zh", "en"])


@pytest.fixture
def reviewer(member):
    staff = StaffMembershipFactory()
    member.organization.organizers.add(staff.organizer)
    return staff.user


def test_create_profile_detects_language_and_cleans_lists(member):
    profile = services.create_profile(member.organization, member.user, **FIELDS)
    assert profile.status == ProfileStatus.DRAFT
    assert profile.language == "de"
    assert profile.keywords == ["Biosensor", "Diagnostik"]
    assert profile.target_countries == ["CN"]
    assert profile.created_by == member.user


def test_create_profile_falls_back_to_first_working_language(member):
    fields = dict(FIELDS, title="XR-77", text="XR-77 ZK-3")
    profile = services.create_profile(member.organization, member.user, **fields)
    assert profile.language == "zh"


def test_create_profile_validates(member):
    with pytest.raises(ValidationError) as exc:
        services.create_profile(member.organization, member.user, **dict(FIELDS, cooperation=[]))
    assert "cooperation" in exc.value.message_dict
    with pytest.raises(ValidationError):
        services.create_profile(
            member.organization, member.user, **dict(FIELDS, target_countries=["XX"])
        )
    assert not CooperationProfile.objects.exists()


def test_submit_approve_and_mails(member, reviewer, django_capture_on_commit_callbacks):
    profile = ProfileFactory(organization=member.organization)
    with django_capture_on_commit_callbacks(execute=True):
        services.submit_profile(profile, member.user)
    assert profile.status == ProfileStatus.SUBMITTED
    assert profile.submitted_at is not None
    assert [m.to for m in mail.outbox] == [[reviewer.email]]
    organizer = reviewer.staff_memberships.get().organizer
    assert f"/en/orga/{organizer.slug}/review/#profile-{profile.pk}" in mail.outbox[0].body
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.approve_profile(profile, reviewer)
    profile.refresh_from_db()
    assert profile.status == ProfileStatus.PUBLISHED
    assert profile.reviewed_by == reviewer
    assert profile.published_at is not None
    assert profile.valid_until == timezone.localdate() + datetime.timedelta(days=365)
    assert [m.to for m in mail.outbox] == [[member.user.email]]
    assert profile.title in mail.outbox[0].subject


@override_settings(QIAO_PROFILE_VALIDITY_DAYS=30)
def test_approve_uses_validity_setting_and_clears_reason(member, reviewer):
    profile = ProfileFactory(
        organization=member.organization, status="submitted", rejection_reason="old"
    )
    services.approve_profile(profile, reviewer)
    assert profile.valid_until == timezone.localdate() + datetime.timedelta(days=30)
    assert profile.rejection_reason == ""


@pytest.mark.parametrize("status", ["draft", "published", "rejected", "expired"])
def test_approve_refused_unless_submitted(status, reviewer):
    profile = ProfileFactory(status=status)
    with pytest.raises(TransitionError):
        services.approve_profile(profile, reviewer)
    profile.refresh_from_db()
    assert profile.status == status


def test_reject_requires_reason_and_mails_it(member, reviewer, django_capture_on_commit_callbacks):
    profile = ProfileFactory(organization=member.organization, status="submitted")
    with pytest.raises(ValidationError):
        services.reject_profile(profile, reviewer, "   ")
    with django_capture_on_commit_callbacks(execute=True):
        services.reject_profile(profile, reviewer, "Bitte den Markt genauer beschreiben.")
    profile.refresh_from_db()
    assert profile.status == ProfileStatus.REJECTED
    assert profile.rejection_reason == "Bitte den Markt genauer beschreiben."
    assert "Bitte den Markt genauer beschreiben." in mail.outbox[0].body
    assert f"http://127.0.0.1:8000/en/my/profiles/{profile.pk}/edit/" in mail.outbox[0].body


@pytest.mark.parametrize("status", ["draft", "rejected", "expired"])
def test_reject_refused(status, reviewer):
    with pytest.raises(TransitionError):
        services.reject_profile(ProfileFactory(status=status), reviewer, "reason")


@pytest.mark.parametrize("status", ["draft", "rejected"])
def test_submit_allowed(status, member):
    profile = ProfileFactory(organization=member.organization, status=status)
    services.submit_profile(profile, member.user)
    assert CooperationProfile.objects.get().status == ProfileStatus.SUBMITTED


@pytest.mark.parametrize("status", ["submitted", "published", "expired"])
def test_submit_refused(status, member):
    profile = ProfileFactory(organization=member.organization, status=status)
    with pytest.raises(TransitionError):
        services.submit_profile(profile, member.user)


@pytest.mark.parametrize("status", ["submitted", "published"])
def test_withdraw_allowed(status, member):
    profile = ProfileFactory(organization=member.organization, status=status)
    services.withdraw_profile(profile, member.user)
    assert CooperationProfile.objects.get().status == ProfileStatus.DRAFT


@pytest.mark.parametrize("status", ["draft", "rejected", "expired"])
def test_withdraw_refused(status, member):
    with pytest.raises(TransitionError):
        services.withdraw_profile(ProfileFactory(status=status), member.user)


def test_edit_published_goes_back_to_review(member, reviewer, django_capture_on_commit_callbacks):
    profile = PublishedProfileFactory(organization=member.organization)
    with django_capture_on_commit_callbacks(execute=True):
        services.update_profile(profile, member.user, title="Neuer Titel")
    profile.refresh_from_db()
    assert profile.title == "Neuer Titel"
    assert profile.status == ProfileStatus.SUBMITTED
    assert [m.to for m in mail.outbox] == [[reviewer.email]]


def test_edit_draft_stays_draft(member):
    profile = ProfileFactory(organization=member.organization)
    services.update_profile(profile, member.user, text="Neuer Text für das Profil.")
    assert CooperationProfile.objects.get().status == ProfileStatus.DRAFT


def test_edit_submitted_refused_for_authors_allowed_for_reviewers(member, reviewer):
    profile = ProfileFactory(organization=member.organization, status="submitted")
    with pytest.raises(TransitionError):
        services.update_profile(profile, member.user, title="Anders")
    services.update_profile(profile, reviewer, title="Tippfehler korrigiert")
    profile.refresh_from_db()
    assert profile.title == "Tippfehler korrigiert"
    assert profile.status == ProfileStatus.SUBMITTED


def test_update_rejects_unknown_fields(member):
    profile = ProfileFactory(organization=member.organization)
    with pytest.raises(ValueError):
        services.update_profile(profile, member.user, status="published")


@pytest.mark.parametrize("status", ["published", "expired"])
def test_renew_allowed(status, member):
    profile = ProfileFactory(
        organization=member.organization, status=status,
        valid_until=timezone.localdate() - datetime.timedelta(days=1),
    )
    services.renew_profile(profile, member.user)
    profile.refresh_from_db()
    assert profile.status == ProfileStatus.PUBLISHED
    assert profile.valid_until == timezone.localdate() + datetime.timedelta(days=365)


@pytest.mark.parametrize("status", ["draft", "submitted", "rejected"])
def test_renew_refused(status, member):
    with pytest.raises(TransitionError):
        services.renew_profile(ProfileFactory(status=status), member.user)


def test_delete_only_drafts(member):
    draft = ProfileFactory(organization=member.organization)
    published = PublishedProfileFactory(organization=member.organization)
    with pytest.raises(TransitionError):
        services.delete_profile(published, member.user)
    services.delete_profile(draft, member.user)
    assert list(CooperationProfile.objects.all()) == [published]


def test_expire_profiles(member, django_capture_on_commit_callbacks):
    today = timezone.localdate()
    old = PublishedProfileFactory(
        organization=member.organization, valid_until=today - datetime.timedelta(days=1)
    )
    current = PublishedProfileFactory(organization=member.organization, valid_until=today)
    draft = ProfileFactory(valid_until=today - datetime.timedelta(days=3))
    with django_capture_on_commit_callbacks(execute=True):
        assert services.expire_profiles() == 1
    assert CooperationProfile.objects.get(pk=old.pk).status == ProfileStatus.EXPIRED
    assert CooperationProfile.objects.get(pk=current.pk).status == ProfileStatus.PUBLISHED
    assert CooperationProfile.objects.get(pk=draft.pk).status == ProfileStatus.DRAFT
    assert len(mail.outbox) == 1
    assert services.expire_profiles(today + datetime.timedelta(days=1)) == 1


def test_expire_task_runs_service():
    PublishedProfileFactory(valid_until=timezone.localdate() - datetime.timedelta(days=2))
    result = expire_task.enqueue()
    assert result.return_value == 1
    assert CooperationProfile.objects.get().status == ProfileStatus.EXPIRED


def test_mail_follows_recipient_language(reviewer, django_capture_on_commit_callbacks):
    german = UserFactory(preferred_language="de")
    chinese = UserFactory(preferred_language="zh-hans", timezone="Asia/Shanghai")
    org = OrganizationFactory()
    MembershipFactory(organization=org, user=german)
    MembershipFactory(organization=org, user=chinese)
    profile = ProfileFactory(organization=org, status="submitted")
    with django_capture_on_commit_callbacks(execute=True):
        services.approve_profile(profile, reviewer)
    by_recipient = {m.to[0]: m for m in mail.outbox}
    assert "/de/my/" in by_recipient[german.email].body
    assert "/zh-hans/my/" in by_recipient[chinese.email].body
    # Django's own catalogues format the validity date per language.
    date = profile.valid_until
    assert f"{date.day}. " in by_recipient[german.email].body
    assert f"{date.year}年{date.month}月{date.day}日" in by_recipient[chinese.email].body


def test_no_mail_when_transaction_rolls_back(member, reviewer, django_capture_on_commit_callbacks):
    profile = ProfileFactory(organization=member.organization, status="submitted")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.approve_profile(profile, reviewer)
    assert len(callbacks) == 1
    assert mail.outbox == []


def test_submission_without_serving_organiser_goes_to_admins(
    member, django_capture_on_commit_callbacks
):
    admin = AdminFactory()
    profile = ProfileFactory(organization=member.organization)
    with django_capture_on_commit_callbacks(execute=True):
        services.submit_profile(profile, member.user)
    assert [m.to for m in mail.outbox] == [[admin.email]]
    assert f"/admin/profiles/cooperationprofile/{profile.pk}/change/" in mail.outbox[0].body
