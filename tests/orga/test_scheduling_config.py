"""Organisers configure matchmaking: settings, sessions, interpreters, phases, publication."""

import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from factories import UserFactory, event_time

from orga.conftest import login
from orga.scheduling_world import accepted, participants, slots, tiny_event
from qiao.core.errors import TransitionError
from qiao.meetings import services, services_orga, services_plan
from qiao.meetings.models import Interpreter, MeetingSeat, MeetingStatus, Phase, Session, Slot

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(organizer_a):
    return tiny_event(organizer_a, slug="jinan-dresden-2031")


def local(event, slot_list):
    return [s.starts_at.astimezone(event.tzinfo).strftime("%H:%M") for s in slot_list]


# Sessions and the slot grid ------------------------------------------------------------------


def test_a_new_session_creates_its_slots(event):
    session, changes = services_orga.save_session(
        event, None, name={"en": "Afternoon", "zh-hans": "下午"},
        starts_at=event_time(event, 14), ends_at=event_time(event, 15), tables=5)
    assert changes.created == 2
    afternoon = Slot.objects.filter(session=session).order_by("starts_at")
    assert local(event, afternoon) == ["14:00", "14:30"]
    assert {s.tables for s in afternoon} == {5}


@pytest.mark.parametrize("start,end", [(10, 12), (8, 9.5), (9.5, 10)])
def test_overlapping_sessions_are_refused(event, start, end):
    def at(hour):
        return event_time(event, int(hour), int(hour % 1 * 60))

    with pytest.raises(ValidationError) as info:
        services_orga.save_session(event, None, name={"en": "Clash"}, starts_at=at(start),
                                   ends_at=at(end))
    assert "overlaps" in str(info.value)
    assert Session.objects.filter(event=event).count() == 1


def test_sessions_outside_the_event_or_too_short_are_refused(event):
    next_day = event_time(event, 9, day=1)
    with pytest.raises(ValidationError):
        services_orga.save_session(event, None, name={"en": "Late"}, starts_at=next_day,
                                   ends_at=next_day + datetime.timedelta(hours=1))
    with pytest.raises(ValidationError):
        services_orga.save_session(event, None, name={"en": "Short"},
                                   starts_at=event_time(event, 14),
                                   ends_at=event_time(event, 14, 20))
    with pytest.raises(ValidationError):
        services_orga.save_session(event, None, name={}, starts_at=event_time(event, 14),
                                   ends_at=event_time(event, 15))


def test_regenerating_never_drops_a_slot_that_holds_a_meeting(event):
    a, b = participants(event, 2)
    meeting = accepted(event, a, b)
    last = slots(event)[-1]
    services_plan.move_meeting(meeting, last, None, table=2)
    session = Session.objects.get(event=event)
    # Shortening the session would remove the last slot: refused, nothing changes.
    with pytest.raises(TransitionError) as info:
        services_orga.save_session(event, None, session=session, name=session.name,
                                   starts_at=session.starts_at,
                                   ends_at=session.ends_at - datetime.timedelta(minutes=30))
    assert info.value.code == "stranded"
    session.refresh_from_db()
    assert len(slots(event)) == 4
    # Fewer tables than the meeting's table number: refused as well.
    with pytest.raises(TransitionError):
        services_orga.save_session(event, None, session=session, name=session.name,
                                   starts_at=session.starts_at, ends_at=session.ends_at,
                                   tables=1)
    with pytest.raises(TransitionError):
        services_orga.save_matchmaking_settings(event, None, slot_minutes=40)
    with pytest.raises(TransitionError):
        services_orga.delete_session(session, None)
    # Lengthening keeps every slot (and the meeting) and adds one.
    _session, changes = services_orga.save_session(
        event, None, session=session, name=session.name, starts_at=session.starts_at,
        ends_at=session.ends_at + datetime.timedelta(minutes=30))
    assert (changes.created, changes.deleted) == (1, 0)
    meeting.refresh_from_db()
    assert meeting.slot_id == last.pk
    # Once the meeting is out of the way the grid may change freely.
    services_plan.unplace_meeting(meeting, None)
    changes = services_orga.save_matchmaking_settings(event, None, slot_minutes=40,
                                                      pause_minutes=5)
    assert local(event, slots(event)) == ["09:00", "09:45", "10:30"]
    services_orga.delete_session(Session.objects.get(event=event), None)
    assert not Slot.objects.filter(event=event).exists()


def test_settings_are_validated(event):
    with pytest.raises(ValidationError):
        services_orga.save_matchmaking_settings(event, None, slot_minutes=2)
    with pytest.raises(ValidationError):
        services_orga.save_matchmaking_settings(event, None,
                                                video_link_template="ftp://example.org/{token}")
    services_orga.save_matchmaking_settings(
        event, None, video_link_template="https://meet.jit.si/qiao-{event}-{token}",
        remote_meetings=True, max_meetings=12)
    config = services.settings_for(event)
    config.refresh_from_db()
    assert config.max_meetings == 12


