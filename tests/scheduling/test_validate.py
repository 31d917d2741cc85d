import pytest
from sched_helpers import instance, meeting, person, slots

from qiao.scheduling import Assignment, Solution, count_breaks, parse_instance, validate_solution


@pytest.fixture
def inst():
    people = [person("a", ["de"]), person("b", ["de", "en"]),
              person("c", ["zh"], available=["d1s1", "d1s2"]), person("d", ["en"], remote=True)]
    meetings = [meeting("ab", "a", "b"), meeting("ac", "a", "c"), meeting("bd", "b", "d"),
                meeting("bc", "b", "c", slots=["d1s2", "d1s3"]),
                meeting("ad", "a", "d", fixed_slot="d1s3"),
                meeting("cd", "c", "d", after=["ac"])]
    interpreters = [{"id": "i1", "languages": ["de", "zh"], "available": ["d1s1", "d1s2"]},
                    {"id": "i2", "languages": ["en", "zh"], "available": ["d1s1"]}]
    return parse_instance(instance(slots(4, tables=2), people, meetings,
                                   interpreters=interpreters, fairness=1))


def sol(*assignments):
    return Solution(list(assignments))


def test_valid_schedule_has_no_errors(inst):
    s = sol(Assignment("ac", "d1s1", 1, "i1"), Assignment("bd", "d1s1", None, None),
            Assignment("ab", "d1s2", 1, None), Assignment("ad", "d1s3", 1, "i2"))
    # ad: a speaks de, d speaks en -> needs an interpreter; i2 speaks en+zh, no de
    errs = validate_solution(inst, s)
    assert any("does not speak a language of each side" in e for e in errs)
    assert any("'i2' is not available" in e for e in errs)
    s = sol(Assignment("ac", "d1s1", 1, "i1"), Assignment("bd", "d1s1", None, None),
            Assignment("ab", "d1s2", 1, None))
    assert validate_solution(inst, s) == []


@pytest.mark.parametrize("assignments, fragment", [
    ([Assignment("ac", "d1s3", 1, "i1")], "participant 'c' is not available in slot 'd1s3'"),
    ([Assignment("bc", "d1s1", 1, "i2")], "not among the meeting's allowed slots"),
    ([Assignment("ad", "d1s2", None, "i1")], "placed in 'd1s2' but fixed to 'd1s3'"),
    ([Assignment("ab", "d1s1", 1, None), Assignment("ab", "d1s2", 1, None)],
     "placed more than once"),
    ([Assignment("ab", "d1s1", 1, None), Assignment("ac", "d1s1", 2, "i1")],
     "participant 'a': meetings 'ab' and 'ac' both in slot 'd1s1'"),
    ([Assignment("ab", "d1s1", 3, None)], "table 3 is not in 1..2"),
    ([Assignment("ab", "d1s1", None, None)], "table None is not in 1..2"),
    ([Assignment("bd", "d1s1", 1, None)], "remote meeting must not get a table"),
    ([Assignment("ab", "d1s1", 1, "i1")], "share a language, no interpreter allowed"),
    ([Assignment("ac", "d1s1", 1, None)], "share no language but no interpreter"),
    ([Assignment("ac", "d1s1", 1, "i9")], "unknown interpreter 'i9'"),
    ([Assignment("ac", "d1s2", 1, "i1"), Assignment("bc", "d1s2", 2, "i1")],
     "participant 'c': meetings"),
    ([Assignment("ac", "d1s1", 1, "i1"), Assignment("bd", "d1s1", None, None),
      Assignment("ab", "d1s2", 1, None), Assignment("cd", "d1s1", None, "i2")],
     "must start after meeting 'ac'"),
    ([Assignment("zz", "d1s1", 1, None)], "unknown meeting 'zz'"),
    ([Assignment("ab", "q", 1, None)], "unknown slot 'q'"),
])
def test_each_violation_is_caught(inst, assignments, fragment):
    errs = validate_solution(inst, sol(*assignments))
    assert any(fragment in e for e in errs), errs


def test_table_used_twice():
    i = parse_instance(instance(slots(2, tables=2), [person(x) for x in "abcd"],
                                [meeting("ab", "a", "b"), meeting("cd", "c", "d")]))
    errs = validate_solution(i, sol(Assignment("ab", "d1s1", 1), Assignment("cd", "d1s1", 1)))
    assert errs == ["slot 'd1s1': table 1 used by 'ab' and 'cd'"]


def test_interpreter_double_booked():
    people = [person("a", ["de"]), person("b", ["zh"]), person("c", ["de"]), person("d", ["zh"])]
    i = parse_instance(instance(slots(2), people,
                                [meeting("ab", "a", "b"), meeting("cd", "c", "d")],
                                interpreters=[{"id": "i1", "languages": ["de", "zh"]}]))
    errs = validate_solution(i, sol(Assignment("ab", "d1s1", 1, "i1"),
                                    Assignment("cd", "d1s1", 2, "i1")))
    assert errs == ["interpreter 'i1': meetings 'ab' and 'cd' both in slot 'd1s1'"]


def test_require_all_and_fairness():
    people = [person(x) for x in "abcd"]
    i = parse_instance(instance(slots(5), people,
                                [meeting("ab", "a", "b"), meeting("ac", "a", "c"),
                                 meeting("cd", "c", "d")], require_all=True, fairness=0))
    errs = validate_solution(i, sol(Assignment("ab", "d1s1", 1), Assignment("ac", "d1s3", 1)))
    assert "meeting 'cd': not placed although require_all is set" in errs
    assert any(e.startswith("fairness: participant 'a' has 1 breaks") for e in errs)


def test_count_breaks_per_day_and_lunch():
    s = slots(4, day=1) + slots(2, day=2)
    i = parse_instance(instance(s, [person(x) for x in "abc"],
                                [meeting("m1", "a", "b"), meeting("m2", "a", "c"),
                                 meeting("m3", "a", "b", ), meeting("m4", "b", "c")]))
    a = [Assignment("m1", "d1s1", 1), Assignment("m2", "d1s2", 1), Assignment("m3", "d1s4", 1),
         Assignment("m4", "d2s1", 1)]
    # a: s1, s2, s4 -> one break; b: d1s1, d1s4 -> one break, d2s1 on another day: none
    assert count_breaks(i, a) == 2
