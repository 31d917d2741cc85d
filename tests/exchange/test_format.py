import copy
import json
from datetime import date
from pathlib import Path

import pytest

from qiao.exchange import format as fmt
from qiao.exchange.format import (
    ExchangeError,
    ExchangeFile,
    Identifiers,
    OpportunityRecord,
    OrganizationRecord,
    dump_exchange,
    parse_exchange,
    parse_exchange_file,
)

EXAMPLE = Path(__file__).parent / "data" / "example.json"


def example() -> dict:
    return json.loads(EXAMPLE.read_text(encoding="utf-8"))


def errors_of(data) -> dict[str, str]:
    with pytest.raises(ExchangeError) as info:
        parse_exchange(data)
    return {issue.path: issue.message for issue in info.value.errors}


def test_spec_example_parses():
    result = parse_exchange(EXAMPLE.read_bytes())
    assert isinstance(result, ExchangeFile)
    de, cn = result.organizations
    assert de.id == "de-dx-01"
    assert de.kind == "company"
    assert de.country == "DE"
    assert de.languages == ["de", "en"]
    assert de.employees == 35
    assert de.sectors == ["C21.20"]
    assert de.identifiers is None
    assert de.contacts == []
    offer = de.opportunities[0]
    assert offer.direction == "offer"
    assert offer.cooperation == ["distribution"]
    assert offer.target_countries == ["CN"]
    assert offer.language is None
    assert offer.effective_language == "de"
    assert offer.valid_until is None
    assert cn.name == "济南华康医疗器械有限公司"
    assert cn.name_latin == "Jinan Huakang Medical Devices"
    assert cn.identifiers == Identifiers(uscc="91370100MA3C5J8X1M")
    assert cn.opportunities[0].target_countries == ["DE", "AT"]
    assert cn.opportunities[0].effective_language == "zh"


def test_accepts_str_bytes_dict_and_path(tmp_path):
    text = EXAMPLE.read_text(encoding="utf-8")
    path = tmp_path / "f.json"
    path.write_text(text, encoding="utf-8")
    results = [parse_exchange(text), parse_exchange(text.encode()), parse_exchange(example())]
    results.append(parse_exchange_file(path))
    assert all(r == results[0] for r in results)


def test_round_trip_is_byte_identical():
    first = dump_exchange(parse_exchange(EXAMPLE.read_bytes()))
    second = dump_exchange(parse_exchange(first))
    assert first == second
    assert first.endswith("}\n")
    assert "济南华康" in first  # ensure_ascii=False
    keys = list(json.loads(first)["organizations"][1])
    assert keys == [
        "id", "name", "name_latin", "kind", "country", "region", "city", "languages",
        "identifiers", "opportunities",
    ]  # fmt: skip


def test_round_trip_full_record_with_normalisation():
    data = example()
    org = data["organizations"][0]
    org.update(
        website="https://elbtal.example/de",
        founded=2011,
        identifiers={"vat": "de 123 456 789", "register": " HRB  4711 Dresden "},
        contacts=[{"name": "Anna Schmidt", "email": "a@elbtal.example", "languages": ["DE"]}],
        x={"crm": {"id": 17, "tags": ["a", None, 1.5]}},
        region=None,
    )
    org["opportunities"][0].update(
        language="de",
        keywords=["PCR", "PCR", "Diagnostik"],
        valid_until="2026-12-31",
        x={"een_ref": "TODE2024"},
    )
    parsed = parse_exchange(data)
    record = parsed.organizations[0]
    assert record.region is None
    assert record.identifiers == Identifiers(vat="DE123456789", register="HRB 4711 Dresden")
    assert record.contacts[0].languages == ["de"]
    assert record.x == {"crm": {"id": 17, "tags": ["a", None, 1.5]}}
    opp = record.opportunities[0]
    assert opp.keywords == ["PCR", "Diagnostik"]
    assert opp.valid_until == date(2026, 12, 31)
    first = dump_exchange(parsed)
    assert '"region"' not in first.split('"opportunities"')[0]
    assert dump_exchange(parse_exchange(first)) == first
    assert parse_exchange(first) == parsed


