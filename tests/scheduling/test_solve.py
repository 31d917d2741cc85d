import json
from pathlib import Path

import pytest
from sched_helpers import instance, meeting, person, slots

from qiao.scheduling import (
    Assignment,
    Solution,
    baseline_first_free,
    count_breaks,
    parse_instance,
    place_one,
    solution_to_dict,
    solve,
    validate_solution,
)

JAIR = Path(__file__).resolve().parents[3] / "shared" / "bench" / "b2b-jair" / "json"


def star(n_slots=4, tables=5, **extra):
    """a meets b, c, d; b and d are available only in the first and last slot."""
    s = slots(n_slots, tables=tables)
    ids = [x["id"] for x in s]
    people = [person("a"), person("b", available=[ids[0], ids[-1]]), person("c"),
              person("d", available=[ids[0], ids[-1]])]
    ms = [meeting("ab", "a", "b"), meeting("ac", "a", "c"), meeting("ad", "a", "d")]
    return parse_instance(instance(s, people, ms, **extra))


def test_known_optimum_with_unavoidable_break():
    inst = star()
    sol = solve(inst, time_limit=10)
    assert validate_solution(inst, sol) == []
    assert sol.scheduled == 3 and sol.status == "optimal"
    # a meets b and d in slots 1 and 4, so a has one break (c can fill only one side)
    assert sol.breaks == 1 == count_breaks(inst, sol.assignments)
    assert sol.bound_breaks == 1


def test_priority_wins_over_count():
    s = slots(1, tables=1)
    ms = [meeting("ab", "a", "b", priority=1), meeting("cd", "c", "d", priority=3),
          meeting("ef", "e", "f", priority=1)]
    inst = parse_instance(instance(s, [person(x) for x in "abcdef"], ms))
    sol = solve(inst, time_limit=10)
    assert [a.meeting for a in sol.assignments] == ["cd"]
    assert sol.weight == 3 and sol.bound_weight == 3 and sol.status == "optimal"
    reasons = {u.meeting: u.reason for u in sol.unscheduled}
    assert reasons == {"ab": "capacity: no free table or slot",
                       "ef": "capacity: no free table or slot"}


def test_unplaced_reasons():
    s = slots(2)
    people = [person("a", ["de"], available=["d1s1"]), person("b", ["zh"], available=["d1s2"]),
              person("c", ["zh"], available=["d1s1"])]
    ms = [meeting("ab", "a", "b"), meeting("ac", "a", "c")]
    inst = parse_instance(instance(s, people, ms))
    sol = solve(inst, time_limit=5)
    reasons = {u.meeting: u.reason for u in sol.unscheduled}
    assert reasons == {"ab": "no common available slot", "ac": "no interpreter available"}


def test_interpreters_tables_remote():
    s = slots(2, tables=1)
    people = [person("a", ["de"]), person("b", ["zh"]), person("c", ["de"]),
              person("d", ["zh"], remote=True)]
    ms = [meeting("ab", "a", "b"), meeting("cd", "c", "d")]
    interp = [{"id": "i1", "languages": ["de", "zh"]}]
    inst = parse_instance(instance(s, people, ms, interpreters=interp))
    sol = solve(inst, time_limit=5)
    assert validate_solution(inst, sol) == []
    assert sol.scheduled == 2
    by = {a.meeting: a for a in sol.assignments}
    assert by["cd"].table is None and by["ab"].table == 1
    assert by["ab"].slot != by["cd"].slot  # one interpreter for both


def test_fairness_forces_a_different_schedule():
    # without fairness the optimum puts all breaks on one participant
    inst = star(fairness=0)
    sol = solve(inst, time_limit=10)
    assert validate_solution(inst, sol) == []
    # a must have 0 breaks like everyone else: it then cannot meet both b and d
    assert sol.weight == 2 and sol.breaks == 0


