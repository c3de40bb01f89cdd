/* gap_pages.c - the assessment pages: a system's measures on one page,
 * the organisation's own, and what a measure's and an assessment's
 * record pages add. */
#include "base/base.h"

#include "core/ctx.h"
#include "modules/measures/measures.h"
#include "web/html.h"
#include "web/router.h"

const struct route gap_page_routes[] = {
	{ NULL },
};

void measure_show_extra(struct req *q, const struct entity *e, const struct record *rec,
			struct html *h)
{
}

void assessment_show_summary(struct req *q, const struct entity *e, const struct record *rec,
			     struct html *h)
{
}
