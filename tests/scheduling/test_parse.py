import pytest
from sched_helpers import instance, meeting, person, slots

from qiao.scheduling import ScheduleFormatError, parse_instance


def good():
    return instance(slots(3), [person("a"), person("b")], [meeting("m1", "a", "b")])


def errors_of(data) -> list[str]:
    with pytest.raises(ScheduleFormatError) as exc:
        parse_instance(data)
    assert isinstance(exc.value, ValueError)
    return exc.value.messages


def test_good_instance_parses_with_sorted_slots_and_days():
    data = good()
    data["slots"].reverse()
    inst = parse_instance(data)
    assert [s.id for s in inst.slots] == ["d1s1", "d1s2", "d1s3"]
    assert inst.participant_by_id["a"].available == {"d1s1", "d1s2", "d1s3"}
    assert len(inst.days) == 1
    assert inst.meetings[0].priority == 1


@pytest.mark.parametrize("mutate, expected", [
    (lambda d: d["meetings"].append(meeting("m2", "a", "zz")),
     "meeting 'm2': field 'participants': unknown participant 'zz'"),
    (lambda d: d["participants"].append(person("a")), "participant 'a': duplicate id"),
    (lambda d: d["meetings"].append(meeting("m1", "a", "b")), "meeting 'm1': duplicate id"),
    (lambda d: d["participants"][0].update(available=["d1s1", "d1s1"]),
     "participant 'a': field 'available': slot 'd1s1' listed twice"),
    (lambda d: d["participants"][0].update(available=["nope"]),
     "participant 'a': field 'available': unknown slot 'nope'"),
    (lambda d: d["slots"][0].update(end="2026-10-20T08:00:00+02:00"),
     "slot 'd1s1': field 'end' is not after 'start'"),
    (lambda d: d["slots"][0].update(tables="many"),
     "slot 'd1s1': field 'tables' must be a non-negative integer"),
    (lambda d: d["meetings"][0].update(priority=0),
     "meeting 'm1': field 'priority' must be a positive integer"),
    (lambda d: d["meetings"][0].update(colour="red"), "meeting 'm1': unknown field 'colour'"),
    (lambda d: d.update(extra=1), "instance: unknown field 'extra'"),
    (lambda d: d["meetings"][0].update(slots=["d1s1"], fixed_slot="d1s2"),
     "meeting 'm1': field 'fixed_slot': slot 'd1s2' is not in the meeting's slots"),
    (lambda d: d["meetings"][0].update(fixed_slot="x9"),
     "meeting 'm1': field 'fixed_slot': unknown slot 'x9'"),
    (lambda d: d["meetings"][0].update(after=["m7"]),
     "meeting 'm1': field 'after': unknown meeting 'm7'"),
    (lambda d: d.update(fairness=-1),
     "instance: field 'fairness' must be a non-negative integer or null"),
    (lambda d: d["event"].update(timezone="Mars/Base"),
     "event: field 'timezone': unknown time zone 'Mars/Base'"),
    (lambda d: d["participants"][0].update(remote="yes"),
     "participant 'a': field 'remote' must be true or false"),
    (lambda d: d["meetings"][0].update(participants=["a"]),
     "meeting 'm1': field 'participants' must list exactly two participant ids"),
])
def test_malformed_instances_name_item_and_field(mutate, expected):
    data = good()
    mutate(data)
    assert expected in errors_of(data)


def test_precedence_cycle_is_reported():
    data = instance(slots(3), [person("a"), person("b"), person("c")],
                    [meeting("m1", "a", "b", after=["m3"]), meeting("m2", "a", "c", after=["m1"]),
                     meeting("m3", "b", "c", after=["m2"])])
    msgs = errors_of(data)
    assert any("precedence cycle" in m for m in msgs)


def test_all_problems_are_collected():
    data = good()
    data["meetings"].append(meeting("m2", "a", "q"))
    data["slots"][1]["tables"] = -3
    msgs = errors_of(data)
    assert len(msgs) == 2


def test_not_a_dict():
    assert errors_of([1, 2]) == ["instance: expected a JSON object"]
