/* documents.c - the systems module's documents (core/module.h struct
 * document): the system register ("Systemförteckning") of the
 * organisation or of one unit and the units below it, and a system's
 * classification record ("Klassningsprotokoll") for its owner to sign.
 *
 * The register reads the systems a page at a time (keyset on the name's
 * sort key), names owners and units through the engine (entity_titles:
 * private names masked as everywhere), so 2,000 systems cost about 200
 * bounded queries and one page of rows in memory at a time besides the
 * document itself. */
#include "base/base.h"

#include "base/arena.h"
#include "core/ctx.h"
#include "core/i18n.h"
#include "core/module.h"
#include "core/roles.h"
#include "db/db.h"
#include "doc/doc.h"
#include "modules/org/org.h"
#include "modules/systems/systems.h"

#define PAGE ENTITY_TITLES_MAX

/* The unit $2 and every unit below it (none when $2 is 0). */
#define SCOPE \
	"WITH RECURSIVE scope(id) AS (SELECT id FROM unit WHERE org_id = $1 AND id = $2" \
	" UNION SELECT u.id FROM unit u JOIN scope s ON u.parent_id = s.id WHERE u.org_id = $1) "
#define WHERE \
	" FROM it_system t WHERE t.org_id = $1 AND t.archived = 0" \
	" AND ($2 = 0 OR t.unit_id IN (SELECT id FROM scope))"

static const char sql_count[] =
	SCOPE "SELECT count(*), count(t.level_max), coalesce(sum(t.business_critical), 0)" WHERE;

static const char sql_page[] =
	SCOPE "SELECT t.id, t.name, t.owner_id, t.unit_id, t.level_k, t.level_r, t.level_t,"
	" t.level_s, t.business_critical, t.lifecycle, t.supplier, t.hosting, t.name_sk" WHERE
	" AND (t.name_sk > $3 OR (t.name_sk = $3 AND t.id > $4))"
	" ORDER BY t.name_sk, t.id LIMIT $5";

/* "K2 R3 T2 S1", or "Ej klassad" */
static const char *profile(struct ctx *cx, const struct db_rows *r, size_t row, size_t col)
{
	struct buf b = BUF_INIT;
	const char *s;

	if (!db_cell(r, row, col))
		return msg_text(cx->lang, M_SP_NOT_CLASSIFIED);
	for (int a = 0; a < ASPECT__COUNT; a++) {
		const char *v = db_cell(r, row, col + (size_t)a);
		buf_printf(&b, "%s%c%s", a ? " " : "", aspect_letter[a], v ? v : "\xe2\x80\x93");
	}
	s = arena_strndup(cx->a, b.p, b.len);
	buf_release(&b);
	return s;
}

static const char *choice(struct ctx *cx, int field, const char *code)
{
	return code ? entity_choice_label(cx, &sys_systems.fields[field], code) : NULL;
}

static int unit_name(struct ctx *cx, int64_t unit, const char **name, struct db_error *err)
{
	if (entity_titles(cx, &org_units, &unit, 1, name, err))
		return -1;
	if (!*name) {
		err->code = DBE_NOTFOUND;
		snprintf(err->msg, sizeof(err->msg), "unit %lld", (long long)unit);
		return -1;
	}
	return 0;
}

static int build_register(struct ctx *cx, const struct doc_params *p, struct doc *d,
			  struct db_error *err)
{
	int lang = cx->lang;
	struct db_rows r;
	struct doc_table *t;
	struct doc_block *dl;
	const char *after = "", *uname;
	int64_t after_id = 0;

