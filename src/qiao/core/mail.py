"""Emails to users, each rendered in the recipient's language and time zone.

A mail is a pair of templates, ``mail/<name>.subject.txt`` and
``mail/<name>.body.txt``.  They are rendered at once (so they show the data
as it is when the service runs) and handed to the ``send_email`` task after
the surrounding transaction commits; a rolled-back change sends nothing.
Links in mails start with the setting ``QIAO_BASE_URL``; templates build them
with ``{{ base_url }}{% url … %}``, which carries the recipient's language
prefix because the template is rendered under that language.
"""

from __future__ import annotations

import zoneinfo
from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from qiao.core.i18n import normalize_ui_language

DEFAULT_BASE_URL = "http://127.0.0.1:8000"


def base_url() -> str:
    """The public address of this installation, without a trailing slash."""
    return str(getattr(settings, "QIAO_BASE_URL", DEFAULT_BASE_URL)).rstrip("/")


def _user_tz(user):
    try:
        return zoneinfo.ZoneInfo(user.timezone or settings.TIME_ZONE)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def render_user_mail(user, template: str, context: dict) -> tuple[str, str]:
    """Render subject and body of ``template`` for ``user`` (language and time zone)."""
    language = normalize_ui_language(getattr(user, "preferred_language", None))
    full_context = {"recipient": user, "base_url": base_url(), **context}
    with translation.override(language), timezone.override(_user_tz(user)):
        full_context["language"] = language
        subject = render_to_string(f"mail/{template}.subject.txt", full_context)
        body = render_to_string(f"mail/{template}.body.txt", full_context)
    subject = " ".join(subject.split())
    return subject, body.strip() + "\n"


def send_user_mail(user, template: str, context: dict | None = None) -> None:
    """Queue ``template`` for ``user``; it is sent after the current transaction commits."""
    if not user or not user.email or not user.is_active:
        return
    from qiao.core.tasks import send_email

    subject, body = render_user_mail(user, template, context or {})
    to = [user.email]
    transaction.on_commit(lambda: send_email.enqueue(to=to, subject=subject, body=body))


def organizer_staff(organizers: Iterable):
    """Active staff users of the given organisers (each once)."""
    from qiao.people.models import User

    ids = [getattr(o, "pk", o) for o in organizers]
    return User.objects.filter(
        staff_memberships__organizer__in=ids, is_active=True
    ).distinct().order_by("pk")


def representatives(organization):
    """Active users who represent ``organization``."""
    from qiao.people.models import User

    return User.objects.filter(
        memberships__organization=organization, is_active=True
    ).distinct().order_by("pk")


def mail_organizer_staff(organizers: Iterable, template: str, context: dict | None = None) -> int:
    """Queue ``template`` for every staff member of ``organizers``, each in their language.

    Each mail's context also holds ``staff_organizer``: the first of
    ``organizers`` the recipient works for, so templates can link to that
    organiser's back-office pages.
    """
    organizers = list(organizers)
    users = list(organizer_staff(organizers))
    for user in users:
        mine = set(user.staff_memberships.values_list("organizer_id", flat=True))
        staff_organizer = next((o for o in organizers if getattr(o, "pk", o) in mine), None)
        send_user_mail(user, template, {**(context or {}), "staff_organizer": staff_organizer})
    return len(users)


def mail_platform_admins(template: str, context: dict | None = None) -> int:
    """Queue ``template`` for every active platform administrator, each in their language."""
    from qiao.people.models import User

    users = list(User.objects.filter(is_superuser=True, is_active=True).order_by("pk"))
    for user in users:
        send_user_mail(user, template, context)
    return len(users)


def mail_representatives(organization, template: str, context: dict | None = None) -> int:
    """Queue ``template`` for every representative of ``organization``, each in their language."""
    users = list(representatives(organization))
    for user in users:
        send_user_mail(user, template, context)
    return len(users)
