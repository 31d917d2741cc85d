"""SAT/MaxSAT break minimisation (python-sat) for instances where every meeting is required.

Used when ``require_all`` fixes the weight and no meeting needs an interpreter.
The CNF has one variable per (meeting, candidate slot), at-most-one per
(participant, slot) cell, table cardinalities per slot, precedence clauses and,
per participant, day and slot, a *break* literal implied by "busy now, idle in
the previous slot, busy at some earlier slot" (a prefix-or chain); each break
literal is one soft clause. Fairness is imposed as "every participant has at
most ``fairness`` breaks", which is exact whenever the optimum is below the
number of participants (then some participant has no break, so the minimum is
0); lower bounds below that number are valid for the unrestricted problem too.

``solve_maxsat`` runs core-guided MaxSAT (RC2) until interrupted at the time
limit (its lower bound is kept); ``solve_sat`` finds a first schedule with plain
SAT and improves it by SAT-UNSAT linear search on a global break counter.
"""

from __future__ import annotations

import threading
import time
from collections import defaultdict

from pysat.card import CardEnc, EncType
from pysat.formula import IDPool
from pysat.solvers import Solver

from qiao.scheduling.model import Instance
from qiao.scheduling.validate import count_breaks_map

AMO_PAIRWISE = 0  # pairwise at-most-one up to this size (measured: no gain)
CARD_ENCODING = EncType.seqcounter


class _Cnf:
    def __init__(self) -> None:
        self.pool = IDPool()
        self.clauses: list[list[int]] = []

    def var(self, name) -> int:
        return self.pool.id(name)

    def new(self) -> int:
        return self.pool.id(("aux", self.pool.top + 1))

    def amo(self, lits: list[int]) -> None:
        if len(lits) < 2:
            return
        if len(lits) <= AMO_PAIRWISE:
            self.clauses.extend([-a, -b] for k, a in enumerate(lits) for b in lits[k + 1:])
            return
        enc = CardEnc.atmost(lits, 1, vpool=self.pool, encoding=EncType.seqcounter)
        self.clauses.extend(enc.clauses)

    def atmost(self, lits: list[int], k: int) -> None:
        if len(lits) <= k:
            return
        enc = CardEnc.atmost(lits, k, vpool=self.pool, encoding=CARD_ENCODING)
        self.clauses.extend(enc.clauses)

    def counter(self, lits: list[int], k: int) -> list[int]:
        """Outputs r[j-1] implied by "at least j of lits" for j = 1..k (one direction)."""
        prev: list[int] = []
        for x in lits:
            cur = [self.new() for _ in range(min(k, len(prev) + 1))]
            for j, r in enumerate(cur):
                if j < len(prev):
                    self.clauses.append([-prev[j], r])
                if j == 0:
                    self.clauses.append([-x, r])
                else:
                    self.clauses.append([-x, -prev[j - 1], r])
            prev = cur
        return prev


def _build(instance: Instance, cands: dict[str, list[str]]):
    c = _Cnf()
    x: dict[str, dict[str, int]] = {}
    cell: dict[tuple[str, str], list[int]] = defaultdict(list)
    inperson: dict[str, list[int]] = defaultdict(list)
    for m in instance.meetings:
        lits = {s: c.var(("x", m.id, s)) for s in cands[m.id]}
        x[m.id] = lits
        c.clauses.append(list(lits.values()))
        c.amo(list(lits.values()))
        for s, v in lits.items():
            for p in m.participants:
                cell[(p, s)].append(v)
            if not m.remote:
                inperson[s].append(v)
    for lits in cell.values():
        c.amo(lits)
    for s, lits in inperson.items():
        c.atmost(lits, instance.slot_by_id[s].tables)
    idx = {s.id: s.index for s in instance.slots}
    for m in instance.meetings:
        for b in m.after:
            for s, v in x[m.id].items():
                for s2, w in x[b].items():
                    if idx[s2] >= idx[s]:
                        c.clauses.append([-v, -w])
    d = instance.fairness
    person_breaks: dict[str, list[int]] = {}
    for p in instance.participants:
        units: list[int] = []
        for day in instance.days:
            busy = []
            for s in day:
                lits = cell.get((p.id, s.id), [])
                if not lits:
                    busy.append(None)
                elif len(lits) == 1:
                    busy.append(lits[0])
                else:
                    b = c.new()
                    c.clauses.append([-b, *lits])
                    c.clauses.extend([[-v, b] for v in lits])
                    busy.append(b)
            seen: list = []  # seen[k] <-> some busy slot at position <= k (None: false)
            for k, b in enumerate(busy):
                before = seen[k - 2] if k >= 2 else None
                if b is not None and before is not None:
                    brk = c.new()  # busy now, idle just before, busy earlier -> a break
                    prev = busy[k - 1]
                    c.clauses.append([-b, -before, brk] if prev is None
                                     else [-b, prev, -before, brk])
                    units.append(brk)
                last = seen[k - 1] if k else None
                if last is None or b is None:
                    seen.append(b if last is None else last)
                else:
                    nxt = c.new()
                    c.clauses.extend([[-last, nxt], [-b, nxt], [-nxt, last, b]])
                    seen.append(nxt)
        if d is not None:
            c.atmost(units, d)
        person_breaks[p.id] = units
    return c, x, person_breaks


