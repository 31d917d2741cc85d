"""Slot grid and participants' availability (services; re-exported by ``services``).

Sessions are cut into slots of the event's meeting length with the pause in
between (``generate_slots``).  A participant is available in every slot unless
they stated otherwise (``set_availability``): chosen days of the event, or
hours in their own time zone — a slot counts only when it lies fully inside
those hours.
"""

from __future__ import annotations

import datetime
import logging
import zoneinfo
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from qiao.core.errors import TransitionError
from qiao.meetings.models import (
    Availability,
    AvailabilityMode,
    AvailabilityRule,
    MatchmakingSettings,
    Slot,
)

logger = logging.getLogger("qiao.meetings")


def settings_for(event) -> MatchmakingSettings:
    """The event's matchmaking settings, created with the defaults on first use."""
    cached = getattr(event, "_matchmaking_cache", None)
    if cached is not None:
        return cached
    found, _created = MatchmakingSettings.objects.get_or_create(event=event)
    event._matchmaking_cache = found
    return found


@dataclass
class SlotChanges:
    """What ``generate_slots`` did."""

    created: int = 0
    updated: int = 0
    deleted: int = 0
    kept: int = 0


def planned_slots(event) -> list[tuple]:
    """(start, end, tables, session) of every slot the event's sessions describe, in order."""
    config = settings_for(event)
    length = datetime.timedelta(minutes=config.slot_minutes)
    step = length + datetime.timedelta(minutes=config.pause_minutes)
    planned: dict[datetime.datetime, tuple] = {}
    for session in event.meeting_sessions.order_by("starts_at", "pk"):
        tables = session.tables if session.tables is not None else config.default_tables
        start = session.starts_at
        while start + length <= session.ends_at:
            planned.setdefault(start, (start, start + length, tables, session))
            start += step
    return [planned[key] for key in sorted(planned)]


def generate_slots(event) -> SlotChanges:
    """Create the event's slots from its sessions; idempotent.

    Slots that still fit are updated in place, missing ones created, and
    slots no session describes any more are deleted unless a meeting uses
    them (those are kept, so no placement is lost).  Participants' stated
    availability (days or hours) is applied to the new grid.
    """
    changes = SlotChanges()
    with transaction.atomic():
        existing = {s.starts_at: s for s in Slot.objects.select_for_update().filter(event=event)}
        seen = set()
        for start, end, tables, session in planned_slots(event):
            slot = existing.get(start)
            seen.add(start)
            if slot is None:
                Slot.objects.create(event=event, session=session, starts_at=start, ends_at=end,
                                    tables=tables)
                changes.created += 1
            elif (slot.ends_at, slot.tables, slot.session_id) != (end, tables, session.pk):
                slot.ends_at, slot.tables, slot.session = end, tables, session
                slot.save(update_fields=["ends_at", "tables", "session"])
                changes.updated += 1
        for start, slot in existing.items():
            if start in seen:
                continue
            if slot.meetings.exists():
                changes.kept += 1
            else:
                slot.delete()
                changes.deleted += 1
        for rule in AvailabilityRule.objects.filter(registration__event=event).exclude(
            mode=AvailabilityMode.WHOLE_EVENT
        ).select_related("registration"):
            _write_availability(rule.registration, _rule_slots(event, rule))
    logger.info("slots of event %s generated: %s", event.pk, changes)
    return changes


def event_days(event) -> list[datetime.date]:
    """The local days of the event that have slots (else all days from start to end)."""
    tz = event.tzinfo
    days = sorted({s.starts_at.astimezone(tz).date() for s in Slot.objects.filter(event=event)})
    if days:
        return days
    count = (event.end_date - event.start_date).days + 1
    return [event.start_date + datetime.timedelta(days=k) for k in range(count)]


def slot_within_hours(slot, start: datetime.time, end: datetime.time, tz) -> bool:
    """Whether ``slot`` lies fully inside ``start``–``end`` of one day in time zone ``tz``.

    An end of 00:00 means midnight at the end of the day.
    """
    local_start = slot.starts_at.astimezone(tz)
    local_end = slot.ends_at.astimezone(tz)
    day_start = datetime.datetime.combine(local_start.date(), start, tzinfo=tz)
    if end == datetime.time(0, 0):
        day_end = datetime.datetime.combine(
            local_start.date() + datetime.timedelta(days=1), end, tzinfo=tz
        )
    else:
        day_end = datetime.datetime.combine(local_start.date(), end, tzinfo=tz)
    return day_start <= local_start and local_end <= day_end


