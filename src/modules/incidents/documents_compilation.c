/* documents_compilation.c - the incidents' compilation as a document for
 * management ("incident-compilation", core/module.h struct document; the
 * last 12 months, ?unit= a unit): the seed 004 compilation and the
 * summary, then each picture with one sentence that reads it, then every
 * number as a table.  Reads what the page reads (compilation.c): the
 * summary by key, never the incidents. */
#include "base/base.h"

#include "base/arena.h"
#include "chart/chart.h"
#include "core/ctx.h"
#include "core/i18n.h"
#include "core/module.h"
#include "core/roles.h"
#include "db/db.h"
#include "doc/doc.h"
#include "modules/incidents/compilation.h"
#include "modules/incidents/incidents.h"

static const char *num(struct arena *a, int64_t n)
{
	return doc_number(a, n);
}

static size_t top(const int64_t *n, size_t count)
{
	size_t best = 0;

	for (size_t i = 1; i < count; i++)
		if (n[i] > n[best])
			best = i;
	return best;
}

int incident_compilation_build(struct ctx *cx, const struct doc_params *p, struct doc *d,
			     struct db_error *err)
{
	struct arena *a = cx->a;
	int lang = cx->lang;
	struct ic_data data;
	struct doc_block *dl;
	const char *s;
	size_t best;

	if (ic_read(cx, NULL, NULL, p->unit, &data, err) != 0)
		return -1;
	d->subtitle = arena_printf(a, "%s – %s", data.from, data.to);
	d->subject = msg_text(lang, M_IC_TITLE);
	d->marking = NULL;

	doc_heading(d, 1, msg_text(lang, M_IC_SEED));
	doc_para(d, msg_text(lang, M_IC_SEED_INTRO));
	dl = doc_deflist(d);
	doc_def(d, dl, msg_text(lang, M_IC_INTRUSIONS),
		arena_printf(a, "%s (%s: %s). %s %s", num(a, data.intrusions),
			     msg_text(lang, M_IC_PREV_LOWER),
			     num(a, data.prev_intrusions), msg_text(lang, M_IC_COUNTED),
			     msg_text(lang, M_IC_INTRUSIONS_RULE)));
	doc_def(d, dl, msg_text(lang, M_IC_BREACHES),
		arena_printf(a, "%s (%s: %s). %s %s", num(a, data.breaches),
			     msg_text(lang, M_IC_PREV_LOWER),
			     num(a, data.prev_breaches), msg_text(lang, M_IC_COUNTED),
			     msg_text(lang, M_IC_BREACHES_RULE)));
	doc_def(d, dl, msg_text(lang, M_IC_DISRUPTIONS),
		arena_printf(a, "%s (%s: %s). %s %s", num(a, data.disruptions),
			     msg_text(lang, M_IC_PREV_LOWER), num(a, data.prev_disruptions),
			     msg_text(lang, M_IC_COUNTED), msg_text(lang, M_IC_DISRUPTIONS_RULE)));

	doc_heading(d, 1, msg_text(lang, M_IC_SUMMARY));
	dl = doc_deflist(d);
	doc_def(d, dl, msg_text(lang, M_IC_TOTAL), num(a, data.total));
	doc_def(d, dl, msg_text(lang, M_IC_OPEN), num(a, data.open));
	doc_def(d, dl, msg_text(lang, M_IC_CLOSED), num(a, data.closed));
	doc_def(d, dl, msg_text(lang, M_IC_NOT_INCIDENT), num(a, data.not_incident));
	doc_def(d, dl, msg_text(lang, M_IC_ASSESS_TIME),
		ic_duration(a, lang, data.assess_s, data.assess_n));
	doc_def(d, dl, msg_text(lang, M_IC_RESTORE_TIME),
		ic_duration(a, lang, data.restore_s, data.restore_n));

	doc_heading(d, 2, msg_text(lang, M_IC_BY_ROOT));
	best = top(data.root, IC_ROOTS - 1);
	if (data.root[best]) {
		s = msg_fill(a, msg_text(lang, M_IC_DOC_READ_ROOTS), "{top}",
			     msg_text(lang, incident_root_group_choices[best].label));
		doc_para(d, msg_fill(a, s, "{n}", num(a, data.root[best])));
	}
	dl = doc_deflist(d);
	for (size_t i = 0; i < IC_ROOTS; i++)
		if (data.root[i])
			doc_def(d, dl, i < IC_ROOTS - 1 ?
				msg_text(lang, incident_root_group_choices[i].label) :
				msg_text(lang, M_IC_NO_ROOT), num(a, data.root[i]));

	/* a picture a page, each with the sentence that reads it */
	doc_page_break(d);
	doc_heading(d, 1, msg_text(lang, data.nmonths % 3 ? M_IC_BY_MONTH : M_IC_BY_QUARTER));
	s = msg_fill(a, msg_text(lang, M_IC_DOC_READ_MONTHS), "{n}", num(a, data.total));
	s = msg_fill(a, s, "{change}", ic_change(a, lang, data.total, data.prev_total));
	doc_para(d, msg_fill(a, s, "{p}", num(a, data.prev_total)));
	doc_picture(d, ic_chart_months(cx, &data, 1));

	doc_page_break(d);
	doc_heading(d, 1, msg_text(lang, M_IC_BY_CATEGORY));
	best = top(data.cat, IC_CATS);
	if (data.total) {
		s = msg_fill(a, msg_text(lang, M_IC_DOC_READ_CATS), "{top}",
			     ic_category_short(lang, best));
		s = msg_fill(a, s, "{n}", num(a, data.cat[best]));
		doc_para(d, msg_fill(a, s, "{total}", num(a, data.total)));
	} else {
		doc_para(d, msg_text(lang, M_IC_DOC_READ_NONE));
	}
	doc_picture(d, ic_chart_categories(cx, &data, 0));
	doc_note(d, msg_text(lang, M_IC_DOC_NUMBERS));
	return 0;
}

