"""Approving and declining registrations and profiles through the back-office pages."""

import pytest
from django.core import mail
from django.urls import reverse
from factories import EventFactory, MembershipFactory, RegistrationFactory, StaffMembershipFactory

from qiao.events.models import Registration

from .conftest import login

pytestmark = pytest.mark.django_db


def decide_url(registration, organizer="jinan-office"):
    return reverse("orga:registration_decide",
                   args=[organizer, registration.event.slug, registration.pk])


def profile_url(profile, organizer="jinan-office"):
    return reverse("orga:profile_decide", args=[organizer, profile.pk])


def test_approve_registration_redirects_back_with_message(client, staff_a, registration_a):
    login(client, staff_a)
    response = client.post(decide_url(registration_a),
                           {"decision": "approve", "next": "/en/orga/"}, follow=True)
    assert response.redirect_chain[-1][0] == "/en/orga/"
    registration_a.refresh_from_db()
    assert registration_a.status == "approved"
    assert registration_a.decided_by == staff_a
    assert "is approved" in response.content.decode()


def test_decline_registration_needs_a_reason(client, staff_a, registration_a):
    login(client, staff_a)
    response = client.post(decide_url(registration_a), {"decision": "reject", "note": "  "},
                           follow=True)
    registration_a.refresh_from_db()
    assert registration_a.status == "pending"
    assert "Give a reason" in response.content.decode()


def test_decline_registration_with_reason_tells_the_organisation(
    client, staff_a, registration_a, django_capture_on_commit_callbacks
):
    representative = MembershipFactory(organization=registration_a.organization).user
    login(client, staff_a)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(decide_url(registration_a),
                    {"decision": "reject", "note": "The event is for life-science companies."})
    registration_a.refresh_from_db()
    assert registration_a.status == "rejected"
    assert registration_a.decision_note == "The event is for life-science companies."
    sent = [m for m in mail.outbox if representative.email in m.to]
    assert sent and "life-science companies" in sent[0].body


def test_htmx_decision_returns_fragment(client, staff_a, registration_a):
    login(client, staff_a)
    response = client.post(decide_url(registration_a), {"decision": "approve"},
                           headers={"HX-Request": "true"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html
    assert "status--approved" in html


def test_transition_error_is_shown_as_message(client, staff_a, event_a):
    registration = RegistrationFactory(event=event_a, status="cancelled")
    login(client, staff_a)
    response = client.post(decide_url(registration), {"decision": "approve"}, follow=True)
    assert response.status_code == 200
    assert "message--error" in response.content.decode()
    registration.refresh_from_db()
    assert registration.status == "cancelled"


def test_full_event_refuses_approval(client, staff_a, organizer_a):
    event = EventFactory(organizers=[organizer_a], capacity=1)
    RegistrationFactory(event=event, status="approved")
    waiting = RegistrationFactory(event=event)
    login(client, staff_a)
    response = client.post(decide_url(waiting), {"decision": "approve"},
                           headers={"HX-Request": "true"})
    assert "fully booked" in response.content.decode()
    waiting.refresh_from_db()
    assert waiting.status == "pending"


def test_get_on_decision_url_is_not_allowed(client, staff_a, registration_a, profile_a):
    login(client, staff_a)
    assert client.get(decide_url(registration_a)).status_code == 405
    assert client.get(profile_url(profile_a)).status_code == 405


def test_staff_of_other_organiser_cannot_decide(client, staff_b, registration_a, profile_a):
    login(client, staff_b)
    # Neither through their own organiser's address …
    assert client.post(decide_url(registration_a, "stuttgart-centre"),
                       {"decision": "approve"}).status_code == 404
    assert client.post(profile_url(profile_a, "stuttgart-centre"),
                       {"decision": "approve"}).status_code == 404
    # … nor through the other organiser's.
    assert client.post(decide_url(registration_a), {"decision": "approve"}).status_code == 404
    assert client.post(profile_url(profile_a), {"decision": "approve"}).status_code == 404
    registration_a.refresh_from_db()
    profile_a.refresh_from_db()
    assert registration_a.status == "pending"
    assert profile_a.status == "submitted"


def test_registration_of_another_event_cannot_be_reached_through_own_event(
    client, staff_a, event_a, registration_b
):
    login(client, staff_a)
    url = reverse("orga:registration_decide",
                  args=["jinan-office", event_a.slug, registration_b.pk])
    assert client.post(url, {"decision": "approve"}).status_code == 404
    assert Registration.objects.get(pk=registration_b.pk).status == "pending"


def test_publish_profile(client, staff_a, profile_a):
    login(client, staff_a)
    response = client.post(profile_url(profile_a), {"decision": "approve"}, follow=True)
    profile_a.refresh_from_db()
    assert profile_a.status == "published"
    assert profile_a.reviewed_by == staff_a
    assert response.redirect_chain[-1][0] == reverse("orga:review_queue", args=["jinan-office"])


def test_return_profile_needs_reason(client, staff_a, profile_a):
    login(client, staff_a)
    response = client.post(profile_url(profile_a), {"decision": "reject", "note": ""},
                           headers={"HX-Request": "true"})
    assert "Give a reason" in response.content.decode()
    profile_a.refresh_from_db()
    assert profile_a.status == "submitted"
    client.post(profile_url(profile_a),
                {"decision": "reject", "note": "Please describe the product in more detail."})
    profile_a.refresh_from_db()
    assert profile_a.status == "rejected"
    assert profile_a.rejection_reason == "Please describe the product in more detail."


def test_unsafe_next_is_ignored(client, staff_a, registration_a):
    login(client, staff_a)
    response = client.post(decide_url(registration_a),
                           {"decision": "approve", "next": "https://evil.example/"})
    assert response["Location"] == reverse("orga:event_detail",
                                           args=["jinan-office", registration_a.event.slug])


def test_co_organised_event_is_visible_and_decidable_for_both(
    client, staff_a, staff_b, organizer_a, organizer_b
):
    event = EventFactory(slug="smec-jinan", kind="delegation", organizers=[organizer_a,
                                                                            organizer_b])
    first, second = RegistrationFactory.create_batch(2, event=event)
    for user, slug, registration in (
        (staff_a, "jinan-office", first), (staff_b, "stuttgart-centre", second)
    ):
        client.force_login(user)
        assert client.get(reverse("orga:event_detail", args=[slug, event.slug])).status_code == 200
        dashboard = client.get(reverse("orga:dashboard")).content.decode()
        assert "smec-jinan" in dashboard
        client.post(decide_url(registration, slug), {"decision": "approve"})
        registration.refresh_from_db()
        assert registration.status == "approved"


def test_staff_with_two_organisers_decides_for_each(client, staff_a, organizer_b,
                                                    registration_b):
    StaffMembershipFactory(organizer=organizer_b, user=staff_a)
    login(client, staff_a)
    client.post(decide_url(registration_b, "stuttgart-centre"), {"decision": "approve"})
    registration_b.refresh_from_db()
    assert registration_b.status == "approved"
