#!/usr/bin/env python3
"""Helper for keeping the German and Chinese catalogues complete.

Usage (run with the project's venv Python, needs polib):

  i18n_fill.py todo [--locale-dir DIR] [--snapshot FILE]
      List every entry that is untranslated or fuzzy in de or zh_Hans, numbered,
      and write the numbering to a JSON snapshot (default /tmp/i18n/snapshot.json).

  i18n_fill.py fill TSV [--locale-dir DIR] [--snapshot FILE]
      Write translations into the catalogues.  Each TSV line is
      ``number<TAB>German<TAB>Chinese`` where the number refers to the snapshot;
      plural forms of the German text are separated by `` || ``.  Lines starting
      with ``#`` and empty lines are ignored.  Filled entries lose the fuzzy flag.

  i18n_fill.py clean-en [--locale-dir DIR]
      English is the source language: drop fuzzy guesses from the en catalogue
      so that the source text is shown.

  i18n_fill.py stats [--locale-dir DIR]
      Count entries, translated entries and fuzzy entries per catalogue.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_LOCALE_DIR = ROOT / "src" / "qiao" / "locale"
TARGETS = ("de", "zh_Hans")


def _catalogue(locale_dir: Path, code: str) -> polib.POFile:
    return polib.pofile(str(locale_dir / code / "LC_MESSAGES" / "django.po"), wrapwidth=79)


def _save(cat: polib.POFile) -> None:
    """Save a catalogue, wrapped as GNU gettext (makemessages) wraps it, to keep diffs small."""
    cat.save()
    if shutil.which("msgcat"):
        subprocess.run(["msgcat", "-o", cat.fpath, cat.fpath], check=True)


def _key(entry: polib.POEntry) -> list:
    return [entry.msgctxt, entry.msgid, entry.msgid_plural]


def _needs_work(entry: polib.POEntry) -> bool:
    return not entry.obsolete and (not entry.translated() or "fuzzy" in entry.flags)


def todo(args) -> int:
    """List the entries that need work and write the numbering snapshot."""
    cats = {code: _catalogue(args.locale_dir, code) for code in TARGETS}
    keys = []
    seen = set()
    for code in TARGETS:
        for entry in cats[code]:
            key = tuple(_key(entry))
            if _needs_work(entry) and key not in seen:
                seen.add(key)
                keys.append(list(key))
    args.snapshot.parent.mkdir(parents=True, exist_ok=True)
    args.snapshot.write_text(json.dumps(keys, ensure_ascii=False, indent=1), encoding="utf-8")
    by_key = {tuple(_key(e)): e for e in cats["de"]}
    for number, key in enumerate(keys):
        entry = by_key.get(tuple(key))
        where = ",".join(sorted({f for f, _ in entry.occurrences})) if entry else "?"
        ctx = f" [ctx={key[0]}]" if key[0] else ""
        plural = f" || PLURAL {key[2]!r}" if key[2] else ""
        flags = f" {','.join(entry.flags)}" if entry and entry.flags else ""
        print(f"{number}\t{where}{ctx}{flags}\t{key[1]!r}{plural}")
    print(f"# {len(keys)} entries need work", file=sys.stderr)
    return 0


def _set(entry: polib.POEntry, text: str, nplurals: int) -> None:
    if entry.msgid_plural:
        forms = text.split(" || ")
        if len(forms) == 1:
            forms = forms * nplurals
        if len(forms) != nplurals:
            raise ValueError(f"{entry.msgid!r}: {len(forms)} forms, expected {nplurals}")
        entry.msgstr_plural = dict(enumerate(forms))
    else:
        if " || " in text:
            raise ValueError(f"{entry.msgid!r}: plural separator in a singular entry")
        entry.msgstr = text
    if "fuzzy" in entry.flags:
        entry.flags.remove("fuzzy")
    entry.previous_msgid = entry.previous_msgid_plural = entry.previous_msgctxt = None


def fill(args) -> int:
    """Write the translations of a TSV file into the catalogues."""
    keys = json.loads(args.snapshot.read_text(encoding="utf-8"))
    cats = {code: _catalogue(args.locale_dir, code) for code in TARGETS}
    index = {code: {tuple(_key(e)): e for e in cats[code]} for code in TARGETS}
    nplurals = {"de": 2, "zh_Hans": 1}
    done, problems = 0, 0
    for lineno, line in enumerate(Path(args.tsv).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) != 3:
            print(f"line {lineno}: expected 3 tab-separated fields: {line!r}", file=sys.stderr)
            problems += 1
            continue
        number, german, chinese = int(parts[0]), parts[1], parts[2]  # spaces may matter
        key = tuple(keys[number])
        for code, text in (("de", german), ("zh_Hans", chinese)):
            entry = index[code].get(key)
            if entry is None:
                print(f"line {lineno}: {key[1]!r} not in {code}", file=sys.stderr)
                problems += 1
                continue
            if not text.strip():
                print(f"line {lineno}: empty {code} text", file=sys.stderr)
                problems += 1
                continue
            _set(entry, text, nplurals[code])
        done += 1
    for cat in cats.values():
        _save(cat)
    print(f"filled {done} entries, {problems} problems")
    return 1 if problems else 0


def clean_en(args) -> int:
    """Drop fuzzy guesses from the English catalogue."""
    cat = _catalogue(args.locale_dir, "en")
    changed = 0
    for entry in cat:
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
            entry.msgstr = ""
            if entry.msgid_plural:
                entry.msgstr_plural = {0: "", 1: ""}
            entry.previous_msgid = entry.previous_msgid_plural = entry.previous_msgctxt = None
            changed += 1
    if changed:
        _save(cat)
    print(f"en: {changed} fuzzy guesses removed")
    return 0


def stats(args) -> int:
    """Print entry counts per catalogue."""
    for code in ("de", "en", "zh_Hans"):
        cat = _catalogue(args.locale_dir, code)
        live = [e for e in cat if not e.obsolete]
        print(
            f"{code}: {len(live)} entries, {sum(e.translated() for e in live)} translated, "
            f"{sum('fuzzy' in e.flags for e in live)} fuzzy, "
            f"{sum(bool(e.msgid_plural) for e in live)} with plural forms"
        )
    return 0


def main(argv=None) -> int:
    """Parse the command line and run a command."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["todo", "fill", "clean-en", "stats"])
    parser.add_argument("tsv", nargs="?")
    parser.add_argument("--locale-dir", type=Path, default=DEFAULT_LOCALE_DIR)
    parser.add_argument("--snapshot", type=Path, default=Path("/tmp/i18n/snapshot.json"))
    args = parser.parse_args(argv)
    if args.command == "fill" and not args.tsv:
        parser.error("fill needs a TSV file")
    return {"todo": todo, "fill": fill, "clean-en": clean_en, "stats": stats}[args.command](args)


if __name__ == "__main__":
    sys.exit(main())
