"""Background tasks of the core app (django-tasks)."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django_tasks import task

logger = logging.getLogger("qiao.mail")


@task()
def send_email(to: list[str], subject: str, body: str) -> int:
    """Send one plain-text email; returns the number of messages sent (0 or 1)."""
    if isinstance(to, str):
        to = [to]
    message = EmailMessage(
        subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=list(to)
    )
    sent = message.send(fail_silently=False)
    logger.info("email sent to %d recipient(s)", len(to))
    return sent
