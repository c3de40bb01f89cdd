/* cookie.h - parsing of the Cookie request header (RFC 6265 §5.4 syntax,
 * lenient on spaces).  Fuzzed (tests/fuzz/fuzz_cookie.c).
 *
 * cookie_get() returns the value of the first cookie called name, copied into
 * the arena with surrounding double quotes removed, or NULL when absent or
 * when the header is malformed around it.  Values containing bytes outside
 * the cookie-octet set (CTLs, space, '"', ',', ';', '\\', >= 0x7f) are
 * treated as absent: Värn only ever sets base64url tokens.
 */
#ifndef VARN_COOKIE_H
#define VARN_COOKIE_H

struct arena;
const char *cookie_get(struct arena *a, const char *header, const char *name);

#endif
