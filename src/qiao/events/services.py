"""State changes of event registrations (the only place that saves them).

An organisation registers for an event (pending); the staff of one of the
event's organisers approves or declines it; the organisation may cancel.  A
declined or cancelled registration can be opened again by registering anew.
"""

from __future__ import annotations

import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qiao.core.errors import TransitionError
from qiao.core.mail import mail_organizer_staff, mail_representatives
from qiao.core.validators import validate_language_list
from qiao.documents.tokens import new_feed_nonce
from qiao.events.models import Attendance, Event, Registration, RegistrationStatus

logger = logging.getLogger("qiao.events")

ACTIVE = (RegistrationStatus.PENDING, RegistrationStatus.APPROVED)

_REFUSALS = {
    "approve": _("This registration cannot be approved while its status is “%(status)s”."),
    "reject": _("This registration cannot be declined while its status is “%(status)s”."),
    "cancel": _("This registration cannot be cancelled while its status is “%(status)s”."),
    "change": _("This registration cannot be changed while its status is “%(status)s”."),
}


def _uid(user) -> int | None:
    return getattr(user, "pk", None)


def _not_allowed(action: str, registration) -> TransitionError:
    return TransitionError(
        _REFUSALS[action], code="transition",
        params={"status": registration.get_status_display()},
    )


def _refresh(target, source) -> None:
    for field in Registration._meta.concrete_fields:
        setattr(target, field.attname, getattr(source, field.attname))


def registration_closed_reason(event, now=None):
    """Why ``event`` takes no registrations at ``now`` (a translated text), or None if open."""
    now = now or timezone.now()
    if event.end_date < timezone.localdate(now, event.tzinfo):
        return _("This event is over.")
    if event.registration_opens and now < event.registration_opens:
        return _("Registration for this event has not opened yet.")
    if not event.registration_is_open(now):
        return _("Registration for this event is closed.")
    return None


def places_taken(event, exclude=None) -> int:
    """Registrations that hold a place: approved and pending ones."""
    qs = Registration.objects.filter(event=event, status__in=ACTIVE)
    if exclude is not None:
        qs = qs.exclude(pk=exclude.pk)
    return qs.count()


def is_full(event) -> bool:
    """Whether every place of a limited event is held by an approved or pending registration."""
    return event.capacity is not None and places_taken(event) >= event.capacity


def _clean_details(representatives, languages, attendance, message) -> dict:
    if attendance not in Attendance.values:
        raise ValidationError({"attendance": _("Choose in person or online.")}, code="invalid")
    languages = list(dict.fromkeys(str(code).lower() for code in (languages or ())))
    try:
        validate_language_list(languages)
    except ValidationError as exc:
        raise ValidationError({"languages": exc.messages}) from exc
    message = (message or "").strip()
    if len(message) > 2000:
        raise ValidationError(
            {"message": _("The message may be at most 2000 characters long.")}, code="max_length"
        )
    return {
        "representatives": (representatives or "").strip(),
        "languages": languages,
        "attendance": attendance,
        "message": message,
    }


def register_organization(
    event, organization, by, *, representatives="", languages=(), attendance="in_person",
    message="",
) -> Registration:
    """Register ``organization`` for ``event`` (pending); tell the organisers' staff and confirm.

    Refused when registration is closed, the event is full or the
    organisation already holds a pending or approved registration.  A
    declined or cancelled registration is opened again.  The event's
    organisers start serving the organisation, so their staff may review its
    profiles.
    """
    details = _clean_details(representatives, languages, attendance, message)
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=event.pk)
        reason = registration_closed_reason(event)
        if reason:
            raise TransitionError(reason, code="closed")
        existing = (
            Registration.objects.select_for_update()
            .filter(event=event, organization=organization).first()
        )
        if existing and existing.status in ACTIVE:
            raise TransitionError(
                _("This organisation is already registered for this event."), code="duplicate"
            )
        if is_full(event):
            raise TransitionError(_("This event is fully booked."), code="full")
        registration = existing or Registration(event=event, organization=organization)
        for key, value in details.items():
            setattr(registration, key, value)
        registration.status = RegistrationStatus.PENDING
        registration.registered_by = by
        registration.decision_note = ""
        registration.decided_by = None
        registration.decided_at = None
        registration.save()
        organizers = list(event.organizers.all())
        organization.organizers.add(*organizers)
        context = {"registration": registration, "event": event, "organization": organization}
        mail_organizer_staff(organizers, "registration_received", context)
        mail_representatives(organization, "registration_submitted", context)
    logger.info(
        "registration %s of organisation %s for event %s by user %s",
        registration.pk, organization.pk, event.pk, _uid(by),
    )
    return registration


