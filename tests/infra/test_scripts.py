"""Tests of the helper scripts under scripts/."""

import gettext
import importlib.util
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

SCRIPTS = Path(__file__).resolve().parents[2] / "scripts"

PO_TEXT = r"""msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\n"
"Language: de\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\n"

msgid "Hello"
msgstr "Hallo"

#, python-format
msgid "%(count)s meeting"
msgid_plural "%(count)s meetings"
msgstr[0] "%(count)s Treffen"
msgstr[1] "%(count)s Treffen"

msgctxt "month"
msgid "May"
msgstr "Mai"

#, fuzzy
msgid "Draft"
msgstr "Entwurf"

msgid "Bridge"
msgstr "Brücke 桥"
"""


def _load_compile_messages():
    spec = importlib.util.spec_from_file_location(
        "compile_messages", SCRIPTS / "compile_messages.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _write_po(root: Path, text: str) -> Path:
    po = root / "locale" / "de" / "LC_MESSAGES" / "django.po"
    po.parent.mkdir(parents=True)
    po.write_text(text, encoding="utf-8")
    return po


def test_compile_messages_writes_a_catalogue_gettext_reads(tmp_path, capsys):
    po = _write_po(tmp_path, PO_TEXT)
    assert _load_compile_messages().main([str(tmp_path)]) == 0
    with open(po.with_suffix(".mo"), "rb") as fh:
        catalogue = gettext.GNUTranslations(fh)
    assert catalogue.gettext("Hello") == "Hallo"
    assert catalogue.ngettext("%(count)s meeting", "%(count)s meetings", 3) == "%(count)s Treffen"
    assert catalogue.pgettext("month", "May") == "Mai"
    assert catalogue.gettext("Draft") == "Draft"  # fuzzy entries are left out
    assert catalogue.gettext("Bridge") == "Brücke 桥"
    assert "1 compiled" in capsys.readouterr().out


def test_compile_messages_refuses_wrong_placeholders(tmp_path, capsys):
    po = _write_po(tmp_path, PO_TEXT.replace('msgstr[1] "%(count)s', 'msgstr[1] "%(anzahl)s'))
    assert _load_compile_messages().main([str(tmp_path)]) == 1
    assert "anzahl" in capsys.readouterr().err
    assert not po.with_suffix(".mo").exists()


def test_compile_messages_skips_up_to_date_catalogues(tmp_path, capsys):
    _write_po(tmp_path, PO_TEXT)
    module = _load_compile_messages()
    assert module.main([str(tmp_path)]) == 0
    assert module.main([str(tmp_path)]) == 0
    assert "0 compiled" in capsys.readouterr().out.splitlines()[-1]


@pytest.mark.slow
@pytest.mark.skipif(
    not os.path.exists("/usr/lib/postgresql/15/bin/initdb") and "PG_BINDIR" not in os.environ,
    reason="PostgreSQL server binaries are not installed",
)
def test_pg_test_server_starts_and_cleans_up():
    import psycopg

    # Not pytest's tmp_path: as root the server runs as `postgres`, which
    # cannot enter pytest's private temp directory.
    cluster = Path(tempfile.mkdtemp(prefix="qiao-pg-test-"))
    script = str(SCRIPTS / "pg_test_server.sh")
    started = subprocess.run(
        [script, "start", str(cluster)], capture_output=True, text=True, check=True, timeout=120
    )
    url = started.stdout.strip().removeprefix("QIAO_DATABASE_URL=")
    try:
        assert url.startswith("postgres://qiao:qiao@127.0.0.1:")
        with psycopg.connect(url.replace("postgres://", "postgresql://", 1)) as conn:
            assert conn.execute("SELECT current_user").fetchone() == ("qiao",)
            assert conn.execute(
                "SELECT rolcreatedb FROM pg_roles WHERE rolname = 'qiao'"
            ).fetchone()[0]
            assert conn.execute("SHOW listen_addresses").fetchone() == ("127.0.0.1",)
    finally:
        subprocess.run([script, "stop", str(cluster)], check=True, timeout=120)
    assert not cluster.exists()


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_pg_test_server_refuses_to_delete_foreign_directories(tmp_path):
    (tmp_path / "precious").write_text("keep me")
    result = subprocess.run(
        [str(SCRIPTS / "pg_test_server.sh"), "stop", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert (tmp_path / "precious").exists()


def test_python_is_the_virtualenv_one():
    # make test runs pytest from the project virtualenv; the scripts rely on it.
    assert Path(sys.executable).exists()
