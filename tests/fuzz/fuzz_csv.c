/* fuzz_csv.c - csv_parse() and the writer.
 *
 * The input is a CSV file as uploaded.  Invariants on success: limits hold,
 * rows are in line order and never all empty, every cell is valid UTF-8
 * text without CR; writing the rows out and reading them back gives the same
 * cells (apart from the ' that guards formula-like cells).  On failure: a
 * line number within the file and a Swedish message starting "Rad N:".
 * Read a row at a time in chunks of 3 bytes, the file gives the same rows,
 * or fails too.
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

struct trickle {
	const uint8_t *s;
	size_t len, at;
};

static long trickle_read(void *arg, char *dst, size_t cap)
{
	struct trickle *t = arg;
	size_t n = t->len - t->at < 3 ? t->len - t->at : 3;

	if (n > cap)
		n = cap;
	memcpy(dst, t->s + t->at, n);
	t->at += n;
	return (long)n;
}

static void check_streamed(struct arena *a, const uint8_t *data, size_t size, int rc,
			   const struct csv *c)
{
	struct trickle t = { data, size, 0 };
	struct csv_source src = { trickle_read, NULL, &t };
	struct csv_reader *r = csv_reader_source(&src, 0, MAX_ROWS, MAX_COLS);
	struct csv_error err;
	struct csv_row row;
	size_t k = 0;
	int got;

	while ((got = csv_next(r, a, &row, &err)) > 0) {
		if (rc == 0) {
			CHECK(k < c->n && row.n == c->rows[k].n && row.line == c->rows[k].line);
			for (size_t i = 0; i < row.n; i++)
				CHECK(strcmp(row.cells[i], c->rows[k].cells[i]) == 0);
		}
		k++;
	}
	CHECK(rc == 0 ? got == 0 && k == c->n && csv_separator(r) == c->sep : got == -1);
	if (got < 0)
		CHECK(err.line >= 1 && strncmp(err.msg_sv, "Rad ", 4) == 0);
	csv_reader_free(r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena a = ARENA_INIT;
	struct csv_error err;
	size_t lines = count_lines(data, size);
	struct csv c;

	int rc = csv_parse(&a, (const char *)data, size, 0, MAX_ROWS, MAX_COLS, &c, &err);

	check_streamed(&a, data, size, rc, &c);
	if (rc < 0) {
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
