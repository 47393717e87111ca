#!/usr/bin/env bash
# Start the services the integration tests talk to: pcscd with the vsmartcard vpcd driver,
# and a PostgreSQL server with a throw-away test database. Idempotent.
# Prints the environment the tests read (eval "$(scripts/services.sh)").
set -euo pipefail

start_pcscd() {
    if ! command -v pcscd >/dev/null; then
        echo "pcscd is missing: install the Debian packages pcscd and vsmartcard-vpcd" >&2
        return 1
    fi
    if ! pgrep -x pcscd >/dev/null; then
        # --auto-exit would stop it between tests; run it until the machine stops.
        pcscd >/dev/null 2>&1 || pcscd --foreground >/dev/null 2>&1 &
        for _ in $(seq 50); do
            [ -S /run/pcscd/pcscd.comm ] && break
            sleep 0.1
        done
    fi
    echo "export STATION_TEST_PCSCD=1"
}

start_postgres() {
    local version cluster=main port=5432
    cd /  # the postgres user runs psql below, and may not enter the caller's (private) directory
    version=$(ls /usr/lib/postgresql 2>/dev/null | sort -n | tail -1)
    if [ -z "$version" ]; then
        echo "PostgreSQL is missing: install the Debian package postgresql" >&2
        return 1
    fi
    if [ "$(id -u)" -ne 0 ]; then
        echo "not root: start PostgreSQL yourself and set STATION_TEST_PG_URL" >&2
        return 0
    fi
    pg_lsclusters -h | grep -q "^$version $cluster" || pg_createcluster "$version" "$cluster" >/dev/null
    pg_ctlcluster "$version" "$cluster" start >/dev/null 2>&1 || true
    for _ in $(seq 50); do
        runuser -u postgres -- pg_isready -q -p "$port" && break
        sleep 0.2
    done
    runuser -u postgres -- psql -q -p "$port" -tc "SELECT 1 FROM pg_roles WHERE rolname='station_test'" \
        | grep -q 1 || runuser -u postgres -- psql -q -p "$port" \
        -c "CREATE ROLE station_test LOGIN SUPERUSER PASSWORD 'station_test'"
    runuser -u postgres -- psql -q -p "$port" -tc "SELECT 1 FROM pg_database WHERE datname='station_test'" \
        | grep -q 1 || runuser -u postgres -- createdb -p "$port" -O station_test station_test
    echo "export STATION_TEST_PG_URL=postgresql+psycopg://station_test:station_test@127.0.0.1:$port/station_test"
}

start_pcscd
start_postgres
