/* cmd_user.c - varn user add: gives a person an account and a role in an
 * organisation.
 *
 * It creates the account when the e-mail address is new (with the
 * password read from stdin, if asked to), creates the person in the
 * organisation or links the live one with that e-mail address, and adds
 * the role; what exists already is reused, so running it again changes
 * nothing.  All of it happens in one transaction (cli/ops.h): when a step
 * fails, nothing was saved, and what the command did is printed only once
 * it is committed.
 */
#include "base/base.h"

#include <unistd.h>

#include "cli/cli.h"
#include "cli/ops.h"
#include "core/auth.h"
#include "core/i18n.h"
#include "db/db.h"
#include "modules/org/accounts.h"
#include "modules/org/org.h"

const struct opt user_add_opts[] = {
	OPT_DB_REQUIRED,
	{ "org", V_SLUG, 1, "SLUG", NULL, NULL, 0, 0, "the organisation" },
	{ "email", V_EMAIL, 1, "E", NULL, NULL, 0, 0, "the account's e-mail address" },
	{ "name", V_TEXT, 1, "NAME", NULL, NULL, 0, 200,
	  "the person's name (used when the person is created)" },
	{ "role", V_ROLE, 1, "ROLE", NULL, NULL, 0, 0,
	  "samordnare, ledning, systemagare, informationsagare, systemforvaltare, "
	  "systemadministrator, it_chef, dataskyddsombud, anvandare or administrator" },
	{ "unit", V_INT, 0, "ID", NULL, NULL, 1, INT64_MAX,
	  "the unit (its id) the role applies to; also the person's unit when created" },
	{ "password-stdin", V_NONE, 0, NULL, NULL, NULL, 0, 0,
	  "read the password of a new account from the first line of stdin" },
	OPT_END,
};

/* Lines for stdout or stderr, held until the transaction is committed:
 * before that, "Created the account" could still become untrue. */
struct report {
	struct arena *a;
	struct {
		FILE *to;
		const char *text;
	} line[8];
	size_t n;
};

static void say(struct report *r, FILE *to, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void say(struct report *r, FILE *to, const char *fmt, ...)
{
	va_list ap;

	if (r->n == ARRAY_SIZE(r->line))
		BUG("user add says too much");
	va_start(ap, fmt);
	r->line[r->n].to = to;
	r->line[r->n].text = arena_vprintf(r->a, fmt, ap);
	va_end(ap);
	r->n++;
}

static void report_print(const struct report *r)
{
	for (size_t i = 0; i < r->n; i++)
		fputs(r->line[i].text, r->line[i].to);
}

/* Reads one line from stdin as the password.  Returns it (free() it after
 * explicit_bzero) or NULL after printing why. */
static char *read_password(const struct cmd *cmd, int *rc)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n = getline(&line, &cap, stdin);
	int problem;

	if (n <= 0) {
		free(line);
		*rc = usage_error(cmd, "--password-stdin: no password on stdin");
		return NULL;
	}
	while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
		line[--n] = 0;
	problem = auth_password_problem(line);
	if (problem) {
		explicit_bzero(line, cap);
		free(line);
		*rc = usage_error(cmd, "--password-stdin: %s", msg_text(LANG_EN, problem));
		return NULL;
	}
	return line;
}

