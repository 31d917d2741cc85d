"""Large instances: break-aware greedy start plus large-neighbourhood search (LNS).

Each LNS step frees the meetings among a small group of related participants
(a participant with breaks or unplaced meetings, its partners and theirs), keeps
everything else frozen and re-optimises the group with the CP-SAT model of
``cpmodel`` (weight first, then the group's breaks) starting from the current
schedule, so a step never makes the schedule worse. Determinism: every step has
a deterministic CP-SAT budget; only the number of steps depends on the clock.
"""

from __future__ import annotations

import random
import time
from collections import defaultdict

from ortools.sat.python import cp_model

from qiao.scheduling.assign import Occupancy
from qiao.scheduling.bounds import weight_upper_bound
from qiao.scheduling.cpmodel import build_model
from qiao.scheduling.greedy import baseline_first_free
from qiao.scheduling.model import Instance, Solution
from qiao.scheduling.validate import participant_breaks


def greedy_start(instance: Instance, cands: dict[str, list[str]],
                 keep: dict[str, str] | None = None) -> dict[str, str]:
    """Place meetings by priority (scarce ones first) into the slot adding fewest breaks."""
    occ = Occupancy(instance)
    pos = instance.position
    busy: dict[str, set] = defaultdict(set)
    slot_of: dict[str, str] = {}

    def place(m, sid, a) -> None:
        occ.add(a)
        slot_of[m.id] = sid
        for p in m.participants:
            busy[p].add(pos[sid])

    for mid, sid in (keep or {}).items():
        m = instance.meeting_by_id[mid]
        reason, a = occ.blocker(m, sid)
        if a is not None:
            place(m, sid, a)
    order = sorted((m for m in instance.meetings if m.id not in slot_of),
                   key=lambda m: (-m.priority, len(cands[m.id]), m.id))
    for m in order:
        best = None
        for sid in cands[m.id]:
            reason, a = occ.blocker(m, sid)
            if a is None:
                continue
            d, k = pos[sid]
            score = 0
            for p in m.participants:
                cells = busy[p]
                same = [j for (dd, j) in cells if dd == d]
                if not same:
                    score += 1  # opens a new day: neutral, but prefer joining blocks
                elif (d, k - 1) in cells or (d, k + 1) in cells:
                    score -= 2 if ((d, k - 1) in cells and (d, k + 1) in cells) else 1
                else:
                    score += 3
            key = (score, pos[sid][1], sid)
            if best is None or key < best[0]:
                best = (key, sid, a)
        if best is not None:
            place(m, best[1], best[2])
    return slot_of


def _neighbourhood(instance: Instance, slot_of: dict[str, str], per: dict[str, int],
                   rng: random.Random, size: int) -> list[str]:
    unplaced = [p for m in instance.meetings if m.id not in slot_of for p in m.participants]
    unfair = []
    if instance.fairness is not None and per and not fairness_ok(instance, per):
        floor = min(per.values()) + instance.fairness
        unfair = [p for p, v in per.items() if v > floor]
    if unfair or (instance.require_all and unplaced):
        pool = unfair + unplaced  # repair first: these make the schedule invalid
    else:
        pool = [p for p, v in per.items() if v > 0] + unplaced
    seed = rng.choice(pool) if pool and rng.random() < 0.8 else rng.choice(
        [p.id for p in instance.participants])
    group = [seed]
    seen = {seed}
    frontier = [seed]
    while frontier and len(group) < size:
        nxt = []
        for p in frontier:
            cand = [q for m in instance.meetings_of[p] for q in m.participants if q != p]
            rng.shuffle(cand)
            for q in cand:
                if q not in seen and len(group) < size:
                    seen.add(q)
                    group.append(q)
                    nxt.append(q)
        frontier = nxt
    return group


