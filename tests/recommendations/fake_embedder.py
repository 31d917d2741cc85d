"""A small deterministic embedder for page and service tests (no model, instant).

Texts map to a few shared concepts across German, English and Chinese (by
substring, so Chinese needs no word splitting), plus hashed Latin words with a
small weight. Configured through the embedder interface:
``QIAO_EMBEDDER = "recommendations.fake_embedder:FakeEmbedder"``.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Sequence

import numpy as np

CONCEPTS = (
    ("diagnos", "pcr", "ivd", "schnelltest", "rapid test", "诊断", "检测", "试剂"),
    ("vertrieb", "händler", "distribut", "dealer", "代理", "经销", "渠道"),
    ("klinik", "krankenhaus", "hospital", "labor", "医院"),
    ("maschine", "machine", "cnc", "werkzeug", "机床", "数控"),
    ("batterie", "battery", "akku", "电池", "储能"),
    ("musik", "music", "orchester", "orchestra", "音乐", "乐团"),
    ("software", "digital", "软件", "数字化"),
    ("wasser", "water", "abwasser", "污水", "水处理"),
)
CONCEPT_DIM = 32
HASH_DIM = 32
WORD = re.compile(r"[a-zäöüß]{4,}")


class FakeEmbedder:
    """Concept vectors: cross-lingual by construction, deterministic, 64 dimensions."""

    max_chars_latin = 2000
    max_chars_cjk = 700
    max_chunks = 6

    def __init__(self) -> None:
        self.name = "test/fake-concepts-1"
        self.dim = CONCEPT_DIM + HASH_DIM
        self.segments = [(0, self.dim, 1.0)]
        self.calls = 0

    def _one(self, text: str) -> np.ndarray:
        low = text.lower()
        vec = np.zeros(self.dim, np.float32)
        for i, words in enumerate(CONCEPTS):
            if any(w in low for w in words):
                vec[i] = 1.0
        for word in WORD.findall(low):
            vec[CONCEPT_DIM + zlib.crc32(word.encode()) % HASH_DIM] += 0.15
        vec[self.dim - 1] += 0.05
        return vec / np.linalg.norm(vec)

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Embed ``texts`` (counts the calls, so tests can check that pages never embed)."""
        self.calls += 1
        return np.stack([self._one(t) for t in texts]) if texts else np.zeros((0, self.dim))
