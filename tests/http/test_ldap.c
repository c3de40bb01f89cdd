/* test_ldap.c - Active Directory/LDAP sign-in against a real directory
 * (issue 13), on the engine chosen by VARN_TEST_DB.
 *
 * A throw-away slapd (scripts/ldap-test-server.sh: its own CA, a server
 * certificate for 127.0.0.1, LDAPS and StartTLS, a test tree with users,
 * groups and a disabled user) is configured as a source of "alfa" through
 * the settings pages; people then sign in through the real /logga-in form:
 * the person is created from the directory (name, e-mail, unit), roles
 * come from groups and follow a group change at the next sign-in while a
 * role given by hand stays; wrong passwords, unknown and disabled users
 * are refused alike; a directory that is down or whose certificate does
 * not verify gives a plain message while local accounts still sign in;
 * the settings pages are the administrator's, never show the secret, and
 * test the connection; the CLI adds, lists, tests and maps. */
#include "base/base.h"

#include <sys/stat.h>
#include <unistd.h>

#include "core/auth.h"
#include "core/i18n.h"
#include "core/roles.h"
#include "db/db.h"
#include "fixture.h"
#include "tap.h"
#include "testdb.h"

static struct fixture *fx;

#define COORD "samordnare@a.se"
#define ADMIN "admin@a.se"
#define USER "anvandare@a.se"
#define ADMIN_B "admin@b.se"
#define SUFFIX "dc=exempelstad,dc=se"

static char ldap_dir[256], ldaps_url[128], ldap_url[128], ca_file[300], wrong_ca_file[300];
static const char *ca_pem, *wrong_ca_pem, *script, *varn_bin;
static int64_t source_id, unit_it;

static const char *sv(int msg)
{
	return msg_text(LANG_SV, msg);
}

static const char *first_existing(const char *a, const char *b)
{
	return access(a, X_OK) == 0 ? a : b;
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	struct buf b = BUF_INIT;
	char tmp[4096];
	size_t n;

	if (!f)
		return NULL;
	while ((n = fread(tmp, 1, sizeof(tmp), f)) > 0)
		buf_add(&b, tmp, n);
	fclose(f);
	{
		char *s = arena_strdup(&fx->a, b.p ? b.p : "");

		buf_release(&b);
		return s;
	}
}

/* Runs cmd and returns its standard output (at most 64 KiB). */
static const char *run(const char *cmd, int *status)
{
	FILE *p = popen(cmd, "r");
	struct buf b = BUF_INIT;
	char tmp[4096];
	size_t n;
	int rc;

	if (!p)
		return "";
	while ((n = fread(tmp, 1, sizeof(tmp), p)) > 0 && b.len < 65536)
		buf_add(&b, tmp, n);
	rc = pclose(p);
	if (status)
		*status = WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
	{
		char *s = arena_strdup(&fx->a, b.p ? b.p : "");

		buf_release(&b);
		return s;
	}
}

static int sh(const char *cmd)
{
	int rc = -1;

	run(cmd, &rc);
	return rc;
}

static const char *cookie_value(const char *set_cookie, const char *name)
{
	const char *p = set_cookie ? strstr(set_cookie, name) : NULL;

	if (!p || p[strlen(name)] != '=')
		return NULL;
	p += strlen(name) + 1;
	return arena_strndup(&fx->a, p, strcspn(p, ";"));
}

/* Through the real sign-in form, as a browser without a session. */
static struct fx_resp sign_in(const char *login, const char *pw)
{
	struct fx_resp r = fx_get(fx, NULL, "/logga-in");
	const char *pre = cookie_value(r.set_cookie, "varn_pre");

	auth_throttle_reset(fx->db);
	return fx_request(fx, NULL, "POST", "/logga-in",
			  arena_printf(&fx->a, "pre=%s&email=%s&password=%s", pre ? pre : "",
				       fx_enc(fx, login), fx_enc(fx, pw)),
			  "application/x-www-form-urlencoded", "Cookie",
			  arena_printf(&fx->a, "varn_pre=%s", pre ? pre : ""));
}

