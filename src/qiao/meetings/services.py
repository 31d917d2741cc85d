"""State changes of matchmaking: requests, meetings, placements, slots, availability.

Every change is one function here (or in the modules re-exported below);
views, API, commands and tasks call them.  Each validates, writes in a
transaction with the rows it depends on locked, logs without personal data
and queues mail to the other side after commit, in each recipient's language.

Request lifecycle: pending → accepted (a Meeting is created; once the agenda
is published it is placed at once) | declined (by the recipient) | cancelled
(by the requester while pending, or when the meeting is cancelled).
"""

from __future__ import annotations

import logging

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qiao.core.errors import TransitionError
from qiao.core.mail import mail_representatives
from qiao.events.models import Attendance, Registration, RegistrationStatus
from qiao.meetings.instance import (
    apply_solution,
    build_instance,
    current_solution,
    instance_dict,
    registration_key,
)
from qiao.meetings.models import (
    Meeting,
    MeetingRequest,
    MeetingRequestStatus,
    MeetingSeat,
    MeetingStatus,
)
from qiao.meetings.placement import (
    lock_meeting,
    place_automatically,
    place_meeting,
    unlock_meeting,
    unplace_meeting,
)
from qiao.meetings.slots import (
    availability_map,
    generate_slots,
    set_availability,
    settings_for,
)

__all__ = [
    "accept_meeting_request", "apply_solution", "availability_map", "build_instance",
    "cancel_meeting", "cancel_meeting_request", "current_solution", "decline_meeting_request",
    "generate_slots", "instance_dict", "lock_meeting", "place_automatically", "place_meeting",
    "registration_key", "send_meeting_request", "set_availability", "settings_for",
    "unlock_meeting", "unplace_meeting",
]

logger = logging.getLogger("qiao.meetings")

OPEN_REQUEST = (MeetingRequestStatus.PENDING, MeetingRequestStatus.ACCEPTED)
OPEN_MEETING = (MeetingStatus.UNSCHEDULED, MeetingStatus.SCHEDULED)


def _uid(user) -> int | None:
    return getattr(user, "pk", None)


def _context(request, **extra) -> dict:
    return {"meeting_request": request, "event": request.event,
            "requester_org": request.requester.organization,
            "recipient_org": request.recipient.organization, **extra}


def _check_requests_open(event) -> None:
    config = settings_for(event)
    if not event.allows_meeting_requests:
        raise TransitionError(_("This event takes no meeting requests."), code="closed")
    if not config.accepts_requests:
        raise TransitionError(_("Meeting requests are closed for this event at the moment."),
                              code="closed")
    if timezone.now().astimezone(event.tzinfo).date() > event.end_date:
        raise TransitionError(_("This event is over; it takes no more meeting requests."),
                              code="closed")


def _locked_request(request) -> MeetingRequest:
    return (
        MeetingRequest.objects.select_for_update(of=("self",))
        .select_related("event", "requester__organization", "recipient__organization")
        .get(pk=request.pk)
    )


def _refresh(target, source) -> None:
    for field in MeetingRequest._meta.concrete_fields:
        setattr(target, field.attname, getattr(source, field.attname))


def meeting_count(registration) -> int:
    """Accepted meetings of a registration that are not cancelled."""
    return Meeting.objects.filter(status__in=OPEN_MEETING).filter(
        Q(request__requester=registration) | Q(request__recipient=registration)
    ).count()


