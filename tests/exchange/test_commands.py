"""The ``qiao import`` and ``qiao export`` management commands."""

import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from factories import OrganizationFactory, OrganizerFactory

from qiao.organizations.models import Contact, Organization
from qiao.profiles.models import CooperationProfile

pytestmark = pytest.mark.django_db

EXAMPLE = Path(__file__).parent / "data" / "example.json"


def example() -> dict:
    return json.loads(EXAMPLE.read_text(encoding="utf-8"))


def counts() -> tuple[int, int, int]:
    return (
        Organization.objects.count(),
        CooperationProfile.objects.count(),
        Contact.objects.count(),
    )


def write(tmp_path: Path, data, name: str = "in.json") -> Path:
    path = tmp_path / name
    if isinstance(data, (bytes, str)):
        path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    else:
        path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def run_import(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import", *[str(a) for a in args], stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def failing_import(*args) -> str:
    err = io.StringIO()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import", *[str(a) for a in args], stdout=io.StringIO(), stderr=err)
    return err.getvalue()


def run_export(*args) -> str:
    out = io.StringIO()
    call_command("export", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_import_example_and_summary(tmp_path):
    organizer = OrganizerFactory(slug="jinan-dresden")
    out, err = run_import(EXAMPLE, "--organizer", "jinan-dresden")
    assert "Organisations: 2 created, 0 updated; profiles: 2 created, 0 updated" in out
    assert err == ""
    assert organizer.organizations.count() == 2
    out, _ = run_import(EXAMPLE)
    assert "Organisations: 0 created, 2 updated; profiles: 0 created, 2 updated" in out
    assert counts()[:2] == (2, 2)


def test_dry_run(tmp_path):
    out, _ = run_import(EXAMPLE, "--dry-run")
    assert out.startswith("Dry run, nothing was saved.")
    assert counts() == (0, 0, 0)


def test_unknown_organizer():
    with pytest.raises(CommandError, match="unknown organiser"):
        run_import(EXAMPLE, "--organizer", "nope")


def test_missing_file(tmp_path):
    with pytest.raises(CommandError, match="cannot read"):
        run_import(tmp_path / "missing.json")


MALFORMED = {
    "wrong type": (
        lambda d: d["organizations"][0].__setitem__("employees", "35"),
        "organizations[0].employees",
    ),
    "unknown key": (
        lambda d: d["organizations"][1].__setitem__("colour", "red"),
        "organizations[1].colour",
    ),
    "duplicate id": (
        lambda d: d["organizations"][1].__setitem__("id", "de-dx-01"),
        "organizations[1].id",
    ),
    "bad uscc check character": (
        lambda d: d["organizations"][1]["identifiers"].__setitem__("uscc", "91370100MA3C5J8X1N"),
        "organizations[1].identifiers.uscc",
    ),
    "oversize text": (
        lambda d: d["organizations"][0]["opportunities"][0].__setitem__("text", "x" * 20_001),
        "organizations[0].opportunities[0].text",
    ),
    "bad enum": (
        lambda d: d["organizations"][0]["opportunities"][0].__setitem__("direction", "sell"),
        "organizations[0].opportunities[0].direction",
    ),
}


@pytest.mark.parametrize("case", sorted(MALFORMED))
def test_malformed_files_are_rejected_whole(tmp_path, case):
    OrganizationFactory()
    change, path = MALFORMED[case]
    data = example()
    change(data)
    before = counts()
    err = failing_import(write(tmp_path, data))
    assert f"{path}: " in err
    assert counts() == before


def test_every_error_is_printed(tmp_path):
    data = example()
    data["organizations"][0]["kind"] = "firm"
    data["organizations"][1]["country"] = "XX"
    data["organizations"][1]["website"] = "ftp://example.org"
    err = failing_import(write(tmp_path, data))
    lines = err.strip().splitlines()
    assert [line.split(":")[0] for line in lines] == [
        "organizations[0].kind",
        "organizations[1].country",
        "organizations[1].website",
    ]


def test_model_level_errors_are_reported_with_paths(tmp_path):
    data = example()
    data["organizations"][0]["city"] = "D" * 101
    before = counts()
    err = failing_import(write(tmp_path, data))
    assert "organizations[0].city: " in err
    assert counts() == before


def test_invalid_json(tmp_path):
    err = failing_import(write(tmp_path, b'{"format": "qiao-exchange/1", '))
    assert err.strip()


def test_file_size_limit_is_checked_before_parsing(tmp_path, settings):
    settings.QIAO_MAX_IMPORT_BYTES = 100
    err = failing_import(EXAMPLE)
    assert "too large" in err
    assert counts() == (0, 0, 0)


def test_organisation_count_limit(tmp_path, monkeypatch):
    from qiao.exchange import format as fmt

    monkeypatch.setattr(fmt, "MAX_ORGANIZATIONS", 1)
    err = failing_import(EXAMPLE)
    assert "organizations: too many organisations" in err


def test_export_to_stdout_and_file(tmp_path):
    organizer = OrganizerFactory(slug="jn")
    run_import(EXAMPLE, "--organizer", "jn")
    OrganizationFactory()  # not served by the organiser
    everything = json.loads(run_export())
    assert len(everything["organizations"]) == 3
    served = run_export("--organizer", organizer.slug)
    assert [o["id"] for o in json.loads(served)["organizations"]] == ["cn-jn-07", "de-dx-01"]
    assert "济南华康医疗器械有限公司" in served  # UTF-8, not \u escapes
    target = tmp_path / "out.json"
    call_command("export", "--organizer", "jn", "-o", str(target), stderr=io.StringIO())
    assert target.read_text(encoding="utf-8") == served


def test_export_refuses_invalid_data_unless_skipped():
    OrganizationFactory(languages=[])
    err = io.StringIO()
    with pytest.raises(CommandError, match="skip-invalid"):
        call_command("export", stdout=io.StringIO(), stderr=err)
    assert "languages" in err.getvalue()
    out, err = io.StringIO(), io.StringIO()
    call_command("export", "--skip-invalid", stdout=out, stderr=err)
    assert json.loads(out.getvalue())["organizations"] == []
    assert "skipped:" in err.getvalue()


def test_command_round_trip_is_byte_identical(tmp_path):
    run_import(EXAMPLE)
    first = run_export()
    CooperationProfile.objects.all().delete()
    Organization.objects.all().delete()
    run_import(write(tmp_path, first, "first.json"))
    assert run_export() == first
