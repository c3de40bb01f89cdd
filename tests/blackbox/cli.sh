#!/usr/bin/env bash
# cli.sh - black-box tests of the built varn command: every subcommand, its
# error exits and messages, the demo, backup and restore, and a served
# instance answering a real HTTP client with a token the CLI made.
#
#   VARN=build/varn bash tests/blackbox/cli.sh                  SQLite
#   VARN=build/varn VARN_TEST_DB=postgresql://... bash ...        PostgreSQL
#
# With a PostgreSQL URL in VARN_TEST_DB every database here is a new one
# created on that server (and dropped at the end); otherwise SQLite files
# in a temporary folder.  Prints TAP.
set -u

BB_NAME=bb
# shellcheck source=tests/blackbox/lib.bash
source "$(dirname "$0")/lib.bash"

counts() { # URL: row counts of the main tables, one line
	local t out=
	for t in organisation unit person role_assignment app_user api_token audit_event; do
		out="$out $t=$(sql "$1" "SELECT count(*) FROM $t")"
	done
	echo "$out"
}

# ---- arguments ----

run --version
expect "--version prints the version" 0 '^varn [0-9]+\.[0-9]+\.[0-9]+$'

run --help
expect "--help lists every command" 0 'serve' ''
all=1
for c in "serve" "init" "org add" "user add" "token create" "reset-link" "db migrate" \
	"db status" "backup" "restore" "audit verify"; do
	grep -q "^  $c " <<<"$OUT" || all=0
done
is "--help names serve, init, org add, user add, token create, reset-link, db, backup, restore, audit verify" "$all" 1

run help user add
expect "help user add shows the command's options" 0 '--password-stdin'

run user add --help
expect "user add --help is the same help" 0 '^usage: varn user add'

run
expect "no command: usage on stderr, exit 2" 2 '' 'usage: varn'

run frobnicate
expect "unknown command: exit 2" 2 '' "unknown command 'frobnicate'"

run org
expect "command group without subcommand: exit 2" 2 '' "org add"

run db vacuum --db sqlite:x
expect "unknown subcommand: exit 2" 2 '' "unknown subcommand 'vacuum'"

run init --db "sqlite:$TMP/x.db" --bogus
expect "unknown option: exit 2 with its name" 2 '' "unknown option '--bogus'"

run init --db
expect "option without its value: exit 2" 2 '' '--db needs a value'

run init --db --demo
expect "an option is not taken for a value" 2 '' '--db needs a value'

run init --db mysql://localhost/varn
expect "bad database URL: exit 2" 2 '' 'not a database URL'

run init --demo=yes --db "sqlite:$TMP/x.db"
expect "a flag with a value: exit 2" 2 '' '--demo takes no value'

run org add --db "sqlite:$TMP/x.db" --name "X kommun" --kind kommun
expect "missing required option: exit 2" 2 '' '--slug SLUG is missing'

run org add --db "sqlite:$TMP/x.db" --slug x-kommun --name "X kommun" --kind stad
expect "unknown organisation kind: exit 2 listing the kinds" 2 '' "unknown organisation kind 'stad'.*kommunalforbund"

run org add --db "sqlite:$TMP/x.db" --slug "X Kommun" --name "X kommun" --kind kommun
expect "bad slug: exit 2" 2 '' 'is not a slug'

run user add --db "sqlite:$TMP/x.db" --org xx --email a@x.se --name A --role chef
expect "unknown role: exit 2 listing the roles" 2 '' "unknown role 'chef'.*samordnare"

run user add --db "sqlite:$TMP/x.db" --org xx --email not-an-address --name A --role anvandare
expect "bad e-mail address: exit 2" 2 '' "is not an e-mail address"

run token create --db "sqlite:$TMP/x.db" --org xx --email a@x.se --days 0
expect "token --days out of range: exit 2" 2 '' 'whole number from 1 to 366'

run serve --listen localhost
expect "serve with a bad --listen: exit 2" 2 '' 'HOST:PORT'

run serve --max-per-client 0
expect "serve with --max-per-client 0: exit 2" 2 '' 'from 1 to 65535'

run backup --db "sqlite:$TMP/x.db"
expect "backup without FILE: exit 2" 2 '' 'FILE is missing'

run backup --db "sqlite:$TMP/x.db" a b
expect "backup with two files: exit 2" 2 '' 'one FILE only'

VARN_DB=nonsense run db status
expect "a bad \$VARN_DB: exit 2" 2 '' 'VARN_DB'
check "no file was created by the refused commands" test ! -e "$TMP/x.db"

# ---- database set-up ----

