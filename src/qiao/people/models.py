"""User accounts: email login, languages, preferred UI language, time zone, consents."""

from __future__ import annotations

import zoneinfo

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone as dj_timezone
from django.utils.translation import gettext_lazy as _


def validate_timezone(value: str) -> None:
    """Reject names that are not IANA time zones."""
    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("Unknown time zone: %(tz)s"), params={"tz": value})


class UserManager(BaseUserManager):
    """Creates users identified by their email address."""

    use_in_migrations = True

    def _create(self, email, password, **extra):
        if not email:
            raise ValueError("An email address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        """Create an ordinary account."""
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        """Create a platform administrator."""
        extra["is_staff"] = True
        extra["is_superuser"] = True
        return self._create(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who logs in with an email address.

    ``is_superuser`` marks platform administrators; organiser staff are linked
    through :class:`qiao.organizers.models.StaffMembership`, participants
    through :class:`qiao.organizations.models.Membership`.
    """

    email = models.EmailField(_("email address"), unique=True)
    name = models.CharField(_("name"), max_length=150)
    name_latin = models.CharField(
        _("name in Latin script"), max_length=150, blank=True,
        help_text=_("For Chinese names: the pinyin spelling."),
    )
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    position = models.CharField(_("position"), max_length=120, blank=True)
    languages = models.JSONField(_("spoken languages"), default=list, blank=True)
    preferred_language = models.CharField(
        _("preferred language"), max_length=10, choices=settings.LANGUAGES, default="en"
    )
    timezone = models.CharField(
        _("time zone"), max_length=64, default="Europe/Berlin", validators=[validate_timezone]
    )
    accepted_terms_at = models.DateTimeField(_("accepted the terms at"), null=True, blank=True)
    consent_listing = models.BooleanField(
        _("may be listed to other participants"), default=False,
        help_text=_("Show my name and position to other participants of events I attend."),
    )
    is_staff = models.BooleanField(
        _("admin site access"), default=False,
        help_text=_("Platform administrators may open the admin site."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("joined"), default=dj_timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["name", "email"]

    def __str__(self) -> str:
        return self.name or self.email

    def get_full_name(self) -> str:
        """Name as shown in lists."""
        return self.name or self.email

    def get_short_name(self) -> str:
        """Name as shown in greetings."""
        return self.name or self.email

    def clean(self):
        """Normalise the email address."""
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email).lower()
