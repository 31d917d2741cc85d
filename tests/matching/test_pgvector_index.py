"""pgvector candidate retrieval (``qiao.matching.pgvector_index``).

Needs a PostgreSQL server with the ``vector`` extension, given by
``QIAO_PGVECTOR_URL``; skipped otherwise. To run them::

    PG_BINDIR=pgserver QIAO_PG_SUPERUSER=1 scripts/pg_test_server.sh run -- sh -c \\
        'QIAO_PGVECTOR_URL=$QIAO_DATABASE_URL .venv/bin/pytest tests/matching/'
"""

from __future__ import annotations

import os
import uuid

import numpy as np
import pytest

from qiao.matching import MatchIndex, OrgInput, ProfileInput
from qiao.matching.pgvector_index import NumpyCandidates, PgVectorIndex

DIM = 64
LANG_CODES = {"de": 0, "en": 1, "zh": 2, "*": 3}


@pytest.fixture(scope="module")
def pg_url():
    """The pgvector server URL, or skip with the reason it is unusable."""
    url = os.environ.get("QIAO_PGVECTOR_URL", "")
    if not url:
        pytest.skip(
            "needs PostgreSQL with pgvector: set QIAO_PGVECTOR_URL (e.g. start one with "
            "PG_BINDIR=pgserver QIAO_PG_SUPERUSER=1 scripts/pg_test_server.sh start)"
        )
    try:
        import pgvector.psycopg  # noqa: F401
        import psycopg
    except ImportError as exc:
        pytest.skip(f"needs psycopg and the pgvector client ({exc})")
    url = url.replace("postgres://", "postgresql://", 1)
    try:
        with psycopg.connect(url, autocommit=True, connect_timeout=5) as conn:
            conn.execute("CREATE EXTENSION IF NOT EXISTS vector")
    except psycopg.Error as exc:
        pytest.skip(f"QIAO_PGVECTOR_URL is not a reachable server with pgvector: {exc}")
    return url


def _table() -> str:
    return f"test_pgv_{uuid.uuid4().hex[:10]}"


@pytest.fixture
def pgindex(pg_url):
    """An empty table (dimension ``DIM``), dropped after the test."""
    idx = PgVectorIndex(pg_url, DIM, table=_table(), ef_search=100)
    idx.create_table()
    yield idx
    idx.drop_table()
    idx.close()


def _random_orgs(n_orgs: int, seed: int) -> tuple[list[OrgInput], np.ndarray]:
    rng = np.random.default_rng(seed)
    orgs, pid = [], 0
    for i in range(n_orgs):
        profiles = []
        for _ in range(int(rng.integers(1, 4))):
            profiles.append(ProfileInput(
                id=f"p{pid}", direction="offer" if rng.random() < 0.5 else "request",
                title=f"profile {pid}", language=("de", "en", "zh")[pid % 3],
                cooperation=("distribution",), topic="business"))
            pid += 1
        orgs.append(OrgInput(id=f"o{i}", name=f"Org {i}", country="DE", profiles=tuple(profiles)))
    vecs = rng.standard_normal((pid, DIM)).astype(np.float32)
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
    return orgs, vecs


def _store(pgindex: PgVectorIndex, index: MatchIndex) -> None:
    inv = {c: k for k, c in index.lang_codes.items()}
    rows = []
    for direction, side in (("offer", index.offers), ("request", index.requests)):
        for j, pid in enumerate(side.ids):
            rows.append((pid, index.org_ids[int(side.org[j])], direction,
                         inv[int(side.lang[j])], side.vecs[j]))
    pgindex.bulk_load(rows)


@pytest.fixture
def loaded(pgindex):
    """~2,000 random profiles stored in pgvector with HNSW indexes, plus the exact index."""
    orgs, vecs = _random_orgs(1000, seed=5)
    langs = [p.language for o in orgs for p in o.profiles]
    index = MatchIndex(orgs, vecs, langs, LANG_CODES, DIM)
    _store(pgindex, index)
    pgindex.create_indexes()
    return pgindex, index


def test_hnsw_shortlist_contains_exact_top10(loaded):
    pgindex, index = loaded
    exact = NumpyCandidates(index)
    rng = np.random.default_rng(9)
    found = total = 0
    for direction in ("offer", "request"):
        queries = NumpyCandidates(index).side("request" if direction == "offer" else "offer")
        picks = rng.choice(len(queries), size=15, replace=False)
        q = queries.vecs[picks]
        truth = exact.search(q, direction, 10)
        approx = pgindex.search(q, direction, 50, ef_search=100)
        for t, a in zip(truth, approx, strict=True):
            assert len(a) == 50
            shortlist = {h.profile_id for h in a}
            found += sum(h.profile_id in shortlist for h in t)
            total += len(t)
    assert found / total >= 0.95, f"recall@10 of a 50-profile shortlist: {found / total:.3f}"


