/* catalogue_pages.c - the catalogue page: versions, what a new one changes,
 * loading, import and export. */
#include "base/base.h"

#include "modules/measures/measures.h"
#include "web/router.h"

const struct route catalogue_routes[] = {
	{ NULL },
};
