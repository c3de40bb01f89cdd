/* classify.c - guided classification (stub). */
#include "base/base.h"

#include "web/pages.h"

const struct route classify_routes[] = {
	{ NULL, NULL, NULL, 0, 0, 0, NULL, NULL },
};
