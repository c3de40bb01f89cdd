/* oidc.c - OpenID Connect: the source kind "oidc" and the protocol
 * (oidc.h).  The pages that drive it are in oidc_pages.c. */
#include "base/base.h"

#include <cjose/cjose.h>
#include <curl/curl.h>
#include <jansson.h>
#include <pthread.h>
#include <sodium.h>

#include "base/clock.h"
#include "core/auth.h"
#include "core/i18n.h"
#include "modules/signin/identity.h"
#include "modules/signin/oidc.h"
#include "modules/signin/signin.h"
#include "parse/form.h"

#define RESPONSE_MAX (512 * 1024)
#define GROUPS_MAX 200
#define CACHE_N 32

/* ---- settings ------------------------------------------------------------ */

static const struct identity_field oidc_fields[] = {
	{ "issuer", M_OIDC_F_ISSUER, M_OIDC_F_ISSUER_HELP, IF_URL, 1, NULL },
	{ "client_id", M_OIDC_F_CLIENT_ID, M_OIDC_F_CLIENT_ID_HELP, IF_TEXT, 1, NULL },
	{ "client_secret", M_OIDC_F_SECRET, M_OIDC_F_SECRET_HELP, IF_SECRET, 1, NULL },
	{ "token_auth", M_OIDC_F_TOKEN_AUTH, M_OIDC_F_TOKEN_AUTH_HELP, IF_TEXT, 0,
	  "client_secret_basic" },
	{ "scopes", M_OIDC_F_SCOPES, M_OIDC_F_SCOPES_HELP, IF_TEXT, 0, "openid profile email" },
	{ "claim_email", M_OIDC_F_CLAIM_EMAIL, M_OIDC_F_CLAIM_EMAIL_HELP, IF_TEXT, 0, "email" },
	{ "claim_name", M_OIDC_F_CLAIM_NAME, 0, IF_TEXT, 0, "name" },
	{ "claim_unit", M_OIDC_F_CLAIM_UNIT, M_OIDC_F_CLAIM_UNIT_HELP, IF_TEXT, 0, NULL },
	{ "claim_groups", M_OIDC_F_CLAIM_GROUPS, M_OIDC_F_CLAIM_GROUPS_HELP, IF_TEXT, 0, "groups" },
	{ "provider_mfa", M_OIDC_F_MFA, M_OIDC_F_MFA_HELP, IF_BOOL, 0, "0" },
	{ "ca_cert", M_OIDC_F_CA, M_OIDC_F_CA_HELP, IF_LONGTEXT, 0, NULL },
	{ NULL, 0, 0, 0, 0, NULL },
};

static int starts_with(const char *s, const char *p)
{
	return s && strncmp(s, p, strlen(p)) == 0;
}

int oidc_url_ok(const char *url)
{
	const char *host, *end;
	size_t n;

	if (!url || strlen(url) > 1000 || strchr(url, '#'))
		return 0;
	for (const char *c = url; *c; c++)
		if ((unsigned char)*c <= 0x20 || *c == 0x7f || *c == '\\')
			return 0;
	/* no user name in the address: "http://127.0.0.1:80@elsewhere/" is
	 * elsewhere */
	host = strstr(url, "://");
	if (!host)
		return 0;
	host += 3;
	if (memchr(host, '@', strcspn(host, "/?")))
		return 0;
	if (starts_with(url, "https://"))
		return url[8] != 0 && url[8] != '/';
	if (!starts_with(url, "http://"))
		return 0;
	/* plain http only to this computer: the tests' provider */
	host = url + 7;
	if (*host == '[') {
		end = strchr(host, ']');
		if (!end)
			return 0;
		end++;
	} else {
		end = host + strcspn(host, ":/?");
	}
	n = (size_t)(end - host);
	if (!((n == 9 && !strncmp(host, "127.0.0.1", 9)) || (n == 5 && !strncmp(host, "[::1]", 5)) ||
	      (n == 9 && !strncasecmp(host, "localhost", 9))))
		return 0;
	return *end == 0 || *end == ':' || *end == '/' || *end == '?';
}

static int claim_name_ok(const char *v)
{
	if (!v || !*v)
		return 1; /* the default applies */
	if (strlen(v) > 100)
		return 0;
	for (; *v; v++)
		if ((unsigned char)*v <= 0x20 || *v == 0x7f)
			return 0;
	return 1;
}

