/* system_pages.c - the system's page beyond the generic one (systems.h):
 * its protection profile and where each level comes from, the information
 * it handles, the people in its roles, its dependencies as a picture with
 * the same in text; "mark as reviewed" once a changed level has been
 * looked at; and the list of what lies outside the baseline (level 4).
 *
 * Each section is one query; the explanation of the profile reuses the
 * information section's rows for the names of the sets it points at. */
#include "base/base.h"

#include <jansson.h>
#include <math.h>

#include "base/clock.h"
#include "base/utf8.h"
#include "chart/chart.h"
#include "core/audit.h"
#include "core/auth.h"
#include "core/roles.h"
#include "db/db.h"
#include "modules/org/org.h"
#include "modules/systems/systems.h"
#include "web/app.h"
#include "web/chart_svg.h"
#include "web/html.h"
#include "core/i18n.h"
#include "web/layout.h"
#include "web/pages.h"
#include "web/parts.h"

static const int aspect_short[ASPECT__COUNT] = { M_ASPECT_K_SHORT, M_ASPECT_R_SHORT,
						  M_ASPECT_T_SHORT, M_ASPECT_S_SHORT };

static int64_t cell_level(const char *s)
{
	int64_t v = 0;

	if (!s || parse_i64(s, &v) != 0)
		return 0;
	return v;
}

/* The system's parts (information links, people, dependencies) follow
 * the system: who may change it may add them (core/entity.h). */
static int may_change(struct req *q, const struct record *sys)
{
	return !sys->archived && entity_may(&q->cx, &sys_systems, sys, OP_WRITE);
}

/* "K3 R2 T3 S2"; an aspect without a level (unclassified information) as
 * "K–".  lv points at four cells. */
static void write_profile(struct html *h, const char *const *lv)
{
	for (int a = 0; a < ASPECT__COUNT; a++) {
		if (a)
			h_lit(h, " ");
		h_msg(h, aspect_short[a]);
		if (lv[a])
			h_text(h, lv[a]);
		else
			h_lit(h, "–");
	}
}

static int any_level4(const char *const *lv)
{
	for (int a = 0; a < ASPECT__COUNT; a++)
		if (lv[a] && cell_level(lv[a]) >= LEVEL_OUTSIDE_BASELINE)
			return 1;
	return 0;
}

/* ---- the protection profile ---- */

static const char sql_system_information[] =
	"SELECT l.id, i.id, i.name, i.level_k, i.level_r, i.level_t, i.level_s, l.note"
	" FROM system_information l"
	" JOIN information_set i ON i.id = l.infoset_id AND i.org_id = l.org_id"
	"  AND i.archived = 0"
	" WHERE l.org_id = $1 AND l.system_id = $2 AND l.archived = 0"
	" ORDER BY i.name_sk, i.id, l.id";

static const char *infoset_name(const struct db_rows *info, int64_t id)
{
	for (size_t i = 0; i < info->nrows; i++)
		if (db_cell_i64(info, i, 1) == id)
			return db_cell(info, i, 2);
	return NULL;
}

/* "Informationsmängden X ger nivå 3." or that no information gives one. */
static void level_source(struct req *q, struct html *h, const struct derivation *d, int a,
			 const char *from)
{
	if (!from) {
		h_msg(h, d->raised[a] ? M_SP_NO_INFO_LEVEL : M_SP_NO_INFO_LEVEL_NONE);
		return;
	}
	h_msg(h, M_SP_FROM_INFOSET);
	h_lit(h, " ");
	part_link(h, from, "/o/%s/information/%lld", q->cx.org->slug, (long long)d->info_from[a]);
	h_lit(h, " ");
	h_msg_n(h, M_SP_INFO_LEVEL_N, d->info_max[a]);
	h_lit(h, ".");
}

static const int level_name[LEVEL_MAX + 1] = { M_LEVEL_0, M_LEVEL_1, M_LEVEL_2, M_LEVEL_3,
					     M_LEVEL_4 };

/* "3 Allvarlig", or "Ej klassad" for an aspect without a level. */
static void write_level(struct html *h, int lv)
{
	if (lv == LEVEL_NONE) {
		h_msg(h, M_SP_NOT_ANALYSED);
		return;
	}
	h_int(h, lv);
	h_lit(h, " ");
	h_msg(h, level_name[lv < 0 ? 0 : lv > LEVEL_MAX ? LEVEL_MAX : lv]);
}

static int rec_level(const struct record *rec, int a)
{
	int64_t v;

	if (!rec->v[SYS_LEVEL_K + a] || parse_i64(rec->v[SYS_LEVEL_K + a], &v) != 0)
		return LEVEL_NONE;
	return (int)v;
}

static int is_set(const char *v)
{
	return v && strcmp(v, "1") == 0;
}

