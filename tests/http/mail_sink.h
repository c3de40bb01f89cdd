/* mail_sink.h - a real SMTP server for the HTTP tests: tests/mail/smtp_sink.py
 * on a loopback port, saving each message it accepts as NNNN.eml (headers,
 * with X-Envelope-To) and NNNN.txt (its subject and decoded text) in a
 * temporary folder.  Files named "refuse", "refuse-for-now" or
 * "refuse-sender" in that folder make it answer 550, 451 or refuse the
 * sender while they exist (mail_sink_refuse). */
#ifndef VARN_MAIL_SINK_H
#define VARN_MAIL_SINK_H

#include "base/base.h"

#include <sys/types.h>

struct mail_sink {
	pid_t pid;
	int port;
	char dir[256];
};

/* A free loopback port and a fresh folder; 0, or -1. */
int mail_sink_init(struct mail_sink *s);
/* Starts the server (again, after a stop: same port and folder) and waits
 * until it listens; 0, or -1.  It ends with the test, also on a bail-out. */
int mail_sink_start(struct mail_sink *s);
void mail_sink_stop(struct mail_sink *s);
/* How many messages it has saved. */
int mail_sink_count(const struct mail_sink *s);
/* The n-th message's file with extension ext ("eml" or "txt"), 1-based, in
 * a; "" when there is none. */
const char *mail_sink_file(const struct mail_sink *s, struct arena *a, int n, const char *ext);
/* The newest message to `to`: its headers and its text, in a; or "". */
const char *mail_sink_to(const struct mail_sink *s, struct arena *a, const char *to);
/* Creates (on) or removes (off) the file `name` that makes it refuse. */
void mail_sink_refuse(const struct mail_sink *s, const char *name, int on);

#endif