static int scopes_ok(const char *v)
{
	int openid = 0;

	if (!v || !*v)
		return 1; /* the default */
	while (*v) {
		size_t n;

		while (*v == ' ')
			v++;
		n = strcspn(v, " ");
		if (!n)
			break;
		for (size_t i = 0; i < n; i++)
			if ((unsigned char)v[i] < 0x21 || (unsigned char)v[i] > 0x7e || v[i] == '"' ||
			    v[i] == '\\')
				return 0;
		if (n == 6 && !strncmp(v, "openid", 6))
			openid = 1;
		v += n;
	}
	return openid;
}

/* The settings' own value (not the default) of key. */
static const char *own(const struct identity_source *src, const char *key)
{
	for (size_t i = 0; i < src->nvalues; i++)
		if (!strcmp(src->keys[i], key))
			return src->values[i];
	return NULL;
}

static int oidc_validate(const struct identity_source *src, struct arena *a, const char **field)
{
	static const char *const claims[] = { "claim_email", "claim_name", "claim_unit",
					      "claim_groups", NULL };
	const char *issuer = own(src, "issuer"), *ta = own(src, "token_auth");
	const char *ca = own(src, "ca_cert");

	(void)a;
	if (!oidc_url_ok(issuer) || strchr(issuer, '?')) {
		*field = "issuer";
		return M_OIDC_V_ISSUER;
	}
	if (!scopes_ok(own(src, "scopes"))) {
		*field = "scopes";
		return M_OIDC_V_SCOPES;
	}
	if (ta && *ta && strcmp(ta, "client_secret_basic") && strcmp(ta, "client_secret_post")) {
		*field = "token_auth";
		return M_OIDC_V_TOKEN_AUTH;
	}
	for (size_t i = 0; claims[i]; i++)
		if (!claim_name_ok(own(src, claims[i]))) {
			*field = claims[i];
			return M_OIDC_V_CLAIM;
		}
	if (ca && *ca && !strstr(ca, "-----BEGIN CERTIFICATE-----")) {
		*field = "ca_cert";
		return M_IDENTITY_V_TOO_LONG;
	}
	return 0;
}

/* ---- HTTP ---------------------------------------------------------------- */

static size_t on_data(char *p, size_t size, size_t n, void *ud)
{
	struct buf *b = ud;

	return buf_add(b, p, size * n) ? 0 : size * n;
}

/* GET url, or POST form to it (with an Authorization header when auth is
 * set).  0 with *status and *body (in a), or -1 when there was no answer,
 * with *why the reason. */
static int http_call(const struct identity_source *src, struct arena *a, const char *url,
		     const char *form, const char *auth, long *status, const char **body,
		     const char **why)
{
	struct buf b;
	struct curl_slist *hdrs = NULL;
	char errbuf[CURL_ERROR_SIZE] = "";
	const char *ca = identity_get(src, "ca_cert");
	struct curl_blob blob;
	CURLcode rc;
	CURL *h;
	int ret = -1;

	*status = 0;
	*body = "";
	if (!oidc_url_ok(url)) {
		*why = "the address is not https:// (nor http:// to this computer)";
		return -1;
	}
	if (!(h = curl_easy_init())) {
		*why = "out of memory";
		return -1;
	}
	buf_init(&b, RESPONSE_MAX);
	hdrs = curl_slist_append(hdrs, "Accept: application/json");
	if (auth)
		hdrs = curl_slist_append(hdrs, arena_printf(a, "Authorization: %s", auth));
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, 5L);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, 10L);
	curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(h, CURLOPT_USERAGENT, "Varn");
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdrs);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, &b);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
	if (ca && *ca) {
		blob.data = (void *)ca;
		blob.len = strlen(ca);
		blob.flags = CURL_BLOB_COPY;
		curl_easy_setopt(h, CURLOPT_CAINFO_BLOB, &blob);
	}
	if (form) {
		curl_easy_setopt(h, CURLOPT_POSTFIELDS, form);
		curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE, (long)strlen(form));
	}
	rc = curl_easy_perform(h);
	if (rc != CURLE_OK) {
		*why = arena_printf(a, "%s", *errbuf ? errbuf : curl_easy_strerror(rc));
		goto out;
	}
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, status);
	*body = arena_strndup(a, b.p, b.len);
	ret = 0;
out:
	curl_slist_free_all(hdrs);
	curl_easy_cleanup(h);
	buf_release(&b);
	return ret;
}

/* ---- the cache ----------------------------------------------------------- */

