"""The agenda grid: moving, locking and unplacing meetings by hand, and the scheduler pages."""

import pytest
from django.urls import reverse
from factories import InterpreterFactory

from orga.conftest import login
from orga.scheduling_world import accepted, participants, slots, tiny_event
from qiao.core.errors import TransitionError
from qiao.meetings import services, services_plan
from qiao.meetings.models import Meeting, MeetingStatus, RunStatus, SchedulingRun

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def event(organizer_a):
    return tiny_event(organizer_a, slug="grid-2031")


@pytest.fixture
def regs(event):
    return participants(event, 4)


def url(name, event, *args):
    return reverse(f"orga:{name}", args=["jinan-office", event.slug, *args])


# Services ------------------------------------------------------------------------------------


def test_moving_checks_availability_busy_sides_and_tables(event, regs):
    a, b, c, d = regs
    first, second = accepted(event, a, b), accepted(event, c, d)
    s1, s2, _s3, s4 = slots(event)
    services_plan.move_meeting(first, s1, None, table=1)
    first.refresh_from_db()
    assert (first.slot_id, first.table, first.is_locked) == (s1.pk, 1, True)
    with pytest.raises(TransitionError) as info:
        services_plan.move_meeting(second, s1, None, table=1)
    assert info.value.code == "table_taken"
    with pytest.raises(TransitionError) as info:
        services_plan.move_meeting(second, s1, None, table=3)
    assert info.value.code == "table"
    third = accepted(event, a, c)
    with pytest.raises(TransitionError) as info:
        services_plan.move_meeting(third, s1, None)
    assert info.value.code == "busy" and a.organization.display_name in info.value.messages[0]
    services.set_availability(d, d.user, "hours",
                              start_time=s4.starts_at.astimezone(event.tzinfo).time(),
                              end_time=s4.ends_at.astimezone(event.tzinfo).time())
    with pytest.raises(TransitionError) as info:
        services_plan.move_meeting(second, s2, None)
    assert info.value.code == "unavailable"
    with pytest.raises(TransitionError) as info:
        services_plan.move_meeting(second, s4, None, online=True)
    assert info.value.code == "not_remote"
    services_plan.move_meeting(second, s4, None, lock=False)
    second.refresh_from_db()
    assert (second.slot_id, second.table, second.is_locked) == (s4.pk, 1, False)


def test_interpreters_are_required_chosen_and_checked(event):
    german = participants(event, 1, languages=("de",))[0]
    chinese, chinese2 = participants(event, 2, languages=("zh",), country="CN")
    meeting = accepted(event, german, chinese)
    s1, s2, *_rest = slots(event)
    with pytest.raises(TransitionError) as info:
        services_plan.move_meeting(meeting, s1, None)
    assert info.value.code == "interpreter_needed"
    interpreter = InterpreterFactory(event=event, languages=["de", "zh"])
    interpreter.available_slots.set([s1])
    english_only = InterpreterFactory(event=event, languages=["en", "fr"])
    english_only.available_slots.set([s1, s2])
    with pytest.raises(TransitionError) as info:
        services_plan.move_meeting(meeting, s1, None, interpreter=english_only)
    assert info.value.code == "interpreter_unsuitable"
    services_plan.move_meeting(meeting, s1, None)
    meeting.refresh_from_db()
    assert meeting.interpreter == interpreter
    with pytest.raises(TransitionError) as info:  # only interpreter of s1 is busy now
        services_plan.move_meeting(accepted(event, german, chinese2), s2, None)
    assert info.value.code in ("interpreter_needed", "busy")
    peers = participants(event, 2)
    with pytest.raises(TransitionError) as info:
        services_plan.move_meeting(accepted(event, *peers), s2, None, interpreter=interpreter)
    assert info.value.code == "interpreter_not_needed"


