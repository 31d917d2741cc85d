"""``qiao match FILE.json [--top K] [--format json|table]``: partner suggestions from a file.

Reads qiao-exchange/1 (validated by :func:`qiao.exchange.format.parse_exchange`),
ranks partners for every organisation among the others in the file and writes
qiao-matches/1 to standard output. No database and no server are involved;
embeddings are cached on disk (``--cache``; ``--no-cache`` to skip). Bad input
prints the validation errors on standard error and exits with status 2.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import unicodedata
from collections.abc import Sequence
from typing import TextIO

from .cache import MemoryCache, SqliteCache, default_cache_path
from .convert import orgs_from_records
from .embedders import load_embedder
from .engine import MatchEngine
from .reasons import describe_reason
from .types import OrgInput, Suggestion

FORMAT_ID = "qiao-matches/1"


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``qiao match``."""
    p = argparse.ArgumentParser(
        prog="qiao match",
        description="Suggest partners for every organisation in a qiao-exchange/1 file.",
    )
    p.add_argument("file", help="qiao-exchange/1 JSON file ('-' for standard input)")
    p.add_argument("--top", type=int, default=10, metavar="K", help="partners per organisation")
    p.add_argument("--format", choices=("json", "table"), default="json")
    p.add_argument(
        "--lang",
        choices=("de", "en", "zh-hans"),
        default=None,
        help="language of the reasons in the table (default: from $LANG, else en)",
    )
    p.add_argument("--embedder", default=None, help="embedder spec (default: $QIAO_EMBEDDER)")
    p.add_argument("--cache", default=None, help="embedding cache file (SQLite)")
    p.add_argument("--no-cache", action="store_true", help="keep embeddings in memory only")
    return p


def matches_document(
    orgs: Sequence[OrgInput], ranked: dict[str, list[Suggestion]], model: str
) -> dict:
    """The qiao-matches/1 document: every organisation once, in input order."""
    return {
        "format": FORMAT_ID,
        "model": model,
        "matches": [
            {
                "organization": o.id,
                "partners": [s.as_dict() for s in ranked.get(o.id, [])],
            }
            for o in orgs
        ],
    }


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    if _width(text) > width:
        out = ""
        for ch in text:
            if _width(out + ch) > width - 1:
                break
            out += ch
        text = out + "…"
    return text + " " * (width - _width(text))


def write_table(
    orgs: Sequence[OrgInput], ranked: dict[str, list[Suggestion]], lang: str, out: TextIO
) -> None:
    """Readable table: each organisation, then its partners with score and reasons."""
    names = {o.id: o.name for o in orgs}
    for o in orgs:
        out.write(f"{o.name} [{o.id}]\n")
        suggestions = ranked.get(o.id, [])
        if not suggestions:
            out.write("    –\n\n")
            continue
        for rank, s in enumerate(suggestions, 1):
            out.write(f"  {rank:>2}. {_pad(names.get(s.org_id, s.org_id), 44)} "
                      f"{s.score:6.3f}  [{s.org_id}]\n")
            for r in s.reasons:
                out.write(f"        · {describe_reason(r, lang)}\n")
        out.write("\n")


def _ui_lang(arg: str | None) -> str:
    if arg:
        return arg
    env = (os.environ.get("LANG") or "").lower()
    if env.startswith("zh"):
        return "zh-hans"
    if env.startswith("de"):
        return "de"
    return "en"


def main(argv: list[str] | None = None) -> int:
    """Run ``qiao match``; returns the exit status (0 ok, 2 bad input)."""
    args = build_parser().parse_args(argv)
    from qiao.exchange.format import parse_exchange
    from qiao.exchange.records import ExchangeError

    try:
        if args.file == "-":
            data = sys.stdin.buffer.read()
        else:
            with open(args.file, "rb") as fh:
                data = fh.read()
    except OSError as exc:
        print(f"qiao match: cannot read {args.file}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    try:
        exchange = parse_exchange(data)
    except ExchangeError as exc:
        print(f"qiao match: {args.file} is not a valid qiao-exchange/1 file:", file=sys.stderr)
        for issue in exc.errors:
            print(f"  {issue}", file=sys.stderr)
        return 2
    if args.top < 0:
        print("qiao match: --top must be ≥ 0", file=sys.stderr)
        return 2
    orgs = orgs_from_records(exchange.organizations)
    cache = MemoryCache() if args.no_cache else SqliteCache(args.cache or default_cache_path())
    engine = MatchEngine(load_embedder(args.embedder), cache)
    ranked = engine.rank(orgs, top_k=args.top)
    if args.format == "table":
        write_table(orgs, ranked, _ui_lang(args.lang), sys.stdout)
    else:
        doc = matches_document(orgs, ranked, engine.model_name)
        json.dump(doc, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    return 0
