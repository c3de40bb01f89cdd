/* csv.h - RFC 4180 CSV reading and writing, as municipalities' Excel writes it.
 *
 * Reading: accepts ',' or ';' as separator (auto-detected from the header line
 * when sep is 0: Swedish Excel writes ';'), CRLF or LF line ends, quoted
 * fields with "" escapes and embedded newlines, an optional UTF-8 BOM.
 * Rejects invalid UTF-8 (Excel's Windows-1252 export must be converted; the
 * error says so in Swedish), a quote inside an unquoted field, an
 * unterminated quote, more than max_rows rows or max_cols columns, and a
 * field longer than 64 KiB.  Errors carry the 1-based line number.
 * Fuzzed (tests/fuzz/fuzz_csv.c).
 *
 * A file can be read whole (csv_parse: every row in an arena) or a row at
 * a time (csv_reader: `varn import` of a file of any length, in memory a
 * row and a chunk of the file).  Both are one parser and say the same
 * about the same file, except that a file read a row at a time is checked
 * for UTF-8 chunk by chunk: a bad byte is reported when its chunk is read,
 * after the rows before it were handed out.
 *
 * Writing: always ';'-separated UTF-8 with a BOM and CRLF (opens correctly in
 * Swedish Excel); fields quoted when needed.  Cells that start with = + - @
 * or a tab/CR are prefixed with ' so a spreadsheet never runs them as
 * formulas (CSV injection).
 */
#ifndef VARN_CSV_H
#define VARN_CSV_H

#include <stddef.h>

struct arena;
struct buf;

struct csv_row {
	const char **cells;
	size_t n;
	size_t line; /* 1-based line where the row starts */
};

struct csv {
	struct csv_row *rows; /* rows[0] is the header line */
	size_t n;
	char sep;
};

struct csv_error {
	size_t line;
	const char *msg_sv; /* Swedish */
	const char *msg_en;
};

/* Reads the whole file.  max_rows counts the header too.  0, or -1 with
 * err set (err may be NULL). */
int csv_parse(struct arena *a, const char *data, size_t len, char sep,
	      size_t max_rows, size_t max_cols, struct csv *out,
	      struct csv_error *err);

/* Where a reader's bytes come from. */
struct csv_source {
	/* Up to cap bytes into dst: how many, 0 at the end, -1 on error. */
	long (*read)(void *arg, char *dst, size_t cap);
	/* Back to the file's start: 0, or -1 (NULL: cannot). */
	int (*rewind)(void *arg);
	void *arg;
};

struct csv_reader;
/* A reader of data[0..len) (not copied: it must outlive the reader), or of
 * src, a chunk at a time.  sep 0: detected from the first line.  max_rows
 * 0: no limit. */
struct csv_reader *csv_reader_mem(const char *data, size_t len, char sep,
				  size_t max_rows, size_t max_cols);
struct csv_reader *csv_reader_source(const struct csv_source *src, char sep,
				     size_t max_rows, size_t max_cols);
/* The next row with a cell that is not empty (the first call: the header),
 * its cells in a: 1, 0 at the end of the file, or -1 with err set (the
 * same error again on every later call).  A file without rows is an error.
 * The message of err is in a too. */
int csv_next(struct csv_reader *r, struct arena *a, struct csv_row *row,
	     struct csv_error *err);
/* Back to the first row (a source needs its rewind): 0, or -1. */
int csv_rewind(struct csv_reader *r);
/* How far into the file the reader is, in bytes (for progress). */
size_t csv_offset(const struct csv_reader *r);
/* The separator (once the first row is read). */
char csv_separator(const struct csv_reader *r);
void csv_reader_free(struct csv_reader *r);

void csv_write_bom(struct buf *b);
void csv_write_cell(struct buf *b, const char *s, int first_in_row);
void csv_end_row(struct buf *b);

#endif
