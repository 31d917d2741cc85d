"""Exact numpy search against pgvector (PostgreSQL 16, HNSW): where does pgvector pay off?

For each size N (synthetic profiles from ``bench/matching_scale.py``'s generator,
512-d unit vectors, corrected by the engine as in production):

1. load the corrected vectors into a pgvector table (binary COPY) and build one
   partial HNSW index per direction (m=16, ef_construction=64; build time);
2. candidate retrieval for ``--queries`` query profiles (top-10 of the
   opposite direction), per query: exact numpy (``NumpyCandidates`` over the
   ``MatchIndex``), pgvector exact (sequential scan, index scans disabled) and
   pgvector HNSW for each ``--ef`` value, with recall@10 against exact numpy;
3. end to end, suggestions for ``--e2e`` organisations: the exact engine over
   all N profiles (``MatchEngine.suggest_for``) against the pgvector shortlist
   (``--shortlist`` profiles per query profile) re-scored exactly
   (``PgVectorIndex.suggest_for``), with the overlap of the two top-10 lists;
4. memory: the numpy index arrays per web worker against pgvector's table and
   index sizes (shared by all workers).

Every measurement is repeated ``--rounds`` times (the machine is shared);
medians and p95 are over all repetitions, and the per-round medians are kept.
Starts its own throw-away server (``scripts/pg_test_server.sh`` with the
``pgserver`` wheel's PostgreSQL 16 + pgvector on 127.0.0.1) unless ``--url``
is given, and always stops it. Writes bench/results/matching_pgvector.json
after every size.

    .venv/bin/python bench/matching_pgvector.py [--sizes 10000,30000,100000,200000]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from matching_scale import synthetic  # noqa: E402

from qiao.matching import MatchEngine, MemoryCache, load_embedder  # noqa: E402
from qiao.matching.pgvector_index import NumpyCandidates, PgVectorIndex  # noqa: E402

SCRIPT = ROOT / "scripts" / "pg_test_server.sh"
RESULT = ROOT / "bench" / "results" / "matching_pgvector.json"
RECALL_TARGET = 0.95


def start_server() -> tuple[str, Path]:
    """Start a pgserver PostgreSQL with pgvector; returns (URL, directory)."""
    workdir = Path(tempfile.mkdtemp(prefix="qiao-pgv-bench.", dir="/tmp"))
    env = {**os.environ, "PG_BINDIR": "pgserver", "QIAO_PG_SUPERUSER": "1",
           "PYTHON": sys.executable}
    out = subprocess.run([str(SCRIPT), "start", str(workdir)], env=env, check=True,
                         capture_output=True, text=True, timeout=180).stdout
    url = next(line.split("=", 1)[1] for line in out.splitlines()
               if line.startswith("QIAO_DATABASE_URL="))
    return url, workdir


def stop_server(workdir: Path) -> None:
    """Stop the server started by :func:`start_server` and delete its directory."""
    subprocess.run([str(SCRIPT), "stop", str(workdir)], check=False, timeout=120)


def tune_server(url: str, workdir: Path | None, shared_buffers: str) -> None:
    """Bigger shared_buffers (needs a restart of our own server) and build memory."""
    import psycopg

    with psycopg.connect(url.replace("postgres://", "postgresql://", 1),
                         autocommit=True) as conn:
        conn.execute(f"ALTER SYSTEM SET shared_buffers = '{shared_buffers}'")
        conn.execute("ALTER SYSTEM SET maintenance_work_mem = '2GB'")
        conn.execute("ALTER SYSTEM SET max_parallel_maintenance_workers = 1")
        conn.execute("ALTER SYSTEM SET jit = off")
        conn.execute("SELECT pg_reload_conf()")
    if workdir is None:
        return
    env = dict(line.split("=", 1) for line in (workdir / "env").read_text().splitlines()
               if "=" in line)
    cmd = [f"{env['PG_BINDIR']}/pg_ctl", "-D", str(workdir / "data"), "-l",
           str(workdir / "postgres.log"), "-w", "-t", "120", "restart"]
    if os.geteuid() == 0:
        cmd = ["runuser", "-u", "postgres", "--", *cmd]
    subprocess.run(cmd, check=True, capture_output=True, timeout=180)


def stats(ms_rounds: list[list[float]]) -> dict:
    """Median / p95 over all repetitions plus each round's median (milliseconds)."""
    pooled = np.array([x for r in ms_rounds for x in r])
    return {"median_ms": round(float(np.median(pooled)), 3),
            "p95_ms": round(float(np.percentile(pooled, 95)), 3),
            "round_medians_ms": [round(float(np.median(r)), 3) for r in ms_rounds],
            "samples": int(len(pooled))}


