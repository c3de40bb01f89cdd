/* tap.c - see tap.h. */
#include <stdarg.h>
#include <stdlib.h>

#include "tap.h"

struct tap_test *tap_tests;
int tap_n, tap_fail;
const char *tap_current = "";

int tap_ok(int cond, const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	tap_n++;
	printf("%s %d - %s: ", cond ? "ok" : "not ok", tap_n, tap_current);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	if (!cond) {
		tap_fail++;
		printf("#   failed at %s:%d\n", file, line);
	}
	fflush(stdout);
	return cond;
}

int tap_is_str(const char *got, const char *want, const char *file, int line,
	       const char *desc)
{
	int same = (got == NULL && want == NULL) ||
		   (got && want && strcmp(got, want) == 0);
	if (!tap_ok(same, file, line, "%s", desc))
		printf("#   got:  \"%s\"\n#   want: \"%s\"\n", got ? got : "(null)",
		       want ? want : "(null)");
	return same;
}

int tap_is_int(int64_t got, int64_t want, const char *file, int line,
	       const char *desc)
{
	if (!tap_ok(got == want, file, line, "%s", desc))
		printf("#   got:  %" PRId64 "\n#   want: %" PRId64 "\n", got, want);
	return got == want;
}

int tap_run(void)
{
	const char *only = getenv("TAP_ONLY");
	for (struct tap_test *t = tap_tests; t; t = t->next) {
		if (only && *only && strcmp(only, t->name) != 0)
			continue;
		tap_current = t->name;
		t->fn();
	}
	printf("1..%d\n", tap_n);
	if (tap_n == 0) {
		printf("# no test ran\n");
		return 1;
	}
	return tap_fail > 100 ? 100 : tap_fail;
}