def send_meeting_request(event, requester, recipient, by, message: str = "",
                         priority: int = 1, wants_remote: bool = False) -> MeetingRequest:
    """``requester`` (a registration) asks ``recipient`` for a meeting; the recipient is told.

    Both must be approved registrations of ``event``, the event must take
    requests in its current phase, the pair may have no open request in
    either direction, and the requester's limit of open requests applies.
    """
    message = (message or "").strip()
    try:
        priority = int(priority)
    except (TypeError, ValueError):
        priority = 0
    if priority not in (1, 2, 3):
        raise ValidationError({"priority": _("Choose a priority from 1 to 3.")}, code="invalid")
    if len(message) > 2000:
        raise ValidationError({"message": _("The message may be at most 2000 characters.")},
                              code="max_length")
    with transaction.atomic():
        regs = {r.pk: r for r in Registration.objects.select_for_update(of=("self",))
                .select_related("organization").filter(pk__in=[requester.pk, recipient.pk])
                .order_by("pk")}  # one lock order everywhere: no deadlocks
        if requester.pk == recipient.pk:
            raise TransitionError(_("You cannot request a meeting with yourself."), code="self")
        if len(regs) != 2 or any(r.event_id != event.pk or r.status != RegistrationStatus.APPROVED
                                 for r in regs.values()):
            raise TransitionError(
                _("Both organisations must be approved participants of this event."),
                code="not_participant",
            )
        _check_requests_open(event)
        config = settings_for(event)
        remote = wants_remote or any(r.attendance == Attendance.REMOTE for r in regs.values())
        if remote and not config.remote_meetings:
            raise TransitionError(_("This event offers no online meetings."), code="remote")
        pair = Q(requester=requester, recipient=recipient) | Q(requester=recipient,
                                                                recipient=requester)
        existing = MeetingRequest.objects.filter(pair, status__in=OPEN_REQUEST).first()
        if existing is not None:
            if existing.requester_id == recipient.pk and existing.status == "pending":
                raise TransitionError(
                    _("This organisation has already asked you for a meeting. Accept its "
                      "request instead."), code="reverse_pending",
                )
            raise TransitionError(
                _("There is already an open request or a meeting with this organisation."),
                code="duplicate",
            )
        if MeetingRequest.objects.filter(requester=requester, recipient=recipient,
                                         status=MeetingRequestStatus.DECLINED).exists():
            raise TransitionError(
                _("This organisation has declined your earlier request for a meeting."),
                code="declined",
            )
        limit = config.max_requests_sent
        if limit is not None and MeetingRequest.objects.filter(
            requester=requester, status__in=OPEN_REQUEST
        ).count() >= limit:
            raise TransitionError(
                _("You have reached the limit of %(limit)d open requests for this event.")
                % {"limit": limit}, code="limit",
            )
        try:
            with transaction.atomic():
                request = MeetingRequest.objects.create(
                    event=event, requester=regs[requester.pk], recipient=regs[recipient.pk],
                    message=message, priority=priority, wants_remote=bool(wants_remote),
                    sent_by=by,
                )
        except IntegrityError as exc:
            raise TransitionError(
                _("There is already an open request or a meeting with this organisation."),
                code="duplicate",
            ) from exc
        mail_representatives(request.recipient.organization, "meeting_request_received",
                             _context(request))
    logger.info("meeting request %s sent for event %s by user %s", request.pk, event.pk,
                _uid(by))
    return request


def accept_meeting_request(request, by, priority: int | None = None) -> Meeting:
    """The recipient accepts a pending request; the meeting is created and the requester told.

    Once the event's agenda is published the meeting is placed at once into a
    compatible free slot (it stays unscheduled, for the organisers, if none is
    free).  ``priority`` is the recipient's own priority (1–3) for the meeting.
    """
    if priority is not None and priority not in (1, 2, 3):
        raise ValidationError({"priority": _("Choose a priority from 1 to 3.")}, code="invalid")
    with transaction.atomic():
        current = _locked_request(request)
        if current.status != MeetingRequestStatus.PENDING:
            raise TransitionError(_("This request has already been answered or withdrawn."),
                                  code="transition")
        event = current.event
        _check_requests_open(event)
        config = settings_for(event)
        sides = list(Registration.objects.select_for_update().filter(
            pk__in=[current.requester_id, current.recipient_id]).order_by("pk"))
        if any(r.status != RegistrationStatus.APPROVED for r in sides):
            raise TransitionError(_("The other organisation no longer takes part in this event."),
                                  code="not_participant")
        if config.max_meetings is not None and any(
            meeting_count(r) >= config.max_meetings for r in sides
        ):
            raise TransitionError(
                _("The limit of %(limit)d meetings per participant has been reached.")
                % {"limit": config.max_meetings}, code="limit",
            )
        current.status = MeetingRequestStatus.ACCEPTED
        current.recipient_priority = priority
        current.answered_by = by
        current.answered_at = timezone.now()
        current.save()
        remote = current.wants_remote or any(r.attendance == Attendance.REMOTE for r in sides)
        meeting = Meeting.objects.create(event=event, request=current,
                                         is_remote=remote and config.remote_meetings)
        placed = config.agenda_is_published and place_automatically(meeting, by=by)
        meeting.refresh_from_db()
        context = _context(current, meeting=meeting)
        mail_representatives(current.requester.organization, "meeting_request_accepted", context)
        if placed:
            mail_representatives(current.recipient.organization, "meeting_scheduled", context)
    _refresh(request, current)
    logger.info("meeting request %s accepted by user %s (meeting %s, placed: %s)", request.pk,
                _uid(by), meeting.pk, placed)
    return meeting


