/* oidc_provider.c - see oidc_provider.h. */
#include "base/base.h"

#include <arpa/inet.h>
#include <cjose/cjose.h>
#include <curl/curl.h>
#include <jansson.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <sodium.h>

#include "base/clock.h"
#include "oidc_provider.h"
#include "parse/form.h"

static const char *const kids[OP_KEYS] = { "rsa-1", "rsa-2", "ec-1" };

static enum MHD_Result answer(struct MHD_Connection *c, int status, const char *type,
			      const char *body, const char *location)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(strlen(body), (void *)body,
								 MHD_RESPMEM_MUST_COPY);
	enum MHD_Result ret;

	MHD_add_response_header(r, "Content-Type", type);
	if (location)
		MHD_add_response_header(r, "Location", location);
	ret = MHD_queue_response(c, (unsigned)status, r);
	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result json_answer(struct MHD_Connection *c, int status, json_t *j)
{
	char *s = json_dumps(j, JSON_COMPACT);
	enum MHD_Result ret = answer(c, status, "application/json", s ? s : "{}", NULL);

	free(s);
	json_decref(j);
	return ret;
}

static enum MHD_Result oauth_error(struct MHD_Connection *c, int status, const char *code)
{
	return json_answer(c, status, json_pack("{s:s}", "error", code));
}

static enum MHD_Result discovery(struct oidc_provider *p, struct MHD_Connection *c)
{
	json_t *d = json_object();

	p->hits_discovery++;
	json_object_set_new(d, "issuer", json_string(p->issuer));
	json_object_set_new(d, "authorization_endpoint", json_sprintf("%s/authorize", p->issuer));
	json_object_set_new(d, "token_endpoint", json_sprintf("%s/token", p->issuer));
	json_object_set_new(d, "jwks_uri", json_sprintf("%s/jwks", p->issuer));
	json_object_set_new(d, "response_types_supported", json_pack("[s]", "code"));
	json_object_set_new(d, "subject_types_supported", json_pack("[s]", "public"));
	json_object_set_new(d, "id_token_signing_alg_values_supported",
			    json_pack("[s,s]", "RS256", "ES256"));
	json_object_set_new(d, "code_challenge_methods_supported", json_pack("[s]", "S256"));
	json_object_set_new(d, "token_endpoint_auth_methods_supported",
			    json_pack("[s,s]", "client_secret_basic", "client_secret_post"));
	return json_answer(c, 200, d);
}

static enum MHD_Result jwks(struct oidc_provider *p, struct MHD_Connection *c)
{
	json_t *keys = json_array();

	p->hits_jwks++;
	for (int i = 0; i < OP_KEYS; i++) {
		cjose_err err;
		char *pub;

		if (!(p->publish & (1u << i)))
			continue;
		pub = cjose_jwk_to_json(p->keys[i], false, &err);
		if (pub) {
			json_t *k = json_loads(pub, 0, NULL);

			json_object_set_new(k, "use", json_string("sig"));
			json_array_append_new(keys, k);
			free(pub);
		}
	}
	return json_answer(c, 200, json_pack("{s:o}", "keys", keys));
}

static const char *arg(struct MHD_Connection *c, const char *name)
{
	return MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, name);
}

static void copy(char *dst, size_t n, const char *src)
{
	snprintf(dst, n, "%s", src ? src : "");
}

static enum MHD_Result authorize(struct oidc_provider *p, struct MHD_Connection *c)
{
	const char *redirect = arg(c, "redirect_uri"), *state = arg(c, "state");
	struct op_code *k;
	unsigned char raw[24];
	char *loc;
	enum MHD_Result ret;

	p->hits_authorize++;
	if (!redirect || !state || !arg(c, "nonce") || !arg(c, "code_challenge") ||
	    strcmp(arg(c, "response_type") ? arg(c, "response_type") : "", "code") ||
	    strcmp(arg(c, "client_id") ? arg(c, "client_id") : "", p->client_id) ||
	    strcmp(arg(c, "code_challenge_method") ? arg(c, "code_challenge_method") : "", "S256") ||
	    !strstr(arg(c, "scope") ? arg(c, "scope") : "", "openid") ||
	    p->ncodes >= (int)ARRAY_SIZE(p->codes))
		return answer(c, 400, "text/plain", "bad authorization request", NULL);
	k = &p->codes[p->ncodes++];
	randombytes_buf(raw, sizeof(raw));
	sodium_bin2base64(k->code, sizeof(k->code), raw, sizeof(raw),
			  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	copy(k->nonce, sizeof(k->nonce), arg(c, "nonce"));
	copy(k->challenge, sizeof(k->challenge), arg(c, "code_challenge"));
	copy(k->redirect, sizeof(k->redirect), redirect);
	k->used = 0;
	/* state and code are base64url: nothing to encode */
	if (asprintf(&loc, "%s?code=%s&state=%s", redirect, k->code, state) < 0)
		return MHD_NO;
	ret = answer(c, 302, "text/plain", "", loc);
	free(loc);
	return ret;
}

/* The client's id and secret: from "Authorization: Basic" (form-encoded
 * inside, RFC 6749 2.3.1) or from the form. */
static int client_ok(struct oidc_provider *p, struct MHD_Connection *c, const struct form *f,
		     struct arena *a)
{
	const char *h = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Authorization");
	const char *id = form_get(f, "client_id"), *secret = form_get(f, "client_secret");

