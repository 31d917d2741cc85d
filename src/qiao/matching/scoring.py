"""Scoring: directional profile-pair scores and the organisation-level score.

A pair is always one side's *offer* against the other side's *request*; offers
never meet offers. Its score is the bias-corrected text similarity multiplied
by structured factors (cooperation types, topic, target countries, research vs.
pure trader). An organisation's score for a candidate takes the best pair in
each direction and rewards fits in both: ``best + both_ways * second``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._threads import blas_threads
from .compat import (
    COOP_FLOOR,
    COOP_TABLE,
    GEO_MISMATCH_FACTOR,
    RESEARCH_TRADER_FACTOR,
    SITE_GEO_MISMATCH_FACTOR,
    SITE_MASK,
    TOPIC_INDEX,
    TOPIC_TABLE,
)
from .index import CandidateIndex, Side

SITE_TOPIC = TOPIC_INDEX["site"]


@dataclass(frozen=True)
class ScoringConfig:
    """Weights of the scoring rules (defaults chosen on bench/matching.py)."""

    coop_power: float = 0.6
    coop_floor: float = COOP_FLOOR
    topic_power: float = 1.0
    geo_factor: float = GEO_MISMATCH_FACTOR
    site_geo_factor: float = SITE_GEO_MISMATCH_FACTOR
    research_trader_factor: float = RESEARCH_TRADER_FACTOR
    both_ways: float = 0.3
    use_lang_offsets: bool = True


def pair_matrix(
    q: Side,
    q_country: np.ndarray,
    q_trader: np.ndarray,
    c: Side,
    c_country: np.ndarray,
    c_trader: np.ndarray,
    offsets: np.ndarray | None,
    cfg: ScoringConfig,
) -> np.ndarray:
    """Scores of every profile in ``q`` against every profile in ``c`` (opposite directions).

    ``q_country``/``q_trader`` and ``c_country``/``c_trader`` are per profile row
    (the owning organisation's country code and pure-trader flag); country codes
    index the rows of ``targets`` in both sides (same vocabulary).
    """
    if len(q) * len(c) >= 50_000:
        with blas_threads():
            sim = q.vecs @ c.vecs.T
    else:
        sim = q.vecs @ c.vecs.T
    if offsets is not None:
        sim -= offsets[q.lang[:, None], c.lang[None, :]]
    np.maximum(sim, 0.0, out=sim)
    coop = np.maximum(COOP_TABLE[q.coop[:, None], c.coop[None, :]], np.float32(cfg.coop_floor))
    if cfg.coop_power != 1.0:
        coop = coop**cfg.coop_power
    sim *= coop
    topic = TOPIC_TABLE[q.topic[:, None], c.topic[None, :]]
    if cfg.topic_power != 1.0:
        topic = topic**cfg.topic_power
    sim *= topic
    # target countries: my list must include their country, and theirs mine;
    # for a site (location) profile the place is the point, so a miss costs more
    q_ok = q.target_any[:, None] | q.targets[c_country, :].T
    c_ok = c.target_any[None, :] | c.targets[q_country, :]
    misses = (~q_ok).astype(np.int8) + (~c_ok).astype(np.int8)
    site = (q.topic == SITE_TOPIC)[:, None] | (c.topic == SITE_TOPIC)[None, :]
    site |= ((q.coop & SITE_MASK) > 0)[:, None] | ((c.coop & SITE_MASK) > 0)[None, :]
    base = np.where(site, np.float32(cfg.site_geo_factor), np.float32(cfg.geo_factor))
    sim *= base**misses
    trader_clash = (q.research_only[:, None] & c_trader[None, :]) | (
        q_trader[:, None] & c.research_only[None, :]
    )
    sim[trader_clash] *= np.float32(cfg.research_trader_factor)
    return sim.astype(np.float32, copy=False)


def _best_per_org(
    pairs: np.ndarray, q: Side, c: Side, n_q_orgs: int, q_pos: np.ndarray, n_orgs: int
) -> np.ndarray:
    """Max of ``pairs`` per (query org position, candidate org) → ``(n_q_orgs, n_orgs)``."""
    out = np.zeros((n_q_orgs, n_orgs), np.float32)
    if pairs.size == 0:
        return out
    per_cand = np.maximum.reduceat(pairs, c.starts, axis=1)  # (m, segments of c)
    per_both = np.maximum.reduceat(per_cand, q.starts, axis=0)  # (q segments, c segments)
    out[np.ix_(q_pos, c.seg_org)] = per_both
    return out


def org_scores(
    index: CandidateIndex,
    q_offers: Side,
    q_requests: Side,
    q_org_country: np.ndarray,
    q_org_trader: np.ndarray,
    n_q_orgs: int,
    offsets: np.ndarray | None,
    cfg: ScoringConfig,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Organisation-level scores of query organisations against every indexed one.

    The query sides' ``org`` arrays hold query positions ``0..n_q_orgs-1`` that
    index ``q_org_country``/``q_org_trader``. Returns ``(score, offer_fit,
    request_fit)``, each ``(n_q_orgs, n_index_orgs)``: the best pair where the
    query's offer meets a request, and where its request meets an offer.
    """
    n_orgs = len(index.org_ids)
    fits = []
    for q, c in ((q_offers, index.requests), (q_requests, index.offers)):
        if len(q) == 0 or len(c) == 0:
            fits.append(np.zeros((n_q_orgs, n_orgs), np.float32))
            continue
        pairs = pair_matrix(
            q,
            q_org_country[q.org],
            q_org_trader[q.org],
            c,
            index.org_country[c.org],
            index.org_trader[c.org],
            offsets,
            cfg,
        )
        fits.append(_best_per_org(pairs, q, c, n_q_orgs, q.seg_org, n_orgs))
    offer_fit, request_fit = fits
    hi = np.maximum(offer_fit, request_fit)
    lo = np.minimum(offer_fit, request_fit)
    return hi + np.float32(cfg.both_ways) * lo, offer_fit, request_fit
