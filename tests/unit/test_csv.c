/* test_csv.c - CSV reading (Excel's dialects, errors) and writing. */
#include "base/base.h"

#include "parse/csv.h"
#include "tap.h"

static struct arena ar = ARENA_INIT;
static struct csv csv;
static struct csv_error err;

static int parse(const char *s, char sep)
{
	return csv_parse(&ar, s, strlen(s), sep, 1000, 50, &csv, &err);
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
	ok(csv_parse(&ar, "a;b\nc\0d\n", 8, 0, 10, 10, &csv, &err) < 0, "NUL byte");
	has_str(err.msg_sv, "styrtecken", "control character message");
	is_int(err.line, 2, "NUL on line 2");
	ok(csv.n == 0 && csv.rows == NULL, "no rows after an error");
}

TEST(limits)
{
	struct buf b = BUF_INIT;

	ok(csv_parse(&ar, "a\nb\nc\n", 6, 0, 3, 5, &csv, &err) == 0, "exactly max_rows");
	ok(csv_parse(&ar, "a\nb\nc\nd\n", 8, 0, 3, 5, &csv, &err) < 0, "max_rows + 1");
	is_int(err.line, 4, "error on the row too many");
	has_str(err.msg_sv, "fler än 3 rader", "says the limit");
	ok(csv_parse(&ar, "a;b;c\n", 6, 0, 3, 3, &csv, &err) == 0, "exactly max_cols");
	ok(csv_parse(&ar, "a;b\na;b;c;d\n", 12, 0, 3, 3, &csv, &err) < 0, "max_cols + 1");
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
