"""The engine's embedding cache in the database, shared by web and worker processes."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from django.db import IntegrityError, transaction

from qiao.recommendations.models import CachedVector

CHUNK = 500


class DatabaseCache:
    """:class:`qiao.matching.EmbeddingCache` on the ``CachedVector`` table."""

    def get_many(self, keys: Sequence[str]) -> dict[str, np.ndarray]:
        """Return the stored vectors for ``keys`` (missing keys are left out)."""
        keys = list(keys)
        found: dict[str, np.ndarray] = {}
        for start in range(0, len(keys), CHUNK):
            rows = CachedVector.objects.filter(pk__in=keys[start:start + CHUNK])
            for key, blob in rows.values_list("key", "vector"):
                found[key] = np.frombuffer(bytes(blob), dtype=np.float32).copy()
        return found

    def set_many(self, items: Mapping[str, np.ndarray]) -> None:
        """Store vectors (existing keys keep their vector: same key, same text and model)."""
        rows = [CachedVector(key=k, vector=np.asarray(v, np.float32).tobytes())
                for k, v in items.items()]
        try:
            with transaction.atomic():
                CachedVector.objects.bulk_create(rows, batch_size=CHUNK, ignore_conflicts=True)
        except IntegrityError:  # pragma: no cover - ignore_conflicts covers every backend
            pass
