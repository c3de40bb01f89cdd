/* system_pages.c - the system's page beyond the generic one (systems.h):
 * its protection profile and where each level comes from, the information
 * it handles, the people in its roles, its dependencies as a picture with
 * the same in text; "mark as reviewed" once a changed level has been
 * looked at; and the list of what lies outside the baseline (level 4).
 *
 * Each section is one query; the explanation of the profile reuses the
 * information section's rows for the names of the sets it points at. */
#include "base/base.h"

#include <math.h>

#include "base/clock.h"
#include "base/utf8.h"
#include "core/audit.h"
#include "core/auth.h"
#include "core/roles.h"
#include "db/db.h"
#include "modules/org/org.h"
#include "modules/systems/systems.h"
#include "web/app.h"
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

/* At most max code points of s, with "…" when cut (for the picture, where
 * text does not wrap; the full text is in the list below it). */
static const char *shorten(struct arena *a, const char *s, size_t max)
{
	const char *p = s;
	size_t n = 0;

	if (!s)
		return "";
	while (*p && n < max) {
		utf8_next(&p);
		n++;
	}
	if (!*p)
		return s;
	return arena_printf(a, "%.*s…", (int)(p - s), s);
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
		h_msg(h, M_SP_NO_INFO_LEVEL);
		return;
	}
	h_msg(h, M_SP_FROM_INFOSET);
	h_lit(h, " ");
	part_link(h, from, "/o/%s/information/%lld", q->cx.org->slug, (long long)d->info_from[a]);
	h_lit(h, " ");
	h_msg_n(h, M_SP_INFO_LEVEL_N, d->info_max[a]);
	h_lit(h, ".");
}

static void profile_section(struct req *q, const struct record *rec, const struct db_rows *info,
			    struct html *h)
{
	const char *lv[ASPECT__COUNT];
	const char *reason = rec->v[SYS_RAISE_REASON];
	struct derivation d;
	struct db_error err;
	int computed;

	for (int a = 0; a < ASPECT__COUNT; a++)
		lv[a] = rec->v[SYS_LEVEL_K + a] ? rec->v[SYS_LEVEL_K + a] : "0";
	computed = systems_compute(&q->cx, rec->id, &d, &err) == 0;
	if (!computed)
		req_fail(q, "the system's derivation", &err);

