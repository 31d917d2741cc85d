"""Read-only queries of the participants' matchmaking pages.

The participant list searches organisation names (also by pinyin), the
organisation description and the titles, texts and keywords of published
cooperation profiles; every word must match somewhere.  Matching is by
substring (``icontains``), which works for German and for Chinese, where words
are not separated by spaces.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Prefetch, Q
from django.http import Http404

from qiao.events.models import Registration, RegistrationStatus
from qiao.meetings.models import Meeting, MeetingRequest, MeetingRequestStatus, MeetingStatus
from qiao.profiles.models import CooperationProfile


def my_registrations(event, user) -> list[Registration]:
    """The approved registrations of ``event`` whose organisation ``user`` represents."""
    if not user.is_authenticated:
        return []
    return list(
        Registration.objects.filter(
            event=event, status=RegistrationStatus.APPROVED,
            organization__memberships__user=user,
        ).select_related("organization").distinct().order_by("organization__name", "pk")
    )


def chosen_registration(event, user, wanted=None) -> tuple[Registration, list[Registration]]:
    """The registration the user acts for (``wanted`` pk, else the first) and all of theirs.

    Raises 404 when the user has no approved registration for the event.
    """
    regs = my_registrations(event, user)
    if not regs:
        raise Http404
    chosen = next((r for r in regs if str(r.pk) == str(wanted or "")), regs[0])
    return chosen, regs


def _json_variants(term: str) -> set[str]:
    return {term, json.dumps(term)[1:-1]}


def _profile_term(term: str) -> Q:
    condition = Q(title__icontains=term) | Q(text__icontains=term)
    for variant in _json_variants(term):
        condition |= Q(keywords__icontains=variant)
    return condition


def _word_filter(word: str) -> Q:
    published = CooperationProfile.objects.published().filter(
        organization=OuterRef("organization")
    )
    return (
        Q(organization__name__icontains=word)
        | Q(organization__name_latin__icontains=word)
        | Q(organization__search_index__contains=word.lower())
        | Q(organization__description__icontains=word)
        | Q(Exists(published.filter(_profile_term(word))))
    )


def search_participants(queryset, text: str):
    """Registrations whose organisation or published profiles match every word of ``text``."""
    text = (text or "").strip()
    if not text:
        return queryset
    whole = Q(organization__search_index__contains=" ".join(text.lower().split()))
    words = Q()
    for word in text.split():
        words &= _word_filter(word)
    return queryset.filter(whole | words)


def filter_participants(queryset, *, country="", sector="", kind="", cooperation="",
                        language=""):
    """Apply the participant list's filters (empty values are ignored)."""
    if country:
        queryset = queryset.filter(organization__country=country.upper())
    if kind:
        queryset = queryset.filter(organization__kind=kind)
    if sector:
        # NACE codes are stored as a JSON list of strings: match an element's beginning.
        queryset = queryset.filter(organization__sectors__icontains=f'"{sector}')
    if cooperation:
        published = CooperationProfile.objects.published().filter(
            organization=OuterRef("organization"), cooperation__icontains=json.dumps(cooperation)
        )
        queryset = queryset.filter(Exists(published))
    if language:
        token = json.dumps(language)
        queryset = queryset.filter(
            Q(languages__icontains=token)
            | (Q(languages=[]) & Q(organization__languages__icontains=token))
        )
    return queryset


def participant_queryset(event, exclude=None):
    """Approved registrations of ``event`` with organisations and published profiles."""
    queryset = (
        Registration.objects.filter(event=event, status=RegistrationStatus.APPROVED)
        .select_related("organization")
        .prefetch_related(Prefetch(
            "organization__profiles",
            queryset=CooperationProfile.objects.published().order_by("-published_at", "-id"),
            to_attr="published_profiles",
        ))
        .order_by("organization__name", "pk")
    )
    if exclude is not None:
        queryset = queryset.exclude(pk=exclude.pk)
    return queryset


def participant_countries(event) -> list[str]:
    """Countries of the event's approved participants."""
    codes = Registration.objects.filter(
        event=event, status=RegistrationStatus.APPROVED
    ).values_list("organization__country", flat=True).distinct()
    return sorted(set(codes))


@dataclass
class Relation:
    """Where ``registration`` stands with another participant."""

    state: str  # "sent", "received", "meeting" or "declined" (they declined our request)
    request: MeetingRequest | None = None


def relations(registration) -> dict[int, Relation]:
    """Open requests and meetings of ``registration``, keyed by the other registration's pk."""
    result: dict[int, Relation] = {}
    for other in MeetingRequest.objects.filter(
        requester=registration, status=MeetingRequestStatus.DECLINED
    ).values_list("recipient_id", flat=True):
        result[other] = Relation("declined")
    open_requests = MeetingRequest.objects.filter(
        Q(requester=registration) | Q(recipient=registration),
        status__in=[MeetingRequestStatus.PENDING, MeetingRequestStatus.ACCEPTED],
    )
    for req in open_requests:
        other = req.recipient_id if req.requester_id == registration.pk else req.requester_id
        if req.status == MeetingRequestStatus.ACCEPTED:
            state = "meeting"
        else:
            state = "sent" if req.requester_id == registration.pk else "received"
        result[other] = Relation(state, req)
    return result


def meetings_of(registration):
    """The registration's meetings that are not cancelled, in time order (unscheduled last)."""
    return (
        Meeting.objects.filter(Q(request__requester=registration)
                               | Q(request__recipient=registration))
        .exclude(status=MeetingStatus.CANCELLED)
        .select_related("slot", "interpreter", "request__requester__organization",
                        "request__recipient__organization")
        .order_by("slot__starts_at", "pk")
    )