def test_swapping_two_meetings_checks_both_new_places(event, regs):
    a, b, c, d = regs
    first, second, third = accepted(event, a, b), accepted(event, c, d), accepted(event, a, c)
    s1, s2, s3, s4 = slots(event)
    services_plan.move_meeting(first, s1, None, table=1, lock=False)
    services_plan.move_meeting(second, s2, None, table=2, lock=False)
    services_plan.swap_meetings(first, second, None)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.slot_id, first.table, first.is_locked) == (s2.pk, 2, True)
    assert (second.slot_id, second.table, second.is_locked) == (s1.pk, 1, True)
    # c (of the third meeting) is busy in s1 with the second meeting: swapping the third
    # meeting (in s4) with the first (in s2) works, with the second (in s1) it cannot.
    services_plan.move_meeting(third, s4, None, table=1)
    services.set_availability(d, d.user, "hours",
                              start_time=s1.starts_at.astimezone(event.tzinfo).time(),
                              end_time=s3.ends_at.astimezone(event.tzinfo).time())
    with pytest.raises(TransitionError) as info:
        services_plan.swap_meetings(second, third, None)  # d cannot attend s4
    assert info.value.code == "unavailable"
    second.refresh_from_db()
    third.refresh_from_db()
    assert (second.slot_id, third.slot_id) == (s1.pk, s4.pk)  # nothing changed
    unplaced = accepted(event, b, d)
    with pytest.raises(TransitionError):
        services_plan.swap_meetings(first, unplaced, None)


def test_candidate_places_name_the_reason_for_each_slot(event, regs):
    a, b, c, _d = regs
    busy = accepted(event, a, c)
    services_plan.move_meeting(busy, slots(event)[0], None)
    meeting = accepted(event, a, b)
    places = services_plan.candidate_places(meeting)
    assert [p["ok"] for p in places] == [False, True, True, True]
    assert str(places[0]["reason"]) == "already has a meeting"
    assert places[1]["free_tables"] == [1, 2]


def test_moves_after_publication_tell_both_sides(event, regs, mailoutbox,
                                                 django_capture_on_commit_callbacks):
    from qiao.meetings import services_orga

    a, b, *_ = regs
    meeting = accepted(event, a, b)
    services_plan.move_meeting(meeting, slots(event)[0], None)
    services_orga.publish_agenda(event, None)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services_plan.move_meeting(meeting, slots(event)[2], None, table=2)
    assert sorted(m.to[0] for m in mailoutbox) == sorted([a.user.email, b.user.email])
    assert "table 2" in mailoutbox[0].body


# Pages ---------------------------------------------------------------------------------------


def test_grid_shows_tables_online_column_and_unplaced_with_reasons(client, staff_a, event, regs):
    a, b, c, d = regs
    placed = accepted(event, a, b)
    services_plan.move_meeting(placed, slots(event)[1], None, table=2)
    waiting = accepted(event, c, d)
    login(client, staff_a)
    page = client.get(url("scheduling_plan", event))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Table 2" in html and "Online" in html and "Unplaced" in html
    # The online column comes first: with many tables it would lie beyond the right edge.
    assert html.index(">Online</th>") < html.index(">Table 1</th>")
    assert f'data-meeting="{placed.pk}"' in html and f'data-meeting="{waiting.pk}"' in html
    assert "1 of 2 accepted meetings are scheduled" in html
    # The slot column names the event's zone with its offset on that day, not its ID.
    assert "Slot, Berlin time (UTC+2)" in html and "Europe/Berlin" not in html


@pytest.mark.parametrize(("zone", "second_line"), [
    ("Europe/Vienna", False),  # another zone, the event's clock: nothing to add
    ("Asia/Shanghai", True),
])
def test_grid_adds_the_viewers_time_only_when_their_clock_differs(
        client, staff_a, event, regs, zone, second_line):
    staff_a.timezone = zone
    staff_a.save()
    login(client, staff_a)
    html = client.get(url("scheduling_plan", event)).content.decode()
    assert "Slot, Berlin time (UTC+2)" in html
    assert ("your time" in html) is second_line


