#!/usr/bin/env bash
# The OpenAPI document against a standard linter: Redocly CLI's
# "recommended" rules (npm @redocly/cli, pinned in package.json, installed
# by scripts/install-deps.sh test), so that generated clients work out of
# the box; and every operation described in Swedish.  Prints TAP.
#   VARN=build/varn tests/openapi/lint.sh
set -uo pipefail
cd "$(dirname "$0")"
VARN=${VARN:-../../build/varn}
case $VARN in /*) ;; *) VARN=$PWD/../../${VARN#../../} ;; esac
[ -x "$VARN" ] || VARN=$(cd ../.. && pwd)/build/varn
TMP=$(mktemp -d /tmp/varn-openapi.XXXXXX)
PID=
cleanup() { [ -n "$PID" ] && kill "$PID" 2>/dev/null; rm -rf "$TMP"; }
trap cleanup EXIT

"$VARN" init --db "sqlite:$TMP/v.db" >/dev/null 2>&1
"$VARN" serve --db "sqlite:$TMP/v.db" --listen 127.0.0.1:0 --no-jobs --key "$TMP/k" \
	>"$TMP/serve.out" 2>"$TMP/serve.err" </dev/null &
PID=$!
URL=
for _ in $(seq 1 100); do
	URL=$(sed -n 's/^varn: serving on //p' "$TMP/serve.out")
	[ -n "$URL" ] && break
	sleep 0.1
done
if ! curl -sf -o "$TMP/openapi.json" "$URL/api/v1/openapi.json"; then
	echo "not ok 1 - the document is served"
	exit 1
fi
echo "ok 1 - the document is served"

if [ ! -x node_modules/.bin/redocly ]; then
	echo "not ok 2 - Redocly CLI is installed (scripts/install-deps.sh test)"
	exit 1
fi
REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true NO_COLOR=1 \
	node_modules/.bin/redocly lint --extends recommended --format stylish \
	"$TMP/openapi.json" >"$TMP/lint.out" 2>&1
rc=$?
problems=$(grep -cE '^\s+[0-9]+:[0-9]+\s+(error|warning)' "$TMP/lint.out")
if [ $rc -eq 0 ] && [ "$problems" -eq 0 ]; then
	echo "ok 2 - Redocly's recommended rules: no error, no warning"
else
	echo "not ok 2 - Redocly's recommended rules: $problems problem(s), exit $rc"
	grep -E '(error|warning)' "$TMP/lint.out" | head -20 | sed 's/^/#   /'
fi

node -e '
const d = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
let n = 0, bad = [];
for (const [p, item] of Object.entries(d.paths))
	for (const [m, op] of Object.entries(item)) {
		n++;
		const t = op.description || "";
		if (!/[åäöÅÄÖ]/.test(t) && !/ (och|en|med|per|som|för|den) /.test(t)) bad.push(m.toUpperCase() + " " + p);
	}
console.log((bad.length ? "not ok" : "ok") + " 3 - every operation (" + n + ") has a Swedish description");
for (const b of bad.slice(0, 10)) console.log("#   " + b);
console.log((d.servers && d.servers.length ? "ok" : "not ok") + " 4 - the document names its server");
console.log((d.info.license && d.info.license.name ? "ok" : "not ok") + " 5 - and a licence");
' "$TMP/openapi.json"
echo "1..5"
