/* test_csv.c - CSV reading (Excel's dialects, errors) and writing. */
#include "base/base.h"

#include "parse/csv.h"
#include "tap.h"

static struct arena ar = ARENA_INIT;
static struct csv csv;
static struct csv_error err;

/* A source that gives at most step bytes a call, so that every row and
 * field is cut by a chunk's end somewhere. */
struct trickle {
	const char *s;
	size_t len, at, step;
};

static long trickle_read(void *arg, char *dst, size_t cap)
{
	struct trickle *t = arg;
	size_t n = t->len - t->at;

	if (n > t->step)
		n = t->step;
	if (n > cap)
		n = cap;
	memcpy(dst, t->s + t->at, n);
	t->at += n;
	return (long)n;
}

static int trickle_rewind(void *arg)
{
	((struct trickle *)arg)->at = 0;
	return 0;
}

static int mismatches;

/* Reads s a row at a time, step bytes a chunk (twice: the second time
 * after a rewind), and compares with what csv_parse() said. */
static void same_streamed(const char *s, size_t len, char sep, size_t max_rows, size_t max_cols,
			  int rc, size_t step)
{
	struct trickle t = { s, len, 0, step };
	struct csv_source src = { trickle_read, trickle_rewind, &t };
	struct csv_reader *r = csv_reader_source(&src, sep, max_rows, max_cols);
	struct csv_error e2;
	struct csv_row row;
	int got;

	for (int pass = 0; pass < 2; pass++) {
		size_t k = 0;

		if (pass && csv_rewind(r) != 0)
			mismatches++;
		while ((got = csv_next(r, &ar, &row, &e2)) > 0) {
			if (rc != 0)
				continue; /* the rows before the error come */
			if (k >= csv.n || row.n != csv.rows[k].n || row.line != csv.rows[k].line)
				mismatches++;
			for (size_t c = 0; k < csv.n && c < row.n && c < csv.rows[k].n; c++)
				if (strcmp(row.cells[c], csv.rows[k].cells[c]) != 0)
					mismatches++;
			k++;
		}
		if (rc == 0 && (got != 0 || k != csv.n || csv_separator(r) != csv.sep))
			mismatches++;
		if (rc != 0 && (got != -1 || e2.line != err.line ||
				strcmp(e2.msg_sv, err.msg_sv) != 0 ||
				strcmp(e2.msg_en, err.msg_en) != 0)) {
			printf("# streamed %zu at a time: %s (want %s)\n", step,
			       got < 0 ? e2.msg_en : "no error", err.msg_en);
			mismatches++;
		}
		if (got == 0 && csv_offset(r) != len)
			mismatches++;
	}
	csv_reader_free(r);
}

static int parse_n(const char *s, size_t len, char sep, size_t max_rows, size_t max_cols)
{
	int rc = csv_parse(&ar, s, len, sep, max_rows, max_cols, &csv, &err);

	same_streamed(s, len, sep, max_rows, max_cols, rc, 1);
	same_streamed(s, len, sep, max_rows, max_cols, rc, 7);
	same_streamed(s, len, sep, max_rows, max_cols, rc, 1 << 20);
	return rc;
}

static int parse(const char *s, char sep)
{
	return parse_n(s, strlen(s), sep, 1000, 50);
}

static const char *cell(size_t r, size_t c)
{
	if (r >= csv.n || c >= csv.rows[r].n)
		return "(out of range)";
	return csv.rows[r].cells[c];
}

TEST(semicolon)
{
	ok(parse("Namn;Ägare;Värde\r\nServer;IT-enheten;3\r\nKlient;Skolan;1\r\n", 0) == 0,
	   "Swedish Excel CSV");
	is_int(csv.sep, ';', "';' detected");
	is_int(csv.n, 3, "three rows, header included");
	is_str(cell(0, 1), "Ägare", "header cell");
	is_str(cell(2, 2), "1", "last cell");
	is_int(csv.rows[2].n, 3, "three cells");
	is_int(csv.rows[2].line, 3, "line numbers");
}

TEST(comma_and_lf)
{
	ok(parse("a,b,c\n1,2,3", 0) == 0, "comma, LF, no final newline");
	is_int(csv.sep, ',', "',' detected");
	is_int(csv.n, 2, "two rows");
	is_str(cell(1, 2), "3", "last cell without a newline");
	ok(parse("\"x;y\",b,c\n1,2,3\n", 0) == 0 && csv.sep == ',',
	   "separators inside quotes do not count");
	ok(parse("Namn;Beskrivning, kort\nA;B, C\n", 0) == 0 && csv.sep == ';',
	   "';' wins a tie");
	is_str(cell(1, 1), "B, C", "comma is data with ';'");
	ok(parse("a,b;c\n", ';') == 0 && csv.n == 1 && csv.rows[0].n == 2,
	   "explicit sep overrides detection");
	ok(parse("a\tb\tc\n", 0) == 0 && csv.sep == '\t' && csv.rows[0].n == 3,
	   "tab when there is neither ; nor ,");
	ok(parse("ensam\nkolumn\n", 0) == 0 && csv.sep == ';' && csv.n == 2,
	   "one column");
}

