"""Evaluate partner matching on the labelled set in bench/data/.

Reports MRR, recall@5, recall@10 and hard-negative accuracy for Qiao (several
configurations, to justify the defaults) and two baselines: keyword TF-IDF over
whole-organisation texts, and plain cosine of whole-organisation embeddings.
Also measures the same-language bias (mean similarity of non-partner
offer/request pairs in the same language minus across languages) before and
after the correction. Writes bench/results/matching.json.

    .venv/bin/python bench/matching.py [--quick] [--data bench/data]
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from qiao.matching import (  # noqa: E402
    MatchEngine,
    ScoringConfig,
    SqliteCache,
    embed_texts,
    load_embedder,
    orgs_from_records,
)
from qiao.matching.engine import profile_language  # noqa: E402


def load(data_dir: Path):
    data = json.loads((data_dir / "orgs.json").read_text(encoding="utf-8"))
    labels = json.loads((data_dir / "labels.json").read_text(encoding="utf-8"))
    return orgs_from_records(data["organizations"]), labels


def org_text(org) -> str:
    parts = [org.description]
    for p in org.profiles:
        parts += [p.title, p.text, " ".join(p.keywords)]
    return "\n".join(x for x in parts if x)


def evaluate(score: np.ndarray, ids: list[str], labels: dict) -> dict:
    """Metrics from a full org × org score matrix (higher = better)."""
    pos = {k: i for i, k in enumerate(ids)}
    partners: dict[str, set[str]] = {}
    for a, b in labels["pairs"]:
        partners.setdefault(a, set()).add(b)
        partners.setdefault(b, set()).add(a)
    rr, hits5, hits10 = [], 0, 0
    for a, b in labels["pairs"]:
        for q, t in ((a, b), (b, a)):
            row = score[pos[q]].astype(np.float64).copy()
            row[pos[q]] = -np.inf
            for other in partners[q] - {t}:
                row[pos[other]] = -np.inf
            # ties count against the true partner
            rank = 1 + int((row >= row[pos[t]]).sum()) - 1
            rr.append(1.0 / rank)
            hits5 += rank <= 5
            hits10 += rank <= 10
    hn_ok = []
    by_kind: dict[str, list[bool]] = {}
    for h in labels["hard_negatives"]:
        row = score[pos[h["org"]]]
        ok = bool(row[pos[h["partner"]]] > row[pos[h["lookalike"]]])
        hn_ok.append(ok)
        by_kind.setdefault(h["kind"], []).append(ok)
    n = len(rr)
    return {
        "mrr": round(float(np.mean(rr)), 4),
        "recall@5": round(hits5 / n, 4),
        "recall@10": round(hits10 / n, 4),
        "hard_negative_accuracy": round(float(np.mean(hn_ok)), 4),
        "hard_negative_by_kind": {k: round(float(np.mean(v)), 3) for k, v in by_kind.items()},
        "queries": n,
    }


def qiao_matrix(engine: MatchEngine, orgs) -> np.ndarray:
    ids = [o.id for o in orgs]
    pos = {k: i for i, k in enumerate(ids)}
    ranked = engine.rank(orgs, top_k=len(orgs))
    m = np.zeros((len(orgs), len(orgs)))
    for oid, sugg in ranked.items():
        for s in sugg:
            m[pos[oid], pos[s.org_id]] = s.score
    return m


_LATIN = re.compile(r"[a-zäöüßéèàç0-9]+", re.IGNORECASE)
_HAN = re.compile(r"[\u4e00-\u9fff]+")


def tokens(text: str) -> list[str]:
    toks = [t.lower() for t in _LATIN.findall(text) if len(t) > 1]
    for run in _HAN.findall(text):
        toks += [run[i : i + 2] for i in range(max(1, len(run) - 1))]
    return toks


def tfidf_matrix(orgs) -> np.ndarray:
    docs = [Counter(tokens(org_text(o))) for o in orgs]
    df = Counter(t for d in docs for t in d)
    vocab = {t: i for i, t in enumerate(sorted(df))}
    n = len(docs)
    mat = np.zeros((n, len(vocab)), np.float32)
    for i, d in enumerate(docs):
        for t, c in d.items():
            mat[i, vocab[t]] = (1 + math.log(c)) * math.log((1 + n) / (1 + df[t]))
    mat /= np.maximum(np.linalg.norm(mat, axis=1, keepdims=True), 1e-9)
    return mat @ mat.T


def whole_text_cosine(orgs, embedder, cache) -> np.ndarray:
    vecs = embed_texts([org_text(o) for o in orgs], embedder, cache)
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
    return vecs @ vecs.T


def _profile_sims(engine: MatchEngine, orgs, corrected: bool):
    profs = [(o.id, p) for o in orgs for p in o.profiles]
    langs = [engine.calibrator.lang_key(profile_language(p)) for _o, p in profs]
    raw = embed_texts([p.embedding_text() for _o, p in profs], engine.embedder, engine.cache)
    if not corrected:
        return profs, langs, raw @ raw.T / len(engine.embedder.segments)
    vecs = engine.calibrator.transform(raw, langs)
    sims = vecs @ vecs.T
    if engine.config.use_lang_offsets:
        codes = engine.calibrator.lang_codes
        li = np.array([codes[x] for x in langs])
        sims = sims - engine.calibrator.pair_offsets()[li[:, None], li[None, :]]
    return profs, langs, sims


def learn_offsets(engine: MatchEngine, orgs, labels) -> dict[str, float]:
    """Mean similarity of unrelated offer/request pairs per language pair, minus cross mean."""
    partners = {(a, b) for a, b in labels["pairs"]} | {(b, a) for a, b in labels["pairs"]}
    profs, langs, sims = _profile_sims(engine, orgs, corrected=True)
    acc: dict[tuple[str, str], list[float]] = {}
    for i, (oa, pa) in enumerate(profs):
        for j, (ob, pb) in enumerate(profs):
            if oa != ob and pa.direction != pb.direction and (oa, ob) not in partners:
                acc.setdefault((langs[i], langs[j]), []).append(float(sims[i, j]))
    means = {k: float(np.mean(v)) for k, v in acc.items() if k[0] != "*" and k[1] != "*"}
    cross = float(np.mean([v for (a, b), v in means.items() if a != b]))
    return {f"{a}|{b}": v - cross for (a, b), v in sorted(means.items())}


def _offset_matrix(engine: MatchEngine, offsets: dict[str, float]) -> np.ndarray:
    codes = engine.calibrator.lang_codes
    off = np.zeros((len(codes), len(codes)), np.float32)
    for key, value in offsets.items():
        a, _, b = key.partition("|")
        off[codes[a], codes[b]] = value
    return off


def offsets_crossval(orgs, labels, cache) -> dict:
    """Learn the language-pair offsets on one half of the set, evaluate on the other."""
    ids = [o.id for o in orgs]
    fold = {}
    for i, (a, b) in enumerate(labels["pairs"]):
        fold.setdefault(a, i % 2)
        fold.setdefault(b, fold[a])
    for i, o in enumerate(orgs):
        fold.setdefault(o.id, i % 2)
    out = {}
    for held in (0, 1):
        train_orgs = [o for o in orgs if fold[o.id] != held]
        train_labels = {"pairs": [p for p in labels["pairs"] if fold[p[0]] != held],
                        "hard_negatives": []}
        test_labels = {"pairs": [p for p in labels["pairs"] if fold[p[0]] == held],
                       "hard_negatives": [h for h in labels["hard_negatives"]
                                          if fold[h["org"]] == held]}
        base = MatchEngine(load_embedder("use"), cache, ScoringConfig(use_lang_offsets=False))
        learned = _offset_matrix(base, learn_offsets(base, train_orgs, train_labels))
        rows = {}
        for name, off in (("no offsets", None), ("offsets learned on other half", learned)):
            eng = MatchEngine(load_embedder("use"), cache,
                              ScoringConfig(use_lang_offsets=off is not None))
            if off is not None:
                eng.calibrator._offsets = off
            rows[name] = evaluate(qiao_matrix(eng, orgs), ids, test_labels)
        out[f"fold {held}"] = {k: {m: v[m] for m in ("mrr", "recall@5", "hard_negative_accuracy")}
                               for k, v in rows.items()}
        for k, v in out[f"fold {held}"].items():
            print(f"offsets cross-validation, test half {held}, {k:30s}: MRR {v['mrr']:.3f} "
                  f"R@5 {v['recall@5']:.3f} HN {v['hard_negative_accuracy']:.3f}")
    return out


def language_bias(engine: MatchEngine, orgs, labels, corrected: bool) -> dict:
    """How often an unrelated profile outranks a cross-language partner's profile.

    For every profile with a partner profile in another language: the share of
    unrelated opposite-direction profiles in the query's own language that score
    at least as high as the partner, and the same share for unrelated profiles in
    other languages. Without bias the two shares are equal.
    """
    partners = {(a, b) for a, b in labels["pairs"]} | {(b, a) for a, b in labels["pairs"]}
    profs, langs, sims = _profile_sims(engine, orgs, corrected)
    same_share, cross_share = [], []
    for i, (oa, pa) in enumerate(profs):
        for j, (ob, pb) in enumerate(profs):
            if (oa, ob) not in partners or pa.direction == pb.direction or langs[i] == langs[j]:
                continue
            same, cross = [], []
            for k, (oc, pc) in enumerate(profs):
                if oc == oa or pc.direction == pa.direction or (oa, oc) in partners:
                    continue
                (same if langs[k] == langs[i] else cross).append(sims[i, k] >= sims[i, j])
            same_share.append(np.mean(same))
            cross_share.append(np.mean(cross))
    s, c = float(np.mean(same_share)), float(np.mean(cross_share))
    return {"same_language_beats_partner": round(s, 4),
            "other_language_beats_partner": round(c, 4),
            "ratio": round(s / c, 2) if c else None}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default=str(ROOT / "bench" / "data"))
    ap.add_argument("--quick", action="store_true", help="default configuration + baselines only")
    ap.add_argument("--calibrate", action="store_true",
                    help="learn per-language-pair offsets and store them in the package")
    ap.add_argument("--out", default=None,
                    help="result file (default bench/results/matching.json; --quick writes none)")
    args = ap.parse_args()
    orgs, labels = load(Path(args.data))
    cache_path = ROOT / "bench" / "results" / ".cache" / "embeddings.sqlite"
    cache = SqliteCache(cache_path)
    ids = [o.id for o in orgs]
    if args.calibrate:
        from qiao.matching.calibration import (
            compute_reference_means,
            save_learned_offsets,
            save_precomputed,
        )

        for spec in ("use", "e5"):
            emb = load_embedder(spec)
            save_precomputed(emb.name, compute_reference_means(emb, cache))
            eng = MatchEngine(emb, cache, ScoringConfig(use_lang_offsets=False))
            offsets = learn_offsets(eng, orgs, labels)
            save_learned_offsets(emb.name, 1.0, offsets)
            print(spec, "offsets", {k: round(v, 3) for k, v in offsets.items()})
    results: dict = {"set": {"organizations": len(orgs), "pairs": len(labels["pairs"]),
                             "hard_negatives": len(labels["hard_negatives"]),
                             "profiles": sum(len(o.profiles) for o in orgs)}}
    systems: dict[str, dict] = {}

    def run(name, fn):
        t = time.perf_counter()
        m = fn()
        r = evaluate(m, ids, labels)
        r["seconds"] = round(time.perf_counter() - t, 2)
        systems[name] = r
        print(f"{name:44s} MRR {r['mrr']:.3f}  R@5 {r['recall@5']:.3f}  "
              f"R@10 {r['recall@10']:.3f}  HN {r['hard_negative_accuracy']:.3f}  ({r['seconds']}s)")

    default = MatchEngine(load_embedder("use"), cache)
    run("qiao (default: use, corrected, structured)", lambda: qiao_matrix(default, orgs))
    run("baseline: keyword tf-idf", lambda: tfidf_matrix(orgs))
    run("baseline: whole-org cosine (use)",
        lambda: whole_text_cosine(orgs, load_embedder("use"), cache))
    if not args.quick:
        variants = {
            "qiao e5": (load_embedder("e5"), ScoringConfig(), 1.0),
            "qiao e5+use": (load_embedder("e5+use"), ScoringConfig(), 1.0),
            "qiao use, no bias correction": (
                load_embedder("use"), ScoringConfig(use_lang_offsets=False), 0.0),
            "qiao use, centering only": (
                load_embedder("use"), ScoringConfig(use_lang_offsets=False), 1.0),
            "qiao use, text only (no structure)": (
                load_embedder("use"),
                ScoringConfig(coop_power=0.0, topic_power=0.0, geo_factor=1.0,
                              site_geo_factor=1.0, research_trader_factor=1.0), 1.0),
            "qiao use, one direction only (both_ways=0)": (
                load_embedder("use"), ScoringConfig(both_ways=0.0), 1.0),
        }
        for name, (emb, cfg, strength) in variants.items():
            eng = MatchEngine(emb, cache, cfg, calibration_strength=strength)
            run(name, lambda eng=eng: qiao_matrix(eng, orgs))
        run("baseline: whole-org cosine (e5)",
            lambda: whole_text_cosine(orgs, load_embedder("e5"), cache))
    results["systems"] = systems
    bias = {}
    for name, emb_spec in (("use", "use"), ("e5", "e5")) if not args.quick else (("use", "use"),):
        eng = MatchEngine(load_embedder(emb_spec), cache)
        centring = MatchEngine(load_embedder(emb_spec), cache,
                               ScoringConfig(use_lang_offsets=False))
        bias[name] = {"raw": language_bias(eng, orgs, labels, False),
                      "centring_only": language_bias(centring, orgs, labels, True),
                      "corrected": language_bias(eng, orgs, labels, True)}
        for k, v in bias[name].items():
            print(f"language bias {name} {k:13s}: unrelated same-language profile beats the "
                  f"partner {v['same_language_beats_partner']:.4f}, other-language "
                  f"{v['other_language_beats_partner']:.4f} (ratio {v['ratio']})")
    results["language_bias"] = bias
    if not args.quick:
        results["offsets_crossval"] = offsets_crossval(orgs, labels, cache)
    out = args.out or (None if args.quick else str(ROOT / "bench" / "results" / "matching.json"))
    if out:
        Path(out).parent.mkdir(parents=True, exist_ok=True)
        Path(out).write_text(json.dumps(results, indent=2, ensure_ascii=False), encoding="utf-8")
        print(f"wrote {out}")


if __name__ == "__main__":
    main()
