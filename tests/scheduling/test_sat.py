"""The SAT/MaxSAT side of the scheduler: encodings, portfolio, weight bounds.

Every strategy is compared with exhaustive enumeration on small random instances,
so an encoding that cuts a valid schedule or miscounts a break fails here.
"""

import itertools
import json
import os
import random
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest
from sched_helpers import instance, meeting, person, slots

from qiao.scheduling import parse_instance, solve, validate_solution
from qiao.scheduling.bounds import weight_upper_bound
from qiao.scheduling.model import Assignment
from qiao.scheduling.satencode import build_cnf
from qiao.scheduling.satsolve import STRATEGIES, solve_portfolio
from qiao.scheduling.validate import count_breaks_map, participant_breaks

JAIR = Path(__file__).resolve().parents[3] / "shared" / "bench" / "b2b-jair" / "json"


def cands_of(inst):
    return {m.id: [s.id for s in inst.candidate_slots(m)] for m in inst.meetings}


def brute_force_optimum(inst):
    """Fewest breaks over every valid placement of all meetings (None: no valid one)."""
    cands = cands_of(inst)
    order = [m for m in inst.meetings]
    best = None
    for combo in itertools.product(*(cands[m.id] for m in order)):
        slot_of = dict(zip((m.id for m in order), combo, strict=True))
        used, tables = set(), {}
        ok = True
        for m in order:
            s = slot_of[m.id]
            for p in m.participants:
                if (p, s) in used:
                    ok = False
                used.add((p, s))
            if not m.remote:
                tables[s] = tables.get(s, 0) + 1
                if tables[s] > inst.slot_by_id[s].tables:
                    ok = False
        if not ok or not interpreters_suffice(inst, slot_of):
            continue
        if inst.fairness is not None:
            per = participant_breaks(inst, (Assignment(k, v) for k, v in slot_of.items()))
            if max(per.values()) - min(per.values()) > inst.fairness:
                continue
        b = count_breaks_map(inst, slot_of)
        best = b if best is None else min(best, b)
    return best


def interpreters_suffice(inst, slot_of):
    """Every slot's interpreted meetings can get distinct capable interpreters."""
    by_slot = {}
    for mid, s in slot_of.items():
        m = inst.meeting_by_id[mid]
        if inst.needs_interpreter(m):
            by_slot.setdefault(s, []).append(m)
    for s, ms in by_slot.items():
        options = [{i.id for i in inst.interpreters_for(m, s)} for m in ms]
        ids = sorted(set().union(*options))
        if not any(all(i in opt for i, opt in zip(perm, options, strict=False))
                   for perm in itertools.permutations(ids, len(ms))):
            return False
    return True


def random_instance(seed, days=1, fairness=None):
    rng = random.Random(seed)
    s = [x for d in range(1, days + 1) for x in slots(4 if days == 1 else 3, day=d,
                                                      tables=rng.choice([1, 2, 3]))]
    ids = [x["id"] for x in s]
    people = [person(p, available=sorted(rng.sample(ids, rng.randint(len(ids) - 2, len(ids)))),
                     remote=rng.random() < 0.15) for p in "abcde"]
    pairs = rng.sample(list(itertools.combinations("abcde", 2)), 6)
    ms = [meeting(f"m{k}", a, b, remote=any(p["remote"] for p in people if p["id"] in (a, b)))
          for k, (a, b) in enumerate(pairs)]
    extra = {"require_all": True}
    if fairness is not None:
        extra["fairness"] = fairness
    return parse_instance(instance(s, people, ms, **extra))


def interpreted_instance(seed):
    """German, Chinese and English speakers; two interpreters with different languages."""
    rng = random.Random(seed)
    s = slots(4, tables=3)
    ids = [x["id"] for x in s]
    langs = [("de",), ("zh",), ("en",), ("de", "en"), ("zh",)]
    people = [person(p, langs=langs[k]) for k, p in enumerate("abcde")]
    pairs = rng.sample(list(itertools.combinations("abcde", 2)), 6)
    ms = [meeting(f"m{k}", a, b) for k, (a, b) in enumerate(pairs)]
    interp = [{"id": "i1", "languages": ["de", "zh"], "available": rng.sample(ids, 3)},
              {"id": "i2", "languages": ["zh", "en"], "available": rng.sample(ids, 2)}]
    return parse_instance(instance(s, people, ms, interpreters=interp, require_all=True))


def test_interpreter_capacity_in_the_sat_encoding_matches_brute_force():
    checked = 0
    for seed in range(12):
        inst = interpreted_instance(seed)
        expected = brute_force_optimum(inst)
        r = solve_portfolio(inst, cands_of(inst), 30, ("core-strong",))
        if expected is None:
            assert r["slot_of"] is None
            continue
        assert (r["breaks"], r["optimal"]) == (expected, True), seed
        assert interpreters_suffice(inst, r["slot_of"])
        sol = solve(inst, time_limit=20)
        assert validate_solution(inst, sol) == [] and sol.breaks == expected
        checked += 1
    assert checked >= 4


