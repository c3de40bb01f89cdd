#!/usr/bin/env bash
# The source check (after curl's checksrc): unsafe string functions, raw
# HTML outside the writer, SQL built from values, system().  TAP output.
set -uo pipefail
cd "$(dirname "$0")/.."
n=0
check() { # description, command that prints offending lines
	local desc=$1; shift
	local hits
	hits=$("$@" 2>/dev/null)
	n=$((n + 1))
	if [ -z "$hits" ]; then
		echo "ok $n - $desc"
	else
		echo "not ok $n - $desc"
		printf '%s\n' "$hits" | head -20 | sed 's/^/#   /'
	fi
}
src_files() { find src tools -name '*.c' -o -name '*.h' | grep -v 'banned.h'; }

check "no strcpy/strcat/sprintf/vsprintf/gets/strtok/strncpy in src" \
	sh -c "src_files() { find src tools -name '*.[ch]' ! -name banned.h; }; grep -nE '\\b(strcpy|strcat|sprintf|vsprintf|gets|strtok|strncpy|strncat)\\s*\\(' \$(src_files) | grep -vE '\\b(snprintf|vsnprintf)\\b.*' "
check "no system() or popen()" \
	sh -c "grep -nE '\\b(system|popen)\\s*\\(' \$(find src -name '*.c')"
check "every .c file in src includes base/base.h first" \
	sh -c "for f in \$(find src -name '*.c'); do first=\$(grep -m1 '^#include' \$f); case \"\$first\" in *'\"base/base.h\"'*) ;; *) echo \"\$f: \$first\";; esac; done"
check "raw HTML only through h_lit with string literals (no buf_puts of markup in web code)" \
	sh -c "grep -nE 'buf_(puts|printf|add)\\([^)]*\"<' src/web src/modules src/api -r"
check "no html output with printf-style raw formatting in pages" \
	sh -c "grep -rnE 'h_lit_\\(' src --include='*.c' | grep -v 'src/web/html.c'"
# html.h: markup comes from string literals only; no type carries it in
# from elsewhere (a safe_html that anyone could mint was removed), and only
# the writer and the page shell that hands it its buffer touch that buffer
check "no other way for raw HTML into a page (no safe_html/h_safe, a writer's buffer h->b only in html.c and layout.c)" \
	sh -c "grep -rnE '\\bsafe_html\\b|\\bh_safe\\b' src; grep -rnE '\\bh(->|\\.)b\\b' src --include='*.c' | grep -vE '^src/web/(html|layout)\\.c:'"
# docs/ARCHITECTURE.md, "Layers": nothing calls a layer above it.  The
# request pipeline (web/app.c, web/router.c) knows neither the pages nor
# the API, which stand on it; only site/ names both (and the CLI, above all)
check "layers: the pipeline includes no page or API header, the API no page header, pages and modules no API, the engine and below nothing above them" \
	sh -c "grep -nE '#include \"(api|site)/|#include \"web/' src/web/app.c src/web/router.c | grep -vE 'web/(app|router)\\.h'; grep -nE '#include \"(site|modules|cli)/|#include \"web/' src/api/*.c | grep -vE 'web/(app|router)\\.h'; grep -rnE '#include \"(api|site|cli)/' src/web src/modules; grep -rnE '#include \"(\\.\\./)?(web|api|site|modules|cli)/' src/core src/db src/http src/parse src/base"
# chart/ (pictures) stands on base/ only: a document or a job draws
# without the engine, the pages or the database; the pages and the core
# may use it, nothing below core
check "layers: chart/ includes only base/ and chart/, and nothing below core includes chart/" \
	sh -c "grep -rnE '#include \"[a-z]+/' src/chart | grep -vE '#include \"(base|chart)/'; grep -rnE '#include \"(\\.\\./)?chart/' src/db src/http src/parse src/base"
# doc/ (documents) stands on base/ and chart/ only: the model and its PDF
# know no engine, page or database; modules fill it, pages and the CLI serve it
check "layers: doc/ includes only base/, chart/ and doc/, and nothing below core includes doc/" \
	sh -c "grep -rnE '#include \"[a-z]+/' src/doc | grep -vE '#include \"(base|chart|doc)/'; grep -rnE '#include \"(\\.\\./)?doc/' src/db src/http src/parse src/base src/chart"
# entity.c and search.c generate their SQL once at start-up from the
# registers' declarations (names from code, values always bound)
check "SQL is never formatted with values (no arena_printf/buf_printf of SELECT/INSERT/UPDATE outside entity.c and search.c)" \
	sh -c "grep -rnE '(arena_printf|buf_printf)\\([^,]*, *\"(SELECT|INSERT|UPDATE|DELETE)' src | grep -v 'src/core/entity.c' | grep -v 'src/core/search.c' | grep -v 'src/db/'"
check "no secrets in log calls (password, token, cookie values)" \
	sh -c "grep -rnE 'log_(info|warn|error)\\(\"[^\"]*\",[^;]*\\b(password|pw|token|cookie|secret|code)\\b' src"
echo "1..$n"
