/* test_documents.c - documents served for every declared document
 * (web/pages_doc.c) with the systems module's register and
 * classification record: a PDF with the organisation's systems and not
 * another's, a unit's register with that unit's systems only, the print
 * view with the same rows, refusals for strangers, an audit event per
 * download and an error page, never half a file, when rendering fails.
 * The PDF's text is read back with pdftotext (poppler-utils). */
#include "base/base.h"

#include <spawn.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/buf.h"
#include "db/db.h"
#include "doc/doc.h"
#include "fixture.h"
#include "tap.h"
#include "testdb.h"
#include "web/pages_doc.h"

extern char **environ;

static struct fixture *fx;

#define COORD "samordnare@a.se"

static int64_t make_system(const char *org, const char *name, int64_t unit)
{
	return fx_post_id(fx, COORD, arena_printf(&fx->a, "/o/%s/systems", org),
		       arena_printf(&fx->a, "name=%s&hosting=own&lifecycle=operation"
				    "&personal_data=none%s", name,
				    unit ? arena_printf(&fx->a, "&unit_id=%lld", (long long)unit) : ""));
}

/* The text of a PDF (pdftotext), or "" */
static int is_pdf(const struct fx_resp *r)
{
	return r->status == 200 && r->content_type && strcmp(r->content_type, "application/pdf") == 0 &&
	       r->len > 5 && memcmp(r->body, "%PDF-", 5) == 0;
}

/* covers R-2-01, R-2-02, R-2-06, R-2-07 */
TEST(register_pdf_and_print_view)
{
	int64_t unit = fx_post_id(fx, COORD, "/o/alfa/units", "name=Socialförvaltningen&kind=forvaltning");
	int64_t sub = fx_post_id(fx, COORD, "/o/alfa/units",
			      arena_printf(&fx->a, "name=Hemtjänsten&kind=enhet&parent_id=%lld",
					   (long long)unit));
	int64_t other = fx_post_id(fx, COORD, "/o/alfa/units", "name=Kulturförvaltningen&kind=forvaltning");
	struct fx_resp r;
	const char *t;
	int64_t before;

	ok(unit && sub && other, "units made");
	ok(make_system("alfa", "Omsorgssystemet", unit), "a system of the unit");
	ok(make_system("alfa", "Hemplan", sub), "a system of the unit below");
	ok(make_system("alfa", "Biblioteksdatabasen", other), "a system of another unit");
	ok(fx_post_id(fx, COORD, "/o/beta/systems", "name=Betas%20hemliga%20system&hosting=own&lifecycle=operation"
		   "&personal_data=none"), "a system of beta");

	before = fx_scalar(fx, "SELECT count(*) FROM audit_event WHERE action = 'document' AND org_id = $1",
			   fx->org_alfa);
	r = fx_get(fx, COORD, "/o/alfa/documents/system-register.pdf");
	ok(is_pdf(&r), "the register is a PDF (%d)", r.status);
	ok(r.disposition && strstr(r.disposition, "systemforteckning-alfa-"), "its file name: %s",
	   r.disposition ? r.disposition : "none");
	ok(r.len > 7 && memmem(r.body + r.len - 7, 7, "%%EOF", 5), "a whole file");
	t = fx_pdf_text(fx, &r);
	has_str(t, "Systemförteckning", "the title");
	has_str(t, "Omsorgssystemet", "alfa's system");
	has_str(t, "Biblioteksdatabasen", "every unit's");
	lacks_str(t, "Betas hemliga", "never beta's system");
	has_str(t, "Sida 1 av 1", "numbered");
	is_int(fx_scalar(fx, "SELECT count(*) FROM audit_event WHERE action = 'document' AND org_id = $1",
			 fx->org_alfa), before + 1, "the download is audited");

	r = fx_get(fx, COORD, arena_printf(&fx->a, "/o/alfa/documents/system-register.pdf?unit=%lld",
					   (long long)unit));
	ok(is_pdf(&r), "a unit's register");
	t = fx_pdf_text(fx, &r);
	has_str(t, "Omsorgssystemet", "the unit's system");
	has_str(t, "Hemplan", "and the unit below's");
	lacks_str(t, "Biblioteksdatabasen", "not another unit's");

	r = fx_get(fx, COORD, arena_printf(&fx->a, "/o/alfa/documents/system-register?unit=%lld",
					   (long long)unit));
	is_int(r.status, 200, "the print view");
	has_str(r.body, "Omsorgssystemet", "has the same rows");
	lacks_str(r.body, "Biblioteksdatabasen", "and not others");
	has_str(r.body, "system-register.pdf?unit=", "links the PDF of the same unit");
	r = fx_get(fx, COORD, arena_printf(&fx->a, "/o/alfa/systems?unit_id=%lld", (long long)unit));
	has_str(r.body, arena_printf(&fx->a, "/o/alfa/documents/system-register.pdf?unit=%lld",
				     (long long)unit), "the filtered list links that unit's register");
	r = fx_get(fx, COORD, "/o/alfa/systems");
	has_str(r.body, "/o/alfa/documents/system-register.pdf\"", "the list links the whole register");

	r = fx_get(fx, COORD, arena_printf(&fx->a, "/o/beta/documents/system-register.pdf?unit=%lld",
					   (long long)unit));
	t = r.status == 200 ? fx_pdf_text(fx, &r) : "";
	ok(r.status == 404 || !strstr(t, "Omsorgssystemet"), "alfa's unit is not beta's (%d)", r.status);
	r = fx_get(fx, "anvandare@a.se", "/o/beta/documents/system-register.pdf");
	is_int(r.status, 404, "a stranger to beta gets 404");
	r = fx_get(fx, "admin@b.se", "/o/alfa/documents/system-register");
	is_int(r.status, 404, "beta's administrator cannot see alfa's print view");
}