def lns(instance: Instance, cands: dict[str, list[str]], slot_of: dict[str, str],
        deadline: float, seed: int, workers: int, group_size: int = 20,
        step_dtime: float = 0.1, log: bool = False) -> tuple[dict[str, str], int]:
    """Improve ``slot_of`` until ``deadline``; returns (schedule, number of steps)."""
    rng = random.Random(seed)
    slot_of = dict(slot_of)
    steps = 0
    per = participant_breaks_map(instance, slot_of)
    while time.monotonic() < deadline - 0.5:
        group = set(_neighbourhood(instance, slot_of, per, rng, group_size))
        free = sorted({m.id: m for p in group for m in instance.meetings_of[p]
                       if set(m.participants) <= group}.values(), key=lambda m: m.id)
        free_ids = {m.id for m in free}
        frozen = {mid: s for mid, s in slot_of.items() if mid not in free_ids}
        outside, caps = _fairness_limits(instance, per, group)
        # under require_all, placed meetings stay placed; unplaced ones are rewarded by weight
        required = {m.id for m in free if m.id in slot_of} if instance.require_all else None
        built = build_model(instance, free, frozen, cands, break_people=group,
                            require_placed=required, fairness_outside=outside,
                            break_caps=caps)
        scale = sum(1 for _ in group) * len(instance.slots) + 1
        built.model.maximize(built.weight * scale - built.breaks)
        for mid, lits in built.x.items():
            for sid, v in lits.items():
                built.model.add_hint(v, slot_of.get(mid) == sid)
        solver = cp_model.CpSolver()
        prm = solver.parameters
        prm.num_workers = workers
        prm.random_seed = seed + steps
        prm.max_deterministic_time = step_dtime
        prm.max_time_in_seconds = max(0.1, deadline - time.monotonic())
        st = solver.solve(built.model)
        steps += 1
        if st not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            continue
        new = dict(frozen)
        for mid, lits in built.x.items():
            for sid, v in lits.items():
                if solver.boolean_value(v):
                    new[mid] = sid
        old_w = sum(instance.meeting_by_id[m].priority for m in free_ids if m in slot_of)
        new_w = sum(instance.meeting_by_id[m].priority for m in free_ids if m in new)
        new_per = {p: breaks_of(instance, p, new) for p in group}
        if (new_w, -sum(new_per.values())) >= (old_w, -sum(per[p] for p in group)):
            slot_of = new
            per.update(new_per)
        if log:
            print(f"lns step {steps}: weight {new_w} breaks {sum(per.values())}")
    return slot_of, steps


def _fairness_limits(instance: Instance, per: dict[str, int], group: set[str]):
    """(fairness_outside, break_caps) for a step: the exact rule when the participants
    outside the group respect it, else caps that let nobody in the group get worse
    than ``max(own breaks, outside minimum + fairness)`` (the repair mode)."""
    if instance.fairness is None:
        return None, None
    rest = [v for p, v in per.items() if p not in group]
    if not rest:
        return None, None
    lo, hi = min(rest), max(rest)
    if hi - lo <= instance.fairness:
        return (lo, hi), None
    return None, {p: max(per[p], lo + instance.fairness) for p in group}


def fairness_ok(instance: Instance, per: dict[str, int]) -> bool:
    """True if the break counts ``per`` respect the instance's fairness rule."""
    if instance.fairness is None or not per:
        return True
    return max(per.values()) - min(per.values()) <= instance.fairness


def breaks_of(instance: Instance, p: str, slot_of: dict[str, str]) -> int:
    """Breaks of participant ``p`` under a meeting -> slot mapping."""
    cells = sorted(instance.position[slot_of[m.id]] for m in instance.meetings_of[p]
                   if m.id in slot_of)
    return sum(1 for (d1, k1), (d2, k2) in zip(cells, cells[1:], strict=False)
               if d1 == d2 and k2 > k1 + 1)


def participant_breaks_map(instance: Instance, slot_of: dict[str, str]) -> dict[str, int]:
    """Breaks per participant of a meeting -> slot mapping."""
    from qiao.scheduling.model import Assignment

    return participant_breaks(instance, (Assignment(m, s) for m, s in slot_of.items()))


def solve_large(instance: Instance, time_limit: float, seed: int, workers: int,
                previous: Solution | None = None, log: bool = False) -> Solution:
    """Greedy start (or the baseline if it places more weight) improved by LNS."""
    from qiao.scheduling.solver import make_solution

    t0 = time.monotonic()
    cands = {m.id: [s.id for s in instance.candidate_slots(m)] for m in instance.meetings}
    keep = previous.slot_of() if previous else None
    slot_of = greedy_start(instance, cands, keep)
    base = baseline_first_free(instance)
    base_w = base.weight
    w = sum(instance.meeting_by_id[m].priority for m in slot_of)
    if base_w > w:
        slot_of = base.slot_of()
    start_breaks = sum(participant_breaks_map(instance, slot_of).values())
    bound_weight = weight_upper_bound(instance, cands)
    reserve = 1.0 + 0.02 * time_limit + len(instance.meetings) / 20000
    slot_of, steps = lns(instance, cands, slot_of, t0 + time_limit - reserve, seed, workers,
                         log=log)
    sol = make_solution(instance, slot_of, "feasible", previous)
    if (instance.require_all and sol.unscheduled) or not fairness_ok(
            instance, participant_breaks_map(instance, slot_of)):
        sol.status = "unknown"
    sol.bound_weight = bound_weight
    sol.stats.update({"method": "greedy+lns", "lns_steps": steps,
                      "greedy_breaks": start_breaks, "time_s": round(time.monotonic() - t0, 2)})
    return sol
