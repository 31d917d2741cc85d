"""Meeting requests between registrations and the meetings the scheduler places.

The request workflow and the scheduler arrive with the events issue; here are
the data and their integrity rules.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


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
    priority = models.PositiveSmallIntegerField(_("priority"), default=1)
    status = models.CharField(
        _("status"), max_length=12, choices=MeetingRequestStatus.choices,
        default=MeetingRequestStatus.PENDING, db_index=True,
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


class Meeting(models.Model):
    """A 1:1 meeting placed in a slot, at a table or online."""

    event = models.ForeignKey(
        "events.Event", on_delete=models.CASCADE, related_name="meetings", verbose_name=_("event")
    )
    request = models.OneToOneField(
        MeetingRequest, on_delete=models.CASCADE, related_name="meeting",
        verbose_name=_("request"),
    )
    starts_at = models.DateTimeField(_("starts at"), null=True, blank=True)
    ends_at = models.DateTimeField(_("ends at"), null=True, blank=True)
    table = models.PositiveSmallIntegerField(_("table"), null=True, blank=True)
    is_remote = models.BooleanField(_("online"), default=False)
    remote_link = models.URLField(_("video link"), blank=True)
    is_locked = models.BooleanField(_("locked"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["event", "starts_at", "table"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "starts_at", "table"],
                condition=models.Q(table__isnull=False, starts_at__isnull=False),
                name="one_meeting_per_table_and_slot",
            )
        ]

    def __str__(self) -> str:
        return str(self.request)
