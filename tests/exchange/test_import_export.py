"""The import/export services: model mapping, validation, updates, round trips."""

import copy
import datetime
import json
from pathlib import Path

import pytest
from django.utils import timezone
from factories import (
    ContactFactory,
    OrganizationFactory,
    OrganizerFactory,
    ProfileFactory,
    PublishedProfileFactory,
    UserFactory,
)

from qiao.exchange.format import dump_exchange, exchange_to_json, parse_exchange
from qiao.exchange.records import ExchangeError
from qiao.exchange.services import export_exchange, import_exchange
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


def clear_database() -> None:
    CooperationProfile.objects.all().delete()
    Organization.objects.all().delete()


def test_spec_example_imports():
    organizer = OrganizerFactory()
    user = UserFactory()
    report = import_exchange(parse_exchange(example()), organizer=organizer, by=user)
    assert (report.organizations_created, report.profiles_created) == (2, 2)
    assert report.updated == 0
    elbtal = Organization.objects.get(external_id="de-dx-01")
    assert elbtal.name == "Elbtal Diagnostik GmbH"
    assert elbtal.sectors == ["C21.20"]
    assert elbtal.employees == 35
    assert elbtal.description_language == "de"
    assert list(elbtal.organizers.all()) == [organizer]
    huakang = Organization.objects.get(external_id="cn-jn-07")
    assert huakang.uscc == "91370100MA3C5J8X1M"
    assert huakang.name_latin == "Jinan Huakang Medical Devices"
    offer = CooperationProfile.objects.get(external_id="de-dx-01-o1")
    assert offer.status == "published"
    assert offer.language == "de"
    assert offer.created_by == user and offer.reviewed_by == user
    assert offer.published_at is not None
    assert offer.valid_until == timezone.localdate() + datetime.timedelta(days=365)
    request = CooperationProfile.objects.get(external_id="cn-jn-07-r1")
    assert request.language == "zh"
    assert request.target_countries == ["DE", "AT"]
    assert CooperationProfile.objects.published().count() == 2


def test_reimport_updates_and_never_duplicates():
    import_exchange(parse_exchange(example()))
    before = counts()
    data = example()
    data["organizations"][0]["city"] = "Radebeul"
    data["organizations"][0]["contacts"] = [{"name": "Anna Weber", "email": "a@elbtal.example"}]
    data["organizations"][0]["opportunities"][0]["title"] = "Neuer Titel"
    report = import_exchange(parse_exchange(data))
    assert (report.organizations_created, report.organizations_updated) == (0, 2)
    assert (report.profiles_created, report.profiles_updated) == (0, 2)
    assert counts()[:2] == before[:2]
    elbtal = Organization.objects.get(external_id="de-dx-01")
    assert elbtal.city == "Radebeul"
    assert CooperationProfile.objects.get(external_id="de-dx-01-o1").title == "Neuer Titel"
    assert [c.name for c in elbtal.contacts.all()] == ["Anna Weber"]
    # Contacts are replaced, not added.
    data["organizations"][0]["contacts"] = [{"name": "Bernd Kurz"}, {"name": "Chen Li"}]
    import_exchange(parse_exchange(data))
    assert [c.name for c in elbtal.contacts.all()] == ["Bernd Kurz", "Chen Li"]


def test_import_keeps_fields_outside_the_format():
    import_exchange(parse_exchange(example()))
    elbtal = Organization.objects.get(external_id="de-dx-01")
    elbtal.email = "info@elbtal.example"
    elbtal.address = "Tatzberg 47"
    elbtal.save()
    import_exchange(parse_exchange(example()))
    elbtal.refresh_from_db()
    assert (elbtal.email, elbtal.address) == ("info@elbtal.example", "Tatzberg 47")


def test_model_validation_errors_name_the_path_and_write_nothing():
    OrganizationFactory()
    data = example()
    data["organizations"][1]["city"] = "济" * 150  # fits the format (500), not the model (100)
    data["organizations"][0]["founded"] = 900  # format allows it, the model does not
    data["organizations"][0]["contacts"] = [{"name": "N" * 300}]
    before = counts()
    with pytest.raises(ExchangeError) as info:
        import_exchange(parse_exchange(data))
    paths = {issue.path for issue in info.value.errors}
    assert {
        "organizations[1].city",
        "organizations[0].founded",
        "organizations[0].contacts[0].name",
    } <= paths
    assert counts() == before


def test_dry_run_writes_nothing():
    before = counts()
    report = import_exchange(parse_exchange(example()), dry_run=True)
    assert report.organizations_created == 2 and report.dry_run
    assert report.summary().startswith("Dry run")
    assert counts() == before


def test_past_valid_until_imports_as_expired():
    data = example()
    data["organizations"][0]["opportunities"][0]["valid_until"] = "2020-01-31"
    import_exchange(parse_exchange(data))
    profile = CooperationProfile.objects.get(external_id="de-dx-01-o1")
    assert profile.status == "expired"
    assert profile.valid_until == datetime.date(2020, 1, 31)


def test_culture_kind_round_trips_through_x():
    data = example()
    data["organizations"][0]["kind"] = "other"
    data["organizations"][0]["x"] = {"qiao": {"kind": "culture"}, "source": "crm"}
    import_exchange(parse_exchange(data))
    elbtal = Organization.objects.get(external_id="de-dx-01")
    assert elbtal.kind == "culture"
    assert elbtal.extra == {"source": "crm"}
    exported = exchange_to_json(export_exchange())
    org = next(o for o in exported["organizations"] if o["id"] == "de-dx-01")
    assert org["kind"] == "other"
    assert org["x"] == {"qiao": {"kind": "culture"}, "source": "crm"}


