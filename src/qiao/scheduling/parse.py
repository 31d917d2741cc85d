"""Field-by-field checking of qiao-schedule-instance/1 input."""

from __future__ import annotations

from qiao.scheduling.model import (
    INSTANCE_FORMAT,
    Instance,
    Interpreter,
    Meeting,
    Participant,
    ScheduleFormatError,
    Slot,
    load_timezone,
    parse_time,
)

TOP_KEYS = {
    "format", "event", "slots", "participants", "meetings", "interpreters",
    "require_all", "fairness",
}
EVENT_KEYS = {"id", "timezone", "name"}
SLOT_KEYS = {"id", "start", "end", "tables"}
PARTICIPANT_KEYS = {"id", "languages", "available", "remote", "name"}
MEETING_KEYS = {"id", "participants", "priority", "remote", "slots", "fixed_slot", "after"}
INTERPRETER_KEYS = {"id", "languages", "available", "name"}


class _Checker:
    def __init__(self) -> None:
        self.errors: list[str] = []

    def err(self, msg: str) -> None:
        self.errors.append(msg)

    def keys(self, obj: dict, allowed: set[str], where: str) -> None:
        for k in sorted(set(obj) - allowed):
            self.err(f"{where}: unknown field {k!r}")

    def is_int(self, v) -> bool:
        return isinstance(v, int) and not isinstance(v, bool)

    def str_list(self, v, where: str) -> list[str] | None:
        if not isinstance(v, list) or not all(isinstance(x, str) for x in v):
            self.err(f"{where}: expected a list of strings")
            return None
        return v

    def id_list(self, v, known: dict, kind: str, where: str) -> list[str]:
        """Check a list of references: strings, known, no duplicates."""
        items = self.str_list(v, where)
        if items is None:
            return []
        seen: set[str] = set()
        out = []
        for x in items:
            if x in seen:
                self.err(f"{where}: {kind} {x!r} listed twice")
                continue
            seen.add(x)
            if x not in known:
                self.err(f"{where}: unknown {kind} {x!r}")
                continue
            out.append(x)
        return out

    def items(self, data: dict, key: str, required: bool) -> list[tuple[str, dict]]:
        """Return (label, object) of a top-level list, checking ids for type and duplicates."""
        raw = data.get(key, [] if not required else None)
        if raw is None:
            self.err(f"instance: missing field {key!r}")
            return []
        if not isinstance(raw, list):
            self.err(f"instance: field {key!r} must be a list")
            return []
        out, seen = [], set()
        singular = key[:-1]
        for k, obj in enumerate(raw):
            if not isinstance(obj, dict):
                self.err(f"{key}[{k}]: expected an object")
                continue
            oid = obj.get("id")
            if not isinstance(oid, str) or not oid:
                self.err(f"{key}[{k}]: field 'id' must be a non-empty string")
                continue
            if oid in seen:
                self.err(f"{singular} {oid!r}: duplicate id")
                continue
            seen.add(oid)
            out.append((oid, obj))
        return out


def _parse_slots(c: _Checker, data: dict, tz) -> list[Slot]:
    raw = []
    for sid, obj in c.items(data, "slots", True):
        where = f"slot {sid!r}"
        c.keys(obj, SLOT_KEYS, where)
        start = parse_time(obj.get("start"), f"{where}: field 'start'", c.errors)
        end = parse_time(obj.get("end"), f"{where}: field 'end'", c.errors)
        tables = obj.get("tables", 0)
        if not c.is_int(tables) or tables < 0:
            c.err(f"{where}: field 'tables' must be a non-negative integer")
            tables = 0
        if start and end and end <= start:
            c.err(f"{where}: field 'end' is not after 'start'")
        if start and end:
            raw.append((sid, start, end, tables))
    raw.sort(key=lambda r: (r[1], r[2], r[0]))
    for (a, _sa, ea, _), (b, sb, _eb, _) in zip(raw, raw[1:], strict=False):
        if sb < ea:
            c.err(f"slot {b!r}: field 'start' overlaps slot {a!r}")
    return [
        Slot(sid, start, end, tables, k, start.astimezone(tz).date() if tz else start.date())
        for k, (sid, start, end, tables) in enumerate(raw)
    ]


def _parse_people(c: _Checker, data: dict, slots: dict) -> tuple[list, list]:
    participants = []
    for pid, obj in c.items(data, "participants", True):
        where = f"participant {pid!r}"
        c.keys(obj, PARTICIPANT_KEYS, where)
        langs = c.str_list(obj.get("languages", []), f"{where}: field 'languages'") or []
        avail = obj.get("available")
        avail = list(slots) if avail is None else avail
        avail = c.id_list(avail, slots, "slot", f"{where}: field 'available'")
        remote = obj.get("remote", False)
        if not isinstance(remote, bool):
            c.err(f"{where}: field 'remote' must be true or false")
            remote = False
        participants.append(Participant(pid, frozenset(langs), frozenset(avail), remote))
    interpreters = []
    for iid, obj in c.items(data, "interpreters", False):
        where = f"interpreter {iid!r}"
        c.keys(obj, INTERPRETER_KEYS, where)
        langs = c.str_list(obj.get("languages", []), f"{where}: field 'languages'") or []
        avail = obj.get("available")
        avail = list(slots) if avail is None else avail
        avail = c.id_list(avail, slots, "slot", f"{where}: field 'available'")
        interpreters.append(Interpreter(iid, frozenset(langs), frozenset(avail)))
    return participants, interpreters