static const char sql_system_counts[] =
	"SELECT infosets_total, infosets_unclassified, level_change_json"
	" FROM it_system WHERE org_id = $1 AND id = $2";

/* Who last marked the system as reviewed, and when (R-2-01). */
static const char sql_last_review[] =
	"SELECT at, actor FROM audit_event WHERE org_id = $1 AND entity = 'systems'"
	" AND entity_id = $2 AND action = 'reviewed' ORDER BY seq DESC LIMIT 1";

static void last_review(struct req *q, const struct record *rec, struct html *h)
{
	struct db_rows rows;
	struct db_error err;

	if (db_exec(q->cx.db, q->cx.a, sql_last_review,
		    DB_ARGS(DB_INT(q->cx.org->id), DB_INT(rec->id)), &rows, &err) != 0) {
		req_fail(q, "the system's last review", &err);
		return;
	}
	h_lit(h, "<p class=\"hint\">");
	if (rows.nrows == 0) {
		h_msg(h, M_SP_NEVER_REVIEWED);
	} else {
		h_msg(h, M_SP_LAST_REVIEWED);
		h_lit(h, " ");
		h_text(h, clock_format_local(q->cx.a, db_cell_i64(&rows, 0, 0)));
		h_lit(h, " ");
		h_msg(h, M_SP_BY);
		h_lit(h, " ");
		h_text(h, audit_actor_label(q, db_cell(&rows, 0, 1)));
		h_lit(h, ".");
	}
	h_lit(h, "</p>");
}

/* "Skyddsnivå saknas – 1 av 2 informationsmängder är inte klassade". */
static void unclassified_note(struct html *h, int64_t missing, int64_t total)
{
	h_lit(h, "<div class=\"notice warning\" role=\"note\"><p><strong>");
	h_msg(h, M_SP_LEVEL_MISSING);
	h_lit(h, "</strong> – ");
	h_int(h, missing);
	h_lit(h, " ");
	h_msg(h, M_SP_OF);
	h_lit(h, " ");
	h_int(h, total);
	h_lit(h, " ");
	h_msg(h, total == 1 ? M_SP_INFOSET_NOT_CLASSIFIED_ONE : M_SP_INFOSETS_NOT_CLASSIFIED);
	h_lit(h, "</p></div>");
}

/* The banner of a changed level: what changed (aspect, old -> new), when,
 * and which information set's classification caused it, from what
 * derive.c kept; then "mark as reviewed" with an optional note. */
static void review_banner(struct req *q, const struct record *rec, const char *change,
			  struct html *h)
{
	json_t *o = change ? json_loads(change, 0, NULL) : NULL;
	json_t *from = o ? json_object_get(o, "from") : NULL, *to = o ? json_object_get(o, "to") : NULL;

	h_lit(h, "<div class=\"notice warning\" role=\"note\" id=\"sp-review\"><p><strong>");
	h_msg(h, M_SP_LEVEL_CHANGED);
	h_lit(h, "</strong></p>");
	if (json_is_array(from) && json_is_array(to)) {
		json_t *at = json_object_get(o, "at"), *inf = json_object_get(o, "infoset");
		h_lit(h, "<ul>");
		for (int a = 0; a < ASPECT__COUNT; a++) {
			json_t *f = json_array_get(from, (size_t)a), *t = json_array_get(to, (size_t)a);
			int fv = json_is_integer(f) ? (int)json_integer_value(f) : LEVEL_NONE;
			int tv = json_is_integer(t) ? (int)json_integer_value(t) : LEVEL_NONE;
			if (fv == tv)
				continue;
			h_lit(h, "<li>");
			h_msg(h, aspect_label[a]);
			h_lit(h, ": ");
			write_level(h, fv);
			h_lit(h, " → ");
			write_level(h, tv);
			h_lit(h, "</li>");
		}
		h_lit(h, "</ul><p>");
		if (json_is_integer(at)) {
			h_msg(h, M_SP_CHANGED_AT);
			h_lit(h, " ");
			h_text(h, clock_format_local(q->cx.a, json_integer_value(at)));
			h_lit(h, ". ");
		}
		if (json_is_string(inf)) {
			const char *kind = json_string_value(json_object_get(o, "cause"));
			h_msg(h, kind && strcmp(kind, "link") == 0 ? M_SP_CHANGED_BY_LINK :
				 M_SP_CHANGED_BY_CLASSIFICATION);
			h_lit(h, " ");
			part_link(h, json_string_value(inf), "/o/%s/information/%lld", q->cx.org->slug,
				  (long long)json_integer_value(json_object_get(o, "infoset_id")));
			h_lit(h, ".");
		} else {
			h_msg(h, M_SP_CHANGED_BY_SYSTEM);
		}
		h_lit(h, "</p>");
	}
	json_decref(o);
	h_lit(h, "<p>");
	h_msg(h, M_SP_NEEDS_REVIEW);
	h_lit(h, "</p>");
	if (entity_transition_applies(&sys_systems, &sys_transitions[0], rec) &&
	    entity_may_transition(&q->cx, &sys_systems, &sys_transitions[0], rec)) {
		struct part_field f;
		h_lit(h, "<form method=\"post\" novalidate action=\"");
		h_url(h, "/o/%s/systems/%lld/reviewed", q->cx.org->slug, (long long)rec->id);
		h_lit(h, "\">");
		h_csrf(h);
		part_hidden(h, "version", arena_printf(q->cx.a, "%lld", (long long)rec->version));
		part_field_of(h, &sys_transitions[0].params[0], NULL, 0, &f);
		f.rows = 2;
		part_field(h, &f);
		h_lit(h, "<div class=\"actions\"><button type=\"submit\">");
		h_msg(h, M_SP_MARK_REVIEWED);
		h_lit(h, "</button></div></form>");
	}
	h_lit(h, "</div>");
}

