"""The bridge to the scheduling engine: instance from the database, solutions back into it."""

import datetime

import pytest
from factories import InterpreterFactory, event_time
from meetings.conftest import make_participant

from qiao.core.errors import TransitionError
from qiao.meetings import services
from qiao.meetings.models import Meeting, MeetingSeat, MeetingStatus, Slot
from qiao.scheduling import Assignment, Solution, parse_instance, solve, validate_solution

pytestmark = pytest.mark.django_db


def accepted(event, a, b):
    request = services.send_meeting_request(event, a, b, a.user)
    return services.accept_meeting_request(request, b.user)


@pytest.fixture
def world(event, participants):
    a, b, c = participants
    german = make_participant(event, languages=())  # falls back to the organisation's
    german.organization.languages = ["de"]
    german.organization.save()
    chinese = make_participant(event, languages=("zh",), country="CN", attendance="remote")
    services.set_availability(chinese, chinese.user, "hours", start_time=datetime.time(15),
                              end_time=datetime.time(19), timezone="Asia/Shanghai")
    interpreter = InterpreterFactory(event=event, languages=["de", "zh"])
    interpreter.available_slots.set(Slot.objects.filter(event=event))
    meetings = [accepted(event, a, b), accepted(event, a, c), accepted(event, b, c),
                accepted(event, german, chinese)]
    locked = services.place_meeting(meetings[0], Slot.objects.get(starts_at=event_time(event,
                                                                                       14)),
                                    locked=True)
    return {"meetings": meetings, "locked": locked, "german": german, "chinese": chinese,
            "interpreter": interpreter}


def test_build_instance_is_accepted_by_the_engine(event, world):
    data = services.instance_dict(event)
    instance = parse_instance(data)
    assert data["format"] == "qiao-schedule-instance/1"
    assert len(instance.slots) == 10 and len(instance.participants) == 5
    german = instance.participant_by_id[services.registration_key(world["german"])]
    assert german.languages == frozenset({"de"})
    chinese = instance.participant_by_id[services.registration_key(world["chinese"])]
    assert chinese.remote and len(chinese.available) == 6  # 15–19 h Shanghai = 9–13 h Dresden
    locked = instance.meeting_by_id[world["locked"].key]
    assert locked.fixed_slot == f"s{world['locked'].slot_id}"
    remote = instance.meeting_by_id[world["meetings"][3].key]
    assert remote.remote and instance.needs_interpreter(remote)
    assert len(instance.interpreters) == 1
    assert data["slots"][0]["start"].endswith("+02:00")


def test_cancelled_meetings_and_unapproved_participants_are_left_out(event, world, participants):
    services.cancel_meeting(world["meetings"][1], None)
    participants[2].status = "cancelled"
    participants[2].save()
    instance = services.build_instance(event)
    assert {m.id for m in instance.meetings} == {world["meetings"][0].key,
                                                 world["meetings"][3].key}


def test_solve_and_apply_keeps_the_locked_meeting_and_books_seats(event, world):
    instance = services.build_instance(event)
    solution = solve(instance, time_limit=5, seed=1)
    assert validate_solution(instance, solution) == []
    result = services.apply_solution(event, solution)
    assert result["kept"] == 1
    assert result["placed"] + result["kept"] == len(solution.assignments)
    locked = Meeting.objects.get(pk=world["locked"].pk)
    assert locked.is_locked and locked.slot_id == world["locked"].slot_id
    scheduled = Meeting.objects.filter(status=MeetingStatus.SCHEDULED)
    assert scheduled.count() == 4
    remote = Meeting.objects.get(pk=world["meetings"][3].pk)
    assert remote.table is None and remote.interpreter == world["interpreter"]
    seats = MeetingSeat.objects.filter(meeting__in=scheduled)
    assert seats.filter(registration__isnull=False).count() == 8
    assert seats.filter(interpreter__isnull=False).count() == 1
    # The agenda read back equals the applied solution.
    current = services.current_solution(event)
    assert set(current.assignments) == set(solution.assignments)


def test_apply_refuses_an_invalid_solution_and_changes_nothing(event, world):
    a_b, a_c = world["meetings"][0], world["meetings"][1]
    slot = f"s{a_b.slot_id}"
    bad = Solution(assignments=[Assignment(a_b.key, slot, a_b.table),
                                Assignment(a_c.key, slot, 2)])  # participant a twice
    with pytest.raises(TransitionError):
        services.apply_solution(event, bad)
    assert Meeting.objects.filter(status=MeetingStatus.SCHEDULED).count() == 1
    moved = Solution(assignments=[Assignment(a_b.key, f"s{a_b.slot_id + 1}", 1)])
    with pytest.raises(TransitionError):
        services.apply_solution(event, moved)
