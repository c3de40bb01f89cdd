/* risks.c - the risk model and the registers of risk analysis: analyses,
 * their risks and the consequence categories (risks.h states the rules). */
#include "base/base.h"

#include "base/buf.h"
#include "base/clock.h"
#include "core/audit.h"
#include "core/ctx.h"
#include "core/i18n.h"
#include "db/db.h"
#include "modules/org/org.h"
#include "modules/risks/risks.h"
#include "modules/systems/systems.h"

static int is(const char *v, const char *code)
{
	return v && strcmp(v, code) == 0;
}

static void set_err(struct db_error *err, enum db_errcode code, const char *msg)
{
	err->code = code;
	snprintf(err->msg, sizeof(err->msg), "%s", msg);
}

/* ---- the model ---- */

/* consequence x likelihood: 1-2 low, 3-4 medium, 6-8 high, 9-16 very high */
static const char default_matrix[] = "1122" "1233" "2344" "2344";

static const char sql_model[] =
	"SELECT matrix, accept_1, accept_2, accept_3, accept_4, months_1, months_2, months_3,"
	" months_4, version FROM risk_model WHERE org_id = $1";
static const char sql_model_default[] =
	"INSERT INTO risk_model (org_id, matrix, accept_1, accept_2, accept_3, accept_4, months_1,"
	" months_2, months_3, months_4, updated_at) VALUES ($1, $2, 'owner', 'owner', 'management',"
	" 'chief', 24, 12, 12, 6, $3) ON CONFLICT (org_id) DO NOTHING";

static int valid_tier(const char *t)
{
	return is(t, TIER_OWNER) || is(t, TIER_MANAGEMENT) || is(t, TIER_CHIEF) ||
	       is(t, TIER_NONE);
}

static int model_read(struct ctx *cx, struct risk_model *m, struct db_error *err)
{
	struct db_rows r;

	if (db_exec(cx->db, cx->a, sql_model, DB_ARGS(DB_INT(cx->org->id)), &r, err) != 0)
		return -1;
	if (r.nrows != 1)
		return 1;
	snprintf(m->matrix, sizeof(m->matrix), "%s", db_cell(&r, 0, 0));
	for (int i = 0; i < 4; i++) {
		snprintf(m->accept[i], sizeof(m->accept[i]), "%s", db_cell(&r, 0, 1 + (size_t)i));
		m->months[i] = (int)db_cell_i64(&r, 0, 5 + (size_t)i);
	}
	m->version = db_cell_i64(&r, 0, 9);
	return 0;
}

/* The organisation's model, or the default one (not written: a page view
 * never writes; the first save makes the row). */
int risk_model_get(struct ctx *cx, struct risk_model *m, struct db_error *err)
{
	static const char *const tiers[4] = { TIER_OWNER, TIER_OWNER, TIER_MANAGEMENT, TIER_CHIEF };
	static const int months[4] = { 24, 12, 12, 6 };
	int rc = model_read(cx, m, err);

	if (rc <= 0)
		return rc;
	memset(m, 0, sizeof(*m));
	snprintf(m->matrix, sizeof(m->matrix), "%s", default_matrix);
	for (int i = 0; i < 4; i++) {
		snprintf(m->accept[i], sizeof(m->accept[i]), "%s", tiers[i]);
		m->months[i] = months[i];
	}
	return 0;
}

static int level_index(const char *v)
{
	return v && v[0] >= '1' && v[0] <= '4' && !v[1] ? v[0] - '0' : 0;
}

const char *risk_level_of(const struct risk_model *m, const char *c, const char *l)
{
	static const char *const codes[] = { NULL, "1", "2", "3", "4" };
	int ci = level_index(c), li = level_index(l);

	if (!ci || !li || strlen(m->matrix) != 16)
		return NULL;
	return codes[level_index((char[]){ m->matrix[(ci - 1) * 4 + (li - 1)], 0 })];
}

static const char sql_model_save[] =
	"UPDATE risk_model SET matrix = $2, accept_1 = $3, accept_2 = $4, accept_3 = $5,"
	" accept_4 = $6, months_1 = $7, months_2 = $8, months_3 = $9, months_4 = $10,"
	" version = version + 1, updated_at = $11 WHERE org_id = $1";
/* the stored levels follow the matrix (risks.h): one statement, bounded by
 * the organisation's risks, only when the matrix changed */