/* The legend: skyddsnivå per aspect is KLASSA's consequence level. */
static void level_legend(struct html *h)
{
	h_lit(h, "<details class=\"legend\"><summary>");
	h_msg(h, M_SP_LEGEND);
	h_lit(h, "</summary><p>");
	h_msg(h, M_SP_LEGEND_INTRO);
	h_lit(h, "</p><dl class=\"record\">");
	for (int lv = 0; lv <= LEVEL_MAX; lv++) {
		h_lit(h, "<div><dt>");
		write_level(h, lv);
		h_lit(h, "</dt><dd>");
		h_msg(h, M_LEVEL_0_MEANS + lv);
		h_lit(h, "</dd></div>");
	}
	h_lit(h, "<div><dt>");
	h_msg(h, M_SP_NOT_ANALYSED);
	h_lit(h, "</dt><dd>");
	h_msg(h, M_SP_NOT_ANALYSED_MEANS);
	h_lit(h, "</dd></div></dl></details>");
}

/* Actions first: what one does on the page is above what one reads. */
static void top_actions(struct req *q, const struct record *rec, struct html *h)
{
	h_lit(h, "<div class=\"actions\">");
	if (!rec->archived && entity_may(&q->cx, &sys_systems, rec, OP_WRITE))
		part_button_link(h, M_EDIT, 1, "/o/%s/systems/%lld/edit", q->cx.org->slug,
				 (long long)rec->id);
	if (may_change(q, rec)) {
		part_button_link(h, M_SP_ADD_INFORMATION, 0,
				 "/o/%s/system-information/new?system_id=%lld", q->cx.org->slug,
				 (long long)rec->id);
		if (entity_may_create(&q->cx, &sys_infosets))
			part_button_link(h, M_SP_NEW_INFORMATION, 0,
					 "/o/%s/information/new?system_id=%lld", q->cx.org->slug,
					 (long long)rec->id);
		part_button_link(h, M_SP_ADD_PERSON, 0, "/o/%s/system-roles/new?system_id=%lld",
				 q->cx.org->slug, (long long)rec->id);
	}
	if (q->cx.org->roles & ROLES_AUDIT_READ)
		part_button_link(h, M_HISTORY, 0, "/o/%s/audit?entity=systems&entity_id=%lld",
				 q->cx.org->slug, (long long)rec->id);
	h_lit(h, "</div>");
}

static void profile_section(struct req *q, const struct record *rec, const struct db_rows *info,
			    struct html *h)
{
	const char *reason = rec->v[SYS_RAISE_REASON];
	struct derivation d;
	struct db_error err;
	struct db_rows counts;
	int computed, any = 0, lv[ASPECT__COUNT];
	int64_t total = 0, missing = 0;

	for (int a = 0; a < ASPECT__COUNT; a++) {
		lv[a] = rec_level(rec, a);
		any |= lv[a] != LEVEL_NONE;
	}
	computed = systems_compute(&q->cx, rec->id, &d, &err) == 0;
	if (!computed)
		req_fail(q, "the system's derivation", &err);
	if (db_exec(q->cx.db, q->cx.a, sql_system_counts,
		    DB_ARGS(DB_INT(q->cx.org->id), DB_INT(rec->id)), &counts, &err) != 0 ||
	    counts.nrows != 1) {
		req_fail(q, "the system's counts", &err);
		return;
	}
	total = db_cell_i64(&counts, 0, 0);
	missing = db_cell_i64(&counts, 0, 1);

	top_actions(q, rec, h);
	if (!rec->archived && is_set(rec->v[SYS_NEEDS_REVIEW]))
		review_banner(q, rec, db_cell(&counts, 0, 2), h);