int cmd_user_add(const struct args *a)
{
	const char *email_arg = arg(a, "email"), *role = arg(a, "role");
	int64_t unit = arg_int(a, "unit", 0);
	struct db_error err;
	struct cli_ctx c;
	struct report said = { 0 };
	char *password = NULL, hash[256] = "";
	const char *email, *unit_text = NULL;
	int64_t uid, pid, rid;
	int rc = 1, created, has_pw;
	struct db *db;

	if (arg(a, "password-stdin") && !(password = read_password(a->cmd, &rc)))
		return rc;
	if (!(db = open_current(arg(a, "db"))))
		goto out_pw;
	cli_ctx_init(&c, db);
	said.a = &c.a;
	email = auth_normalize_email(&c.a, email_arg);
	/* everything that can be checked is checked before the first write */
	if (cli_use_org(&c, arg(a, "org"), &err)) {
		fail("%s", err.msg);
		goto out;
	}
	if (unit) {
		int ok = cli_unit_exists(&c, unit, &err);
		if (ok < 0) {
			fail("%s", err.msg);
			goto out;
		}
		if (!ok) {
			fail("%s has no unit with the id %lld", c.org.slug, (long long)unit);
			goto out;
		}
		unit_text = arena_printf(&c.a, "%lld", (long long)unit);
	}
	/* the hash is made before the transaction: Argon2id takes a while */
	if (password && cli_password_hash(password, hash, sizeof(hash), &err)) {
		fail("%s", err.msg);
		goto out;
	}

	if (db_begin(db, &err)) {
		fail("%s", err.msg);
		goto out;
	}
	uid = cli_account_ensure(&c, email, password ? hash : NULL, &created, &err);
	if (!uid) {
		fail("cannot create the account %s: %s", email, err.msg);
		goto out;
	}
	has_pw = cli_account_has_password(&c, uid, &err);
	if (has_pw < 0) {
		fail("%s", err.msg);
		goto out;
	}
	if (created) {
		say(&said, stdout, "Created the account %s.\n", email);
	} else if (password && !has_pw) {
		if (cli_account_set_password(&c, uid, email, hash, &err)) {
			fail("cannot set the password of %s: %s", email, err.msg);
			goto out;
		}
		has_pw = 1;
		say(&said, stdout, "The account %s exists; its password is now set.\n", email);
	} else {
		say(&said, stdout, "The account %s exists; using it.\n", email);
		if (password)
			say(&said, stderr, "varn: the account already has a password; it is "
			    "left unchanged (make a reset link to change it)\n");
	}

	pid = cli_person_of_user(&c, uid, &err);
	if (!pid && err.code) {
		fail("%s", err.msg);
		goto out;
	}
	if (pid) {
		say(&said, stdout, "The account already has a person in %s (id %lld).\n",
		    c.org.slug, (long long)pid);
	} else {
		pid = cli_person_unlinked_by_email(&c, email, &err);
		if (!pid && err.code) {
			fail("%s", err.msg);
			goto out;
		}
		if (pid) {
			say(&said, stdout, "Linked the person with this e-mail address in %s "
			    "(id %lld) to the account.\n", c.org.slug, (long long)pid);
		} else {
			const char *v[16] = { 0 };
			v[PERSON_NAME] = arg(a, "name");
			v[PERSON_EMAIL] = email;
			v[PERSON_UNIT] = unit_text;
			v[PERSON_EMPLOYMENT] = "active";
			v[PERSON_PROTECTED] = "0";
			pid = cli_entity_create(&c, &org_people, v, &err);
			if (!pid) {
				fail("cannot create the person: %s", err.msg);
				goto out;
			}
			say(&said, stdout, "Created the person %s in %s (id %lld).\n",
			    arg(a, "name"), c.org.slug, (long long)pid);
		}
		if (cli_person_link(&c, pid, uid, email, &err)) {
			fail("cannot link the person to the account: %s", err.msg);
			goto out;
		}
	}

	rid = cli_role_find(&c, pid, role, unit, &err);
	if (!rid && err.code) {
		fail("%s", err.msg);
		goto out;
	}
	if (rid) {
		say(&said, stdout, "The person already holds the role %s there (id %lld).\n",
		    role, (long long)rid);
	} else {
		const char *v[16] = { 0 };
		v[ROLEA_PERSON] = arena_printf(&c.a, "%lld", (long long)pid);
		v[ROLEA_ROLE] = role;
		v[ROLEA_UNIT] = unit_text;
		rid = cli_entity_create(&c, &org_roles, v, &err);
		if (!rid) {
			fail("cannot add the role: %s", err.msg);
			goto out;
		}
		say(&said, stdout, "Added the role %s in %s%s%s (id %lld).\n", role,
		    c.org.slug, unit_text ? " for unit " : "", unit_text ? unit_text : "",
		    (long long)rid);
	}
	if (!has_pw)
		say(&said, stdout, "No password is set: an administrator must make a "
		    "reset link (varn reset-link --email %s).\n", email);
	if (db_commit(db, &err)) {
		fail("nothing was saved: %s", err.msg);
		goto out;
	}
	report_print(&said);
	rc = 0;
out:
	if (db_in_transaction(db))
		db_rollback(db);
	cli_ctx_release(&c);
	db_close(db);
out_pw:
	explicit_bzero(hash, sizeof(hash));
	if (password) {
		explicit_bzero(password, strlen(password));
		free(password);
	}
	return rc;
}

