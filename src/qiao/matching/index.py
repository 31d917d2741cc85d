"""In-memory candidate index: one matrix of offer vectors, one of request vectors.

Profiles are stored per direction, sorted by organisation, with their
structured fields as small integer arrays, so scoring a query against every
published profile is a couple of matrix products plus table look-ups (exact
search). The web app fills it from stored vectors with :meth:`MatchIndex.build`.

Extension point: anything with the :class:`CandidateIndex` interface can stand
in for this class (a pgvector backend would implement ``side`` by fetching the
top candidates per query vector with ``ORDER BY embedding <#> %s`` and building a
:class:`Side` from those rows only).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from .compat import (
    KIND_INDEX,
    TOPIC_INDEX,
    coop_mask,
    is_knowledge_profile,
    is_pure_trader,
)
from .types import OrgInput, ProfileInput

UNKNOWN_TOPIC = len(TOPIC_INDEX)


@dataclass
class Side:
    """Profiles of one direction (all offers or all requests), sorted by organisation.

    ``org`` holds organisation row numbers of the owning :class:`MatchIndex`;
    ``starts`` the first row of each organisation's block and ``seg_org`` the
    organisation of each block (for ``np.maximum.reduceat``).
    """

    ids: list[str]
    titles: list[str]
    coops: list[tuple[str, ...]]
    vecs: np.ndarray
    org: np.ndarray
    coop: np.ndarray
    topic: np.ndarray
    lang: np.ndarray
    research_only: np.ndarray  # research/licence profile (meets traders badly)
    target_any: np.ndarray
    targets: np.ndarray  # (n_countries + 1, n) bool: row c = "targets country c"
    starts: np.ndarray
    seg_org: np.ndarray

    def __len__(self) -> int:
        return len(self.ids)

    def take(self, rows: np.ndarray) -> Side:
        """A new side with only ``rows`` (which must be sorted by organisation)."""
        rows = np.asarray(rows, dtype=np.int64)
        org = self.org[rows]
        starts, seg_org = _segments(org)
        return Side(
            ids=[self.ids[i] for i in rows],
            titles=[self.titles[i] for i in rows],
            coops=[self.coops[i] for i in rows],
            vecs=self.vecs[rows],
            org=org,
            coop=self.coop[rows],
            topic=self.topic[rows],
            lang=self.lang[rows],
            research_only=self.research_only[rows],
            target_any=self.target_any[rows],
            targets=self.targets[:, rows],
            starts=starts,
            seg_org=seg_org,
        )


def _segments(org: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    if len(org) == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    change = np.flatnonzero(np.diff(org)) + 1
    starts = np.concatenate([[0], change]).astype(np.int64)
    return starts, org[starts].astype(np.int64)


class CandidateIndex(Protocol):
    """What the scorer needs from an index (exact numpy now, pgvector later)."""

    org_ids: list[str]
    org_country: np.ndarray
    org_trader: np.ndarray
    country_codes: dict[str, int]
    offers: Side
    requests: Side

    def org_row(self, org_id: str) -> int | None:
        """Row number of ``org_id`` or ``None`` when it is not indexed."""
        ...


class MatchIndex:
    """Exact in-memory index over organisations and their profiles."""

    def __init__(
        self,
        orgs: Sequence[OrgInput],
        vectors: dict[str, np.ndarray] | np.ndarray,
        langs: dict[str, str] | Sequence[str],
        lang_codes: dict[str, int],
        dim: int | None = None,
        country_codes: dict[str, int] | None = None,
    ) -> None:
        self.orgs = list(orgs)
        self.org_ids = [o.id for o in self.orgs]
        self._row = {oid: i for i, oid in enumerate(self.org_ids)}
        self.org_names = [o.name for o in self.orgs]
        if country_codes is None:
            countries = sorted(
                {o.country.upper() for o in self.orgs if o.country}
                | {c.upper() for o in self.orgs for p in o.profiles for c in p.target_countries}
            )
            country_codes = {c: i for i, c in enumerate(countries)}
        self.country_codes = country_codes
        unknown = len(country_codes)
        self.org_country = np.array(
            [self.country_codes.get(o.country.upper(), unknown) for o in self.orgs], np.int64
        )
        self.org_kind = np.array([KIND_INDEX.get(o.kind, len(KIND_INDEX)) for o in self.orgs])
        self.org_trader = np.array(
            [
                is_pure_trader(o.kind, o.sectors, [coop_mask(p.cooperation) for p in o.profiles])
                for o in self.orgs
            ],
            bool,
        )
        self.lang_codes = lang_codes
        profiles = [(r, p) for r, o in enumerate(self.orgs) for p in o.profiles]
        if isinstance(vectors, dict):
            mat = [vectors[p.id] for _r, p in profiles]
        else:
            mat = list(vectors)
        if isinstance(langs, dict):
            lang_list = [langs[p.id] for _r, p in profiles]
        else:
            lang_list = list(langs)
        if dim is None:
            dim = len(mat[0]) if mat else 1
        all_vecs = np.asarray(mat, np.float32).reshape(len(profiles), dim)
        self.dim = dim
        self.offers = self._side(profiles, all_vecs, lang_list, "offer")
        self.requests = self._side(profiles, all_vecs, lang_list, "request")

    def _side(self, profiles, vecs, langs, direction) -> Side:
        rows = [i for i, (_r, p) in enumerate(profiles) if p.direction == direction]
        ps: list[ProfileInput] = [profiles[i][1] for i in rows]
        org = np.array([profiles[i][0] for i in rows], np.int64)
        n_c = len(self.country_codes)
        targets = np.zeros((n_c + 1, len(rows)), bool)
        for j, p in enumerate(ps):
            for c in p.target_countries:
                targets[self.country_codes.get(c.upper(), n_c), j] = True
        starts, seg_org = _segments(org)
        other = self.lang_codes.get("*", 0)
        masks = [coop_mask(p.cooperation) for p in ps]
        return Side(
            ids=[p.id for p in ps],
            titles=[p.title for p in ps],
            coops=[tuple(p.cooperation) for p in ps],
            vecs=np.ascontiguousarray(vecs[rows]) if rows else np.zeros((0, vecs.shape[1])),
            org=org,
            coop=np.array(masks, np.int64),
            topic=np.array([TOPIC_INDEX.get(p.topic, UNKNOWN_TOPIC) for p in ps], np.int64),
            lang=np.array([self.lang_codes.get(langs[i], other) for i in rows], np.int64),
            research_only=np.array([is_knowledge_profile(m) for m in masks], bool),
            target_any=np.array([not p.target_countries for p in ps], bool),
            targets=targets,
            starts=starts,
            seg_org=seg_org,
        )

    def org_row(self, org_id: str) -> int | None:
        """Row number of ``org_id`` or ``None``."""
        return self._row.get(org_id)

    def rows_of(self, side: Side, org_rows: Sequence[int]) -> np.ndarray:
        """Rows of ``side`` owned by the organisation rows ``org_rows`` (ascending)."""
        if len(side) == 0:
            return np.zeros(0, np.int64)
        wanted = np.unique(np.asarray(org_rows, np.int64))
        lo = np.searchsorted(side.org, wanted, "left")
        hi = np.searchsorted(side.org, wanted, "right")
        keep = hi > lo
        if not keep.any():
            return np.zeros(0, np.int64)
        return np.concatenate([np.arange(a, b) for a, b in zip(lo[keep], hi[keep], strict=True)])

    def nbytes(self) -> int:
        """Approximate memory held by the index arrays."""
        total = 0
        for side in (self.offers, self.requests):
            for name in ("vecs", "org", "coop", "topic", "lang", "research_only", "target_any",
                         "targets", "starts", "seg_org"):
                total += getattr(side, name).nbytes
        return total + self.org_country.nbytes + self.org_trader.nbytes