def test_phase_two_uses_the_sat_portfolio_without_losing_weight():
    inst = interpreted_instance(2)
    data_free = replace(inst, require_all=False)
    sol = solve(data_free, time_limit=20)
    assert validate_solution(data_free, sol) == []
    assert "sat_phase2_by" in sol.stats
    assert sol.weight == sol.bound_weight


@pytest.mark.parametrize("strategy", sorted(STRATEGIES))
def test_every_strategy_finds_the_brute_force_optimum(strategy):
    checked = 0
    for seed in range(14):
        inst = random_instance(seed, days=1 + seed % 2)
        expected = brute_force_optimum(inst)
        if expected is None:
            continue
        r = solve_portfolio(inst, cands_of(inst), 30, (strategy,))
        assert r["errors"] == []
        assert r["optimal"], (seed, r)
        assert r["breaks"] == r["lower"] == expected, seed
        assert count_breaks_map(inst, r["slot_of"]) == expected
        checked += 1
    assert checked >= 6  # enough random instances were feasible to mean something


def star_data():
    """a meets b and d, who are both available only in the first and last slot."""
    s = slots(4)
    ids = [x["id"] for x in s]
    people = [person("a"), person("b", available=[ids[0], ids[-1]]), person("c"),
              person("d", available=[ids[0], ids[-1]])]
    ms = [meeting("ab", "a", "b"), meeting("ac", "a", "c"), meeting("ad", "a", "d")]
    return instance(s, people, ms, require_all=True)


def star():
    return parse_instance(star_data())


def test_strong_encoding_keeps_an_unavoidable_break_on_a_single_day():
    # a cannot work in one window, so the strong encoding must let it break
    inst = star()
    sm = build_cnf(inst, cands_of(inst), strong=True)
    assert set(sm.levels) == {"a"}  # only a could ever have a break here
    r = solve_portfolio(inst, cands_of(inst), 30, ("core-strong",))
    assert (r["breaks"], r["optimal"]) == (1, True)


def test_sequential_portfolio_moves_on_when_a_strategy_fails():
    inst = star()
    r = solve_portfolio(inst, cands_of(inst), 20, ("no-such-strategy", "core-plain"),
                        parallel=False)
    assert r["optimal"] and r["by"] == "core-plain" and r["breaks"] == 1
    assert r["errors"] == ["no-such-strategy: KeyError: 'no-such-strategy'"]


def test_fairness_is_respected_by_the_sat_path():
    for seed in range(8):
        inst = random_instance(100 + seed, fairness=0)
        expected = brute_force_optimum(inst)
        sol = solve(inst, time_limit=20)
        if expected is None:
            assert sol.status == "infeasible"
            continue
        assert validate_solution(inst, sol) == []
        assert sol.breaks == expected and sol.status == "optimal"


@pytest.fixture
def children(monkeypatch):
    """Records every child process the portfolio starts."""
    started = []
    real = subprocess.Popen

    def popen(*args, **kwargs):
        proc = real(*args, **kwargs)
        started.append(proc)
        return proc

    monkeypatch.setattr(subprocess, "Popen", popen)
    return started


def test_portfolio_reports_a_failing_strategy_and_leaves_no_process_behind(children):
    inst = star()
    r = solve_portfolio(inst, cands_of(inst), 20, ("no-such-strategy",))
    assert r["errors"] == ["no-such-strategy: KeyError: 'no-such-strategy'"]
    assert r["slot_of"] is None and not r["optimal"]
    r = solve_portfolio(inst, cands_of(inst), 20, ("no-such-strategy", "core-strong"))
    assert r["optimal"] and r["by"] == "core-strong" and r["breaks"] == 1
    assert children and all(proc.poll() is not None for proc in children)


@pytest.mark.skipif(not JAIR.is_dir(), reason="JAIR benchmark data not available")
def test_time_limit_stops_the_portfolio_with_a_valid_lower_bound(children):
    inst = parse_instance(json.loads((JAIR / "forum-13crafb.json").read_text()))
    r = solve_portfolio(inst, cands_of(inst), 1.0, ("core-plain",))
    assert not r["optimal"]
    assert 0 <= r["lower"] <= 6  # the published optimum
    assert children and all(proc.poll() is not None for proc in children)


@pytest.mark.skipif(not JAIR.is_dir(), reason="JAIR benchmark data not available")
def test_real_instance_forum14_reaches_published_optimum():
    # a straightforward CP-SAT model stays at ~40 breaks here; the optimum is 2
    inst = parse_instance(json.loads((JAIR / "forum-14.json").read_text()))
    sol = solve(inst, time_limit=60)
    assert validate_solution(inst, sol) == []
    assert sol.scheduled == 302
    assert (sol.breaks, sol.bound_breaks, sol.status) == (2, 2, "optimal")


