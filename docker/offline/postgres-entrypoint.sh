#!/bin/bash
# First start: initdb, set the password, create the database; then run the server in the foreground.
# Any other command (psql, bash) runs as given, as in the official image.
set -euo pipefail
if [ "${1:-}" != "postgres" ]; then
    exec "$@"
fi
: "${POSTGRES_USER:=postgres}" "${POSTGRES_DB:=$POSTGRES_USER}"
: "${POSTGRES_PASSWORD:?POSTGRES_PASSWORD must be set}"
if [ ! -s "$PGDATA/PG_VERSION" ]; then
    senha=$(mktemp)
    printf '%s\n' "$POSTGRES_PASSWORD" > "$senha"
    initdb --username="$POSTGRES_USER" --pwfile="$senha" --encoding=UTF8 --locale=C.UTF-8 \
        --auth-local=trust --auth-host=scram-sha-256 >/dev/null
    rm -f "$senha"
    echo "host all all all scram-sha-256" >> "$PGDATA/pg_hba.conf"
    pg_ctl -o "-c listen_addresses=''" -w start >/dev/null
    if [ "$POSTGRES_DB" != "postgres" ]; then
        psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
            -c "CREATE DATABASE \"$POSTGRES_DB\"" >/dev/null
    fi
    pg_ctl -m fast -w stop >/dev/null
fi
exec "$@" -c listen_addresses='*'
