"""Back-office agenda grid: slots × tables plus online meetings and the unplaced list.

Meetings are moved by drag and drop (an HTMX POST that answers with the
re-rendered grid) or with the meeting's own page, which lists every slot
with the reason a move there is impossible.  Every edit goes through
:mod:`qiao.meetings.services_plan`; a refused edit shows the broken rule.
"""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qiao.meetings import services, services_plan
from qiao.meetings.instance import build_instance, current_solution
from qiao.meetings.models import MeetingStatus, Slot
from qiao.meetings.scheduling import reason_text
from qiao.meetings.services_orga import open_meetings
from qiao.meetings.slots import settings_for
from qiao.orga.common import backoffice_view, is_htmx
from qiao.orga.forms_scheduling import MoveForm
from qiao.orga.views_scheduling import apply_errors, matchmaking_event
from qiao.scheduling import ScheduleFormatError, validate_solution
from qiao.scheduling.assign import Occupancy, explain


def _day(value: str | None, days: list[datetime.date]) -> datetime.date | None:
    try:
        chosen = datetime.date.fromisoformat(value or "")
    except ValueError:
        chosen = None
    if chosen in days:
        return chosen
    return days[0] if days else None


def _engine_view(event, unplaced) -> tuple[dict, list[str]]:
    """Reasons for the unplaced meetings and the current agenda's rule violations."""
    try:
        instance = build_instance(event)
    except ScheduleFormatError:
        return {}, []
    solution = current_solution(event, instance)
    occupancy = Occupancy(instance)
    for assignment in solution.assignments:
        occupancy.add(assignment)
    reasons = {}
    for meeting in unplaced:
        engine_meeting = instance.meeting_by_id.get(meeting.key)
        if engine_meeting is not None:
            reasons[meeting.pk] = reason_text(explain(instance, engine_meeting, occupancy))
    return reasons, validate_solution(instance, solution)


def plan_context(request, organizer, event, day_value=None) -> dict:
    """Everything the grid template needs for one day of the event."""
    tz = event.tzinfo
    slots = list(Slot.objects.filter(event=event).order_by("starts_at"))
    days = sorted({s.starts_at.astimezone(tz).date() for s in slots})
    day = _day(day_value, days)
    day_slots = [s for s in slots if s.starts_at.astimezone(tz).date() == day]
    meetings = list(open_meetings(event).select_related(
        "slot", "interpreter", "request__requester__organization",
        "request__recipient__organization").order_by("pk"))
    at_table: dict[tuple[int, int], object] = {}
    online: dict[int, list] = {}
    unplaced = []
    for meeting in meetings:
        if meeting.status != MeetingStatus.SCHEDULED:
            unplaced.append(meeting)
        elif meeting.table is None:
            online.setdefault(meeting.slot_id, []).append(meeting)
        else:
            at_table[(meeting.slot_id, meeting.table)] = meeting
    width = max((s.tables for s in day_slots), default=0)
    rows = []
    for slot in day_slots:
        cells = [{"table": t, "exists": t <= slot.tables,
                  "meeting": at_table.get((slot.pk, t))} for t in range(1, width + 1)]
        rows.append({"slot": slot, "cells": cells, "online": online.get(slot.pk, []),
                     "used": sum(1 for c in cells if c["meeting"])})
    reasons, problems = _engine_view(event, unplaced)
    for meeting in unplaced:
        meeting.reason = reasons.get(meeting.pk, "")
    config = settings_for(event)
    return {
        "organizer": organizer, "event": event, "config": config, "days": days, "day": day,
        "tables": range(1, width + 1), "rows": rows, "unplaced": unplaced,
        "show_online": config.remote_meetings or any(online.values()),
        "problems": problems, "csrf": get_token(request),
        "placed_count": sum(1 for m in meetings if m.status == MeetingStatus.SCHEDULED),
        "total_count": len(meetings),
    }


def _plan_url(organizer, event, day) -> str:
    url = reverse("orga:scheduling_plan", args=[organizer.slug, event.slug])
    return f"{url}?day={day.isoformat()}" if day else url


@backoffice_view
def plan(request, organizer, event):
    """The agenda grid of one day of the event."""
    organizer, event = matchmaking_event(request, organizer, event)
    context = plan_context(request, organizer, event, request.GET.get("day"))
    return render(request, "orga/scheduling/plan.html", context)


def _answer(request, organizer, event, *, error: ValidationError | None = None,
            success: str = ""):
    """HTMX: the re-rendered grid with the outcome; otherwise back to the grid page."""
    day = request.POST.get("day")
    if is_htmx(request):
        context = plan_context(request, organizer, event, day)
        context["grid_error"] = " ".join(error.messages) if error is not None else ""
        context["grid_success"] = success
        return render(request, "orga/scheduling/_plan_grid.html", context)
    if error is not None:
        for message in error.messages:
            messages.error(request, message)
    elif success:
        messages.success(request, success)
    days = sorted({s.starts_at.astimezone(event.tzinfo).date()
                   for s in Slot.objects.filter(event=event)})
    return redirect(_plan_url(organizer, event, _day(day, days)))


