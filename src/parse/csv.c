/* csv.c - CSV as Swedish Excel reads and writes it; see csv.h.
 *
 * Reading details the header leaves open:
 *  - max_rows counts every row returned, the header row included.
 *  - Rows whose cells are all empty (blank lines, and the ";;;" lines Excel
 *    writes for empty sheet rows) are skipped and not counted.
 *  - Line breaks inside quoted fields (CRLF, CR or LF) become "\n".
 *  - Rows may have fewer or more cells than the header (up to max_cols); the
 *    importer decides what a short row means.
 *  - A file with no rows at all is an error, so rows[0] always exists.
 *  - Error messages are whole sentences starting "Rad N:", ready to show.
 */
#include "base/base.h"

#include "base/utf8.h"
#include "parse/csv.h"

#define CSV_FIELD_MAX ((size_t)64 * 1024)

struct parser {
	struct arena *a;
	const char *p, *end;
	char sep;
	size_t line;
	size_t max_rows, max_cols;
	struct buf field;
	const char **cells; /* the row being read (heap) */
	size_t ncells, cells_alloc;
	struct csv_row *rows; /* heap until the end */
	size_t nrows, rows_alloc;
	struct csv_error *err;
};

static int fail(struct parser *ps, size_t line, const char *sv, const char *en)
{
	if (ps->err) {
		ps->err->line = line;
		ps->err->msg_sv = arena_printf(ps->a, "Rad %zu: %s", line, sv);
		ps->err->msg_en = arena_printf(ps->a, "line %zu: %s", line, en);
	}
	return -1;
}

/* A line break at p (CRLF, LF or a lone CR): its length, or 0. */
static size_t eol_len(const char *p, const char *end)
{
	if (p < end && *p == '\n')
		return 1;
	if (p < end && *p == '\r')
		return p + 1 < end && p[1] == '\n' ? 2 : 1;
	return 0;
}

/* Reports the first byte that is not valid UTF-8 text, with its line. */
static int check_encoding(struct parser *ps)
{
	const char *s = ps->p;
	size_t n = (size_t)(ps->end - s), bad = utf8_valid_prefix(s, n), line = 1;
	const unsigned char *u;

	if (bad == n)
		return 0;
	for (const char *q = s; q < s + bad;) {
		size_t e = eol_len(q, s + bad);

		line += e > 0;
		q += e ? e : 1;
	}
	/* Bytes below 0x80 and C1 code points are control characters; the
	 * rest is an encoding error, nearly always a Windows-1252 export. */
	u = (const unsigned char *)s + bad;
	if (u[0] < 0x80 || (u[0] == 0xC2 && bad + 1 < n && u[1] >= 0x80 &&
			    u[1] <= 0x9F))
		return fail(ps, line,
			    "filen innehåller ett otillåtet styrtecken.",
			    "the file contains a control character.");
	return fail(ps, line,
		    "filen är inte sparad som UTF-8. Spara den i Excel som "
		    "”CSV UTF-8 (kommaavgränsad)” och försök igen.",
		    "the file is not UTF-8. Save it from Excel as "
		    "\"CSV UTF-8 (Comma delimited)\" and try again.");
}

/* Picks the separator from the first non-empty line outside quotes:
 * ';' (Swedish Excel) unless ',' is more common, tab if neither occurs. */
static char detect_sep(const char *p, const char *end)
{
	size_t semi = 0, comma = 0, tab = 0, seen = 0;
	int quoted = 0;

	for (; p < end; p++) {
		char c = *p;

		if (c == '"')
			quoted = !quoted;
		else if (quoted)
			continue;
		else if (c == '\n' || c == '\r') {
			if (seen)
				break;
			continue;
		} else if (c == ';')
			semi++;
		else if (c == ',')
			comma++;
		else if (c == '\t')
			tab++;
		seen++;
	}
	if (comma > semi)
		return ',';
	if (semi == 0 && comma == 0 && tab > 0)
		return '\t';
	return ';';
}

