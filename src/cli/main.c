/* main.c - the varn command: serve, set up and look after a Värn database.
 *
 * This file is only the dispatcher.  Commands are declared in one table,
 * commands[] (after git's commands[] and cgit's cmd.c), each with its own
 * declared option table in the file that implements it (cmd_NAME.c, as
 * git keeps builtin/; cli.h says how to add one).  One parser reads every
 * command's options (--opt value and --opt=value), applies defaults and
 * environment variables, checks each value by its declared kind, and turns
 * every mistake into a message on stderr and exit status 2 before anything
 * touches a database.  Handlers then return 0 on success and 1 on a
 * runtime failure.
 *
 * Output is for operators and scripts: results on stdout (for `token
 * create` nothing but the token), messages on stderr, in English.  Every
 * change a command makes writes its audit event in the same transaction,
 * as the actor "varn-cli" (cli/ops.c).  Passwords are never printed,
 * except the fixed demo password that `init --demo` announces on purpose.
 */
#include "base/base.h"

#include <sys/stat.h>
#include <sys/types.h>

#include "base/clock.h"
#include "base/utf8.h"
#include "cli/cli.h"
#include "cli/ops.h"
#include "core/roles.h"
#include "modules/org/org.h"

#ifndef VARN_VERSION
#define VARN_VERSION "0.1.0"
#endif

/* ---- the commands (cmd_NAME.c) ---- */

