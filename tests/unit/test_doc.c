/* test_doc.c - documents (doc/doc.h): a long table breaks over pages with
 * its header repeated on each, the footer counts "Sida n av N", Swedish
 * text survives into the PDF (read back with pdftotext, poppler-utils),
 * the file is whole (%PDF ... %%EOF) and a failed render hands out
 * nothing.
 *
 * VARN_DOC_PDF=FILE keeps the long document's PDF (to look at it). */
#include "base/base.h"

#include <fcntl.h>
#include <pthread.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/arena.h"
#include "base/buf.h"
#include "chart/chart.h"
#include "doc/doc.h"
#include "doc/hyphenate.h"
#include "doc/pdf_lang.h"
#include "tap.h"
#include "web/doc_html.h"
#include "web/html.h"

extern char **environ;

static void long_doc(struct doc *d, struct arena *a, size_t rows)
{
	struct doc_table *t;
	struct doc_block *dl;

	doc_init(d, a);
	d->title = "Systemförteckning";
	d->org = "Exempelstads kommun";
	d->subtitle = "Hela organisationen";
	d->date = "2026-12-05";
	d->version = "1.0";
	d->marking = "Skyddsklass: intern";
	doc_heading(d, 1, "Sammanfattning");
	doc_para(d, "Förteckningen omfattar åäö ÅÄÖ – med tankstreck och "
		    "kommunövergripande informationssäkerhetssamordningsuppdrag.");
	dl = doc_deflist(d);
	doc_def(d, dl, "Antal system", doc_number(a, 2043));
	doc_def(d, dl, "Klassade", doc_number(a, 1200));
	doc_heading(d, 2, "System");
	t = doc_table(d, 3, "Alla system");
	doc_col(t, 0, "Namn", 3, DOC_LEFT);
	doc_col(t, 1, "Enhet", 2, DOC_LEFT);
	doc_col(t, 2, "Nivå", 1, DOC_RIGHT);
	for (size_t i = 0; i < rows; i++) {
		const char **row = doc_row(d, t);
		row[0] = arena_printf(a, "System nummer %04zu", i + 1);
		row[1] = i % 7 ? "Socialförvaltningen" : "Barn- och utbildningsförvaltningen, "
							 "avdelningen för förskola";
		row[2] = i % 5 ? "2" : NULL;
	}
	doc_signature(d, "Anna Andersson", "Systemägare");
}

TEST(number_grouping)
{
	struct arena a = { 0 };

	is_str(doc_number(&a, 0), "0", "zero");
	is_str(doc_number(&a, 999), "999", "three digits ungrouped");
	is_str(doc_number(&a, 2043), "2\xc2\xa0" "043", "2 043 with a no-break space");
	is_str(doc_number(&a, 1234567), "1\xc2\xa0" "234\xc2\xa0" "567", "millions");
	is_str(doc_number(&a, -2043), "\xe2\x88\x92" "2\xc2\xa0" "043", "minus sign");
	is_str(doc_page_of(&a, 0, 3, 7), "Sida 3 av 7", "page number in Swedish");
	arena_release(&a);
}

TEST(long_table_breaks_with_header_repeated)
{
	struct arena a = { 0 };
	struct doc d;
	struct doc_stats st;
	struct buf out = BUF_INIT;
	const char *why;
	int total = 0, pages_with_rows = 0, all_headed = 1, rc;

	long_doc(&d, &a, 300);
	rc = doc_pdf(&d, &out, &st, &why);
	ok(rc == 0, "300 rows render (%s)", why ? why : "ok");
	ok(st.pages >= 5, "300 rows take several pages (%d)", st.pages);
	for (int p = 0; p < st.pages && p < DOC_STATS_PAGES; p++) {
		total += st.rows[p];
		if (st.rows[p]) {
			pages_with_rows++;
			if (st.heads[p] != 1)
				all_headed = 0;
		}
	}
	is_int(total, 300, "every row is drawn exactly once");
	ok(pages_with_rows >= 4, "the rows are spread over %d pages", pages_with_rows);
	ok(all_headed, "each page with rows has the header row once");
	ok(out.len > 1000 && memcmp(out.p, "%PDF-", 5) == 0, "a PDF");
	ok(out.len > 6 && memmem(out.p + out.len - 7, 7, "%%EOF", 5), "ends with %%%%EOF");
	buf_release(&out);
	arena_release(&a);
}