def test_require_all_infeasible():
    inst = star(require_all=True, fairness=0)
    sol = solve(inst, time_limit=10)
    assert sol.status == "infeasible"
    assert {u.reason for u in sol.unscheduled} == {"no schedule meets require_all and fairness"}
    inst2 = parse_instance(instance(slots(2), [person("a", available=["d1s1"]),
                                               person("b", available=["d1s2"])],
                                    [meeting("ab", "a", "b")], require_all=True))
    sol2 = solve(inst2, time_limit=5)
    assert sol2.status == "infeasible"
    assert sol2.unscheduled[0].reason == "no common available slot"


def test_precedence_and_fixed_slot_respected():
    s = slots(3)
    ms = [meeting("ab", "a", "b", after=["cd"]), meeting("cd", "c", "d", fixed_slot="d1s2")]
    inst = parse_instance(instance(s, [person(x) for x in "abcd"], ms, require_all=True))
    sol = solve(inst, time_limit=5)
    assert sol.slot_of() == {"ab": "d1s3", "cd": "d1s2"}


def test_deterministic_for_seed():
    inst = star(n_slots=6)
    a = solution_to_dict(solve(inst, time_limit=10, seed=3))
    b = solution_to_dict(solve(inst, time_limit=10, seed=3))
    assert a == b


def test_baseline_first_free_takes_earliest_slot():
    inst = star()
    base = baseline_first_free(inst)
    assert base.slot_of() == {"ab": "d1s1", "ac": "d1s2", "ad": "d1s4"}
    assert validate_solution(inst, base) == []


def test_place_one_keeps_others_and_avoids_breaks():
    s = slots(4)
    ms = [meeting("ab", "a", "b"), meeting("ac", "a", "c")]
    inst = parse_instance(instance(s, [person(x) for x in "abc"], ms))
    published = Solution([Assignment("ab", "d1s2", 1)])
    new = place_one(inst, published, "ac")
    assert validate_solution(inst, new) == []
    assert new.slot_of() == {"ab": "d1s2", "ac": "d1s1"}  # adjacent, earliest
    assert new.breaks == 0
    with pytest.raises(ValueError):
        place_one(inst, new, "ac")
    full = Solution([Assignment("ab", "d1s1", 1), Assignment("ac", "d1s2", 1)])
    inst2 = parse_instance(instance(slots(2, tables=1), [person(x) for x in "abcd"],
                                    [meeting("ab", "a", "c"), meeting("ac", "b", "d"),
                                     meeting("x", "a", "b")]))
    res = place_one(inst2, full, "x")
    assert "x" not in res.slot_of()
    assert {u.meeting: u.reason for u in res.unscheduled}["x"] == \
        "participants already booked in every common slot"


def test_replanning_keeps_previous_slots():
    inst = star(n_slots=5)
    first = solve(inst, time_limit=5)
    again = solve(inst, time_limit=5, previous=first)
    assert again.slot_of() == first.slot_of()
    assert again.stats["moved"] == 0
    # lock one meeting elsewhere: the others stay where they were
    data = instance(slots(5), [person("a"), person("b"), person("c"), person("d")],
                    [meeting("ab", "a", "b"), meeting("cd", "c", "d")])
    inst2 = parse_instance(data)
    prev = Solution([Assignment("ab", "d1s4", 1), Assignment("cd", "d1s2", 1)])
    moved = solve(inst2, time_limit=5, previous=prev)
    assert moved.slot_of() == {"ab": "d1s4", "cd": "d1s2"}


@pytest.mark.skipif(not JAIR.is_dir(), reason="JAIR benchmark data not available")
def test_real_instance_tic12_reaches_published_optimum():
    inst = parse_instance(json.loads((JAIR / "tic-12.json").read_text()))
    sol = solve(inst, time_limit=30)
    assert validate_solution(inst, sol) == []
    assert sol.scheduled == len(inst.meetings) == 125
    assert sol.breaks == 0 and sol.status == "optimal"