/* The whole settings form of the source (field i of the ldap kind is f<i>). */
static const char *source_form(const char *url, int starttls, const char *ca, const char *extra)
{
	return arena_printf(&fx->a,
			    "kind=ldap&name=%s&enabled=1&default_role=&f0=%s&f1=%s&f2=%s&f3=%s&f4=%s"
			    "&f5=%s&f6=&f7=mail&f8=displayName&f9=departmentNumber&f10=&f11=%s"
			    "&f12=&f13=%s&f14=exempelstad.se&f15=5%s",
			    fx_enc(fx, "Kommunens AD"), fx_enc(fx, url), starttls ? "1" : "0",
			    fx_enc(fx, ca), fx_enc(fx, "cn=varn-sok,ou=service," SUFFIX),
			    fx_enc(fx, "sok-secret"), fx_enc(fx, "ou=people," SUFFIX),
			    fx_enc(fx, "ou=groups," SUFFIX), fx_enc(fx, "(employeeType=disabled)"),
			    extra ? extra : "");
}

static int64_t version_of(int64_t id)
{
	return fx_scalar(fx, "SELECT version FROM identity_source WHERE id = $1", id);
}

static struct fx_resp save_source(const char *url, int starttls, const char *ca)
{
	return fx_post(fx, ADMIN, arena_printf(&fx->a, "/o/alfa/sign-in-sources/%lld",
					       (long long)source_id),
		       source_form(url, starttls, ca,
				   arena_printf(&fx->a, "&version=%lld",
						(long long)version_of(source_id))));
}

static int64_t person_of(const char *email)
{
	struct db_rows r;
	struct db_error err;

	if (db_exec(fx->db, &fx->a, "SELECT id FROM person WHERE org_id = $1 AND email = $2",
		    DB_ARGS(DB_INT(fx->org_alfa), DB_TEXT(email)), &r, &err) || r.nrows != 1)
		return 0;
	return db_cell_i64(&r, 0, 0);
}

/* Live roles of person: "administrator@1 systemagare@0" (role@source, 0 by hand). */
static const char *roles_of(int64_t person)
{
	struct db_rows r;
	struct db_error err;
	struct buf b = BUF_INIT;
	const char *out;

	if (db_exec(fx->db, &fx->a,
		    "SELECT role, COALESCE(source_id, 0) FROM role_assignment WHERE person_id = $1"
		    " AND archived = 0 ORDER BY role",
		    DB_ARGS(DB_INT(person)), &r, &err))
		return "?";
	for (size_t i = 0; i < r.nrows; i++)
		buf_printf(&b, "%s%s@%lld", i ? " " : "", db_cell(&r, i, 0),
			   (long long)(db_cell_i64(&r, i, 1) ? 1 : 0));
	out = arena_strdup(&fx->a, b.p ? b.p : "");
	buf_release(&b);
	return out;
}

static int64_t audit_count(const char *action, const char *summary)
{
	struct db_rows r;
	struct db_error err;

	if (db_exec(fx->db, &fx->a,
		    "SELECT count(*) FROM audit_event WHERE action = $1 AND summary = $2",
		    DB_ARGS(DB_TEXT(action), DB_TEXT(summary)), &r, &err))
		return -1;
	return db_cell_i64(&r, 0, 0);
}

static int ldapmodify(const char *ldif)
{
	char path[] = "/tmp/varn-ldif.XXXXXX";
	int fd = mkstemp(path), rc;

	if (fd < 0 || write(fd, ldif, strlen(ldif)) != (ssize_t)strlen(ldif))
		return -1;
	close(fd);
	rc = sh(arena_printf(&fx->a,
			     "LDAPTLS_CACERT='%s' ldapmodify -x -H '%s' -D 'cn=admin," SUFFIX
			     "' -w admin-secret -f '%s' >/dev/null 2>&1",
			     ca_file, ldaps_url, path));
	unlink(path);
	return rc;
}

/* ---- the settings pages ------------------------------------------------ */

