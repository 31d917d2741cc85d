"""Back-office matchmaking of an event: overview, settings, sessions, interpreters, phases.

Only staff of the event's organisers (and platform administrators) reach
these pages (``meetings.manage_matchmaking``); everything else answers 404.
Every change goes through :mod:`qiao.meetings.services_orga`.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from qiao.core.access import require
from qiao.meetings import services_orga
from qiao.meetings.models import (
    Interpreter,
    MeetingStatus,
    Phase,
    SchedulingRun,
    Session,
    Slot,
)
from qiao.meetings.scheduling import active_run
from qiao.meetings.slots import settings_for
from qiao.orga.common import backoffice_view, get_event, get_organizer
from qiao.orga.forms_scheduling import (
    InterpreterForm,
    MatchmakingSettingsForm,
    RunForm,
    SessionForm,
)

#: Runs listed on the overview.
RECENT_RUNS = 10


def matchmaking_event(request, organizer_slug: str, event_slug: str):
    """(organizer, event) if the user may manage the event's matchmaking, else 404."""
    organizer = get_organizer(request, organizer_slug)
    event = get_event(request, organizer, event_slug)
    require(request.user, "meetings.manage_matchmaking", event)
    return organizer, event


def overview_url(organizer, event, anchor: str = "") -> str:
    """Address of the matchmaking overview of ``event``."""
    return reverse("orga:scheduling", args=[organizer.slug, event.slug]) + anchor


def apply_errors(form, error: ValidationError) -> None:
    """Show a service's validation errors on the form (unknown fields as form errors)."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def report_errors(request, error: ValidationError) -> None:
    """Show a service's validation errors as messages."""
    for message in error.messages:
        messages.error(request, message)


def _slot_message(request, changes) -> None:
    if changes.created or changes.updated or changes.deleted:
        messages.info(request, _(
            "Slots: %(created)d new, %(updated)d changed, %(deleted)d removed."
        ) % {"created": changes.created, "updated": changes.updated,
             "deleted": changes.deleted})


#: Buttons for the phase changes an organiser can make on the overview.
PHASE_ACTIONS = {
    Phase.REQUESTS_OPEN: gettext_lazy("Reopen meeting requests"),
    Phase.SCHEDULING: gettext_lazy("Close requests and schedule"),
    Phase.LIVE: gettext_lazy("Start the live phase"),
    Phase.CLOSED: gettext_lazy("Close the matchmaking"),
}


@backoffice_view
def overview(request, organizer, event):
    """The event's matchmaking at a glance: phase, grid, interpreters, meetings and runs."""
    organizer, event = matchmaking_event(request, organizer, event)
    config = settings_for(event)
    sessions = list(Session.objects.filter(event=event).annotate(slot_count=Count("slots"))
                    .order_by("starts_at"))
    interpreters = list(Interpreter.objects.filter(event=event).annotate(
        slot_count=Count("available_slots", distinct=True),
        meeting_count=Count("meetings", filter=Q(meetings__status=MeetingStatus.SCHEDULED),
                            distinct=True)).order_by("name"))
    meetings = services_orga.open_meetings(event)
    figures = {
        "accepted": meetings.count(),
        "scheduled": meetings.filter(status=MeetingStatus.SCHEDULED).count(),
        "locked": meetings.filter(is_locked=True).count(),
        "slots": Slot.objects.filter(event=event).count(),
    }
    figures["unscheduled"] = figures["accepted"] - figures["scheduled"]
    transitions = [(phase, PHASE_ACTIONS[phase]) for phase in Phase.values
                   if phase in services_orga.PHASE_TRANSITIONS.get(config.phase, set())
                   and phase in PHASE_ACTIONS]
    if config.phase == Phase.PUBLISHED:
        transitions = [(p, _("Withdraw the agenda") if p == Phase.SCHEDULING else label)
                       for p, label in transitions]
    return render(request, "orga/scheduling/overview.html", {
        "organizer": organizer, "event": event, "config": config, "sessions": sessions,
        "interpreters": interpreters, "figures": figures, "transitions": transitions,
        "can_publish": config.phase in (Phase.REQUESTS_OPEN, Phase.SCHEDULING),
        "back_to_published": config.phase == Phase.LIVE,
        "runs": SchedulingRun.objects.filter(event=event).order_by("-created_at")[:RECENT_RUNS],
        "active_run": active_run(event), "run_form": RunForm(),
        "phases": Phase.choices,
    })


