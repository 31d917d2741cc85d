"""Smoke tests in a real browser (headless Chromium via Playwright) on the live test server.

They walk the main paths through Qiao the way people do — by labels, roles and link
texts — and end with no JavaScript or console errors:

* a visitor reads an event page in German, English and Chinese and switches language;
* a participant logs in, edits a cooperation profile and submits it for review;
* the organiser serving that organisation approves it in the back office, and a
  visitor then finds it in the public profile list;
* a Chinese participant who prefers Chinese lands on the Chinese pages after login;
* the same on the real demo data (the Dresden matchmaking of 2019, a demo login).
"""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from factories import (
    PASSWORD,
    EventFactory,
    MembershipFactory,
    OrganizationFactory,
    OrganizerFactory,
    ProfileFactory,
    ProgrammeItemFactory,
    SponsorFactory,
    StaffMembershipFactory,
)

from qiao.profiles.models import CooperationProfile, ProfileStatus

pytestmark = pytest.mark.django_db(transaction=True)

EVENT_NAMES = {
    "de": "Kooperationsbörse Life Sciences Dresden",
    "en": "Life Sciences Matchmaking Dresden",
    "zh-hans": "德累斯顿生命科学对接会",
}


def log_in(page, email: str, password: str = PASSWORD) -> None:
    """Log in through the login form (English pages) and wait for the next page."""
    page.goto("/en/login/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("main").get_by_role("button", name="Log in").click()
    page.wait_for_url(lambda url: "/login/" not in url)


def test_event_page_in_three_languages_and_language_switch(page):
    """The event page shows the event in the visitor's language; the switcher changes it."""
    organizer = OrganizerFactory(
        name={"de": "Kontaktbüro Jinan", "en": "Jinan Contact Office", "zh-hans": "济南联络处"}
    )
    event = EventFactory(organizers=[organizer], name=EVENT_NAMES)
    ProgrammeItemFactory(event=event, title={"de": "Begrüßung", "en": "Welcome",
                                             "zh-hans": "欢迎致辞"})
    SponsorFactory(event=event, name={"de": "Stadt Jinan", "en": "City of Jinan",
                                      "zh-hans": "济南市"})

    programme_headings = {}
    for language, name in EVENT_NAMES.items():
        page.goto(f"/{language}/events/{event.slug}/")
        assert page.locator("html").get_attribute("lang") == language
        assert page.get_by_role("heading", level=1).inner_text() == name
        assert page.get_by_text({"de": "Begrüßung", "en": "Welcome",
                                 "zh-hans": "欢迎致辞"}[language]).is_visible()
        assert page.get_by_text({"de": "Stadt Jinan", "en": "City of Jinan",
                                 "zh-hans": "济南市"}[language]).is_visible()
        programme_headings[language] = page.locator("h2").first.inner_text()
    # The interface itself is translated, not only the event's own texts.
    assert programme_headings["en"] == "Programme"
    assert len(set(programme_headings.values())) == 3, (
        f"UI strings are not translated (are the .mo files compiled?): {programme_headings}"
    )

    page.goto(f"/en/events/{event.slug}/")
    english_nav = page.get_by_role("navigation").first.inner_text()
    page.get_by_label("Language").select_option("de")
    page.wait_for_url(f"**/de/events/{event.slug}/")
    assert page.locator("html").get_attribute("lang") == "de"
    assert page.get_by_role("heading", level=1).inner_text() == EVENT_NAMES["de"]
    assert page.locator("h2").first.inner_text() == programme_headings["de"]
    assert page.get_by_role("navigation").first.inner_text() != english_nav
    # The choice sticks: the next page without a language prefix is German too.
    page.goto("/events/")
    assert re.search(r"/de/events/$", page.url)
    assert page.console_errors == []


def test_profile_from_edit_to_publication(page, open_page):
    """Participant edits and submits a profile; its organiser publishes it; visitors see it."""
    organizer = OrganizerFactory(slug="jinan-office",
                                 name={"de": "Kontaktbüro Jinan", "en": "Jinan Contact Office"})
    organization = OrganizationFactory(name="Elbtal Laborsysteme GmbH")
    organization.organizers.add(organizer)
    member = MembershipFactory(organization=organization, user__name="Katrin Vogel")
    profile = ProfileFactory(organization=organization, title="Vertriebspartner gesucht")
    staff = StaffMembershipFactory(organizer=organizer, user__name="Wang Lei").user
    new_title = "Vertriebspartner für Laborsensorik in Shandong gesucht"

    # The participant: login form, dashboard, profile form, submission.
    log_in(page, member.user.email)
    page.goto(reverse("portal:dashboard"))
    assert page.get_by_role("heading", level=1).inner_text() == "My Qiao"
    row = page.get_by_role("row", name=re.compile("Vertriebspartner gesucht"))
    assert "Draft" in row.inner_text()
    row.get_by_role("link", name="Vertriebspartner gesucht").click()
    page.get_by_role("link", name="Edit", exact=True).click()
    page.wait_for_url(f"**/my/profiles/{profile.pk}/edit/")
    title = page.get_by_label(re.compile(r"^Title\b"))
    assert title.input_value() == "Vertriebspartner gesucht"
    title.fill(new_title)
    page.get_by_role("button", name="Save changes").click()
    page.wait_for_url(f"**/my/profiles/{profile.pk}/")
    assert page.get_by_role("heading", name=new_title).is_visible()
    page.get_by_role("button", name="Submit for review").click()
    page.wait_for_url(f"**/my/profiles/{profile.pk}/")
    assert page.locator(".status").first.inner_text() == "Awaiting review"
    page.get_by_role("navigation").get_by_role("link", name="My Qiao").click()
    row = page.get_by_role("row", name=re.compile(new_title))
    assert "Awaiting review" in row.inner_text()
    profile.refresh_from_db()
    assert (profile.title, profile.status) == (new_title, ProfileStatus.SUBMITTED)
    assert page.console_errors == []

    # The organiser: back office, review queue, publish.
    orga = open_page()
    log_in(orga, staff.email)
    orga.wait_for_url("**/en/orga/")  # staff start in the back office
    orga.get_by_role("link", name=re.compile("^Review queue")).first.click()
    orga.wait_for_url("**/orga/jinan-office/review/")
    card = orga.locator("article", has=orga.get_by_role("heading", name=new_title))
    assert "Elbtal Laborsysteme GmbH" in card.inner_text()
    card.get_by_role("button", name="Publish").click()
    result = card.get_by_role("status")
    result.wait_for()
    assert "Published" in result.inner_text()
    assert CooperationProfile.objects.get(pk=profile.pk).status == ProfileStatus.PUBLISHED
    assert orga.console_errors == []

    # A visitor: the public profile list, then the profile's page.
    visitor = open_page()
    visitor.goto("/en/profiles/")
    link = visitor.get_by_role("link", name=new_title)
    assert link.is_visible()
    link.click()
    visitor.wait_for_url(f"**/en/profiles/{profile.pk}/")
    assert visitor.get_by_role("heading", name=new_title).is_visible()
    assert "Elbtal Laborsysteme GmbH" in visitor.get_by_role("main").inner_text()
    assert visitor.console_errors == []


def test_chinese_participant_lands_on_chinese_pages(page):
    """A participant who prefers Chinese logs in on an English page and continues in Chinese."""
    member = MembershipFactory(
        user__name="李娜", user__preferred_language="zh-hans", user__timezone="Asia/Shanghai",
        organization=OrganizationFactory(name="济南华康生物科技有限公司", country="CN",
                                         city="济南", languages=["zh", "en"]),
    )
    log_in(page, member.user.email)
    assert re.search(r"/zh-hans/my/$", page.url), page.url
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert "济南华康生物科技有限公司" in page.get_by_role("main").inner_text()
    assert page.get_by_role("heading", level=1).inner_text() != "My Qiao"
    assert page.console_errors == []


def test_demo_event_and_chinese_demo_login(page):
    """On the real demo data: the Dresden event in three languages, Liu Xiaoyan's login."""
    from qiao.demo.loader import load_demo, read_json

    result = load_demo()
    demo_event = next(
        record for record in read_json("events.json")
        if record["slug"] == "matchmaking-reich-der-mitte-2019"
    )
    for language in ("de", "en", "zh-hans"):
        page.goto(f"/{language}/events/{demo_event['slug']}/")
        assert page.locator("html").get_attribute("lang") == language
        heading = page.get_by_role("heading", level=1).inner_text()
        assert heading == demo_event["name"][language]
        assert page.locator(".programme li").count() >= 3
    page.goto("/de/profiles/")
    assert page.locator(".profile-card").count() >= 5

    log_in(page, "liu.xiaoyan@kangqiao-med.example", result.password)
    assert re.search(r"/zh-hans/my/$", page.url), page.url
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert page.locator(".org-entry").count() >= 1
    assert page.console_errors == []
