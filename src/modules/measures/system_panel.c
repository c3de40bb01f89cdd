/* system_panel.c - on a system's page, how far its self-assessment has
 * come and where to carry it on (core/module.h struct record_panel): the
 * numbers of gap_system_stat, read by the system's key. */
#include "base/base.h"

#include "core/ctx.h"
#include "core/i18n.h"
#include "core/roles.h"
#include "db/db.h"
#include "modules/measures/measures.h"
#include "web/html.h"
#include "web/parts.h"
#include "web/router.h"

static const char sql_any_catalogue[] =
	"SELECT id FROM measure_catalogue WHERE org_id = $1 AND archived = 0 LIMIT 1";

void measures_system_panel(struct req *q, const struct entity *e, const struct record *rec,
			   struct html *h)
{
	struct gap_counts c;
	struct db_error err;
	struct db_rows r;
	const char *slug = q->cx.org->slug;
	long long id = (long long)rec->id;

	if (rec->archived || rec->masked)
		return;
	if (gap_system_counts(&q->cx, rec->id, &c, &err) != 0 ||
	    db_exec(q->cx.db, q->cx.a, sql_any_catalogue, DB_ARGS(DB_INT(q->cx.org->id)), &r,
		    &err) != 0) {
		req_fail(q, "the system's gap numbers", &err);
		return;
	}
	part_card_begin(h, "sp-measures", M_PANEL_MEASURES);
	if (r.nrows == 0) {
		h_lit(h, "<p>");
		h_msg(h, M_PANEL_NO_CATALOGUE);
		h_lit(h, " <a");
		h_href(h, "/o/%s/measures/catalogue", slug);
		h_lit(h, ">");
		h_msg(h, M_CAT_TITLE);
		h_lit(h, "</a></p>");
		part_section_end(h);
		return;
	}
	h_lit(h, "<p>");
	h_msg_n(h, M_PANEL_PROGRESS, c.assessed);
	h_lit(h, " ");
	h_msg_n(h, M_PANEL_OF_REQUIRED, c.required);
	h_lit(h, "</p>");
	if (c.required) {
		h_lit(h, "<progress max=\"");
		h_int(h, c.required);
		h_lit(h, "\" value=\"");
		h_int(h, c.assessed);
		h_lit(h, "\" aria-labelledby=\"sp-measures\"></progress>");
	}
	h_lit(h, "<ul class=\"counts\">");
	h_lit(h, "<li>");
	h_msg_n(h, M_PANEL_MET, c.met);
	h_lit(h, "</li><li>");
	h_msg_n(h, M_PANEL_GAPS, c.partly + c.not_met);
	h_lit(h, "</li><li>");
	h_msg_n(h, M_PANEL_SUPPLIER, c.supplier);
	h_lit(h, "</li></ul>");
	if (c.fresh) {
		h_lit(h, "<p class=\"notice warning\" role=\"note\">");
		h_msg_n(h, M_PANEL_NEW, c.fresh);
		h_lit(h, "</p>");
	}
	if (c.changed) {
		h_lit(h, "<p class=\"notice warning\" role=\"note\">");
		h_msg_n(h, M_PANEL_CHANGED, c.changed);
		h_lit(h, "</p>");
	}
	h_lit(h, "<p class=\"toolbar\">");
	part_button_link(h, M_PANEL_ASSESS, 1, "/o/%s/gap/systems/%lld", slug, id);
	part_button_link(h, M_PANEL_SOA, 0, "/o/%s/documents/statement-of-applicability?id=%lld",
			 slug, id);
	part_button_link(h, M_PANEL_PROCUREMENT, 0,
			 "/o/%s/documents/procurement-requirements?id=%lld", slug, id);
	h_lit(h, "</p>");
	part_section_end(h);
}
