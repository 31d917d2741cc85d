"""Participant and back-office pages of recommendations and introductions, in three languages."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation
from factories import EventFactory, RegistrationFactory, StaffMembershipFactory

from qiao.brokerage.models import Introduction
from qiao.recommendations import services
from recommendations.helpers import (
    DX_OFFER,
    DX_REQUEST,
    dresden_dx,
    jinan_distributor,
    member_of,
    unrelated_orgs,
)

pytestmark = pytest.mark.django_db


def url(name, *args, lang="en", query=""):
    with translation.override(lang):
        return reverse(name, args=args) + query


@pytest.fixture
def pair():
    """A Dresden diagnostics maker and a Jinan distributor with stored vectors."""
    dx, cn = dresden_dx(), jinan_distributor()
    unrelated_orgs()
    services.refresh_stale_embeddings()
    return dx, cn


@pytest.mark.parametrize("lang, sentence, label", [
    ("en", f"Your offer “{DX_OFFER[0]}” meets their request “{DX_REQUEST[0]}” — shared: "
           "distribution", "Strong match"),
    ("de", f"Ihr Angebot „{DX_OFFER[0]}“ trifft deren Gesuch „{DX_REQUEST[0]}“ – gemeinsam: "
           "Vertrieb", None),
    ("zh-hans", f"您的供给“{DX_OFFER[0]}”符合对方的需求“{DX_REQUEST[0]}”——共同合作方式：经销代理",
     None),
])
def test_recommendations_page_in_three_languages(client, pair, lang, sentence, label):
    dx, cn = pair
    client.force_login(member_of(dx, lang))
    response = client.get(url("portal:recommendations", lang=lang))
    assert response.status_code == 200
    html = response.content.decode()
    assert cn.name in html
    assert sentence in html
    assert "0.7" not in html  # strength as a word, never the raw score
    if label:
        assert label in html
    profile = cn.profiles.get()
    assert url("portal:profile_detail", profile.pk, lang=lang) in html
    # Contact data is not visible: the office can introduce them.
    assert cn.email not in html
    assert url("portal:introduction_request", lang=lang) in html


def test_page_says_recommendations_are_being_prepared(client, fake_embedder):
    dx = dresden_dx()
    jinan_distributor()
    client.force_login(member_of(dx))
    calls = fake_embedder.calls
    response = client.get(url("portal:recommendations"))
    assert "Recommendations are being prepared." in response.content.decode()
    assert fake_embedder.calls == calls  # the page did not embed


def test_page_without_published_profiles_and_without_organisation(client):
    from factories import MembershipFactory, UserFactory

    client.force_login(MembershipFactory().user)
    assert "Write a profile" in client.get(url("portal:recommendations")).content.decode()
    client.force_login(UserFactory())
    html = client.get(url("portal:recommendations")).content.decode()
    assert "does not represent an organisation" in html


def test_participant_asks_for_an_introduction(client, pair, mailoutbox,
                                              django_capture_on_commit_callbacks):
    dx, cn = pair
    staff = StaffMembershipFactory(user__preferred_language="de")
    dx.organizers.add(staff.organizer)
    client.force_login(member_of(dx))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("portal:introduction_request"), {
            "organization": dx.pk, "partner": cn.pk, "note": "Bitte stellen Sie uns vor.",
            "next": url("portal:recommendations"),
        })
    assert response.status_code == 302
    introduction = Introduction.objects.get()
    assert (introduction.org_a, introduction.org_b, introduction.status) == (dx, cn, "requested")
    assert introduction.organizer == staff.organizer
    assert introduction.reasons[0]["theirs_title"] == DX_REQUEST[0]
    [mail] = mailoutbox
    assert mail.to == [staff.user.email]
    assert "Bitte stellen Sie uns vor." in mail.body
    assert DX_OFFER[0] in mail.body and DX_REQUEST[0] in mail.body  # the reasons
    assert "Guten Tag" in mail.body  # in the staff member’s language
    # The page now shows the pending request instead of the form.
    html = client.get(url("portal:recommendations")).content.decode()
    assert "Introduction requested" in html
    # A second request for the same pair is refused with a message.
    response = client.post(url("portal:introduction_request"),
                           {"organization": dx.pk, "partner": cn.pk}, follow=True)
    assert "already under way" in response.content.decode()
    assert Introduction.objects.count() == 1


def test_who_to_meet_at_an_event_links_to_meeting_requests(client, pair):
    dx, cn = pair
    event = EventFactory(allows_meeting_requests=True)
    RegistrationFactory(event=event, organization=dx, status="approved")
    theirs = RegistrationFactory(event=event, organization=cn, status="approved")
    client.force_login(member_of(dx, "zh-hans"))
    response = client.get(url("portal:event_recommendations", event.slug, lang="zh-hans"))
    assert response.status_code == 200
    html = response.content.decode()
    assert cn.name in html
    assert "您的供给" in html
    assert url("portal:meeting_request_new", event.slug, theirs.pk, lang="zh-hans") in html


def test_who_to_meet_at_an_event_that_is_not_public(client, pair):
    dx, cn = pair
    event = EventFactory(is_public=False)
    for org in (dx, cn):
        RegistrationFactory(event=event, organization=org, status="approved")
    client.force_login(member_of(dx))
    response = client.get(url("portal:event_recommendations", event.slug))
    assert response.status_code == 200
    assert cn.name in response.content.decode()


def test_who_to_meet_needs_an_approved_registration(client, pair):
    dx, _cn = pair
    event = EventFactory()
    RegistrationFactory(event=event, organization=dx, status="pending")
    client.force_login(member_of(dx))
    assert client.get(url("portal:event_recommendations", event.slug)).status_code == 404


def test_no_meeting_button_when_the_event_takes_no_requests(client, pair):
    dx, cn = pair
    event = EventFactory(allows_meeting_requests=False)
    RegistrationFactory(event=event, organization=dx, status="approved")
    theirs = RegistrationFactory(event=event, organization=cn, status="approved")
    client.force_login(member_of(dx))
    html = client.get(url("portal:event_recommendations", event.slug)).content.decode()
    assert cn.name in html
    assert url("portal:meeting_request_new", event.slug, theirs.pk) not in html


def test_back_office_matches_and_proposal(client, pair, mailoutbox,
                                          django_capture_on_commit_callbacks):
    dx, cn = pair
    staff = StaffMembershipFactory()
    event = EventFactory(organizers=[staff.organizer])
    for org in (dx, cn):
        RegistrationFactory(event=event, organization=org, status="approved")
    german = member_of(dx, "de")
    chinese = member_of(cn, "zh-hans")
    client.force_login(staff.user)
    page = url("orga:event_matches", staff.organizer.slug, event.slug)
    html = client.get(page).content.decode()
    assert "Strongest pairs" in html
    assert f"The offer “{DX_OFFER[0]}” meets the request “{DX_REQUEST[0]}”" in html
    assert url("orga:introduction_propose", staff.organizer.slug) in html

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("orga:introduction_propose", staff.organizer.slug), {
            "org_a": dx.pk, "org_b": cn.pk, "event": event.slug, "note": "Gute Chancen!",
            "next": page,
        })
    assert response.status_code == 302 and response["Location"] == page
    introduction = Introduction.objects.get()
    assert introduction.status == "proposed" and introduction.event == event
    mails = {m.to[0]: m for m in mailoutbox}
    assert f"Ihr Angebot „{DX_OFFER[0]}“ trifft deren Gesuch" in mails[german.email].body
    assert f"您的需求“{DX_REQUEST[0]}”符合对方的供给" in mails[chinese.email].body
    assert "Gute Chancen!" in mails[chinese.email].body
    listing = client.get(url("orga:introductions", staff.organizer.slug)).content.decode()
    assert "Proposed to both sides" in listing


def test_other_organisers_staff_see_nothing(client, pair):
    staff = StaffMembershipFactory()
    event = EventFactory(organizers=[staff.organizer])
    client.force_login(StaffMembershipFactory().user)
    assert client.get(url("orga:event_matches", staff.organizer.slug,
                          event.slug)).status_code == 404
    assert client.get(url("orga:introductions", staff.organizer.slug)).status_code == 404


def test_both_sides_accept_and_see_each_others_contacts(client, pair,
                                                         django_capture_on_commit_callbacks):
    from qiao.brokerage.services import propose_introduction

    dx, cn = pair
    staff = StaffMembershipFactory()
    dx.organizers.add(staff.organizer)
    german, chinese = member_of(dx, "de"), member_of(cn, "zh-hans")
    introduction = propose_introduction(staff.organizer, dx, cn, staff.user)
    respond = url("portal:introduction_respond", introduction.pk)

    client.force_login(german)
    html = client.get(url("portal:introductions")).content.decode()
    assert cn.name in html and respond in html
    client.post(respond, {"organization": dx.pk, "answer": "accept"})
    introduction.refresh_from_db()
    assert introduction.status == "accepted_by_a"
    assert cn.email not in client.get(url("portal:organization_detail", cn.pk)).content.decode()

    client.force_login(chinese)
    html = client.get(url("portal:introductions", lang="zh-hans")).content.decode()
    assert f"您的需求“{DX_REQUEST[0]}”" in html  # reasons seen from the Chinese side
    client.post(respond, {"organization": cn.pk, "answer": "accept"})
    introduction.refresh_from_db()
    assert introduction.status == "accepted"

    client.force_login(german)
    assert cn.email in client.get(url("portal:organization_detail", cn.pk)).content.decode()
    html = client.get(url("portal:recommendations")).content.decode()
    assert "See their contact data" in html


def test_only_the_two_sides_may_answer(client, pair):
    from factories import IntroductionFactory, MembershipFactory

    introduction = IntroductionFactory()
    client.force_login(MembershipFactory().user)
    response = client.post(url("portal:introduction_respond", introduction.pk),
                           {"answer": "accept"})
    assert response.status_code == 404
    introduction.refresh_from_db()
    assert introduction.status == "proposed"


def test_dashboard_teaser_tag(rf, pair):
    from django.template import Context, Template

    dx, cn = pair
    request = rf.get("/")
    request.user = member_of(dx)
    html = Template("{% load recommendations %}{% recommendations_teaser %}").render(
        Context({"request": request}))
    assert cn.display_name in html
    assert "Strong match" in html
    assert url("portal:recommendations") + f"?organization={dx.pk}" in html


def test_office_closes_a_request(client, pair):
    from qiao.brokerage.services import request_introduction

    dx, cn = pair
    staff = StaffMembershipFactory()
    dx.organizers.add(staff.organizer)
    introduction = request_introduction(dx, cn, member_of(dx))
    dismiss = url("orga:introduction_dismiss", staff.organizer.slug, introduction.pk)
    client.force_login(StaffMembershipFactory().user)
    assert client.post(dismiss, {"note": "Nein."}).status_code == 404
    client.force_login(staff.user)
    assert dismiss in client.get(url("orga:introductions", staff.organizer.slug)).content.decode()
    client.post(dismiss, {"note": "Der Partner sucht derzeit keine Lieferanten."})
    introduction.refresh_from_db()
    assert introduction.status == "declined"


def test_office_cannot_address_unlisted_organisations(client, pair):
    from factories import OrganizationFactory

    dx, _cn = pair
    staff = StaffMembershipFactory()
    dx.organizers.add(staff.organizer)
    hidden = OrganizationFactory()  # no published profile, no public event
    client.force_login(staff.user)
    response = client.post(url("orga:introduction_propose", staff.organizer.slug),
                           {"org_a": dx.pk, "org_b": hidden.pk}, follow=True)
    assert "Please choose the two organisations" in response.content.decode()
    assert not Introduction.objects.exists()


def test_introduction_times_name_their_zones(client):
    """Requests with an event: the event's zone and the viewer's; without one: the viewer's.

    Where a date alone is shown (the participants' list, "proposed on"), it stays a date.
    """
    import datetime

    dx, cn = dresden_dx(), jinan_distributor()
    music, machine = unrelated_orgs()
    staff = StaffMembershipFactory(user__timezone="Asia/Shanghai")
    event = EventFactory(organizers=[staff.organizer], timezone="Europe/Berlin")
    at_event = Introduction.objects.create(organizer=staff.organizer, event=event, org_a=dx,
                                           org_b=cn, status="requested")
    no_event = Introduction.objects.create(organizer=staff.organizer, org_a=music,
                                           org_b=machine, status="requested")
    Introduction.objects.update(
        created_at=datetime.datetime(2031, 5, 20, 8, 30, tzinfo=datetime.UTC))
    client.force_login(staff.user)
    html = client.get(url("orga:introductions", staff.organizer.slug)).content.decode()

    def meta(introduction):
        card = html.split(f'id="introduction-{introduction.pk}"')[1]
        return card.split('<p class="meta">')[1].split("</p>")[0]

    assert '<abbr class="tz">UTC+2</abbr>' in meta(at_event)  # 10:30 in Dresden
    assert '<abbr class="tz">UTC+8</abbr>' in meta(at_event)  # 16:30 in Jinan
    assert "4:30 p.m. <abbr class=\"tz\">UTC+8</abbr>" in meta(no_event)
    assert "UTC+2" not in meta(no_event)
