/* ldap.c - Active Directory/LDAP as a kind of identity source
 * (identity.h): sign-in by an LDAP bind, and "test the connection".
 *
 * A sign-in: connect (ldaps://, or ldap:// with StartTLS: never plain),
 * the server's certificate always verified (REQUIRE_CERT DEMAND, the
 * source's CA in a TLS context of the connection's own); bind as the
 * service account (or anonymously when none is set), find exactly one
 * entry with the user filter ({login} escaped per RFC 4515), check the
 * disabled filter against that entry, then bind as its DN with the
 * password (never an empty one: that would be an anonymous bind that
 * "succeeds").  The attributes read with the service account fill the
 * claims; the groups are the values of the groups attribute (memberOf) or
 * the groups a search under the group base finds, each given both as its
 * DN and as its first RDN's value, so a mapping may name either.
 *
 * Each call has its own LDAP* (libldap handles are not shared between
 * threads), closed before it returns.
 */
#include "base/base.h"

#include <ldap.h>
#include <sys/time.h>
#include <unistd.h>

#include "base/buf.h"
#include "core/i18n.h"
#include "modules/signin/identity.h"
#include "modules/signin/signin.h"

#define DEFAULT_FILTER "(|(mail={login})(uid={login})(sAMAccountName={login}))"
#define TEST_COUNT_MAX 1000
#define GROUPS_MAX 200

static const struct identity_field ldap_fields[] = {
	{ "url", M_LDAP_F_URL, M_LDAP_H_URL, IF_URL, 1, NULL },
	{ "starttls", M_LDAP_F_STARTTLS, 0, IF_BOOL, 0, "0" },
	{ "ca_cert", M_LDAP_F_CA, M_LDAP_H_CA, IF_LONGTEXT, 0, NULL },
	{ "bind_dn", M_LDAP_F_BIND_DN, M_LDAP_H_BIND_DN, IF_TEXT, 0, NULL },
	{ "bind_password", M_LDAP_F_BIND_PW, 0, IF_SECRET, 0, NULL },
	{ "base_dn", M_LDAP_F_BASE, M_LDAP_H_BASE, IF_TEXT, 1, NULL },
	{ "user_filter", M_LDAP_F_FILTER, M_LDAP_H_FILTER, IF_TEXT, 0, DEFAULT_FILTER },
	{ "attr_email", M_LDAP_F_ATTR_EMAIL, 0, IF_TEXT, 0, "mail" },
	{ "attr_name", M_LDAP_F_ATTR_NAME, 0, IF_TEXT, 0, "displayName" },
	{ "attr_unit", M_LDAP_F_ATTR_UNIT, M_LDAP_H_ATTR_UNIT, IF_TEXT, 0, "department" },
	{ "attr_groups", M_LDAP_F_ATTR_GROUPS, M_LDAP_H_ATTR_GROUPS, IF_TEXT, 0, "memberOf" },
	{ "group_base", M_LDAP_F_GROUP_BASE, M_LDAP_H_GROUP_BASE, IF_TEXT, 0, NULL },
	{ "group_filter", M_LDAP_F_GROUP_FILTER, M_LDAP_H_GROUP_FILTER, IF_TEXT, 0,
	  "(|(member={dn})(uniqueMember={dn}))" },
	{ "disabled_filter", M_LDAP_F_DISABLED, M_LDAP_H_DISABLED, IF_TEXT, 0, NULL },
	{ "domains", M_LDAP_F_DOMAINS, M_LDAP_H_DOMAINS, IF_TEXT, 0, NULL },
	{ "timeout", M_LDAP_F_TIMEOUT, 0, IF_TEXT, 0, "10" },
	{ NULL, 0, 0, 0, 0, NULL },
};

/* ---- small helpers ------------------------------------------------------ */

static int starts_with(const char *s, const char *p)
{
	return s && !strncasecmp(s, p, strlen(p));
}

static int is_on(const char *v)
{
	return v && !strcmp(v, "1");
}

static int timeout_of(const struct identity_source *src)
{
	const char *t = identity_get(src, "timeout");
	long v = t ? strtol(t, NULL, 10) : 10;

	return v >= 1 && v <= 60 ? (int)v : 10;
}

