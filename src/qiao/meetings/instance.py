"""The bridge between the database and the scheduling engine.

``instance_dict``/``build_instance`` describe an event's matchmaking as a
qiao-schedule-instance/1 document (ids: ``s<pk>`` slots, ``r<pk>``
registrations, ``m<pk>`` meetings, ``i<pk>`` interpreters);
``current_solution`` reads the agenda as it stands, and ``apply_solution``
writes a solver's result back in one transaction, keeping locked meetings.
"""

from __future__ import annotations

import logging

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qiao.core.errors import TransitionError
from qiao.events.models import Registration, RegistrationStatus
from qiao.meetings.models import (
    Interpreter,
    Meeting,
    MeetingSeat,
    MeetingStatus,
    Slot,
)
from qiao.meetings.placement import meeting_languages, video_link
from qiao.meetings.slots import availability_map
from qiao.scheduling import Assignment, Instance, Solution, parse_instance, validate_solution

logger = logging.getLogger("qiao.meetings")

INSTANCE_FORMAT = "qiao-schedule-instance/1"


def registration_key(registration_or_pk) -> str:
    """A registration's id in scheduling instances."""
    return f"r{getattr(registration_or_pk, 'pk', registration_or_pk)}"


def _pk(key: str | None) -> int | None:
    return int(key[1:]) if key else None


def _open_meetings(event):
    return (
        Meeting.objects.filter(event=event)
        .exclude(status=MeetingStatus.CANCELLED)
        .filter(request__requester__status=RegistrationStatus.APPROVED,
                request__recipient__status=RegistrationStatus.APPROVED)
        .select_related("request", "slot")
        .order_by("pk")
    )


def instance_dict(event, *, require_all: bool = False, fairness: int | None = None) -> dict:
    """The event's scheduling problem as a qiao-schedule-instance/1 dict.

    Participants are the approved registrations with their meeting languages
    (the registration's, else the organisation's) and available slots;
    meetings are the accepted, not cancelled ones (priority: the higher of
    both sides', online when so agreed); a locked scheduled meeting gets its
    slot as ``fixed_slot``.
    """
    slots = list(Slot.objects.filter(event=event).order_by("starts_at"))
    regs = list(
        Registration.objects.filter(event=event, status=RegistrationStatus.APPROVED)
        .select_related("organization").order_by("pk")
    )
    available = availability_map(event, [r.pk for r in regs])
    participants = [
        {"id": registration_key(r), "languages": sorted(meeting_languages(r)),
         "available": [s.key for s in slots if s.pk in available.get(r.pk, set())],
         "remote": r.attendance == "remote"}
        for r in regs
    ]
    meetings = []
    for m in _open_meetings(event):
        entry = {
            "id": m.key,
            "participants": [registration_key(m.request.requester_id),
                             registration_key(m.request.recipient_id)],
            "priority": m.request.effective_priority,
            "remote": m.is_remote,
        }
        if m.is_locked and m.slot_id:
            entry["fixed_slot"] = f"s{m.slot_id}"
        meetings.append(entry)
    interpreters = [
        {"id": i.key, "languages": sorted(set(i.languages)),
         "available": sorted(f"s{pk}" for pk in i.available_slots.values_list("pk", flat=True))}
        for i in Interpreter.objects.filter(event=event).order_by("pk")
    ]
    data = {
        "format": INSTANCE_FORMAT,
        "event": {"id": event.slug, "timezone": event.timezone},
        "slots": [{"id": s.key, "start": s.starts_at.astimezone(event.tzinfo).isoformat(),
                   "end": s.ends_at.astimezone(event.tzinfo).isoformat(), "tables": s.tables}
                  for s in slots],
        "participants": participants,
        "meetings": meetings,
        "interpreters": interpreters,
    }
    if require_all:
        data["require_all"] = True
    if fairness is not None:
        data["fairness"] = fairness
    return data


