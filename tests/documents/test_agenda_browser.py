"""The agenda page in a real browser: a participant in Jinan opens it in Chinese."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation
from factories import PASSWORD

from .conftest import CHINESE_ORG

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def static_files(settings):
    """Serve src/qiao/static in the live server."""
    import qiao

    static = Path(qiao.__file__).parent / "static"
    if static not in [Path(d) for d in settings.STATICFILES_DIRS if isinstance(d, str | Path)]:
        settings.STATICFILES_DIRS = [*settings.STATICFILES_DIRS, static]


def test_agenda_page_and_pdf_in_the_browser(browser, live_server, world):
    context = browser.new_context(base_url=live_server.url, locale="zh-CN",
                                  timezone_id="Asia/Shanghai",
                                  viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    with translation.override("zh-hans"):
        login, agenda = reverse("login"), reverse("portal:agenda", args=[world.event.slug])
    page.goto(login)
    page.fill("input[name=username]", world.jinan.user.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url("**/my/")
    page.goto(agenda)
    meeting = page.locator(f"#meeting-{world.online.pk}")
    assert "Elbtal Sensorik GmbH" in meeting.inner_text()
    assert "16:00" in meeting.inner_text()
    assert CHINESE_ORG not in meeting.inner_text()  # one's own organisation is not a partner
    page.locator("details summary").first.click()
    feed = page.locator("#feed-url").input_value()
    assert feed.startswith(live_server.url) and feed.endswith("/agenda.ics")
    if os.environ.get("QIAO_SCREENSHOTS"):
        page.screenshot(path=os.environ["QIAO_SCREENSHOTS"] + "/agenda.png", full_page=True)
    response = context.request.get(feed)
    assert response.status == 200 and b"BEGIN:VCALENDAR" in response.body()
    pdf = context.request.get(page.locator("a.button").first.get_attribute("href"))
    assert pdf.status == 200 and pdf.body().startswith(b"%PDF-")
    assert errors == []
    context.close()
