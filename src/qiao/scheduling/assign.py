"""Occupancy bookkeeping, table/interpreter assignment and unplaced-meeting reasons."""

from __future__ import annotations

from collections import defaultdict

from qiao.scheduling.model import Assignment, Instance, Meeting


class Occupancy:
    """Who and what is used in which slot; shared by the greedy placers and repair."""

    def __init__(self, instance: Instance):
        self.instance = instance
        self.person: dict[str, set[str]] = defaultdict(set)  # slot -> busy participants
        self.tables: dict[str, set[int]] = defaultdict(set)  # slot -> used table numbers
        self.interp: dict[str, set[str]] = defaultdict(set)  # slot -> busy interpreters
        self.slot_of: dict[str, str] = {}
        self._next_table: dict[str, int] = defaultdict(lambda: 1)

    def add(self, a: Assignment) -> None:
        """Record an assignment as occupying its slot."""
        m = self.instance.meeting_by_id[a.meeting]
        self.person[a.slot].update(m.participants)
        if a.table is not None:
            self.tables[a.slot].add(a.table)
        if a.interpreter is not None:
            self.interp[a.slot].add(a.interpreter)
        self.slot_of[a.meeting] = a.slot

    def free_table(self, slot_id: str) -> int | None:
        """Lowest free table number of the slot, or None."""
        used = self.tables[slot_id]
        t = self._next_table[slot_id]
        while t in used:
            t += 1
        self._next_table[slot_id] = t
        return t if t <= self.instance.slot_by_id[slot_id].tables else None

    def blocker(self, m: Meeting, slot_id: str) -> tuple[str | None, Assignment | None]:
        """Why ``m`` cannot go into ``slot_id`` now: (reason or None, assignment if free)."""
        inst = self.instance
        if set(m.participants) & self.person[slot_id]:
            return "busy", None
        s = inst.slot_by_id[slot_id]
        idx = s.index
        for before in m.after:
            b = self.slot_of.get(before)
            if b is not None and inst.slot_by_id[b].index >= idx:
                return "precedence", None
        for other in inst.successors[m.id]:
            o = self.slot_of.get(other)
            if o is not None and inst.slot_by_id[o].index <= idx:
                return "precedence", None
        table = None
        if not m.remote:
            table = self.free_table(slot_id)
            if table is None:
                return "table", None
        interp = None
        if inst.needs_interpreter(m):
            free = [i for i in inst.interpreters_for(m, slot_id)
                    if i.id not in self.interp[slot_id]]
            if not free:
                return "interpreter", None
            interp = free[0].id
        return None, Assignment(m.id, slot_id, table, interp)


def static_reason(instance: Instance, m: Meeting) -> str | None:
    """The reason ``m`` can never be placed on its own, or None if it has candidate slots."""
    a, b = (instance.participant_by_id[p] for p in m.participants)
    common = [s for s in instance.slots if s.id in a.available and s.id in b.available
              and (m.slots is None or s.id in m.slots)]
    if m.fixed_slot is not None:
        if m.fixed_slot not in {s.id for s in common}:
            return f"fixed slot {m.fixed_slot} is not available to both participants"
        common = [instance.slot_by_id[m.fixed_slot]]
    if not common:
        return "no common available slot"
    if not m.remote and all(s.tables < 1 for s in common):
        return "capacity: no table in any common slot"
    if instance.needs_interpreter(m) and not any(instance.interpreters_for(m, s.id)
                                                  for s in common):
        return "no interpreter available"
    return None


def explain(instance: Instance, m: Meeting, occ: Occupancy) -> str:
    """Human-readable reason why ``m`` is unplaced given the final occupancy."""
    reason = static_reason(instance, m)
    if reason:
        return reason
    kinds = {occ.blocker(m, s.id)[0] for s in instance.candidate_slots(m)}
    kinds.discard(None)
    if kinds == {"busy"}:
        return "participants already booked in every common slot"
    if kinds == {"interpreter"}:
        return "no interpreter free in any common slot"
    if kinds == {"precedence"}:
        return "precedence: no common slot after its predecessors"
    if "table" in kinds or "busy" in kinds:
        return "capacity: no free table or slot"
    if not kinds:
        return "left out to satisfy fairness or a higher priority"
    return "capacity: " + ", ".join(sorted(kinds))


def _match_interpreters(instance: Instance, meetings: list[Meeting], slot_id: str,
                        preferred: dict[str, str]) -> dict[str, str] | None:
    """Bipartite matching meetings -> interpreters in one slot (augmenting paths)."""
    owner: dict[str, str] = {}
    cand = {m.id: [i.id for i in instance.interpreters_for(m, slot_id)] for m in meetings}
    for mid, lst in cand.items():
        p = preferred.get(mid)
        if p in lst:
            lst.remove(p)
            lst.insert(0, p)

    def augment(mid: str, seen: set[str]) -> bool:
        for iid in cand[mid]:
            if iid in seen:
                continue
            seen.add(iid)
            if iid not in owner or augment(owner[iid], seen):
                owner[iid] = mid
                return True
        return False

    for m in meetings:
        if not augment(m.id, set()):
            return None
    return {mid: iid for iid, mid in owner.items()}


def assign_resources(instance: Instance, slot_of: dict[str, str],
                     previous: dict[str, tuple[int | None, str | None]] | None = None
                     ) -> list[Assignment]:
    """Give tables and interpreters to meetings whose slots are chosen.

    Tables are interchangeable, so any numbering works; previous table numbers and
    interpreters are kept where possible. Raises ValueError if a slot is over capacity.
    """
    previous = previous or {}
    per_slot: dict[str, list[Meeting]] = defaultdict(list)
    for mid, sid in slot_of.items():
        per_slot[sid].append(instance.meeting_by_id[mid])
    out: list[Assignment] = []
    for sid in sorted(per_slot, key=lambda s: instance.slot_by_id[s].index):
        ms = sorted(per_slot[sid], key=lambda m: m.id)
        need = [m for m in ms if instance.needs_interpreter(m)]
        interp = _match_interpreters(instance, need, sid,
                                     {k: v[1] for k, v in previous.items() if v[1]})
        if interp is None:
            raise ValueError(f"slot {sid!r}: not enough interpreters for its meetings")
        tables = instance.slot_by_id[sid].tables
        inperson = [m for m in ms if not m.remote]
        if len(inperson) > tables:
            raise ValueError(f"slot {sid!r}: {len(inperson)} in-person meetings, {tables} tables")
        number: dict[str, int] = {}
        used: set[int] = set()
        for m in inperson:
            t = previous.get(m.id, (None, None))[0]
            if t is not None and 1 <= t <= tables and t not in used:
                number[m.id] = t
                used.add(t)
        free = (t for t in range(1, tables + 1) if t not in used)
        for m in inperson:
            if m.id not in number:
                number[m.id] = next(free)
        for m in ms:
            out.append(Assignment(m.id, sid, number.get(m.id), interp.get(m.id)))
    return out