def _meeting(event, pk):
    return get_object_or_404(open_meetings(event).select_related(
        "slot", "interpreter", "request__requester__organization",
        "request__recipient__organization"), pk=pk)


@backoffice_view
def meeting_place(request, organizer, event, pk):
    """One meeting: where it may go (every slot with the reason if not) and the move form."""
    organizer, event = matchmaking_event(request, organizer, event)
    meeting = _meeting(event, pk)
    initial = {"lock": True}
    if meeting.slot_id:
        initial.update(slot=meeting.slot_id, table=meeting.table or "",
                       interpreter=meeting.interpreter_id)
    form = MoveForm(request.POST or None, event=event, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services_plan.move_meeting(meeting, form.cleaned_data["slot"], request.user,
                                       **form.service_fields())
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The meeting is placed."))
            day = form.cleaned_data["slot"].starts_at.astimezone(event.tzinfo).date()
            return redirect(_plan_url(organizer, event, day))
    return render(request, "orga/scheduling/meeting.html", {
        "organizer": organizer, "event": event, "meeting": meeting, "form": form,
        "places": services_plan.candidate_places(meeting),
        "needs_interpreter": services_plan.needs_interpreter(meeting),
    })


@require_POST
@backoffice_view
def meeting_move(request, organizer, event, pk):
    """Drag and drop: put the meeting into the posted slot and table (or online)."""
    organizer, event = matchmaking_event(request, organizer, event)
    meeting = _meeting(event, pk)
    table = (request.POST.get("table") or "").strip()
    online = table == "online"
    slot_id = request.POST.get("slot", "")
    lock = request.POST.get("lock", "1") == "1"
    try:
        if not slot_id.isdigit() or not (table.isdigit() or table in ("", "online")):
            raise ValidationError(_("Choose a slot and a table."))
        services_plan.move_meeting(
            meeting, int(slot_id), request.user, table=int(table) if table.isdigit() else None,
            online=online, lock=lock)
    except ValidationError as error:
        return _answer(request, organizer, event, error=error)
    names = {"a": meeting.request.requester.organization.display_name,
             "b": meeting.request.recipient.organization.display_name}
    done = (_("%(a)s and %(b)s: moved and locked.") if lock
            else _("%(a)s and %(b)s: moved.")) % names
    return _answer(request, organizer, event, success=done)


@require_POST
@backoffice_view
def meeting_swap(request, organizer, event, pk):
    """Drag and drop onto another meeting: the two exchange their places."""
    organizer, event = matchmaking_event(request, organizer, event)
    meeting = _meeting(event, pk)
    other_id = request.POST.get("other", "")
    try:
        other = open_meetings(event).filter(pk=int(other_id)).first() if other_id.isdigit() \
            else None
        if other is None:
            raise ValidationError(_("Choose two meetings of this event."))
        services_plan.swap_meetings(meeting, other, request.user)
    except ValidationError as error:
        return _answer(request, organizer, event, error=error)
    return _answer(request, organizer, event, success=_(
        "The two meetings have swapped places and are locked."))


@require_POST
@backoffice_view
def meeting_lock(request, organizer, event, pk):
    """Lock (``lock=1``) or unlock (``lock=0``) a meeting in its slot."""
    organizer, event = matchmaking_event(request, organizer, event)
    meeting = _meeting(event, pk)
    try:
        if request.POST.get("lock", "1") == "1":
            services_plan.lock_meeting(meeting, request.user)
            done = _("The meeting is locked in its slot.")
        else:
            services_plan.unlock_meeting(meeting, request.user)
            done = _("The meeting is unlocked; the scheduler may move it.")
    except ValidationError as error:
        return _answer(request, organizer, event, error=error)
    return _answer(request, organizer, event, success=done)


@require_POST
@backoffice_view
def meeting_unplace(request, organizer, event, pk):
    """Take a meeting out of its slot; it waits in the unplaced list."""
    organizer, event = matchmaking_event(request, organizer, event)
    meeting = _meeting(event, pk)
    try:
        services_plan.unplace_meeting(meeting, request.user)
    except ValidationError as error:
        return _answer(request, organizer, event, error=error)
    return _answer(request, organizer, event, success=_(
        "The meeting is taken out of the agenda and waits in the unplaced list."))


@require_POST
@backoffice_view
def meeting_cancel(request, organizer, event, pk):
    """Cancel a meeting for both sides (reason optional); both are told by mail."""
    organizer, event = matchmaking_event(request, organizer, event)
    meeting = _meeting(event, pk)
    try:
        services.cancel_meeting(meeting, request.user, reason=request.POST.get("reason", ""))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect(reverse("orga:scheduling_meeting", args=[organizer.slug, event.slug,
                                                                 meeting.pk]))
    messages.success(request, _("The meeting is cancelled; both sides have been told."))
    return redirect(_plan_url(organizer, event, None))