static char *pdftotext(char **argv, struct buf *b);

/* pdftotext FILE - */
static char *pdf_text(const char *path, struct buf *b)
{
	char *argv[] = { "pdftotext", "-enc", "UTF-8", (char *)path, "-", NULL };

	return pdftotext(argv, b);
}

/* pdftotext -bbox: every word of page 1 with its box, as XHTML */
static char *pdf_boxes(const char *path, struct buf *b)
{
	char *argv[] = { "pdftotext", "-bbox", "-f", "1", "-l", "1", "-enc", "UTF-8", (char *)path,
			 "-", NULL };

	return pdftotext(argv, b);
}

static char *pdftotext(char **argv, struct buf *b)
{
	int fds[2];
	pid_t pid;
	posix_spawn_file_actions_t fa;
	char chunk[4096];
	ssize_t n;
	int status;

	if (pipe(fds))
		return NULL;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, fds[1], 1);
	posix_spawn_file_actions_addclose(&fa, fds[0]);
	if (posix_spawnp(&pid, "pdftotext", &fa, NULL, argv, environ) != 0) {
		posix_spawn_file_actions_destroy(&fa);
		return NULL;
	}
	posix_spawn_file_actions_destroy(&fa);
	close(fds[1]);
	while ((n = read(fds[0], chunk, sizeof(chunk))) > 0)
		buf_add(b, chunk, (size_t)n);
	close(fds[0]);
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status))
		return NULL;
	buf_putc(b, 0);
	return b->p;
}

TEST(text_survives_into_the_pdf)
{
	struct arena a = { 0 };
	struct doc d;
	struct buf out = BUF_INIT, text = BUF_INIT;
	const char *why, *keep = getenv("VARN_DOC_PDF");
	char path[] = "/tmp/varn-test-doc-XXXXXX";
	char *s;
	int fd;

	long_doc(&d, &a, 300);
	ok(doc_pdf(&d, &out, NULL, &why) == 0, "renders");
	fd = mkstemp(path);
	ok(fd >= 0 && write(fd, out.p, out.len) == (ssize_t)out.len, "written to %s", path);
	close(fd);
	s = pdf_text(path, &text);
	ok(s != NULL, "pdftotext reads it");
	has_str(s, "Systemförteckning", "the title");
	has_str(s, "åäö ÅÄÖ – med tankstreck", "å ä ö and the en dash");
	has_str(s, "Sida 1 av ", "page 1 numbered");
	has_str(s, "Sida 2 av ", "page 2 numbered");
	has_str(s, "System nummer 0300", "a row of the last page");
	has_str(s, "Skyddsklass: intern", "the marking");
	has_str(s, "Exempelstads kommun", "the organisation");
	has_str(s, "Systemägare", "the signature block");
	if (keep)
		rename(path, keep);
	else
		unlink(path);
	buf_release(&text);
	buf_release(&out);
	arena_release(&a);
}

/* A long title in the page header gives way to the marking in the middle:
 * it is cut short with an ellipsis instead of written over it. */
TEST(a_long_title_leaves_room_for_the_marking)
{
	struct arena a = { 0 };
	struct doc d;
	struct buf out = BUF_INIT, text = BUF_INIT;
	const char *why;
	char path[] = "/tmp/varn-test-doc-XXXXXX";
	char *s;
	int fd;

	long_doc(&d, &a, 5);
	d.title = "Utkast: anmälan av personuppgiftsincident till Integritetsskyddsmyndigheten";
	d.marking = "Utkast – konfidentiellt";
	ok(doc_pdf(&d, &out, NULL, &why) == 0, "renders");
	fd = mkstemp(path);
	ok(fd >= 0 && write(fd, out.p, out.len) == (ssize_t)out.len, "written");
	close(fd);
	s = pdf_boxes(path, &text);
	{
		/* the marking's last word, and where the next word of the line
		 * (the title) begins */
		const char *m = s ? strstr(s, ">konfidentiellt</word>") : NULL;
		const char *line = m, *next = m ? strstr(m, "<word xMin=\"") : NULL;
		double mark_end = 0, title_start = 0;
		while (line && line > s && strncmp(line, "<word", 5) != 0)
			line--;
		ok(line && sscanf(line, "<word xMin=\"%*f\" yMin=\"%*f\" xMax=\"%lf\"",
				  &mark_end) == 1, "the marking is in the header");
		ok(next && sscanf(next, "<word xMin=\"%lf\"", &title_start) == 1,
		   "the title follows it");
		ok(title_start - mark_end >= 8, "with room between them (%.1f pt)",
		   title_start - mark_end);
	}
	unlink(path);
	buf_release(&text);
	buf_release(&out);
	arena_release(&a);
}

