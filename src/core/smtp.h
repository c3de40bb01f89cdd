/* smtp.h - sends one message through an SMTP server: the only code that
 * knows libcurl.  The outbox worker (outbox.c) decides what to send and
 * what to do with the answer. */
#ifndef VARN_SMTP_H
#define VARN_SMTP_H

#include "base/base.h"

struct arena;

enum smtp_security { SMTP_NONE = 0, SMTP_STARTTLS, SMTP_TLS };

struct smtp_server {
	const char *host;
	int port;
	int security;          /* enum smtp_security */
	const char *username;  /* NULL or "": no AUTH */
	const char *password;  /* never logged, never in an answer */
	const char *from_addr;
	const char *from_name; /* or NULL */
	const char *ca_file;   /* a CA bundle (tests), or NULL: the system's */
};

struct smtp_message {
	const char *to;
	const char *subject;   /* UTF-8 */
	const char *text;      /* UTF-8 plain text */
	const char *html;      /* UTF-8 HTML, or NULL */
	int64_t id;            /* outbox id, for the Message-ID */
	int64_t now;           /* the Date header */
};

enum smtp_result {
	SMTP_SENT = 0,         /* accepted by the server */
	SMTP_RETRY,            /* not now: a 4xx to the recipient or message */
	SMTP_REFUSED,          /* the server refused the recipient or the
				  message for good (5xx) */
	SMTP_UNAVAILABLE,      /* the server takes no message now: no
				  connection, a timeout, sign-in or sender
				  refused (a setting to fix); retry later and
				  do not try the others now */
};

/* libcurl's process-wide set-up, before any thread starts (varn serve
 * calls it; a single-threaded command may leave it to the first send). */
void smtp_global_init(void);

/* Sends m.  *answer: the server's last reply line (or curl's reason when
 * it never answered), in a, never holding the password. */
int smtp_send(const struct smtp_server *s, const struct smtp_message *m,
	      struct arena *a, const char **answer);

/* The message as sent (headers and MIME body), for tests and smtp_send. */
int smtp_format(const struct smtp_server *s, const struct smtp_message *m,
		struct buf *out);

#endif