def solve_sat(instance: Instance, cands: dict[str, list[str]], time_limit: float,
              solver_name: str = "glucose4", hint: dict[str, str] | None = None
              ) -> dict | None:
    """Minimise breaks; returns {"slot_of", "breaks", "lower", "optimal"} or None.

    None means no schedule was found in time or the (fairness-restricted)
    formula is unsatisfiable; the caller then falls back to CP-SAT.
    """
    deadline = time.monotonic() + time_limit
    cnf, x, person_breaks = _build(instance, cands)
    all_units = [u for us in person_breaks.values() for u in us]
    with Solver(name=solver_name, bootstrap_with=cnf.clauses) as sat:
        if hint:
            sat.set_phases([v if hint.get(mid) == s else -v
                            for mid, lits in x.items() for s, v in lits.items()])
        def run(assumptions: list[int]):
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return None
            timer = threading.Timer(remaining, sat.interrupt)
            timer.start()
            try:
                res = sat.solve_limited(assumptions=assumptions, expect_interrupt=True)
            finally:
                timer.cancel()
                sat.clear_interrupt()
            return res

        def decode():
            model = set(v for v in sat.get_model() if v > 0)
            slot_of = {mid: s for mid, lits in x.items() for s, v in lits.items() if v in model}
            return slot_of

        res = run([])
        if not res:
            return None
        best = decode()
        ub = count_breaks_map(instance, best)
        if hint and len(hint) == len(x):
            hub = count_breaks_map(instance, hint)
            if hub < ub:
                best, ub = dict(hint), hub
        start = len(cnf.clauses)
        total = cnf.counter(all_units, ub + 1)
        sat.append_formula(cnf.clauses[start:])
        lower = 0
        optimal = ub == 0
        while not optimal:
            res = run([-total[ub - 1]])
            if res is None:
                break
            if not res:
                optimal, lower = True, ub
                break
            best = decode()
            ub = count_breaks_map(instance, best)
            optimal = ub == 0
        if optimal and ub >= len(instance.participants) and instance.fairness is not None:
            optimal = False
        return {"slot_of": best, "breaks": ub, "lower": lower, "optimal": optimal}


def solve_maxsat(instance: Instance, cands: dict[str, list[str]], time_limit: float,
                 solver_name: str = "glucose4") -> dict:
    """Core-guided MaxSAT (RC2) with one soft clause per possible break.

    Returns {"slot_of", "breaks", "lower", "optimal"}; when interrupted at the time
    limit ``slot_of`` is None and ``lower`` is the lower bound proven so far.
    """
    from pysat.examples.rc2 import RC2
    from pysat.formula import WCNF

    cnf, x, person_breaks = _build(instance, cands)
    wcnf = WCNF()
    wcnf.extend(cnf.clauses)
    for units in person_breaks.values():
        for u in units:
            wcnf.append([-u], weight=1)
    with RC2(wcnf, solver=solver_name, adapt=True, exhaust=True, minz=True) as rc2:
        timer = threading.Timer(max(0.01, time_limit), rc2.interrupt)
        timer.start()
        try:
            model = rc2.compute(expect_interrupt=True)
        finally:
            timer.cancel()
        lower = rc2.cost
        if model is None:
            return {"slot_of": None, "breaks": None, "lower": lower, "optimal": False}
        pos = set(v for v in model if v > 0)
        slot_of = {mid: s for mid, lits in x.items() for s, v in lits.items() if v in pos}
        breaks = count_breaks_map(instance, slot_of)
        optimal = breaks == lower and (instance.fairness is None
                                       or breaks < len(instance.participants))
        return {"slot_of": slot_of, "breaks": breaks, "lower": lower, "optimal": optimal}
