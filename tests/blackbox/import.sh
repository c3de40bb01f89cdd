#!/usr/bin/env bash
# import.sh - black-box tests of moving data in and out with the built varn
# command: `varn import` of 2,000 systems (timed; the figure is printed as
# a "# import of 2000 systems: X.XX s" diagnostic, not a threshold), its
# progress lines, all-or-nothing with the bad line named, `varn export` as
# CSV and as a real XLSX workbook, and the KLASSA export/import round trip.
#
#   VARN=build/varn bash tests/blackbox/import.sh                  SQLite
#   VARN=build/varn VARN_TEST_DB=postgresql://... bash ...           PostgreSQL
#
# Prints TAP.
set -u

BB_NAME=imp
# shellcheck source=tests/blackbox/lib.bash
source "$(dirname "$0")/lib.bash"

DB=$(newdb main)
run init --db "$DB"
expect "a new database" 0
run org add --db "$DB" --slug alfa --name "Alfa kommun" --kind kommun
expect "an organisation" 0

# ---- units, then 2,000 systems that name them ----

printf 'Namn;Typ;Kod\r\nSocialförvaltningen;Förvaltning;SOC\r\nSkolförvaltningen;Förvaltning;SKO\r\nMiljö- och byggförvaltningen;forvaltning;MBF\r\n' >"$TMP/units.csv"
run import --db "$DB" --org alfa --register units "$TMP/units.csv"
expect "varn import of three units" 0 '^Imported 3 rows'

awk 'BEGIN {
	print "Namn;Enhet;Drift;Livscykel;Personuppgifter;Leverantör"
	split("Socialförvaltningen,Skolförvaltningen,Miljö- och byggförvaltningen,", unit, ",")
	for (i = 1; i <= 2000; i++)
		printf "Verksamhetssystem för äldreomsorg och skola nr %d;%s;Egen drift;I drift;Inga personuppgifter;Leverantör Å%d\r\n", i, unit[i % 4 + 1], i % 17
}' >"$TMP/systems.csv"
start=$(date +%s.%N)
run import --db "$DB" --org alfa --register systems "$TMP/systems.csv"
end=$(date +%s.%N)
echo "# import of 2000 systems: $(awk -v s="$start" -v e="$end" 'BEGIN { printf "%.2f", e - s }') s"
expect "varn import of 2,000 systems" 0 '^Imported 2000 rows'
is "2,000 systems are in the register" "$(sql "$DB" "SELECT count(*) FROM it_system")" 2000
is "three in four name a unit, resolved by name" \
	"$(sql "$DB" "SELECT count(*) FROM it_system s JOIN unit u ON u.id = s.unit_id")" 1500
is "names with å, ä and ö arrive intact" \
	"$(sql "$DB" "SELECT count(*) FROM it_system WHERE name = 'Verksamhetssystem för äldreomsorg och skola nr 1999'")" 1
# not a terminal: a line per 100,000 rows and one at the end, no more
is "progress, not on a terminal, is one line at the end" "$(grep -c '^importing: ' <<<"$ERR")" 1
check "with the rows and the rate" grep -Eq '^importing: 2000/2000 rows, [0-9]+ rows/s$' "$TMP/err"
is "each system has its audit event" \
	"$(sql "$DB" "SELECT count(*) FROM audit_event WHERE action = 'create' AND entity = 'systems'")" 2000

# ---- all or nothing ----

