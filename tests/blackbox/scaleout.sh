#!/usr/bin/env bash
# scaleout.sh - two `varn serve` processes on one database, as behind a
# load balancer (issue 14): both start at once on a database that is not
# migrated yet; a session made on A works on B (a page, and a POST with
# the CSRF token of A's form); an account disabled through B is refused on
# A at once; failed passwords spread over both servers are throttled as
# one count; and the scheduled jobs, run by two processes at the same
# moment for period after period while both servers' own schedulers run
# too, run once per period, and every queued message reaches the SMTP
# server exactly once.
#
#   VARN=build/varn bash tests/blackbox/scaleout.sh                  SQLite
#   VARN=build/varn VARN_TEST_DB=postgresql://... bash ...           PostgreSQL
set -u

BB_NAME=scaleout
# shellcheck source=tests/blackbox/lib.bash
source "$(dirname "$0")/lib.bash"
SINK=$(cd "$(dirname "$0")/../mail" && pwd)/smtp_sink.py

PID_A='' PID_B='' SINK_PID=''
stop_all() {
	local p
	for p in $PID_A $PID_B $SINK_PID; do kill -TERM "$p" 2>/dev/null; done
	for p in $PID_A $PID_B $SINK_PID; do wait "$p" 2>/dev/null; done
	cleanup
}
trap stop_all EXIT

DB=$(newdb one)

