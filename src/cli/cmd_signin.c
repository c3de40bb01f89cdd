/* cmd_signin.c - varn signin add|list|test|map: the organisation's identity
 * sources (Active Directory/LDAP, OpenID Connect) from the command line,
 * through the same identity_source_save and identity_map_add as the
 * settings pages (validation by the kind, audit events as "varn-cli").
 * A secret setting is read from standard input (--secret-stdin KEY), never
 * from the command line, and never printed. */
#include "base/base.h"

#include "base/buf.h"
#include "cli/cli.h"
#include "cli/ops.h"
#include "core/auth.h"
#include "core/i18n.h"
#include "db/db.h"
#include "modules/signin/identity.h"

#define OPT_KEY                                                                  \
	{ "key", V_PATH, 0, "FILE", "VARN_KEY_FILE", NULL, 0, 0,                 \
	  "the server key file that seals the secret settings (default as for "  \
	  "serve: $VARN_KEY_FILE, else PATH.key beside a sqlite:PATH database)" }

const struct opt signin_add_opts[] = {
	OPT_DB_REQUIRED,
	OPT_KEY,
	{ "org", V_SLUG, 1, "SLUG", NULL, NULL, 0, 0, "the organisation" },
	{ "kind", V_TEXT, 1, "KIND", NULL, NULL, 0, 20, "ldap or oidc" },
	{ "name", V_TEXT, 1, "NAME", NULL, NULL, 0, 200,
	  "shown on the sign-in page and in the audit trail" },
	{ "default-role", V_ROLE, 0, "ROLE", NULL, NULL, 0, 0,
	  "a role given to everyone who signs in (default: only mapped groups give roles)" },
	{ "disabled", V_NONE, 0, NULL, NULL, NULL, 0, 0, "add it switched off" },
	{ "set", V_PAIRS, 0, "KEY=VALUE", NULL, NULL, 0, 0,
	  "a setting of the kind (repeat it; KEY=@FILE reads a certificate from FILE); "
	  "without it the keys are listed" },
	{ "secret-stdin", V_TEXT, 0, "KEY", NULL, NULL, 0, 64,
	  "read this secret setting (a bind password) from the first line of stdin" },
	OPT_END,
};

const struct opt signin_list_opts[] = {
	OPT_DB_REQUIRED,
	{ "org", V_SLUG, 1, "SLUG", NULL, NULL, 0, 0, "the organisation" },
	OPT_END,
};

const struct opt signin_test_opts[] = {
	OPT_DB_REQUIRED,
	OPT_KEY,
	OPT_END,
};

const struct opt signin_map_opts[] = {
	OPT_DB_REQUIRED,
	{ "source", V_INT, 1, "ID", NULL, NULL, 1, INT64_MAX, "the identity source" },
	{ "group", V_TEXT, 1, "GROUP", NULL, NULL, 0, 500,
	  "the group as the source names it (a DN, or its name)" },
	{ "role", V_ROLE, 1, "ROLE", NULL, NULL, 0, 0, "the role its members get" },
	{ "unit", V_INT, 0, "ID", NULL, NULL, 1, INT64_MAX,
	  "for this unit only (default: the whole organisation)" },
	OPT_END,
};

static int load_key(const struct args *a, struct arena *ar)
{
	const char *key = arg(a, "key"), *path = sqlite_path(arg(a, "db"));

	if (!key)
		key = path ? arena_printf(ar, "%s.key", path) : "varn.key";
	if (auth_load_key(key))
		return fail("cannot use the key file %s", key);
	return 0;
}

/* The problem identity_source_save reported ("MSGID:key"), in words. */
static const char *problem(struct arena *ar, const struct db_error *err)
{
	const char *colon = strchr(err->msg, ':');
	int msg = atoi(err->msg);

	if (err->code != DBE_CHECK || !colon || msg <= 0)
		return err->msg;
	return arena_printf(ar, "%s: %s", colon + 1, msg_text(LANG_EN, msg));
}

