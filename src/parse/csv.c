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
 *
 * Reading a row at a time: the reader keeps a buffer of the file from the
 * start of the row being read.  The parser works on its UTF-8-checked part;
 * when a row goes on past it (MORE), the rows before are dropped, the next
 * chunk is read and the row is read again from its start (a long row reads
 * as much again as it has, so this stays linear).  A row is at most
 * max_cols fields of 64 KiB, so the buffer is too.
 */
#include "base/base.h"

#include "base/utf8.h"
#include "parse/csv.h"

#define CSV_FIELD_MAX ((size_t)64 * 1024)
/* What a reader asks its source for at a time. */
#define CSV_CHUNK ((size_t)64 * 1024)
/* The first line is looked at for the separator up to this much. */
#define CSV_SEP_SCAN ((size_t)1 << 20)

enum { MORE = -2 }; /* the row goes on past what is buffered */

struct csv_reader {
	struct arena *a;     /* the current call's: cells and messages */
	struct csv_source src; /* read NULL: the whole file is data */
	char *own;           /* the buffer (a source's), or NULL */
	const char *data;    /* the bytes buffered: data[0..len) */
	size_t len, cap;
	size_t vend;         /* data[0..vend) is valid UTF-8 text */
	size_t vline;        /* the line at vend */
	int vcr;             /* data[vend - 1] was a CR */
	size_t base;         /* the file's offset of data[0] */
	int eof;             /* the source has nothing more */
	int started;         /* BOM and separator done */
	const char *p, *end; /* the parser's position; end = data + vend */
	char sep, want_sep;
	size_t line;
	size_t max_rows, max_cols;
	size_t nrows;        /* rows returned */
	struct buf field;    /* the field being read */
	struct buf row;      /* the row's fields so far, each ending in a NUL */
	size_t ncells;
	struct csv_error *err;
	int failed;          /* an error was returned: the same again */
	struct csv_error failure;
};

static int fail(struct csv_reader *ps, size_t line, const char *sv, const char *en)
{
	ps->failed = 1;
	ps->failure.line = line;
	ps->failure.msg_sv = arena_printf(ps->a, "Rad %zu: %s", line, sv);
	ps->failure.msg_en = arena_printf(ps->a, "line %zu: %s", line, en);
	if (ps->err)
		*ps->err = ps->failure;
	return -1;
}

/* The parser is at the end of what is buffered but not of the file. */
static int more(const struct csv_reader *ps, const char *q)
{
	return q >= ps->end && !(ps->eof && ps->vend == ps->len);
}

/* A line break at p (CRLF, LF or a lone CR): its length, 0, or MORE for
 * a CR that the next, not yet read byte decides. */
static int eol_at(const struct csv_reader *ps, const char *p)
{
	if (p < ps->end && *p == '\n')
		return 1;
	if (p < ps->end && *p == '\r') {
		if (p + 1 < ps->end)
			return p[1] == '\n' ? 2 : 1;
		return more(ps, p + 1) ? MORE : 1;
	}
	return 0;
}

/* The line breaks in s[0..n), a CRLF split by a chunk counted once. */
static size_t count_breaks(const char *s, size_t n, int *cr)
{
	size_t lines = 0;

	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\r')
			lines++;
		else if (s[i] == '\n' && !*cr)
			lines++;
		*cr = s[i] == '\r';
	}
	return lines;
}

/* Checks the newly buffered bytes data[vend..len) and moves vend past the
 * valid ones; a sequence cut by the chunk's end waits for the next chunk.
 * Reports the first byte that is not valid UTF-8 text, with its line. */
