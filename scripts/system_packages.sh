#!/usr/bin/env bash
# Install the Debian packages Qiao's tooling needs, when they are missing.
#
# Usage: scripts/system_packages.sh [--require] PACKAGE...
#
# Prints which packages are missing. As root (and with apt-get present) it runs
# `apt-get update` once and installs the missing ones without recommends.
# Without root it only reports them and exits 0, so that the tests needing them
# can skip with a reason; with --require it exits 1 instead.
set -euo pipefail

require=0
if [[ "${1:-}" == "--require" ]]; then
    require=1
    shift
fi

is_installed() {
    command -v dpkg-query >/dev/null 2>&1 || return 1
    [[ "$(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null)" == "installed" ]]
}

missing=()
for pkg in "$@"; do
    is_installed "$pkg" || missing+=("$pkg")
done

if [[ ${#missing[@]} -eq 0 ]]; then
    exit 0
fi

if [[ "$(id -u)" -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
    echo "system_packages: installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    # Wait for another apt/dpkg run to finish instead of failing on its lock;
    # try twice, as a mirror can hiccup.
    lock=(-o DPkg::Lock::Timeout=300)
    for attempt in 1 2; do
        if apt-get "${lock[@]}" update -qq \
            && apt-get "${lock[@]}" install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
        then
            exit 0
        fi
        echo "system_packages: apt-get failed (attempt $attempt)" >&2
        sleep 5
    done
    exit 1
fi

echo "system_packages: missing Debian packages: ${missing[*]}" >&2
echo "system_packages: install them as root with:" >&2
echo "    apt-get install -y --no-install-recommends ${missing[*]}" >&2
if [[ $require -eq 1 ]]; then
    exit 1
fi
echo "system_packages: continuing; tests that need them will be skipped." >&2
exit 0
