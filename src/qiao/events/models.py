"""Events, their programme, sponsors and registrations."""

from __future__ import annotations

import zoneinfo

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qiao.core.fields import TranslatedTextField
from qiao.core.i18n import translated
from qiao.core.validators import validate_language_list
from qiao.people.models import validate_timezone


class EventKind(models.TextChoices):
    MATCHMAKING = "matchmaking", _("Matchmaking day")
    CONFERENCE = "conference", _("Conference")
    DELEGATION = "delegation", _("Delegation trip")


class EventQuerySet(models.QuerySet):
    """Reusable event filters."""

    def public(self):
        """Events shown to visitors."""
        return self.filter(is_public=True)


class Event(models.Model):
    """A matchmaking day, conference or delegation trip run by one or more organisers."""

    slug = models.SlugField(_("short name"), unique=True, max_length=80)
    kind = models.CharField(_("kind"), max_length=20, choices=EventKind.choices)
    name = TranslatedTextField(_("name"), max_length=200)
    description = TranslatedTextField(_("description"), blank=True, multiline=True)
    organizers = models.ManyToManyField(
        "organizers.Organizer", through="EventOrganizer", related_name="events",
        verbose_name=_("organisers"),
    )
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    address = models.CharField(_("address"), max_length=250, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    country = models.CharField(_("country"), max_length=2, blank=True)
    timezone = models.CharField(
        _("time zone"), max_length=64, default="Europe/Berlin", validators=[validate_timezone]
    )
    start_date = models.DateField(_("first day"))
    end_date = models.DateField(_("last day"))
    languages = models.JSONField(
        _("languages"), default=list, validators=[validate_language_list]
    )
    registration_opens = models.DateTimeField(_("registration opens"), null=True, blank=True)
    registration_closes = models.DateTimeField(_("registration closes"), null=True, blank=True)
    capacity = models.PositiveIntegerField(
        _("capacity"), null=True, blank=True, help_text=_("Organisations; empty means no limit.")
    )
    is_public = models.BooleanField(_("shown to visitors"), default=True)
    allows_meeting_requests = models.BooleanField(_("meeting requests allowed"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["start_date", "slug"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")),
                name="event_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return translated(self.name) or self.slug

    @property
    def display_name(self) -> str:
        """Name in the active UI language."""
        return translated(self.name)

    @property
    def tzinfo(self) -> zoneinfo.ZoneInfo:
        """The event's time zone."""
        return zoneinfo.ZoneInfo(self.timezone)

    def registration_is_open(self, now=None) -> bool:
        """Whether registrations are accepted at ``now``."""
        now = now or timezone.now()
        if self.registration_opens and now < self.registration_opens:
            return False
        if self.registration_closes and now > self.registration_closes:
            return False
        return True


class EventOrganizer(models.Model):
    """An organiser of an event; co-organised events have several."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="organizer_links")
    organizer = models.ForeignKey(
        "organizers.Organizer", on_delete=models.CASCADE, related_name="event_links"
    )
    is_lead = models.BooleanField(_("lead organiser"), default=False)

    class Meta:
        verbose_name = _("event organiser")
        verbose_name_plural = _("event organisers")
        constraints = [
            models.UniqueConstraint(fields=["event", "organizer"], name="unique_event_organizer")
        ]

    def __str__(self) -> str:
        return f"{self.organizer} – {self.event}"


class ProgrammeItem(models.Model):
    """A talk, presentation or other item in an event's programme."""

    class Kind(models.TextChoices):
        TALK = "talk", _("Talk")
        PRESENTATION = "presentation", _("Presentation")
        MEETINGS = "meetings", _("Matchmaking meetings")
        VISIT = "visit", _("Visit")
        SOCIAL = "social", _("Reception or break")
        OTHER = "other", _("Other")

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="programme", verbose_name=_("event")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.TALK)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    title = TranslatedTextField(_("title"), max_length=200)
    description = TranslatedTextField(_("description"), blank=True, multiline=True)
    speaker = models.CharField(_("speaker"), max_length=200, blank=True)
    speaker_affiliation = models.CharField(_("speaker's affiliation"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("programme item")
        verbose_name_plural = _("programme items")
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="programme_item_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return translated(self.title)


class Sponsor(models.Model):
    """A body supporting participation in a delegation trip, and what it funds."""

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="sponsors", verbose_name=_("event")
    )
    name = TranslatedTextField(_("name"), max_length=200)
    funds = TranslatedTextField(_("what it funds"), blank=True, multiline=True)
    position = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("sponsor")
        verbose_name_plural = _("sponsors")
        ordering = ["event", "position", "id"]

    def __str__(self) -> str:
        return translated(self.name)


class RegistrationStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Declined")
    CANCELLED = "cancelled", _("Cancelled")


class Attendance(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    REMOTE = "remote", _("Online")


class Registration(models.Model):
    """An organisation's registration for an event, approved by the organiser's staff."""

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="registrations", verbose_name=_("event")
    )
    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.CASCADE, related_name="registrations",
        verbose_name=_("organisation"),
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="registrations", verbose_name=_("registered by"),
    )
    representatives = models.TextField(
        _("representatives"), blank=True, help_text=_("Names of the people who attend.")
    )
    languages = models.JSONField(_("meeting languages"), default=list, blank=True)
    attendance = models.CharField(
        _("attendance"), max_length=12, choices=Attendance.choices, default=Attendance.IN_PERSON
    )
    message = models.TextField(_("message to the organiser"), blank=True, max_length=2000)
    status = models.CharField(
        _("status"), max_length=12, choices=RegistrationStatus.choices,
        default=RegistrationStatus.PENDING, db_index=True,
    )
    decision_note = models.TextField(_("note on the decision"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)
    # Part of the private calendar feed's signed address (qiao.documents.tokens); a new
    # value revokes the old address. Empty until the participant first resets it.
    feed_nonce = models.CharField(_("calendar address key"), max_length=32, blank=True,
                                  editable=False)

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["event", "created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "organization"], name="unique_registration_per_event"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organization} @ {self.event}"
