/* mail_sink.c - the SMTP server of the HTTP tests (mail_sink.h). */
#include "base/base.h"

#include <dirent.h>
#include <libgen.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/buf.h"
#include "mail_sink.h"

static int free_port(void)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	socklen_t len = sizeof sa;
	int s = socket(AF_INET, SOCK_STREAM, 0), port;

	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (s < 0 || bind(s, (struct sockaddr *)&sa, sizeof sa) != 0 ||
	    getsockname(s, (struct sockaddr *)&sa, &len) != 0)
		port = -1;
	else
		port = ntohs(sa.sin_port);
	if (s >= 0)
		close(s);
	return port;
}

/* tests/mail/smtp_sink.py beside this binary's source tree
 * (build/tests/test_mail -> tests/mail/). */
static const char *sink_script(void)
{
	static char path[4096];
	char exe[4096];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);

	if (n <= 0)
		return "tests/mail/smtp_sink.py";
	exe[n] = '\0';
	snprintf(path, sizeof path, "%s/../../tests/mail/smtp_sink.py", dirname(exe));
	return path;
}

int mail_sink_init(struct mail_sink *s)
{
	memset(s, 0, sizeof(*s));
	snprintf(s->dir, sizeof s->dir, "/tmp/varn-mail-sink-XXXXXX");
	if (!mkdtemp(s->dir))
		return -1;
	s->port = free_port();
	return s->port > 0 ? 0 : -1;
}

int mail_sink_start(struct mail_sink *s)
{
	int fds[2];
	char line[32] = "";
	FILE *f;

	if (pipe(fds) != 0)
		return -1;
	s->pid = fork();
	if (s->pid == 0) {
		char port[16];
		snprintf(port, sizeof port, "%d", s->port);
		/* the server goes when the test goes, also after a bail-out */
		prctl(PR_SET_PDEATHSIG, SIGTERM);
		dup2(fds[1], 1);
		close(fds[0]);
		execl("/usr/bin/python3", "python3", sink_script(), port, s->dir, (char *)NULL);
		_exit(127);
	}
	close(fds[1]);
	f = fdopen(fds[0], "r");
	if (!f || !fgets(line, sizeof line, f))
		line[0] = '\0';
	if (f)
		fclose(f);
	return strncmp(line, "ready", 5) == 0 ? 0 : -1;
}

void mail_sink_stop(struct mail_sink *s)
{
	if (s->pid > 0) {
		kill(s->pid, SIGTERM);
		waitpid(s->pid, NULL, 0);
		s->pid = 0;
	}
}

int mail_sink_count(const struct mail_sink *s)
{
	DIR *d = opendir(s->dir);
	struct dirent *e;
	int n = 0;

	while (d && (e = readdir(d)))
		n += strstr(e->d_name, ".eml") && !strstr(e->d_name, ".tmp");
	if (d)
		closedir(d);
	return n;
}

const char *mail_sink_file(const struct mail_sink *s, struct arena *a, int n, const char *ext)
{
	char p[300], chunk[4096];
	struct buf b = BUF_INIT;
	size_t k;
	FILE *f;
	const char *out;

	snprintf(p, sizeof p, "%s/%04d.%s", s->dir, n, ext);
	if (!(f = fopen(p, "r")))
		return "";
	while ((k = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_add(&b, chunk, k);
	fclose(f);
	out = arena_strdup(a, b.p ? b.p : "");
	buf_release(&b);
	return out;
}

const char *mail_sink_to(const struct mail_sink *s, struct arena *a, const char *to)
{
	const char *want = arena_printf(a, "X-Envelope-To: %s", to);

	for (int i = mail_sink_count(s); i >= 1; i--) {
		const char *m = mail_sink_file(s, a, i, "eml");
		if (strstr(m, want))
			return arena_printf(a, "%s\n%s", m, mail_sink_file(s, a, i, "txt"));
	}
	return "";
}

void mail_sink_refuse(const struct mail_sink *s, const char *name, int on)
{
	char p[300];

	snprintf(p, sizeof p, "%s/%s", s->dir, name);
	if (on) {
		FILE *f = fopen(p, "w");
		if (f)
			fclose(f);
	} else {
		unlink(p);
	}
}