static int field_add(struct parser *ps, const char *s, size_t n)
{
	if (buf_add(&ps->field, s, n) < 0)
		return fail(ps, ps->line, "ett fält är längre än 65536 byte.",
			    "a field is longer than 65536 bytes.");
	return 0;
}

/* Reads a quoted field; ps->p is just past the opening quote. */
static int read_quoted(struct parser *ps)
{
	size_t start_line = ps->line;

	for (;;) {
		const char *q = ps->p;
		size_t e;

		while (q < ps->end && *q != '"' && *q != '\r' && *q != '\n')
			q++;
		if (field_add(ps, ps->p, (size_t)(q - ps->p)) < 0)
			return -1;
		ps->p = q;
		if (q == ps->end)
			return fail(ps, start_line,
				    "ett citattecken (\") som börjar här "
				    "avslutas aldrig.",
				    "a quote (\") starting here is never closed.");
		e = eol_len(q, ps->end);
		if (e) {
			if (field_add(ps, "\n", 1) < 0)
				return -1;
			ps->line++;
			ps->p += e;
			continue;
		}
		if (q + 1 < ps->end && q[1] == '"') {
			if (field_add(ps, "\"", 1) < 0)
				return -1;
			ps->p += 2;
			continue;
		}
		ps->p++; /* the closing quote */
		break;
	}
	if (ps->p < ps->end && *ps->p != ps->sep && !eol_len(ps->p, ps->end))
		return fail(ps, ps->line,
			    "text efter ett avslutande citattecken. Skriv \"\" "
			    "för ett citattecken inuti ett fält.",
			    "text after a closing quote. Write \"\" for a quote "
			    "inside a field.");
	return 0;
}

static int read_plain(struct parser *ps)
{
	const char *q = ps->p;

	while (q < ps->end && *q != ps->sep && *q != '\r' && *q != '\n') {
		if (*q == '"')
			return fail(ps, ps->line,
				    "citattecken (\") mitt i ett fält som inte "
				    "börjar med citattecken.",
				    "quote (\") inside an unquoted field.");
		q++;
	}
	if (field_add(ps, ps->p, (size_t)(q - ps->p)) < 0)
		return -1;
	ps->p = q;
	return 0;
}

static int push_cell(struct parser *ps)
{
	if (ps->ncells == ps->max_cols) {
		const char *sv = arena_printf(ps->a,
			"raden har fler än %zu kolumner.", ps->max_cols);
		const char *en = arena_printf(ps->a,
			"the row has more than %zu columns.", ps->max_cols);

		return fail(ps, ps->line, sv, en);
	}
	if (ps->ncells == ps->cells_alloc) {
		ps->cells_alloc = ps->cells_alloc ? 2 * ps->cells_alloc : 16;
		ps->cells = xrealloc(ps->cells,
				     ps->cells_alloc * sizeof(*ps->cells));
	}
	/* Empty cells share one "": blank-line floods cost no memory. */
	ps->cells[ps->ncells++] = ps->field.len
		? arena_strndup(ps->a, ps->field.p, ps->field.len) : "";
	return 0;
}

static int push_row(struct parser *ps, size_t line)
{
	struct csv_row *r;
	size_t i;

	for (i = 0; i < ps->ncells && !*ps->cells[i]; i++)
		;
	if (i == ps->ncells)
		return 0; /* all empty: skipped */
	if (ps->nrows == ps->max_rows) {
		const char *sv = arena_printf(ps->a,
			"filen har fler än %zu rader.", ps->max_rows);
		const char *en = arena_printf(ps->a,
			"the file has more than %zu rows.", ps->max_rows);

		return fail(ps, line, sv, en);
	}
	if (ps->nrows == ps->rows_alloc) {
		ps->rows_alloc = ps->rows_alloc ? 2 * ps->rows_alloc : 64;
		ps->rows = xrealloc(ps->rows,
				    ps->rows_alloc * sizeof(*ps->rows));
	}
	r = &ps->rows[ps->nrows++];
	r->n = ps->ncells;
	r->line = line;
	r->cells = arena_alloc(ps->a, ps->ncells * sizeof(*r->cells));
	memcpy(r->cells, ps->cells, ps->ncells * sizeof(*r->cells));
	return 0;
}