struct cached {
	int64_t source_id;
	char *cfg_issuer;        /* the setting the entry was fetched for */
	char *issuer, *authorization, *token, *jwks_uri;
	int64_t ep_until;
	char *jwks;
	int64_t jwks_at;         /* last fetch (or attempt) of the keys */
	int64_t used;
};
static struct cached cache[CACHE_N];
static pthread_mutex_t cache_mu = PTHREAD_MUTEX_INITIALIZER;

static void cached_clear(struct cached *c)
{
	free(c->cfg_issuer);
	free(c->issuer);
	free(c->authorization);
	free(c->token);
	free(c->jwks_uri);
	free(c->jwks);
	memset(c, 0, sizeof(*c));
}

void oidc_cache_clear(void)
{
	pthread_mutex_lock(&cache_mu);
	for (size_t i = 0; i < CACHE_N; i++)
		cached_clear(&cache[i]);
	pthread_mutex_unlock(&cache_mu);
}

/* The entry of src (its issuer setting unchanged), made if need be.  With
 * cache_mu held. */
static struct cached *slot_of(const struct identity_source *src, const char *cfg_issuer)
{
	struct cached *old = &cache[0];

	for (size_t i = 0; i < CACHE_N; i++) {
		struct cached *c = &cache[i];

		if (c->source_id == src->id && c->cfg_issuer) {
			if (strcmp(c->cfg_issuer, cfg_issuer))
				cached_clear(c);
			else
				return c;
		}
	}
	for (size_t i = 0; i < CACHE_N; i++) {
		if (!cache[i].source_id) {
			old = &cache[i];
			break;
		}
		if (cache[i].used < old->used)
			old = &cache[i];
	}
	cached_clear(old);
	old->source_id = src->id;
	old->cfg_issuer = xstrdup(cfg_issuer);
	return old;
}

static char *dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

/* ---- discovery ----------------------------------------------------------- */

static size_t trimmed_len(const char *s)
{
	size_t n = strlen(s);

	while (n && s[n - 1] == '/')
		n--;
	return n;
}

static const char *jstr(struct arena *a, json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	return json_is_string(v) ? arena_strdup(a, json_string_value(v)) : NULL;
}

/* Fetches and checks the document. */
static int discover_fetch(const struct identity_source *src, struct arena *a,
			  struct oidc_endpoints *ep, const char **why)
{
	const char *cfg = identity_get(src, "issuer"), *body;
	json_t *doc;
	long status;
	size_t n = trimmed_len(cfg);

	if (http_call(src, a,
		      arena_printf(a, "%.*s/.well-known/openid-configuration", (int)n, cfg), NULL,
		      NULL, &status, &body, why))
		return -1;
	if (status != 200) {
		*why = arena_printf(a, "the discovery document answered HTTP %ld", status);
		return -1;
	}
	if (!(doc = json_loads(body, 0, NULL)) || !json_is_object(doc)) {
		json_decref(doc);
		*why = "the discovery document is not a JSON object";
		return -1;
	}
	ep->issuer = jstr(a, doc, "issuer");
	ep->authorization = jstr(a, doc, "authorization_endpoint");
	ep->token = jstr(a, doc, "token_endpoint");
	ep->jwks_uri = jstr(a, doc, "jwks_uri");
	json_decref(doc);
	if (!ep->issuer || trimmed_len(ep->issuer) != n || strncmp(ep->issuer, cfg, n)) {
		*why = arena_printf(a, "the discovery document names another issuer (%.200s)",
				    ep->issuer ? ep->issuer : "none");
		return -1;
	}
	if (!oidc_url_ok(ep->authorization) || !oidc_url_ok(ep->token) ||
	    !oidc_url_ok(ep->jwks_uri)) {
		*why = "the discovery document lacks an endpoint, or one is not https://";
		return -1;
	}
	return 0;
}

int oidc_discover(const struct identity_source *src, struct arena *a,
		  struct oidc_endpoints *out, const char **why)
{
	const char *cfg = identity_get(src, "issuer");
	int64_t now = clock_now();
	struct cached *c;