def _rule_slots(event, rule) -> list[Slot]:
    slots = list(Slot.objects.filter(event=event).order_by("starts_at"))
    if rule.mode == AvailabilityMode.WHOLE_EVENT:
        return slots
    days = {datetime.date.fromisoformat(d) for d in rule.days or ()}
    event_tz = event.tzinfo
    if days:
        slots = [s for s in slots if s.starts_at.astimezone(event_tz).date() in days]
    if rule.mode == AvailabilityMode.HOURS:
        tz = zoneinfo.ZoneInfo(rule.timezone or event.timezone)
        slots = [s for s in slots if slot_within_hours(s, rule.start_time, rule.end_time, tz)]
    return slots


def _write_availability(registration, slots: Iterable[Slot]) -> None:
    Availability.objects.filter(registration=registration).delete()
    Availability.objects.bulk_create(
        [Availability(registration=registration, slot=s) for s in slots]
    )


def _clean_rule(event, mode, days, start_time, end_time, tz_name) -> dict:
    if mode not in AvailabilityMode.values:
        raise ValidationError({"mode": _("Choose when you are available.")}, code="invalid")
    allowed = {d.isoformat() for d in event_days(event)}
    day_list = sorted({d.isoformat() if isinstance(d, datetime.date) else str(d)
                       for d in days or ()})
    if any(d not in allowed for d in day_list):
        raise ValidationError({"days": _("Choose days of the event.")}, code="invalid")
    if mode == AvailabilityMode.DAYS and not day_list:
        raise ValidationError({"days": _("Choose at least one day.")}, code="required")
    if mode != AvailabilityMode.HOURS:
        return {"mode": mode, "days": day_list if mode == AvailabilityMode.DAYS else [],
                "start_time": None, "end_time": None, "timezone": ""}
    if start_time is None or end_time is None:
        raise ValidationError({"start_time": _("Enter the hours in which you are available.")},
                              code="required")
    if end_time != datetime.time(0, 0) and end_time <= start_time:
        raise ValidationError({"end_time": _("The end must be later than the start.")},
                              code="invalid")
    tz_name = tz_name or event.timezone
    try:
        zoneinfo.ZoneInfo(tz_name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
        raise ValidationError({"timezone": _("Unknown time zone.")}, code="invalid") from exc
    return {"mode": mode, "days": day_list, "start_time": start_time, "end_time": end_time,
            "timezone": tz_name}


def set_availability(registration, by, mode: str, *, days: Iterable = (), start_time=None,
                     end_time=None, timezone: str = "") -> list[Slot]:
    """Record when a participant is available and derive their slots; return those slots.

    ``mode`` is ``all`` (the whole event), ``days`` (the chosen event days) or
    ``hours`` (``start_time``–``end_time`` in ``timezone``, e.g. a remote
    participant's own working hours, optionally limited to ``days``).
    Slots in which the participant already has a scheduled meeting must stay.
    """
    from qiao.meetings.models import MeetingSeat

    event = registration.event
    values = _clean_rule(event, mode, days, start_time, end_time, timezone)
    with transaction.atomic():
        rule, _created = AvailabilityRule.objects.select_for_update().get_or_create(
            registration=registration
        )
        for key, value in values.items():
            setattr(rule, key, value)
        slots = _rule_slots(event, rule)
        chosen = {s.pk for s in slots}
        booked = set(
            MeetingSeat.objects.filter(registration=registration).values_list("slot_id", flat=True)
        )
        if booked - chosen:
            raise TransitionError(
                _("You have meetings in slots outside the chosen times. Cancel those meetings "
                  "first or choose times that include them."), code="booked",
            )
        rule.save()
        _write_availability(registration, slots)
    logger.info("availability of registration %s set (%s, %d slots) by user %s",
                registration.pk, mode, len(slots), getattr(by, "pk", None))
    return slots


def availability_map(event, registration_ids: Iterable[int] | None = None) -> dict[int, set[int]]:
    """Slot ids in which each registration is available (all slots without a stated rule)."""
    all_slots = set(Slot.objects.filter(event=event).values_list("pk", flat=True))
    from qiao.events.models import Registration

    regs = Registration.objects.filter(event=event)
    if registration_ids is not None:
        regs = regs.filter(pk__in=list(registration_ids))
    reg_ids = list(regs.values_list("pk", flat=True))
    ruled = set(
        AvailabilityRule.objects.filter(registration_id__in=reg_ids).exclude(
            mode=AvailabilityMode.WHOLE_EVENT
        ).values_list("registration_id", flat=True)
    )
    result = {pk: (set() if pk in ruled else set(all_slots)) for pk in reg_ids}
    for reg_id, slot_id in Availability.objects.filter(registration_id__in=ruled).values_list(
        "registration_id", "slot_id"
    ):
        result[reg_id].add(slot_id)
    return result
