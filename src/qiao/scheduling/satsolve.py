"""SAT/MaxSAT break minimisation (python-sat) for instances where every meeting is required.

Used when ``require_all`` fixes the weight and no meeting needs an interpreter.
The encodings are in ``satencode``. The searches run as a *portfolio* of child
processes (CaDiCaL cannot be interrupted in-process, and two cores are better
used by two different searches than by one; see ``satworker``):

* ``core-strong``: core-guided MaxSAT (RC2) on the strong encoding (per-participant
  break levels, windows, implied capacities) with CaDiCaL 1.9.5;
* ``core-plain``: RC2 on the plain encoding (one soft clause per possible break)
  with Glucose 4 — it wins on some instances whose optimum is one break;
* ``linear-strong``: SAT-UNSAT linear search on the strong encoding: every
  schedule found is reported at once, each next call asks for one break fewer.

The parent keeps the best schedule and the best lower bound any of them reports,
stops at the first proof of optimality or at the time limit and kills the rest.
"""

from __future__ import annotations

import os
import pickle
import select
import subprocess
import sys
import time
from pathlib import Path

from qiao.scheduling.model import Instance
from qiao.scheduling.satencode import SatModel, build_cnf
from qiao.scheduling.validate import count_breaks_map

STRATEGIES: dict[str, tuple[str, bool, str]] = {
    # name: (method, strong encoding, SAT solver)
    "core-strong": ("core", True, "cadical195"),
    "core-plain": ("core", False, "glucose4"),
    "linear-strong": ("linear", True, "cadical195"),
}
CORE_PORTFOLIO = ("core-strong", "core-plain")
_SRC = str(Path(__file__).resolve().parents[2])  # so children import this very package


def _wcnf(sm: SatModel):
    from pysat.formula import WCNF

    wcnf = WCNF()
    wcnf.extend(sm.cnf.clauses)
    for lit in sm.soft_literals():
        wcnf.append([-lit], weight=1)
    return wcnf


def _run_core(sm: SatModel, solver: str, send) -> None:
    from pysat.examples.rc2 import RC2

    class ReportingRC2(RC2):
        def process_core(self):
            super().process_core()
            send(("lower", self.cost))

    with ReportingRC2(_wcnf(sm), solver=solver, adapt=True, exhaust=True, minz=True) as rc2:
        model = rc2.compute()
        if model is None:
            send(("done", None))
        else:
            send(("optimal", sm.decode(model), rc2.cost))


def _run_linear(instance: Instance, sm: SatModel, solver: str, send) -> None:
    from pysat.card import ITotalizer
    from pysat.solvers import Solver

    soft = sm.soft_literals()
    total = ITotalizer(lits=soft, ubound=len(soft), top_id=sm.cnf.pool.top)
    with Solver(name=solver, bootstrap_with=sm.cnf.clauses + total.cnf.clauses) as sat:
        ub, best = None, None
        while ub != 0:
            assumptions = [] if ub is None else [-total.rhs[ub - 1]]
            if not sat.solve(assumptions=assumptions):
                send(("done", None) if ub is None else ("optimal", best, ub))
                return
            best = sm.decode(sat.get_model())
            ub = count_breaks_map(instance, best)
            send(("solution", best, ub))
        send(("optimal", best, 0))


def run_strategy(name: str, instance: Instance, cands: dict[str, list[str]], send) -> None:
    """Run strategy ``name``, passing each finding to ``send`` (in the child process)."""
    try:
        method, strong, solver = STRATEGIES[name]
        sm = build_cnf(instance, cands, strong=strong)
        if method == "core":
            _run_core(sm, solver, send)
        else:
            _run_linear(instance, sm, solver, send)
    except Exception as exc:  # reported to the parent, which carries on without it
        send(("error", f"{type(exc).__name__}: {exc}"))


def solve_portfolio(instance: Instance, cands: dict[str, list[str]], time_limit: float,
                    strategies: tuple[str, ...] = CORE_PORTFOLIO, parallel: bool = True,
                    prefer_for: float = 0.0) -> dict:
    """Run ``strategies`` side by side (or one after another) for at most ``time_limit`` s.

    Returns {"slot_of", "breaks", "lower", "optimal", "by", "errors"}: the best
    schedule reported (None if none), its breaks, the best proven lower bound,
    whether it is proven optimal and which strategy found it. ``optimal`` is
    False when the optimum reaches the number of participants under a fairness
    rule (then the per-participant restriction may have cut better schedules).

    Each strategy is deterministic. Side by side, the schedule of the first
    strategy is preferred: if another proves the optimum first, the first one
    still gets until ``prefer_for`` seconds after the start to finish, so the
    schedule returned does not depend on which process happened to be faster
    (unless the first finishes right at that moment). ``parallel=False`` runs
    the strategies in the given order, each with an equal share of the time.
    """
    start = time.monotonic()
    deadline = start + time_limit
    out = {"slot_of": None, "breaks": None, "lower": 0, "optimal": False, "by": None,
           "errors": []}
    if parallel:
        _race(instance, cands, strategies, deadline, out,
              prefer_until=min(deadline, start + prefer_for))
    else:
        for k, name in enumerate(strategies):
            if out["optimal"]:
                break
            share = (deadline - time.monotonic()) / (len(strategies) - k)
            _race(instance, cands, (name,), time.monotonic() + share, out)
    if out["optimal"] and instance.fairness is not None \
            and out["breaks"] >= len(instance.participants):
        out["optimal"] = False
    return out


