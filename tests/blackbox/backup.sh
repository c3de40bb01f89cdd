#!/usr/bin/env bash
# backup.sh - black-box tests of the scheduled, sealed backup that
# `varn serve --backup-dir` runs: it writes a sealed backup into the folder
# at start (the job's first period), keeps the newest N of its own, is
# recorded like every job, and the file restores; serve refuses a missing
# folder, a missing key and --no-jobs.  (Backup and restore themselves:
# cli.sh.)
#
#   VARN=build/varn bash tests/blackbox/backup.sh
#   VARN=build/varn VARN_TEST_DB=postgresql://... bash tests/blackbox/backup.sh
set -u

BB_NAME=backup
# shellcheck source=tests/blackbox/lib.bash
source "$(dirname "$0")/lib.bash"

DB=$(newdb sched)
run init --db "$DB"
expect "init makes the backup key" 0 'Backup key made in'

mkdir -m 700 "$TMP/sched"
# ours, older, to be pruned; and a file that is not ours
for d in 20200101 20200102 20200103; do
	printf 'VARNSEAL\001\001' >"$TMP/sched/varn-${d}T000000Z.varnbackup"
done
echo keep >"$TMP/sched/README"

run serve --db "$DB" --listen 127.0.0.1:0 --key "$TMP/s.key" --backup-dir "$TMP/nowhere"
expect "serve --backup-dir with a missing folder: exit 1" 1 '' 'is not a folder'
run serve --db "$DB" --listen 127.0.0.1:0 --key "$TMP/s.key" --backup-dir "$TMP/sched" --no-jobs
expect "serve --backup-dir --no-jobs: exit 1" 1 '' 'needs the scheduler'
run serve --db "$DB" --listen 127.0.0.1:0 --key "$TMP/s.key" --backup-dir "$TMP/sched" \
	--backup-key "$TMP/no.backup-key"
expect "serve --backup-dir without its key: exit 1" 1 '' 'there is no backup key'

"$VARN" serve --db "$DB" --listen 127.0.0.1:0 --threads 1 --key "$TMP/s.key" \
	--backup-dir "$TMP/sched" --backup-every 6 --backup-keep 2 \
	>"$TMP/serve.out" 2>"$TMP/serve.err" </dev/null &
SERVER_PID=$!
made=
for _ in $(seq 1 300); do
	made=$(find "$TMP/sched" -name 'varn-*Z.varnbackup' ! -name 'varn-2020*' | head -n 1)
	[ -n "$made" ] && grep -q 'scheduled backup: ' "$TMP/serve.err" && break
	kill -0 "$SERVER_PID" 2>/dev/null || break
	sleep 0.1
done
kill -TERM "$SERVER_PID"
wait "$SERVER_PID"
rc=$?
SERVER_PID=
is "serve with --backup-dir stops cleanly" "$rc" 0
if [ -n "$made" ]; then ok "the scheduled job wrote ${made##*/}"; else
	not_ok "the scheduled job wrote a backup" "$(tail -n 5 "$TMP/serve.err")"
fi
check "... logged with the key's id at start" grep -q 'scheduled backups every 6 hour(s) into .*, newest 2 kept, sealed with the backup key .* (key id [0-9a-f]\{16\})' "$TMP/serve.err"
check "... and the run logged with the file's name" grep -q "scheduled backup: ${made##*/} written, 2 older removed (2 kept)" "$TMP/serve.err"
check "... and never the key" bash -c "! grep -qF '$(cat "$VARN_BACKUP_KEY")' '$TMP/serve.err' '$TMP/serve.out'"
is "... sealed" "$(head -c 8 "$made")" VARNSEAL
is "... two of its backups kept" "$(find "$TMP/sched" -name 'varn-*.varnbackup' | wc -l)" 2
check "... the newest older one among them" test -e "$TMP/sched/varn-20200103T000000Z.varnbackup"
check "... and the folder's other file left alone" test -e "$TMP/sched/README"
is "the run is recorded as the job 'backup', ok" \
	"$(sql "$DB" "SELECT outcome FROM job_run WHERE job = 'backup'")" ok
check "... with the summary naming the file" \
	grep -q "${made##*/} written" <<<"$(sql "$DB" "SELECT summary FROM job_run WHERE job = 'backup'")"

R=$(newdb restored)
run restore --db "$R" "$made"
expect "the scheduled backup restores with the installation's key" 0 'authenticates and its audit trail verifies'

echo "1..$n"
[ "$nfail" -eq 0 ]
