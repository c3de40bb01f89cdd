/* oidc_provider.h - an OpenID Connect provider on loopback for the HTTP
 * tests: a libmicrohttpd server in a thread of the test serving
 *
 *   /.well-known/openid-configuration   the discovery document
 *   /jwks                               the published public keys
 *   /authorize                          signs in the configured user at once
 *                                       and redirects with a code
 *   /token                              checks the client (secret, basic or
 *                                       post), the code (once), the
 *                                       redirect URI and the PKCE verifier
 *                                       (S256), and answers with an ID token
 *                                       signed by a real key made by cjose
 *
 * The test changes the knobs between requests (the provider answers one
 * request at a time, while the test waits for Värn): which key signs,
 * which keys are published, and what the next ID token says.
 */
#ifndef VARN_OIDC_PROVIDER_H
#define VARN_OIDC_PROVIDER_H

#include "base/base.h"

#define OP_KEYS 3 /* 0, 1: RSA 2048 ("rsa-1", "rsa-2"); 2: EC P-256 ("ec-1") */

struct oidc_provider {
	int port;
	char issuer[64];            /* "http://127.0.0.1:PORT" */
	const char *client_id, *client_secret;
	/* the user it signs in */
	const char *sub, *email, *name, *unit;
	const char *groups_json;    /* a JSON array, or NULL: no groups claim */
	/* knobs for the next ID token (NULL/0: as a good provider would) */
	int key;                    /* the key that signs (index) */
	unsigned publish;           /* bit i: key i is in /jwks (default 1) */
	int rogue;                  /* sign with an unpublished key, under the
				       signing key's kid (a forged signature) */
	const char *kid;            /* another kid in the header */
	const char *aud_json;       /* the audience as JSON ("\"x\"", "[...]") */
	const char *azp;
	const char *iss;            /* another issuer */
	const char *nonce;          /* another nonce */
	int64_t exp_in;             /* seconds from now the token expires
				       (0: 300) */
	int omit_email;
	/* what it saw */
	int hits_discovery, hits_jwks, hits_authorize, hits_token, token_refused;
	/* its own */
	void *daemon;
	void *keys[OP_KEYS], *rogue_key;
	struct op_code {
		char code[48], nonce[96], challenge[96], redirect[300];
		int used;
	} codes[64];
	int ncodes;
};

/* Makes the keys (once) and starts the server on a free loopback port (or
 * the one it had, after a stop).  0, or -1. */
int oidc_provider_start(struct oidc_provider *p);
void oidc_provider_stop(struct oidc_provider *p);
void oidc_provider_free(struct oidc_provider *p);
/* Asks the provider's authorization endpoint (url: where Värn sent the
 * browser) as a browser would, without following its redirect: the
 * Location it answers with, in a (NULL when it did not redirect). */
const char *oidc_provider_authorize(struct oidc_provider *p, struct arena *a, const char *url);

#endif
