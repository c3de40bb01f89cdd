/* interchange.c - KLASSA interchange and XLSX (stub). */
#include "base/base.h"

#include "web/pages.h"

const struct route interchange_routes[] = {
	{ NULL, NULL, NULL, 0, 0, 0, NULL, NULL },
};
