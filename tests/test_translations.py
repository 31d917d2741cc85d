"""Every UI string has a German and a Simplified Chinese translation.

The test re-extracts the messages from a copy of the source tree with Django's
``makemessages`` (GNU xgettext), merges them into a copy of the catalogues and
fails on any message that is new, untranslated or fuzzy — so adding a UI
string without translating it breaks the build.
"""

import shutil
import subprocess
from pathlib import Path

import polib
import pytest
from django.core.management import call_command

SRC = Path(__file__).resolve().parent.parent / "src" / "qiao"
LOCALES = {"de": "de", "zh_Hans": "zh-hans"}

pytestmark = pytest.mark.skipif(
    shutil.which("xgettext") is None, reason="GNU gettext (xgettext) is not installed"
)


@pytest.fixture(scope="module")
def extracted_catalogues(tmp_path_factory):
    """Run makemessages on a copy of the sources; return the merged catalogues."""
    work = tmp_path_factory.mktemp("messages") / "qiao"
    shutil.copytree(
        SRC, work, ignore=shutil.ignore_patterns("__pycache__", "*.mo", "static", "migrations")
    )
    import os

    cwd = os.getcwd()
    os.chdir(work)
    try:
        call_command(
            "makemessages", locale=list(LOCALES), domain="django", verbosity=0,
            no_obsolete=True, ignore_patterns=["demo/data/*"],
        )
    finally:
        os.chdir(cwd)
    return {code: polib.pofile(str(work / "locale" / code / "LC_MESSAGES" / "django.po"))
            for code in LOCALES}


@pytest.mark.parametrize("locale", list(LOCALES))
def test_every_ui_string_is_translated(extracted_catalogues, locale):
    catalogue = extracted_catalogues[locale]
    assert len(catalogue) > 100, "the catalogue should hold the whole UI"
    missing = [e.msgid for e in catalogue if not e.obsolete and not e.translated()]
    fuzzy = [e.msgid for e in catalogue if "fuzzy" in e.flags and not e.obsolete]
    assert not missing, f"{len(missing)} untranslated strings in {locale}: {missing[:20]}"
    assert not fuzzy, f"{len(fuzzy)} fuzzy strings in {locale}: {fuzzy[:20]}"


@pytest.mark.parametrize("locale", list(LOCALES))
def test_placeholders_are_kept(locale):
    """A translation keeps every %(name)s / {{ name }} placeholder of its source."""
    import re

    path = SRC / "locale" / locale / "LC_MESSAGES" / "django.po"
    pattern = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w+\}")
    broken = []
    for entry in polib.pofile(str(path)):
        if entry.obsolete or not entry.msgstr and not entry.msgstr_plural:
            continue
        translations = [entry.msgstr] if entry.msgstr else list(entry.msgstr_plural.values())
        for text in translations:
            if sorted(pattern.findall(entry.msgid)) != sorted(pattern.findall(text)) and not (
                entry.msgid_plural and set(pattern.findall(text)) <= set(
                    pattern.findall(entry.msgid + entry.msgid_plural))
            ):
                broken.append((entry.msgid, text))
    assert not broken, broken[:10]


def test_catalogues_compile(tmp_path):
    """msgfmt accepts the catalogues (format strings checked)."""
    if shutil.which("msgfmt") is None:
        pytest.skip("msgfmt missing")
    for locale in LOCALES:
        path = SRC / "locale" / locale / "LC_MESSAGES" / "django.po"
        result = subprocess.run(
            ["msgfmt", "--check-format", "-o", str(tmp_path / f"{locale}.mo"), str(path)],
            capture_output=True, text=True,
        )
        assert result.returncode == 0, result.stderr
