/* test_form.c - urlencoded form decoding and url_encode. */
#include "base/base.h"

#include "base/utf8.h"
#include "parse/form.h"
#include "tap.h"

static struct arena ar = ARENA_INIT;

static int decode(const char *s, size_t max, struct form *f, const char **why)
{
	*why = NULL;
	return form_decode(&ar, s, strlen(s), max, f, why);
}

TEST(basic)
{
	struct form f;
	const char *why;

	ok(decode("namn=%C3%85sa+%C3%96berg&roll=admin&tom=&flagga", 10, &f, &why) == 0,
	   "a normal form decodes");
	is_int(f.n, 4, "four pairs");
	is_str(f.pairs[0].name, "namn", "first name");
	is_str(f.pairs[0].value, "Åsa Öberg", "percent and + decoded");
	is_int(f.pairs[0].value_len, strlen("Åsa Öberg"), "value_len");
	is_str(form_get(&f, "roll"), "admin", "form_get");
	is_str(form_get(&f, "tom"), "", "empty value");
	is_str(form_get(&f, "flagga"), "", "a pair without '=' has value \"\"");
	ok(form_get(&f, "saknas") == NULL, "absent name is NULL");
	ok(why == NULL, "why untouched on success");
}

TEST(empty_and_order)
{
	struct form f;
	const char *why, *vals[4];

	ok(decode("", 10, &f, &why) == 0 && f.n == 0, "empty body");
	ok(form_decode(&ar, NULL, 0, 10, &f, &why) == 0 && f.n == 0, "NULL body");
	ok(decode("&&&", 10, &f, &why) == 0 && f.n == 0, "only separators");
	ok(decode("a=1&&b=2&", 2, &f, &why) == 0 && f.n == 2,
	   "empty pairs are skipped and do not count against max");
	ok(decode("t=1&t=2&x=0&t=3&t=4", 10, &f, &why) == 0, "duplicates");
	is_str(form_get(&f, "t"), "1", "form_get returns the first");
	is_int(form_get_all(&f, "t", vals, 4), 4, "form_get_all finds all four");
	ok(strcmp(vals[0], "1") == 0 && strcmp(vals[3], "4") == 0, "in order");
	is_int(form_get_all(&f, "t", vals, 2), 2, "at most max are stored");
	is_int(form_get_all(&f, "nej", vals, 4), 0, "none");
	ok(form_get(NULL, "t") == NULL, "NULL form");
	ok(decode("=v", 10, &f, &why) == 0 && f.n == 1 && !*f.pairs[0].name,
	   "an empty name is kept (the allowlist drops it)");
	ok(decode("a=b=c", 10, &f, &why) == 0 && !strcmp(f.pairs[0].value, "b=c"),
	   "only the first '=' splits");
}

TEST(percent)
{
	struct form f;
	const char *why;

	ok(decode("a=%41%62%2b%25%26%3D", 10, &f, &why) == 0, "hex either case");
	is_str(f.pairs[0].value, "Ab+%&=", "escaped specials are data");
	ok(decode("a=%", 10, &f, &why) < 0, "lone %%");
	ok(why && *why, "with a reason");
	ok(decode("a=%4", 10, &f, &why) < 0, "%% and one digit at the end");
	ok(decode("a=%4g", 10, &f, &why) < 0, "non-hex digit");
	ok(decode("a=%%41", 10, &f, &why) < 0, "%%%%");
	ok(decode("%zz=1", 10, &f, &why) < 0, "bad escape in the name");
	ok(f.n == 0 && f.pairs == NULL, "failure leaves an empty form");
	ok(decode("a=%E5", 10, &f, &why) < 0, "Latin-1 å is invalid UTF-8");
	ok(decode("a=%C0%AF", 10, &f, &why) < 0, "overlong");
	ok(decode("a=%ED%A0%80", 10, &f, &why) < 0, "surrogate");
	ok(decode("a=%00", 10, &f, &why) < 0, "NUL");
	ok(form_decode(&ar, "a=x\0y", 5, 10, &f, &why) < 0, "raw NUL in the body");
	ok(decode("a=%1B", 10, &f, &why) == 0 && strcmp(f.pairs[0].value, "\x1b") == 0,
	   "an escape character in a value is kept for the field to judge");
	ok(decode("a%1B=1", 10, &f, &why) < 0, "but refused in a name");
	ok(decode("a=rad1%0D%0Arad2%09x", 10, &f, &why) == 0,
	   "CR LF TAB allowed in values");
	is_str(f.pairs[0].value, "rad1\r\nrad2\tx", "and kept");
	ok(decode("a%0A=1", 10, &f, &why) < 0, "LF not allowed in names");
	ok(decode("a%09=1", 10, &f, &why) < 0, "TAB not allowed in names");
	ok(decode("ok=1&bad=%", 10, &f, &why) < 0, "one bad pair fails the whole form");
}

TEST(limits)
{
	struct form f;
	const char *why;
	struct buf b = BUF_INIT;

	ok(decode("a=1&b=2&c=3", 3, &f, &why) == 0 && f.n == 3, "exactly max_fields");
	ok(decode("a=1&b=2&c=3&d=4", 3, &f, &why) < 0, "one more than max_fields");
	has_str(why, "många", "reason in Swedish");
	ok(decode("a", 0, &f, &why) < 0, "max 0 allows no field");
	for (int i = 0; i < 128; i++)
		buf_putc(&b, 'n');
	buf_puts(&b, "=1");
	ok(decode(b.p, 10, &f, &why) == 0, "a 128-byte name");
	buf_reset(&b);
	for (int i = 0; i < 129; i++)
		buf_putc(&b, 'n');
	ok(decode(b.p, 10, &f, &why) < 0, "a 129-byte name");
	buf_reset(&b);
	for (int i = 0; i < 128; i++)
		buf_puts(&b, "%C3%A5"); /* 256 bytes decoded */
	ok(decode(b.p, 10, &f, &why) < 0, "name limit counts decoded bytes");
	buf_reset(&b);
	buf_puts(&b, "v=");
	for (int i = 0; i < 100000; i++)
		buf_putc(&b, 'x');
	ok(decode(b.p, 10, &f, &why) == 0 && f.pairs[0].value_len == 100000,
	   "values have no length limit here (the body cap applies)");
	buf_release(&b);
}

TEST(url_encode_roundtrip)
{
	struct buf b = BUF_INIT;
	struct form f;
	const char *why;
	const char *nasty = "Åsa & Öberg = 100% /?#+ ~._-\r\n\"<>";

	url_encode(&b, "a b/å~.-_");
	is_str(b.p, "a%20b%2F%C3%A5~.-_", "unreserved kept, the rest %XX");
	buf_reset(&b);
	buf_puts(&b, "k=");
	url_encode(&b, nasty);
	ok(decode(b.p, 10, &f, &why) == 0, "encoded text decodes");
	is_str(form_get(&f, "k"), nasty, "round trip");
	buf_release(&b);
	arena_release(&ar);
}

int main(void)
{
	return tap_run();
}
