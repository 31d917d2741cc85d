"""Organisers' plans of an event: the table plan and the interpreters' plan.

Both read the scheduled meetings once and group them: the table plan by day,
slot and table (online meetings apart), the interpreters' plan by
interpreter.  The writers in :mod:`.pdf` and :mod:`.xlsx` render them.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from qiao.meetings.models import Interpreter, Meeting, Slot
from qiao.meetings.placement import meeting_languages

from .agenda import scheduled_meetings

#: Tables side by side on a printed (landscape A4) table plan.
PRINT_TABLES = 8


@dataclass
class PlanRow:
    """One slot of the table plan: the meeting at each table and the online meetings."""

    slot: Slot
    tables: list[Meeting | None]
    online: list[Meeting]


@dataclass
class PlanDay:
    """One day of the table plan."""

    date: datetime.date
    table_count: int
    rows: list[PlanRow]

    @property
    def table_numbers(self) -> list[int]:
        """1 … the highest table number of the day."""
        return list(range(1, self.table_count + 1))

    @property
    def table_blocks(self):
        """The grid in blocks of ``PRINT_TABLES`` tables, as printed on a landscape page."""
        return self.table_chunks(PRINT_TABLES)

    def table_chunks(self, size: int) -> list[tuple[list[int], list[tuple[Slot, list]]]]:
        """The grid split into blocks of at most ``size`` tables (for printed pages).

        Each block is ``(table numbers, [(slot, meetings at those tables), …])``.
        """
        out = []
        for start in range(0, max(self.table_count, 1), size):
            numbers = self.table_numbers[start:start + size]
            out.append((numbers, [(row.slot, row.tables[start:start + size])
                                  for row in self.rows]))
        return out


@dataclass
class TablePlan:
    """Every slot × table of an event, with the two organisations per meeting."""

    event: object
    days: list[PlanDay] = field(default_factory=list)

    @property
    def online(self) -> list[Meeting]:
        """All online meetings, in time order."""
        return [m for day in self.days for row in day.rows for m in row.online]

    @property
    def meeting_count(self) -> int:
        """Number of scheduled meetings."""
        return sum(1 for day in self.days for row in day.rows
                   for m in [*row.tables, *row.online] if m)


def table_plan(event) -> TablePlan:
    """The table plan of ``event``: per day and slot, each table's meeting; online apart."""
    tz = event.tzinfo
    by_slot: dict[int, list[Meeting]] = {}
    for meeting in scheduled_meetings(event):
        by_slot.setdefault(meeting.slot_id, []).append(meeting)
    plan = TablePlan(event=event)
    days: dict[datetime.date, list[Slot]] = {}
    for slot in Slot.objects.filter(event=event).order_by("starts_at"):
        days.setdefault(slot.starts_at.astimezone(tz).date(), []).append(slot)
    for date, slots in days.items():
        meetings = [m for s in slots for m in by_slot.get(s.pk, [])]
        count = max([s.tables for s in slots] + [m.table or 0 for m in meetings] + [0])
        rows = []
        for slot in slots:
            here = by_slot.get(slot.pk, [])
            tables: list[Meeting | None] = [None] * count
            for meeting in here:
                if meeting.table and not meeting.is_remote:
                    tables[meeting.table - 1] = meeting
            online = [m for m in here if m.is_remote or not m.table]
            rows.append(PlanRow(slot=slot, tables=tables, online=online))
        plan.days.append(PlanDay(date=date, table_count=count, rows=rows))
    return plan


@dataclass
class InterpreterAssignment:
    """One meeting an interpreter works in."""

    meeting: Meeting
    languages_a: set[str]
    languages_b: set[str]

    @property
    def slot(self) -> Slot:
        """The meeting's slot."""
        return self.meeting.slot

    @property
    def party_a(self):
        """The requesting organisation."""
        return self.meeting.request.requester.organization

    @property
    def party_b(self):
        """The requested organisation."""
        return self.meeting.request.recipient.organization


@dataclass
class InterpreterSchedule:
    """An interpreter and the meetings they work in, in time order."""

    interpreter: Interpreter
    assignments: list[InterpreterAssignment]


def interpreter_plan(event) -> list[InterpreterSchedule]:
    """Per interpreter of ``event`` (also those without meetings): slot, table, parties."""
    by_interpreter: dict[int, list[InterpreterAssignment]] = {}
    for meeting in scheduled_meetings(event).filter(interpreter__isnull=False):
        request = meeting.request
        by_interpreter.setdefault(meeting.interpreter_id, []).append(InterpreterAssignment(
            meeting=meeting, languages_a=meeting_languages(request.requester),
            languages_b=meeting_languages(request.recipient),
        ))
    return [InterpreterSchedule(interpreter=i, assignments=by_interpreter.get(i.pk, []))
            for i in Interpreter.objects.filter(event=event).order_by("name", "pk")]