printf 'Namn;Enhet;Drift;Livscykel;Personuppgifter\r\nEtt bra system;;Egen drift;I drift;Inga personuppgifter\r\nEtt dåligt system;Finns inte;Egen drift;I drift;Inga personuppgifter\r\nÄnnu ett bra;Skolförvaltningen;Egen drift;I drift;Inga personuppgifter\r\n' >"$TMP/bad.csv"
run import --db "$DB" --org alfa --register systems "$TMP/bad.csv"
expect "a file with one bad row fails (exit 1)" 1 '' 'nothing was imported'
check "naming the line, the column and the value in Swedish" grep -q '^line 3: Enhet: "Finns inte" finns inte bland Enheter' "$TMP/err"
check "and the same structured: field, value, allowed" grep -q 'line 3: .*\[field=unit_id value="Finns inte" allowed="Enheter"\]$' "$TMP/err"
is "and no other line" "$(grep -c '^line ' "$TMP/err")" 1
is "nothing was saved, not even the good rows" "$(sql "$DB" "SELECT count(*) FROM it_system")" 2000

printf 'Namn;Hemlig kolumn\r\nX;y\r\n' >"$TMP/cols.csv"
run import --db "$DB" --org alfa --register systems "$TMP/cols.csv"
expect "an unknown column is refused" 1 '' 'line 1: Hemlig kolumn: Okänd kolumn'
run import --db "$DB" --org alfa --register nosuch "$TMP/cols.csv"
expect "an unknown register is a usage error (exit 2)" 2 '' "no register 'nosuch'"
run import --db "$DB" --org alfa --register systems "$TMP/missing.csv"
expect "a missing file fails (exit 1)" 1 '' 'cannot read'
run import --db "$DB" --org nosuch --register systems "$TMP/bad.csv"
expect "an unknown organisation fails (exit 1)" 1 '' 'no organisation'

# ---- export ----

run export --db "$DB" --org alfa --register systems --format xlsx "$TMP/systems.xlsx"
expect "varn export --format xlsx" 0 '^Wrote 2000 systems'
check "writes a ZIP with the worksheet" sh -c "unzip -l '$TMP/systems.xlsx' | grep -q 'xl/worksheets/sheet1.xml'"
# the rows are written as they come (constant memory): text inline in them
check "with the systems' names in it" sh -c "unzip -p '$TMP/systems.xlsx' xl/worksheets/sheet1.xml | grep -q 'äldreomsorg och skola nr 1999<'"
check "under Swedish headers" sh -c "unzip -p '$TMP/systems.xlsx' xl/worksheets/sheet1.xml | grep -q '<t>Livscykel</t>'"
# python3's zipfile and XML parser read it as a spreadsheet program would
if command -v python3 >/dev/null; then
	check "a well-formed workbook: every part parses, the header and 2,000 rows, the names as text" \
		python3 - "$TMP/systems.xlsx" <<'PY'
import sys, zipfile, xml.etree.ElementTree as ET
ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
z = zipfile.ZipFile(sys.argv[1])
assert z.testzip() is None
for name in z.namelist():
    if name.endswith(".xml") or name.endswith(".rels"):
        ET.fromstring(z.read(name))
sheet = ET.fromstring(z.read("xl/worksheets/sheet1.xml"))
rows = sheet.findall(".//m:sheetData/m:row", ns)
assert len(rows) == 2001, len(rows)
first = rows[1].findall("m:c", ns)
assert first[0].get("t") is None and first[0].find("m:v", ns) is not None  # the id: a number
assert first[1].get("t") == "inlineStr"  # the name: text
PY
fi
check "with an autofilter" sh -c "unzip -p '$TMP/systems.xlsx' xl/worksheets/sheet1.xml | grep -q '<autoFilter ref=\"A1:'"
run export --db "$DB" --org alfa --register systems "$TMP/systems-out.csv"
expect "varn export as CSV (the default)" 0 '^Wrote 2000 systems'
is "one line per system and the header" "$(wc -l <"$TMP/systems-out.csv")" 2001
run org add --db "$DB" --slug beta --name "Beta kommun" --kind kommun
run import --db "$DB" --org beta --register units "$TMP/units.csv"
run import --db "$DB" --org beta --register systems "$TMP/systems-out.csv"
expect "the exported CSV imports back (references by name)" 0 '^Imported 2000 rows'
run export --db "$DB" --org alfa --register systems --format pdf "$TMP/x.pdf"
expect "an unknown format is a usage error (exit 2)" 2 '' 'csv or xlsx'

