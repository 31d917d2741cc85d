"""The ``qiao demo`` management command."""

import io

import pytest
from django.core.management import CommandError, call_command

from qiao.organizations.models import Organization

pytestmark = pytest.mark.django_db


def run(*args):
    out = io.StringIO()
    call_command("demo", *args, stdout=out)
    return out.getvalue()


def test_prints_summary_and_logins():
    output = run()
    assert "created" in output
    assert "http://127.0.0.1:8000/" in output
    for email in ("orga@qiao.example", "admin@qiao.example",
                  "katrin.vogel@elbtal-diagnostik.example", "liu.xiaoyan@kangqiao-med.example"):
        assert email in output
    assert "qiao-demo-2019" in output
    assert "already up to date" in run()


def test_refuses_production_mode_unless_forced(settings):
    settings.MODE = "production"
    with pytest.raises(CommandError, match="production"):
        run()
    assert not Organization.objects.exists()
    assert "created" in run("--force")
    assert Organization.objects.count() >= 40


def test_custom_password(client):
    output = run("--password", "another-secret")
    assert "another-secret" in output
    assert client.login(email="orga@qiao.example", password="another-secret")
