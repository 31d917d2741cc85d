"""Introductions: requests, proposals with reasons, answers, and the mails in each language."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from factories import (
    EventFactory,
    IntroductionFactory,
    OrganizationFactory,
    RegistrationFactory,
    StaffMembershipFactory,
)
from recommendations.helpers import (
    DX_OFFER,
    DX_REQUEST,
    dresden_dx,
    jinan_distributor,
    member_of,
)

from qiao.brokerage import services
from qiao.brokerage.models import Introduction, IntroductionStatus
from qiao.core.errors import TransitionError
from qiao.recommendations.services import refresh_stale_embeddings

pytestmark = pytest.mark.django_db


@pytest.fixture
def office():
    """Staff of an organiser that serves the Dresden company."""
    return StaffMembershipFactory(user__preferred_language="en")


@pytest.fixture
def sides(office):
    dx, cn = dresden_dx(), jinan_distributor()
    dx.organizers.add(office.organizer)
    refresh_stale_embeddings()
    return dx, cn


def test_proposal_mails_both_sides_with_reasons_in_their_language(
        office, sides, mailoutbox, django_capture_on_commit_callbacks):
    dx, cn = sides
    german = member_of(dx, "de")
    chinese = member_of(cn, "zh-hans")
    with django_capture_on_commit_callbacks(execute=True):
        introduction = services.propose_introduction(office.organizer, dx, cn, office.user,
                                                     note="Beide liefern Diagnostik.")
    assert introduction.status == IntroductionStatus.PROPOSED
    assert introduction.proposed_by == office.user and introduction.proposed_at
    assert introduction.score > 0.45
    assert introduction.reasons[0]["mine_title"] == DX_OFFER[0]
    mails = {m.to[0]: m for m in mailoutbox}
    assert set(mails) == {german.email, chinese.email}
    assert cn.name in mails[german.email].subject
    assert f"Ihr Angebot „{DX_OFFER[0]}“ trifft deren Gesuch „{DX_REQUEST[0]}“" \
        in mails[german.email].body
    assert f"您的需求“{DX_REQUEST[0]}”符合对方的供给“{DX_OFFER[0]}”" in mails[chinese.email].body
    assert "Beide liefern Diagnostik." in mails[chinese.email].body
    # Contact data is not part of the proposal.
    assert cn.email not in mails[german.email].body


def test_both_accept_in_any_order(office, sides, mailoutbox, django_capture_on_commit_callbacks):
    dx, cn = sides
    german = member_of(dx, "de")
    member_of(cn, "zh-hans")
    introduction = services.propose_introduction(office.organizer, dx, cn, office.user)
    services.respond_to_introduction(introduction, cn, None, accept=True)
    assert introduction.status == IntroductionStatus.ACCEPTED_BY_B
    assert introduction.has_accepted(cn) and not introduction.has_accepted(dx)
    with pytest.raises(TransitionError):
        services.respond_to_introduction(introduction, cn, None, accept=True)
    with django_capture_on_commit_callbacks(execute=True):
        services.respond_to_introduction(introduction, dx, None, accept=True)
    assert Introduction.objects.get().status == IntroductionStatus.ACCEPTED
    mails = {m.to[0]: m for m in mailoutbox}
    assert cn.email in mails[german.email].body  # the partner's contact data, now shared
    assert office.user.email in mails  # the office hears of the outcome
    assert german.has_perm("organizations.view_contact_data", cn)


def test_declining_ends_the_introduction(office, sides, mailoutbox,
                                         django_capture_on_commit_callbacks):
    dx, cn = sides
    member = member_of(dx)
    introduction = services.propose_introduction(office.organizer, dx, cn, office.user)
    with django_capture_on_commit_callbacks(execute=True):
        services.respond_to_introduction(introduction, dx, None, accept=False)
    introduction.refresh_from_db()
    assert introduction.status == IntroductionStatus.DECLINED
    assert introduction.declined_by == dx and not introduction.is_open
    [mail] = mailoutbox
    assert mail.to == [office.user.email] and dx.name in mail.body
    with pytest.raises(TransitionError):
        services.respond_to_introduction(introduction, cn, None, accept=True)
    assert not member.has_perm("organizations.view_contact_data", cn)


def test_only_the_two_sides_answer(office, sides):
    dx, cn = sides
    introduction = services.propose_introduction(office.organizer, dx, cn, office.user)
    with pytest.raises(ValidationError):
        services.respond_to_introduction(introduction, OrganizationFactory(), None, accept=True)


def test_request_becomes_the_proposal(office, sides, mailoutbox,
                                      django_capture_on_commit_callbacks):
    dx, cn = sides
    requester = member_of(dx)
    with django_capture_on_commit_callbacks(execute=True):
        request = services.request_introduction(dx, cn, requester, note="Bitte vorstellen")
    assert request.status == IntroductionStatus.REQUESTED
    assert request.organizer == office.organizer and request.requested_by == requester
    assert [m.to for m in mailoutbox] == [[office.user.email]]
    proposal = services.propose_introduction(office.organizer, cn, dx, office.user)
    assert proposal.pk == request.pk  # the same introduction, now proposed
    assert proposal.status == IntroductionStatus.PROPOSED
    assert (proposal.org_a, proposal.org_b) == (dx, cn)
    assert Introduction.objects.count() == 1


def test_no_duplicates_and_no_self_introductions(office, sides):
    dx, cn = sides
    services.propose_introduction(office.organizer, dx, cn, office.user)
    with pytest.raises(ValidationError, match="already under way"):
        services.propose_introduction(office.organizer, cn, dx, office.user)
    with pytest.raises(ValidationError, match="already under way"):
        services.request_introduction(cn, dx, None)
    with pytest.raises(ValidationError):
        services.propose_introduction(office.organizer, dx, dx, office.user)


def test_a_new_introduction_after_a_declined_one(office, sides):
    dx, cn = sides
    first = services.propose_introduction(office.organizer, dx, cn, office.user)
    services.respond_to_introduction(first, cn, None, accept=False)
    second = services.propose_introduction(office.organizer, dx, cn, office.user)
    assert second.pk != first.pk


def test_office_scope(office, sides):
    dx, cn = sides
    stranger = StaffMembershipFactory()
    with pytest.raises(ValidationError, match="serves neither"):
        services.propose_introduction(stranger.organizer, dx, cn, stranger.user)
    event = EventFactory(organizers=[stranger.organizer])
    RegistrationFactory(event=event, organization=dx, status="approved")
    RegistrationFactory(event=event, organization=cn, status="pending")
    with pytest.raises(ValidationError, match="approved participants"):
        services.propose_introduction(stranger.organizer, dx, cn, stranger.user, event=event)
    cn.registrations.update(status="approved")
    introduction = services.propose_introduction(stranger.organizer, dx, cn, stranger.user,
                                                 event=event)
    assert introduction.event == event
    other_event = EventFactory()
    with pytest.raises(ValidationError, match="not run by this organiser"):
        services.propose_introduction(stranger.organizer, dx, OrganizationFactory(),
                                      stranger.user, event=other_event)


def test_request_without_any_office_is_refused():
    dx, cn = dresden_dx(), jinan_distributor()
    with pytest.raises(ValidationError, match="No office serves"):
        services.request_introduction(dx, cn, None)


def test_request_at_an_event_goes_to_its_lead_organiser(sides):
    dx, cn = sides
    lead = StaffMembershipFactory()
    event = EventFactory(organizers=[lead.organizer])
    for org in (dx, cn):
        RegistrationFactory(event=event, organization=org, status="approved")
    introduction = services.request_introduction(dx, cn, None, event=event)
    assert introduction.organizer == lead.organizer


def test_reasons_seen_from_either_side():
    introduction = IntroductionFactory(reasons=[{
        "mine": "1", "theirs": "2", "relation": "offer-request", "score": 0.5,
        "cooperation": ["distribution"], "mine_title": "Angebot", "theirs_title": "需求",
    }])
    [mine] = introduction.reasons_for(introduction.org_a)
    [theirs] = introduction.reasons_for(introduction.org_b)
    assert mine["mine_title"] == "Angebot"
    assert (theirs["mine_title"], theirs["theirs_title"], theirs["relation"]) == \
        ("需求", "Angebot", "request-offer")


def test_note_length_is_limited(office, sides):
    dx, cn = sides
    with pytest.raises(ValidationError):
        services.propose_introduction(office.organizer, dx, cn, office.user, note="x" * 2001)


def test_office_dismisses_a_request_with_a_reason(office, sides, mailoutbox,
                                                  django_capture_on_commit_callbacks):
    dx, cn = sides
    requester = member_of(dx, "de")
    request = services.request_introduction(dx, cn, requester)
    with pytest.raises(ValidationError):
        services.dismiss_request(request, office.user, note="  ")
    with django_capture_on_commit_callbacks(execute=True):
        services.dismiss_request(request, office.user, note="Der Partner sucht nur Hersteller.")
    request.refresh_from_db()
    assert request.status == IntroductionStatus.DECLINED and not request.is_open
    [mail] = mailoutbox
    assert mail.to == [requester.email]
    assert "Der Partner sucht nur Hersteller." in mail.body and cn.name in mail.subject
    with pytest.raises(TransitionError):
        services.dismiss_request(request, office.user, note="noch einmal")
    # The pair may be requested again later.
    assert services.request_introduction(dx, cn, requester).pk != request.pk
