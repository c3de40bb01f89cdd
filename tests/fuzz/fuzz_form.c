/* fuzz_form.c - form_decode(), url_encode() and the UTF-8 helpers.
 *
 * Invariants: a decoded form has at most max_fields pairs, names of at most
 * 128 bytes without control characters, values that are valid UTF-8 text
 * whose value_len matches; encoding every pair again and decoding gives the
 * same form; folding is idempotent and does not change the sort key.
 */
#include "base/base.h"

#include "base/utf8.h"
#include "parse/form.h"

#define CHECK(x)                                                  \
	do {                                                      \
		if (!(x))                                         \
			BUG("fuzz invariant failed: %s", #x);     \
	} while (0)

#define MAX_FIELDS 64

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_text(struct arena *a, const char *v, size_t n)
{
	const char *fold = utf8_fold(a, v), *key = utf8_sortkey(a, v);

	CHECK(utf8_length(v, n) <= n);
	CHECK(utf8_valid(fold, strlen(fold)));
	CHECK(strcmp(utf8_fold(a, fold), fold) == 0);
	CHECK(strcmp(utf8_sortkey(a, fold), key) == 0);
}

static void check_roundtrip(struct arena *a, const struct form *f)
{
	struct buf b = BUF_INIT;
	struct form g;
	const char *why = NULL;

	for (size_t i = 0; i < f->n; i++) {
		if (i)
			buf_putc(&b, '&');
		url_encode(&b, f->pairs[i].name);
		buf_putc(&b, '=');
		url_encode(&b, f->pairs[i].value);
	}
	CHECK(buf_ok(&b));
	/* An empty name with an empty value encodes as "=", which is still a
	 * pair, so the count survives. */
	CHECK(form_decode(a, b.p, b.len, MAX_FIELDS, &g, &why) == 0);
	CHECK(g.n == f->n);
	for (size_t i = 0; i < f->n; i++) {
		CHECK(strcmp(g.pairs[i].name, f->pairs[i].name) == 0);
		CHECK(g.pairs[i].value_len == f->pairs[i].value_len);
		CHECK(memcmp(g.pairs[i].value, f->pairs[i].value,
			     f->pairs[i].value_len) == 0);
	}
	buf_release(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena a = ARENA_INIT;
	const char *why = NULL;
	struct form f;

	if (form_decode(&a, (const char *)data, size, MAX_FIELDS, &f, &why)) {
		CHECK(why && *why);
		CHECK(f.n == 0 && f.pairs == NULL);
		goto out;
	}
	CHECK(f.n <= MAX_FIELDS && f.n <= size);
	for (size_t i = 0; i < f.n; i++) {
		const struct form_pair *p = &f.pairs[i];
		size_t nl = strlen(p->name);

		CHECK(nl <= 128);
		CHECK(utf8_valid_text(p->name, nl));
		CHECK(!strpbrk(p->name, "\t\r\n"));
		CHECK(strlen(p->value) == p->value_len);
		CHECK(utf8_valid(p->value, p->value_len));
		CHECK(form_get(&f, p->name) != NULL);
		check_text(&a, p->value, p->value_len);
	}
	if (f.n) {
		const char *vals[MAX_FIELDS];

		CHECK(form_get(&f, f.pairs[0].name) == f.pairs[0].value);
		CHECK(form_get_all(&f, f.pairs[0].name, vals, MAX_FIELDS) >= 1);
		CHECK(vals[0] == f.pairs[0].value);
	}
	check_roundtrip(&a, &f);
out:
	arena_release(&a);
	return 0;
}