/* s with every "{key}" replaced by value (which the caller escaped). */
static char *fill(struct arena *a, const char *s, const char *key, const char *value)
{
	struct buf b = BUF_INIT;
	size_t kl = strlen(key);
	char *out;

	for (const char *p = s; *p;) {
		if (!strncmp(p, key, kl)) {
			buf_puts(&b, value);
			p += kl;
		} else {
			buf_putc(&b, *p++);
		}
	}
	out = arena_strdup(a, b.p ? b.p : "");
	buf_release(&b);
	return out;
}

/* RFC 4515: a value in a filter, with * ( ) \ NUL and the control
 * characters as \XX. */
static char *filter_escape(struct arena *a, const char *v)
{
	struct buf b = BUF_INIT;
	char *out;

	for (const unsigned char *p = (const unsigned char *)v; *p; p++) {
		if (*p == '*' || *p == '(' || *p == ')' || *p == '\\' || *p < 0x20 || *p == 0x7f)
			buf_printf(&b, "\\%02x", *p);
		else
			buf_putc(&b, (char)*p);
	}
	out = arena_strdup(a, b.p ? b.p : "");
	buf_release(&b);
	return out;
}

/* A filter's parentheses balance and it is one parenthesised item. */
static int filter_shape_ok(const char *f)
{
	int depth = 0;
	size_t n = strlen(f);

	if (n < 3 || f[0] != '(' || f[n - 1] != ')')
		return 0;
	for (size_t i = 0; i < n; i++) {
		if (f[i] == '\\' && f[i + 1]) {
			i++;
			continue;
		}
		if (f[i] == '(')
			depth++;
		else if (f[i] == ')' && --depth < 0)
			return 0;
		if (depth == 0 && i + 1 < n)
			return 0;
	}
	return depth == 0;
}

static int unreachable(int rc)
{
	return rc == LDAP_SERVER_DOWN || rc == LDAP_CONNECT_ERROR || rc == LDAP_TIMEOUT ||
	       rc == LDAP_UNAVAILABLE || rc == LDAP_BUSY || rc == LDAP_TIMELIMIT_EXCEEDED;
}

/* ---- the connection ----------------------------------------------------- */

/* Opens a connection to src with TLS set up and verified (StartTLS done
 * when asked for; with ldaps:// the handshake happens at the first
 * operation).  0 with *out, or the LDAP result code with *why. */
static int ldap_open(const struct identity_source *src, struct arena *a, LDAP **out,
		     const char **why)
{
	const char *url = identity_get(src, "url"), *ca = identity_get(src, "ca_cert");
	int v3 = LDAP_VERSION3, demand = LDAP_OPT_X_TLS_DEMAND, off = 0, rc;
	struct timeval tv = { timeout_of(src), 0 };
	char path[] = "/tmp/varn-ldap-ca.XXXXXX";
	LDAP *ld = NULL;

	*out = NULL;
	if (!url || !(starts_with(url, "ldaps://") ||
		      (starts_with(url, "ldap://") && is_on(identity_get(src, "starttls"))))) {
		*why = "the address is neither ldaps:// nor ldap:// with StartTLS";
		return LDAP_PARAM_ERROR;
	}
	if ((rc = ldap_initialize(&ld, url)) != LDAP_SUCCESS) {
		*why = arena_printf(a, "address %s: %s", url, ldap_err2string(rc));
		return rc;
	}
	ldap_set_option(ld, LDAP_OPT_PROTOCOL_VERSION, &v3);
	ldap_set_option(ld, LDAP_OPT_REFERRALS, LDAP_OPT_OFF);
	ldap_set_option(ld, LDAP_OPT_NETWORK_TIMEOUT, &tv);
	ldap_set_option(ld, LDAP_OPT_TIMEOUT, &tv);
	ldap_set_option(ld, LDAP_OPT_X_TLS_REQUIRE_CERT, &demand);
	if (ca && *ca) {
		/* libldap reads a CA from a file: the PEM (public, not a secret)
		 * goes to a private temporary file that lives only until the
		 * connection's TLS context has read it. */
		int fd = mkstemp(path);
		size_t len = strlen(ca);

		if (fd < 0 || write(fd, ca, len) != (ssize_t)len) {
			if (fd >= 0) {
				close(fd);
				unlink(path);
			}
			ldap_unbind_ext_s(ld, NULL, NULL);
			*why = "cannot write the CA certificate to a temporary file";
			return LDAP_LOCAL_ERROR;
		}
		close(fd);
		ldap_set_option(ld, LDAP_OPT_X_TLS_CACERTFILE, path);
	}
	rc = ldap_set_option(ld, LDAP_OPT_X_TLS_NEWCTX, &off);
	if (ca && *ca)
		unlink(path);
	if (rc != LDAP_OPT_SUCCESS) {
		ldap_unbind_ext_s(ld, NULL, NULL);
		*why = "the TLS settings (CA certificate) cannot be used";
		return LDAP_CONNECT_ERROR;
	}
	if (starts_with(url, "ldap://") && (rc = ldap_start_tls_s(ld, NULL, NULL)) != LDAP_SUCCESS) {
		*why = arena_printf(a, "StartTLS with %s: %s", url, ldap_err2string(rc));
		ldap_unbind_ext_s(ld, NULL, NULL);
		return rc == LDAP_SERVER_DOWN || rc == LDAP_CONNECT_ERROR ? rc : LDAP_CONNECT_ERROR;
	}
	*out = ld;
	return LDAP_SUCCESS;
}

