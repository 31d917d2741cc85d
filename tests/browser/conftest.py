"""Fixtures of the browser smoke tests: static files in the live server, more browser contexts.

``open_page()`` opens a page in a fresh browser context (its own cookies, so its own
session), based at the live server and collecting console errors in
``page.console_errors`` like the ``page`` fixture of ``tests/conftest.py`` does.  A test
that plays several people (participant, organiser, visitor) uses one context each.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.utils import translation

import qiao


@pytest.fixture(autouse=True)
def serve_project_static(settings):
    """Make the live server find src/qiao/static (CSS, HTMX), listed in settings or not."""
    from django.contrib.staticfiles.finders import get_finder

    folder = Path(qiao.__file__).parent / "static"
    if folder not in [Path(d) for d in settings.STATICFILES_DIRS if isinstance(d, str | Path)]:
        settings.STATICFILES_DIRS = [*settings.STATICFILES_DIRS, folder]
    get_finder.cache_clear()
    yield
    get_finder.cache_clear()


@pytest.fixture(autouse=True)
def english_urls():
    """Build URLs with ``reverse`` in English, whatever language an earlier test left active."""
    with translation.override("en"):
        yield


def _watch_console(page) -> list[str]:
    """Collect JavaScript errors and console errors of ``page`` (not the favicon request)."""
    errors: list[str] = []

    def on_console(msg) -> None:
        url = msg.location.get("url") or ""
        if msg.type == "error" and urlsplit(url).path != "/favicon.ico":
            errors.append(f"console.error: {msg.text} ({url})")

    page.on("console", on_console)
    page.on("pageerror", lambda exc: errors.append(f"pageerror: {exc}"))
    return errors


@pytest.fixture
def open_page(browser, browser_context_args, live_server):
    """Return a function that opens a page in a new browser context (closed after the test)."""
    contexts = []

    def _open():
        context = browser.new_context(base_url=live_server.url, **browser_context_args)
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        page.console_errors = _watch_console(page)
        return page

    yield _open
    for context in contexts:
        context.close()
