"""Participants' matchmaking pages: who may open them, what they show, what they change."""

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation
from factories import MembershipFactory, PublishedProfileFactory, UserFactory
from meetings.conftest import make_participant

from qiao.events.models import Registration
from qiao.meetings import services
from qiao.meetings.models import AvailabilityRule, MeetingRequest, MeetingStatus, Slot

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english_urls():
    """Build the URLs in English whatever language an earlier test left active."""
    with translation.override("en"):
        yield


def pages(event, other):
    return [
        reverse("portal:event_participation", args=[event.slug]),
        reverse("portal:event_participants", args=[event.slug]),
        reverse("portal:event_meetings", args=[event.slug]),
        reverse("portal:meeting_request_new", args=[event.slug, other.pk]),
    ]


def test_pages_for_owner_outsider_pending_and_anonymous(client, event, participants):
    a, b, _c = participants
    for url in pages(event, b):
        assert client.get(url).status_code == 302
        assert reverse("login") in client.get(url)["Location"]
    client.force_login(a.user)
    for url in pages(event, b):
        assert client.get(url).status_code == 200, url
    client.force_login(UserFactory())
    for url in pages(event, b):
        assert client.get(url).status_code == 404, url
    a.status = "pending"
    a.save()
    client.force_login(a.user)
    for url in pages(event, b):
        assert client.get(url).status_code == 404, url


def test_actions_of_another_organisation_answer_404(client, event, participants):
    a, b, c = participants
    request = services.send_meeting_request(event, a, b, a.user)
    client.force_login(c.user)
    for name in ("meeting_request_accept", "meeting_request_decline", "meeting_request_withdraw"):
        assert client.post(reverse(f"portal:{name}", args=[request.pk])).status_code == 404
    client.force_login(a.user)  # the requester may not answer their own request
    assert client.post(reverse("portal:meeting_request_accept",
                               args=[request.pk])).status_code == 404
    client.force_login(b.user)  # the recipient may not withdraw it
    assert client.post(reverse("portal:meeting_request_withdraw",
                               args=[request.pk])).status_code == 404
    meeting = services.accept_meeting_request(request, b.user)
    client.force_login(c.user)
    assert client.post(reverse("portal:meeting_cancel", args=[meeting.pk])).status_code == 404
    request.refresh_from_db()
    assert request.status == "accepted"


def test_participation_page_sets_remote_hours_in_the_participants_time_zone(
    client, event, participants
):
    a, _b, _c = participants
    client.force_login(a.user)
    url = reverse("portal:event_participation", args=[event.slug])
    response = client.post(url, {"attendance": "remote", "mode": "hours", "start_time": "09:00",
                                 "end_time": "17:00", "timezone": "Asia/Shanghai"})
    assert response.status_code == 302
    a.refresh_from_db()
    assert a.attendance == "remote"
    rule = AvailabilityRule.objects.get(registration=a)
    assert (rule.mode, rule.timezone) == ("hours", "Asia/Shanghai")
    assert len(services.availability_map(event)[a.pk]) == 4
    page = client.get(url)
    assert page.content.decode().count("slot--available") == 4
    assert page.context["form"].initial["timezone"] == "Asia/Shanghai"


def test_time_zones_on_the_participation_page_show_the_offsets_of_the_event_day(
    client, event, participants
):
    """A June event lists Berlin as UTC+02:00 even when the page is opened in winter."""
    a, _b, _c = participants
    client.force_login(a.user)
    page = client.get(reverse("portal:event_participation", args=[event.slug]))
    choices = dict(
        choice for _group, group in page.context["form"].fields["timezone"].choices
        for choice in group)
    assert choices["Europe/Berlin"] == "Europe/Berlin (UTC+02:00)"
    assert choices["Asia/Shanghai"] == "Asia/Shanghai (UTC+08:00)"
    assert choices["America/New_York"] == "America/New York (UTC-04:00)"


def test_participation_page_shows_form_errors(client, event, participants):
    a, _b, _c = participants
    client.force_login(a.user)
    url = reverse("portal:event_participation", args=[event.slug])
    response = client.post(url, {"attendance": "in_person", "mode": "hours",
                                 "start_time": "12:00", "end_time": "09:00"})
    assert response.status_code == 200
    assert response.context["form"].errors["end_time"]


