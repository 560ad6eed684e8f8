#!/usr/bin/env bash
# Make sure a PostgreSQL server answers on 127.0.0.1:5432, starting the machine's cluster if it
# is installed but stopped. Prints the reason and exits non-zero when none can be had.
set -uo pipefail

ready() { pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; }
ready && exit 0
if command -v pg_ctlcluster >/dev/null 2>&1 && ls /etc/postgresql >/dev/null 2>&1; then
  version=$(ls /etc/postgresql | sort -V | tail -n 1)
  echo "==> Starting PostgreSQL $version"
  pg_ctlcluster --skip-systemctl-redirect "$version" main start 2>&1 || true
  for _ in $(seq 1 30); do ready && break; sleep 1; done
fi
ready && exit 0
echo "PostgreSQL is not available on 127.0.0.1:5432 (not installed, or it would not start)."
exit 1