def test_other_kind_stays_other():
    data = example()
    data["organizations"][0]["kind"] = "other"
    data["organizations"][0]["x"] = {"qiao": {"note": 1}}
    import_exchange(parse_exchange(data))
    elbtal = Organization.objects.get(external_id="de-dx-01")
    assert elbtal.kind == "other" and elbtal.extra == {"qiao": {"note": 1}}


def test_profile_and_contact_extensions_are_kept_and_exported():
    data = example()
    data["organizations"][0]["opportunities"][0]["x"] = {"crm": {"id": 17}}
    data["organizations"][0]["contacts"] = [{"name": "Anna Weber", "x": {"badge": "A1"}}]
    report = import_exchange(parse_exchange(data))
    assert report.warnings == []
    profile = CooperationProfile.objects.get(external_id="de-dx-01-o1")
    assert profile.extra == {"crm": {"id": 17}}
    exported = export_exchange()
    org = next(o for o in exported.organizations if o.id == "de-dx-01")
    assert org.opportunities[0].x == {"crm": {"id": 17}}
    assert org.contacts[0].x == {"badge": "A1"}


def test_organizer_link():
    organizer = OrganizerFactory()
    other = OrganizerFactory()
    import_exchange(parse_exchange(example()), organizer=organizer)
    assert set(organizer.organizations.values_list("external_id", flat=True)) == {
        "de-dx-01",
        "cn-jn-07",
    }
    assert not other.organizations.exists()


def test_export_generates_stable_ids_and_leaves_out_drafts():
    organizer = OrganizerFactory()
    org = OrganizationFactory(uscc="", vat="DE123456789")
    org.organizers.add(organizer)
    published = PublishedProfileFactory(organization=org)
    ProfileFactory(organization=org, status="draft")
    ProfileFactory(organization=org, status="submitted")
    ContactFactory(organization=org, name="Anna Weber")
    outsider = OrganizationFactory()
    file = export_exchange(organizer)
    assert [o.id for o in file.organizations] == [f"qiao-org-{org.pk}"]
    record = file.organizations[0]
    assert [o.id for o in record.opportunities] == [f"qiao-opp-{published.pk}"]
    assert record.identifiers.vat == "DE123456789"
    assert [c.name for c in record.contacts] == ["Anna Weber"]
    everything = export_exchange()
    assert {o.id for o in everything.organizations} == {
        f"qiao-org-{org.pk}",
        f"qiao-org-{outsider.pk}",
    }
    assert dump_exchange(export_exchange()) == dump_exchange(everything)


def test_generated_id_avoids_a_taken_one():
    org = OrganizationFactory()
    OrganizationFactory(external_id=f"qiao-org-{org.pk}")
    ids = [o.id for o in export_exchange().organizations]
    assert f"qiao-org-{org.pk}-2" in ids
    assert len(ids) == len(set(ids))


def test_export_refuses_or_skips_organisations_outside_the_format():
    good = OrganizationFactory()
    bad = OrganizationFactory(languages=[])
    with pytest.raises(ExchangeError) as info:
        export_exchange()
    assert any(f"qiao-org-{bad.pk}" in issue.message for issue in info.value.errors)
    skipped = []
    file = export_exchange(skip_invalid=True, skipped=skipped)
    assert [o.id for o in file.organizations] == [f"qiao-org-{good.pk}"]
    assert skipped


def test_round_trip_is_byte_identical():
    organizer = OrganizerFactory()
    org = OrganizationFactory(
        name="山东省科学院",
        name_latin="Shandong Academy of Sciences",
        kind="culture",
        country="CN",
        region="山东",
        city="济南",
        website="https://www.example.cn/",
        employees=0,
        founded=1979,
        languages=["zh", "en"],
        sectors=["M72.11"],
        uscc="91370100MA3C5J8X1M",
        description="从事应用研究。",
        extra={"z": [1, {"b": 2, "a": 1}], "a": True},
    )
    org.organizers.add(organizer)
    PublishedProfileFactory(organization=org, keywords=["传感器", "sensor"], language="zh")
    PublishedProfileFactory(
        organization=org,
        external_id="ext-1",
        direction="request",
        topic="research",
        cooperation=["research", "licensing"],
        target_countries=["DE"],
    )
    ContactFactory(organization=org, name="王芳", languages=["zh"], role="主任")
    ContactFactory(organization=org, name="Li Wei", phone="+86 531 0000")
    OrganizationFactory(external_id="de-1", kind="research")
    first = dump_exchange(export_exchange())
    clear_database()
    assert counts() == (0, 0, 0)
    import_exchange(parse_exchange(first))
    second = dump_exchange(export_exchange())
    assert second == first


def test_example_import_then_export_has_the_same_content():
    import_exchange(parse_exchange(example()))
    exported = json.loads(dump_exchange(export_exchange()))
    expected = exchange_to_json(parse_exchange(example()))
    for org in exported["organizations"]:
        for opp in org["opportunities"]:
            assert opp.pop("language") in {"de", "zh"}
            assert opp.pop("valid_until")
    by_id = {o["id"]: o for o in exported["organizations"]}
    assert by_id == {o["id"]: o for o in copy.deepcopy(expected)["organizations"]}
