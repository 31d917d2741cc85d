"""Candidate retrieval on PostgreSQL with pgvector (optional backend, no Django import).

Exact numpy search (:class:`~qiao.matching.index.MatchIndex`) is the default.
Above a certain number of published profiles, or when several web workers
should not each hold every vector in memory, the *candidate-retrieval* step can
run in PostgreSQL instead:

1. every profile's corrected vector (the one the engine scores with, i.e. after
   :meth:`LanguageCalibrator.transform`) is stored in one table with a
   ``vector(D)`` column, its organisation, language key and direction;
2. one partial HNSW index per direction (``vector_cosine_ops``) keeps offers
   and requests apart, so a query never has to filter the graph's results;
3. a query profile fetches the top-N profiles of the *opposite* direction by
   cosine (:meth:`PgVectorIndex.search`); their organisations form the shortlist;
4. the shortlist is indexed in memory (:class:`MatchIndex`, with the vectors
   read back from the table) and the engine re-scores it exactly with all
   structured factors (:meth:`PgVectorIndex.suggest_for`), so ranking, reasons
   and the language correction are those of the exact engine.

:class:`NumpyCandidates` offers the same ``search`` interface over an in-memory
:class:`MatchIndex`, as the reference for recall and speed measurements
(``bench/matching_pgvector.py``).

Needs ``psycopg`` 3 and the ``pgvector`` Python client; the server needs the
``vector`` extension (0.5 or newer for HNSW). The connection string is passed
in (``postgresql://user:pw@host:port/db``); nothing is read from Django settings.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np

from ._threads import blas_threads
from .index import MatchIndex, Side
from .types import OrgInput, Suggestion

if TYPE_CHECKING:  # pragma: no cover - typing only
    from .engine import MatchEngine

DIRECTIONS = ("offer", "request")
OPPOSITE = {"offer": "request", "request": "offer"}
_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,50}$")


@dataclass(frozen=True)
class Hit:
    """One retrieved profile: its id, organisation and cosine similarity to the query."""

    profile_id: str
    org_id: str
    similarity: float


class CandidateSearch(Protocol):
    """Candidate retrieval: the top profiles of one direction for query vectors."""

    def search(
        self, queries: np.ndarray, direction: str, limit: int
    ) -> list[list[Hit]]:
        """For each row of ``queries`` the ``limit`` most similar profiles of ``direction``."""
        ...


def _check_direction(direction: str) -> str:
    if direction not in DIRECTIONS:
        raise ValueError(f"direction must be one of {DIRECTIONS}, not {direction!r}")
    return direction


def _as_matrix(queries: np.ndarray) -> np.ndarray:
    mat = np.asarray(queries, np.float32)
    return mat.reshape(1, -1) if mat.ndim == 1 else mat


def _to_array(value: Any) -> np.ndarray:
    """A fetched ``vector`` value (numpy array or the client's ``Vector``) as float32."""
    if hasattr(value, "to_numpy"):
        value = value.to_numpy()
    return np.asarray(value, np.float32)


class NumpyCandidates:
    """Exact retrieval over the vectors of a :class:`MatchIndex` (reference backend)."""

    def __init__(self, index: MatchIndex) -> None:
        self.index = index

    def side(self, direction: str) -> Side:
        """The offers or requests of the index."""
        return self.index.offers if _check_direction(direction) == "offer" else self.index.requests

    def search(self, queries: np.ndarray, direction: str, limit: int) -> list[list[Hit]]:
        """Exact top ``limit`` by cosine (the stored vectors have unit norm)."""
        side = self.side(direction)
        mat = _as_matrix(queries)
        out: list[list[Hit]] = []
        if len(side) == 0 or limit <= 0:
            return [[] for _ in range(len(mat))]
        with blas_threads():
            sims = mat @ side.vecs.T
        k = min(limit, len(side))
        for row in sims:
            part = np.argpartition(-row, k - 1)[:k] if k < len(row) else np.arange(len(row))
            order = part[np.lexsort((part, -row[part]))]
            out.append([
                Hit(side.ids[j], self.index.org_ids[int(side.org[j])], float(row[j]))
                for j in order
            ])
        return out


class PgVectorIndex:
    """Profile vectors in a PostgreSQL table with one HNSW index per direction.

    ``conninfo`` is a libpq connection string or URL. ``table`` is a plain
    lower-case identifier. ``m`` / ``ef_construction`` are the HNSW build
    parameters, ``ef_search`` the default search breadth (raised to the
    requested ``limit`` when that is larger, since HNSW returns at most
    ``ef_search`` rows). One connection is opened lazily and reused; call
    :meth:`close` (or use the object as a context manager) when done.
    """

    def __init__(
        self,
        conninfo: str,
        dim: int,
        table: str = "qiao_profile_vector",
        m: int = 16,
        ef_construction: int = 64,
        ef_search: int = 100,
    ) -> None:
        if not _NAME.match(table):
            raise ValueError(f"invalid table name {table!r}")
        if conninfo.startswith("postgres://"):
            conninfo = "postgresql://" + conninfo[len("postgres://"):]
        self.conninfo = conninfo
        self.dim = int(dim)
        self.table = table
        self.m = int(m)
        self.ef_construction = int(ef_construction)
        self.ef_search = int(ef_search)
        self._conn: Any = None
        self._ef_set: int | None = None

    # -- connection -----------------------------------------------------------
    def connection(self) -> Any:
        """The open psycopg connection (autocommit), created on first use."""
        if self._conn is None or self._conn.closed:
            import psycopg
            from pgvector.psycopg import register_vector

            conn = psycopg.connect(self.conninfo, autocommit=True)
            conn.execute("CREATE EXTENSION IF NOT EXISTS vector")
            register_vector(conn)
            self._conn = conn
            self._ef_set = None
        return self._conn

    def close(self) -> None:
        """Close the connection (a later call reconnects)."""
        if self._conn is not None:
            self._conn.close()
        self._conn = None

    def __enter__(self) -> PgVectorIndex:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- schema ---------------------------------------------------------------
    def create_table(self) -> None:
        """Create the table (idempotent); the HNSW indexes come from :meth:`create_indexes`."""
        self.connection().execute(
            f"CREATE TABLE IF NOT EXISTS {self.table} ("
            " profile_id text PRIMARY KEY,"
            " org_id text NOT NULL,"
            " direction text NOT NULL CHECK (direction IN ('offer', 'request')),"
            " lang text NOT NULL,"
            f" embedding vector({self.dim}) NOT NULL)"
        )
        self.connection().execute(
            f"CREATE INDEX IF NOT EXISTS {self.table}_org ON {self.table} (org_id)"
        )

    def create_indexes(self, maintenance_work_mem: str | None = None) -> None:
        """Build one partial HNSW index (cosine) per direction (idempotent).

        Building after a bulk load is much faster than inserting into an
        existing graph. ``maintenance_work_mem`` (e.g. ``"1GB"``) should hold
        the graph, or the build slows down a lot.
        """
        conn = self.connection()
        if maintenance_work_mem:
            if not re.match(r"^\d+\s*[kMG]B$", maintenance_work_mem):
                raise ValueError(f"invalid maintenance_work_mem {maintenance_work_mem!r}")
            conn.execute(f"SET maintenance_work_mem = '{maintenance_work_mem}'")
        for direction in DIRECTIONS:
            conn.execute(
                f"CREATE INDEX IF NOT EXISTS {self.table}_{direction}_hnsw ON {self.table} "
                f"USING hnsw (embedding vector_cosine_ops) "
                f"WITH (m = {self.m}, ef_construction = {self.ef_construction}) "
                f"WHERE direction = '{direction}'"
            )

    def drop_indexes(self) -> None:
        """Drop the HNSW indexes (searches then scan the table exactly)."""
        for direction in DIRECTIONS:
            self.connection().execute(f"DROP INDEX IF EXISTS {self.table}_{direction}_hnsw")

    def drop_table(self) -> None:
        """Drop the table and its indexes."""
        self.connection().execute(f"DROP TABLE IF EXISTS {self.table}")

    def count(self, direction: str | None = None) -> int:
        """Number of stored profiles (of ``direction`` if given)."""
        if direction is None:
            row = self.connection().execute(f"SELECT count(*) FROM {self.table}").fetchone()
        else:
            row = self.connection().execute(
                f"SELECT count(*) FROM {self.table} WHERE direction = %s",
                (_check_direction(direction),),
            ).fetchone()
        return int(row[0])

    # -- writing --------------------------------------------------------------
    def upsert(self, rows: Iterable[tuple[str, str, str, str, np.ndarray]]) -> int:
        """Insert or replace ``(profile_id, org_id, direction, lang, vector)`` rows.

        The vectors must be the corrected ones the engine scores with (see
        :meth:`store_orgs`). Returns the number of rows written.
        """
        batch = []
        for pid, oid, direction, lang, vec in rows:
            vec = np.asarray(vec, np.float32).reshape(-1)
            if vec.shape[0] != self.dim:
                raise ValueError(f"vector of {pid} has {vec.shape[0]} dimensions, not {self.dim}")
            batch.append((pid, oid, _check_direction(direction), lang, vec))
        if not batch:
            return 0
        conn = self.connection()
        with conn.transaction(), conn.cursor() as cur:
            cur.executemany(
                f"INSERT INTO {self.table} (profile_id, org_id, direction, lang, embedding) "
                "VALUES (%s, %s, %s, %s, %s) ON CONFLICT (profile_id) DO UPDATE SET "
                "org_id = EXCLUDED.org_id, direction = EXCLUDED.direction, "
                "lang = EXCLUDED.lang, embedding = EXCLUDED.embedding",
                batch,
            )
        return len(batch)

    def bulk_load(self, rows: Iterable[tuple[str, str, str, str, np.ndarray]]) -> int:
        """Append rows with binary COPY (initial load into an empty table; no upsert)."""
        conn = self.connection()
        n = 0
        with conn.transaction(), conn.cursor() as cur:
            with cur.copy(
                f"COPY {self.table} (profile_id, org_id, direction, lang, embedding) "
                "FROM STDIN WITH (FORMAT BINARY)"
            ) as copy:
                copy.set_types(["text", "text", "text", "text", "vector"])
                for pid, oid, direction, lang, vec in rows:
                    vec = np.asarray(vec, np.float32).reshape(-1)
                    if vec.shape[0] != self.dim:
                        raise ValueError(f"vector of {pid} has {vec.shape[0]} dimensions")
                    copy.write_row((pid, oid, _check_direction(direction), lang, vec))
                    n += 1
        conn.execute(f"ANALYZE {self.table}")
        return n

    def delete_profiles(self, profile_ids: Sequence[str]) -> int:
        """Remove profiles (unpublished or deleted); returns how many were stored."""
        cur = self.connection().execute(
            f"DELETE FROM {self.table} WHERE profile_id = ANY(%s)", (list(profile_ids),)
        )
        return cur.rowcount

    def store_orgs(
        self,
        engine: MatchEngine,
        orgs: Sequence[OrgInput],
        raw_vectors: dict[str, np.ndarray] | None = None,
        bulk: bool = False,
    ) -> int:
        """Correct and store the vectors of every profile of ``orgs``.

        ``raw_vectors`` (by profile id) are the stored embeddings; missing ones
        are embedded through the engine's cache. The corrected vectors are the
        same as in ``engine.build_index(orgs, raw_vectors)``.
        """
        index = engine.build_index(orgs, raw_vectors)
        inv_lang = {code: key for key, code in index.lang_codes.items()}
        rows = []
        for direction, side in (("offer", index.offers), ("request", index.requests)):
            for j, pid in enumerate(side.ids):
                rows.append((pid, index.org_ids[int(side.org[j])], direction,
                             inv_lang[int(side.lang[j])], side.vecs[j]))
        return self.bulk_load(rows) if bulk else self.upsert(rows)

    # -- reading --------------------------------------------------------------
    def _set_ef(self, ef: int) -> None:
        if ef != self._ef_set:
            self.connection().execute(f"SET hnsw.ef_search = {int(ef)}")
            self._ef_set = ef

    def search(
        self,
        queries: np.ndarray,
        direction: str,
        limit: int,
        ef_search: int | None = None,
        exact: bool = False,
    ) -> list[list[Hit]]:
        """For each query row, the ``limit`` most similar stored profiles of ``direction``.

        Approximate (HNSW) unless ``exact`` is set, which disables index scans
        for the query and compares against every row (a sequential scan). The
        direction is written into the SQL as a literal so the planner can use
        the partial index of that direction even for prepared statements.
        """
        direction = _check_direction(direction)
        mat = _as_matrix(queries)
        if limit <= 0:
            return [[] for _ in range(len(mat))]
        conn = self.connection()
        sql = (
            f"SELECT profile_id, org_id, 1 - (embedding <=> %s) FROM {self.table} "
            f"WHERE direction = '{direction}' ORDER BY embedding <=> %s LIMIT %s"
        )
        out: list[list[Hit]] = []
        if exact:
            with conn.transaction():
                conn.execute("SET LOCAL enable_indexscan = off")
                for q in mat:
                    rows = conn.execute(sql, (q, q, int(limit))).fetchall()
                    out.append([Hit(r[0], r[1], float(r[2])) for r in rows])
            return out
        self._set_ef(max(int(ef_search or self.ef_search), int(limit)))
        for q in mat:
            rows = conn.execute(sql, (q, q, int(limit))).fetchall()
            out.append([Hit(r[0], r[1], float(r[2])) for r in rows])
        return out

    def vectors_of_orgs(self, org_ids: Sequence[str]) -> dict[str, tuple[str, np.ndarray]]:
        """Stored ``(lang, corrected vector)`` of every profile of ``org_ids``, by profile id."""
        if not org_ids:
            return {}
        # Binary results: the text form of 512 floats costs ~0.1 ms per vector to parse.
        with self.connection().cursor(binary=True) as cur:
            rows = cur.execute(
                f"SELECT profile_id, lang, embedding FROM {self.table} WHERE org_id = ANY(%s)",
                (list(org_ids),),
            ).fetchall()
        return {r[0]: (r[1], _to_array(r[2])) for r in rows}

    def shortlist(
        self,
        query: MatchIndex,
        limit: int = 100,
        ef_search: int | None = None,
        exact: bool = False,
    ) -> list[str]:
        """Organisations with a profile among the top ``limit`` of any query profile.

        ``query`` is the query organisation indexed alone (corrected vectors);
        its offers search the stored requests and its requests the stored
        offers. Order: best similarity first; the query organisations excluded.
        """
        best: dict[str, float] = {}
        for side, other in ((query.offers, "request"), (query.requests, "offer")):
            if len(side) == 0:
                continue
            for hits in self.search(side.vecs, other, limit, ef_search, exact):
                for h in hits:
                    if h.similarity > best.get(h.org_id, -2.0):
                        best[h.org_id] = h.similarity
        for oid in query.org_ids:
            best.pop(oid, None)
        return sorted(best, key=lambda o: (-best[o], o))

    def suggest_for(
        self,
        engine: MatchEngine,
        org: OrgInput,
        load_orgs: Callable[[Sequence[str]], Sequence[OrgInput]],
        top_k: int = 10,
        raw_vectors: dict[str, np.ndarray] | None = None,
        shortlist: int = 100,
        ef_search: int | None = None,
        exact: bool = False,
    ) -> list[Suggestion]:
        """Top ``top_k`` partners for ``org``: pgvector shortlist, then exact re-scoring.

        ``load_orgs(org_ids)`` returns the :class:`OrgInput` of the shortlisted
        organisations (from the application database); profiles without a
        stored vector are left out. ``shortlist`` is the number of profiles
        fetched per query profile. The result is what
        :meth:`MatchEngine.suggest_for` returns on an index of the shortlisted
        organisations.
        """
        query = engine.build_index([org], raw_vectors)
        cand_ids = self.shortlist(query, shortlist, ef_search, exact)
        if not cand_ids:
            return []
        stored = self.vectors_of_orgs(cand_ids)
        cands = []
        for o in load_orgs(cand_ids):
            profiles = tuple(p for p in o.profiles if p.id in stored)
            if profiles and o.id != org.id:
                cands.append(dataclasses.replace(o, profiles=profiles))
        if not cands:
            return []
        countries = sorted(
            {o.country.upper() for o in [org, *cands] if o.country}
            | {c.upper() for o in [org, *cands] for p in o.profiles for c in p.target_countries}
        )
        profiles = [p for o in cands for p in o.profiles]
        index = MatchIndex(
            cands,
            {p.id: stored[p.id][1] for p in profiles},
            {p.id: stored[p.id][0] for p in profiles},
            engine.calibrator.lang_codes,
            self.dim,
            {c: i for i, c in enumerate(countries)},
        )
        return engine.suggest_for(org, index, top_k, raw_vectors)

