#!/usr/bin/env python3
"""Compile gettext catalogues (.po -> .mo) in pure Python, without GNU gettext.

Usage: compile_messages.py [--force] [--check] [DIR ...]   (default DIR: src/qiao)

Finds every ``*.po`` under ``<DIR>/**/LC_MESSAGES/`` and writes the ``.mo`` file
beside it when the ``.po`` is newer (or with ``--force``).  Fuzzy and obsolete
entries are left out, as ``msgfmt`` does.  Like ``msgfmt --check-format`` it
refuses a translation whose python-format placeholders differ from the
original's, because such a translation crashes at run time.  ``--check`` only
checks and writes nothing.  Needs the ``polib`` package.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

try:
    import polib
except ImportError:  # pragma: no cover - reported to the user
    sys.exit("compile_messages: the 'polib' package is missing (pip install polib)")

SKIP_DIRS = {".venv", "venv", "node_modules", ".git", "build", "dist"}
# %(name)s, %s, %d, %r, %% ... as Python's %-formatting reads them.
PERCENT = re.compile(
    r"%(?:\((?P<name>[^)]*)\))?[#0+ -]*(?:\*|\d+)?(?:\.(?:\*|\d+))?(?P<conv>[a-zA-Z%])"
)
BRACE = re.compile(r"(?<!\{)\{(?P<name>[^{}!:]*)(?:![rsa])?(?::[^{}]*)?\}(?!\})")


def _percent_spec(text: str) -> tuple[list[str], int]:
    names, positional = [], 0
    for match in PERCENT.finditer(text):
        if match.group("conv") == "%":
            continue
        if match.group("name") is not None:
            names.append(match.group("name"))
        else:
            positional += 1
    return sorted(set(names)), positional


def _brace_spec(text: str) -> list[str]:
    return sorted({m.group("name") for m in BRACE.finditer(text)})


def check_entry(entry: polib.POEntry) -> list[str]:
    """Return format problems of one translated entry (empty when fine)."""
    problems: list[str] = []
    translations = (
        [entry.msgstr] if not entry.msgid_plural else [s for s in entry.msgstr_plural.values()]
    )
    flags = set(entry.flags)
    if "python-format" in flags:
        ref_names, ref_pos = _percent_spec(entry.msgid)
        plural_names, _ = _percent_spec(entry.msgid_plural) if entry.msgid_plural else ([], 0)
        allowed = set(ref_names) | set(plural_names)
        for text in translations:
            if not text:
                continue
            names, pos = _percent_spec(text)
            unknown = set(names) - allowed
            if unknown:
                problems.append(f"unknown placeholder(s) {sorted(unknown)} in {text!r}")
            if pos != ref_pos and not (entry.msgid_plural and pos <= ref_pos):
                problems.append(f"{pos} positional placeholder(s) instead of {ref_pos} in {text!r}")
    if "python-brace-format" in flags:
        allowed = set(_brace_spec(entry.msgid)) | set(_brace_spec(entry.msgid_plural or ""))
        for text in translations:
            unknown = set(_brace_spec(text)) - allowed if text else set()
            if unknown:
                problems.append(f"unknown placeholder(s) {sorted(unknown)} in {text!r}")
    return problems


def find_catalogues(roots: list[Path]) -> list[Path]:
    """All .po files in LC_MESSAGES directories below ``roots``."""
    found = []
    for root in roots:
        for po in root.rglob("*.po"):
            if SKIP_DIRS.intersection(po.parts) or po.parent.name != "LC_MESSAGES":
                continue
            found.append(po)
    return sorted(found)


def compile_catalogue(po_path: Path, *, force: bool, check_only: bool) -> tuple[bool, list[str]]:
    """Check and compile one catalogue; return (written, problems)."""
    try:
        catalogue = polib.pofile(str(po_path), wrapwidth=0)
    except (OSError, ValueError) as exc:
        return False, [f"{po_path}: cannot parse: {exc}"]
    problems = []
    for entry in catalogue.translated_entries():
        for problem in check_entry(entry):
            problems.append(f"{po_path}:{entry.linenum}: {problem}")
    if problems or check_only:
        return False, problems
    mo_path = po_path.with_suffix(".mo")
    if not force and mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
        return False, []
    tmp = mo_path.with_suffix(".mo.tmp")
    catalogue.save_as_mofile(str(tmp))
    tmp.replace(mo_path)
    return True, []


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dirs", nargs="*", type=Path, default=[Path("src/qiao")])
    parser.add_argument("--force", action="store_true", help="rewrite every .mo file")
    parser.add_argument("--check", action="store_true", help="check only, write nothing")
    args = parser.parse_args(argv)

    catalogues = find_catalogues(args.dirs)
    written, all_problems = 0, []
    for po_path in catalogues:
        did_write, problems = compile_catalogue(po_path, force=args.force, check_only=args.check)
        written += did_write
        all_problems += problems
    for problem in all_problems:
        print(problem, file=sys.stderr)
    print(
        f"compile_messages: {len(catalogues)} catalogue(s), {written} compiled, "
        f"{len(all_problems)} problem(s)"
    )
    return 1 if all_problems else 0


if __name__ == "__main__":
    sys.exit(main())