@pytest.fixture
def directory(event, participants):
    a, b, c = participants
    b.organization.sectors = ["C26.51", "M72.1"]
    b.organization.kind = "research"
    b.organization.save()
    PublishedProfileFactory(organization=b.organization, title="Sensoren für Labordiagnostik",
                            keywords=["Biosensor"], cooperation=["research"])
    PublishedProfileFactory(organization=c.organization, title="寻找德国医疗器械经销商",
                            text="我们是济南的一家生物技术公司。", language="zh",
                            cooperation=["distribution"])
    return a, b, c


@pytest.mark.parametrize("query, expected", [
    ({"q": "Labordiagnostik"}, {"b"}),
    ({"q": "biosensor"}, {"b"}),
    ({"q": "医疗器械"}, {"c"}),
    ({"q": "生物技术"}, {"c"}),
    ({"q": "huakang"}, {"c"}),
    ({"q": "jinan hua kang"}, {"c"}),
    ({"country": "CN"}, {"c"}),
    ({"sector": "c26"}, {"b"}),
    ({"sector": "M72.1"}, {"b"}),
    ({"sector": "C27"}, set()),
    ({"kind": "research"}, {"b"}),
    ({"cooperation": "distribution"}, {"c"}),
    ({"language": "zh"}, {"c"}),
    ({"language": "de"}, {"b"}),
    ({}, {"b", "c"}),
])
def test_participant_list_filters_and_search(client, event, directory, query, expected):
    a, b, c = directory
    names = {"b": b.pk, "c": c.pk}
    client.force_login(a.user)
    response = client.get(reverse("portal:event_participants", args=[event.slug]), query)
    assert response.status_code == 200
    shown = {r.pk for r in response.context["page"]}
    assert shown == {names[k] for k in expected}


def test_participant_list_needs_a_bounded_number_of_queries(
    client, event, directory, django_assert_max_num_queries
):
    a, _b, _c = directory
    for k in range(15):
        other = make_participant(event)
        PublishedProfileFactory(organization=other.organization, title=f"Profil {k}")
        services.send_meeting_request(event, a, other, a.user)
    client.force_login(a.user)
    url = reverse("portal:event_participants", args=[event.slug])
    with django_assert_max_num_queries(14):
        response = client.get(url, {"q": "Profil"})
    assert response.context["page"].paginator.count == 15
    assert response.content.decode().count("Request sent") == 15


def test_request_answer_and_cancel_through_the_pages(client, event, participants,
                                                    django_capture_on_commit_callbacks):
    a, b, _c = participants
    client.force_login(a.user)
    url = reverse("portal:meeting_request_new", args=[event.slug, b.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"message": "Gern am Vormittag.", "priority": "2"})
    assert response.status_code == 302
    request = MeetingRequest.objects.get()
    assert (request.requester, request.recipient, request.priority) == (a, b, 2)
    assert mail.outbox[-1].to == [b.user.email]
    # The recipient sees the request and accepts it with their own priority.
    client.force_login(b.user)
    meetings_url = reverse("portal:event_meetings", args=[event.slug])
    assert "Gern am Vormittag." in client.get(meetings_url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("portal:meeting_request_accept", args=[request.pk]),
                               {"priority": "3"})
    assert response.status_code == 302 and response["Location"] == meetings_url
    request.refresh_from_db()
    assert request.status == "accepted" and request.recipient_priority == 3
    # Published agenda: the meeting shows its time, then the requester cancels it.
    config = services.settings_for(event)
    config.phase = "published"
    config.save()
    meeting = request.meeting
    services.place_meeting(meeting, Slot.objects.filter(event=event).order_by("starts_at")[1])
    client.force_login(a.user)
    page = client.get(meetings_url).content.decode()
    assert 'datetime="2031-06-12T07:30:00+00:00"' in page  # 09:30 CEST
    assert "9:30 a.m." in page and "Table 1" in page
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("portal:meeting_cancel", args=[meeting.pk]),
                    {"reason": "Termin verschoben."})
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.CANCELLED
    assert [m.to for m in mail.outbox] == [[b.user.email]]


