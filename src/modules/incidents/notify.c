/* notify.c - who hears of an incident, through the outbox (core/outbox.h),
 * in the write's transaction (called at the end of incident_after_write):
 *
 *  - a new report: the security function (the organisation's coordinators,
 *    and those of the incident's unit); when it names a system, also that
 *    system's owner and administrators (R-8-21);
 *  - a handler assigned or handed over to: the new handler;
 *  - a new state: the reporter, with only the state in plain words and the
 *    link to their own status page (an intake reporter only if they left
 *    an e-mail address; their status link is not stored, so the message
 *    points them to the one they got).
 *
 * Each message in the recipient's language, with a link, never the
 * incident's details in the subject or the body (the receipt number
 * names it); nobody is told of what they did themselves.  The outbox's
 * dedup key names the incident, the recipient and the version, so a
 * retried write never mails twice.
 *
 * Costs: a few bounded queries by index (role_assignment_org, it_system by
 * key, system_person_system, person by key), at most NOTIFY_MAX
 * recipients each. */
#include "base/base.h"

#include "core/ctx.h"
#include "core/i18n.h"
#include "core/outbox.h"
#include "db/db.h"
#include "modules/incidents/incidents.h"
#include "web/html.h"

#define NOTIFY_MAX 50

static int same(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

struct mail {
	const char *to, *name;
	int lang;
	int64_t person;
};

static const char *link_to(struct ctx *cx, const char *base, const char *path)
{
	size_t n = base ? strlen(base) : 0;

	while (n && base[n - 1] == '/')
		n--;
	return arena_printf(cx->a, "%.*s%s", (int)n, base ? base : "", path);
}

/* One message: greeting, body, link (or a closing line when url is
 * NULL), the footer; text and HTML. */
static int send_one(struct ctx *cx, const struct record *rec, const struct mail *to,
		    int subject, const char *body, const char *lead, const char *url,
		    const char *dedup, struct db_error *err)
{
	struct buf text = BUF_INIT, hb = BUF_INIT;
	struct html h = { &hb, NULL };
	struct outbox_msg m = { 0 };
	const char *hello = to->name ? msg_fill(cx->a, msg_text(to->lang, M_IR_MAIL_HELLO), "{name}",
						to->name)
				     : msg_text(to->lang, M_IR_MAIL_HELLO_ANON);
	int64_t id;

	buf_printf(&text, "%s\n\n%s\n", hello, body);
	if (lead)
		buf_printf(&text, "\n%s\n", lead);
	if (url)
		buf_printf(&text, "%s\n", url);
	buf_printf(&text, "\n-- \n%s\n", msg_text(to->lang, M_MAIL_FOOTER));
	h_lit(&h, "<!doctype html><html><body><p>");
	h_text(&h, hello);
	h_lit(&h, "</p><p>");
	h_text(&h, body);
	h_lit(&h, "</p>");
	if (lead) {
		h_lit(&h, "<p>");
		h_text(&h, lead);
		h_lit(&h, "</p>");
	}
	if (url) {
		h_lit(&h, "<p><a");
		h_attr(&h, "href", url);
		h_lit(&h, ">");
		h_text(&h, url);
		h_lit(&h, "</a></p>");
	}
	h_lit(&h, "<p><small>");
	h_text(&h, msg_text(to->lang, M_MAIL_FOOTER));
	h_lit(&h, "</small></p></body></html>");
	m.to = to->to;
	m.subject = msg_fill(cx->a, msg_text(to->lang, subject), "{receipt}", rec->v[IN_RECEIPT]);
	m.text = buf_ok(&text) ? arena_strdup(cx->a, text.p) : NULL;
	m.html = buf_ok(&hb) ? arena_strdup(cx->a, hb.p) : NULL;
	m.entity = in_incidents.name;
	m.entity_id = rec->id;
	m.dedup_key = dedup;
	buf_release(&text);
	buf_release(&hb);
	if (!m.text || !m.html) {
		err->code = DBE_OTHER;
		snprintf(err->msg, sizeof(err->msg), "an incident's message too long");
		return -1;
	}
	id = outbox_enqueue(cx, &m, err);
	return id < 0 ? -1 : 0;
}

/* People with a live account: id, name, e-mail, language. */
#define PEOPLE_COLS "p.id, p.name, u.email, u.lang"
#define PEOPLE_JOIN " JOIN app_user u ON u.id = p.user_id AND u.disabled = 0"

/* the security function: coordinators for the whole organisation or for
 * the incident's unit */
static const char sql_desk[] =
	"SELECT DISTINCT " PEOPLE_COLS " FROM role_assignment ra"
	" JOIN person p ON p.id = ra.person_id AND p.archived = 0" PEOPLE_JOIN
	" WHERE ra.org_id = $1 AND ra.archived = 0 AND ra.role = 'samordnare'"
	" AND (ra.unit_id IS NULL OR ra.unit_id = $2) ORDER BY p.id LIMIT $3";

/* the system's owner and administrators (R-8-21) */
static const char sql_system_people[] =
	"SELECT " PEOPLE_COLS " FROM it_system s JOIN person p ON p.id = s.owner_id"
	" AND p.archived = 0" PEOPLE_JOIN " WHERE s.id = $2 AND s.org_id = $1"
	" UNION SELECT " PEOPLE_COLS " FROM system_person sp"
	" JOIN person p ON p.id = sp.person_id AND p.archived = 0" PEOPLE_JOIN
	" WHERE sp.org_id = $1 AND sp.system_id = $2 AND sp.archived = 0"
	" AND sp.role = 'administrator' ORDER BY 1 LIMIT $3";

static const char sql_person[] =
	"SELECT " PEOPLE_COLS " FROM person p" PEOPLE_JOIN
	" WHERE p.id = $2 AND p.org_id = $1 AND $3 > 0";

static int64_t ref(const char *v)
{
	int64_t x;

	return v && parse_i64(v, &x) == 0 ? x : 0;
}

typedef int (*mail_fn)(struct ctx *cx, const struct record *rec, const struct mail *to,
		       const char *base, struct db_error *err);

/* Runs fn for each row of sql ($1 the organisation, $2 arg, $3 a limit)
 * but the actor. */
static int each(struct ctx *cx, const struct record *rec, const char *sql, int64_t arg,
		const char *base, mail_fn fn, struct db_error *err)
{
	struct db_rows r;

	if (db_exec(cx->db, cx->a, sql, DB_ARGS(DB_INT(cx->org->id), DB_INT(arg),
						 DB_INT(NOTIFY_MAX)), &r, err) != 0)
		return -1;
	for (size_t i = 0; i < r.nrows; i++) {
		struct mail to = {
			.person = db_cell_i64(&r, i, 0), .name = db_cell(&r, i, 1),
			.to = db_cell(&r, i, 2), .lang = lang_parse(db_cell(&r, i, 3)),
		};
		if (to.person == cx->org->person_id || !to.to || !*to.to)
			continue;
		if (fn(cx, rec, &to, base, err) != 0)
			return -1;
	}
	return 0;
}

static const char *incident_url(struct ctx *cx, const struct record *rec, const char *base)
{
	return link_to(cx, base, arena_printf(cx->a, "/o/%s/incidents/%lld", cx->org->slug,
					      (long long)rec->id));
}

static int tell_desk(struct ctx *cx, const struct record *rec, const struct mail *to,
		     const char *base, struct db_error *err)
{
	return send_one(cx, rec, to, M_IR_MAIL_NEW_SUBJECT,
			msg_fill(cx->a, msg_text(to->lang, M_IR_MAIL_NEW_BODY), "{receipt}",
				 rec->v[IN_RECEIPT]), NULL, incident_url(cx, rec, base),
			arena_printf(cx->a, "incident-new:%lld:%lld", (long long)rec->id,
				     (long long)to->person), err);
}

static int tell_system(struct ctx *cx, const struct record *rec, const struct mail *to,
		       const char *base, struct db_error *err)
{
	return send_one(cx, rec, to, M_IR_MAIL_SYSTEM_SUBJECT,
			msg_fill(cx->a, msg_text(to->lang, M_IR_MAIL_SYSTEM_BODY), "{receipt}",
				 rec->v[IN_RECEIPT]), NULL, incident_url(cx, rec, base),
			arena_printf(cx->a, "incident-system:%lld:%lld", (long long)rec->id,
				     (long long)to->person), err);
}

static int tell_handler(struct ctx *cx, const struct record *rec, const struct mail *to,
			const char *base, struct db_error *err)
{
	return send_one(cx, rec, to, M_IR_MAIL_HANDLER_SUBJECT,
			msg_fill(cx->a, msg_text(to->lang, M_IR_MAIL_HANDLER_BODY), "{receipt}",
				 rec->v[IN_RECEIPT]), NULL, incident_url(cx, rec, base),
			arena_printf(cx->a, "incident-handler:%lld:%lld:%lld", (long long)rec->id,
				     (long long)to->person, (long long)rec->version), err);
}

static const char *state_body(struct ctx *cx, const struct record *rec, int lang)
{
	const char *state = rec->v[IN_STATE];

	for (const struct choice *c = incident_state_choices; c->value; c++)
		if (same(c->value, state))
			state = msg_text(lang, c->label);
	return msg_fill(cx->a, msg_fill(cx->a, msg_text(lang, M_IR_MAIL_STATE_BODY), "{receipt}",
					rec->v[IN_RECEIPT]), "{state}", state);
}

static const char *state_dedup(struct ctx *cx, const struct record *rec)
{
	return arena_printf(cx->a, "incident-state:%lld:%s:%lld", (long long)rec->id,
			    rec->v[IN_STATE], (long long)rec->version);
}

static int tell_reporter(struct ctx *cx, const struct record *rec, const struct mail *to,
			 const char *base, struct db_error *err)
{
	return send_one(cx, rec, to, M_IR_MAIL_STATE_SUBJECT, state_body(cx, rec, to->lang),
			msg_text(to->lang, M_IR_MAIL_STATE_LINK),
			link_to(cx, base, arena_printf(cx->a, "/o/%s/my-reports/%lld",
						       cx->org->slug, (long long)rec->id)),
			state_dedup(cx, rec), err);
}

/* An address as an intake reporter leaves it: one token with an @ and a
 * dot after it, nothing that could reach a header. */
static int looks_like_email(const char *s)
{
	const char *at = s ? strchr(s, '@') : NULL;

	if (!at || at == s || !strchr(at, '.') || strlen(s) > 200)
		return 0;
	for (const char *p = s; *p; p++)
		if ((unsigned char)*p <= ' ' || *p == '<' || *p == '>' || *p == ',' || *p == ';' ||
		    *p == '"')
			return 0;
	return strchr(at + 1, '@') == NULL;
}

static int tell_intake_reporter(struct ctx *cx, const struct record *rec, struct db_error *err)
{
	struct mail to = { .to = rec->v[IN_REPORTER_CONTACT], .name = rec->v[IN_REPORTER_NAME],
			   .lang = LANG_SV };

	if (!same(rec->v[IN_CHANNEL], "intake") || !looks_like_email(to.to))
		return 0;
	return send_one(cx, rec, &to, M_IR_MAIL_STATE_SUBJECT, state_body(cx, rec, to.lang),
			msg_text(to.lang, M_IR_MAIL_STATE_INTAKE), NULL, state_dedup(cx, rec), err);
}

int incident_notify(struct ctx *cx, const struct record *rec, const struct record *old,
		    struct db_error *err)
{
	struct mail_config mc;
	int64_t handler = ref(rec->v[IN_HANDLER]), reporter = ref(rec->v[IN_REPORTER]);
	int new_handler = old && handler && !same(rec->v[IN_HANDLER], old->v[IN_HANDLER]);
	int new_state = old && !same(rec->v[IN_STATE], old->v[IN_STATE]);

	if (cx->quiet)
		return 0;
	if (old && !new_handler && !new_state)
		return 0;
	if (outbox_config_load(cx, &mc, 0, err) != 0)
		return -1;
	if (!old) {
		if (each(cx, rec, sql_desk, ref(rec->v[IN_UNIT]), mc.base_url, tell_desk, err) != 0)
			return -1;
		if (ref(rec->v[IN_SYSTEM]) &&
		    each(cx, rec, sql_system_people, ref(rec->v[IN_SYSTEM]), mc.base_url,
			 tell_system, err) != 0)
			return -1;
		return 0;
	}
	if (new_handler && each(cx, rec, sql_person, handler, mc.base_url, tell_handler, err) != 0)
		return -1;
	if (new_state) {
		if (reporter)
			return each(cx, rec, sql_person, reporter, mc.base_url, tell_reporter, err);
		return tell_intake_reporter(cx, rec, err);
	}
	return 0;
}