TEST(the_administrator_adds_a_directory_in_the_settings)
{
	struct fx_resp r = fx_get(fx, ADMIN, "/o/alfa/settings");
	const char *body;

	has_str(r.body, "/o/alfa/sign-in-sources", "the organisation's settings link to the sources");
	r = fx_get(fx, ADMIN, "/o/alfa/sign-in-sources");
	is_int(r.status, 200, "the administrator sees the list");
	has_str(r.body, sv(M_SI_NONE), "none yet");
	r = fx_get(fx, ADMIN, "/o/alfa/sign-in-sources/new?kind=ldap");
	is_int(r.status, 200, "a form for a new directory");
	has_str(r.body, sv(M_LDAP_F_URL), "made from the kind's fields (the address)");
	has_str(r.body, "type=\"password\"", "the bind password is a password input");
	has_str(r.body, "(|(mail={login})(uid={login})(sAMAccountName={login}))",
		"the default user filter is offered");

	/* plain ldap:// without StartTLS would send passwords in the clear */
	r = fx_post(fx, ADMIN, "/o/alfa/sign-in-sources/new",
		    source_form(ldap_url, 0, ca_pem, NULL));
	is_int(r.status, 422, "plain ldap:// without StartTLS is refused");
	has_str(r.body, sv(M_LDAP_V_PLAIN), "saying why, in Swedish");
	has_str(r.body, "href=\"#f-f1\"", "linked to the StartTLS field");
	lacks_str(r.body, "sok-secret", "the typed secret is not sent back");

	r = fx_post(fx, ADMIN, "/o/alfa/sign-in-sources/new",
		    source_form(ldaps_url, 0, "not a certificate", NULL));
	is_int(r.status, 422, "a CA that is not PEM is refused");
	has_str(r.body, sv(M_LDAP_V_CA), "with the message beside the field");

	r = fx_post(fx, ADMIN, "/o/alfa/sign-in-sources/new", source_form(ldaps_url, 0, ca_pem, NULL));
	is_int(r.status, 303, "an LDAPS directory is saved");
	source_id = fx_location_id(&r);
	ok(source_id > 0, "and has an id");
	r = fx_get(fx, ADMIN, arena_printf(&fx->a, "/o/alfa/sign-in-sources/%lld", (long long)source_id));
	body = r.body;
	is_int(r.status, 200, "its page");
	has_str(body, "Kommunens AD", "with its name");
	lacks_str(body, "sok-secret", "the bind password is never in the page");
	has_str(body, sv(M_SI_SECRET_SET), "only that one is stored");
	has_str(body, sv(M_SI_TEST), "a button to test the connection");
	ok(fx_scalar(fx, "SELECT count(*) FROM identity_source WHERE id = $1 AND secret LIKE '%sok-secret%'",
		     source_id) == 0, "the secret is sealed in the database");
	ok(fx_scalar(fx, "SELECT count(*) FROM audit_event WHERE action = 'create' AND entity ="
		     " 'identity-sources' AND entity_id = $1 AND after_json NOT LIKE '%sok-secret%'",
		     source_id) == 1, "the change is audited, without the secret");
}

TEST(the_settings_are_the_administrators_only)
{
	const char *path = arena_printf(&fx->a, "/o/alfa/sign-in-sources/%lld", (long long)source_id);
	struct fx_resp r = fx_get(fx, USER, "/o/alfa/sign-in-sources");

	is_int(r.status, 403, "a plain user may not see the sources");
	r = fx_get(fx, COORD, path);
	is_int(r.status, 403, "nor the coordinator (administrators configure sign-in)");
	r = fx_get(fx, ADMIN_B, path);
	is_int(r.status, 404, "another organisation's administrator does not see it");
	r = fx_get(fx, ADMIN_B, arena_printf(&fx->a, "/o/beta/sign-in-sources/%lld",
					     (long long)source_id));
	is_int(r.status, 404, "not even through their own organisation");
	r = fx_post(fx, ADMIN_B, arena_printf(&fx->a, "/o/beta/sign-in-sources/%lld/test",
					      (long long)source_id), "");
	is_int(r.status, 404, "nor test it");
	r = fx_request(fx, NULL, "POST", arena_printf(&fx->a, "%s/maps", path),
		       "group=x&role=administrator", "application/x-www-form-urlencoded", "Cookie",
		       fx_cookie(fx, ADMIN));
	is_int(r.status, 403, "a post without the CSRF token is refused");
	r = fx_post(fx, ADMIN, path, source_form(ldaps_url, 0, ca_pem, "&version=1&name=Gammal"));
	ok(r.status == 303, "saved with the version it read");
	r = fx_post(fx, ADMIN, path, source_form(ldaps_url, 0, ca_pem, "&version=1"));
	is_int(r.status, 409, "a second save from the same old version is a conflict");
	has_str(r.body, sv(M_V_CONFLICT), "said so");
	ok(fx_scalar(fx, "SELECT count(*) FROM identity_source WHERE id = $1 AND secret IS NOT NULL",
		     source_id) == 1, "an empty password field kept the stored secret");
}

