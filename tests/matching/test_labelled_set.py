"""The labelled evaluation set is valid and the engine meets its targets on it."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from qiao.exchange.format import parse_exchange
from qiao.matching import orgs_from_records
from qiao.matching.engine import profile_language

DATA = Path(__file__).resolve().parents[2] / "bench" / "data"


@pytest.fixture(scope="module")
def labelled():
    exchange = parse_exchange((DATA / "orgs.json").read_bytes())
    labels = json.loads((DATA / "labels.json").read_text("utf-8"))
    return orgs_from_records(exchange.organizations), labels


def test_set_is_large_cross_lingual_and_consistent(labelled):
    orgs, labels = labelled
    by_id = {o.id: o for o in orgs}
    assert len(orgs) >= 60
    assert len(labels["pairs"]) >= 40
    assert len(labels["hard_negatives"]) >= 20
    pairs = {frozenset(p) for p in labels["pairs"]}
    for a, b in labels["pairs"]:
        langs_a = {profile_language(p) for p in by_id[a].profiles}
        langs_b = {profile_language(p) for p in by_id[b].profiles}
        assert not langs_a & langs_b, (a, b)
    kinds = {h["kind"] for h in labels["hard_negatives"]}
    assert kinds == {"competitor", "same_direction", "licence_vs_finished", "research_vs_trader"}
    for h in labels["hard_negatives"]:
        assert frozenset((h["org"], h["partner"])) in pairs
        assert frozenset((h["org"], h["lookalike"])) not in pairs
        assert h["lookalike"] in by_id


def test_engine_meets_targets_on_the_set(engine, labelled):
    orgs, labels = labelled
    ranked = engine.rank(orgs, top_k=len(orgs))
    partners: dict[str, set[str]] = {}
    for a, b in labels["pairs"]:
        partners.setdefault(a, set()).add(b)
        partners.setdefault(b, set()).add(a)
    rr, top5 = [], []
    for a, b in labels["pairs"]:
        for q, t in ((a, b), (b, a)):
            order = [s.org_id for s in ranked[q] if s.org_id == t or s.org_id not in partners[q]]
            rank = order.index(t) + 1 if t in order else len(orgs)
            rr.append(1 / rank)
            top5.append(rank <= 5)
    assert np.mean(rr) >= 0.9
    assert np.mean(top5) >= 0.97
    for h in labels["hard_negatives"]:
        scores = {s.org_id: s.score for s in ranked[h["org"]]}
        assert scores.get(h["partner"], 0) > scores.get(h["lookalike"], 0), h


def test_scores_do_not_depend_on_the_pool(engine, labelled):
    """A 15-participant event gets exactly the scores the same pairs get among all orgs."""
    orgs, labels = labelled
    by_id = {o.id: o for o in orgs}
    event_ids = []
    for a, b in labels["pairs"][:7]:
        for x in (a, b):
            if x not in event_ids:
                event_ids.append(x)
    event_ids = event_ids[:14] + [labels["hard_negatives"][0]["lookalike"]]
    event = [by_id[i] for i in event_ids]
    small = engine.rank(event, top_k=len(event))
    full = engine.rank(orgs, top_k=len(orgs))
    for oid in event_ids:
        full_scores = {s.org_id: s.score for s in full[oid]}
        for s in small[oid]:
            assert abs(s.score - full_scores[s.org_id]) < 1e-5
