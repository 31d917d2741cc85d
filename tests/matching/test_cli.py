"""The ``qiao match`` contract: qiao-matches/1 on stdout, validation errors on stderr."""

from __future__ import annotations

import copy
import json
import math
import re
from pathlib import Path

import pytest

from qiao.matching.cli import main

SPEC = Path(__file__).resolve().parents[3] / "shared" / "specs" / "exchange.md"

EXAMPLE = {
    "format": "qiao-exchange/1",
    "organizations": [
        {
            "id": "de-dx-01", "name": "Elbtal Diagnostik GmbH", "kind": "company",
            "country": "DE", "region": "Sachsen", "city": "Dresden",
            "languages": ["de", "en"], "employees": 35, "sectors": ["C21.20"],
            "description": "Entwickelt PCR-Schnelltests für Atemwegsinfektionen.",
            "opportunities": [
                {"id": "de-dx-01-o1", "direction": "offer", "topic": "business",
                 "title": "Vertriebspartner für PCR-Schnelltests in China gesucht",
                 "text": "Wir suchen einen Händler mit Zugang zu Kliniklaboren in Shandong ...",
                 "cooperation": ["distribution"], "target_countries": ["CN"]},
            ],
        },
        {
            "id": "cn-jn-07", "name": "济南华康医疗器械有限公司",
            "name_latin": "Jinan Huakang Medical Devices", "kind": "company", "country": "CN",
            "region": "山东", "city": "济南", "languages": ["zh"],
            "identifiers": {"uscc": "91370100MA3C5J8X1M"},
            "opportunities": [
                {"id": "cn-jn-07-r1", "direction": "request", "topic": "business",
                 "title": "寻求欧洲体外诊断产品代理权",
                 "text": "我公司在山东省拥有三百余家医院客户，希望代理欧洲的分子诊断试剂 ...",
                 "cooperation": ["distribution"], "target_countries": ["DE", "AT"]},
            ],
        },
    ],
}


def spec_example() -> dict:
    """The example of specs/exchange.md (falls back to the copy above)."""
    if SPEC.exists():
        found = re.search(r"## Example\s*```json\n(.*?)```", SPEC.read_text("utf-8"), re.S)
        if found:
            return json.loads(found.group(1))
    return copy.deepcopy(EXAMPLE)


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture()
def cache_args(tmp_path):
    return ["--cache", str(tmp_path / "emb.sqlite")]


def test_spec_example_gives_valid_matches(tmp_path, capsys, cache_args):
    path = tmp_path / "example.json"
    path.write_text(json.dumps(spec_example(), ensure_ascii=False), encoding="utf-8")
    code, out, err = run(capsys, str(path), "--top", "5", *cache_args)
    assert code == 0, err
    doc = json.loads(out)
    assert doc["format"] == "qiao-matches/1"
    assert isinstance(doc["model"], str) and doc["model"]
    assert [m["organization"] for m in doc["matches"]] == ["de-dx-01", "cn-jn-07"]
    top = {m["organization"]: m["partners"][0] for m in doc["matches"]}
    assert top["de-dx-01"]["organization"] == "cn-jn-07"
    assert top["cn-jn-07"]["organization"] == "de-dx-01"
    reason = top["de-dx-01"]["reasons"][0]
    assert reason == {"mine": "de-dx-01-o1", "theirs": "cn-jn-07-r1",
                      "relation": "offer-request", "score": reason["score"],
                      "cooperation": ["distribution"]}
    for m in doc["matches"]:
        assert len(m["partners"]) <= 5
        for p in m["partners"]:
            assert p["organization"] != m["organization"]
            assert math.isfinite(p["score"])
            assert set(p) == {"organization", "score", "reasons"}


def test_every_org_listed_in_input_order_even_without_partners(tmp_path, capsys, cache_args):
    data = spec_example()
    data["organizations"].append({"id": "lonely", "name": "Lonely e. V.", "kind": "other",
                                  "country": "DE", "languages": ["de"]})
    data["organizations"].insert(0, data["organizations"].pop())
    path = tmp_path / "in.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    code, out, _err = run(capsys, str(path), *cache_args)
    assert code == 0
    doc = json.loads(out)
    assert [m["organization"] for m in doc["matches"]] == ["lonely", "de-dx-01", "cn-jn-07"]
    assert doc["matches"][0]["partners"] == []


def test_top_limits_the_list(tmp_path, capsys, cache_args):
    path = tmp_path / "example.json"
    path.write_text(json.dumps(spec_example(), ensure_ascii=False), encoding="utf-8")
    code, out, _ = run(capsys, str(path), "--top", "0", *cache_args)
    assert code == 0
    assert all(m["partners"] == [] for m in json.loads(out)["matches"])


def test_table_shows_names_and_reasons_in_ui_language(tmp_path, capsys, cache_args):
    path = tmp_path / "example.json"
    path.write_text(json.dumps(spec_example(), ensure_ascii=False), encoding="utf-8")
    code, out, _ = run(capsys, str(path), "--format", "table", "--lang", "de", *cache_args)
    assert code == 0
    assert "Elbtal Diagnostik GmbH" in out and "济南华康医疗器械有限公司" in out
    assert "Ihr Angebot „Vertriebspartner für PCR-Schnelltests in China gesucht“" in out
    code, out, _ = run(capsys, str(path), "--format", "table", "--lang", "zh-hans", *cache_args)
    assert "您的需求“寻求欧洲体外诊断产品代理权”" in out


def test_invalid_file_exits_2_with_validation_errors(tmp_path, capsys, cache_args):
    data = spec_example()
    data["organizations"][0]["opportunities"][0]["direction"] = "sideways"
    data["organizations"][1]["colour"] = "red"
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    code, out, err = run(capsys, str(path), *cache_args)
    assert code == 2
    assert out == ""
    assert "organizations[0].opportunities[0].direction" in err
    assert "organizations[1].colour" in err


def test_broken_json_and_missing_file_exit_2(tmp_path, capsys, cache_args):
    path = tmp_path / "broken.json"
    path.write_text("{not json", encoding="utf-8")
    code, out, err = run(capsys, str(path), *cache_args)
    assert code == 2 and out == "" and err
    code, out, err = run(capsys, str(tmp_path / "missing.json"), *cache_args)
    assert code == 2 and "cannot read" in err


def test_runs_as_module(tmp_path):
    import os
    import subprocess
    import sys

    src = Path(__file__).resolve().parents[2] / "src"
    env = {**os.environ, "PYTHONPATH": str(src), "QIAO_CACHE_DIR": str(tmp_path)}
    good = tmp_path / "example.json"
    good.write_text(json.dumps(spec_example(), ensure_ascii=False), encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "qiao.matching", str(good), "--top", "1"],
                          capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["matches"][0]["partners"][0]["organization"] == "cn-jn-07"
    assert (tmp_path / "embeddings.sqlite").exists()
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "qiao-exchange/2", "organizations": []}', encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "qiao.matching", str(bad)],
                          capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 2
    assert "format" in done.stderr and done.stdout == ""