def test_meeting_times_hidden_until_the_agenda_is_published(client, event, participants):
    a, b, _c = participants
    meeting = services.accept_meeting_request(
        services.send_meeting_request(event, a, b, a.user), b.user)
    services.place_meeting(meeting, Slot.objects.filter(event=event).order_by("starts_at")[1])
    client.force_login(a.user)
    page = client.get(reverse("portal:event_meetings", args=[event.slug])).content.decode()
    assert "2031-06-12T07:30" not in page and "preparing the agenda" in page


def test_decline_and_withdraw_through_the_pages(client, event, participants):
    a, b, c = participants
    first = services.send_meeting_request(event, a, b, a.user)
    second = services.send_meeting_request(event, a, c, a.user)
    client.force_login(b.user)
    client.post(reverse("portal:meeting_request_decline", args=[first.pk]),
                {"reason": "Kein Bedarf."})
    client.force_login(a.user)
    client.post(reverse("portal:meeting_request_withdraw", args=[second.pk]))
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, first.decline_reason) == ("declined", "Kein Bedarf.")
    assert second.status == "cancelled"
    page = client.get(reverse("portal:event_meetings", args=[event.slug])).content.decode()
    assert "Kein Bedarf." in page


def test_answers_to_requests_report_their_outcome(client, event, participants):
    a, b, c = participants
    to_accept = services.send_meeting_request(event, a, b, a.user)
    to_withdraw = services.send_meeting_request(event, a, c, a.user)
    to_decline = services.send_meeting_request(event, c, b, c.user)

    def answer(action, meeting_request):
        response = client.post(reverse(f"portal:meeting_request_{action}",
                                       args=[meeting_request.pk]), follow=True)
        assert response.redirect_chain == [
            (reverse("portal:event_meetings", args=[event.slug]), 302)]
        return [(m.level_tag, str(m)) for m in response.context["messages"]]

    client.force_login(b.user)
    assert answer("accept", to_accept) == [("success", (
        f"You have accepted the meeting with {a.organization.display_name}. "
        "The organiser will schedule it."))]
    assert answer("decline", to_decline) == [
        ("success", f"You have declined the request of {c.organization.display_name}.")]
    assert answer("decline", to_decline) == [
        ("error", "This request has already been answered or withdrawn.")]
    assert client.post(reverse("portal:meeting_request_withdraw",
                               args=[to_withdraw.pk])).status_code == 404
    client.force_login(a.user)
    assert answer("withdraw", to_withdraw) == [
        ("success", f"You have withdrawn your request to {c.organization.display_name}.")]


def test_a_user_with_two_registered_organisations_chooses_one(client, event, participants):
    a, b, _c = participants
    second_org = make_participant(event)
    MembershipFactory(organization=second_org.organization, user=a.user)
    client.force_login(a.user)
    url = reverse("portal:meeting_request_new", args=[event.slug, b.pk])
    client.post(f"{url}?as={second_org.pk}", {"priority": "1", "as": second_org.pk})
    assert MeetingRequest.objects.get().requester == Registration.objects.get(pk=second_org.pk)
    page = client.get(reverse("portal:event_participants", args=[event.slug]),
                      {"as": second_org.pk})
    assert page.context["registration"] == second_org


def test_dashboard_links_approved_registrations_to_the_matchmaking_pages(client, event,
                                                                         participants):
    a, b, _c = participants
    b.status = "pending"
    b.save()
    client.force_login(a.user)
    page = client.get(reverse("portal:dashboard")).content.decode()
    assert f'{reverse("portal:event_meetings", args=[event.slug])}?as={a.pk}' in page
    client.force_login(b.user)
    page = client.get(reverse("portal:dashboard")).content.decode()
    assert reverse("portal:event_meetings", args=[event.slug]) not in page


def test_meetings_page_shows_who_attends_and_the_request(client, event, participants):
    a, b, _c = participants
    b.representatives = "Dr. Anna Krüger, Geschäftsführerin"
    b.save()
    request = services.send_meeting_request(event, a, b, a.user, message="Vertrieb in Shandong")
    services.accept_meeting_request(request, b.user)
    client.force_login(a.user)
    page = client.get(reverse("portal:event_meetings", args=[event.slug])).content.decode()
    assert "Dr. Anna Krüger, Geschäftsführerin" in page and "Vertrieb in Shandong" in page


