"""Public pages: events, the cooperation profile directory, organisation pages.

Everything here is readable by visitors; objects the rules do not allow are
answered with 404.  Contact data appears only where
``organizations.view_contact_data`` allows it.
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from qiao.core.access import require
from qiao.core.choices import (
    CompanySize,
    CooperationType,
    Direction,
    Topic,
    content_language_name,
    country_name,
)
from qiao.events.models import Event, EventKind
from qiao.organizations.models import Organization
from qiao.portal import queries
from qiao.profiles.models import CooperationProfile, ProfileStatus

PROFILES_PER_PAGE = 20
PAST_EVENTS_SHOWN = 30


def event_list(request):
    """Public events, upcoming and past, optionally of one kind."""
    kind = request.GET.get("kind", "")
    events = Event.objects.public()
    if kind in EventKind.values:
        events = events.filter(kind=kind)
    else:
        kind = ""
    return render(request, "portal/events/list.html", {
        "upcoming": queries.with_registration_state(queries.upcoming_events(events)),
        "past": queries.past_events(events)[:PAST_EVENTS_SHOWN],
        "kinds": EventKind.choices,
        "kind": kind,
    })


def event_detail(request, slug):
    """An event with its programme, sponsors, registration state and participants."""
    event = get_object_or_404(Event, slug=slug)
    require(request.user, "events.view_event", event)
    return render(request, "portal/events/detail.html", {
        "event": event,
        "organizers": queries.lead_first_organizers(event),
        "days": queries.programme_days(event),
        "sponsors": event.sponsors.all(),
        "state": queries.event_state(event),
        "participants": queries.approved_registrations(event),
        "my_registration": queries.viewer_registration(event, request.user),
        "managing_organizer": queries.managing_organizer(event, request.user),
        "can_register": request.user.has_perm("events.register"),
        "viewer_timezone": timezone.get_current_timezone_name(),
        "viewer_time_differs": queries.viewer_time_differs(event),
    })


def _choice(value: str, allowed) -> str:
    """Return ``value`` when it is one of ``allowed``, else an empty string."""
    return value if value in allowed else ""


def profile_list(request):
    """The directory of published profiles with filters, search and pagination."""
    countries = queries.directory_countries()
    languages = queries.directory_languages()
    filters = {
        "direction": _choice(request.GET.get("direction", ""), Direction.values),
        "topic": _choice(request.GET.get("topic", ""), Topic.values),
        "cooperation": _choice(request.GET.get("cooperation", ""), CooperationType.values),
        "country": _choice(request.GET.get("country", ""), countries),
        "language": _choice(request.GET.get("language", ""), languages),
    }
    q = request.GET.get("q", "").strip()[:200]
    profiles = queries.filter_profiles(queries.published_profiles(), **filters)
    profiles = queries.search_profiles(profiles, q)
    page = Paginator(profiles, PROFILES_PER_PAGE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return render(request, "portal/profiles/list.html", {
        "page": page,
        "q": q,
        "filters": filters,
        "is_filtered": bool(q or any(filters.values())),
        "query_string": params.urlencode(),
        "directions": Direction.choices,
        "topics": Topic.choices,
        "cooperation_types": CooperationType.choices,
        "countries": sorted(((c, country_name(c)) for c in countries), key=lambda c: c[1]),
        "languages": [(c, content_language_name(c)) for c in languages],
    })


def _contact_context(user, organization) -> dict:
    """Contact data of an organisation, only when the rules allow the viewer to see it."""
    allowed = user.has_perm("organizations.view_contact_data", organization)
    if not allowed:
        offices = [o for o in organization.organizers.all() if o.email]
        return {"show_contact": False, "offices": offices}
    representatives = organization.memberships.filter(
        user__is_active=True, user__consent_listing=True
    ).select_related("user")
    return {
        "show_contact": True,
        "contacts": organization.contacts.all(),
        "representatives": [m.user for m in representatives],
    }


def profile_detail(request, pk):
    """A cooperation profile with its organisation; contact data only per the rules."""
    profile = get_object_or_404(
        CooperationProfile.objects.select_related("organization"), pk=pk
    )
    require(request.user, "profiles.view_profile", profile)
    organization = profile.organization
    cooperation_labels = dict(CooperationType.choices)
    return render(request, "portal/profiles/detail.html", {
        "profile": profile,
        "organization": organization,
        "is_published": CooperationProfile.objects.published().filter(pk=profile.pk).exists(),
        "cooperation": [cooperation_labels.get(c, c) for c in profile.cooperation],
        "reviewing_organizer": queries.reviewing_organizer(profile, request.user)
        if profile.status == ProfileStatus.SUBMITTED else None,
        "can_view_organization": request.user.has_perm(
            "organizations.view_organization", organization
        ),
        **_contact_context(request.user, organization),
    })


def _size_label(employees: int | None) -> str:
    """The company size class for a number of employees."""
    if employees is None:
        return ""
    if employees < 10:
        return CompanySize.MICRO.label
    if employees < 50:
        return CompanySize.SMALL.label
    if employees < 250:
        return CompanySize.MEDIUM.label
    return CompanySize.LARGE.label


def organization_detail(request, pk):
    """An organisation's public page with its published profiles and events."""
    organization = get_object_or_404(Organization, pk=pk)
    require(request.user, "organizations.view_organization", organization)
    return render(request, "portal/organizations/detail.html", {
        "organization": organization,
        "size": _size_label(organization.employees),
        "profiles": organization.profiles.published().order_by("-published_at", "-id"),
        "events": queries.organization_events(organization, request.user),
        **_contact_context(request.user, organization),
    })
