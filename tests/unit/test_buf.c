/* test_buf.c - struct buf: growth, caps, sticky errors, detach. */
#include "base/base.h"

#include "tap.h"

TEST(empty)
{
	struct buf b = BUF_INIT;

	is_str(b.p, "", "a new buf is the empty string");
	is_int(b.len, 0, "length 0");
	is_int(b.cap, 0, "nothing allocated");
	ok(buf_ok(&b), "no error");
	buf_release(&b);
	ok(b.p == buf_empty, "release of an empty buf keeps the static \"\"");
}

TEST(append)
{
	struct buf b = BUF_INIT;

	buf_puts(&b, "Hej");
	buf_putc(&b, ' ');
	buf_add(&b, "världen!!", 8);
	buf_printf(&b, " %d-%s", 42, "x");
	is_str(b.p, "Hej världen 42-x", "puts, putc, add and printf append");
	is_int(b.len, strlen("Hej världen 42-x"), "len counts bytes");
	is_int(b.p[b.len], 0, "always NUL-terminated");
	ok(buf_ok(&b), "no error");
	buf_release(&b);
	is_str(b.p, "", "release re-initialises");
	is_int(b.len, 0, "release resets len");
}

TEST(printf_grows)
{
	struct buf b = BUF_INIT;
	char big[1000];

	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	buf_puts(&b, "x");
	ok(buf_printf(&b, "[%s]", big) == 0, "printf larger than the spare room");
	is_int(b.len, 1 + 2 + 999, "length after a growing printf");
	ok(b.p[1] == '[' && b.p[b.len - 1] == ']', "printed text is complete");
	for (int i = 0; i < 1000; i++)
		buf_printf(&b, "%d,", i % 10);
	is_int(b.len, 1002 + 2000, "many small printfs");
	ok(b.cap > b.len, "cap leaves room for the NUL");
	buf_release(&b);
}

TEST(self_append)
{
	struct buf b = BUF_INIT;

	buf_puts(&b, "abc");
	for (int i = 0; i < 6; i++)
		buf_add(&b, b.p, b.len); /* source moves when the buf grows */
	is_int(b.len, 3 * 64, "appending a buf to itself doubles it");
	ok(memcmp(b.p + 189, "abc", 3) == 0, "contents survive reallocation");
	buf_release(&b);
}

TEST(cap_and_sticky_error)
{
	struct buf b;

	buf_init(&b, 10);
	ok(buf_puts(&b, "0123456789") == 0, "exactly max bytes fit");
	ok(buf_ok(&b), "no error at the cap");
	ok(buf_putc(&b, 'x') < 0, "one more byte fails");
	ok(!buf_ok(&b), "err is set");
	is_str(b.p, "0123456789", "contents unchanged by the failed append");
	ok(buf_puts(&b, "") < 0, "sticky: even an empty append fails now");
	buf_truncate(&b, 2);
	ok(buf_puts(&b, "a") < 0, "sticky after truncate too");
	is_str(b.p, "01", "truncate still works");
	buf_reset(&b);
	ok(buf_ok(&b), "reset clears err");
	ok(buf_puts(&b, "abc") == 0, "appends work again after reset");
	is_str(b.p, "abc", "reset kept nothing old");
	ok(b.cap <= 11, "never allocates past max + 1");
	buf_release(&b);
	is_int(b.max, 10, "release keeps the cap");
}

TEST(cap_printf)
{
	struct buf b;

	buf_init(&b, 8);
	buf_puts(&b, "abc");
	ok(buf_printf(&b, "%s", "123456") < 0, "printf over the cap fails");
	is_str(b.p, "abc", "and leaves the contents whole");
	is_int(b.len, 3, "len unchanged");
	buf_reset(&b);
	buf_puts(&b, "1234");
	/* room is allocated (cap 9) but the text does not fit: the partial
	 * vsnprintf output must be undone */
	ok(buf_printf(&b, "%s", "56789") < 0, "partial printf fails");
	is_str(b.p, "1234", "partial printf leaves no trace");
	buf_release(&b);
}

TEST(cap_huge_add)
{
	struct buf b;

	buf_init(&b, 100);
	ok(buf_grow(&b, SIZE_MAX) < 0, "SIZE_MAX extra does not overflow");
	buf_reset(&b);
	buf_puts(&b, "x");
	ok(buf_grow(&b, SIZE_MAX - 1) < 0, "len + extra overflow is caught");
	buf_release(&b);
}

TEST(zero_max_means_default)
{
	struct buf b;

	buf_init(&b, 0);
	is_int(b.max, BUF_DEFAULT_MAX, "max 0 means the default cap");
	buf_release(&b);
}

TEST(detach)
{
	struct buf b = BUF_INIT;
	size_t len = 99;
	char *s;

	s = buf_detach(&b, &len);
	is_str(s, "", "detaching an empty buf gives a fresh \"\"");
	is_int(len, 0, "with length 0");
	free(s);
	buf_puts(&b, "ägare");
	s = buf_detach(&b, &len);
	is_str(s, "ägare", "detach hands over the string");
	is_int(len, 6, "and its length");
	ok(b.p == buf_empty && b.len == 0 && b.cap == 0, "buf re-initialised");
	free(s);
	s = buf_detach(&b, NULL);
	free(s);
	ok(1, "len may be NULL");
}

