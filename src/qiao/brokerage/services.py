"""State changes of introductions (the only place that saves them).

* :func:`request_introduction` — a participant asks the office to introduce
  their organisation to a partner whose contact data they cannot see;
* :func:`propose_introduction` — the office writes to both sides, with the
  reasons why they fit, each in the recipient's language;
* :func:`respond_to_introduction` — each side accepts or declines; once both
  accepted, they see each other's contact data and are told so;
* :func:`dismiss_request` — the office does not follow a participant's request
  and tells the requesting side why.
"""

from __future__ import annotations

import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qiao.brokerage.models import OPEN_STATUSES, Introduction, IntroductionStatus
from qiao.core.errors import TransitionError
from qiao.core.mail import mail_organizer_staff, mail_representatives

logger = logging.getLogger("qiao.brokerage")

MAX_NOTE = 2000


def _uid(user) -> int | None:
    return getattr(user, "pk", None)


def _clean_note(note: str | None) -> str:
    note = (note or "").strip()
    if len(note) > MAX_NOTE:
        raise ValidationError(
            {"note": _("Please keep the note under %(max)d characters.") % {"max": MAX_NOTE}},
            code="max_length",
        )
    return note


def open_between(org_a, org_b):
    """Open introductions between the two organisations (in either order)."""
    return Introduction.objects.filter(status__in=OPEN_STATUSES).filter(
        Q(org_a=org_a, org_b=org_b) | Q(org_a=org_b, org_b=org_a)
    )


def _check_pair(org_a, org_b) -> None:
    if org_a.pk == org_b.pk:
        raise ValidationError(_("An organisation cannot be introduced to itself."),
                              code="same_organization")


def _approved_at(event, organization) -> bool:
    from qiao.events.models import RegistrationStatus

    return event.registrations.filter(
        organization=organization, status=RegistrationStatus.APPROVED
    ).exists()


def _office_for(organization, partner, event=None):
    """The organiser that handles a participant's request."""
    if event is not None:
        links = event.organizer_links.select_related("organizer").order_by("-is_lead", "id")
        link = links.first()
        if link is not None:
            return link.organizer
    for org in (organization, partner):
        organizer = org.organizers.order_by("pk").first()
        if organizer is not None:
            return organizer
    return None


def _context(introduction, organization) -> dict:
    return {
        "introduction": introduction,
        "organization": organization,
        "partner": introduction.partner_of(organization),
        "reasons": introduction.reasons_for(organization),
        "organizer": introduction.organizer,
        "event": introduction.event,
    }


def request_introduction(organization, partner, by, note: str = "", event=None) -> Introduction:
    """Ask the office to introduce ``organization`` to ``partner``; the office's staff are told.

    With an ``event``, both must be approved participants and the event's lead
    organiser handles the request; otherwise an organiser serving either side.
    """
    _check_pair(organization, partner)
    note = _clean_note(note)
    if event is not None and not (_approved_at(event, organization)
                                  and _approved_at(event, partner)):
        raise ValidationError(_("Both organisations must be approved participants of the event."),
                              code="not_participants")
    organizer = _office_for(organization, partner, event)
    if organizer is None:
        raise ValidationError(
            _("No office serves these organisations yet, so nobody could introduce you. "
              "Please contact the office directly."), code="no_office")
    from qiao.recommendations.services import pair_reasons

    with transaction.atomic():
        if open_between(organization, partner).select_for_update().exists():
            raise ValidationError(
                _("An introduction between these organisations is already under way."),
                code="duplicate")
        score, reasons = pair_reasons(organization, partner)
        from qiao.recommendations.presentation import reason_to_dict

        introduction = Introduction.objects.create(
            organizer=organizer, event=event, org_a=organization, org_b=partner,
            requested_by=by, request_note=note, status=IntroductionStatus.REQUESTED,
            reasons=[reason_to_dict(r) for r in reasons], score=score,
        )
        mail_organizer_staff([organizer], "introduction_requested",
                             _context(introduction, organization))
    logger.info("introduction %s requested by user %s", introduction.pk, _uid(by))
    return introduction


def _check_scope(organizer, org_a, org_b, event) -> None:
    """The office may introduce participants of its events or organisations it serves."""
    if event is not None:
        if not event.organizer_links.filter(organizer=organizer).exists():
            raise ValidationError(_("This event is not run by this organiser."), code="event")
        if not (_approved_at(event, org_a) and _approved_at(event, org_b)):
            raise ValidationError(
                _("Both organisations must be approved participants of the event."),
                code="not_participants")
        return
    if not (org_a.organizers.filter(pk=organizer.pk).exists()
            or org_b.organizers.filter(pk=organizer.pk).exists()):
        raise ValidationError(
            _("This office serves neither of the two organisations."), code="not_served")


