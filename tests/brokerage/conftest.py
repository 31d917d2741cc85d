"""Brokerage tests compute reasons with the recommendations tests' fake embedder."""

from __future__ import annotations

import pytest

from qiao.recommendations import index_cache


@pytest.fixture(autouse=True)
def fake_embedder(settings):
    """Configure the deterministic fake embedder (see tests/recommendations/fake_embedder.py)."""
    from qiao.recommendations import engine

    settings.QIAO_EMBEDDER = "recommendations.fake_embedder:FakeEmbedder"
    index_cache.clear()
    engine._READY.clear()  # calibration vectors live in the test database
    yield engine.current_engine().embedder
    index_cache.clear()
    engine._READY.clear()
