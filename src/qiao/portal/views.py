"""The home page of Qiao."""

from django.shortcuts import render

from qiao.events.models import Event
from qiao.organizations.models import Organization
from qiao.portal import queries

HOME_EVENTS = 4
HOME_PROFILES = 6


def home(request):
    """Landing page: what Qiao is, upcoming public events, the newest published profiles."""
    profiles = queries.published_profiles()
    return render(request, "portal/home.html", {
        "events": queries.with_registration_state(
            queries.upcoming_events(Event.objects.public())[:HOME_EVENTS]
        ),
        "profiles": profiles[:HOME_PROFILES],
        "profile_count": profiles.count(),
        "organization_count": Organization.objects.filter(profiles__in=profiles)
        .distinct().count(),
    })