@backoffice_view
def settings_edit(request, organizer, event):
    """Meeting length, pause, tables, limits and online meetings; the grid follows."""
    organizer, event = matchmaking_event(request, organizer, event)
    config = settings_for(event)
    form = MatchmakingSettingsForm(request.POST or None, instance=config)
    if request.method == "POST" and form.is_valid():
        try:
            changes = services_orga.save_matchmaking_settings(event, request.user,
                                                              **form.service_fields())
        except ValidationError as error:
            config.refresh_from_db()
            apply_errors(form, error)
        else:
            messages.success(request, _("The matchmaking settings are saved."))
            _slot_message(request, changes)
            return redirect(overview_url(organizer, event))
    return render(request, "orga/scheduling/settings_form.html", {
        "organizer": organizer, "event": event, "form": form,
    })


@backoffice_view
def session_edit(request, organizer, event, pk=None):
    """Add a meeting session, or edit session ``pk``."""
    organizer, event = matchmaking_event(request, organizer, event)
    session = get_object_or_404(Session, event=event, pk=pk) if pk is not None else None
    form = SessionForm(request.POST or None, event=event, session=session)
    if request.method == "POST" and form.is_valid():
        try:
            _saved, changes = services_orga.save_session(event, request.user, session=session,
                                                         **form.service_fields())
        except ValidationError as error:
            apply_errors(form, error)
            for field in ("starts_at", "ends_at"):
                if field in getattr(error, "error_dict", {}):
                    form.add_error("start_time" if field == "starts_at" else "end_time",
                                   error.error_dict[field])
        else:
            messages.success(request, _("The session is saved."))
            _slot_message(request, changes)
            return redirect(overview_url(organizer, event, "#sessions"))
    return render(request, "orga/scheduling/session_form.html", {
        "organizer": organizer, "event": event, "session": session, "form": form,
    })


@require_POST
@backoffice_view
def session_delete(request, organizer, event, pk):
    """Remove a session and its slots (refused while meetings are scheduled in it)."""
    organizer, event = matchmaking_event(request, organizer, event)
    session = get_object_or_404(Session, event=event, pk=pk)
    try:
        services_orga.delete_session(session, request.user)
    except ValidationError as error:
        report_errors(request, error)
    else:
        messages.success(request, _("The session is removed."))
    return redirect(overview_url(organizer, event, "#sessions"))


@backoffice_view
def interpreter_edit(request, organizer, event, pk=None):
    """Add an interpreter, or edit interpreter ``pk``: languages and availability."""
    organizer, event = matchmaking_event(request, organizer, event)
    interpreter = get_object_or_404(Interpreter, event=event, pk=pk) if pk is not None else None
    form = InterpreterForm(request.POST or None, event=event, interpreter=interpreter)
    if request.method == "POST" and form.is_valid():
        try:
            services_orga.save_interpreter(event, request.user, interpreter=interpreter,
                                           **form.service_fields())
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The interpreter is saved."))
            return redirect(overview_url(organizer, event, "#interpreters"))
    return render(request, "orga/scheduling/interpreter_form.html", {
        "organizer": organizer, "event": event, "interpreter": interpreter, "form": form,
        "has_slots": Slot.objects.filter(event=event).exists(),
    })


@require_POST
@backoffice_view
def interpreter_delete(request, organizer, event, pk):
    """Remove an interpreter (refused while they serve scheduled meetings)."""
    organizer, event = matchmaking_event(request, organizer, event)
    interpreter = get_object_or_404(Interpreter, event=event, pk=pk)
    try:
        services_orga.delete_interpreter(interpreter, request.user)
    except ValidationError as error:
        report_errors(request, error)
    else:
        messages.success(request, _("The interpreter is removed."))
    return redirect(overview_url(organizer, event, "#interpreters"))


@require_POST
@backoffice_view
def phase_change(request, organizer, event):
    """Move the matchmaking to another phase (requests open, scheduling, live, closed)."""
    organizer, event = matchmaking_event(request, organizer, event)
    try:
        config = services_orga.change_phase(event, request.user, request.POST.get("phase", ""))
    except ValidationError as error:
        report_errors(request, error)
    else:
        messages.success(request, _("The matchmaking is now in the phase “%(phase)s”.")
                         % {"phase": config.get_phase_display()})
    return redirect(overview_url(organizer, event))


@require_POST
@backoffice_view
def publish(request, organizer, event):
    """Publish the agenda and tell every participant by mail."""
    organizer, event = matchmaking_event(request, organizer, event)
    try:
        services_orga.publish_agenda(event, request.user)
    except ValidationError as error:
        report_errors(request, error)
    else:
        messages.success(request, _("The agenda is published; the participants are being "
                                    "told by mail."))
    return redirect(overview_url(organizer, event))
