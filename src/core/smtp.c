/* smtp.c - one message through SMTP with libcurl (smtp.h).
 *
 * The message is MIME multipart/alternative (plain text, then HTML), both
 * parts UTF-8 in base64 so that no line is too long and no dot or
 * non-ASCII byte needs care; headers with non-ASCII text are RFC 2047
 * encoded words.  TLS always verifies the server's certificate and name. */
#include "base/base.h"

#include <curl/curl.h>
#include <string.h>
#include <time.h>

#include "base/arena.h"
#include "base/buf.h"
#include "core/smtp.h"

static const char b64[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static void base64(struct buf *out, const unsigned char *p, size_t n, int wrap)
{
	size_t col = 0;

	for (size_t i = 0; i < n; i += 3) {
		unsigned v = (unsigned)p[i] << 16;
		if (i + 1 < n)
			v |= (unsigned)p[i + 1] << 8;
		if (i + 2 < n)
			v |= p[i + 2];
		buf_putc(out, b64[(v >> 18) & 63]);
		buf_putc(out, b64[(v >> 12) & 63]);
		buf_putc(out, i + 1 < n ? b64[(v >> 6) & 63] : '=');
		buf_putc(out, i + 2 < n ? b64[v & 63] : '=');
		col += 4;
		if (wrap && col >= 76) {
			buf_puts(out, "\r\n");
			col = 0;
		}
	}
	if (wrap && col)
		buf_puts(out, "\r\n");
}

static int plain_ascii(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s > 0x7e)
			return 0;
	return 1;
}

/* RFC 2047: printable ASCII as it is, anything else as encoded words of at
 * most 45 bytes each (60 base64 characters), never splitting a UTF-8
 * character, separated by folding whitespace. */
static void header_text_as(struct buf *out, const char *s, int encode)
{
	size_t n = strlen(s), i = 0;

	if (!encode && plain_ascii(s)) {
		buf_puts(out, s);
		return;
	}
	while (i < n) {
		size_t k = n - i > 45 ? 45 : n - i;
		while (i + k < n && k > 1 && ((unsigned char)s[i + k] & 0xc0) == 0x80)
			k--;
		if (i)
			buf_puts(out, "\r\n ");
		buf_puts(out, "=?UTF-8?B?");
		base64(out, (const unsigned char *)s + i, k, 0);
		buf_puts(out, "?=");
		i += k;
	}
}

static void header_text(struct buf *out, const char *s)
{
	header_text_as(out, s, 0);
}

/* A display name ("Värn, Exempelstad"): as it is when it is only letters,
 * digits and spaces, otherwise as encoded words, so that a comma, quote
 * or angle bracket cannot change what the From header says. */
static void display_name(struct buf *out, const char *s)
{
	int plain = 1;

	for (const char *p = s; *p; p++)
		if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		      (*p >= '0' && *p <= '9') || *p == ' '))
			plain = 0;
	header_text_as(out, s, !plain);
}

/* A header value that must not carry a line break (an address). */
static int one_line(const char *s)
{
	return s && *s && !strpbrk(s, "\r\n<>\"") && plain_ascii(s);
}

static void body_part(struct buf *out, const char *type, const char *text)
{
	buf_printf(out, "Content-Type: %s; charset=UTF-8\r\n"
		   "Content-Transfer-Encoding: base64\r\n\r\n", type);
	base64(out, (const unsigned char *)text, strlen(text), 1);
}

int smtp_format(const struct smtp_server *s, const struct smtp_message *m,
		struct buf *out)
{
	char date[64];
	struct tm tm;
	time_t t = (time_t)m->now;
	const char *domain;
	static const char boundary[] = "=_varn_alt_7c1f";

	if (!one_line(m->to) || !one_line(s->from_addr))
		return -1;
	domain = strchr(s->from_addr, '@');
	domain = domain ? domain + 1 : "varn.invalid";
	gmtime_r(&t, &tm);
	/* RFC 5322 date; day and month names are fixed English words */
	static const char *const wd[] = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };
	static const char *const mo[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
					  "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	snprintf(date, sizeof date, "%s, %02d %s %04d %02d:%02d:%02d +0000",
		 wd[tm.tm_wday], tm.tm_mday, mo[tm.tm_mon], tm.tm_year + 1900,
		 tm.tm_hour, tm.tm_min, tm.tm_sec);

	buf_printf(out, "Date: %s\r\n", date);
	buf_printf(out, "Message-ID: <outbox-%lld.%lld@%s>\r\n",
		   (long long)m->id, (long long)m->now, domain);
	buf_puts(out, "From: ");
	if (s->from_name && *s->from_name) {
		display_name(out, s->from_name);
		buf_putc(out, ' ');
	}
	buf_printf(out, "<%s>\r\n", s->from_addr);
	buf_printf(out, "To: <%s>\r\n", m->to);
	buf_puts(out, "Subject: ");
	header_text(out, m->subject ? m->subject : "");
	buf_puts(out, "\r\nMIME-Version: 1.0\r\nAuto-Submitted: auto-generated\r\n");
	if (!m->html) {
		body_part(out, "text/plain", m->text ? m->text : "");
		return buf_ok(out) ? 0 : -1;
	}
	buf_printf(out, "Content-Type: multipart/alternative; boundary=\"%s\"\r\n\r\n",
		   boundary);
	buf_printf(out, "--%s\r\n", boundary);
	body_part(out, "text/plain", m->text ? m->text : "");
	buf_printf(out, "--%s\r\n", boundary);
	body_part(out, "text/html", m->html);
	buf_printf(out, "--%s--\r\n", boundary);
	return buf_ok(out) ? 0 : -1;
}

struct upload {
	const char *p;
	size_t left;
};