def timed(fn, items, rounds: int) -> tuple[list[list[float]], list]:
    """Per-item latency of ``fn(item)`` over ``rounds`` passes; results of the last pass."""
    all_ms, results = [], []
    for it in items[:10]:  # warm-up: prepared statements, caches
        fn(it)
    for _ in range(rounds):
        ms, results = [], []
        for it in items:
            t = time.perf_counter()
            results.append(fn(it))
            ms.append((time.perf_counter() - t) * 1000)
        all_ms.append(ms)
    return all_ms, results


def recall(truth: list, got: list) -> float:
    """Share of the exact top-10 profile ids found in the retrieved lists."""
    found = total = 0
    for t, g in zip(truth, got, strict=True):
        ids = {h.profile_id for h in g}
        found += sum(h.profile_id in ids for h in t)
        total += len(t)
    return found / total if total else 1.0


def relation_sizes(pg: PgVectorIndex) -> dict:
    """Table and HNSW index sizes in MB."""
    conn = pg.connection()
    out = {"table_mb": conn.execute(
        "SELECT pg_table_size(%s::regclass)", (pg.table,)).fetchone()[0] / 2**20}
    for d in ("offer", "request"):
        name = f"{pg.table}_{d}_hnsw"
        out[f"hnsw_{d}_mb"] = conn.execute(
            "SELECT pg_relation_size(%s::regclass)", (name,)).fetchone()[0] / 2**20
    return {k: round(v, 1) for k, v in out.items()}


def clustered(raw: dict, dim: int, seed: int, clusters: int = 2000,
              spread: float = 1.0) -> dict:
    """Replace uniform random vectors by clustered ones (texts on shared subjects).

    Each vector is a random cluster centre plus isotropic noise of norm
    ~``spread``, normalised: members of one cluster have cosine ~0.5, other
    pairs ~0, closer to real sentence embeddings than uniform random vectors
    (which are the hardest case for HNSW graphs).
    """
    rng = np.random.default_rng(seed)
    centres = rng.standard_normal((clusters, dim)).astype(np.float32)
    centres /= np.linalg.norm(centres, axis=1, keepdims=True)
    ids = list(raw)
    mat = centres[rng.integers(0, clusters, size=len(ids))]
    mat = mat + rng.standard_normal(mat.shape).astype(np.float32) * (spread / np.sqrt(dim))
    mat /= np.linalg.norm(mat, axis=1, keepdims=True)
    return dict(zip(ids, mat, strict=True))


