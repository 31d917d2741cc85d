"""Instance and solution data classes plus the qiao-schedule-instance/1 parser.

The parser collects every problem it finds before failing, so a user gets one
list naming each offending item and field (see ``ScheduleFormatError``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

INSTANCE_FORMAT = "qiao-schedule-instance/1"
SOLUTION_FORMAT = "qiao-schedule/1"


class ScheduleFormatError(ValueError):
    """A malformed instance or solution; ``messages`` lists every problem found."""

    def __init__(self, messages: list[str]):
        self.messages = list(messages)
        super().__init__("; ".join(self.messages))


@dataclass(frozen=True)
class Slot:
    """A time slot; ``index`` is its position in start order, ``day`` its local date."""

    id: str
    start: datetime
    end: datetime
    tables: int
    index: int
    day: date


@dataclass(frozen=True)
class Participant:
    """A participant with spoken languages and the slots they are available in."""

    id: str
    languages: frozenset[str]
    available: frozenset[str]
    remote: bool = False


@dataclass(frozen=True)
class Meeting:
    """A requested meeting between two participants."""

    id: str
    participants: tuple[str, str]
    priority: int = 1
    remote: bool = False
    slots: frozenset[str] | None = None
    fixed_slot: str | None = None
    after: tuple[str, ...] = ()


@dataclass(frozen=True)
class Interpreter:
    """An interpreter with languages and availability."""

    id: str
    languages: frozenset[str]
    available: frozenset[str]


@dataclass
class Instance:
    """A parsed, checked scheduling instance; slots are sorted by start time."""

    event_id: str
    timezone: str
    slots: list[Slot]
    participants: list[Participant]
    meetings: list[Meeting]
    interpreters: list[Interpreter] = field(default_factory=list)
    require_all: bool = False
    fairness: int | None = None

    @cached_property
    def slot_by_id(self) -> dict[str, Slot]:
        """Slots keyed by id."""
        return {s.id: s for s in self.slots}

    @cached_property
    def participant_by_id(self) -> dict[str, Participant]:
        """Participants keyed by id."""
        return {p.id: p for p in self.participants}

    @cached_property
    def meeting_by_id(self) -> dict[str, Meeting]:
        """Meetings keyed by id."""
        return {m.id: m for m in self.meetings}

    @cached_property
    def meetings_of(self) -> dict[str, list[Meeting]]:
        """Meetings per participant id (every participant has an entry)."""
        out: dict[str, list[Meeting]] = {p.id: [] for p in self.participants}
        for m in self.meetings:
            for p in m.participants:
                out[p].append(m)
        return out

    @cached_property
    def successors(self) -> dict[str, list[str]]:
        """Meeting id -> ids of the meetings that must start after it."""
        out: dict[str, list[str]] = {m.id: [] for m in self.meetings}
        for m in self.meetings:
            for b in m.after:
                out[b].append(m.id)
        return out

    @cached_property
    def days(self) -> list[list[Slot]]:
        """Slots grouped per local day, each group in start order."""
        groups: dict[date, list[Slot]] = {}
        for s in self.slots:
            groups.setdefault(s.day, []).append(s)
        return [groups[d] for d in sorted(groups)]

    @cached_property
    def position(self) -> dict[str, tuple[date, int]]:
        """Slot id -> (local day, position within that day)."""
        return {s.id: (s.day, k) for day in self.days for k, s in enumerate(day)}

    @cached_property
    def _interp_cache(self) -> dict:
        return {}

    @cached_property
    def _needs(self) -> dict[str, bool]:
        out = {}
        for m in self.meetings:
            a, b = (self.participant_by_id[p] for p in m.participants)
            out[m.id] = not (a.languages & b.languages)
        return out

    def needs_interpreter(self, meeting: Meeting) -> bool:
        """True when the two participants of ``meeting`` share no language."""
        return self._needs[meeting.id]

    def interpreters_for(self, meeting: Meeting, slot_id: str) -> list[Interpreter]:
        """Interpreters who could serve ``meeting`` in ``slot_id`` (ignoring other meetings)."""
        a, b = (self.participant_by_id[p] for p in meeting.participants)
        key = (a.languages, b.languages, slot_id)
        found = self._interp_cache.get(key)
        if found is None:
            found = [
                i for i in self.interpreters
                if slot_id in i.available and i.languages & a.languages
                and i.languages & b.languages
            ]
            self._interp_cache[key] = found
        return found

    def candidate_slots(self, meeting: Meeting) -> list[Slot]:
        """Slots in which ``meeting`` could take place on its own (availability, allowed,
        fixed slot, an interpreter and at least one table where needed), in time order."""
        a, b = (self.participant_by_id[p] for p in meeting.participants)
        need = self.needs_interpreter(meeting)
        out = []
        for s in self.slots:
            if s.id not in a.available or s.id not in b.available:
                continue
            if meeting.slots is not None and s.id not in meeting.slots:
                continue
            if meeting.fixed_slot is not None and s.id != meeting.fixed_slot:
                continue
            if not meeting.remote and s.tables < 1:
                continue
            if need and not self.interpreters_for(meeting, s.id):
                continue
            out.append(s)
        return out


@dataclass(frozen=True)
class Assignment:
    """One placed meeting."""

    meeting: str
    slot: str
    table: int | None = None
    interpreter: str | None = None


@dataclass(frozen=True)
class Unscheduled:
    """A meeting left out, with a human-readable reason."""

    meeting: str
    reason: str


@dataclass
class Solution:
    """A schedule with objective values, solver status and proven bounds."""

    assignments: list[Assignment]
    unscheduled: list[Unscheduled] = field(default_factory=list)
    status: str = "feasible"
    weight: int = 0
    breaks: int = 0
    bound_weight: int | None = None
    bound_breaks: int | None = None
    stats: dict = field(default_factory=dict)

    @property
    def scheduled(self) -> int:
        """Number of placed meetings."""
        return len(self.assignments)

    def slot_of(self) -> dict[str, str]:
        """Mapping meeting id -> slot id of the placed meetings."""
        return {a.meeting: a.slot for a in self.assignments}


def solution_to_dict(solution: Solution) -> dict:
    """Serialise ``solution`` in the qiao-schedule/1 format."""
    bound: dict = {}
    if solution.bound_weight is not None:
        bound["weight"] = solution.bound_weight
    if solution.bound_breaks is not None:
        bound["breaks"] = solution.bound_breaks
    return {
        "format": SOLUTION_FORMAT,
        "assignments": [
            {"meeting": a.meeting, "slot": a.slot, "table": a.table, "interpreter": a.interpreter}
            for a in solution.assignments
        ],
        "unscheduled": [{"meeting": u.meeting, "reason": u.reason} for u in solution.unscheduled],
        "objective": {
            "scheduled": solution.scheduled,
            "weight": solution.weight,
            "breaks": solution.breaks,
        },
        "status": solution.status,
        "bound": bound,
    }


def solution_from_dict(data: dict) -> Solution:
    """Read a qiao-schedule/1 dict (e.g. a previously published schedule)."""
    errors: list[str] = []
    if not isinstance(data, dict):
        raise ScheduleFormatError(["solution: expected a JSON object"])
    if data.get("format", SOLUTION_FORMAT) != SOLUTION_FORMAT:
        errors.append(f"solution: field 'format' must be {SOLUTION_FORMAT!r}")
    assignments = []
    for k, a in enumerate(data.get("assignments", [])):
        if not isinstance(a, dict) or not isinstance(a.get("meeting"), str) or not isinstance(
            a.get("slot"), str
        ):
            errors.append(f"assignments[{k}]: fields 'meeting' and 'slot' must be strings")
            continue
        table = a.get("table")
        if table is not None and (not isinstance(table, int) or isinstance(table, bool)):
            errors.append(
                f"assignment of meeting {a['meeting']!r}: field 'table' must be an integer")
            continue
        assignments.append(Assignment(a["meeting"], a["slot"], table, a.get("interpreter")))
    unscheduled = [
        Unscheduled(u.get("meeting", ""), u.get("reason", ""))
        for u in data.get("unscheduled", [])
        if isinstance(u, dict)
    ]
    if errors:
        raise ScheduleFormatError(errors)
    obj = data.get("objective", {}) or {}
    bound = data.get("bound", {}) or {}
    return Solution(
        assignments=assignments,
        unscheduled=unscheduled,
        status=data.get("status", "feasible"),
        weight=obj.get("weight", 0),
        breaks=obj.get("breaks", 0),
        bound_weight=bound.get("weight"),
        bound_breaks=bound.get("breaks"),
    )


def parse_time(value, where: str, errors: list[str]) -> datetime | None:
    """Parse an ISO 8601 timestamp with offset, recording an error naming ``where``."""
    if not isinstance(value, str):
        errors.append(f"{where}: expected an ISO 8601 string")
        return None
    try:
        t = datetime.fromisoformat(value)
    except ValueError:
        errors.append(f"{where}: {value!r} is not an ISO 8601 time")
        return None
    if t.tzinfo is None:
        errors.append(f"{where}: {value!r} has no UTC offset")
        return None
    return t


def load_timezone(name, errors: list[str]) -> ZoneInfo | None:
    """Return the ZoneInfo for ``name`` or record an error."""
    if not isinstance(name, str):
        errors.append("event: field 'timezone' must be a string")
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        errors.append(f"event: field 'timezone': unknown time zone {name!r}")
        return None


def parse_instance(data: dict) -> Instance:
    """Check and convert a qiao-schedule-instance/1 dict; raise ScheduleFormatError."""
    from qiao.scheduling.parse import parse_instance_dict

    return parse_instance_dict(data)
