"""Back-office overview pages: the dashboard, an organiser's page and its review queue."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.shortcuts import render

from qiao.core.access import organizers_for
from qiao.core.choices import CooperationType
from qiao.orga import queries
from qiao.orga.common import backoffice_view, get_organizer

PROFILES_PER_PAGE = 20


@backoffice_view
def dashboard(request):
    """Per organiser of the user: events with registration counts and the open decisions."""
    organizers = organizers_for(request.user).order_by("slug")
    return render(request, "orga/dashboard.html", {
        "desks": queries.dashboard(organizers),
        "limit": queries.DASHBOARD_LIMIT,
    })


@backoffice_view
def organizer_overview(request, organizer):
    """One organiser: its data, staff, events and the number of open decisions."""
    organizer = get_organizer(request, organizer)
    upcoming, past = queries.events_of(organizer)
    return render(request, "orga/organizer.html", {
        "organizer": organizer,
        "upcoming": upcoming,
        "past": past,
        "staff": organizer.memberships.select_related("user").order_by("user__name"),
        "served_count": organizer.organizations.count(),
        "pending_count": queries.pending_registrations([organizer]).count(),
        "review_count": queries.submitted_profiles([organizer]).count(),
    })


@backoffice_view
def review_queue(request, organizer):
    """Submitted profiles of the organisations the organiser serves, with their full text."""
    organizer = get_organizer(request, organizer)
    page = Paginator(queries.submitted_profiles([organizer]).select_related("created_by"),
                     PROFILES_PER_PAGE).get_page(request.GET.get("page"))
    labels = dict(CooperationType.choices)
    for profile in page.object_list:
        profile.cooperation_labels = [labels.get(code, code) for code in profile.cooperation]
    return render(request, "orga/review_queue.html", {
        "organizer": organizer,
        "profiles": page.object_list,
        "page": page,
    })