static const char sql_relevel[] =
	"UPDATE risk SET"
	" level = CASE WHEN consequence IS NULL OR likelihood IS NULL THEN NULL ELSE"
	" substr($2, (CAST(consequence AS INTEGER) - 1) * 4 + CAST(likelihood AS INTEGER), 1) END,"
	" residual_level = CASE WHEN residual_consequence IS NULL OR residual_likelihood IS NULL"
	" THEN NULL ELSE substr($2, (CAST(residual_consequence AS INTEGER) - 1) * 4"
	" + CAST(residual_likelihood AS INTEGER), 1) END"
	" WHERE org_id = $1";

int risk_model_save(struct ctx *cx, const struct risk_model *m, struct db_error *err)
{
	struct risk_model old;
	struct audit_event ev;
	struct buf b = BUF_INIT;
	int rc;

	if (strlen(m->matrix) != 16 || strspn(m->matrix, "1234") != 16) {
		set_err(err, DBE_CHECK, "the matrix");
		return -1;
	}
	for (int i = 0; i < 4; i++) {
		if (!valid_tier(m->accept[i]) || m->months[i] < 1 || m->months[i] > 120) {
			set_err(err, DBE_CHECK, "acceptance");
			return -1;
		}
	}
	if (db_begin(cx->db, err) != 0)
		return -1;
	if (risk_model_get(cx, &old, err) != 0 ||
	    db_exec(cx->db, cx->a, sql_model_default,
		    DB_ARGS(DB_INT(cx->org->id), DB_TEXT(default_matrix), DB_INT(cx->now)), NULL,
		    err) != 0)
		goto fail;
	buf_printf(&b, "{\"matrix\":\"%s\"", m->matrix);
	for (int i = 0; i < 4; i++)
		buf_printf(&b, ",\"accept_%d\":\"%s\",\"months_%d\":%d", i + 1, m->accept[i], i + 1,
			   m->months[i]);
	buf_puts(&b, "}");
	memset(&ev, 0, sizeof(ev));
	audit_from_ctx(cx, &ev);
	ev.action = "risk_model";
	ev.entity = "risk-model";
	ev.summary = cx->org->name;
	ev.after = arena_strdup(cx->a, b.p);
	buf_release(&b);
	if (db_exec(cx->db, cx->a, sql_model_save,
		    DB_ARGS(DB_INT(cx->org->id), DB_TEXT(m->matrix), DB_TEXT(m->accept[0]),
			    DB_TEXT(m->accept[1]), DB_TEXT(m->accept[2]), DB_TEXT(m->accept[3]),
			    DB_INT(m->months[0]), DB_INT(m->months[1]), DB_INT(m->months[2]),
			    DB_INT(m->months[3]), DB_INT(cx->now)), NULL, err) != 0)
		goto fail;
	if (strcmp(old.matrix, m->matrix) != 0 &&
	    db_exec(cx->db, cx->a, sql_relevel,
		    DB_ARGS(DB_INT(cx->org->id), DB_TEXT(m->matrix)), NULL, err) != 0)
		goto fail;
	if (audit_append(cx->db, cx->a, &ev, err) != 0)
		goto fail;
	rc = db_commit(cx->db, err);
	if (rc == 0)
		return 0;
fail:
	db_rollback(cx->db);
	return -1;
}

int risk_level_msg(int level)
{
	static const int m[] = { M_RK_LEVEL_NONE, M_RK_LEVEL_1, M_RK_LEVEL_2, M_RK_LEVEL_3,
				 M_RK_LEVEL_4 };
	return m[level >= 1 && level <= 4 ? level : 0];
}

/* ---- categories ---- */

static const struct entity_field category_fields[] = {
	[RC_TITLE] = { "title", M_RK_F_CATEGORY_TITLE, 0, F_TEXT, 1, 100,
		       FF_REQUIRED | FF_LIST | FF_SEARCH | FF_SORT | FF_UNIQUE, NULL, NULL, 0 },
	[RC_DESCRIPTION] = { "description", M_RK_F_DESCRIPTION, 0, F_LONGTEXT, 0, 2000, FF_LIST,
			     NULL, NULL, 0 },
	{ NULL },
};

struct entity rk_categories = {
	.name = "risk-categories",
	.table = "risk_category",
	.label_one = M_RK_CATEGORY,
	.label_many = M_RK_CATEGORIES,
	.label_new = M_RK_CATEGORY_NEW,
	.intro = M_RK_CATEGORIES_INTRO,
	.fields = category_fields,
	.title_field = RC_TITLE,
	.roles_read = ROLES_STAFF,
	.roles_write = ROLES_RISK_KEEP,
};

