/* embedded.h - files compiled into the binary by tools/embed. */
#ifndef VARN_EMBEDDED_H
#define VARN_EMBEDDED_H

#include <stddef.h>

struct embedded_file {
	const char *name;  /* base name, e.g. "0001_foundation.sql", "style.css" */
	const char *data;  /* NUL-terminated */
	size_t len;
};

/* A NULL-name-terminated array; returns the entry called name or NULL. */
const struct embedded_file *embedded_find(const struct embedded_file *files,
					  const char *name);

#endif