int cmd_signin_add(const struct args *a)
{
	const struct identity_kind *k = identity_kind_find(arg(a, "kind"));
	const char *set = arg(a, "set"), *sk = arg(a, "secret-stdin");
	const char *keys[64], *vals[64];
	size_t n = 0;
	struct arena ar = ARENA_INIT;
	struct cli_ctx c;
	struct db_error err;
	struct db *db;
	int64_t id = 0;

	if (!k) {
		fprintf(stderr, "varn signin add: unknown --kind '%s'; there are:", arg(a, "kind"));
		for (size_t i = 0; identity_kinds[i]; i++)
			fprintf(stderr, " %s", identity_kinds[i]->code);
		fprintf(stderr, "\n");
		return EXIT_USAGE;
	}
	if (!set && !sk) {
		printf("settings of --kind %s (--set KEY=VALUE):\n", k->code);
		for (const struct identity_field *f = k->fields; f->key; f++)
			printf("  %-16s %s%s%s%s%s%s\n", f->key, msg_text(LANG_EN, f->label),
			       f->required ? " (required)" : "",
			       f->type == IF_SECRET ? " (secret: --secret-stdin)" : "",
			       f->def ? " [" : "", f->def ? f->def : "", f->def ? "]" : "");
		return EXIT_USAGE;
	}
	for (const char *p = set; p && *p && n < 63;) {
		size_t len = strcspn(p, "\n");
		const char *line = arena_strndup(&ar, p, len), *eq = strchr(line, '=');
		const struct identity_field *f = k->fields;

		keys[n] = arena_strndup(&ar, line, (size_t)(eq - line));
		vals[n] = eq + 1;
		while (f->key && strcmp(f->key, keys[n]))
			f++;
		if (!f->key) {
			arena_release(&ar);
			fprintf(stderr, "varn signin add: --kind %s has no setting '%s'\n", k->code,
				keys[n]);
			return EXIT_USAGE;
		}
		if (f->type == IF_SECRET) {
			arena_release(&ar);
			fprintf(stderr, "varn signin add: '%s' is secret: give it with --secret-stdin %s\n",
				keys[n], keys[n]);
			return EXIT_USAGE;
		}
		if (f->type == IF_LONGTEXT && vals[n][0] == '@') {
			/* several lines (a PEM certificate): from a file */
			size_t flen;
			char *text = read_file(vals[n] + 1, 20000, &flen);

			if (!text) {
				arena_release(&ar);
				return 1;
			}
			vals[n] = arena_strdup(&ar, text);
			free(text);
		}
		n++;
		p += len + (p[len] == '\n');
	}
	if (sk) {
		char line[4096];

		if (!fgets(line, sizeof(line), stdin) || !*line) {
			arena_release(&ar);
			return fail("no secret on standard input");
		}
		line[strcspn(line, "\r\n")] = 0;
		keys[n] = sk;
		vals[n++] = arena_strdup(&ar, line);
		memset(line, 0, sizeof(line));
	}
	if (load_key(a, &ar) || !(db = open_current(arg(a, "db")))) {
		arena_release(&ar);
		return 1;
	}
	cli_ctx_init(&c, db);
	if (cli_use_org(&c, arg(a, "org"), &err) == 0)
		id = identity_source_save(&c.cx, 0, 0, k->code, arg(a, "name"), !arg(a, "disabled"),
					  arg(a, "default-role"), n, keys, vals, &err);
	if (id)
		printf("%lld\n", (long long)id);
	else
		fail("cannot add the source: %s", problem(&c.a, &err));
	cli_ctx_release(&c);
	db_close(db);
	arena_release(&ar);
	return id ? 0 : 1;
}

int cmd_signin_list(const struct args *a)
{
	struct db *db = open_current(arg(a, "db"));
	struct cli_ctx c;
	struct db_error err;
	struct db_rows r;
	int rc = 1;

	if (!db)
		return 1;
	cli_ctx_init(&c, db);
	if (cli_use_org(&c, arg(a, "org"), &err) ||
	    db_exec(db, &c.a,
		    "SELECT s.id, s.kind, s.enabled, s.name, (SELECT count(*) FROM identity_group_role m"
		    " WHERE m.source_id = s.id AND m.archived = 0) FROM identity_source s"
		    " WHERE s.org_id = $1 AND s.archived = 0 ORDER BY s.name_sk, s.id LIMIT 100",
		    DB_ARGS(DB_INT(c.org.id)), &r, &err)) {
		fail("%s", err.msg);
	} else {
		for (size_t i = 0; i < r.nrows; i++)
			printf("%lld\t%s\t%s\t%lld groups\t%s\n", (long long)db_cell_i64(&r, i, 0),
			       db_cell(&r, i, 1), db_cell_i64(&r, i, 2) ? "on" : "off",
			       (long long)db_cell_i64(&r, i, 4), db_cell(&r, i, 3));
		rc = 0;
	}
	cli_ctx_release(&c);
	db_close(db);
	return rc;
}

int cmd_signin_test(const struct args *a)
{
	struct db *db;
	struct cli_ctx c;
	struct db_error err;
	struct identity_source *s = NULL;
	struct buf out = BUF_INIT;
	int64_t id;
	int rc = 1;

	if (!a->pos || parse_i64(a->pos, &id) || id <= 0)
		return usage_error(a->cmd, "ID wants a source's number (varn signin list)");
	{
		struct arena ar = ARENA_INIT;
		int bad = load_key(a, &ar);

		arena_release(&ar);
		if (bad)
			return 1;
	}
	if (!(db = open_current(arg(a, "db"))))
		return 1;
	cli_ctx_init(&c, db);
	if (identity_source_load(db, &c.a, id, &s, &err) != 0 || !s->k) {
		fail("no identity source %lld", (long long)id);
	} else if (!s->k->test) {
		fail("a source of kind %s cannot be tested", s->kind);
	} else {
		rc = s->k->test(s, &c.a, LANG_EN, &out) == 0 ? 0 : 1;
		fputs(out.p ? out.p : "", stdout);
		printf("%s\n", rc ? "the connection does not work" : "the connection works");
	}
	buf_release(&out);
	cli_ctx_release(&c);
	db_close(db);
	return rc;
}

int cmd_signin_map(const struct args *a)
{
	struct db *db = open_current(arg(a, "db"));
	struct cli_ctx c;
	struct db_error err;
	struct db_rows r;
	int64_t id = 0, src = arg_int(a, "source", 0);

	if (!db)
		return 1;
	cli_ctx_init(&c, db);
	if (db_exec(db, &c.a,
		    "SELECT o.slug FROM identity_source s JOIN organisation o ON o.id = s.org_id"
		    " WHERE s.id = $1 AND s.archived = 0",
		    DB_ARGS(DB_INT(src)), &r, &err) || r.nrows != 1) {
		fail("no identity source %lld", (long long)src);
	} else if (cli_use_org(&c, db_cell(&r, 0, 0), &err) == 0) {
		id = identity_map_add(&c.cx, src, arg(a, "group"), arg(a, "role"),
				      arg_int(a, "unit", 0), &err);
		if (id)
			printf("%lld\n", (long long)id);
		else
			fail("cannot map the group: %s", problem(&c.a, &err));
	} else {
		fail("%s", err.msg);
	}
	cli_ctx_release(&c);
	db_close(db);
	return id ? 0 : 1;
}