static const struct cmd commands[] = {
	{ "serve", cmd_serve, serve_opts, NULL,
	  "serve the web pages and the JSON API",
	  "Migrates the database first, then serves until SIGTERM or SIGINT, and\n"
	  "finishes the requests in flight before it exits.  Prints the line\n"
	  "\"varn: serving on http://HOST:PORT\" once it listens." },
	{ "init", cmd_init, init_opts, NULL,
	  "create or migrate a database (--demo: with the demo municipalities)",
	  "With --demo it creates Exempelstads kommun and Grannby kommun, which\n"
	  "share one security coordinator, and prints the demo logins.  A demo\n"
	  "database is for trying Värn out: its passwords are public." },
	{ "demo", cmd_demo, demo_opts, NULL,
	  "generate synthetic data at scale for benchmarks (--scale S|M|L|national)",
	  "Makes the demo municipalities as `init --demo` does, then fills\n"
	  "Exempelstad to the size asked with records of every register (people,\n"
	  "systems, information, gap analyses, risks, ten years of incidents,\n"
	  "activities, the audit trail); national adds 289 organisations of mixed\n"
	  "sizes.  The same --seed and --now give the same data.  Needs a new\n"
	  "database." },
	{ "org add", cmd_org_add, org_add_opts, NULL,
	  "add an organisation (a municipality, joint IT organisation, ...)", NULL },
	{ "user add", cmd_user_add, user_add_opts, NULL,
	  "give a person an account and a role in an organisation",
	  "Creates the account when the e-mail address is new and reuses it\n"
	  "otherwise; creates the person in the organisation (or links the one\n"
	  "with that e-mail address) when the account has none there; adds the\n"
	  "role.  Run it once per organisation to give one account roles in\n"
	  "several (a coordinator shared by neighbouring municipalities).\n"
	  "Without --password-stdin the account has no password until an\n"
	  "administrator makes a reset link (varn reset-link)." },
	{ "user disable", cmd_user_disable, user_disable_opts, NULL,
	  "disable an account: it cannot sign in, its sessions and tokens end",
	  "Audited in the organisation given (where the account has a person).\n"
	  "Ending an employment in the people register does the same by itself." },
	{ "user enable", cmd_user_enable, user_disable_opts, NULL,
	  "enable a disabled account again", NULL },
	{ "user reset-totp", cmd_user_reset_totp, user_reset_totp_opts, NULL,
	  "turn off an account's two-step verification after an identity check",
	  "For someone who lost their phone.  Who checked the identity, and how,\n"
	  "is recorded in the audit trail.  Calls that ask for a reset are a\n"
	  "known fraud: call back on a number you already know." },
	{ "token create", cmd_token_create, token_create_opts, NULL,
	  "create an API token for an account (prints only the token)",
	  "Use it as \"Authorization: Bearer TOKEN\" against /api/v1.  The\n"
	  "database keeps only its hash: it cannot be shown again." },
	{ "reset-link", cmd_reset_link, reset_link_opts, NULL,
	  "make a one-time password-reset link for an account",
	  "The link is valid for 24 hours and works once.  Värn never sends\n"
	  "such links itself; hand it over only when you know who you are\n"
	  "talking to (calls that ask for a reset are a known fraud)." },
	{ "db migrate", cmd_db_migrate, db_only_opts, NULL,
	  "apply the missing database migrations", NULL },
	{ "db status", cmd_db_status, db_only_opts, NULL,
	  "list the migrations; exit 1 when some are pending", NULL },
	{ "backup", cmd_backup, backup_opts, "[FILE]",
	  "write a sealed (encrypted, authenticated) backup of the database to FILE",
	  "The backup is a SQLite file with a manifest of row counts and\n"
	  "checksums, whichever engine the database runs on, taken from one\n"
	  "snapshot while the server keeps running, and sealed with the\n"
	  "installation's backup key (varn init makes it), --key FILE or a\n"
	  "passphrase (--passphrase-stdin).  Keep the key apart from the\n"
	  "backups: without it they cannot be restored.  --dir DIR --keep N\n"
	  "names the file by the time and keeps the newest N (for cron)." },
	{ "restore", cmd_restore, restore_opts, "FILE",
	  "restore a sealed backup into a new, empty database",
	  "Needs the key or passphrase the backup was sealed with.  Opens and\n"
	  "authenticates the whole file first (a forged, truncated or wrong-key\n"
	  "backup is refused before the target is touched), migrates the target\n"
	  "if needed, refuses one that holds data, copies every table in one\n"
	  "transaction, checks the manifest, then verifies the audit trail's\n"
	  "hash chain.  An unsealed backup of an older Värn needs --unsealed." },
	{ "audit verify", cmd_audit_verify, audit_verify_opts, NULL,
	  "verify the audit trail's hash chain (exit 0 intact, 1 broken)",
	  "Prints the chain's head (SEQ:HASH).  The chain alone shows any change\n"
	  "to an event before the newest; a change to the newest events made\n"
	  "together with the head shows only against a head kept elsewhere:\n"
	  "--expect SEQ:HASH (from `varn audit head`, the daily mail the\n"
	  "organisation asked for, or --audit-head-file)." },
	{ "audit head", cmd_audit_head, audit_head_opts, NULL,
	  "print the audit trail's head (SEQ:HASH) or append it to a file", NULL },
	{ "import", cmd_import, import_opts, "FILE",
	  "import a CSV file into a register (all rows or none)",
	  "The same import as the register's import page: the first line names\n"
	  "the columns (labels as in the CSV export, or technical names), and\n"
	  "references are given by name or id.  The file is read a row at a\n"
	  "time and has no row limit (the page takes 10,000); it is one\n"
	  "transaction.  Progress goes to stderr (on a terminal a line redrawn\n"
	  "with rows/s, else a line per 100,000 rows and at the end).  When any\n"
	  "row is refused nothing is saved, the problems are printed as\n"
	  "\"line N: column: message\" (in Swedish; the first 100, the rest\n"
	  "counted) and the exit status is 1.\n"
	  "--register may also name an interchange format that a module brings\n"
	  "(a wrong name lists every register and format)." },
	{ "export", cmd_export, export_opts, "FILE",
	  "export a register's records to a CSV or XLSX file",
	  "The same columns and values as the export on the register's page\n"
	  "(live records, Swedish headers).  --register may also name an\n"
	  "interchange format that a module brings, written as CSV.\n"
	  "--document NAME --format pdf writes a module's document as the page's\n"
	  "PDF download does (FILE - for standard output), e.g.\n"
	  "  varn export --db URL --org SLUG --document system-register [--unit ID] --format pdf FILE\n"
	  "  varn export --db URL --org SLUG --document classification-record --id N --format pdf FILE" },
	{ "jobs run", cmd_jobs_run, jobs_run_opts, NULL,
	  "run the scheduled jobs that are due now, then exit",
	  "For cron, or beside `varn serve --no-jobs`.  Each job runs at most\n"
	  "once per period however many processes run it (several servers,\n"
	  "cron); after a downtime only the current period is run.  Prints\n"
	  "one line per run: \"NAME: ok: what it did\" or \"NAME: failed: why\"." },
	{ "jobs list", cmd_jobs_list, db_only_opts, NULL,
	  "list the scheduled jobs, their latest run and when they are due", NULL },
	{ "mail config", cmd_mail_config, mail_config_opts, NULL,
	  "set the SMTP server the outbox sends through",
	  "The password is read from --password-file (its first line), never\n"
	  "from the command line, and is never shown or backed up; without\n"
	  "--password-file the stored one is kept.  --disable keeps the\n"
	  "settings and queues mail without sending it." },
	{ "signin add", cmd_signin_add, signin_add_opts, NULL,
	  "add an identity source: Active Directory/LDAP or OpenID Connect",
	  "  varn signin add --db URL --org SLUG --kind ldap --name \"Kommunens AD\" \\\n"
	  "    --set url=ldaps://dc1.kommun.se:636 --set base_dn=OU=Personal,DC=kommun,DC=se \\\n"
	  "    --set bind_dn=CN=varn-sok,OU=Tjanstekonton,DC=kommun,DC=se \\\n"
	  "    --set ca_cert=@ca.pem --secret-stdin bind_password < pw.txt\n"
	  "Without --set the kind's settings are listed.  Prints the source's id;\n"
	  "then map groups to roles with `varn signin map`." },
	{ "signin list", cmd_signin_list, signin_list_opts, NULL,
	  "list an organisation's identity sources (id, kind, on/off, groups, name)", NULL },
	{ "signin test", cmd_signin_test, signin_test_opts, "ID",
	  "test the connection of an identity source (exit 0 when it works)", NULL },
	{ "signin map", cmd_signin_map, signin_map_opts, NULL,
	  "let members of a directory group get a role (per organisation or unit)", NULL },
	{ "mail show", cmd_mail_show, db_only_opts, NULL,
	  "show the SMTP settings (never the password)", NULL },
	{ "mail test", cmd_mail_test, mail_test_opts, NULL,
	  "queue a test message and send what is due now (exit 1 unless sent)", NULL },
	{ "mail send-due", cmd_mail_send_due, db_only_opts, NULL,
	  "send the outbox's due messages once (the outbox job's work)", NULL },
	{ "mail list", cmd_mail_list, mail_list_opts, NULL,
	  "list the outbox, newest first (id, org, state, attempts, to, subject, answer)",
	  NULL },
	{ "mail resend", cmd_mail_resend, db_only_opts, "ID",
	  "queue a failed message again (audited)", NULL },
};