/* covers R-3-02 */
TEST(classification_record)
{
	int64_t sys = make_system("alfa", "Klassat%20system", 0);
	int64_t inf = fx_post_id(fx, COORD, "/o/alfa/information", "name=Journaler");
	struct fx_resp r;
	const char *t;

	ok(sys && inf, "system and information set");
	ok(fx_post_id(fx, COORD, "/o/alfa/system-information",
		   arena_printf(&fx->a, "system_id=%lld&infoset_id=%lld", (long long)sys,
				(long long)inf)), "linked");
	ok(fx_post_id(fx, COORD, "/o/alfa/classifications",
		   arena_printf(&fx->a, "infoset_id=%lld&level_k=3&level_r=2&level_t=2&level_s=1"
				"&decided_on=2026-11-01&reason_k=Känsliga%%20uppgifter",
				(long long)inf)), "classified");
	r = fx_get(fx, COORD, arena_printf(&fx->a,
		   "/o/alfa/documents/classification-record.pdf?id=%lld", (long long)sys));
	ok(is_pdf(&r), "the record is a PDF (%d)", r.status);
	t = fx_pdf_text(fx, &r);
	has_str(t, "Klassningsprotokoll", "its title");
	has_str(t, "Journaler", "the information set");
	has_str(t, "Känsliga uppgifter", "the motivation");
	has_str(t, "Underskrift", "a signature block");
	r = fx_get(fx, COORD, arena_printf(&fx->a, "/o/alfa/systems/%lld", (long long)sys));
	has_str(r.body, arena_printf(&fx->a, "/o/alfa/documents/classification-record.pdf?id=%lld",
				     (long long)sys), "the system's page links its record");
	r = fx_get(fx, COORD, "/o/alfa/documents/classification-record.pdf");
	is_int(r.status, 404, "without ?id= there is no record");
	r = fx_get(fx, COORD, arena_printf(&fx->a,
		   "/o/beta/documents/classification-record.pdf?id=%lld", (long long)sys));
	is_int(r.status, 404, "alfa's system is not found through beta");
}

TEST(a_failed_render_is_an_error_page)
{
	struct fx_resp r;

	doc_pdf_fail_next(1);
	r = fx_get(fx, COORD, "/o/alfa/documents/system-register.pdf");
	is_int(r.status, 500, "a render failure is an error");
	ok(r.content_type && strncmp(r.content_type, "text/html", 9) == 0, "an HTML error page");
	ok(!r.body || r.len < 5 || memcmp(r.body, "%PDF", 4) != 0, "not a PDF");
	lacks_str(r.disposition ? r.disposition : "", ".pdf", "not a download");
}
/* Bounded concurrency: with every slot taken, a request waits DOC_WAIT
 * seconds and is answered 503 with Retry-After, not queued for ever. */
TEST(busy_renderers_answer_503)
{
	struct fx_resp r;
	int held = 0;

	for (int i = 0; i < DOC_SLOTS; i++)
		held += doc_gate_enter();
	is_int(held, DOC_SLOTS, "every slot taken");
	r = fx_get(fx, COORD, "/o/alfa/documents/system-register.pdf");
	is_int(r.status, 503, "the next document waits, then is refused");
	ok(r.retry_after != NULL, "with Retry-After");
	has_str(r.body, "<html", "an error page");
	for (int i = 0; i < held; i++)
		doc_gate_leave();
	r = fx_get(fx, COORD, "/o/alfa/documents/system-register.pdf");
	is_int(r.status, 200, "free slots: it is made again");
}

int main(void)
{
	int rc;

	fx = fixture_new();
	rc = tap_run();
	fixture_free(fx);
	testdb_cleanup();
	return rc;
}
