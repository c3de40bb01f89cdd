/* json_out.h - JSON text written straight into a buffer.
 *
 * The API's lists are most of its answers: fifty records of thirty fields
 * built as jansson objects, dumped and freed cost five times what reading
 * them did (issue 14).  These write the same text jansson's compact dump
 * writes (JSON_COMPACT: no spaces; strings escaped as jansson escapes
 * them: \" \\ \b \f \n \r \t and \u00XX for the other controls, UTF-8 kept)
 * without a tree.  Request bodies and small answers keep using jansson.
 */
#ifndef VARN_JSON_OUT_H
#define VARN_JSON_OUT_H

#include "base/base.h"

struct buf;

/* s as a JSON string, or null for NULL.  Text that is not UTF-8 (the
 * engine checks it on entry; a bad row should not exist) is written as
 * null, and -1 is returned so the caller can say so. */
int jo_str(struct buf *b, const char *s);
void jo_int(struct buf *b, int64_t v);
void jo_bool(struct buf *b, int v);
void jo_null(struct buf *b);
/* A member's key: a comma before it unless *first, then "key": - keys are
 * the declarations' field names (ASCII letters, digits, _), written as
 * they are. */
void jo_key(struct buf *b, int *first, const char *key);

#endif