static int simple_bind(LDAP *ld, const char *dn, const char *pw)
{
	struct berval cred;

	cred.bv_val = (char *)(pw ? pw : "");
	cred.bv_len = pw ? strlen(pw) : 0;
	return ldap_sasl_bind_s(ld, dn ? dn : "", LDAP_SASL_SIMPLE, &cred, NULL, NULL, NULL);
}

/* Binds as the service account, or stays anonymous when none is set. */
static int service_bind(LDAP *ld, const struct identity_source *src)
{
	const char *dn = identity_get(src, "bind_dn");

	if (!dn || !*dn)
		return simple_bind(ld, "", "");
	return simple_bind(ld, dn, identity_get(src, "bind_password"));
}

static int search(LDAP *ld, const struct identity_source *src, const char *base, int scope,
		  const char *filter, char **attrs, int limit, LDAPMessage **res)
{
	struct timeval tv = { timeout_of(src), 0 };

	*res = NULL;
	return ldap_search_ext_s(ld, base, scope, filter, attrs, 0, NULL, NULL, &tv, limit, res);
}

/* The first value of attr in entry e, in the arena, or NULL. */
static const char *first_value(struct arena *a, LDAP *ld, LDAPMessage *e, const char *attr)
{
	struct berval **v;
	const char *out = NULL;

	if (!attr || !*attr || !(v = ldap_get_values_len(ld, e, attr)))
		return NULL;
	if (v[0] && v[0]->bv_len && !memchr(v[0]->bv_val, 0, v[0]->bv_len))
		out = arena_strndup(a, v[0]->bv_val, v[0]->bv_len);
	ldap_value_free_len(v);
	return out;
}

/* "cn=Varn Admins,ou=groups,dc=x" -> "Varn Admins" (the first RDN's value). */
static const char *rdn_value(struct arena *a, const char *dn)
{
	const char *eq = strchr(dn, '=');
	struct buf b = BUF_INIT;
	char *out;

	if (!eq)
		return NULL;
	for (const char *p = eq + 1; *p && *p != ',' && *p != '+'; p++) {
		if (*p == '\\' && p[1])
			p++;
		buf_putc(&b, *p);
	}
	out = b.p ? arena_strdup(a, b.p) : NULL;
	buf_release(&b);
	return out;
}

struct groups {
	const char **v;
	size_t n;
};

static void group_add(struct arena *a, struct groups *g, const char *dn)
{
	const char *r;

	if (!dn || !*dn || g->n + 2 > GROUPS_MAX)
		return;
	g->v[g->n++] = arena_strdup(a, dn);
	if ((r = rdn_value(a, dn)) && *r)
		g->v[g->n++] = r;
}