TEST(test_the_connection_reports_what_works)
{
	const char *path = arena_printf(&fx->a, "/o/alfa/sign-in-sources/%lld/test",
					(long long)source_id);
	struct fx_resp r = fx_post(fx, ADMIN, path, "");

	is_int(r.status, 200, "the test answers with the page");
	has_str(r.body, sv(M_SI_TEST_OK), "the connection works");
	has_str(r.body, sv(M_LDAP_T_BOUND), "the service account signed in");
	has_str(r.body, "Användarfiltret hittar 4 användare", "and the filter finds the 4 users");
	lacks_str(r.body, "sok-secret", "the secret stays out of the report");
}

TEST(group_mappings_are_added_and_removed_on_the_page)
{
	const char *path = arena_printf(&fx->a, "/o/alfa/sign-in-sources/%lld", (long long)source_id);
	struct fx_resp r = fx_post(fx, ADMIN, arena_printf(&fx->a, "%s/maps", path),
				   "group=varn-admins&role=administrator&unit=");
	int64_t m;

	is_int(r.status, 303, "a group (by name) is mapped to a role");
	r = fx_post(fx, ADMIN, arena_printf(&fx->a, "%s/maps", path),
		    arena_printf(&fx->a, "group=%s&role=anvandare&unit=%lld",
				 fx_enc(fx, "cn=varn-handlaggare,ou=groups," SUFFIX), (long long)unit_it));
	is_int(r.status, 303, "a group by DN, for one unit");
	r = fx_post(fx, ADMIN, arena_printf(&fx->a, "%s/maps", path),
		    "group=VARN-SAMORDNARE&role=samordnare&unit=");
	is_int(r.status, 303, "group names match whatever their case");
	r = fx_post(fx, ADMIN, arena_printf(&fx->a, "%s/maps", path), "group=x&role=kung&unit=");
	is_int(r.status, 422, "an unknown role is refused");
	r = fx_post(fx, ADMIN, arena_printf(&fx->a, "%s/maps", path),
		    "group=tillfallig&role=ledning&unit=");
	m = fx_scalar(fx, "SELECT max(id) FROM identity_group_role WHERE source_id = $1", source_id);
	r = fx_post(fx, ADMIN, arena_printf(&fx->a, "%s/unmap", path),
		    arena_printf(&fx->a, "map=%lld", (long long)m));
	is_int(r.status, 303, "a mapping is removed");
	ok(fx_scalar(fx, "SELECT archived FROM identity_group_role WHERE id = $1", m) == 1,
	   "archived, not deleted");
	r = fx_get(fx, ADMIN, path);
	has_str(r.body, arena_printf(&fx->a, "action=\"%s/maps\"", path), "the page's form adds here");
	has_str(r.body, arena_printf(&fx->a, "action=\"%s/unmap\"", path), "its buttons remove here");
	has_str(r.body, arena_printf(&fx->a, "action=\"%s/test\"", path), "and test here");
	has_str(r.body, "varn-admins", "the page lists the mappings");
	has_str(r.body, "IT-avdelningen", "with the unit");
	lacks_str(r.body, "tillfallig", "but not the removed one");
}

/* ---- signing in --------------------------------------------------------- */

/* covers R-17-01 (the user identity of a session), R-17-02 (sign-in with
 * date and time): a directory sign-in is in the trail with the source */
TEST(a_directory_user_signs_in_with_a_user_name)
{
	struct fx_resp r = sign_in("anna", "anna-pass-1");
	int64_t p;

	is_int(r.status, 303, "anna signs in with her user name and directory password");
	ok(cookie_value(r.set_cookie, "varn_session") != NULL, "and has a session");
	p = person_of("anna@exempelstad.se");
	ok(p > 0, "the person is created in the organisation");
	is_int(fx_scalar(fx, "SELECT count(*) FROM person WHERE id = $1 AND name = 'Anna Andersson'", p),
	       1, "named from the directory");
	is_int(fx_scalar(fx, "SELECT unit_id FROM person WHERE id = $1", p), unit_it,
	       "in the unit the directory's attribute names");
	is_str(roles_of(p), "administrator@1", "with the role her group gives, from the source");
	ok(audit_count("signin", "Kommunens AD") == 1, "the sign-in is audited with the source's name");
	r = sign_in("anna@exempelstad.se", "anna-pass-1");
	is_int(r.status, 303, "her e-mail address works too");
	is_int(fx_scalar(fx, "SELECT count(*) FROM person WHERE email = 'anna@exempelstad.se' AND org_id = $1",
			 fx->org_alfa), 1, "still one person");
}

