"""In-process cache of engine indexes built from stored vectors.

An index is keyed by model and scope (``"all"`` for every published profile,
``"event:<id>"`` for one event's approved participants) and carries a stamp
(counts and last-change times of the underlying rows). A page that finds the
stamp unchanged reuses the index; otherwise the index is rebuilt from the
database, without calling the model.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field

import numpy as np

from qiao.matching import MatchIndex

#: How many indexes a process keeps (the global one plus recent events).
MAX_ENTRIES = 32


@dataclass
class CachedIndex:
    """An engine index with the stored raw vectors and the database objects it was built from."""

    index: MatchIndex | None
    vectors: dict[str, np.ndarray] = field(default_factory=dict)
    organizations: dict[int, object] = field(default_factory=dict)
    profiles: dict[int, object] = field(default_factory=dict)
    missing: int = 0
    rankings: dict[int, dict] = field(default_factory=dict)

    def profiles_of(self, organization_id: int) -> list:
        """Indexed profiles of an organisation."""
        return [p for p in self.profiles.values() if p.organization_id == organization_id]


_CACHE: OrderedDict[tuple, tuple[Hashable, CachedIndex]] = OrderedDict()
_LOCK = threading.Lock()


def cached(key: tuple, stamp: Hashable, build: Callable[[], CachedIndex]) -> CachedIndex:
    """The index for ``key`` if its ``stamp`` is unchanged, else a freshly built one."""
    with _LOCK:
        hit = _CACHE.get(key)
        if hit is not None and hit[0] == stamp:
            _CACHE.move_to_end(key)
            return hit[1]
    entry = build()
    with _LOCK:
        _CACHE[key] = (stamp, entry)
        _CACHE.move_to_end(key)
        while len(_CACHE) > MAX_ENTRIES:
            _CACHE.popitem(last=False)
    return entry


def clear() -> None:
    """Forget every cached index (tests, model changes)."""
    with _LOCK:
        _CACHE.clear()