def test_drag_and_drop_moves_and_refusals_come_back_in_the_grid(client, staff_a, event, regs):
    a, b, c, d = regs
    first, second = accepted(event, a, b), accepted(event, c, d)
    s1, s2, *_ = slots(event)
    login(client, staff_a)
    response = client.post(url("scheduling_meeting_move", event, first.pk),
                           {"slot": s1.pk, "table": "1", "day": "2031-06-12"}, **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="plan"' in html and "moved and locked" in html
    first.refresh_from_db()
    assert (first.slot_id, first.table, first.is_locked) == (s1.pk, 1, True)
    response = client.post(url("scheduling_meeting_move", event, second.pk),
                           {"slot": s1.pk, "table": "1"}, **HTMX)
    assert "Table 1 is already taken in this slot." in response.content.decode()
    second.refresh_from_db()
    assert second.status == MeetingStatus.UNSCHEDULED
    # Without HTMX the grid page is shown again with the message.
    response = client.post(url("scheduling_meeting_move", event, second.pk),
                           {"slot": s2.pk, "table": ""})
    assert response.status_code == 302
    second.refresh_from_db()
    assert second.slot_id == s2.pk
    response = client.post(url("scheduling_meeting_swap", event, first.pk),
                           {"other": second.pk, "day": "2031-06-12"}, **HTMX)
    assert "swapped places" in response.content.decode()
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.slot_id, second.slot_id, second.table) == (s2.pk, s1.pk, 1)
    response = client.post(url("scheduling_meeting_swap", event, first.pk), {"other": "x"},
                           **HTMX)
    assert "Choose two meetings of this event." in response.content.decode()
    response = client.post(url("scheduling_meeting_lock", event, first.pk), {"lock": "0"},
                           **HTMX)
    first.refresh_from_db()
    assert not first.is_locked and "unlocked" in response.content.decode()
    response = client.post(url("scheduling_meeting_unplace", event, first.pk), **HTMX)
    first.refresh_from_db()
    assert first.status == MeetingStatus.UNSCHEDULED
    response = client.post(url("scheduling_meeting_lock", event, first.pk), {"lock": "1"},
                           **HTMX)
    assert "Only a scheduled meeting can be locked." in response.content.decode()


def test_meeting_page_places_with_the_form(client, staff_a, event, regs):
    a, b, *_ = regs
    meeting = accepted(event, a, b)
    login(client, staff_a)
    page = client.get(url("scheduling_meeting", event, meeting.pk))
    assert page.status_code == 200 and "Where it fits" in page.content.decode()
    s3 = slots(event)[2]
    response = client.post(url("scheduling_meeting", event, meeting.pk),
                           {"slot": s3.pk, "table": "online", "lock": "on"})
    assert response.status_code == 200
    assert "takes place at a table" in response.content.decode()
    response = client.post(url("scheduling_meeting", event, meeting.pk),
                           {"slot": s3.pk, "table": "2", "lock": "on"})
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert (meeting.slot_id, meeting.table) == (s3.pk, 2)
    # "Place here" posts only the slot: the lowest free table is taken.
    page = client.get(url("scheduling_meeting", event, meeting.pk)).content.decode()
    assert page.count("Place here") == 3
    s1 = slots(event)[0]
    client.post(url("scheduling_meeting", event, meeting.pk), {"slot": s1.pk, "lock": "on"})
    meeting.refresh_from_db()
    assert (meeting.slot_id, meeting.table, meeting.is_locked) == (s1.pk, 1, True)


