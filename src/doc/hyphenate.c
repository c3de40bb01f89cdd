/* hyphenate.c - Swedish hyphenation points as soft hyphens (hyphenate.h). */
#include "base/base.h"

#include <hyphen.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "doc/hyphenate.h"

#define DEFAULT_DICT "/usr/share/hyphen/hyph_sv_SE.dic"
#define WORD_MAX 64          /* letters; longer runs are left whole */

static HyphenDict *dict;
static pthread_once_t dict_once = PTHREAD_ONCE_INIT;

static void load(void)
{
	const char *path = getenv("VARN_HYPHEN_DICT");

	dict = hnj_hyphen_load(path && *path ? path : DEFAULT_DICT);
	if (!dict)
		log_warn("no hyphenation patterns at %s: PDF words break only at spaces",
			 path && *path ? path : DEFAULT_DICT);
}

int doc_hyphenation_available(void)
{
	pthread_once(&dict_once, load);
	return dict != NULL;
}

/* The Latin-1 letter (lower case) at s, and its length in bytes; 0 when
 * s is not a letter of Latin-1 (the dictionary's encoding). */
static unsigned char letter_at(const unsigned char *s, size_t *len)
{
	unsigned c;

	if ((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z')) {
		*len = 1;
		return (unsigned char)(s[0] | 0x20);
	}
	if (s[0] != 0xc3 || (s[1] & 0xc0) != 0x80)
		return 0;
	c = 0xc0 | (s[1] & 0x3f);          /* U+00C0 .. U+00FF */
	if (c == 0xd7 || c == 0xf7)        /* multiplication, division */
		return 0;
	*len = 2;
	return (unsigned char)(c >= 0xc0 && c <= 0xde ? c | 0x20 : c);
}

/* One word of n letters (starting at s, bytes[] the length of each):
 * written with a soft hyphen at each point the patterns allow. */
static void word(struct buf *out, const unsigned char *s, const unsigned char *latin,
		 const size_t *bytes, size_t n)
{
	char hyph[WORD_MAX + 5];
	char **rep = NULL;
	int *pos = NULL, *cut = NULL;
	int ok = n >= HYPHEN_MIN_WORD &&
		 hnj_hyphen_hyphenate2(dict, (const char *)latin, (int)n, hyph, NULL,
				       &rep, &pos, &cut) == 0;

	for (size_t i = 0; i < n; i++) {
		buf_add(out, s, bytes[i]);
		s += bytes[i];
		/* a point after letter i: two letters at least on each side */
		if (ok && !rep && (hyph[i] & 1) && i >= 1 && i + 3 <= n)
			buf_puts(out, "\xc2\xad");
	}
	if (rep) {
		/* non-standard points (a changed spelling) are not used */
		for (size_t i = 0; i < n; i++)
			free(rep[i]);
		free(rep);
		free(pos);
		free(cut);
	}
}

void doc_hyphenate(struct buf *out, const char *text)
{
	const unsigned char *p = (const unsigned char *)text;

	if (!doc_hyphenation_available()) {
		buf_puts(out, text);
		return;
	}
	while (*p) {
		unsigned char latin[WORD_MAX + 1];
		size_t bytes[WORD_MAX], n = 0, len;
		const unsigned char *start = p;
		unsigned char c;

		while (n < WORD_MAX && (c = letter_at(p, &len))) {
			latin[n] = c;
			bytes[n++] = len;
			p += len;
		}
		if (n == WORD_MAX && letter_at(p, &len)) {
			/* too long to be a word: leave the whole run as it is */
			while (letter_at(p, &len))
				p += len;
			buf_add(out, start, (size_t)(p - start));
			continue;
		}
		/* a letter from beyond Latin-1 joined to the run: leave it whole */
		if (n && *p >= 0x80 && !letter_at(p, &len) && *p != 0xc2 && *p != 0xe2) {
			while (*p && (*p >= 0x80 || letter_at(p, &len)) && *p != ' ')
				p++;
			buf_add(out, start, (size_t)(p - start));
			continue;
		}
		if (n) {
			latin[n] = '\0';
			word(out, start, latin, bytes, n);
			continue;
		}
		/* not a letter: one byte as it is (a UTF-8 sequence goes byte by
		 * byte, unchanged) */
		buf_add(out, p, 1);
		p++;
	}
}
