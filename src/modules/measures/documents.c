/* documents.c - statements of applicability and procurement requirements.
 *
 *   statement-of-applicability (?id= a system): each measure the system's
 *     levels require, by area: applicable or not (with the motivation),
 *     the status in effect, how it is done and the evidence (an inherited
 *     shared assessment's), then the organisation-wide measures the system
 *     is covered by;
 *   statement-of-applicability-org: the organisation's own rows (its
 *     organisation-wide measures and the shared assessments systems
 *     inherit), by area, with the organisation's numbers per area and the
 *     heat map;
 *   procurement-requirements (?id= a system, planned or not, 001 §7): the
 *     requirement specification its classification implies: "ska" where
 *     the levels require the measure (measure_required), "bör" one level
 *     below (measure_recommended), each with the measure's code and the
 *     levels it was derived from.
 *
 * Each is a document (PDF and print view, doc/doc.h) and a workbook
 * (routes in overview.c: .../soa.xlsx, .../procurement.xlsx), the
 * requirements plain text as well (.../procurement.txt), all made from the
 * same rows.  A statement reads the system's assessment rows (one system:
 * at most the catalogue's size) or the organisation's; nothing here grows
 * with the number of systems. */
#include "base/base.h"

#include "base/arena.h"
#include "base/buf.h"
#include "core/audit.h"
#include "core/ctx.h"
#include "core/i18n.h"
#include "core/module.h"
#include "core/roles.h"
#include "db/db.h"
#include "doc/doc.h"
#include "modules/measures/measures.h"
#include "modules/measures/overview.h"
#include "modules/systems/systems.h"
#include "web/router.h"
#include "web/xlsx.h"

/* More rows than any catalogue has measures: a bound, not a page. */
#define ROWS_MAX 2000

static const char *tr(struct ctx *cx, int msg)
{
	return msg_text(cx->lang, msg);
}

static const char *replace(struct arena *a, const char *text, const char *key, const char *v)
{
	const char *at = strstr(text, key);

	if (!at)
		return text;
	return arena_printf(a, "%.*s%s%s", (int)(at - text), text, v, at + strlen(key));
}

static const char *status_label(struct ctx *cx, const char *st)
{
	int i = gap_status_index(st);

	return i < 0 ? st : tr(cx, measure_statuses[i].label);
}

/* The system, if the actor may read it; DBE_NOTFOUND otherwise (404). */
static int readable_system(struct ctx *cx, int64_t id, struct record *sys, struct db_error *err)
{
	if (entity_get(cx, &sys_systems, id, sys, err))
		return -1;
	if (!entity_may(cx, &sys_systems, sys, OP_READ)) {
		err->code = DBE_NOTFOUND;
		snprintf(err->msg, sizeof(err->msg), "system %lld not readable", (long long)id);
		return -1;
	}
	return 0;
}

/* "K2 R3 T2 S1", or "Ej klassad" */
static const char *profile(struct ctx *cx, const struct record *sys)
{
	struct buf b = BUF_INIT;
	const char *s;

	if (!sys->v[SYS_LEVEL_MAX])
		return tr(cx, M_SP_NOT_CLASSIFIED);
	for (int a = 0; a < ASPECT__COUNT; a++) {
		const char *v = sys->v[SYS_LEVEL_K + a];
		buf_printf(&b, "%s%c%s", a ? " " : "", aspect_letter[a], v ? v : "\xe2\x80\x93");
	}
	s = arena_strndup(cx->a, b.p, b.len);
	buf_release(&b);
	return s;
}

/* ---- statements of applicability ---- */

struct soa_row {
	int area;
	const char *code, *title, *applicable, *status, *how, *evidence, *source;
};

struct soa {
	struct soa_row *rows;
	size_t n;
};

#define SOA_COLUMNS \
	" SELECT a.area, a.code, m.title, a.effective_status, a.inherit," \
	" CASE WHEN a.inherit = 1 THEN o.how ELSE a.how END," \
	" CASE WHEN a.inherit = 1 THEN o.evidence ELSE a.evidence END," \
	" CASE WHEN a.inherit = 1 THEN o.motivation ELSE a.motivation END, m.scope" \
	" FROM measure_assessment a JOIN measure m ON m.org_id = a.org_id AND m.id = a.measure_id" \
	" LEFT JOIN measure_assessment o ON o.org_id = a.org_id AND o.measure_id = a.measure_id" \
	"  AND o.system_id IS NULL AND a.inherit = 1"