/* ---- varn user disable | enable | reset-totp ---- */

const struct opt user_disable_opts[] = {
	OPT_DB_REQUIRED,
	{ "org", V_SLUG, 1, "SLUG", NULL, NULL, 0, 0,
	  "the organisation the change is recorded in (the account's person there)" },
	{ "email", V_EMAIL, 1, "E", NULL, NULL, 0, 0, "the account" },
	{ "reason", V_TEXT, 0, "TEXT", NULL, NULL, 0, 500, "why, for the audit trail" },
	OPT_END,
};

const struct opt user_reset_totp_opts[] = {
	OPT_DB_REQUIRED,
	{ "org", V_SLUG, 1, "SLUG", NULL, NULL, 0, 0,
	  "the organisation the change is recorded in (the account's person there)" },
	{ "email", V_EMAIL, 1, "E", NULL, NULL, 0, 0, "the account" },
	{ "checked-by", V_TEXT, 1, "NAME", NULL, NULL, 0, 200,
	  "who checked the identity of whoever asked for the reset" },
	{ "checked-how", V_TEXT, 1, "HOW", NULL, NULL, 0, 40,
	  "how: in_person_id, callback_known_number, via_manager or other (with --note)" },
	{ "note", V_TEXT, 0, "TEXT", NULL, NULL, 0, 500, "more about the check" },
	OPT_END,
};

/* The account and its person in --org; 0 after saying why. */
static int64_t account_in_org(struct cli_ctx *c, const struct args *a, int64_t *person)
{
	struct db_error err;
	int64_t uid;

	if (cli_use_org(c, arg(a, "org"), &err)) {
		fail("%s", err.msg);
		return 0;
	}
	if (!(uid = find_account(c, arg(a, "email"))))
		return 0;
	*person = cli_person_of_user(c, uid, &err);
	if (!*person) {
		fail("the account %s has no person in %s",
		     auth_normalize_email(&c->a, arg(a, "email")), c->org.slug);
		return 0;
	}
	return uid;
}

static int user_life(const struct args *a, int what)
{
	struct db_error err = { 0 };
	struct cli_ctx c;
	struct db *db = open_current(arg(a, "db"));
	int64_t uid, person = 0;
	int rc = 1, changed = 0;

	if (!db)
		return 1;
	cli_ctx_init(&c, db);
	if (!(uid = account_in_org(&c, a, &person)))
		goto out;
	switch (what) {
	case 'd':
		if (account_disable(&c.cx, uid, person, ACCOUNT_BY_ADMIN, arg(a, "reason"), &err))
			break;
		printf("Disabled the account %s; its sessions and API tokens are ended\n",
		       auth_normalize_email(&c.a, arg(a, "email")));
		rc = 0;
		break;
	case 'e':
		if (account_enable(&c.cx, uid, person, NULL, arg(a, "reason"), &changed, &err))
			break;
		printf(changed ? "Enabled the account %s\n" : "The account %s is not disabled\n",
		       auth_normalize_email(&c.a, arg(a, "email")));
		rc = 0;
		break;
	default:
		if (!account_check_label(arg(a, "checked-how"))) {
			fail("--checked-how must be in_person_id, callback_known_number, "
			     "via_manager or other");
			goto out;
		}
		if (account_reset_totp(&c.cx, uid, person, arg(a, "checked-by"),
				       arg(a, "checked-how"), arg(a, "note"), &err))
			break;
		printf("Reset two-step verification of %s; it is set up again at the next "
		       "sign-in\n", auth_normalize_email(&c.a, arg(a, "email")));
		rc = 0;
	}
	if (rc)
		fail("%s", err.msg);
out:
	cli_ctx_release(&c);
	db_close(db);
	return rc;
}

int cmd_user_disable(const struct args *a)
{
	return user_life(a, 'd');
}

int cmd_user_enable(const struct args *a)
{
	return user_life(a, 'e');
}

int cmd_user_reset_totp(const struct args *a)
{
	return user_life(a, 't');
}