# ---- both servers start at once on an empty database ----
start() { # NAME: a server on DB with the shared key; its pid in PID_NAME
	"$VARN" serve --db "$DB" --listen 127.0.0.1:0 --threads 2 --key "$TMP/varn.key" \
		>"$TMP/$1.out" 2>"$TMP/$1.err" </dev/null &
	eval "PID_$1=$!"
}
port_of() { # NAME: waits for "serving on", prints the port
	local i
	for i in $(seq 1 150); do
		if grep -q 'serving on' "$TMP/$1.out" 2>/dev/null; then
			sed -n 's/.*serving on http:\/\/127\.0\.0\.1:\([0-9]*\).*/\1/p' "$TMP/$1.out"
			return 0
		fi
		sleep 0.1
	done
	return 1
}
# the server key: one, copied to every server (OPERATIONS.md)
(umask 077 && { head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n'; echo; } >"$TMP/varn.key")
start A
start B
PA=$(port_of A)
PB=$(port_of B)
if [ -n "$PA" ] && [ -n "$PB" ]; then
	ok "two servers started at once on an unmigrated database"
else
	not_ok "two servers started at once on an unmigrated database" \
		"A: $(tail -3 "$TMP/A.err")" "B: $(tail -3 "$TMP/B.err")"
	echo "1..$n"
	exit 1
fi
is "every migration applied once" \
	"$(sql "$DB" "SELECT count(*) - count(DISTINCT version) FROM schema_migrations")" 0
A=http://127.0.0.1:$PA
B=http://127.0.0.1:$PB

run org add --db "$DB" --slug skala --name "Skala kommun" --kind kommun
expect "an organisation" 0
STDIN='ett långt och bra lösenord 1' run user add --db "$DB" --org skala \
	--email anna@skala.se --name "Anna Ek" --role anvandare --password-stdin
expect "a user" 0
STDIN='ett långt och bra lösenord 2' run user add --db "$DB" --org skala \
	--email adam@skala.se --name "Adam Admin" --role administrator --password-stdin
expect "an administrator" 0

# ---- a session made on A, used on B ----
# curl's jar keeps cookies per host name, not per port: what A sets, B
# gets, as behind a load balancer with one host name.
sign_in() { # URL JAR EMAIL PASSWORD: prints the status of the POST
	local pre
	curl -s -c "$2" -b "$2" -o /dev/null "$1/logga-in"
	pre=$(awk '$6 == "varn_pre" { print $7 }' "$2")
	curl -s -c "$2" -b "$2" -o /dev/null -w '%{http_code}' \
		--data-urlencode "pre=$pre" --data-urlencode "email=$3" \
		--data-urlencode "password=$4" "$1/logga-in"
}
status() { # JAR URL: the status of a GET
	curl -s -b "$1" -o /dev/null -w '%{http_code}' "$2"
}
csrf_of() { # JAR URL: the CSRF token in the page's forms
	curl -s -b "$1" "$2" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' | head -1
}

is "signed in on A" "$(sign_in "$A" "$TMP/anna" anna@skala.se 'ett långt och bra lösenord 1')" 303
is "the account page on A" "$(status "$TMP/anna" "$A/konto")" 200
is "the same cookie on B: the account page" "$(status "$TMP/anna" "$B/konto")" 200
is "and the organisation's page on B" "$(status "$TMP/anna" "$B/o/skala")" 200
LANG0=$(sql "$DB" "SELECT lang FROM app_user WHERE email = 'anna@skala.se'")
CSRF=$(csrf_of "$TMP/anna" "$A/konto")
check "A's form carries a CSRF token" test -n "$CSRF"
is "a POST on B with the token from A's form" \
	"$(curl -s -b "$TMP/anna" -o /dev/null -w '%{http_code}' --data-urlencode "csrf=$CSRF" \
		--data lang=en "$B/konto/sprak")" 303
is "took effect" "$LANG0 -> $(sql "$DB" "SELECT lang FROM app_user WHERE email = 'anna@skala.se'")" "sv -> en"
is "a POST on B with a wrong token is refused" \
	"$(curl -s -b "$TMP/anna" -o /dev/null -w '%{http_code}' --data csrf=fel --data lang=sv \
		"$B/konto/sprak")" 403

# ---- disabled through B: refused on A at once ----
is "the administrator signs in on B" \
	"$(sign_in "$B" "$TMP/adam" adam@skala.se 'ett långt och bra lösenord 2')" 303
PERSON=$(sql "$DB" "SELECT p.id FROM person p JOIN app_user u ON u.id = p.user_id WHERE u.email = 'anna@skala.se'")
ACSRF=$(csrf_of "$TMP/adam" "$B/o/skala/people/$PERSON/account")
is "disables Anna's account on B" \
	"$(curl -s -b "$TMP/adam" -o /dev/null -w '%{http_code}' --data-urlencode "csrf=$ACSRF" \
		--data note=test "$B/o/skala/people/$PERSON/account/disable")" 303
is "Anna's session on A is refused at once" "$(status "$TMP/anna" "$A/konto")" 303
is "and on B" "$(status "$TMP/anna" "$B/konto")" 303

# ---- failed passwords on both servers count as one ----
for i in 1 2 3 4 5; do
	[ $((i % 2)) = 1 ] && U=$A || U=$B
	sign_in "$U" "$TMP/eve$i" adam@skala.se "fel lösenord $i" >/dev/null
done
is "five failures, spread over A and B: A makes the sixth wait" \
	"$(sign_in "$A" "$TMP/eve6" adam@skala.se 'ett långt och bra lösenord 2')" 429
is "and so does B" "$(sign_in "$B" "$TMP/eve7" adam@skala.se 'ett långt och bra lösenord 2')" 429

# ---- scheduled jobs: once per period across processes ----
mkdir -p "$TMP/sink"
SPORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
/usr/bin/python3 "$SINK" "$SPORT" "$TMP/sink" >"$TMP/sink.out" 2>&1 &
SINK_PID=$!
for _ in $(seq 50); do grep -q ready "$TMP/sink.out" 2>/dev/null && break; sleep 0.1; done
run mail config --db "$DB" --host 127.0.0.1 --port "$SPORT" --security none \
	--from varn@skala.se --base-url https://varn.skala.se
expect "mail goes to the test server" 0

run jobs list --db "$DB"
JOBS=$(awk 'NR > 1 && $1 ~ /^[a-z-]+$/ { print $1 }' <<<"$OUT")
NJOBS=$(wc -w <<<"$JOBS")
check "jobs list names the jobs" test "$NJOBS" -ge 4

ROUNDS=6
PER_ROUND=15
DAY=86400
WEEK=$(( 7 * DAY )) # a new period of every job, the weekly ones too
T0=$(( $(date +%s) + 2 * WEEK ))
bad=
for r in $(seq 1 $ROUNDS); do
	T=$(( T0 + r * WEEK ))
	# due now in the real clock too: the servers' schedulers may take
	# them as well
	sql "$DB" "INSERT INTO outbox (to_addr, subject, body_text, state, attempts,
		next_attempt_at, created_at) SELECT 'r${r}m' || g || '@skala.se', 'Runda $r',
		'text', 'queued', 0, 0, 0 FROM (SELECT 1 AS g UNION SELECT 2 UNION SELECT 3
		UNION SELECT 4 UNION SELECT 5 UNION SELECT 6 UNION SELECT 7 UNION SELECT 8
		UNION SELECT 9 UNION SELECT 10 UNION SELECT 11 UNION SELECT 12 UNION SELECT 13
		UNION SELECT 14 UNION SELECT 15) AS n" >/dev/null
	VARN_FAKE_NOW=$T "$VARN" jobs run --db "$DB" >"$TMP/r1" 2>"$TMP/e1" &
	p1=$!
	VARN_FAKE_NOW=$T "$VARN" jobs run --db "$DB" >"$TMP/r2" 2>"$TMP/e2" &
	p2=$!
	VARN_FAKE_NOW=$T "$VARN" mail send-due --db "$DB" >/dev/null 2>&1 &
	p3=$!
	wait $p1 $p2 $p3
	for j in $JOBS; do
		c=$(cat "$TMP/r1" "$TMP/r2" | grep -c "^$j: ok")
		[ "$c" = 1 ] || bad="$bad round $r: $j ran $c times;"
	done
done
is "$ROUNDS periods, two processes each: every job ran once per period" "${bad:-none}" none
is "one run row per job and period" \
	"$(sql "$DB" "SELECT count(*) FROM job_run WHERE period_start >= $T0")" \
	$(( NJOBS * ROUNDS ))
is "none taken over or tried again" \
	"$(sql "$DB" "SELECT count(*) FROM job_run WHERE attempts <> 1 OR outcome <> 'ok'")" 0
is "no job ran twice for one period, the servers' own runs included" \
	"$(sql "$DB" "SELECT count(*) FROM (SELECT job, period_start FROM job_run
		GROUP BY job, period_start HAVING count(*) > 1) AS d")" 0

# every message sent: wait for the last ones to leave
for _ in $(seq 50); do
	[ "$(sql "$DB" "SELECT count(*) FROM outbox WHERE state <> 'sent'")" = 0 ] && break
	sleep 0.2
done
SENT=$(sql "$DB" "SELECT count(*) FROM outbox WHERE state = 'sent'")
is "all $(( ROUNDS * PER_ROUND )) queued messages sent" \
	"$(sql "$DB" "SELECT count(*) FROM outbox WHERE state = 'sent' AND subject LIKE 'Runda %'")" \
	$(( ROUNDS * PER_ROUND ))
sleep 0.5
is "the SMTP server got each message once" \
	"$(find "$TMP/sink" -name '*.eml' | wc -l)" "$SENT"
is "no recipient twice" \
	"$(grep -h '^X-Envelope-To:' "$TMP/sink"/*.eml | sort | uniq -d | wc -l)" 0

# the servers' own schedulers ran beside all this
kill -TERM "$PID_A" "$PID_B"
wait "$PID_A"
ra=$?
wait "$PID_B"
rb=$?
PID_A='' PID_B=''
is "both servers stop cleanly" "$ra $rb" "0 0"
is "their scheduler runs were one per job and period too" \
	"$(sql "$DB" "SELECT count(*) FROM job_run WHERE period_start <= $T0 AND (attempts <> 1 OR outcome <> 'ok')")" 0

echo "1..$n"
[ "$nfail" -eq 0 ]
