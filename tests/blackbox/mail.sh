#!/usr/bin/env bash
# mail.sh - black-box tests of `varn mail`: the settings from the command
# line (the password from a file, never shown, never sent without TLS),
# `mail test` through a real SMTP server on loopback (Debian's
# python3-aiosmtpd, tests/mail/smtp_sink.py), `mail list` and a refused
# message sent again with `mail resend`.
#
#   VARN=build/varn bash tests/blackbox/mail.sh                  SQLite
#   VARN=build/varn VARN_TEST_DB=postgresql://... bash ...       PostgreSQL
set -u

BB_NAME=mail
# shellcheck source=tests/blackbox/lib.bash
source "$(dirname "$0")/lib.bash"
SINK=$(cd "$(dirname "$0")/../mail" && pwd)/smtp_sink.py

DB=$(newdb m1)
run init --db "$DB"
expect "a database" 0

run mail show --db "$DB"
expect "before any settings: not configured" 0 '^host: +\(not configured\)'

printf 'hemligt-losen-42\n' >"$TMP/pw"
run mail config --db "$DB" --host smtp.example.se --security none --user varn \
	--password-file "$TMP/pw" --from varn@example.se --base-url https://varn.example.se
expect "a password without TLS is refused, and why" 2 '' 'in clear'

run mail config --db "$DB" --host smtp.example.se --security starttls --user varn \
	--password-file "$TMP/pw" --from varn@example.se --base-url https://varn.example.se
expect "settings with a password from a file" 0 '^Mail enabled: smtp.example.se:587'
run mail show --db "$DB"
expect "mail show says a password is set" 0 '^password: +\(set\)'
if grep -q hemligt <<<"$OUT$ERR"; then
	not_ok "the password is never shown"
else
	ok "the password is never shown"
fi
is "nor written to the audit trail" \
	"$(sql "$DB" "SELECT count(*) FROM audit_event WHERE after_json LIKE '%hemligt%'")" 0

run mail config --db "$DB" --host smtp.example.se --security bogus --from varn@example.se \
	--base-url https://varn.example.se
expect "an unknown --security is refused" 2 '' 'starttls, tls or none'

# ---- a real SMTP server on loopback ----
mkdir -p "$TMP/sink"
PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
/usr/bin/python3 "$SINK" "$PORT" "$TMP/sink" >"$TMP/sink.out" 2>&1 &
SINK_PID=$!
trap 'kill $SINK_PID 2>/dev/null; cleanup' EXIT
for _ in $(seq 50); do grep -q ready "$TMP/sink.out" 2>/dev/null && break; sleep 0.1; done

run mail config --db "$DB" --host 127.0.0.1 --port "$PORT" --security none \
	--from varn@example.se --base-url https://varn.example.se
expect "pointed at the test server" 0
run mail test --db "$DB" --to mottagare@example.se
expect "mail test sends and says so" 0
check "the server has it, to the recipient" grep -q 'X-Envelope-To: mottagare@example.se' "$TMP/sink/0001.eml"

# a backlog of 150 due messages does not hide the test message
sql "$DB" "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 150)
	INSERT INTO outbox (to_addr, subject, body_text, state, attempts, next_attempt_at,
	created_at) SELECT 'ko' || i || '@example.se', 'Kö', 'text', 'queued', 0, 0, 0 FROM n" >/dev/null
run mail test --db "$DB" --to andra@example.se
expect "with a backlog, mail test sends its own message" 0
is "and only that one" "$(sql "$DB" "SELECT count(*) FROM outbox WHERE state = 'queued'")" 150
sql "$DB" "DELETE FROM outbox WHERE subject = 'Kö'" >/dev/null

touch "$TMP/sink/refuse"
run mail test --db "$DB" --to nej@example.se
expect "a refused test message: exit 1" 1
run mail list --db "$DB" --state failed
expect "mail list shows it failed with the server's answer" 0 'nej@example.se.*550'
id=$(sql "$DB" "SELECT id FROM outbox WHERE to_addr = 'nej@example.se'")
rm "$TMP/sink/refuse"
run mail resend --db "$DB" "$id"
expect "mail resend queues it again" 0
run mail send-due --db "$DB"
expect "and send-due sends it" 0
is "the message is sent" "$(sql "$DB" "SELECT state FROM outbox WHERE id = $id")" sent
is "the resend is audited" "$(sql "$DB" "SELECT count(*) FROM audit_event WHERE action = 'mail_resend'")" 1

echo "1..$n"
[ "$nfail" -eq 0 ]