def test_request_messages_say_which_language_they_are_written_in(client, event, participants):
    a, b, c = participants
    services.send_meeting_request(event, a, b, a.user,
                                  message="我们希望在山东寻找体外诊断试剂的经销伙伴。")
    services.send_meeting_request(event, c, b, c.user,
                                  message="Wir suchen einen Vertriebspartner für die Region.")
    client.force_login(b.user)
    with translation.override("de"):
        page = client.get(reverse("portal:event_meetings", args=[event.slug])).content.decode()
    assert '<blockquote class="user-text" lang="zh">' in page
    assert '<blockquote class="user-text" lang="de">' in page
    assert 'title="Verfasst auf Chinesisch" lang="zh">Chinesisch</span>' in page
    assert 'title="Verfasst auf Deutsch" lang="de">Deutsch</span>' in page


def test_availability_before_the_slots_exist(client, event, participants):
    a, _b, _c = participants
    Slot.objects.all().delete()
    client.force_login(a.user)
    response = client.post(reverse("portal:event_participation", args=[event.slug]),
                           {"attendance": "in_person", "mode": "days",
                            "days": [event.start_date.isoformat()]}, follow=True)
    assert "as soon as the organiser sets up the meeting slots" in response.content.decode()
    assert AvailabilityRule.objects.get(registration=a).days == [event.start_date.isoformat()]


def test_sent_on_times_name_the_event_zone_and_the_viewers(client, event, participants):
    """'Sent on' is written like every other time: event zone with offset, viewer's zone too."""
    import datetime

    a, b, c = participants
    sent = services.send_meeting_request(event, a, c, a.user)
    MeetingRequest.objects.filter(pk=sent.pk).update(
        created_at=datetime.datetime(2031, 5, 20, 8, 30, tzinfo=datetime.UTC))
    c.user.timezone = "Asia/Shanghai"
    c.user.save()
    client.force_login(c.user)  # the recipient, in Jinan: "Requests to answer"
    page = client.get(reverse("portal:event_meetings", args=[event.slug])).content.decode()
    received = page.split(f'id="request-{sent.pk}"')[1].split("</p>")[0]
    assert '<abbr class="tz">UTC+2</abbr>' in received  # 10:30 in Dresden
    assert '<abbr class="tz">UTC+8</abbr>' in received  # 16:30 in Jinan
    client.force_login(a.user)  # the requester, in Dresden: "Requests you sent"
    page = client.get(reverse("portal:event_meetings", args=[event.slug])).content.decode()
    row = page.split(f'<tr id="request-{sent.pk}">')[1].split("</tr>")[0]
    assert '<abbr class="tz">UTC+2</abbr>' in row and "UTC+8" not in row


def test_participation_page_names_the_zones(client, event, participants):
    """The note on the slots names the event's zone and the reader's, not their IDs."""
    _a, _b, c = participants
    c.user.timezone = "Asia/Shanghai"
    c.user.save()
    client.force_login(c.user)
    with translation.override("zh-hans"):
        url = reverse("portal:event_participation", args=[event.slug])
    html = client.get(url).content.decode()
    assert "时间均为活动所在地时间：柏林时间（UTC+2）。" in html
    assert "括号内为您所在地的时间：北京时间（UTC+8）。" in html
    assert "(Europe/Berlin)" not in html and "（Europe/Berlin）" not in html


def test_meet_online_checkbox_sits_beside_its_label(client, event, participants):
    """The request form lays its checkbox out like the app's others: box, then label."""
    import re

    a, b, _c = participants
    client.force_login(a.user)
    html = client.get(reverse("portal:meeting_request_new", args=[event.slug, b.pk]))
    html = html.content.decode()
    assert re.search(r'<div class="checkbox-field"><input type="checkbox" name="wants_remote"'
                     r'[^>]*> <label for="id_wants_remote">I would like to meet online</label>',
                     html), html
