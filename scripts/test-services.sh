#!/usr/bin/env bash
# Provisions what `npm test` needs beyond `npm install`, on Debian (as root, or with sudo):
# PostgreSQL, Redis (and the redis-server program), Chromium, and nginx and openssl for the
# reverse-proxy test (which runs nginx as its own child process, never the package's service).
# Installs what is missing,
# starts what is down, creates the test role and database, and fails loudly when a service does
# not come up. Progress goes to stderr; stdout is the environment to use, so run it as
#
#   eval "$(bash scripts/test-services.sh)"   # then: npm test
#
# The role gets CREATEDB: the tests and the benchmark create and drop throwaway databases.
set -euo pipefail

PG_PORT="${QUIRE_TEST_PG_PORT:-5432}"
PG_ROLE="${QUIRE_TEST_PG_ROLE:-quire_test}"
PG_PASSWORD="${QUIRE_TEST_PG_PASSWORD:-quire-test-$(hostname | sha256sum | cut -c1-16)}"
PG_DATABASE="${QUIRE_TEST_PG_DATABASE:-quire_test}"
REDIS_PORT="${QUIRE_TEST_REDIS_PORT:-6379}"

say() { echo "test-services: $*" >&2; }
die() { echo "test-services: FAILED: $*" >&2; exit 1; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
as_postgres() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else sudo -u postgres "$@"; fi; }

missing=()
command -v pg_ctlcluster >/dev/null 2>&1 || missing+=(postgresql)
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
if [ -z "${CHROMIUM_PATH:-}" ] && [ ! -x /usr/bin/chromium ]; then missing+=(chromium); fi
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing+=(nginx)
command -v openssl >/dev/null 2>&1 || missing+=(openssl)
if [ "${#missing[@]}" -gt 0 ]; then
  say "installing ${missing[*]}"
  as_root apt-get update -qq >&2
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >&2 \
    || die "apt-get could not install ${missing[*]}"
fi

# Waits up to $1 seconds for the command that follows to succeed.
wait_for() {
  local seconds=$1; shift
  for _ in $(seq 1 $((seconds * 5))); do "$@" >/dev/null 2>&1 && return 0; sleep 0.2; done
  return 1
}

# PostgreSQL: the first cluster of the newest installed version (created if the package did not).
if ! pg_isready -h 127.0.0.1 -p "$PG_PORT" -q 2>/dev/null; then
  version="$(ls /usr/lib/postgresql | sort -V | tail -n 1)"
  [ -n "$version" ] || die "no PostgreSQL server is installed under /usr/lib/postgresql"
  if ! pg_lsclusters -h 2>/dev/null | grep -q .; then
    say "creating PostgreSQL $version cluster 'main' on port $PG_PORT"
    as_root pg_createcluster --port "$PG_PORT" "$version" main >&2 || die "pg_createcluster failed"
  fi
  read -r cluster_version cluster_name _ < <(pg_lsclusters -h | head -n 1)
  say "starting PostgreSQL $cluster_version/$cluster_name"
  as_root pg_ctlcluster --skip-systemctl-redirect "$cluster_version" "$cluster_name" start >&2 \
    || die "PostgreSQL $cluster_version/$cluster_name did not start (see /var/log/postgresql/)"
fi
wait_for 30 pg_isready -h 127.0.0.1 -p "$PG_PORT" -q || die "PostgreSQL is not accepting connections on 127.0.0.1:$PG_PORT"

# The role and database, over the local socket as the postgres superuser (peer authentication).
as_postgres psql -p "$PG_PORT" -v ON_ERROR_STOP=1 -q -d postgres >&2 <<SQL || die "could not create the test role and database"
SELECT format('CREATE ROLE %I LOGIN CREATEDB', '$PG_ROLE') WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$PG_ROLE')
\gexec
ALTER ROLE "$PG_ROLE" LOGIN CREATEDB PASSWORD '$PG_PASSWORD';
SELECT format('CREATE DATABASE %I OWNER %I', '$PG_DATABASE', '$PG_ROLE') WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = '$PG_DATABASE')
\gexec
SQL
database_url="postgres://$PG_ROLE:$PG_PASSWORD@127.0.0.1:$PG_PORT/$PG_DATABASE"
# Proves the password works over TCP, whatever pg_hba.conf says about trust.
PGPASSWORD="$PG_PASSWORD" psql "$database_url" -v ON_ERROR_STOP=1 -qtAc 'SELECT 1' >/dev/null \
  || die "cannot sign in to $PG_DATABASE as $PG_ROLE over TCP (check pg_hba.conf allows password authentication on 127.0.0.1)"

# Redis: nothing kept on disk; the tests use it for pub/sub only.
if ! redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null | grep -q PONG; then
  say "starting redis-server on 127.0.0.1:$REDIS_PORT"
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port "$REDIS_PORT" --save "" --appendonly no \
    --dir /tmp --logfile /tmp/quire-test-redis.log >&2 || die "redis-server did not start"
fi
wait_for 30 sh -c "redis-cli -h 127.0.0.1 -p $REDIS_PORT ping | grep -q PONG" \
  || die "Redis is not answering on 127.0.0.1:$REDIS_PORT (see /tmp/quire-test-redis.log)"

chromium="${CHROMIUM_PATH:-/usr/bin/chromium}"
[ -x "$chromium" ] || die "Chromium is not at $chromium"

say "PostgreSQL, Redis, Chromium, nginx and openssl are ready"
echo "export TEST_DATABASE_URL='$database_url'"
echo "export TEST_REDIS_URL='redis://127.0.0.1:$REDIS_PORT'"
