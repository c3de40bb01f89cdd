/* replay.c - runs a fuzz target over saved inputs as an ordinary test.
 *
 *   fuzz_csv_replay tests/fuzz/corpus/fuzz_csv [more dirs or files]
 *
 * Each file is read into a buffer of exactly its size (so ASan sees any
 * over-read) and passed to LLVMFuzzerTestOneInput.  Prints TAP: "ok N -
 * file" per input, then "1..N".  A crash or failed invariant aborts, which
 * the runner reports as a failure; an unreadable file is "not ok".
 * Directory entries are taken in name order so runs are repeatable;
 * arguments starting with '-' (libFuzzer options) are ignored.
 */
#include "base/base.h"

#include <dirent.h>
#include <errno.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int n_tests, n_failed;

static int read_file(const char *path, uint8_t **data, size_t *size)
{
	FILE *f = fopen(path, "rb");
	struct buf b = BUF_INIT;
	char chunk[65536];
	size_t got;
	int ret = -1;

	if (!f)
		return -1;
	while ((got = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_add(&b, chunk, got);
	if (!ferror(f) && buf_ok(&b)) {
		/* a copy of exactly size bytes, without the NUL buf adds */
		*size = b.len;
		*data = xmalloc(b.len ? b.len : 1);
		memcpy(*data, b.p, b.len);
		ret = 0;
	}
	fclose(f);
	buf_release(&b);
	return ret;
}

static void run_file(const char *path)
{
	uint8_t *data = NULL;
	size_t size = 0;

	n_tests++;
	if (read_file(path, &data, &size) < 0) {
		n_failed++;
		printf("not ok %d - %s: cannot read: %s\n", n_tests, path,
		       strerror(errno));
		return;
	}
	printf("# %s (%zu bytes)\n", path, size);
	fflush(stdout); /* so a crash shows which input it was */
	LLVMFuzzerTestOneInput(data, size);
	free(data);
	printf("ok %d - %s\n", n_tests, path);
}

static int visible(const struct dirent *d)
{
	return d->d_name[0] != '.';
}

static void run_dir(const char *dir)
{
	struct dirent **names;
	int n = scandir(dir, &names, visible, alphasort);

	if (n < 0) {
		n_tests++;
		n_failed++;
		printf("not ok %d - %s: cannot list: %s\n", n_tests, dir,
		       strerror(errno));
		return;
	}
	for (int i = 0; i < n; i++) {
		struct buf path = BUF_INIT;
		struct stat st;

		buf_printf(&path, "%s/%s", dir, names[i]->d_name);
		if (stat(path.p, &st) == 0 && S_ISREG(st.st_mode))
			run_file(path.p);
		buf_release(&path);
		free(names[i]);
	}
	free(names);
}

int main(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		struct stat st;

		if (argv[i][0] == '-')
			continue;
		if (stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode))
			run_dir(argv[i]);
		else
			run_file(argv[i]);
	}
	printf("1..%d\n", n_tests);
	return n_failed > 100 ? 100 : n_failed;
}
