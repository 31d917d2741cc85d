"""Organisers editing the agenda by hand: move a meeting, lock it, take it out.

``move_meeting`` checks every rule before it writes and names the one that
fails (participant not available or busy, table taken or missing, online vs
table, interpreter needed, free and speaking both sides' languages); the
placement itself goes through :func:`qiao.meetings.placement.place_meeting`,
whose ``MeetingSeat`` rows make double booking impossible even in a race.
Once the agenda is published both sides are told about the new place.
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from qiao.core.errors import TransitionError
from qiao.core.mail import mail_representatives
from qiao.meetings.models import (
    Interpreter,
    Meeting,
    MeetingSeat,
    MeetingStatus,
    Slot,
)
from qiao.meetings.placement import (
    lock_meeting,
    meeting_languages,
    place_meeting,
    unlock_meeting,
    unplace_meeting,
)
from qiao.meetings.slots import availability_map, settings_for

logger = logging.getLogger("qiao.meetings")

__all__ = ["candidate_places", "lock_meeting", "move_meeting", "needs_interpreter",
           "swap_meetings", "tell_sides", "unlock_meeting", "unplace_meeting"]


def needs_interpreter(meeting) -> bool:
    """Whether the two sides of ``meeting`` share no language."""
    request = meeting.request
    return not (meeting_languages(request.requester) & meeting_languages(request.recipient))


def _suitable_interpreters(meeting, slot):
    request = meeting.request
    a, b = meeting_languages(request.requester), meeting_languages(request.recipient)
    busy = MeetingSeat.objects.filter(slot=slot, interpreter__isnull=False).exclude(
        meeting=meeting).values("interpreter")
    found = []
    for interpreter in (Interpreter.objects.filter(event=meeting.event, available_slots=slot)
                        .exclude(pk__in=busy).order_by("pk")):
        langs = set(interpreter.languages)
        if langs & a and langs & b:
            found.append(interpreter)
    return found


def _check_slot(meeting, slot, table, online: bool) -> None:
    request = meeting.request
    sides = (request.requester, request.recipient)
    available = availability_map(meeting.event, [r.pk for r in sides])
    for registration in sides:
        if slot.pk not in available.get(registration.pk, set()):
            raise TransitionError(
                _("%(org)s is not available in this slot.")
                % {"org": registration.organization.display_name}, code="unavailable")
    for registration in sides:
        if MeetingSeat.objects.filter(slot=slot, registration=registration).exclude(
                meeting=meeting).exists():
            raise TransitionError(
                _("%(org)s already has another meeting in this slot.")
                % {"org": registration.organization.display_name}, code="busy")
    if online and not meeting.is_remote:
        raise TransitionError(_("This meeting takes place at a table, not online."),
                              code="not_remote")
    if meeting.is_remote and table is not None:
        raise TransitionError(_("This is an online meeting; it has no table."), code="remote")
    if table is not None:
        if not 1 <= table <= slot.tables:
            raise TransitionError(_("This slot has no table %(table)s.") % {"table": table},
                                  code="table")
        if Meeting.objects.filter(slot=slot, table=table).exclude(pk=meeting.pk).exists():
            raise TransitionError(
                _("Table %(table)s is already taken in this slot.") % {"table": table},
                code="table_taken")


def move_meeting(meeting, slot, by, *, table: int | None = None, online: bool = False,
                 interpreter=None, lock: bool = True) -> Meeting:
    """Place ``meeting`` into ``slot`` at ``table`` (or online), or move it there.

    Without a table an in-person meeting gets the lowest free one.  A meeting
    whose sides share no language needs an interpreter: the given one, else
    the one it has if they are free, else any suitable free one.  ``lock``
    keeps the meeting there when the scheduler runs again (the default for
    manual placements).  Raises ``TransitionError`` naming the broken rule.
    """
    with transaction.atomic():
        current = _locked(meeting)
        slot = _move(current, slot, by, table=table, online=online, interpreter=interpreter,
                     lock=lock)
    _copy(meeting, current)
    logger.info("meeting %s moved to slot %s by user %s (locked: %s)", meeting.pk, slot.pk,
                getattr(by, "pk", None), lock)
    return meeting


def swap_meetings(first, second, by) -> tuple[Meeting, Meeting]:
    """Exchange the places (slot and table, or online) of two scheduled meetings of an event.

    Both end up locked.  Every rule is checked for both new places; if one
    fails nothing changes and the error names the rule.
    """
    with transaction.atomic():
        rows = sorted([first, second], key=lambda m: m.pk)
        locked = {m.pk: _locked(m) for m in rows}
        a, b = locked[first.pk], locked[second.pk]
        if a.pk == b.pk or a.event_id != b.event_id:
            raise TransitionError(_("Choose two meetings of this event."), code="event")
        if a.status != MeetingStatus.SCHEDULED or b.status != MeetingStatus.SCHEDULED:
            raise TransitionError(_("Only scheduled meetings can swap places."),
                                  code="not_scheduled")
        place_a = (Slot.objects.get(pk=a.slot_id), a.table)
        place_b = (Slot.objects.get(pk=b.slot_id), b.table)
        unplace_meeting(b, by)
        b = _locked(b)
        _move(a, place_b[0], by, table=place_b[1], online=place_b[1] is None and a.is_remote,
              lock=True, former=place_a)
        _move(b, place_a[0], by, table=place_a[1], online=place_a[1] is None and b.is_remote,
              lock=True, former=place_b)
    _copy(first, a)
    _copy(second, b)
    logger.info("meetings %s and %s swapped by user %s", first.pk, second.pk,
                getattr(by, "pk", None))
    return first, second


def _locked(meeting) -> Meeting:
    return (Meeting.objects.select_for_update(of=("self",))
            .select_related("event", "request__requester__organization",
                            "request__recipient__organization", "interpreter")
            .get(pk=meeting.pk))


def _copy(target, source) -> None:
    for field in Meeting._meta.concrete_fields:
        setattr(target, field.attname, getattr(source, field.attname))


def _move(current, slot, by, *, table=None, online=False, interpreter=None, lock=True,
          former=None):
    """Check and write one placement of the locked meeting ``current``; return the slot.

    ``former`` (slot, table) is where the participants last saw the meeting
    (default: its current place), for the mail after publication.
    """
    if current.status == MeetingStatus.CANCELLED:
        raise TransitionError(_("A cancelled meeting cannot be placed."), code="cancelled")
    slot = Slot.objects.filter(pk=getattr(slot, "pk", slot), event=current.event_id).first()
    if slot is None:
        raise TransitionError(_("This slot belongs to another event."), code="event")
    table = int(table) if table not in (None, "") else None
    _check_slot(current, slot, table, online)
    if interpreter not in (None, ""):
        interpreter = Interpreter.objects.filter(
            pk=getattr(interpreter, "pk", interpreter), event=current.event_id).first()
        if interpreter is None:
            raise TransitionError(_("This interpreter does not work at this event."),
                                  code="event")
    if needs_interpreter(current):
        suitable = _suitable_interpreters(current, slot)
        if interpreter in (None, ""):
            keep = [i for i in suitable if i.pk == current.interpreter_id]
            interpreter = (keep or suitable or [None])[0]
            if interpreter is None:
                raise TransitionError(
                    _("The two sides share no language, and no interpreter for their "
                      "languages is free in this slot."), code="interpreter_needed")
        elif interpreter not in suitable:
            raise TransitionError(
                _("%(name)s is not available in this slot, already busy or does not speak "
                  "a language of both sides.") % {"name": interpreter.name},
                code="interpreter_unsuitable")
    elif interpreter not in (None, ""):
        raise TransitionError(_("The two sides share a language; no interpreter is needed."),
                              code="interpreter_not_needed")
    else:
        interpreter = None
    if former is None:
        former = (Slot.objects.filter(pk=current.slot_id).first(), current.table)
    place_meeting(current, slot, table=table, interpreter=interpreter, by=by, locked=lock)
    if settings_for(current.event).agenda_is_published:
        tell_sides(current, *former)
    return slot


def tell_sides(meeting, former_slot=None, former_table=None) -> int:
    """After publication: tell both sides that ``meeting`` was placed or moved (after commit).

    A meeting that had a place gets the "moved" mail of
    :mod:`qiao.documents.notify` (before and now); a newly placed one the
    "meeting scheduled" mail.  Nothing is sent when the place is unchanged.
    Returns the number of mails queued.
    """
    meeting = Meeting.objects.select_related(
        "event", "slot", "interpreter", "request__requester__organization",
        "request__recipient__organization").get(pk=meeting.pk)
    if former_slot is not None and (former_slot.pk, former_table) == (meeting.slot_id,
                                                                      meeting.table):
        return 0
    if former_slot is not None:
        from qiao.documents.notify import MOVED, send_meeting_changed

        return send_meeting_changed(meeting, MOVED, former_slot, former_table)
    request = meeting.request
    context = {"meeting_request": request, "event": meeting.event, "meeting": meeting,
               "requester_org": request.requester.organization,
               "recipient_org": request.recipient.organization}
    return sum(mail_representatives(registration.organization, "meeting_scheduled", context)
               for registration in (request.requester, request.recipient))


def candidate_places(meeting) -> list[dict]:
    """Every slot of the event with whether ``meeting`` could go there and why not.

    Each entry: ``slot``, ``ok`` (bool), ``reason`` (text or ""), ``free_tables`` (list).
    """
    request = meeting.request
    sides = (request.requester, request.recipient)
    slots = list(Slot.objects.filter(event=meeting.event).order_by("starts_at"))
    available = availability_map(meeting.event, [r.pk for r in sides])
    busy = {}
    for slot_id, reg_id in MeetingSeat.objects.filter(
        slot__event=meeting.event, registration__in=sides
    ).exclude(meeting=meeting).values_list("slot_id", "registration_id"):
        busy.setdefault(slot_id, set()).add(reg_id)
    used: dict[int, set[int]] = {}
    for slot_id, table in Meeting.objects.filter(
        event=meeting.event, table__isnull=False
    ).exclude(pk=meeting.pk).values_list("slot_id", "table"):
        used.setdefault(slot_id, set()).add(table)
    interpreting = needs_interpreter(meeting)
    out = []
    for slot in slots:
        reason = ""
        free = [t for t in range(1, slot.tables + 1) if t not in used.get(slot.pk, set())]
        if any(slot.pk not in available.get(r.pk, set()) for r in sides):
            reason = _("not available")
        elif busy.get(slot.pk):
            reason = _("already has a meeting")
        elif not meeting.is_remote and not free:
            reason = _("no free table")
        elif interpreting and not _suitable_interpreters(meeting, slot):
            reason = _("no interpreter free")
        out.append({"slot": slot, "ok": not reason, "reason": reason,
                    "free_tables": [] if meeting.is_remote else free})
    return out


def participant_meetings(registration):
    """Open meetings of a registration (either side)."""
    return Meeting.objects.exclude(status=MeetingStatus.CANCELLED).filter(
        Q(request__requester=registration) | Q(request__recipient=registration))
