/* fixture.h - an application with two organisations, for in-process HTTP
 * tests through the real router (app_handle) on either engine.
 *
 *   struct fixture *fx = fixture_new();
 *   struct fx_resp r = fx_get(fx, "samordnare@a.se", "/o/alfa/units");
 *   fx_post(fx, "admin@a.se", "/o/alfa/units", "name=X&kind=enhet");  // csrf added
 *
 * Organisations: "alfa" (kommun) and "beta" (kommun).  People and roles:
 *   samordnare@a.se   coordinator in alfa AND beta (shared security function)
 *   admin@a.se        administrator in alfa
 *   anvandare@a.se    plain user in alfa
 *   admin@b.se        administrator in beta
 * Sessions are made directly (session_create), not through the sign-in
 * form, which has tests of its own.
 */
#ifndef VARN_FIXTURE_H
#define VARN_FIXTURE_H

#include "base/base.h"
#include "http/http.h"
#include "web/app.h"

struct fixture {
	struct app app;
	const char *url;
	struct db *db;           /* for setup and inspection */
	struct arena a;
	int64_t org_alfa, org_beta;
};

struct fx_resp {
	int status;
	const char *body;        /* NUL-terminated copy */
	size_t len;
	const char *location;    /* Location header or NULL */
	const char *retry_after; /* Retry-After header or NULL */
	const char *content_type;
	const char *disposition;
	const char *set_cookie;  /* the last Set-Cookie header or NULL */
};

struct fixture *fixture_new(void);
/* The application on a database that exists (made by `varn init --demo`,
 * say): no organisations or people are added; org_alfa, org_beta are 0. */
struct fixture *fixture_open(const char *url);
void fixture_free(struct fixture *fx);
int64_t fx_user_id(struct fixture *fx, const char *email);
/* A person with an account (made if new) and one role in org, for the
 * whole organisation (unit_id 0) or one unit.  Returns the person's id. */
int64_t fx_add_member(struct fixture *fx, int64_t org, const char *email, const char *name,
		      const char *role, int64_t unit_id);
/* who: an e-mail of the fixture's users, or NULL for no session. */
struct fx_resp fx_request(struct fixture *fx, const char *who, const char *method,
			  const char *path, const char *body, const char *content_type,
			  const char *extra_header_name, const char *extra_header_value);
struct fx_resp fx_get(struct fixture *fx, const char *who, const char *path);
/* POSTs a form, adding the session's csrf token. */
struct fx_resp fx_post(struct fixture *fx, const char *who, const char *path,
		       const char *form);
/* The id at the end of a redirect to a record ("/o/alfa/units/12?..."). */
int64_t fx_location_id(const struct fx_resp *r);
/* Runs one SQL statement returning one integer (counts in tests). */
int64_t fx_scalar(struct fixture *fx, const char *sql, int64_t arg);
const char *fx_csrf(struct fixture *fx, const char *who);
/* s percent-encoded for a form (NULL as ""), in fx's arena. */
const char *fx_enc(struct fixture *fx, const char *s);
/* POSTs a form and returns the id of the record it redirects to, or 0
 * (saying what came back instead on the TAP output). */
int64_t fx_post_id(struct fixture *fx, const char *who, const char *path, const char *form);
/* A PDF answer's text through pdftotext (Debian's poppler-utils), or "". */
const char *fx_pdf_text(struct fixture *fx, const struct fx_resp *r);
/* Forgets every session: the next request of each user signs in anew at
 * the (test) clock's time, as after a test moved the clock past their
 * sessions' end. */
void fx_new_sessions(struct fixture *fx);
/* The session cookie of who ("varn_session=..."), to send with others. */
const char *fx_cookie(struct fixture *fx, const char *who);

#endif
