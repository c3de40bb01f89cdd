/* multipart.h - multipart/form-data bodies (RFC 7578), for file uploads.
 *
 * Our own small parser (fuzzed: tests/fuzz/fuzz_multipart.c).  Each part
 * with a Content-Disposition "form-data; name=..." becomes one form pair;
 * a file part's value is the file's bytes (its filename is dropped).  The
 * caller has already refused bodies with NUL bytes.  Fails (-1, *why in
 * Swedish) on: no boundary in the content type, a missing or malformed
 * delimiter, a part without a name, more than max_fields parts, names
 * longer than 128 bytes or not valid text.  Values are not checked for
 * UTF-8 here: the consumer does (the CSV parser names the line).
 */
#ifndef VARN_MULTIPART_H
#define VARN_MULTIPART_H

#include <stddef.h>

struct arena;
struct form;

int multipart_parse(struct arena *a, const char *content_type, const char *body,
		    size_t len, size_t max_fields, struct form *out, const char **why);

#endif
