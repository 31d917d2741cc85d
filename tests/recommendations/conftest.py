"""Recommendation tests use the deterministic fake embedder and a fresh index cache."""

from __future__ import annotations

import pytest

from qiao.recommendations import index_cache

FAKE_EMBEDDER = "recommendations.fake_embedder:FakeEmbedder"


@pytest.fixture(autouse=True)
def fake_embedder(settings):
    """Configure the fake embedder for the test; returns the embedder instance."""
    from qiao.recommendations import engine

    settings.QIAO_EMBEDDER = FAKE_EMBEDDER
    index_cache.clear()
    engine._READY.clear()  # calibration vectors live in the test database
    yield engine.current_engine().embedder
    index_cache.clear()
    engine._READY.clear()