/* ---- help ---- */

static void list_commands(FILE *out)
{
	fprintf(out, "usage: varn COMMAND [OPTIONS]\n\n"
		"Värn: information security management for Swedish municipalities.\n\n"
		"Commands:\n");
	for (size_t i = 0; i < ARRAY_SIZE(commands); i++)
		fprintf(out, "  %-14s %s\n", commands[i].name, commands[i].summary);
	fprintf(out, "  %-14s %s\n", "help COMMAND", "the options of a command");
	fprintf(out, "\nOptions take a value as --opt VALUE or --opt=VALUE.  A database URL\n"
		"is sqlite:PATH or postgresql://USER@HOST/DBNAME (or libpq's\n"
		"\"host=... dbname=...\"); VARN_DB in the environment gives the default.\n"
		"Exit status: 0 done, 1 failed, 2 bad arguments.\n");
}

static void cmd_usage(const struct cmd *cmd, FILE *out)
{
	fprintf(out, "usage: varn %s", cmd->name);
	for (const struct opt *o = cmd->opts; o->name; o++) {
		const char *l = o->required ? "" : "[", *r = o->required ? "" : "]";
		if (o->check == V_NONE)
			fprintf(out, " %s--%s%s", l, o->name, r);
		else
			fprintf(out, " %s--%s %s%s", l, o->name, o->metavar, r);
	}
	if (cmd->positional)
		fprintf(out, " %s", cmd->positional);
	fprintf(out, "\n\n%c%s.\n", cmd->summary[0] - 'a' + 'A', cmd->summary + 1);
	if (cmd->details)
		fprintf(out, "\n%s\n", cmd->details);
	fprintf(out, "\nOptions:\n");

	for (const struct opt *o = cmd->opts; o->name; o++) {
		char left[64];
		snprintf(left, sizeof(left), "--%s%s%s", o->name, o->metavar ? " " : "",
			 o->metavar ? o->metavar : "");
		fprintf(out, "  %-20s %s%s\n", left, o->help, o->required && !o->env ?
			" (required)" : "");
	}
}

