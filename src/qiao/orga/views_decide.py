"""Decisions of the back office: approve or decline registrations, publish or return profiles.

Both views take a POST from a normal form (answering with a redirect and a
message) or from HTMX (answering with the fragment that replaces the actions).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qiao.core.access import require
from qiao.events import services as event_services
from qiao.events.models import Registration
from qiao.orga.common import backoffice_view, get_event, get_organizer, is_htmx, safe_next
from qiao.orga.forms import DecisionForm
from qiao.profiles import services as profile_services
from qiao.profiles.models import CooperationProfile


def _error_text(error: ValidationError) -> str:
    return " ".join(str(m) for m in error.messages)


def _form_error(form) -> str:
    return " ".join(str(m) for errors in form.errors.values() for m in errors)


def _answer(request, ok: bool, text: str, fallback: str, obj=None):
    """Redirect with a message, or give HTMX the fragment describing the outcome."""
    if is_htmx(request):
        return render(request, "orga/_decision_result.html", {
            "ok": ok, "text": text, "next": fallback,
            "state": obj.status if obj is not None else "",
            "state_label": obj.get_status_display() if obj is not None else "",
        })
    (messages.success if ok else messages.error)(request, text)
    return redirect(safe_next(request, fallback))


@require_POST
@backoffice_view
def registration_decide(request, organizer, event, pk):
    """Approve or decline one registration of an event the organiser runs."""
    organizer = get_organizer(request, organizer)
    event = get_event(request, organizer, event)
    registration = get_object_or_404(
        Registration.objects.select_related("organization", "event"), pk=pk, event=event
    )
    require(request.user, "events.decide_registration", registration)
    fallback = reverse("orga:event_detail", args=[organizer.slug, event.slug])
    form = DecisionForm(request.POST)
    if not form.is_valid():
        return _answer(request, False, _form_error(form), fallback)
    name = registration.organization.display_name
    try:
        if form.cleaned_data["decision"] == "approve":
            event_services.approve_registration(
                registration, request.user, note=form.cleaned_data["note"]
            )
            text = _("The registration of %(name)s is approved.") % {"name": name}
        else:
            event_services.reject_registration(
                registration, request.user, form.cleaned_data["note"]
            )
            text = _("The registration of %(name)s is declined.") % {"name": name}
    except ValidationError as error:
        return _answer(request, False, _error_text(error), fallback)
    return _answer(request, True, text, fallback, registration)


@require_POST
@backoffice_view
def profile_decide(request, organizer, pk):
    """Publish a submitted profile, or return it to its authors with a reason."""
    organizer = get_organizer(request, organizer)
    profile = get_object_or_404(
        CooperationProfile.objects.select_related("organization")
        .filter(organization__organizers=organizer).distinct(),
        pk=pk,
    )
    require(request.user, "profiles.review_profile", profile)
    fallback = reverse("orga:review_queue", args=[organizer.slug])
    form = DecisionForm(request.POST)
    if not form.is_valid():
        return _answer(request, False, _form_error(form), fallback)
    try:
        if form.cleaned_data["decision"] == "approve":
            profile_services.approve_profile(profile, request.user)
            text = _("“%(title)s” is published.") % {"title": profile.title}
        else:
            profile_services.reject_profile(profile, request.user, form.cleaned_data["note"])
            text = _("“%(title)s” is returned to its authors.") % {"title": profile.title}
    except ValidationError as error:
        return _answer(request, False, _error_text(error), fallback)
    return _answer(request, True, text, fallback, profile)
