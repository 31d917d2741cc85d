"""Back-office scheduler runs: start one, watch its progress, read and apply its result.

The run page polls its status fragment every two seconds (HTMX) while the
run is queued or running; the finished fragment carries the summary and no
polling, so the page stops asking by itself.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_POST

from qiao.events.models import Registration
from qiao.meetings import scheduling
from qiao.meetings.models import Meeting, RunStatus, SchedulingRun
from qiao.orga.common import backoffice_view
from qiao.orga.forms_scheduling import RunForm
from qiao.orga.views_scheduling import matchmaking_event, overview_url, report_errors

#: Participants listed by name in the breaks table of a run (the most breaks first).
BREAK_ROWS = 200

#: What the engine's result status means for the organiser.
STATUS_TEXTS = {
    "optimal": gettext_lazy("proven optimal"),
    "feasible": gettext_lazy("good, not proven optimal"),
    "infeasible": gettext_lazy("No agenda meets the fixed rules, e.g. because locked meetings "
                               "no longer fit. Unlock or move them and run again."),
    "unknown": gettext_lazy("No agenda was found within the time limit. Allow more time."),
}


def _run_url(organizer, event, run) -> str:
    return reverse("orga:scheduling_run", args=[organizer.slug, event.slug, run.pk])


def _pk(key: str) -> int | None:
    try:
        return int(str(key)[1:])
    except ValueError:
        return None


def result_context(run) -> dict:
    """The run's summary with meetings and participants resolved for display."""
    summary = run.summary or {}
    if run.status != RunStatus.FINISHED:
        return {"summary": summary}
    unplaced = summary.get("unplaced", [])
    meetings = Meeting.objects.select_related(
        "request__requester__organization", "request__recipient__organization").in_bulk(
        [p for u in unplaced if (p := _pk(u["meeting"])) is not None])
    unplaced_rows = [{"meeting": meetings.get(_pk(u["meeting"])),
                      "reason": scheduling.reason_text(u["reason"])} for u in unplaced]
    per = summary.get("breaks_per_participant", {})
    count = summary.get("meetings_per_participant", {})
    ordered = sorted(per, key=lambda k: (-per[k], -count.get(k, 0), k))[:BREAK_ROWS]
    registrations = Registration.objects.select_related("organization").in_bulk(
        [p for k in ordered if (p := _pk(k)) is not None])
    break_rows = [{"registration": registrations.get(_pk(k)), "breaks": per[k],
                   "meetings": count.get(k, 0)} for k in ordered]
    histogram = summary.get("break_histogram", [])
    most = max((n for _b, n in histogram), default=0)
    bars = [{"breaks": b, "participants": n, "width": round(100 * n / most) if most else 0}
            for b, n in histogram]
    requested = summary.get("requested") or 0
    return {
        "summary": summary,
        "unplaced_rows": unplaced_rows,
        "break_rows": break_rows,
        "break_rows_cut": len(per) > len(ordered),
        "bars": bars,
        "placed_share": round(100 * summary.get("placed", 0) / requested) if requested else 0,
        "proven": summary.get("status") == "optimal",
        "status_text": STATUS_TEXTS.get(summary.get("status"), ""),
        "can_apply": run.applied_at is None,
    }


@require_POST
@backoffice_view
def run_start(request, organizer, event):
    """Queue a scheduler run with the chosen time limit and go to its page."""
    organizer, event = matchmaking_event(request, organizer, event)
    form = RunForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a time limit for the scheduler."))
        return redirect(overview_url(organizer, event, "#runs"))
    try:
        run = scheduling.start_run(event, request.user, time_limit=form.cleaned_data[
            "time_limit"], keep_current=form.cleaned_data["keep_current"])
    except ValidationError as error:
        report_errors(request, error)
        return redirect(overview_url(organizer, event, "#runs"))
    return redirect(_run_url(organizer, event, run))


def _run_context(organizer, event, run) -> dict:
    return {
        "organizer": organizer, "event": event, "run": run,
        "progress": scheduling.display_progress(run),
        "stage": scheduling.STAGES.get((run.summary or {}).get("stage", "queued"), ""),
        "working": run.status in (RunStatus.QUEUED, RunStatus.RUNNING),
        **result_context(run),
    }


@require_GET
@backoffice_view
def run_detail(request, organizer, event, pk):
    """A run: progress while it works, then its result summary and the button to apply it."""
    organizer, event = matchmaking_event(request, organizer, event)
    run = get_object_or_404(SchedulingRun, event=event, pk=pk)
    return render(request, "orga/scheduling/run.html", _run_context(organizer, event, run))


@require_GET
@backoffice_view
def run_status(request, organizer, event, pk):
    """The run's status fragment (polled by the run page)."""
    organizer, event = matchmaking_event(request, organizer, event)
    run = get_object_or_404(SchedulingRun, event=event, pk=pk)
    return render(request, "orga/scheduling/_run_status.html",
                  _run_context(organizer, event, run))


@require_POST
@backoffice_view
def run_apply(request, organizer, event, pk):
    """Write the run's schedule into the agenda (locked meetings stay) and show the plan."""
    organizer, event = matchmaking_event(request, organizer, event)
    run = get_object_or_404(SchedulingRun, event=event, pk=pk)
    try:
        counts = scheduling.apply_run(run, request.user)
    except ValidationError as error:
        report_errors(request, error)
        return redirect(_run_url(organizer, event, run))
    messages.success(request, ngettext(
        "The schedule is applied: %(placed)d meeting placed, %(unscheduled)d without a slot.",
        "The schedule is applied: %(placed)d meetings placed, %(unscheduled)d without a slot.",
        counts["placed"]) % counts)
    if counts.get("kept"):
        messages.info(request, ngettext(
            "%(counter)s locked meeting kept its slot.",
            "%(counter)s locked meetings kept their slots.",
            counts["kept"]) % {"counter": counts["kept"]})
    if counts.get("notified"):
        messages.info(request, ngettext(
            "%(n)d moved meeting was announced to its participants.",
            "%(n)d moved meetings were announced to their participants.",
            counts["notified"]) % {"n": counts["notified"]})
    return redirect(reverse("orga:scheduling_plan", args=[organizer.slug, event.slug]))