static size_t read_cb(char *dst, size_t size, size_t nmemb, void *arg)
{
	struct upload *u = arg;
	size_t n = size * nmemb;

	if (n > u->left)
		n = u->left;
	memcpy(dst, u->p, n);
	u->p += n;
	u->left -= n;
	return n;
}

/* The server's lines reach curl's debug callback as CURLINFO_HEADER_IN;
 * keep the last one, and the last refusal (4xx, 5xx: what QUIT's "221"
 * must not hide).  What curl sends (AUTH with the password) is
 * CURLINFO_HEADER_OUT and never looked at. */
struct reply {
	char line[512];
	char refusal[512];
	char command[8];   /* the verb of the last command sent ("RCPT") */
	char refused[8];   /* the command the last refusal answered */
};

static int debug_cb(CURL *h, curl_infotype type, char *data, size_t n, void *arg)
{
	struct reply *r = arg;

	(void)h;
	if (type == CURLINFO_HEADER_OUT) {
		/* the verb only: an AUTH line's argument is never copied */
		size_t k = 0;
		while (k < n && k < sizeof r->command - 1 && data[k] >= 'A' && data[k] <= 'Z') {
			r->command[k] = data[k];
			k++;
		}
		r->command[k] = '\0';
		return 0;
	}
	if (type != CURLINFO_HEADER_IN || n == 0)
		return 0;
	while (n && (data[n - 1] == '\n' || data[n - 1] == '\r'))
		n--;
	if (n >= sizeof r->line)
		n = sizeof r->line - 1;
	memcpy(r->line, data, n);
	r->line[n] = '\0';
	if (r->line[0] == '4' || r->line[0] == '5') {
		memcpy(r->refusal, r->line, n + 1);
		memcpy(r->refused, r->command, sizeof r->refused);
	}
	return 0;
}

void smtp_global_init(void)
{
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		log_warn("libcurl could not be set up: mail will not be sent");
}

int smtp_send(const struct smtp_server *s, const struct smtp_message *m,
	      struct arena *a, const char **answer)
{
	struct buf msg = BUF_INIT;
	struct reply reply = { "", "", "", "" };
	char errbuf[CURL_ERROR_SIZE] = "";
	struct upload up;
	struct curl_slist *rcpt = NULL;
	const char *url, *from;
	long code = 0;
	CURL *h;
	CURLcode rc;
	int result;

	*answer = "";
	if (!s->host || !*s->host || !one_line(s->host)) {
		*answer = "no SMTP server configured";
		return SMTP_UNAVAILABLE;
	}
	if (s->security == SMTP_NONE && s->username && *s->username) {
		*answer = "sign-in without TLS refused: the password would be sent in clear";
		return SMTP_UNAVAILABLE;
	}
	if (smtp_format(s, m, &msg) != 0) {
		buf_release(&msg);
		*answer = "the address cannot be used in a message";
		return SMTP_REFUSED;
	}
	if (!(h = curl_easy_init())) {
		buf_release(&msg);
		*answer = "out of memory";
		return SMTP_RETRY;
	}
	url = arena_printf(a, "%s://%s:%d", s->security == SMTP_TLS ? "smtps" : "smtp",
			   s->host, s->port);
	from = arena_printf(a, "<%s>", s->from_addr);
	rcpt = curl_slist_append(rcpt, arena_printf(a, "<%s>", m->to));
	up.p = msg.p;
	up.left = msg.len;

	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
	curl_easy_setopt(h, CURLOPT_MAIL_FROM, from);
	curl_easy_setopt(h, CURLOPT_MAIL_RCPT, rcpt);
	curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(h, CURLOPT_READFUNCTION, read_cb);
	curl_easy_setopt(h, CURLOPT_READDATA, &up);
	curl_easy_setopt(h, CURLOPT_INFILESIZE_LARGE, (curl_off_t)msg.len);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, 10L);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, 60L);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
	curl_easy_setopt(h, CURLOPT_DEBUGFUNCTION, debug_cb);
	curl_easy_setopt(h, CURLOPT_DEBUGDATA, &reply);
	curl_easy_setopt(h, CURLOPT_VERBOSE, 1L);
	curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
	if (s->ca_file)
		curl_easy_setopt(h, CURLOPT_CAINFO, s->ca_file);
	if (s->security == SMTP_STARTTLS)
		curl_easy_setopt(h, CURLOPT_USE_SSL, (long)CURLUSESSL_ALL);
	if (s->username && *s->username) {
		curl_easy_setopt(h, CURLOPT_USERNAME, s->username);
		curl_easy_setopt(h, CURLOPT_PASSWORD, s->password ? s->password : "");
	}

	rc = curl_easy_perform(h);
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
	/* A 5xx to the recipient or the message is the server's final word
	 * on this message; a 4xx there may pass (retry).  Anything before
	 * (no connection, a timeout, a certificate not trusted, the sign-in
	 * or the sender refused) is about the server or our settings, not
	 * the message: none can be sent now. */
	if (rc == CURLE_OK)
		result = SMTP_SENT;
	else if (code >= 400 && (strcmp(reply.refused, "RCPT") == 0 ||
				 strcmp(reply.refused, "DATA") == 0))
		result = code >= 500 ? SMTP_REFUSED : SMTP_RETRY;
	else
		result = SMTP_UNAVAILABLE;
	if (rc != CURLE_OK && reply.refusal[0])
		*answer = arena_strdup(a, reply.refusal);
	else if (reply.line[0] && rc == CURLE_OK)
		*answer = arena_strdup(a, reply.line);
	else
		*answer = arena_printf(a, "%s", errbuf[0] ? errbuf : curl_easy_strerror(rc));
	curl_slist_free_all(rcpt);
	curl_easy_cleanup(h);
	buf_release(&msg);
	return result;
}