	if (p->unit) {
		if (unit_name(cx, p->unit, &uname, err))
			return -1;
		d->subtitle = arena_strdup(cx->a, msg_text(lang, M_DOC_UNIT_AND_BELOW));
		{
			const char *at = strstr(d->subtitle, "{unit}");
			if (at)
				d->subtitle = arena_printf(cx->a, "%.*s%s%s", (int)(at - d->subtitle),
							   d->subtitle, uname, at + 6);
		}
	} else {
		d->subtitle = msg_text(lang, M_DOC_WHOLE_ORG);
	}
	d->marking = msg_text(lang, M_DOC_MARKING);
	d->subject = d->subtitle;
	if (db_exec(cx->db, cx->a, sql_count, DB_ARGS(DB_INT(cx->org->id), DB_INT(p->unit)),
		    &r, err))
		return -1;
	doc_heading(d, 1, msg_text(lang, M_DOC_SUMMARY));
	doc_para(d, msg_text(lang, M_DOC_REGISTER_INTRO));
	dl = doc_deflist(d);
	doc_def(d, dl, msg_text(lang, M_DOC_N_SYSTEMS), doc_number(cx->a, db_cell_i64(&r, 0, 0)));
	doc_def(d, dl, msg_text(lang, M_DOC_N_CLASSIFIED), doc_number(cx->a, db_cell_i64(&r, 0, 1)));
	doc_def(d, dl, msg_text(lang, M_DOC_N_CRITICAL), doc_number(cx->a, db_cell_i64(&r, 0, 2)));
	doc_heading(d, 1, msg_text(lang, M_DOC_SYSTEMS));
	t = doc_table(d, 8, NULL);
	doc_col(t, 0, msg_text(lang, M_F_NAME), 2.2, DOC_LEFT);
	doc_col(t, 1, msg_text(lang, M_F_SYSTEM_OWNER), 1.6, DOC_LEFT);
	doc_col(t, 2, msg_text(lang, M_F_UNIT), 1.7, DOC_LEFT);
	doc_col(t, 3, msg_text(lang, M_DOC_PROFILE), 1.3, DOC_LEFT);
	doc_col(t, 4, msg_text(lang, M_DOC_COL_CRITICAL), 1.1, DOC_LEFT);
	doc_col(t, 5, msg_text(lang, M_DOC_COL_LIFECYCLE), 1.1, DOC_LEFT);
	doc_col(t, 6, msg_text(lang, M_F_SUPPLIER), 1.4, DOC_LEFT);
	doc_col(t, 7, msg_text(lang, M_F_HOSTING), 1.2, DOC_LEFT);
	for (;;) {
		int64_t owners[PAGE], units[PAGE];
		const char *oname[PAGE], *unames[PAGE];

		if (db_exec(cx->db, cx->a, sql_page,
			    DB_ARGS(DB_INT(cx->org->id), DB_INT(p->unit), DB_TEXT(after),
				    DB_INT(after_id), DB_INT(PAGE)), &r, err))
			return -1;
		for (size_t i = 0; i < r.nrows; i++) {
			owners[i] = db_cell_i64(&r, i, 2);
			units[i] = db_cell_i64(&r, i, 3);
		}
		if (entity_titles(cx, &org_people, owners, r.nrows, oname, err) ||
		    entity_titles(cx, &org_units, units, r.nrows, unames, err))
			return -1;
		for (size_t i = 0; i < r.nrows; i++) {
			const char **row = doc_row(d, t);

			row[0] = db_cell(&r, i, 1);
			row[1] = owners[i] ? oname[i] : NULL;
			row[2] = units[i] ? unames[i] : NULL;
			row[3] = profile(cx, &r, i, 4);
			row[4] = msg_text(lang, db_cell_i64(&r, i, 8) ? M_YES : M_NO);
			row[5] = choice(cx, SYS_LIFECYCLE, db_cell(&r, i, 9));
			row[6] = db_cell(&r, i, 10);
			row[7] = choice(cx, SYS_HOSTING, db_cell(&r, i, 11));
		}
		if (r.nrows < PAGE)
			break;
		after = db_cell(&r, r.nrows - 1, 12);
		after_id = db_cell_i64(&r, r.nrows - 1, 0);
	}
	return 0;
}

/* Each live information set the system handles, with its current
 * classification (the latest decided, live one), if any. */
static const char sql_sets[] =
	"SELECT i.id, i.name, c.level_k, c.level_r, c.level_t, c.level_s, c.reason_k,"
	" c.reason_r, c.reason_t, c.reason_s, c.participants, c.decision, c.decided_on,"
	" c.review_on"
	" FROM system_information si JOIN information_set i ON i.id = si.infoset_id"
	" LEFT JOIN classification c ON c.id = (SELECT c2.id FROM classification c2"
	"  WHERE c2.infoset_id = i.id AND c2.org_id = $1 AND c2.archived = 0"
	"  ORDER BY c2.decided_on DESC, c2.id DESC LIMIT 1)"
	" WHERE si.org_id = $1 AND si.system_id = $2 AND si.archived = 0 AND i.archived = 0"
	" ORDER BY i.name_sk, i.id LIMIT 500";

