"""CNF encodings of the break-minimisation problem (every meeting required).

One variable per (meeting, candidate slot); an at-most-one per (participant,
slot) cell; table cardinalities per slot; precedence clauses; per participant,
day and slot a *break* literal implied by "busy now, idle in the previous slot,
busy at some earlier slot" (a prefix-or chain). Fairness is imposed as "every
participant has at most ``fairness`` breaks", which is exact whenever the
optimum is below the number of participants (then some participant has no
break, so the minimum is 0).

``strong=True`` adds what makes the low-break instances tractable:

* per participant a unary counter over its break literals, ``level[k]`` implied
  by "at least k+1 breaks"; the soft clauses are then ``not level[k]`` (the cost
  is still exactly the number of breaks, but cores are found per participant
  rather than per slot);
* a *contiguous* participant (``not level[0]``) whose meetings can only fall
  on one day works in one window of exactly as many consecutive slots as it
  has meetings: one start among the feasible windows, busy exactly inside it
  (otherwise: no idle slot between two busy slots of the same day);
* the implied capacity ``#participants busy in a slot <= 2 x tables`` for
  participants whose meetings are all in person.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from dataclasses import dataclass, field

from pysat.card import CardEnc, EncType
from pysat.formula import IDPool

from qiao.scheduling.model import Instance

SEQCOUNTER_LIMIT = 100_000  # above: cardinality networks (measured sizes on the JAIR set <= 27k)


class Cnf:
    """Clauses with a variable pool and the cardinality helpers the encodings use."""

    def __init__(self) -> None:
        self.pool = IDPool()
        self.clauses: list[list[int]] = []

    def var(self, name) -> int:
        """The variable named ``name`` (created on first use)."""
        return self.pool.id(name)

    def new(self) -> int:
        """A fresh auxiliary variable."""
        return self.pool.id(("aux", self.pool.top + 1))

    def atmost(self, lits: list[int], k: int) -> None:
        """At most ``k`` of ``lits``: a sequential counter, or a cardinality network
        when the counter would grow too large (its size is ``len(lits) * k``)."""
        if len(lits) <= k:
            return
        kind = EncType.seqcounter if len(lits) * k <= SEQCOUNTER_LIMIT else EncType.cardnetwrk
        enc = CardEnc.atmost(lits, k, vpool=self.pool, encoding=kind)
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


@dataclass
class SatModel:
    """The CNF with the handles to read a schedule and to state the objective."""

    cnf: Cnf
    x: dict[str, dict[str, int]]
    person_breaks: dict[str, list[int]]
    levels: dict[str, list[int]] = field(default_factory=dict)

    def soft_literals(self) -> list[int]:
        """Literals each of which costs one break when true."""
        if self.levels:
            return [v for lv in self.levels.values() for v in lv]
        return [u for us in self.person_breaks.values() for u in us]

    def decode(self, model: list[int]) -> dict[str, str]:
        """Meeting id -> slot id from a SAT model."""
        pos = {v for v in model if v > 0}
        return {mid: s for mid, lits in self.x.items() for s, v in lits.items() if v in pos}


def build_cnf(instance: Instance, cands: dict[str, list[str]], strong: bool = False) -> SatModel:
    """Encode ``instance`` (all meetings required) with candidate slots ``cands``."""
    c = Cnf()
    x: dict[str, dict[str, int]] = {}
    cell: dict[tuple[str, str], list[int]] = defaultdict(list)
    inperson: dict[str, list[int]] = defaultdict(list)
    for m in instance.meetings:
        lits = {s: c.var(("x", m.id, s)) for s in cands[m.id]}
        x[m.id] = lits
        c.clauses.append(list(lits.values()))
        c.atmost(list(lits.values()), 1)
        for s, v in lits.items():
            for p in m.participants:
                cell[(p, s)].append(v)
            if not m.remote:
                inperson[s].append(v)
    for lits in cell.values():
        c.atmost(lits, 1)
    for s, lits in inperson.items():
        c.atmost(lits, instance.slot_by_id[s].tables)
    _precedences(c, instance, x)
    _interpreters(c, instance, x)
    degree: dict[str, int] = defaultdict(int)
    has_remote: set[str] = set()
    for m in instance.meetings:
        for p in m.participants:
            degree[p] += 1
            if m.remote:
                has_remote.add(p)
    busy_at: dict[str, list[int]] = defaultdict(list)
    person_breaks: dict[str, list[int]] = {}
    levels: dict[str, list[int]] = {}
    for p in instance.participants:
        days = [_busy_literals(c, cell, p.id, day) for day in instance.days]
        # one meeting never makes a break
        units = [u for busy in days for u in _break_literals(c, busy)] if degree[p.id] > 1 else []
        person_breaks[p.id] = units
        if instance.fairness is not None:
            c.atmost(units, instance.fairness)
        if not strong:
            continue
        if p.id not in has_remote:
            for day, busy in zip(instance.days, days, strict=True):
                for s, b in zip(day, busy, strict=True):
                    if b is not None:
                        busy_at[s.id].append(b)
        if not units:
            continue
        cap = len(units) if instance.fairness is None else min(len(units), instance.fairness)
        levels[p.id] = c.counter(units, max(1, cap))
        broken = levels[p.id][0]
        active = [k for k, busy in enumerate(days) if any(b is not None for b in busy)]
        if len(active) == 1:
            _window(c, days[active[0]], degree[p.id], broken, (p.id, active[0]))
        else:
            for busy in days:
                _no_gaps(c, busy, broken)
    for sid, lits in busy_at.items():
        c.atmost(lits, 2 * instance.slot_by_id[sid].tables)
    return SatModel(c, x, person_breaks, levels)


def _precedences(c: Cnf, instance: Instance, x: dict[str, dict[str, int]]) -> None:
    idx = {s.id: s.index for s in instance.slots}
    for m in instance.meetings:
        for b in m.after:
            for s, v in x[m.id].items():
                for s2, w in x[b].items():
                    if idx[s2] >= idx[s]:
                        c.clauses.append([-v, -w])


MAX_INTERPRETER_CLASSES = 6


def interpreter_classes_ok(instance: Instance, cands: dict[str, list[str]]) -> bool:
    """True if every slot sees at most ``MAX_INTERPRETER_CLASSES`` language pairs needing
    an interpreter (the SAT encoding states Hall's condition over their subsets)."""
    per_slot: dict[str, set] = defaultdict(set)
    for m in instance.meetings:
        if instance.needs_interpreter(m):
            for s in cands[m.id]:
                per_slot[s].add(_language_pair(instance, m))
    return all(len(v) <= MAX_INTERPRETER_CLASSES for v in per_slot.values())


def _language_pair(instance: Instance, m) -> tuple:
    a, b = (instance.participant_by_id[p].languages for p in m.participants)
    return tuple(sorted((tuple(sorted(a)), tuple(sorted(b)))))


def _interpreters(c: Cnf, instance: Instance, x: dict[str, dict[str, int]]) -> None:
    """Per slot, Hall's condition: the meetings of any set of language pairs that need
    an interpreter are at most the available interpreters serving one of those pairs."""
    by_slot: dict[str, dict[tuple, list[int]]] = defaultdict(lambda: defaultdict(list))
    sample: dict[tuple, object] = {}
    for m in instance.meetings:
        if not instance.needs_interpreter(m):
            continue
        pair = _language_pair(instance, m)
        sample.setdefault(pair, m)
        for s, v in x[m.id].items():
            by_slot[s][pair].append(v)
    for s, classes in by_slot.items():
        pairs = sorted(classes)
        if len(pairs) > MAX_INTERPRETER_CLASSES:
            raise ValueError(f"slot {s!r}: too many language pairs needing interpreters")
        serves = {pair: {i.id for i in instance.interpreters_for(sample[pair], s)}
                  for pair in pairs}
        for r in range(1, len(pairs) + 1):
            for subset in itertools.combinations(pairs, r):
                lits = [v for pair in subset for v in classes[pair]]
                c.atmost(lits, len(set().union(*(serves[pair] for pair in subset))))


def _busy_literals(c: Cnf, cell, pid: str, day) -> list[int | None]:
    """Per slot of ``day``: a literal true iff ``pid`` has a meeting there (None: cannot)."""
    busy: list[int | None] = []
    for s in day:
        lits = cell.get((pid, s.id), [])
        if not lits:
            busy.append(None)
        elif len(lits) == 1:
            busy.append(lits[0])
        else:
            b = c.new()
            c.clauses.append([-b, *lits])
            c.clauses.extend([[-v, b] for v in lits])
            busy.append(b)
    return busy


def _break_literals(c: Cnf, busy: list[int | None]) -> list[int]:
    """Break literals of one day: one per slot that could end an idle gap."""
    units: list[int] = []
    seen: list = []  # seen[k] <-> some busy slot at position <= k (None: false)
    for k, b in enumerate(busy):
        before = seen[k - 2] if k >= 2 else None
        if b is not None and before is not None:
            brk = c.new()  # busy now, idle just before, busy earlier -> a break
            prev = busy[k - 1]
            c.clauses.append([-b, -before, brk] if prev is None else [-b, prev, -before, brk])
            units.append(brk)
        last = seen[k - 1] if k else None
        if last is None or b is None:
            seen.append(b if last is None else last)
        else:
            nxt = c.new()
            c.clauses.extend([[-last, nxt], [-b, nxt], [-nxt, last, b]])
            seen.append(nxt)
    return units


def _window(c: Cnf, busy: list[int | None], length: int, broken: int, key) -> None:
    """Unless ``broken``: busy in exactly one run of ``length`` consecutive slots."""
    if length < 1:
        return
    starts = []
    for s0 in range(len(busy) - length + 1):
        if all(busy[t] is not None for t in range(s0, s0 + length)):
            starts.append((s0, c.var(("window", key, s0))))
    c.clauses.append([broken] + [w for _, w in starts])
    c.atmost([w for _, w in starts], 1)
    for t, b in enumerate(busy):
        if b is None:
            continue
        cover = [w for s0, w in starts if s0 <= t < s0 + length]
        c.clauses.append([broken, -b, *cover])
        c.clauses.extend([[-w, b] for w in cover])


def _no_gaps(c: Cnf, busy: list[int | None], broken: int) -> None:
    """Unless ``broken``: no idle slot between two busy slots of the day."""
    for i, bi in enumerate(busy):
        if bi is None:
            continue
        for j in range(i + 2, len(busy)):
            if busy[j] is None:
                continue
            for k in range(i + 1, j):
                gap = [busy[k]] if busy[k] is not None else []
                c.clauses.append([broken, -bi, -busy[j], *gap])
