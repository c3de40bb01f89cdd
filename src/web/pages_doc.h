/* pages_doc.h - the documents modules declare (core/module.h struct
 * document), served for every one of them:
 *
 *   GET /o/{org}/documents/NAME        the print view (HTML)
 *   GET /o/{org}/documents/NAME.pdf    the PDF, as a download
 *
 * both with ?unit= and ?id=, for the document's roles; per-record access
 * is the document's build function's (through the engine).  At most
 * DOC_SLOTS documents are made at once; a request that gets no slot
 * within DOC_WAIT seconds is answered 503 with Retry-After, so documents
 * never hold every worker.  A failure is an error page, never half a
 * file.  A PDF download is audited ("document", who got which). */
#ifndef VARN_PAGES_DOC_H
#define VARN_PAGES_DOC_H

#include "base/base.h"

struct ctx;
struct doc;
struct document;
struct doc_params;
struct db_error;
struct route;

#define DOC_SLOTS 2
#define DOC_WAIT 5

/* A slot to make a document in (waits up to DOC_WAIT seconds): 1, or 0
 * when none came free.  Whoever makes documents outside these routes (a
 * scheduled job) takes one too; 1 must be given back. */
int doc_gate_enter(void);
void doc_gate_leave(void);

/* The routes of every declared document (built once). */
size_t doc_routes(const struct route ***out);

/* Fills d for document dd in cx's organisation (title, organisation,
 * date, language, then the module's build): 0, or -1 with err. */
int document_fill(struct ctx *cx, const struct document *dd, const struct doc_params *p,
		  struct doc *d, struct db_error *err);
/* Reads a document's period ?from=&to= ("YYYY-MM-DD", both days
 * included) into p (core/report.h); neither given leaves it 0.  0, or -1
 * when one is malformed or the period impossible. */
int doc_period(const char *from, const char *to, struct doc_params *p);
/* "systemforteckning-exempelstad-2026-12-05.pdf" */
const char *document_file_name(struct ctx *cx, const struct document *dd);

#endif
