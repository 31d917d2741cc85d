#!/usr/bin/env bash
# A throwaway PostgreSQL cluster on 127.0.0.1 for Qiao's tests.
#
#   scripts/pg_test_server.sh start [DIR]   start a cluster (in DIR, default: a new
#                                           temp dir); prints QIAO_DATABASE_URL=...
#                                           and writes it to DIR/env
#   scripts/pg_test_server.sh stop DIR      stop the cluster and delete DIR
#   scripts/pg_test_server.sh run -- CMD..  start, run CMD with QIAO_DATABASE_URL
#                                           exported, always stop; exits with CMD's code
#
# The cluster listens on a free port on 127.0.0.1 only, keeps its socket in DIR,
# trusts local connections and runs with fsync off (test data only). It has a
# role qiao (password qiao, LOGIN CREATEDB; SUPERUSER too with
# QIAO_PG_SUPERUSER=1) and a database qiao; pytest-django creates its own test
# databases with that role.
#
# Which PostgreSQL: PG_BINDIR (a directory with initdb, pg_ctl, psql), default
# /usr/lib/postgresql/15/bin (Debian's postgresql-15). PG_BINDIR=pgserver takes
# the binaries bundled in the `pgserver` wheel (PostgreSQL 16 with pgvector)
# from the project virtualenv ($PYTHON, default .venv/bin/python); pgvector's
# CREATE EXTENSION needs QIAO_PG_SUPERUSER=1 there.
#
# initdb refuses to run as root, so as root the server runs as the `postgres`
# user (or `nobody` when there is none).
set -euo pipefail
shopt -s inherit_errexit

MARKER=".qiao-pg-test-cluster"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(dirname "$here")"

die() { echo "pg_test_server: $*" >&2; exit 1; }

find_bindir() {
    local dir="${PG_BINDIR:-}"
    if [[ "$dir" == "pgserver" ]]; then
        local py="${PYTHON:-$repo/.venv/bin/python}"
        dir="$("$py" -c 'import pathlib, pgserver; print(pathlib.Path(pgserver.__file__).parent / "pginstall" / "bin")')" \
            || die "PG_BINDIR=pgserver but the pgserver package is not importable by $py"
    elif [[ -z "$dir" ]]; then
        dir=/usr/lib/postgresql/15/bin
        if [[ ! -x "$dir/initdb" ]]; then
            # Any other Debian server version will do.
            dir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
        fi
    fi
    [[ -n "$dir" && -x "$dir/initdb" && -x "$dir/pg_ctl" ]] \
        || die "no PostgreSQL server binaries found (install Debian's postgresql-15 or set PG_BINDIR)"
    echo "$dir"
}

# Run a command as the cluster's owner.
as_owner() {
    if [[ "$(id -u)" -eq 0 ]]; then
        local runuser
        runuser="$(command -v runuser || echo /usr/sbin/runuser)"
        "$runuser" -u "$(owner)" -- "$@"
    else
        "$@"
    fi
}

owner() {
    if [[ "$(id -u)" -ne 0 ]]; then
        id -un
    elif id postgres >/dev/null 2>&1; then
        echo postgres
    else
        echo nobody
    fi
}

free_port() {
    python3 - <<'PY'
import socket
with socket.socket() as s:
    s.bind(("127.0.0.1", 0))
    print(s.getsockname()[1])
PY
}