if [ -z "$PG" ]; then
	run db status --db "sqlite:$TMP/nothing-here.db"
	expect "db status on a missing SQLite file: exit 1, no file made" 1 '' 'no database'
	check "... and no file was created" test ! -e "$TMP/nothing-here.db"
else
	skip "db status on a missing SQLite file" "PostgreSQL"
	skip "... and no file was created" "PostgreSQL"
fi

FRESH=$(newdb fresh)
[ -z "$PG" ] && : >"$TMP/fresh.db"
run db status --db "$FRESH"
expect "db status on an empty database: pending, exit 1" 1 'pending'

run org add --db "$FRESH" --slug a-kommun --name "A kommun" --kind kommun
expect "org add on an unmigrated database: exit 1, says to migrate" 1 '' 'db migrate'

run db migrate --db="$FRESH"
expect "db migrate (--db=URL form)" 0 'up to date'

run db status --db "$FRESH"
expect "db status after migrating: exit 0" 0 'applied'

run db migrate --db "$FRESH"
expect "db migrate again is a no-op" 0 'up to date'

PLAIN=$(newdb plain)
run init --db "$PLAIN"
expect "init without --demo migrates" 0 'schema version'
is "init without --demo makes no organisation" "$(sql "$PLAIN" 'SELECT count(*) FROM organisation')" 0
check "... and prints the backup key it made" grep -q "Backup key made in $VARN_BACKUP_KEY (key id [0-9a-f]\{16\})" <<<"$OUT"
is "... which is readable by its owner only" "$(stat -c %a "$VARN_BACKUP_KEY")" 600
KEY_BEFORE=$(cat "$VARN_BACKUP_KEY")
run init --db "$PLAIN"
expect "init again keeps the backup key" 0 "Backup key $VARN_BACKUP_KEY \(key id"
is "... unchanged" "$(cat "$VARN_BACKUP_KEY")" "$KEY_BEFORE"
env -u VARN_BACKUP_KEY "$VARN" init --db "sqlite:$TMP/beside.db" >/dev/null 2>&1
check "without VARN_BACKUP_KEY the key is made beside a SQLite database" \
	test -f "$TMP/beside.db.backup-key"

# ---- the demo ----

DEMO=$(newdb demo)
run init --db "$DEMO" --demo
expect "init --demo prints the coordinator's login and the password" 0 \
	'samordnare@exempelstad\.se.*samordnare in exempelstad, samordnare in grannby'
check "init --demo prints the demo password" grep -q 'demo-Exempelstad-2026' <<<"$OUT"
check "init --demo prints the administrator and the plain user" \
	grep -q 'admin@exempelstad.se' <<<"$OUT"
check "... and anvandare@exempelstad.se" grep -q 'anvandare@exempelstad.se' <<<"$OUT"

run init --db "$DEMO" --demo
expect "init --demo on a database with organisations is refused" 1 '' 'refusing --demo'

# ---- synthetic data at scale (issue 14; tests/http/test_demo_scale.c
# checks the data itself) ----

run demo --db "sqlite:$TMP/x.db" --scale XL
expect "demo --scale takes S, M, L or national" 2 '' 'takes S, M, L or national'
run demo --db "sqlite:$TMP/x.db" --scale S --orgs 3
expect "demo --orgs goes with national only" 2 '' '--orgs goes with --scale national'
run demo --db "sqlite:$TMP/x.db" --scale S --now 2026-02-30
expect "demo --now must be a day" 2 '' '--now takes a day'
run demo --db "$DEMO" --scale S
expect "demo --scale on a database with organisations is refused" 1 '' 'refusing --scale'
SCALED=$(newdb scaled)
run demo --db "$SCALED" --scale S --seed 3 --quiet
expect "demo --scale S generates and names the coordinator's login" 0 \
	'Generated S \(seed 3\).*samordnare@exempelstad\.se'
is "S: 2,000 incidents in Exempelstad" \
	"$(sql "$SCALED" "SELECT count(*) FROM incident i JOIN organisation o ON o.id = i.org_id WHERE o.slug = 'exempelstad'")" \
	2000
run audit verify --db "$SCALED"
expect "the generated audit trail verifies" 0 'chain intact'

is "demo organisations: exempelstad (kommun) and grannby" \
	"$(sql "$DEMO" "SELECT slug || ':' || kind FROM organisation ORDER BY slug" | tr '\n' ' ')" \
	"exempelstad:kommun grannby:kommun "
ex_units=$(sql "$DEMO" "SELECT count(*) FROM unit u JOIN organisation o ON o.id = u.org_id WHERE o.slug = 'exempelstad'")
ex_people=$(sql "$DEMO" "SELECT count(*) FROM person p JOIN organisation o ON o.id = p.org_id WHERE o.slug = 'exempelstad'")
check "Exempelstad has a unit tree of 20+ units ($ex_units) and ~30 people ($ex_people)" \
	test "$ex_units" -ge 20 -a "$ex_people" -ge 28