# ---- KLASSA ----

printf 'Namn;Informationstyp\r\nElevakter;Akt\r\nLöner;Register\r\nÖppna data;Publik\r\nOklassad mängd;\r\n' >"$TMP/info.csv"
run import --db "$DB" --org alfa --register information "$TMP/info.csv"
expect "information sets are imported" 0 '^Imported 4 rows'
cat >"$TMP/klassa.csv" <<'EOF'
System;Informationsmängd;K;R;T;S;Datum;Krav
Verksamhetssystem för äldreomsorg och skola nr 1;Elevakter;3;2;3;1;2025-01-10;Kravtext som aldrig läses
Verksamhetssystem för äldreomsorg och skola nr 2;Elevakter;3;2;3;1;2025-01-10;
Verksamhetssystem för äldreomsorg och skola nr 2;Löner;2;3;1;2;2025-02-11;
;Öppna data;0;1;1;0;2025-03-12;
EOF
run import --db "$DB" --org alfa --register klassa "$TMP/klassa.csv"
expect "a KLASSA file is imported" 0 '3 new classifications, 3 new links, 0 lines unchanged'
is "the systems' levels are derived from it" \
	"$(sql "$DB" "SELECT level_k, level_r, level_t, level_s, business_critical FROM it_system WHERE name = 'Verksamhetssystem för äldreomsorg och skola nr 2' AND org_id = (SELECT id FROM organisation WHERE slug = 'alfa')")" '3|3|3|2|1'
is "no requirement text is stored" "$(sql "$DB" "SELECT count(*) FROM classification WHERE reason_k IS NOT NULL OR decision IS NOT NULL")" 0
run export --db "$DB" --org alfa --register klassa "$TMP/klassa-out.csv"
expect "the KLASSA file is exported" 0 'KLASSA file'
check "with its lines" grep -q '^Verksamhetssystem för äldreomsorg och skola nr 2;Löner;2;3;1;2;2025-02-11' "$TMP/klassa-out.csv"
check "and unclassified information without levels" grep -q '^;Oklassad mängd;;;;;' "$TMP/klassa-out.csv"
run import --db "$DB" --org alfa --register klassa "$TMP/klassa-out.csv"
expect "the exported file imports back, changing nothing" 0 '0 new classifications, 0 new links'
run export --db "$DB" --org alfa --register klassa "$TMP/klassa-again.csv"
check "and exports the same again" cmp -s "$TMP/klassa-out.csv" "$TMP/klassa-again.csv"
printf 'System;Informationsmängd;K;R;T;S\r\nFinns inte;Elevakter;3;2;3;1\r\n' >"$TMP/klassa-bad.csv"
run import --db "$DB" --org alfa --register klassa "$TMP/klassa-bad.csv"
expect "a KLASSA file with an unknown system fails" 1 '' '^line 2: System: Det finns inget system'
run export --db "$DB" --org alfa --register klassa --format xlsx "$TMP/k.xlsx"
expect "KLASSA is CSV only (exit 2)" 2

# ---- a catalogue of measures (issue 9) ----

cat >"$TMP/cat.json" <<'JSON'
{"catalogue": "prov", "version": "1", "title_sv": "Provkatalog", "measures": [
 {"code": "PRV-01", "area": "operations", "type": "technical", "scope": "system",
  "levels": {"t": 0}, "title_sv": "Säkerhetskopior tas och återläsning prövas"},
 {"code": "PRV-02", "area": "governance", "type": "organisational", "scope": "organisation",
  "levels": {"k": 0}, "title_sv": "Policy antagen"}]}