TEST(quotes)
{
	ok(parse("a;b\n\"Hon sa \"\"hej\"\"\";\"x;y\"\n", 0) == 0, "quoted fields");
	is_str(cell(1, 0), "Hon sa \"hej\"", "\"\" is a quote");
	is_str(cell(1, 1), "x;y", "separator inside quotes");
	ok(parse("a;b\r\n\"rad 1\r\nrad 2\nrad 3\";z\r\nnästa;rad\r\n", 0) == 0,
	   "embedded newlines");
	is_str(cell(1, 0), "rad 1\nrad 2\nrad 3", "line breaks become LF");
	is_int(csv.rows[2].line, 5, "lines inside quotes are counted");
	ok(parse("\"\";\"\"\"\"\n", 0) == 0, "empty and quote-only fields");
	is_str(cell(0, 1), "\"", "\"\"\"\" is one quote");
	ok(parse("a;;c;\n", 0) == 0 && csv.rows[0].n == 4, "empty cells kept");
	is_str(cell(0, 3), "", "trailing separator makes an empty cell");
}

TEST(bom_blank_lines)
{
	ok(parse("\xEF\xBB\xBFNamn;Typ\n", 0) == 0, "BOM");
	is_str(cell(0, 0), "Namn", "BOM is not part of the first cell");
	ok(parse("\n\r\nNamn;Typ\n;;\n\nA;B\n;\n", 0) == 0, "blank and ';;' lines");
	is_int(csv.n, 2, "blank rows skipped");
	is_int(csv.rows[0].line, 3, "header found on line 3");
	is_int(csv.rows[1].line, 6, "row on line 6");
	ok(parse("a\rb\rc", 0) == 0 && csv.n == 3 && csv.rows[2].line == 3,
	   "old Mac CR line ends");
}

TEST(errors)
{
	ok(parse("", 0) < 0, "empty file");
	has_str(err.msg_sv, "inga rader", "Swedish message");
	ok(parse("\xEF\xBB\xBF\r\n;;\r\n", 0) < 0, "only a BOM and blank rows");
	ok(parse("a;b\nc;d\"e\n", 0) < 0, "quote in an unquoted field");
	is_int(err.line, 2, "on line 2");
	has_str(err.msg_sv, "Rad 2:", "message starts with the line");
	has_str(err.msg_en, "line 2:", "English message too");
	ok(parse("a;b\n\"x\"y;z\n", 0) < 0, "text after a closing quote");
	is_int(err.line, 2, "on line 2");
	ok(parse("a;b\n1;2\n\"open\n\n\n", 0) < 0, "unterminated quote");
	is_int(err.line, 3, "reported where the quote starts");
	has_str(err.msg_sv, "avslutas aldrig", "and says so");
	ok(parse("Namn;Ort\nKalle;G\xF6teborg\n", 0) < 0, "Windows-1252 ö");
	is_int(err.line, 2, "on line 2");
	has_str(err.msg_sv, "UTF-8", "tells to save as UTF-8");
	ok(parse("a\r\nb\r\n\"c\nd\"\r\n\xC3(\r\n", 0) < 0, "invalid UTF-8 on line 5");
	is_int(err.line, 5, "CRLF and quoted newlines counted");
	ok(parse_n("a;b\nc\0d\n", 8, 0, 10, 10) < 0, "NUL byte");
	has_str(err.msg_sv, "styrtecken", "control character message");
	is_int(err.line, 2, "NUL on line 2");
	ok(csv.n == 0 && csv.rows == NULL, "no rows after an error");
}

TEST(limits)
{
	struct buf b = BUF_INIT;

	ok(parse_n("a\nb\nc\n", 6, 0, 3, 5) == 0, "exactly max_rows");
	ok(parse_n("a\nb\nc\nd\n", 8, 0, 3, 5) < 0, "max_rows + 1");
	is_int(err.line, 4, "error on the row too many");
	has_str(err.msg_sv, "fler än 3 rader", "says the limit");
	ok(parse_n("a;b;c\n", 6, 0, 3, 3) == 0, "exactly max_cols");
	ok(parse_n("a;b\na;b;c;d\n", 12, 0, 3, 3) < 0, "max_cols + 1");
	is_int(err.line, 2, "on line 2");
	has_str(err.msg_sv, "fler än 3 kolumner", "says the limit");
	buf_putc(&b, '"');
	for (int i = 0; i < 65536; i++)
		buf_putc(&b, 'x');
	buf_puts(&b, "\"\n");
	ok(parse(b.p, 0) == 0 && strlen(cell(0, 0)) == 65536, "a 64 KiB field");
	buf_reset(&b);
	buf_puts(&b, "h\n");
	for (int i = 0; i < 65537; i++)
		buf_putc(&b, 'x');
	ok(parse(b.p, 0) < 0, "a field of 64 KiB + 1 (unquoted)");
	is_int(err.line, 2, "on line 2");
	has_str(err.msg_sv, "längre än 65536", "too long");
	buf_release(&b);
}

