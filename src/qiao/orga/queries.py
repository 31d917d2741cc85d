"""Read-only queries of the back office, in a fixed number of database round trips."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils import timezone

from qiao.events.models import Event, EventOrganizer, Registration, RegistrationStatus
from qiao.organizations.models import Organization
from qiao.profiles.models import CooperationProfile, ProfileStatus

#: How many open items per organiser the dashboard lists before linking to the full list.
DASHBOARD_LIMIT = 25


def with_registration_counts(events):
    """Annotate events with the number of registrations in each status."""
    counts = {
        f"n_{status}": Count("registrations", filter=Q(registrations__status=status))
        for status in RegistrationStatus.values
    }
    return events.annotate(**counts)


def events_of(organizer):
    """The organiser's events (led or co-organised), upcoming first, then past ones."""
    today = timezone.localdate()
    events = with_registration_counts(
        Event.objects.filter(pk__in=EventOrganizer.objects.filter(organizer=organizer)
                             .values("event"))
    )
    ordered = list(events.order_by("start_date", "slug"))
    upcoming = [e for e in ordered if e.end_date >= today]
    past = [e for e in reversed(ordered) if e.end_date < today]
    return upcoming, past


def pending_registrations(organizers):
    """Registrations awaiting approval at events of ``organizers``."""
    return (
        Registration.objects.filter(
            status=RegistrationStatus.PENDING,
            event__in=EventOrganizer.objects.filter(organizer__in=organizers).values("event"),
        )
        .select_related("event", "organization")
        .order_by("created_at", "id")
    )


def submitted_profiles(organizers):
    """Submitted profiles of organisations served by ``organizers``, oldest first."""
    served = Organization.organizers.through.objects.filter(organizer__in=organizers)
    return (
        CooperationProfile.objects.filter(
            status=ProfileStatus.SUBMITTED,
            organization__in=served.values("organization"),
        )
        .select_related("organization")
        .order_by("submitted_at", "id")
    )


@dataclass
class OrganizerDesk:
    """Everything the dashboard shows for one organiser."""

    organizer: object
    upcoming: list = field(default_factory=list)
    past: list = field(default_factory=list)
    registrations: list = field(default_factory=list)
    registration_count: int = 0
    profiles: list = field(default_factory=list)
    profile_count: int = 0


def dashboard(organizers) -> list[OrganizerDesk]:
    """One :class:`OrganizerDesk` per organiser, built with a constant number of queries."""
    organizers = list(organizers)
    desks = {o.pk: OrganizerDesk(organizer=o) for o in organizers}
    if not desks:
        return []
    links = defaultdict(set)
    for organizer_id, event_id in EventOrganizer.objects.filter(
        organizer__in=organizers
    ).values_list("organizer_id", "event_id"):
        links[event_id].add(organizer_id)
    today = timezone.localdate()
    events = with_registration_counts(Event.objects.filter(pk__in=list(links)))
    for event in events.order_by("start_date", "slug"):
        for organizer_id in links[event.pk]:
            desk = desks[organizer_id]
            (desk.upcoming if event.end_date >= today else desk.past).append(event)
    for desk in desks.values():
        desk.past.reverse()
    for registration in pending_registrations(organizers):
        for organizer_id in links[registration.event_id]:
            desk = desks[organizer_id]
            desk.registration_count += 1
            if len(desk.registrations) < DASHBOARD_LIMIT:
                desk.registrations.append(registration)
    served = defaultdict(set)
    for organizer_id, organization_id in Organization.organizers.through.objects.filter(
        organizer__in=organizers
    ).values_list("organizer_id", "organization_id"):
        served[organization_id].add(organizer_id)
    for profile in submitted_profiles(organizers):
        for organizer_id in served[profile.organization_id]:
            desk = desks[organizer_id]
            desk.profile_count += 1
            if len(desk.profiles) < DASHBOARD_LIMIT:
                desk.profiles.append(profile)
    return [desks[o.pk] for o in organizers]


def status_counts(event) -> dict[str, int]:
    """Registrations of ``event`` per status (every status present, zero if none)."""
    counts = dict.fromkeys(RegistrationStatus.values, 0)
    for row in event.registrations.values("status").annotate(n=Count("id")):
        counts[row["status"]] = row["n"]
    return counts


def search_registrations(event, status: str = "", text: str = ""):
    """The event's registrations filtered by status and a search text."""
    registrations = event.registrations.select_related("organization", "registered_by")
    if status:
        registrations = registrations.filter(status=status)
    if text:
        needle = text.strip().lower()
        registrations = registrations.filter(
            Q(organization__search_index__contains=needle)
            | Q(organization__name__icontains=needle)
            | Q(organization__name_latin__icontains=needle)
            | Q(representatives__icontains=needle)
            | Q(registered_by__name__icontains=needle)
            | Q(registered_by__email__icontains=needle)
        )
    return registrations.order_by("organization__name", "id")