# Interpreters --------------------------------------------------------------------------------


def test_interpreters_need_two_languages_and_keep_slots_they_serve(event):
    with pytest.raises(ValidationError):
        services_orga.save_interpreter(event, None, name="Wang Fang", languages=["zh"],
                                       slots=[])
    all_slots = slots(event)
    interpreter = services_orga.save_interpreter(event, None, name="Wang Fang",
                                                 languages=["de", "zh"], slots=all_slots)
    assert set(interpreter.available_slots.all()) == set(all_slots)
    german = participants(event, 1, languages=("de",))[0]
    chinese = participants(event, 1, languages=("zh",), country="CN")[0]
    meeting = accepted(event, german, chinese)
    services_plan.move_meeting(meeting, all_slots[0], None)
    meeting.refresh_from_db()
    assert meeting.interpreter == interpreter
    with pytest.raises(ValidationError):
        services_orga.save_interpreter(event, None, interpreter=interpreter, name="Wang Fang",
                                       languages=["de", "zh"], slots=all_slots[1:])
    with pytest.raises(ValidationError):
        services_orga.save_interpreter(event, None, interpreter=interpreter, name="Wang Fang",
                                       languages=["en", "zh"], slots=all_slots)
    with pytest.raises(TransitionError):
        services_orga.delete_interpreter(interpreter, None)
    services_plan.unplace_meeting(meeting, None)
    services_orga.delete_interpreter(interpreter, None)
    assert not Interpreter.objects.filter(event=event).exists()


def test_interpreters_of_a_whole_session_keep_it_when_it_grows(event):
    session = Session.objects.get(event=event)
    whole = services_orga.save_interpreter(event, None, name="Wang Fang", languages=["de", "zh"],
                                           slots=slots(event))
    partial = services_orga.save_interpreter(event, None, name="Li Na", languages=["de", "zh"],
                                             slots=slots(event)[:2])
    services_orga.save_session(event, None, session=session, name=session.name,
                               starts_at=session.starts_at,
                               ends_at=session.ends_at + datetime.timedelta(hours=1))
    assert whole.available_slots.count() == 6
    assert partial.available_slots.count() == 2


# Phases and publication ----------------------------------------------------------------------


def test_phases_follow_the_allowed_transitions(event):
    assert services_orga.change_phase(event, None, Phase.SCHEDULING).phase == Phase.SCHEDULING
    with pytest.raises(TransitionError):
        services_orga.change_phase(event, None, Phase.LIVE)
    assert services_orga.change_phase(event, None, Phase.REQUESTS_OPEN).phase == "requests_open"


def test_publishing_mails_everyone_and_later_requests_are_placed_at_once(
        event, mailoutbox, django_capture_on_commit_callbacks):
    a, b, c, d = participants(event, 4)
    c.user.preferred_language = "zh-hans"
    c.user.save()
    meeting = accepted(event, a, b)
    services_plan.move_meeting(meeting, slots(event)[0], None)
    services_orga.change_phase(event, None, Phase.SCHEDULING)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services_orga.publish_agenda(event, None)
    assert len(mailoutbox) == 4
    assert {m.to[0] for m in mailoutbox} == {r.user.email for r in (a, b, c, d)}
    mail_a = next(m for m in mailoutbox if m.to[0] == a.user.email)
    assert b.organization.display_name in mail_a.body
    assert f"/en/my/events/{event.slug}/agenda/" in mail_a.body
    assert mail_a.attachments[0][2] == "application/pdf"
    mail_c = next(m for m in mailoutbox if m.to[0] == c.user.email)
    assert f"/zh-hans/my/events/{event.slug}/agenda/" in mail_c.body
    config = services.settings_for(event)
    config.refresh_from_db()
    assert config.phase == Phase.PUBLISHED and config.agenda_published_at
    with pytest.raises(TransitionError):
        services_orga.publish_agenda(event, None)
    # After publication an accepted request is placed at once into a compatible free slot…
    later = accepted(event, c, d)
    later.refresh_from_db()
    assert later.status == MeetingStatus.SCHEDULED and later.slot_id
    assert MeetingSeat.objects.filter(meeting=later).count() == 2
    # … and a cancellation frees it.
    services.cancel_meeting(later, c.user, side=c)
    assert not MeetingSeat.objects.filter(meeting=later).exists()
    assert services_orga.change_phase(event, None, Phase.LIVE).phase == Phase.LIVE
    assert services_orga.change_phase(event, None, Phase.PUBLISHED).phase == Phase.PUBLISHED


# Pages ---------------------------------------------------------------------------------------


def _url(name, event, *args):
    organizer = event.organizer_links.get().organizer
    return reverse(f"orga:{name}", args=[organizer.slug, event.slug, *args])


