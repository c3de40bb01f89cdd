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

int csv_parse(struct arena *a, const char *data, size_t len, char sep,
	      size_t max_rows, size_t max_cols, struct csv *out,
	      struct csv_error *err);

void csv_write_bom(struct buf *b);
void csv_write_cell(struct buf *b, const char *s, int first_in_row);
void csv_end_row(struct buf *b);

#endif
