/* pages_entity.h - helpers of the register pages that modules reuse. */
#ifndef VARN_PAGES_ENTITY_H
#define VARN_PAGES_ENTITY_H

#include "core/entity.h"
#include "web/html.h"

/* A list's query (search, sort, filters, paging) from the request's
 * declared parameters (the list, CSV and Excel exports). */
void list_query_from_req(struct req *q, const struct entity *e, struct list_query *lq);

struct import_run;
/* The refusal of an import: a summary and one row per problem. */
void import_problems_table(struct html *h, const struct import_run *run);

#endif