	part_card_begin(h, "sp-profile", M_SP_PROFILE);
	h_lit(h, "<p class=\"profile\"><strong>");
	if (!any) {
		h_msg(h, M_SP_NOT_ANALYSED);
	} else {
		for (int a = 0; a < ASPECT__COUNT; a++) {
			if (a)
				h_lit(h, " ");
			h_msg(h, aspect_short[a]);
			if (lv[a] == LEVEL_NONE)
				h_lit(h, "–");
			else
				h_int(h, lv[a]);
		}
	}
	h_lit(h, "</strong>");
	if (is_set(rec->v[SYS_BUSINESS_CRITICAL])) {
		h_lit(h, " ");
		part_badge(h, M_F_BUSINESS_CRITICAL, "critical");
		h_lit(h, " <span class=\"hint\">");
		h_msg(h, M_SP_CRITICAL_WHY);
		h_lit(h, "</span>");
	}
	h_lit(h, "</p>");
	if (total == 0)
		part_empty(h, M_SP_NO_INFO_YET);
	else if (missing > 0)
		unclassified_note(h, missing, total);
	{
		const char *const lvt[ASPECT__COUNT] = { rec->v[SYS_LEVEL_K], rec->v[SYS_LEVEL_R],
							  rec->v[SYS_LEVEL_T], rec->v[SYS_LEVEL_S] };
		if (any_level4(lvt)) {
			h_lit(h, "<div class=\"notice warning\" role=\"note\"><p>");
			h_msg(h, M_SP_OUTSIDE_BASELINE);
			h_lit(h, "</p></div>");
		}
	}
	/* legal floors and requirements that wait for a later part */
	if (rec->v[SYS_PERSONAL_DATA] && strcmp(rec->v[SYS_PERSONAL_DATA], "sensitive") == 0 &&
	    (lv[ASPECT_K] == LEVEL_NONE || lv[ASPECT_K] < systems_min_k_sensitive(&q->cx))) {
		h_lit(h, "<div class=\"notice warning\" role=\"note\" id=\"sp-sensitive\"><p>");
		h_msg(h, M_SP_SENSITIVE_LOW_K);
		h_lit(h, "</p></div>");
	}
	/* whether a security plan it requires exists is the security
	 * plans' to say (their panel on this page, modules/secplans) */
	if (!rec->archived && is_set(rec->v[SYS_ROLES_MISSING])) {
		h_lit(h, "<div class=\"notice warning\" role=\"note\" id=\"sp-roles\"><p>");
		h_msg(h, M_H_ROLES_MISSING);
		h_lit(h, "</p></div>");
	}
	/* per aspect: the level, and where it comes from (a list, not a
	 * table: it reads the same on a phone) */
	h_lit(h, "<dl class=\"record profile-levels\">");
	for (int a = 0; a < ASPECT__COUNT; a++) {
		const char *from = computed && d.info_from[a] ?
			infoset_name(info, d.info_from[a]) : NULL;
		h_lit(h, "<div><dt>");
		h_msg(h, aspect_label[a]);
		h_lit(h, "</dt><dd><strong>");
		write_level(h, lv[a]);
		h_lit(h, "</strong>");
		if (computed && (lv[a] != LEVEL_NONE || d.raised[a] || from)) {
			h_lit(h, " – ");
			if (d.raised[a]) {
				h_msg(h, M_SP_RAISED);
				if (reason && *reason) {
					char last = reason[strlen(reason) - 1];
					h_lit(h, " ");
					h_msg(h, M_SP_RAISE_REASON);
					h_lit(h, " ");
					h_text(h, reason);
					if (last != '.' && last != '!' && last != '?')
						h_lit(h, ".");
				}
				h_lit(h, " ");
			}
			level_source(q, h, &d, a, from);
		}
		h_lit(h, "</dd></div>");
	}
	h_lit(h, "</dl>");
	h_lit(h, "<p class=\"hint\">");
	h_msg(h, M_SP_PROFILE_INTRO);
	h_lit(h, "</p>");
	last_review(q, rec, h);
	level_legend(h);
	part_section_end(h);
}

/* ---- the information it handles ---- */

/* The levels come from a join (the information set's current levels), so
 * the section keeps its own query and writes through the table part. */