static const char sql_has_categories[] =
	"SELECT id FROM risk_category WHERE org_id = $1 LIMIT 1";

int risk_categories_ensure(struct ctx *cx, struct db_error *err)
{
	static const int names[] = { M_RK_CAT_OPERATIONS, M_RK_CAT_ECONOMY, M_RK_CAT_LIFE,
				     M_RK_CAT_TRUST, M_RK_CAT_LAW };
	struct db_rows r;

	if (db_exec(cx->db, cx->a, sql_has_categories, DB_ARGS(DB_INT(cx->org->id)), &r, err) != 0)
		return -1;
	if (r.nrows)
		return 0;
	for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
		const char *v[RC__COUNT] = { msg_text(LANG_SV, names[i]), NULL };
		if (!entity_create_values(cx, &rk_categories, v, err))
			return -1;
	}
	return 0;
}

/* ---- analyses ---- */

static const struct choice analysis_kinds[] = {
	{ "organisation", M_RK_KIND_ORGANISATION },
	{ "system", M_RK_KIND_SYSTEM },
	{ "process", M_RK_KIND_PROCESS },
	{ "project", M_RK_KIND_PROJECT },
	{ "change", M_RK_KIND_CHANGE },
	{ "remote_work", M_RK_KIND_REMOTE },
	{ NULL, 0 },
};

static const struct choice analysis_states[] = {
	{ "draft", M_RK_ST_DRAFT },
	{ "ongoing", M_RK_ST_ONGOING },
	{ "decided", M_RK_ST_DECIDED },
	{ NULL, 0 },
};

static const struct entity_field analysis_fields[] = {
	[RA_TITLE] = { "title", M_RK_F_ANALYSIS_TITLE, M_RK_H_ANALYSIS_TITLE, F_TEXT, 1, 200,
		       FF_REQUIRED | FF_LIST | FF_SEARCH | FF_SORT, NULL, NULL, 0 },
	[RA_KIND] = { "kind", M_RK_F_KIND, 0, F_ENUM, 0, 0, FF_REQUIRED | FF_LIST | FF_FILTER,
		      analysis_kinds, NULL, 0 },
	[RA_SYSTEM] = { "system_id", M_RK_F_SYSTEM, M_RK_H_ANALYSIS_SYSTEM, F_REF, 0, 0,
			FF_LIST | FF_FILTER, NULL, &sys_systems, 0 },
	[RA_PURPOSE] = { "purpose", M_RK_F_PURPOSE, M_RK_H_PURPOSE, F_LONGTEXT, 0, 4000, FF_SEARCH,
			 NULL, NULL, 0 },
	[RA_PARTICIPANTS] = { "participants", M_RK_F_PARTICIPANTS, M_RK_H_PARTICIPANTS,
			      F_LONGTEXT, 0, 2000, 0, NULL, NULL, 0 },
	[RA_OWNER] = { "owner_id", M_RK_F_RISK_OWNER, M_RK_H_ANALYSIS_OWNER, F_REF, 0, 0,
		       FF_LIST | FF_FILTER, NULL, &org_people, 0 },
	[RA_METHOD] = { "method", M_RK_F_METHOD, M_RK_H_METHOD, F_TEXT, 0, 300, 0, NULL, NULL, 0 },
	[RA_PERFORMED_ON] = { "performed_on", M_RK_F_PERFORMED_ON, 0, F_DATE, 0, 0, 0, NULL, NULL,
			      0 },
	[RA_REVIEW_ON] = { "review_on", M_RK_F_REVIEW_ON, M_RK_H_REVIEW_ON, F_DATE, 0, 0,
			   FF_LIST | FF_DUE | FF_SORT, NULL, NULL, 0 },
	[RA_STATE] = { "state", M_RK_F_STATE, 0, F_ENUM, 0, 0, FF_LIST | FF_FILTER,
		       analysis_states, NULL, 0 },
	/* R-7-04: the decision, who made it and when */
	[RA_DECIDED_BY] = { "decided_by", M_RK_F_DECIDED_BY, 0, F_REF, 0, 0,
			    FF_NO_FORM | FF_NO_IMPORT, NULL, &org_people, M_RK_G_DECISION },
	[RA_DECIDED_ON] = { "decided_on", M_RK_F_DECIDED_ON, 0, F_DATE, 0, 0,
			    FF_NO_FORM | FF_NO_IMPORT, NULL, NULL, M_RK_G_DECISION },
	[RA_DECISION] = { "decision", M_RK_F_DECISION, 0, F_LONGTEXT, 0, 4000,
			  FF_NO_FORM | FF_NO_IMPORT, NULL, NULL, M_RK_G_DECISION },
	{ NULL },
};

