import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone
from factories import PublishedProfileFactory

pytestmark = pytest.mark.django_db


def test_housekeeping_expires_outdated_profiles_only():
    today = timezone.localdate()
    old = PublishedProfileFactory(valid_until=today - datetime.timedelta(days=1))
    current = PublishedProfileFactory(valid_until=today + datetime.timedelta(days=10))
    out = StringIO()
    call_command("housekeeping", stdout=out)
    old.refresh_from_db()
    current.refresh_from_db()
    assert old.status == "expired"
    assert current.status == "published"
    assert "Profiles expired: 1." in out.getvalue()
