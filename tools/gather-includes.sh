#!/bin/sh
# gather-includes.sh OUT FILE... - writes OUT with one #include line per
# FILE (absolute paths), for src/core/meson.build's module_messages.def.
out=$1
shift
for f; do
	printf '#include "%s"\n' "$(realpath "$f")"
done > "$out"