static void information_section(struct req *q, const struct record *rec,
				const struct db_rows *info, struct html *h)
{
	part_section_begin_n(h, "sp-info", M_SP_INFORMATION, (int64_t)info->nrows);
	if (info->nrows == 0) {
		part_empty(h, M_SP_NO_INFORMATION);
	} else {
		part_table_begin(h, 0, "sp-info");
		part_th(h, M_INFOSET);
		for (int a = 0; a < ASPECT__COUNT; a++)
			part_th_abbr(h, aspect_short[a], aspect_label[a]);
		part_th(h, M_F_NOTE);
		part_th(h, M_SP_THE_LINK);
		part_table_body(h);
		for (size_t i = 0; i < info->nrows; i++) {
			part_tr(h);
			part_th_row_begin(h);
			part_link(h, db_cell(info, i, 2), "/o/%s/information/%s", q->cx.org->slug,
				  db_cell(info, i, 1));
			if (!db_cell(info, i, 3)) {
				h_lit(h, " ");
				part_badge(h, M_SP_NOT_CLASSIFIED, NULL);
			}
			part_th_row_end(h);
			for (int a = 0; a < ASPECT__COUNT; a++)
				part_td(h, db_cell(info, i, 3 + (size_t)a));
			part_td(h, db_cell(info, i, 7));
			part_td_begin(h);
			part_show_link(h, M_SP_SHOW, "/o/%s/system-information/%s",
				  q->cx.org->slug, db_cell(info, i, 0));
			part_td_end(h);
			part_tr_end(h);
		}
		part_table_end(h);
	}
	if (may_change(q, rec)) {
		part_add_link(h, M_SP_ADD_INFORMATION,
			      "/o/%s/system-information/new?system_id=%lld", q->cx.org->slug,
			      (long long)rec->id);
		if (entity_may_create(&q->cx, &sys_infosets))
			part_add_link(h, M_SP_NEW_INFORMATION,
				      "/o/%s/information/new?system_id=%lld", q->cx.org->slug,
				      (long long)rec->id);
	}
	part_section_end(h);
}

/* ---- people in the system's roles ---- */

/* Through the engine: a protected identity reads "Skyddad identitet" here
 * as everywhere, for whoever has no need to know. */
static const int people_cols[] = { SPR_ROLE, SPR_PERSON, -1 };

static void people_section(struct req *q, const struct record *rec, struct html *h)
{
	part_related(h, &(struct part_related){ .e = &sys_people, .ref_field = SPR_SYSTEM,
						.cols = people_cols, .id = "sp-people",
						.heading = M_SP_PEOPLE, .empty = M_SP_NO_PEOPLE,
						.add = M_SP_ADD_PERSON, .group = "role" },
		     rec);
}

/* ---- dependencies: a picture and the same in text ---- */

/* Both directions of a row, seen from the system whose page it is. */
enum { FLOW_OUT = 1, FLOW_IN = 2 };

static const char sql_system_dependencies[] =
	"SELECT d.id, d.system_id, d.direction, d.flows, s.id, s.name, s.archived"
	" FROM system_dependency d"
	" JOIN it_system s ON s.org_id = d.org_id"
	"  AND s.id = CASE WHEN d.system_id = $2 THEN d.other_id ELSE d.system_id END"
	" WHERE d.org_id = $1 AND d.archived = 0 AND (d.system_id = $2 OR d.other_id = $2)"
	" ORDER BY s.name_sk, s.id, d.id";

/* The directions of a row (direction in column dcol, the row's system in
 * column scol) seen from system `self`. */
static unsigned flows_of(const struct db_rows *rows, size_t i, size_t dcol, size_t scol,
			 int64_t self)
{
	const char *dir = db_cell(rows, i, dcol);
	unsigned f = 0;

	if (dir && strcmp(dir, "out") == 0)
		f = FLOW_OUT;
	else if (dir && strcmp(dir, "in") == 0)
		f = FLOW_IN;
	else if (dir && strcmp(dir, "both") == 0)
		f = FLOW_OUT | FLOW_IN;
	/* the row was written from the other system's side: turn it round */
	if (db_cell_i64(rows, i, scol) != self && f != (FLOW_OUT | FLOW_IN))
		f ^= FLOW_OUT | FLOW_IN;
	return f;
}

static unsigned row_flows(const struct db_rows *rows, size_t i, int64_t self)
{
	return flows_of(rows, i, 2, 1, self);
}

static int flow_label(unsigned f)
{
	if (f == (FLOW_OUT | FLOW_IN))
		return M_SP_EXCHANGES_WITH;
	return f == FLOW_OUT ? M_SP_SENDS_TO : M_SP_RECEIVES_FROM;
}

/* One node of the picture per other system, whatever number of rows. */
struct dep_node {
	int64_t id;
	const char *name;
	const char *flows;  /* what flows, the rows' texts joined */
	unsigned dirs;      /* seen from its parent (the page's system for the
			       first ring, a first-ring node for the second) */
	int archived;
	size_t parent;      /* second ring: index of its first-ring node */
};

#define RING2_MAX 3       /* second-ring nodes per first-ring node */

static unsigned chart_dirs(unsigned f)
{
	return (f & FLOW_OUT ? CHART_FLOW_OUT : 0) | (f & FLOW_IN ? CHART_FLOW_IN : 0);
}

