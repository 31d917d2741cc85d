"""The optimising scheduler: lexicographic solve (priority weight, then breaks).

Pipeline of ``solve``:

* more than ``LARGE_MEETINGS`` meetings: greedy start + LNS (``lns.solve_large``);
* ``require_all`` without a previous schedule (the weight is then fixed): a
  portfolio of two core-guided MaxSAT searches (RC2 from python-sat on two
  encodings, ``satsolve``) for ``MAXSAT_SHARE`` of the time, then SAT-UNSAT
  linear search for ``LINEAR_SHARE``; if neither proves the optimum, their lower
  bound and best schedule seed CP-SAT for the rest;
* otherwise CP-SAT (``cpmodel``): phase 1 maximises weight, phase 2 keeps that
  weight and minimises breaks (+ moves when re-planning). Without a previous
  schedule, phase 2 first lets the SAT portfolio minimise the breaks of the
  meetings phase 1 placed (``PHASE2_SAT_SHARE`` of the remaining time) and
  hands its schedule to CP-SAT, which may still swap meetings.

The SAT side needs at most ``satencode.MAX_INTERPRETER_CLASSES`` language pairs
needing interpreters per slot; beyond that CP-SAT does everything.
"""

from __future__ import annotations

import time
from dataclasses import replace

from ortools.sat.python import cp_model

from qiao.scheduling.assign import Occupancy, assign_resources, explain, static_reason
from qiao.scheduling.bounds import weight_upper_bound
from qiao.scheduling.cpmodel import BuiltModel, build_model
from qiao.scheduling.model import Instance, Solution, Unscheduled
from qiao.scheduling.satencode import interpreter_classes_ok
from qiao.scheduling.satsolve import minimise_breaks
from qiao.scheduling.validate import count_breaks_map, participant_breaks

LARGE_MEETINGS = 800
MAXSAT_SHARE = 0.6
LINEAR_SHARE = 0.2
PHASE2_SAT_SHARE = 0.5
PREFER_SHARE = 0.4  # how long the first SAT strategy may still finish after another


def _params(time_limit: float, seed: int, workers: int) -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    p = solver.parameters
    p.max_time_in_seconds = max(0.05, time_limit)
    p.random_seed = seed
    p.num_workers = workers
    return solver


def _read(built: BuiltModel, solver: cp_model.CpSolver) -> dict[str, str]:
    out = {}
    for mid, lits in built.x.items():
        for sid, v in lits.items():
            if solver.boolean_value(v):
                out[mid] = sid
                break
    return out


def _hint(built: BuiltModel, slot_of: dict[str, str]) -> None:
    built.model.clear_hints()
    for mid, lits in built.x.items():
        for sid, v in lits.items():
            built.model.add_hint(v, slot_of.get(mid) == sid)


def make_solution(instance: Instance, slot_of: dict[str, str], status: str,
                  previous: Solution | None = None) -> Solution:
    """Turn a meeting->slot map into a full Solution with tables, interpreters, reasons."""
    prev = {a.meeting: (a.table, a.interpreter) for a in previous.assignments} if previous else {}
    prev = {k: v for k, v in prev.items() if previous.slot_of().get(k) == slot_of.get(k)}
    assignments = assign_resources(instance, slot_of, prev)
    occ = Occupancy(instance)
    for a in assignments:
        occ.add(a)
    unscheduled = [Unscheduled(m.id, explain(instance, m, occ))
                   for m in instance.meetings if m.id not in slot_of]
    weight = sum(instance.meeting_by_id[mid].priority for mid in slot_of)
    breaks = sum(participant_breaks(instance, assignments).values())
    return Solution(assignments, unscheduled, status, weight, breaks)


