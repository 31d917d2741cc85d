"""Speed and scale of the matching engine on this machine.

1. Embedding throughput (profiles/s) of each bundled model, on profile texts
   from the labelled set (no cache).
2. Suggestions for one organisation among 100,000 published profiles (synthetic
   unit vectors with random structured fields; exact numpy search), median and
   p95 latency including reasons.
3. Top-10 lists for all 6,000 participants of a large event (batched).
4. Memory: index arrays and process peak RSS.
Writes bench/results/matching_scale.json.

    .venv/bin/python bench/matching_scale.py [--profiles 100000] [--event 6000]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from qiao.matching import (  # noqa: E402
    MatchEngine,
    MemoryCache,
    OrgInput,
    ProfileInput,
    embed_texts,
    load_embedder,
    orgs_from_records,
)
from qiao.matching.types import COOPERATION, TOPICS  # noqa: E402

COUNTRIES = ["DE", "CN", "AT", "CH", "PL", "CZ", "FR", "NL", "IT", "JP"]
LANGS = ["de", "zh", "en"]


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def throughput(spec: str, texts: list[str], repeat: int) -> dict:
    emb = load_embedder(spec)
    embed_texts(texts[:4], emb, MemoryCache())  # load the model
    batch = (texts * repeat)[: len(texts) * repeat]
    # unique texts, so nothing is cached within the run
    batch = [f"{t} [{i}]" for i, t in enumerate(batch)]
    t = time.perf_counter()
    embed_texts(batch, emb, None)
    dt = time.perf_counter() - t
    return {"profiles": len(batch), "seconds": round(dt, 2),
            "profiles_per_second": round(len(batch) / dt, 1)}


def synthetic(n_profiles: int, dim: int, seed: int) -> tuple[list[OrgInput], dict]:
    """Organisations with 1–3 profiles each, random fields and random unit vectors."""
    rng = np.random.default_rng(seed)
    orgs, vectors = [], {}
    pid = 0
    i = 0
    while pid < n_profiles:
        k = int(rng.integers(1, 4))
        country = COUNTRIES[int(rng.integers(0, 3))] if rng.random() < 0.9 else COUNTRIES[
            int(rng.integers(0, len(COUNTRIES)))]
        profiles = []
        for _ in range(min(k, n_profiles - pid)):
            coop = tuple(rng.choice(COOPERATION, size=int(rng.integers(1, 3)), replace=False))
            targets = tuple(rng.choice(COUNTRIES, size=int(rng.integers(0, 3)), replace=False))
            p = ProfileInput(
                id=f"p{pid}", direction="offer" if rng.random() < 0.5 else "request",
                topic=str(TOPICS[int(rng.integers(0, len(TOPICS)))]), title=f"profile {pid}",
                language=LANGS[int(rng.integers(0, 3))], cooperation=coop,
                target_countries=targets)
            profiles.append(p)
            pid += 1
        sectors = ("G46.46",) if rng.random() < 0.1 else ("C26.60",)
        orgs.append(OrgInput(id=f"o{i}", name=f"Org {i}", country=country, sectors=sectors,
                             profiles=tuple(profiles)))
        i += 1
    mat = rng.standard_normal((pid, dim)).astype(np.float32)
    mat /= np.linalg.norm(mat, axis=1, keepdims=True)
    for j in range(pid):
        vectors[f"p{j}"] = mat[j]
    return orgs, vectors


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--profiles", type=int, default=100_000)
    ap.add_argument("--event", type=int, default=6_000)
    ap.add_argument("--queries", type=int, default=200)
    ap.add_argument("--skip-e5", action="store_true")
    args = ap.parse_args()
    out: dict = {"machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                             "numpy": np.__version__,
                             "load_average_at_start": [round(x, 2) for x in os.getloadavg()]}}

    data = json.loads((ROOT / "bench" / "data" / "orgs.json").read_text("utf-8"))
    texts = [p.embedding_text() for o in orgs_from_records(data["organizations"])
             for p in o.profiles]
    tp = {"use": throughput("use", texts, 5)}
    if not args.skip_e5:
        tp["e5"] = throughput("e5", texts[:60], 1)
        tp["e5+use"] = throughput("e5+use", texts[:60], 1)
    for k, v in tp.items():
        print(f"embedding {k:7s}: {v['profiles_per_second']:7.1f} profiles/s "
              f"({v['profiles']} profiles, {v['seconds']} s)")
    out["embedding_throughput"] = tp

    engine = MatchEngine(load_embedder("use"), MemoryCache())
    dim = engine.embedder.dim
    engine.calibrator.pair_offsets()  # load calibration once, as a server would
    rss0 = rss_mb()
    t = time.perf_counter()
    orgs, vectors = synthetic(args.profiles, dim, seed=1)
    t_gen = time.perf_counter() - t
    t = time.perf_counter()
    index = engine.build_index(orgs, raw_vectors=vectors)
    t_build = time.perf_counter() - t
    rng = np.random.default_rng(2)
    picks = rng.choice(len(orgs), size=args.queries, replace=False)
    lat, lengths = [], []
    for r in picks:
        q = orgs[int(r)]
        qv = {p.id: vectors[p.id] for p in q.profiles}
        t = time.perf_counter()
        res = engine.suggest_for(q, index, top_k=10, raw_vectors=qv)
        lat.append((time.perf_counter() - t) * 1000)
        lengths.append(len(res))
    lat_a = np.array(lat)
    out["single_query"] = {
        "profiles": args.profiles, "organizations": len(orgs), "dim": dim,
        "offers": len(index.offers), "requests": len(index.requests),
        "queries": args.queries, "top_k": 10,
        "median_ms": round(float(np.median(lat_a)), 2),
        "p95_ms": round(float(np.percentile(lat_a, 95)), 2),
        "max_ms": round(float(lat_a.max()), 2),
        "mean_suggestions": round(float(np.mean(lengths)), 2),
        "index_build_s": round(t_build, 2), "synthetic_generation_s": round(t_gen, 2),
        "index_array_mb": round(index.nbytes() / 2**20, 1),
        "rss_increase_mb": round(rss_mb() - rss0, 1),
    }
    sq = out["single_query"]
    print(f"one org among {args.profiles} profiles: median {sq['median_ms']} ms, "
          f"p95 {sq['p95_ms']} ms (index {sq['index_array_mb']} MB, build {sq['index_build_s']} s)")
    del index, orgs, vectors

    ev_orgs, ev_vectors = synthetic(args.event * 2, dim, seed=3)
    ev_orgs = ev_orgs[: args.event]
    t = time.perf_counter()
    ev_index = engine.build_index(ev_orgs, raw_vectors=ev_vectors)
    t_build = time.perf_counter() - t
    t = time.perf_counter()
    ranked = engine.rank_index(ev_index, top_k=10)
    t_rank = time.perf_counter() - t
    out["event"] = {
        "participants": len(ev_orgs),
        "profiles": len(ev_index.offers) + len(ev_index.requests),
        "top_k": 10, "index_build_s": round(t_build, 2), "rank_all_s": round(t_rank, 2),
        "lists": len(ranked),
        "mean_list_length": round(float(np.mean([len(v) for v in ranked.values()])), 2),
    }
    ev = out["event"]
    print(f"event with {ev['participants']} participants ({ev['profiles']} profiles): top-10 for "
          f"all in {ev['rank_all_s']} s (+ index build {ev['index_build_s']} s)")
    out["machine"]["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    out["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    print(f"peak RSS {out['peak_rss_mb']} MB")
    path = ROOT / "bench" / "results" / "matching_scale.json"
    path.write_text(json.dumps(out, indent=2), encoding="utf-8")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
