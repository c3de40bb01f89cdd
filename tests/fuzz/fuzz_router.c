/* fuzz_router.c - the router over Värn's real route table.
 * Input: "METHOD PATH".  Invariants: no crash; a match has as many captures
 * as its pattern has {...} segments, each non-empty and free of '/'. */
#include "base/base.h"

#include "web/app.h"
#include "web/router.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct app app;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *in, *sp;
	const char *pathv[8];
	size_t npathv, want = 0;
	int mismatch;
	const struct route *rt;

	if (!app.router.n)
		app_collect_routes(&app);
	if (size > 4096)
		return 0;
	in = xmalloc(size + 1);
	memcpy(in, data, size);
	in[size] = 0;
	if (strlen(in) != size || !(sp = strchr(in, ' '))) {
		free(in);
		return 0;
	}
	*sp = 0;
	rt = router_match(&app.router, in, sp + 1, pathv, &npathv, &mismatch);
	if (rt) {
		for (const char *p = rt->pattern; (p = strchr(p, '{')); p++)
			want++;
		if (want != npathv)
			abort();
		for (size_t i = 0; i < npathv; i++)
			if (!*pathv[i] || strchr(pathv[i], '/'))
				abort();
		if (mismatch)
			abort();
	} else if (npathv) {
		abort();
	}
	free(in);
	return 0;
}
