/* letter.h - the short letter a scheduled job mails about one record: a
 * greeting, what it is about, the record's name linked to its page, a
 * closing line and the installation's footer, as plain text and HTML in
 * the recipient's language.  The reminders of the action plan, the
 * security plans, the approvals, the risks and the follow-up are such
 * letters; each module says only its words.
 */
#ifndef VARN_LETTER_H
#define VARN_LETTER_H

#include "base/base.h"

struct ctx;
struct db_error;
struct outbox_msg;

struct letter {
	const char *hello;   /* "Hej Anna," */
	const char *body;    /* what it is about, one paragraph */
	const char *title;   /* the record's name, the link's words */
	const char *url;     /* the record's page */
	const char *outro;   /* a closing line, or NULL */
};

/* Fills m->text and m->html (in cx->a) from l, in language lang, and
 * queues m (outbox_enqueue, in the caller's transaction): 1 queued, 0 told
 * before (m->dedup_key already queued or sent), -1 with err. */
int letter_send(struct ctx *cx, int lang, const struct letter *l, struct outbox_msg *m,
		struct db_error *err);

#endif
