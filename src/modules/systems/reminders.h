/* reminders.h - the review reminders, the systems module's jobs (module.c). */
#ifndef VARN_SYSTEMS_REMINDERS_H
#define VARN_SYSTEMS_REMINDERS_H

#include "base/base.h"

struct buf;
struct ctx;
struct db_error;

/* Daily: each owner gets one message when something new is due. */
int review_reminders_run(struct ctx *cx, int64_t period_start, struct buf *summary,
			 struct db_error *err);
/* Weekly: each coordinator gets the organisation's list. */
int review_summary_run(struct ctx *cx, int64_t period_start, struct buf *summary,
		       struct db_error *err);

#endif
