"""Matchmaking data: settings, sessions and slots, availability, requests, meetings, runs.

The integrity rules that matter under concurrency live in the database:

* ``MeetingSeat`` holds one row per participant (registration) and per
  interpreter of a scheduled meeting, unique per slot — two transactions can
  never book the same person or interpreter into the same slot twice;
* ``Meeting`` is unique per (slot, table) where a table is set.

State changes go through :mod:`qiao.meetings.services`.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from qiao.core.fields import TranslatedTextField
from qiao.core.i18n import translated
from qiao.core.validators import validate_language_list
from qiao.people.models import validate_timezone


class Phase(models.TextChoices):
    REQUESTS_OPEN = "requests_open", _("Meeting requests open")
    SCHEDULING = "scheduling", _("Agenda being scheduled")
    PUBLISHED = "published", _("Agenda published")
    LIVE = "live", _("Meetings under way")
    CLOSED = "closed", _("Closed")


#: Phases in which participants may send and answer meeting requests.
REQUEST_PHASES = (Phase.REQUESTS_OPEN, Phase.PUBLISHED, Phase.LIVE)
#: Phases in which the agenda is visible and new meetings are placed at once.
AGENDA_PHASES = (Phase.PUBLISHED, Phase.LIVE)


class MatchmakingSettings(models.Model):
    """How an event's 1:1 meetings run: slot grid, tables, phase, limits, online meetings."""

    event = models.OneToOneField(
        "events.Event", on_delete=models.CASCADE, related_name="matchmaking",
        verbose_name=_("event"),
    )
    slot_minutes = models.PositiveSmallIntegerField(
        _("meeting length (minutes)"), default=25,
        validators=[MinValueValidator(5), MaxValueValidator(240)],
    )
    pause_minutes = models.PositiveSmallIntegerField(
        _("pause between meetings (minutes)"), default=5, validators=[MaxValueValidator(120)],
    )
    default_tables = models.PositiveSmallIntegerField(
        _("tables per slot"), default=20, validators=[MaxValueValidator(2000)],
        help_text=_("Used for sessions that do not set their own number of tables."),
    )
    phase = models.CharField(
        _("phase"), max_length=16, choices=Phase.choices, default=Phase.REQUESTS_OPEN,
    )
    max_requests_sent = models.PositiveSmallIntegerField(
        _("open requests per participant"), null=True, blank=True, default=30,
        help_text=_("How many pending or accepted requests a participant may have sent; "
                    "empty means no limit."),
    )
    max_meetings = models.PositiveSmallIntegerField(
        _("meetings per participant"), null=True, blank=True,
        help_text=_("How many meetings a participant may accept in total; empty means no limit."),
    )
    remote_meetings = models.BooleanField(
        _("online meetings offered"), default=True,
        help_text=_("Participants who attend online meet their partners by video link."),
    )
    video_link_template = models.CharField(
        _("video link template"), max_length=500, blank=True,
        help_text=_("Address of the video room of an online meeting; {event}, {meeting} and "
                    "{token} are replaced, e.g. https://meet.jit.si/qiao-{event}-{token}."),
    )
    agenda_published_at = models.DateTimeField(_("agenda published at"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("matchmaking settings")
        verbose_name_plural = _("matchmaking settings")

    def __str__(self) -> str:
        return str(self.event)

    @property
    def accepts_requests(self) -> bool:
        """Whether participants may send and answer requests in the current phase."""
        return self.phase in REQUEST_PHASES

    @property
    def agenda_is_published(self) -> bool:
        """Whether participants see their agenda and new meetings are placed at once."""
        return self.phase in AGENDA_PHASES


class Session(models.Model):
    """A block of meeting slots on one day, e.g. the morning or the afternoon."""

    event = models.ForeignKey(
        "events.Event", on_delete=models.CASCADE, related_name="meeting_sessions",
        verbose_name=_("event"),
    )
    name = TranslatedTextField(_("name"), max_length=100)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    tables = models.PositiveSmallIntegerField(
        _("tables"), null=True, blank=True,
        help_text=_("Empty means the event's default number of tables."),
    )

    class Meta:
        verbose_name = _("meeting session")
        verbose_name_plural = _("meeting sessions")
        ordering = ["event", "starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="meeting_session_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return translated(self.name) or f"{self.starts_at:%Y-%m-%d %H:%M}"


class Slot(models.Model):
    """One time slot of an event in which every participant can have one meeting."""

    event = models.ForeignKey(
        "events.Event", on_delete=models.CASCADE, related_name="slots", verbose_name=_("event")
    )
    session = models.ForeignKey(
        Session, on_delete=models.SET_NULL, null=True, blank=True, related_name="slots",
        verbose_name=_("session"),
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    tables = models.PositiveSmallIntegerField(_("tables"), default=0)

    class Meta:
        verbose_name = _("slot")
        verbose_name_plural = _("slots")
        ordering = ["event", "starts_at"]
        constraints = [
            models.UniqueConstraint(fields=["event", "starts_at"], name="one_slot_per_start"),
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="slot_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.starts_at:%Y-%m-%d %H:%M}–{self.ends_at:%H:%M}"

    @property
    def key(self) -> str:
        """The slot's id in scheduling instances."""
        return f"s{self.pk}"


class Interpreter(models.Model):
    """An interpreter the organiser can assign to meetings without a common language."""

    event = models.ForeignKey(
        "events.Event", on_delete=models.CASCADE, related_name="interpreters",
        verbose_name=_("event"),
    )
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("email"), blank=True)
    languages = models.JSONField(_("languages"), default=list, validators=[validate_language_list])
    available_slots = models.ManyToManyField(
        Slot, blank=True, related_name="interpreters", verbose_name=_("available in"),
    )

    class Meta:
        verbose_name = _("interpreter")
        verbose_name_plural = _("interpreters")
        ordering = ["event", "name", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def key(self) -> str:
        """The interpreter's id in scheduling instances."""
        return f"i{self.pk}"


class AvailabilityMode(models.TextChoices):
    WHOLE_EVENT = "all", _("The whole event")
    DAYS = "days", _("Some days")
    HOURS = "hours", _("Certain hours")


class AvailabilityRule(models.Model):
    """How a participant stated their availability; the ``Availability`` rows follow from it.

    Hours are local times in ``timezone`` (a remote participant's own zone); a
    slot counts when it lies fully inside the hours on a chosen day (in that zone).
    """

    registration = models.OneToOneField(
        "events.Registration", on_delete=models.CASCADE, related_name="availability_rule",
        verbose_name=_("registration"),
    )
    mode = models.CharField(
        _("available"), max_length=8, choices=AvailabilityMode.choices,
        default=AvailabilityMode.WHOLE_EVENT,
    )
    days = models.JSONField(_("days"), default=list, blank=True)
    start_time = models.TimeField(_("from"), null=True, blank=True)
    end_time = models.TimeField(_("until"), null=True, blank=True)
    timezone = models.CharField(
        _("time zone"), max_length=64, blank=True, validators=[validate_timezone],
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("availability")
        verbose_name_plural = _("availabilities")

    def __str__(self) -> str:
        return f"{self.registration} ({self.get_mode_display()})"


class Availability(models.Model):
    """A participant (registration) is available for meetings in a slot."""

    registration = models.ForeignKey(
        "events.Registration", on_delete=models.CASCADE, related_name="available_slots",
        verbose_name=_("registration"),
    )
    slot = models.ForeignKey(
        Slot, on_delete=models.CASCADE, related_name="availabilities", verbose_name=_("slot")
    )

    class Meta:
        verbose_name = _("available slot")
        verbose_name_plural = _("available slots")
        constraints = [
            models.UniqueConstraint(fields=["registration", "slot"], name="unique_availability")
        ]

    def __str__(self) -> str:
        return f"{self.registration} @ {self.slot}"


class MeetingRequestStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    CANCELLED = "cancelled", _("Cancelled")


class MeetingRequest(models.Model):
    """One registration asks another for a 1:1 meeting at the same event."""

    event = models.ForeignKey(
        "events.Event", on_delete=models.CASCADE, related_name="meeting_requests",
        verbose_name=_("event"),
    )
    requester = models.ForeignKey(
        "events.Registration", on_delete=models.CASCADE, related_name="requests_sent",
        verbose_name=_("requested by"),
    )
    recipient = models.ForeignKey(
        "events.Registration", on_delete=models.CASCADE, related_name="requests_received",
        verbose_name=_("requested from"),
    )
    message = models.TextField(_("message"), blank=True, max_length=2000)
    priority = models.PositiveSmallIntegerField(
        _("priority"), default=1, validators=[MinValueValidator(1), MaxValueValidator(3)],
    )
    recipient_priority = models.PositiveSmallIntegerField(
        _("priority of the recipient"), null=True, blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(3)],
    )
    wants_remote = models.BooleanField(_("online meeting wished"), default=False)
    status = models.CharField(
        _("status"), max_length=12, choices=MeetingRequestStatus.choices,
        default=MeetingRequestStatus.PENDING, db_index=True,
    )
    decline_reason = models.TextField(_("reason for declining"), blank=True, max_length=1000)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("sent by"),
    )
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("answered by"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("meeting request")
        verbose_name_plural = _("meeting requests")
        ordering = ["event", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(requester=models.F("recipient")),
                name="meeting_request_not_to_self",
            ),
            models.UniqueConstraint(
                fields=["requester", "recipient"],
                condition=models.Q(status__in=["pending", "accepted"]),
                name="one_open_request_per_pair",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.requester.organization} → {self.recipient.organization}"

    @property
    def effective_priority(self) -> int:
        """The higher of the two sides' priorities."""
        return max(self.priority or 1, self.recipient_priority or 1)


class MeetingStatus(models.TextChoices):
    UNSCHEDULED = "unscheduled", _("Not yet scheduled")
    SCHEDULED = "scheduled", _("Scheduled")
    CANCELLED = "cancelled", _("Cancelled")


class Meeting(models.Model):
    """An accepted 1:1 meeting; once scheduled it has a slot and a table or a video link."""

    event = models.ForeignKey(
        "events.Event", on_delete=models.CASCADE, related_name="meetings", verbose_name=_("event")
    )
    request = models.OneToOneField(
        MeetingRequest, on_delete=models.CASCADE, related_name="meeting",
        verbose_name=_("request"),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=MeetingStatus.choices,
        default=MeetingStatus.UNSCHEDULED, db_index=True,
    )
    slot = models.ForeignKey(
        Slot, on_delete=models.PROTECT, null=True, blank=True, related_name="meetings",
        verbose_name=_("slot"),
    )
    table = models.PositiveSmallIntegerField(_("table"), null=True, blank=True)
    is_remote = models.BooleanField(_("online"), default=False)
    remote_link = models.URLField(_("video link"), blank=True, max_length=500)
    interpreter = models.ForeignKey(
        Interpreter, on_delete=models.SET_NULL, null=True, blank=True, related_name="meetings",
        verbose_name=_("interpreter"),
    )
    is_locked = models.BooleanField(
        _("locked"), default=False,
        help_text=_("A locked meeting keeps its slot when the agenda is scheduled again."),
    )
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("cancelled by"),
    )
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True, max_length=1000)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["event", "slot__starts_at", "table", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["slot", "table"], condition=models.Q(table__isnull=False),
                name="one_meeting_per_table_and_slot",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(status="scheduled", slot__isnull=False)
                    | (~models.Q(status="scheduled") & models.Q(slot__isnull=True))
                ),
                name="meeting_slot_iff_scheduled",
            ),
            models.CheckConstraint(
                condition=models.Q(table__isnull=True) | models.Q(is_remote=False),
                name="meeting_online_has_no_table",
            ),
            models.CheckConstraint(
                condition=models.Q(table__isnull=True) | models.Q(slot__isnull=False),
                name="meeting_table_needs_slot",
            ),
        ]

    def __str__(self) -> str:
        return str(self.request)

    @property
    def key(self) -> str:
        """The meeting's id in scheduling instances."""
        return f"m{self.pk}"

    @property
    def registrations(self):
        """Both sides' registrations (requester first)."""
        return (self.request.requester, self.request.recipient)

    def other_side(self, registration):
        """The registration facing ``registration`` in this meeting."""
        requester, recipient = self.registrations
        return recipient if registration.pk == requester.pk else requester


class MeetingSeat(models.Model):
    """A participant's or interpreter's place in a scheduled meeting: the double-booking guard.

    Exactly one of ``registration`` and ``interpreter`` is set; each is unique
    per slot, so the database refuses a second booking whatever the race.
    """

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="seats", verbose_name=_("meeting")
    )
    slot = models.ForeignKey(
        Slot, on_delete=models.CASCADE, related_name="seats", verbose_name=_("slot")
    )
    registration = models.ForeignKey(
        "events.Registration", on_delete=models.CASCADE, null=True, blank=True,
        related_name="meeting_seats", verbose_name=_("registration"),
    )
    interpreter = models.ForeignKey(
        Interpreter, on_delete=models.CASCADE, null=True, blank=True, related_name="seats",
        verbose_name=_("interpreter"),
    )

    class Meta:
        verbose_name = _("meeting seat")
        verbose_name_plural = _("meeting seats")
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "slot"], condition=models.Q(registration__isnull=False),
                name="one_meeting_per_participant_and_slot",
            ),
            models.UniqueConstraint(
                fields=["interpreter", "slot"], condition=models.Q(interpreter__isnull=False),
                name="one_meeting_per_interpreter_and_slot",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(registration__isnull=False, interpreter__isnull=True)
                    | models.Q(registration__isnull=True, interpreter__isnull=False)
                ),
                name="seat_is_participant_or_interpreter",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.registration or self.interpreter} @ {self.slot}"


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    FINISHED = "finished", _("Finished")
    FAILED = "failed", _("Failed")