def test_weight_bound_counts_participant_slots_tables_and_interpreters():
    s = slots(2, tables=5)
    people = [person("star"), person("a"), person("b"), person("c"),
              person("de", langs=("de",)), person("zh", langs=("zh",)),
              person("de2", langs=("de",)), person("zh2", langs=("zh",))]
    ms = [meeting("sa", "star", "a", priority=3), meeting("sb", "star", "b", priority=2),
          meeting("sc", "star", "c", priority=1),  # star has 2 slots: at most 3 + 2
          meeting("i1", "de", "zh", priority=1), meeting("i2", "de2", "zh2", priority=1)]
    interp = [{"id": "i", "languages": ["de", "zh"], "available": [s[0]["id"]]}]
    inst = parse_instance(instance(s, people, ms, interpreters=interp))
    # one interpreter-slot: only one of i1, i2; (i1 is also limited by candidate slots)
    assert weight_upper_bound(inst, cands_of(inst)) == 3 + 2 + 1
    sol = solve(inst, time_limit=10)
    assert sol.weight == 6 and sol.bound_weight == 6 and sol.status == "optimal"


def test_portfolio_works_whatever_the_parent_process_runs_as_main():
    # a script read from stdin has no importable __main__; children must not need it
    import sys

    script = (
        "import json\n"
        "from qiao.scheduling import parse_instance, solve\n"
        f"inst = parse_instance(json.loads({json.dumps(json.dumps(star_data()))}))\n"
        "sol = solve(inst, time_limit=20)\n"
        "print(sol.stats['method'], sol.breaks, sol.status)\n"
    )
    done = subprocess.run([sys.executable, "-"], input=script, capture_output=True, text=True,
                          timeout=120, check=True)
    assert done.stdout.split() == ["maxsat", "1", "optimal"]


@pytest.mark.parametrize("order", [("core-plain", "core-strong"), ("core-strong", "core-plain")])
def test_the_first_strategy_wins_whenever_it_finishes_in_its_window(order):
    inst = star()
    for _ in range(3):  # both finish at about the same moment: no race may decide
        r = solve_portfolio(inst, cands_of(inst), 20, order, prefer_for=20)
        assert (r["by"], r["breaks"], r["optimal"]) == (order[0], 1, True)


@pytest.mark.skipif(not JAIR.is_dir(), reason="JAIR benchmark data not available")
def test_same_input_same_schedule_on_a_real_instance():
    data = json.loads((JAIR / "tic-12.json").read_text())
    first = solve(parse_instance(data), time_limit=30)
    again = solve(parse_instance(data), time_limit=30)
    assert first.status == again.status == "optimal"
    assert first.slot_of() == again.slot_of()
    assert first.assignments == again.assignments


def test_without_a_python_for_the_workers_cp_sat_does_the_work(monkeypatch):
    # under an application server sys.executable can be the server binary itself
    monkeypatch.delenv("QIAO_SAT_PYTHON", raising=False)
    monkeypatch.setattr("sys.executable", "/usr/sbin/uwsgi")
    inst = star()
    sol = solve(inst, time_limit=10)
    assert sol.stats["method"] == "cp-sat" and "no Python interpreter" in str(
        sol.stats["maxsat_errors"])
    assert (sol.breaks, sol.status) == (1, "optimal") and validate_solution(inst, sol) == []


def _workers_of(pid):
    """Process ids of SAT workers started by process ``pid`` (from /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            cmd = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if b"qiao.scheduling.satworker" in cmd and str(pid).encode() in cmd:
            found.append(int(entry.name))
    return found


@pytest.mark.skipif(not JAIR.is_dir() or not Path("/proc").is_dir(),
                    reason="needs the JAIR data and /proc")
def test_workers_die_with_a_killed_parent():
    import signal
    import sys
    import time

    # four copies of forum-14 in one event: the linear search stays silent for a long
    # time, so the worker cannot notice its parent's death by a failing write
    script = (
        "import json, sys\n"
        "from qiao.scheduling import parse_instance\n"
        "from qiao.scheduling.satsolve import solve_portfolio\n"
        "d = json.load(open(sys.argv[1]))\n"
        "people, meetings = [], []\n"
        "for c in range(4):\n"
        "    people += [dict(p, id=f'c{c}{p[\"id\"]}') for p in d['participants']]\n"
        "    meetings += [dict(m, id=f'c{c}{m[\"id\"]}',\n"
        "                      participants=[f'c{c}{x}' for x in m['participants']])\n"
        "                 for m in d['meetings']]\n"
        "d.update(participants=people, meetings=meetings)\n"
        "for s in d['slots']:\n"
        "    s['tables'] *= 4\n"
        "inst = parse_instance(d)\n"
        "cands = {m.id: [s.id for s in inst.candidate_slots(m)] for m in inst.meetings}\n"
        "solve_portfolio(inst, cands, 120, ('linear-strong',))\n"
    )
    parent = subprocess.Popen([sys.executable, "-c", script, str(JAIR / "forum-14.json")])
    try:
        for _ in range(100):
            workers = _workers_of(parent.pid)
            if workers:
                break
            time.sleep(0.1)
        assert workers, "the worker did not start"
        time.sleep(1.0)  # let it build its formula and start solving
        parent.send_signal(signal.SIGKILL)
        parent.wait()
        for _ in range(50):
            if not _workers_of(parent.pid):
                break
            time.sleep(0.1)
        assert _workers_of(parent.pid) == []
    finally:
        parent.kill()
        for pid in _workers_of(parent.pid):
            os.kill(pid, signal.SIGKILL)
