#!/bin/sh
# ldap-test-server.sh - a throw-away OpenLDAP server (Debian's slapd) for
# the tests of Active Directory/LDAP sign-in.
#
#   scripts/ldap-test-server.sh start DIR [LDIF]
#       makes DIR (empty or absent) hold a CA, a server certificate for
#       localhost signed by it, a second CA that signed nothing (to prove a
#       wrong CA is refused), a slapd.conf (mdb backend, TLS) and a database
#       loaded with slapadd from LDIF (default: the test tree below); starts
#       slapd on loopback and prints one line:
#           LDAPS_URL LDAP_URL CA_FILE WRONG_CA_FILE
#       e.g. "ldaps://127.0.0.1:41234 ldap://127.0.0.1:41235 DIR/ca.pem DIR/wrong-ca.pem"
#   scripts/ldap-test-server.sh pause DIR    stops slapd, keeps DIR
#   scripts/ldap-test-server.sh resume DIR   starts it again on the same ports
#   scripts/ldap-test-server.sh stop DIR     stops slapd and removes DIR
#
# The suffix is dc=exempelstad,dc=se; the root DN cn=admin,dc=exempelstad,dc=se
# with password "admin-secret" (for ldapmodify in the tests); the service
# account cn=varn-sok,ou=service,dc=exempelstad,dc=se with "sok-secret".
# Users (uid=..., ou=people; password "<uid>-pass-1"):
#   anna     Anna Andersson, anna@exempelstad.se, unit IT, groups varn-admins
#   bertil   Bertil Berg, bertil@exempelstad.se, unit EK, groups varn-handlaggare
#   cecilia  disabled (employeeType: disabled), group varn-admins
#   david    in no mapped group
# Groups (groupOfNames, ou=groups): varn-admins, varn-handlaggare, varn-samordnare.
set -eu

MARK=.varn-ldap-test   # only folders holding this file are ever removed
SUFFIX="dc=exempelstad,dc=se"

die() {
	echo "ldap-test-server: $*" >&2
	exit 1
}

free_port() {
	while :; do
		p=$(od -An -N2 -tu2 /dev/urandom | awk '{ print 20000 + $1 % 40000 }')
		if ! (echo >/dev/tcp/127.0.0.1/"$p") 2>/dev/null; then
			# /dev/tcp is bash-only; under sh the test above always
			# "fails", so also ask ss when it is there.
			if command -v ss >/dev/null && ss -ltn | awk '{print $4}' | grep -q ":$p\$"; then
				continue
			fi
			echo "$p"
			return
		fi
	done
}

certs() {
	d=$1
	openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=Varn test CA" \
		-keyout "$d/ca.key" -out "$d/ca.pem" 2>/dev/null
	openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=Another CA" \
		-keyout "$d/wrong-ca.key" -out "$d/wrong-ca.pem" 2>/dev/null
	openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" \
		-keyout "$d/server.key" -out "$d/server.csr" 2>/dev/null
	printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' >"$d/ext.cnf"
	openssl x509 -req -in "$d/server.csr" -CA "$d/ca.pem" -CAkey "$d/ca.key" \
		-CAcreateserial -days 2 -extfile "$d/ext.cnf" -out "$d/server.pem" 2>/dev/null
	chmod 600 "$d/server.key" "$d/ca.key" "$d/wrong-ca.key"
}

