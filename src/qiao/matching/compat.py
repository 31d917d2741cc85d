"""Structured compatibility of an offer with a request, as lookup tables.

Cooperation types, topics, target countries and kinds of organisation each give
a factor in [0, 1]; the index multiplies them with the text similarity. The
tables are indexed by small integer codes so whole score matrices are built
with NumPy fancy indexing.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from .types import COOPERATION, KINDS, TOPICS

# Partial credit between different cooperation types (symmetric). Same type = 1.
_COOP_RELATED = {
    ("licensing", "manufacturing"): 0.6,
    ("manufacturing", "supply"): 0.7,
    ("distribution", "supply"): 0.6,
    ("joint_venture", "investment"): 0.7,
    ("joint_venture", "manufacturing"): 0.6,
    ("joint_venture", "licensing"): 0.5,
    ("site_location", "investment"): 0.6,
    ("research", "licensing"): 0.5,
    ("research", "services"): 0.5,
    ("services", "distribution"): 0.4,
    ("services", "supply"): 0.4,
    ("services", "manufacturing"): 0.4,
    ("services", "site_location"): 0.3,
    ("distribution", "manufacturing"): 0.4,
    ("research", "joint_venture"): 0.4,
    ("site_location", "manufacturing"): 0.4,
    ("site_location", "joint_venture"): 0.4,
    ("services", "licensing"): 0.3,
}

# Topic of the offer vs topic of the request (symmetric). Same topic = 1.
_TOPIC_RELATED = {
    ("business", "technology"): 0.8,
    ("technology", "research"): 0.8,
    ("business", "research"): 0.6,
    ("business", "investment"): 0.6,
    ("investment", "site"): 0.8,
    ("business", "site"): 0.6,
    ("technology", "investment"): 0.6,
}
TOPIC_DEFAULT = 0.5

N_COOP = len(COOPERATION)
COOP_INDEX = {c: i for i, c in enumerate(COOPERATION)}
TOPIC_INDEX = {t: i for i, t in enumerate(TOPICS)}
KIND_INDEX = {k: i for i, k in enumerate(KINDS)}

# A profile that only seeks/offers research meets a pure trader: weak match.
RESEARCH_TRADER_FACTOR = 0.5
# A target-country list that excludes the other side's country.
GEO_MISMATCH_FACTOR = 0.75
# The same for a site/location profile, where the place is what is sought.
SITE_GEO_MISMATCH_FACTOR = 0.4
# Floor for pairs that share no compatible cooperation type at all (the
# scorer applies it, see ScoringConfig.coop_floor).
COOP_FLOOR = 0.4


def coop_pair_value(a: str, b: str) -> float:
    """Compatibility of cooperation type ``a`` with ``b`` (1 when equal)."""
    if a == b:
        return 1.0
    return _COOP_RELATED.get((a, b)) or _COOP_RELATED.get((b, a)) or 0.0


def coop_mask(types: Iterable[str]) -> int:
    """Bit mask of the known cooperation types in ``types``."""
    mask = 0
    for t in types:
        if t in COOP_INDEX:
            mask |= 1 << COOP_INDEX[t]
    return mask


def _build_coop_table() -> np.ndarray:
    size = 1 << N_COOP
    single = np.array(
        [[coop_pair_value(a, b) for b in COOPERATION] for a in COOPERATION], np.float32
    )
    # best[m, j]: best value of any type in mask m against type j
    best = np.zeros((size, N_COOP), np.float32)
    for m in range(1, size):
        low = m & -m
        i = low.bit_length() - 1
        best[m] = np.maximum(best[m ^ low], single[i])
    table = np.zeros((size, size), np.float32)
    for m2 in range(1, size):
        low = m2 & -m2
        j = low.bit_length() - 1
        table[:, m2] = np.maximum(table[:, m2 ^ low], best[:, j])
    # an empty list (unknown) is treated as neutral
    table[0, :] = 0.5
    table[:, 0] = 0.5
    return table


COOP_TABLE = _build_coop_table()


def _build_topic_table() -> np.ndarray:
    n = len(TOPICS)
    table = np.full((n + 1, n + 1), TOPIC_DEFAULT, np.float32)
    for i, a in enumerate(TOPICS):
        for j, b in enumerate(TOPICS):
            if a == b:
                table[i, j] = 1.0
            else:
                table[i, j] = _TOPIC_RELATED.get((a, b)) or _TOPIC_RELATED.get((b, a)) or 0.5
    table[n, :] = table[:, n] = 0.8  # unknown topic
    return table


TOPIC_TABLE = _build_topic_table()


def shared_cooperation(mine: Iterable[str], theirs: Iterable[str]) -> tuple[str, ...]:
    """Cooperation types in both lists, in canonical order."""
    theirs = set(theirs)
    return tuple(c for c in COOPERATION if c in set(mine) and c in theirs)


KNOWLEDGE_MASK = coop_mask(["research", "licensing"])
GOODS_MASK = coop_mask(["distribution", "supply"])


def is_pure_trader(kind: str, sectors: Iterable[str], profile_masks: Iterable[int] = ()) -> bool:
    """A company that buys and resells: all its NACE sectors are trade (section G).

    Without sectors: a company all of whose profiles are about distribution
    or supply only.
    """
    if kind != "company":
        return False
    sectors = [s for s in sectors if s]
    if sectors:
        return all(s.upper().startswith("G") for s in sectors)
    masks = list(profile_masks)
    return bool(masks) and all(m and not m & ~GOODS_MASK for m in masks)


def is_knowledge_profile(mask: int) -> bool:
    """A profile about research and/or licences only (knowledge, not goods)."""
    return bool(mask) and not mask & ~KNOWLEDGE_MASK


SITE_MASK = coop_mask(["site_location"])