is "Kommunstyrelsen sits under Kommunfullmäktige" \
	"$(sql "$DEMO" "SELECT p.name FROM unit u JOIN unit p ON p.id = u.parent_id JOIN organisation o ON o.id = u.org_id WHERE o.slug = 'exempelstad' AND u.name = 'Kommunstyrelsen'")" \
	"Kommunfullmäktige"
is "IT-avdelningen sits under Kommunledningsförvaltningen" \
	"$(sql "$DEMO" "SELECT p.name FROM unit u JOIN unit p ON p.id = u.parent_id WHERE u.name = 'IT-avdelningen'")" \
	"Kommunledningsförvaltningen"
check "a demo person has a protected identity" \
	test "$(sql "$DEMO" 'SELECT count(*) FROM person WHERE protected_identity = 1')" -ge 1
is "one account coordinates both municipalities (shared security function)" \
	"$(sql "$DEMO" "SELECT count(DISTINCT p.org_id) FROM app_user u JOIN person p ON p.user_id = u.id JOIN role_assignment r ON r.person_id = p.id AND r.role = 'samordnare' WHERE u.email = 'samordnare@exempelstad.se'")" \
	2
roles_held=$(sql "$DEMO" "SELECT DISTINCT r.role FROM role_assignment r JOIN organisation o ON o.id = r.org_id WHERE o.slug = 'exempelstad' ORDER BY r.role" | tr '\n' ' ')
is "Exempelstad has every role assigned" "$roles_held" \
	"administrator anvandare dataskyddsombud informationsagare it_chef kommunchef ledning samordnare systemadministrator systemagare systemforvaltare "
is "demo accounts have passwords" \
	"$(sql "$DEMO" "SELECT count(*) FROM app_user WHERE pw_hash IS NULL")" 0
is "the demo's records are audited, by varn-cli" \
	"$(sql "$DEMO" "SELECT count(*) FROM audit_event WHERE actor <> 'varn-cli'")" 0
check "... one create event per unit, person and role" test \
	"$(sql "$DEMO" "SELECT count(*) FROM audit_event WHERE action = 'create' AND entity IN ('units', 'people', 'roles')")" \
	-eq "$(sql "$DEMO" "SELECT (SELECT count(*) FROM unit) + (SELECT count(*) FROM person) + (SELECT count(*) FROM role_assignment)")"
check "no password appears in the audit trail" \
	test "$(sql "$DEMO" "SELECT count(*) FROM audit_event WHERE after_json LIKE '%demo-Exempelstad%' OR summary LIKE '%demo-Exempelstad%'")" -eq 0

run audit verify --db "$DEMO"
expect "audit verify on the demo: intact" 0 'chain intact'

# ---- org add, user add ----

run org add --db "$DEMO" --slug vasterdal-it --name "Västerdals IT-förbund" --kind kommunalforbund
expect "org add" 0 'Created organisation'
run org add --db "$DEMO" --slug vasterdal-it --name "Västerdal igen" --kind kommun
expect "org add with a taken slug: exit 1" 1 '' 'already exists'
is "org add wrote its audit event" \
	"$(sql "$DEMO" "SELECT action || '/' || entity || '/' || actor FROM audit_event WHERE summary = 'Västerdals IT-förbund'")" \
	"create/organisations/varn-cli"

run user add --db "$DEMO" --org vasterdal-it --email Nils.Kallqvist@Vasterdal.se --name "Nils Källqvist" --role systemforvaltare
expect "user add: new account without a password" 0 'No password is set'
run user add --db "$DEMO" --org exempelstad --email nils.kallqvist@vasterdal.se --name "Nils Källqvist" --role systemadministrator
expect "user add for a second organisation reuses the account" 0 'exists; using it'
is "one account (e-mail normalised) ..." \
	"$(sql "$DEMO" "SELECT count(*) FROM app_user WHERE email = 'nils.kallqvist@vasterdal.se'")" 1
is "... with a person and a role in both organisations" \
	"$(sql "$DEMO" "SELECT o.slug || ':' || r.role FROM app_user u JOIN person p ON p.user_id = u.id JOIN organisation o ON o.id = p.org_id JOIN role_assignment r ON r.person_id = p.id WHERE u.email = 'nils.kallqvist@vasterdal.se' ORDER BY o.slug" | tr '\n' ' ')" \
	"exempelstad:systemadministrator vasterdal-it:systemforvaltare "
