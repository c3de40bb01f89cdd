/* utf8.h - UTF-8 validation and Swedish folding.
 *
 * Sorting and searching must behave identically on SQLite and PostgreSQL.
 * Rather than trust two collation engines to agree, Värn computes the keys
 * itself and stores them in plain columns compared bytewise ("C" order):
 *
 *  - utf8_fold():    lower-cased text for case-insensitive search
 *                    ("Åsa ÖBERG" -> "åsa öberg"); searched with LIKE.
 *  - utf8_sortkey(): a byte string whose memcmp order is Swedish
 *                    dictionary order: a < ... < z < å < ä < ö, case-
 *                    insensitive, with é/è sorting as e, ü as y, æ as ä,
 *                    ø as ö, other accented Latin letters as their base.
 *                    Ties between keys are broken by the caller (by id).
 *
 * Both return strings allocated from the arena.
 */
#ifndef VARN_UTF8_H
#define VARN_UTF8_H

#include <stddef.h>
#include <stdint.h>

struct arena;

/* 1 if s[0..n) is well-formed UTF-8 (no overlongs, surrogates or > U+10FFFF)
 * without NUL; control characters allowed. */
int utf8_valid(const char *s, size_t n);
/* 1 if s[0..n) is well-formed UTF-8 (no overlongs, surrogates or > U+10FFFF)
 * and contains no NUL and no control characters other than \t \n \r. */
int utf8_valid_text(const char *s, size_t n);
/* Length of the longest prefix of s[0..n) that utf8_valid_text() accepts:
 * n when all of it is valid, else the offset of the first bad byte. */
size_t utf8_valid_prefix(const char *s, size_t n);
/* Number of code points in a valid string. */
size_t utf8_length(const char *s, size_t n);
/* Decodes one code point at *s (valid input), advancing *s.  Returns 0 at
 * the terminating NUL without advancing; an ill-formed byte is returned as
 * U+FFFD and skipped, so a loop over bad input still ends. */
uint32_t utf8_next(const char **s);
char *utf8_fold(struct arena *a, const char *s);
char *utf8_sortkey(struct arena *a, const char *s);

#endif
