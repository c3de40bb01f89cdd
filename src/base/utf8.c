/* utf8.c - UTF-8 validation, case folding and Swedish sort keys.
 *
 * Sort key mapping (utf8_sortkey)
 * -------------------------------
 * Each code point of the (lower-cased) input becomes a token, and keys are
 * compared with memcmp (a "C"-collated column in either database).  Tokens:
 *
 *   whitespace          0x01       runs collapse to one; leading and
 *                                  trailing whitespace is dropped
 *   ASCII punctuation   0x02-0x21  in ASCII order: ! " # ... ~ (32 marks);
 *                                  typographic dashes/quotes map to - ' "
 *   digits 0-9          0x30-0x39  ('0'..'9')
 *   letters a-z         0x41-0x5A  ('A'..'Z'), case-insensitive
 *   å ä ö               0x5B 0x5C 0x5D  ('[' '\' ']'), i.e. after z
 *   anything else       its lower-cased code point in UTF-8 (lead byte
 *                       >= 0xC2), so after all letters, in code-point order
 *
 * Accented Latin letters take their base letter (é è ê ë -> e, á -> a,
 * ç -> c, ñ -> n ...); the Swedish/CLDR exceptions are ü ű -> y, æ -> ä,
 * ø ő œ -> ö; ß -> ss, þ -> th, ĳ -> ij.  Decomposed input (a + U+030A) is
 * composed first; other combining marks, soft hyphens, zero-width characters
 * and control characters are ignored.
 *
 * Why this orders correctly: every token is either one byte < 0x80 or a
 * complete UTF-8 sequence (lead byte >= 0xC2, prefix-free, bytewise order ==
 * code-point order).  So the first differing byte of two keys lies in the
 * first differing token and decides as that token should, and a key that is
 * a prefix of another ("berg" / "berg anna") sorts first.  Keys are valid
 * UTF-8 with no NUL, so they fit a text column in PostgreSQL too (declare it
 * COLLATE "C").  Accent and case differences are deliberately not in the key:
 * ties are broken by the caller (by id).
 */
#include "base/base.h"

#include "base/utf8.h"

#define REPLACEMENT 0xFFFDu

/* Decodes one well-formed sequence from s[0..n); returns its length, or 0
 * for an ill-formed one (overlong, surrogate, > U+10FFFF, truncated). */
static size_t decode(const unsigned char *s, size_t n, uint32_t *cp)
{
	uint32_t c;
	size_t len, i;

	if (n == 0)
		return 0;
	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] < 0xC2)
		return 0; /* continuation byte, or overlong 2-byte lead */
	if (s[0] < 0xE0) {
		len = 2;
		c = s[0] & 0x1F;
	} else if (s[0] < 0xF0) {
		len = 3;
		c = s[0] & 0x0F;
	} else if (s[0] < 0xF5) {
		len = 4;
		c = s[0] & 0x07;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3F);
	}
	if ((len == 3 && c < 0x800) || (len == 4 && c < 0x10000) ||
	    c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
		return 0;
	*cp = c;
	return len;
}

/* C0 controls other than \t \n \r, DEL, and the C1 block (which mostly
 * appears when Windows-1252 text was decoded as Latin-1). */
static int is_bad_control(uint32_t c)
{
	if (c < 0x20)
		return c != '\t' && c != '\n' && c != '\r';
	return c == 0x7F || (c >= 0x80 && c <= 0x9F);
}

size_t utf8_valid_prefix(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;

	while (i < n) {
		uint32_t c;
		size_t len = decode(p + i, n - i, &c);

		if (len == 0 || c == 0 || is_bad_control(c))
			break;
		i += len;
	}
	return i;
}

int utf8_valid(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;

	while (i < n) {
		uint32_t c;
		size_t len = decode(p + i, n - i, &c);

		if (len == 0 || c == 0)
			return 0;
		i += len;
	}
	return 1;
}

int utf8_valid_text(const char *s, size_t n)
{
	return utf8_valid_prefix(s, n) == n;
}

