"""Back-office matching: an event's match lists and strongest pairs, and introductions.

Lookups start from the organisers the user works for (:mod:`qiao.orga.common`),
so staff of one organiser never see another organiser's events or introductions.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qiao.brokerage import services as brokerage
from qiao.brokerage.models import Introduction, IntroductionStatus
from qiao.core.access import require
from qiao.events.models import Event
from qiao.orga.common import backoffice_view, get_event, get_organizer, safe_next
from qiao.organizations.models import Organization
from qiao.recommendations import services as recommendations

#: Top partners listed per participant, and pairs in the table of strongest pairs.
PARTNERS_PER_PARTICIPANT = 5
STRONGEST_PAIRS = 50
PARTICIPANTS_PER_PAGE = 100
INTRODUCTIONS_PER_PAGE = 50


def _pair_key(a, b) -> tuple[int, int]:
    return (min(a.pk, b.pk), max(a.pk, b.pk))


@backoffice_view
def event_matches(request, organizer, event):
    """Each approved participant's top partners and the strongest pairs, with reasons."""
    organizer = get_organizer(request, organizer)
    event = get_event(request, organizer, event)
    require(request.user, "recommendations.view_event_matches", event)
    matches = recommendations.event_matches(
        event, per_participant=PARTNERS_PER_PARTICIPANT, pairs=STRONGEST_PAIRS)
    introductions = {}
    for introduction in Introduction.objects.filter(organizer=organizer).order_by("created_at"):
        introductions[(min(introduction.org_a_id, introduction.org_b_id),
                       max(introduction.org_a_id, introduction.org_b_id))] = introduction
    for pair in matches.pairs:
        pair.introduction = introductions.get(_pair_key(pair.first, pair.second))
    page = Paginator(matches.lists, PARTICIPANTS_PER_PAGE).get_page(request.GET.get("page"))
    for org, items in page:
        for item in items:
            item.introduction = introductions.get(_pair_key(org, item.organization))
    return render(request, "orga/matching/event_matches.html", {
        "organizer": organizer,
        "event": event,
        "matches": matches,
        "page": page,
        "next_url": request.get_full_path(),
    })


@backoffice_view
def introductions(request, organizer):
    """The organiser's introductions with their status; requests waiting for a proposal first."""
    organizer = get_organizer(request, organizer)
    require(request.user, "brokerage.manage_introductions", organizer)
    status = request.GET.get("status", "")
    rows = Introduction.objects.filter(organizer=organizer).select_related(
        "org_a", "org_b", "event", "proposed_by", "requested_by", "declined_by")
    if status in IntroductionStatus.values:
        rows = rows.filter(status=status)
    requested = list(rows.filter(status=IntroductionStatus.REQUESTED).order_by("created_at"))
    others = rows.exclude(status=IntroductionStatus.REQUESTED).order_by("-created_at", "-pk")
    page = Paginator(others, INTRODUCTIONS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "orga/matching/introductions.html", {
        "organizer": organizer,
        "requested": requested,
        "page": page,
        "status": status,
        "statuses": IntroductionStatus.choices,
        "next_url": request.get_full_path(),
    })


@require_POST
@backoffice_view
def introduction_propose(request, organizer):
    """Propose an introduction of two organisations to both sides (mails with the reasons)."""
    organizer = get_organizer(request, organizer)
    require(request.user, "brokerage.manage_introductions", organizer)
    back = safe_next(request, reverse("orga:introductions", args=[organizer.slug]))
    ids = [request.POST.get("org_a"), request.POST.get("org_b")]
    found = {
        pk: org for pk, org in
        Organization.objects.in_bulk([int(i) for i in ids if i and i.isdigit()]).items()
        if request.user.has_perm("organizations.view_organization", org)
    }
    if len(found) != 2:
        messages.error(request, _("Please choose the two organisations to introduce."))
        return redirect(back)
    event = None
    if request.POST.get("event"):
        event = Event.objects.filter(organizer_links__organizer=organizer,
                                     slug=request.POST["event"]).first()
        if event is None:
            messages.error(request, _("This event is not run by this organiser."))
            return redirect(back)
    org_a, org_b = found[int(ids[0])], found[int(ids[1])]
    try:
        brokerage.propose_introduction(organizer, org_a, org_b, request.user,
                                       note=request.POST.get("note", ""), event=event)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _(
            "The introduction has been proposed; %(a)s and %(b)s have been written to.")
            % {"a": org_a.display_name, "b": org_b.display_name})
    return redirect(back)


@require_POST
@backoffice_view
def introduction_dismiss(request, organizer, pk):
    """Close a participant's request without an introduction, with a reason for them."""
    organizer = get_organizer(request, organizer)
    require(request.user, "brokerage.manage_introductions", organizer)
    introduction = get_object_or_404(Introduction, pk=pk, organizer=organizer)
    back = safe_next(request, reverse("orga:introductions", args=[organizer.slug]))
    try:
        brokerage.dismiss_request(introduction, request.user, note=request.POST.get("note", ""))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The request has been closed and the requesting side told "
                                    "why."))
    return redirect(back)