/* A system's required rows ($2 the system). */
static const char sql_soa_system[] =
	SOA_COLUMNS " WHERE a.org_id = $1 AND a.system_id = $2 AND a.required = 1"
	" AND a.archived = 0 ORDER BY a.code_sk, a.id LIMIT $3";
/* The organisation's rows: $2 = 1 only its organisation-wide measures
 * (a system's statement), 0 also the shared assessments of system
 * measures (the organisation's).  From the partial index of the
 * organisation's rows, sorted (+a.archived: not the list index, whose
 * order would walk every system's rows to find them). */
static const char sql_soa_org[] =
	SOA_COLUMNS " WHERE a.org_id = $1 AND a.system_id IS NULL AND a.required = 1"
	" AND +a.archived = 0 AND ($2 = 0 OR m.scope = 'organisation')"
	" ORDER BY a.code_sk, a.id LIMIT $3";

static int soa_read(struct ctx *cx, int64_t system_id, int org_wide_only, struct soa *s,
		    struct db_error *err)
{
	struct db_rows r;
	int rc;

	if (system_id)
		rc = db_exec(cx->db, cx->a, sql_soa_system,
			     DB_ARGS(DB_INT(cx->org->id), DB_INT(system_id), DB_INT(ROWS_MAX)), &r,
			     err);
	else
		rc = db_exec(cx->db, cx->a, sql_soa_org,
			     DB_ARGS(DB_INT(cx->org->id), DB_INT(org_wide_only), DB_INT(ROWS_MAX)),
			     &r, err);
	if (rc)
		return -1;
	s->rows = arena_alloc(cx->a, (r.nrows + 1) * sizeof(*s->rows));
	s->n = r.nrows;
	for (size_t i = 0; i < r.nrows; i++) {
		struct soa_row *x = &s->rows[i];
		const char *st = db_cell(&r, i, 3), *why = db_cell(&r, i, 7);
		int inherited = db_cell_i64(&r, i, 4) == 1;

		x->area = measure_area_index(db_cell(&r, i, 0));
		x->code = db_cell(&r, i, 1);
		x->title = db_cell(&r, i, 2);
		x->status = status_label(cx, st);
		x->how = db_cell(&r, i, 5);
		if (strcmp(st, ST_NA) == 0) {
			/* not applicable: the motivation is what is said of it */
			x->applicable = tr(cx, M_NO);
			x->how = replace(cx->a, tr(cx, M_SOA_NA_BECAUSE), "{why}",
					 why ? why : "\xe2\x80\x93");
		} else {
			x->applicable = tr(cx, M_YES);
		}
		x->evidence = db_cell(&r, i, 6);
		if (inherited)
			x->source = tr(cx, M_SOA_INHERITED);
		else if (!system_id && strcmp(db_cell(&r, i, 8), "organisation") != 0)
			x->source = tr(cx, M_F_INHERIT);
		else
			x->source = NULL;
	}
	return 0;
}

/* The rows by area, each area a heading and a table. */
static void soa_tables(struct ctx *cx, struct doc *d, const struct soa *s, int level)
{
	for (int a = 0; a < AREA__COUNT; a++) {
		struct doc_table *t = NULL;

		for (size_t i = 0; i < s->n; i++) {
			const struct soa_row *x = &s->rows[i];
			const char **row;
			if (x->area != a)
				continue;
			if (!t) {
				doc_heading(d, level, tr(cx, measure_areas[a].label));
				t = doc_table(d, 6, NULL);
				doc_col(t, 0, tr(cx, M_GO_CODE), 0.8, DOC_LEFT);
				doc_col(t, 1, tr(cx, M_GO_MEASURE), 2.3, DOC_LEFT);
				doc_col(t, 2, tr(cx, M_SOA_APPLICABLE), 0.9, DOC_LEFT);
				doc_col(t, 3, tr(cx, M_F_STATUS), 1.3, DOC_LEFT);
				doc_col(t, 4, tr(cx, M_F_HOW), 2.2, DOC_LEFT);
				doc_col(t, 5, tr(cx, M_F_EVIDENCE), 1.4, DOC_LEFT);
				t->zebra = 1;
			}
			row = doc_row(d, t);
			row[0] = x->code;
			row[1] = x->title;
			row[2] = x->applicable;
			row[3] = x->source ? arena_printf(cx->a, "%s (%s)", x->status, x->source)
					   : x->status;
			row[4] = x->how;
			row[5] = x->evidence;
		}
	}
}