static const char *id_text(struct ctx *cx, int64_t id)
{
	return arena_printf(cx->a, "%lld", (long long)id);
}

static void analysis_validate(struct ctx *cx, const struct entity *e, struct record *rec,
			      const struct record *old, struct field_errors *errs)
{
	struct db_error err;

	(void)e;
	if (!old && !rec->v[RA_STATE])
		rec->v[RA_STATE] = "draft";
	if (!rec->v[RA_KIND])
		rec->v[RA_KIND] = "organisation";
	if (is(rec->v[RA_KIND], "system") && !rec->v[RA_SYSTEM])
		field_error_add(errs, RA_SYSTEM, M_RK_V_SYSTEM_NEEDED, "required");
	/* the model and the categories exist before the first risk */
	if (!old && risk_categories_ensure(cx, &err) != 0)
		field_error_add(errs, -1, M_RK_V_MODEL, "invalid");
}

static const char *const from_draft[] = { "draft", NULL };
static const char *const from_ongoing[] = { "ongoing", NULL };
static const char *const from_decided[] = { "decided", NULL };

static const struct entity_field decide_params[] = {
	{ "decision_text", M_RK_F_DECISION, M_RK_H_DECISION, F_LONGTEXT, 1, 4000, FF_REQUIRED,
	  NULL, NULL, 0 },
	{ "decision_date", M_RK_F_DECIDED_ON, 0, F_DATE, 0, 0, FF_REQUIRED, NULL, NULL, 0 },
	{ NULL },
};

/* management, the chief executive, the analysis's risk owner, or the
 * keepers recording their decision */
static int decide_rule(struct ctx *cx, const struct entity *e, const struct entity_transition *t,
		       struct record *rec, const struct record *old, const char *const *pv,
		       struct field_errors *errs, struct db_error *err)
{
	int64_t owner = 0;

	(void)t, (void)old, (void)err;
	if (rec->v[RA_OWNER])
		parse_i64(rec->v[RA_OWNER], &owner);
	if (!ctx_has_role(cx, ROLES_RISK_DECIDE | ROLES_RISK_KEEP) &&
	    !(owner && owner == cx->org->person_id)) {
		field_error_add(errs, -1, M_RK_V_DECIDER, "denied");
		return 0;
	}
	if (pv[1] && strcmp(pv[1], ctx_today(cx)) > 0) {
		field_error_add(errs, (int)e->nfields + 1, M_RK_V_FUTURE, "invalid");
		return 0;
	}
	rec->v[RA_DECISION] = pv[0];
	rec->v[RA_DECIDED_ON] = pv[1];
	rec->v[RA_DECIDED_BY] = cx->org->person_id ? id_text(cx, cx->org->person_id) : NULL;
	return 0;
}

static const struct entity_transition analysis_transitions[] = {
	{ .name = "start", .label = M_RK_T_START, .field = "state", .from = from_draft,
	  .to = "ongoing" },
	{ .name = "decide", .label = M_RK_T_DECIDE, .help = M_RK_T_DECIDE_HELP, .field = "state",
	  .from = from_ongoing, .to = "decided", .params = decide_params, .rule = decide_rule },
	{ .name = "revise", .label = M_RK_T_REVISE, .help = M_RK_T_REVISE_HELP, .field = "state",
	  .from = from_decided, .to = "ongoing" },
	{ .name = NULL },
};

/* Owners of systems or information write only the analyses they own; the
 * keepers, management and the chief executive every one. */
static int analysis_may(struct ctx *cx, const struct entity *e, const struct record *rec,
			enum entity_op op)
{
	int64_t owner = 0;

	(void)e;
	if (op == OP_READ || !cx->user_id || ctx_has_role(cx, ROLES_RISK_KEEP | ROLES_RISK_DECIDE))
		return 1;
	if (rec->v[RA_OWNER])
		parse_i64(rec->v[RA_OWNER], &owner);
	return cx->org->person_id && owner == cx->org->person_id;
}

static const struct entity_link analysis_links[] = {
	{ M_RK_REGISTER, "/risks", ROLES_STAFF },
	{ M_RK_MODEL, "/risk-model", ROLES_STAFF },
	{ 0, NULL, 0 },
};

