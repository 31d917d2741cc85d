"""Shared helpers of the back-office views: access checks and object lookups.

Every lookup starts from :func:`qiao.core.access.organizers_for`, so staff of
one organiser never reach another organiser's data: anything outside their
organisers answers 404.
"""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.shortcuts import get_object_or_404
from django.utils.http import url_has_allowed_host_and_scheme

from qiao.core.access import organizers_for, require
from qiao.events.models import Event


def backoffice_view(view):
    """Require a signed-in user with back-office access; others get the login page or 404."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        require(request.user, "orga.access_backoffice")
        return view(request, *args, **kwargs)

    return wrapper


def get_organizer(request, slug: str):
    """The organiser ``slug`` if the user works in its back office, else 404."""
    organizer = get_object_or_404(organizers_for(request.user), slug=slug)
    require(request.user, "orga.access_organizer", organizer)
    return organizer


def get_event(request, organizer, slug: str) -> Event:
    """The event ``slug`` run (or co-run) by ``organizer``, if the user may manage it, else 404."""
    event = get_object_or_404(
        Event.objects.filter(organizer_links__organizer=organizer).distinct(), slug=slug
    )
    require(request.user, "events.manage_event", event)
    return event


def is_lead(organizer, event) -> bool:
    """Whether ``organizer`` leads ``event``."""
    return event.organizer_links.filter(organizer=organizer, is_lead=True).exists()


def safe_next(request, default: str) -> str:
    """The ``next`` address from the form if it points to this site, else ``default``."""
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def is_htmx(request) -> bool:
    """Whether the request comes from HTMX (and wants a page fragment)."""
    return request.headers.get("HX-Request") == "true"