static const char *counts_text(struct ctx *cx, int64_t n)
{
	return doc_number(cx->a, n);
}

static int build_soa(struct ctx *cx, const struct doc_params *p, struct doc *d,
		     struct db_error *err)
{
	struct record sys;
	struct gap_counts c;
	struct soa s, org;
	struct doc_block *dl;
	int64_t st[GAP_NSTAT] = { 0 };

	if (readable_system(cx, p->id, &sys, err) || gap_system_counts(cx, p->id, &c, err) ||
	    soa_read(cx, p->id, 0, &s, err) || soa_read(cx, 0, 1, &org, err))
		return -1;
	d->subtitle = entity_title(&sys_systems, &sys);
	d->subject = d->subtitle;
	d->marking = tr(cx, M_DOC_MARKING);
	doc_para(d, tr(cx, M_SOA_INTRO));
	dl = doc_deflist(d);
	doc_def(d, dl, tr(cx, M_F_NAME), d->subtitle);
	doc_def(d, dl, tr(cx, M_F_UNIT), entity_display(cx, &sys_systems, &sys, SYS_UNIT));
	doc_def(d, dl, tr(cx, M_F_SYSTEM_OWNER), entity_display(cx, &sys_systems, &sys, SYS_OWNER));
	doc_def(d, dl, tr(cx, M_SOA_LEVELS), profile(cx, &sys));
	doc_def(d, dl, tr(cx, M_GO_REQUIRED), counts_text(cx, c.required));
	doc_def(d, dl, tr(cx, M_GO_MET), counts_text(cx, c.met));
	doc_def(d, dl, tr(cx, M_GO_PARTLY), counts_text(cx, c.partly));
	doc_def(d, dl, tr(cx, M_GO_NOT_MET), counts_text(cx, c.not_met));
	doc_def(d, dl, tr(cx, M_GO_NOT_ASSESSED), counts_text(cx, c.not_assessed));
	doc_def(d, dl, tr(cx, M_GO_NA), counts_text(cx, c.na));
	st[GS_MET] = c.met;
	st[GS_NA] = c.na;
	st[GS_NOT_ASSESSED] = c.required - c.met - c.na;
	doc_def(d, dl, tr(cx, M_GO_COVERAGE),
		gap_coverage(st) < 0 ? "\xe2\x80\x93"
				     : arena_printf(cx->a, "%d\xc2\xa0%%", gap_coverage(st)));
	if (s.n == 0)
		doc_para(d, tr(cx, M_SOA_NONE));
	soa_tables(cx, d, &s, 1);
	if (org.n) {
		doc_heading(d, 1, tr(cx, M_SOA_ORG_SECTION));
		doc_para(d, tr(cx, M_SOA_ORG_SECTION_INTRO));
		soa_tables(cx, d, &org, 2);
	}
	doc_heading(d, 1, tr(cx, M_DOC_SYSTEM_OWNER));
	doc_signature(d, entity_display(cx, &sys_systems, &sys, SYS_OWNER),
		      tr(cx, M_DOC_SYSTEM_OWNER));
	return 0;
}

static int build_soa_org(struct ctx *cx, const struct doc_params *p, struct doc *d,
			 struct db_error *err)
{
	struct gap_numbers g;
	struct soa s;
	struct doc_table *t;