TEST(roles_follow_the_groups_and_hand_given_roles_stay)
{
	struct fx_resp r = sign_in("bertil@exempelstad.se", "bertil-pass-1");
	int64_t p = person_of("bertil@exempelstad.se");
	struct db_error err;

	is_int(r.status, 303, "bertil signs in");
	is_str(roles_of(p), "anvandare@1", "a user through the group mapped by DN");
	r = fx_post(fx, COORD, "/o/alfa/roles",
		    arena_printf(&fx->a, "person_id=%lld&role=systemagare", (long long)p));
	is_int(r.status, 303, "the coordinator gives him a role by hand");
	ok(ldapmodify("dn: cn=varn-handlaggare,ou=groups," SUFFIX "\nchangetype: modify\n"
		      "delete: member\nmember: uid=bertil,ou=people," SUFFIX "\n\n"
		      "dn: cn=varn-samordnare,ou=groups," SUFFIX "\nchangetype: modify\n"
		      "add: member\nmember: uid=bertil,ou=people," SUFFIX "\n") == 0,
	   "the directory moves him to another group (ldapmodify)");
	ok(db_exec(fx->db, &fx->a, "SELECT 1", DB_NOARGS, NULL, &err) == 0, "(database still there)");
	r = sign_in("bertil", "bertil-pass-1");
	is_int(r.status, 303, "he signs in again");
	is_str(roles_of(p), "samordnare@1 systemagare@0",
	       "the old group's role is gone, the new one's given, the hand-given one kept");
	r = fx_get(fx, COORD, arena_printf(&fx->a, "/o/alfa/people/%lld", (long long)p));
	has_str(r.body, "från katalogen Kommunens AD", "the person's page says which roles came from the directory");
}

TEST(wrong_unknown_and_disabled_are_refused_alike)
{
	struct fx_resp r = sign_in("anna", "fel-losenord");

	is_int(r.status, 422, "a wrong password is refused");
	has_str(r.body, sv(M_SIGN_IN_FAILED), "with the usual message");
	r = sign_in("anna", "");
	is_int(r.status, 422, "an empty password never reaches the directory (anonymous bind)");
	r = sign_in("okand", "vad-som-helst-1");
	is_int(r.status, 422, "an unknown user is refused");
	has_str(r.body, sv(M_SIGN_IN_FAILED), "alike");
	r = sign_in("ann*", "anna-pass-1");
	is_int(r.status, 422, "a wildcard in the login is escaped, not a pattern");
	r = sign_in("cecilia", "cecilia-pass-1");
	is_int(r.status, 422, "a user disabled in the directory is refused, right password or not");
	has_str(r.body, sv(M_SIGN_IN_FAILED), "with the generic message");
	is_int(person_of("cecilia@exempelstad.se"), 0, "and no person is made");
	r = sign_in("david", "david-pass-1");
	is_int(r.status, 422, "a user whose groups give no role gets no session");
	has_str(r.body, sv(M_SI_SIGNIN_NO_ROLE), "and is told whom to ask");
	ok(fx_scalar(fx, "SELECT count(*) FROM audit_event WHERE action = 'signin_failed' AND"
		     " summary = 'Kommunens AD' AND id > $1", 0) >= 2,
	   "failed directory sign-ins are audited with the source");
}

TEST(a_directory_that_is_down_says_so_and_local_accounts_still_work)
{
	struct fx_resp r;
	struct db_error err;

	ok(user_set_password(fx->db, &fx->a, fx_user_id(fx, ADMIN), "lokalt lösenord 42", &err) == 0,
	   "the local administrator has a password");
	ok(sh(arena_printf(&fx->a, "'%s' pause '%s'", script, ldap_dir)) == 0, "slapd is stopped");
	r = sign_in("anna", "anna-pass-1");
	is_int(r.status, 422, "a directory user cannot sign in");
	has_str(r.body, sv(M_SI_SIGNIN_DOWN), "and is told the directory does not answer");
	r = sign_in(ADMIN, "lokalt lösenord 42");
	is_int(r.status, 303, "the local administrator still signs in");
	r = fx_post(fx, ADMIN, arena_printf(&fx->a, "/o/alfa/sign-in-sources/%lld/test",
					    (long long)source_id), "");
	has_str(r.body, sv(M_SI_TEST_FAIL), "the connection test says it does not work");
	ok(sh(arena_printf(&fx->a, "'%s' resume '%s'", script, ldap_dir)) == 0, "slapd runs again");
	r = sign_in("anna", "anna-pass-1");
	is_int(r.status, 303, "and anna signs in again");
}