run user add --db "$DEMO" --org exempelstad --email nils.kallqvist@vasterdal.se --name "Nils Källqvist" --role systemadministrator
expect "user add again changes nothing" 0 'already holds the role'
is "... still one role there" \
	"$(sql "$DEMO" "SELECT count(*) FROM role_assignment r JOIN person p ON p.id = r.person_id JOIN app_user u ON u.id = p.user_id WHERE u.email = 'nils.kallqvist@vasterdal.se'")" 2

it_unit=$(sql "$DEMO" "SELECT u.id FROM unit u JOIN organisation o ON o.id = u.org_id WHERE o.slug = 'exempelstad' AND u.name = 'IT-avdelningen'")
run user add --db "$DEMO" --org exempelstad --email "ny.tekniker@exempelstad.se" --name "Örjan Ölund" --role systemadministrator --unit "$it_unit"
expect "user add with --unit" 0 "for unit $it_unit"
is "... the person is in that unit and the role limited to it" \
	"$(sql "$DEMO" "SELECT p.unit_id || ':' || r.unit_id FROM person p JOIN role_assignment r ON r.person_id = p.id WHERE p.email = 'ny.tekniker@exempelstad.se'")" \
	"$it_unit:$it_unit"

run user add --db "$DEMO" --org exempelstad --email x@exempelstad.se --name X --role anvandare --unit 999999
expect "user add with a unit that does not exist: exit 1" 1 '' 'no unit with the id 999999'
is "... and nothing was written" "$(sql "$DEMO" "SELECT count(*) FROM app_user WHERE email = 'x@exempelstad.se'")" 0

run user add --db "$DEMO" --org nowhere --email x@exempelstad.se --name X --role anvandare
expect "user add to an unknown organisation: exit 1" 1 '' "no organisation with the slug 'nowhere'"

# the engine refuses a blank name only after the account would exist:
# one transaction, so neither the account nor its audit event stays
audit_before=$(sql "$DEMO" "SELECT count(*) FROM audit_event")
run user add --db "$DEMO" --org grannby --email halv@grannby.se --name " " --role anvandare
expect "user add whose person is refused: exit 1" 1 '' 'cannot create the person'
check "... says nothing about an account it did not keep" test -z "$OUT"
is "... leaves no account" "$(sql "$DEMO" "SELECT count(*) FROM app_user WHERE email = 'halv@grannby.se'")" 0
is "... and no audit event" "$(sql "$DEMO" "SELECT count(*) FROM audit_event")" "$audit_before"

STDIN=password run user add --db "$DEMO" --org grannby --email pw@grannby.se --name "Pia Wång" --role anvandare --password-stdin
expect "user add --password-stdin refuses a weak password (exit 2)" 2 '' 'password-stdin'
is "... and writes nothing" "$(sql "$DEMO" "SELECT count(*) FROM app_user WHERE email = 'pw@grannby.se'")" 0
STDIN='en lång och bra lösenfras 7' run user add --db "$DEMO" --org grannby --email pw@grannby.se --name "Pia Wång" --role anvandare --password-stdin
expect "user add --password-stdin sets the password" 0 'Created the account'
check "... which is not printed" test "$(grep -c 'lösenfras' <<<"$OUT$ERR")" -eq 0
is "... and stored as an Argon2id hash" \
	"$(sql "$DEMO" "SELECT substr(pw_hash, 1, 10) FROM app_user WHERE email = 'pw@grannby.se'")" '$argon2id$'

# ---- tokens and reset links ----

run token create --db "$DEMO" --org exempelstad --email nobody@exempelstad.se
expect "token create for an unknown account: exit 1" 1 '' 'no account'

run token create --db "$DEMO" --org exempelstad --scope "*:write" --email SAMORDNARE@exempelstad.se --days 7 --label blackbox
expect "token create prints only the token" 0 '^[A-Za-z0-9_-]{43}$'
TOKEN=$OUT
is "... one line on stdout" "$(wc -l <"$TMP/out")" 1
is "... the database keeps its hash, not the token" \
	"$(sql "$DEMO" "SELECT count(*) FROM api_token WHERE label = 'blackbox' AND token_hash <> '$TOKEN' AND expires_at - created_at = 7 * 86400")" 1
