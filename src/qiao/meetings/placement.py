"""Placing meetings into slots, tables and interpreters (services; re-exported by ``services``).

Every placement writes ``MeetingSeat`` rows whose unique constraints refuse a
second booking of a participant or interpreter in a slot, and the meeting's
(slot, table) is unique as well; a race lost to another transaction ends in a
clean ``TransitionError`` (or, for automatic placement, the next free slot).
"""

from __future__ import annotations

import logging
import secrets

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from qiao.core.errors import TransitionError
from qiao.meetings.models import (
    Interpreter,
    Meeting,
    MeetingSeat,
    MeetingStatus,
    Slot,
)
from qiao.meetings.slots import availability_map, settings_for

logger = logging.getLogger("qiao.meetings")

#: How often automatic placement retries after losing a race for a slot.
PLACEMENT_ATTEMPTS = 8


def _locked_meeting(meeting) -> Meeting:
    return (
        Meeting.objects.select_for_update(of=("self",))
        .select_related("event", "request__requester__organization",
                        "request__recipient__organization")
        .get(pk=meeting.pk)
    )


def _refresh(target, source) -> None:
    for field in Meeting._meta.concrete_fields:
        setattr(target, field.attname, getattr(source, field.attname))


def meeting_languages(registration) -> set[str]:
    """Languages a participant can meet in: the registration's, else the organisation's."""
    return set(registration.languages or registration.organization.languages or [])


def video_link(meeting) -> str:
    """The video room of an online meeting from the event's template (empty without one)."""
    template = settings_for(meeting.event).video_link_template
    if not template:
        return ""
    token = secrets.token_urlsafe(9).replace("_", "x").replace("-", "y")
    return (template.replace("{event}", meeting.event.slug)
            .replace("{meeting}", str(meeting.pk)).replace("{token}", token))


def _free_table(slot, exclude=()) -> int | None:
    used = set(Meeting.objects.filter(slot=slot, table__isnull=False)
               .values_list("table", flat=True)) | set(exclude)
    return next((t for t in range(1, slot.tables + 1) if t not in used), None)


def _check_interpreter(meeting, slot, interpreter) -> None:
    if interpreter.event_id != meeting.event_id:
        raise TransitionError(_("This interpreter does not work at this event."), code="event")
    if not interpreter.available_slots.filter(pk=slot.pk).exists():
        raise TransitionError(_("The interpreter is not available in this slot."),
                              code="interpreter_unavailable")
    langs = set(interpreter.languages)
    requester, recipient = meeting.request.requester, meeting.request.recipient
    if not (langs & meeting_languages(requester) and langs & meeting_languages(recipient)):
        raise TransitionError(_("The interpreter does not speak a language of both sides."),
                              code="interpreter_languages")


def _write_placement(meeting, slot, table, interpreter, locked) -> None:
    """Write the meeting's slot, table, interpreter and seats (inside a savepoint)."""
    MeetingSeat.objects.filter(meeting=meeting).delete()
    meeting.status = MeetingStatus.SCHEDULED
    meeting.slot = slot
    meeting.table = table
    meeting.interpreter = interpreter
    meeting.is_locked = locked
    if meeting.is_remote and not meeting.remote_link:
        meeting.remote_link = video_link(meeting)
    meeting.save()
    seats = [MeetingSeat(meeting=meeting, slot=slot, registration_id=reg_id)
             for reg_id in (meeting.request.requester_id, meeting.request.recipient_id)]
    if interpreter is not None:
        seats.append(MeetingSeat(meeting=meeting, slot=slot, interpreter=interpreter))
    MeetingSeat.objects.bulk_create(seats)


