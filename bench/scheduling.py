"""Benchmark of qiao.scheduling: optimiser vs first-free-slot baseline.

Real instances: ../shared/bench/b2b-jair/json beside the repository (read in place, never copied),
with the published optimal break counts (Bofill et al., JAIR 2022, Table 5).
Generated instances: qiao.scheduling.generate at 200 / 1,000 / 6,000 participants.

    python bench/scheduling.py --real --time-limit 60
    python bench/scheduling.py --generated 200,1000 --out bench/results/scheduling.json

Results are merged into the JSON file (keyed by instance name), so subsets can
be run separately.
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

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from qiao.scheduling import (  # noqa: E402
    baseline_first_free,
    parse_instance,
    solve,
    validate_solution,
)
from qiao.scheduling.generate import generate_instance  # noqa: E402

JAIR_DIR = Path(__file__).resolve().parents[2] / "shared" / "bench" / "b2b-jair" / "json"
if not JAIR_DIR.is_dir():
    JAIR_DIR = Path("/work/shared/bench/b2b-jair/json")
OPTIMA = {
    "forum-13": 0, "forum-13crafb": 6, "forum-13crafc": 1, "forum-14": 2, "forumt-14": 5,
    "forumt-14crafc": 5, "forumt-14crafd": 4, "forumt-14crafe": 5, "tic-12": 0,
    "tic-12crafc": 0, "tic-13": 0, "tic-13crafb": 0, "tic-13crafc": 4, "tic-14crafa": 0,
    "tic-14crafc": 0, "tic-14crafd": 0, "ticf-13crafa": 0, "ticf-13crafb": 3,
    "ticf-13crafc": 1, "ticf-14crafa": 0,
}
GEN_LIMITS = {200: 60.0, 1000: 120.0, 6000: 600.0}


def _cpu() -> float:
    """CPU seconds of this process and of its finished child processes (the SAT portfolio)."""
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + kids.ru_utime + kids.ru_stime


def run_one(name: str, data: dict, time_limit: float, seed: int, optimum=None) -> dict:
    inst = parse_instance(data)
    t = time.monotonic()
    base = baseline_first_free(inst)
    base_s = time.monotonic() - t
    load = os.getloadavg()[0]
    t, cpu = time.monotonic(), _cpu()
    sol = solve(inst, time_limit=time_limit, seed=seed)
    elapsed, cpu = time.monotonic() - t, _cpu() - cpu
    errors = validate_solution(inst, sol)
    row = {
        "instance": name, "participants": len(inst.participants),
        "meetings": len(inst.meetings), "slots": len(inst.slots),
        "placed": sol.scheduled, "weight": sol.weight, "breaks": sol.breaks,
        "status": sol.status, "bound_weight": sol.bound_weight,
        "bound_breaks": sol.bound_breaks, "time_s": round(elapsed, 2), "cpu_s": round(cpu, 2),
        "load_avg_1min": round(load, 1),
        "time_limit_s": time_limit, "valid": not errors, "errors": errors[:5],
        "baseline_placed": base.scheduled, "baseline_weight": base.weight,
        "baseline_breaks": base.breaks, "baseline_s": round(base_s, 2),
        "stats": sol.stats,
    }
    if optimum is not None:
        row["published_optimum"] = optimum
        row["reached_optimum"] = sol.scheduled == len(inst.meetings) and sol.breaks == optimum
    return row


def fmt(row: dict) -> str:
    opt = row.get("published_optimum")
    ref = f"opt {opt}" if opt is not None else f"ub w {row['bound_weight']}"
    mark = ""
    if "reached_optimum" in row:
        mark = "OK " if row["reached_optimum"] else "-- "
    return (f"{mark}{row['instance']:<16} {row['placed']:>5}/{row['meetings']:<5} "
            f"w {row['weight']:>6} br {row['breaks']:>5} ({ref}, lb {row['bound_breaks']}) "
            f"{row['status']:<9} {row['time_s']:>6.1f}s (load {row['load_avg_1min']})"
            f" | base {row['baseline_placed']:>5} "
            f"w {row['baseline_weight']:>6} br {row['baseline_breaks']:>5}"
            f"{'' if row['valid'] else '  INVALID'}")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--real", action="store_true", help="run the 20 JAIR instances")
    ap.add_argument("--only", default="", help="comma-separated JAIR instance names")
    ap.add_argument("--generated", default="", help="sizes, e.g. 200,1000,6000")
    ap.add_argument("--time-limit", type=float, default=None,
                    help="seconds per instance (default: 60 real, 60/120/600 generated)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", default=str(Path(__file__).parent / "results" / "scheduling.json"))
    args = ap.parse_args(argv)
    out = Path(args.out)
    results = json.loads(out.read_text()) if out.exists() else {}
    results.setdefault("instances", {})
    results["machine"] = {"cpus": os.cpu_count(), "python": platform.python_version()}
    todo: list[tuple[str, callable, float, object]] = []
    if args.real or args.only:
        if not JAIR_DIR.is_dir():
            print(f"{JAIR_DIR} not found; skipping real instances", file=sys.stderr)
        else:
            names = args.only.split(",") if args.only else sorted(OPTIMA)
            for n in names:
                todo.append((n, lambda n=n: json.loads((JAIR_DIR / f"{n}.json").read_text()),
                             args.time_limit or 60.0, OPTIMA.get(n)))
    for size in [int(s) for s in args.generated.split(",") if s]:
        todo.append((f"gen-{size}", lambda size=size: generate_instance(size, seed=1),
                     args.time_limit or GEN_LIMITS.get(size, 60.0), None))
    for name, load, limit, opt in todo:
        row = run_one(name, load(), limit, args.seed, opt)
        print(fmt(row), flush=True)
        results["instances"][name] = row
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(results, indent=1, sort_keys=True))
    rows = [r for r in results["instances"].values() if "reached_optimum" in r]
    if rows:
        print(f"real instances with published optimum reached: "
              f"{sum(r['reached_optimum'] for r in rows)}/{len(rows)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
