"""Scheduler runs end to end: queued, executed by the task, summarised, applied, re-run."""

import itertools

import pytest
from factories import OrganizerFactory, UserFactory
from orga.scheduling_world import accepted, participants, slots, tiny_event

from qiao.core.errors import TransitionError
from qiao.meetings import scheduling, services_plan
from qiao.meetings.models import (
    Meeting,
    MeetingSeat,
    MeetingStatus,
    RunStatus,
    SchedulingRun,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def tiny(db):
    """Four participants who all want to meet each other: 6 meetings, 4 slots, 2 tables."""
    event = tiny_event(OrganizerFactory())
    regs = participants(event, 4)
    meetings = [accepted(event, a, b) for a, b in itertools.combinations(regs, 2)]
    return event, regs, meetings


def run_now(event, by, capture, **options):
    with capture(execute=True):
        run = scheduling.start_run(event, by, time_limit=options.pop("time_limit", 2), **options)
    run.refresh_from_db()
    return run


def test_run_places_every_meeting_without_breaks_and_stores_the_summary(
        tiny, django_capture_on_commit_callbacks):
    event, regs, meetings = tiny
    staff = UserFactory()
    run = run_now(event, staff, django_capture_on_commit_callbacks)
    assert run.status == RunStatus.FINISHED
    assert run.progress == 100 and run.started_at and run.finished_at
    summary = run.summary
    assert (summary["requested"], summary["placed"]) == (6, 6)
    assert summary["weight"] == summary["weight_total"] == 6
    assert summary["unplaced"] == []
    # Each participant meets three others in four slots: three slots in a row, no break.
    assert summary["breaks"] == 0
    assert summary["breaks_per_participant"] == {f"r{r.pk}": 0 for r in regs}
    assert summary["meetings_per_participant"] == {f"r{r.pk}": 3 for r in regs}
    assert summary["break_histogram"] == [[0, 4]] or summary["break_histogram"] == [(0, 4)]
    assert summary["status"] in ("optimal", "feasible")
    assert run.solution["format"] == "qiao-schedule/1"
    # Nothing changes before the organiser applies the result.
    assert not Meeting.objects.filter(event=event, status=MeetingStatus.SCHEDULED).exists()
    counts = scheduling.apply_run(run, staff)
    assert counts["placed"] == 6
    assert Meeting.objects.filter(event=event, status=MeetingStatus.SCHEDULED).count() == 6
    assert MeetingSeat.objects.filter(meeting__event=event).count() == 12
    run.refresh_from_db()
    assert run.applied_at is not None
    with pytest.raises(TransitionError):
        scheduling.apply_run(run, staff)


def test_rerun_keeps_locked_meetings_in_place(tiny, django_capture_on_commit_callbacks):
    event, _regs, meetings = tiny
    staff = UserFactory()
    scheduling.apply_run(run_now(event, staff, django_capture_on_commit_callbacks), staff)
    # The organiser puts the first meeting into the last slot by hand (locked) and lets the
    # scheduler re-plan everything else from scratch.
    first = meetings[0]
    last_slot = slots(event)[-1]
    for other in Meeting.objects.filter(slot=last_slot):
        services_plan.unplace_meeting(other, staff)
    services_plan.move_meeting(first, last_slot, staff, table=2)
    first.refresh_from_db()
    assert first.is_locked and first.slot_id == last_slot.pk
    run = run_now(event, staff, django_capture_on_commit_callbacks, keep_current=False)
    assert run.summary["locked"] == 1
    scheduling.apply_run(run, staff)
    first.refresh_from_db()
    assert (first.slot_id, first.table, first.is_locked) == (last_slot.pk, 2, True)
    assert Meeting.objects.filter(event=event, status=MeetingStatus.SCHEDULED).count() == 6


def test_rerun_with_current_placements_moves_nothing(tiny, django_capture_on_commit_callbacks):
    event, _regs, _meetings = tiny
    staff = UserFactory()
    scheduling.apply_run(run_now(event, staff, django_capture_on_commit_callbacks), staff)
    before = dict(Meeting.objects.filter(event=event).values_list("pk", "slot_id"))
    run = run_now(event, staff, django_capture_on_commit_callbacks)
    assert run.summary["moved"] == 0
    scheduling.apply_run(run, staff)
    assert dict(Meeting.objects.filter(event=event).values_list("pk", "slot_id")) == before
    assert run.summary["previously_placed"] == 6


def test_unplaced_meetings_carry_the_engine_reason(db, django_capture_on_commit_callbacks):
    event = tiny_event(OrganizerFactory(), tables=1, slots=1)
    a, b, c = participants(event, 3)
    accepted(event, a, b, priority=3)
    low = accepted(event, a, c, priority=1)
    run = run_now(event, UserFactory(), django_capture_on_commit_callbacks)
    assert (run.summary["placed"], run.summary["requested"]) == (1, 2)
    assert run.summary["weight"] == 3
    assert [u["meeting"] for u in run.summary["unplaced"]] == [f"m{low.pk}"]
    assert str(scheduling.reason_text(run.summary["unplaced"][0]["reason"]))


def test_a_failing_solver_ends_the_run_visibly(tiny, monkeypatch,
                                               django_capture_on_commit_callbacks):
    event, _regs, _meetings = tiny

    def broken(*args, **kwargs):
        raise RuntimeError("solver crashed")

    monkeypatch.setattr(scheduling, "solve", broken)
    run = run_now(event, UserFactory(), django_capture_on_commit_callbacks)
    assert run.status == RunStatus.FAILED
    assert "solver crashed" in run.error
    with pytest.raises(TransitionError):
        scheduling.apply_run(run, None)


def test_one_run_at_a_time_and_only_with_something_to_schedule(tiny):
    event, _regs, _meetings = tiny
    staff = UserFactory()
    run = scheduling.start_run(event, staff, time_limit=2)  # not executed: stays queued
    assert run.status == RunStatus.QUEUED
    with pytest.raises(TransitionError) as info:
        scheduling.start_run(event, staff, time_limit=2)
    assert info.value.code == "running"
    with pytest.raises(TransitionError):
        scheduling.start_run(event, staff, time_limit=0)
    empty = tiny_event(OrganizerFactory())
    with pytest.raises(TransitionError) as info:
        scheduling.start_run(empty, staff, time_limit=2)
    assert info.value.code == "no_meetings"


def test_lost_runs_do_not_block_new_ones(tiny):
    import datetime

    from django.utils import timezone

    event, _regs, _meetings = tiny
    old = scheduling.start_run(event, None, time_limit=2)
    SchedulingRun.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(hours=1))
    assert scheduling.active_run(event) is None
    old.refresh_from_db()
    assert old.status == RunStatus.FAILED
    assert scheduling.start_run(event, None, time_limit=2).status == RunStatus.QUEUED


