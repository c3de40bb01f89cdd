#!/bin/sh
# pg-test-server.sh - a throw-away PostgreSQL server for the tests.
#
#   scripts/pg-test-server.sh [start]   starts one, prints its URL on stdout:
#                                       postgresql://varn@/postgres?host=DIR&port=PORT
#   scripts/pg-test-server.sh stop DIR  stops it and removes DIR
#
#   url=$(scripts/pg-test-server.sh) && VARN_TEST_DB=$url build/tests/test_db
#
# The server listens on a Unix socket in its own temporary folder only (no
# TCP), trusts local connections and runs without fsync: it is for tests.
# initdb refuses to run as root, so as root the server runs as the postgres
# user; as anybody else it runs as that user.
#
# Environment: PG_BIN (default /usr/lib/postgresql/15/bin), TMPDIR.
set -eu

PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
MARK=.varn-pg-test   # only folders holding this file are ever removed
TIMEOUT=30

die() {
	echo "pg-test-server: $*" >&2
	exit 1
}

# Runs a PostgreSQL program as the server's owner.
as_owner() {
	if [ "$(id -u)" = 0 ]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

check_tools() {
	for p in initdb pg_ctl pg_isready; do
		[ -x "$PG_BIN/$p" ] || die "$PG_BIN/$p not found (install postgresql-15, or set PG_BIN)"
	done
	if [ "$(id -u)" = 0 ]; then
		id postgres >/dev/null 2>&1 || die "running as root needs a 'postgres' user (Debian's postgresql package creates it)"
		command -v runuser >/dev/null || die "runuser not found"
	fi
}

# A port number only names the socket file (no TCP listener), so it need
# not be free on the network; it must not collide with another server in
# the same folder, which is ours alone.  PostgreSQL also derives its
# shared-memory key from it and steps past keys in use, so any number
# works; pick one at random to keep parallel runs visibly apart.
pick_port() {
	od -An -N2 -tu2 /dev/urandom | awk '{ print 20000 + $1 % 40000 }'
}

start() {
	check_tools
	dir=$(mktemp -d "${TMPDIR:-/tmp}/varn-pg.XXXXXX") || die "mktemp failed"
	# A socket path must fit in sun_path (107 bytes).
	[ ${#dir} -lt 80 ] || { rm -rf "$dir"; die "socket folder path too long: $dir (set TMPDIR)"; }
	touch "$dir/$MARK"
	chmod 711 "$dir"   # others may reach the socket (tests running as another user)
	if [ "$(id -u)" = 0 ]; then
		chown postgres "$dir" "$dir/$MARK"
	fi
	port=$(pick_port)
	trap 'fail_start' EXIT
	# initdb wants to create (or own) the data folder; socket and log
	# live beside it.
	if ! as_owner "$PG_BIN/initdb" -D "$dir/data" -A trust -U varn \
		-E UTF8 --locale=C --no-sync --no-instructions \
		>"$dir/initdb.log" 2>&1; then
		cat "$dir/initdb.log" >&2
		die "initdb failed"
	fi
	if ! as_owner "$PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" \
		-w -t "$TIMEOUT" \
		-o "-k $dir -p $port -c listen_addresses='' -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
		start >"$dir/pg_ctl.log" 2>&1; then
		cat "$dir/pg_ctl.log" "$dir/server.log" >&2 2>/dev/null || true
		die "the server did not start (pg_ctl and server log above; time limit ${TIMEOUT}s)"
	fi
	i=0
	until "$PG_BIN/pg_isready" -q -h "$dir" -p "$port" -U varn -d postgres; do
		i=$((i + 1))
		[ $i -lt $((TIMEOUT * 10)) ] || { cat "$dir/server.log" >&2; die "the server does not answer"; }
		sleep 0.1
	done
	# Värn sorts and searches by keys it computes itself, compared
	# bytewise (COLLATE "C"), so no ICU collation is created here.
	trap - EXIT
	echo "postgresql://varn@/postgres?host=$dir&port=$port"
}

# Cleans up after a failed start (the trap's caller has printed why).
fail_start() {
	if [ -n "${dir:-}" ] && [ -f "$dir/$MARK" ]; then
		as_owner "$PG_BIN/pg_ctl" -D "$dir/data" -m immediate -w -t 10 stop >/dev/null 2>&1 || true
		rm -rf "$dir"
	fi
}

stop() {
	dir=${1:-}
	[ -n "$dir" ] || die "usage: $0 stop DIR"
	# Accept the URL too, for convenience.
	case "$dir" in
	postgresql://*) dir=$(printf '%s\n' "$dir" | sed -n 's/.*[?&]host=\([^&]*\).*/\1/p') ;;
	esac
	[ -d "$dir" ] || die "no such folder: $dir"
	[ -f "$dir/$MARK" ] || die "$dir is not a folder made by $0; not touching it"
	check_tools
	if [ -f "$dir/data/postmaster.pid" ]; then
		as_owner "$PG_BIN/pg_ctl" -D "$dir/data" -m fast -w -t "$TIMEOUT" stop >/dev/null 2>&1 ||
			as_owner "$PG_BIN/pg_ctl" -D "$dir/data" -m immediate -w -t "$TIMEOUT" stop >/dev/null 2>&1 ||
			die "could not stop the server in $dir"
	fi
	rm -rf "$dir"
}

case "${1:-start}" in
start) start ;;
stop) stop "${2:-}" ;;
*) die "usage: $0 [start] | stop DIR" ;;
esac
