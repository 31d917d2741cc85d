"""The footer's time-zone note: a name in the reader's language and the UTC offset."""

import datetime
import zoneinfo

import pytest
from django.utils import translation
from factories import UserFactory

from qiao.core.timezones import times_shown_in

SUMMER = datetime.datetime(2031, 6, 12, 8, 0, tzinfo=datetime.UTC)
WINTER = datetime.datetime(2031, 1, 15, 8, 0, tzinfo=datetime.UTC)


def note(zone: str, language: str, at=SUMMER) -> str:
    with translation.override(language):
        return times_shown_in(zoneinfo.ZoneInfo(zone), at)


def test_known_zones_have_a_name_in_the_readers_language_and_an_offset():
    assert note("Europe/Berlin", "de") == "Zeiten werden in Berliner Zeit (UTC+2) angezeigt."
    assert note("Europe/Berlin", "de", WINTER) == (
        "Zeiten werden in Berliner Zeit (UTC+1) angezeigt."
    )
    assert note("Europe/Berlin", "en") == "Times are shown in Berlin time (UTC+2)."
    assert note("Asia/Shanghai", "zh-hans") == "时间按北京时间（UTC+8）显示。"
    assert "Europe/Berlin" not in note("Europe/Berlin", "zh-hans")


def test_unnamed_zones_keep_their_identifier():
    assert note("America/Sao_Paulo", "en") == (
        "Times are shown in the time zone America/Sao_Paulo (UTC-3)."
    )
    assert note("Asia/Kolkata", "de") == (
        "Zeiten werden in der Zeitzone Asia/Kolkata (UTC+5:30) angezeigt."
    )


def test_utc_without_a_redundant_offset():
    assert note("UTC", "en") == "Times are shown in UTC."


@pytest.mark.django_db
def test_footer_names_the_viewers_zone(client):
    client.force_login(UserFactory(timezone="Asia/Shanghai"))
    content = client.get("/zh-hans/").content.decode()
    assert "时间按北京时间（UTC+8）显示。" in content
    assert "Asia/Shanghai" not in content.split('<footer')[1]


def test_zone_name_with_the_offset_of_the_moment():
    from qiao.core.timezones import zone_name

    with translation.override("zh-hans"):
        assert zone_name(zoneinfo.ZoneInfo("Asia/Shanghai"), SUMMER) == "北京时间（UTC+8）"
    with translation.override("de"):
        assert zone_name(zoneinfo.ZoneInfo("Europe/Berlin"), WINTER) == "Berliner Zeit (UTC+1)"
        assert zone_name(zoneinfo.ZoneInfo("Asia/Kolkata"), SUMMER) == "Asia/Kolkata (UTC+5:30)"
        assert zone_name(zoneinfo.ZoneInfo("UTC"), SUMMER) == "UTC"


def render_tag(source: str, viewer_zone: str, **context) -> str:
    from django.template import Context, Template
    from django.utils import timezone

    with timezone.override(zoneinfo.ZoneInfo(viewer_zone)), translation.override("en"):
        return Template("{% load qiao %}" + source).render(Context(context))


def test_dual_time_without_an_event_zone_shows_the_viewers_time_with_its_offset():
    """No event (no zone): the viewer's time alone, with the viewer's offset, no error."""
    for zone in (None, ""):
        html = render_tag('{% dual_time when event_zone "TIME_FORMAT" %}', "Asia/Shanghai",
                          when=SUMMER, event_zone=zone)
        assert html == ('<time datetime="2031-06-12T08:00:00+00:00">4 p.m. '
                        '<abbr class="tz">UTC+8</abbr></time>')
    # A missing event (``introduction.event.timezone`` with no event) is the same.
    html = render_tag('{% dual_time when introduction.event.timezone "TIME_FORMAT" %}',
                      "Europe/Berlin", when=SUMMER, introduction={"event": None})
    assert html.endswith('10 a.m. <abbr class="tz">UTC+2</abbr></time>')


def test_local_time_names_the_viewers_offset():
    html = render_tag('{% local_time when "TIME_FORMAT" %}', "Europe/Berlin", when=WINTER)
    assert html == ('<time datetime="2031-01-15T08:00:00+00:00">9 a.m. '
                    '<abbr class="tz">UTC+1</abbr></time>')
    assert render_tag("{% local_time when %}", "Europe/Berlin", when=None) == ""


def test_offsets_differ_compares_the_clocks_at_that_moment():
    import datetime

    from qiao.core.templatetags.qiao import offsets_differ

    summer = datetime.datetime(2031, 6, 12, 8, tzinfo=datetime.UTC)
    assert not offsets_differ("Europe/Vienna", "Europe/Berlin", summer)
    assert offsets_differ("Asia/Shanghai", "Europe/Berlin", summer)
    assert offsets_differ("Europe/London", "Europe/Berlin", summer)
    assert not offsets_differ("", "Europe/Berlin", summer)
