/* cmd_mail.c - varn mail config|show|test|send-due|list|resend: the
 * installation's SMTP server and the outbox (core/outbox.h), for
 * operators.  The password is read from a file, never from the command
 * line (it would be in the process list and the shell's history), and
 * never printed. */
#include "base/base.h"

#include <sodium.h>
#include <string.h>

#include "base/arena.h"
#include "cli/cli.h"
#include "cli/ops.h"
#include "core/outbox.h"
#include "db/db.h"

const struct opt mail_config_opts[] = {
	OPT_DB_REQUIRED,
	{ "host", V_TEXT, 1, "HOST", NULL, NULL, 0, 253, "the SMTP server" },
	{ "port", V_INT, 0, "PORT", NULL, "587", 1, 65535, "its port (default 587)" },
	{ "security", V_TEXT, 0, "MODE", NULL, "starttls", 0, 10,
	  "starttls (default), tls (SMTPS) or none" },
	{ "user", V_TEXT, 0, "USER", NULL, NULL, 0, 200, "sign in as USER (AUTH)" },
	{ "password-file", V_PATH, 0, "FILE", NULL, NULL, 0, 0,
	  "the password, as the first line of FILE" },
	{ "from", V_EMAIL, 1, "ADDR", NULL, NULL, 0, 0, "the sender's address" },
	{ "from-name", V_TEXT, 0, "NAME", NULL, "Värn", 0, 100, "the sender's name" },
	{ "base-url", V_HTTPURL, 1, "URL", NULL, NULL, 0, 0,
	  "where people reach Värn, for the links in messages" },
	{ "disable", V_NONE, 0, NULL, NULL, NULL, 0, 0, "keep the settings, send nothing" },
	OPT_END,
};

/* The password file's first line; NULL after saying why. */
static char *read_password(struct arena *a, const char *path)
{
	size_t len;
	char *text = read_file(path, 4096, &len), *pw;

	if (!text)
		return NULL;
	text[strcspn(text, "\r\n")] = '\0';
	pw = arena_strdup(a, text);
	sodium_memzero(text, len);
	free(text);
	return pw;
}

int cmd_mail_config(const struct args *a)
{
	struct db_error err;
	struct cli_ctx c;
	struct mail_config mc = { 0 };
	struct db *db;
	const char *sec = arg(a, "security");
	int rc = 1;

	if (strcmp(sec, "starttls") != 0 && strcmp(sec, "tls") != 0 &&
	    strcmp(sec, "none") != 0)
		return usage_error(a->cmd, "--security is starttls, tls or none");
	/* the password would cross the network in clear */
	if (strcmp(sec, "none") == 0 && (arg(a, "user") || arg(a, "password-file")))
		return usage_error(a->cmd, "--user and --password-file need --security"
				   " starttls or tls: without TLS the password is sent in clear");
	if (!(db = open_current(arg(a, "db"))))
		return 1;
	cli_ctx_init(&c, db);
	mc.host = arg(a, "host");
	mc.port = (int)arg_int(a, "port", 587);
	mc.security = sec;
	mc.username = arg(a, "user");
	mc.from_addr = arg(a, "from");
	mc.from_name = arg(a, "from-name");
	mc.base_url = arg(a, "base-url");
	mc.enabled = !arg(a, "disable");
	if (arg(a, "password-file") &&
	    !(mc.password = read_password(&c.a, arg(a, "password-file"))))
		goto out;
	if (db_begin(db, &err) != 0 || outbox_config_save(&c.cx, &mc, &err) != 0 ||
	    db_commit(db, &err) != 0) {
		if (db_in_transaction(db))
			db_rollback(db);
		fail("cannot save the mail settings: %s", err.msg);
		goto out;
	}
	printf("Mail %s: %s:%d (%s), from %s.\n", mc.enabled ? "enabled" : "disabled",
	       mc.host, mc.port, mc.security, mc.from_addr);
	rc = 0;
out:
	cli_ctx_release(&c);
	db_close(db);
	return rc;
}

int cmd_mail_show(const struct args *a)
{
	struct db_error err;
	struct cli_ctx c;
	struct mail_config mc;
	struct db *db = open_current(arg(a, "db"));
	int rc = 1;

	if (!db)
		return 1;
	cli_ctx_init(&c, db);
	if (outbox_config_load(&c.cx, &mc, 0, &err) != 0) {
		fail("cannot read the mail settings: %s", err.msg);
	} else {
		printf("enabled:   %s\n", mc.enabled ? "yes" : "no");
		printf("host:      %s\n", mc.host ? mc.host : "(not configured)");
		printf("port:      %d\n", mc.port);
		printf("security:  %s\n", mc.security);
		printf("user:      %s\n", mc.username ? mc.username : "(none: no AUTH)");
		printf("password:  %s\n", mc.has_password ? "(set)" : "(none)");
		printf("from:      %s%s%s%s\n", mc.from_name ? mc.from_name : "",
		       mc.from_name ? " <" : "", mc.from_addr ? mc.from_addr : "(none)",
		       mc.from_name ? ">" : "");
		printf("base url:  %s\n", mc.base_url ? mc.base_url : "(none)");
		rc = 0;
	}
	cli_ctx_release(&c);
	db_close(db);
	return rc;
}

const struct opt mail_test_opts[] = {
	OPT_DB_REQUIRED,
	{ "to", V_EMAIL, 1, "ADDR", NULL, NULL, 0, 0, "the recipient" },
	OPT_END,
};