def test_displayed_progress_follows_the_time_limit(tiny):
    import datetime

    from django.utils import timezone

    event, _regs, _meetings = tiny
    run = scheduling.start_run(event, None, time_limit=100)
    assert scheduling.display_progress(run) == 0
    run.status, run.progress = RunStatus.RUNNING, 5
    run.started_at = timezone.now() - datetime.timedelta(seconds=50)
    assert 45 <= scheduling.display_progress(run) <= 55
    run.started_at = timezone.now() - datetime.timedelta(seconds=500)
    assert scheduling.display_progress(run) == 94


def test_applying_an_outdated_result_is_refused(tiny, django_capture_on_commit_callbacks):
    event, regs, meetings = tiny
    staff = UserFactory()
    run = run_now(event, staff, django_capture_on_commit_callbacks)
    # Availability changes after the run: the first participant only attends the last slot.
    from qiao.meetings import services

    reg, last = regs[0], slots(event)[-1]
    services.set_availability(reg, reg.user, "hours",
                              start_time=last.starts_at.astimezone(event.tzinfo).time(),
                              end_time=last.ends_at.astimezone(event.tzinfo).time())
    with pytest.raises(TransitionError) as info:
        scheduling.apply_run(run, staff)
    assert info.value.code == "outdated"
    assert not Meeting.objects.filter(event=event, status=MeetingStatus.SCHEDULED).exists()


def test_after_publication_runs_keep_placements_and_moves_are_announced(
        tiny, mailoutbox, django_capture_on_commit_callbacks):
    from qiao.meetings import services_orga

    event, regs, meetings = tiny
    staff = UserFactory()
    scheduling.apply_run(run_now(event, staff, django_capture_on_commit_callbacks), staff)
    services_orga.publish_agenda(event, staff)
    run = run_now(event, staff, django_capture_on_commit_callbacks, keep_current=False)
    assert run.options["keep_current"] is True
    assert run.summary["moved"] == 0
    # One meeting is taken out by hand; the next run puts it back and tells both sides.
    out = Meeting.objects.filter(event=event).first()
    services_plan.unplace_meeting(out, staff)
    run = run_now(event, staff, django_capture_on_commit_callbacks)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        counts = scheduling.apply_run(run, staff)
    assert counts["notified"] >= 1
    sides = {r.user.email for r in regs if r.pk in (out.request.requester_id,
                                                    out.request.recipient_id)}
    assert sides <= {m.to[0] for m in mailoutbox}