TEST(truncate)
{
	struct buf b = BUF_INIT;

	buf_puts(&b, "abcdef");
	buf_truncate(&b, 3);
	is_str(b.p, "abc", "truncate shortens");
	buf_truncate(&b, 10);
	is_str(b.p, "abc", "truncate past the end is a no-op");
	buf_truncate(&b, 0);
	is_str(b.p, "", "truncate to 0");
	buf_release(&b);
	buf_truncate(&b, 0);
	ok(b.p == buf_empty && buf_empty[0] == '\0', "never writes the static \"\"");
}

TEST(reset_keeps_memory)
{
	struct buf b = BUF_INIT;
	size_t cap;

	buf_puts(&b, "some text here");
	cap = b.cap;
	buf_reset(&b);
	is_str(b.p, "", "reset empties");
	is_int(b.cap, cap, "reset keeps the allocation");
	buf_release(&b);
}

/* covers issue 14: numbers and characters written without printf */
TEST(buf_put_i64_writes_as_printf_does)
{
	static const int64_t vs[] = { 0, 7, -7, 10, 99, -100, 1234567890123LL,
				      INT64_MAX, INT64_MIN };
	struct buf b = BUF_INIT;
	char want[32];

	for (size_t i = 0; i < sizeof(vs) / sizeof(vs[0]); i++) {
		buf_reset(&b);
		buf_put_i64(&b, vs[i]);
		snprintf(want, sizeof(want), "%lld", (long long)vs[i]);
		is_str(b.p, want, want);
	}
	buf_release(&b);
	/* the inline putc: each character kept, the NUL after it, and the
	 * cap still refuses */
	buf_init(&b, 3);
	ok(buf_putc(&b, 'a') == 0 && buf_putc(&b, 'b') == 0 && buf_putc(&b, 'c') == 0,
	   "three characters fit a cap of three");
	is_str(b.p, "abc", "in order, NUL-terminated");
	ok(buf_putc(&b, 'd') < 0 && !buf_ok(&b), "a fourth is refused and marks the buffer");
	is_str(b.p, "abc", "what was there is kept");
	buf_release(&b);
}

TEST(util_parse_i64)
{
	int64_t v = 7;

	ok(parse_i64("0", &v) == 0 && v == 0, "0");
	ok(parse_i64("-17", &v) == 0 && v == -17, "-17");
	ok(parse_i64("9223372036854775807", &v) == 0 && v == INT64_MAX, "INT64_MAX");
	ok(parse_i64("-9223372036854775808", &v) == 0 && v == INT64_MIN, "INT64_MIN");
	v = 7;
	ok(parse_i64("9223372036854775808", &v) < 0, "INT64_MAX + 1 overflows");
	ok(parse_i64("-9223372036854775809", &v) < 0, "INT64_MIN - 1 overflows");
	ok(parse_i64("99999999999999999999999", &v) < 0, "long overflow");
	ok(parse_i64("", &v) < 0, "empty");
	ok(parse_i64("-", &v) < 0, "lone minus");
	ok(parse_i64("+5", &v) < 0, "plus sign");
	ok(parse_i64(" 5", &v) < 0, "leading space");
	ok(parse_i64("5 ", &v) < 0, "trailing space");
	ok(parse_i64("12a", &v) < 0, "trailing garbage");
	ok(parse_i64("0x10", &v) < 0, "hex");
	ok(parse_i64(NULL, &v) < 0, "NULL");
	is_int(v, 7, "failures leave *out alone");
	ok(parse_i64("007", &v) == 0 && v == 7, "leading zeros are fine");
}

TEST(util_ct_equal)
{
	ok(ct_equal("abcdef", "abcdef", 6), "equal");
	ok(!ct_equal("abcdef", "abcdeg", 6), "last byte differs");
	ok(!ct_equal("xbcdef", "abcdef", 6), "first byte differs");
	ok(ct_equal("a", "b", 0), "empty strings are equal");
}

TEST(util_alloc)
{
	char *s = xstrdup("Östra Göinge");
	int *z = xcalloc(4, sizeof(int));

	is_str(s, "Östra Göinge", "xstrdup copies");
	ok(z[0] == 0 && z[3] == 0, "xcalloc zeroes");
	s = xrealloc(s, 100);
	is_str(s, "Östra Göinge", "xrealloc keeps contents");
	free(s);
	free(z);
	free(xmalloc(0));
	ok(1, "xmalloc(0) returns something freeable");
}

TEST(util_log_quiet)
{
	log_quiet = 1;
	log_info("not shown %d", 1);
	log_warn("not shown");
	log_error("not shown");
	log_quiet = 0;
	ok(1, "logging with log_quiet set does not crash");
}

int main(void)
{
	return tap_run();
}