class SchedulingRun(models.Model):
    """One run of the scheduler for an event: progress, result summary and the solution.

    ``summary`` holds placed and unplaced meetings (with reasons), breaks per
    participant, weight, bounds and the solver status; ``solution`` the
    qiao-schedule/1 document, applied with ``apply_solution`` when the
    organiser accepts it (``applied_at``).
    """

    event = models.ForeignKey(
        "events.Event", on_delete=models.CASCADE, related_name="scheduling_runs",
        verbose_name=_("event"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=RunStatus.choices, default=RunStatus.QUEUED,
        db_index=True,
    )
    progress = models.PositiveSmallIntegerField(
        _("progress (%)"), default=0, validators=[MaxValueValidator(100)],
    )
    time_limit = models.PositiveIntegerField(_("time limit (seconds)"), default=60)
    options = models.JSONField(_("options"), default=dict, blank=True)
    summary = models.JSONField(_("summary"), default=dict, blank=True)
    solution = models.JSONField(_("solution"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("started by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    applied_at = models.DateTimeField(_("applied at"), null=True, blank=True)

    class Meta:
        verbose_name = _("scheduling run")
        verbose_name_plural = _("scheduling runs")
        ordering = ["event", "-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(progress__lte=100), name="scheduling_run_progress_percent"
            )
        ]

    def __str__(self) -> str:
        return f"{self.event} – {self.get_status_display()} ({self.created_at:%Y-%m-%d %H:%M})"