/* The system in the middle, the systems it exchanges information with on
 * an ellipse around it, and theirs (the second level, lighter) further out
 * beyond each of them; one line per pair with arrowheads at the receiving
 * end (both ends when data goes both ways) and what flows beside it.
 * Drawn by the chart module (CHART_GRAPH, chart/chart.h), so the same
 * picture can go into a document; here as plain SVG with its own title
 * and description (web/chart_svg.h), the text list below it. */
static void svg_dependencies(struct req *q, struct html *h, const char *self,
			     struct dep_node *nodes, size_t n, struct dep_node *far, size_t nf)
{
	struct chart *c = chart_new(q->cx.a, CHART_GRAPH, "sp-dep");
	struct chart_node *cn = arena_alloc(q->cx.a, (n + nf + 1) * sizeof(*cn));
	struct chart_edge *ce = arena_alloc(q->cx.a, (n + nf + 1) * sizeof(*ce));
	size_t k = 0, e = 0;

	c->title = arena_printf(q->cx.a, "%s %s", msg_text(q->cx.lang, M_SP_PICTURE_TITLE), self);
	c->alt = msg_text(q->cx.lang, M_SP_PICTURE_DESC);
	/* the second ring first and the middle last, so that the nearer
	 * boxes are drawn over the farther ones */
	for (size_t f = 0; f < nf; f++) {
		cn[k] = (struct chart_node){ far[f].name, NULL, 2, nf + far[f].parent,
					     far[f].archived };
		ce[e++] = (struct chart_edge){ nf + far[f].parent, k, chart_dirs(far[f].dirs),
					       far[f].flows };
		k++;
	}
	for (size_t i = 0; i < n; i++) {
		cn[k] = (struct chart_node){ nodes[i].name, NULL, 1, 0, nodes[i].archived };
		ce[e++] = (struct chart_edge){ nf + n, k, chart_dirs(nodes[i].dirs), nodes[i].flows };
		k++;
	}
	cn[k++] = (struct chart_node){ self, NULL, 0, 0, 0 };
	c->nodes = cn;
	c->nnodes = k;
	c->edges = ce;
	c->nedges = e;
	h_chart_svg(h, c, "dependency-picture");
}

/* The second level: the dependencies of the systems this one depends on
 * (not back to it), bounded. */
static const char sql_second_level[] =
	"SELECT n.other, s.id, s.name, s.archived, d.direction, d.system_id, d.flows"
	" FROM (SELECT DISTINCT CASE WHEN system_id = $2 THEN other_id ELSE system_id END"
	"  AS other FROM system_dependency WHERE org_id = $1 AND archived = 0"
	"  AND (system_id = $2 OR other_id = $2)) n"
	" JOIN system_dependency d ON d.org_id = $1 AND d.archived = 0"
	"  AND (d.system_id = n.other OR d.other_id = n.other)"
	" JOIN it_system s ON s.org_id = d.org_id"
	"  AND s.id = CASE WHEN d.system_id = n.other THEN d.other_id ELSE d.system_id END"
	" WHERE s.id <> $2"
	" ORDER BY n.other, s.name_sk, s.id, d.id LIMIT 60";

static int node_index(const struct dep_node *nodes, size_t n, int64_t id)
{
	for (size_t i = 0; i < n; i++)
		if (nodes[i].id == id)
			return (int)i;
	return -1;
}

