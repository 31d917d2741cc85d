"""The public JSON API (django-ninja): events and published cooperation profiles.

Read-only for now; it grows with the public-API issue.  Everything here is
public data: published profiles without contact data, public events.
"""

from __future__ import annotations

import datetime

from django.shortcuts import get_object_or_404
from ninja import NinjaAPI, Schema

from qiao.core.i18n import translated
from qiao.events.models import Event
from qiao.profiles.models import CooperationProfile

api = NinjaAPI(title="Qiao API", version="1", urls_namespace="api")


class EventOut(Schema):
    slug: str
    kind: str
    name: dict
    start_date: datetime.date
    end_date: datetime.date
    timezone: str
    city: str
    country: str
    languages: list[str]


class ProfileOut(Schema):
    id: int
    organization: str
    organization_country: str
    direction: str
    topic: str
    cooperation: list[str]
    title: str
    text: str
    language: str
    keywords: list[str]
    target_countries: list[str]


def _profile_out(p: CooperationProfile) -> dict:
    return {
        "id": p.pk, "organization": p.organization.name,
        "organization_country": p.organization.country, "direction": p.direction,
        "topic": p.topic, "cooperation": p.cooperation, "title": p.title, "text": p.text,
        "language": p.language, "keywords": p.keywords, "target_countries": p.target_countries,
    }


@api.get("/events", response=list[EventOut])
def list_events(request):
    """Public events, earliest first."""
    return list(Event.objects.public())


@api.get("/events/{slug}", response=EventOut)
def get_event(request, slug: str):
    """One public event."""
    return get_object_or_404(Event.objects.public(), slug=slug)


@api.get("/profiles", response=list[ProfileOut])
def list_profiles(request, direction: str | None = None, limit: int = 100, offset: int = 0):
    """Published cooperation profiles (without contact data), newest first."""
    limit = max(1, min(limit, 500))
    qs = CooperationProfile.objects.published().select_related("organization")
    if direction:
        qs = qs.filter(direction=direction)
    return [_profile_out(p) for p in qs[offset: offset + limit]]


@api.get("/profiles/{profile_id}", response=ProfileOut)
def get_profile(request, profile_id: int):
    """One published cooperation profile."""
    qs = CooperationProfile.objects.published().select_related("organization")
    return _profile_out(get_object_or_404(qs, pk=profile_id))


def event_name(event: Event, language: str) -> str:
    """Event name in ``language`` (helper for clients that want one string)."""
    return translated(event.name, language)
