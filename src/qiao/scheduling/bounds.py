"""Upper bounds on the priority weight any valid schedule can place.

The slot-indexed model is too large to solve to optimality on big events, so its
weight bound (the LP bound of phase 1, or simply "every meeting") is loose. The
aggregated relaxation here forgets *which* slot a meeting takes and keeps the
counting that limits real events:

* a participant takes at most as many meetings as there are distinct slots
  among its meetings' candidates, overall and per day (meetings that can only
  happen on that day);
* all in-person meetings together fit into the tables of all slots;
* meetings between participants without a common language each use one
  interpreter-slot, so together at most the interpreters' available slots.

It is a weighted b-matching; its linear relaxation (GLOP, the LP solver in
OR-Tools) is a valid bound too, solves in half a second for 30,000 meetings and
on the generated benchmarks equals the integer optimum of the relaxation.
"""

from __future__ import annotations

import math
from collections import defaultdict

from ortools.linear_solver import pywraplp

from qiao.scheduling.model import Instance


def weight_upper_bound(instance: Instance, cands: dict[str, list[str]]) -> int:
    """An upper bound on the sum of priorities of the meetings any valid schedule places."""
    lp = pywraplp.Solver.CreateSolver("GLOP")
    y = {m.id: lp.NumVar(0.0, 1.0, f"y_{m.id}") for m in instance.meetings if cands[m.id]}
    total = sum(instance.meeting_by_id[mid].priority for mid in y)
    if not y:
        return 0
    by_person: dict[str, list[str]] = defaultdict(list)
    for mid in y:
        for p in instance.meeting_by_id[mid].participants:
            by_person[p].append(mid)
    day_of = {s.id: s.day for s in instance.slots}
    for mids in by_person.values():
        _cap(lp, y, mids, {s for mid in mids for s in cands[mid]})
        per_day: dict[object, list[str]] = defaultdict(list)
        for mid in mids:
            days = {day_of[s] for s in cands[mid]}
            if len(days) == 1:
                per_day[days.pop()].append(mid)
        for day_mids in per_day.values():
            _cap(lp, y, day_mids, {s for mid in day_mids for s in cands[mid]})
    inperson = [mid for mid in y if not instance.meeting_by_id[mid].remote]
    lp.Add(sum(y[mid] for mid in inperson) <= sum(s.tables for s in instance.slots))
    needs = [mid for mid in y if instance.needs_interpreter(instance.meeting_by_id[mid])]
    if needs:
        slots = {s for mid in needs for s in cands[mid]}
        capacity = sum(len(i.available & slots) for i in instance.interpreters)
        lp.Add(sum(y[mid] for mid in needs) <= capacity)
    lp.Maximize(sum(instance.meeting_by_id[mid].priority * v for mid, v in y.items()))
    if lp.Solve() != pywraplp.Solver.OPTIMAL:
        return total
    return min(total, math.floor(lp.Objective().Value() + 1e-6))


def _cap(lp, y: dict, mids: list[str], slots: set[str]) -> None:
    if len(mids) > len(slots):
        lp.Add(sum(y[mid] for mid in mids) <= len(slots))