/* ---- the kind's steps --------------------------------------------------- */

static int ldap_validate(const struct identity_source *src, struct arena *a, const char **field)
{
	const char *url = identity_get(src, "url"), *v;
	int tls = is_on(identity_get(src, "starttls"));
	long t;
	char *end;

	(void)a;
	*field = "url";
	if (!url || strlen(url) < 9 || strpbrk(url, " \t\r\n") ||
	    !(starts_with(url, "ldaps://") || starts_with(url, "ldap://")))
		return M_LDAP_V_URL;
	if (starts_with(url, "ldap://") && !tls) {
		*field = "starttls";
		return M_LDAP_V_PLAIN;
	}
	if (starts_with(url, "ldaps://") && tls) {
		*field = "starttls";
		return M_LDAP_V_TLS_TWICE;
	}
	if (!ldap_is_ldap_url(url) && !ldap_is_ldaps_url(url))
		return M_LDAP_V_URL;
	*field = "ca_cert";
	v = identity_get(src, "ca_cert");
	if (v && *v && !strstr(v, "-----BEGIN CERTIFICATE-----"))
		return M_LDAP_V_CA;
	*field = "bind_password";
	v = identity_get(src, "bind_dn");
	if (v && *v && !(identity_get(src, "bind_password") && *identity_get(src, "bind_password")))
		return M_LDAP_V_BIND_PW;
	*field = "user_filter";
	v = identity_get(src, "user_filter");
	if (!v || !strstr(v, "{login}") || !filter_shape_ok(v))
		return M_LDAP_V_FILTER;
	*field = "group_filter";
	v = identity_get(src, "group_filter");
	if (v && *v && !filter_shape_ok(v))
		return M_LDAP_V_PAREN;
	*field = "disabled_filter";
	v = identity_get(src, "disabled_filter");
	if (v && *v && !filter_shape_ok(v))
		return M_LDAP_V_PAREN;
	*field = "timeout";
	v = identity_get(src, "timeout");
	t = v ? strtol(v, &end, 10) : 10;
	if (v && (*end || t < 1 || t > 60))
		return M_LDAP_V_TIMEOUT;
	*field = NULL;
	return 0;
}

static enum identity_result ldap_password(const struct identity_source *src, struct arena *a,
					  const char *login, const char *password,
					  struct identity_claims *c, const char **why)
{
	const char *base = identity_get(src, "base_dn");
	const char *a_mail = identity_get(src, "attr_email"), *a_name = identity_get(src, "attr_name");
	const char *a_unit = identity_get(src, "attr_unit"), *a_grp = identity_get(src, "attr_groups");
	const char *gbase = identity_get(src, "group_base"), *dis = identity_get(src, "disabled_filter");
	char *attrs[8] = { 0 }, *noattrs[] = { LDAP_NO_ATTRS, NULL };
	LDAP *ld = NULL;
	LDAPMessage *res = NULL, *e;
	enum identity_result out = ID_UNAVAILABLE;
	struct groups g = { 0 };
	const char *filter;
	char *dn = NULL;
	size_t na = 0;
	int rc;