static void dependencies_section(struct req *q, const struct record *rec, struct html *h)
{
	struct db_rows rows, second;
	struct db_error err;
	struct dep_node *nodes, *far = NULL;
	size_t n = 0, nf = 0;
	const char *self = entity_title(&sys_systems, rec);

	if (db_exec(q->cx.db, q->cx.a, sql_system_dependencies,
		    DB_ARGS(DB_INT(q->cx.org->id), DB_INT(rec->id)), &rows, &err) != 0 ||
	    db_exec(q->cx.db, q->cx.a, sql_second_level,
		    DB_ARGS(DB_INT(q->cx.org->id), DB_INT(rec->id)), &second, &err) != 0) {
		req_fail(q, "the system's dependencies", &err);
		return;
	}
	part_section_begin_n(h, "sp-deps", M_DEPENDENCIES, (int64_t)rows.nrows);
	if (rows.nrows == 0) {
		part_empty(h, M_SP_NO_DEPENDENCIES);
	} else {
		/* rows come ordered by the other system: group them */
		nodes = arena_alloc(q->cx.a, rows.nrows * sizeof(*nodes));
		for (size_t i = 0; i < rows.nrows; i++) {
			const char *fl = db_cell(&rows, i, 3);
			if (i == 0 || db_cell_i64(&rows, i, 4) != db_cell_i64(&rows, i - 1, 4)) {
				memset(&nodes[n], 0, sizeof(nodes[n]));
				nodes[n].id = db_cell_i64(&rows, i, 4);
				nodes[n].name = db_cell(&rows, i, 5);
				nodes[n].archived = db_cell_i64(&rows, i, 6) != 0;
				n++;
			}
			nodes[n - 1].dirs |= row_flows(&rows, i, rec->id);
			if (fl && *fl)
				nodes[n - 1].flows = nodes[n - 1].flows ?
					arena_printf(q->cx.a, "%s; %s", nodes[n - 1].flows, fl) : fl;
		}
		/* the second level: one node per pair (first-ring node, other
		 * system), at most RING2_MAX per first-ring node, none that is
		 * in the first ring already */
		far = arena_alloc(q->cx.a, (second.nrows + 1) * sizeof(*far));
		for (size_t i = 0; i < second.nrows; i++) {
			int p = node_index(nodes, n, db_cell_i64(&second, i, 0));
			int64_t id = db_cell_i64(&second, i, 1);
			const char *fl = db_cell(&second, i, 6);
			size_t per = 0;
			if (p < 0 || node_index(nodes, n, id) >= 0)
				continue;
			if (nf && far[nf - 1].id == id && far[nf - 1].parent == (size_t)p) {
				far[nf - 1].dirs |= flows_of(&second, i, 4, 5, nodes[p].id);
				continue;
			}
			for (size_t f = 0; f < nf; f++)
				per += far[f].parent == (size_t)p;
			if (per >= RING2_MAX)
				continue;
			memset(&far[nf], 0, sizeof(far[nf]));
			far[nf].id = id;
			far[nf].name = db_cell(&second, i, 2);
			far[nf].archived = db_cell_i64(&second, i, 3) != 0;
			far[nf].parent = (size_t)p;
			far[nf].dirs = flows_of(&second, i, 4, 5, nodes[p].id);
			far[nf].flows = fl;
			nf++;
		}
		svg_dependencies(q, h, self, nodes, n, far, nf);
		h_lit(h, "<p>");
		h_msg(h, M_SP_TEXT_ALTERNATIVE);
		h_lit(h, "</p><ul class=\"dependencies\">");
		for (size_t i = 0; i < rows.nrows; i++) {
			const char *fl = db_cell(&rows, i, 3);
			h_lit(h, "<li>");
			h_msg(h, flow_label(row_flows(&rows, i, rec->id)));
			h_lit(h, " ");
			part_link(h, db_cell(&rows, i, 5), "/o/%s/systems/%s", q->cx.org->slug,
				  db_cell(&rows, i, 4));
			if (db_cell_i64(&rows, i, 6)) {
				h_lit(h, " (");
				h_msg(h, M_SP_ARCHIVED);
				h_lit(h, ")");
			}
			h_lit(h, ": ");
			if (fl && *fl)
				h_text(h, fl);
			else
				h_msg(h, M_SP_NOTHING_NAMED);
			h_lit(h, ". <a class=\"show-link\"");
			h_href(h, "/o/%s/dependencies/%s", q->cx.org->slug, db_cell(&rows, i, 0));
			h_lit(h, ">");
			h_msg(h, M_SP_SHOW);
			h_lit(h, " <span class=\"sr-only\">");
			h_msg(h, M_DEPENDENCY);
			h_lit(h, "</span></a></li>");
		}
		h_lit(h, "</ul>");
		if (nf) {
			h_lit(h, "<p>");
			h_msg(h, M_SP_SECOND_LEVEL);
			h_lit(h, "</p><ul class=\"dependencies\">");
			for (size_t f = 0; f < nf; f++) {
				const struct dep_node *p = &nodes[far[f].parent];
				h_lit(h, "<li>");
				part_link(h, p->name, "/o/%s/systems/%lld", q->cx.org->slug,
					  (long long)p->id);
				h_lit(h, ": ");
				h_msg(h, flow_label(far[f].dirs));
				h_lit(h, " ");
				part_link(h, far[f].name, "/o/%s/systems/%lld", q->cx.org->slug,
					  (long long)far[f].id);
				if (far[f].flows && *far[f].flows) {
					h_lit(h, " (");
					h_text(h, far[f].flows);
					h_lit(h, ")");
				}
				h_lit(h, "</li>");
			}
			h_lit(h, "</ul>");
		}
	}
	if (may_change(q, rec))
		part_add_link(h, M_SP_ADD_DEPENDENCY, "/o/%s/dependencies/new?system_id=%lld",
			      q->cx.org->slug, (long long)rec->id);
	part_section_end(h);
}

static int load_information(struct req *q, const struct record *rec, struct db_rows *info)
{
	struct db_error err;

	if (db_exec(q->cx.db, q->cx.a, sql_system_information,
		    DB_ARGS(DB_INT(q->cx.org->id), DB_INT(rec->id)), info, &err) != 0) {
		req_fail(q, "the system's information sets", &err);
		return -1;
	}
	return 0;
}

