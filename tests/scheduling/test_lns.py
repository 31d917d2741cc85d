"""Large-neighbourhood search on events too large for the exact methods."""

import json
from pathlib import Path

import pytest

import qiao.scheduling.solver as solver_module
from qiao.scheduling import parse_instance, participant_breaks, solve, validate_solution
from qiao.scheduling.lns import fairness_ok, greedy_start, participant_breaks_map

JAIR = Path(__file__).resolve().parents[3] / "shared" / "bench" / "b2b-jair" / "json"


@pytest.mark.skipif(not JAIR.is_dir(), reason="JAIR benchmark data not available")
def test_lns_repairs_a_greedy_start_that_breaks_the_fairness_rule(monkeypatch):
    inst = parse_instance(json.loads((JAIR / "forum-13.json").read_text()))
    cands = {m.id: [s.id for s in inst.candidate_slots(m)] for m in inst.meetings}
    start = greedy_start(inst, cands)
    assert not fairness_ok(inst, participant_breaks_map(inst, start))  # the premise
    monkeypatch.setattr(solver_module, "LARGE_MEETINGS", 100)  # force the LNS path
    sol = solve(inst, time_limit=20)
    assert sol.stats["method"] == "greedy+lns"
    assert validate_solution(inst, sol) == []
    per = participant_breaks(inst, sol.assignments)
    assert max(per.values()) - min(per.values()) <= 2
    assert sol.scheduled == len(inst.meetings) and sol.status == "feasible"
