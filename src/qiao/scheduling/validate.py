"""Independent checker of every hard rule and the break count of the spec.

This module deliberately shares no logic with the solver: it works on the plain
assignment list so that it can catch solver bugs.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from qiao.scheduling.model import Assignment, Instance, Solution


def participant_breaks(instance: Instance, assignments: Iterable[Assignment]) -> dict[str, int]:
    """Breaks per participant id (every participant has an entry, unknown slots ignored).

    A break is a gap of at least one slot between two consecutive meetings of the
    same participant on the same local day; slots are counted in start order.
    """
    slot_by_id = instance.slot_by_id
    pos_in_day: dict[str, tuple] = {}
    for day in instance.days:
        for k, s in enumerate(day):
            pos_in_day[s.id] = (s.day, k)
    busy: dict[str, set[tuple]] = defaultdict(set)
    for a in assignments:
        m = instance.meeting_by_id.get(a.meeting)
        if m is None or a.slot not in slot_by_id:
            continue
        for p in m.participants:
            busy[p].add(pos_in_day[a.slot])
    out = {p.id: 0 for p in instance.participants}
    for p, cells in busy.items():
        ordered = sorted(cells)
        for (d1, k1), (d2, k2) in zip(ordered, ordered[1:], strict=False):
            if d1 == d2 and k2 > k1 + 1:
                out[p] += 1
    return out


def count_breaks(instance: Instance, assignments: Iterable[Assignment]) -> int:
    """Total number of breaks over all participants (spec definition)."""
    return sum(participant_breaks(instance, assignments).values())


def count_breaks_map(instance: Instance, slot_of: dict[str, str]) -> int:
    """Total breaks of a meeting id -> slot id mapping."""
    return count_breaks(instance, (Assignment(m, s) for m, s in slot_of.items()))


def _check_meeting(instance: Instance, a: Assignment, errors: list[str]) -> bool:
    m = instance.meeting_by_id.get(a.meeting)
    if m is None:
        errors.append(f"assignment: unknown meeting {a.meeting!r}")
        return False
    where = f"meeting {m.id!r}"
    if a.slot not in instance.slot_by_id:
        errors.append(f"{where}: unknown slot {a.slot!r}")
        return False
    for pid in m.participants:
        if a.slot not in instance.participant_by_id[pid].available:
            errors.append(f"{where}: participant {pid!r} is not available in slot {a.slot!r}")
    if m.slots is not None and a.slot not in m.slots:
        errors.append(f"{where}: slot {a.slot!r} is not among the meeting's allowed slots")
    if m.fixed_slot is not None and a.slot != m.fixed_slot:
        errors.append(f"{where}: placed in {a.slot!r} but fixed to {m.fixed_slot!r}")
    slot = instance.slot_by_id[a.slot]
    if m.remote:
        if a.table is not None:
            errors.append(f"{where}: remote meeting must not get a table")
    elif a.table is None or not 1 <= a.table <= slot.tables:
        errors.append(f"{where}: table {a.table!r} is not in 1..{slot.tables} of slot {a.slot!r}")
    langs = [instance.participant_by_id[p].languages for p in m.participants]
    if langs[0] & langs[1]:
        if a.interpreter is not None:
            errors.append(f"{where}: participants share a language, no interpreter allowed")
    elif a.interpreter is None:
        errors.append(f"{where}: participants share no language but no interpreter is assigned")
    else:
        interp = next((i for i in instance.interpreters if i.id == a.interpreter), None)
        if interp is None:
            errors.append(f"{where}: unknown interpreter {a.interpreter!r}")
        else:
            if not (interp.languages & langs[0] and interp.languages & langs[1]):
                errors.append(f"{where}: interpreter {interp.id!r} does not speak a language "
                              "of each side")
            if a.slot not in interp.available:
                errors.append(f"{where}: interpreter {interp.id!r} is not available in "
                              f"slot {a.slot!r}")
    return True


def validate_solution(instance: Instance, solution: Solution) -> list[str]:
    """Return a list of every hard-rule violation of ``solution`` (empty = valid)."""
    errors: list[str] = []
    placed: dict[str, Assignment] = {}
    for a in solution.assignments:
        if a.meeting in placed:
            errors.append(f"meeting {a.meeting!r}: placed more than once")
            continue
        if _check_meeting(instance, a, errors):
            placed[a.meeting] = a
    person_slot: dict[tuple[str, str], str] = {}
    table_slot: dict[tuple[str, int], str] = {}
    interp_slot: dict[tuple[str, str], str] = {}
    for a in placed.values():
        m = instance.meeting_by_id[a.meeting]
        for pid in m.participants:
            other = person_slot.setdefault((pid, a.slot), m.id)
            if other != m.id:
                errors.append(f"participant {pid!r}: meetings {other!r} and {m.id!r} both in "
                              f"slot {a.slot!r}")
        if a.table is not None and not m.remote:
            other = table_slot.setdefault((a.slot, a.table), m.id)
            if other != m.id:
                errors.append(f"slot {a.slot!r}: table {a.table} used by {other!r} and {m.id!r}")
        if a.interpreter is not None:
            other = interp_slot.setdefault((a.interpreter, a.slot), m.id)
            if other != m.id:
                errors.append(f"interpreter {a.interpreter!r}: meetings {other!r} and {m.id!r} "
                              f"both in slot {a.slot!r}")
    idx = {s.id: s.index for s in instance.slots}
    for a in placed.values():
        m = instance.meeting_by_id[a.meeting]
        for before in m.after:
            b = placed.get(before)
            if b is not None and idx[a.slot] <= idx[b.slot]:
                errors.append(f"meeting {m.id!r}: must start after meeting {before!r} "
                              f"({a.slot!r} is not later than {b.slot!r})")
    if instance.require_all:
        for m in instance.meetings:
            if m.id not in placed:
                errors.append(f"meeting {m.id!r}: not placed although require_all is set")
    if instance.fairness is not None and instance.participants:
        per = participant_breaks(instance, placed.values())
        hi = max(per, key=per.get)
        lo = min(per, key=per.get)
        if per[hi] - per[lo] > instance.fairness:
            errors.append(f"fairness: participant {hi!r} has {per[hi]} breaks and {lo!r} has "
                          f"{per[lo]}, more than {instance.fairness} apart")
    return errors