def update_registration(
    registration, by, *, representatives="", languages=(), attendance="in_person", message="",
) -> Registration:
    """Change who attends, the meeting languages, attendance or message of a registration.

    Allowed while the registration is pending or approved and the event is not
    over; the organisers' staff are told about the change.
    """
    details = _clean_details(representatives, languages, attendance, message)
    with transaction.atomic():
        current = Registration.objects.select_for_update().select_related(
            "event", "organization"
        ).get(pk=registration.pk)
        if current.status not in ACTIVE:
            raise _not_allowed("change", current)
        if current.event.end_date < timezone.localdate(timezone.now(), current.event.tzinfo):
            raise TransitionError(_("This event is over."), code="closed")
        for key, value in details.items():
            setattr(current, key, value)
        current.save()
        mail_organizer_staff(
            current.event.organizers.all(), "registration_changed",
            {"registration": current, "event": current.event,
             "organization": current.organization},
        )
    _refresh(registration, current)
    logger.info("registration %s changed by user %s", registration.pk, _uid(by))
    return registration


def _mail_decision(registration, template: str) -> None:
    mail_representatives(
        registration.organization, template,
        {"registration": registration, "event": registration.event,
         "organization": registration.organization},
    )


def approve_registration(registration, by, note: str = "") -> Registration:
    """Approve a pending (or previously declined) registration if a place is free."""
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=registration.event_id)
        current = Registration.objects.select_for_update().get(pk=registration.pk)
        if current.status not in {RegistrationStatus.PENDING, RegistrationStatus.REJECTED}:
            raise _not_allowed("approve", current)
        if event.capacity is not None:
            approved = Registration.objects.filter(
                event=event, status=RegistrationStatus.APPROVED
            ).exclude(pk=current.pk).count()
            if approved >= event.capacity:
                raise TransitionError(
                    _("The event is fully booked: all places are taken by approved registrations."),
                    code="full",
                )
        current.status = RegistrationStatus.APPROVED
        current.decision_note = (note or "").strip()
        current.decided_by = by
        current.decided_at = timezone.now()
        current.save()
        _mail_decision(current, "registration_approved")
    _refresh(registration, current)
    logger.info("registration %s approved by user %s", registration.pk, _uid(by))
    return registration


def reject_registration(registration, by, note: str) -> Registration:
    """Decline a pending or approved registration with a note to the organisation."""
    note = (note or "").strip()
    if not note:
        raise ValidationError(
            {"note": _("Tell the organisation why the registration is declined.")},
            code="required",
        )
    with transaction.atomic():
        current = Registration.objects.select_for_update().get(pk=registration.pk)
        if current.status not in ACTIVE:
            raise _not_allowed("reject", current)
        current.status = RegistrationStatus.REJECTED
        current.decision_note = note
        current.decided_by = by
        current.decided_at = timezone.now()
        current.save()
        from qiao.meetings.services import withdraw_registration_meetings

        withdraw_registration_meetings(current, by)
        _mail_decision(current, "registration_rejected")
    _refresh(registration, current)
    logger.info("registration %s declined by user %s", registration.pk, _uid(by))
    return registration


def cancel_registration(registration, by) -> Registration:
    """Cancel a pending or approved registration and tell the organisers' staff."""
    with transaction.atomic():
        current = Registration.objects.select_for_update().select_related(
            "event", "organization"
        ).get(pk=registration.pk)
        if current.status not in ACTIVE:
            raise _not_allowed("cancel", current)
        current.status = RegistrationStatus.CANCELLED
        current.save()
        from qiao.meetings.services import withdraw_registration_meetings

        withdraw_registration_meetings(current, by)
        mail_organizer_staff(
            current.event.organizers.all(), "registration_cancelled",
            {"registration": current, "event": current.event,
             "organization": current.organization},
        )
    _refresh(registration, current)
    logger.info("registration %s cancelled by user %s", registration.pk, _uid(by))
    return registration


def reset_calendar_feed(registration, by) -> Registration:
    """Give the registration's private calendar feed a new address; the old one answers 404.

    Calendars subscribed to the old address stop updating; the participant subscribes
    to the new one (``qiao.documents.tokens.feed_token``).
    """
    nonce = new_feed_nonce()
    Registration.objects.filter(pk=registration.pk).update(feed_nonce=nonce)
    registration.feed_nonce = nonce
    logger.info("registration %s: calendar address reset by user %s", registration.pk, _uid(by))
    return registration
