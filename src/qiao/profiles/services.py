"""State changes of cooperation profiles (the only place that saves them).

Lifecycle: draft → submitted → published (approved by an organiser's staff)
or rejected (returned with a reason, editable, submittable again); a
published profile expires after ``QIAO_PROFILE_VALIDITY_DAYS`` and can be
renewed.  Editing a published or expired profile sends it back to review.
"""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from qiao.core.choices import CooperationType, is_language
from qiao.core.errors import TransitionError
from qiao.core.langdetect import detect_language
from qiao.core.mail import mail_organizer_staff, mail_platform_admins, mail_representatives
from qiao.profiles.models import CooperationProfile, ProfileStatus

logger = logging.getLogger("qiao.profiles")

#: Fields a profile's authors may set.
EDITABLE_FIELDS = (
    "direction", "topic", "cooperation", "title", "text", "language", "keywords",
    "target_countries",
)
MAX_KEYWORDS = 20


def _uid(user) -> int | None:
    return getattr(user, "pk", None)


def _locked(profile) -> CooperationProfile:
    """Reload ``profile`` with a row lock (call inside ``transaction.atomic``)."""
    return CooperationProfile.objects.select_for_update().get(pk=profile.pk)


def _refresh(target, source) -> None:
    """Copy the saved state back into the caller's instance."""
    for field in CooperationProfile._meta.concrete_fields:
        setattr(target, field.attname, getattr(source, field.attname))


_REFUSALS = {
    "edit": _("This profile cannot be edited while its status is “%(status)s”."),
    "submit": _("This profile cannot be submitted while its status is “%(status)s”."),
    "withdraw": _("This profile cannot be withdrawn while its status is “%(status)s”."),
    "approve": _("This profile cannot be approved while its status is “%(status)s”."),
    "reject": _("This profile cannot be returned while its status is “%(status)s”."),
    "renew": _("This profile cannot be renewed while its status is “%(status)s”."),
    "delete": _("Only drafts can be deleted; this profile's status is “%(status)s”."),
}


def _not_allowed(action: str, profile) -> TransitionError:
    return TransitionError(
        _REFUSALS[action], code="transition", params={"status": profile.get_status_display()}
    )


def _clean_fields(fields: dict) -> dict:
    """Reject unknown fields and normalise list values."""
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"Unknown profile fields: {', '.join(sorted(unknown))}")
    cleaned = dict(fields)
    for key in ("title", "text"):
        if key in cleaned and cleaned[key] is not None:
            cleaned[key] = str(cleaned[key]).strip()
    if "cooperation" in cleaned:
        values = list(dict.fromkeys(cleaned["cooperation"] or []))
        allowed = set(CooperationType.values)
        if any(v not in allowed for v in values):
            raise ValidationError(
                {"cooperation": _("Choose cooperation types from the list.")}, code="invalid"
            )
        cleaned["cooperation"] = values
    if "keywords" in cleaned:
        words = [str(w).strip() for w in (cleaned["keywords"] or []) if str(w).strip()]
        words = list(dict.fromkeys(words))
        if len(words) > MAX_KEYWORDS:
            raise ValidationError(
                {"keywords": gettext("Enter at most %(n)d keywords.") % {"n": MAX_KEYWORDS}},
                code="too_many",
            )
        cleaned["keywords"] = words
    if "target_countries" in cleaned:
        cleaned["target_countries"] = list(
            dict.fromkeys(c.upper() for c in (cleaned["target_countries"] or []))
        )
    if cleaned.get("language"):
        cleaned["language"] = cleaned["language"].lower()
        if not is_language(cleaned["language"]):
            raise ValidationError({"language": _("Unknown language.")}, code="invalid")
    return cleaned


def _validate(profile) -> None:
    profile.full_clean(exclude=["organization", "reviewed_by", "created_by"])
    if not profile.cooperation:
        raise ValidationError(
            {"cooperation": _("Choose at least one kind of cooperation.")}, code="required"
        )


def guess_language(organization, title: str, text: str) -> str:
    """The language a profile is written in: detected, else the organisation's first one."""
    detected = detect_language(f"{title}\n{text}")
    if detected:
        return detected
    languages = list(organization.languages or [])
    return languages[0] if languages else "en"


def create_profile(organization, by, **fields) -> CooperationProfile:
    """Create a draft profile of ``organization`` written by ``by``."""
    fields = _clean_fields(fields)
    profile = CooperationProfile(organization=organization, created_by=by, **fields)
    if not profile.language:
        profile.language = guess_language(organization, profile.title, profile.text)
    profile.status = ProfileStatus.DRAFT
    _validate(profile)
    with transaction.atomic():
        profile.save()
    logger.info("profile %s created by user %s", profile.pk, _uid(by))
    return profile


def update_profile(profile, by, **fields) -> CooperationProfile:
    """Change a profile's texts and classification.

    Its authors edit drafts, returned, published and expired profiles; an
    edited published or expired profile goes back to review.  Reviewers
    (staff serving the organisation) may correct it in any status without
    changing the status.
    """
    fields = _clean_fields(fields)
    reviewer = bool(by) and by.has_perm("profiles.review_profile", profile)
    with transaction.atomic():
        current = _locked(profile)
        if not reviewer and not current.is_editable:
            raise _not_allowed("edit", current)
        for key, value in fields.items():
            setattr(current, key, value)
        if "language" in fields and not fields["language"]:
            current.language = guess_language(current.organization, current.title, current.text)
        _validate(current)
        resubmitted = False
        if not reviewer and current.status in {ProfileStatus.PUBLISHED, ProfileStatus.EXPIRED}:
            current.status = ProfileStatus.SUBMITTED
            current.submitted_at = timezone.now()
            resubmitted = True
        current.save()
        if resubmitted:
            _mail_reviewers(current)
    _refresh(profile, current)
    logger.info("profile %s updated by user %s", profile.pk, _uid(by))
    return profile