def test_dump_of_constructed_records_omits_absent_keys():
    org = OrganizationRecord(
        id="o1", name="TU Dresden", kind="university", country="DE", languages=["de"],
        opportunities=[OpportunityRecord(
            id="p1", direction="request", topic="research", title="Partner gesucht",
            text="Wir suchen Partner.", cooperation=["research"],
        )],
    )  # fmt: skip
    text = dump_exchange(ExchangeFile([org]))
    assert json.loads(text) == {
        "format": "qiao-exchange/1",
        "organizations": [{
            "id": "o1", "name": "TU Dresden", "kind": "university", "country": "DE",
            "languages": ["de"],
            "opportunities": [{
                "id": "p1", "direction": "request", "topic": "research",
                "title": "Partner gesucht", "text": "Wir suchen Partner.",
                "cooperation": ["research"],
            }],
        }],
    }  # fmt: skip
    assert parse_exchange(text).organizations[0] == org


def mutate(change) -> dict:
    data = example()
    change(data)
    return data


@pytest.mark.parametrize(
    ("change", "path", "fragment"),
    [
        (lambda d: d.update(format="qiao-exchange/2"), "format", "qiao-exchange/1"),
        (lambda d: d.pop("format"), "format", "missing"),
        (lambda d: d.update(organisations=[]), "organisations", "did you mean 'organizations'"),
        (lambda d: d.update(organizations={}), "organizations", "expected a list, got object"),
        (lambda d: d["organizations"][1].update(employees="35"),
         "organizations[1].employees", "expected an integer, got string"),
        (lambda d: d["organizations"][1].update(employees=True),
         "organizations[1].employees", "got boolean"),
        (lambda d: d["organizations"][1].update(employees=3.5),
         "organizations[1].employees", "got number"),
        (lambda d: d["organizations"][1].update(employees=-1),
         "organizations[1].employees", "at least 0"),
        (lambda d: d["organizations"][0].update(founded=3024),
         "organizations[0].founded", "out of range"),
        (lambda d: d["organizations"][0].update(colour="red"),
         "organizations[0].colour", "unknown key 'colour'"),
        (lambda d: d["organizations"][0]["opportunities"][0].update(directoin="offer"),
         "organizations[0].opportunities[0].directoin", "did you mean 'direction'"),
        (lambda d: d["organizations"][0]["opportunities"][0].update(direction="sell"),
         "organizations[0].opportunities[0].direction", "expected one of: offer, request"),
        (lambda d: d["organizations"][0].update(kind="culture"),
         "organizations[0].kind", "invalid value 'culture'"),
        (lambda d: d["organizations"][0]["opportunities"][0].update(cooperation=["sales"]),
         "organizations[0].opportunities[0].cooperation[0]", "invalid value 'sales'"),
        (lambda d: d["organizations"][0]["opportunities"][0].update(cooperation=[]),
         "organizations[0].opportunities[0].cooperation", "at least one"),
        (lambda d: d["organizations"][0]["opportunities"][0].pop("title"),
         "organizations[0].opportunities[0].title", "required key 'title' is missing"),
        (lambda d: d["organizations"][1].pop("languages"),
         "organizations[1].languages", "missing"),
        (lambda d: d["organizations"][1].update(languages=[]),
         "organizations[1].languages", "at least one"),
        (lambda d: d["organizations"][1].update(languages=["zz"]),
         "organizations[1].languages[0]", "unknown language code 'zz'"),
        (lambda d: d["organizations"][1].update(name=None),
         "organizations[1].name", "must not be null"),
        (lambda d: d["organizations"][1].update(name="   "),
         "organizations[1].name", "must not be empty"),
        (lambda d: d["organizations"][1].update(country="XX"),
         "organizations[1].country", "unknown country code 'XX'"),
        (lambda d: d["organizations"][1].update(country="UK"),
         "organizations[1].country", "use GB"),
        (lambda d: d["organizations"][1]["opportunities"][0].update(target_countries=["DE", "EU"]),
         "organizations[1].opportunities[0].target_countries[1]", "unknown country code 'EU'"),
        (lambda d: d["organizations"][1].update(identifiers={"uscc": "91370100MA3C5J8X1A"}),
         "organizations[1].identifiers.uscc", "wrong check character 'A', expected 'M'"),
        (lambda d: d["organizations"][1].update(identifiers={"vat": "DE1234"}),
         "organizations[1].identifiers.vat", "DE + 9 digits"),
        (lambda d: d["organizations"][1].update(identifiers={"usci": "x"}),
         "organizations[1].identifiers.usci", "unknown key 'usci'"),
        (lambda d: d["organizations"][1].update(identifiers=["91370100MA3C5J8X1M"]),
         "organizations[1].identifiers", "expected an object, got list"),
        (lambda d: d["organizations"][0].update(sectors=["C2120"]),
         "organizations[0].sectors[0]", "invalid NACE"),
        (lambda d: d["organizations"][0].update(sectors=["V21.20"]),
         "organizations[0].sectors[0]", "invalid NACE"),
        (lambda d: d["organizations"][0].update(website="ftp://elbtal.example"),
         "organizations[0].website", "http"),
        (lambda d: d["organizations"][0].update(website="elbtal.example"),
         "organizations[0].website", "http"),
        (lambda d: d["organizations"][0]["opportunities"][0].update(valid_until="31.12.2026"),
         "organizations[0].opportunities[0].valid_until", "YYYY-MM-DD"),
        (lambda d: d["organizations"][0]["opportunities"][0].update(valid_until="2026-02-30"),
         "organizations[0].opportunities[0].valid_until", "no such date"),
        (lambda d: d["organizations"][0]["opportunities"][0].update(title="T" * 201),
         "organizations[0].opportunities[0].title", "too long: 201 characters, at most 200"),
        (lambda d: d["organizations"][0]["opportunities"][0].update(text="x" * 20_001),
         "organizations[0].opportunities[0].text", "at most 20000"),
        (lambda d: d["organizations"][0].update(description="x" * 20_001),
         "organizations[0].description", "at most 20000"),
        (lambda d: d["organizations"][0].update(id="x" * 65),
         "organizations[0].id", "1 to 64"),
        (lambda d: d["organizations"][0].update(id=""), "organizations[0].id", "1 to 64"),
        (lambda d: d["organizations"][0].update(id=7), "organizations[0].id", "got integer"),
        (lambda d: d["organizations"][0].update(opportunities=[1]),
         "organizations[0].opportunities[0]", "expected an object, got integer"),
        (lambda d: d["organizations"][0].update(contacts=[{"email": "a@b.de"}]),
         "organizations[0].contacts[0].name", "missing"),
        (lambda d: d["organizations"][0].update(contacts=[{"name": "A", "email": "nope"}]),
         "organizations[0].contacts[0].email", "invalid e-mail"),
        (lambda d: d["organizations"][0].update(x=[1]), "organizations[0].x", "expected an object"),
        (lambda d: d["organizations"].append(copy.deepcopy(d["organizations"][0])),
         "organizations[2].id", "first used at organizations[0].id"),
    ],
)  # fmt: skip
def test_malformed_value_reports_exact_path(change, path, fragment):
    errors = errors_of(mutate(change))
    assert path in errors, errors
    assert fragment in errors[path]