/* ---- parsing ---- */

static int db_url_ok(const char *v)
{
	if (strncmp(v, "sqlite:", 7) == 0)
		return v[7] != 0 && strncmp(v + 7, "//", 2) != 0;
	if (strncmp(v, "postgresql://", 13) == 0 || strncmp(v, "postgres://", 11) == 0)
		return 1;
	/* libpq's keyword form: "host=/run/postgresql dbname=varn" */
	while (*v == ' ')
		v++;
	if (!(*v >= 'a' && *v <= 'z'))
		return 0;
	while ((*v >= 'a' && *v <= 'z') || *v == '_')
		v++;
	return *v == '=' || (*v == ' ' && strchr(v, '=') && v[strspn(v, " ")] == '=');
}

static int email_ok(const char *v)
{
	const char *at = strchr(v, '@');

	if (!at || at == v || strchr(at + 1, '@') || !strchr(at + 1, '.') ||
	    strlen(v) > 254)
		return 0;
	for (const char *p = v; *p; p++)
		if ((unsigned char)*p <= ' ' || strchr("<>\",;()[]\\", *p))
			return 0;
	return 1;
}

static void list_codes(struct buf *b, int roles)
{
	if (roles) {
		for (int r = 0; r < ROLE__COUNT; r++)
			buf_printf(b, "%s%s", r ? ", " : "", role_code(r));
	} else {
		for (const struct choice *k = org_kinds; k->value; k++)
			buf_printf(b, "%s%s", k == org_kinds ? "" : ", ", k->value);
	}
}

/* Checks one value; on a problem prints it and returns EXIT_USAGE. */
static int check_value(const struct cmd *cmd, const struct opt *o, const char *v,
		       const char *from)
{
	char host[64];
	int port;
	int64_t x;
	struct buf b = BUF_INIT;
	int rc = 0;

	switch (o->check) {
	case V_NONE:
		break;
	case V_TEXT:
		if (!*v || !utf8_valid_text(v, strlen(v)) || strchr(v, '\n') ||
		    strchr(v, '\r') || strchr(v, '\t'))
			rc = usage_error(cmd, "%s: wants one line of text", from);
		else if (o->max && (int64_t)utf8_length(v, strlen(v)) > o->max)
			rc = usage_error(cmd, "%s: longer than %lld characters",
					 from, (long long)o->max);
		break;
	case V_PATH:
		if (!*v)
			rc = usage_error(cmd, "%s: wants a file name", from);
		break;
	case V_PAIRS:
		if (!utf8_valid_text(v, strlen(v)) || strchr(v, '\n') || strchr(v, '\r') ||
		    !strchr(v, '=') || *v == '=')
			rc = usage_error(cmd, "%s: wants KEY=VALUE on one line", from);
		break;
	case V_DBURL:
		if (!db_url_ok(v))
			/* not echoed: a mistyped URL may still hold a password */
			rc = usage_error(cmd, "%s: not a database URL (sqlite:PATH "
					 "or postgresql://...)", from);
		break;
	case V_INT:
		if ((parse_i64(v, &x) || x < o->min) && o->max == INT64_MAX)
			rc = usage_error(cmd, "%s: wants a positive whole number, "
					 "not '%s'", from, v);
		else if (parse_i64(v, &x) || x < o->min || x > o->max)
			rc = usage_error(cmd, "%s: wants a whole number from %lld "
					 "to %lld, not '%s'", from,
					 (long long)o->min, (long long)o->max, v);
		break;
	case V_SLUG:
		if (!cli_slug_ok(v))
			rc = usage_error(cmd, "%s: '%s' is not a slug: 2-40 characters "
					 "of a-z, 0-9 and '-', not starting or ending "
					 "with '-'", from, v);
		break;
	case V_ORGKIND:
		if (!cli_org_kind_ok(v)) {
			list_codes(&b, 0);
			rc = usage_error(cmd, "%s: unknown organisation kind '%s' "
					 "(one of: %s)", from, v, b.p);
		}
		break;
	case V_ROLE:
		if (role_parse(v) < 0) {
			list_codes(&b, 1);
			rc = usage_error(cmd, "%s: unknown role '%s' (one of: %s)",
					 from, v, b.p);
		}
		break;
	case V_EMAIL:
		if (!email_ok(v))
			rc = usage_error(cmd, "%s: '%s' is not an e-mail address", from, v);
		break;
	case V_LISTEN:
		if (parse_listen(v, host, sizeof(host), &port))
			rc = usage_error(cmd, "%s: wants HOST:PORT with a numeric "
					 "address, e.g. 127.0.0.1:8080 or [::1]:8080, "
					 "not '%s'", from, v);
		break;
	case V_HTTPURL:
		if ((strncmp(v, "http://", 7) != 0 && strncmp(v, "https://", 8) != 0) ||
		    strchr(v, '?') || strchr(v, '#') || strchr(v, ' ') ||
		    !utf8_valid_text(v, strlen(v)) || strlen(v) > 1000)
			rc = usage_error(cmd, "%s: wants an http:// or https:// "
					 "address, not '%s'", from, v);
		break;
	}
	buf_release(&b);
	return rc;
}