static int build_classification(struct ctx *cx, const struct doc_params *p, struct doc *d,
				struct db_error *err)
{
	int lang = cx->lang;
	struct record sys;
	struct db_rows r;
	struct doc_block *dl;
	const char *owner;

	if (entity_get(cx, &sys_systems, p->id, &sys, err))
		return -1;
	if (!entity_may(cx, &sys_systems, &sys, OP_READ)) {
		err->code = DBE_NOTFOUND;
		snprintf(err->msg, sizeof(err->msg), "system %lld not readable", (long long)p->id);
		return -1;
	}
	d->subtitle = entity_title(&sys_systems, &sys);
	d->subject = d->subtitle;
	d->marking = msg_text(lang, M_DOC_MARKING);
	owner = entity_display(cx, &sys_systems, &sys, SYS_OWNER);
	dl = doc_deflist(d);
	doc_def(d, dl, msg_text(lang, M_F_NAME), d->subtitle);
	doc_def(d, dl, msg_text(lang, M_F_UNIT), entity_display(cx, &sys_systems, &sys, SYS_UNIT));
	doc_def(d, dl, msg_text(lang, M_F_SYSTEM_OWNER), owner);
	doc_def(d, dl, msg_text(lang, M_F_SUPPLIER),
		entity_display(cx, &sys_systems, &sys, SYS_SUPPLIER));
	doc_def(d, dl, msg_text(lang, M_F_HOSTING),
		entity_display(cx, &sys_systems, &sys, SYS_HOSTING));
	doc_heading(d, 1, msg_text(lang, M_DOC_INFOSETS));
	if (db_exec(cx->db, cx->a, sql_sets, DB_ARGS(DB_INT(cx->org->id), DB_INT(p->id)), &r, err))
		return -1;
	if (!r.nrows)
		doc_para(d, msg_text(lang, M_DOC_NO_INFOSETS));
	for (size_t i = 0; i < r.nrows; i++) {
		struct doc_table *t;
		struct doc_block *meta;

		doc_heading(d, 2, db_cell(&r, i, 1));
		if (!db_cell(&r, i, 2)) {
			doc_para(d, msg_text(lang, M_DOC_NOT_CLASSIFIED_YET));
			continue;
		}
		t = doc_table(d, 3, NULL);
		doc_col(t, 0, msg_text(lang, M_DOC_ASPECT), 1.4, DOC_LEFT);
		doc_col(t, 1, msg_text(lang, M_DOC_LEVEL), 0.6, DOC_RIGHT);
		doc_col(t, 2, msg_text(lang, M_DOC_MOTIVATION), 4, DOC_LEFT);
		for (int a = 0; a < ASPECT__COUNT; a++) {
			const char **row = doc_row(d, t);

			row[0] = msg_text(lang, aspect_label[a]);
			row[1] = db_cell(&r, i, 2 + (size_t)a);
			row[2] = db_cell(&r, i, 6 + (size_t)a);
		}
		meta = doc_deflist(d);
		doc_def(d, meta, msg_text(lang, M_DOC_PARTICIPANTS), db_cell(&r, i, 10));
		doc_def(d, meta, msg_text(lang, M_DOC_DECISION), db_cell(&r, i, 11));
		doc_def(d, meta, msg_text(lang, M_DOC_DECIDED_ON), db_cell(&r, i, 12));
		doc_def(d, meta, msg_text(lang, M_DOC_REVIEW_ON), db_cell(&r, i, 13));
	}
	doc_heading(d, 1, msg_text(lang, M_DOC_SYSTEM_OWNER));
	doc_para(d, msg_text(lang, M_DOC_SIGN_INTRO));
	doc_signature(d, owner, msg_text(lang, M_DOC_SYSTEM_OWNER));
	return 0;
}

const struct document systems_documents[] = {
	{ "system-register", M_DOC_REGISTER, "systemforteckning", ROLES_STAFF, 0,
	  build_register },
	{ "classification-record", M_DOC_CLASSIFICATION, "klassningsprotokoll", ROLES_STAFF, 1,
	  build_classification },
	{ NULL },
};