	*why = "";
	memset(out, 0, sizeof(*out));
	if (!cfg) {
		*why = "no issuer set";
		return -1;
	}
	pthread_mutex_lock(&cache_mu);
	c = slot_of(src, cfg);
	c->used = now;
	if (c->issuer && c->ep_until > now) {
		out->issuer = arena_strdup(a, c->issuer);
		out->authorization = arena_strdup(a, c->authorization);
		out->token = arena_strdup(a, c->token);
		out->jwks_uri = arena_strdup(a, c->jwks_uri);
		pthread_mutex_unlock(&cache_mu);
		return 0;
	}
	pthread_mutex_unlock(&cache_mu);
	if (discover_fetch(src, a, out, why))
		return -1;
	pthread_mutex_lock(&cache_mu);
	c = slot_of(src, cfg);
	free(c->issuer);
	free(c->authorization);
	free(c->token);
	if (c->jwks_uri && strcmp(c->jwks_uri, out->jwks_uri)) {
		free(c->jwks);
		c->jwks = NULL;
		c->jwks_at = 0;
	}
	free(c->jwks_uri);
	c->issuer = dup_or_null(out->issuer);
	c->authorization = dup_or_null(out->authorization);
	c->token = dup_or_null(out->token);
	c->jwks_uri = dup_or_null(out->jwks_uri);
	c->ep_until = now + OIDC_DISCOVERY_LIFE;
	pthread_mutex_unlock(&cache_mu);
	return 0;
}

/* ---- keys ------------------------------------------------------------------ */

static int jwks_fetch(const struct identity_source *src, struct arena *a, const char *uri,
		      const char **jwks, const char **why)
{
	const char *body;
	long status;
	json_t *doc;
	int ok;

	if (http_call(src, a, uri, NULL, NULL, &status, &body, why))
		return -1;
	if (status != 200) {
		*why = arena_printf(a, "the key set answered HTTP %ld", status);
		return -1;
	}
	doc = json_loads(body, 0, NULL);
	ok = json_is_array(json_object_get(doc, "keys"));
	json_decref(doc);
	if (!ok) {
		*why = "the key set has no \"keys\"";
		return -1;
	}
	*jwks = body;
	return 0;
}

/* The cached keys of src (fetched when absent or old, or, with refresh,
 * when the last fetch is older than the floor).  NULL with *why. */
static const char *jwks_get(const struct identity_source *src, struct arena *a,
			    const struct oidc_endpoints *ep, int refresh, int *fetched,
			    const char **why)
{
	const char *cfg = identity_get(src, "issuer"), *got = NULL;
	int64_t now = clock_now();
	struct cached *c;

	*fetched = 0;
	pthread_mutex_lock(&cache_mu);
	c = slot_of(src, cfg);
	if (c->jwks && c->jwks_at + OIDC_JWKS_LIFE > now &&
	    (!refresh || c->jwks_at + OIDC_JWKS_FLOOR > now)) {
		got = arena_strdup(a, c->jwks);
		pthread_mutex_unlock(&cache_mu);
		if (refresh)
			*why = "the token's key is unknown, and the keys were fetched less than a "
			       "minute ago";
		return refresh ? NULL : got;
	}
	c->jwks_at = now; /* claimed: a concurrent request waits for the floor */
	pthread_mutex_unlock(&cache_mu);
	if (jwks_fetch(src, a, ep->jwks_uri, &got, why))
		return NULL;
	*fetched = 1;
	pthread_mutex_lock(&cache_mu);
	c = slot_of(src, cfg);
	free(c->jwks);
	c->jwks = xstrdup(got);
	c->jwks_at = now;
	pthread_mutex_unlock(&cache_mu);
	return got;
}

/* ---- derived values -------------------------------------------------------- */

