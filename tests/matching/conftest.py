"""Fixtures for the matching engine tests: one real model per session."""

from __future__ import annotations

import pytest

from qiao.matching import MatchEngine, MemoryCache, load_embedder


@pytest.fixture(scope="session")
def embedder():
    return load_embedder("use")


@pytest.fixture(scope="session")
def engine(embedder):
    return MatchEngine(embedder, MemoryCache())
