"""Introductions: the office puts two organisations in touch, both sides agree."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class IntroductionStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested by a participant")
    PROPOSED = "proposed", _("Proposed to both sides")
    ACCEPTED_BY_A = "accepted_by_a", _("Accepted by the first side")
    ACCEPTED_BY_B = "accepted_by_b", _("Accepted by the second side")
    ACCEPTED = "accepted", _("Accepted by both sides")
    DECLINED = "declined", _("Declined")


#: Introductions still waiting for someone.
OPEN_STATUSES = (
    IntroductionStatus.REQUESTED, IntroductionStatus.PROPOSED,
    IntroductionStatus.ACCEPTED_BY_A, IntroductionStatus.ACCEPTED_BY_B,
)


class Introduction(models.Model):
    """An introduction of ``org_a`` and ``org_b`` by an organiser's office.

    Lifecycle: requested (a participant asked the office) → proposed (the
    office wrote to both sides, with the reasons) → accepted by one side →
    accepted (both agreed; they see each other's contact data) or declined.
    ``reasons`` are stored as the engine's reasons seen from ``org_a``.
    """

    organizer = models.ForeignKey(
        "organizers.Organizer", on_delete=models.CASCADE, related_name="introductions",
        verbose_name=_("organiser"),
    )
    event = models.ForeignKey(
        "events.Event", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="introductions", verbose_name=_("event"),
    )
    org_a = models.ForeignKey(
        "organizations.Organization", on_delete=models.CASCADE, related_name="+",
        verbose_name=_("first organisation"),
    )
    org_b = models.ForeignKey(
        "organizations.Organization", on_delete=models.CASCADE, related_name="+",
        verbose_name=_("second organisation"),
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("requested by"),
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("proposed by"),
    )
    note = models.TextField(_("note"), blank=True, max_length=2000)
    request_note = models.TextField(_("message from the requesting side"), blank=True,
                                    max_length=2000)
    status = models.CharField(
        _("status"), max_length=16, choices=IntroductionStatus.choices,
        default=IntroductionStatus.PROPOSED, db_index=True,
    )
    declined_by = models.ForeignKey(
        "organizations.Organization", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("declined by"),
    )
    reasons = models.JSONField(_("reasons"), default=list, blank=True)
    score = models.FloatField(_("score"), default=0.0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    proposed_at = models.DateTimeField(_("proposed at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("introduction")
        verbose_name_plural = _("introductions")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(org_a=models.F("org_b")), name="introduction_two_sides"
            )
        ]

    def __str__(self) -> str:
        return f"{self.org_a} ↔ {self.org_b}"

    @property
    def is_open(self) -> bool:
        """Whether the introduction still waits for an answer."""
        return self.status in OPEN_STATUSES

    def side_of(self, organization) -> str | None:
        """``"a"`` or ``"b"`` for one of the two organisations, else ``None``."""
        pk = getattr(organization, "pk", organization)
        if pk == self.org_a_id:
            return "a"
        if pk == self.org_b_id:
            return "b"
        return None

    def partner_of(self, organization):
        """The other organisation."""
        return self.org_b if self.side_of(organization) == "a" else self.org_a

    def has_accepted(self, organization) -> bool:
        """Whether ``organization`` has agreed to the introduction."""
        side = self.side_of(organization)
        if self.status == IntroductionStatus.ACCEPTED:
            return side is not None
        return (side, self.status) in {
            ("a", IntroductionStatus.ACCEPTED_BY_A), ("b", IntroductionStatus.ACCEPTED_BY_B),
        }

    def reasons_for(self, organization) -> list[dict]:
        """The stored reasons seen from ``organization`` (the other side's are flipped)."""
        from qiao.recommendations.presentation import flip, reason_from_dict, reason_to_dict

        if self.side_of(organization) == "b":
            return [reason_to_dict(flip(reason_from_dict(r))) for r in self.reasons]
        return list(self.reasons)