static int check_encoding(struct csv_reader *ps)
{
	const char *s = ps->data + ps->vend;
	size_t n = ps->len - ps->vend, bad = utf8_valid_prefix(s, n), line;
	const unsigned char *u = (const unsigned char *)s + bad;

	if (bad < n && !ps->eof && n - bad < 4 && u[0] >= 0xC2) {
		/* perhaps the start of a character the next chunk ends */
		size_t k = 1;
		while (k < n - bad && (u[k] & 0xC0) == 0x80)
			k++;
		if (k == n - bad && !(u[0] == 0xC2 && k > 1 && u[1] <= 0x9F)) {
			ps->vline += count_breaks(s, bad, &ps->vcr);
			ps->vend += bad;
			return 0;
		}
	}
	line = ps->vline + count_breaks(s, bad, &ps->vcr);
	ps->vend += bad;
	ps->vline = line;
	if (bad == n)
		return 0;
	/* Bytes below 0x80 and C1 code points are control characters; the
	 * rest is an encoding error, nearly always a Windows-1252 export. */
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

/* Reads more of the source behind what is buffered, keeping data[keep..]
 * (the row being read) and dropping what is before it.  0, or -1. */
static int refill(struct csv_reader *ps, size_t keep)
{
	size_t want, got = 0;
	long n;

	if (!ps->src.read || ps->eof)
		BUG("csv: refill at the end");
	/* drop the rows already read */
	if (keep) {
		memmove(ps->own, ps->own + keep, ps->len - keep);
		ps->len -= keep;
		ps->vend -= keep;
		ps->base += keep;
	}
	/* a long row: read as much again as it has, so that rereading it
	 * from its start stays linear */
	want = ps->len > CSV_CHUNK ? ps->len : CSV_CHUNK;
	if (ps->len + want > ps->cap) {
		ps->cap = ps->len + want;
		ps->own = xrealloc(ps->own, ps->cap);
	}
	ps->data = ps->own;
	n = ps->src.read(ps->src.arg, ps->own + ps->len, want);
	if (n < 0)
		return fail(ps, ps->vline, "filen kunde inte läsas.",
			    "the file could not be read.");
	if (n == 0)
		ps->eof = 1;
	else
		got = (size_t)n;
	ps->len += got;
	return check_encoding(ps);
}

/* Picks the separator from the first non-empty line outside quotes:
 * ';' (Swedish Excel) unless ',' is more common, tab if neither occurs.
 * 0 when the line goes on past end and more may come. */
static char detect_sep(const char *p, const char *end, int final)
{
	size_t semi = 0, comma = 0, tab = 0, seen = 0;
	int quoted = 0, ended = 0;

	for (; p < end; p++) {
		char c = *p;

		if (c == '"')
			quoted = !quoted;
		else if (quoted)
			continue;
		else if (c == '\n' || c == '\r') {
			if (seen) {
				ended = 1;
				break;
			}
			continue;
		} else if (c == ';')
			semi++;
		else if (c == ',')
			comma++;
		else if (c == '\t')
			tab++;
		seen++;
	}
	if (!ended && !final)
		return 0;
	if (comma > semi)
		return ',';
	if (semi == 0 && comma == 0 && tab > 0)
		return '\t';
	return ';';
}

static int field_add(struct csv_reader *ps, const char *s, size_t n)
{
	if (buf_add(&ps->field, s, n) < 0)
		return fail(ps, ps->line, "ett fält är längre än 65536 byte.",
			    "a field is longer than 65536 bytes.");
	return 0;
}

/* Reads a quoted field; ps->p is just past the opening quote. */
static int read_quoted(struct csv_reader *ps)
{
	size_t start_line = ps->line;
	int e;

	for (;;) {
		const char *q = ps->p;

		while (q < ps->end && *q != '"' && *q != '\r' && *q != '\n')
			q++;
		if (field_add(ps, ps->p, (size_t)(q - ps->p)) < 0)
			return -1;
		ps->p = q;
		if (more(ps, q))
			return MORE;
		if (q == ps->end)
			return fail(ps, start_line,
				    "ett citattecken (\") som börjar här "
				    "avslutas aldrig.",
				    "a quote (\") starting here is never closed.");
		e = eol_at(ps, q);
		if (e == MORE)
			return MORE;
		if (e) {
			if (field_add(ps, "\n", 1) < 0)
				return -1;
			ps->line++;
			ps->p += e;
			continue;
		}
		if (more(ps, q + 1))
			return MORE;
		if (q + 1 < ps->end && q[1] == '"') {
			if (field_add(ps, "\"", 1) < 0)
				return -1;
			ps->p += 2;
			continue;
		}
		ps->p++; /* the closing quote */
		break;
	}
	if (more(ps, ps->p))
		return MORE;
	if (ps->p < ps->end && *ps->p != ps->sep && *ps->p != '\r' && *ps->p != '\n')
		return fail(ps, ps->line,
			    "text efter ett avslutande citattecken. Skriv \"\" "
			    "för ett citattecken inuti ett fält.",
			    "text after a closing quote. Write \"\" for a quote "
			    "inside a field.");
	return 0;
}

static int read_plain(struct csv_reader *ps)
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
	return more(ps, q) ? MORE : 0;
}