struct entity rk_analyses = {
	.name = "risk-analyses",
	.table = "risk_analysis",
	.label_one = M_RK_ANALYSIS,
	.label_many = M_RK_ANALYSES,
	.label_new = M_RK_ANALYSIS_NEW,
	.intro = M_RK_ANALYSES_INTRO,
	.list_links = analysis_links,
	.fields = analysis_fields,
	.title_field = RA_TITLE,
	.roles_read = ROLES_STAFF,
	.roles_write = ROLES_RISK_WRITE,
	.owner_field = "owner_id",
	.hide_empty_groups = 1,
	.may = analysis_may,
	.validate = analysis_validate,
	.transitions = analysis_transitions,
	.show_extra = analysis_show_extra,
};

/* ---- risks ---- */

static const struct choice levels4[] = {
	{ "1", M_RK_C1 }, { "2", M_RK_C2 }, { "3", M_RK_C3 }, { "4", M_RK_C4 }, { NULL, 0 },
};
static const struct choice likelihoods[] = {
	{ "1", M_RK_L1 }, { "2", M_RK_L2 }, { "3", M_RK_L3 }, { "4", M_RK_L4 }, { NULL, 0 },
};
static const struct choice risk_levels[] = {
	{ "1", M_RK_LEVEL_1 }, { "2", M_RK_LEVEL_2 }, { "3", M_RK_LEVEL_3 }, { "4", M_RK_LEVEL_4 },
	{ NULL, 0 },
};
static const struct choice treatments[] = {
	{ "reduce", M_RK_TR_REDUCE },
	{ "accept", M_RK_TR_ACCEPT },
	{ "avoid", M_RK_TR_AVOID },
	{ "transfer", M_RK_TR_TRANSFER },
	{ NULL, 0 },
};
static const struct choice risk_statuses[] = {
	{ RISK_OPEN, M_RK_RS_OPEN },
	{ RISK_TREATING, M_RK_RS_TREATING },
	{ RISK_ACCEPTED, M_RK_RS_ACCEPTED },
	{ RISK_EXPIRED, M_RK_RS_EXPIRED },
	{ RISK_CLOSED, M_RK_RS_CLOSED },
	{ NULL, 0 },
};

#define ASPECT(col, label) \
	{ col, label, 0, F_BOOL, 0, 0, 0, NULL, NULL, M_RK_G_ASPECTS }
#define ACCEPTANCE(col, label, type) \
	{ col, label, 0, type, 0, 4000, FF_NO_FORM | FF_NO_IMPORT, NULL, NULL, M_RK_G_ACCEPTANCE }

