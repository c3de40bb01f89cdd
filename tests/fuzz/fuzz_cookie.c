/* fuzz_cookie.c - cookie_get().
 *
 * Input: the first byte gives the length (mod 16) of the cookie name that
 * follows; the rest is the header.  Each is cut at a NUL, as C strings are.
 * The fixed name "varn_sid" is looked up too.  Invariants: a value is a
 * substring of the header made only of cookie-octets, and the answer does
 * not change when asked twice.
 */
#include "base/base.h"

#include "parse/cookie.h"

#define CHECK(x)                                                  \
	do {                                                      \
		if (!(x))                                         \
			BUG("fuzz invariant failed: %s", #x);     \
	} while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(struct arena *a, const char *header, const char *name)
{
	const char *v = cookie_get(a, header, name), *w;

	w = cookie_get(a, header, name);
	CHECK((v == NULL) == (w == NULL));
	if (!v)
		return;
	CHECK(strcmp(v, w) == 0);
	CHECK(strlen(v) <= strlen(header));
	CHECK(strstr(header, v) != NULL);
	CHECK(strstr(header, name) != NULL);
	for (const char *c = v; *c; c++)
		CHECK(*c > 0x20 && *c < 0x7f && !strchr("\";,\\", *c));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena a = ARENA_INIT;
	const char *p = size ? (const char *)data + 1 : "";
	size_t rest = size ? size - 1 : 0;
	size_t nlen = size ? data[0] % 16 : 0;
	char *name, *header;

	if (nlen > rest)
		nlen = rest;
	name = arena_strndup(&a, p, nlen);
	header = arena_strndup(&a, p + nlen, rest - nlen);
	check(&a, header, name);
	check(&a, header, "varn_sid");
	arena_release(&a);
	return 0;
}