/* The protection profile, above the system's fields (show_summary). */
void system_show_summary(struct req *q, const struct entity *e, const struct record *rec,
			 struct html *h)
{
	struct db_rows info;

	if (load_information(q, rec, &info) == 0)
		profile_section(q, rec, &info, h);
}

/* The system's documents (documents.c): the classification record to
 * print or download, for the owner to sign. */
static void documents_section(struct req *q, const struct record *rec, struct html *h)
{
	h_lit(h, "<section aria-labelledby=\"sys-docs\"><h2 id=\"sys-docs\">");
	h_msg(h, M_DOC_LINKS);
	h_lit(h, "</h2><ul><li><a");
	h_href(h, "/o/%s/documents/classification-record.pdf?id=%lld", q->cx.org->slug,
	       (long long)rec->id);
	h_lit(h, ">");
	h_msg(h, M_DOC_CLASSIFICATION_PDF);
	h_lit(h, "</a></li><li><a");
	h_href(h, "/o/%s/documents/classification-record?id=%lld", q->cx.org->slug,
	       (long long)rec->id);
	h_lit(h, ">");
	h_msg(h, M_DOC_CLASSIFICATION_PRINT);
	h_lit(h, "</a></li></ul></section>");
}

/* The sections below the system's fields (sys_systems.show_extra). */
void system_show_extra(struct req *q, const struct entity *e, const struct record *rec,
		       struct html *h)
{
	struct db_rows info;

	if (load_information(q, rec, &info) != 0)
		return;
	information_section(q, rec, &info, h);
	people_section(q, rec, h);
	dependencies_section(q, rec, h);
	documents_section(q, rec, h);
}

/* ---- outside the baseline ---- */

static const char sql_infosets_level4[] =
	"SELECT id, name, level_k, level_r, level_t, level_s FROM information_set"
	" WHERE org_id = $1 AND archived = 0"
	" AND (level_k >= 4 OR level_r >= 4 OR level_t >= 4 OR level_s >= 4)"
	" ORDER BY name_sk, id";

static const char sql_systems_level4[] =
	"SELECT id, name, level_k, level_r, level_t, level_s FROM it_system"
	" WHERE org_id = $1 AND archived = 0"
	" AND (level_k >= 4 OR level_r >= 4 OR level_t >= 4 OR level_s >= 4)"
	" ORDER BY name_sk, id";

static void level4_list(struct req *q, struct html *h, const struct db_rows *rows,
			const char *path, int heading, const char *id)
{
	part_section_begin_n(h, id, heading, (int64_t)rows->nrows);
	if (rows->nrows == 0) {
		part_empty(h, M_SP_OUTSIDE_NONE);
		part_section_end(h);
		return;
	}
	h_lit(h, "<ul>");
	for (size_t i = 0; i < rows->nrows; i++) {
		const char *lv[ASPECT__COUNT];
		for (int a = 0; a < ASPECT__COUNT; a++)
			lv[a] = db_cell(rows, i, 2 + (size_t)a);
		h_lit(h, "<li>");
		part_link(h, db_cell(rows, i, 1), "/o/%s/%s/%s", q->cx.org->slug, path,
			  db_cell(rows, i, 0));
		h_lit(h, " – ");
		write_profile(h, lv);
		h_lit(h, "</li>");
	}
	h_lit(h, "</ul>");
	part_section_end(h);
}

static void outside_baseline_page(struct req *q, struct resp *r)
{
	struct db_rows inf, sys;
	struct db_error err;
	struct html h;

	if (db_exec(q->cx.db, q->cx.a, sql_infosets_level4, DB_ARGS(DB_INT(q->cx.org->id)), &inf,
		    &err) != 0 ||
	    db_exec(q->cx.db, q->cx.a, sql_systems_level4, DB_ARGS(DB_INT(q->cx.org->id)), &sys,
		    &err) != 0) {
		log_error("outside baseline: %s", err.msg);
		respond_error(q, r, 500);
		return;
	}
	page_begin(q, r, &h, M_SP_OUTSIDE_TITLE);
	h_lit(&h, "<p class=\"intro\">");
	h_msg(&h, M_SP_OUTSIDE_INTRO);
	h_lit(&h, "</p>");
	level4_list(q, &h, &inf, sys_infosets.name, M_INFOSETS, "ob-info");
	level4_list(q, &h, &sys, sys_systems.name, M_SYSTEMS, "ob-systems");
	page_end(q, r, &h);
}

const struct route system_page_routes[] = {
	{ "GET", "/o/{org}/outside-baseline", outside_baseline_page, ROLES_STAFF, 0, 0, NULL,
	  NULL },
	{ NULL, NULL, NULL, 0, 0, 0, NULL, NULL },
};
