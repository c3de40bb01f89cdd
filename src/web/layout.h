/* layout.h - the page shell every HTML page is written in.
 *
 *   struct html h;
 *   page_begin(q, r, &h, M_UNITS);      // or page_begin_text(q, r, &h, title)
 *   ... h_lit / h_text ...
 *   page_end(q, r, &h);
 *
 * page_begin sets the status 200 (change r->status before or after), the
 * content type, no-store caching for signed-in pages, and writes the head,
 * the skip link, the header with the organisation and the main menu (the
 * entries the user's roles allow: the foundation's and every module's,
 * gathered on the first page), and opens <main>.  The page's <h1> is the
 * title.  page_end closes the document.
 */
#ifndef VARN_LAYOUT_H
#define VARN_LAYOUT_H

#include "web/html.h"
#include "web/router.h"

struct field_errors;

void page_begin(struct req *q, struct resp *r, struct html *h, int title_msg);
void page_begin_text(struct req *q, struct resp *r, struct html *h, const char *title);
void page_end(struct req *q, struct resp *r, struct html *h);

/* The error page of a refusal (the page layer's error_responder, web/app.h:
 * respond_error() calls it with the response reset): a title and a sentence
 * per status in the request's language, M_ERR_CSRF for a 403 the pipeline
 * gave for CSRF. */
void page_respond_error(struct req *q, struct resp *r, int status);

/* A status notice ("Sparat.") in a live region. */
/* After a write that goes back to another page (a record added from its
 * parent's page): the next page says what was added, once. */
void page_flash(struct req *q, struct resp *r, const char *entity, int64_t id);
void page_notice(struct html *h, int msg);
/* The error summary at the top of a form: a heading, then one link per
 * field error pointing at the field's id ("f-<name>"). */
void page_error_summary(struct html *h, const char *const *field_names,
			const int *field_labels, const struct field_errors *errs);


#endif
