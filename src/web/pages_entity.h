/* pages_entity.h - helpers of the register pages that modules reuse. */
#ifndef VARN_PAGES_ENTITY_H
#define VARN_PAGES_ENTITY_H

#include "core/entity.h"
#include "web/html.h"

/* A list's query (search, sort, filters, paging) from the request's
 * declared parameters (the list, CSV and Excel exports). */
void list_query_from_req(struct req *q, const struct entity *e, struct list_query *lq);

/* The buttons of the transitions the viewer may make on rec now (archive,
 * restore and the register's own), each a form with its CSRF token or a
 * link to the transition's page when it takes inputs. */
void entity_transition_buttons(struct req *q, const struct entity *e,
			       const struct record *rec, struct html *h);

/* The button of one transition t (the register's own_button ones too,
 * where its page puts them), primary or not; nothing when it does not
 * apply to rec or the viewer may not make it.  1 when a button was
 * written. */
int entity_transition_button(struct req *q, const struct entity *e,
			     const struct entity_transition *t, const struct record *rec,
			     int primary, struct html *h);

/* The banner of an archived record: that it is archived and what that
 * means, with the restore button for those who may restore it (register
 * pages of their own use it too). */
void archived_banner(struct req *q, const struct entity *e, const struct record *rec,
		     struct html *h);

struct import_run;
/* The refusal of an import: a summary and one row per problem. */
void import_problems_table(struct html *h, const struct import_run *run);

#endif
