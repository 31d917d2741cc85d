"""Back-office pages: dashboard, organiser page, event page, review queue."""

from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import translation
from factories import EventFactory, RegistrationFactory, StaffMembershipFactory

from .conftest import login

pytestmark = pytest.mark.django_db


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("orga:dashboard"))
    assert response.status_code == 302
    assert "next=" in response["Location"]


def test_participant_gets_404(client, participant_a):
    login(client, participant_a)
    assert client.get(reverse("orga:dashboard")).status_code == 404


def test_dashboard_lists_open_decisions_of_own_organiser_only(
    client, staff_a, registration_a, registration_b, profile_a, profile_b, event_a, event_b
):
    login(client, staff_a)
    response = client.get(reverse("orga:dashboard"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "济南华康生物科技有限公司" in html
    assert profile_a.title in html
    assert event_a.name["en"] in html
    assert profile_b.title not in html
    assert registration_b.organization.name not in html
    assert event_b.name["en"] not in html
    assert reverse("orga:registration_decide", args=["jinan-office", event_a.slug,
                                                     registration_a.pk]) in html


def test_dashboard_counts_registrations_by_status(client, staff_a, event_a):
    RegistrationFactory.create_batch(2, event=event_a, status="approved")
    RegistrationFactory(event=event_a, status="rejected")
    login(client, staff_a)
    response = client.get(reverse("orga:dashboard"))
    (desk,) = response.context["desks"]
    (event,) = desk.upcoming
    assert (event.n_pending, event.n_approved, event.n_rejected, event.n_cancelled) == (0, 2, 1, 0)


def test_dashboard_shows_a_section_per_organiser(client, staff_a, organizer_b, profile_b):
    StaffMembershipFactory(organizer=organizer_b, user=staff_a)
    login(client, staff_a)
    response = client.get(reverse("orga:dashboard"))
    assert [d.organizer.slug for d in response.context["desks"]] == [
        "jinan-office", "stuttgart-centre"]
    assert profile_b.title in response.content.decode()


def test_dashboard_query_count_is_bounded(client, staff_a, organizer_a,
                                          django_assert_max_num_queries):
    for _ in range(5):
        event = EventFactory(organizers=[organizer_a])
        RegistrationFactory.create_batch(3, event=event)
    login(client, staff_a)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("orga:dashboard"))
    assert response.status_code == 200
    assert len(response.context["desks"][0].registrations) == 15


def test_dashboard_links_to_the_review_queue_beyond_the_limit(client, staff_a, org_a,
                                                              monkeypatch):
    from factories import ProfileFactory

    from qiao.orga import queries, views_dashboard

    login(client, staff_a)
    ProfileFactory(organization=org_a, status="submitted")
    # A single profile is beyond the limit only if the page is told the limit is 0.
    monkeypatch.setattr(views_dashboard, "queries", SimpleNamespace(
        dashboard=queries.dashboard, DASHBOARD_LIMIT=0))
    with translation.override("de"):
        html = client.get(reverse("orga:dashboard")).content.decode()
    assert "1 Profil in der Prüfliste ansehen." in html
    monkeypatch.undo()
    ProfileFactory(organization=org_a, status="submitted")
    monkeypatch.setattr(queries, "DASHBOARD_LIMIT", 1)
    with translation.override("de"):
        html = client.get(reverse("orga:dashboard")).content.decode()
    assert "Alle 2 Profile in der Prüfliste ansehen." in html


def test_event_detail_shows_registrations_with_filter_and_search(client, staff_a, event_a,
                                                                registration_a):
    other = RegistrationFactory(event=event_a, status="approved",
                                organization__name="Elbe Optik GmbH")
    login(client, staff_a)
    url = reverse("orga:event_detail", args=["jinan-office", event_a.slug])
    html = client.get(url).content.decode()
    assert "济南华康生物科技有限公司" in html and "Elbe Optik GmbH" in html
    html = client.get(url, {"status": "approved"}).content.decode()
    assert "Elbe Optik GmbH" in html and "济南华康生物科技有限公司" not in html
    # The search index holds the pinyin of Chinese names.
    page = client.get(url, {"q": "huakang"}).context["page"]
    assert list(page.object_list) == [registration_a]
    page = client.get(url, {"q": "optik"}).context["page"]
    assert list(page.object_list) == [other]


def test_event_detail_query_count_is_bounded(client, staff_a, event_a,
                                             django_assert_max_num_queries):
    RegistrationFactory.create_batch(20, event=event_a)
    login(client, staff_a)
    with django_assert_max_num_queries(16):
        response = client.get(reverse("orga:event_detail", args=["jinan-office", event_a.slug]))
    assert len(response.context["page"].object_list) == 20


def test_review_queue_shows_full_text_with_language_badge(client, staff_a, profile_a, profile_b):
    login(client, staff_a)
    response = client.get(reverse("orga:review_queue", args=["jinan-office"]))
    html = response.content.decode()
    assert profile_a.text in html
    assert 'class="lang-badge"' in html and 'lang="zh"' in html
    assert profile_b.title not in html


def test_review_queue_query_count_is_bounded(client, staff_a, org_a,
                                             django_assert_max_num_queries):
    from factories import ProfileFactory

    ProfileFactory.create_batch(10, organization=org_a, status="submitted")
    login(client, staff_a)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("orga:review_queue", args=["jinan-office"]))
    assert len(response.context["profiles"]) == 10


