/* test_cookie.c - the Cookie header. */
#include "base/base.h"

#include "parse/cookie.h"
#include "tap.h"

static struct arena ar = ARENA_INIT;

static const char *get(const char *header, const char *name)
{
	return cookie_get(&ar, header, name);
}

TEST(basic)
{
	is_str(get("sid=abc123", "sid"), "abc123", "single cookie");
	is_str(get("a=1; sid=Xy-_9; b=2", "sid"), "Xy-_9", "in the middle");
	is_str(get("a=1;sid=2", "sid"), "2", "no space after ;");
	is_str(get("  a=1 ;  sid = 3  ; ", "sid"), "3", "lenient on spaces and tabs");
	is_str(get("a=1;\tsid=4", "sid"), "4", "tab");
	is_str(get("sid=\"quoted\"", "sid"), "quoted", "quotes are removed");
	is_str(get("sid=", "sid"), "", "empty value");
	is_str(get("sid=\"\"", "sid"), "", "empty quoted value");
	is_str(get("sid=a=b", "sid"), "a=b", "'=' inside the value");
	is_str(get("sid=1; sid=2", "sid"), "1", "the first one wins");
}

TEST(absent)
{
	ok(get("a=1; b=2", "sid") == NULL, "absent");
	ok(get("", "sid") == NULL, "empty header");
	ok(get(NULL, "sid") == NULL, "no header");
	ok(get("sid=1", "") == NULL, "empty name");
	ok(get("sid=1", NULL) == NULL, "NULL name");
	ok(get("SID=1", "sid") == NULL, "names are case-sensitive");
	ok(get("xsid=1; sidx=2", "sid") == NULL, "no prefix or suffix matches");
	ok(get("sid", "sid") == NULL, "name without '='");
	is_str(get("junk; sid=5", "sid"), "5", "a malformed neighbour is skipped");
	is_str(get(";;; sid=6 ;;", "sid"), "6", "empty pieces");
}

TEST(bad_values)
{
	ok(get("sid=a b", "sid") == NULL, "space inside");
	ok(get("sid=a\"b", "sid") == NULL, "quote inside");
	ok(get("sid=\"abc", "sid") == NULL, "unterminated quote");
	ok(get("sid=\"", "sid") == NULL, "a lone quote");
	ok(get("sid=abc\"", "sid") == NULL, "trailing quote only");
	ok(get("sid=a,b", "sid") == NULL, "comma");
	ok(get("sid=a\\b", "sid") == NULL, "backslash");
	ok(get("sid=a\x01" "b", "sid") == NULL, "control character");
	ok(get("sid=a\x7f", "sid") == NULL, "DEL");
	ok(get("sid=\xC3\xA5", "sid") == NULL, "non-ASCII");
	ok(get("sid=\"a b\"", "sid") == NULL, "space inside quotes");
	ok(get("sid=bad b; sid=good", "sid") == NULL,
	   "a bad first cookie is not replaced by a later one");
	is_str(get("x=a b; sid=ok", "sid"), "ok", "a bad other cookie does not matter");
	arena_release(&ar);
}

int main(void)
{
	return tap_run();
}