	if (gap_read_numbers(cx, &g, err) || soa_read(cx, 0, 0, &s, err))
		return -1;
	d->subtitle = tr(cx, M_DOC_WHOLE_ORG);
	d->subject = d->subtitle;
	d->marking = tr(cx, M_DOC_MARKING);
	doc_para(d, tr(cx, M_SOA_ORG_INTRO));
	doc_heading(d, 1, tr(cx, M_SOA_SUMMARY));
	if (gap_sum(g.total)) {
		t = doc_table(d, 8, tr(cx, M_GO_AREAS));
		doc_col(t, 0, tr(cx, M_GO_AREA), 2.4, DOC_LEFT);
		doc_col(t, 1, tr(cx, M_GO_REQUIRED), 0.9, DOC_RIGHT);
		doc_col(t, 2, tr(cx, M_GO_MET), 0.9, DOC_RIGHT);
		doc_col(t, 3, tr(cx, M_GO_PARTLY), 0.9, DOC_RIGHT);
		doc_col(t, 4, tr(cx, M_GO_NOT_MET), 0.9, DOC_RIGHT);
		doc_col(t, 5, tr(cx, M_GO_NOT_ASSESSED), 0.9, DOC_RIGHT);
		doc_col(t, 6, tr(cx, M_GO_NA), 0.9, DOC_RIGHT);
		doc_col(t, 7, tr(cx, M_GO_COVERAGE), 0.9, DOC_RIGHT);
		t->zebra = 1;
		for (int a = 0; a <= AREA__COUNT; a++) {
			const int64_t *n = a < AREA__COUNT ? g.area[a] : g.total;
			const char **row;
			int pct = gap_coverage(n);
			if (gap_sum(n) == 0)
				continue;
			row = doc_row(d, t);
			row[0] = a < AREA__COUNT ? tr(cx, measure_areas[a].label) : tr(cx, M_GO_TOTAL);
			row[1] = doc_number(cx->a, gap_sum(n));
			row[2] = doc_number(cx->a, n[GS_MET]);
			row[3] = doc_number(cx->a, n[GS_PARTLY]);
			row[4] = doc_number(cx->a, n[GS_NOT_MET]);
			row[5] = doc_number(cx->a, n[GS_NOT_ASSESSED]);
			row[6] = doc_number(cx->a, n[GS_NA]);
			row[7] = arena_printf(cx->a, "%d\xc2\xa0%%", pct);
		}
		doc_picture(d, gap_heat_chart(cx, &g));
	} else {
		doc_para(d, tr(cx, M_GO_NOTHING));
	}
	if (s.n) {
		doc_page_break(d);
		doc_heading(d, 1, tr(cx, M_SOA_ORG_SECTION));
		soa_tables(cx, d, &s, 2);
	}
	return 0;
}

/* ---- procurement requirements ---- */

struct req_row {
	int area;
	int shall;              /* 1 "ska", 0 "bör" */
	const char *code, *text, *from, *iso;
};

struct reqs {
	struct req_row *rows;
	size_t n, nshall, nshould;
	const char *levels;     /* "K2 R3 T2 S1" */
	const char *system;
};

static const char sql_req_measures[] =
	"SELECT area, code, title, req_text, min_k, min_r, min_t, min_s, system_id, ref_iso"
	" FROM measure WHERE org_id = $1 AND archived = 0 AND scope = 'system'"
	" AND (system_id IS NULL OR system_id = $2) ORDER BY code_sk, id LIMIT $3";

/* "Systemet ska kunna ..." as "Systemet bör kunna ...": only where the
 * sentence begins with its subject and "ska", so that no other "ska" is
 * touched; otherwise "Bör: " before the text as it stands. */
static const char *should_text(struct ctx *cx, const char *text)
{
	const char *sp = strchr(text, ' ');

	if (cx->lang == LANG_SV && sp && sp > text && strncmp(sp, " ska ", 5) == 0 &&
	    !memchr(text, ',', (size_t)(sp - text)))
		return arena_printf(cx->a, "%.*s b\xc3\xb6r %s", (int)(sp - text), text, sp + 5);
	if (cx->lang == LANG_SV && sp && strncmp(sp, " ska,", 5) == 0)
		return arena_printf(cx->a, "%.*s b\xc3\xb6r,%s", (int)(sp - text), text, sp + 5);
	return arena_printf(cx->a, "%s%s", tr(cx, M_PROC_SHOULD_PREFIX), text);
}

/* The thresholds that made it "ska" (reached) or "bör" (one level
 * short): "K ≥ 2, T ≥ 3"; a minimum of 0 is every system's. */
static const char *derived_from(struct ctx *cx, const int min[ASPECTS], const int lv[ASPECTS],
				int shall)
{
	struct buf b = BUF_INIT;
	const char *s;

	for (int a = 0; shall && a < ASPECTS; a++)
		if (min[a] == 0)
			return tr(cx, M_PROC_BASELINE);
	for (int a = 0; a < ASPECTS; a++) {
		int hit;
		if (min[a] == MIN_NONE)
			continue;
		hit = shall ? (min[a] == 0 || (lv[a] != LEVEL_NOT_SET && lv[a] >= min[a]))
			    : (lv[a] != LEVEL_NOT_SET && lv[a] + 1 >= min[a]);
		if (hit)
			buf_printf(&b, "%s%c \xe2\x89\xa5 %d", b.len ? ", " : "", aspect_letter[a],
				   min[a]);
	}
	s = arena_strndup(cx->a, b.p ? b.p : "", b.len);
	buf_release(&b);
	return s;
}

