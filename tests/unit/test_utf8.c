/* test_utf8.c - validation, folding and the Swedish sort key. */
#include "base/base.h"

#include <stdlib.h>

#include "base/utf8.h"
#include "tap.h"

#define VALID(s) utf8_valid_text((s), sizeof(s) - 1)

TEST(valid)
{
	ok(VALID(""), "empty");
	ok(VALID("Åsa Öberg, Ängelholm"), "Swedish text");
	ok(VALID("tab\there\r\nnew line"), "tab, CR and LF are allowed");
	ok(VALID("\xF0\x9F\x98\x80"), "4-byte emoji");
	ok(VALID("\xEF\xBF\xBF"), "U+FFFF");
	ok(VALID("\xF4\x8F\xBF\xBF"), "U+10FFFF, the last code point");
	ok(VALID("\xED\x9F\xBF"), "U+D7FF, just below the surrogates");
	ok(VALID("\xC2\xA0"), "U+00A0 (first after C1)");
}

TEST(invalid)
{
	ok(!VALID("\xC0\xAF"), "overlong '/' (2 bytes)");
	ok(!VALID("\xC1\xBF"), "overlong 2-byte lead C1");
	ok(!VALID("\xE0\x80\xAF"), "overlong '/' (3 bytes)");
	ok(!VALID("\xE0\x9F\xBF"), "overlong U+07FF in 3 bytes");
	ok(!VALID("\xF0\x80\x80\xAF"), "overlong '/' (4 bytes)");
	ok(!VALID("\xF0\x8F\xBF\xBF"), "overlong U+FFFF in 4 bytes");
	ok(!VALID("\xED\xA0\x80"), "surrogate U+D800");
	ok(!VALID("\xED\xBF\xBF"), "surrogate U+DFFF");
	ok(!VALID("\xF4\x90\x80\x80"), "U+110000");
	ok(!VALID("\xF5\x80\x80\x80"), "lead F5");
	ok(!VALID("\xFF"), "byte FF");
	ok(!VALID("\x80"), "lone continuation");
	ok(!VALID("a\xC3"), "truncated 2-byte at the end");
	ok(!VALID("\xE2\x82"), "truncated 3-byte");
	ok(!VALID("\xF0\x9F\x98"), "truncated 4-byte");
	ok(!VALID("\xE2\x82" "a"), "truncated 3-byte followed by ASCII");
	ok(!VALID("\xC3\xA5\xE5"), "Windows-1252 å after a good one");
	ok(!utf8_valid_text("a\0b", 3), "NUL");
	ok(!VALID("\x01"), "C0 control");
	ok(!VALID("\x1B[31m"), "escape sequence");
	ok(!VALID("\x7F"), "DEL");
	ok(!VALID("\xC2\x85"), "C1 control U+0085");
	ok(!VALID("\xC2\x9F"), "C1 control U+009F");
}

TEST(valid_prefix)
{
	is_int(utf8_valid_prefix("abc", 3), 3, "all valid");
	is_int(utf8_valid_prefix("ab\xE5z", 4), 2, "offset of the bad byte");
	is_int(utf8_valid_prefix("\xC3\xA5\xC3", 3), 2, "truncated at the end");
	is_int(utf8_valid_prefix("", 0), 0, "empty");
}

TEST(length_and_next)
{
	const char *s = "Åa€😀";
	uint32_t c[5];

	is_int(utf8_length(s, strlen(s)), 4, "code points, not bytes");
	for (int i = 0; i < 5; i++)
		c[i] = utf8_next(&s);
	ok(c[0] == 0xC5 && c[1] == 'a' && c[2] == 0x20AC && c[3] == 0x1F600,
	   "utf8_next decodes 1- to 4-byte sequences");
	ok(c[4] == 0 && *s == '\0', "returns 0 at the end without advancing");
	s = "\xC3";
	ok(utf8_next(&s) == 0xFFFD && *s == '\0',
	   "a truncated sequence is U+FFFD and does not read past the NUL");
	s = "\xE0\x80\xAFx";
	ok(utf8_next(&s) == 0xFFFD && *s == '\x80', "overlong: one byte skipped");
}

TEST(fold)
{
	struct arena a = ARENA_INIT;

	is_str(utf8_fold(&a, "ÅSA Öberg"), "åsa öberg", "Swedish capitals");
	is_str(utf8_fold(&a, "ÄNGELHOLM"), "ängelholm", "Ä");
	is_str(utf8_fold(&a, "ÉÈÜÆØÞ"), "éèüæøþ", "Latin-1 capitals");
	is_str(utf8_fold(&a, "ß×÷"), "ß×÷", "ß, × and ÷ have no case");
	is_str(utf8_fold(&a, "ŁÓDŹ ŠKODA ŸSTAD"), "łódź škoda ÿstad", "Latin Extended-A");
	is_str(utf8_fold(&a, "İ"), "i", "dotted capital I");
	is_str(utf8_fold(&a, "ΣΩΚΡΑΤΗΣ Ά"), "σωκρατησ ά", "Greek (no final-sigma rule)");
	is_str(utf8_fold(&a, "МОСКВА Ё"), "москва ё", "Cyrillic");
	is_str(utf8_fold(&a, "A\xCC\x8A" "SA O\xCC\x88" "BERG"), "åsa öberg",
	       "decomposed Å and Ö are composed");
	is_str(utf8_fold(&a, "123 !?"), "123 !?", "digits and punctuation unchanged");
	is_str(utf8_fold(&a, ""), "", "empty");
	is_str(utf8_fold(&a, NULL), "", "NULL is empty");
	is_str(utf8_fold(&a, "a\xFF" "b"), "a\xEF\xBF\xBD" "b", "bad byte becomes U+FFFD");
	is_str(utf8_fold(&a, "\xC3"), "\xEF\xBF\xBD", "truncated at the end");
	arena_release(&a);
}

