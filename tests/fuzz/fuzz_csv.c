/* fuzz_csv.c - csv_parse() and the writer.
 *
 * The input is a CSV file as uploaded.  Invariants on success: limits hold,
 * rows are in line order and never all empty, every cell is valid UTF-8
 * text without CR; writing the rows out and reading them back gives the same
 * cells (apart from the ' that guards formula-like cells).  On failure: a
 * line number within the file and a Swedish message starting "Rad N:".
 */
#include "base/base.h"

#include "base/utf8.h"
#include "parse/csv.h"

#define CHECK(x)                                                  \
	do {                                                      \
		if (!(x))                                         \
			BUG("fuzz invariant failed: %s", #x);     \
	} while (0)

#define MAX_ROWS 200
#define MAX_COLS 40

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static size_t count_lines(const uint8_t *d, size_t n)
{
	size_t lines = 1;

	for (size_t i = 0; i < n; i++)
		if (d[i] == '\n' || (d[i] == '\r' && (i + 1 == n || d[i + 1] != '\n')))
			lines++;
	return lines;
}

static void check_cell(const char *s)
{
	size_t n = strlen(s);

	CHECK(n <= 65536);
	CHECK(utf8_valid_text(s, n));
	CHECK(!strchr(s, '\r'));
}

static void check_roundtrip(struct arena *a, const struct csv *c)
{
	struct buf b = BUF_INIT;
	struct csv_error err;
	struct csv back;

	csv_write_bom(&b);
	for (size_t r = 0; r < c->n; r++) {
		for (size_t i = 0; i < c->rows[r].n; i++) {
			if (strlen(c->rows[r].cells[i]) >= 65536)
				goto out; /* the guard ' could pass the limit */
			csv_write_cell(&b, c->rows[r].cells[i], i == 0);
		}
		csv_end_row(&b);
	}
	CHECK(buf_ok(&b));
	CHECK(csv_parse(a, b.p, b.len, 0, MAX_ROWS, MAX_COLS, &back, &err) == 0);
	CHECK(back.sep == ';');
	CHECK(back.n == c->n);
	for (size_t r = 0; r < c->n; r++) {
		CHECK(back.rows[r].n == c->rows[r].n);
		for (size_t i = 0; i < c->rows[r].n; i++) {
			const char *want = c->rows[r].cells[i];
			const char *got = back.rows[r].cells[i];

			CHECK(strcmp(got, want) == 0 ||
			      (got[0] == '\'' && strcmp(got + 1, want) == 0));
		}
	}
out:
	buf_release(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena a = ARENA_INIT;
	struct csv_error err;
	size_t lines = count_lines(data, size);
	struct csv c;

	if (csv_parse(&a, (const char *)data, size, 0, MAX_ROWS, MAX_COLS, &c,
		      &err) < 0) {
		CHECK(c.n == 0 && c.rows == NULL);
		CHECK(err.line >= 1 && err.line <= lines);
		CHECK(err.msg_sv && strncmp(err.msg_sv, "Rad ", 4) == 0);
		CHECK(err.msg_en && *err.msg_en);
	} else {
		CHECK(c.n >= 1 && c.n <= MAX_ROWS);
		CHECK(c.sep == ';' || c.sep == ',' || c.sep == '\t');
		for (size_t r = 0; r < c.n; r++) {
			int empty = 1;

			CHECK(c.rows[r].n >= 1 && c.rows[r].n <= MAX_COLS);
			CHECK(c.rows[r].line >= 1 && c.rows[r].line <= lines);
			CHECK(r == 0 || c.rows[r].line > c.rows[r - 1].line);
			for (size_t i = 0; i < c.rows[r].n; i++) {
				check_cell(c.rows[r].cells[i]);
				empty &= !*c.rows[r].cells[i];
			}
			CHECK(!empty);
		}
		check_roundtrip(&a, &c);
	}
	/* The other separators must not crash either. */
	csv_parse(&a, (const char *)data, size, ',', MAX_ROWS, MAX_COLS, &c, &err);
	csv_parse(&a, (const char *)data, size, '\t', MAX_ROWS, MAX_COLS, &c, NULL);
	arena_release(&a);
	return 0;
}
