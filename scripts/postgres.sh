# Sourced by scripts/test.sh and bench/run.sh: a private PostgreSQL 15 server in a temp directory on
# a free loopback port, for the tests or the bench only. As root it runs as the postgres user
# (initdb refuses root). Sets ATP_POSTGRES (an Npgsql connection string for a superuser with trust
# auth) after `postgres_start`; `postgres_stop` stops it and removes the directory.
# Binaries: /usr/lib/postgresql/15/bin (Debian's postgresql package).

pg_bin=${PG_BIN:-/usr/lib/postgresql/15/bin}
pg_dir=""

postgres_as() {
    if [ "$(id -u)" = 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

postgres_free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

postgres_start() {
    [ -x "$pg_bin/initdb" ] || { echo "PostgreSQL 15 is not installed ($pg_bin/initdb missing)" >&2; return 1; }
    pg_dir=$(mktemp -d /tmp/atp-pg-XXXXXX)
    chmod 755 "$pg_dir"
    [ "$(id -u)" = 0 ] && chown postgres:postgres "$pg_dir"
    postgres_as "$pg_bin/initdb" -D "$pg_dir/data" -U postgres -A trust -E UTF8 --no-sync >"$pg_dir/initdb.log" 2>&1 \
        || { cat "$pg_dir/initdb.log" >&2; return 1; }
    local port
    port=$(postgres_free_port)
    # fsync off: a throw-away server; max_connections for parallel test classes and several instances.
    postgres_as "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/server.log" -w -t 60 \
        -o "-k $pg_dir -p $port -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" \
        start >/dev/null || { cat "$pg_dir/server.log" >&2; return 1; }
    export ATP_POSTGRES="Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres"
    echo "PostgreSQL 15 on 127.0.0.1:$port (data in $pg_dir)"
}

postgres_stop() {
    [ -n "$pg_dir" ] && [ -d "$pg_dir/data" ] || return 0
    postgres_as "$pg_bin/pg_ctl" -D "$pg_dir/data" -m immediate -w stop >/dev/null 2>&1 || true
    rm -rf "$pg_dir"
    pg_dir=""
}
