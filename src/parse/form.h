/* form.h - application/x-www-form-urlencoded and query-string decoding.
 *
 * Our own decoder (libmicrohttpd's PostProcessor is deliberately not used).
 * It is fuzzed (tests/fuzz/fuzz_form.c).  Names and values are percent- and
 * '+'-decoded into the arena.  Decoding fails (returns -1, sets *why) on:
 * malformed percent escapes, invalid UTF-8 or NUL (after decoding), any
 * control character in a name, more than max_fields pairs,
 * a name longer than 128 bytes.  A pair without '=' has the value "".
 * Empty pairs ("a=1&&b=2") are skipped.  Order is kept; duplicates are kept
 * (form_get returns the first, form_get_all all of them).
 * Values may hold control characters: each field validates its own text
 * (utf8_valid_text) and reports the field by name, so a form pasted from a
 * word processor comes back with a message instead of being lost.
 */
#ifndef VARN_FORM_H
#define VARN_FORM_H

#include <stddef.h>

struct arena;

struct form_pair {
	const char *name;
	const char *value;
	size_t value_len;
};

struct form {
	struct form_pair *pairs;
	size_t n;
};

int form_decode(struct arena *a, const char *data, size_t len,
		size_t max_fields, struct form *out, const char **why);
const char *form_get(const struct form *f, const char *name);
/* Fills up to max values of name into vals; returns the count found. */
size_t form_get_all(const struct form *f, const char *name,
		    const char **vals, size_t max);
/* Percent-encodes s for a URL query or path segment into b. */
struct buf;
void url_encode(struct buf *b, const char *s);

#endif
