"""Participants' partner recommendations, "who to meet" per event, and introductions.

Pages read stored vectors only (see :mod:`qiao.recommendations.services`);
while vectors are computed in the background they say that recommendations
are being prepared. Changes go through :mod:`qiao.brokerage.services`.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qiao.brokerage import services as brokerage
from qiao.brokerage.models import OPEN_STATUSES, Introduction, IntroductionStatus
from qiao.core.access import organizations_for, require
from qiao.events.models import Event
from qiao.organizations.models import Organization
from qiao.portal.queries_meetings import chosen_registration, relations
from qiao.recommendations import services as recommendation_services

#: Partners shown on the recommendations pages.
RECOMMENDATION_LIMIT = 20


def _chosen_organization(request):
    """(organisation the user looks for, all of theirs); ``None`` when they represent none."""
    organizations = list(organizations_for(request.user).order_by("name", "pk"))
    wanted = request.POST.get("organization") or request.GET.get("organization")
    if not organizations:
        return None, []
    chosen = next((o for o in organizations if str(o.pk) == str(wanted or "")), organizations[0])
    require(request.user, "recommendations.view_recommendations", chosen)
    return chosen, organizations


def _introductions_by_partner(organization) -> dict[int, Introduction]:
    """Latest introduction with each partner that the organisation knows of."""
    found: dict[int, Introduction] = {}
    rows = Introduction.objects.filter(Q(org_a=organization) | Q(org_b=organization)).exclude(
        Q(status=IntroductionStatus.REQUESTED) & Q(org_b=organization)
    ).order_by("created_at", "pk")
    for introduction in rows:
        found[introduction.partner_of(organization).pk] = introduction
    return found


def _annotate(user, organization, items) -> None:
    """Add contact visibility and the introduction state to each recommendation."""
    introductions = _introductions_by_partner(organization)
    for item in items:
        partner = item.organization
        item.contact_visible = user.has_perm("organizations.view_contact_data", partner)
        item.introduction = introductions.get(partner.pk)
        item.can_request = not item.contact_visible and (
            item.introduction is None or item.introduction.status not in OPEN_STATUSES
        )


@login_required
def recommendations(request):
    """Recommended partners across all published profiles, best first, with reasons."""
    organization, organizations = _chosen_organization(request)
    result = None
    if organization is not None:
        result = recommendation_services.recommendations_for(organization,
                                                             limit=RECOMMENDATION_LIMIT)
        _annotate(request.user, organization, result.items)
    return render(request, "portal/recommendations/list.html", {
        "organization": organization,
        "organizations": organizations,
        "result": result,
        "next_url": request.get_full_path(),
    })


def _meeting_link(event, registration, other) -> str:
    """Where to ask ``other`` for a meeting: the request page, else the participant list."""
    for name, args in (
        ("portal:meeting_request_new", [event.slug, other.pk]),
        ("portal:event_participants", [event.slug]),
    ):
        try:
            url = reverse(name, args=args)
        except NoReverseMatch:
            continue
        return url
    return ""


@login_required
def event_recommendations(request, slug):
    """Who to meet at an event: the best partners among its approved participants."""
    event = get_object_or_404(Event, slug=slug)
    wanted = request.GET.get("as") or request.POST.get("as")
    registration, registrations = chosen_registration(event, request.user, wanted)
    require(request.user, "recommendations.view_event_recommendations", registration)
    result = recommendation_services.event_recommendations(event, registration,
                                                          limit=RECOMMENDATION_LIMIT)
    _annotate(request.user, registration.organization, result.items)
    can_request_meetings = event.allows_meeting_requests and request.user.has_perm(
        "meetings.participate", registration)
    states = relations(registration) if can_request_meetings else {}
    for item in result.items:
        item.meeting_state = states.get(item.registration.pk)
        item.meeting_url = (_meeting_link(event, registration, item.registration)
                            if can_request_meetings else "")
    return render(request, "portal/recommendations/event.html", {
        "event": event,
        "registration": registration,
        "registrations": registrations,
        "organization": registration.organization,
        "result": result,
        "can_request_meetings": can_request_meetings,
        "next_url": request.get_full_path(),
    })


def _back(request, default: str) -> str:
    target = request.POST.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


@login_required
@require_POST
def introduction_request(request):
    """Ask the office to introduce the user's organisation to a recommended partner."""
    organization, _organizations = _chosen_organization(request)
    if organization is None:
        raise Http404
    require(request.user, "brokerage.request_introduction", organization)
    back = _back(request, reverse("portal:recommendations"))
    partner = Organization.objects.filter(pk=request.POST.get("partner") or 0).first()
    if partner is None or not request.user.has_perm("organizations.view_organization", partner):
        messages.error(request, _("Please choose the partner you would like to be introduced to."))
        return redirect(back)
    event = None
    if request.POST.get("event"):
        event = get_object_or_404(Event, slug=request.POST["event"])
    try:
        brokerage.request_introduction(organization, partner, request.user,
                                       note=request.POST.get("note", ""), event=event)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _(
            "Your request has been passed to the office. You will hear by email when they "
            "have introduced you to %(partner)s.") % {"partner": partner.display_name})
    return redirect(back)