TEST(the_certificate_is_verified)
{
	struct fx_resp r = save_source(ldaps_url, 0, wrong_ca_pem);

	is_int(r.status, 303, "the source is given a CA that did not sign the server's certificate");
	r = sign_in("anna", "anna-pass-1");
	is_int(r.status, 422, "the sign-in does not go through");
	has_str(r.body, sv(M_SI_SIGNIN_DOWN), "as for a directory that cannot be reached");
	r = fx_post(fx, ADMIN, arena_printf(&fx->a, "/o/alfa/sign-in-sources/%lld/test",
					    (long long)source_id), "");
	has_str(r.body, sv(M_SI_TEST_FAIL), "the test fails");
	has_str(r.body, sv(M_LDAP_T_NO_CONNECT), "at the connection");

	r = save_source(ldap_url, 1, ca_pem);
	is_int(r.status, 303, "ldap:// with StartTLS and the right CA");
	r = fx_post(fx, ADMIN, arena_printf(&fx->a, "/o/alfa/sign-in-sources/%lld/test",
					    (long long)source_id), "");
	has_str(r.body, sv(M_SI_TEST_OK), "works");
	r = sign_in("anna", "anna-pass-1");
	is_int(r.status, 303, "and anna signs in over StartTLS");
	r = save_source(ldap_url, 1, wrong_ca_pem);
	r = sign_in("anna", "anna-pass-1");
	has_str(r.body, sv(M_SI_SIGNIN_DOWN), "StartTLS with the wrong CA is refused too");
	r = save_source(ldaps_url, 0, ca_pem);
	is_int(r.status, 303, "back to LDAPS");
}

TEST(the_command_line_adds_lists_tests_and_maps)
{
	char key[] = "/tmp/varn-ldap-key.XXXXXX";
	int fd = mkstemp(key), rc = -1;
	const char *out, *id;
	struct buf hex = BUF_INIT;

	for (size_t i = 0; i < sizeof(auth_cfg.key); i++)
		buf_printf(&hex, "%02x", auth_cfg.key[i]);
	buf_putc(&hex, '\n');
	ok(fd >= 0 && write(fd, hex.p, hex.len) == (ssize_t)hex.len, "the server key in a file");
	close(fd);
	buf_release(&hex);
	out = run(arena_printf(&fx->a,
			       "echo sok-secret | '%s' signin add --db '%s' --key '%s' --org alfa"
			       " --kind ldap --name 'Andra katalogen' --set url=%s --set ca_cert=@%s"
			       " --set 'bind_dn=cn=varn-sok,ou=service," SUFFIX "'"
			       " --set 'base_dn=ou=people," SUFFIX "' --set domains=annan.se"
			       " --secret-stdin bind_password 2>&1",
			       varn_bin, fx->url, key, ldaps_url, ca_file),
		  &rc);
	is_int(rc, 0, "varn signin add");
	id = arena_strndup(&fx->a, out, strcspn(out, "\n"));
	ok(atoll(id) > 0, "prints the new source's id");
	ok(fx_scalar(fx, "SELECT count(*) FROM identity_source WHERE id = $1 AND secret IS NOT NULL"
		     " AND secret NOT LIKE '%sok-secret%'", atoll(id)) == 1,
	   "the secret from stdin is sealed");
	out = run(arena_printf(&fx->a, "'%s' signin list --db '%s' --org alfa 2>&1", varn_bin, fx->url),
		  &rc);
	is_int(rc, 0, "varn signin list");
	has_str(out, "Andra katalogen", "lists it");
	has_str(out, "Kommunens AD", "beside the one made on the page");
	lacks_str(out, "sok-secret", "never with a secret");
	out = run(arena_printf(&fx->a, "'%s' signin test --db '%s' --key '%s' %s 2>&1", varn_bin,
			       fx->url, key, id), &rc);
	is_int(rc, 0, "varn signin test works against slapd");
	has_str(out, "finds 4 users", "and reports what it found");
	out = run(arena_printf(&fx->a, "'%s' signin map --db '%s' --source %s --group varn-samordnare"
			       " --role samordnare 2>&1", varn_bin, fx->url, id), &rc);
	is_int(rc, 0, "varn signin map");
	ok(fx_scalar(fx, "SELECT count(*) FROM identity_group_role WHERE source_id = $1 AND"
		     " grp = 'varn-samordnare' AND role = 'samordnare' AND archived = 0",
		     atoll(id)) == 1, "the mapping is stored");
	out = run(arena_printf(&fx->a, "'%s' signin add --db '%s' --key '%s' --org alfa --kind ldap"
			       " --name X --set url=ldap://h:389 --set base_dn=x 2>&1", varn_bin,
			       fx->url, key), &rc);
	is_int(rc, 1, "plain ldap:// is refused from the command line too");
	has_str(out, "StartTLS", "saying why");
	out = run(arena_printf(&fx->a, "'%s' signin add --db '%s' --key '%s' --org alfa --kind ldap"
			       " --name X --set bind_password=x 2>&1", varn_bin, fx->url, key), &rc);
	is_int(rc, 2, "a secret on the command line is refused");
	unlink(key);
}