def place_meeting(meeting, slot, table=None, interpreter=None, by=None,
                  locked: bool | None = None) -> Meeting:
    """Put ``meeting`` into ``slot`` (at ``table``, or the lowest free one), moving it if placed.

    Refused for cancelled meetings, slots of another event, participants not
    available or already booked in the slot, a taken or unknown table, or an
    interpreter who is busy, unavailable or lacks the languages.  Online
    meetings get no table but a video link from the event's template.
    ``locked`` keeps the meeting in place when the agenda is scheduled again
    (None leaves the current setting).
    """
    with transaction.atomic():
        current = _locked_meeting(meeting)
        if current.status == MeetingStatus.CANCELLED:
            raise TransitionError(_("A cancelled meeting cannot be placed."), code="cancelled")
        slot = Slot.objects.get(pk=getattr(slot, "pk", slot))
        if slot.event_id != current.event_id:
            raise TransitionError(_("This slot belongs to another event."), code="event")
        req = current.request
        available = availability_map(current.event, [req.requester_id, req.recipient_id])
        if any(slot.pk not in available.get(r, set()) for r in (req.requester_id,
                                                                  req.recipient_id)):
            raise TransitionError(_("A participant is not available in this slot."),
                                  code="unavailable")
        if interpreter is not None:
            interpreter = Interpreter.objects.get(pk=getattr(interpreter, "pk", interpreter))
            _check_interpreter(current, slot, interpreter)
        if current.is_remote:
            if table is not None:
                raise TransitionError(_("Online meetings have no table."), code="table")
        elif table is not None and not 1 <= int(table) <= slot.tables:
            raise TransitionError(_("This slot has no table %(table)s.") % {"table": table},
                                  code="table")
        keep_lock = current.is_locked if locked is None else locked
        tried: list[int] = []
        for _attempt in range(PLACEMENT_ATTEMPTS):
            chosen = table
            if not current.is_remote and chosen is None:
                chosen = _free_table(slot, exclude=tried)
                if chosen is None:
                    raise TransitionError(_("No table is free in this slot."), code="no_table")
            try:
                with transaction.atomic():
                    _write_placement(current, slot, chosen, interpreter, keep_lock)
            except IntegrityError as exc:
                _refresh(current, _locked_meeting(current))
                if table is None and not current.is_remote and _table_taken(slot, chosen):
                    tried.append(chosen)
                    continue  # another transaction took the table: try the next one
                raise TransitionError(
                    _("A participant, the table or the interpreter is already booked in this "
                      "slot."), code="booked",
                ) from exc
            break
        else:
            raise TransitionError(_("No table is free in this slot."), code="no_table")
    _refresh(meeting, current)
    logger.info("meeting %s placed in slot %s by user %s", meeting.pk, slot.pk,
                getattr(by, "pk", None))
    return meeting


def _table_taken(slot, table) -> bool:
    return Meeting.objects.filter(slot=slot, table=table).exists()


def unplace_meeting(meeting, by=None) -> Meeting:
    """Take a scheduled meeting out of its slot (it stays accepted, unscheduled and unlocked)."""
    with transaction.atomic():
        current = _locked_meeting(meeting)
        if current.status != MeetingStatus.SCHEDULED:
            raise TransitionError(_("This meeting is not scheduled."), code="not_scheduled")
        MeetingSeat.objects.filter(meeting=current).delete()
        current.status = MeetingStatus.UNSCHEDULED
        current.slot = None
        current.table = None
        current.interpreter = None
        current.is_locked = False
        current.save()
    _refresh(meeting, current)
    logger.info("meeting %s unplaced by user %s", meeting.pk, getattr(by, "pk", None))
    return meeting


def _set_lock(meeting, value: bool, by) -> Meeting:
    with transaction.atomic():
        current = _locked_meeting(meeting)
        if value and current.status != MeetingStatus.SCHEDULED:
            raise TransitionError(_("Only a scheduled meeting can be locked."),
                                  code="not_scheduled")
        current.is_locked = value
        current.save(update_fields=["is_locked", "updated_at"])
    _refresh(meeting, current)
    logger.info("meeting %s %s by user %s", meeting.pk, "locked" if value else "unlocked",
                getattr(by, "pk", None))
    return meeting


def lock_meeting(meeting, by=None) -> Meeting:
    """Keep a scheduled meeting in its slot when the agenda is scheduled again."""
    return _set_lock(meeting, True, by)


def unlock_meeting(meeting, by=None) -> Meeting:
    """Let the scheduler move the meeting again."""
    return _set_lock(meeting, False, by)


def place_automatically(meeting, by=None) -> bool:
    """Place an unscheduled meeting into a compatible free slot chosen by the engine.

    Uses the scheduling engine's ``place_one`` (fewest added breaks, earliest
    on ties) on the event's current agenda without moving other meetings.
    Returns whether the meeting was placed; a lost race retries with a fresh
    view of the agenda.
    """
    from qiao.meetings.instance import build_instance, current_solution
    from qiao.scheduling import place_one

    for _attempt in range(PLACEMENT_ATTEMPTS):
        instance = build_instance(meeting.event)
        if meeting.key not in instance.meeting_by_id:
            return False
        solution = current_solution(meeting.event, instance)
        if meeting.key in solution.slot_of():
            return True
        result = place_one(instance, solution, meeting.key)
        found = next((a for a in result.assignments if a.meeting == meeting.key), None)
        if found is None:
            return False
        interpreter = int(found.interpreter[1:]) if found.interpreter else None
        try:
            place_meeting(meeting, int(found.slot[1:]), table=found.table,
                          interpreter=interpreter, by=by)
        except TransitionError as exc:
            if exc.code in {"booked", "no_table"}:
                continue  # another transaction took the seat, table or interpreter
            logger.info("meeting %s left unscheduled: %s", meeting.pk, exc.code)
            return False
        return True
    logger.info("meeting %s left unscheduled after %d attempts", meeting.pk,
                PLACEMENT_ATTEMPTS)
    return False