def run_size(n: int, args, engine: MatchEngine, url: str) -> dict:
    """All measurements for ``n`` profiles."""
    dim = engine.embedder.dim
    t = time.perf_counter()
    orgs, raw = synthetic(n, dim, seed=1)
    if args.vectors == "clustered":
        raw = clustered(raw, dim, seed=7)
    t_gen = time.perf_counter() - t
    t = time.perf_counter()
    index = engine.build_index(orgs, raw_vectors=raw)
    t_index = time.perf_counter() - t
    exact = NumpyCandidates(index)
    res: dict = {"profiles": n, "organizations": len(orgs), "offers": len(index.offers),
                 "requests": len(index.requests), "synthetic_generation_s": round(t_gen, 2),
                 "numpy_index_build_s": round(t_index, 2),
                 "numpy_index_mb": round(index.nbytes() / 2**20, 1),
                 "numpy_vectors_mb": round((index.offers.vecs.nbytes
                                            + index.requests.vecs.nbytes) / 2**20, 1)}

    pg = PgVectorIndex(url, dim, table=f"bench_vec_{n}", ef_search=40)
    pg.drop_table()
    pg.create_table()
    inv = {c: k for k, c in index.lang_codes.items()}
    rows = [(pid, index.org_ids[int(side.org[j])], d, inv[int(side.lang[j])], side.vecs[j])
            for d, side in (("offer", index.offers), ("request", index.requests))
            for j, pid in enumerate(side.ids)]
    t = time.perf_counter()
    pg.bulk_load(rows)
    res["pg_load_s"] = round(time.perf_counter() - t, 2)
    del rows

    rng = np.random.default_rng(2)
    queries = []  # (vector, direction searched)
    for _ in range(args.queries):
        side_name = "offer" if rng.random() < 0.5 else "request"
        side = exact.side(side_name)
        j = int(rng.integers(0, len(side)))
        queries.append((side.vecs[j], "request" if side_name == "offer" else "offer"))
    truth = [exact.search(v, d, 10)[0] for v, d in queries]

    ret: dict = {}
    ms, _ = timed(lambda q: exact.search(q[0], q[1], 10)[0], queries, args.rounds)
    ret["numpy_exact"] = {**stats(ms), "recall_at_10": 1.0}
    if not args.skip_seqscan:
        ms, got = timed(lambda q: pg.search(q[0], q[1], 10, exact=True)[0], queries,
                        args.rounds)
        ret["pg_exact_seqscan"] = {**stats(ms), "recall_at_10": round(recall(truth, got), 4)}
        print(f"N={n}: pg seq scan {ret['pg_exact_seqscan']['median_ms']} ms", flush=True)
    print(f"N={n}: numpy {ret['numpy_exact']['median_ms']} ms", flush=True)

    t = time.perf_counter()
    pg.create_indexes(maintenance_work_mem="2GB")
    res["hnsw_build_s"] = round(time.perf_counter() - t, 2)
    res["pg_sizes"] = relation_sizes(pg)
    plan = pg.connection().execute(
        f"EXPLAIN SELECT profile_id FROM {pg.table} WHERE direction = 'offer' "
        "ORDER BY embedding <=> %s LIMIT 10", (queries[0][0],)).fetchall()
    res["hnsw_plan_uses_index"] = any("hnsw" in r[0] for r in plan)
    print(f"N={n}: HNSW build {res['hnsw_build_s']} s, sizes {res['pg_sizes']}", flush=True)
    for ef in args.ef:
        ms, got = timed(lambda q, ef=ef: pg.search(q[0], q[1], 10, ef_search=ef)[0],
                        queries, args.rounds)
        ret[f"pg_hnsw_ef{ef}"] = {**stats(ms), "ef_search": ef,
                                  "recall_at_10": round(recall(truth, got), 4)}
        print(f"N={n}: HNSW ef {ef}: {ret[f'pg_hnsw_ef{ef}']['median_ms']} ms, recall@10 "
              f"{ret[f'pg_hnsw_ef{ef}']['recall_at_10']}", flush=True)
    res["retrieval_top10"] = ret

    good = [(v["median_ms"], k) for k, v in ret.items()
            if k.startswith("pg_hnsw") and v["recall_at_10"] >= RECALL_TARGET]
    best_ef = ret[min(good)[1]]["ef_search"] if good else max(args.ef)
    res["retrieval_best_hnsw"] = {
        "config": f"pg_hnsw_ef{best_ef}", "meets_recall": bool(good),
        "hnsw_faster_than_numpy": bool(good) and min(good)[0] < ret["numpy_exact"]["median_ms"]}

    # End to end: suggestions for whole organisations.
    by_id = {o.id: o for o in orgs}
    picks = np.random.default_rng(4).choice(len(orgs), size=args.e2e, replace=False)
    e2e_orgs = [orgs[int(i)] for i in picks]

    def qv(o):
        return {p.id: raw[p.id] for p in o.profiles}

    ms, want = timed(lambda o: engine.suggest_for(o, index, 10, raw_vectors=qv(o)),
                     e2e_orgs, args.rounds)
    e2e = {"numpy_exact_engine": stats(ms)}
    ef_e2e = max(best_ef, args.shortlist)
    ms, got = timed(lambda o: pg.suggest_for(engine, o, lambda ids: [by_id[i] for i in ids], 10,
                                             raw_vectors=qv(o), shortlist=args.shortlist,
                                             ef_search=ef_e2e), e2e_orgs, args.rounds)
    overlap = np.mean([len({s.org_id for s in g} & {s.org_id for s in w}) / max(1, len(w))
                       for g, w in zip(got, want, strict=True)])
    same = np.mean([[s.org_id for s in g] == [s.org_id for s in w]
                    for g, w in zip(got, want, strict=True)])
    e2e[f"pg_shortlist{args.shortlist}_ef{ef_e2e}_rescored"] = {
        **stats(ms), "top10_overlap": round(float(overlap), 4),
        "identical_lists": round(float(same), 4)}
    res["suggestions_top10"] = {"organisations": args.e2e, **e2e}
    print(f"N={n}: suggestions numpy {e2e['numpy_exact_engine']['median_ms']} ms, pgvector "
          f"shortlist {stats(ms)['median_ms']} ms (overlap {overlap:.3f})", flush=True)
    res["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    if not args.keep_tables:
        pg.drop_table()
    pg.close()
    return res


def switch_over(sizes: list[dict], key) -> int | None:
    """Smallest measured N from which pgvector is faster at every larger measured N."""
    point = None
    for r in sorted(sizes, key=lambda r: r["profiles"], reverse=True):
        if key(r):
            point = r["profiles"]
        else:
            break
    return point


def table(results: list[dict], efs: list[int]) -> str:
    """Plain-text summary table."""
    head = (f"{'N':>7} {'numpy':>8} {'pg seq':>8} "
            + " ".join(f"{'hnsw' + str(e):>14}" for e in efs)
            + f" {'build s':>8} {'np MB':>6} {'sugg np':>8} {'sugg pg':>14}")
    lines = [head, "-" * len(head)]
    for r in results:
        ret = r["retrieval_top10"]
        seq = ret.get("pg_exact_seqscan", {}).get("median_ms", float("nan"))
        cells = [f"{r['profiles']:>7}", f"{ret['numpy_exact']['median_ms']:>8.2f}",
                 f"{seq:>8.2f}"]
        for e in efs:
            h = ret[f"pg_hnsw_ef{e}"]
            cells.append(f"{h['median_ms']:>7.2f} r{h['recall_at_10']:.3f}")
        s = r["suggestions_top10"]
        pgk = next(k for k in s if k.startswith("pg_"))
        cells += [f"{r['hnsw_build_s']:>8.1f}", f"{r['numpy_index_mb']:>6.0f}",
                  f"{s['numpy_exact_engine']['median_ms']:>8.2f}",
                  f"{s[pgk]['median_ms']:>7.2f} o{s[pgk]['top10_overlap']:.2f}"]
        lines.append(" ".join(cells))
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default="10000,30000,100000,200000")
    ap.add_argument("--queries", type=int, default=200)
    ap.add_argument("--e2e", type=int, default=100)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--ef", default="40,100,200,400")
    ap.add_argument("--shortlist", type=int, default=100)
    ap.add_argument("--shared-buffers", default="1536MB")
    ap.add_argument("--url", default="", help="use this server instead of starting one")
    ap.add_argument("--keep-tables", action="store_true")
    ap.add_argument("--skip-seqscan", action="store_true",
                    help="leave out pgvector without index (its speed does not depend on the data)")
    ap.add_argument("--vectors", choices=["uniform", "clustered"], default="uniform",
                    help="uniform: matching_scale's vectors; clustered: see clustered(); "
                         "a clustered run is stored under the key 'clustered' of the result")
    args = ap.parse_args()
    args.ef = [int(x) for x in args.ef.split(",")]
    sizes = [int(x) for x in args.sizes.split(",")]

    def on_term(signum, frame):
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, on_term)
    workdir = None
    out: dict = {
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                    "numpy": np.__version__,
                    "load_average_at_start": [round(x, 2) for x in os.getloadavg()]},
        "settings": {"dim": 512, "generator": "bench/matching_scale.py synthetic(seed=1)",
                     "vectors": args.vectors,
                     "hnsw": {"m": 16, "ef_construction": 64, "partial_index_per_direction": True},
                     "queries": args.queries, "e2e_organisations": args.e2e,
                     "rounds": args.rounds, "shortlist": args.shortlist,
                     "recall_target": RECALL_TARGET,
                     "numpy_blas_threads": os.environ.get("QIAO_MATCH_THREADS", "1")},
        "sizes": []}
    try:
        url = args.url
        if not url:
            url, workdir = start_server()
        tune_server(url, workdir, args.shared_buffers)
        import psycopg

        with psycopg.connect(url.replace("postgres://", "postgresql://", 1)) as conn:
            out["settings"]["postgres"] = conn.execute("SHOW server_version").fetchone()[0]
            conn.execute("CREATE EXTENSION IF NOT EXISTS vector")
            out["settings"]["pgvector"] = conn.execute(
                "SELECT extversion FROM pg_extension WHERE extname = 'vector'").fetchone()[0]
            out["settings"]["shared_buffers"] = conn.execute(
                "SHOW shared_buffers").fetchone()[0]
        engine = MatchEngine(load_embedder("use"), MemoryCache())
        engine.calibrator.pair_offsets()
        for n in sizes:
            out["sizes"].append(run_size(n, args, engine, url))
            summarise(out)
            out["machine"]["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
            write_result(out, args.vectors)
        print(table(out["sizes"], args.ef))
        print(json.dumps(out["summary"], indent=2))
        print(f"wrote {RESULT}")
    finally:
        if workdir is not None:
            stop_server(workdir)


def write_result(out: dict, vectors: str) -> None:
    """Write the uniform run as the file's body, a clustered run under ``clustered``.

    Sizes measured by an earlier run of the same kind and not by this one are
    kept (so a large size can be added later); the summary covers all of them.
    """
    body = json.loads(RESULT.read_text("utf-8")) if RESULT.exists() else {}
    old = body if vectors == "uniform" else body.get("clustered", {})
    mine = {r["profiles"] for r in out["sizes"]}
    merged = {**out, "sizes": sorted(
        [r for r in old.get("sizes", []) if r["profiles"] not in mine] + out["sizes"],
        key=lambda r: r["profiles"])}
    summarise(merged)
    if vectors == "uniform":
        body = {**merged, **({"clustered": body["clustered"]} if "clustered" in body else {})}
    else:
        body["clustered"] = merged
    RESULT.write_text(json.dumps(body, indent=2), encoding="utf-8")


def summarise(out: dict) -> None:
    """Switch-over points and memory per 100k profiles."""
    sizes = out["sizes"]

    def retrieval_faster(r):
        return r["retrieval_best_hnsw"]["hnsw_faster_than_numpy"]

    def e2e_faster(r):
        s = r["suggestions_top10"]
        pgk = next(k for k in s if k.startswith("pg_"))
        return s[pgk]["median_ms"] < s["numpy_exact_engine"]["median_ms"]

    big = max(sizes, key=lambda r: r["profiles"])
    per100k = 100_000 / big["profiles"]
    out["summary"] = {
        "retrieval_switch_over_n": switch_over(sizes, retrieval_faster),
        "suggestions_switch_over_n": switch_over(sizes, e2e_faster),
        "numpy_index_mb_per_100k": round(big["numpy_index_mb"] * per100k, 1),
        "numpy_vectors_mb_per_100k": round(big["numpy_vectors_mb"] * per100k, 1),
        "pg_table_plus_hnsw_mb_per_100k": round(sum(big["pg_sizes"].values()) * per100k, 1),
        "note": "switch-over N = smallest measured N from which pgvector HNSW (recall@10 >= "
                "0.95; suggestions: shortlist re-scored exactly) is faster at every larger "
                "measured N; None = not at any measured N",
    }


if __name__ == "__main__":
    main()
