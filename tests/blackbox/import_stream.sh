#!/usr/bin/env bash
# import_stream.sh - `varn import` of a long file (issue 14): the file is
# read a row at a time, so the command's peak memory is the same for ten
# times the rows; one bad row at the very end imports nothing and is named
# with its line; every problem is counted, the first 100 printed.
#
#   VARN=build/varn bash tests/blackbox/import_stream.sh                SQLite
#   VARN=build/varn VARN_TEST_DB=postgresql://... bash ...               PostgreSQL
#
# 5,000 and 50,000 people on SQLite; 500 and 5,000 on PostgreSQL (each
# row is a few round trips to the server there).  Peak memory is measured
# by /usr/bin/time (%M, the maximum resident set); the rates are printed
# as "# ..." diagnostics, not thresholds.  Prints TAP.
set -u

BB_NAME=imps
# shellcheck source=tests/blackbox/lib.bash
source "$(dirname "$0")/lib.bash"

if [ -n "$PG" ]; then
	SMALL=${VARN_IMPORT_SMALL:-500} LARGE=${VARN_IMPORT_LARGE:-5000}
else
	SMALL=${VARN_IMPORT_SMALL:-5000} LARGE=${VARN_IMPORT_LARGE:-50000}
fi

if [ ! -x /usr/bin/time ]; then
	skip "peak memory of varn import" "no /usr/bin/time"
	echo "1..$n"
	exit 0
fi

# people N [BAD]: a file of N people, half of them in a unit named by its
# name; with BAD, the last row names a unit that does not exist
people() {
	printf '\357\273\277Namn;E-postadress;Enhet;Anställning\r\n'
	awk -v n="$1" -v bad="${2:-}" 'BEGIN {
		for (i = 1; i <= n; i++) {
			unit = i % 2 ? "Socialförvaltningen" : ""
			if (bad != "" && i == n)
				unit = "Finns inte"
			printf "Åsa Öberg-Ärlig nr %d;asa.oberg.%d@alfa.se;%s;Anställd\r\n", i, i, unit
		}
	}'
}

# timed NAME ARGS...: runs varn under /usr/bin/time; leaves RC, OUT, ERR,
# KB (peak resident memory) and SECS
timed() {
	local name=$1
	shift
	/usr/bin/time -f '%M %e' -o "$TMP/$name.time" "$VARN" "$@" >"$TMP/out" 2>"$TMP/err" </dev/null
	RC=$?
	OUT=$(cat "$TMP/out")
	ERR=$(cat "$TMP/err")
	# (after "Command exited with non-zero status N" when it failed)
	read -r KB SECS < <(tail -n 1 "$TMP/$name.time")
}

setup() { # DB
	run init --db "$1"
	run org add --db "$1" --slug alfa --name "Alfa kommun" --kind kommun
	printf 'Namn;Typ\r\nSocialförvaltningen;Förvaltning\r\n' >"$TMP/units.csv"
	run import --db "$1" --org alfa --register units "$TMP/units.csv"
	expect "a unit to name" 0 '^Imported 1 rows'
}

people "$SMALL" >"$TMP/small.csv"
people "$LARGE" >"$TMP/large.csv"
check "the file header reads as the import expects" grep -q '^.*Namn;E-postadress;Enhet;Anställning' "$TMP/small.csv"

SMALL_DB=$(newdb small)
LARGE_DB=$(newdb large)
setup "$SMALL_DB"
setup "$LARGE_DB"

timed small import --db "$SMALL_DB" --org alfa --register people "$TMP/small.csv"
expect "varn import of $SMALL people" 0 "^Imported $SMALL rows"
small_kb=$KB
echo "# $SMALL people: $SECS s, peak $KB KiB, $(awk -v n="$SMALL" -v s="$SECS" 'BEGIN { printf "%.0f", (s > 0 ? n / s : 0) }') rows/s"

timed large import --db "$LARGE_DB" --org alfa --register people "$TMP/large.csv"
expect "varn import of $LARGE people" 0 "^Imported $LARGE rows"
large_kb=$KB
echo "# $LARGE people: $SECS s, peak $KB KiB, $(awk -v n="$LARGE" -v s="$SECS" 'BEGIN { printf "%.0f", (s > 0 ? n / s : 0) }') rows/s"

is "every row is in the register" "$(sql "$LARGE_DB" "SELECT count(*) FROM person")" "$LARGE"
is "half of them in the unit, named by its name" \
	"$(sql "$LARGE_DB" "SELECT count(*) FROM person p JOIN unit u ON u.id = p.unit_id")" $(((LARGE + 1) / 2))
