/* demo.c - Exempelstad's operational approvals: the systems in operation
 * that have an owner are approved, one with conditions (one of them past
 * its deadline and undone, so the daily job has marked it for review),
 * one approved system due for renewal with a new proposal waiting for its
 * owner's decision, and the last such system left without an approval
 * (flagged).  Made through the engine, as the coordinator prepares and
 * records the owners' decisions. */
#include "base/base.h"

#include "core/ctx.h"
#include "core/entity.h"
#include "db/db.h"
#include "modules/approvals/approvals.h"

static const char sql_systems[] =
	"SELECT s.id, s.name, u.email FROM it_system s JOIN person p ON p.id = s.owner_id"
	" LEFT JOIN app_user u ON u.id = p.user_id"
	" WHERE s.org_id = $1 AND s.archived = 0 AND s.lifecycle = 'operation'"
	" ORDER BY s.id LIMIT 40";

/* The systems of the owner who signs in to the demo (the head of social
 * services) show the conditions and the renewal; else the first ones. */
static void pick(const struct db_rows *s, size_t n, size_t *conditions, size_t *due)
{
	size_t k = 0;

	*conditions = 1;
	*due = 2;
	for (size_t i = 0; i < n && k < 2; i++) {
		const char *mail = db_cell(s, i, 2);
		if (!mail || strncmp(mail, "socialchef@", 11) != 0)
			continue;
		if (k++ == 0)
			*conditions = i;
		else
			*due = i;
	}
}

static const char *day(const struct ctx *cx, int offset)
{
	struct ctx then = *cx;

	then.now += (int64_t)offset * 86400;
	return ctx_today(&then);
}

static int move(struct ctx *cx, int64_t id, const char *name, const char *const *pv,
		struct db_error *err)
{
	struct record rec;
	struct field_errors errs = { .n = 0 };

	if (entity_get(cx, &dg_approvals, id, &rec, err) != 0)
		return -1;
	if (entity_transition(cx, &dg_approvals, id, rec.version, name, pv, &errs, err) != 0) {
		if (!err->msg[0])
			snprintf(err->msg, sizeof(err->msg), "demo approval %lld: %s (%d problems)",
				 (long long)id, name, (int)errs.n);
		return -1;
	}
	return 0;
}

static int64_t prepare(struct ctx *cx, const char *system_id, const char *proposal,
		       const char *why, struct db_error *err)
{
	const char *v[DG__COUNT] = { 0 };

	v[DG_SYSTEM] = system_id;
	v[DG_SCOPE_VERSION] = "Den version som är i drift";
	v[DG_SCOPE_ENV] = "Produktion";
	v[DG_SCOPE_INTEGRATIONS] = "Inloggning via kommunens identitetstjänst;"
				   " överföring till e-arkivet.";
	v[DG_SP_EVALUATION] = "Behörighetsprofiler, loggning och kontinuitet är granskade mot"
			      " säkerhetsplanen där systemet har en, annars mot basnivån, tillsammans"
			      " med systemförvaltaren.";
	v[DG_PROPOSAL] = proposal;
	v[DG_PROPOSAL_TEXT] = why;
	return entity_create_values(cx, &dg_approvals, v, err);
}

static int condition(struct ctx *cx, int64_t approval, const char *title, const char *text,
		     const char *deadline, struct db_error *err)
{
	const char *v[DC__COUNT] = { 0 };

	v[DC_APPROVAL] = arena_printf(cx->a, "%lld", (long long)approval);
	v[DC_TITLE] = title;
	v[DC_DESCRIPTION] = text;
	v[DC_DEADLINE] = deadline;
	return entity_create_values(cx, &dg_conditions, v, err) ? 0 : -1;
}

static int make_approvals(struct ctx *cx, struct buf *summary, struct db_error *err)
{
	struct db_rows s;
	size_t n, approved = 0, with_conditions, renewed;

	if (db_exec(cx->db, cx->a, sql_systems, DB_ARGS(DB_INT(cx->org->id)), &s, err) != 0)
		return -1;
	if (s.nrows < 4)
		return 0;
	n = s.nrows - 1; /* the last is left without an approval */
	pick(&s, n, &with_conditions, &renewed);
	for (size_t i = 0; i < n; i++) {
		const char *sys = db_cell(&s, i, 0);
		int conditions = i == with_conditions, due = i == renewed;
		const char *decision[] = {
			conditions ? DG_CONDITIONS : DG_APPROVED,
			conditions ? "Systemet godkänns för drift under förutsättning att villkoren"
				     " genomförs i tid." :
				     "Systemet godkänns för drift.",
			day(cx, -(int)(20 + i * 11)),
			due ? day(cx, 40) : NULL,
		};
		int64_t id = prepare(cx, sys, conditions ? DG_CONDITIONS : DG_APPROVED,
				     conditions ?
				     "Två brister återstår som inte hindrar drift men ska vara"
				     " åtgärdade inom utsatt tid." :
				     "Säkerhetsåtgärderna är på plats och säkerhetsplanen är"
				     " undertecknad.", err);
		if (!id)
			return -1;
		if (conditions &&
		    (condition(cx, id, "Tvåfaktorsinloggning för alla användare",
			       "Gäller även leverantörens supportkonton.", day(cx, -10), err) != 0 ||
		     condition(cx, id, "Återläsningstest av säkerhetskopian",
			       "Dokumenterat test med återläsning till testmiljön.", day(cx, 60),
			       err) != 0))
			return -1;
		if (move(cx, id, "propose", NULL, err) != 0 ||
		    move(cx, id, "decide", decision, err) != 0)
			return -1;
		approved++;
		if (due) {
			/* renewal prepared and waiting for the owner */
			int64_t again = prepare(cx, sys, DG_APPROVED,
						"Förnyat godkännande: inga nya brister sedan"
						" förra beslutet.", err);
			if (!again || move(cx, again, "propose", NULL, err) != 0)
				return -1;
		}
	}
	/* the condition past its deadline: as the daily job finds it */
	if (approval_review_org(cx, NULL, err) != 0)
		return -1;
	buf_printf(summary, "%s: %zu operational approvals decided, 1 proposed, 1 missing\n",
		   cx->org->name, approved);
	return 0;
}

int approvals_demo(struct ctx *cx, struct buf *summary, struct db_error *err)
{
	int rc;

	memset(err, 0, sizeof(*err));
	if (strcmp(cx->org->slug, "exempelstad") != 0)
		return 0;
	if (db_begin(cx->db, err))
		return -1;
	cx->bulk = 1;
	rc = make_approvals(cx, summary, err);
	cx->bulk = 0;
	if (rc == 0 && db_commit(cx->db, err) == 0)
		return 0;
	db_rollback(cx->db);
	if (!err->msg[0])
		snprintf(err->msg, sizeof(err->msg), "demo approvals of %s: not created",
			 cx->org->slug);
	return -1;
}