def test_run_pages_poll_until_finished_then_apply(client, staff_a, event, regs,
                                                  django_capture_on_commit_callbacks):
    a, b, c, d = regs
    for x, y in [(a, b), (c, d), (a, c)]:
        accepted(event, x, y)
    login(client, staff_a)
    response = client.post(url("scheduling_run_start", event), {"time_limit": "10",
                                                                "keep_current": "on"})
    run = SchedulingRun.objects.get(event=event)
    assert response.status_code == 302 and response["Location"].endswith(f"/runs/{run.pk}/")
    fragment = client.get(url("scheduling_run_status", event, run.pk)).content.decode()
    assert 'hx-trigger="every 2s"' in fragment
    # A second run is refused while this one waits.
    client.post(url("scheduling_run_start", event), {"time_limit": "10"})
    assert SchedulingRun.objects.filter(event=event).count() == 1
    run.time_limit = 2
    run.save()
    from qiao.meetings.tasks import run_scheduler

    run_scheduler.call(run_id=run.pk)
    run.refresh_from_db()
    assert run.status == RunStatus.FINISHED
    fragment = client.get(url("scheduling_run_status", event, run.pk)).content.decode()
    assert "hx-trigger" not in fragment
    assert "3 / 3" in fragment and "Apply this schedule" in fragment
    assert client.get(url("scheduling_run", event, run.pk)).status_code == 200
    response = client.post(url("scheduling_run_apply", event, run.pk))
    assert response.status_code == 302 and "/plan/" in response["Location"]
    assert Meeting.objects.filter(event=event, status=MeetingStatus.SCHEDULED).count() == 3
    overview = client.get(url("scheduling", event)).content.decode()
    assert "3 of 3 placed" in overview


def test_another_events_meeting_is_not_found(client, staff_a, event, regs, organizer_a):
    other = tiny_event(organizer_a, slug="other-2031")
    x, y = participants(other, 2)
    foreign = accepted(other, x, y)
    login(client, staff_a)
    assert client.get(url("scheduling_meeting", event, foreign.pk)).status_code == 404
    response = client.post(url("scheduling_meeting_move", event, foreign.pk),
                           {"slot": slots(other)[0].pk, "table": "1"})
    assert response.status_code == 404
    a, b, *_ = regs
    mine = accepted(event, a, b)
    response = client.post(url("scheduling_meeting_move", event, mine.pk),
                           {"slot": slots(other)[0].pk, "table": "1"}, **HTMX)
    assert "another event" in response.content.decode()


def test_organisers_cancel_a_meeting_for_both_sides(client, staff_a, event, regs, mailoutbox,
                                                     django_capture_on_commit_callbacks):
    a, b, *_ = regs
    meeting = accepted(event, a, b)
    services_plan.move_meeting(meeting, slots(event)[0], None)
    login(client, staff_a)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("scheduling_meeting_cancel", event, meeting.pk),
                               {"reason": "Flug gestrichen"})
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.CANCELLED and meeting.slot_id is None
    assert sorted(m.to[0] for m in mailoutbox) == sorted([a.user.email, b.user.email])
    # A cancelled meeting has no page in the grid any more.
    assert client.get(url("scheduling_meeting", event, meeting.pk)).status_code == 404


@pytest.mark.parametrize("language,locked,expected,absent", [
    ("en", 0, None, "locked meetings kept"),
    ("de", 0, None, "Zeitfenster behalten"),
    ("en", 1, "1 locked meeting kept its slot.", "1 locked meetings"),
    ("de", 1, "1 fixiertes Gespräch hat sein Zeitfenster behalten.", "1 fixierte Gespräche"),
    ("de", 3, "3 fixierte Gespräche haben ihre Zeitfenster behalten.", None),
    ("zh-hans", 3, "3场已锁定的洽谈保留了原时段。", None),
])
def test_run_summary_names_locked_meetings_only_when_there_are_some(
    client, staff_a, event, language, locked, expected, absent,
):
    from django.utils import translation

    run = SchedulingRun.objects.create(
        event=event, status=RunStatus.FINISHED, time_limit=10,
        summary={"requested": 3, "placed": 3, "weight": 3, "weight_total": 3, "breaks": 0,
                 "status": "optimal", "locked": locked, "moved": None, "dropped": 0},
    )
    login(client, staff_a)
    with translation.override(language):
        fragment = client.get(url("scheduling_run_status", event, run.pk)).content.decode()
    assert "3 / 3" in fragment
    if expected:
        assert expected in fragment
    if absent:
        assert absent not in fragment
    assert "0 locked" not in fragment and "0 fixierte" not in fragment


