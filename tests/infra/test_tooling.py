"""Tests of the test tooling itself: settings mode, SMTP server, browser, markers."""

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection


def test_settings_are_in_test_mode():
    assert settings.MODE == "test"
    assert settings.TASKS["default"]["BACKEND"].endswith("ImmediateBackend")


def test_smtp_server_receives_mail_from_django(smtp_server):
    message = mail.EmailMultiAlternatives(
        subject="Matchmaking 对接会 – Einladung",
        body="Grüße aus Qiao\n你好",
        from_email="office@qiao.invalid",
        to=["partner@example.org"],
        cc=["copy@example.org"],
    )
    message.attach_alternative("<p>Grüße</p>", "text/html")
    message.attach("agenda.txt", "Tagesordnung", "text/plain")
    assert message.send() == 1

    (received,) = smtp_server.wait_for(1)
    assert received.mail_from == "office@qiao.invalid"
    assert sorted(received.rcpt_tos) == ["copy@example.org", "partner@example.org"]
    assert received.subject == "Matchmaking 对接会 – Einladung"
    assert "Grüße aus Qiao" in received.text and "你好" in received.text
    assert received.html == "<p>Grüße</p>\n" or "<p>Grüße</p>" in received.html
    assert [part.get_filename() for part in received.attachments] == ["agenda.txt"]


def test_smtp_server_starts_empty_for_each_test(smtp_server):
    assert smtp_server.messages == []
    mail.send_mail("One", "Body", "a@qiao.invalid", ["b@example.org"])
    mail.send_mail("Two", "Body", "a@qiao.invalid", ["c@example.org"])
    assert [m.subject for m in smtp_server.wait_for(2)] == ["One", "Two"]


def test_smtp_server_wait_for_times_out(smtp_server):
    with pytest.raises(AssertionError, match="expected 1 mail"):
        smtp_server.wait_for(1, timeout=0.2)


@pytest.mark.postgres
def test_postgres_marker_runs_only_on_postgresql():
    assert connection.vendor == "postgresql"


@pytest.mark.browser
def test_browser_loads_admin_login_page(page, live_server):
    response = page.goto("/admin/login/")
    assert response is not None and response.ok
    assert page.url.startswith(live_server.url)
    assert "Log in" in page.title()
    assert page.locator("input[name=username]").is_visible()
    assert page.console_errors == []


def test_browser_marker_is_added_automatically(request, page):
    assert request.node.get_closest_marker("browser") is not None
    page.goto("/admin/login/")
    page.evaluate("console.error('deliberate')")
    page.evaluate("setTimeout(() => { throw new Error('boom') }, 0)")
    page.wait_for_timeout(100)
    assert any("deliberate" in e for e in page.console_errors)
    assert any("boom" in e for e in page.console_errors)


@pytest.mark.django_db
def test_database_is_usable():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)


def test_open_page_gives_each_person_an_own_session(open_page, live_server):
    first, second = open_page(), open_page(locale="de-DE")
    first.context.add_cookies([{"name": "probe", "value": "1", "url": live_server.url}])
    assert [c["name"] for c in first.context.cookies()] == ["probe"]
    assert second.context.cookies() == []
    second.goto("/admin/login/")
    assert second.evaluate("navigator.language") == "de-DE"
    assert first.console_errors == [] and second.console_errors == []