size_t utf8_length(const char *s, size_t n)
{
	size_t count = 0;

	for (size_t i = 0; i < n; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			count++;
	return count;
}

/* At most 4 bytes are looked at, and never past a NUL: a continuation check
 * fails on the terminator.  Ill-formed bytes come back one at a time as
 * U+FFFD, so callers given bad input still make progress. */
uint32_t utf8_next(const char **s)
{
	const unsigned char *p = (const unsigned char *)*s;
	size_t n = 0, len;
	uint32_t c;

	if (!p[0])
		return 0; /* at the end: does not advance */
	while (n < 4 && p[n])
		n++;
	len = decode(p, n, &c);
	if (len == 0) {
		*s += 1;
		return REPLACEMENT;
	}
	*s += len;
	return c;
}

static size_t encode(uint32_t c, char *out)
{
	if (c < 0x80) {
		out[0] = (char)c;
		return 1;
	}
	if (c < 0x800) {
		out[0] = (char)(0xC0 | (c >> 6));
		out[1] = (char)(0x80 | (c & 0x3F));
		return 2;
	}
	if (c < 0x10000) {
		out[0] = (char)(0xE0 | (c >> 12));
		out[1] = (char)(0x80 | ((c >> 6) & 0x3F));
		out[2] = (char)(0x80 | (c & 0x3F));
		return 3;
	}
	out[0] = (char)(0xF0 | (c >> 18));
	out[1] = (char)(0x80 | ((c >> 12) & 0x3F));
	out[2] = (char)(0x80 | ((c >> 6) & 0x3F));
	out[3] = (char)(0x80 | (c & 0x3F));
	return 4;
}

/*
 * Simple lower-casing for the scripts found in Swedish municipal data:
 * ASCII, Latin-1, Latin Extended-A, the Romanian/Latin Extended-B pairs,
 * Greek and Cyrillic.  One code point to one code point (ß stays ß).
 */
static uint32_t lower(uint32_t c)
{
	if (c < 0x80)
		return c >= 'A' && c <= 'Z' ? c + 32 : c;
	if (c >= 0xC0 && c <= 0xDE && c != 0xD7)
		return c + 32;
	if (c < 0x100)
		return c;
	if (c == 0x130)
		return 'i'; /* İ */
	if ((c >= 0x100 && c <= 0x137) || (c >= 0x14A && c <= 0x177) ||
	    (c >= 0x200 && c <= 0x21F))
		return c | 1; /* upper case even, lower odd */
	if ((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E))
		return c & 1 ? c + 1 : c; /* upper case odd */
	if (c == 0x178)
		return 0xFF; /* Ÿ */
	if (c == 0x386)
		return 0x3AC;
	if (c >= 0x388 && c <= 0x38A)
		return c + 37;
	if (c == 0x38C)
		return 0x3CC;
	if (c == 0x38E || c == 0x38F)
		return c + 63;
	if (c >= 0x391 && c <= 0x3AB && c != 0x3A2)
		return c + 32;
	if (c >= 0x400 && c <= 0x40F)
		return c + 80;
	if (c >= 0x410 && c <= 0x42F)
		return c + 32;
	return c;
}

/* Canonical compositions that matter for Swedish search and sorting, for
 * text typed on systems that send decomposed (NFD) letters. */
static const struct {
	uint32_t base, mark, composed;
} compositions[] = {
	{ 'a', 0x30A, 0xE5 }, /* å */
	{ 'a', 0x308, 0xE4 }, /* ä */
	{ 'o', 0x308, 0xF6 }, /* ö */
	{ 'u', 0x308, 0xFC }, /* ü */
	{ 'e', 0x301, 0xE9 }, /* é */
	{ 'e', 0x300, 0xE8 }, /* è */
};

/* The next code point of s lower-cased, composed with a following combining
 * mark when the pair is in the table. */
static uint32_t next_folded(const char **s)
{
	uint32_t c = lower(utf8_next(s)), m;
	const char *peek = *s;

	if (c == 0 || (unsigned char)*peek < 0xCC)
		return c; /* U+0300.. starts with 0xCC */
	m = utf8_next(&peek);
	for (size_t i = 0; i < ARRAY_SIZE(compositions); i++) {
		if (compositions[i].base == c && compositions[i].mark == m) {
			*s = peek;
			return compositions[i].composed;
		}
	}
	return c;
}

char *utf8_fold(struct arena *a, const char *s)
{
	char *out, *o;

	if (!s)
		s = "";
	/* An ill-formed byte becomes U+FFFD (3 bytes); nothing else grows. */
	out = o = arena_alloc(a, 3 * strlen(s) + 1);
	for (;;) {
		uint32_t c = next_folded(&s);

		if (!c)
			break;
		o += encode(c, o);
	}
	*o = '\0';
	return out;
}

/*
 * Letter codes used in the tables below: 'a'..'z' themselves, '{' å, '|' ä,
 * '}' ö (they follow z in ASCII, so code - 0x20 is the key byte), 'S' "ss",
 * 'T' "th", 'J' "ij", '?' not a letter.
 */
static const char latin1[] = /* U+00C0..U+00FF */
	"aaaa|{|ceeeeiiiidnoooo}?}uuuyyTS"
	"aaaa|{|ceeeeiiiidnoooo}?}uuuyyTy";
static const char latin_ext_a[] = /* U+0100..U+017F */
	"aaaaaaccccccccddddeeeeeeeeeegggggggghhhhiiiiiiiiiiJJjjkkk"
	"llllllllllnnnnnnnnnoooo}}}}rrrrrrssssssssttttttuuuuuuuuyyuuwwyyy"
	"zzzzzzs";
static const char latin_ext_b[] = /* U+0200..U+021B */
	"aaaaeeeeiiiioooorrrruuuusstt";
_Static_assert(sizeof(latin1) == 64 + 1, "latin1 table");
_Static_assert(sizeof(latin_ext_a) == 128 + 1, "latin_ext_a table");
_Static_assert(sizeof(latin_ext_b) == 28 + 1, "latin_ext_b table");

static const char ascii_punct[] = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";

static int is_space(uint32_t c)
{
	return c == ' ' || (c >= 0x09 && c <= 0x0D) || c == 0xA0 ||
	       c == 0x1680 || (c >= 0x2000 && c <= 0x200A) || c == 0x2028 ||
	       c == 0x2029 || c == 0x202F || c == 0x205F || c == 0x3000;
}

/* Characters that carry no weight at all. */
static int is_ignored(uint32_t c)
{
	return c < 0x20 || (c >= 0x7F && c <= 0x9F) || c == 0xAD ||
	       (c >= 0x300 && c <= 0x36F) || (c >= 0x200B && c <= 0x200D) ||
	       c == 0x2060 || c == 0xFEFF;
}

/* Typographic punctuation sorts as its ASCII look-alike. */
static uint32_t punct_alias(uint32_t c)
{
	if (c >= 0x2010 && c <= 0x2015)
		return '-';
	if (c >= 0x2018 && c <= 0x201B)
		return '\'';
	if ((c >= 0x201C && c <= 0x201F) || c == 0xAB || c == 0xBB)
		return '"';
	if (c == 0x2026)
		return '.';
	return c;
}

static char letter_code(uint32_t c)
{
	if (c >= 'a' && c <= 'z')
		return (char)c;
	if (c >= 0xC0 && c <= 0xFF)
		return latin1[c - 0xC0];
	if (c >= 0x100 && c <= 0x17F)
		return latin_ext_a[c - 0x100];
	if (c >= 0x200 && c <= 0x21B)
		return latin_ext_b[c - 0x200];
	return '?';
}

/* Appends the key bytes of one folded, non-space code point. */
static char *key_token(char *o, uint32_t c)
{
	const char *pm;
	char l;

	c = punct_alias(c);
	if (c < 0x80 && c != 0 && (pm = strchr(ascii_punct, (int)c))) {
		*o++ = (char)(0x02 + (pm - ascii_punct));
		return o;
	}
	if (c >= '0' && c <= '9') {
		*o++ = (char)c;
		return o;
	}
	l = letter_code(c);
	switch (l) {
	case '?':
		return o + encode(c, o);
	case 'S':
		*o++ = 'S';
		*o++ = 'S';
		return o;
	case 'T':
		*o++ = 'T';
		*o++ = 'H';
		return o;
	case 'J':
		*o++ = 'I';
		*o++ = 'J';
		return o;
	default:
		*o++ = (char)(l - 0x20);
		return o;
	}
}

char *utf8_sortkey(struct arena *a, const char *s)
{
	int pending_space = 0;
	char *out, *o;

	if (!s)
		s = "";
	/* Worst cases per input byte: U+FFFD for an ill-formed byte (3);
	 * expansions (ss, th, ij) come from 2-byte letters. */
	out = o = arena_alloc(a, 3 * strlen(s) + 1);
	for (;;) {
		uint32_t c = next_folded(&s);

		if (!c)
			break;
		if (is_space(c)) {
			pending_space = o != out;
			continue;
		}
		if (is_ignored(c))
			continue;
		if (pending_space) {
			*o++ = 0x01;
			pending_space = 0;
		}
		o = key_token(o, c);
	}
	*o = '\0';
	return out;
}
