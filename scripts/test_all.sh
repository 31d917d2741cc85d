#!/usr/bin/env bash
# Run Qiao's whole test suite: once on SQLite, once on a throwaway PostgreSQL 15,
# and the vector-search tests on a throwaway PostgreSQL 16 with pgvector (the
# binaries of the `pgserver` wheel; Debian 12 has no pgvector package).
#
# Called by `make test` after the virtualenv and system packages are in place.
# Environment knobs:
#   VENV=.venv                    the virtualenv with the project installed
#   PYTEST_WORKERS=2              pytest-xdist workers (0 or 1: no xdist)
#   PYTEST_ARGS="..."             extra arguments for both runs (e.g. "-x -k mail")
#   QIAO_TEST_DATABASES="sqlite postgres pgvector"   which runs to do, in order
#   PG_MARKEXPR="not browser"     marker expression for the PostgreSQL run ("" = all)
#   PG_BINDIR=...                 other PostgreSQL binaries (see pg_test_server.sh)
# Writes JUnit XML (and the browser fixtures' failure screenshots) to
# test-artifacts/ and ends with one line "total: N passed, N failed, N skipped".
set -uo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(dirname "$here")"
cd "$repo"

VENV="${VENV:-.venv}"
PY="$VENV/bin/python"
workers="${PYTEST_WORKERS:-2}"
runs="${QIAO_TEST_DATABASES:-sqlite postgres pgvector}"
pg_markexpr="${PG_MARKEXPR-not browser}"
read -r -a extra <<<"${PYTEST_ARGS:-}"

artifacts="$repo/test-artifacts"
rm -rf "$artifacts"
mkdir -p "$artifacts"
data_dir="$(mktemp -d "${TMPDIR:-/tmp}/qiao-test-data.XXXXXX")"
pg_dir=""
cleanup() {
    if [[ -n "$pg_dir" ]]; then
        "$here/pg_test_server.sh" stop "$pg_dir" || true
    fi
    rm -rf "$data_dir"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

export QIAO_MODE=test
export QIAO_TASKS_IMMEDIATE=1
export QIAO_DATA_DIR="$data_dir"
export DJANGO_ALLOW_ASYNC_UNSAFE=true
export QIAO_TEST_ARTIFACTS="$artifacts"
unset QIAO_SECRET_KEY QIAO_CONFIG QIAO_DATABASE_URL || true

xdist=()
if [[ "$workers" =~ ^[0-9]+$ ]] && (( workers > 1 )); then
    # loadfile: a module's tests share one worker, so module-scoped fixtures
    # (loaded models, extracted catalogues) are built once and never race.
    xdist=(-n "$workers" --dist loadfile)
fi

summary=()
failed=0

# run_pytest NAME [pytest args...]: run the suite, record its time and exit code.
run_pytest() {
    local name="$1"
    shift
    local start rc=0 secs
    start=$(date +%s)
    echo
    echo "=== pytest on $name ($(date -u +%H:%M:%S) UTC) ==="
    "$PY" -m pytest "${xdist[@]}" --junitxml="$artifacts/junit-$name.xml" \
        --durations=10 "$@" "${extra[@]}" || rc=$?
    secs=$(( $(date +%s) - start ))
    if (( rc == 5 )); then
        echo "pytest on $name: no tests collected"
        rc=0
    fi
    if (( rc != 0 )) && [[ ! -s "$artifacts/junit-$name.xml" ]]; then
        # pytest died before writing its report (e.g. an import error): count it.
        printf '<testsuites><testsuite name="%s" tests="1" errors="1" failures="0" skipped="0"/></testsuites>\n' \
            "$name-startup" >"$artifacts/junit-$name.xml"
    fi
    (( rc == 0 )) || failed=1
    summary+=("$name: pytest exit $rc after ${secs}s")
}

for run in $runs; do
    case "$run" in
        sqlite)
            run_pytest sqlite
            ;;
        postgres)
            pg_dir="$(mktemp -d "${TMPDIR:-/tmp}/qiao-pg.XXXXXX")"
            if line="$("$here/pg_test_server.sh" start "$pg_dir")"; then
                markexpr=()
                [[ -n "$pg_markexpr" ]] && markexpr=(-m "$pg_markexpr")
                QIAO_DATABASE_URL="${line#QIAO_DATABASE_URL=}" run_pytest postgres "${markexpr[@]}"
            elif [[ ! -x /usr/lib/postgresql/15/bin/initdb && -z "${PG_BINDIR:-}" ]]; then
                echo "PostgreSQL is not installed: skipping the PostgreSQL run" \
                     "(install Debian's postgresql-15 as root to run it)." >&2
                summary+=("postgres: skipped, PostgreSQL not installed")
            else
                echo "could not start the PostgreSQL test server" >&2
                summary+=("postgres: the test server did not start")
                failed=1
            fi
            "$here/pg_test_server.sh" stop "$pg_dir" || true
            pg_dir=""
            ;;
        pgvector)
            pg_dir="$(mktemp -d "${TMPDIR:-/tmp}/qiao-pgv.XXXXXX")"
            if ! "$PY" -c 'import pgserver, pgvector' 2>/dev/null; then
                echo "the pgserver/pgvector packages are missing (pip install -e '.[pgvector]')" >&2
                summary+=("pgvector: the pgserver package is not installed")
                failed=1
            elif line="$(PG_BINDIR=pgserver QIAO_PG_SUPERUSER=1 "$here/pg_test_server.sh" start "$pg_dir")"; then
                QIAO_PGVECTOR_URL="${line#QIAO_DATABASE_URL=}" run_pytest pgvector \
                    tests/matching/test_pgvector_index.py
            else
                echo "could not start the PostgreSQL/pgvector test server" >&2
                summary+=("pgvector: the test server did not start")
                failed=1
            fi
            "$here/pg_test_server.sh" stop "$pg_dir" || true
            pg_dir=""
            ;;
        *)
            echo "unknown run '$run' in QIAO_TEST_DATABASES (sqlite, postgres, pgvector)" >&2
            exit 2
            ;;
    esac
done

echo
echo "=== summary ==="
for line in "${summary[@]}"; do
    echo "$line"
done
"$PY" - "$artifacts"/junit-*.xml <<'PY'
import sys
import xml.etree.ElementTree as ET

totals = {"passed": 0, "failed": 0, "skipped": 0}
for path in sys.argv[1:]:
    try:
        root = ET.parse(path).getroot()
    except (OSError, ET.ParseError):
        continue
    for suite in root.iter("testsuite"):
        tests = int(suite.get("tests", 0))
        bad = int(suite.get("failures", 0)) + int(suite.get("errors", 0))
        skipped = int(suite.get("skipped", 0))
        totals["passed"] += tests - bad - skipped
        totals["failed"] += bad
        totals["skipped"] += skipped
print(f"total: {totals['passed']} passed, {totals['failed']} failed, {totals['skipped']} skipped")
PY
exit "$failed"
