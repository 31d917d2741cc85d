"""CP-SAT model of the scheduling problem, optionally around a frozen partial schedule.

Encoding (one model for whole instances and for large-neighbourhood sub-problems):

* ``x[m, s]`` — meeting ``m`` takes slot ``s``; created only for candidate slots
  (both available, allowed, fixed slot, an interpreter could exist, a table exists).
* per participant and slot a *busy* literal (the sum of its ``x``; at most one);
  meetings frozen by the caller count as constant busy cells and use up capacity.
* tables are interchangeable: per slot only ``#in-person <= tables``; numbers are
  given afterwards. Interpreters likewise as an integral flow between meeting
  language classes and interpreter classes per slot, matched afterwards.
* breaks: per participant, day and slot a *block start* literal
  ``start_k <=> busy_k and not busy_{k-1}``; breaks of a day = starts - [day used],
  kept in a non-negative integer per participant (fairness uses these).
* implied constraints: first/last busy position per participant and day, and
  "a day with one block spans exactly as many slots as it has meetings";
  per participant an all-different over the slot indices of its required
  meetings (Hall-interval propagation).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from qiao.scheduling.model import Instance, Meeting


@dataclass
class BuiltModel:
    """The CP-SAT model and the handles needed to read a solution back."""

    model: cp_model.CpModel
    x: dict[str, dict[str, cp_model.IntVar]]
    placed: dict[str, object]
    weight: object
    breaks: object
    person_breaks: dict[str, object]
    moved: object = 0
    free: list[Meeting] = field(default_factory=list)
    trivially_infeasible: list[str] = field(default_factory=list)


def _lang_class(instance: Instance, m: Meeting) -> tuple:
    a, b = (instance.participant_by_id[p].languages for p in m.participants)
    return tuple(sorted((tuple(sorted(a)), tuple(sorted(b)))))


def build_model(instance: Instance, free: list[Meeting], frozen: dict[str, str],
                cands: dict[str, list[str]], *, require_placed: set[str] | None = None,
                previous: dict[str, str] | None = None, break_people: set[str] | None = None,
                fairness_outside: tuple[int, int] | None = None,
                break_caps: dict[str, int] | None = None) -> BuiltModel:
    """Build the model for the ``free`` meetings around ``frozen`` (meeting -> slot).

    ``cands`` gives candidate slot ids per free meeting; ``require_placed`` the ids
    that must be placed; ``previous`` slots of an earlier schedule (moves are
    counted in ``moved``); ``break_people`` the participants whose breaks are
    modelled (default: everyone touched by a free meeting); ``fairness_outside``
    the (min, max) break counts of the participants not modelled; ``break_caps``
    replaces the fairness rule by per-participant maxima (used to repair a
    schedule that breaks the rule: nobody may get worse than their cap).
    """
    md = cp_model.CpModel()
    require_placed = require_placed or set()
    previous = previous or {}
    slot_by_id = instance.slot_by_id
    x: dict[str, dict[str, cp_model.IntVar]] = {}
    placed: dict[str, object] = {}
    infeasible: list[str] = []
    cell: dict[tuple[str, str], list] = defaultdict(list)  # (person, slot) -> literals
    fixed_cell: set[tuple[str, str]] = set()
    inperson: dict[str, list] = defaultdict(list)
    used_tables: dict[str, int] = defaultdict(int)
    for mid, sid in frozen.items():
        m = instance.meeting_by_id[mid]
        for p in m.participants:
            fixed_cell.add((p, sid))
        if not m.remote:
            used_tables[sid] += 1
    for m in free:
        lits = {}
        for sid in cands[m.id]:
            if any((p, sid) in fixed_cell for p in m.participants):
                continue
            if not m.remote and used_tables[sid] >= slot_by_id[sid].tables:
                continue
            v = md.new_bool_var(f"x_{m.id}_{sid}")
            lits[sid] = v
            for p in m.participants:
                cell[(p, sid)].append(v)
            if not m.remote:
                inperson[sid].append(v)
        x[m.id] = lits
        if m.id in require_placed:
            if not lits:
                infeasible.append(m.id)
                md.add_bool_or([])
            else:
                md.add_exactly_one(lits.values())
            placed[m.id] = 1
        elif lits:
            pl = md.new_bool_var(f"placed_{m.id}")
            md.add(sum(lits.values()) == pl)
            placed[m.id] = pl
        else:
            placed[m.id] = 0
    for lits in cell.values():
        if len(lits) > 1:
            md.add_at_most_one(lits)
    _add_alldiff(md, instance, free, x, require_placed)
    for sid, lits in inperson.items():
        cap = slot_by_id[sid].tables - used_tables[sid]
        if len(lits) > cap:
            md.add(sum(lits) <= cap)
    _add_interpreters(md, instance, free, frozen, x)
    _add_precedences(md, instance, free, frozen, x)
    weight = sum(instance.meeting_by_id[mid].priority * v for mid, v in placed.items()
                 if not isinstance(v, int)) + sum(
        instance.meeting_by_id[mid].priority for mid, v in placed.items()
        if isinstance(v, int) and v == 1)
    people = break_people
    if people is None:
        people = {p for m in free for p in m.participants}
    person_breaks = {p: _add_breaks(md, instance, p, cell, fixed_cell) for p in sorted(people)}
    total = sum(person_breaks.values())
    if break_caps is not None:
        for p, cap in break_caps.items():
            if p in person_breaks:
                md.add(person_breaks[p] <= cap)
    elif instance.fairness is not None and person_breaks:
        ub = len(instance.slots)
        lo = md.new_int_var(0, ub, "fair_lo")
        hi = md.new_int_var(0, ub, "fair_hi")
        for e in person_breaks.values():
            md.add(e >= lo)
            md.add(e <= hi)
        if fairness_outside is not None:
            md.add(lo <= fairness_outside[0])
            md.add(hi >= fairness_outside[1])
        md.add(hi - lo <= instance.fairness)
    moved = 0
    if previous:
        stay = [x[mid][sid] for mid, sid in previous.items() if mid in x and sid in x[mid]]
        moved = sum(1 for mid in previous if mid in x) - sum(stay)
    return BuiltModel(md, x, placed, weight, total, person_breaks, moved, list(free), infeasible)


def _add_interpreters(md, instance: Instance, free, frozen, x) -> None:
    need = [m for m in free if instance.needs_interpreter(m)]
    if not need:
        return
    by_slot: dict[str, dict[tuple, list]] = defaultdict(lambda: defaultdict(list))
    for m in need:
        for sid, v in x[m.id].items():
            by_slot[sid][_lang_class(instance, m)].append(v)
    frozen_need: dict[str, list[Meeting]] = defaultdict(list)
    for mid, sid in frozen.items():
        if sid in by_slot and instance.needs_interpreter(instance.meeting_by_id[mid]):
            frozen_need[sid].append(instance.meeting_by_id[mid])
    for sid, classes in by_slot.items():
        avail = [i for i in instance.interpreters if sid in i.available]
        icls: dict[frozenset, int] = defaultdict(int)
        for i in avail:
            icls[i.languages] += 1
        demands = {c: sum(v) for c, v in classes.items()}
        const: dict[tuple, int] = defaultdict(int)
        for m in frozen_need[sid]:
            const[_lang_class(instance, m)] += 1
        flows: dict[frozenset, list] = defaultdict(list)
        for c in set(demands) | set(const):
            a, b = set(c[0]), set(c[1])
            ok = [ic for ic in icls if ic & a and ic & b]
            fl = [md.new_int_var(0, icls[ic], f"f_{sid}_{k}") for k, ic in enumerate(ok)]
            for ic, f in zip(ok, fl, strict=True):
                flows[ic].append(f)
            md.add(sum(fl) == demands.get(c, 0) + const.get(c, 0))
        for ic, fl in flows.items():
            md.add(sum(fl) <= icls[ic])


def _add_precedences(md, instance: Instance, free, frozen, x) -> None:
    idx = {s.id: s.index for s in instance.slots}
    free_ids = {m.id for m in free}
    for m in free:
        for b in m.after:
            for sid, v in x[m.id].items():
                if b in frozen:
                    if idx[frozen[b]] >= idx[sid]:
                        md.add(v == 0)
                elif b in free_ids:
                    bad = [w for s2, w in x[b].items() if idx[s2] >= idx[sid]]
                    for w in bad:
                        md.add_bool_or([v.Not(), w.Not()])
        for succ in instance.successors[m.id]:
            if succ in frozen:
                for sid, v in x[m.id].items():
                    if idx[frozen[succ]] <= idx[sid]:
                        md.add(v == 0)


def _add_breaks(md, instance: Instance, p: str, cell, fixed_cell):
    """Return a linear expression equal to the breaks of participant ``p``."""
    total = 0
    for day in instance.days:
        busy = []
        for s in day:
            if (p, s.id) in fixed_cell:
                busy.append(1)
            elif cell.get((p, s.id)):
                lits = cell[(p, s.id)]
                if len(lits) == 1:
                    busy.append(lits[0])
                else:
                    b = md.new_bool_var(f"b_{p}_{s.id}")
                    md.add(sum(lits) == b)
                    busy.append(b)
            else:
                busy.append(0)
        if not any(not isinstance(b, int) or b == 1 for b in busy):
            continue
        starts = []
        prev = 0
        for b in busy:
            if isinstance(b, int):
                if b == 1 and not isinstance(prev, int):
                    starts.append(prev.Not())
                elif b == 1 and prev == 0:
                    starts.append(1)
            elif isinstance(prev, int):
                starts.append(b if prev == 0 else 0)
            else:
                st = md.new_bool_var(f"st_{p}")
                md.add_implication(st, b)
                md.add_implication(st, prev.Not())
                md.add_bool_or([st, b.Not(), prev])
                starts.append(st)
            prev = b
        var_busy = [b for b in busy if not isinstance(b, int)]
        if any(isinstance(b, int) and b == 1 for b in busy):
            used = 1
        else:
            used = md.new_bool_var(f"used_{p}")
            md.add_max_equality(used, var_busy)
        nstarts = sum(starts)
        md.add(nstarts >= used)
        if len(var_busy) > 1:
            _add_span(md, busy, used, nstarts, p)
        total = total + nstarts - used
    if isinstance(total, int):
        return total
    var = md.new_int_var(0, len(instance.slots), f"breaks_{p}")
    md.add(var == total)
    return var


def _add_span(md, busy: list, used, nstarts, p: str) -> None:
    """Implied constraints: a day without a break is one block as long as its meetings.

    ``first``/``last`` bound the busy positions; when the day is used and has a
    single block (one start), ``last - first + 1`` equals the number of meetings.
    """
    n = len(busy)
    first = md.new_int_var(0, n - 1, f"first_{p}")
    last = md.new_int_var(0, n - 1, f"last_{p}")
    for k, b in enumerate(busy):
        if isinstance(b, int):
            if b == 1:
                md.add(first <= k)
                md.add(last >= k)
            continue
        md.add(first <= k).only_enforce_if(b)
        md.add(last >= k).only_enforce_if(b)
    one = md.new_bool_var(f"oneblock_{p}")
    md.add(nstarts <= 1).only_enforce_if(one)
    md.add(nstarts >= 2).only_enforce_if(one.Not())
    lits = [one] if isinstance(used, int) else [one, used]
    md.add(last - first + 1 == sum(busy)).only_enforce_if(lits)


def _add_alldiff(md, instance: Instance, free, x, required: set[str]) -> None:
    """Redundant integer view: slot index per required meeting, all different per person.

    The at-most-one per (participant, slot) cell already forbids clashes; the
    all-different constraint adds Hall-interval reasoning to the propagation.
    """
    t = {}
    for m in free:
        if m.id not in required or len(x[m.id]) < 2:
            continue
        idx = [instance.slot_by_id[s].index for s in x[m.id]]
        v = md.new_int_var_from_domain(cp_model.Domain.from_values(idx), f"t_{m.id}")
        md.add(v == sum(instance.slot_by_id[s].index * lit for s, lit in x[m.id].items()))
        t[m.id] = v
    by_person: dict[str, list] = defaultdict(list)
    for mid, v in t.items():
        for p in instance.meeting_by_id[mid].participants:
            by_person[p].append(v)
    for vs in by_person.values():
        if len(vs) > 2:
            md.add_all_different(vs)