	part_section_begin(h, "sp-profile", M_SP_PROFILE);
	h_lit(h, "<p class=\"profile\"><strong>");
	write_profile(h, lv);
	h_lit(h, "</strong>");
	if (rec->v[SYS_BUSINESS_CRITICAL] && strcmp(rec->v[SYS_BUSINESS_CRITICAL], "1") == 0) {
		h_lit(h, " ");
		part_badge(h, M_F_BUSINESS_CRITICAL, "critical");
	}
	h_lit(h, "</p>");
	if (any_level4(lv)) {
		h_lit(h, "<div class=\"notice warning\" role=\"note\"><p>");
		h_msg(h, M_SP_OUTSIDE_BASELINE);
		h_lit(h, "</p></div>");
	}
	if (rec->v[SYS_NEEDS_REVIEW] && strcmp(rec->v[SYS_NEEDS_REVIEW], "1") == 0) {
		h_lit(h, "<div class=\"notice warning\" role=\"note\"><p>");
		h_msg(h, M_SP_NEEDS_REVIEW);
		h_lit(h, "</p>");
		if (entity_transition_applies(&sys_systems, &sys_transitions[0], rec) &&
		    entity_may_transition(&q->cx, &sys_systems, &sys_transitions[0], rec))
			part_post_button(h, &(struct part_post){ .label = M_SP_MARK_REVIEWED,
								 .version = rec->version },
					 "/o/%s/systems/%lld/reviewed", q->cx.org->slug,
					 (long long)rec->id);
		h_lit(h, "</div>");
	}
	h_lit(h, "<p class=\"hint\">");
	h_msg(h, M_SP_PROFILE_INTRO);
	h_lit(h, "</p>");
	part_table_begin(h, M_SP_PROFILE_LABEL, NULL);
	part_th(h, M_SP_ASPECT);
	part_th(h, M_SP_LEVEL);
	part_th(h, M_SP_COMES_FROM);
	part_table_body(h);
	for (int a = 0; a < ASPECT__COUNT; a++) {
		const char *from = computed && d.info_from[a] ?
			infoset_name(info, d.info_from[a]) : NULL;
		part_tr(h);
		part_th_row_begin(h);
		h_msg(h, aspect_label[a]);
		part_th_row_end(h);
		part_td(h, lv[a]);
		part_td_begin(h);
		if (!computed) {
			h_lit(h, "–");
		} else {
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
		part_td_end(h);
		part_tr_end(h);
	}
	part_table_end(h);
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
	if (may_change(q, rec))
		part_add_link(h, M_SP_ADD_INFORMATION,
			      "/o/%s/system-information/new?system_id=%lld", q->cx.org->slug,
			      (long long)rec->id);
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

static unsigned row_flows(const struct db_rows *rows, size_t i, int64_t self)
{
	const char *dir = db_cell(rows, i, 2);
	unsigned f = 0;

	if (dir && strcmp(dir, "out") == 0)
		f = FLOW_OUT;
	else if (dir && strcmp(dir, "in") == 0)
		f = FLOW_IN;
	else if (dir && strcmp(dir, "both") == 0)
		f = FLOW_OUT | FLOW_IN;
	/* the row was written from the other system's side: turn it round */
	if (db_cell_i64(rows, i, 1) != self && f != (FLOW_OUT | FLOW_IN))
		f ^= FLOW_OUT | FLOW_IN;
	return f;
}

static int flow_label(unsigned f)
{
	if (f == (FLOW_OUT | FLOW_IN))
		return M_SP_EXCHANGES_WITH;
	return f == FLOW_OUT ? M_SP_SENDS_TO : M_SP_RECEIVES_FROM;
}

/* One node of the picture per other system, whatever number of rows. */
struct dep_node {
	const char *name;
	const char *flows;  /* what flows, the rows' texts joined */
	unsigned dirs;
	int archived;
};

#define BOX_W 180
#define BOX_H 44

static void num_attr(struct html *h, const char *name, double v)
{
	h_attr_int(h, name, (int64_t)lround(v));
}

/* How far from a box's centre a ray (ux, uy) leaves the box. */
static double box_exit(double ux, double uy)
{
	double tx = fabs(ux) > 1e-9 ? (BOX_W / 2.0) / fabs(ux) : 1e9;
	double ty = fabs(uy) > 1e-9 ? (BOX_H / 2.0) / fabs(uy) : 1e9;
	return tx < ty ? tx : ty;
}

static void svg_box(struct req *q, struct html *h, double x, double y, const char *name,
		    int centre, int archived)
{
	h_lit(h, "<g><title>");
	h_text(h, name);
	h_lit(h, "</title><rect rx=\"6\"");
	num_attr(h, "x", x - BOX_W / 2.0);
	num_attr(h, "y", y - BOX_H / 2.0);
	h_attr_int(h, "width", BOX_W);
	h_attr_int(h, "height", BOX_H);
	if (centre)
		h_lit(h, " fill=\"#1d4e6b\" stroke=\"#123246\" stroke-width=\"2\"");
	else
		h_lit(h, " fill=\"#ffffff\" stroke=\"#55616d\" stroke-width=\"1.5\"");
	if (archived)
		h_lit(h, " stroke-dasharray=\"5 4\"");
	h_lit(h, "/><text text-anchor=\"middle\" dominant-baseline=\"central\"");
	num_attr(h, "x", x);
	num_attr(h, "y", y);
	if (centre)
		h_lit(h, " fill=\"#ffffff\" font-weight=\"bold\"");
	else
		h_lit(h, " fill=\"#1b2733\"");
	h_lit(h, ">");
	h_text(h, shorten(q->cx.a, name, 20));
	h_lit(h, "</text></g>");
}

/* The system in the middle, the others on an ellipse around it, one line
 * each with an arrowhead at the receiving end (both ends when data goes
 * both ways) and what flows written beside it.  Plain SVG with
 * presentation attributes: no script, no style element (the CSP allows
 * neither inline), no library. */
static void svg_dependencies(struct req *q, struct html *h, const char *self,
			     const struct dep_node *nodes, size_t n)
{
	size_t extra = n > 8 ? n - 8 : 0;
	double rx = 340 + 14.0 * (double)extra, ry = 150 + 12.0 * (double)extra;
	double w = 2 * rx + BOX_W + 40, ht = 2 * ry + BOX_H + 60;
	double cx = w / 2, cy = ht / 2;

	h_lit(h, "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\""
	      " aria-labelledby=\"sp-dep-title sp-dep-desc\" width=\"100%\""
	      " font-family=\"sans-serif\" font-size=\"14\" class=\"dependency-picture\"");
	h_lit(h, " viewBox=\"0 0 ");
	h_int(h, (int64_t)lround(w));
	h_lit(h, " ");
	h_int(h, (int64_t)lround(ht));
	h_lit(h, "\"><title id=\"sp-dep-title\">");
	h_msg(h, M_SP_PICTURE_TITLE);
	h_lit(h, " ");
	h_text(h, self);
	h_lit(h, "</title><desc id=\"sp-dep-desc\">");
	h_msg(h, M_SP_PICTURE_DESC);
	h_lit(h, "</desc><defs><marker id=\"sp-arrow\" viewBox=\"0 0 10 10\" refX=\"10\""
	      " refY=\"5\" markerWidth=\"8\" markerHeight=\"8\" markerUnits=\"strokeWidth\""
	      " orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\""
	      " fill=\"#1d4e6b\"/></marker></defs>");
	/* lines first, then the boxes, then the labels with a white halo
	 * (paint-order) so that a label stays readable where it crosses a line */
	for (int pass = 0; pass < 3; pass++) {
		for (size_t i = 0; i < n; i++) {
			/* from the right, clockwise */
			double ang = 2 * M_PI * (double)i / (double)n;
			double x = cx + rx * cos(ang), y = cy + ry * sin(ang);
			double dx = x - cx, dy = y - cy, len = hypot(dx, dy);
			double ux = dx / len, uy = dy / len;
			double t = box_exit(ux, uy) + 3;

			if (pass == 0) {
				h_lit(h, "<line stroke=\"#1d4e6b\" stroke-width=\"2\"");
				num_attr(h, "x1", cx + ux * t);
				num_attr(h, "y1", cy + uy * t);
				num_attr(h, "x2", x - ux * t);
				num_attr(h, "y2", y - uy * t);
				if (nodes[i].dirs & FLOW_OUT)
					h_lit(h, " marker-end=\"url(#sp-arrow)\"");
				if (nodes[i].dirs & FLOW_IN)
					h_lit(h, " marker-start=\"url(#sp-arrow)\"");
				h_lit(h, "/>");
			} else if (pass == 1) {
				svg_box(q, h, x, y, nodes[i].name, 0, nodes[i].archived);
			} else if (nodes[i].flows && *nodes[i].flows) {
				h_lit(h, "<text text-anchor=\"middle\" dominant-baseline=\"central\""
				      " font-size=\"12\" fill=\"#1b2733\" stroke=\"#ffffff\""
				      " stroke-width=\"5\" stroke-linejoin=\"round\""
				      " paint-order=\"stroke\"");
				num_attr(h, "x", (cx + x) / 2);
				/* above a level line, whose arrowheads it would cover */
				num_attr(h, "y", (cy + y) / 2 - (fabs(uy) < 0.35 ? 12 : 0));
				h_lit(h, ">");
				h_text(h, shorten(q->cx.a, nodes[i].flows, 22));
				h_lit(h, "</text>");
			}
		}
		if (pass == 1)
			svg_box(q, h, cx, cy, self, 1, 0);
	}
	h_lit(h, "</svg>");
}

static void dependencies_section(struct req *q, const struct record *rec, struct html *h)
{
	struct db_rows rows;
	struct db_error err;
	struct dep_node *nodes;
	size_t n = 0;
	const char *self = entity_title(&sys_systems, rec);

	if (db_exec(q->cx.db, q->cx.a, sql_system_dependencies,
		    DB_ARGS(DB_INT(q->cx.org->id), DB_INT(rec->id)), &rows, &err) != 0) {
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
				nodes[n].name = db_cell(&rows, i, 5);
				nodes[n].archived = db_cell_i64(&rows, i, 6) != 0;
				nodes[n].dirs = 0;
				nodes[n].flows = NULL;
				n++;
			}
			nodes[n - 1].dirs |= row_flows(&rows, i, rec->id);
			if (fl && *fl)
				nodes[n - 1].flows = nodes[n - 1].flows ?
					arena_printf(q->cx.a, "%s; %s", nodes[n - 1].flows, fl) : fl;
		}
		svg_dependencies(q, h, self, nodes, n);
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