TEST(a_role_that_needs_two_step_verification_asks_for_it)
{
	struct fx_resp r;

	fx_scalar(fx, "UPDATE organisation SET totp_roles = $1 WHERE slug = 'alfa' RETURNING id",
		  (int64_t)RB(ROLE_ADMIN));
	/* by e-mail: only the source whose domains name exempelstad.se is tried */
	r = sign_in("anna@exempelstad.se", "anna-pass-1");
	is_int(r.status, 303, "anna's password is right");
	is_str(r.location, "/konto", "but her administrator role sends her to set up two-step verification first");
	ok(audit_count("signin", "Kommunens AD_setup") == 1, "audited as a directory sign-in in that stage");
	fx_scalar(fx, "UPDATE organisation SET totp_roles = $1 WHERE slug = 'alfa' RETURNING id", 0);
}

/* Whatever ends the test (a bail-out too), slapd goes with it. */
static char tmp_dir[64];
static void stop_slapd(void)
{
	FILE *p;

	if (!ldap_dir[0])
		return;
	p = popen(arena_printf(&fx->a, "'%s' stop '%s' >/dev/null 2>&1", script, ldap_dir), "r");
	if (p)
		pclose(p);
	ldap_dir[0] = 0;
	rmdir(tmp_dir);
}

int main(void)
{
	int rc;
	const char *line;
	char tmpl[] = "/tmp/varn-ldap-test.XXXXXX";

	fx = fixture_new();
	memset(auth_cfg.key, 0x5a, sizeof(auth_cfg.key)); /* a server key seals the secrets */
	script = first_existing("scripts/ldap-test-server.sh", "../scripts/ldap-test-server.sh");
	varn_bin = first_existing("build/varn", "./varn");
	if (!mkdtemp(tmpl)) {
		printf("1..0 # SKIP no temporary folder\n");
		return 0;
	}
	snprintf(ldap_dir, sizeof(ldap_dir), "%s/slapd", tmpl);
	snprintf(tmp_dir, sizeof(tmp_dir), "%s", tmpl);
	atexit(stop_slapd);
	line = run(arena_printf(&fx->a, "'%s' start '%s'", script, ldap_dir), &rc);
	if (rc || sscanf(line, "%127s %127s %299s %299s", ldaps_url, ldap_url, ca_file,
			 wrong_ca_file) != 4) {
		printf("not ok 1 - slapd did not start (%s)\n1..1\n", line);
		return 1;
	}
	ca_pem = slurp(ca_file);
	wrong_ca_pem = slurp(wrong_ca_file);
	{
		struct fx_resp r = fx_post(fx, COORD, "/o/alfa/units",
					   "name=IT-avdelningen&kind=enhet&code=IT");
		unit_it = r.status == 303 ? fx_location_id(&r) : 0;
	}
	rc = tap_run();
	stop_slapd();
	fixture_free(fx);
	testdb_cleanup();
	return rc;
}