static const char sql_state[] =
	"SELECT state, attempts, last_error FROM outbox WHERE id = $1";

int cmd_mail_test(const struct args *a)
{
	struct db_error err;
	struct cli_ctx c;
	struct outbox_msg m = { 0 };
	struct db_rows r;
	struct db *db = open_current(arg(a, "db"));
	int64_t id;
	int rc = 1;

	if (!db)
		return 1;
	cli_ctx_init(&c, db);
	m.to = arg(a, "to");
	m.subject = "Testmeddelande från Värn / Test message from Värn";
	m.text = "Det här är ett testmeddelande från Värn: e-posten fungerar.\n\n"
		 "This is a test message from Värn: e-mail works.\n";
	m.html = "<p>Det här är ett testmeddelande från Värn: e-posten fungerar.</p>"
		 "<p lang=\"en\">This is a test message from Värn: e-mail works.</p>";
	if ((id = outbox_enqueue(&c.cx, &m, &err)) <= 0) {
		fail("cannot queue the message: %s", err.msg);
		goto out;
	}
	if (outbox_send_now(&c.cx, id, &err) < 0 ||
	    db_exec(db, &c.a, sql_state, DB_ARGS(DB_INT(id)), &r, &err) != 0 || !r.nrows) {
		fail("cannot send: %s", err.msg);
		goto out;
	}
	printf("message %lld: %s (%s)\n", (long long)id, db_cell(&r, 0, 0),
	       db_cell(&r, 0, 2) ? db_cell(&r, 0, 2) : "mail is not configured or enabled");
	rc = strcmp(db_cell(&r, 0, 0), "sent") == 0 ? 0 : 1;
out:
	cli_ctx_release(&c);
	db_close(db);
	return rc;
}

int cmd_mail_send_due(const struct args *a)
{
	struct db_error err;
	struct cli_ctx c;
	struct db *db = open_current(arg(a, "db"));
	int n;

	if (!db)
		return 1;
	cli_ctx_init(&c, db);
	if ((n = outbox_send_due(&c.cx, 100, &err)) < 0)
		fail("cannot send: %s", err.msg);
	else
		printf("%d sent\n", n);
	cli_ctx_release(&c);
	db_close(db);
	return n < 0;
}

const struct opt mail_list_opts[] = {
	OPT_DB_REQUIRED,
	{ "org", V_SLUG, 0, "SLUG", NULL, NULL, 0, 0, "only this organisation's" },
	{ "state", V_TEXT, 0, "STATE", NULL, NULL, 0, 10, "queued, sending, sent or failed" },
	{ "limit", V_INT, 0, "N", NULL, "50", 1, 1000, "the newest N (default 50)" },
	OPT_END,
};

static const char sql_list[] =
	"SELECT o.id, COALESCE(g.slug, '-'), o.state, o.attempts, o.to_addr,"
	" o.subject, o.last_error FROM outbox o"
	" LEFT JOIN organisation g ON g.id = o.org_id"
	" WHERE ($1 = '' OR g.slug = $1) AND ($2 = '' OR o.state = $2)"
	" ORDER BY o.id DESC LIMIT $3";

int cmd_mail_list(const struct args *a)
{
	struct db_error err;
	struct cli_ctx c;
	struct db_rows r;
	struct db *db = open_current(arg(a, "db"));
	const char *org = arg(a, "org"), *state = arg(a, "state");
	int rc = 0;

	if (!db)
		return 1;
	cli_ctx_init(&c, db);
	if (db_exec(db, &c.a, sql_list,
		    DB_ARGS(DB_TEXT(org ? org : ""), DB_TEXT(state ? state : ""),
			    DB_INT(arg_int(a, "limit", 50))), &r, &err) != 0) {
		rc = fail("cannot read the outbox: %s", err.msg);
	} else {
		for (size_t i = 0; i < r.nrows; i++)
			printf("%s\t%s\t%s\t%s\t%s\t%s\t%s\n", db_cell(&r, i, 0),
			       db_cell(&r, i, 1), db_cell(&r, i, 2), db_cell(&r, i, 3),
			       db_cell(&r, i, 4), db_cell(&r, i, 5),
			       db_cell(&r, i, 6) ? db_cell(&r, i, 6) : "");
	}
	cli_ctx_release(&c);
	db_close(db);
	return rc;
}

int cmd_mail_resend(const struct args *a)
{
	struct db_error err;
	struct cli_ctx c;
	struct db *db;
	char *end;
	long long id = strtoll(a->pos ? a->pos : "", &end, 10);
	int k = -1;

	if (!a->pos || *end || id <= 0)
		return usage_error(a->cmd, "ID is a message's number (varn mail list)");
	if (!(db = open_current(arg(a, "db"))))
		return 1;
	cli_ctx_init(&c, db);
	if (db_begin(db, &err) == 0 && (k = outbox_resend(&c.cx, 0, id, &err)) >= 0 &&
	    db_commit(db, &err) == 0) {
		if (k)
			printf("message %lld queued again\n", id);
		else
			fail("no failed message %lld", id);
	} else {
		if (db_in_transaction(db))
			db_rollback(db);
		fail("cannot queue again: %s", err.msg);
		k = 0;
	}
	cli_ctx_release(&c);
	db_close(db);
	return k == 1 ? 0 : 1;
}
