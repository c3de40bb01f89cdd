/* oidc.h - OpenID Connect sign-in (issue 13): the protocol (oidc.c) that
 * the pages (oidc_pages.c) drive.
 *
 * The authorization code flow with PKCE (S256).  The provider's discovery
 * document (ISSUER/.well-known/openid-configuration) and its keys (JWKS)
 * are fetched with libcurl and kept in memory per source: the document for
 * an hour, the keys until a token names a key id they lack (the provider
 * rotated its keys), then fetched again, but at most once a minute
 * (OIDC_JWKS_FLOOR) so a stream of forged key ids cannot make Värn hammer
 * the provider.  ID tokens are checked with cjose (signature: RS256/384/512,
 * PS256/384, ES256/384; never "none" or a shared-secret algorithm), then
 * iss, aud (and azp when there are several audiences), exp, nbf and iat with
 * OIDC_LEEWAY seconds of leeway, and the nonce.
 *
 * Every URL fetched (the issuer's, the token endpoint, the keys) must be
 * https://, or http:// to a loopback address (the tests' provider).
 */
#ifndef VARN_OIDC_H
#define VARN_OIDC_H

#include "base/base.h"

struct identity_source;
struct identity_claims;

#define OIDC_LEEWAY 60          /* seconds of clock skew allowed */
#define OIDC_PENDING_LIFE 600   /* a started sign-in lives 10 minutes */
#define OIDC_DISCOVERY_LIFE 3600
#define OIDC_JWKS_LIFE 3600
#define OIDC_JWKS_FLOOR 60      /* at most one fetch of the keys a minute */
#define OIDC_COOKIE "varn_oidc" /* binds a started sign-in to the browser */

/* What the provider's discovery document says. */
struct oidc_endpoints {
	const char *issuer;
	const char *authorization;
	const char *token;
	const char *jwks_uri;
};

enum oidc_result {
	OIDC_OK = 0,
	OIDC_UNAVAILABLE,  /* the provider cannot be reached or answers nonsense */
	OIDC_REFUSED,      /* the provider refused (the code, the client) */
	OIDC_INVALID,      /* the ID token failed a check */
	OIDC_NO_EMAIL,     /* valid, but without the e-mail claim */
};

/* 1 if url is https://, or http:// to 127.0.0.1, [::1] or localhost, and
 * has no fragment; else 0. */
int oidc_url_ok(const char *url);

/* The discovery document of src (cached).  0, or -1 with *why a short
 * reason for the log (never a secret). */
int oidc_discover(const struct identity_source *src, struct arena *a,
		  struct oidc_endpoints *out, const char **why);

/* The values derived from a state with the server key: the nonce and the
 * PKCE code verifier (43 characters of base64url each), so the database
 * keeps neither; and the verifier's S256 challenge.  NULL when no server
 * key is loaded. */
const char *oidc_nonce(struct arena *a, const char *state);
const char *oidc_verifier(struct arena *a, const char *state);
const char *oidc_challenge(struct arena *a, const char *verifier);

/* The provider's authorization URL for a sign-in (the browser is sent
 * there). */
const char *oidc_authorize_url(const struct identity_source *src, struct arena *a,
			       const struct oidc_endpoints *ep, const char *redirect_uri,
			       const char *state);

/* The redirect URI of every source: base_url + "/logga-in/extern/svar". */
const char *oidc_redirect_uri(struct arena *a, const char *base_url);

/* The rest of a sign-in: exchanges code at the token endpoint (the client
 * secret as the source says, the verifier of state), checks the ID token
 * and reads the claims the source's settings name.  *why is a short reason
 * for the log and the audit trail (never a token or a code). */
enum oidc_result oidc_finish(const struct identity_source *src, struct arena *a,
			     const char *redirect_uri, const char *code, const char *state,
			     struct identity_claims *claims, const char **why);

/* The ID token's checks alone, at time now, against the keys in jwks (a
 * JSON text); 1 in *need_keys when the token's key is not among them. */
enum oidc_result oidc_check_token(const struct identity_source *src, struct arena *a,
				  const char *issuer, const char *jwks, const char *id_token,
				  const char *nonce, int64_t now, struct identity_claims *claims,
				  int *need_keys, const char **why);

/* An error code from the provider ("access_denied"), kept to the
 * characters such codes have, for the log and the trail; "none" for NULL. */
const char *oidc_safe_code(struct arena *a, const char *s);

/* Forgets every cached document and key set (tests). */
void oidc_cache_clear(void);

#endif
