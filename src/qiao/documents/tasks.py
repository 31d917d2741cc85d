"""Background tasks of the documents: the agenda mail with its PDF attached."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django_tasks import task

logger = logging.getLogger("qiao.documents")


@task()
def send_agenda_mail(user_id: int, registration_id: int) -> int:
    """Render and send one agenda mail with the PDF in the recipient's language."""
    from qiao.core.i18n import normalize_ui_language
    from qiao.core.mail import render_user_mail
    from qiao.events.models import Registration, RegistrationStatus
    from qiao.people.models import User

    from . import files
    from .notify import agenda_mail_context

    user = User.objects.filter(pk=user_id, is_active=True).first()
    registration = (Registration.objects.select_related("event", "organization")
                    .filter(pk=registration_id, status=RegistrationStatus.APPROVED).first())
    if user is None or not user.email or registration is None:
        return 0
    subject, body = render_user_mail(user, "agenda_ready", agenda_mail_context(registration))
    document = files.agenda_pdf(registration, normalize_ui_language(user.preferred_language),
                                user.timezone or registration.event.timezone)
    message = EmailMessage(subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL,
                           to=[user.email])
    message.attach(document.filename, document.content, "application/pdf")
    sent = message.send(fail_silently=False)
    logger.info("agenda mail with PDF sent for registration %s", registration_id)
    return sent


@task()
def send_email_with_calendar(to: list[str], subject: str, body: str, filename: str,
                             calendar: str) -> int:
    """Send one plain-text mail with an ``.ics`` attachment (a meeting's new state)."""
    message = EmailMessage(subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL,
                           to=list(to))
    message.attach(filename, calendar, "text/calendar; charset=utf-8; method=PUBLISH")
    sent = message.send(fail_silently=False)
    logger.info("meeting change mail with calendar entry sent")
    return sent
