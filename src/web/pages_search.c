/* pages_search.c - full-text search (stub). */
#include "base/base.h"

#include "web/pages.h"

const struct route search_routes[] = {
	{ NULL, NULL, NULL, 0, 0, 0, NULL, NULL },
};