@pytest.mark.parametrize("language,label,level", [
    ("en", "Priority 3", "Very high"),
    ("de", "Priorität 3", "Sehr hoch"),
    ("zh-hans", "优先级3", "很高"),
])
def test_grid_cards_spell_out_the_priority(client, staff_a, event, regs, language, label, level):
    from django.utils import translation

    a, b, _c, _d = regs
    accepted(event, a, b, priority=3)
    login(client, staff_a)
    with translation.override(language):
        html = client.get(url("scheduling_plan", event)).content.decode()
    assert f'title="{level}">{label}</span>' in html
    assert ">P3<" not in html


@pytest.mark.parametrize("language,moved,expected", [
    ("de", 1, "1 von 4 eingeplanten Gesprächen würde verschoben."),
    ("de", 2, "2 von 4 eingeplanten Gesprächen würden verschoben."),
    ("zh-hans", 2, "4场已安排的洽谈中将有2场被移动。"),
])
def test_run_summary_moved_meetings_have_plural_forms(client, staff_a, event, language, moved,
                                                       expected):
    from django.utils import translation

    run = SchedulingRun.objects.create(
        event=event, status=RunStatus.FINISHED, time_limit=10,
        summary={"requested": 4, "placed": 4, "weight": 4, "weight_total": 4, "breaks": 0,
                 "status": "optimal", "locked": 0, "moved": moved, "previously_placed": 4,
                 "dropped": 0},
    )
    login(client, staff_a)
    with translation.override(language):
        fragment = client.get(url("scheduling_run_status", event, run.pk)).content.decode()
    assert expected in fragment


@pytest.mark.parametrize("language,counts,expected,absent", [
    ("en", {"placed": 1, "kept": 0, "unscheduled": 0},
     ["The schedule is applied: 1 meeting placed, 0 without a slot."], "locked"),
    ("de", {"placed": 1, "kept": 0, "unscheduled": 2},
     ["Der Plan wurde übernommen: 1 Gespräch eingeplant, 2 ohne Zeitfenster."], "fixiert"),
    ("de", {"placed": 3, "kept": 1, "unscheduled": 0, "notified": 1},
     ["Der Plan wurde übernommen: 3 Gespräche eingeplant, 0 ohne Zeitfenster.",
      "1 fixiertes Gespräch hat sein Zeitfenster behalten.",
      "1 verschobenes Gespräch wurde den Teilnehmenden mitgeteilt."], "1 fixierte "),
    ("zh-hans", {"placed": 3, "kept": 2, "unscheduled": 1},
     ["排程已应用：已安排3场洽谈，1场未分配时段。", "2场已锁定的洽谈保留了原时段。"], None),
])
def test_applying_a_run_reports_counts_with_plural_forms(client, staff_a, event, monkeypatch,
                                                         language, counts, expected, absent):
    from django.contrib.messages import get_messages
    from django.utils import translation

    from qiao.meetings import scheduling

    run = SchedulingRun.objects.create(event=event, status=RunStatus.FINISHED, time_limit=10,
                                       summary={"status": "optimal"})
    monkeypatch.setattr(scheduling, "apply_run", lambda run, user: dict(counts))
    login(client, staff_a)
    with translation.override(language):
        response = client.post(url("scheduling_run_apply", event, run.pk))
        texts = [str(m) for m in get_messages(response.wsgi_request)]
    assert texts == expected
    if absent:
        assert not any(absent in text for text in texts)
