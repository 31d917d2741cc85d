"""Scoring rules: direction, cooperation types, self-exclusion, determinism, both ways."""

from __future__ import annotations

import numpy as np

from qiao.matching import ScoringConfig
from qiao.matching.compat import COOP_TABLE, coop_mask

from .matching_helpers import DX_OFFER, DX_REQUEST, org, profile


def test_offer_meets_request_and_reason_names_the_pair(engine):
    maker = org("maker", profile("maker-o", "offer", *DX_OFFER), country="DE")
    dist = org("dist", profile("dist-r", "request", *DX_REQUEST), country="CN")
    ranked = engine.rank([maker, dist], top_k=5)
    assert [s.org_id for s in ranked["maker"]] == ["dist"]
    reason = ranked["maker"][0].reasons[0]
    assert (reason.mine, reason.theirs, reason.relation) == ("maker-o", "dist-r", "offer-request")
    assert reason.cooperation == ("distribution",)
    back = ranked["dist"][0].reasons[0]
    assert (back.mine, back.theirs, back.relation) == ("dist-r", "maker-o", "request-offer")


def test_offer_never_meets_offer_nor_request_request(engine):
    a = org("a", profile("a-o", "offer", *DX_OFFER))
    b = org("b", profile("b-o", "offer", *DX_OFFER))  # identical competitor
    c = org("c", profile("c-r", "request", *DX_REQUEST))
    d = org("d", profile("d-r", "request", *DX_REQUEST))
    ranked = engine.rank([a, b, c, d], top_k=5)
    assert {s.org_id for s in ranked["a"]} == {"c", "d"}
    assert {s.org_id for s in ranked["c"]} == {"a", "b"}
    for suggestions in ranked.values():
        for s in suggestions:
            for r in s.reasons:
                assert r.relation in ("offer-request", "request-offer")
                assert r.mine.split("-")[1][0] != r.theirs.split("-")[1][0]


def test_self_is_never_suggested(engine):
    both = org("both", profile("both-o", "offer", *DX_OFFER),
               profile("both-r", "request", *DX_REQUEST))
    other = org("other", profile("other-r", "request", *DX_REQUEST))
    ranked = engine.rank([both, other], top_k=5)
    assert [s.org_id for s in ranked["both"]] == ["other"]
    index = engine.build_index([both, other])
    assert [s.org_id for s in engine.suggest_for(both, index, 5)] == ["other"]


def test_shared_cooperation_type_beats_mismatch(engine):
    title, text = "Lizenz für Ultraschallwandler-Fertigung", "Wir bieten unsere Technologie an."
    seeker = org("seeker", profile("s-r", "request", "超声探头生产技术许可",
                                   "我们希望获得超声探头制造技术许可，在本地生产。",
                                   coop=["licensing"], topic="technology"), country="CN")
    licensor = org("lic", profile("l-o", "offer", title, text, coop=["licensing"],
                                  topic="technology"))
    seller = org("sel", profile("x-o", "offer", title, text, coop=["distribution"],
                                topic="technology"))
    ranked = engine.rank([seeker, licensor, seller], top_k=5)
    scores = {s.org_id: s.score for s in ranked["seeker"]}
    assert scores["lic"] > 1.5 * scores["sel"]


def test_coop_table_is_symmetric_and_exact_match_is_best():
    assert np.allclose(COOP_TABLE, COOP_TABLE.T)
    lic, dist = coop_mask(["licensing"]), coop_mask(["distribution"])
    assert COOP_TABLE[lic, lic] == 1.0
    assert COOP_TABLE[lic, dist] < COOP_TABLE[lic, coop_mask(["manufacturing"])] < 1.0


def test_rank_is_deterministic_and_order_independent(engine):
    orgs = [
        org("m1", profile("m1-o", "offer", *DX_OFFER)),
        org("m2", profile("m2-o", "offer", "Laborautomation", "Pipettierroboter für Labore.")),
        org("d1", profile("d1-r", "request", *DX_REQUEST), country="CN"),
        org("d2", profile("d2-r", "request", "寻找实验室自动化设备", "我们代理移液工作站。"),
            country="CN"),
    ]
    first = engine.rank(orgs, top_k=3)
    again = engine.rank(orgs, top_k=3)
    reordered = engine.rank(list(reversed(orgs)), top_k=3)
    assert first == again
    for oid, suggestions in first.items():
        other = reordered[oid]
        assert [s.org_id for s in suggestions] == [s.org_id for s in other]
        assert np.allclose([s.score for s in suggestions], [s.score for s in other], atol=1e-5)


