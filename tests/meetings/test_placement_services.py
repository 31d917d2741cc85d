"""Slots, availability across time zones, placements and the double-booking guard."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from factories import InterpreterFactory, SessionFactory, event_time
from meetings.conftest import make_participant

from qiao.core.errors import TransitionError
from qiao.meetings import services
from qiao.meetings.models import Meeting, MeetingSeat, MeetingStatus, Slot

pytestmark = pytest.mark.django_db


def accepted(event, a, b):
    request = services.send_meeting_request(event, a, b, a.user)
    return services.accept_meeting_request(request, b.user)


def local_times(slots, tz):
    return [s.starts_at.astimezone(tz).strftime("%H:%M") for s in slots]


# Slots -----------------------------------------------------------------------------------

def test_generate_slots_cuts_sessions_into_meetings_with_pauses(event):
    slots = list(Slot.objects.filter(event=event).order_by("starts_at"))
    assert local_times(slots, event.tzinfo) == [
        "09:00", "09:30", "10:00", "10:30", "11:00", "11:30", "14:00", "14:30", "15:00", "15:30"
    ]
    assert all(s.ends_at - s.starts_at == datetime.timedelta(minutes=25) for s in slots)
    assert {s.tables for s in slots} == {2}


def test_generate_slots_is_idempotent_and_keeps_slots_with_meetings(event, participants):
    a, b, _c = participants
    before = set(Slot.objects.values_list("pk", flat=True))
    changes = services.generate_slots(event)
    assert (changes.created, changes.updated, changes.deleted) == (0, 0, 0)
    assert set(Slot.objects.values_list("pk", flat=True)) == before
    meeting = accepted(event, a, b)
    afternoon_slot = Slot.objects.get(event=event, starts_at=event_time(event, 15, 30))
    services.place_meeting(meeting, afternoon_slot)
    # The organiser shortens the afternoon and makes meetings longer.
    config = services.settings_for(event)
    config.slot_minutes = 40
    config.save()
    event.meeting_sessions.filter(starts_at=event_time(event, 14)).update(
        ends_at=event_time(event, 15))
    changes = services.generate_slots(event)
    assert changes.kept == 1
    slots = list(Slot.objects.filter(event=event).order_by("starts_at"))
    assert local_times(slots, event.tzinfo) == ["09:00", "09:45", "10:30", "11:15", "14:00",
                                                "15:30"]
    assert Slot.objects.get(pk=afternoon_slot.pk).meetings.get() == meeting


# Availability ----------------------------------------------------------------------------

def test_remote_working_hours_in_shanghai_map_to_dresden_morning_slots(event):
    remote = make_participant(event, attendance="remote", country="CN", languages=("zh", "en"))
    slots = services.set_availability(
        remote, remote.user, "hours", start_time=datetime.time(9), end_time=datetime.time(17),
        timezone="Asia/Shanghai",
    )
    # 09:00–17:00 in Shanghai (UTC+8) is 03:00–11:00 in Dresden (CEST, UTC+2): only the morning
    # slots that end by 11:00 fit.
    assert local_times(slots, event.tzinfo) == ["09:00", "09:30", "10:00", "10:30"]
    available = services.availability_map(event)[remote.pk]
    assert available == {s.pk for s in slots}


def test_winter_event_has_the_seven_hour_gap(db):
    from factories import EventFactory, MatchmakingSettingsFactory

    winter = EventFactory(allows_meeting_requests=True, start_date=datetime.date(2031, 11, 20),
                          end_date=datetime.date(2031, 11, 20))
    MatchmakingSettingsFactory(event=winter, slot_minutes=30, pause_minutes=0)
    SessionFactory(event=winter, starts_at=event_time(winter, 8), ends_at=event_time(winter, 12))
    services.generate_slots(winter)
    remote = make_participant(winter, attendance="remote")
    slots = services.set_availability(remote, remote.user, "hours", start_time=datetime.time(9),
                                      end_time=datetime.time(17), timezone="Asia/Shanghai")
    assert local_times(slots, winter.tzinfo) == ["08:00", "08:30", "09:00", "09:30"]


def test_days_mode_and_whole_event(event):
    p = make_participant(event)
    assert len(services.availability_map(event)[p.pk]) == 10  # no statement: every slot
    slots = services.set_availability(p, p.user, "days", days=[event.start_date])
    assert len(slots) == 10
    with pytest.raises(Exception) as info:
        services.set_availability(p, p.user, "days", days=[])
    assert "days" in info.value.message_dict
    with pytest.raises(Exception) as info:
        services.set_availability(p, p.user, "days", days=["2031-01-01"])
    assert "days" in info.value.message_dict
    with pytest.raises(Exception) as info:
        services.set_availability(p, p.user, "hours", start_time=datetime.time(12),
                                  end_time=datetime.time(9))
    assert "end_time" in info.value.message_dict
    assert len(services.set_availability(p, p.user, "all")) == 10


def test_availability_cannot_drop_a_slot_with_a_meeting(event, participants):
    a, b, _c = participants
    meeting = accepted(event, a, b)
    services.place_meeting(meeting, Slot.objects.get(starts_at=event_time(event, 14)))
    with pytest.raises(TransitionError) as info:
        services.set_availability(a, a.user, "hours", start_time=datetime.time(9),
                                  end_time=datetime.time(12))
    assert info.value.code == "booked"


def test_new_slots_follow_the_stated_hours(event):
    p = make_participant(event)
    services.set_availability(p, p.user, "hours", start_time=datetime.time(14),
                              end_time=datetime.time(18))
    SessionFactory(event=event, starts_at=event_time(event, 16), ends_at=event_time(event, 17))
    services.generate_slots(event)
    available = Slot.objects.filter(pk__in=services.availability_map(event)[p.pk])
    assert local_times(available.order_by("starts_at"), event.tzinfo) == [
        "14:00", "14:30", "15:00", "15:30", "16:00", "16:30"]


# Placement -------------------------------------------------------------------------------

def test_place_takes_the_lowest_free_table_and_refuses_when_full(event, participants):
    a, b, c = participants
    d = make_participant(event)
    e = make_participant(event)
    slot = Slot.objects.filter(event=event).order_by("starts_at").first()
    first = services.place_meeting(accepted(event, a, b), slot)
    second = services.place_meeting(accepted(event, c, d), slot)
    assert (first.table, second.table) == (1, 2)
    with pytest.raises(TransitionError) as info:
        services.place_meeting(accepted(event, e, make_participant(event)), slot)
    assert info.value.code == "no_table"


def test_place_refuses_a_double_booked_participant_and_a_taken_table(event, participants):
    a, b, c = participants
    slot = Slot.objects.filter(event=event).order_by("starts_at").first()
    services.place_meeting(accepted(event, a, b), slot, table=1)
    with pytest.raises(TransitionError) as info:
        services.place_meeting(accepted(event, a, c), slot)
    assert info.value.code == "booked"
    with pytest.raises(TransitionError) as info:
        services.place_meeting(accepted(event, c, make_participant(event)), slot, table=1)
    assert info.value.code == "booked"
    with pytest.raises(TransitionError) as info:
        services.place_meeting(accepted(event, make_participant(event),
                                        make_participant(event)), slot, table=3)
    assert info.value.code == "table"
    assert MeetingSeat.objects.filter(slot=slot).count() == 2


def test_the_database_itself_refuses_a_second_seat(event, participants):
    a, b, _c = participants
    slot = Slot.objects.filter(event=event).first()
    meeting = services.place_meeting(accepted(event, a, b), slot)
    with pytest.raises(IntegrityError), transaction.atomic():
        MeetingSeat.objects.create(meeting=meeting, slot=slot, registration=a)
    with pytest.raises(IntegrityError), transaction.atomic():
        Meeting.objects.filter(pk=meeting.pk).update(status="unscheduled")


def test_place_refuses_unavailable_participants_and_cancelled_meetings(event, participants):
    a, b, _c = participants
    services.set_availability(b, b.user, "hours", start_time=datetime.time(14),
                              end_time=datetime.time(16))
    meeting = accepted(event, a, b)
    morning = Slot.objects.filter(event=event).order_by("starts_at").first()
    with pytest.raises(TransitionError) as info:
        services.place_meeting(meeting, morning)
    assert info.value.code == "unavailable"
    services.cancel_meeting(meeting, a.user, side=a)
    with pytest.raises(TransitionError):
        services.place_meeting(meeting, Slot.objects.get(starts_at=event_time(event, 14)))


def test_interpreters_are_checked_and_booked_once_per_slot(event, participants):
    a, b, c = participants  # c speaks zh/en, a de/en
    german = make_participant(event, languages=("de",))
    chinese = make_participant(event, languages=("zh",), country="CN")
    slot = Slot.objects.filter(event=event).order_by("starts_at").first()
    interpreter = InterpreterFactory(event=event, languages=["de", "zh"])
    with pytest.raises(TransitionError) as info:
        services.place_meeting(accepted(event, german, chinese), slot, interpreter=interpreter)
    assert info.value.code == "interpreter_unavailable"
    interpreter.available_slots.add(slot)
    meeting = Meeting.objects.get(request__requester=german)
    services.place_meeting(meeting, slot, interpreter=interpreter)
    assert MeetingSeat.objects.filter(interpreter=interpreter, slot=slot).count() == 1
    other = accepted(event, make_participant(event, languages=("de",)),
                     make_participant(event, languages=("zh",)))
    with pytest.raises(TransitionError) as info:
        services.place_meeting(other, slot, interpreter=interpreter)
    assert info.value.code == "booked"
    english = InterpreterFactory(event=event, languages=["en", "fr"])
    english.available_slots.add(slot)
    with pytest.raises(TransitionError) as info:
        services.place_meeting(other, slot, interpreter=english)
    assert info.value.code == "interpreter_languages"


def test_moving_unplacing_and_locking(event, participants):
    a, b, _c = participants
    slots = list(Slot.objects.filter(event=event).order_by("starts_at"))
    meeting = services.place_meeting(accepted(event, a, b), slots[0], locked=True)
    assert meeting.is_locked
    services.place_meeting(meeting, slots[1])
    assert MeetingSeat.objects.filter(slot=slots[1]).count() == 2
    assert not MeetingSeat.objects.filter(slot=slots[0]).exists()
    assert Meeting.objects.get(pk=meeting.pk).is_locked  # moving keeps the lock
    services.unlock_meeting(meeting)
    services.unplace_meeting(meeting)
    assert meeting.status == MeetingStatus.UNSCHEDULED and not MeetingSeat.objects.exists()
    with pytest.raises(TransitionError):
        services.unplace_meeting(meeting)
    with pytest.raises(TransitionError):
        services.lock_meeting(meeting)
