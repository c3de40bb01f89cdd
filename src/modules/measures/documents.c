/* documents.c - statements of applicability and procurement requirements. */
#include "base/base.h"

#include "core/module.h"
#include "modules/measures/measures.h"

const struct document measures_documents[] = {
	{ NULL },
};
