/* main.c - the varn command: serve, set up and look after a Värn database.
 *
 * Commands are declared in one table, commands[] (after git's commands[]
 * and cgit's cmd.c), each with its own declared option table; one parser
 * reads every command's options (--opt value and --opt=value), applies
 * defaults and environment variables, checks each value by its declared
 * kind, and turns every mistake into a message on stderr and exit status 2
 * before anything touches a database.  Handlers then return 0 on success
 * and 1 on a runtime failure.
 *
 * Output is for operators and scripts: results on stdout (for `token
 * create` nothing but the token), messages on stderr, in English.  Every
 * change a command makes writes its audit event in the same transaction,
 * as the actor "varn-cli" (cli/ops.c).  Passwords are never printed,
 * except the fixed demo password that `init --demo` announces on purpose.
 */
#include "base/base.h"

#include <errno.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include "base/clock.h"
#include "base/utf8.h"
#include "cli/demo.h"
#include "cli/ops.h"
#include "core/audit.h"
#include "core/auth.h"
#include "core/entity.h"
#include "core/module.h"
#include "core/entity_import.h"
#include "core/roles.h"
#include "db/db.h"
#include "http/http.h"
#include "modules/org/org.h"
#include "parse/csv.h"
#include "web/app.h"
#include "core/i18n.h"
#include "web/pages_entity.h"
#include "web/xlsx.h"

#ifndef VARN_VERSION
#define VARN_VERSION "0.1.0"
#endif

#define EXIT_USAGE 2
/* The path of the page behind a reset link (web/pages_auth.c). */
#define RESET_PATH "/aterstall/"
#define DEFAULT_DB "sqlite:var/varn.db"
#define DEFAULT_LISTEN "127.0.0.1:8080"
#define DEFAULT_BASE_URL "http://127.0.0.1:8080"

/* ---- declarations ---- */

/* How an option's value is checked before a command runs. */
enum check {
	V_NONE = 0,   /* a flag: no value */
	V_TEXT,       /* non-empty, valid UTF-8 text without control characters */
	V_DBURL,      /* sqlite:PATH or a PostgreSQL URL / key=value string */
	V_INT,        /* decimal in [min, max] */
	V_SLUG,       /* organisation slug */
	V_ORGKIND,    /* org_kinds[] code */
	V_ROLE,       /* role code */
	V_EMAIL,
	V_LISTEN,     /* HOST:PORT */
	V_HTTPURL,    /* http:// or https:// */
	V_PATH,       /* a file name */
};

struct opt {
	const char *name;     /* --name */
	enum check check;
	int required;
	const char *metavar;  /* "URL" */
	const char *env;      /* environment variable used when absent */
	const char *def;      /* default when absent from both */
	int64_t min, max;     /* V_INT */
	const char *help;
};

#define MAX_OPTS 12

struct cmd;
struct args {
	const struct cmd *cmd;
	const char *val[MAX_OPTS]; /* by index in cmd->opts; flags "1" or NULL */
	const char *pos;           /* the positional argument */
};

struct cmd {
	const char *name;       /* "org add": one or two words */
	int (*fn)(const struct args *a);
	const struct opt *opts; /* NULL-name terminated */
	const char *positional; /* "FILE", or NULL */
	const char *summary;    /* one line for the command list */
	const char *details;    /* more lines for `varn help CMD`, or NULL */
};

#define OPT_DB_REQUIRED \
	{ "db", V_DBURL, 1, "URL", "VARN_DB", NULL, 0, 0, \
	  "the database: sqlite:PATH or postgresql://... (default: $VARN_DB)" }
#define OPT_END { NULL, V_NONE, 0, NULL, NULL, NULL, 0, 0, NULL }