static const struct entity_field risk_fields[] = {
	[RK_ANALYSIS] = { "analysis_id", M_RK_ANALYSIS, 0, F_REF, 0, 0,
			  FF_REQUIRED | FF_LIST | FF_FILTER, NULL, &rk_analyses, 0 },
	[RK_TITLE] = { "title", M_RK_F_RISK_TITLE, M_RK_H_RISK_TITLE, F_TEXT, 1, 200,
		       FF_REQUIRED | FF_LIST | FF_SEARCH | FF_SORT, NULL, NULL, 0 },
	[RK_CAUSE] = { "cause", M_RK_F_CAUSE, M_RK_H_CAUSE, F_LONGTEXT, 0, 2000, FF_SEARCH, NULL,
		       NULL, M_RK_G_SCENARIO },
	[RK_EVENT] = { "event", M_RK_F_EVENT, M_RK_H_EVENT, F_LONGTEXT, 0, 2000, FF_SEARCH, NULL,
		       NULL, M_RK_G_SCENARIO },
	[RK_CONSEQUENCE_TEXT] = { "consequence_text", M_RK_F_CONSEQUENCE_TEXT,
				  M_RK_H_CONSEQUENCE_TEXT, F_LONGTEXT, 0, 2000, FF_SEARCH, NULL,
				  NULL, M_RK_G_SCENARIO },
	[RK_CATEGORY] = { "category_id", M_RK_CATEGORY, 0, F_REF, 0, 0, FF_FILTER, NULL,
			  &rk_categories, M_RK_G_SCENARIO },
	[RK_ASPECT_K] = ASPECT("aspect_k", M_RK_F_ASPECT_K),
	[RK_ASPECT_R] = ASPECT("aspect_r", M_RK_F_ASPECT_R),
	[RK_ASPECT_T] = ASPECT("aspect_t", M_RK_F_ASPECT_T),
	[RK_ASPECT_S] = ASPECT("aspect_s", M_RK_F_ASPECT_S),
	/* R-7-01: what it concerns */
	[RK_SYSTEM] = { "system_id", M_RK_F_SYSTEM, 0, F_REF, 0, 0, FF_FILTER, NULL, &sys_systems,
			M_RK_G_CONCERNS },
	[RK_INFOSET] = { "infoset_id", M_RK_F_INFOSET, 0, F_REF, 0, 0, FF_FILTER, NULL,
			 &sys_infosets, M_RK_G_CONCERNS },
	[RK_CONSEQUENCE] = { "consequence", M_RK_F_CONSEQUENCE, M_RK_H_CONSEQUENCE, F_ENUM, 0, 0,
			     0, levels4, NULL, M_RK_G_ASSESSMENT },
	[RK_LIKELIHOOD] = { "likelihood", M_RK_F_LIKELIHOOD, 0, F_ENUM, 0, 0, 0, likelihoods,
			    NULL, M_RK_G_ASSESSMENT },
	[RK_LEVEL] = { "level", M_RK_F_LEVEL, M_RK_H_LEVEL, F_ENUM, 0, 0,
		       FF_NO_FORM | FF_NO_IMPORT | FF_LIST | FF_FILTER | FF_SORT, risk_levels, NULL,
		       M_RK_G_ASSESSMENT },
	[RK_TREATMENT] = { "treatment", M_RK_F_TREATMENT, M_RK_H_TREATMENT, F_ENUM, 0, 0,
			   FF_LIST | FF_FILTER, treatments, NULL, M_RK_G_TREATMENT },
	[RK_TREATMENT_REASON] = { "treatment_reason", M_RK_F_TREATMENT_REASON, 0, F_LONGTEXT, 0,
				  2000, 0, NULL, NULL, M_RK_G_TREATMENT },
	[RK_RES_CONSEQUENCE] = { "residual_consequence", M_RK_F_RES_CONSEQUENCE, 0, F_ENUM, 0, 0, 0,
				 levels4, NULL, M_RK_G_TREATMENT },
	[RK_RES_LIKELIHOOD] = { "residual_likelihood", M_RK_F_RES_LIKELIHOOD, 0, F_ENUM, 0, 0, 0,
				likelihoods, NULL, M_RK_G_TREATMENT },
	[RK_RES_LEVEL] = { "residual_level", M_RK_F_RES_LEVEL, 0, F_ENUM, 0, 0,
			   FF_NO_FORM | FF_NO_IMPORT | FF_LIST | FF_FILTER | FF_SORT, risk_levels,
			   NULL, M_RK_G_TREATMENT },
	[RK_OWNER] = { "owner_id", M_RK_F_RISK_OWNER, 0, F_REF, 0, 0, FF_LIST | FF_FILTER, NULL,
		       &org_people, 0 },
	[RK_STATUS] = { "status", M_RK_F_STATUS, 0, F_ENUM, 0, 0, FF_LIST | FF_FILTER,
			risk_statuses, NULL, 0 },
	/* R-7-04: how management decided it is to be handled */
	[RK_HANDLING] = { "handling", M_RK_F_HANDLING, M_RK_H_HANDLING, F_LONGTEXT, 0, 2000, 0,
			  NULL, NULL, 0 },
	/* R-7-05: the conscious risk decision */
	[RK_ACCEPTED_BY] = { "accepted_by", M_RK_F_ACCEPTED_BY, 0, F_REF, 0, 0,
			     FF_NO_FORM | FF_NO_IMPORT, NULL, &org_people, M_RK_G_ACCEPTANCE },
	[RK_ACCEPTED_FOR] = ACCEPTANCE("accepted_for", M_RK_F_ACCEPTED_FOR, F_TEXT),
	[RK_ACCEPTED_ON] = ACCEPTANCE("accepted_on", M_RK_F_ACCEPTED_ON, F_DATE),
	[RK_ACCEPTED_UNTIL] = { "accepted_until", M_RK_F_ACCEPTED_UNTIL, 0, F_DATE, 0, 0,
				FF_NO_FORM | FF_NO_IMPORT | FF_DUE, NULL, NULL, M_RK_G_ACCEPTANCE },
	[RK_ACCEPT_REASON] = ACCEPTANCE("accept_reason", M_RK_F_ACCEPT_REASON, F_LONGTEXT),
	[RK_EXPIRING] = { "expiring", M_RK_F_EXPIRING, 0, F_BOOL, 0, 0,
			  FF_NO_FORM | FF_NO_IMPORT | FF_FILTER, NULL, NULL, M_RK_G_ACCEPTANCE },
	{ NULL },
};