JSON
start=$(date +%s.%N)
run import --db "$DB" --org alfa --register measure-catalogue "$TMP/cat.json"
end=$(date +%s.%N)
echo "# a catalogue loaded for $(sql "$DB" "SELECT count(*) FROM it_system WHERE archived = 0 AND org_id = (SELECT id FROM organisation WHERE slug = 'alfa')") systems: $(awk -v s="$start" -v e="$end" 'BEGIN { printf "%.2f", e - s }') s"
expect "a catalogue of measures is imported" 0 'prov 1, 2 measures: 2 new, 0 changed, 0 removed'
is "every live system needs the system measure" \
	"$(sql "$DB" "SELECT count(*) FROM measure_assessment a JOIN it_system s ON s.id = a.system_id WHERE a.required = 1 AND s.archived = 0")" \
	"$(sql "$DB" "SELECT count(*) FROM it_system WHERE archived = 0 AND org_id = (SELECT id FROM organisation WHERE slug = 'alfa')")"
is "and the organisation the organisation-wide one" \
	"$(sql "$DB" "SELECT count(*) FROM measure_assessment WHERE system_id IS NULL")" 1
run export --db "$DB" --org alfa --register measure-catalogue "$TMP/cat-out.json"
expect "the catalogue is exported" 0 'Wrote the'
run import --db "$DB" --org alfa --register measure-catalogue "$TMP/cat-out.json"
expect "and imports back, changing nothing" 0 '0 new, 0 changed, 0 removed'
printf '{"catalogue": "prov", "version": "2", "title_sv": "X", "measures": [{"code": "PRV-01"}]}' >"$TMP/cat-bad.json"
run import --db "$DB" --org alfa --register measure-catalogue "$TMP/cat-bad.json"
expect "a catalogue with a broken measure fails, saying which" 1 '' 'PRV-01 saknar titel'

# documents: the register's PDF from the command line (issue 8)
start=$(date +%s.%N)
run export --db "$DB" --org alfa --document system-register --format pdf "$TMP/reg.pdf"
end=$(date +%s.%N)
echo "# the register of $(sql "$DB" "SELECT count(*) FROM it_system WHERE archived = 0 AND org_id = (SELECT id FROM organisation WHERE slug = 'alfa')") systems as PDF: $(awk -v s="$start" -v e="$end" 'BEGIN { printf "%.2f", e - s }') s, $(wc -c <"$TMP/reg.pdf") bytes"
expect "the system register is written as a PDF" 0 'Wrote system-register of alfa'
check "a whole PDF file" sh -c "head -c 5 '$TMP/reg.pdf' | grep -q '%PDF-' && tail -c 7 '$TMP/reg.pdf' | grep -q '%%EOF'"
if command -v pdftotext >/dev/null; then
	pdftotext -enc UTF-8 "$TMP/reg.pdf" "$TMP/reg.txt"
	check "with alfa's 2,000 systems in it" sh -c "grep -q 'Verksamhetssystem' '$TMP/reg.txt' && grep -q '^2.00[0-9]$' '$TMP/reg.txt'"
	check "numbered to the last page" grep -Eq 'Sida ([3-9][0-9]|1[0-9][0-9]) av \1' "$TMP/reg.txt"
else
	skip "with alfa's systems in it" "no pdftotext"
fi
check "FILE - writes the PDF to standard output" sh -c "'$VARN' export --db '$DB' --org alfa --document system-register --format pdf - | head -c 5 | grep -q '%PDF-'"
run export --db "$DB" --org alfa --document classification-record --format pdf "$TMP/rec.pdf"
expect "a system's record needs --id (exit 2)" 2 '' 'needs --id'
run export --db "$DB" --org alfa --document nosuch --format pdf "$TMP/x.pdf"
expect "an unknown document is a usage error (exit 2)" 2 '' 'system-register'
run export --db "$DB" --org alfa --document system-register --format csv "$TMP/x.pdf"
expect "a document is PDF only (exit 2)" 2

run audit verify --db "$DB"
expect "the audit trail verifies after it all" 0

echo "1..$n"
[ "$nfail" -eq 0 ]