def test_overview_and_forms_for_staff(client, staff_a, event):
    login(client, staff_a)
    page = client.get(_url("scheduling", event))
    assert page.status_code == 200
    assert "Morning" in page.content.decode()
    response = client.post(_url("scheduling_session_add", event), {
        "name_en": "Afternoon", "name_zh-hans": "下午", "day": "2031-06-12",
        "start_time": "14:00", "end_time": "15:00", "tables": "3"})
    assert response.status_code == 302
    assert Session.objects.filter(event=event).count() == 2
    clash = client.post(_url("scheduling_session_add", event), {
        "name_en": "Clash", "day": "2031-06-12", "start_time": "10:00", "end_time": "11:00"})
    assert clash.status_code == 200 and "overlaps" in clash.content.decode()
    response = client.post(_url("scheduling_settings", event), {
        "slot_minutes": "20", "pause_minutes": "10", "default_tables": "2",
        "remote_meetings": "on", "video_link_template": "", "max_requests_sent": "30",
        "max_meetings": ""})
    assert response.status_code == 302
    assert services.settings_for(event).__class__.objects.get(event=event).slot_minutes == 20
    response = client.post(_url("scheduling_interpreter_add", event), {
        "name": "Li Na", "languages": ["de", "zh"],
        "sessions": [Session.objects.filter(event=event).first().pk]})
    assert response.status_code == 302
    interpreter = Interpreter.objects.get(event=event)
    assert interpreter.available_slots.count() == Slot.objects.filter(
        session=Session.objects.filter(event=event).first()).count()
    assert client.get(_url("scheduling_interpreter_edit", event, interpreter.pk)).status_code == 200
    response = client.post(_url("scheduling_phase", event), {"phase": "scheduling"})
    assert response.status_code == 302
    response = client.post(_url("scheduling_publish", event))
    assert services.settings_for(event).__class__.objects.get(event=event).phase == "published"


@pytest.mark.parametrize("language,labels", [
    ("de", ["30 Sekunden", "1 Minute", "10 Minuten"]),
    ("zh-hans", ["30秒", "1分钟", "10分钟"]),
    ("en", ["30 seconds", "1 minute", "10 minutes"]),
])
def test_run_time_limits_are_shown_in_the_page_language(client, staff_a, event, language,
                                                        labels):
    login(client, staff_a)
    url = _url("scheduling", event).replace("/en/", f"/{language}/", 1)
    page = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    options = re.findall(r'<option value="\d+"[^>]*>([^<]+)</option>', page.content.decode())
    for label in labels:
        assert label in options


@pytest.mark.parametrize("language,expected", [
    ("de", "Donnerstag, 12. Juni 2031 09:00–09:25"),
    ("zh-hans", "2031年6月12日 星期四 09:00–09:25"),
    ("en", "Thursday, June 12, 2031 09:00–09:25"),
])
def test_slot_and_session_labels_write_the_day_in_the_page_language(event, language, expected):
    from qiao.orga.forms_scheduling import InterpreterForm, MoveForm

    with translation.override(language):
        interpreter_form = InterpreterForm(event=event)
        slot_labels = [label for _pk, label in interpreter_form.fields["slots"].choices]
        session_labels = [label for _pk, label in interpreter_form.fields["sessions"].choices]
        move_labels = [label for _pk, label in MoveForm(event=event).fields["slot"].choices]
    assert slot_labels[0] == expected
    assert move_labels[1] == expected  # after the empty choice
    assert session_labels[0].endswith(" · " + expected.replace("09:25", "11:00"))


def test_the_session_form_names_the_event_day_in_the_page_language(event):
    from qiao.orga.forms_scheduling import SessionForm

    with translation.override("de"):
        assert SessionForm(event=event).fields["day"].help_text == (
            "Die Veranstaltung findet am 12. Juni 2031 statt; alle Zeiten in Europe/Berlin.")
    event.end_date = event.start_date + datetime.timedelta(days=1)
    with translation.override("zh-hans"):
        assert SessionForm(event=event).fields["day"].help_text == (
            "活动时间为2031年6月12日至2031年6月13日，时间均按Europe/Berlin时区计。")


def test_other_organisers_staff_get_404(client, staff_b, event):
    a, b = participants(event, 2)
    meeting = accepted(event, a, b)
    session = Session.objects.get(event=event)
    login(client, staff_b)
    for name, args in [("scheduling", ()), ("scheduling_settings", ()),
                       ("scheduling_session_edit", (session.pk,)), ("scheduling_plan", ()),
                       ("scheduling_meeting", (meeting.pk,))]:
        assert client.get(_url(name, event, *args)).status_code == 404, name
    for name, args in [("scheduling_session_delete", (session.pk,)), ("scheduling_publish", ()),
                       ("scheduling_run_start", ()),
                       ("scheduling_meeting_unplace", (meeting.pk,))]:
        assert client.post(_url(name, event, *args)).status_code == 404, name
    # Even with their own organiser's slug in the address.
    url = reverse("orga:scheduling", args=["stuttgart-centre", event.slug])
    assert client.get(url).status_code == 404
    assert Session.objects.filter(event=event).exists()
    assert UserFactory  # keep the import for readers: participants are plain users
