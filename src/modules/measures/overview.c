/* overview.c - the gap overviews and the start page's picture. */
#include "base/base.h"

#include "core/module.h"
#include "modules/measures/measures.h"
#include "web/router.h"

const struct route gap_overview_routes[] = {
	{ NULL },
};

const struct overview_chart measures_charts[] = {
	{ 0, 0, NULL },
};