def build_instance(event, *, require_all: bool = False, fairness: int | None = None) -> Instance:
    """The event's scheduling problem, parsed and checked by the engine."""
    return parse_instance(instance_dict(event, require_all=require_all, fairness=fairness))


def current_solution(event, instance: Instance | None = None) -> Solution:
    """The event's agenda as it stands (scheduled meetings) as an engine Solution."""
    instance = instance or build_instance(event)
    assignments = []
    for m in _open_meetings(event).filter(status=MeetingStatus.SCHEDULED):
        if m.key not in instance.meeting_by_id:
            continue
        interpreter = f"i{m.interpreter_id}" if m.interpreter_id else None
        assignments.append(Assignment(m.key, f"s{m.slot_id}", m.table, interpreter))
    weight = sum(instance.meeting_by_id[a.meeting].priority for a in assignments)
    return Solution(assignments=assignments, status="feasible", weight=weight)


def apply_solution(event, solution: Solution, by=None, instance: Instance | None = None) -> dict:
    """Write ``solution``'s placements for ``event`` in one transaction; locked meetings stay.

    Meetings of the solution are placed at its slot, table and interpreter;
    unlocked meetings it leaves out become unscheduled.  The solution is
    checked against a fresh instance first (every hard rule); a solution that
    breaks one, or that conflicts with a locked meeting, changes nothing.
    Returns counts: placed, unscheduled, kept (locked).
    """
    with transaction.atomic():
        meetings = {
            m.key: m for m in Meeting.objects.select_for_update(of=("self",))
            .filter(event=event).exclude(status=MeetingStatus.CANCELLED)
            .select_related("request", "event")
        }
        instance = instance or build_instance(event)
        problems = validate_solution(instance, solution)
        if problems:
            raise TransitionError(
                _("The schedule does not fit the current data: %(problem)s"),
                code="invalid_solution", params={"problem": problems[0]},
            )
        locked = {k for k, m in meetings.items() if m.is_locked and m.slot_id}
        wanted = {a.meeting: a for a in solution.assignments if a.meeting in meetings}
        for key in locked:
            a = wanted.get(key)
            if a is not None and _pk(a.slot) != meetings[key].slot_id:
                raise TransitionError(_("The schedule moves a locked meeting."), code="locked")
        movable = [m for k, m in meetings.items() if k not in locked]
        MeetingSeat.objects.filter(meeting__in=movable).delete()
        Meeting.objects.filter(pk__in=[m.pk for m in movable]).update(
            status=MeetingStatus.UNSCHEDULED, slot=None, table=None, interpreter=None,
            updated_at=timezone.now(),
        )
        seats = []
        changed = []
        now = timezone.now()
        for m in movable:
            a = wanted.get(m.key)
            if a is None:
                continue
            m.status = MeetingStatus.SCHEDULED
            m.slot_id, m.table, m.interpreter_id = _pk(a.slot), a.table, _pk(a.interpreter)
            if m.is_remote and not m.remote_link:
                m.remote_link = video_link(m)
            m.updated_at = now
            changed.append(m)
            seats += [MeetingSeat(meeting=m, slot_id=m.slot_id, registration_id=r)
                      for r in (m.request.requester_id, m.request.recipient_id)]
            if m.interpreter_id:
                seats.append(MeetingSeat(meeting=m, slot_id=m.slot_id,
                                         interpreter_id=m.interpreter_id))
        try:
            with transaction.atomic():
                Meeting.objects.bulk_update(
                    changed, ["status", "slot", "table", "interpreter", "remote_link",
                              "updated_at"], batch_size=500)
                MeetingSeat.objects.bulk_create(seats, batch_size=500)
        except IntegrityError as exc:
            raise TransitionError(
                _("The schedule books a participant, table or interpreter twice."),
                code="booked",
            ) from exc
        placed = len(changed)
    result = {"placed": placed, "unscheduled": len(movable) - placed, "kept": len(locked)}
    logger.info("solution applied to event %s by user %s: %s", event.pk,
                getattr(by, "pk", None), result)
    return result