def solve(instance: Instance, time_limit: float = 60.0, seed: int = 0, workers: int = 2,
          previous: Solution | None = None, keep_weight: int | None = None,
          log: bool = False) -> Solution:
    """Compute a schedule maximising placed priority weight, then minimising breaks.

    Phase 1 maximises the weight (skipped under ``require_all``, where it is fixed);
    phase 2 fixes the weight at the best found and minimises
    ``breaks + keep_weight * moved`` where ``moved`` counts meetings of ``previous``
    that leave their earlier slot (or are dropped). ``keep_weight`` defaults to
    one more than the number of slots times participants, i.e. staying put takes
    precedence over breaks; pass 1 to weigh a move like a break, 0 to ignore the
    previous schedule except as a starting point. Locked meetings should carry
    ``fixed_slot`` in the instance. Fairness and require_all are hard rules.

    Large instances (more than ``LARGE_MEETINGS`` meetings) are solved by a greedy
    start plus large-neighbourhood search (see ``qiao.scheduling.lns``).
    Returns status ``optimal``/``feasible``/``infeasible`` (or ``unknown`` if
    no schedule satisfying the hard rules was found in time).

    Determinism: the same input, ``seed`` and ``workers`` give the same schedule
    whenever the search finishes before the limit (proven optimum); when the
    wall-clock limit cuts an anytime search, the result depends on machine speed.
    With ``workers`` >= 2 the SAT portfolio runs two searches side by side and
    returns the first one's schedule whenever it finishes within ``PREFER_SHARE``
    of the time limit, even if the second proved the optimum earlier, so the
    result does not depend on which process was faster.
    """
    t0 = time.monotonic()
    deadline = t0 + time_limit
    if len(instance.meetings) > LARGE_MEETINGS:
        from qiao.scheduling.lns import solve_large

        return solve_large(instance, time_limit, seed, workers, previous, log=log)
    prev_slots = previous.slot_of() if previous else {}
    prev_slots = {k: v for k, v in prev_slots.items() if k in instance.meeting_by_id}
    cands = {m.id: [s.id for s in instance.candidate_slots(m)] for m in instance.meetings}
    if instance.require_all:
        bad = [m for m in instance.meetings if not cands[m.id]]
        if bad:
            sol = Solution([], [Unscheduled(m.id, static_reason(instance, m) or "no slot")
                                for m in instance.meetings if not cands[m.id]], "infeasible")
            sol.stats["reason"] = "require_all: some meetings have no possible slot"
            return sol
    required = {m.id for m in instance.meetings} if instance.require_all else set()
    built = build_model(instance, instance.meetings, {}, cands, require_placed=required,
                        previous=prev_slots, break_people={p.id for p in instance.participants})
    stats: dict = {"method": "cp-sat"}
    best: dict[str, str] | None = None
    weight_optimal = False
    bound_weight = None
    if prev_slots:
        _hint(built, prev_slots)
    if not instance.require_all:
        built.model.maximize(built.weight)
        solver = _params(min(time_limit * 0.4, deadline - time.monotonic()), seed, workers)
        solver.parameters.log_search_progress = log
        st = solver.solve(built.model)
        if st == cp_model.INFEASIBLE:
            return _empty(instance, "infeasible", "no schedule meets the hard rules")
        if st in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            best = _read(built, solver)
            found = int(round(solver.objective_value))
            bound_weight = int(round(solver.best_objective_bound))
            if st != cp_model.OPTIMAL:
                bound_weight = min(bound_weight, weight_upper_bound(instance, cands))
            weight_optimal = st == cp_model.OPTIMAL or found >= bound_weight
            built.model.add(built.weight >= found)
            _hint(built, best)
        stats["phase1_s"] = round(solver.wall_time, 2)
    else:
        weight_optimal = True
        bound_weight = sum(m.priority for m in instance.meetings)
    if keep_weight is None:
        keep_weight = len(instance.slots) * len(instance.participants) + 1
    objective = built.breaks + (keep_weight * built.moved if prev_slots else 0)
    built.model.minimize(objective)
    sat_lower = 0
    sat_best = None
    sat_ok = not prev_slots and interpreter_classes_ok(instance, cands)
    if sat_ok and instance.require_all:
        r = minimise_breaks(instance, cands, time_limit * MAXSAT_SHARE,
                            time_limit * LINEAR_SHARE, parallel=workers > 1,
                            prefer_for=time_limit * PREFER_SHARE)
        stats.update(maxsat_s=round(time.monotonic() - t0, 2), maxsat_lower=r["lower"],
                     maxsat_by=r["by"])
        if r["errors"]:
            stats["maxsat_errors"] = r["errors"]
        sat_lower = r["lower"]
        if r["optimal"]:
            stats["method"] = "maxsat"
            return _finish(instance, r["slot_of"], "optimal", previous, bound_weight,
                           r["breaks"], stats, t0)
        if r["slot_of"] is not None:
            best = sat_best = r["slot_of"]
            _hint(built, best)
        if sat_lower > 0 and sat_lower < len(instance.participants):
            built.model.add(built.breaks >= sat_lower)
    elif sat_ok and best:
        # the weight is settled by phase 1: minimise the breaks of its meeting set with
        # the SAT portfolio, then let CP-SAT (which may also swap meetings) go on from there
        sub = replace(instance, meetings=[m for m in instance.meetings if m.id in best],
                      require_all=True)
        share = (deadline - time.monotonic()) * PHASE2_SAT_SHARE
        r = minimise_breaks(sub, {mid: cands[mid] for mid in best}, share * 0.75,
                            share * 0.25, parallel=workers > 1, prefer_for=share * 0.5)
        stats.update(sat_phase2_s=round(time.monotonic() - t0, 2), sat_phase2_by=r["by"])
        if r["slot_of"] is not None and len(r["slot_of"]) == len(best) \
                and r["breaks"] < count_breaks_map(instance, best):
            best = sat_best = r["slot_of"]
            _hint(built, best)
    remaining = deadline - time.monotonic()
    share = remaining
    solver = _params(max(share, 0.5 if best is None else 0.05), seed, workers)
    solver.parameters.log_search_progress = log
    st = solver.solve(built.model)
    stats["cpsat_s"] = round(solver.wall_time, 2)
    bound_breaks = None
    if st in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        best = _better(instance, _read(built, solver), sat_best)
        if weight_optimal and not prev_slots:
            bound_breaks = max(sat_lower, int(round(solver.best_objective_bound)))
        status = "optimal" if st == cp_model.OPTIMAL and weight_optimal else "feasible"
    elif st == cp_model.INFEASIBLE and best is None:
        why = "no schedule meets require_all and fairness" if instance.fairness is not None \
            else "no schedule places every meeting (require_all)"
        return _empty(instance, "infeasible", why)
    elif best is not None:
        status = "feasible"
    else:
        return _empty(instance, "unknown", "no schedule found within the time limit")
    return _finish(instance, best, status, previous, bound_weight, bound_breaks, stats, t0,
                   prev_slots)


def _better(instance: Instance, a: dict[str, str], b: dict[str, str] | None) -> dict[str, str]:
    """The better of two schedules: more weight, then fewer breaks (``a`` on ties)."""
    if b is None:
        return a

    def key(slot_of):
        weight = sum(instance.meeting_by_id[mid].priority for mid in slot_of)
        return (-weight, count_breaks_map(instance, slot_of))

    return b if key(b) < key(a) else a


def _empty(instance: Instance, status: str, why: str) -> Solution:
    """A schedule without assignments; every meeting listed with its reason."""
    unscheduled = [Unscheduled(m.id, static_reason(instance, m) or why)
                   for m in instance.meetings]
    return Solution([], unscheduled, status, stats={"reason": why})


def _finish(instance, best, status, previous, bound_weight, bound_breaks, stats, t0,
            prev_slots=None) -> Solution:
    sol = make_solution(instance, best, status, previous)
    sol.bound_weight = bound_weight
    sol.bound_breaks = bound_breaks
    if prev_slots:
        stats["moved"] = sum(1 for k, v in prev_slots.items() if best.get(k) != v)
    stats["time_s"] = round(time.monotonic() - t0, 2)
    sol.stats.update(stats)
    return sol
