/* base.h - included first by every Värn source file. */
#ifndef VARN_BASE_H
#define VARN_BASE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "buf.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* BUG() is for what cannot happen: it reports and aborts. */
#define BUG(...) bug_at(__FILE__, __LINE__, __VA_ARGS__)
_Noreturn void bug_at(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Allocation that never returns NULL (aborts on OOM). */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t m);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
/* A formatted string that lives for the whole process (route patterns made
 * at start-up); aborts on failure like the others. */
char *xprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Logging to stderr, one line each, with level and time.  Never log secrets:
 * passwords, tokens, cookies, TOTP codes (docs/SECURITY.md). */
void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
extern int log_quiet; /* tests set it */

/* Constant-time comparison of two equal-length byte strings. */
int ct_equal(const void *a, const void *b, size_t n);
/* Value of a hexadecimal digit, or -1. */
int hex_digit(unsigned char c);
/* Parses a decimal int64 that fills s entirely; 0 on success. */
int parse_i64(const char *s, int64_t *out);

#include "banned.h"
#endif
