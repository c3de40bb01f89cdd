/* hyphenate.h - Swedish hyphenation for the PDF documents.
 *
 * Pango 1.50 breaks lines only at spaces, hyphens, dashes and soft
 * hyphens; narrow table columns ("Samhällsbyggnadsförvaltningen") need
 * breaks inside words.  doc_hyphenate() marks where a word may be broken,
 * as U+00AD soft hyphens that pango shows as "-" only where it breaks,
 * from the Swedish patterns Debian ships (hyphen-sv, read with libhyphen:
 * /usr/share/hyphen/hyph_sv_SE.dic, or VARN_HYPHEN_DICT).  Without the
 * dictionary the text is left as it is. */
#ifndef VARN_DOC_HYPHENATE_H
#define VARN_DOC_HYPHENATE_H

struct buf;

/* Appends text to out with soft hyphens at the hyphenation points of each
 * word of at least HYPHEN_MIN_WORD letters (the long compounds a narrow
 * column cannot hold; a name such as "Söderström" is left whole), never
 * nearer than two letters to either end.  Words with letters outside
 * Latin-1 are left whole. */
void doc_hyphenate(struct buf *out, const char *text);
#define HYPHEN_MIN_WORD 11

/* 1 when the Swedish patterns could be loaded. */
int doc_hyphenation_available(void);

#endif
