#!/bin/sh
# fuzz.sh - builds each fuzz target with libFuzzer and runs it on its corpus.
#
#   scripts/fuzz.sh                 every target, $FUZZ_SECONDS (60) each
#   FUZZ_SECONDS=600 scripts/fuzz.sh fuzz_csv
#
# Targets are built with clang -fsanitize=fuzzer,address,undefined into
# build-fuzz/.  New inputs libFuzzer finds go to build-fuzz/corpus/NAME (the
# checked-in seeds in tests/fuzz/corpus/NAME are only read); copy the small,
# interesting ones into the seeds by hand.  Crashes are written to
# build-fuzz/artifacts/ and make the script fail; replay one with
# build-fuzz/NAME build-fuzz/artifacts/crash-...
set -eu
cd "$(dirname "$0")/.."

CC=${CC_FUZZ:-clang}
OUT=build-fuzz
SECONDS_EACH=${FUZZ_SECONDS:-60}
CFLAGS="-std=gnu11 -g -O1 -fno-omit-frame-pointer -D_GNU_SOURCE
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined
	-Isrc -Itests"
PARSE_SRC="src/base/buf.c src/base/arena.c src/base/utf8.c src/base/clock.c
	src/base/util.c src/base/embedded.c src/parse/form.c src/parse/cookie.c
	src/parse/csv.c src/parse/multipart.c"
PARSE_LIBS="$(pkg-config --libs libsodium) -lpthread"

# The router target needs the whole program but its main(); it is built
# only when its source exists.
ALL_SRC() {
	find src -name '*.c' ! -path src/cli/main.c | sort
}
ALL_LIBS="$(pkg-config --libs libmicrohttpd jansson sqlite3 libpq libsodium \
	liboath 2>/dev/null || true) -lpthread -lm"

targets=${*:-"fuzz_form fuzz_cookie fuzz_csv fuzz_multipart fuzz_router"}
mkdir -p "$OUT/artifacts"
failed=0
for t in $targets; do
	[ -f "tests/fuzz/$t.c" ] || { echo "fuzz.sh: no tests/fuzz/$t.c, skipped"; continue; }
	case $t in
	fuzz_router)
		# the whole program needs the generated C files (migrations,
		# assets): take them from the ordinary build
		[ -f build/build.ninja ] || meson setup build >/dev/null
		ninja -C build >/dev/null
		src="$(ALL_SRC) build/src/db/migrations_sqlite.c build/src/db/migrations_pg.c build/src/web/web_assets.c"
		libs="$(pkg-config --cflags libmicrohttpd jansson sqlite3 libpq libsodium liboath) $ALL_LIBS" ;;
	*) src=$PARSE_SRC; libs=$PARSE_LIBS ;;
	esac
	echo "== building $t"
	# shellcheck disable=SC2086 # word splitting of the lists is wanted
	$CC $CFLAGS "tests/fuzz/$t.c" $src $libs -o "$OUT/$t"
	mkdir -p "$OUT/corpus/$t" "tests/fuzz/corpus/$t"
	echo "== running $t for ${SECONDS_EACH}s"
	if ! "$OUT/$t" -max_total_time="$SECONDS_EACH" -max_len=4096 \
		-timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
		-artifact_prefix="$OUT/artifacts/$t-" \
		"$OUT/corpus/$t" "tests/fuzz/corpus/$t"; then
		echo "fuzz.sh: $t FAILED (see $OUT/artifacts/)"
		failed=1
	fi
done
exit $failed
