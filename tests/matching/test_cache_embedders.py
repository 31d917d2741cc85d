"""Embedding cache (recompute only on change), embedder configuration, reasons, calibration."""

from __future__ import annotations

import numpy as np
import pytest

from qiao.matching import (
    MemoryCache,
    Reason,
    SqliteCache,
    cache_key,
    describe_reason,
    embed_texts,
    load_embedder,
)
from qiao.matching.embedders import USEEmbedder


class CountingEmbedder:
    """Wraps a real embedder and counts the texts it is asked to embed."""

    def __init__(self, inner):
        self.inner = inner
        self.name, self.dim, self.segments = inner.name, inner.dim, inner.segments
        self.max_chars_latin, self.max_chars_cjk = inner.max_chars_latin, inner.max_chars_cjk
        self.max_chunks = inner.max_chunks
        self.seen = []

    def embed(self, texts):
        self.seen.extend(texts)
        return self.inner.embed(texts)


def test_cache_key_uses_model_and_normalised_text():
    assert cache_key("m", "Hallo  Welt ") == cache_key("m", "Hallo Welt")
    assert cache_key("m", "Hallo Welt") != cache_key("other", "Hallo Welt")
    assert cache_key("m", "Hallo Welt") != cache_key("m", "Hallo Welt!")


@pytest.mark.parametrize("make_cache", [lambda p: MemoryCache(), lambda p: SqliteCache(p / "c")])
def test_texts_are_embedded_once_until_they_change(embedder, tmp_path, make_cache):
    counting = CountingEmbedder(embedder)
    cache = make_cache(tmp_path)
    first = embed_texts(["Angebot A", "报价 B", "Angebot A"], counting, cache)
    assert sorted(counting.seen) == ["Angebot A", "报价 B"]
    again = embed_texts(["Angebot  A", "报价 B"], counting, cache)
    assert len(counting.seen) == 2
    assert np.allclose(first[:2], again)
    embed_texts(["Angebot A (geändert)"], counting, cache)
    assert counting.seen[-1] == "Angebot A (geändert)"


def test_sqlite_cache_persists(tmp_path, embedder):
    path = tmp_path / "emb.sqlite"
    vec = embed_texts(["persist me"], embedder, SqliteCache(path))
    stored = SqliteCache(path).get_many([cache_key(embedder.name, "persist me")])
    assert np.allclose(next(iter(stored.values())), vec[0])


def test_embedder_from_env_and_dotted_path(monkeypatch):
    monkeypatch.setenv("QIAO_EMBEDDER", "qiao.matching.embedders:USEEmbedder")
    assert isinstance(load_embedder(), USEEmbedder)
    assert isinstance(load_embedder("use"), USEEmbedder)
    combined = load_embedder("e5*1+use*3")
    assert combined.dim == 384 + 512
    assert [round(w, 2) for _a, _b, w in combined.segments] == [0.25, 0.75]
    with pytest.raises(ValueError):
        load_embedder("no-such-model")


def test_describe_reason_in_three_languages():
    r = Reason("a-o", "b-r", "offer-request", 0.5, ("distribution",), "PCR-Tests", "体外诊断")
    assert describe_reason(r, "en").startswith("Your offer “PCR-Tests” meets their request")
    assert "distribution" in describe_reason(r, "en")
    assert describe_reason(r, "de").startswith("Ihr Angebot „PCR-Tests“ trifft deren Gesuch")
    assert "Vertrieb" in describe_reason(r, "de")
    assert describe_reason(r, "zh-hans").startswith("您的供给“PCR-Tests”符合对方的需求“体外诊断”")
    assert "经销代理" in describe_reason(r, "zh-hans")
    back = Reason("b-r", "a-o", "request-offer", 0.1)
    assert "Your request “b-r” meets their offer “a-o”" in describe_reason(back, "fr")


def test_calibration_removes_language_means(engine):
    cal = engine.calibrator
    raw = embed_texts(["Wir suchen Händler.", "我们寻找经销商。"], engine.embedder, engine.cache)
    out = cal.transform(raw, ["de", "zh"])
    assert np.allclose(np.linalg.norm(out, axis=1), 1.0, atol=1e-5)
    assert not np.allclose(out, raw)
    off = cal.pair_offsets()
    codes = cal.lang_codes
    assert off.shape == (len(codes), len(codes))
    assert np.allclose(off, off.T, atol=1e-4)
    assert off[codes["zh"], codes["zh"]] > off[codes["zh"], codes["de"]]