static int push_cell(struct csv_reader *ps)
{
	if (ps->ncells == ps->max_cols) {
		const char *sv = arena_printf(ps->a,
			"raden har fler än %zu kolumner.", ps->max_cols);
		const char *en = arena_printf(ps->a,
			"the row has more than %zu columns.", ps->max_cols);

		return fail(ps, ps->line, sv, en);
	}
	/* the cells' text goes to the arena once the row is whole */
	buf_add(&ps->row, ps->field.p, ps->field.len);
	buf_putc(&ps->row, 0);
	if (!buf_ok(&ps->row))
		BUG("csv: a row of %zu fields over its room", ps->ncells);
	ps->ncells++;
	return 0;
}

/* Reads one row from ps->p: 1 a row, 0 a row of empty cells (skipped),
 * MORE, or -1.  The cells are kept in ps->row, each followed by a NUL,
 * and handed out by take_row(). */
static int read_row(struct csv_reader *ps)
{
	int r, e;

	ps->ncells = 0;
	buf_reset(&ps->row);
	for (;;) {
		buf_reset(&ps->field);
		if (ps->p < ps->end && *ps->p == '"') {
			ps->p++;
			r = read_quoted(ps);
		} else {
			r = read_plain(ps);
		}
		if (r != 0)
			return r;
		if (push_cell(ps) < 0)
			return -1;
		if (ps->p < ps->end && *ps->p == ps->sep) {
			ps->p++;
			continue;
		}
		break;
	}
	e = eol_at(ps, ps->p);
	if (e == MORE)
		return MORE;
	if (e) {
		ps->p += e;
		ps->line++;
	}
	/* all empty (each cell just its NUL): skipped */
	return ps->row.len != ps->ncells;
}

/* The row read as cells in ps->a. */
static void take_row(struct csv_reader *ps, size_t line, struct csv_row *row)
{
	const char *s = ps->row.p;

	row->n = ps->ncells;
	row->line = line;
	row->cells = arena_alloc(ps->a, (ps->ncells ? ps->ncells : 1) * sizeof(*row->cells));
	for (size_t i = 0; i < ps->ncells; i++) {
		size_t n = strlen(s);
		/* Empty cells share one "": blank-line floods cost no memory. */
		row->cells[i] = n ? arena_strndup(ps->a, s, n) : "";
		s += n + 1;
	}
}