def propose_introduction(organizer, org_a, org_b, by, note: str = "",
                         event=None) -> Introduction:
    """Introduce ``org_a`` and ``org_b``: both sides' representatives get the reasons by mail.

    An open request between the two for this organiser becomes the proposal;
    any other open introduction between them refuses a second one.
    """
    _check_pair(org_a, org_b)
    note = _clean_note(note)
    _check_scope(organizer, org_a, org_b, event)
    from qiao.recommendations.presentation import reason_to_dict
    from qiao.recommendations.services import pair_reasons

    with transaction.atomic():
        current = list(open_between(org_a, org_b).select_for_update())
        requested = [i for i in current if i.status == IntroductionStatus.REQUESTED
                     and i.organizer_id == organizer.pk]
        if len(current) > len(requested):
            raise ValidationError(
                _("An introduction between these organisations is already under way."),
                code="duplicate")
        introduction = requested[0] if requested else Introduction(
            organizer=organizer, org_a=org_a, org_b=org_b)
        introduction.event = event or introduction.event
        score, reasons = pair_reasons(introduction.org_a, introduction.org_b)
        introduction.reasons = [reason_to_dict(r) for r in reasons]
        introduction.score = score
        introduction.note = note
        introduction.proposed_by = by
        introduction.proposed_at = timezone.now()
        introduction.status = IntroductionStatus.PROPOSED
        introduction.save()
        for side in (introduction.org_a, introduction.org_b):
            mail_representatives(side, "introduction_proposed", _context(introduction, side))
    logger.info("introduction %s proposed by user %s", introduction.pk, _uid(by))
    return introduction


def respond_to_introduction(introduction, organization, by, accept: bool) -> Introduction:
    """Record ``organization``'s answer; both accepted → both sides get each other's contacts."""
    with transaction.atomic():
        current = Introduction.objects.select_for_update().get(pk=introduction.pk)
        side = current.side_of(organization)
        if side is None:
            raise ValidationError(_("Your organisation is not part of this introduction."),
                                  code="not_a_side")
        answerable = {
            "a": {IntroductionStatus.PROPOSED, IntroductionStatus.ACCEPTED_BY_B},
            "b": {IntroductionStatus.PROPOSED, IntroductionStatus.ACCEPTED_BY_A},
        }[side]
        if current.status not in answerable:
            raise TransitionError(
                _("This introduction cannot be answered while its status is “%(status)s”.")
                % {"status": current.get_status_display()}, code="status")
        if not accept:
            current.status = IntroductionStatus.DECLINED
            current.declined_by_id = organization.pk
        elif current.status == IntroductionStatus.PROPOSED:
            current.status = (IntroductionStatus.ACCEPTED_BY_A if side == "a"
                              else IntroductionStatus.ACCEPTED_BY_B)
        else:
            current.status = IntroductionStatus.ACCEPTED
        current.save()
        if current.status == IntroductionStatus.ACCEPTED:
            for org in (current.org_a, current.org_b):
                mail_representatives(org, "introduction_accepted", _context(current, org))
        if current.status in {IntroductionStatus.ACCEPTED, IntroductionStatus.DECLINED}:
            mail_organizer_staff([current.organizer], "introduction_answered",
                                 _context(current, current.org_a))
    for field in ("status", "declined_by_id", "updated_at"):
        setattr(introduction, field, getattr(current, field))
    logger.info("introduction %s answered (%s) by user %s", current.pk, current.status, _uid(by))
    return introduction


def dismiss_request(introduction, by, note: str = "") -> Introduction:
    """Close a participant's request without an introduction; the requesting side is told why."""
    note = _clean_note(note)
    if not note:
        raise ValidationError(
            {"note": _("Tell the requesting side why the office does not introduce them.")},
            code="required")
    with transaction.atomic():
        current = Introduction.objects.select_for_update().get(pk=introduction.pk)
        if current.status != IntroductionStatus.REQUESTED:
            raise TransitionError(
                _("Only requests can be dismissed; this introduction's status is "
                  "“%(status)s”.") % {"status": current.get_status_display()}, code="status")
        current.status = IntroductionStatus.DECLINED
        current.note = note
        current.proposed_by = by
        current.save()
        mail_representatives(current.org_a, "introduction_dismissed",
                             _context(current, current.org_a))
    for field in ("status", "note", "proposed_by_id", "updated_at"):
        setattr(introduction, field, getattr(current, field))
    logger.info("introduction request %s dismissed by user %s", current.pk, _uid(by))
    return introduction
