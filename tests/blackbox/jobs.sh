#!/usr/bin/env bash
# jobs.sh - black-box tests of scheduled work: varn jobs run / list, the
# scheduler inside varn serve (it runs due jobs by itself within seconds;
# --no-jobs turns it off; SIGTERM leaves no run half recorded), and two
# `varn jobs run` at once making one run per period.
#
#   VARN=build/varn bash tests/blackbox/jobs.sh                  SQLite
#   VARN=build/varn VARN_TEST_DB=postgresql://... bash ...       PostgreSQL
set -u

BB_NAME=jobs
# shellcheck source=tests/blackbox/lib.bash
source "$(dirname "$0")/lib.bash"

DB=$(newdb j1)
run init --db "$DB"
expect "a database" 0

run jobs list --db "$DB"
expect "jobs list names the foundation's job before any run" 0 '^sessions +86400s +- '

run jobs run --db "$DB"
expect "jobs run runs what is due" 0 '^sessions: ok: '
expect "every declared job: the outbox worker" 0 '^outbox: ok: '
expect "and the review reminders" 0 '^review-reminders: ok: '
# the outbox's period is a minute: ask for the daily job alone from here on
run jobs run --db "$DB" --job sessions
expect "a second jobs run in the same period does nothing" 0 '^nothing was due$'
is "one run row" "$(sql "$DB" "SELECT count(*) FROM job_run WHERE job = 'sessions'")" 1
run jobs list --db "$DB"
expect "jobs list shows the run and when it is due next" 0 '^sessions +86400s +[0-9-]+ [0-9:]+ +ok +[0-9-]+ 00:00 '

run jobs run --db "$DB" --job nope
expect "an unknown --job fails and says so" 1 '' 'no job called nope'

FIVE_DAYS=$(( $(date +%s) + 5 * 86400 ))
VARN_FAKE_NOW=$FIVE_DAYS run jobs run --db "$DB" --job sessions
expect "five days later: the job runs" 0 '^sessions: ok'
VARN_FAKE_NOW=$FIVE_DAYS run jobs run --db "$DB" --job sessions
expect "once (caught up once, not five times)" 0 '^nothing was due$'
is "two run rows in all" "$(sql "$DB" "SELECT count(*) FROM job_run WHERE job = 'sessions'")" 2

# ---- two processes at once: one run per period ----
ROUNDS=5
total=0
for i in $(seq 1 $ROUNDS); do
	T=$(( FIVE_DAYS + i * 86400 ))
	VARN_FAKE_NOW=$T "$VARN" jobs run --db "$DB" >"$TMP/r1" 2>/dev/null &
	p1=$!
	VARN_FAKE_NOW=$T "$VARN" jobs run --db "$DB" >"$TMP/r2" 2>/dev/null &
	p2=$!
	wait $p1 $p2
	total=$(( total + $(cat "$TMP/r1" "$TMP/r2" | grep -c '^sessions: ok') ))
done
is "two jobs run at once, $ROUNDS periods: $ROUNDS runs" "$total" $ROUNDS
is "and $ROUNDS more run rows" "$(sql "$DB" "SELECT count(*) FROM job_run WHERE job = 'sessions'")" $(( 2 + ROUNDS ))

# ---- the scheduler inside varn serve ----
start_serve() { # DB [OPTIONS]: starts serve, sets SERVER_PID
	local db=$1
	shift
	"$VARN" serve --db "$db" --listen 127.0.0.1:0 --threads 2 --key "$TMP/k.key" "$@" \
		>"$TMP/serve.out" 2>"$TMP/serve.err" </dev/null &
	SERVER_PID=$!
}

wait_runs() { # DB WANT SECONDS: polls job_run until it holds WANT rows
	local i
	for i in $(seq 1 $(( $3 * 5 ))); do
		[ "$(sql "$1" "SELECT count(*) FROM job_run WHERE job = 'sessions' AND outcome = 'ok'" 2>/dev/null)" = "$2" ] && return 0
		sleep 0.2
	done
	return 1
}

S=$(newdb serve)
run init --db "$S"
start_serve "$S"
check "varn serve runs the due job by itself within seconds" wait_runs "$S" 1 10
kill -TERM "$SERVER_PID"
wait "$SERVER_PID"
is "SIGTERM: serve exits 0" $? 0
SERVER_PID=
is "no run left half recorded" "$(sql "$S" "SELECT count(*) FROM job_run WHERE outcome <> 'ok' OR ended_at IS NULL")" 0

S2=$(newdb nojobs)
run init --db "$S2"
start_serve "$S2" --no-jobs
sleep 3
is "serve --no-jobs runs nothing" "$(sql "$S2" "SELECT count(*) FROM job_run")" 0
kill -TERM "$SERVER_PID"
wait "$SERVER_PID"
SERVER_PID=

echo "1..$n"
[ "$nfail" -eq 0 ]