static int cmp_key(const void *x, const void *y)
{
	return strcmp(*(const char *const *)x, *(const char *const *)y);
}

/* Sorts words by their keys with a plain byte comparison. */
static int sorts_as(struct arena *a, const char **words, size_t n)
{
	const char **keys = arena_alloc(a, n * sizeof(*keys));
	const char **sorted = arena_alloc(a, n * sizeof(*keys));
	int same = 1;

	for (size_t i = 0; i < n; i++)
		keys[i] = utf8_sortkey(a, words[i]);
	memcpy(sorted, keys, n * sizeof(*keys));
	qsort(sorted, n, sizeof(*sorted), cmp_key);
	for (size_t i = 0; i < n; i++)
		same &= sorted[i] == keys[i] || strcmp(sorted[i], keys[i]) == 0;
	for (size_t i = 0; !same && i < n; i++)
		printf("#   %s\n", words[i]);
	return same;
}

#define SORTS_AS(a, desc, ...)                                             \
	do {                                                               \
		const char *w_[] = { __VA_ARGS__ };                        \
		ok(sorts_as((a), w_, ARRAY_SIZE(w_)), "%s", (desc));       \
	} while (0)

TEST(sort_order)
{
	struct arena a = ARENA_INIT;

	SORTS_AS(&a, "a < z < å < ä < ö", "a", "z", "å", "ä", "ö");
	SORTS_AS(&a, "Öberg after Zetterlund", "Andersson", "Zetterlund", "Åberg",
		 "Ängel", "Öberg");
	SORTS_AS(&a, "case-insensitive", "alfa", "BETA", "gamma", "ÖRN", "östen");
	SORTS_AS(&a, "é sorts as e", "Eda", "Édb", "Edc");
	SORTS_AS(&a, "ü as y, between x and z", "Xavier", "Übel", "Yngve", "Zorn");
	SORTS_AS(&a, "æ as ä, ø as ö", "Åsa", "Æble", "Äpple", "Øst", "Öst");
	SORTS_AS(&a, "prefix first", "Berg", "Berg Anna", "Bergström");
	SORTS_AS(&a, "space and punctuation before digits before letters",
		 "a b", "a-b", "a1", "ab");
	SORTS_AS(&a, "digits in order", "1", "10", "2", "9");
	SORTS_AS(&a, "unknown characters after ö, by code point", "öz",
		 "α", "ω", "я", "中");
	SORTS_AS(&a, "ß as ss", "Strasse", "Straße", "Strasso");
	SORTS_AS(&a, "w is its own letter after v", "Vik", "Wik", "Xin");
	arena_release(&a);
}

TEST(sortkey_values)
{
	struct arena a = ARENA_INIT;
	const char *k;

	is_str(utf8_sortkey(&a, "Åsa"), utf8_sortkey(&a, "åsa"),
	       "same key whatever the case");
	is_str(utf8_sortkey(&a, "ÅSA"), utf8_sortkey(&a, "A\xCC\x8Asa"),
	       "decomposed Å has the key of Å");
	is_str(utf8_sortkey(&a, "  Anna \t  Berg  "), utf8_sortkey(&a, "anna berg"),
	       "whitespace trimmed and collapsed");
	is_str(utf8_sortkey(&a, "Zetterlund"), "ZETTERLUND", "ASCII letters are readable");
	is_str(utf8_sortkey(&a, "Öberg"), "]BERG", "ö is the byte after å and ä");
	is_str(utf8_sortkey(&a, "Crème brûlée"), utf8_sortkey(&a, "creme brulee"),
	       "other accents are dropped");
	is_str(utf8_sortkey(&a, "naïve\xC2\xAD" "co\xE2\x80\x8Bop"),
	       utf8_sortkey(&a, "naivecoop"), "soft hyphen and zero-width ignored");
	is_str(utf8_sortkey(&a, "a\xE2\x80\x93" "b"), utf8_sortkey(&a, "a-b"),
	       "en dash sorts as hyphen");
	is_str(utf8_sortkey(&a, ""), "", "empty");
	is_str(utf8_sortkey(&a, "   "), "", "only spaces");
	is_str(utf8_sortkey(&a, NULL), "", "NULL");
	k = utf8_sortkey(&a, "Ωμέγα 中文 !~ 09 \xFF");
	{
		/* the low tokens (0x01-0x21) are bytes, not characters; the
		 * rest must be UTF-8 so PostgreSQL accepts the key as text */
		char *c = arena_strdup(&a, k);

		for (char *q = c; *q; q++)
			if ((unsigned char)*q < 0x20)
				*q = 'x';
		ok(k[0] && utf8_valid_text(c, strlen(c)), "key is valid UTF-8");
	}
	is_str(utf8_sortkey(&a, "Ĳssel ŉ"), utf8_sortkey(&a, "ijssel n"),
	       "Latin Extended-A ligatures and letters");
	is_str(utf8_sortkey(&a, "Ștefan"), utf8_sortkey(&a, "stefan"), "Romanian ș");
	arena_release(&a);
}

int main(void)
{
	return tap_run();
}
