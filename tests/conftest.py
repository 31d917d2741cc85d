"""Shared test infrastructure: test settings, a real SMTP server, a real browser.

App fixtures (model factories and the like) live in ``tests/factories.py`` and in
per-directory ``conftest.py`` files; this module only provides infrastructure:

``smtp_server``
    A real SMTP server on 127.0.0.1 (aiosmtpd) with Django's settings pointed at
    it, for tests that want mail to travel over SMTP.  ``smtp_server.messages``
    lists the received mails (``ReceivedMail``); ``smtp_server.wait_for(n)``
    waits for mail sent from another thread or process.

``browser`` / ``browser_context_args`` / ``page`` / ``open_page``
    Playwright (sync API) driving Debian's headless Chromium.  ``page`` is a new
    page in a new context per test, opened on pytest-django's ``live_server``
    (``page.goto("/admin/login/")`` works, the base URL is set), and collects
    JavaScript errors and console errors in ``page.console_errors`` (except the
    browser's own request for /favicon.ico).  ``open_page()`` opens one more
    such page in its own context, for tests that play several people.  A test
    that uses ``page`` or ``browser`` is marked ``browser`` automatically
    (``-m "not browser"`` leaves it out); it is skipped with a reason when
    Chromium or Playwright is missing.  On failure a screenshot is saved under
    ``test-artifacts/screenshots``.

Tests marked ``postgres`` are skipped unless the database is PostgreSQL.
"""

from __future__ import annotations

import email
import email.message
import email.policy
import os
import re
import shutil
import socket
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

# pytest-django loads the settings (qiao.settings_test, which forces test mode)
# before this file is imported; these lines keep the environment consistent for
# code that reads it later, such as subprocesses.
os.environ["QIAO_MODE"] = "test"
os.environ["QIAO_TASKS_IMMEDIATE"] = "1"
# Playwright's sync API keeps an event loop running in the main thread, which
# makes Django refuse ORM calls from test code without this.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

REPO_DIR = Path(__file__).resolve().parent.parent
ARTIFACTS_DIR = Path(os.environ.get("QIAO_TEST_ARTIFACTS", REPO_DIR / "test-artifacts"))

