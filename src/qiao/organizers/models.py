"""Organisers (contact office, cluster, innovation centre) and their staff."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from qiao.core.fields import TranslatedTextField
from qiao.core.i18n import translated


class Organizer(models.Model):
    """A body that runs events and reviews profiles, e.g. the Jinan contact office in Dresden."""

    slug = models.SlugField(_("short name"), unique=True, max_length=60)
    name = TranslatedTextField(_("name"), max_length=200)
    description = TranslatedTextField(_("description"), blank=True, multiline=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    country = models.CharField(_("country"), max_length=2, blank=True)
    website = models.URLField(_("website"), blank=True)
    email = models.EmailField(_("contact email"), blank=True)
    timezone = models.CharField(_("time zone"), max_length=64, default="Europe/Berlin")
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="StaffMembership", related_name="organizers",
        verbose_name=_("staff"),
    )

    class Meta:
        verbose_name = _("organiser")
        verbose_name_plural = _("organisers")
        ordering = ["slug"]

    def __str__(self) -> str:
        return translated(self.name) or self.slug

    @property
    def display_name(self) -> str:
        """Name in the active UI language."""
        return translated(self.name)


class StaffMembership(models.Model):
    """Links a user to an organiser's back office."""

    class Role(models.TextChoices):
        MANAGER = "manager", _("Manager")
        STAFF = "staff", _("Staff")

    organizer = models.ForeignKey(
        Organizer, on_delete=models.CASCADE, related_name="memberships",
        verbose_name=_("organiser"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_memberships",
        verbose_name=_("user"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.STAFF)

    class Meta:
        verbose_name = _("staff membership")
        verbose_name_plural = _("staff memberships")
        constraints = [
            models.UniqueConstraint(fields=["organizer", "user"], name="unique_staff_membership")
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organizer}"