/* The BOM and the separator, once the first line is buffered. */
static int start(struct csv_reader *ps)
{
	/* the whole of an in-memory file is checked before its first row */
	if (!ps->src.read && ps->vend < ps->len && check_encoding(ps) < 0)
		return -1;
	for (;;) {
		int final = !ps->src.read || ps->eof || ps->len >= CSV_SEP_SCAN;
		const char *p = ps->data, *end = ps->data + ps->vend;

		if (ps->vend < 3 && !final) {
			if (refill(ps, 0) < 0)
				return -1;
			continue;
		}
		if (ps->vend >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
			p += 3;
		ps->sep = ps->want_sep ? ps->want_sep : detect_sep(p, end, final);
		if (!ps->sep) {
			if (refill(ps, 0) < 0)
				return -1;
			continue;
		}
		ps->p = p;
		ps->end = end;
		ps->started = 1;
		return 0;
	}
}

int csv_next(struct csv_reader *ps, struct arena *a, struct csv_row *row,
	     struct csv_error *err)
{
	ps->a = a;
	ps->err = err;
	if (err)
		memset(err, 0, sizeof(*err));
	if (ps->failed) {
		if (err)
			*err = ps->failure;
		return -1;
	}
	if (!ps->started && start(ps) < 0)
		return -1;
	for (;;) {
		const char *row_start = ps->p;
		size_t line = ps->line;
		int r;

		if (ps->p == ps->end && !more(ps, ps->p)) {
			if (ps->nrows == 0)
				return fail(ps, 1, "filen innehåller inga rader.",
					    "the file contains no rows.");
			return 0;
		}
		r = read_row(ps);
		if (r == MORE) {
			/* the row is read again from its start, which
			 * refill() moves to the buffer's start */
			ps->line = line;
			if (refill(ps, (size_t)(row_start - ps->data)) < 0)
				return -1;
			ps->p = ps->data;
			ps->end = ps->data + ps->vend;
			continue;
		}
		if (r < 0)
			return -1;
		if (r == 0)
			continue; /* all empty: skipped */
		if (ps->max_rows && ps->nrows == ps->max_rows) {
			const char *sv = arena_printf(ps->a,
				"filen har fler än %zu rader.", ps->max_rows);
			const char *en = arena_printf(ps->a,
				"the file has more than %zu rows.", ps->max_rows);

			return fail(ps, line, sv, en);
		}
		ps->nrows++;
		take_row(ps, line, row);
		return 1;
	}
}

static struct csv_reader *reader_new(char sep, size_t max_rows, size_t max_cols)
{
	struct csv_reader *ps = xcalloc(1, sizeof(*ps));

	if (sep && sep != ',' && sep != ';' && sep != '\t')
		BUG("csv: separator '%c'", sep);
	ps->want_sep = sep;
	ps->max_rows = max_rows;
	ps->max_cols = max_cols;
	ps->line = ps->vline = 1;
	buf_init(&ps->field, CSV_FIELD_MAX);
	buf_init(&ps->row, max_cols * (CSV_FIELD_MAX + 1) + 1);
	return ps;
}

struct csv_reader *csv_reader_mem(const char *data, size_t len, char sep,
				  size_t max_rows, size_t max_cols)
{
	struct csv_reader *ps = reader_new(sep, max_rows, max_cols);

	ps->data = data ? data : "";
	ps->len = data ? len : 0;
	ps->eof = 1;
	return ps;
}

struct csv_reader *csv_reader_source(const struct csv_source *src, char sep,
				     size_t max_rows, size_t max_cols)
{
	struct csv_reader *ps = reader_new(sep, max_rows, max_cols);

	ps->src = *src;
	ps->data = "";
	return ps;
}

int csv_rewind(struct csv_reader *ps)
{
	if (ps->src.read) {
		if (!ps->src.rewind || ps->src.rewind(ps->src.arg) != 0)
			return -1;
		ps->len = ps->vend = ps->base = 0;
		ps->eof = 0;
		ps->data = ps->own ? ps->own : "";
	} else if (ps->failed) {
		return -1;
	}
	ps->vcr = 0;
	ps->started = 0;
	ps->failed = 0;
	ps->nrows = 0;
	ps->line = 1;
	if (ps->src.read)
		ps->vline = 1;
	return 0;
}

size_t csv_offset(const struct csv_reader *ps)
{
	return ps->base + (ps->started ? (size_t)(ps->p - ps->data) : 0);
}

char csv_separator(const struct csv_reader *ps)
{
	return ps->sep;
}

void csv_reader_free(struct csv_reader *ps)
{
	if (!ps)
		return;
	buf_release(&ps->field);
	buf_release(&ps->row);
	free(ps->own);
	free(ps);
}

int csv_parse(struct arena *a, const char *data, size_t len, char sep,
	      size_t max_rows, size_t max_cols, struct csv *out,
	      struct csv_error *err)
{
	struct csv_reader *ps = csv_reader_mem(data, len, sep, max_rows, max_cols);
	struct csv_row *rows = NULL, row;
	size_t nrows = 0, alloc = 0;
	int r, ret = -1;

	out->rows = NULL;
	out->n = 0;
	out->sep = 0;
	while ((r = csv_next(ps, a, &row, err)) > 0) {
		if (nrows == alloc) {
			alloc = alloc ? 2 * alloc : 64;
			rows = xrealloc(rows, alloc * sizeof(*rows));
		}
		rows[nrows++] = row;
	}
	if (r == 0) {
		out->rows = arena_alloc(a, nrows * sizeof(*out->rows));
		memcpy(out->rows, rows, nrows * sizeof(*out->rows));
		out->n = nrows;
		out->sep = ps->sep;
		ret = 0;
	}
	free(rows);
	csv_reader_free(ps);
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