def minimise_breaks(instance: Instance, cands: dict[str, list[str]], core_time: float,
                    linear_time: float, parallel: bool = True, prefer_for: float = 0.0) -> dict:
    """The core-guided portfolio for ``core_time`` s, then (unless it proved the optimum)
    linear search for ``linear_time`` s; the better result, in ``solve_portfolio``'s form."""
    r = solve_portfolio(instance, cands, core_time, parallel=parallel, prefer_for=prefer_for)
    if r["optimal"] or linear_time <= 0:
        return r
    r2 = solve_portfolio(instance, cands, linear_time, ("linear-strong",))
    if r2["slot_of"] is not None and (r["slot_of"] is None or r2["breaks"] < r["breaks"]):
        r.update(slot_of=r2["slot_of"], breaks=r2["breaks"], by=r2["by"])
    r["lower"] = max(r["lower"], r2["lower"])
    r["optimal"] = r2["optimal"] or (r["breaks"] is not None and r["breaks"] <= r["lower"])
    r["errors"] += r2["errors"]
    return r


def _race(instance: Instance, cands, strategies, deadline: float, out: dict,
          prefer_until: float = 0.0) -> None:
    """Start one child per strategy, collect their messages into ``out``, then kill them.

    Children are separate interpreters (``python -m qiao.scheduling.satworker``)
    fed by a pickle on stdin, so nothing depends on how the parent was started;
    they answer with length-prefixed pickles on stdout.
    """
    python = worker_python()
    if python is None:
        out["errors"].append("no Python interpreter to run the SAT workers "
                             "(set QIAO_SAT_PYTHON)")
        return
    payload = pickle.dumps((instance, cands), protocol=pickle.HIGHEST_PROTOCOL)
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (_SRC, env.get("PYTHONPATH")) if p)
    streams: dict[int, tuple[str, bytearray]] = {}
    procs = []
    try:
        for name in strategies:
            proc = subprocess.Popen(
                [python, "-m", "qiao.scheduling.satworker", name, str(os.getpid())],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env)
            procs.append(proc)
            try:
                proc.stdin.write(payload)
                proc.stdin.close()
            except OSError as exc:
                out["errors"].append(f"{name}: {type(exc).__name__}: {exc}")
                continue
            streams[proc.stdout.fileno()] = (name, bytearray())
        preferred = strategies[0]
        while streams:
            now = time.monotonic()
            waiting = {name for name, _ in streams.values()}
            if out["optimal"] and (out["by"] == preferred or preferred not in waiting
                                   or now >= prefer_until):
                break
            limit = prefer_until if out["optimal"] else deadline
            if now >= limit:
                break
            ready, _, _ = select.select(list(streams), [], [], limit - now)
            for fd in ready:
                name, buf = streams[fd]
                chunk = os.read(fd, 1 << 20)
                if not chunk:
                    del streams[fd]
                    continue
                buf.extend(chunk)
                for msg in _frames(buf):
                    if _receive(instance, name, msg, out, name == preferred):
                        streams.pop(fd, None)
    finally:
        for proc in procs:
            proc.kill()
        for proc in procs:
            proc.wait()
            proc.stdout.close()


def worker_python() -> str | None:
    """The interpreter for the workers: ``QIAO_SAT_PYTHON`` or this process's own, if it
    is a Python (under an application server ``sys.executable`` may be the server)."""
    chosen = os.environ.get("QIAO_SAT_PYTHON") or sys.executable
    if chosen and Path(chosen).name.lower().startswith("python"):
        return chosen
    return None


def _frames(buf: bytearray):
    """Complete length-prefixed pickles at the start of ``buf`` (consumed)."""
    while len(buf) >= 8:
        size = int.from_bytes(buf[:8], "big")
        if len(buf) < 8 + size:
            return
        msg = pickle.loads(bytes(buf[8:8 + size]))
        del buf[:8 + size]
        yield msg


def _receive(instance: Instance, name: str, msg: tuple, out: dict, preferred: bool) -> bool:
    """Merge one message of strategy ``name`` into ``out``; True when the strategy is done.

    A proven optimum of the ``preferred`` strategy replaces an equally good schedule."""
    kind = msg[0]
    if kind == "lower":
        out["lower"] = max(out["lower"], msg[1])
    elif kind in ("solution", "optimal"):
        slot_of, cost = msg[1], msg[2]
        breaks = count_breaks_map(instance, slot_of)
        if out["breaks"] is None or breaks < out["breaks"] or (
                kind == "optimal" and preferred and breaks <= out["breaks"]):
            out.update(slot_of=slot_of, breaks=breaks, by=name)
        if kind == "optimal":
            out["lower"] = max(out["lower"], cost)
            out["optimal"] = out["breaks"] <= out["lower"]
            return True
    elif kind == "error":
        out["errors"].append(f"{name}: {msg[1]}")
        return True
    else:
        return True
    return False