cmd_start() {
    local dir="${1:-}"
    local bindir
    if [[ -z "$dir" ]]; then
        dir="$(mktemp -d "${TMPDIR:-/tmp}/qiao-pg.XXXXXX")"
    else
        mkdir -p "$dir"
        [[ -z "$(ls -A "$dir" | grep -vx "$MARKER")" ]] || die "$dir is not empty"
    fi
    dir="$(cd "$dir" && pwd)"
    touch "$dir/$MARKER"
    bindir="$(find_bindir)"
    if [[ "$(id -u)" -eq 0 ]]; then
        chown -R "$(owner)" "$dir"
        chmod 755 "$dir"
        as_owner test -w "$dir" \
            || die "user $(owner) cannot reach $dir (a parent directory is closed); use one under /tmp"
    fi

    as_owner "$bindir/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 \
        --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
        || as_owner "$bindir/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 \
            --no-locale >"$dir/initdb.log" 2>&1 \
        || { cat "$dir/initdb.log" >&2; die "initdb failed"; }

    local port="" attempt
    for attempt in 1 2 3 4 5; do
        port="$(free_port)"
        if as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w -t 60 \
            -o "-p $port -c listen_addresses=127.0.0.1 -k $dir -c fsync=off \
                -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
            start >/dev/null; then
            break
        fi
        port=""
        echo "pg_test_server: start attempt $attempt failed, retrying" >&2
    done
    if [[ -z "$port" ]]; then
        tail -n 30 "$dir/postgres.log" >&2 || true
        die "could not start PostgreSQL (log: $dir/postgres.log)"
    fi

    local psql="$bindir/psql"
    [[ -x "$psql" ]] || psql="$(command -v psql)" || die "psql not found"
    local role_opts="LOGIN CREATEDB"
    [[ "${QIAO_PG_SUPERUSER:-0}" == "1" ]] && role_opts="LOGIN SUPERUSER"
    as_owner "$psql" -q -X -h "$dir" -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 \
        -c "CREATE ROLE qiao $role_opts PASSWORD 'qiao'" \
        -c "CREATE DATABASE qiao OWNER qiao" >/dev/null \
        || { cmd_stop "$dir"; die "could not create role/database"; }

    local url="postgres://qiao:qiao@127.0.0.1:$port/qiao"
    {
        echo "QIAO_DATABASE_URL=$url"
        echo "PG_BINDIR=$bindir"
        echo "PGPORT=$port"
    } >"$dir/env"
    echo "pg_test_server: PostgreSQL $("$bindir/pg_ctl" --version | awk '{print $3}') on 127.0.0.1:$port, dir $dir" >&2
    echo "QIAO_DATABASE_URL=$url"
}

cmd_stop() {
    local dir="${1:?usage: pg_test_server.sh stop DIR}"
    [[ -d "$dir" ]] || return 0
    [[ -e "$dir/$MARKER" ]] || die "$dir is not a test cluster made by this script; not touching it"
    if [[ -f "$dir/data/postmaster.pid" ]]; then
        local bindir
        bindir="$(grep '^PG_BINDIR=' "$dir/env" 2>/dev/null | cut -d= -f2- || true)"
        [[ -n "$bindir" ]] || bindir="$(find_bindir)"
        as_owner "$bindir/pg_ctl" -D "$dir/data" -m fast -w -t 30 stop >/dev/null 2>&1 \
            || as_owner "$bindir/pg_ctl" -D "$dir/data" -m immediate -w -t 30 stop >/dev/null 2>&1 \
            || kill -9 "$(head -n 1 "$dir/data/postmaster.pid")" 2>/dev/null || true
    fi
    rm -rf "$dir"
}

cmd_run() {
    [[ "${1:-}" == "--" ]] && shift
    [[ $# -gt 0 ]] || die "usage: pg_test_server.sh run -- CMD..."
    PG_DIR=""
    trap 'if [[ -n "$PG_DIR" ]]; then cmd_stop "$PG_DIR"; fi' EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
    PG_DIR="$(mktemp -d "${TMPDIR:-/tmp}/qiao-pg.XXXXXX")"
    touch "$PG_DIR/$MARKER"
    local line
    line="$(cmd_start "$PG_DIR")"
    export "${line?}"
    local rc=0
    "$@" || rc=$?
    return $rc
}

case "${1:-}" in
    start) shift; cmd_start "$@" ;;
    stop) shift; cmd_stop "$@" ;;
    run) shift; cmd_run "$@" ;;
    *) sed -n '2,22p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