#define PARSE_HELP (-1)

/* Parses argv (what follows the command's name) into out.  Returns 0,
 * PARSE_HELP for --help, or EXIT_USAGE after printing the problem. */
static int parse_args(const struct cmd *cmd, int argc, char **argv, struct args *out)
{
	int nopts = 0, options_done = 0, rc;

	memset(out, 0, sizeof(*out));
	out->cmd = cmd;
	while (cmd->opts[nopts].name)
		nopts++;
	if (nopts > MAX_OPTS)
		BUG("command %s declares too many options", cmd->name);
	for (int i = 0; i < argc; i++) {
		const char *s = argv[i], *name, *eq, *val = NULL;
		const struct opt *o = NULL;
		char from[64];
		size_t len;
		int k;

		if (!options_done && strcmp(s, "--") == 0) {
			options_done = 1;
			continue;
		}
		if (!options_done && (strcmp(s, "-h") == 0 || strcmp(s, "--help") == 0))
			return PARSE_HELP;
		if (options_done || s[0] != '-' || s[1] == 0) {
			if (!cmd->positional)
				return usage_error(cmd, "unexpected argument '%s'", s);
			if (out->pos) {
				const char *what = cmd->positional;
				int wl = (int)strlen(what);

				if (what[0] == '[') { /* "[FILE]" */
					what++;
					wl -= 2;
				}
				return usage_error(cmd, "one %.*s only, not also '%s'",
						   wl, what, s);
			}
			out->pos = s;
			continue;
		}
		if (s[1] != '-')
			return usage_error(cmd, "unknown option '%s'", s);
		name = s + 2;
		eq = strchr(name, '=');
		len = eq ? (size_t)(eq - name) : strlen(name);
		for (k = 0; k < nopts; k++)
			if (strlen(cmd->opts[k].name) == len &&
			    strncmp(cmd->opts[k].name, name, len) == 0) {
				o = &cmd->opts[k];
				break;
			}
		if (!o)
			return usage_error(cmd, "unknown option '--%.*s'", (int)len, name);
		if (out->val[k] && o->check != V_PAIRS)
			return usage_error(cmd, "--%s is given more than once", o->name);
		if (o->check == V_NONE) {
			if (eq)
				return usage_error(cmd, "--%s takes no value", o->name);
			out->val[k] = "1";
			continue;
		}
		if (eq)
			val = eq + 1;
		else if (i + 1 < argc && strncmp(argv[i + 1], "--", 2) != 0)
			val = argv[++i];
		if (!val || !*val)
			return usage_error(cmd, "--%s needs a value (%s)", o->name, o->metavar);
		snprintf(from, sizeof(from), "--%s", o->name);
		if ((rc = check_value(cmd, o, val, from)))
			return rc;
		if (o->check == V_PAIRS && out->val[k]) {
			/* repeated: one KEY=VALUE a line (lives until exit) */
			size_t l0 = strlen(out->val[k]), l1 = strlen(val);
			char *j = malloc(l0 + l1 + 2);

			if (!j)
				return fail("out of memory");
			memcpy(j, out->val[k], l0);
			j[l0] = '\n';
			memcpy(j + l0 + 1, val, l1 + 1);
			val = j;
		}
		out->val[k] = val;
	}
	for (int k = 0; k < nopts; k++) {
		const struct opt *o = &cmd->opts[k];
		const char *e;
		if (out->val[k])
			continue;
		if (o->env && (e = getenv(o->env)) && *e) {
			char from[64];
			snprintf(from, sizeof(from), "$%s", o->env);
			if ((rc = check_value(cmd, o, e, from)))
				return rc;
			out->val[k] = e;
		} else if (o->def) {
			out->val[k] = o->def;
		} else if (o->required) {
			return usage_error(cmd, "--%s %s is missing", o->name, o->metavar);
		}
	}
	/* "[FILE]": optional; the command says when it is missing */
	if (cmd->positional && cmd->positional[0] != '[' && !out->pos)
		return usage_error(cmd, "%s is missing", cmd->positional);
	return 0;
}