is "... audited in its organisation" "$(sql "$DEMO" "SELECT count(*) FROM audit_event WHERE action = 'token_create' AND summary LIKE '%\"blackbox\"%' AND org_id = (SELECT id FROM organisation WHERE slug = 'exempelstad')")" 1
run token create --db "$DEMO" --org exempelstad --email samordnare@exempelstad.se --label blackbox-read
expect "token create without --scope" 0 '^[A-Za-z0-9_-]{43}$'
is "... reads only" "$(sql "$DEMO" "SELECT scopes FROM api_token WHERE label = 'blackbox-read'")" '*:read'
run token create --db "$DEMO" --org exempelstad --email samordnare@exempelstad.se --scope "systems:maybe"
expect "token create with a bad scope: exit 1" 1 '' 'is not MODULE:read'
run user disable --db "$DEMO" --org exempelstad --email nils.kallqvist@vasterdal.se --reason "slutat"
expect "user disable" 0 'Disabled the account'
is "... disabled and audited in the organisation" "$(sql "$DEMO" "SELECT count(*) FROM audit_event WHERE action = 'account_disable' AND org_id IS NOT NULL")" 1
run user enable --db "$DEMO" --org exempelstad --email nils.kallqvist@vasterdal.se
expect "user enable" 0 'Enabled the account'
run user reset-totp --db "$DEMO" --org exempelstad --email nils.kallqvist@vasterdal.se --checked-by "Ida Ek" --checked-how phone
expect "user reset-totp with an unknown check: exit 1" 1 '' 'checked-how must be'
run user reset-totp --db "$DEMO" --org exempelstad --email nils.kallqvist@vasterdal.se --checked-by "Ida Ek" --checked-how via_manager
expect "user reset-totp records the check" 0 'Reset two-step'
is "... who and how in the trail" "$(sql "$DEMO" "SELECT count(*) FROM audit_event WHERE action = 'totp_reset' AND after_json LIKE '%via_manager%' AND after_json LIKE '%Ida Ek%'")" 1

run reset-link --db "$DEMO" --org exempelstad --email nils.kallqvist@vasterdal.se
expect "reset-link prints a one-time link" 0 '^http://127\.0\.0\.1:8080/aterstall/[A-Za-z0-9_-]{43}$' 'once'
run reset-link --db "$DEMO" --org exempelstad --email nils.kallqvist@vasterdal.se --base-url https://varn.exempelstad.se/
expect "reset-link --base-url" 0 '^https://varn\.exempelstad\.se/aterstall/[A-Za-z0-9_-]{43}$'
is "... audited, and no token in the trail" \
	"$(sql "$DEMO" "SELECT count(*) FROM audit_event WHERE action = 'reset_link' AND summary NOT LIKE '%aterstall%' AND org_id IS NOT NULL")" 2
run reset-link --db "$DEMO" --org exempelstad --email nobody@exempelstad.se
expect "reset-link for an unknown account: exit 1" 1 '' 'no account'

run audit verify --db "$DEMO"
expect "audit verify after the CLI's changes: intact" 0 'chain intact'

# ---- backup and restore ----

run backup --db "$DEMO" "$TMP/demo.backup"
expect "backup" 0 "Backup written to $TMP/demo.backup, sealed with the backup key $VARN_BACKUP_KEY \\(key id"
is "... the backup is sealed (VARNSEAL, format 1, key)" "$(head -c 10 "$TMP/demo.backup" | od -An -c | tr -d ' ')" 'VARNSEAL001001'
check "... and holds no plain text" bash -c "! grep -aq 'Exempelstad' '$TMP/demo.backup'"
is "... readable by its owner only" "$(stat -c %a "$TMP/demo.backup")" 600
check "... with nothing left beside it" test ! -e "$TMP/demo.backup.tmp"

# untouched URL: restore did not create or write the target
untouched() {
	case $1 in
	sqlite:*) test ! -e "${1#sqlite:}" ;;
	*) test "$(sql "$1" "SELECT count(*) FROM information_schema.tables WHERE table_name = 'organisation'")" = 0 ;;
	esac
}
od -An -vtx1 -N32 /dev/urandom | tr -d ' \n' >"$TMP/other.key"
echo >>"$TMP/other.key"
T=$(newdb wrongkey)
run restore --db "$T" --key "$TMP/other.key" "$TMP/demo.backup"
expect "restore with another key is refused" 1 '' 'nothing was restored: wrong key: .* sealed with the backup key with id [0-9a-f]{16}'
check "... and the target was not touched" untouched "$T"

head -c $(($(stat -c %s "$TMP/demo.backup") - 1000)) "$TMP/demo.backup" >"$TMP/cut.backup"
run restore --db "$T" "$TMP/cut.backup"
expect "a truncated backup is refused" 1 '' 'nothing was restored: backup .* is cut short'
check "... and the target was not touched" untouched "$T"

cp "$TMP/demo.backup" "$TMP/flipped.backup"
printf 'X' | dd of="$TMP/flipped.backup" bs=1 seek=200000 conv=notrunc status=none
run restore --db "$T" "$TMP/flipped.backup"
expect "a backup with a changed byte is refused" 1 '' 'has been altered or damaged: chunk 4 does not authenticate'
check "... and the target was not touched" untouched "$T"