def test_duplicate_opportunity_id_across_organisations():
    data = example()
    data["organizations"][1]["opportunities"][0]["id"] = "de-dx-01-o1"
    errors = errors_of(data)
    assert errors == {
        "organizations[1].opportunities[0].id": "duplicate opportunity id 'de-dx-01-o1' "
        "(first used at organizations[0].opportunities[0].id)"
    }


def test_organisation_and_opportunity_ids_are_separate_namespaces():
    data = example()
    data["organizations"][1]["opportunities"][0]["id"] = "de-dx-01"
    assert len(parse_exchange(data).organizations) == 2


def test_many_errors_reported_together():
    data = example()
    data["format"] = "qiao/0"
    data["organizations"][0]["kind"] = "firm"
    data["organizations"][0]["opportunities"][0]["topic"] = "sales"
    data["organizations"][1]["country"] = "cn1"
    data["organizations"][1]["identifiers"]["uscc"] = "91370100MA3C5J8X1B"
    data["organizations"][1]["opportunities"][0]["extra"] = 1
    with pytest.raises(ExchangeError) as info:
        parse_exchange(data)
    paths = [issue.path for issue in info.value.errors]
    assert paths == [
        "format",
        "organizations[0].kind",
        "organizations[0].opportunities[0].topic",
        "organizations[1].country",
        "organizations[1].identifiers.uscc",
        "organizations[1].opportunities[0].extra",
    ]
    assert "6 errors" in str(info.value)
    assert isinstance(info.value, ValueError)