	*why = NULL;
	memset(c, 0, sizeof(*c));
	/* An empty password is an unauthenticated bind that servers answer
	 * with success: never try one. */
	if (!login || !*login || !password || !*password || strlen(login) > 256)
		return ID_BAD;
	if ((rc = ldap_open(src, a, &ld, why)) != LDAP_SUCCESS)
		return ID_UNAVAILABLE;
	if ((rc = service_bind(ld, src)) != LDAP_SUCCESS) {
		*why = arena_printf(a, "service bind: %s", ldap_err2string(rc));
		goto done; /* unreachable or misconfigured: either way not the user's fault */
	}
	attrs[na++] = (char *)"entryUUID";
	attrs[na++] = (char *)a_mail;
	if (a_name && *a_name)
		attrs[na++] = (char *)a_name;
	attrs[na++] = (char *)"cn";
	if (a_unit && *a_unit)
		attrs[na++] = (char *)a_unit;
	if (a_grp && *a_grp)
		attrs[na++] = (char *)a_grp;
	filter = fill(a, identity_get(src, "user_filter"), "{login}", filter_escape(a, login));
	rc = search(ld, src, base, LDAP_SCOPE_SUBTREE, filter, attrs, 2, &res);
	if (rc == LDAP_SIZELIMIT_EXCEEDED || (rc == LDAP_SUCCESS && ldap_count_entries(ld, res) > 1)) {
		*why = "the login matches several entries: refused";
		out = ID_BAD;
		goto done;
	}
	if (rc != LDAP_SUCCESS) {
		*why = arena_printf(a, "user search: %s", ldap_err2string(rc));
		out = unreachable(rc) ? ID_UNAVAILABLE : ID_BAD;
		goto done;
	}
	if (!(e = ldap_first_entry(ld, res))) {
		*why = "no such user in the directory";
		out = ID_BAD;
		goto done;
	}
	dn = ldap_get_dn(ld, e);
	if (!dn) {
		*why = "the entry has no DN";
		out = ID_BAD;
		goto done;
	}
	c->subject = first_value(a, ld, e, "entryUUID");
	if (!c->subject)
		c->subject = arena_strdup(a, dn);
	c->email = first_value(a, ld, e, a_mail);
	c->name = first_value(a, ld, e, a_name);
	if (!c->name)
		c->name = first_value(a, ld, e, "cn");
	c->unit = first_value(a, ld, e, a_unit);
	g.v = arena_alloc(a, GROUPS_MAX * sizeof(*g.v));
	if (a_grp && *a_grp) {
		struct berval **v = ldap_get_values_len(ld, e, a_grp);

		for (size_t i = 0; v && v[i]; i++)
			if (!memchr(v[i]->bv_val, 0, v[i]->bv_len))
				group_add(a, &g, arena_strndup(a, v[i]->bv_val, v[i]->bv_len));
		if (v)
			ldap_value_free_len(v);
	}
	ldap_msgfree(res);
	res = NULL;
	if (dis && *dis) {
		rc = search(ld, src, dn, LDAP_SCOPE_BASE, dis, noattrs, 1, &res);
		if (rc != LDAP_SUCCESS && rc != LDAP_SIZELIMIT_EXCEEDED) {
			*why = arena_printf(a, "disabled check: %s", ldap_err2string(rc));
			out = unreachable(rc) ? ID_UNAVAILABLE : ID_BAD;
			goto done;
		}
		if (ldap_count_entries(ld, res) > 0) {
			*why = arena_printf(a, "%s is disabled in the directory", dn);
			c->disabled = 1;
			out = ID_DISABLED;
			goto done;
		}
		ldap_msgfree(res);
		res = NULL;
	}
	if (gbase && *gbase) {
		const char *gf = fill(a, identity_get(src, "group_filter"), "{dn}", filter_escape(a, dn));

		rc = search(ld, src, gbase, LDAP_SCOPE_SUBTREE, gf, noattrs, GROUPS_MAX / 2, &res);
		if (rc != LDAP_SUCCESS && rc != LDAP_SIZELIMIT_EXCEEDED) {
			*why = arena_printf(a, "group search: %s", ldap_err2string(rc));
			out = unreachable(rc) ? ID_UNAVAILABLE : ID_BAD;
			goto done;
		}
		for (e = ldap_first_entry(ld, res); e; e = ldap_next_entry(ld, e)) {
			char *gdn = ldap_get_dn(ld, e);

			group_add(a, &g, gdn);
			ldap_memfree(gdn);
		}
		ldap_msgfree(res);
		res = NULL;
	}
	/* Last, the password: a bind as the user's own DN. */
	rc = simple_bind(ld, dn, password);
	if (rc == LDAP_INVALID_CREDENTIALS) {
		*why = arena_printf(a, "wrong password for %s", dn);
		out = ID_BAD;
		goto done;
	}
	if (rc != LDAP_SUCCESS) {
		*why = arena_printf(a, "bind as %s: %s", dn, ldap_err2string(rc));
		out = unreachable(rc) ? ID_UNAVAILABLE : ID_BAD;
		goto done;
	}
	if (!c->email || !strchr(c->email, '@')) {
		*why = arena_printf(a, "%s has no e-mail address (attribute %s)", dn, a_mail);
		out = ID_BAD;
		goto done;
	}
	c->groups = g.v;
	c->ngroups = g.n;
	out = ID_OK;
done:
	if (dn)
		ldap_memfree(dn);
	if (res)
		ldap_msgfree(res);
	ldap_unbind_ext_s(ld, NULL, NULL);
	return out;
}