def test_organizer_page_query_count_is_bounded(client, staff_a, organizer_a,
                                                django_assert_max_num_queries):
    for _ in range(6):
        RegistrationFactory.create_batch(2, event=EventFactory(organizers=[organizer_a]))
    login(client, staff_a)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("orga:organizer", args=["jinan-office"]))
    assert len(response.context["upcoming"]) == 6
    assert response.context["pending_count"] == 12


def test_organizer_page(client, staff_a, organizer_a, event_a, registration_a, profile_a):
    login(client, staff_a)
    response = client.get(reverse("orga:organizer", args=["jinan-office"]))
    assert response.status_code == 200
    assert response.context["pending_count"] == 1
    assert response.context["review_count"] == 1
    assert "Anna Staff" in response.content.decode()


def test_pages_render_in_chinese(client, staff_a, event_a, registration_a):
    login(client, staff_a)
    response = client.get("/zh-hans/orga/jinan-office/events/dresden-matchmaking/")
    assert response.status_code == 200
    assert "对接会 dresden-matchmaking" in response.content.decode()


def test_submitted_times_name_the_viewers_offset(client, staff_a, profile_a):
    """Review queue and dashboard: 'Submitted' in the staff member's zone, with its offset."""
    import datetime

    profile_a.submitted_at = datetime.datetime(2031, 5, 20, 8, 30, tzinfo=datetime.UTC)
    profile_a.save()
    staff_a.timezone = "Asia/Shanghai"
    staff_a.save()
    login(client, staff_a)
    html = client.get(reverse("orga:review_queue", args=["jinan-office"])).content.decode()
    submitted = html.split("Submitted</dt>")[1].split("</dd>")[0]
    assert "4:30 p.m." in submitted and '<abbr class="tz">UTC+8</abbr>' in submitted
    html = client.get(reverse("orga:dashboard")).content.decode()
    row = html.split(f"#profile-{profile_a.pk}")[1].split("</tr>")[0]
    assert "4:30 p.m." in row and '<abbr class="tz">UTC+8</abbr>' in row


def test_back_office_names_time_zones_with_their_offsets(client, staff_a, organizer_a):
    """Event page, event form and organiser page: zones by name and offset, not by ID."""
    import datetime

    event = EventFactory(slug="jinan-days", timezone="Asia/Shanghai", organizers=[organizer_a],
                         start_date=datetime.date(2031, 6, 12),
                         end_date=datetime.date(2031, 6, 12))
    organizer_a.timezone = "Asia/Shanghai"
    organizer_a.save()
    staff_a.timezone = "Europe/Vienna"
    staff_a.save()
    login(client, staff_a)
    html = client.get(reverse("orga:event_detail", args=["jinan-office", event.slug])).content
    html = html.decode()
    assert "<dd>Beijing time (UTC+8)</dd>" in html and "Asia/Shanghai" not in html
    html = client.get(reverse("orga:event_edit", args=["jinan-office", event.slug])).content
    assert ("Times are entered and shown in the event's time zone: Beijing time (UTC+8)."
            in html.decode())
    html = client.get(reverse("orga:organizer", args=["jinan-office"])).content.decode()
    assert "<dd>Beijing time (UTC+8)</dd>" in html
    assert "Vienna time (UTC+" in html and "Europe/Vienna" not in html
    with translation.override("zh-hans"):
        html = client.get(reverse("orga:organizer", args=["jinan-office"])).content.decode()
    assert "<dd>北京时间（UTC+8）</dd>" in html and "维也纳时间（UTC+" in html
