"""A tiny matchmaking event for the organisers' scheduling tests (one organiser's event)."""

from __future__ import annotations

import datetime

from factories import EventFactory, MatchmakingSettingsFactory, SessionFactory, event_time
from meetings.conftest import make_participant

from qiao.meetings import services
from qiao.meetings.models import Slot

DAY = datetime.date(2031, 6, 12)


def tiny_event(organizer, *, tables: int = 2, slots: int = 4, slug: str | None = None):
    """A one-day event of ``organizer``: one morning session of ``slots`` 25-minute slots."""
    extra = {"slug": slug} if slug else {}
    event = EventFactory(organizers=[organizer], allows_meeting_requests=True, start_date=DAY,
                         end_date=DAY, timezone="Europe/Berlin", **extra)
    MatchmakingSettingsFactory(event=event, slot_minutes=25, pause_minutes=5,
                               default_tables=tables)
    SessionFactory(event=event, starts_at=event_time(event, 9),
                   ends_at=event_time(event, 9) + datetime.timedelta(minutes=30 * slots))
    services.generate_slots(event)
    return event


def participants(event, count: int = 4, **kwargs):
    """``count`` approved participants speaking German and English."""
    return [make_participant(event, name=f"Teilnehmer {k} GmbH", **kwargs) for k in range(count)]


def accepted(event, a, b, priority: int = 1):
    """A meeting between registrations ``a`` and ``b``, requested by ``a`` and accepted."""
    request = services.send_meeting_request(event, a, b, a.user, priority=priority)
    return services.accept_meeting_request(request, b.user)


def slots(event) -> list[Slot]:
    """The event's slots in time order."""
    return list(Slot.objects.filter(event=event).order_by("starts_at"))
