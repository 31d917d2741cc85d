"""Meeting requests and meetings: every allowed and refused transition, mails, limits."""

import pytest
from django.core import mail
from meetings.conftest import make_participant

from qiao.core.errors import TransitionError
from qiao.meetings import services
from qiao.meetings.models import (
    Meeting,
    MeetingRequest,
    MeetingSeat,
    MeetingStatus,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def run_commits(django_capture_on_commit_callbacks):
    """Run on-commit callbacks (mail) at once."""
    def runner():
        return django_capture_on_commit_callbacks(execute=True)
    return runner


def set_phase(event, phase):
    config = services.settings_for(event)
    config.phase = phase
    config.save()


def send(event, a, b, **kwargs):
    return services.send_meeting_request(event, a, b, a.user, **kwargs)


# Sending ---------------------------------------------------------------------------------

def test_send_creates_pending_request_and_tells_the_recipient_in_their_language(
    event, participants, run_commits
):
    a, b, c = participants
    with run_commits():
        request = send(event, a, c, message="Wir suchen einen Partner in Shandong.", priority=3)
    assert request.status == "pending" and request.priority == 3 and request.sent_by == a.user
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [c.user.email]
    assert "对接会" in message.subject  # the event name in the recipient's language (zh-hans)
    assert "Wir suchen einen Partner in Shandong." in message.body
    assert f"/zh-hans/my/events/{event.slug}/meetings/" in message.body


@pytest.mark.parametrize("priority", [0, 4, "x"])
def test_send_refuses_a_priority_outside_one_to_three(event, participants, priority):
    a, b, _c = participants
    with pytest.raises(Exception) as info:
        send(event, a, b, priority=priority)
    assert "priority" in info.value.message_dict
    assert not MeetingRequest.objects.exists()


def test_send_refuses_oneself_other_events_and_unapproved_registrations(event, participants):
    a, b, _c = participants
    with pytest.raises(TransitionError):
        send(event, a, a)
    b.status = "pending"
    b.save()
    with pytest.raises(TransitionError) as info:
        send(event, a, b)
    assert info.value.code == "not_participant"
    from factories import EventFactory

    other = make_participant(EventFactory(allows_meeting_requests=True))
    with pytest.raises(TransitionError):
        send(event, a, other)


def test_send_refused_when_the_event_takes_no_requests_or_in_the_scheduling_phase(
    event, participants
):
    a, b, _c = participants
    event.allows_meeting_requests = False
    event.save()
    with pytest.raises(TransitionError) as info:
        send(event, a, b)
    assert info.value.code == "closed"
    event.allows_meeting_requests = True
    event.save()
    for phase in ("scheduling", "closed"):
        set_phase(event, phase)
        with pytest.raises(TransitionError):
            send(event, a, b)
    for phase in ("requests_open", "published", "live"):
        set_phase(event, phase)
        MeetingRequest.objects.all().delete()
        assert send(event, a, b).status == "pending"


def test_send_refuses_duplicates_in_either_direction(event, participants):
    a, b, _c = participants
    send(event, a, b)
    with pytest.raises(TransitionError) as info:
        send(event, a, b)
    assert info.value.code == "duplicate"
    with pytest.raises(TransitionError) as info:
        send(event, b, a)
    assert info.value.code == "reverse_pending"


def test_send_respects_the_limit_of_open_requests(event, participants):
    a, b, c = participants
    config = services.settings_for(event)
    config.max_requests_sent = 1
    config.save()
    send(event, a, b)
    with pytest.raises(TransitionError) as info:
        send(event, a, c)
    assert info.value.code == "limit"


def test_online_wish_refused_when_the_event_offers_no_online_meetings(event, participants):
    a, b, _c = participants
    config = services.settings_for(event)
    config.remote_meetings = False
    config.save()
    with pytest.raises(TransitionError) as info:
        send(event, a, b, wants_remote=True)
    assert info.value.code == "remote"


# Answering -------------------------------------------------------------------------------

def test_accept_before_publication_creates_an_unscheduled_meeting(event, participants,
                                                                   run_commits):
    a, b, _c = participants
    request = send(event, a, b)
    mail.outbox.clear()
    with run_commits():
        meeting = services.accept_meeting_request(request, b.user, priority=2)
    request.refresh_from_db()
    assert request.status == "accepted" and request.answered_by == b.user
    assert request.effective_priority == 2
    assert meeting.status == MeetingStatus.UNSCHEDULED and meeting.slot is None
    assert not meeting.is_remote
    assert [m.to for m in mail.outbox] == [[a.user.email]]
    assert "organiser will schedule" in mail.outbox[0].body


def test_accept_after_publication_places_the_meeting_and_mails_both(event, participants,
                                                                     run_commits):
    a, _b, c = participants
    set_phase(event, "published")
    request = send(event, a, c)
    mail.outbox.clear()
    with run_commits():
        meeting = services.accept_meeting_request(request, c.user)
    assert meeting.status == MeetingStatus.SCHEDULED
    assert meeting.slot.starts_at.astimezone(event.tzinfo).hour == 9
    assert meeting.table == 1
    assert MeetingSeat.objects.filter(meeting=meeting).count() == 2
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == sorted([a.user.email, c.user.email])
    requester_mail = next(m for m in mail.outbox if m.to == [a.user.email])
    assert "Table 1" in requester_mail.body or "table 1" in requester_mail.body


def test_accept_with_a_remote_participant_creates_an_online_meeting_with_a_link(
    event, run_commits
):
    config = services.settings_for(event)
    config.phase = "published"
    config.video_link_template = "https://meet.example.org/{event}-{meeting}-{token}"
    config.save()
    a = make_participant(event)
    remote = make_participant(event, attendance="remote", country="CN", languages=("zh", "en"))
    meeting = services.accept_meeting_request(send(event, a, remote), remote.user)
    assert meeting.is_remote and meeting.table is None
    assert meeting.remote_link.startswith(f"https://meet.example.org/{event.slug}-{meeting.pk}-")


def test_accept_refused_twice_and_after_decline(event, participants):
    a, b, c = participants
    request = send(event, a, b)
    services.accept_meeting_request(request, b.user)
    with pytest.raises(TransitionError):
        services.accept_meeting_request(request, b.user)
    other = send(event, a, c)
    services.decline_meeting_request(other, c.user, reason="Kein Bedarf.")
    with pytest.raises(TransitionError):
        services.accept_meeting_request(other, c.user)


def test_accept_respects_the_meeting_limit(event, participants):
    a, b, c = participants
    config = services.settings_for(event)
    config.max_meetings = 1
    config.save()
    services.accept_meeting_request(send(event, a, b), b.user)
    with pytest.raises(TransitionError) as info:
        services.accept_meeting_request(send(event, a, c), c.user)
    assert info.value.code == "limit"
    assert Meeting.objects.count() == 1


def test_decline_keeps_the_reason_and_tells_the_requester(event, participants, run_commits):
    a, b, _c = participants
    request = send(event, a, b)
    mail.outbox.clear()
    with run_commits():
        services.decline_meeting_request(request, b.user, reason="Wir haben schon einen Partner.")
    request.refresh_from_db()
    assert request.status == "declined" and request.decline_reason
    assert mail.outbox[0].to == [a.user.email]
    assert "Wir haben schon einen Partner." in mail.outbox[0].body
    with pytest.raises(TransitionError):
        services.decline_meeting_request(request, b.user)


def test_withdraw_only_while_pending(event, participants, run_commits):
    a, b, _c = participants
    request = send(event, a, b)
    mail.outbox.clear()
    with run_commits():
        services.cancel_meeting_request(request, a.user)
    assert request.status == "cancelled"
    assert mail.outbox[0].to == [b.user.email]
    again = send(event, a, b)  # a withdrawn request does not block a new one
    services.accept_meeting_request(again, b.user)
    with pytest.raises(TransitionError):
        services.cancel_meeting_request(again, a.user)


# Cancelling meetings ---------------------------------------------------------------------

def test_cancel_meeting_frees_the_slot_and_tells_the_other_side(event, participants,
                                                                 run_commits):
    a, b, _c = participants
    set_phase(event, "published")
    meeting = services.accept_meeting_request(send(event, a, b), b.user)
    slot = meeting.slot
    mail.outbox.clear()
    with run_commits():
        services.cancel_meeting(meeting, b.user, reason="Flug gestrichen.", side=b)
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.CANCELLED and meeting.slot is None
    assert meeting.table is None and meeting.cancel_reason == "Flug gestrichen."
    assert not MeetingSeat.objects.exists()
    assert meeting.request.status == "cancelled"
    assert [m.to for m in mail.outbox] == [[a.user.email]]
    assert "Flug gestrichen." in mail.outbox[0].body
    with pytest.raises(TransitionError):
        services.cancel_meeting(meeting, a.user, side=a)
    # The slot and table are free again: a new meeting takes them.
    again = services.accept_meeting_request(send(event, a, b), b.user)
    assert (again.slot, again.table) == (slot, 1)


def test_cancel_by_the_organiser_tells_both_sides(event, participants, run_commits):
    a, b, _c = participants
    meeting = services.accept_meeting_request(send(event, a, b), b.user)
    mail.outbox.clear()
    with run_commits():
        services.cancel_meeting(meeting, None)
    assert sorted(m.to[0] for m in mail.outbox) == sorted([a.user.email, b.user.email])


def test_no_new_request_after_a_decline(event, participants, client):
    from django.urls import reverse

    a, b, _c = participants
    services.decline_meeting_request(send(event, a, b), b.user)
    with pytest.raises(TransitionError) as info:
        send(event, a, b)
    assert info.value.code == "declined"
    client.force_login(a.user)
    page = client.get(reverse("portal:event_participants", args=[event.slug]),
                      {"q": b.organization.name})
    assert "Declined your request" in page.content.decode()
    assert send(event, b, a).status == "pending"  # the other way round is still possible


def test_mails_follow_each_recipients_language(event, participants, run_commits):
    a, b, c = participants  # English, German and Chinese users
    with run_commits():
        to_german = send(event, a, b)
        services.decline_meeting_request(to_german, b.user)
    received, declined = mail.outbox
    assert received.to == [b.user.email] and "Kooperationsbörse" in received.subject
    assert f"/de/my/events/{event.slug}/meetings/" in received.body
    assert declined.to == [a.user.email] and "Matchmaking" in declined.subject
    assert "/en/my/events/" in declined.body