def _mail_reviewers(profile) -> None:
    """Tell the staff serving the organisation; without such organisers, the platform admins."""
    context = {"profile": profile, "organization": profile.organization}
    organizers = profile.organization.organizers.all()
    if not mail_organizer_staff(organizers, "profile_submitted", context):
        mail_platform_admins("profile_submitted", context)


def submit_profile(profile, by) -> CooperationProfile:
    """Send a draft or returned profile to the organisers for review."""
    with transaction.atomic():
        current = _locked(profile)
        if current.status not in {ProfileStatus.DRAFT, ProfileStatus.REJECTED}:
            raise _not_allowed("submit", current)
        _validate(current)
        current.status = ProfileStatus.SUBMITTED
        current.submitted_at = timezone.now()
        current.save()
        _mail_reviewers(current)
    _refresh(profile, current)
    logger.info("profile %s submitted by user %s", profile.pk, _uid(by))
    return profile


def withdraw_profile(profile, by) -> CooperationProfile:
    """Take a submitted or published profile back to draft."""
    with transaction.atomic():
        current = _locked(profile)
        if current.status not in {ProfileStatus.SUBMITTED, ProfileStatus.PUBLISHED}:
            raise _not_allowed("withdraw", current)
        current.status = ProfileStatus.DRAFT
        current.save()
    _refresh(profile, current)
    logger.info("profile %s withdrawn by user %s", profile.pk, _uid(by))
    return profile


def _validity(today=None) -> datetime.date:
    today = today or timezone.localdate()
    return today + datetime.timedelta(days=settings.QIAO_PROFILE_VALIDITY_DAYS)


def approve_profile(profile, by) -> CooperationProfile:
    """Publish a submitted profile for ``QIAO_PROFILE_VALIDITY_DAYS`` and tell its authors."""
    with transaction.atomic():
        current = _locked(profile)
        if current.status != ProfileStatus.SUBMITTED:
            raise _not_allowed("approve", current)
        current.status = ProfileStatus.PUBLISHED
        current.published_at = timezone.now()
        current.reviewed_by = by
        current.rejection_reason = ""
        current.valid_until = _validity()
        current.save()
        mail_representatives(
            current.organization, "profile_approved",
            {"profile": current, "organization": current.organization},
        )
    _refresh(profile, current)
    logger.info("profile %s approved by user %s", profile.pk, _uid(by))
    return profile


def reject_profile(profile, by, reason: str) -> CooperationProfile:
    """Return a submitted (or take down a published) profile with a reason for its authors."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            {"reason": _("Tell the authors why the profile is returned.")}, code="required"
        )
    with transaction.atomic():
        current = _locked(profile)
        if current.status not in {ProfileStatus.SUBMITTED, ProfileStatus.PUBLISHED}:
            raise _not_allowed("reject", current)
        current.status = ProfileStatus.REJECTED
        current.rejection_reason = reason
        current.reviewed_by = by
        current.save()
        mail_representatives(
            current.organization, "profile_rejected",
            {"profile": current, "organization": current.organization, "reason": reason},
        )
    _refresh(profile, current)
    logger.info("profile %s returned by user %s", profile.pk, _uid(by))
    return profile


def renew_profile(profile, by) -> CooperationProfile:
    """Extend a published or expired profile by a fresh validity period."""
    with transaction.atomic():
        current = _locked(profile)
        if current.status not in {ProfileStatus.PUBLISHED, ProfileStatus.EXPIRED}:
            raise _not_allowed("renew", current)
        current.status = ProfileStatus.PUBLISHED
        current.valid_until = _validity()
        current.save()
    _refresh(profile, current)
    logger.info("profile %s renewed by user %s", profile.pk, _uid(by))
    return profile


def delete_profile(profile, by) -> None:
    """Delete a draft profile (submitted or published ones are withdrawn first)."""
    with transaction.atomic():
        current = _locked(profile)
        if current.status != ProfileStatus.DRAFT:
            raise _not_allowed("delete", current)
        pk = current.pk
        current.delete()
    logger.info("profile %s deleted by user %s", pk, _uid(by))


def expire_profiles(today=None) -> int:
    """Mark published profiles whose validity ended before ``today`` as expired."""
    today = today or timezone.localdate()
    expired = []
    with transaction.atomic():
        due = CooperationProfile.objects.select_for_update().filter(
            status=ProfileStatus.PUBLISHED, valid_until__lt=today
        ).select_related("organization")
        for profile in due:
            profile.status = ProfileStatus.EXPIRED
            profile.save(update_fields=["status", "updated_at"])
            expired.append(profile)
            mail_representatives(
                profile.organization, "profile_expired",
                {"profile": profile, "organization": profile.organization},
            )
    logger.info("%d profile(s) expired", len(expired))
    return len(expired)
