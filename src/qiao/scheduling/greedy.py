"""Greedy placement: the first-free-slot baseline and ``place_one`` after publication."""

from __future__ import annotations

from qiao.scheduling.assign import Occupancy, explain
from qiao.scheduling.model import Assignment, Instance, Solution, Unscheduled
from qiao.scheduling.validate import participant_breaks


def _finish(instance: Instance, assignments: list[Assignment], occ: Occupancy,
            status: str = "feasible") -> Solution:
    placed = {a.meeting for a in assignments}
    unscheduled = [Unscheduled(m.id, explain(instance, m, occ))
                   for m in instance.meetings if m.id not in placed]
    breaks = participant_breaks(instance, assignments)
    weight = sum(instance.meeting_by_id[a.meeting].priority for a in assignments)
    if instance.require_all and unscheduled:
        status = "infeasible" if status == "infeasible" else "feasible"
    return Solution(assignments=assignments, unscheduled=unscheduled, status=status,
                    weight=weight, breaks=sum(breaks.values()))


def baseline_first_free(instance: Instance) -> Solution:
    """Book each meeting, in request order, into the earliest slot where it fits.

    This is what booking on acceptance does; it ignores breaks, fairness and
    priorities and is the reference the optimiser must beat. Hard rules other than
    fairness and require_all are respected.
    """
    occ = Occupancy(instance)
    assignments: list[Assignment] = []
    for m in instance.meetings:
        for s in instance.candidate_slots(m):
            reason, a = occ.blocker(m, s.id)
            if a is not None:
                occ.add(a)
                assignments.append(a)
                break
    sol = _finish(instance, assignments, occ)
    sol.stats["method"] = "baseline_first_free"
    return sol


def _fair(instance: Instance, per: dict[str, int]) -> bool:
    if instance.fairness is None or not per:
        return True
    return max(per.values()) - min(per.values()) <= instance.fairness


def place_one(instance: Instance, solution: Solution, meeting_id: str) -> Solution:
    """Place one newly accepted meeting into a compatible free slot without moving others.

    Among the slots where the meeting fits (both participants free, a free table
    and interpreter, precedences, fairness kept), the one adding the fewest breaks
    is taken (earliest on ties). Returns a new Solution; if no slot fits, the
    meeting is listed in ``unscheduled`` with the reason. Raises KeyError for an
    unknown meeting id and ValueError if it is already placed.
    """
    m = instance.meeting_by_id.get(meeting_id)
    if m is None:
        raise KeyError(f"meeting {meeting_id!r}: not in the instance")
    if any(a.meeting == meeting_id for a in solution.assignments):
        raise ValueError(f"meeting {meeting_id!r}: already placed")
    occ = Occupancy(instance)
    for a in solution.assignments:
        occ.add(a)
    base = participant_breaks(instance, solution.assignments)
    best = None
    unfair = False
    for s in instance.candidate_slots(m):
        reason, a = occ.blocker(m, s.id)
        if a is None:
            continue
        per = participant_breaks(instance, [*solution.assignments, a])
        if not _fair(instance, per):
            unfair = True
            continue
        delta = sum(per.values()) - sum(base.values())
        key = (delta, s.index)
        if best is None or key < best[0]:
            best = (key, a)
    assignments = list(solution.assignments)
    if best is not None:
        assignments.append(best[1])
        occ.add(best[1])
    others = [u for u in solution.unscheduled if u.meeting != meeting_id]
    sol = _finish(instance, assignments, occ, "feasible")
    keep = {u.meeting for u in others} | {meeting_id}
    sol.unscheduled = [u for u in sol.unscheduled if u.meeting in keep]
    if best is None and unfair:
        sol.unscheduled = [u if u.meeting != meeting_id
                           else Unscheduled(meeting_id, "no free slot keeps the fairness bound")
                           for u in sol.unscheduled]
    sol.bound_weight = solution.bound_weight
    return sol