int risk_expiring(struct ctx *cx, const char *status, const char *until)
{
	return is(status, RISK_ACCEPTED) && until && strcmp(until, ctx_date_in(cx, WAIT_SOON_DAYS)) <= 0;
}

static void risk_validate(struct ctx *cx, const struct entity *e, struct record *rec,
			  const struct record *old, struct field_errors *errs)
{
	struct risk_model m;
	struct db_error err;

	(void)e;
	if (!old && !rec->v[RK_STATUS])
		rec->v[RK_STATUS] = RISK_OPEN;
	if (rec->v[RK_TREATMENT] && !rec->v[RK_TREATMENT_REASON])
		field_error_add(errs, RK_TREATMENT_REASON, M_RK_V_REASON, "required");
	if (risk_model_get(cx, &m, &err) != 0) {
		field_error_add(errs, -1, M_RK_V_MODEL, "invalid");
		return;
	}
	rec->v[RK_EXPIRING] = risk_expiring(cx, rec->v[RK_STATUS], rec->v[RK_ACCEPTED_UNTIL]) ? "1" : "0";
	rec->v[RK_LEVEL] = risk_level_of(&m, rec->v[RK_CONSEQUENCE], rec->v[RK_LIKELIHOOD]);
	rec->v[RK_RES_LEVEL] = risk_level_of(&m, rec->v[RK_RES_CONSEQUENCE],
					     rec->v[RK_RES_LIKELIHOOD]);
}

static int64_t ref_of(const char *v)
{
	int64_t x = 0;

	if (!v || parse_i64(v, &x) != 0)
		return 0;
	return x;
}

static const char sql_analysis_owner[] =
	"SELECT owner_id FROM risk_analysis WHERE org_id = $1 AND id = $2";

/* Owners of systems or information write the risks they own and those of
 * the analyses they own; the keepers, management and the chief every one. */
static int risk_may(struct ctx *cx, const struct entity *e, const struct record *rec,
		    enum entity_op op)
{
	struct db_rows r;
	struct db_error err;
	int64_t me = cx->org->person_id;

	(void)e;
	if (op == OP_READ || !cx->user_id || ctx_has_role(cx, ROLES_RISK_KEEP | ROLES_RISK_DECIDE))
		return 1;
	if (!me)
		return 0;
	if (ref_of(rec->v[RK_OWNER]) == me)
		return 1;
	return db_exec(cx->db, cx->a, sql_analysis_owner,
		       DB_ARGS(DB_INT(cx->org->id), DB_INT(ref_of(rec->v[RK_ANALYSIS]))), &r,
		       &err) == 0 && r.nrows == 1 && db_cell_i64(&r, 0, 0) == me;
}

static const char *const from_treatable[] = { RISK_OPEN, RISK_EXPIRED, NULL };
static const char *const from_acceptable[] = { RISK_OPEN, RISK_TREATING, RISK_EXPIRED, NULL };
static const char *const from_live[] = { RISK_OPEN, RISK_TREATING, RISK_ACCEPTED, RISK_EXPIRED,
					 NULL };
static const char *const from_closed[] = { RISK_CLOSED, NULL };

static const struct entity_field accept_params[] = {
	{ "accept_reason_input", M_RK_F_ACCEPT_REASON, M_RK_H_ACCEPT_REASON, F_LONGTEXT, 1, 4000,
	  FF_REQUIRED, NULL, NULL, 0 },
	{ "accepted_for_input", M_RK_F_ACCEPTED_FOR, M_RK_H_ACCEPTED_FOR, F_TEXT, 0, 300, 0, NULL,
	  NULL, 0 },
	{ NULL },
};

/* Whether the actor's own roles (or being the risk's owner) meet the tier. */
static int meets_tier(struct ctx *cx, const char *tier, const struct record *rec)
{
	unsigned roles = RB(ROLE_MUNICIPAL_CHIEF);

	if (is(tier, TIER_NONE))
		return 0;
	if (is(tier, TIER_OWNER)) {
		if (cx->org->person_id && ref_of(rec->v[RK_OWNER]) == cx->org->person_id)
			return 1;
		roles |= RB(ROLE_SYSTEM_OWNER) | RB(ROLE_INFO_OWNER) | RB(ROLE_MANAGEMENT);
	} else if (is(tier, TIER_MANAGEMENT)) {
		roles |= RB(ROLE_MANAGEMENT);
	}
	return ctx_has_role(cx, roles);
}

