/* tap.h - a tiny TAP producer for Värn's C tests.
 *
 *   TEST(name) { ok(x == 1, "x is one"); is_str(a, "b", "a is b"); }
 *   int main(void) { return tap_run(); }   // runs every TEST in the file
 *
 * Prints "ok N - desc" / "not ok N - desc" and finally "1..N"; the exit code
 * is the number of failures (capped at 100).  tests/run aggregates the
 * lines of every layer into the closing "N passed, N failed".
 */
#ifndef VARN_TAP_H
#define VARN_TAP_H

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

struct tap_test {
	const char *name;
	void (*fn)(void);
	struct tap_test *next;
};
extern struct tap_test *tap_tests;
extern int tap_n, tap_fail;
extern const char *tap_current;

#define TEST(name)                                                        \
	static void test_##name(void);                                      \
	static struct tap_test tap_t_##name = { #name, test_##name, NULL }; \
	__attribute__((constructor)) static void tap_reg_##name(void)       \
	{                                                                   \
		struct tap_test **p = &tap_tests;                           \
		while (*p)                                                  \
			p = &(*p)->next;                                    \
		*p = &tap_t_##name;                                         \
	}                                                                   \
	static void test_##name(void)

int tap_ok(int cond, const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
int tap_is_str(const char *got, const char *want, const char *file, int line,
	       const char *desc);
int tap_is_int(int64_t got, int64_t want, const char *file, int line,
	       const char *desc);
int tap_run(void);

#define ok(cond, ...) tap_ok(!!(cond), __FILE__, __LINE__, __VA_ARGS__)
#define is_str(got, want, desc) tap_is_str((got), (want), __FILE__, __LINE__, (desc))
#define is_int(got, want, desc) tap_is_int((int64_t)(got), (int64_t)(want), __FILE__, __LINE__, (desc))
#define has_str(hay, needle, desc) \
	tap_ok((hay) && strstr((hay), (needle)) != NULL, __FILE__, __LINE__, "%s", (desc))
#define lacks_str(hay, needle, desc) \
	tap_ok((hay) && strstr((hay), (needle)) == NULL, __FILE__, __LINE__, "%s", (desc))

#endif
