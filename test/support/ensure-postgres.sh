#!/usr/bin/env bash
# Makes sure the PostgreSQL server binaries the store tests start a throwaway server from are here:
# installs Debian's `postgresql` when they are missing and we are root, else says how. A server of
# your own is used instead when LUOSHI_TEST_PG_URL is set (docs/postgres.md).
set -euo pipefail
[ -n "${LUOSHI_TEST_PG_URL:-}" ] && exit 0
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && exit 0
command -v initdb >/dev/null 2>&1 && exit 0
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "PostgreSQL is missing: install it (sudo apt-get update && sudo apt-get install -y postgresql) or set LUOSHI_TEST_PG_URL" >&2
  exit 1
fi
started=$SECONDS
export DEBIAN_FRONTEND=noninteractive
apt-get update -q >/dev/null
apt-get install -y -q --no-install-recommends postgresql >/dev/null
echo "PostgreSQL installed in $((SECONDS - started)) s" >&2