@login_required
def introductions(request):
    """Introductions of the user's organisations, with answers to give."""
    organizations = list(organizations_for(request.user))
    ids = [o.pk for o in organizations]
    rows = Introduction.objects.filter(Q(org_a__in=ids) | Q(org_b__in=ids)).exclude(
        Q(status=IntroductionStatus.REQUESTED) & ~Q(org_a__in=ids)
    ).select_related("org_a", "org_b", "organizer", "event").order_by("-created_at", "-pk")
    entries = []
    for introduction in rows:
        mine = introduction.org_a if introduction.org_a_id in ids else introduction.org_b
        partner = introduction.partner_of(mine)
        entries.append({
            "introduction": introduction,
            "mine": mine,
            "partner": partner,
            "reasons": introduction.reasons_for(mine),
            "can_answer": introduction.status in {
                IntroductionStatus.PROPOSED, IntroductionStatus.ACCEPTED_BY_A,
                IntroductionStatus.ACCEPTED_BY_B,
            } and not introduction.has_accepted(mine),
            "contact_visible": request.user.has_perm("organizations.view_contact_data",
                                                     partner),
        })
    return render(request, "portal/recommendations/introductions.html", {
        "entries": entries, "organizations": organizations,
    })


@login_required
@require_POST
def introduction_respond(request, pk):
    """Accept or decline an introduction for the user's side."""
    introduction = get_object_or_404(Introduction.objects.select_related("org_a", "org_b"), pk=pk)
    require(request.user, "brokerage.respond_to_introduction", introduction)
    own = set(organizations_for(request.user).values_list("pk", flat=True))
    mine = [o for o in (introduction.org_a, introduction.org_b) if o.pk in own]
    if not mine:
        # Only the two sides answer an introduction (not even a platform admin).
        raise Http404
    wanted = request.POST.get("organization")
    organization = next((o for o in mine if str(o.pk) == str(wanted or "")), mine[0])
    accept = request.POST.get("answer") == "accept"
    try:
        brokerage.respond_to_introduction(introduction, organization, request.user, accept)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        partner = introduction.partner_of(organization).display_name
        if not accept:
            messages.success(request, _("You declined the introduction to %(partner)s.")
                             % {"partner": partner})
        elif introduction.status == IntroductionStatus.ACCEPTED:
            messages.success(request, _("You and %(partner)s are now in touch; both of you "
                                        "see each other's contact data.") % {"partner": partner})
        else:
            messages.success(request, _("Thank you. We will tell you as soon as %(partner)s "
                                        "answers as well.") % {"partner": partner})
    return redirect(reverse("portal:introductions"))