def test_json_syntax_error_has_line_and_column():
    text = '{\n  "format": "qiao-exchange/1",\n  "organizations": [,]\n}'
    errors = errors_of(text)
    assert list(errors) == [""]
    assert "line 3, column 21" in errors[""]


def test_duplicate_json_keys_are_reported():
    text = EXAMPLE.read_text(encoding="utf-8").replace(
        '"kind": "company",', '"kind": "company", "kind": "research",', 1
    )
    errors = errors_of(text)
    assert "appears more than once" in errors["organizations[0].kind"]


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        (b"\xff\xfe{}", "not valid UTF-8"),
        ('{"format": NaN}', "NaN is not allowed"),
        ("[]", "top level, got list"),
        ("", "invalid JSON at line 1, column 1"),
    ],
)
def test_unreadable_files(data, fragment):
    errors = errors_of(data)
    assert fragment in errors[""]


def test_bom_is_tolerated():
    assert parse_exchange(b"\xef\xbb\xbf" + EXAMPLE.read_bytes()).organizations


def test_file_size_limit_checked_before_parsing(monkeypatch):
    monkeypatch.setattr(fmt.checks, "MAX_FILE_BYTES", 100)
    errors = errors_of(b"{" + b" " * 200 + b"}")
    assert "file too large: 202 bytes" in errors[""]


def test_file_size_limit_on_disk(tmp_path, monkeypatch):
    monkeypatch.setattr(fmt, "MAX_FILE_BYTES", 10)
    path = tmp_path / "big.json"
    path.write_bytes(EXAMPLE.read_bytes())
    with pytest.raises(ExchangeError, match="file too large"):
        parse_exchange_file(path)


def test_organisation_count_limit(monkeypatch):
    monkeypatch.setattr(fmt, "MAX_ORGANIZATIONS", 1)
    errors = errors_of(example())
    assert errors == {"organizations": "too many organisations: 2, at most 1"}


def test_error_collection_is_capped(monkeypatch):
    monkeypatch.setattr(fmt.checks, "MAX_ERRORS", 5)
    data = {"format": "qiao-exchange/1", "organizations": [{"bad": i} for i in range(10)]}
    with pytest.raises(ExchangeError) as info:
        parse_exchange(data)
    assert len(info.value.errors) == 6
    assert "stopped after" in info.value.errors[-1].message


def test_limits_match_spec():
    assert fmt.MAX_FILE_BYTES == 50 * 1024 * 1024
    assert fmt.MAX_ORGANIZATIONS == 100_000
    assert fmt.MAX_TEXT == 20_000
    assert fmt.MAX_TITLE == 200


def test_case_normalisation_of_codes():
    data = example()
    org = data["organizations"][0]
    org.update(country="de", languages=["DE", "en", "de"], sectors=["c21.20"])
    record = parse_exchange(data).organizations[0]
    assert (record.country, record.languages, record.sectors) == ("DE", ["de", "en"], ["C21.20"])


def test_empty_organisation_list_is_valid():
    assert parse_exchange({"format": "qiao-exchange/1", "organizations": []}).organizations == []