def test_fit_in_both_directions_is_rewarded(engine):
    a = org("a", profile("a-o", "offer", *DX_OFFER),
            profile("a-r", "request", "Partner für klinische Studien", "Klinik für Studie gesucht.",
                    coop=["research"], topic="research"))
    one_way = org("one", profile("one-r", "request", *DX_REQUEST), country="CN")
    two_way = org("two", profile("two-r", "request", *DX_REQUEST),
                  profile("two-o", "offer", "承接临床试验", "我院可开展临床研究。",
                          coop=["research"], topic="research"), country="CN")
    top = engine.rank([a, one_way, two_way], top_k=2)["a"]
    assert [s.org_id for s in top] == ["two", "one"]
    assert {r.relation for r in top[0].reasons} == {"offer-request", "request-offer"}
    best_pair = max(r.score for r in top[0].reasons)
    second_pair = min(r.score for r in top[0].reasons)
    assert abs(top[0].score - (best_pair + 0.3 * second_pair)) < 1e-5
    plain = type(engine)(engine.embedder, engine.cache, ScoringConfig(both_ways=0.0))
    two = plain.rank([a, one_way, two_way], top_k=2)["a"][0]
    assert abs(two.score - best_pair) < 1e-5


def test_target_countries_that_exclude_the_partner_lower_the_score(engine):
    dist = org("dist", profile("d-r", "request", *DX_REQUEST), country="CN")
    open_offer = org("open", profile("o-o", "offer", *DX_OFFER))
    elsewhere = org("else", profile("e-o", "offer", *DX_OFFER, targets=["BR"]))
    scores = {s.org_id: s.score for s in engine.rank([dist, open_offer, elsewhere])["dist"]}
    assert scores["else"] < scores["open"]


def test_research_profile_facing_pure_trader_is_damped(engine):
    inst = org("inst", profile("i-o", "offer", "Forschung zu Keramikmembranen",
                               "Gemeinsame Forschung zu Membranen für Abwasser.",
                               coop=["research"], topic="research"), kind="research")
    wish = ("膜分离技术研究合作", "寻求废水膜技术研究合作。")
    lab = org("lab", profile("l-r", "request", *wish, coop=["research"], topic="research"),
              country="CN")
    trader = org("trader", profile("t-r", "request", *wish, coop=["research"], topic="research"),
                 country="CN", sectors=["G46.69"])
    scores = {s.org_id: s.score for s in engine.rank([inst, lab, trader])["inst"]}
    assert scores["trader"] < 0.6 * scores["lab"]


def test_suggest_for_equals_rank_and_index_from_stored_vectors(engine):
    orgs = [
        org("m1", profile("m1-o", "offer", *DX_OFFER)),
        org("d1", profile("d1-r", "request", *DX_REQUEST), country="CN"),
        org("d2", profile("d2-r", "request", "寻找实验室自动化设备", "我们代理移液工作站。"),
            country="CN"),
    ]
    ranked = engine.rank(orgs, top_k=5)
    stored = engine.raw_vectors(orgs)  # what the web app keeps in its database
    index = engine.build_index(orgs, raw_vectors=stored)
    via_index = engine.suggest_for(orgs[0], index, top_k=5)
    assert [s.org_id for s in via_index] == [s.org_id for s in ranked["m1"]]
    assert np.allclose([s.score for s in via_index], [s.score for s in ranked["m1"]], atol=1e-5)
    outsider = org("new", profile("new-o", "offer", *DX_OFFER))
    assert engine.suggest_for(outsider, index, 1)[0].org_id == "d1"
    partial = {k: v for k, v in stored.items() if k != "d2-r"}  # not embedded yet
    again = engine.build_index(orgs, raw_vectors=partial)
    assert np.allclose(again.requests.vecs, index.requests.vecs, atol=1e-6)


def test_org_without_profiles_gets_empty_list(engine):
    ranked = engine.rank([org("empty"), org("m1", profile("m1-o", "offer", *DX_OFFER))])
    assert ranked == {"empty": [], "m1": []}


def test_site_request_prefers_the_place_it_names(engine):
    seeker = org("seeker", profile("s-r", "request", "Produktionsstandort in China gesucht",
                                   "Wir suchen eine Halle in einem Technologiepark.",
                                   coop=["site_location"], topic="site", targets=["CN"]))
    park_cn = org("park", profile("p-o", "offer", "科技园厂房招商",
                                  "园区为外资企业提供厂房和优惠政策。",
                                  coop=["site_location"], topic="site"), country="CN")
    park_de = org("agency", profile("a-o", "offer", "Gewerbeflächen im Technologiepark",
                                    "Wir bieten Hallen und Ansiedlungsservice für Investoren.",
                                    coop=["site_location"], topic="site"), country="DE")
    scores = {s.org_id: s.score for s in engine.rank([seeker, park_cn, park_de])["seeker"]}
    assert scores["park"] > scores["agency"]