/* Every file above, read a row at a time in chunks of 1, 7 and 1 MiB
 * bytes (and again after a rewind), said the same as csv_parse(). */
TEST(streamed_the_same)
{
	is_int(mismatches, 0, "the reader agrees with csv_parse on every file");
}

/* A long file through a reader: its rows come one at a time and memory
 * stays that of a row and a chunk (the arena is the caller's). */
TEST(streamed_long)
{
	struct buf b = BUF_INIT;
	struct csv_row row;
	struct csv_reader *r;
	size_t n = 0, last = 0;
	int got;

	buf_init(&b, 16u << 20);
	buf_puts(&b, "\xEF\xBB\xBFNamn;Beskrivning\r\n");
	for (int i = 0; i < 100000; i++)
		buf_printf(&b, "System %d;\"rad ett\r\nrad två \"\"%d\"\"\"\r\n", i, i);
	ok(buf_ok(&b), "a file of 100,000 rows");
	{
		struct trickle t = { b.p, b.len, 0, 65536 };
		struct csv_source src = { trickle_read, trickle_rewind, &t };
		r = csv_reader_source(&src, 0, 0, 10);
		while ((got = csv_next(r, &ar, &row, &err)) > 0) {
			n++;
			last = row.line;
			if (n == 50001)
				is_str(row.cells[1], "rad ett\nrad två \"49999\"", "a row's cells");
		}
		is_int(got, 0, "read to the end");
		is_int(n, 100001, "every row and the header");
		is_int(last, 200000, "the last row on line 200,000");
		is_int(csv_offset(r), b.len, "the whole file");
		csv_reader_free(r);
	}
	/* a bad byte at the very end: reported with its line */
	buf_puts(&b, "Sist;G\xF6teborg\r\n");
	{
		struct trickle t = { b.p, b.len, 0, 65536 };
		struct csv_source src = { trickle_read, trickle_rewind, &t };
		r = csv_reader_source(&src, 0, 0, 10);
		n = 0;
		while ((got = csv_next(r, &ar, &row, &err)) > 0)
			n++;
		is_int(got, -1, "a Windows-1252 ö at the end");
		is_int(err.line, 200002, "on its line");
		ok(n >= 90000, "after the rows before it");
		ok(csv_next(r, &ar, &row, &err) == -1 && err.line == 200002, "and again");
		csv_reader_free(r);
	}
	buf_release(&b);
}

TEST(write)
{
	struct buf b = BUF_INIT;

	csv_write_bom(&b);
	csv_write_cell(&b, "Namn", 1);
	csv_write_cell(&b, "Beskrivning", 0);
	csv_end_row(&b);
	csv_write_cell(&b, "Åsa \"Ö\"", 1);
	csv_write_cell(&b, "a;b,c\nd", 0);
	csv_write_cell(&b, NULL, 0);
	csv_end_row(&b);
	is_str(b.p, "\xEF\xBB\xBFNamn;Beskrivning\r\n\"Åsa \"\"Ö\"\"\";\"a;b,c\nd\";\r\n",
	       "BOM, ';', CRLF and quoting");
	ok(csv_parse(&ar, b.p, b.len, 0, 10, 10, &csv, &err) == 0, "reads back");
	is_str(cell(1, 0), "Åsa \"Ö\"", "quotes survive");
	is_str(cell(1, 1), "a;b,c\nd", "separators and newline survive");
	buf_release(&b);
}

static const char *one_cell(struct buf *b, const char *s)
{
	buf_reset(b);
	csv_write_cell(b, s, 1);
	return b->p;
}

TEST(injection)
{
	struct buf b = BUF_INIT;

	is_str(one_cell(&b, "=HYPERLINK(\"http://x\")"), "\"'=HYPERLINK(\"\"http://x\"\")\"",
	       "= is guarded (inside the quotes)");
	is_str(one_cell(&b, "=1+1"), "'=1+1", "=");
	is_str(one_cell(&b, "+cmd|' /C calc'!A0"), "'+cmd|' /C calc'!A0", "+");
	is_str(one_cell(&b, "-2+3"), "'-2+3", "- with a formula");
	is_str(one_cell(&b, "@SUM(A1)"), "'@SUM(A1)", "@");
	is_str(one_cell(&b, "\t=1"), "\"'\t=1\"", "tab (quoted too)");
	is_str(one_cell(&b, "\r=1"), "\"'\r=1\"", "CR (quoted too)");
	is_str(one_cell(&b, "-12"), "-12", "a negative number is left alone");
	is_str(one_cell(&b, "-3,5"), "\"-3,5\"", "a decimal with comma is left alone");
	is_str(one_cell(&b, "+46701234567"), "+46701234567", "a phone number");
	is_str(one_cell(&b, "-"), "'-", "a lone minus is guarded");
	is_str(one_cell(&b, "a=1"), "a=1", "= later in the text is fine");
	is_str(one_cell(&b, ""), "", "empty");
	buf_release(&b);
	arena_release(&ar);
}

int main(void)
{
	return tap_run();
}