static const char *derive(struct arena *a, const char *label, const char *state)
{
	static const unsigned char zero[32];
	unsigned char h[32];
	char *out = arena_alloc(a, 48);
	crypto_generichash_state st;

	if (sodium_memcmp(auth_cfg.key, zero, sizeof(zero)) == 0)
		return NULL;
	crypto_generichash_init(&st, auth_cfg.key, sizeof(auth_cfg.key), sizeof(h));
	crypto_generichash_update(&st, (const unsigned char *)label, strlen(label));
	crypto_generichash_update(&st, (const unsigned char *)state, strlen(state));
	crypto_generichash_final(&st, h, sizeof(h));
	sodium_bin2base64(out, 48, h, sizeof(h), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(h, sizeof(h));
	return out;
}

const char *oidc_nonce(struct arena *a, const char *state)
{
	return derive(a, "oidc-nonce:", state);
}

const char *oidc_verifier(struct arena *a, const char *state)
{
	return derive(a, "oidc-verifier:", state);
}

const char *oidc_challenge(struct arena *a, const char *verifier)
{
	unsigned char h[crypto_hash_sha256_BYTES];
	char *out = arena_alloc(a, 48);

	crypto_hash_sha256(h, (const unsigned char *)verifier, strlen(verifier));
	sodium_bin2base64(out, 48, h, sizeof(h), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	return out;
}

const char *oidc_redirect_uri(struct arena *a, const char *base_url)
{
	const char *b = base_url ? base_url : "";

	return arena_printf(a, "%.*s/logga-in/extern/svar", (int)trimmed_len(b), b);
}

static void param(struct buf *b, const char *name, const char *value)
{
	if (b->len && b->p[b->len - 1] != '?')
		buf_putc(b, '&');
	buf_puts(b, name);
	buf_putc(b, '=');
	url_encode(b, value);
}

const char *oidc_authorize_url(const struct identity_source *src, struct arena *a,
			       const struct oidc_endpoints *ep, const char *redirect_uri,
			       const char *state)
{
	struct buf b = BUF_INIT;
	const char *out, *nonce = oidc_nonce(a, state), *verifier = oidc_verifier(a, state);

	if (!nonce || !verifier)
		return NULL;
	buf_puts(&b, ep->authorization);
	buf_putc(&b, strchr(ep->authorization, '?') ? '&' : '?');
	param(&b, "response_type", "code");
	param(&b, "client_id", identity_get(src, "client_id"));
	param(&b, "redirect_uri", redirect_uri);
	param(&b, "scope", identity_get(src, "scopes"));
	param(&b, "state", state);
	param(&b, "nonce", nonce);
	param(&b, "code_challenge", oidc_challenge(a, verifier));
	param(&b, "code_challenge_method", "S256");
	out = buf_ok(&b) ? arena_strdup(a, b.p) : NULL;
	buf_release(&b);
	return out;
}

/* ---- the ID token ------------------------------------------------------------ */

/* The key type an algorithm needs: CJOSE_JWK_KTY_RSA or _EC; 0 for an
 * algorithm Värn does not accept ("none", HS256, ...). */
static int alg_kty(const char *alg)
{
	static const char *const rsa[] = { "RS256", "RS384", "RS512", "PS256", "PS384", NULL };
	static const char *const ec[] = { "ES256", "ES384", "ES512", NULL };

	for (size_t i = 0; alg && rsa[i]; i++)
		if (!strcmp(alg, rsa[i]))
			return CJOSE_JWK_KTY_RSA;
	for (size_t i = 0; alg && ec[i]; i++)
		if (!strcmp(alg, ec[i]))
			return CJOSE_JWK_KTY_EC;
	return 0;
}

/* Verifies jws with the keys of jwks that fit alg and kid: 1 verified, 0
 * a key fitted but the signature is wrong, -1 no key fits. */
static int verify_with(cjose_jws_t *jws, const char *jwks, const char *alg, const char *kid)
{
	json_t *doc = json_loads(jwks, 0, NULL), *keys = json_object_get(doc, "keys"), *k;
	size_t i;
	int res = -1;

	json_array_foreach(keys, i, k) {
		json_t *use = json_object_get(k, "use"), *kk = json_object_get(k, "kid");
		json_t *ka = json_object_get(k, "alg");
		cjose_err cerr;
		cjose_jwk_t *jwk;
		char *text;

		if (i >= 20 || res == 1)
			break;
		if (json_is_string(use) && strcmp(json_string_value(use), "sig"))
			continue;
		if (json_is_string(ka) && strcmp(json_string_value(ka), alg))
			continue;
		if (kid && (!json_is_string(kk) || strcmp(json_string_value(kk), kid)))
			continue;
		if (!(text = json_dumps(k, JSON_COMPACT)))
			continue;
		jwk = cjose_jwk_import(text, strlen(text), &cerr);
		free(text);
		if (!jwk)
			continue;
		if ((int)cjose_jwk_get_kty(jwk, &cerr) == alg_kty(alg)) {
			res = 0;
			if (cjose_jws_verify(jws, jwk, &cerr))
				res = 1;
		}
		cjose_jwk_release(jwk);
	}
	json_decref(doc);
	return res;
}

static int aud_has(json_t *aud, const char *client_id, size_t *n)
{
	json_t *v;
	size_t i;
	int found = 0;

	*n = 0;
	if (json_is_string(aud)) {
		*n = 1;
		return !strcmp(json_string_value(aud), client_id);
	}
	json_array_foreach(aud, i, v) {
		(*n)++;
		if (json_is_string(v) && !strcmp(json_string_value(v), client_id))
			found = 1;
	}
	return found;
}

static int num(json_t *o, const char *key, int64_t *v)
{
	json_t *j = json_object_get(o, key);

	if (!json_is_number(j))
		return 0;
	*v = (int64_t)json_number_value(j);
	return 1;
}

/* The claims of a checked token the source's settings name. */
static enum oidc_result read_claims(const struct identity_source *src, struct arena *a,
				    json_t *p, struct identity_claims *c, const char **why)
{
	const char *email = jstr(a, p, identity_get(src, "claim_email"));
	const char *gname = identity_get(src, "claim_groups");
	const char *uname = identity_get(src, "claim_unit");
	json_t *g = gname ? json_object_get(p, gname) : NULL;

	memset(c, 0, sizeof(*c));
	c->subject = jstr(a, p, "sub");
	if (!c->subject || !*c->subject || strlen(c->subject) > 255) {
		*why = "the ID token has no subject (sub)";
		return OIDC_INVALID;
	}
	if (!email || !strchr(email, '@') || strlen(email) > 254) {
		*why = arena_printf(a, "the ID token has no e-mail address in the claim %.100s",
				    identity_get(src, "claim_email"));
		return OIDC_NO_EMAIL;
	}
	c->email = email;
	c->name = jstr(a, p, identity_get(src, "claim_name"));
	if (c->name && strlen(c->name) > 200)
		c->name = NULL;
	c->unit = uname ? jstr(a, p, uname) : NULL;
	if (json_is_string(g)) {
		const char **one = arena_alloc(a, sizeof(*one));

		one[0] = arena_strdup(a, json_string_value(g));
		c->groups = one;
		c->ngroups = 1;
	} else if (json_is_array(g)) {
		size_t n = json_array_size(g) < GROUPS_MAX ? json_array_size(g) : GROUPS_MAX, k = 0;
		const char **list = arena_alloc(a, (n + 1) * sizeof(*list));

		for (size_t i = 0; i < n; i++)
			if (json_is_string(json_array_get(g, i)))
				list[k++] = arena_strdup(a, json_string_value(json_array_get(g, i)));
		c->groups = list;
		c->ngroups = k;
	} else if (gname && json_is_object(json_object_get(json_object_get(p, "_claim_names"), gname))) {
		/* Entra ID's "group overage": too many groups to list in the
		 * token.  Värn does not ask Microsoft Graph; mapped roles are
		 * then missing (logged, so that the administrator can limit
		 * the token to the groups assigned to the application). */
		log_warn("identity source %lld: the ID token lists too many groups (group overage); "
			 "only groups assigned to the application can be read", (long long)src->id);
	}
	return OIDC_OK;
}

enum oidc_result oidc_check_token(const struct identity_source *src, struct arena *a,
				  const char *issuer, const char *jwks, const char *id_token,
				  const char *nonce, int64_t now, struct identity_claims *claims,
				  int *need_keys, const char **why)
{
	const char *client_id = identity_get(src, "client_id"), *alg, *kid;
	cjose_err cerr;
	cjose_jws_t *jws = NULL;
	cjose_header_t *hdr;
	uint8_t *plain = NULL;
	size_t plain_len = 0, naud = 0;
	json_t *p = NULL, *azp;
	int64_t exp, t;
	enum oidc_result res = OIDC_INVALID;
	int v;

	*need_keys = 0;
	*why = "";
	if (!id_token || strlen(id_token) > 64 * 1024 ||
	    !(jws = cjose_jws_import(id_token, strlen(id_token), &cerr))) {
		*why = "the ID token is not a signed JWT";
		goto out;
	}
	hdr = cjose_jws_get_protected(jws);
	alg = hdr ? cjose_header_get(hdr, CJOSE_HDR_ALG, &cerr) : NULL;
	kid = hdr ? cjose_header_get(hdr, CJOSE_HDR_KID, &cerr) : NULL;
	if (!alg_kty(alg)) {
		*why = arena_printf(a, "the ID token's algorithm %.20s is not accepted",
				    alg ? alg : "(none)");
		goto out;
	}
	if (hdr) {
		char *crit = cjose_header_get_raw(hdr, "crit", &cerr);

		free(crit);
		if (crit) {
			*why = "the ID token has critical header parameters";
			goto out;
		}
	}
	v = verify_with(jws, jwks ? jwks : "{}", alg, kid);
	if (v < 0) {
		*need_keys = 1;
		*why = "the ID token's signing key is unknown";
		goto out;
	}
	if (v == 0) {
		*why = "the ID token's signature is wrong";
		goto out;
	}
	if (!cjose_jws_get_plaintext(jws, &plain, &plain_len, &cerr) ||
	    !(p = json_loadb((const char *)plain, plain_len, 0, NULL)) || !json_is_object(p)) {
		*why = "the ID token's claims are not a JSON object";
		goto out;
	}
	if (!json_is_string(json_object_get(p, "iss")) ||
	    strcmp(json_string_value(json_object_get(p, "iss")), issuer)) {
		*why = "the ID token's issuer is wrong";
		goto out;
	}
	if (!aud_has(json_object_get(p, "aud"), client_id, &naud)) {
		*why = "the ID token's audience is not this client";
		goto out;
	}
	azp = json_object_get(p, "azp");
	if ((naud > 1 && !json_is_string(azp)) ||
	    (azp && (!json_is_string(azp) || strcmp(json_string_value(azp), client_id)))) {
		*why = "the ID token's authorized party is not this client";
		goto out;
	}
	if (!num(p, "exp", &exp) || now > exp + OIDC_LEEWAY) {
		*why = "the ID token has expired";
		goto out;
	}
	if (num(p, "nbf", &t) && t > now + OIDC_LEEWAY) {
		*why = "the ID token is not valid yet";
		goto out;
	}
	if (!num(p, "iat", &t) || t > now + OIDC_LEEWAY) {
		*why = "the ID token's issue time is missing or in the future";
		goto out;
	}
	if (!nonce || !json_is_string(json_object_get(p, "nonce")) ||
	    strcmp(json_string_value(json_object_get(p, "nonce")), nonce)) {
		*why = "the ID token's nonce is wrong";
		goto out;
	}
	res = read_claims(src, a, p, claims, why);
out:
	json_decref(p);
	if (jws)
		cjose_jws_release(jws);
	return res;
}

/* ---- the token endpoint ------------------------------------------------------- */

/* RFC 6749 2.3.1: the client id and secret are form-encoded before they
 * are joined and base64-encoded. */
static const char *basic_auth(struct arena *a, const char *id, const char *secret)
{
	struct buf b = BUF_INIT;
	size_t len;
	char *out;

	url_encode(&b, id);
	buf_putc(&b, ':');
	url_encode(&b, secret);
	len = sodium_base64_ENCODED_LEN(b.len, sodium_base64_VARIANT_ORIGINAL);
	out = arena_alloc(a, len + 8);
	memcpy(out, "Basic ", 6);
	sodium_bin2base64(out + 6, len, (const unsigned char *)b.p, b.len,
			  sodium_base64_VARIANT_ORIGINAL);
	sodium_memzero(b.p, b.len);
	buf_release(&b);
	return out;
}

/* An error code from the provider, kept to the characters such codes
 * have (it goes into the log and the trail). */
const char *oidc_safe_code(struct arena *a, const char *s)
{
	char *o;
	size_t n = 0;

	if (!s)
		return "none";
	o = arena_alloc(a, 41);
	for (; *s && n < 40; s++)
		if ((*s >= 'a' && *s <= 'z') || *s == '_' || (*s >= '0' && *s <= '9'))
			o[n++] = *s;
	o[n] = 0;
	return n ? o : "unreadable";
}

enum oidc_result oidc_finish(const struct identity_source *src, struct arena *a,
			     const char *redirect_uri, const char *code, const char *state,
			     struct identity_claims *claims, const char **why)
{
	struct oidc_endpoints ep;
	const char *verifier = oidc_verifier(a, state), *nonce = oidc_nonce(a, state);
	const char *secret = identity_get(src, "client_secret"), *auth = NULL, *body, *jwks;
	const char *ta = identity_get(src, "token_auth");
	struct buf form = BUF_INIT;
	json_t *doc;
	long status;
	int need = 0, fetched = 0, rc;
	const char *id_token;
	enum oidc_result res;

	if (!verifier || !nonce) {
		*why = "no server key: the sign-in cannot be checked";
		return OIDC_UNAVAILABLE;
	}
	if (oidc_discover(src, a, &ep, why))
		return OIDC_UNAVAILABLE;
	buf_puts(&form, "");
	param(&form, "grant_type", "authorization_code");
	param(&form, "code", code);
	param(&form, "redirect_uri", redirect_uri);
	param(&form, "code_verifier", verifier);
	if (ta && !strcmp(ta, "client_secret_post")) {
		param(&form, "client_id", identity_get(src, "client_id"));
		param(&form, "client_secret", secret ? secret : "");
	} else {
		auth = basic_auth(a, identity_get(src, "client_id"), secret ? secret : "");
	}
	rc = buf_ok(&form) ? http_call(src, a, ep.token, form.p, auth, &status, &body, why) : -1;
	sodium_memzero(form.p, form.len);
	buf_release(&form);
	if (rc)
		return OIDC_UNAVAILABLE;
	doc = json_loads(body, 0, NULL);
	if (status != 200) {
		*why = arena_printf(a, "the token endpoint refused (HTTP %ld, %s)", status,
				    oidc_safe_code(a, json_string_value(json_object_get(doc, "error"))));
		json_decref(doc);
		return status >= 500 ? OIDC_UNAVAILABLE : OIDC_REFUSED;
	}
	id_token = jstr(a, doc, "id_token");
	json_decref(doc);
	if (!id_token) {
		*why = "the token endpoint gave no ID token";
		return OIDC_REFUSED;
	}
	if (!(jwks = jwks_get(src, a, &ep, 0, &fetched, why)))
		return OIDC_UNAVAILABLE;
	res = oidc_check_token(src, a, ep.issuer, jwks, id_token, nonce, clock_now(), claims,
			       &need, why);
	if (need && !fetched) {
		/* The provider may have rotated its keys since they were read. */
		const char *again = jwks_get(src, a, &ep, 1, &fetched, why);

		if (again)
			res = oidc_check_token(src, a, ep.issuer, again, id_token, nonce,
					       clock_now(), claims, &need, why);
	}
	return res;
}

/* ---- "test the connection" ------------------------------------------------------ */

static void line(struct buf *out, int lang, int msg, const char *extra)
{
	buf_puts(out, msg_text(lang, msg));
	if (extra) {
		buf_putc(out, ' ');
		buf_puts(out, extra);
	}
	buf_putc(out, '\n');
}

static int usable_keys(const char *jwks)
{
	json_t *doc = json_loads(jwks, 0, NULL), *k;
	size_t i;
	int n = 0;

	json_array_foreach(json_object_get(doc, "keys"), i, k) {
		json_t *use = json_object_get(k, "use");
		cjose_err cerr;
		cjose_jwk_t *jwk;
		char *text;
		int kty;

		if (json_is_string(use) && strcmp(json_string_value(use), "sig"))
			continue;
		if (!(text = json_dumps(k, JSON_COMPACT)))
			continue;
		jwk = cjose_jwk_import(text, strlen(text), &cerr);
		free(text);
		if (!jwk)
			continue;
		kty = (int)cjose_jwk_get_kty(jwk, &cerr);
		if (kty == CJOSE_JWK_KTY_RSA || kty == CJOSE_JWK_KTY_EC)
			n++;
		cjose_jwk_release(jwk);
	}
	json_decref(doc);
	return n;
}

static int oidc_test(const struct identity_source *src, struct arena *a, int lang,
		     struct buf *out)
{
	struct oidc_endpoints ep;
	const char *why = "", *jwks;
	int n;

	memset(&ep, 0, sizeof(ep));
	if (discover_fetch(src, a, &ep, &why)) {
		line(out, lang, M_OIDC_T_DISCOVERY_BAD, why);
		return -1;
	}
	line(out, lang, M_OIDC_T_DISCOVERY_OK, NULL);
	if (jwks_fetch(src, a, ep.jwks_uri, &jwks, &why)) {
		line(out, lang, M_OIDC_T_JWKS_BAD, why);
		return -1;
	}
	n = usable_keys(jwks);
	if (n == 0) {
		line(out, lang, M_OIDC_T_JWKS_BAD, "0");
		return -1;
	}
	line(out, lang, M_OIDC_T_JWKS_OK, arena_printf(a, "%d", n));
	return 0;
}

static const char *oidc_registration(struct arena *a, const char *base_url, int lang)
{
	const char *uri = oidc_redirect_uri(a, base_url);

	if (!strstr(uri, "://")) /* no public address known: say what is missing */
		return arena_printf(a, "%s %s %s", msg_text(lang, M_OIDC_REGISTER_URI), uri,
				    msg_text(lang, M_OIDC_REGISTER_NO_BASE));
	return arena_printf(a, "%s %s", msg_text(lang, M_OIDC_REGISTER_URI), uri);
}

const struct identity_kind oidc_kind = {
	.code = "oidc",
	.label = M_OIDC_KIND,
	.fields = oidc_fields,
	.validate = oidc_validate,
	.test = oidc_test,
	.redirect = 1,
	.registration = oidc_registration,
};