: >"$TMP/empty.backup"
run restore --db "$T" "$TMP/empty.backup"
expect "an empty file is refused" 1 '' 'backup .* is empty'

sqlite3 "$TMP/old.backup" "CREATE TABLE t (x)"
run restore --db "$T" "$TMP/old.backup"
expect "an unsealed (old) backup is refused without --unsealed" 1 '' 'unsealed backup made by an older Värn; .* restore it with --unsealed'
check "... and the target was not touched" untouched "$T"
run restore --db "$(newdb unsealedread)" --unsealed "$TMP/old.backup"
expect "... with --unsealed it is read as an old backup (this file is none)" 1 '' 'not a Värn backup of a format'
run restore --db "$(newdb unsealedflag)" --unsealed "$TMP/demo.backup"
expect "--unsealed with a sealed backup is refused" 1 '' 'is a sealed backup: leave out --unsealed'

STDIN='korrekt häst batteri häftklammer' run backup --db "$DEMO" --passphrase-stdin "$TMP/pass.backup"
expect "backup sealed with a passphrase" 0 'sealed with a passphrase'
STDIN='fel lösenfras till säkerhetskopian' run restore --db "$T" --passphrase-stdin "$TMP/pass.backup"
expect "restore with a wrong passphrase is refused" 1 '' 'nothing was restored: wrong passphrase'
check "... and the target was not touched" untouched "$T"
run restore --db "$T" "$TMP/pass.backup"
expect "restore of a passphrase backup without --passphrase-stdin says what it needs" 1 '' 'sealed with a passphrase: give it with --passphrase-stdin'
P=$(newdb pass)
STDIN='korrekt häst batteri häftklammer' run restore --db "$P" --passphrase-stdin "$TMP/pass.backup"
expect "restore with the passphrase" 0 'authenticates and its audit trail verifies'
is "... row counts equal the source's" "$(counts "$P")" "$(counts "$DEMO")"

od -An -vtx1 -N32 /dev/urandom | tr -d ' \n' >"$TMP/sign.key"
echo >>"$TMP/sign.key"
run backup --db "$DEMO" --sign-key "$TMP/sign.key" "$TMP/signed.backup"
expect "a signed backup prints its verify key" 0 '^Signed; its verify key is [0-9a-f]{64}\.$'
sed -n 's/^Signed; its verify key is \([0-9a-f]*\)\.$/\1/p' <<<"$OUT" >"$TMP/verify.key"
S=$(newdb signed)
run restore --db "$S" --verify-key "$TMP/verify.key" "$TMP/signed.backup"
expect "restore --verify-key checks the signature" 0 'its signature verifies and its audit trail verifies'
run restore --db "$T" --verify-key "$TMP/verify.key" "$TMP/demo.backup"
expect "restore --verify-key of an unsigned backup is refused" 1 '' 'is not signed, and a verify key was given'
check "... and the target was not touched" untouched "$T"
run restore --db "$T" --verify-key "$TMP/other.key" "$TMP/signed.backup"
expect "restore with another verify key is refused" 1 '' 'signature does not verify with the verify key given'
check "... and the target was not touched" untouched "$T"

mkdir -m 700 "$TMP/kept"
for d in 20200101 20200102 20200103; do
	printf 'VARNSEAL\001\001' >"$TMP/kept/varn-${d}T000000Z.varnbackup"
done
echo note >"$TMP/kept/notes.txt"
run backup --db "$DEMO" --dir "$TMP/kept" --keep 2
expect "backup --dir --keep 2" 0 '^varn-[0-9]{8}T[0-9]{6}Z\.varnbackup written, 2 older removed \(2 kept\)$'
is "... two of its backups are kept" "$(find "$TMP/kept" -name 'varn-*.varnbackup' | wc -l)" 2
check "... the new one and the newest old one" test -e "$TMP/kept/varn-20200103T000000Z.varnbackup"
check "... and another file is left alone" test -e "$TMP/kept/notes.txt"
run backup --db "$DEMO" --keep 2 "$TMP/x.backup"
expect "--keep without --dir: exit 2" 2 '' 'goes with --dir'

run restore --db "$DEMO" "$TMP/demo.backup"
expect "restore into a database with data is refused" 1 '' 'not empty|empty'

run restore --db "$(newdb none)" "$TMP/no-such.backup"
expect "restore of a missing file: exit 1" 1 '' 'no backup file'

RESTORED=$(newdb restored)
run restore --db "$RESTORED" "$TMP/demo.backup"
expect "restore into a new database, chain verified" 0 'chain intact'
is "restored row counts equal the source's" "$(counts "$RESTORED")" "$(counts "$DEMO")"
run audit verify --db "$RESTORED"
expect "audit verify on the restored database" 0 'chain intact'

