"""Command line: ``qiao schedule INSTANCE.json [--time-limit S] [--seed N]``.

Writes the qiao-schedule/1 JSON to stdout; malformed input gives the list of
problems on stderr and exit code 2. Status ``infeasible`` still exits 0 (the
answer is valid JSON); 1 is reserved for unexpected failures.
"""

from __future__ import annotations

import argparse
import json
import sys

from qiao.scheduling.model import ScheduleFormatError, parse_instance, solution_to_dict
from qiao.scheduling.solver import solve


def build_parser() -> argparse.ArgumentParser:
    """Argument parser of the ``schedule`` command."""
    ap = argparse.ArgumentParser(prog="qiao schedule",
                                 description="Compute an optimised meeting schedule.")
    ap.add_argument("instance", help="qiao-schedule-instance/1 JSON file ('-' for stdin)")
    ap.add_argument("--time-limit", type=float, default=60.0, metavar="SECONDS",
                    help="wall-clock limit for the optimiser (default 60)")
    ap.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    ap.add_argument("--workers", type=int, default=2, help="solver threads (default 2)")
    return ap


def main(argv: list[str] | None = None) -> int:
    """Run the command; returns the process exit code."""
    ap = build_parser()
    try:
        args = ap.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    if args.time_limit <= 0:
        print("error: --time-limit must be positive", file=sys.stderr)
        return 2
    try:
        if args.instance == "-":
            data = json.load(sys.stdin)
        else:
            with open(args.instance, encoding="utf-8") as fh:
                data = json.load(fh)
    except OSError as exc:
        print(f"error: cannot read {args.instance}: {exc.strerror}", file=sys.stderr)
        return 2
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        print(f"error: {args.instance} is not valid JSON: {exc}", file=sys.stderr)
        return 2
    try:
        instance = parse_instance(data)
    except ScheduleFormatError as exc:
        print(f"error: malformed instance {args.instance}:", file=sys.stderr)
        for msg in exc.messages:
            print(f"  - {msg}", file=sys.stderr)
        return 2
    solution = solve(instance, time_limit=args.time_limit, seed=args.seed, workers=args.workers)
    json.dump(solution_to_dict(solution), sys.stdout, ensure_ascii=False, indent=1)
    sys.stdout.write("\n")
    return 0
