"""Organisations, the people who represent them, and their contacts."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import FileExtensionValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from pypinyin import lazy_pinyin

from qiao.core.choices import OrganizationKind
from qiao.core.validators import (
    validate_country_code,
    validate_language_list,
    validate_logo,
    validate_uscc,
    validate_vat,
)


def logo_path(instance, filename: str) -> str:
    """Store logos under a per-organisation folder with a neutral file name."""
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "png"
    return f"logos/{instance.pk or 'new'}/logo.{ext}"


def search_text(*values: str) -> str:
    """Build a lower-case search string that includes the pinyin of Chinese characters."""
    parts = []
    for value in values:
        if not value:
            continue
        parts.append(value.lower())
        if any("\u4e00" <= ch <= "\u9fff" for ch in value):
            syllables = lazy_pinyin(value)
            parts.append("".join(syllables).lower())
            parts.append(" ".join(syllables).lower())
    return " ".join(parts)


class Organization(models.Model):
    """A company, institute, university, cluster, public body or cultural institution."""

    external_id = models.CharField(
        _("external id"), max_length=64, unique=True, null=True, blank=True,
        help_text=_("Stable id used by imports; re-importing the same id updates."),
    )
    name = models.CharField(_("name"), max_length=200, help_text=_("In its own script."))
    name_latin = models.CharField(
        _("name in Latin script"), max_length=200, blank=True,
        help_text=_("Romanised name (pinyin) for search and badges."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=OrganizationKind.choices)
    country = models.CharField(_("country"), max_length=2, validators=[validate_country_code])
    region = models.CharField(_("region"), max_length=100, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    address = models.CharField(_("address"), max_length=250, blank=True)
    website = models.URLField(_("website"), blank=True)
    employees = models.PositiveIntegerField(_("employees"), null=True, blank=True)
    founded = models.PositiveSmallIntegerField(
        _("founding year"), null=True, blank=True,
        validators=[MinValueValidator(1000), MaxValueValidator(2100)],
    )
    languages = models.JSONField(
        _("working languages"), default=list, validators=[validate_language_list]
    )
    sectors = models.JSONField(_("NACE Rev.2 sectors"), default=list, blank=True)
    description = models.TextField(_("description"), blank=True, max_length=20000)
    description_language = models.CharField(_("language of the description"), max_length=8,
                                            blank=True)
    logo = models.ImageField(
        _("logo"), upload_to=logo_path, blank=True,
        validators=[validate_logo, FileExtensionValidator(["png", "jpg", "jpeg", "webp", "gif"])],
    )
    uscc = models.CharField(
        _("Unified Social Credit Code"), max_length=18, blank=True, validators=[validate_uscc]
    )
    vat = models.CharField(_("EU VAT number"), max_length=20, blank=True, validators=[validate_vat])
    register = models.CharField(_("register entry"), max_length=100, blank=True)
    email = models.EmailField(_("contact email"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    organizers = models.ManyToManyField(
        "organizers.Organizer", related_name="organizations", blank=True,
        verbose_name=_("served by organisers"),
    )
    extra = models.JSONField(_("extension data"), default=dict, blank=True)
    search_index = models.TextField(editable=False, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        """Keep the search string (with pinyin) in step with the names."""
        self.search_index = search_text(self.name, self.name_latin, self.city)
        super().save(*args, **kwargs)

    @property
    def display_name(self) -> str:
        """Name plus romanised name where they differ."""
        if self.name_latin and self.name_latin != self.name:
            return f"{self.name} ({self.name_latin})"
        return self.name


class Membership(models.Model):
    """A user who represents an organisation (may edit its data and profiles)."""

    class Role(models.TextChoices):
        ADMIN = "admin", _("Administrator")
        MEMBER = "member", _("Representative")

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="memberships",
        verbose_name=_("organisation"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships",
        verbose_name=_("user"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.MEMBER)

    class Meta:
        verbose_name = _("representative")
        verbose_name_plural = _("representatives")
        constraints = [
            models.UniqueConstraint(fields=["organization", "user"], name="unique_membership")
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.organization}"


class Contact(models.Model):
    """A contact person of an organisation without an account (e.g. from an import)."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="contacts",
        verbose_name=_("organisation"),
    )
    name = models.CharField(_("name"), max_length=150)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    role = models.CharField(_("role"), max_length=120, blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    position = models.PositiveIntegerField(default=0)
    extra = models.JSONField(_("extension data"), default=dict, blank=True)

    class Meta:
        verbose_name = _("contact person")
        verbose_name_plural = _("contact persons")
        ordering = ["organization", "position", "id"]

    def __str__(self) -> str:
        return self.name