static int read_row(struct parser *ps)
{
	size_t line = ps->line, e;

	ps->ncells = 0;
	for (;;) {
		int r;

		buf_reset(&ps->field);
		if (ps->p < ps->end && *ps->p == '"') {
			ps->p++;
			r = read_quoted(ps);
		} else {
			r = read_plain(ps);
		}
		if (r < 0 || push_cell(ps) < 0)
			return -1;
		if (ps->p < ps->end && *ps->p == ps->sep) {
			ps->p++;
			continue;
		}
		break;
	}
	e = eol_len(ps->p, ps->end);
	if (e) {
		ps->p += e;
		ps->line++;
	}
	return push_row(ps, line);
}

int csv_parse(struct arena *a, const char *data, size_t len, char sep,
	      size_t max_rows, size_t max_cols, struct csv *out,
	      struct csv_error *err)
{
	struct parser ps = {
		.a = a, .line = 1,
		.max_rows = max_rows, .max_cols = max_cols, .err = err,
	};
	int ret = -1;

	if (!data) {
		data = "";
		len = 0;
	}
	ps.p = data;
	ps.end = data + len;
	buf_init(&ps.field, CSV_FIELD_MAX);
	out->rows = NULL;
	out->n = 0;
	out->sep = 0;
	if (err)
		memset(err, 0, sizeof(*err));
	if (sep && sep != ',' && sep != ';' && sep != '\t')
		BUG("csv_parse: separator '%c'", sep);
	if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
		ps.p += 3;
	if (check_encoding(&ps) < 0)
		goto out;
	ps.sep = sep ? sep : detect_sep(ps.p, ps.end);
	while (ps.p < ps.end)
		if (read_row(&ps) < 0)
			goto out;
	if (ps.nrows == 0) {
		fail(&ps, 1, "filen innehåller inga rader.",
		     "the file contains no rows.");
		goto out;
	}
	out->rows = arena_alloc(a, ps.nrows * sizeof(*out->rows));
	memcpy(out->rows, ps.rows, ps.nrows * sizeof(*out->rows));
	out->n = ps.nrows;
	out->sep = ps.sep;
	ret = 0;
out:
	buf_release(&ps.field);
	free(ps.cells);
	free(ps.rows);
	return ret;
}

void csv_write_bom(struct buf *b)
{
	buf_add(b, "\xEF\xBB\xBF", 3);
}

/* "-12", "+46701234567", "3,5": a spreadsheet reads these as numbers, never
 * as formulas, so they need no guard (and a guard would show as "'-12"). */
static int is_plain_number(const char *s)
{
	size_t digits = 0;

	if (*s == '-' || *s == '+')
		s++;
	for (; *s >= '0' && *s <= '9'; s++)
		digits++;
	if (digits && (*s == ',' || *s == '.')) {
		s++;
		digits = 0;
		for (; *s >= '0' && *s <= '9'; s++)
			digits++;
	}
	return digits && !*s;
}

static int needs_guard(const char *s)
{
	return (*s == '=' || *s == '+' || *s == '-' || *s == '@' ||
		*s == '\t' || *s == '\r') && !is_plain_number(s);
}

void csv_write_cell(struct buf *b, const char *s, int first_in_row)
{
	int quote;

	if (!s)
		s = "";
	if (!first_in_row)
		buf_putc(b, ';');
	/* ',' and tab are quoted too, so that the file reads the same
	 * whichever separator a reader guesses. */
	quote = strpbrk(s, ";,\t\"\r\n") != NULL;
	if (quote)
		buf_putc(b, '"');
	if (needs_guard(s))
		buf_putc(b, '\'');
	if (!quote) {
		buf_puts(b, s);
		return;
	}
	for (const char *q; (q = strchr(s, '"')); s = q + 1) {
		buf_add(b, s, (size_t)(q - s) + 1);
		buf_putc(b, '"');
	}
	buf_puts(b, s);
	buf_putc(b, '"');
}

void csv_end_row(struct buf *b)
{
	buf_add(b, "\r\n", 2);
}