static const char *add_months(struct ctx *cx, const char *day, int months)
{
	int y, m, d, dim;

	if (sscanf(day, "%4d-%2d-%2d", &y, &m, &d) != 3)
		return NULL;
	m += months;
	y += (m - 1) / 12;
	m = (m - 1) % 12 + 1;
	dim = clock_days_in_month(y, m);
	return arena_printf(cx->a, "%04d-%02d-%02d", y, m, d > dim ? dim : d);
}

/* R-7-05: the conscious risk decision. */
static int accept_rule(struct ctx *cx, const struct entity *e, const struct entity_transition *t,
		       struct record *rec, const struct record *old, const char *const *pv,
		       struct field_errors *errs, struct db_error *err)
{
	struct risk_model m;
	const char *level = rec->v[RK_RES_LEVEL] ? rec->v[RK_RES_LEVEL] : rec->v[RK_LEVEL];
	int li = level_index(level);
	const char *tier;

	(void)t, (void)old;
	if (!li) {
		field_error_add(errs, RK_LIKELIHOOD, M_RK_V_ACCEPT_UNASSESSED, "required");
		return 0;
	}
	if (risk_model_get(cx, &m, err) != 0)
		return -1;
	tier = m.accept[li - 1];
	if (is(tier, TIER_NONE)) {
		field_error_add(errs, -1, M_RK_V_ACCEPT_NOBODY, "denied");
		return 0;
	}
	if (!meets_tier(cx, tier, rec)) {
		/* the keepers record the decision of one who may, naming them */
		if (!ctx_has_role(cx, ROLES_RISK_KEEP)) {
			field_error_add(errs, -1, M_RK_V_ACCEPT_ROLE, "denied");
			return 0;
		}
		if (!pv[1] || !*pv[1]) {
			field_error_add(errs, (int)e->nfields + 1, M_RK_V_ACCEPTED_FOR, "required");
			return 0;
		}
	}
	rec->v[RK_ACCEPT_REASON] = pv[0];
	rec->v[RK_ACCEPTED_FOR] = pv[1] && *pv[1] ? pv[1] : NULL;
	rec->v[RK_ACCEPTED_BY] = cx->org->person_id ? id_text(cx, cx->org->person_id) : NULL;
	rec->v[RK_ACCEPTED_ON] = ctx_today(cx);
	rec->v[RK_ACCEPTED_UNTIL] = add_months(cx, ctx_today(cx), m.months[li - 1]);
	rec->v[RK_EXPIRING] = risk_expiring(cx, RISK_ACCEPTED, rec->v[RK_ACCEPTED_UNTIL]) ? "1" : "0";
	if (!rec->v[RK_TREATMENT]) {
		rec->v[RK_TREATMENT] = "accept";
		if (!rec->v[RK_TREATMENT_REASON])
			rec->v[RK_TREATMENT_REASON] = pv[0];
	}
	return 0;
}

const struct entity_transition risk_transitions[] = {
	{ .name = "treat", .label = M_RK_T_TREAT, .field = "status", .from = from_treatable,
	  .to = RISK_TREATING },
	{ .name = "accept", .label = M_RK_T_ACCEPT, .help = M_RK_T_ACCEPT_HELP, .field = "status",
	  .from = from_acceptable, .to = RISK_ACCEPTED, .params = accept_params,
	  .rule = accept_rule },
	{ .name = "close", .label = M_RK_T_CLOSE, .field = "status", .from = from_live,
	  .to = RISK_CLOSED },
	{ .name = "reopen", .label = M_RK_T_REOPEN, .field = "status", .from = from_closed,
	  .to = RISK_OPEN },
	{ .name = NULL },
};

struct entity rk_risks = {
	.name = "risks",
	.table = "risk",
	.label_one = M_RK_RISK,
	.label_many = M_RK_RISKS,
	.label_new = M_RK_RISK_NEW,
	.intro = M_RK_RISKS_INTRO,
	.list_links = analysis_links,
	.fields = risk_fields,
	.title_field = RK_TITLE,
	.roles_read = ROLES_STAFF,
	.roles_write = ROLES_RISK_WRITE,
	.owner_field = "owner_id",
	.parent_field = "analysis_id",
	.hide_empty_groups = 1,
	.may = risk_may,
	.validate = risk_validate,
	.transitions = risk_transitions,
	.show_summary = risk_show_summary,
	.show_extra = risk_show_extra,
};
