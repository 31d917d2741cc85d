"""Mails about the agenda: the published agenda (PDF attached) and changed meetings.

Both go to every representative of the participants concerned, each in
their own language and time zone, after the surrounding transaction
commits.  The agenda mail carries the personal PDF as an attachment (it is
rendered in the background task that sends the mail) and the addresses of
the agenda page and the private calendar feed; a change mail carries the
meeting's new calendar entry (``.ics``).
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils import translation

from qiao.core.i18n import normalize_ui_language
from qiao.core.mail import render_user_mail, representatives
from qiao.events.models import Registration, RegistrationStatus

from . import ics
from .agenda import agenda_entry, participant_agenda
from .tokens import feed_token

logger = logging.getLogger("qiao.documents")

MOVED = "moved"
CANCELLED = "cancelled"
CHANGES = (MOVED, CANCELLED)


def agenda_mail_context(registration) -> dict:
    """Context of the ``agenda_ready`` mail of ``registration`` (its agenda and feed token)."""
    agenda = participant_agenda(registration)
    return {"event": registration.event, "registration": registration, "agenda": agenda,
            "feed_token": feed_token(registration)}


def _approved(event):
    return (Registration.objects.filter(event=event, status=RegistrationStatus.APPROVED)
            .select_related("event", "organization").order_by("pk"))


def send_agenda_mail(registration, user) -> None:
    """Queue the agenda mail (with the PDF) of ``registration`` for ``user`` after commit."""
    if not (user and user.email and user.is_active):
        return
    from .tasks import send_agenda_mail as task

    ids = {"user_id": user.pk, "registration_id": registration.pk}
    transaction.on_commit(lambda: task.enqueue(**ids))


def send_agenda_published(event) -> int:
    """Send every approved participant's representatives their agenda; returns the mail count.

    Call it once the agenda is published (``publish_agenda``); each mail holds
    the recipient's meetings, the PDF in their language and the feed address.
    """
    sent = 0
    for registration in _approved(event):
        for user in representatives(registration.organization):
            send_agenda_mail(registration, user)
            sent += 1
    logger.info("agenda mails of event %s queued: %d", event.pk, sent)
    return sent


def _queue_change_mail(user, registration, meeting, context: dict, former_slot) -> None:
    if not (user and user.email and user.is_active):
        return
    from .tasks import send_email_with_calendar

    subject, body = render_user_mail(user, "meeting_changed", context)
    with translation.override(normalize_ui_language(user.preferred_language)):
        calendar = ics.meeting_calendar(agenda_entry(meeting, registration), former_slot)
    payload = {"to": [user.email], "subject": subject, "body": body,
               "filename": f"{meeting.event.slug}-meeting-{meeting.pk}.ics",
               "calendar": calendar.decode()}
    transaction.on_commit(lambda: send_email_with_calendar.enqueue(**payload))


def send_meeting_changed(meeting, change: str, former_slot=None, former_table=None) -> int:
    """Tell both sides of a published meeting that it moved or was cancelled.

    ``change`` is ``"moved"`` or ``"cancelled"``; ``former_slot`` and
    ``former_table`` describe where the meeting was before.  Each side's
    representatives get, in their language, the new time and place (or the
    cancellation), the reminder that their calendar feed follows, and the
    meeting as an ``.ics`` attachment (same UID, higher SEQUENCE) for
    calendars that imported the agenda file.  Returns the number of mails.
    """
    if change not in CHANGES:
        raise ValueError(f"unknown change {change!r}")
    request = meeting.request
    sent = 0
    for registration in (request.requester, request.recipient):
        partner = meeting.other_side(registration)
        context = {
            "event": meeting.event, "meeting": meeting, "change": change,
            "registration": registration, "partner_org": partner.organization,
            "former_slot": former_slot, "former_table": former_table,
            "feed_token": feed_token(registration),
        }
        for user in representatives(registration.organization):
            _queue_change_mail(user, registration, meeting, context, former_slot)
            sent += 1
    logger.info("meeting %s %s: %d mails queued", meeting.pk, change, sent)
    return sent