/* The soft hyphens of hyphenate.c, shown as "·" */
static const char *hyphenated(struct arena *a, const char *text)
{
	struct buf b = BUF_INIT, v = BUF_INIT;
	const char *out;

	doc_hyphenate(&b, text);
	for (const char *p = b.p; p && *p; p++) {
		if ((unsigned char)p[0] == 0xc2 && (unsigned char)p[1] == 0xad) {
			buf_puts(&v, "·");
			p++;
		} else {
			buf_putc(&v, *p);
		}
	}
	out = arena_strdup(a, v.p ? v.p : "");
	buf_release(&b);
	buf_release(&v);
	return out;
}

/* Swedish hyphenation from Debian's patterns (hyphen-sv): points inside
 * long words only, two letters at least on each side, å ä ö kept whole,
 * short words and what is not a word unchanged. */
TEST(swedish_hyphenation)
{
	struct arena a = { 0 };

	ok(doc_hyphenation_available(), "the Swedish patterns are installed (hyphen-sv)");
	is_str(hyphenated(&a, "informationssäkerhet"), "in·for·ma·tions·sä·ker·het",
	       "informationssäkerhet");
	is_str(hyphenated(&a, "Samhällsbyggnadsförvaltningen"),
	       hyphenated(&a, "Samhällsbyggnadsförvaltningen"), "the same twice");
	has_str(hyphenated(&a, "Samhällsbyggnadsförvaltningen"), "Sam·hälls·bygg",
		"a capital letter is hyphenated as its small one");
	is_str(hyphenated(&a, "Kansli och IT-enhet 2026"), "Kansli och IT-enhet 2026",
	       "short words, numbers and hyphens unchanged");
	is_str(hyphenated(&a, "Åsa Öberg – Söderström"), "Åsa Öberg – Söderström",
	       "names are left whole, an en dash and å ä ö pass through");
	is_str(hyphenated(&a, "Karin Söderström, verksamhetskritiskt"),
	       "Karin Söderström, verk·sam·hets·kri·tiskt", "a long compound after a name");
	is_str(hyphenated(&a, ""), "", "nothing stays nothing");
	arena_release(&a);
}

/* Every object the cross-reference table names starts where it says:
 * the count of entries that do not, or -1 when there is no table. */
static int xref_mismatches(const struct buf *pdf)
{
	const char *s = pdf->p, *sx = NULL, *p;
	size_t off, count;
	int bad = 0;

	for (p = s; (p = memmem(p, pdf->len - (size_t)(p - s), "startxref\n", 10)); p++)
		sx = p;
	if (!sx)
		return -1;
	off = strtoul(sx + 10, NULL, 10);
	if (off >= pdf->len || strncmp(s + off, "xref\n0 ", 7) != 0)
		return -1;
	count = strtoul(s + off + 7, (char **)&p, 10);
	p++;
	for (size_t i = 0; i < count; i++, p += 20) {
		char want[32];
		size_t at = strtoul(p, NULL, 10);
		if (p[17] != 'n')
			continue;
		snprintf(want, sizeof want, "%zu 0 obj", i);
		bad += at >= pdf->len || strncmp(s + at, want, strlen(want)) != 0;
	}
	return bad;
}

/* The document's language, which cairo 1.16 cannot write, is added to the
 * catalog with the cross-reference table moved to match (pdf_lang.c). */
TEST(the_pdf_declares_its_language)
{
	struct arena a = { 0 };
	struct doc d;
	struct buf out = BUF_INIT, copy = BUF_INIT;
	const char *why;

	long_doc(&d, &a, 120);
	ok(doc_pdf(&d, &out, NULL, &why) == 0, "renders");
	ok(memmem(out.p, out.len, "/Type /Catalog", 14) &&
	   memmem(out.p, out.len, "/Lang (sv-SE)", 13), "the catalog says sv-SE");
	is_int(xref_mismatches(&out), 0, "every object is where the table says");
	buf_add(&copy, out.p, out.len);
	is_int(pdf_set_lang(&copy, "sv-SE"), -1, "a second /Lang is not added");
	is_int((int)copy.len, (int)out.len, "and the file is left as it was");
	is_int(pdf_set_lang(&copy, "sv) /JS (x"), -1, "a language that is not a tag is refused");
	buf_release(&copy);
	buf_add(&copy, "%PDF-1.5\nnot a file cairo wrote\n", 32);
	is_int(pdf_set_lang(&copy, "sv-SE"), -1, "a file it does not recognise is left alone");
	buf_release(&copy);
	buf_release(&out);
	arena_release(&a);
}

