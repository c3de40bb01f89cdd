# lib.bash - what the black-box test scripts share: TAP output, running
# the built varn, and a fresh database per use on SQLite or PostgreSQL.
#
#   BB_NAME=cli; source "$(dirname "$0")/lib.bash"
#
# BB_NAME names the temporary folder and the PostgreSQL databases
# (varn_<BB_NAME>_<pid>_*), which cleanup drops at exit.  Not a test itself
# (tests/run runs tests/blackbox/*.sh).

VARN=${VARN:-build/varn}
case $VARN in /*) ;; *) VARN=$PWD/$VARN ;; esac
TMP=$(mktemp -d "${TMPDIR:-/tmp}/varn-$BB_NAME.XXXXXX")
PG=
case ${VARN_TEST_DB:-} in
postgres://* | postgresql://* | *=*) PG=$VARN_TEST_DB ;;
esac
# The backup key varn init makes: in the temporary folder (with
# PostgreSQL the default would be ./varn.backup-key, in the checkout).
export VARN_BACKUP_KEY=${VARN_BACKUP_KEY:-$TMP/varn.backup-key}
ENGINE=${PG:+pg}
ENGINE=${ENGINE:-sqlite}
SERVER_PID=

n=0
nfail=0

cleanup() {
	[ -n "$SERVER_PID" ] && kill -TERM "$SERVER_PID" 2>/dev/null
	if [ -n "$PG" ]; then
		for d in $(psql "$PG" -qAt -c "SELECT datname FROM pg_database WHERE datname LIKE 'varn_${BB_NAME}_$$_%'" 2>/dev/null); do
			psql "$PG" -q -c "DROP DATABASE IF EXISTS $d WITH (FORCE)" >/dev/null 2>&1
		done
	fi
	rm -rf "$TMP"
}
trap cleanup EXIT

ok() {
	n=$((n + 1))
	echo "ok $n - [$ENGINE] $1"
}

not_ok() {
	local desc=$1
	shift
	n=$((n + 1))
	nfail=$((nfail + 1))
	echo "not ok $n - [$ENGINE] $desc"
	for line in "$@"; do
		printf '#   %s\n' "$line"
	done
}

skip() {
	n=$((n + 1))
	echo "ok $n - [$ENGINE] $1 # SKIP $2"
}

# run ARGS...: runs varn with stdin from /dev/null (or $STDIN when set);
# leaves RC, OUT and ERR.
run() {
	if [ -n "${STDIN+x}" ]; then
		printf '%s\n' "$STDIN" | "$VARN" "$@" >"$TMP/out" 2>"$TMP/err"
	else
		"$VARN" "$@" >"$TMP/out" 2>"$TMP/err" </dev/null
	fi
	RC=$?
	OUT=$(cat "$TMP/out")
	ERR=$(cat "$TMP/err")
}

# expect DESC STATUS [STDOUT-ERE [STDERR-ERE]]: checks the last run.
expect() {
	local desc=$1 want=$2 outre=${3:-} errre=${4:-}
	if [ "$RC" = "$want" ] &&
		{ [ -z "$outre" ] || grep -Eq -- "$outre" <<<"$OUT"; } &&
		{ [ -z "$errre" ] || grep -Eq -- "$errre" <<<"$ERR"; }; then
		ok "$desc"
	else
		not_ok "$desc" "exit status $RC (wanted $want)" \
			"stdout: $(head -c 600 <<<"$OUT")" "stderr: $(head -c 600 <<<"$ERR")"
	fi
}

# check DESC COMMAND...: ok when the command succeeds.
check() {
	local desc=$1
	shift
	if "$@"; then ok "$desc"; else not_ok "$desc" "failed: $*"; fi
}

# is DESC GOT WANT
is() {
	if [ "$2" = "$3" ]; then ok "$1"; else not_ok "$1" "got '$2'" "wanted '$3'"; fi
}

# The server's URL with another database name.
pg_url_with_db() {
	local scheme rest query= auth
	case $PG in
	postgres://* | postgresql://*)
		scheme=${PG%%://*}
		rest=${PG#*://}
		case $rest in *\?*)
			query="?${rest#*\?}"
			rest=${rest%%\?*}
			;;
		esac
		auth=${rest%%/*}
		echo "$scheme://$auth/$1$query"
		;;
	*) echo "$PG dbname=$1" ;;
	esac
}

# newdb NAME: the URL of a new, empty database.
newdb() {
	if [ -z "$PG" ]; then
		echo "sqlite:$TMP/$1.db"
		return
	fi
	local name="varn_${BB_NAME}_$$_$1"
	PGOPTIONS=--client-min-messages=warning psql "$PG" -q -c "DROP DATABASE IF EXISTS $name WITH (FORCE)" \
		-c "CREATE DATABASE $name TEMPLATE template0 ENCODING 'UTF8'" >/dev/null || return 1
	pg_url_with_db "$name"
}

# sql URL QUERY: one value from the database, on either engine.
sql() {
	case $1 in
	sqlite:*) sqlite3 "${1#sqlite:}" "$2" ;;
	*) psql "$1" -qAt -c "$2" ;;
	esac
}
