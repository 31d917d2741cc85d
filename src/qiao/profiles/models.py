"""Cooperation profiles: an organisation's offers and requests."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qiao.core.choices import Direction, Topic
from qiao.core.validators import validate_country_list


class ProfileStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Awaiting review")
    PUBLISHED = "published", _("Published")
    REJECTED = "rejected", _("Returned for changes")
    EXPIRED = "expired", _("Expired")


class ProfileQuerySet(models.QuerySet):
    """Reusable filters for profiles."""

    def published(self):
        """Profiles visible to everyone: published and not past their validity."""
        today = timezone.localdate()
        return self.filter(status=ProfileStatus.PUBLISHED).filter(
            models.Q(valid_until__isnull=True) | models.Q(valid_until__gte=today)
        )


class CooperationProfile(models.Model):
    """An offer or a request, written in its author's own language.

    Lifecycle: draft → submitted → published (after staff review) or rejected
    (with a reason; can be edited and submitted again) → expired after the
    validity period (renewable).
    """

    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.CASCADE, related_name="profiles",
        verbose_name=_("organisation"),
    )
    external_id = models.CharField(
        _("external id"), max_length=64, unique=True, null=True, blank=True
    )
    direction = models.CharField(_("offer or request"), max_length=10, choices=Direction.choices)
    topic = models.CharField(_("topic"), max_length=20, choices=Topic.choices)
    cooperation = models.JSONField(_("cooperation types"), default=list)
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("text"), max_length=20000)
    language = models.CharField(_("language"), max_length=8)
    keywords = models.JSONField(_("keywords"), default=list, blank=True)
    target_countries = models.JSONField(
        _("target countries"), default=list, blank=True, validators=[validate_country_list],
        help_text=_("Markets or partner countries sought; empty means any."),
    )
    extra = models.JSONField(_("extension data"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=ProfileStatus.choices, default=ProfileStatus.DRAFT,
        db_index=True,
    )
    rejection_reason = models.TextField(_("reason for returning"), blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("reviewed by"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ProfileQuerySet.as_manager()

    class Meta:
        verbose_name = _("cooperation profile")
        verbose_name_plural = _("cooperation profiles")
        ordering = ["-updated_at", "id"]
        indexes = [models.Index(fields=["status", "direction"])]

    def __str__(self) -> str:
        return self.title

    @property
    def is_editable(self) -> bool:
        """Participants edit drafts and returned profiles; published ones go back to review."""
        return self.status in {
            ProfileStatus.DRAFT, ProfileStatus.REJECTED, ProfileStatus.PUBLISHED,
            ProfileStatus.EXPIRED,
        }