static void line(struct buf *out, int ok, int lang, int msg, const char *detail)
{
	buf_puts(out, ok ? "✓ " : "✗ ");
	buf_puts(out, msg_text(lang, msg));
	if (detail && *detail) {
		buf_puts(out, ": ");
		buf_puts(out, detail);
	}
	buf_puts(out, ".\n");
}

static int ldap_test(const struct identity_source *src, struct arena *a, int lang,
		     struct buf *out)
{
	const char *why = NULL, *dn = identity_get(src, "bind_dn");
	const char *base = identity_get(src, "base_dn");
	char *noattrs[] = { LDAP_NO_ATTRS, NULL };
	LDAPMessage *res = NULL;
	LDAP *ld;
	int rc, n;

	if (ldap_open(src, a, &ld, &why) != LDAP_SUCCESS) {
		line(out, 0, lang, M_LDAP_T_NO_CONNECT, why);
		return -1;
	}
	rc = service_bind(ld, src);
	if (rc != LDAP_SUCCESS) {
		/* with ldaps:// the TLS handshake happens at this first operation */
		line(out, 0, lang, unreachable(rc) ? M_LDAP_T_NO_CONNECT : M_LDAP_T_NO_BIND,
		     ldap_err2string(rc));
		ldap_unbind_ext_s(ld, NULL, NULL);
		return -1;
	}
	line(out, 1, lang, M_LDAP_T_CONNECTED, identity_get(src, "url"));
	line(out, 1, lang, dn && *dn ? M_LDAP_T_BOUND : M_LDAP_T_ANON, dn);
	rc = search(ld, src, base, LDAP_SCOPE_BASE, "(objectClass=*)", noattrs, 1, &res);
	ldap_msgfree(res);
	res = NULL;
	if (rc != LDAP_SUCCESS) {
		line(out, 0, lang, M_LDAP_T_NO_BASE, arena_printf(a, "%s: %s", base, ldap_err2string(rc)));
		ldap_unbind_ext_s(ld, NULL, NULL);
		return -1;
	}
	line(out, 1, lang, M_LDAP_T_BASE, base);
	rc = search(ld, src, base, LDAP_SCOPE_SUBTREE,
		    fill(a, identity_get(src, "user_filter"), "{login}", "*"), noattrs, TEST_COUNT_MAX,
		    &res);
	if (rc != LDAP_SUCCESS && rc != LDAP_SIZELIMIT_EXCEEDED) {
		line(out, 0, lang, M_LDAP_T_NO_USERS, ldap_err2string(rc));
		ldap_msgfree(res);
		ldap_unbind_ext_s(ld, NULL, NULL);
		return -1;
	}
	n = ldap_count_entries(ld, res);
	ldap_msgfree(res);
	ldap_unbind_ext_s(ld, NULL, NULL);
	{
		int more = rc == LDAP_SIZELIMIT_EXCEEDED;
		const char *t = msg_text(lang, more ? M_LDAP_T_USERS_MORE : M_LDAP_T_USERS);

		t = msg_fill(a, t, "{n}", arena_printf(a, "%d", more ? TEST_COUNT_MAX : n < 0 ? 0 : n));
		buf_puts(out, "✓ ");
		buf_puts(out, t);
		buf_puts(out, ".\n");
	}
	return 0;
}

const struct identity_kind ldap_kind = {
	.code = "ldap",
	.label = M_LDAP_KIND,
	.fields = ldap_fields,
	.validate = ldap_validate,
	.test = ldap_test,
	.password = ldap_password,
	.redirect = 0,
};