def test_exact_mode_equals_numpy(loaded):
    pgindex, index = loaded
    exact = NumpyCandidates(index)
    q = index.requests.vecs[:5]
    for t, a in zip(exact.search(q, "offer", 10), pgindex.search(q, "offer", 10, exact=True),
                    strict=True):
        assert [h.profile_id for h in a] == [h.profile_id for h in t]
        assert np.allclose([h.similarity for h in a], [h.similarity for h in t], atol=1e-5)


def test_direction_filter_holds(loaded):
    pgindex, index = loaded
    offers, requests = set(index.offers.ids), set(index.requests.ids)
    q = np.concatenate([index.offers.vecs[:5], index.requests.vecs[:5]])
    for exact in (False, True):
        for hits in pgindex.search(q, "offer", 30, exact=exact):
            assert hits and {h.profile_id for h in hits} <= offers
        for hits in pgindex.search(q, "request", 30, exact=exact):
            assert hits and {h.profile_id for h in hits} <= requests
    assert pgindex.count("offer") == len(offers)
    assert pgindex.count("request") == len(requests)
    with pytest.raises(ValueError):
        pgindex.search(q, "offers", 10)


def test_shortlist_is_direction_aware_and_excludes_self(loaded):
    pgindex, index = loaded
    # An organisation with one offer only: its shortlist comes from stored requests.
    row = next(i for i, o in enumerate(index.orgs)
               if o.profiles and all(p.direction == "offer" for p in o.profiles))
    org = index.orgs[row]
    vec = index.offers.vecs[index.rows_of(index.offers, [row])]
    query = MatchIndex([org], vec, [p.language for p in org.profiles], LANG_CODES, DIM)
    short = pgindex.shortlist(query, limit=20)
    assert org.id not in short
    request_orgs = {index.org_ids[int(r)] for r in index.requests.org}
    assert short and set(short) <= request_orgs


def test_upsert_replaces_and_delete_removes(pgindex):
    v = np.zeros(DIM, np.float32)
    v[0] = 1.0
    assert pgindex.upsert([("p1", "o1", "offer", "de", v)]) == 1
    w = np.zeros(DIM, np.float32)
    w[1] = 1.0
    pgindex.upsert([("p1", "o2", "request", "en", w)])
    assert pgindex.count() == 1 and pgindex.count("request") == 1
    hit = pgindex.search(w, "request", 5, exact=True)[0]
    assert [(h.profile_id, h.org_id) for h in hit] == [("p1", "o2")]
    assert hit[0].similarity == pytest.approx(1.0)
    with pytest.raises(ValueError):
        pgindex.upsert([("p2", "o2", "offer", "de", np.zeros(DIM + 1))])
    assert pgindex.delete_profiles(["p1"]) == 1
    assert pgindex.count() == 0


def test_suggestions_equal_exact_engine(pg_url, engine):
    """Shortlist + exact re-scoring gives the exact engine's suggestions."""
    dim = engine.embedder.dim
    rng = np.random.default_rng(3)
    orgs, _ = _random_orgs(150, seed=11)
    raw = {p.id: rng.standard_normal(dim).astype(np.float32) for o in orgs for p in o.profiles}
    full = engine.build_index(orgs, raw)
    by_id = {o.id: o for o in orgs}
    with PgVectorIndex(pg_url, dim, table=_table()) as pg:
        pg.create_table()
        try:
            assert pg.store_orgs(engine, orgs, raw, bulk=True) == len(raw)
            pg.create_indexes()
            for org in orgs[:8]:
                qv = {p.id: raw[p.id] for p in org.profiles}
                want = engine.suggest_for(org, full, 5, raw_vectors=qv)
                got = pg.suggest_for(engine, org, lambda ids: [by_id[i] for i in ids], 5,
                                     raw_vectors=qv, shortlist=400, exact=True)
                assert [s.org_id for s in got] == [s.org_id for s in want]
                assert [s.score for s in got] == pytest.approx([s.score for s in want], abs=1e-5)
                for g, w in zip(got, want, strict=True):
                    assert [(r.mine, r.theirs, r.relation) for r in g.reasons] == [
                        (r.mine, r.theirs, r.relation) for r in w.reasons]
                    assert [r.score for r in g.reasons] == pytest.approx(
                        [r.score for r in w.reasons], abs=1e-5)
        finally:
            pg.drop_table()
