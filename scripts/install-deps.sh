#!/usr/bin/env bash
# Installs what Värn needs from Debian (and npm, for the browser tests),
# only what is missing, so that a second run takes a second.
#   scripts/install-deps.sh          what `make run` needs (build + run)
#   scripts/install-deps.sh test     also what `make test` needs
set -euo pipefail
cd "$(dirname "$0")/.."

build_pkgs=(gcc make pkg-config meson ninja-build
	libmicrohttpd-dev libjansson-dev libsqlite3-dev libpq-dev
	libsodium-dev liboath-dev libxlsxwriter-dev
	libcairo2-dev libpango1.0-dev libfontconfig-dev fonts-dejavu-core
	libcurl4-openssl-dev libhyphen-dev hyphen-sv libldap-dev libcjose-dev)
test_pkgs=(postgresql sqlite3 curl unzip chromium clang libclang-rt-14-dev valgrind
	poppler-utils python3-aiosmtpd libxml2-utils slapd ldap-utils openssl)

want=("${build_pkgs[@]}")
if [ "${1:-}" = test ]; then
	want+=("${test_pkgs[@]}")
	command -v node >/dev/null 2>&1 || want+=(nodejs)
	command -v npm >/dev/null 2>&1 || want+=(npm)
fi

missing=()
for p in "${want[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
		missing+=("$p")
done

if [ ${#missing[@]} -gt 0 ]; then
	echo "Installing from Debian: ${missing[*]}"
	SUDO=
	[ "$(id -u)" = 0 ] || SUDO=sudo
	export DEBIAN_FRONTEND=noninteractive
	$SUDO apt-get update -qq
	$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [ "${1:-}" = test ] && [ -f tests/browser/package-lock.json ] &&
	[ ! -d tests/browser/node_modules/playwright-core ]; then
	echo "Installing the browser-test packages from npm (no browser download)"
	(cd tests/browser && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error)
fi
if [ "${1:-}" = test ] && [ -f tests/openapi/package-lock.json ] &&
	[ ! -x tests/openapi/node_modules/.bin/redocly ]; then
	echo "Installing the OpenAPI linter from npm (Redocly CLI)"
	(cd tests/openapi && npm ci --no-audit --no-fund --loglevel=error)
fi
exit 0
