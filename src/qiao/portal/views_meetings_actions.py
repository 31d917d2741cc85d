"""Participants' meetings page and the answers to requests: accept, decline, withdraw, cancel.

The actions are POST-only and answer 404 for requests and meetings of other
organisations (see ``core/rules.py``).  The acting side must still be an
approved participant of the event.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qiao.core.access import require
from qiao.meetings import services
from qiao.meetings.models import Meeting, MeetingRequest, MeetingRequestStatus
from qiao.portal.forms_meetings import AcceptForm, CancelMeetingForm, DeclineForm
from qiao.portal.queries_meetings import meetings_of, my_registrations
from qiao.portal.views_meetings import acting_registration, with_as


@login_required
def event_meetings(request, slug):
    """Received and sent requests and the meetings of the participant, with their times."""
    event, registration, regs = acting_registration(request, slug)
    config = services.settings_for(event)
    requests = (
        MeetingRequest.objects.filter(Q(requester=registration) | Q(recipient=registration))
        .select_related("requester__organization", "recipient__organization")
        .order_by("-created_at", "-pk")
    )
    received = [r for r in requests if r.recipient_id == registration.pk
                and r.status == MeetingRequestStatus.PENDING]
    sent = [r for r in requests if r.requester_id == registration.pk
            and r.status != MeetingRequestStatus.ACCEPTED]
    meetings = list(meetings_of(registration))
    for meeting in meetings:
        meeting.partner = meeting.other_side(registration)
    return render(request, "portal/meetings/meetings.html", {
        "event": event, "registration": registration, "registrations": regs, "config": config,
        "received": received, "sent": sent, "meetings": meetings,
        "agenda_published": config.agenda_is_published,
        "accept_form": AcceptForm(), "decline_form": DeclineForm(),
        "cancel_form": CancelMeetingForm(),
    })


def _back(meeting_request_or_meeting, registration, user):
    event = meeting_request_or_meeting.event
    url = reverse("portal:event_meetings", args=[event.slug])
    return redirect(with_as(url, registration, my_registrations(event, user)))


def _acting_side(user, registration) -> None:
    require(user, "meetings.participate", registration)


def _act_on_request(request, pk, *, perm: str, side: str, act, message):
    """Load a meeting request, check that the user may ``perm`` it and acts for ``side``
    ("recipient" or "requester"), call ``act(meeting_request)`` and report the outcome.

    ``message(result)`` gives the success text for the service's result; its ``%(org)s`` is
    the other side's organisation. Errors of the service are shown as they are. Back to the
    meetings page of the acting side.
    """
    other = "requester" if side == "recipient" else "recipient"
    meeting_request = get_object_or_404(
        MeetingRequest.objects.select_related("event", side, f"{other}__organization"), pk=pk,
    )
    require(request.user, perm, meeting_request)
    acting = getattr(meeting_request, side)
    _acting_side(request.user, acting)
    try:
        result = act(meeting_request)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        org = getattr(meeting_request, other).organization.display_name
        messages.success(request, message(result) % {"org": org})
    return _back(meeting_request, acting, request.user)


@login_required
@require_POST
def meeting_request_accept(request, pk):
    """The recipient accepts a request (optionally with their own priority)."""

    def accept(meeting_request):
        form = AcceptForm(request.POST)
        priority = form.cleaned_data.get("priority") if form.is_valid() else None
        return services.accept_meeting_request(meeting_request, request.user,
                                               priority=priority)

    def message(meeting) -> str:
        if meeting.slot_id:
            return _("You have accepted the meeting with %(org)s. It has been added to your "
                     "agenda.")
        return _("You have accepted the meeting with %(org)s. The organiser will schedule it.")

    return _act_on_request(request, pk, perm="meetings.answer_request", side="recipient",
                           act=accept, message=message)


@login_required
@require_POST
def meeting_request_decline(request, pk):
    """The recipient declines a request, with an optional reason."""

    def decline(meeting_request):
        form = DeclineForm(request.POST)
        reason = form.cleaned_data["reason"] if form.is_valid() else ""
        services.decline_meeting_request(meeting_request, request.user, reason=reason)

    return _act_on_request(
        request, pk, perm="meetings.answer_request", side="recipient", act=decline,
        message=lambda result: _("You have declined the request of %(org)s."),
    )


@login_required
@require_POST
def meeting_request_withdraw(request, pk):
    """The requester withdraws a pending request."""
    return _act_on_request(
        request, pk, perm="meetings.withdraw_request", side="requester",
        act=lambda meeting_request: services.cancel_meeting_request(meeting_request,
                                                                    request.user),
        message=lambda result: _("You have withdrawn your request to %(org)s."),
    )


@login_required
@require_POST
def meeting_cancel(request, pk):
    """Either side cancels a meeting; the other side is told by email."""
    meeting = get_object_or_404(
        Meeting.objects.select_related("event", "request__requester__organization",
                                       "request__recipient__organization"),
        pk=pk,
    )
    sides = [r for r in meeting.registrations
             if request.user.has_perm("meetings.participate", r)]
    if not sides:
        raise Http404
    wanted = request.POST.get("as")
    side = next((r for r in sides if str(r.pk) == wanted), sides[0])
    form = CancelMeetingForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        services.cancel_meeting(meeting, request.user, reason=reason, side=side)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _(
            "The meeting with %(org)s has been cancelled and they have been told.")
            % {"org": meeting.other_side(side).organization.display_name})
    return _back(meeting, side, request.user)