static const struct opt serve_opts[] = {
	{ "db", V_DBURL, 0, "URL", "VARN_DB", DEFAULT_DB, 0, 0,
	  "the database (default: $VARN_DB, else " DEFAULT_DB ")" },
	{ "listen", V_LISTEN, 0, "HOST:PORT", "VARN_LISTEN", DEFAULT_LISTEN, 0, 0,
	  "numeric address and port to listen on (default " DEFAULT_LISTEN
	  "; port 0 picks a free one)" },
	{ "threads", V_INT, 0, "N", NULL, "4", 1, 256,
	  "worker threads (default 4)" },
	{ "key", V_PATH, 0, "FILE", "VARN_KEY_FILE", NULL, 0, 0,
	  "server key file, created when missing (default: $VARN_KEY_FILE, else "
	  "PATH.key beside a sqlite:PATH database, else ./varn.key)" },
	{ "base-url", V_HTTPURL, 0, "URL", "VARN_BASE_URL", NULL, 0, 0,
	  "the address users reach Värn at, e.g. https://varn.kommun.se "
	  "(default: http://HOST:PORT)" },
	{ "secure-cookies", V_NONE, 0, NULL, NULL, NULL, 0, 0,
	  "mark cookies Secure (set this behind a TLS reverse proxy)" },
	{ "trusted-proxy", V_TEXT, 0, "ADDR[,ADDR]", "VARN_TRUSTED_PROXY", NULL, 0,
	  1000, "reverse proxies (ADDR or ADDR/BITS) whose X-Forwarded-For "
	  "names the client (default: $VARN_TRUSTED_PROXY, else none)" },
	{ "max-per-client", V_INT, 0, "N", NULL, "32", 1, 65535,
	  "connections, and requests in progress, one client may have (default 32)" },
	OPT_END,
};

static const struct opt init_opts[] = {
	OPT_DB_REQUIRED,
	{ "demo", V_NONE, 0, NULL, NULL, NULL, 0, 0,
	  "also create the demo municipalities and print their logins "
	  "(refused when the database holds organisations)" },
	OPT_END,
};

static const struct opt org_add_opts[] = {
	OPT_DB_REQUIRED,
	{ "slug", V_SLUG, 1, "SLUG", NULL, NULL, 0, 0,
	  "short name in addresses: 2-40 of a-z, 0-9 and '-'" },
	{ "name", V_TEXT, 1, "NAME", NULL, NULL, 0, 200, "full name, e.g. \"Exempelstads kommun\"" },
	{ "kind", V_ORGKIND, 1, "KIND", NULL, NULL, 0, 0,
	  "kommun, kommunalforbund, bolag or raddningstjanst" },
	OPT_END,
};

static const struct opt user_add_opts[] = {
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

static const struct opt token_opts[] = {
	OPT_DB_REQUIRED,
	{ "email", V_EMAIL, 1, "E", NULL, NULL, 0, 0, "the account" },
	{ "days", V_INT, 0, "N", NULL, "90", 1, API_TOKEN_DAYS_MAX,
	  "days until the token expires (default 90, at most 366)" },
	{ "label", V_TEXT, 0, "TEXT", NULL, "varn-cli", 0, 100,
	  "a name for the token, shown on the account page (default varn-cli)" },
	OPT_END,
};

static const struct opt reset_opts[] = {
	OPT_DB_REQUIRED,
	{ "email", V_EMAIL, 1, "E", NULL, NULL, 0, 0, "the account" },
	{ "base-url", V_HTTPURL, 0, "URL", "VARN_BASE_URL", DEFAULT_BASE_URL, 0, 0,
	  "the address users reach Värn at (default: $VARN_BASE_URL, else "
	  DEFAULT_BASE_URL ")" },
	OPT_END,
};

static const struct opt import_opts[] = {
	OPT_DB_REQUIRED,
	{ "org", V_SLUG, 1, "SLUG", NULL, NULL, 0, 0, "the organisation" },
	{ "register", V_TEXT, 1, "NAME", NULL, NULL, 0, 100,
	  "the register as in its address (units, people, ...) or an interchange "
	  "format a module brings; a wrong name lists them all" },
	OPT_END,
};

static const struct opt export_opts[] = {
	OPT_DB_REQUIRED,
	{ "org", V_SLUG, 1, "SLUG", NULL, NULL, 0, 0, "the organisation" },
	{ "register", V_TEXT, 1, "NAME", NULL, NULL, 0, 100,
	  "the register as in its address (units, people, ...) or an interchange "
	  "format; a wrong name lists them all" },
	{ "format", V_TEXT, 0, "FORMAT", NULL, "csv", 0, 10,
	  "csv (default) or xlsx" },
	OPT_END,
};

static const struct opt db_only_opts[] = {
	OPT_DB_REQUIRED,
	OPT_END,
};

static int cmd_serve(const struct args *a);
static int cmd_init(const struct args *a);
static int cmd_org_add(const struct args *a);
static int cmd_user_add(const struct args *a);
static int cmd_token_create(const struct args *a);
static int cmd_reset_link(const struct args *a);
static int cmd_db_migrate(const struct args *a);
static int cmd_db_status(const struct args *a);
static int cmd_backup(const struct args *a);
static int cmd_restore(const struct args *a);
static int cmd_audit_verify(const struct args *a);
static int cmd_import(const struct args *a);
static int cmd_export(const struct args *a);

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
	{ "token create", cmd_token_create, token_opts, NULL,
	  "create an API token for an account (prints only the token)",
	  "Use it as \"Authorization: Bearer TOKEN\" against /api/v1.  The\n"
	  "database keeps only its hash: it cannot be shown again." },
	{ "reset-link", cmd_reset_link, reset_opts, NULL,
	  "make a one-time password-reset link for an account",
	  "The link is valid for 24 hours and works once.  Värn never sends\n"
	  "such links itself; hand it over only when you know who you are\n"
	  "talking to (calls that ask for a reset are a known fraud)." },
	{ "db migrate", cmd_db_migrate, db_only_opts, NULL,
	  "apply the missing database migrations", NULL },
	{ "db status", cmd_db_status, db_only_opts, NULL,
	  "list the migrations; exit 1 when some are pending", NULL },
	{ "backup", cmd_backup, db_only_opts, "FILE",
	  "write a consistent backup of the database to FILE",
	  "The backup is a SQLite file with a manifest of row counts and\n"
	  "checksums, whichever engine the database runs on.  It is taken\n"
	  "from one snapshot while the server keeps running." },
	{ "restore", cmd_restore, db_only_opts, "FILE",
	  "restore a backup into a new, empty database",
	  "Migrates the target if needed, refuses one that holds data, copies\n"
	  "every table in one transaction, checks the manifest, then verifies\n"
	  "the audit trail's hash chain." },
	{ "audit verify", cmd_audit_verify, db_only_opts, NULL,
	  "verify the audit trail's hash chain (exit 0 intact, 1 broken)", NULL },
	{ "import", cmd_import, import_opts, "FILE",
	  "import a CSV file into a register (all rows or none)",
	  "The same import as the register's import page: the first line names\n"
	  "the columns (labels as in the CSV export, or technical names), and\n"
	  "references are given by name or id.  Progress goes to stderr.  When\n"
	  "any row is refused nothing is saved, every problem is printed as\n"
	  "\"line N: column: message\" (in Swedish) and the exit status is 1.\n"
	  "--register may also name an interchange format that a module brings\n"
	  "(a wrong name lists every register and format)." },
	{ "export", cmd_export, export_opts, "FILE",
	  "export a register's records to a CSV or XLSX file",
	  "The same columns and values as the export on the register's page\n"
	  "(live records, Swedish headers).  --register may also name an\n"
	  "interchange format that a module brings, written as CSV." },
};