TEST(a_failed_render_hands_out_nothing)
{
	struct arena a = { 0 };
	struct doc d;
	struct buf out = BUF_INIT;
	const char *why = NULL;

	long_doc(&d, &a, 10);
	buf_puts(&out, "before");
	doc_pdf_fail_next(1);
	ok(doc_pdf(&d, &out, NULL, &why) == -1 && why, "fails with a reason");
	is_int(out.len, 6, "the buffer holds what it held, no half file");
	ok(doc_pdf(&d, &out, NULL, &why) == 0, "the next render works");
	buf_release(&out);
	arena_release(&a);
}
static void *render_thread(void *arg)
{
	struct arena a = { 0 };
	struct doc d;
	struct doc_stats st;
	struct buf out = BUF_INIT;
	const char *why;
	int *pages = arg;

	long_doc(&d, &a, 120);
	*pages = doc_pdf(&d, &out, &st, &why) == 0 && out.len > 1000 ? st.pages : -1;
	buf_release(&out);
	arena_release(&a);
	return NULL;
}

/* The server renders in several worker threads at once (two slots):
 * pango's font map is per thread, cairo's surfaces are the renderer's. */
TEST(renders_in_threads_at_once)
{
	pthread_t t[4];
	int pages[4] = { 0 }, same = 1;

	for (int i = 0; i < 4; i++)
		pthread_create(&t[i], NULL, render_thread, &pages[i]);
	for (int i = 0; i < 4; i++) {
		pthread_join(t[i], NULL);
		if (pages[i] != pages[0])
			same = 0;
	}
	ok(pages[0] > 1 && same, "four threads render the same %d pages", pages[0]);
}

/* A picture block: the chart drawn with cairo, its text alternative and
 * its numbers as a table under it in the PDF; h_chart's SVG and table in
 * the print view; the same words in both. */
TEST(picture_in_pdf_and_print_view)
{
	static const char *const aspects[] = { "Konfidentialitet", "Riktighet" };
	static const double v[] = { 1234, 7 };
	struct arena a = { 0 };
	struct doc d;
	struct chart *c;
	struct buf out = BUF_INIT, text = BUF_INIT, page = BUF_INIT;
	struct html h = { &page, NULL };
	char path[] = "/tmp/varn-test-doc-pic-XXXXXX";
	const char *why, *s;
	int fd;

	doc_init(&d, &a);
	d.title = "Lägesbild";
	d.org = "Exempelstads kommun";
	d.date = "2026-12-05";
	c = chart_new(&a, CHART_BAR, "ch-doc");
	c->title = "Skyddsnivåer per aspekt";
	c->alt = "Flest system har konfidentialitet som högsta aspekt.";
	c->cat_title = "Aspekt";
	c->cats = aspects;
	c->ncat = 2;
	chart_add_series(&a, c, "System", v);
	doc_heading(&d, 1, "Bild");
	doc_picture(&d, c);
	ok(doc_pdf(&d, &out, NULL, &why) == 0, "a document with a picture renders");
	fd = mkstemp(path);
	ok(fd >= 0 && write(fd, out.p, out.len) == (ssize_t)out.len, "written");
	close(fd);
	s = pdf_text(path, &text);
	if (getenv("VARN_DOC_PIC_PDF"))
		rename(path, getenv("VARN_DOC_PIC_PDF"));
	else
		unlink(path);
	has_str(s, "Flest system har konfidentialitet", "the text alternative under the picture");
	has_str(s, "Riktighet", "the numbers' table: a category");
	h_doc(&h, &d);
	buf_putc(&page, 0);
	has_str(page.p, "<svg", "the print view draws the picture as SVG");
	has_str(page.p, "Flest system har konfidentialitet", "with the same text alternative");
	has_str(page.p, "<h2 id=", "headings with anchors");
	buf_release(&page);
	buf_release(&text);
	buf_release(&out);
	arena_release(&a);
}

int main(void)
{
	return tap_run();
}