static int reqs_read(struct ctx *cx, int64_t system_id, struct reqs *q, struct db_error *err)
{
	struct record sys;
	struct db_rows r;
	int lv[ASPECTS];

	memset(q, 0, sizeof(*q));
	if (readable_system(cx, system_id, &sys, err))
		return -1;
	q->system = entity_title(&sys_systems, &sys);
	q->levels = profile(cx, &sys);
	for (int a = 0; a < ASPECTS; a++) {
		int64_t x;
		lv[a] = sys.v[SYS_LEVEL_K + a] && parse_i64(sys.v[SYS_LEVEL_K + a], &x) == 0
			? (int)x : LEVEL_NOT_SET;
	}
	if (db_exec(cx->db, cx->a, sql_req_measures,
		    DB_ARGS(DB_INT(cx->org->id), DB_INT(system_id), DB_INT(ROWS_MAX)), &r, err))
		return -1;
	q->rows = arena_alloc(cx->a, (r.nrows + 1) * sizeof(*q->rows));
	for (size_t i = 0; i < r.nrows; i++) {
		struct req_row *x = &q->rows[q->n];
		const char *text = db_cell(&r, i, 3) ? db_cell(&r, i, 3) : db_cell(&r, i, 2);
		int min[ASPECTS], shall;

		for (int a = 0; a < ASPECTS; a++)
			min[a] = db_cell(&r, i, 4 + (size_t)a) ? (int)db_cell_i64(&r, i, 4 + (size_t)a)
							      : MIN_NONE;
		if (db_cell(&r, i, 8))
			shall = 1; /* this system's extra requirement (R-4-05) */
		else if (measure_required(min, lv))
			shall = 1;
		else if (measure_recommended(min, lv))
			shall = 0;
		else
			continue;
		x->area = measure_area_index(db_cell(&r, i, 0));
		x->shall = shall;
		x->code = db_cell(&r, i, 1);
		x->text = shall ? text : should_text(cx, text);
		x->from = db_cell(&r, i, 8) ? tr(cx, M_F_EXTRA_FOR) : derived_from(cx, min, lv, shall);
		x->iso = db_cell(&r, i, 9);
		if (shall)
			q->nshall++;
		else
			q->nshould++;
		q->n++;
	}
	return 0;
}

static const char *counts_line(struct ctx *cx, const struct reqs *q)
{
	const char *t = replace(cx->a, tr(cx, M_PROC_COUNTS), "{shall}",
				arena_printf(cx->a, "%zu", q->nshall));
	return replace(cx->a, t, "{should}", arena_printf(cx->a, "%zu", q->nshould));
}

static int build_procurement(struct ctx *cx, const struct doc_params *p, struct doc *d,
			     struct db_error *err)
{
	struct reqs q;
	struct doc_block *dl;

	if (reqs_read(cx, p->id, &q, err))
		return -1;
	d->subtitle = q.system;
	d->subject = d->subtitle;
	doc_para(d, tr(cx, M_PROC_INTRO));
	dl = doc_deflist(d);
	doc_def(d, dl, tr(cx, M_F_NAME), q.system);
	doc_def(d, dl, tr(cx, M_PROC_DERIVED), q.levels);
	doc_def(d, dl, tr(cx, M_PROC_REQ), counts_line(cx, &q));
	if (strcmp(q.levels, tr(cx, M_SP_NOT_CLASSIFIED)) == 0)
		doc_note(d, tr(cx, M_PROC_NOT_CLASSIFIED));
	if (q.n == 0)
		doc_para(d, tr(cx, M_PROC_NONE));
	for (int a = 0; a < AREA__COUNT; a++) {
		struct doc_table *t = NULL;
		for (size_t i = 0; i < q.n; i++) {
			const struct req_row *x = &q.rows[i];
			const char **row;
			if (x->area != a)
				continue;
			if (!t) {
				doc_heading(d, 1, tr(cx, measure_areas[a].label));
				t = doc_table(d, 4, NULL);
				doc_col(t, 0, tr(cx, M_PROC_REF), 0.9, DOC_LEFT);
				doc_col(t, 1, tr(cx, M_PROC_KIND), 0.6, DOC_LEFT);
				doc_col(t, 2, tr(cx, M_PROC_REQ), 4.2, DOC_LEFT);
				doc_col(t, 3, tr(cx, M_PROC_FROM), 1.1, DOC_LEFT);
				t->zebra = 1;
			}
			row = doc_row(d, t);
			row[0] = x->code;
			row[1] = tr(cx, x->shall ? M_PROC_SHALL : M_PROC_SHOULD);
			row[2] = x->text;
			row[3] = x->from;
		}
	}
	return 0;
}

