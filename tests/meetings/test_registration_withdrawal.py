"""A cancelled or declined registration leaves no open requests or meetings behind."""

import pytest
from factories import UserFactory

from qiao.events.services import cancel_registration, reject_registration
from qiao.meetings import services
from qiao.meetings.models import (
    Meeting,
    MeetingRequestStatus,
    MeetingSeat,
    MeetingStatus,
    Slot,
)

pytestmark = pytest.mark.django_db


def test_cancelling_a_registration_cancels_its_meetings_and_requests(event, participants):
    a, b, c = participants
    accepted = services.send_meeting_request(event, a, b, a.user, "Hallo", 2)
    services.accept_meeting_request(accepted, b.user)
    meeting = Meeting.objects.get(request=accepted)
    services.place_meeting(meeting, Slot.objects.filter(event=event).first())
    pending = services.send_meeting_request(event, c, a, c.user, "你好", 1)
    assert MeetingSeat.objects.filter(meeting=meeting).count() == 2

    cancel_registration(a, a.user)

    meeting.refresh_from_db()
    pending.refresh_from_db()
    assert meeting.status == MeetingStatus.CANCELLED
    assert meeting.slot is None
    assert not MeetingSeat.objects.filter(meeting=meeting).exists()
    assert pending.status == MeetingRequestStatus.CANCELLED


def test_declining_an_approved_registration_frees_its_meetings(event, participants):
    a, b, _c = participants
    request = services.send_meeting_request(event, a, b, a.user, "Hallo", 1)
    services.accept_meeting_request(request, b.user)
    reject_registration(b, UserFactory(), "Capacity reached")
    assert Meeting.objects.get(request=request).status == MeetingStatus.CANCELLED


def test_no_requests_after_the_event(event, participants):
    import datetime

    from qiao.core.errors import TransitionError

    a, b, _c = participants
    event.start_date = event.end_date = datetime.date(2019, 6, 12)
    event.save()
    with pytest.raises(TransitionError):
        services.send_meeting_request(event, a, b, a.user, "Hallo", 1)
