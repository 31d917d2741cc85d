"""The matchmaking flow in a real browser: search, request, availability, accept, agenda."""

import datetime
import os
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation
from factories import PASSWORD, PublishedProfileFactory
from playwright.sync_api import expect

from qiao.meetings import services
from qiao.meetings.models import Meeting, MeetingStatus

pytestmark = pytest.mark.django_db(transaction=True)

SHOTS = Path(
    os.environ.get("QIAO_TEST_ARTIFACTS", Path(__file__).resolve().parents[2] / "test-artifacts")
) / "screenshots" / "meetings"


@pytest.fixture(autouse=True)
def english_urls():
    """Build the URLs in English whatever language an earlier test left active."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def static_files(settings):
    """Serve src/qiao/static in the live server (the project setting may not list it yet)."""
    import qiao

    static = Path(qiao.__file__).parent / "static"
    if static not in [Path(d) for d in settings.STATICFILES_DIRS if isinstance(d, str | Path)]:
        settings.STATICFILES_DIRS = [*settings.STATICFILES_DIRS, static]


def open_as(browser, live_server, user, timezone_id):
    context = browser.new_context(base_url=live_server.url, locale="en-GB",
                                  timezone_id=timezone_id, viewport={"width": 1280,
                                                                     "height": 900})
    context.set_default_timeout(10_000)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(reverse("login"))
    page.fill("input[name=username]", user.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url("**/my/")
    return context, page, errors


def test_request_and_accept_in_the_browser(browser, live_server, event, participants):
    a, _b, c = participants
    c.user.timezone = "Asia/Shanghai"
    c.user.save()
    PublishedProfileFactory(organization=c.organization, title="寻找德国医疗器械经销商",
                            text="我们是济南的一家生物技术公司。", language="zh")
    SHOTS.mkdir(parents=True, exist_ok=True)

    context, page, errors = open_as(browser, live_server, a.user, "Europe/Berlin")
    page.click(f"a[href='{reverse('portal:event_participants', args=[event.slug])}?as={a.pk}']")
    page.fill("#id_q", "医疗器械")
    page.press("#id_q", "Enter")
    # The search reloads the list: wait until only the match is left.
    expect(page.locator("article.participant")).to_have_count(1)
    assert page.locator(f"#participant-{c.pk}").is_visible()
    page.screenshot(path=SHOTS / "participants.png", full_page=True)
    page.click(f"#participant-{c.pk} footer a.button")
    page.fill("textarea[name=message]", "Wir vertreiben Labordiagnostik in Sachsen.")
    page.check("input[name=priority][value='2']")
    page.click("main form button[type=submit]")
    page.wait_for_url(f"**{reverse('portal:event_meetings', args=[event.slug])}**")
    assert page.get_by_text("Your request has been sent").is_visible()
    context.close()

    config = services.settings_for(event)
    config.phase = "published"
    config.save()

    context, page, errors_c = open_as(browser, live_server, c.user, "Asia/Shanghai")
    page.goto(reverse("portal:event_participation", args=[event.slug]))
    page.check("input[name=attendance][value=remote]")
    page.check("input[name=mode][value=hours]")
    page.fill("input[name=start_time]", "09:00")
    page.fill("input[name=end_time]", "17:00")
    page.select_option("select[name=timezone]", "Asia/Shanghai")
    page.click("main form.stacked button[type=submit]")
    page.wait_for_selector(".message--success")
    assert page.locator(".slot--available").count() == 4
    page.screenshot(path=SHOTS / "participation.png", full_page=True)
    page.goto(reverse("portal:event_meetings", args=[event.slug]))
    assert page.get_by_text("Wir vertreiben Labordiagnostik in Sachsen.").is_visible()
    page.click("form[action*='/accept/'] button[type=submit]")
    page.wait_for_selector(".message--success")
    meeting = Meeting.objects.get()
    assert meeting.status == MeetingStatus.SCHEDULED and meeting.is_remote
    assert meeting.slot.starts_at == datetime.datetime(2031, 6, 12, 7, tzinfo=datetime.UTC)
    viewer_time = page.locator(f"#meeting-{meeting.pk} .viewer-time").first.inner_text()
    assert "3 p.m." in viewer_time  # 09:00 in Dresden is 15:00 in Shanghai
    page.screenshot(path=SHOTS / "meetings.png", full_page=True)
    context.close()
    assert errors == [] and errors_c == []