run org add --db "$RESTORED" --slug efter-aterlasning --name "Efter återläsning" --kind bolag
expect "the restored database takes new records (ids continue)" 0 'Created organisation'
run audit verify --db "$RESTORED"
expect "... and its chain stays intact" 0 'chain intact'

# The head kept elsewhere: rewriting the newest events together with the
# head row leaves a consistent chain, which only a head recorded earlier
# outside the database can show.
HEAD=$("$VARN" audit head --db "$RESTORED")
is "audit head prints SEQ:HASH" "$(printf '%s\n' "$HEAD" | grep -cE '^[0-9]+:[0-9a-f]{64}$')" 1
run audit verify --db "$RESTORED" --expect "$HEAD"
expect "audit verify --expect the current head: intact, and it says so" 0 'is in the chain'
run audit head --db "$RESTORED" --append "$TMP/heads.txt"
expect "audit head --append writes quietly" 0
is "... a line TIME SEQ:HASH" "$(grep -cE "^20[0-9-]+T[0-9:]+Z $HEAD\$" "$TMP/heads.txt")" 1
run org add --db "$RESTORED" --slug efter-huvudet --name "Efter huvudet" --kind bolag
run audit verify --db "$RESTORED" --expect "$HEAD"
expect "an earlier head stays in the chain as events are added" 0 'is in the chain'
SEQ=${HEAD%%:*}
sql "$RESTORED" "DELETE FROM audit_event WHERE seq >= $SEQ" >/dev/null
sql "$RESTORED" "UPDATE audit_head SET seq = $((SEQ - 1)), hash = (SELECT hash FROM audit_event WHERE seq = $((SEQ - 1))) WHERE id = 1" >/dev/null
run audit verify --db "$RESTORED"
expect "the newest events removed with the head moved back: the chain alone looks intact" 0 'chain intact'
run audit verify --db "$RESTORED" --expect "$HEAD"
expect "... but not against the head kept elsewhere (exit 1)" 1 '' 'newer events have been removed'
run audit verify --db "$RESTORED" --expect "$((SEQ - 1)):0000000000000000000000000000000000000000000000000000000000000001"
expect "a head whose hash differs at its event: exit 1" 1 '' 'is not the one of the head kept elsewhere'
run audit verify --db "$RESTORED" --expect "not-a-head"
expect "an --expect that is no head: exit 1, saying what it takes" 1 '' 'takes SEQ:HASH'

sql "$RESTORED" "UPDATE audit_event SET summary = 'ändrad' WHERE seq = 5" >/dev/null
run audit verify --db "$RESTORED"
expect "audit verify finds an altered event (exit 1, message)" 1 '' 'event 5 has been altered'

# A backup taken of a tampered database carries a consistent manifest, so
# only the audit chain can catch it: restore checks it before committing.
run backup --db "$RESTORED" "$TMP/tampered.backup"
expect "a tampered database can still be backed up" 0 'Backup written'
TARGET=$(newdb tampered_target)
run restore --db "$TARGET" "$TMP/tampered.backup"
expect "restoring it is refused because the chain is broken" 1 'event 5 has been altered' 'nothing was restored'
is "... and nothing was restored" "$(sql "$TARGET" "SELECT count(*) FROM organisation")" "0"

# ---- serving ----

if ! command -v curl >/dev/null; then
	for t in "serve announces its address" "/healthz" "/api/v1/me with the CLI's token" \
		"/api/v1/me without a token" "a second server on the same port fails" \
		"X-Forwarded-For from the trusted proxy" "X-Forwarded-For from another peer" \
		"Forwarded from the trusted proxy" "a failed sign-in through the proxy" \
		"a bad --trusted-proxy" "SIGTERM stops the server cleanly" "the key file is private"; do
		skip "$t" "curl not installed"
	done
