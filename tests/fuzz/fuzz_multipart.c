/* fuzz_multipart.c - multipart_parse() on arbitrary bodies.  Invariants:
 * no crash; every pair has a non-empty valid name and a value whose length
 * matches; a refusal leaves no pairs. */
#include "base/base.h"

#include "base/utf8.h"
#include "parse/form.h"
#include "parse/multipart.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena a = ARENA_INIT;
	struct form f;
	const char *why;
	char *body = arena_strndup(&a, (const char *)data, size);
	size_t n = strlen(body);

	if (multipart_parse(&a, "multipart/form-data; boundary=XyZ", body, n, 20, &f, &why) == 0) {
		for (size_t i = 0; i < f.n; i++) {
			if (!*f.pairs[i].name || !utf8_valid_text(f.pairs[i].name, strlen(f.pairs[i].name)))
				abort();
			if (strlen(f.pairs[i].value) != f.pairs[i].value_len)
				abort();
		}
	} else if (f.n != 0) {
		abort();
	}
	arena_release(&a);
	return 0;
}