const struct document measures_documents[] = {
	{ "statement-of-applicability", M_SOA, "tillampningsforklaring", ROLES_STAFF, 1, build_soa },
	{ "statement-of-applicability-org", M_SOA_ORG, "tillampningsforklaring", ROLES_STAFF, 0,
	  build_soa_org },
	{ "procurement-requirements", M_PROC, "upphandlingskrav", ROLES_STAFF, 1,
	  build_procurement },
	{ NULL },
};

/* ---- the exports (routes in overview.c) ---- */

static int status_of(const struct db_error *err)
{
	return err->code == DBE_NOTFOUND ? 404 : err->code == DBE_BUSY ? 503 : 500;
}

/* Who took which document home, as the PDF downloads are (pages_doc.c). */
static void audit_download(struct req *q, const char *name, int64_t id, const char *summary)
{
	struct audit_event ev = { 0 };

	audit_from_ctx(&q->cx, &ev);
	ev.action = "document";
	ev.entity = name;
	ev.entity_id = id;
	ev.summary = summary;
	audit_append_now(q->cx.db, q->cx.a, &ev);
}

static void soa_workbook(struct req *q, struct resp *r, int64_t system_id)
{
	struct ctx *cx = &q->cx;
	struct soa s, org = { 0 };
	struct record sys;
	struct db_error err = { 0 };
	struct xlsx_table t;
	const char **head, **cells;
	const char *title, *file;
	size_t n;

	if ((system_id && readable_system(cx, system_id, &sys, &err)) ||
	    soa_read(cx, system_id, 0, &s, &err) ||
	    (system_id && soa_read(cx, 0, 1, &org, &err))) {
		log_error("statement of applicability: %s", err.msg);
		respond_error(q, r, status_of(&err));
		return;
	}
	n = s.n + org.n;
	head = arena_alloc(cx->a, 8 * sizeof(*head));
	head[0] = tr(cx, M_GO_AREA);
	head[1] = tr(cx, M_GO_CODE);
	head[2] = tr(cx, M_GO_MEASURE);
	head[3] = tr(cx, M_SOA_APPLICABLE);
	head[4] = tr(cx, M_F_STATUS);
	head[5] = tr(cx, M_F_HOW);
	head[6] = tr(cx, M_F_EVIDENCE);
	head[7] = tr(cx, M_SOA_SOURCE);
	cells = arena_alloc(cx->a, (n + 1) * 8 * sizeof(*cells));
	for (size_t i = 0; i < n; i++) {
		const struct soa_row *x = i < s.n ? &s.rows[i] : &org.rows[i - s.n];
		const char **c = cells + i * 8;
		c[0] = x->area >= 0 ? tr(cx, measure_areas[x->area].label) : NULL;
		c[1] = x->code;
		c[2] = x->title;
		c[3] = x->applicable;
		c[4] = x->status;
		c[5] = x->how;
		c[6] = x->evidence;
		c[7] = i < s.n ? x->source : tr(cx, M_SCOPE_ORGANISATION);
	}
	title = system_id ? entity_title(&sys_systems, &sys) : tr(cx, M_DOC_WHOLE_ORG);
	t = (struct xlsx_table){ tr(cx, M_SOA), 8, n, head, cells };
	file = system_id ? arena_printf(cx->a, "%s-tillampningsforklaring-system-%lld.xlsx",
					cx->org->slug, (long long)system_id)
			 : arena_printf(cx->a, "%s-tillampningsforklaring.xlsx", cx->org->slug);
	xlsx_respond_tables(q, r, file, &t, 1);
	if (r->status == 200)
		audit_download(q, system_id ? "statement-of-applicability"
					    : "statement-of-applicability-org",
			       system_id, arena_printf(cx->a, "%s: %s (xlsx)", tr(cx, M_SOA), title));
}