CHROMIUM = os.environ.get("QIAO_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
BROWSER_FIXTURES = {"browser", "page", "open_page"}

_reports_key = pytest.StashKey[dict]()


# --------------------------------------------------------------------------
# Hooks
# --------------------------------------------------------------------------


def pytest_configure(config: pytest.Config) -> None:
    """Refuse to run the suite against anything but test-mode settings."""
    from django.conf import settings

    if not settings.configured:
        return
    mode = getattr(settings, "MODE", "test")
    if mode != "test":
        pytest.exit(
            f"Django settings were loaded with QIAO_MODE={mode!r}; the tests need "
            "QIAO_MODE=test (run `make test`, or `QIAO_MODE=test pytest`).",
            returncode=4,
        )
    if "PYTEST_XDIST_WORKER" not in os.environ:
        # Compile catalogues that are older than their .po files (the main process
        # only, before workers start), so pages are tested with current translations.
        import subprocess
        import sys

        subprocess.run(
            [sys.executable, str(REPO_DIR / "scripts" / "compile_messages.py"),
             str(REPO_DIR / "src" / "qiao")],
            check=True, capture_output=True,
        )


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark every test that drives the browser as ``browser``."""
    for item in items:
        if BROWSER_FIXTURES.intersection(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.browser)


def pytest_runtest_setup(item: pytest.Item) -> None:
    """Skip ``postgres`` tests when the database is not PostgreSQL."""
    if item.get_closest_marker("postgres"):
        from django.db import connection

        if connection.vendor != "postgresql":
            pytest.skip(
                "needs PostgreSQL (run `make test`, or start one with "
                "scripts/pg_test_server.sh and set QIAO_DATABASE_URL)"
            )


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    """Keep each phase's report on the item, so fixtures can tell a failure."""
    report = yield
    item.stash.setdefault(_reports_key, {})[report.when] = report
    return report


# --------------------------------------------------------------------------
# SMTP
# --------------------------------------------------------------------------


@dataclass
class ReceivedMail:
    """One mail as the SMTP server received it."""

    mail_from: str
    rcpt_tos: list[str]
    data: bytes
    message: email.message.EmailMessage = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.message = email.message_from_bytes(self.data, policy=email.policy.default)

    @property
    def subject(self) -> str:
        """The decoded Subject header."""
        return str(self.message["Subject"] or "")

    @property
    def text(self) -> str:
        """The plain-text body (the text/plain part of a multipart mail)."""
        part = self.message.get_body(preferencelist=("plain",))
        return part.get_content() if part is not None else ""

    @property
    def html(self) -> str | None:
        """The HTML alternative, if any."""
        part = self.message.get_body(preferencelist=("html",))
        return part.get_content() if part is not None else None

    @property
    def attachments(self) -> list[email.message.EmailMessage]:
        """The attachment parts."""
        return list(self.message.iter_attachments())


class SMTPTestServer:
    """An aiosmtpd server on 127.0.0.1 that keeps every mail it receives."""

    def __init__(self) -> None:
        self.host = "127.0.0.1"
        self.port = 0
        self.messages: list[ReceivedMail] = []
        self._cond = threading.Condition()
        self._controller = None

    # aiosmtpd handler hook
    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802
        mail = ReceivedMail(
            mail_from=envelope.mail_from,
            rcpt_tos=list(envelope.rcpt_tos),
            data=envelope.original_content or envelope.content,
        )
        with self._cond:
            self.messages.append(mail)
            self._cond.notify_all()
        return "250 Message accepted for delivery"

    def start(self) -> None:
        from aiosmtpd.controller import Controller

        last_error: Exception | None = None
        for _ in range(5):
            self.port = _free_port()
            controller = Controller(self, hostname=self.host, port=self.port, ready_timeout=10)
            try:
                controller.start()
            except Exception as exc:  # port taken in between: try another
                last_error = exc
                continue
            self._controller = controller
            return
        raise RuntimeError(f"could not start the SMTP test server: {last_error}")

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def clear(self) -> None:
        """Forget the mails received so far."""
        with self._cond:
            self.messages.clear()

    def wait_for(self, count: int = 1, timeout: float = 10.0) -> list[ReceivedMail]:
        """Wait until at least ``count`` mails arrived; return them all."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while len(self.messages) < count:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(
                        f"expected {count} mail(s) within {timeout}s, got {len(self.messages)}"
                    )
                self._cond.wait(remaining)
            return list(self.messages)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def _smtp_test_server():
    pytest.importorskip("aiosmtpd", reason="the smtp_server fixture needs aiosmtpd")
    server = SMTPTestServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def smtp_server(_smtp_test_server: SMTPTestServer, settings) -> SMTPTestServer:
    """A real SMTP server; Django's mail settings point at it for this test."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = _smtp_test_server.host
    settings.EMAIL_PORT = _smtp_test_server.port
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 10
    _smtp_test_server.clear()
    return _smtp_test_server


# --------------------------------------------------------------------------
# Browser
# --------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium under Playwright, one per test session (worker)."""
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        found = shutil.which("chromium")
        reason = (
            f"Chromium not found at {CHROMIUM} (found {found}; set QIAO_CHROMIUM)"
            if found
            else f"Chromium not found at {CHROMIUM}: install Debian's chromium "
            "(`make test` does so as root)"
        )
        pytest.skip(reason)
    sync_api = pytest.importorskip(
        "playwright.sync_api", reason="Playwright for Python is not installed"
    )
    playwright = sync_api.sync_playwright().start()
    try:
        instance = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
    except Exception:
        playwright.stop()
        raise
    yield instance
    instance.close()
    playwright.stop()


@pytest.fixture
def browser_context_args() -> dict:
    """Options for each test's browser context; override in a conftest or test module."""
    return {
        "locale": "en-GB",
        "timezone_id": "Europe/Berlin",
        "viewport": {"width": 1280, "height": 900},
    }


def watch_console(page) -> list[str]:
    """Collect ``page``'s JavaScript errors and console errors in a list (returned).

    The browser's own request for /favicon.ico is not counted.
    """
    errors: list[str] = []

    def on_console(msg) -> None:
        url = msg.location.get("url") or ""
        if msg.type == "error" and urlsplit(url).path != "/favicon.ico":
            errors.append(f"console.error: {msg.text} ({url})")

    page.on("console", on_console)
    page.on("pageerror", lambda exc: errors.append(f"pageerror: {exc}"))
    return errors


@pytest.fixture
def open_page(request: pytest.FixtureRequest, browser, browser_context_args: dict, live_server):
    """Return a function opening a page in a new browser context (own cookies and session).

    For tests that play several people at once; each page is based at
    ``live_server.url`` and has ``page.console_errors``.  ``open_page(locale="de-DE")``
    overrides context options.  The contexts close after the test; on failure
    every page is photographed.
    """
    pages = []

    def _open(**context_args):
        context = browser.new_context(
            base_url=live_server.url, **{**browser_context_args, **context_args}
        )
        context.set_default_timeout(10_000)
        new_page = context.new_page()
        new_page.console_errors = watch_console(new_page)
        pages.append(new_page)
        return new_page

    yield _open
    reports = request.node.stash.get(_reports_key, {})
    failed = any(r.failed for r in reports.values())
    for number, opened in enumerate(pages):
        if failed:
            suffix = f"-{number}" if len(pages) > 1 else ""
            _save_screenshot(opened, request.node.nodeid + suffix)
        opened.context.close()


@pytest.fixture
def page(open_page):
    """A fresh page in a fresh context, based at ``live_server.url``.

    ``page.console_errors`` collects uncaught JavaScript errors and console
    errors, so a test can end with ``assert page.console_errors == []``.
    """
    return open_page()


def _save_screenshot(page, nodeid: str) -> None:
    name = re.sub(r"[^A-Za-z0-9_.-]+", "_", nodeid).strip("_")[:180]
    target = ARTIFACTS_DIR / "screenshots" / f"{name}.png"
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(target), full_page=True)
    except Exception as exc:  # a crashed page must not hide the test's own error
        print(f"could not save a screenshot to {target}: {exc}")
    else:
        print(f"screenshot: {target}")


@pytest.fixture(autouse=True)
def _english_by_default():
    """Start every test with English active, so a previous request's language does not leak."""
    from django.utils import translation

    translation.activate("en")
    yield
    translation.deactivate()
