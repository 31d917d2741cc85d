"""Scheduler runs: start one in the background, execute it, summarise and apply its result.

A run (``SchedulingRun``) is started by an organiser (``start_run``), which
queues the ``run_scheduler`` task after commit; the worker calls
``execute_run``: it builds the event's instance (locked meetings carry their
slot as ``fixed_slot``), hands the current agenda to the engine as
``previous`` so that a re-run changes as little as possible, solves within the
run's time limit and stores the qiao-schedule/1 solution with a summary
(placed vs requested, priority weight, unplaced meetings with the engine's
reasons, breaks per participant and their distribution, status and bounds).
The organiser then applies the result (``apply_run``); nothing changes in the
agenda before that.
"""

from __future__ import annotations

import datetime
import logging
from collections import Counter

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qiao.core.errors import TransitionError
from qiao.meetings.instance import apply_solution, build_instance, current_solution
from qiao.meetings.models import (
    MatchmakingSettings,
    Meeting,
    MeetingStatus,
    RunStatus,
    SchedulingRun,
    Slot,
)
from qiao.scheduling import (
    participant_breaks,
    solution_from_dict,
    solution_to_dict,
    solve,
)

logger = logging.getLogger("qiao.meetings")

#: Time limits (seconds) offered to organisers; the service accepts 1 to MAX_TIME_LIMIT.
TIME_LIMITS = (10, 30, 60, 120, 300, 600)
MAX_TIME_LIMIT = 3600
#: A run still queued or running this long after its time limit counts as lost.
STALE_AFTER = datetime.timedelta(minutes=10)

#: Stages of a run, shown while it works.
STAGES = {
    "queued": _("Waiting for the worker"),
    "building": _("Reading requests, availability and slots"),
    "solving": _("Optimising the agenda"),
    "summarising": _("Checking the result"),
    "done": _("Finished"),
}

#: The engine's reasons for unplaced meetings, as translatable texts (matched by prefix).
REASONS = (
    ("no common available slot", _("The two participants share no available slot.")),
    ("capacity: no table in any common slot", _("No slot both can attend has a table.")),
    ("no interpreter available",
     _("They need an interpreter, and none is available in a slot both can attend.")),
    ("participants already booked",
     _("In every slot both can attend, one of them already has a meeting.")),
    ("no interpreter free", _("All suitable interpreters are busy in the slots both can attend.")),
    ("capacity: no free table or slot",
     _("All tables are taken, or one side is busy, in the slots both can attend.")),
    ("left out", _("Left out in favour of meetings with a higher priority.")),
    ("fixed slot", _("Its locked slot is no longer available to both participants.")),
    ("no free slot keeps the fairness", _("No free slot keeps breaks fairly distributed.")),
    ("precedence", _("No slot fits its order relative to other meetings.")),
)


def reason_text(reason: str):
    """The translatable explanation of an engine reason (the reason itself if unknown)."""
    for prefix, text in REASONS:
        if (reason or "").startswith(prefix):
            return text
    return reason


def _uid(user) -> int | None:
    return getattr(user, "pk", None)


def active_run(event) -> SchedulingRun | None:
    """The event's queued or running run; runs lost long ago are marked failed on the way."""
    for run in SchedulingRun.objects.filter(
        event=event, status__in=[RunStatus.QUEUED, RunStatus.RUNNING]
    ).order_by("-created_at"):
        since = run.started_at or run.created_at
        if timezone.now() - since > datetime.timedelta(seconds=run.time_limit) + STALE_AFTER:
            SchedulingRun.objects.filter(pk=run.pk).update(
                status=RunStatus.FAILED, finished_at=timezone.now(),
                error="The run did not finish; the worker may have stopped.")
            continue
        return run
    return None