/* ---- messages ---- */

static int fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int fail(const char *fmt, ...)
{
	va_list ap;

	fputs("varn: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return 1;
}

static int usage_error(const struct cmd *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static int usage_error(const struct cmd *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "varn%s%s: ", cmd ? " " : "", cmd ? cmd->name : "");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry 'varn help%s%s'.\n", cmd ? " " : "", cmd ? cmd->name : "");
	return EXIT_USAGE;
}

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

/* HOST:PORT or [V6]:PORT, numeric (or "localhost"), into host and port. */
static int parse_listen(const char *v, char *host, size_t hostlen, int *port)
{
	const char *colon = strrchr(v, ':');
	int64_t p;
	size_t n;

	if (!colon || colon == v || parse_i64(colon + 1, &p) || p < 0 || p > 65535)
		return -1;
	n = (size_t)(colon - v);
	if (v[0] == '[') {
		if (n < 3 || v[n - 1] != ']')
			return -1;
		v++;
		n -= 2;
	} else if (memchr(v, ':', n)) {
		return -1; /* an IPv6 address needs its brackets */
	}
	if (n + 1 > hostlen)
		return -1;
	memcpy(host, v, n);
	host[n] = 0;
	for (const char *c = host; *c; c++)
		if (!strchr("0123456789abcdefABCDEF.:", *c) &&
		    strcmp(host, "localhost") != 0)
			return -1;
	*port = (int)p;
	return 0;
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
			if (out->pos)
				return usage_error(cmd, "one %s only, not also '%s'",
						   cmd->positional, s);
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
		if (out->val[k])
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
	if (cmd->positional && !out->pos)
		return usage_error(cmd, "%s is missing", cmd->positional);
	return 0;
}

/* The value of a declared option (NULL when absent and without default). */
static const char *arg(const struct args *a, const char *name)
{
	for (int k = 0; a->cmd->opts[k].name; k++)
		if (strcmp(a->cmd->opts[k].name, name) == 0)
			return a->val[k];
	BUG("command %s has no option --%s", a->cmd->name, name);
}

static int64_t arg_int(const struct args *a, const char *name, int64_t def)
{
	const char *v = arg(a, name);
	int64_t x;

	return v && parse_i64(v, &x) == 0 ? x : def;
}

/* ---- the database ---- */

enum { DB_EXISTING = 0, DB_CREATE = 1 };

static const char *sqlite_path(const char *url)
{
	return strncmp(url, "sqlite:", 7) == 0 ? url + 7 : NULL;
}

/* Makes the folder a new SQLite file goes into (one level: "var/"), so that
 * `varn init --db sqlite:var/varn.db` works in a fresh checkout. */
static int make_parent(const char *path)
{
	const char *slash = strrchr(path, '/');
	char dir[4096];
	size_t n;

	if (!slash || slash == path)
		return 0;
	n = (size_t)(slash - path);
	if (n >= sizeof(dir))
		return fail("path too long: %s", path);
	memcpy(dir, path, n);
	dir[n] = 0;
	if (mkdir(dir, 0750) && errno != EEXIST)
		return fail("cannot create the folder %s: %s", dir, strerror(errno));
	return 0;
}

/* Opens the database, or says why not and returns NULL.  DB_EXISTING
 * refuses to create a SQLite file by accident (a typo in a path would
 * otherwise give an empty database and confusing errors). */
static struct db *open_db(const char *url, int mode)
{
	const char *path = sqlite_path(url);
	struct db_error err;
	struct stat st;
	struct db *db;

	if (path && mode == DB_EXISTING && stat(path, &st) != 0) {
		fail("there is no database %s (create one with 'varn init --db %s')",
		     path, url);
		return NULL;
	}
	if (path && mode == DB_CREATE && make_parent(path))
		return NULL;
	if (db_open(url, &db, &err)) {
		fail("cannot open the database: %s", err.msg);
		return NULL;
	}
	return db;
}

/* Commands that read or change records want the current schema; they do
 * not migrate behind the operator's back (serve and init do). */
static int require_current(struct db *db)
{
	struct db_error err;
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	int pending;

	if (!f)
		return fail("out of memory");
	pending = db_status(db, f, &err);
	fclose(f);
	free(text);
	if (pending < 0)
		return fail("cannot read the schema version: %s", err.msg);
	if (pending > 0)
		return fail("the database lacks %d migration(s); run 'varn db migrate' "
			    "first", pending);
	return 0;
}

static struct db *open_current(const char *url)
{
	struct db *db = open_db(url, DB_EXISTING);

	if (db && require_current(db)) {
		db_close(db);
		return NULL;
	}
	return db;
}

static int migrate(struct db *db)
{
	struct db_error err;

	if (db_migrate(db, &err))
		return fail("migration failed: %s", err.msg);
	return 0;
}

/* ---- serve ---- */

static const char *default_key_file(struct arena *a, const char *url)
{
	const char *path = sqlite_path(url);

	return path ? arena_printf(a, "%s.key", path) : "varn.key";
}

static int cmd_serve(const struct args *a)
{
	const char *url = arg(a, "db");
	struct arena ar = ARENA_INIT;
	struct server_config cfg;
	struct app app;
	char host[64];
	int port, rc = 1;
	int threads = (int)arg_int(a, "threads", 4);
	const char *key = arg(a, "key");
	const char *base = arg(a, "base-url");
	struct db *db;

	if (parse_listen(arg(a, "listen"), host, sizeof(host), &port))
		BUG("listen address passed the check but does not parse");
	if (!key)
		key = default_key_file(&ar, url);
	if (!(db = open_db(url, DB_CREATE)))
		goto out;
	rc = migrate(db);
	db_close(db);
	if (rc)
		goto out;
	rc = 1;
	if (auth_load_key(key)) {
		fail("cannot use the key file %s", key);
		goto out;
	}
	auth_cfg.cookie_secure = arg(a, "secure-cookies") != NULL;
	if (app_init(&app, url, threads + 2)) {
		fail("cannot start the application");
		goto out;
	}
	if (base)
		app.base_url = arena_strndup(&ar, base, strlen(base) -
					     (base[strlen(base) - 1] == '/'));
	else if (port)
		app.base_url = arena_printf(&ar, strchr(host, ':') ? "http://[%s]:%d" :
					    "http://%s:%d", host, port);
	memset(&cfg, 0, sizeof(cfg));
	cfg.listen_host = host;
	cfg.port = port;
	cfg.threads = threads;
	cfg.trusted_proxies = arg(a, "trusted-proxy");
	cfg.max_per_client = (unsigned)arg_int(a, "max-per-client", 32);
	rc = server_run(&app, &cfg) ? 1 : 0;
	app_release(&app);
out:
	arena_release(&ar);
	return rc;
}

/* ---- init ---- */

static int cmd_init(const struct args *a)
{
	struct db_error err;
	struct cli_ctx c;
	struct db *db = open_db(arg(a, "db"), DB_CREATE);
	int rc = 1;

	if (!db)
		return 1;
	if (migrate(db))
		goto out;
	printf("Database ready (schema version %d).\n", db_schema_version(db, &err));
	if (arg(a, "demo")) {
		int64_t n;
		cli_ctx_init(&c, db);
		n = cli_count_orgs(&c, &err);
		cli_ctx_release(&c);
		if (n < 0) {
			fail("%s", err.msg);
			goto out;
		}
		if (n > 0) {
			fail("refusing --demo: the database already holds %lld "
			     "organisation(s); the demo needs a new database", (long long)n);
			goto out;
		}
		fflush(stdout);
		if (demo_create(db, stdout, &err)) {
			fail("creating the demo failed: %s", err.msg);
			goto out;
		}
	}
	rc = 0;
out:
	db_close(db);
	return rc;
}

/* ---- org add ---- */

static int cmd_org_add(const struct args *a)
{
	struct db_error err;
	struct cli_ctx c;
	struct db *db = open_current(arg(a, "db"));
	int64_t id;

	if (!db)
		return 1;
	cli_ctx_init(&c, db);
	id = cli_org_create(&c, arg(a, "slug"), arg(a, "name"), arg(a, "kind"), &err);
	if (id)
		printf("Created organisation %s (%s), id %lld.\n", arg(a, "name"),
		       arg(a, "slug"), (long long)id);
	else
		fail("%s", err.msg);
	cli_ctx_release(&c);
	db_close(db);
	return id ? 0 : 1;
}

/* ---- user add ---- */

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

static int cmd_user_add(const struct args *a)
{
	const char *email_arg = arg(a, "email"), *role = arg(a, "role");
	int64_t unit = arg_int(a, "unit", 0);
	struct db_error err;
	struct cli_ctx c;
	char *password = NULL;
	const char *email, *unit_text = NULL;
	int64_t uid, pid, rid;
	int rc = 1, created, has_pw;
	struct db *db;

	if (arg(a, "password-stdin") && !(password = read_password(a->cmd, &rc)))
		return rc;
	if (!(db = open_current(arg(a, "db"))))
		goto out_pw;
	cli_ctx_init(&c, db);
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

	uid = cli_account_ensure(&c, email, password, &created, &err);
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
		printf("Created the account %s.\n", email);
	} else if (password && !has_pw) {
		if (cli_account_set_password(&c, uid, email, password, &err)) {
			fail("cannot set the password of %s: %s", email, err.msg);
			goto out;
		}
		has_pw = 1;
		printf("The account %s exists; its password is now set.\n", email);
	} else {
		printf("The account %s exists; using it.\n", email);
		if (password)
			fprintf(stderr, "varn: the account already has a password; it is "
				"left unchanged (make a reset link to change it)\n");
	}

	pid = cli_person_of_user(&c, uid, &err);
	if (!pid && err.code) {
		fail("%s", err.msg);
		goto out;
	}
	if (pid) {
		printf("The account already has a person in %s (id %lld).\n",
		       c.org.slug, (long long)pid);
	} else {
		pid = cli_person_unlinked_by_email(&c, email, &err);
		if (!pid && err.code) {
			fail("%s", err.msg);
			goto out;
		}
		if (pid) {
			printf("Linked the person with this e-mail address in %s "
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
			printf("Created the person %s in %s (id %lld).\n", arg(a, "name"),
			       c.org.slug, (long long)pid);
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
		printf("The person already holds the role %s there (id %lld).\n", role,
		       (long long)rid);
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
		printf("Added the role %s in %s%s%s (id %lld).\n", role, c.org.slug,
		       unit_text ? " for unit " : "", unit_text ? unit_text : "",
		       (long long)rid);
	}
	if (!has_pw)
		printf("No password is set: an administrator must make a reset link "
		       "(varn reset-link --email %s).\n", email);
	rc = 0;
out:
	cli_ctx_release(&c);
	db_close(db);
out_pw:
	if (password) {
		explicit_bzero(password, strlen(password));
		free(password);
	}
	return rc;
}

/* ---- tokens and reset links ---- */

static int64_t find_account(struct cli_ctx *c, const char *email)
{
	int64_t uid = user_find_by_email(c->db, &c->a, email);

	if (!uid)
		fail("there is no account with the e-mail address %s",
		     auth_normalize_email(&c->a, email));
	return uid;
}

static int cmd_token_create(const struct args *a)
{
	struct db_error err;
	struct cli_ctx c;
	struct db *db = open_current(arg(a, "db"));
	const char *email = arg(a, "email"), *tok = NULL;
	int64_t days = arg_int(a, "days", API_TOKEN_DAYS_DEFAULT), uid;

	if (!db)
		return 1;
	cli_ctx_init(&c, db);
	if ((uid = find_account(&c, email))) {
		tok = cli_token_create(&c, uid, auth_normalize_email(&c.a, email),
				       arg(a, "label"), days, &err);
		if (tok)
			printf("%s\n", tok);
		else
			fail("cannot create the token: %s", err.msg);
	}
	cli_ctx_release(&c);
	db_close(db);
	return tok ? 0 : 1;
}

static int cmd_reset_link(const struct args *a)
{
	struct db_error err;
	struct cli_ctx c;
	struct db *db = open_current(arg(a, "db"));
	const char *email = arg(a, "email"), *base = arg(a, "base-url"), *tok = NULL;
	size_t blen = strlen(base);
	int64_t uid;

	if (!db)
		return 1;
	if (blen && base[blen - 1] == '/')
		blen--;
	cli_ctx_init(&c, db);
	if ((uid = find_account(&c, email))) {
		tok = cli_reset_token_create(&c, uid, auth_normalize_email(&c.a, email),
					     &err);
		if (tok) {
			printf("%.*s%s%s\n", (int)blen, base, RESET_PATH, tok);
			fprintf(stderr, "varn: the link works once within 24 hours; hand it "
				"over only to someone whose identity you have checked\n");
		} else {
			fail("cannot create the link: %s", err.msg);
		}
	}
	cli_ctx_release(&c);
	db_close(db);
	return tok ? 0 : 1;
}

/* ---- db migrate, db status ---- */

static int cmd_db_migrate(const struct args *a)
{
	struct db_error err;
	struct db *db = open_db(arg(a, "db"), DB_CREATE);
	int rc;

	if (!db)
		return 1;
	rc = migrate(db);
	if (!rc)
		printf("Database up to date (schema version %d).\n",
		       db_schema_version(db, &err));
	db_close(db);
	return rc;
}

static int cmd_db_status(const struct args *a)
{
	struct db_error err;
	struct db *db = open_db(arg(a, "db"), DB_EXISTING);
	int pending;

	if (!db)
		return 1;
	pending = db_status(db, stdout, &err);
	db_close(db);
	if (pending < 0)
		return fail("cannot read the migrations: %s", err.msg);
	if (pending > 0) {
		printf("%d migration(s) pending: run 'varn db migrate'.\n", pending);
		return 1;
	}
	printf("Up to date.\n");
	return 0;
}

/* ---- backup and restore ---- */

static int cmd_backup(const struct args *a)
{
	struct db_error err;
	struct db *db = open_current(arg(a, "db"));
	int rc;

	if (!db)
		return 1;
	rc = db_backup(db, module_tables(), a->pos, &err);
	db_close(db);
	if (rc)
		return fail("backup failed: %s", err.msg);
	printf("Backup written to %s.\n", a->pos);
	return 0;
}

/* Prints audit_verify()'s report to stdout when the chain is intact and to
 * stderr when it is not.  Returns 0 intact, 1 broken or unreadable. */
static int verify_chain(struct db *db)
{
	struct db_error err;
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	int64_t bad;

	if (!f)
		return fail("out of memory");
	bad = audit_verify(db, f, &err);
	fclose(f);
	if (bad < 0) {
		free(text);
		return fail("cannot read the audit trail: %s", err.msg);
	}
	fputs(text, bad ? stderr : stdout);
	free(text);
	if (bad)
		return fail("the audit trail is broken at event %lld", (long long)bad);
	return 0;
}

static int restore_check_chain(struct db *db, void *ctx, struct db_error *err)
{
	int64_t bad = audit_verify(db, stdout, err);

	if (bad > 0) {
		err->code = DBE_CHECK;
		snprintf(err->msg, sizeof(err->msg),
			 "the backup's audit trail is broken at event %lld", (long long)bad);
	}
	return bad != 0;
}

static int cmd_restore(const struct args *a)
{
	struct db_error err;
	struct stat st;
	struct db *db;
	int rc;

	/* before a new SQLite file is made for it */
	if (stat(a->pos, &st) != 0 || !S_ISREG(st.st_mode))
		return fail("there is no backup file %s", a->pos);
	if (!(db = open_db(arg(a, "db"), DB_CREATE)))
		return 1;
	if (migrate(db)) {
		db_close(db);
		return 1;
	}
	/* the audit chain is verified inside the restore's transaction: a
	 * backup whose trail does not verify is not restored at all */
	rc = db_restore_verified(db, module_tables(), a->pos, restore_check_chain, NULL, &err);
	db_close(db);
	if (rc)
		return fail("restore failed, nothing was restored: %s", err.msg);
	printf("Restored %s; its audit trail verifies.\n", a->pos);
	return 0;
}

/* ---- audit verify ---- */

static int cmd_audit_verify(const struct args *a)
{
	struct db *db = open_current(arg(a, "db"));
	int rc;

	if (!db)
		return 1;
	rc = verify_chain(db);
	db_close(db);
	return rc;
}

/* ---- import and export ---- */

/* A register named on the command line, or a module's interchange format
 * (*x).  NULL (with *x NULL) after printing what there is. */
static const struct entity *find_register(const struct args *a,
					  const struct interchange **x)
{
	const char *name = arg(a, "register");
	const struct entity *const *all = module_entities();
	const struct entity *e;
	struct buf b = BUF_INIT;

	if ((*x = module_interchange(name)))
		return NULL;
	if ((e = entity_by_name(name)))
		return e;
	for (size_t i = 0; all[i]; i++)
		buf_printf(&b, "%s, ", all[i]->name);
	for (size_t m = 0; modules[m]; m++)
		for (const struct interchange *f = modules[m]->interchange; f && f->name; f++)
			buf_printf(&b, "%s, ", f->name);
	if (b.len >= 2)
		b.p[b.len - 2] = 0;
	usage_error(a->cmd, "--register: no register '%s' (there are: %s)", name, b.p);
	buf_release(&b);
	return NULL;
}

/* Reads a whole file (at most max bytes).  NULL after saying why. */
static char *read_file(const char *path, size_t max, size_t *len)
{
	FILE *f = fopen(path, "rb");
	struct buf b = BUF_INIT;
	char chunk[65536];
	size_t n;

	if (!f) {
		fail("cannot read %s: %s", path, strerror(errno));
		return NULL;
	}
	buf_init(&b, max);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		if (buf_add(&b, chunk, n) != 0)
			break;
	if (ferror(f) || !buf_ok(&b)) {
		fail(buf_ok(&b) ? "cannot read %s" : "%s is larger than the import limit",
		     path);
		fclose(f);
		buf_release(&b);
		return NULL;
	}
	fclose(f);
	return buf_detach(&b, len);
}

/* "importing: 1200/2000 rows" on stderr, every 250 rows and at the end. */
static void import_progress(void *arg, size_t done, size_t total)
{
	if (done % 250 == 0 || done == total)
		fprintf(stderr, "importing: %zu/%zu rows\n", done, total);
}

static void export_progress(void *arg, int64_t done, int64_t total)
{
	if (done % 1000 == 0 || done == total)
		fprintf(stderr, "exporting: %lld/%lld rows\n", (long long)done,
			(long long)total);
}

static void print_problems(const struct import_run *run)
{
	for (size_t i = 0; i < run->nproblems; i++) {
		const struct import_problem *p = &run->problems[i];
		if (p->column)
			fprintf(stderr, "line %zu: %s: %s\n", p->line, p->column, p->msg);
		else
			fprintf(stderr, "line %zu: %s\n", p->line, p->msg);
	}
}

static int cmd_import(const struct args *a)
{
	struct db_error err;
	struct cli_ctx c;
	struct import_run run, *base = &run;
	const struct interchange *x;
	const struct entity *e;
	int rc = 1;
	size_t len;
	char *text;
	struct db *db;

	e = find_register(a, &x);
	if (!e && !x)
		return EXIT_USAGE;
	if (!(text = read_file(a->pos, 64u << 20, &len)))
		return 1;
	if (!(db = open_current(arg(a, "db")))) {
		free(text);
		return 1;
	}
	cli_ctx_init(&c, db);
	if (cli_use_org(&c, arg(a, "org"), &err)) {
		fail("%s", err.msg);
		goto out;
	}
	if (db_begin(db, &err)) {
		fail("%s", err.msg);
		goto out;
	}
	if (x) {
		base = x->import_run(&c.cx, text, len, import_progress, NULL);
	} else {
		entity_import_run(&c.cx, e, text, len, import_progress, NULL, &run);
	}
	if (base->nproblems || base->rows == 0) {
		db_rollback(db);
		print_problems(base);
		fail("nothing was imported: %zu problem(s) in %s", base->nproblems, a->pos);
		goto out;
	}
	if (x ? x->import_commit(&c.cx, base, &err) :
	    entity_import_commit(&c.cx, e, &run, &err)) {
		fail("nothing was imported: %s", err.msg);
		goto out;
	}
	if (x)
		printf("Imported %s into %s: %s.\n", a->pos, c.org.slug,
		       x->import_summary(&c.cx, base));
	else
		printf("Imported %zu rows of %s into %s in %s.\n", base->ok, a->pos,
		       e->name, c.org.slug);
	rc = 0;
out:
	cli_ctx_release(&c);
	db_close(db);
	free(text);
	return rc;
}

/* The register's live records as the CSV export of its page writes them. */
static int64_t export_csv(struct cli_ctx *c, const struct entity *e, struct buf *out,
			  struct db_error *err)
{
	struct list_query lq = { .sort_field = e->title_field, .limit = 200 };
	struct list_result res;
	int64_t n = 0;

	lq.filters = arena_alloc(&c->a, (e->nfields + 1) * sizeof(char *));
	csv_write_bom(out);
	csv_write_cell(out, "id", 1);
	for (size_t i = 0; i < e->nfields; i++)
		csv_write_cell(out, msg_text(c->cx.lang, e->fields[i].label), 0);
	csv_end_row(out);
	do {
		if (entity_list(&c->cx, e, &lq, &res, err) != 0)
			return -1;
		for (size_t k = 0; k < res.n; k++) {
			csv_write_cell(out, arena_printf(&c->a, "%lld",
				       (long long)res.rows[k].id), 1);
			for (size_t i = 0; i < e->nfields; i++)
				csv_write_cell(out, entity_display(&c->cx, e, &res.rows[k], i), 0);
			csv_end_row(out);
		}
		n += (int64_t)res.n;
		export_progress(NULL, n, res.total);
		lq.after = res.next;
	} while (res.next);
	return n;
}

static int write_file(const char *path, const struct buf *b)
{
	FILE *f = fopen(path, "wb");

	if (!f)
		return fail("cannot write %s: %s", path, strerror(errno));
	if ((fwrite(b->p, 1, b->len, f) != b->len) | (fclose(f) != 0)) {
		unlink(path);
		return fail("cannot write %s", path);
	}
	return 0;
}

static int cmd_export(const struct args *a)
{
	const char *format = arg(a, "format");
	struct db_error err;
	struct cli_ctx c;
	struct buf b = BUF_INIT;
	const struct interchange *x;
	const struct entity *e;
	int xlsx, rc = 1;
	int64_t n = 0;
	struct db *db;

	if (strcmp(format, "csv") != 0 && strcmp(format, "xlsx") != 0)
		return usage_error(a->cmd, "--format: csv or xlsx, not '%s'", format);
	xlsx = strcmp(format, "xlsx") == 0;
	e = find_register(a, &x);
	if (!e && !x)
		return EXIT_USAGE;
	if (x && xlsx)
		return usage_error(a->cmd, "--register %s is written as CSV only", x->name);
	if (!(db = open_current(arg(a, "db"))))
		return 1;
	cli_ctx_init(&c, db);
	if (cli_use_org(&c, arg(a, "org"), &err)) {
		fail("%s", err.msg);
		goto out;
	}
	/* one snapshot: the file is consistent even while the server writes */
	if (db_begin_snapshot(db, &err)) {
		fail("%s", err.msg);
		goto out;
	}
	if (xlsx) {
		struct list_query lq = { .sort_field = e->title_field };
		lq.filters = arena_alloc(&c.a, (e->nfields + 1) * sizeof(char *));
		n = xlsx_write_entity(&c.cx, e, &lq, a->pos, export_progress, NULL, &err);
		if (n < 0)
			unlink(a->pos);
	} else if (x) {
		if (x->export_csv(&c.cx, &b, &err) == 0)
			n = (int64_t)(b.len ? 1 : 0);
		else
			n = -1;
	} else {
		n = export_csv(&c, e, &b, &err);
	}
	db_rollback(db);
	if (n < 0) {
		fail("export failed: %s", err.msg);
		goto out;
	}
	if (!xlsx && write_file(a->pos, &b))
		goto out;
	if (x)
		printf("Wrote the %s file of %s to %s.\n", x->name, c.org.slug, a->pos);
	else
		printf("Wrote %lld %s of %s to %s.\n", (long long)n, e->name, c.org.slug,
		       a->pos);
	rc = 0;
out:
	buf_release(&b);
	cli_ctx_release(&c);
	db_close(db);
	return rc;
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
