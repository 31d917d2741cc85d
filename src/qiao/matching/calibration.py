"""Language-bias correction for multilingual embeddings.

Multilingual sentence embeddings carry a strong language component: two
unrelated German texts are often closer than a German text and its Chinese
translation. We remove it by subtracting, from every vector, the mean vector of
its language estimated once on the fixed parallel corpus in
:mod:`qiao.matching.reference_corpus` (not on the candidate pool, so it works
the same for a 15-person event and for 100,000 profiles), then re-normalising.
Texts in a language without reference data get the mean of all reference
languages subtracted, which removes the generic "text" direction.

Means for the built-in models are precomputed in ``data/reference_means.json``
(keyed by model name and corpus fingerprint); for any other model they are
computed on first use through the embedding cache.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from .cache import EmbeddingCache, MemoryCache, embed_texts
from .embedders import Embedder
from .reference_corpus import REFERENCE

MEANS_FILE = Path(__file__).with_name("data") / "reference_means.json"
LANG_ALIASES = {"zh-hans": "zh", "zh-hant": "zh", "zh-cn": "zh", "zh-tw": "zh"}


def corpus_fingerprint() -> str:
    """Short hash of the reference corpus (means are invalid once it changes)."""
    blob = json.dumps(REFERENCE, sort_keys=True, ensure_ascii=False).encode()
    return hashlib.sha256(blob).hexdigest()[:16]


def compute_reference_means(
    embedder: Embedder, cache: EmbeddingCache | None = None
) -> dict[str, np.ndarray]:
    """Embed the reference corpus and return the raw mean vector per language."""
    means = {}
    for lang, texts in REFERENCE.items():
        means[lang] = embed_texts(texts, embedder, cache).mean(axis=0)
    return means


def load_precomputed(model_name: str) -> dict[str, np.ndarray] | None:
    """Means stored for ``model_name`` and the current corpus, or ``None``."""
    try:
        data = json.loads(MEANS_FILE.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    entry = data.get(f"{model_name}|{corpus_fingerprint()}")
    if not entry:
        return None
    return {lang: np.asarray(v, np.float32) for lang, v in entry.items()}


def save_precomputed(model_name: str, means: dict[str, np.ndarray]) -> None:
    """Store ``means`` for ``model_name`` in ``data/reference_means.json``."""
    try:
        data = json.loads(MEANS_FILE.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        data = {}
    data[f"{model_name}|{corpus_fingerprint()}"] = {
        lang: [round(float(x), 6) for x in v] for lang, v in sorted(means.items())
    }
    MEANS_FILE.parent.mkdir(parents=True, exist_ok=True)
    MEANS_FILE.write_text(json.dumps(data, indent=0), encoding="utf-8")


def _offsets_key(model_name: str, strength: float) -> str:
    return f"{model_name}|offsets|{strength:g}"


def load_learned_offsets(model_name: str, strength: float) -> dict[str, float] | None:
    """Learned ``{"de|zh": offset, ...}`` for ``model_name`` at ``strength``, if shipped."""
    try:
        data = json.loads(MEANS_FILE.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data.get(_offsets_key(model_name, strength))


def save_learned_offsets(model_name: str, strength: float, offsets: dict[str, float]) -> None:
    """Ship per-language-pair offsets learned once on labelled reference data.

    ``offsets`` maps ``"de|zh"`` style keys to the mean similarity of unrelated
    offer/request pairs in that language pair minus the mean over pairs of
    different languages (bench/matching.py ``--calibrate`` computes them).
    """
    try:
        data = json.loads(MEANS_FILE.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        data = {}
    data[_offsets_key(model_name, strength)] = {k: round(float(v), 5) for k, v in offsets.items()}
    MEANS_FILE.parent.mkdir(parents=True, exist_ok=True)
    MEANS_FILE.write_text(json.dumps(data, indent=0), encoding="utf-8")


def normalise_lang(lang: str | None) -> str:
    """Map a language tag to the key used for the means (``"zh-hans"`` → ``"zh"``)."""
    lang = (lang or "und").lower()
    return LANG_ALIASES.get(lang, lang.split("-")[0])


class LanguageCalibrator:
    """Turns raw embedder output into comparable, bias-corrected vectors.

    ``strength`` scales the subtracted mean (1.0 = full centering, 0 = off).
    The result of :meth:`transform` has unit norm overall; its dot products are
    the weighted mean of the segments' corrected cosines.
    """

    def __init__(
        self,
        embedder: Embedder,
        cache: EmbeddingCache | None = None,
        strength: float = 1.0,
    ) -> None:
        self.embedder = embedder
        self.cache = cache if cache is not None else MemoryCache()
        self.strength = strength
        self._means: dict[str, np.ndarray] | None = None
        self._lock = threading.Lock()

    @property
    def means(self) -> dict[str, np.ndarray]:
        """Per-language raw mean vectors, plus ``"*"`` for other languages."""
        with self._lock:
            if self._means is None:
                means = load_precomputed(self.embedder.name)
                if means is None:
                    means = compute_reference_means(self.embedder, self.cache)
                means["*"] = np.mean([means[k] for k in sorted(means)], axis=0)
                self._means = means
            return self._means

    def transform(self, raw: np.ndarray, langs: Sequence[str | None]) -> np.ndarray:
        """Corrected, weighted, unit-norm vectors for ``raw`` rows in languages ``langs``."""
        raw = np.asarray(raw, np.float32)
        out = np.empty_like(raw)
        if len(raw) == 0:
            return out
        means = self.means
        keys = [normalise_lang(lang) for lang in langs]
        keys = [k if k in means else "*" for k in keys]
        mean_rows = np.stack([means[k] for k in keys]).astype(np.float32)
        centred = raw - self.strength * mean_rows
        for start, stop, weight in self.embedder.segments:
            seg = centred[:, start:stop]
            norms = np.linalg.norm(seg, axis=1, keepdims=True)
            norms[norms == 0] = 1.0
            out[:, start:stop] = seg / norms * np.float32(np.sqrt(weight))
        return out

    @property
    def lang_codes(self) -> dict[str, int]:
        """Language key → row of :meth:`pair_offsets` (``"*"`` = any other language)."""
        keys = sorted(k for k in self.means if k != "*") + ["*"]
        return {k: i for i, k in enumerate(keys)}

    def lang_key(self, lang: str | None) -> str:
        """The key of ``lang`` in :attr:`lang_codes`."""
        key = normalise_lang(lang)
        return key if key in self.means else "*"

    def pair_offsets(self) -> np.ndarray:
        """Per-language-pair score offsets, subtracted from pair similarities.

        Learned offsets shipped for this model and strength (see
        :func:`save_learned_offsets`) win; otherwise they are estimated from the
        reference corpus as described in :meth:`reference_offsets`.
        """
        with self._lock:
            cached = getattr(self, "_offsets", None)
        if cached is not None:
            return cached
        learned = load_learned_offsets(self.embedder.name, self.strength)
        codes = self.lang_codes
        if learned is not None:
            off = np.zeros((len(codes), len(codes)), np.float32)
            for key, value in learned.items():
                a, _, b = key.partition("|")
                if a in codes and b in codes:
                    off[codes[a], codes[b]] = value
        else:
            off = self.reference_offsets()
        with self._lock:
            self._offsets = off
        return off

    def reference_offsets(self) -> np.ndarray:
        """Mean similarity of unrelated texts per language pair, after correction.

        Measured on the reference corpus (pairs of different statements) and
        expressed relative to the mean over different-language pairs, so it is
        ~0 for cross-language pairs and positive where a language pair still
        scores unrelated texts higher. Subtracted from pair similarities.
        """
        codes = self.lang_codes
        langs = [k for k in codes if k != "*"]
        vecs = {}
        for lang in langs:
            raw = embed_texts(REFERENCE[lang], self.embedder, self.cache)
            vecs[lang] = self.transform(raw, [lang] * len(raw))
        n = len(codes)
        off = np.zeros((n, n), np.float32)
        for a in langs:
            for b in langs:
                sims = vecs[a] @ vecs[b].T
                mask = ~np.eye(len(sims), dtype=bool)  # same statement = a translation
                off[codes[a], codes[b]] = float(sims[mask].mean())
        cross = [off[codes[a], codes[b]] for a in langs for b in langs if a != b]
        off -= np.float32(np.mean(cross)) if cross else 0.0
        star = codes["*"]
        off[star, :] = 0.0
        off[:, star] = 0.0
        return off