def start_run(event, by, time_limit: int = 60, keep_current: bool = True,
              seed: int = 0) -> SchedulingRun:
    """Queue a scheduler run for ``event``; the ``run_scheduler`` task starts after commit.

    ``keep_current`` keeps the current placements wherever possible (a move
    counts more than a break); otherwise they only serve as a starting point.
    Once the agenda is published participants rely on it, so current
    placements are always kept where possible.  Locked meetings always keep
    their slot.  Refused while another run of
    the event is under way, without slots, or without meetings to schedule.
    """
    try:
        time_limit = int(time_limit)
    except (TypeError, ValueError):
        time_limit = 0
    if not 1 <= time_limit <= MAX_TIME_LIMIT:
        raise TransitionError(_("Choose a time limit from 1 to %(max)d seconds.")
                              % {"max": MAX_TIME_LIMIT}, code="time_limit")
    from qiao.meetings.services_orga import open_meetings
    from qiao.meetings.tasks import run_scheduler

    with transaction.atomic():
        MatchmakingSettings.objects.get_or_create(event=event)
        config = MatchmakingSettings.objects.select_for_update().get(event=event)
        keep_current = bool(keep_current) or config.agenda_is_published
        if active_run(event) is not None:
            raise TransitionError(_("The scheduler is already working on this event."),
                                  code="running")
        if not Slot.objects.filter(event=event).exists():
            raise TransitionError(_("The event has no meeting slots yet."), code="no_slots")
        if not open_meetings(event).exists():
            raise TransitionError(_("There are no accepted meetings to schedule."),
                                  code="no_meetings")
        run = SchedulingRun.objects.create(
            event=event, time_limit=time_limit, created_by=by,
            options={"keep_current": bool(keep_current), "seed": int(seed)},
            summary={"stage": "queued"},
        )
        run_id = run.pk
        transaction.on_commit(lambda: run_scheduler.enqueue(run_id=run_id))
    logger.info("scheduling run %s of event %s queued by user %s (limit %ss)", run.pk,
                event.pk, _uid(by), time_limit)
    return run


def _stage(run, stage: str, progress: int) -> None:
    run.summary = {**(run.summary or {}), "stage": stage}
    run.progress = progress
    SchedulingRun.objects.filter(pk=run.pk).update(summary=run.summary, progress=progress)


def execute_run(run_id: int) -> SchedulingRun | None:
    """Work through a queued run: build, solve, summarise; the result is stored, not applied."""
    claimed = SchedulingRun.objects.filter(pk=run_id, status=RunStatus.QUEUED).update(
        status=RunStatus.RUNNING, started_at=timezone.now(), progress=1)
    run = SchedulingRun.objects.select_related("event").filter(pk=run_id).first()
    if not claimed or run is None:
        return run
    event = run.event
    try:
        _stage(run, "building", 3)
        instance = build_instance(event)
        previous = current_solution(event, instance)
        _stage(run, "solving", 5)
        keep = run.options.get("keep_current", True)
        solution = solve(
            instance, time_limit=run.time_limit, seed=int(run.options.get("seed", 0)),
            previous=previous if previous.assignments else None,
            keep_weight=None if keep else 0,
        )
        _stage(run, "summarising", 95)
        summary = summarize(instance, solution, previous)
        summary["stage"] = "done"
        run.summary = summary
        run.solution = solution_to_dict(solution)
        run.status = RunStatus.FINISHED
        run.progress = 100
    except Exception as exc:  # the run must end visibly whatever went wrong
        logger.exception("scheduling run %s of event %s failed", run.pk, event.pk)
        run.status = RunStatus.FAILED
        run.error = str(exc)[:2000] or exc.__class__.__name__
        run.summary = {**(run.summary or {}), "stage": "done"}
    run.finished_at = timezone.now()
    run.save(update_fields=["summary", "solution", "status", "progress", "error",
                            "finished_at"])
    logger.info("scheduling run %s of event %s: %s", run.pk, event.pk, run.status)
    return run


