/* pages_entity.h - helpers of the register pages that modules reuse. */
#ifndef VARN_PAGES_ENTITY_H
#define VARN_PAGES_ENTITY_H

#include "core/entity.h"
#include "web/html.h"

/* The value of field i as a person reads it (labels, Ja/Nej, titles). */
const char *entity_display(struct req *q, const struct entity *e,
			   const struct record *rec, size_t i);

struct import_run;
/* The refusal of an import: a summary and one row per problem. */
void import_problems_table(struct html *h, const struct import_run *run);

#endif
