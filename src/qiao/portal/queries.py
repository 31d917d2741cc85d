"""Read-only queries behind the public pages: event state, programme days, profile search."""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass, field
from itertools import groupby

from django.db.models import Q
from django.utils import timezone

from qiao.events.models import Event, Registration, RegistrationStatus
from qiao.organizations.models import Organization
from qiao.profiles.models import CooperationProfile

#: Registration states of an event as shown to visitors.
REGISTRATION_NOT_YET_OPEN = "not_yet_open"
REGISTRATION_OPEN = "open"
REGISTRATION_FULL = "full"
REGISTRATION_CLOSED = "closed"


def upcoming_events(queryset=None):
    """Events that have not ended yet, soonest first."""
    queryset = Event.objects.public() if queryset is None else queryset
    return queryset.filter(end_date__gte=timezone.localdate()).order_by("start_date", "slug")


def past_events(queryset=None):
    """Events that are over, most recent first."""
    queryset = Event.objects.public() if queryset is None else queryset
    return queryset.filter(end_date__lt=timezone.localdate()).order_by("-start_date", "slug")


def approved_registrations(event: Event):
    """The event's approved registrations with their organisations, by organisation name."""
    return (
        event.registrations.filter(status=RegistrationStatus.APPROVED)
        .select_related("organization")
        .order_by("organization__name")
    )


@dataclass
class EventState:
    """Registration window and capacity of an event, as shown on its page."""

    state: str
    approved: int
    capacity: int | None

    @property
    def places_left(self) -> int | None:
        """Free places, or ``None`` when there is no limit."""
        if self.capacity is None:
            return None
        return max(self.capacity - self.approved, 0)

    @property
    def accepts_registrations(self) -> bool:
        """Whether a participant can register now."""
        return self.state == REGISTRATION_OPEN


def event_state(event: Event, now=None) -> EventState:
    """Work out whether registration is open, not yet open, closed or full."""
    now = now or timezone.now()
    approved = event.registrations.filter(status=RegistrationStatus.APPROVED).count()
    if event.end_date < timezone.localdate(now, event.tzinfo):
        state = REGISTRATION_CLOSED
    elif event.registration_opens and now < event.registration_opens:
        state = REGISTRATION_NOT_YET_OPEN
    elif not event.registration_is_open(now):
        state = REGISTRATION_CLOSED
    elif event.capacity is not None and approved >= event.capacity:
        state = REGISTRATION_FULL
    else:
        state = REGISTRATION_OPEN
    return EventState(state=state, approved=approved, capacity=event.capacity)


def with_registration_state(events) -> list:
    """The events as a list, each with its :class:`EventState` as ``registration_state``."""
    events = list(events)
    for event in events:
        event.registration_state = event_state(event)
    return events


@dataclass
class ProgrammeDay:
    """The programme items of one day (in the event's time zone)."""

    date: object
    items: list = field(default_factory=list)


def programme_days(event: Event) -> list[ProgrammeDay]:
    """Group the event's programme by calendar day in the event's time zone."""
    tz = event.tzinfo
    items = list(event.programme.order_by("starts_at", "id"))
    return [
        ProgrammeDay(date=day, items=list(group))
        for day, group in groupby(items, key=lambda item: item.starts_at.astimezone(tz).date())
    ]


def viewer_time_differs(event: Event) -> bool:
    """Whether the viewer's clock differs from the event's during the event."""
    start = datetime.datetime.combine(event.start_date, datetime.time(12), tzinfo=event.tzinfo)
    viewer = timezone.get_current_timezone()
    return start.utcoffset() != start.astimezone(viewer).utcoffset()


def lead_first_organizers(event: Event) -> list:
    """The event's organisers, lead organisers first."""
    links = event.organizer_links.select_related("organizer").order_by("-is_lead", "id")
    organizers = []
    for link in links:
        link.organizer.is_lead_organizer = link.is_lead
        organizers.append(link.organizer)
    return organizers


def managing_organizer(event: Event, user):
    """An organiser of ``event`` whose back office ``user`` works in (for a "manage" link)."""
    if not user.has_perm("events.manage_event", event):
        return None
    from qiao.core.access import organizers_for

    return organizers_for(user).filter(event_links__event=event).order_by("slug").first()


def reviewing_organizer(profile: CooperationProfile, user):
    """An organiser serving the profile's organisation whose staff ``user`` belongs to."""
    if not user.has_perm("profiles.review_profile", profile):
        return None
    from qiao.core.access import organizers_for

    return (
        organizers_for(user).filter(organizations=profile.organization).order_by("slug").first()
    )


def viewer_registration(event: Event, user) -> Registration | None:
    """The registration of one of the organisations ``user`` represents, if any."""
    if not user.is_authenticated:
        return None
    return (
        event.registrations.filter(organization__memberships__user=user)
        .select_related("organization")
        .first()
    )


def _json_text_variants(term: str) -> set[str]:
    """The term as it may appear inside stored JSON text (plain or ``\\uXXXX``-escaped)."""
    escaped = json.dumps(term)[1:-1]
    return {term, escaped}


def _term_filter(term: str) -> Q:
    """Match one search word in a profile's title, text, keywords or organisation names."""
    lowered = term.lower()
    condition = (
        Q(title__icontains=term)
        | Q(text__icontains=term)
        | Q(organization__name__icontains=term)
        | Q(organization__name_latin__icontains=term)
        | Q(organization__search_index__contains=lowered)
    )
    for variant in _json_text_variants(term):
        condition |= Q(keywords__icontains=variant)
    return condition


def search_profiles(queryset, text: str):
    """Full-text search over profiles: every word must match somewhere.

    Works for German and Chinese (substrings) and finds Chinese organisation
    names by their pinyin, with or without spaces between syllables.
    """
    text = (text or "").strip()
    if not text:
        return queryset
    condition = Q(organization__search_index__contains=" ".join(text.lower().split()))
    words = Q()
    for word in text.split():
        words &= _term_filter(word)
    return queryset.filter(condition | words).distinct()


def filter_profiles(queryset, *, direction="", topic="", cooperation="", country="",
                    language=""):
    """Apply the directory's filters (empty values are ignored)."""
    if direction:
        queryset = queryset.filter(direction=direction)
    if topic:
        queryset = queryset.filter(topic=topic)
    if cooperation:
        queryset = queryset.filter(cooperation__icontains=json.dumps(cooperation))
    if country:
        queryset = queryset.filter(organization__country=country.upper())
    if language:
        queryset = queryset.filter(language=language)
    return queryset


def published_profiles():
    """Published, valid profiles with their organisations, newest first."""
    return (
        CooperationProfile.objects.published()
        .select_related("organization")
        .order_by("-published_at", "-id")
    )


def directory_countries() -> list[str]:
    """Countries of organisations that have published profiles."""
    codes = (
        Organization.objects.filter(profiles__in=CooperationProfile.objects.published())
        .values_list("country", flat=True)
        .distinct()
    )
    return sorted(set(codes))


def directory_languages() -> list[str]:
    """Languages in which published profiles are written."""
    codes = CooperationProfile.objects.published().values_list("language", flat=True).distinct()
    return sorted(set(codes))


def organization_events(organization: Organization, user):
    """Events the organisation takes part in (approved) that the viewer may see."""
    registrations = (
        organization.registrations.filter(status=RegistrationStatus.APPROVED)
        .select_related("event")
        .order_by("-event__start_date")
    )
    return [r.event for r in registrations if user.has_perm("events.view_event", r.event)]
