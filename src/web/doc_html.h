/* doc_html.h - a document (doc/doc.h) as HTML: the print view.
 *
 * The same blocks the PDF draws, as the page's markup: headings, lists,
 * tables with their header row (repeated by the browser on every printed
 * page: <thead>), pictures as h_chart (SVG and its numbers), signature
 * lines.  The layout's print CSS hides the menus; style.css's .doc rules
 * set the rest. */
#ifndef VARN_DOC_HTML_H
#define VARN_DOC_HTML_H

struct html;
struct doc;

void h_doc(struct html *h, const struct doc *d);

#endif