void gap_soa_xlsx(struct req *q, struct resp *r)
{
	soa_workbook(q, r, req_id(q));
}

void gap_soa_org_xlsx(struct req *q, struct resp *r)
{
	soa_workbook(q, r, 0);
}

static int reqs_for_route(struct req *q, struct resp *r, struct reqs *rq)
{
	struct db_error err = { 0 };

	if (reqs_read(&q->cx, req_id(q), rq, &err)) {
		log_error("procurement requirements: %s", err.msg);
		respond_error(q, r, status_of(&err));
		return -1;
	}
	return 0;
}

void gap_procurement_xlsx(struct req *q, struct resp *r)
{
	struct ctx *cx = &q->cx;
	struct reqs rq;
	struct xlsx_table t;
	const char **head, **cells;

	if (reqs_for_route(q, r, &rq))
		return;
	head = arena_alloc(cx->a, 6 * sizeof(*head));
	head[0] = tr(cx, M_GO_AREA);
	head[1] = tr(cx, M_PROC_REF);
	head[2] = tr(cx, M_PROC_KIND);
	head[3] = tr(cx, M_PROC_REQ);
	head[4] = tr(cx, M_PROC_FROM);
	head[5] = tr(cx, M_F_REF_ISO);
	cells = arena_alloc(cx->a, (rq.n + 1) * 6 * sizeof(*cells));
	/* by area, as the document */
	{
		size_t k = 0;
		for (int a = 0; a < AREA__COUNT; a++)
			for (size_t i = 0; i < rq.n; i++) {
				const struct req_row *x = &rq.rows[i];
				const char **c = cells + k * 6;
				if (x->area != a)
					continue;
				c[0] = tr(cx, measure_areas[a].label);
				c[1] = x->code;
				c[2] = tr(cx, x->shall ? M_PROC_SHALL : M_PROC_SHOULD);
				c[3] = x->text;
				c[4] = x->from;
				c[5] = x->iso;
				k++;
			}
		t = (struct xlsx_table){ tr(cx, M_PROC_REQ), 6, k, head, cells };
	}
	xlsx_respond_tables(q, r, arena_printf(cx->a, "%s-upphandlingskrav-system-%lld.xlsx",
					       cx->org->slug, (long long)req_id(q)), &t, 1);
	if (r->status == 200)
		audit_download(q, "procurement-requirements", req_id(q),
			       arena_printf(cx->a, "%s: %s (xlsx)", tr(cx, M_PROC), rq.system));
}

/* The list as text to paste into a tender: each requirement a paragraph
 * under its area, its reference and kind first. */
void gap_procurement_text(struct req *q, struct resp *r)
{
	struct ctx *cx = &q->cx;
	struct reqs rq;
	struct buf *b = &r->body;

	if (reqs_for_route(q, r, &rq))
		return;
	buf_reset(b);
	buf_printf(b, "%s\n%s \xe2\x80\x93 %s, %s\n\n", tr(cx, M_PROC), rq.system, cx->org->name,
		   ctx_today(cx));
	buf_printf(b, "%s: %s\n%s\n", tr(cx, M_PROC_DERIVED), rq.levels, counts_line(cx, &rq));
	for (int a = 0; a < AREA__COUNT; a++) {
		int first = 1;
		for (size_t i = 0; i < rq.n; i++) {
			const struct req_row *x = &rq.rows[i];
			if (x->area != a)
				continue;
			if (first)
				buf_printf(b, "\n%s\n\n", tr(cx, measure_areas[a].label));
			first = 0;
			buf_printf(b, "%s (%s, %s: %s)\n%s\n\n", x->code,
				   tr(cx, x->shall ? M_PROC_SHALL : M_PROC_SHOULD), tr(cx, M_PROC_FROM),
				   x->from, x->text);
		}
	}
	if (!buf_ok(b)) {
		respond_error(q, r, 500);
		return;
	}
	r->status = 200;
	r->content_type = "text/plain; charset=utf-8";
	r->download_name = arena_printf(cx->a, "%s-upphandlingskrav-system-%lld.txt", cx->org->slug,
					(long long)req_id(q));
	resp_header(r, "Cache-Control", "no-store");
	audit_download(q, "procurement-requirements", req_id(q),
		       arena_printf(cx->a, "%s: %s (text)", tr(cx, M_PROC), rq.system));
}
