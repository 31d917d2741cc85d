"""In a real browser: a visitor in Jinan sees event times in their own zone; sign-up works."""

import datetime
from pathlib import Path

import pytest
from factories import EventFactory, ProgrammeItemFactory

import qiao
from qiao.organizations.models import Membership

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def serve_project_static(settings):
    """Make sure the live server finds src/qiao/static (whether or not settings list it)."""
    from django.contrib.staticfiles.finders import get_finder

    folder = Path(qiao.__file__).parent / "static"
    if folder not in [Path(d) for d in settings.STATICFILES_DIRS]:
        settings.STATICFILES_DIRS = [*settings.STATICFILES_DIRS, folder]
    get_finder.cache_clear()
    yield
    get_finder.cache_clear()


@pytest.fixture
def browser_context_args():
    return {"locale": "zh-CN", "timezone_id": "Asia/Shanghai",
            "viewport": {"width": 1280, "height": 900}}


def test_visitor_sees_event_time_in_browser_time_zone(page):
    event = EventFactory(start_date=datetime.date(2031, 3, 4), end_date=datetime.date(2031, 3, 4))
    ProgrammeItemFactory(event=event)  # 10:00 Europe/Berlin
    page.goto(f"/zh-hans/events/{event.slug}/")
    page.reload()  # the first visit stores the browser's time zone in a cookie
    programme = page.locator(".programme__time").first
    assert "10:00" in programme.inner_text()
    assert "17:00" in programme.inner_text()
    assert page.console_errors == []


def test_sign_up_in_the_browser(page):
    page.goto("/zh-hans/signup/")
    page.fill("#id_name", "Zhang Min")
    page.fill("#id_email", "zhang@example.org")
    page.fill("#id_password1", "Qilu-Lab-2031!")
    page.fill("#id_password2", "Qilu-Lab-2031!")
    page.select_option("#id_timezone", "Asia/Shanghai")
    page.check("#id_languages_1")
    page.fill("#id_organization_name", "济南生物科技有限公司")
    page.select_option("#id_organization_country", "CN")
    page.fill("#id_organization_city", "济南")
    page.check("#id_accept_terms")
    page.click("form.stacked button[type=submit]")
    page.wait_for_load_state()
    assert page.url.split("/")[3] == "zh-hans"
    membership = Membership.objects.select_related("user", "organization").get()
    assert membership.user.timezone == "Asia/Shanghai"
    assert membership.organization.name == "济南生物科技有限公司"
    assert page.console_errors == []


def test_profile_filters_apply_without_reload(page):
    from factories import OrganizationFactory, PublishedProfileFactory

    PublishedProfileFactory(title="Laborautomation aus Dresden",
                            organization=OrganizationFactory(country="DE"))
    PublishedProfileFactory(title="寻找德国合作伙伴", language="zh",
                            organization=OrganizationFactory(name="济南生物", country="CN"))
    page.goto("/en/profiles/")
    page.select_option("#f-country", "CN")
    page.wait_for_url("**country=CN**")
    results = page.locator("#profile-results")
    assert "寻找德国合作伙伴" in results.inner_text()
    assert "Laborautomation" not in results.inner_text()
    page.fill("#f-q", "Laborautomation")
    page.wait_for_url("**q=Laborautomation**")
    assert "No profile matches your search." in results.inner_text()
    page.select_option("#f-country", "")
    page.wait_for_url(lambda url: "country=CN" not in url)
    assert "Laborautomation aus Dresden" in page.locator("#profile-results").inner_text()
    assert page.console_errors == []


def font_stack(page, selector: str) -> list[str]:
    """The computed font families of the first element matching ``selector``."""
    value = page.eval_on_selector(selector, "e => getComputedStyle(e).fontFamily")
    return [name.strip().strip('"') for name in value.split(",")]


def test_latin_fonts_first_except_on_chinese_text(page):
    """German pages list Latin fonts before CJK ones (no full-width „quotes“), Chinese not."""
    cjk = {"Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei"}
    latin = {"Arial", "Helvetica Neue", "Liberation Sans", "DejaVu Sans"}

    def first_of(stack, names):
        return min(stack.index(name) for name in names if name in stack)

    page.goto("/de/")
    stack = font_stack(page, "main")
    assert first_of(stack, latin) < first_of(stack, cjk), stack
    page.goto("/zh-hans/")
    stack = font_stack(page, "main")
    assert stack[0] in cjk, stack
    # German text marked lang="de" inside a Chinese page goes back to Latin first.
    page.evaluate("document.querySelector('main').insertAdjacentHTML("
                  "'beforeend', '<p lang=\"de\" id=\"de-text\">„Zitat“</p>')")
    stack = font_stack(page, "#de-text")
    assert first_of(stack, latin) < first_of(stack, cjk), stack
