"""Embedding cache: vectors stored per (model, normalised text) and recomputed only on change.

The key is ``sha256(model name + NUL + normalised text)``, so editing a text or
switching model gives a new key while re-saving an unchanged profile is free.
:class:`MemoryCache` serves tests and one-off runs; :class:`SqliteCache` is the
simple on-disk store used by the CLI; the web app can implement the same three
methods on top of its database.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import threading
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Protocol

import numpy as np

from .embedders import Embedder, load_embedder
from .text import chunk_text, is_cjk_heavy, normalise_text


class EmbeddingCache(Protocol):
    """Storage of float32 vectors by key."""

    def get_many(self, keys: Sequence[str]) -> dict[str, np.ndarray]:
        """Return the vectors found for ``keys`` (missing keys are left out)."""
        ...

    def set_many(self, items: Mapping[str, np.ndarray]) -> None:
        """Store (or overwrite) vectors."""
        ...


def cache_key(model_name: str, text: str) -> str:
    """Cache key of ``text`` under ``model_name`` (text is normalised first)."""
    payload = f"{model_name}\x00{normalise_text(text)}".encode()
    return hashlib.sha256(payload).hexdigest()


class MemoryCache:
    """In-process dict cache (thread-safe)."""

    def __init__(self) -> None:
        self._data: dict[str, np.ndarray] = {}
        self._lock = threading.Lock()

    def get_many(self, keys: Sequence[str]) -> dict[str, np.ndarray]:
        """Return the stored vectors for ``keys``."""
        with self._lock:
            return {k: self._data[k] for k in keys if k in self._data}

    def set_many(self, items: Mapping[str, np.ndarray]) -> None:
        """Store vectors."""
        with self._lock:
            self._data.update({k: np.asarray(v, np.float32) for k, v in items.items()})

    def __len__(self) -> int:
        return len(self._data)


class SqliteCache:
    """On-disk cache in one SQLite file (key TEXT PRIMARY KEY, vector BLOB)."""

    def __init__(self, path: str | os.PathLike) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        with self._connect() as con:
            con.execute("CREATE TABLE IF NOT EXISTS vectors (key TEXT PRIMARY KEY, vec BLOB)")

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self.path, timeout=30)

    def get_many(self, keys: Sequence[str]) -> dict[str, np.ndarray]:
        """Return the stored vectors for ``keys``."""
        found: dict[str, np.ndarray] = {}
        keys = list(keys)
        with self._lock, self._connect() as con:
            for i in range(0, len(keys), 500):
                part = keys[i : i + 500]
                marks = ",".join("?" * len(part))
                rows = con.execute(f"SELECT key, vec FROM vectors WHERE key IN ({marks})", part)
                for key, blob in rows:
                    found[key] = np.frombuffer(blob, dtype=np.float32).copy()
        return found

    def set_many(self, items: Mapping[str, np.ndarray]) -> None:
        """Store vectors."""
        rows = [(k, np.asarray(v, np.float32).tobytes()) for k, v in items.items()]
        with self._lock, self._connect() as con:
            con.executemany("INSERT OR REPLACE INTO vectors (key, vec) VALUES (?, ?)", rows)


def default_cache_path() -> Path:
    """``$QIAO_CACHE_DIR/embeddings.sqlite`` or ``~/.cache/qiao/embeddings.sqlite``."""
    base = os.environ.get("QIAO_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "qiao"
    )
    return Path(base) / "embeddings.sqlite"


def _chunks_for(embedder: Embedder, text: str) -> list[str]:
    budget = embedder.max_chars_cjk if is_cjk_heavy(text) else embedder.max_chars_latin
    return chunk_text(text, budget, embedder.max_chunks)


def _normalise_segments(embedder: Embedder, vec: np.ndarray) -> np.ndarray:
    out = vec.astype(np.float32, copy=True)
    for start, stop, _w in embedder.segments:
        n = float(np.linalg.norm(out[start:stop]))
        if n > 0:
            out[start:stop] /= n
    return out


def embed_texts(
    texts: Iterable[str],
    embedder: Embedder | None = None,
    cache: EmbeddingCache | None = None,
    batch_size: int = 64,
) -> np.ndarray:
    """Raw vectors for ``texts`` (one row each), computing only those not in ``cache``.

    Long texts are cut into chunks the model can take (see
    :func:`qiao.matching.text.chunk_text`); a text's vector is the mean of its
    chunks' vectors, re-normalised per segment. This is what the web app calls
    in the background when a profile is saved.
    """
    embedder = embedder or load_embedder()
    texts = [normalise_text(t) for t in texts]
    out = np.zeros((len(texts), embedder.dim), np.float32)
    if not texts:
        return out
    keys = [cache_key(embedder.name, t) for t in texts]
    found = cache.get_many(sorted(set(keys))) if cache is not None else {}
    todo: dict[str, str] = {}
    for key, text in zip(keys, texts, strict=False):
        if key not in found:
            todo.setdefault(key, text)
    if todo:
        owners: list[str] = []
        pieces: list[str] = []
        for key, text in todo.items():
            for piece in _chunks_for(embedder, text):
                owners.append(key)
                pieces.append(piece)
        vecs = np.concatenate(
            [embedder.embed(pieces[i : i + batch_size]) for i in range(0, len(pieces), batch_size)]
        )
        sums: dict[str, np.ndarray] = {}
        for key, vec in zip(owners, vecs, strict=False):
            sums[key] = sums[key] + vec if key in sums else vec.copy()
        new = {key: _normalise_segments(embedder, v) for key, v in sums.items()}
        if cache is not None:
            cache.set_many(new)
        found.update(new)
    for i, key in enumerate(keys):
        out[i] = found[key]
    return out
