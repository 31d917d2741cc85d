"""Empty, very long and unexpected-language texts."""

from __future__ import annotations

import time

import numpy as np

from qiao.matching import embed_texts
from qiao.matching.text import chunk_text, detect_language, normalise_text

from .matching_helpers import DX_OFFER, DX_REQUEST, org, profile


def test_detect_language():
    assert detect_language("Wir suchen einen Vertriebspartner für unsere Geräte.") == "de"
    assert detect_language("We are looking for a distributor of our devices.") == "en"
    assert detect_language("我们正在寻找经销商。") == "zh"
    assert detect_language("Nous cherchons un distributeur pour nos appareils.") == "fr"
    assert detect_language("私たちは販売代理店を探しています。") == "ja"
    assert detect_language("") == "und"


def test_chunking_respects_budget_and_keeps_the_opening():
    text = "Erster Satz über das Angebot. " + "Weitere Einzelheiten folgen hier. " * 700
    assert len(text) > 20_000
    chunks = chunk_text(text, 1200, 6)
    assert 1 < len(chunks) <= 6
    assert all(len(c) <= 1200 for c in chunks)
    assert chunks[0].startswith("Erster Satz")
    assert chunk_text("", 100, 3) == [""]
    assert chunk_text("x" * 250, 100, 5) == ["x" * 100, "x" * 100, "x" * 50]
    assert normalise_text("  a \n\t b ") == "a b"


def test_empty_and_20000_char_texts_embed_and_match(engine):
    long_text = DX_OFFER[1] + " " + ("Unsere Kartuschen sind bei Raumtemperatur lagerfähig. " * 380)
    assert len(long_text) > 20_000
    start = time.perf_counter()
    vecs = embed_texts(["", long_text], engine.embedder, engine.cache)
    assert time.perf_counter() - start < 10
    assert vecs.shape == (2, engine.embedder.dim)
    assert np.all(np.isfinite(vecs))
    assert abs(float(np.linalg.norm(vecs[1])) - 1.0) < 1e-4
    orgs = [
        org("long", profile("long-o", "offer", DX_OFFER[0], long_text)),
        org("empty", profile("empty-o", "offer", "", "")),
        org("dist", profile("dist-r", "request", *DX_REQUEST), country="CN"),
    ]
    ranked = engine.rank(orgs, top_k=5)
    assert ranked["dist"][0].org_id == "long"
    for suggestions in ranked.values():
        assert all(np.isfinite(s.score) for s in suggestions)


def test_unexpected_languages_still_match_on_content(engine):
    french = org("fr", profile("fr-r", "request", "Recherche de tests PCR rapides",
                               "Distributeur de produits de diagnostic pour hôpitaux, nous "
                               "cherchons des tests moléculaires rapides à distribuer."),
                 country="FR")
    japanese = org("ja", profile("ja-r", "request", "体外診断薬の代理店権を希望",
                                 "当社は病院向けに分子診断試薬の販売を行っており、迅速検査キットの代理店を探しています。"),
                   country="JP")
    maker = org("maker", profile("maker-o", "offer", *DX_OFFER))
    unrelated = org("cnc", profile("cnc-o", "offer", "CNC-Fräsmaschinen",
                                   "Wir liefern Werkzeugmaschinen für die Autoindustrie."))
    ranked = engine.rank([french, japanese, maker, unrelated], top_k=2)
    assert ranked["fr"][0].org_id == "maker"
    assert ranked["ja"][0].org_id == "maker"
    assert engine.calibrator.lang_key("fr") == "*"
    assert engine.calibrator.lang_key("zh-hans") == "zh"
