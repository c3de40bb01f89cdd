/* system_pages.c - the system's page beyond the generic one (stub). */
#include "base/base.h"

#include "web/pages.h"

const struct route system_page_routes[] = {
	{ NULL, NULL, NULL, 0, 0, 0, NULL, NULL },
};