/* ---- dispatch ---- */

/* Finds the command named by argv[0] (and argv[1] for two-word names);
 * *used says how many words the name took.  NULL after printing why. */
static const struct cmd *find_command(int argc, char **argv, int *used)
{
	size_t n0 = strlen(argv[0]);
	int group = 0;

	for (size_t i = 0; i < ARRAY_SIZE(commands); i++) {
		const char *name = commands[i].name, *sp = strchr(name, ' ');
		size_t len = sp ? (size_t)(sp - name) : strlen(name);

		if (len != n0 || strncmp(name, argv[0], len) != 0)
			continue;
		if (!sp) {
			*used = 1;
			return &commands[i];
		}
		group = 1;
		if (argc > 1 && strcmp(sp + 1, argv[1]) == 0) {
			*used = 2;
			return &commands[i];
		}
	}
	if (group) {
		struct buf b = BUF_INIT;
		for (size_t i = 0; i < ARRAY_SIZE(commands); i++)
			if (strncmp(commands[i].name, argv[0], n0) == 0 &&
			    commands[i].name[n0] == ' ')
				buf_printf(&b, "%s'%s'", b.len ? ", " : "", commands[i].name);
		if (argc > 1)
			fprintf(stderr, "varn %s: unknown subcommand '%s' (there are: %s)\n",
				argv[0], argv[1], b.p);
		else
			fprintf(stderr, "varn %s: which one? (there are: %s)\n", argv[0], b.p);
		buf_release(&b);
	} else {
		fprintf(stderr, "varn: unknown command '%s'; see 'varn --help'\n", argv[0]);
	}
	return NULL;
}

static int help(int argc, char **argv)
{
	const struct cmd *cmd;
	int used;

	if (argc == 0) {
		list_commands(stdout);
		return 0;
	}
	if (!(cmd = find_command(argc, argv, &used)))
		return EXIT_USAGE;
	if (used < argc) {
		fprintf(stderr, "varn help: unexpected argument '%s'\n", argv[used]);
		return EXIT_USAGE;
	}
	cmd_usage(cmd, stdout);
	return 0;
}

int main(int argc, char **argv)
{
	const struct cmd *cmd;
	struct args args;
	int used, rc;

	/* the database, its journal files, backups and the key file are
	 * for the service's user alone, whatever umask it was started with */
	umask(077);
	clock_init();
	if (argc < 2) {
		list_commands(stderr);
		return EXIT_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)
		return help(0, NULL);
	if (strcmp(argv[1], "help") == 0)
		return help(argc - 2, argv + 2);
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "version") == 0) {
		printf("varn %s\n", VARN_VERSION);
		return 0;
	}
	if (argv[1][0] == '-') {
		fprintf(stderr, "varn: unknown option '%s'; see 'varn --help'\n", argv[1]);
		return EXIT_USAGE;
	}
	if (!(cmd = find_command(argc - 1, argv + 1, &used)))
		return EXIT_USAGE;
	rc = parse_args(cmd, argc - 1 - used, argv + 1 + used, &args);
	if (rc == PARSE_HELP) {
		cmd_usage(cmd, stdout);
		return 0;
	}
	if (rc)
		return rc;
	return cmd->fn(&args);
}
