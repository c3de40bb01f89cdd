/* embedded.c - lookup in the tables tools/embed generates. */
#include "base/base.h"

#include "base/embedded.h"

const struct embedded_file *embedded_find(const struct embedded_file *files,
					  const char *name)
{
	if (!files || !name)
		return NULL;
	for (; files->name; files++)
		if (strcmp(files->name, name) == 0)
			return files;
	return NULL;
}