tree() {
	cat <<EOF
dn: $SUFFIX
objectClass: dcObject
objectClass: organization
dc: exempelstad
o: Exempelstad

dn: ou=people,$SUFFIX
objectClass: organizationalUnit
ou: people

dn: ou=groups,$SUFFIX
objectClass: organizationalUnit
ou: groups

dn: ou=service,$SUFFIX
objectClass: organizationalUnit
ou: service

dn: cn=varn-sok,ou=service,$SUFFIX
objectClass: person
cn: varn-sok
sn: sok
userPassword: sok-secret

EOF
	for u in "anna:Anna:Andersson:IT" "bertil:Bertil:Berg:EK" "cecilia:Cecilia:Carlsson:IT" "david:David:Dahl:EK"; do
		uid=${u%%:*}; rest=${u#*:}; given=${rest%%:*}; rest=${rest#*:}; sn=${rest%%:*}; unit=${rest#*:}
		cat <<EOF
dn: uid=$uid,ou=people,$SUFFIX
objectClass: inetOrgPerson
uid: $uid
cn: $given $sn
givenName: $given
sn: $sn
displayName: $given $sn
mail: $uid@exempelstad.se
departmentNumber: $unit
userPassword: $uid-pass-1
EOF
		[ "$uid" = cecilia ] && echo "employeeType: disabled"
		echo
	done
	cat <<EOF
dn: cn=varn-admins,ou=groups,$SUFFIX
objectClass: groupOfNames
cn: varn-admins
member: uid=anna,ou=people,$SUFFIX
member: uid=cecilia,ou=people,$SUFFIX

dn: cn=varn-handlaggare,ou=groups,$SUFFIX
objectClass: groupOfNames
cn: varn-handlaggare
member: uid=bertil,ou=people,$SUFFIX
member: cn=varn-sok,ou=service,$SUFFIX

dn: cn=varn-samordnare,ou=groups,$SUFFIX
objectClass: groupOfNames
cn: varn-samordnare
member: cn=varn-sok,ou=service,$SUFFIX

EOF
}

conf() {
	d=$1
	cat <<EOF
include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/nis.schema
include /etc/ldap/schema/inetorgperson.schema
modulepath /usr/lib/ldap
moduleload back_mdb
pidfile $d/slapd.pid
argsfile $d/slapd.args
TLSCACertificateFile $d/ca.pem
TLSCertificateFile $d/server.pem
TLSCertificateKeyFile $d/server.key
sizelimit 5000
database mdb
maxsize 20971520
suffix "$SUFFIX"
rootdn "cn=admin,$SUFFIX"
rootpw admin-secret
directory $d/db
access to attrs=userPassword by anonymous auth by * none
access to * by users read by * none
EOF
}

run() {
	d=$1
	read -r ldaps ldap <"$d/ports"
	/usr/sbin/slapd -f "$d/slapd.conf" -h "ldaps://127.0.0.1:$ldaps/ ldap://127.0.0.1:$ldap/" \
		>"$d/slapd.log" 2>&1 || die "slapd did not start (see $d/slapd.log)"
	i=0
	while [ $i -lt 100 ]; do
		if LDAPTLS_CACERT="$d/ca.pem" ldapsearch -x -H "ldaps://127.0.0.1:$ldaps" \
			-D "cn=admin,$SUFFIX" -w admin-secret -b "$SUFFIX" -s base dn \
			>/dev/null 2>&1; then
			return 0
		fi
		i=$((i + 1))
		sleep 0.1
	done
	die "slapd does not answer on port $ldaps"
}

halt() {
	d=$1
	[ -f "$d/slapd.pid" ] || return 0
	pid=$(cat "$d/slapd.pid")
	kill "$pid" 2>/dev/null || true
	i=0
	while kill -0 "$pid" 2>/dev/null && [ $i -lt 100 ]; do
		i=$((i + 1))
		sleep 0.1
	done
	rm -f "$d/slapd.pid"
}

case "${1:-}" in
start)
	d=${2:?start DIR}
	[ -x /usr/sbin/slapd ] || die "/usr/sbin/slapd not found (apt-get install slapd ldap-utils)"
	mkdir -p "$d"
	[ -z "$(ls -A "$d")" ] || die "$d is not empty"
	d=$(cd "$d" && pwd)
	touch "$d/$MARK"
	mkdir "$d/db"
	certs "$d"
	conf "$d" >"$d/slapd.conf"
	if [ -n "${3:-}" ]; then cp "$3" "$d/tree.ldif"; else tree >"$d/tree.ldif"; fi
	/usr/sbin/slapadd -f "$d/slapd.conf" -l "$d/tree.ldif" >"$d/slapadd.log" 2>&1 ||
		die "slapadd failed (see $d/slapadd.log)"
	echo "$(free_port) $(free_port)" >"$d/ports"
	run "$d"
	read -r ldaps ldap <"$d/ports"
	echo "ldaps://127.0.0.1:$ldaps ldap://127.0.0.1:$ldap $d/ca.pem $d/wrong-ca.pem"
	;;
pause)
	halt "${2:?pause DIR}"
	;;
resume)
	run "${2:?resume DIR}"
	;;
stop)
	d=${2:?stop DIR}
	[ -f "$d/$MARK" ] || die "$d is not a test server's folder"
	halt "$d"
	rm -rf "$d"
	;;
*)
	echo "usage: $0 start DIR [LDIF] | pause DIR | resume DIR | stop DIR" >&2
	exit 2
	;;
esac
