/* test_multipart.c - multipart/form-data parsing. */
#include "base/base.h"

#include "parse/form.h"
#include "parse/multipart.h"
#include "tap.h"

static struct arena ar = ARENA_INIT;

static int parse(const char *ct, const char *body, struct form *f, const char **why)
{
	return multipart_parse(&ar, ct, body, strlen(body), 10, f, why);
}

#define CT "multipart/form-data; boundary=----xyz"

TEST(fields_and_files)
{
	struct form f;
	const char *why = NULL;
	const char *body =
		"------xyz\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\nabc\r\n"
		"------xyz\r\nContent-Disposition: form-data; name=\"file\"; filename=\"enheter.csv\"\r\n"
		"Content-Type: text/csv\r\n\r\nNamn;Typ\r\nÖster;enhet\r\n\r\n"
		"------xyz\r\nContent-Disposition: form-data; name=\"tom\"\r\n\r\n\r\n"
		"------xyz--\r\n";

	ok(parse(CT, body, &f, &why) == 0, "a form with a field, a file and an empty field parses");
	is_int(f.n, 3, "three parts");
	is_str(form_get(&f, "csrf"), "abc", "a field's value");
	is_str(form_get(&f, "file"), "Namn;Typ\r\nÖster;enhet\r\n", "a file's bytes, its own CRLFs kept");
	is_str(form_get(&f, "tom"), "", "an empty value");
	ok(parse("multipart/form-data; boundary=\"----xyz\"", body, &f, &why) == 0,
	   "a quoted boundary");
}

TEST(refusals)
{
	struct form f;
	const char *why = NULL;

	ok(parse("multipart/form-data", "x", &f, &why) < 0 && why, "no boundary");
	ok(parse(CT, "no delimiters here", &f, &why) < 0, "no delimiter");
	ok(parse(CT, "------xyz\r\nContent-Disposition: form-data\r\n\r\nv\r\n------xyz--", &f, &why) < 0,
	   "a part without a name");
	ok(parse(CT, "------xyz\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nunterminated", &f, &why) < 0,
	   "a part that never ends");
	ok(parse(CT, "------xyzJUNK", &f, &why) < 0, "junk after the delimiter");
	ok(parse(CT, "------xyz\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n"
		 "------xyz\r\nContent-Disposition: form-data\r\n\r\n2\r\n------xyz--", &f, &why) < 0,
	   "a nameless part after a good one");
	is_int(f.n, 0, "leaves no pairs either (found by the fuzzer)");
	is_int(f.n, 0, "a refused body leaves no pairs");
	{
		struct buf b = BUF_INIT;
		for (int i = 0; i < 11; i++)
			buf_printf(&b, "------xyz\r\nContent-Disposition: form-data; name=\"f%d\"\r\n\r\nv\r\n", i);
		buf_puts(&b, "------xyz--\r\n");
		ok(parse(CT, b.p, &f, &why) < 0, "more parts than allowed");
		buf_release(&b);
	}
}

int main(void)
{
	int rc = tap_run();
	arena_release(&ar);
	return rc;
}
