/* pdf_lang.h - the document's language in a PDF cairo wrote.
 *
 * Cairo 1.16 (Debian bookworm) cannot set the catalog's /Lang, which tells
 * a screen reader which language to read the document in (PDF/UA, WCAG
 * technique PDF16).  pdf_set_lang() adds it to a finished PDF in memory:
 * "/Lang (sv-SE)" in the catalog, and the cross-reference table and
 * startxref moved by as many bytes.  Anything it does not recognise is
 * left as it was: a PDF without /Lang is better than a broken one. */
#ifndef VARN_DOC_PDF_LANG_H
#define VARN_DOC_PDF_LANG_H

struct buf;

/* Rewrites pdf (a whole file) with /Lang (lang) in its catalog.  lang is
 * a BCP 47 tag of letters, digits and "-".  0 when added, -1 when the
 * file was left as it was. */
int pdf_set_lang(struct buf *pdf, const char *lang);

#endif
