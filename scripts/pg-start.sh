#!/usr/bin/env bash
# Starts the local PostgreSQL server (Debian cluster) used by the tests and by scale-out, and prints the
# connection string. Idempotent: an already running cluster is left alone.
set -euo pipefail
PW="${HOTLINEQA_PG_PASSWORD:-hotlineqa}"
ver=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
# Everything but the final connection string goes to stderr: callers capture stdout, and pg_ctlcluster may print
# e.g. "removed stale pid file." after an unclean stop. (No extra fd is opened: the server daemon would inherit it
# and keep the caller's $(...) waiting.)
{
if ! pg_lsclusters -h | awk '{print $2}' | grep -qx main; then
  $SUDO pg_createcluster "$ver" main >/dev/null
fi
if ! pg_lsclusters -h | awk '$2=="main"{print $4}' | grep -qx online; then
  $SUDO pg_ctlcluster "$ver" main start
fi
for i in $(seq 1 30); do
  $SUDO -u postgres psql -qtAc "select 1" >/dev/null 2>&1 && break || sleep 1
done 2>/dev/null || true
cd /tmp
if [ -n "$SUDO" ]; then sudo -u postgres psql -qtAc "ALTER USER postgres PASSWORD '$PW'" >/dev/null
else su postgres -c "psql -qtAc \"ALTER USER postgres PASSWORD '$PW'\"" >/dev/null; fi
} >&2
port=$(pg_lsclusters -h | awk '$2=="main"{print $3}')
echo "Host=127.0.0.1;Port=$port;Username=postgres;Password=$PW"
