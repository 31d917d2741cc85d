"""A participant's personal agenda: the page, the PDF, the calendar file and the feed.

The page, PDF and calendar file need a login and an approved registration
the user represents (``documents.view_agenda``; else 404); a user
representing several registered organisations chooses one with
``?as=<registration id>``.  The calendar feed needs no login: its address
carries a secret token (see :mod:`qiao.documents.tokens`); a wrong or revoked
token answers 404, and the participant can reset the address (POST).
Documents come from :mod:`qiao.documents.files`.
"""

from __future__ import annotations

import hashlib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import get_conditional_response
from django.utils.http import content_disposition_header, quote_etag, urlencode
from django.utils.translation import get_language_info
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST, require_safe

from qiao.core.access import require
from qiao.core.i18n import UI_LANGUAGES, normalize_ui_language
from qiao.documents import files
from qiao.documents.agenda import participant_agenda
from qiao.documents.tokens import feed_token, read_feed_token
from qiao.events import services as event_services
from qiao.events.models import Event, Registration, RegistrationStatus
from qiao.portal.queries_meetings import chosen_registration, my_registrations

#: Session key: the registration whose calendar address was just reset (shown opened once).
FEED_RESET_SESSION_KEY = "qiao.agenda.feed_reset"


def _registration(request, slug):
    event = get_object_or_404(Event, slug=slug)
    registration, regs = chosen_registration(event, request.user, request.GET.get("as"))
    require(request.user, "documents.view_agenda", registration)
    return event, registration, regs


def _as_query(registration, regs, **extra) -> str:
    params = {"as": registration.pk} if len(regs) > 1 else {}
    params.update({k: v for k, v in extra.items() if v})
    return f"?{urlencode(params)}" if params else ""


def _download(document: files.Document, inline: bool = False) -> HttpResponse:
    response = HttpResponse(document.content, content_type=document.content_type)
    response["Content-Disposition"] = content_disposition_header(not inline, document.filename)
    response["Cache-Control"] = "private, no-cache"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def feed_url(request, registration) -> str:
    """The absolute address of the registration's private calendar feed."""
    return request.build_absolute_uri(
        reverse("portal:agenda_feed", args=[feed_token(registration)]))


@login_required
@require_GET
def agenda(request, slug):
    """The participant's agenda: meetings with times, places, partners; the programme."""
    event, registration, regs = _registration(request, slug)
    feed = feed_url(request, registration)
    languages = [(code, get_language_info(code)["name_local"]) for code in UI_LANGUAGES
                 if code != request.LANGUAGE_CODE]
    feed_reset = request.session.pop(FEED_RESET_SESSION_KEY, None) == registration.pk
    return render(request, "portal/agenda/agenda.html", {
        "event": event, "registration": registration, "registrations": regs,
        "agenda": participant_agenda(registration), "feed_url": feed,
        "webcal_url": "webcal://" + feed.split("://", 1)[1], "feed_reset": feed_reset,
        "as_query": _as_query(registration, regs), "pdf_languages": languages,
    })


@login_required
@require_POST
def agenda_feed_reset(request, pk):
    """Give the registration's calendar feed a new address; the old one answers 404 from now on.

    Back to the agenda page, where the new address is shown.
    """
    registration = get_object_or_404(Registration.objects.select_related("event"), pk=pk)
    require(request.user, "documents.reset_calendar_feed", registration)
    event_services.reset_calendar_feed(registration, request.user)
    request.session[FEED_RESET_SESSION_KEY] = registration.pk
    messages.success(request, _(
        "Your calendar address has been reset and the previous one no longer works. "
        "Subscribe to the new address below in your calendar app."))
    event = registration.event
    regs = my_registrations(event, request.user)
    url = reverse("portal:agenda", args=[event.slug]) + _as_query(registration, regs)
    return redirect(url + "#calendar-feed")


@login_required
@require_GET
def agenda_pdf(request, slug):
    """The agenda as PDF in ``?lang`` (de, en, zh-hans; default: the page language)."""
    event, registration, _regs = _registration(request, slug)
    wanted = request.GET.get("lang") or ""
    language = (normalize_ui_language(wanted) if wanted in UI_LANGUAGES
                else request.LANGUAGE_CODE)
    document = files.agenda_pdf(registration, language, request.user.timezone or event.timezone)
    return _download(document, inline=True)


@login_required
@require_GET
def agenda_ics(request, slug):
    """The agenda as an iCalendar file to import into a calendar app."""
    _event, registration, _regs = _registration(request, slug)
    return _download(files.agenda_ics(registration, request.LANGUAGE_CODE))


@require_safe
def agenda_feed(request, token):
    """The private calendar feed of one registration (no login; the token is the key).

    Answers ``304 Not Modified`` when the calendar app already has this version
    (``ETag`` of the content), so frequent polling stays cheap.
    """
    signed = read_feed_token(token)
    if signed is None:
        raise Http404
    pk, nonce = signed
    registration = get_object_or_404(
        Registration.objects.select_related("event", "organization"),
        pk=pk, feed_nonce=nonce, status=RegistrationStatus.APPROVED)
    document = files.agenda_ics(registration, request.LANGUAGE_CODE)
    etag = quote_etag(hashlib.sha256(document.content).hexdigest()[:32])
    response = get_conditional_response(request, etag=etag) or HttpResponse(
        document.content, content_type=document.content_type)
    response["ETag"] = etag
    response["Content-Disposition"] = content_disposition_header(False, document.filename)
    response["Cache-Control"] = "private, max-age=300"
    response["X-Robots-Tag"] = "noindex"
    return response