def _parse_meetings(c: _Checker, data: dict, slots: dict, people: dict) -> list[Meeting]:
    items = c.items(data, "meetings", True)
    ids = {mid for mid, _ in items}
    meetings = []
    for mid, obj in items:
        where = f"meeting {mid!r}"
        c.keys(obj, MEETING_KEYS, where)
        parts = obj.get("participants")
        if (
            not isinstance(parts, list)
            or len(parts) != 2
            or not all(isinstance(p, str) for p in parts)
        ):
            c.err(f"{where}: field 'participants' must list exactly two participant ids")
            continue
        bad = [p for p in parts if p not in people]
        for p in bad:
            c.err(f"{where}: field 'participants': unknown participant {p!r}")
        if parts[0] == parts[1]:
            c.err(f"{where}: field 'participants': participant {parts[0]!r} listed twice")
            continue
        if bad:
            continue
        prio = obj.get("priority", 1)
        if not c.is_int(prio) or prio < 1:
            c.err(f"{where}: field 'priority' must be a positive integer")
            prio = 1
        remote = obj.get("remote")
        if remote is None:
            remote = any(people[p].remote for p in parts)
        elif not isinstance(remote, bool):
            c.err(f"{where}: field 'remote' must be true or false")
            remote = False
        allowed = None
        if "slots" in obj:
            allowed = frozenset(c.id_list(obj["slots"], slots, "slot", f"{where}: field 'slots'"))
        fixed = obj.get("fixed_slot")
        if fixed is not None:
            if not isinstance(fixed, str) or fixed not in slots:
                c.err(f"{where}: field 'fixed_slot': unknown slot {fixed!r}")
                fixed = None
            elif allowed is not None and fixed not in allowed:
                c.err(f"{where}: field 'fixed_slot': slot {fixed!r} is not in the meeting's slots")
        after = c.id_list(obj.get("after", []), ids, "meeting", f"{where}: field 'after'")
        if mid in after:
            c.err(f"{where}: field 'after': a meeting cannot come after itself")
            after = [a for a in after if a != mid]
        meetings.append(Meeting(mid, (parts[0], parts[1]), prio, remote, allowed, fixed,
                                tuple(after)))
    _check_cycles(c, meetings)
    return meetings


def _check_cycles(c: _Checker, meetings: list[Meeting]) -> None:
    """Report one meeting per precedence cycle (iterative DFS, white/grey/black)."""
    succ = {m.id: m.after for m in meetings}
    state: dict[str, int] = {}
    for root in succ:
        if state.get(root):
            continue
        stack = [(root, iter(succ[root]))]
        state[root] = 1
        while stack:
            node, it = stack[-1]
            nxt = next(it, None)
            if nxt is None:
                state[node] = 2
                stack.pop()
            elif nxt in succ and state.get(nxt) == 1:
                cycle = [n for n, _ in stack]
                cycle = cycle[cycle.index(nxt):] + [nxt]
                c.err(f"meeting {nxt!r}: field 'after': precedence cycle "
                      + " -> ".join(cycle))
            elif nxt in succ and not state.get(nxt):
                state[nxt] = 1
                stack.append((nxt, iter(succ[nxt])))


def parse_instance_dict(data: dict) -> Instance:
    """Check ``data`` completely and build an Instance, or raise ScheduleFormatError."""
    c = _Checker()
    if not isinstance(data, dict):
        raise ScheduleFormatError(["instance: expected a JSON object"])
    c.keys(data, TOP_KEYS, "instance")
    if data.get("format") != INSTANCE_FORMAT:
        c.err(f"instance: field 'format' must be {INSTANCE_FORMAT!r}")
    event = data.get("event", {})
    if not isinstance(event, dict):
        c.err("instance: field 'event' must be an object")
        event = {}
    c.keys(event, EVENT_KEYS, "event")
    event_id = event.get("id", "")
    if not isinstance(event_id, str):
        c.err("event: field 'id' must be a string")
        event_id = ""
    tzname = event.get("timezone", "UTC")
    tz = load_timezone(tzname, c.errors)
    slots = _parse_slots(c, data, tz)
    slot_ids = {s.id: s for s in slots}
    participants, interpreters = _parse_people(c, data, slot_ids)
    meetings = _parse_meetings(c, data, slot_ids, {p.id: p for p in participants})
    require_all = data.get("require_all", False)
    if not isinstance(require_all, bool):
        c.err("instance: field 'require_all' must be true or false")
    fairness = data.get("fairness")
    if fairness is not None and (not c.is_int(fairness) or fairness < 0):
        c.err("instance: field 'fairness' must be a non-negative integer or null")
    if c.errors:
        raise ScheduleFormatError(c.errors)
    return Instance(
        event_id=event_id,
        timezone=tzname,
        slots=slots,
        participants=participants,
        meetings=meetings,
        interpreters=interpreters,
        require_all=require_all,
        fairness=fairness,
    )