else
	KEY=$TMP/serve.key
	"$VARN" serve --db "$DEMO" --listen 127.0.0.1:0 --threads 2 --key "$KEY" \
		--trusted-proxy 127.0.0.1 >"$TMP/serve.out" 2>"$TMP/serve.err" </dev/null &
	SERVER_PID=$!
	URL=
	for _ in $(seq 1 100); do
		URL=$(sed -n 's/^varn: serving on //p' "$TMP/serve.out")
		[ -n "$URL" ] && break
		kill -0 "$SERVER_PID" 2>/dev/null || break
		sleep 0.1
	done
	if [ -n "$URL" ]; then ok "serve announces its address ($URL)"; else
		not_ok "serve announces its address" "$(cat "$TMP/serve.err")"
	fi
	is "/healthz answers 200" \
		"$(curl -s -o /dev/null -w '%{http_code}' "$URL/healthz")" 200
	curl -s -o "$TMP/me.json" -w '%{http_code}' -H "Authorization: Bearer $TOKEN" \
		"$URL/api/v1/me" >"$TMP/me.code"
	if [ "$(cat "$TMP/me.code")" = 200 ] && grep -q '"email":"samordnare@exempelstad.se"' "$TMP/me.json" &&
		grep -q '"slug":"exempelstad"' "$TMP/me.json" && ! grep -q '"slug":"grannby"' "$TMP/me.json"; then
		ok "/api/v1/me with the CLI's token: 200, the coordinator in the token's organisation only"
	else
		not_ok "/api/v1/me with the CLI's token" "status $(cat "$TMP/me.code")" "$(head -c 600 "$TMP/me.json")"
	fi
	is "/api/v1/me without a token: 401" \
		"$(curl -s -o /dev/null -w '%{http_code}' "$URL/api/v1/me")" 401
	# The audit trail records the client a trusted proxy names, and the
	# peer itself when any other peer (127.0.0.2, also loopback) sends
	# the header.
	for from in 127.0.0.1 127.0.0.2; do
		curl -s -o /dev/null --interface "$from" -H "Authorization: Bearer $TOKEN" \
			-H 'Content-Type: application/json' -H 'X-Forwarded-For: 203.0.113.7' \
			-d "{\"name\":\"Via $from\",\"kind\":\"forvaltning\"}" \
			"$URL/api/v1/orgs/exempelstad/units"
		sql "$DEMO" "SELECT ip FROM audit_event WHERE action = 'create' ORDER BY seq DESC LIMIT 1" >"$TMP/ip.$from"
	done
	is "X-Forwarded-For from the trusted proxy: the audit trail has the client" \
		"$(cat "$TMP/ip.127.0.0.1")" 203.0.113.7
	is "X-Forwarded-For from another peer is ignored: the audit trail has the peer" \
		"$(cat "$TMP/ip.127.0.0.2")" 127.0.0.2
	# RFC 7239 Forwarded, as nginx or Apache can be told to send it
	curl -s -o /dev/null --interface 127.0.0.1 -H "Authorization: Bearer $TOKEN" \
		-H 'Content-Type: application/json' -H 'Forwarded: for="[2001:db8::77]:4711";proto=https' \
		-d '{"name":"Via Forwarded","kind":"forvaltning"}' \
		"$URL/api/v1/orgs/exempelstad/units"
	is "Forwarded from the trusted proxy: the audit trail has the client" \
		"$(sql "$DEMO" "SELECT ip FROM audit_event WHERE action = 'create' ORDER BY seq DESC LIMIT 1")" 2001:db8::77
	# the sign-in form through the proxy: the failure is the client's
	PRE=abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ
	curl -s -o /dev/null --interface 127.0.0.1 -H 'X-Forwarded-For: 198.51.100.23' \
		-H "Origin: $URL" -b "varn_pre=$PRE" \
		--data-urlencode "pre=$PRE" --data-urlencode 'email=samordnare@exempelstad.se' \
		--data-urlencode 'password=wrong-password-here' "$URL/logga-in"
	is "a failed sign-in through the proxy: the security log has the client's address" \
		"$(sql "$DEMO" "SELECT ip FROM audit_event WHERE action = 'signin_failed' ORDER BY seq DESC LIMIT 1")" 198.51.100.23
	run serve --db "$DEMO" --listen "${URL#http://}" --key "$KEY"
	expect "a second server on the same port fails (exit 1)" 1
	run serve --db "$DEMO" --listen 127.0.0.1:0 --key "$KEY" --trusted-proxy 127.0.0.1,proxy.example
	expect "a bad --trusted-proxy: exit 1, naming the item" 1 '' '"proxy.example" is not a numeric address'
	kill -TERM "$SERVER_PID"
	wait "$SERVER_PID"
	rc=$?
	SERVER_PID=
	is "SIGTERM stops the server cleanly (exit 0)" "$rc" 0
	is "the key file is private (0600)" "$(stat -c %a "$KEY")" 600
fi

if [ -z "$PG" ]; then
	# serve's default key file sits beside a SQLite database
	"$VARN" serve --db "$PLAIN" --listen 127.0.0.1:0 >"$TMP/serve2.out" 2>&1 </dev/null &
	SERVER_PID=$!
	for _ in $(seq 1 100); do
		grep -q 'serving on' "$TMP/serve2.out" && break
		sleep 0.1
	done
	kill -TERM "$SERVER_PID"
	wait "$SERVER_PID"
	SERVER_PID=
	check "serve's default key file is PATH.key beside the database" test -s "$TMP/plain.db.key"
fi

echo "1..$n"
[ "$nfail" -eq 0 ]
