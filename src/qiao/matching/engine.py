"""The matching engine: embeds profiles, builds the index and ranks partners with reasons."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .cache import EmbeddingCache, MemoryCache, embed_texts
from .calibration import LanguageCalibrator
from .compat import shared_cooperation
from .embedders import Embedder, load_embedder
from .index import MatchIndex, Side, _segments
from .scoring import ScoringConfig, org_scores, pair_matrix
from .text import detect_language
from .types import OrgInput, ProfileInput, Reason, Suggestion

ENGINE_VERSION = "qiao-matching/1"
MAX_REASONS = 3


def profile_language(profile: ProfileInput) -> str:
    """Declared language of ``profile`` or the detected one."""
    return profile.language or detect_language(f"{profile.title}\n{profile.text}")


def _shift(side: Side, first_row: int) -> Side:
    """Copy of ``side`` whose organisation numbers start at 0 (query positions)."""
    org = side.org - first_row
    starts, seg_org = _segments(org)
    return Side(**{**side.__dict__, "org": org, "starts": starts, "seg_org": seg_org})


class MatchEngine:
    """Partner suggestions for organisations from their cooperation profiles.

    ``embedder`` defaults to :func:`load_embedder` (``$QIAO_EMBEDDER``);
    ``cache`` keeps raw vectors per text (a :class:`MemoryCache` if omitted).
    """

    def __init__(
        self,
        embedder: Embedder | None = None,
        cache: EmbeddingCache | None = None,
        config: ScoringConfig | None = None,
        calibration_strength: float = 1.0,
    ) -> None:
        self.embedder = embedder or load_embedder()
        self.cache = cache if cache is not None else MemoryCache()
        self.config = config or ScoringConfig()
        self.calibrator = LanguageCalibrator(self.embedder, self.cache, calibration_strength)

    @property
    def model_name(self) -> str:
        """Model and scoring version, as written to qiao-matches/1."""
        return f"{ENGINE_VERSION}; {self.embedder.name}"

    def _offsets(self) -> np.ndarray | None:
        return self.calibrator.pair_offsets() if self.config.use_lang_offsets else None

    def raw_vectors(self, orgs: Sequence[OrgInput]) -> dict[str, np.ndarray]:
        """Uncorrected vectors of every profile (through the cache), by profile id."""
        profiles = [p for o in orgs for p in o.profiles]
        vecs = embed_texts([p.embedding_text() for p in profiles], self.embedder, self.cache)
        return {p.id: v for p, v in zip(profiles, vecs, strict=False)}

    def build_index(
        self,
        orgs: Sequence[OrgInput],
        raw_vectors: dict[str, np.ndarray] | None = None,
        country_codes: dict[str, int] | None = None,
    ) -> MatchIndex:
        """Index ``orgs``; pass ``raw_vectors`` (by profile id) when they are stored already.

        Profiles missing from ``raw_vectors`` are embedded (through the cache).
        """
        profiles = [p for o in orgs for p in o.profiles]
        if raw_vectors is None:
            raw_vectors = self.raw_vectors(orgs)
        elif any(p.id not in raw_vectors for p in profiles):
            missing = [p for p in profiles if p.id not in raw_vectors]
            vecs = embed_texts([p.embedding_text() for p in missing], self.embedder, self.cache)
            raw_vectors = {**raw_vectors, **{p.id: v for p, v in zip(missing, vecs, strict=True)}}
        langs = [self.calibrator.lang_key(profile_language(p)) for p in profiles]
        raw = np.asarray([raw_vectors[p.id] for p in profiles], np.float32)
        raw = raw.reshape(len(profiles), self.embedder.dim)
        vecs = self.calibrator.transform(raw, langs)
        return MatchIndex(
            orgs, vecs, langs, self.calibrator.lang_codes, self.embedder.dim, country_codes
        )

    def rank(
        self, orgs: Sequence[OrgInput], top_k: int = 10, block: int = 256
    ) -> dict[str, list[Suggestion]]:
        """Top ``top_k`` partners for every organisation in ``orgs``, among ``orgs``."""
        return self.rank_index(self.build_index(orgs), top_k, block)

    def rank_index(
        self, index: MatchIndex, top_k: int = 10, block: int = 256
    ) -> dict[str, list[Suggestion]]:
        """Top ``top_k`` partners for every indexed organisation (batched matrix products)."""
        result: dict[str, list[Suggestion]] = {}
        offsets = self._offsets()
        n = len(index.org_ids)
        for start in range(0, n, block):
            stop = min(n, start + block)
            rows = range(start, stop)
            q_off = _shift(index.offers.take(index.rows_of(index.offers, rows)), start)
            q_req = _shift(index.requests.take(index.rows_of(index.requests, rows)), start)
            scores, _o, _r = org_scores(
                index,
                q_off,
                q_req,
                index.org_country[start:stop],
                index.org_trader[start:stop],
                stop - start,
                offsets,
                self.config,
            )
            for pos, row in enumerate(rows):
                scores[pos, row] = -1.0
                result[index.org_ids[row]] = self._top(index, row, None, scores[pos], top_k)
        return result

    def suggest_for(
        self,
        org: OrgInput,
        index: MatchIndex,
        top_k: int = 10,
        raw_vectors: dict[str, np.ndarray] | None = None,
    ) -> list[Suggestion]:
        """Top ``top_k`` partners for ``org`` among the organisations in ``index``.

        ``raw_vectors`` (by profile id) skips embedding when ``org``'s vectors are stored.
        """
        query = self.build_index([org], raw_vectors, country_codes=index.country_codes)
        scores, _o, _r = org_scores(
            index,
            query.offers,
            query.requests,
            query.org_country,
            query.org_trader,
            1,
            self._offsets(),
            self.config,
        )
        scores = scores[0]
        own = index.org_row(org.id)
        if own is not None:
            scores[own] = -1.0
        return self._top(index, None, query, scores, top_k)

    def _top(
        self,
        index: MatchIndex,
        row: int | None,
        query: MatchIndex | None,
        scores: np.ndarray,
        top_k: int,
    ) -> list[Suggestion]:
        positive = np.flatnonzero(scores > 0)
        if len(positive) == 0 or top_k <= 0:
            return []
        if len(positive) > top_k:
            part = np.argpartition(-scores[positive], top_k - 1)[:top_k]
            cutoff = scores[positive[part]].min()
            positive = positive[scores[positive] >= cutoff]
        order = np.lexsort((positive, -scores[positive]))[:top_k]
        chosen = [int(c) for c in positive[order]]
        reasons = self.reasons_for(index, row, query, chosen)
        return [
            Suggestion(index.org_ids[c], float(scores[c]), tuple(reasons[c])) for c in chosen
        ]

    def reasons(
        self, index: MatchIndex, row: int | None, query: MatchIndex | None, cand: int
    ) -> list[Reason]:
        """Profile pairs behind the suggestion of ``cand``, strongest first (at most 3)."""
        return self.reasons_for(index, row, query, [cand])[cand]

    def reasons_for(
        self,
        index: MatchIndex,
        row: int | None,
        query: MatchIndex | None,
        cands: Sequence[int],
    ) -> dict[int, list[Reason]]:
        """Reasons for several candidates of one query at once.

        The query is either row ``row`` of ``index`` or the single organisation
        of ``query`` (indexed with the same country vocabulary). Pairs scoring
        below half of a candidate's best pair are left out.
        """
        offsets = self._offsets()
        found: dict[int, list[Reason]] = {c: [] for c in cands}
        if query is not None:
            src, src_rows = query, [0]
        else:
            src, src_rows = index, [row]
        for relation, q_all, c_all in (
            ("offer-request", src.offers, index.requests),
            ("request-offer", src.requests, index.offers),
        ):
            q = q_all.take(src.rows_of(q_all, src_rows))
            c = c_all.take(index.rows_of(c_all, cands))
            if len(q) == 0 or len(c) == 0:
                continue
            pairs = pair_matrix(
                q,
                src.org_country[q.org],
                src.org_trader[q.org],
                c,
                index.org_country[c.org],
                index.org_trader[c.org],
                offsets,
                self.config,
            )
            for i, j in zip(*np.nonzero(pairs > 0), strict=True):
                found[int(c.org[j])].append(
                    Reason(
                        mine=q.ids[i],
                        theirs=c.ids[j],
                        relation=relation,
                        score=float(pairs[i, j]),
                        cooperation=shared_cooperation(q.coops[i], c.coops[j]),
                        mine_title=q.titles[i],
                        theirs_title=c.titles[j],
                    )
                )
        return {cand: _strongest(rs) for cand, rs in found.items()}


def _strongest(found: list[Reason]) -> list[Reason]:
    found.sort(key=lambda r: (-r.score, r.mine, r.theirs))
    if not found:
        return []
    best = found[0].score
    return [r for r in found if r.score >= 0.5 * best][:MAX_REASONS]
