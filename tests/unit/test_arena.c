/* test_arena.c - the per-request arena. */
#include "base/base.h"

#include <stdint.h>

#include "tap.h"

TEST(alignment_and_zero)
{
	struct arena a = ARENA_INIT;
	int all_aligned = 1, all_zero = 1;

	for (size_t n = 0; n < 200; n++) {
		unsigned char *p = arena_alloc(&a, n);

		all_aligned &= ((uintptr_t)p % 16) == 0;
		for (size_t i = 0; i < n; i++)
			all_zero &= p[i] == 0;
		memset(p, 0xAA, n); /* must not spill into the next one */
	}
	ok(all_aligned, "every allocation is 16-aligned");
	ok(all_zero, "every allocation is zeroed");
	is_int(a.total, 199 * 200 / 2, "total counts bytes handed out");
	arena_release(&a);
	ok(a.head == NULL && a.total == 0, "release empties the arena");
}

TEST(distinct)
{
	struct arena a = ARENA_INIT;
	char *p = arena_alloc(&a, 0), *q = arena_alloc(&a, 0);

	ok(p && q && p != q, "zero-size allocations are distinct and non-NULL");
	arena_release(&a);
}

TEST(big)
{
	struct arena a = ARENA_INIT;
	char *small1 = arena_alloc(&a, 10), *big, *small2;

	big = arena_alloc(&a, 1 << 20);
	small2 = arena_alloc(&a, 10);
	ok(big != NULL && ((uintptr_t)big % 16) == 0, "a 1 MiB allocation");
	big[(1 << 20) - 1] = 'x';
	ok(small2 == small1 + 16, "a big block does not waste the current chunk");
	for (int i = 0; i < 1000; i++)
		arena_alloc(&a, 3000);
	ok(a.total == 20 + (1 << 20) + 3000000, "many allocations");
	arena_release(&a);
	arena_release(&a);
	ok(1, "release twice is harmless");
}

TEST(strings)
{
	struct arena a = ARENA_INIT;
	char *s = arena_strdup(&a, "Ärende");
	char *t = arena_strndup(&a, "Ärendehantering", 7);
	char *u = arena_printf(&a, "%s nr %d av %zu", "Risk", 3, (size_t)12);
	char *v = arena_printf(&a, "%s", "");
	char big[5000];

	is_str(s, "Ärende", "strdup");
	is_str(t, "Ärende", "strndup cuts at n bytes");
	is_str(u, "Risk nr 3 av 12", "printf");
	is_str(v, "", "printf of nothing");
	memset(big, 'q', sizeof(big) - 1);
	big[sizeof(big) - 1] = 0;
	is_int(strlen(arena_printf(&a, "%s%s", big, big)), 2 * 4999, "big printf");
	arena_release(&a);
}

int main(void)
{
	return tap_run();
}