def summarize(instance, solution, previous=None) -> dict:
    """The result figures a run stores (ids only: meetings ``m<pk>``, participants ``r<pk>``)."""
    requested = len(instance.meetings)
    weight_total = sum(m.priority for m in instance.meetings)
    per = participant_breaks(instance, solution.assignments)
    meetings_of: Counter = Counter()
    for a in solution.assignments:
        for p in instance.meeting_by_id[a.meeting].participants:
            meetings_of[p] += 1
    with_meetings = {p: per.get(p, 0) for p in meetings_of}
    histogram = Counter(with_meetings.values())
    moved = dropped = None
    if previous is not None and previous.assignments:
        new = solution.slot_of()
        moved = sum(1 for k, v in previous.slot_of().items() if new.get(k) != v)
        dropped = sum(1 for k in previous.slot_of() if k not in new)
    return {
        "requested": requested,
        "placed": solution.scheduled,
        "weight_total": weight_total,
        "weight": solution.weight,
        "breaks": solution.breaks,
        "status": solution.status,
        "bound_weight": solution.bound_weight,
        "bound_breaks": solution.bound_breaks,
        "locked": sum(1 for m in instance.meetings if m.fixed_slot),
        "moved": moved,
        "dropped": dropped,
        "previously_placed": len(previous.assignments) if previous is not None else 0,
        "unplaced": [{"meeting": u.meeting, "reason": u.reason} for u in solution.unscheduled],
        "breaks_per_participant": with_meetings,
        "meetings_per_participant": dict(meetings_of),
        "break_histogram": sorted(histogram.items()),
        "participants": len(instance.participants),
        "time_s": solution.stats.get("time_s"),
        "method": solution.stats.get("method"),
        "reason": solution.stats.get("reason", ""),
    }


def display_progress(run, now=None) -> int:
    """Progress to show: the stored figure, or the share of the time limit used while solving."""
    if run.status in (RunStatus.FINISHED, RunStatus.FAILED):
        return 100
    if run.status == RunStatus.RUNNING and run.started_at:
        now = now or timezone.now()
        used = (now - run.started_at).total_seconds() / max(run.time_limit, 1)
        return max(run.progress, min(94, 5 + int(used * 90)))
    return run.progress


def apply_run(run, by) -> dict:
    """Write a finished run's schedule into the agenda; locked meetings stay where they are.

    Refused for unfinished, failed or already applied runs, and when the
    requests, availability or locks changed so that the schedule no longer
    fits (run the scheduler again then).  After publication both sides of
    every meeting that got a new slot or table are told by mail
    (:func:`qiao.meetings.services_plan.tell_sides`).
    """
    with transaction.atomic():
        current = SchedulingRun.objects.select_for_update().select_related("event").get(
            pk=run.pk)
        event = current.event
        if current.status != RunStatus.FINISHED or not current.solution:
            raise TransitionError(_("This run has no result to apply."), code="not_finished")
        if current.applied_at is not None:
            raise TransitionError(_("This result has already been applied."), code="applied")
        if SchedulingRun.objects.filter(event=event, applied_at__gt=current.created_at).exists():
            raise TransitionError(
                _("A later result has been applied since this run. Run the scheduler again."),
                code="outdated")
        solution = solution_from_dict(current.solution)
        before = {m.pk: (m.slot_id, m.table) for m in Meeting.objects.filter(
            event=event, status=MeetingStatus.SCHEDULED)}
        instance = build_instance(event)
        try:
            counts = apply_solution(event, solution, by=by, instance=instance)
        except TransitionError as exc:
            if exc.code == "invalid_solution":
                raise TransitionError(
                    _("Requests, availability or placements changed since this run; the "
                      "result no longer fits. Run the scheduler again."), code="outdated",
                ) from exc
            raise
        current.applied_at = timezone.now()
        current.save(update_fields=["applied_at"])
        changed = []
        config = MatchmakingSettings.objects.get(event=event)
        if config.agenda_is_published:
            from qiao.meetings.services_plan import tell_sides

            former_slots = Slot.objects.in_bulk({slot for slot, _table in before.values()})
            for meeting in Meeting.objects.filter(event=event, status=MeetingStatus.SCHEDULED):
                former = before.get(meeting.pk)
                if former != (meeting.slot_id, meeting.table):
                    changed.append(meeting)
                    tell_sides(meeting, former_slots.get(former[0]) if former else None,
                               former[1] if former else None)
        counts["notified"] = len(changed)
        run.applied_at = current.applied_at
    logger.info("scheduling run %s of event %s applied by user %s: %s", run.pk, event.pk,
                _uid(by), counts)
    return counts