is "the last row arrived whole, å, ä and ö intact" \
	"$(sql "$LARGE_DB" "SELECT email FROM person WHERE name = 'Åsa Öberg-Ärlig nr $LARGE'")" "asa.oberg.$LARGE@alfa.se"
is "each person has its audit event" \
	"$(sql "$LARGE_DB" "SELECT count(*) FROM audit_event WHERE action = 'create' AND entity = 'people'")" "$LARGE"
is "and the file one import event" \
	"$(sql "$LARGE_DB" "SELECT summary FROM audit_event WHERE action = 'import' AND entity = 'people'")" "$LARGE"
check "not on a terminal, progress is a line per 100,000 rows and one at the end, with the rate" \
	grep -Eq "^importing: $LARGE/$LARGE rows, [0-9]+ rows/s$" "$TMP/err"
is "and no other" "$(grep -c '^importing:' "$TMP/err")" 1
run audit verify --db "$LARGE_DB"
expect "the audit trail's chain is intact after it" 0 'chain intact'

# flat: ten times the rows, (nearly) the same memory; before the reader,
# the file, its rows and every row's work stayed in memory to the end
if [ "$large_kb" -lt $((small_kb * 3 / 2)) ]; then
	ok "peak memory is flat: $LARGE rows $large_kb KiB, $SMALL rows $small_kb KiB (< 1.5x)"
else
	not_ok "peak memory is flat" "$LARGE rows: $large_kb KiB" "$SMALL rows: $small_kb KiB (wanted < 1.5x)"
fi

# ---- one bad row at the end: nothing is imported ----

BAD_ROWS=$SMALL
people "$BAD_ROWS" bad >"$TMP/bad.csv"
timed bad import --db "$LARGE_DB" --org alfa --register people "$TMP/bad.csv"
expect "a file whose last row is bad fails (exit 1)" 1 '' 'nothing was imported: 1 problem'
check "naming its line, the column and the value" \
	grep -q "^line $((BAD_ROWS + 1)): Enhet: \"Finns inte\" finns inte bland Enheter" "$TMP/err"
is "and no other line" "$(grep -c '^line ' "$TMP/err")" 1
is "nothing was saved, not even the $((BAD_ROWS - 1)) good rows" \
	"$(sql "$LARGE_DB" "SELECT count(*) FROM person")" "$LARGE"
echo "# $BAD_ROWS rows with the last bad: $SECS s, peak $KB KiB"

# ---- many problems: all counted, the first 100 printed ----

awk 'BEGIN {
	printf "Namn;Anställning\r\n"
	for (i = 1; i <= 250; i++)
		printf "Person %d;%s\r\n", i, i % 2 ? "Anställd" : "Konsult"
}' >"$TMP/many.csv"
run import --db "$SMALL_DB" --org alfa --register people "$TMP/many.csv"
expect "a file with 125 bad rows fails" 1 '' 'nothing was imported: 125 problem'
is "the first 100 are printed" "$(grep -c '^line [0-9]*: Anställning: "Konsult"' "$TMP/err")" 100
check "and the rest counted" grep -q '^and 25 more problem(s)$' "$TMP/err"
check "the first being line 3" grep -q '^line 3: ' "$TMP/err"

# ---- the file's syntax is checked before anything is written ----

{ people 300; printf 'Sist;"ett öppet citat\r\n'; } >"$TMP/syntax.csv"
run import --db "$SMALL_DB" --org alfa --register people "$TMP/syntax.csv"
expect "a quote never closed on the last line fails" 1 '' '^line 302: '
is "nothing was saved" "$(sql "$SMALL_DB" "SELECT count(*) FROM person")" "$SMALL"
is "no row was tried: no progress line" "$(grep -c '^importing:' "$TMP/err")" 0

# ---- on a terminal: one line, redrawn ----

if command -v script >/dev/null; then
	awk 'BEGIN { printf "Namn;Anställning\r\n"; for (i = 1; i <= 200; i++) printf "Terminal %d;Anställd\r\n", i }' >"$TMP/tty.csv"
	script -qec "'$VARN' import --db '$SMALL_DB' --org alfa --register people '$TMP/tty.csv'" /dev/null \
		</dev/null >"$TMP/tty.out" 2>&1
	is "on a terminal the import runs too" "$(sql "$SMALL_DB" "SELECT count(*) FROM person WHERE name LIKE 'Terminal %'")" 200
	check "its progress is a line redrawn in place (CR), ending at 100 %" \
		grep -q $'\rimporting: 200/200 rows (100 %), [0-9]* rows/s' "$TMP/tty.out"
else
	skip "progress on a terminal" "no script(1)"
fi

echo "1..$n"
[ "$nfail" -eq 0 ]
