/* test_declarations.c - declarations that cannot work are refused at
 * start-up (BUG), not found out by a request: two routes with the same
 * method and pattern (web/app.c), a register with more fields than a write
 * can bind (core/entity.c).  Each refusal aborts, so it runs in a child
 * process and the parent reads how the child ended and what it said.
 *
 * This file's modules[] takes the place of src/modules/registry.c's: one
 * module whose register the tests choose before preparing it. */
#include "base/base.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/entity.h"
#include "core/module.h"
#include "tap.h"
#include "web/app.h"

static const struct entity *test_entities[2];
static const struct module test_module = { .name = "test", .entities = test_entities };
const struct module *const modules[] = { &test_module, NULL };

struct ending {
	int aborted;    /* killed by SIGABRT (BUG) */
	int exit_code;  /* when it exited, else -1 */
	char said[512]; /* the start of what it wrote to stderr */
};

/* Runs fn in a child with stderr captured. */
static struct ending run_child(void (*fn)(void))
{
	struct ending e = { 0, -1, "" };
	int fd[2], status;
	size_t n = 0;
	ssize_t k;
	pid_t pid;

	fflush(stdout);
	if (pipe(fd) != 0 || (pid = fork()) < 0) {
		printf("Bail out! pipe or fork failed\n");
		exit(1);
	}
	if (pid == 0) {
		close(fd[0]);
		dup2(fd[1], 2);
		fn();
		_exit(0);
	}
	close(fd[1]);
	while (n < sizeof(e.said) - 1 &&
	       (k = read(fd[0], e.said + n, sizeof(e.said) - 1 - n)) > 0)
		n += (size_t)k;
	e.said[n] = 0;
	close(fd[0]);
	waitpid(pid, &status, 0);
	e.aborted = WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT;
	if (WIFEXITED(status))
		e.exit_code = WEXITSTATUS(status);
	return e;
}

/* ---- routes ---- */

static void handler(struct req *q, struct resp *r)
{
}

static const struct route distinct[] = {
	{ "GET", "/a", handler, 0, RF_PUBLIC, 0, NULL, NULL },
	{ "POST", "/a", handler, 0, RF_PUBLIC, 0, NULL, NULL },
	{ "GET", "/a/{id}", handler, 0, RF_PUBLIC, 0, NULL, NULL },
	{ NULL, NULL, NULL, 0, 0, 0, NULL, NULL },
};

static const struct route twice[] = {
	{ "GET", "/a", handler, 0, RF_PUBLIC, 0, NULL, NULL },
	{ "POST", "/a", handler, 0, RF_PUBLIC, 0, NULL, NULL },
	{ "GET", "/a", handler, 0, 0, 0, NULL, NULL },
	{ NULL, NULL, NULL, 0, 0, 0, NULL, NULL },
};

/* another part of the program declaring a route the first already has */
static const struct route elsewhere[] = {
	{ "POST", "/a", handler, 0, 0, BODY_FORM, NULL, NULL },
	{ NULL, NULL, NULL, 0, 0, 0, NULL, NULL },
};

static void add_distinct(void)
{
	struct app app = { 0 };

	app_add_routes(&app, distinct);
	if (app.router.n != 3)
		_exit(3);
	app_release(&app);
}

static void add_twice(void)
{
	struct app app = { 0 };

	app_add_routes(&app, twice);
}

static void add_from_two_tables(void)
{
	struct app app = { 0 };

	app_add_routes(&app, distinct);
	app_add_routes(&app, elsewhere);
}

TEST(a_route_declared_twice_is_refused)
{
	struct ending e = run_child(add_distinct);

	ok(!e.aborted && e.exit_code == 0, "distinct routes are taken (exit %d)", e.exit_code);
	e = run_child(add_twice);
	ok(e.aborted, "the same method and pattern twice in a table: start-up aborts");
	has_str(e.said, "two routes for GET /a", "and says which");
	e = run_child(add_from_two_tables);
	ok(e.aborted, "the same method and pattern in two tables: start-up aborts");
	has_str(e.said, "two routes for POST /a", "and says which");
}

/* ---- registers ---- */

/* A register of n sortable text fields: each binds its value and its sort
 * key in a write, the most a field can cost. */
static struct entity *wide_register(size_t n)
{
	struct entity *e = xcalloc(1, sizeof(*e));
	struct entity_field *f = xcalloc(n + 1, sizeof(*f));

	for (size_t i = 0; i < n; i++) {
		f[i].name = xprintf("f%zu", i);
		f[i].type = F_TEXT;
		f[i].max = 100;
		f[i].flags = FF_SORT | FF_FILTER | FF_SEARCH;
	}
	e->name = "wide";
	e->table = "wide";
	e->fields = f;
	return e;
}

static size_t fields;

static void prepare_wide(void)
{
	test_entities[0] = wide_register(fields);
	entity_prepare_all();
	if (!test_entities[0]->sql)
		_exit(3);
}

TEST(a_register_too_wide_to_bind_is_refused)
{
	struct ending e;

	/* a write binds 8 values of its own and at most two per field */
	fields = 76;
	e = run_child(prepare_wide);
	ok(!e.aborted && e.exit_code == 0, "76 sortable fields fit (exit %d)", e.exit_code);
	fields = 77;
	e = run_child(prepare_wide);
	ok(e.aborted, "77 do not: start-up aborts before any write could overflow");
	has_str(e.said, "register wide has too many fields (77)", "and says which register");
	fields = 400;
	e = run_child(prepare_wide);
	ok(e.aborted, "nor do 400");
}

int main(void)
{
	return tap_run();
}