def decline_meeting_request(request, by, reason: str = "") -> MeetingRequest:
    """The recipient declines a pending request (reason optional); the requester is told."""
    reason = (reason or "").strip()
    if len(reason) > 1000:
        raise ValidationError({"reason": _("The reason may be at most 1000 characters.")},
                              code="max_length")
    with transaction.atomic():
        current = _locked_request(request)
        if current.status != MeetingRequestStatus.PENDING:
            raise TransitionError(_("This request has already been answered or withdrawn."),
                                  code="transition")
        current.status = MeetingRequestStatus.DECLINED
        current.decline_reason = reason
        current.answered_by = by
        current.answered_at = timezone.now()
        current.save()
        mail_representatives(current.requester.organization, "meeting_request_declined",
                             _context(current))
    _refresh(request, current)
    logger.info("meeting request %s declined by user %s", request.pk, _uid(by))
    return request


def cancel_meeting_request(request, by) -> MeetingRequest:
    """The requester withdraws a pending request; the recipient is told."""
    with transaction.atomic():
        current = _locked_request(request)
        if current.status != MeetingRequestStatus.PENDING:
            raise TransitionError(_("Only a pending request can be withdrawn."),
                                  code="transition")
        current.status = MeetingRequestStatus.CANCELLED
        current.answered_at = timezone.now()
        current.save()
        mail_representatives(current.recipient.organization, "meeting_request_cancelled",
                             _context(current))
    _refresh(request, current)
    logger.info("meeting request %s withdrawn by user %s", request.pk, _uid(by))
    return request


def cancel_meeting(meeting, by, reason: str = "", side=None) -> Meeting:
    """Cancel an accepted meeting, freeing its slot, table and interpreter; tell the other side.

    ``side`` is the registration on whose behalf ``by`` cancels; the other
    side is told.  Without it (organisers cancelling) both sides are told.
    """
    reason = (reason or "").strip()
    if len(reason) > 1000:
        raise ValidationError({"reason": _("The reason may be at most 1000 characters.")},
                              code="max_length")
    with transaction.atomic():
        current = (
            Meeting.objects.select_for_update(of=("self",))
            .select_related("event", "slot", "request__requester__organization",
                            "request__recipient__organization")
            .get(pk=meeting.pk)
        )
        if current.status not in OPEN_MEETING:
            raise TransitionError(_("This meeting has already been cancelled."),
                                  code="transition")
        former_slot = current.slot
        MeetingSeat.objects.filter(meeting=current).delete()
        current.status = MeetingStatus.CANCELLED
        current.slot = None
        current.table = None
        current.interpreter = None
        current.is_locked = False
        current.cancelled_by = by
        current.cancel_reason = reason
        current.cancelled_at = timezone.now()
        current.save()
        MeetingRequest.objects.filter(pk=current.request_id).update(
            status=MeetingRequestStatus.CANCELLED)
        context = _context(current.request, meeting=current, former_slot=former_slot,
                           reason=reason)
        requester, recipient = current.request.requester, current.request.recipient
        side_id = getattr(side, "pk", side)
        for reg in (requester, recipient):
            if reg.pk != side_id:
                mail_representatives(reg.organization, "meeting_cancelled",
                                     {**context, "cancelled_by_side": side is not None})
    for field in Meeting._meta.concrete_fields:
        setattr(meeting, field.attname, getattr(current, field.attname))
    logger.info("meeting %s cancelled by user %s", meeting.pk, _uid(by))
    return meeting


def withdraw_registration_meetings(registration, by) -> int:
    """Cancel the open requests and meetings of a registration that was cancelled or declined.

    Meetings are cancelled one by one through :func:`cancel_meeting` (freeing
    seats and telling the other side); pending requests in either direction
    are closed.  Returns the number of meetings cancelled.
    """
    with transaction.atomic():
        MeetingRequest.objects.filter(
            Q(requester=registration) | Q(recipient=registration),
            status=MeetingRequestStatus.PENDING,
        ).update(status=MeetingRequestStatus.CANCELLED, answered_at=timezone.now())
        meetings = list(
            Meeting.objects.filter(
                Q(request__requester=registration) | Q(request__recipient=registration),
                status__in=OPEN_MEETING,
            )
        )
        for meeting in meetings:
            cancel_meeting(meeting, by, side=registration)
    if meetings:
        logger.info("registration %s withdrawn from %d meetings", registration.pk, len(meetings))
    return len(meetings)