	if (h && !strncmp(h, "Basic ", 6)) {
		size_t n = strlen(h + 6), len = 0;
		char *plain = arena_alloc(a, n + 1), *colon;
		struct form idf, sf;
		const char *why;

		if (sodium_base642bin((unsigned char *)plain, n, h + 6, n, NULL, &len, NULL,
				      sodium_base64_VARIANT_ORIGINAL))
			return 0;
		plain[len] = 0;
		if (!(colon = strchr(plain, ':')))
			return 0;
		*colon = 0;
		if (form_decode(a, arena_printf(a, "v=%s", plain), strlen(plain) + 2, 2, &idf, &why) ||
		    form_decode(a, arena_printf(a, "v=%s", colon + 1), strlen(colon + 1) + 2, 2, &sf,
				&why))
			return 0;
		id = form_get(&idf, "v");
		secret = form_get(&sf, "v");
	}
	return id && secret && !strcmp(id, p->client_id) && !strcmp(secret, p->client_secret);
}

static const char *sign(struct oidc_provider *p, struct arena *a, const char *payload)
{
	cjose_err err;
	cjose_header_t *hdr = cjose_header_new(&err);
	cjose_jws_t *jws;
	const char *ser = NULL, *out = NULL;
	int i = p->key;

	cjose_header_set(hdr, CJOSE_HDR_ALG, i == 2 ? CJOSE_HDR_ALG_ES256 : CJOSE_HDR_ALG_RS256,
			 &err);
	cjose_header_set(hdr, CJOSE_HDR_KID, p->kid ? p->kid : kids[i], &err);
	jws = cjose_jws_sign(p->rogue ? p->rogue_key : p->keys[i], hdr, (const uint8_t *)payload,
			     strlen(payload), &err);
	if (jws && cjose_jws_export(jws, &ser, &err))
		out = arena_strdup(a, ser);
	cjose_jws_release(jws);
	cjose_header_release(hdr);
	return out;
}

static enum MHD_Result token(struct oidc_provider *p, struct MHD_Connection *c,
			     const struct buf *body)
{
	struct arena a = ARENA_INIT;
	struct form f;
	const char *why, *code, *verifier, *id_token;
	struct op_code *k = NULL;
	unsigned char h[crypto_hash_sha256_BYTES];
	char challenge[64];
	json_t *claims;
	char *payload;
	int64_t now = clock_now();
	enum MHD_Result ret;

	p->hits_token++;
	if (form_decode(&a, body->p, body->len, 20, &f, &why)) {
		ret = oauth_error(c, 400, "invalid_request");
		goto out;
	}
	if (!client_ok(p, c, &f, &a)) {
		p->token_refused++;
		ret = oauth_error(c, 401, "invalid_client");
		goto out;
	}
	code = form_get(&f, "code");
	verifier = form_get(&f, "code_verifier");
	for (int i = 0; code && i < p->ncodes; i++)
		if (!strcmp(p->codes[i].code, code))
			k = &p->codes[i];
	if (!k || k->used || !verifier ||
	    strcmp(form_get(&f, "grant_type") ? form_get(&f, "grant_type") : "",
		   "authorization_code") ||
	    strcmp(form_get(&f, "redirect_uri") ? form_get(&f, "redirect_uri") : "", k->redirect)) {
		if (k)
			k->used = 1; /* a code offered twice is spent for good */
		p->token_refused++;
		ret = oauth_error(c, 400, "invalid_grant");
		goto out;
	}
	k->used = 1;
	crypto_hash_sha256(h, (const unsigned char *)verifier, strlen(verifier));
	sodium_bin2base64(challenge, sizeof(challenge), h, sizeof(h),
			  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	if (strcmp(challenge, k->challenge)) {
		p->token_refused++;
		ret = oauth_error(c, 400, "invalid_grant");
		goto out;
	}
	claims = json_object();
	json_object_set_new(claims, "iss", json_string(p->iss ? p->iss : p->issuer));
	json_object_set_new(claims, "sub", json_string(p->sub));
	json_object_set_new(claims, "aud", p->aud_json ? json_loads(p->aud_json, JSON_DECODE_ANY, NULL)
						      : json_string(p->client_id));
	if (p->azp)
		json_object_set_new(claims, "azp", json_string(p->azp));
	json_object_set_new(claims, "exp", json_integer(now + (p->exp_in ? p->exp_in : 300)));
	json_object_set_new(claims, "iat", json_integer(now - (p->exp_in < 0 ? 600 : 0)));
	json_object_set_new(claims, "nonce", json_string(p->nonce ? p->nonce : k->nonce));
	if (!p->omit_email)
		json_object_set_new(claims, "email", json_string(p->email));
	if (p->name)
		json_object_set_new(claims, "name", json_string(p->name));
	if (p->unit)
		json_object_set_new(claims, "department", json_string(p->unit));
	if (p->groups_json)
		json_object_set_new(claims, "groups", json_loads(p->groups_json, 0, NULL));
	payload = json_dumps(claims, JSON_COMPACT);
	json_decref(claims);
	id_token = payload ? sign(p, &a, payload) : NULL;
	free(payload);
	if (!id_token) {
		ret = oauth_error(c, 500, "server_error");
		goto out;
	}
	ret = json_answer(c, 200, json_pack("{s:s, s:s, s:i, s:s}", "access_token", "not-used",
					    "token_type", "Bearer", "expires_in", 300, "id_token",
					    id_token));
out:
	arena_release(&a);
	return ret;
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *c, const char *url,
			      const char *method, const char *version, const char *upload,
			      size_t *upload_size, void **con_cls)
{
	struct oidc_provider *p = cls;
	struct buf *body = *con_cls;
	enum MHD_Result ret;

	(void)version;
	if (!strcmp(method, "POST")) {
		if (!body) {
			body = xcalloc(1, sizeof(*body));
			buf_init(body, 64 * 1024);
			*con_cls = body;
			return MHD_YES;
		}
		if (*upload_size) {
			buf_add(body, upload, *upload_size);
			*upload_size = 0;
			return MHD_YES;
		}
		ret = strcmp(url, "/token") ? answer(c, 404, "text/plain", "no", NULL)
					    : token(p, c, body);
		buf_release(body);
		free(body);
		*con_cls = NULL;
		return ret;
	}
	if (!strcmp(url, "/.well-known/openid-configuration"))
		return discovery(p, c);
	if (!strcmp(url, "/jwks"))
		return jwks(p, c);
	if (!strcmp(url, "/authorize"))
		return authorize(p, c);
	return answer(c, 404, "text/plain", "no", NULL);
}

static int make_keys(struct oidc_provider *p)
{
	static const uint8_t e[] = { 0x01, 0x00, 0x01 };
	cjose_err err;

	if (p->keys[0])
		return 0;
	for (int i = 0; i < 2; i++) {
		p->keys[i] = cjose_jwk_create_RSA_random(2048, e, sizeof(e), &err);
		if (!p->keys[i] || !cjose_jwk_set_kid(p->keys[i], kids[i], strlen(kids[i]), &err))
			return -1;
	}
	p->keys[2] = cjose_jwk_create_EC_random(CJOSE_JWK_EC_P_256, &err);
	if (!p->keys[2] || !cjose_jwk_set_kid(p->keys[2], kids[2], strlen(kids[2]), &err))
		return -1;
	p->rogue_key = cjose_jwk_create_RSA_random(2048, e, sizeof(e), &err);
	return p->rogue_key ? 0 : -1;
}

int oidc_provider_start(struct oidc_provider *p)
{
	struct sockaddr_in sa;
	const union MHD_DaemonInfo *info;
	struct MHD_Daemon *d;

	if (make_keys(p))
		return -1;
	if (!p->publish)
		p->publish = 1;
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)p->port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG, 0, NULL, NULL,
			     handle, p, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
			     MHD_OPTION_LISTENING_ADDRESS_REUSE, 1u, MHD_OPTION_END);
	if (!d)
		return -1;
	info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	p->port = info ? info->port : 0;
	snprintf(p->issuer, sizeof(p->issuer), "http://127.0.0.1:%d", p->port);
	p->daemon = d;
	return p->port ? 0 : -1;
}

void oidc_provider_stop(struct oidc_provider *p)
{
	if (p->daemon)
		MHD_stop_daemon(p->daemon);
	p->daemon = NULL;
}

void oidc_provider_free(struct oidc_provider *p)
{
	oidc_provider_stop(p);
	for (int i = 0; i < OP_KEYS; i++)
		if (p->keys[i])
			cjose_jwk_release(p->keys[i]);
	if (p->rogue_key)
		cjose_jwk_release(p->rogue_key);
}

static size_t discard(char *d, size_t size, size_t n, void *ud)
{
	(void)d;
	(void)ud;
	return size * n;
}

const char *oidc_provider_authorize(struct oidc_provider *p, struct arena *a, const char *url)
{
	CURL *h = curl_easy_init();
	char *loc = NULL;
	const char *out = NULL;
	long status = 0;

	(void)p;
	if (!h)
		return NULL;
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, 10L);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, discard);
	if (curl_easy_perform(h) == CURLE_OK) {
		curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
		if (status == 302 && curl_easy_getinfo(h, CURLINFO_REDIRECT_URL, &loc) == CURLE_OK &&
		    loc)
			out = arena_strdup(a, loc);
	}
	curl_easy_cleanup(h);
	return out;
}
