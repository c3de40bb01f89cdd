/* hello.c - the ceiling of the HTTP layer, for bench/run (issue 14).
 *
 * A libmicrohttpd server with the daemon options `varn serve` uses
 * (src/http/server.c start_daemon: an internal polling thread, a pool of
 * --threads threads, epoll where there is one, keep-alive) that answers
 * every request with a constant "ok": what the HTTP layer alone costs on
 * this machine, so that each page's figure can be read as a share of it.
 *   varn-hello PORT THREADS     prints "serving on http://127.0.0.1:PORT"
 * Only loopback is ever listened on. */
#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static struct MHD_Response *ok;

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
				  const char *method, const char *version,
				  const char *upload, size_t *upload_len, void **state)
{
	static int seen;

	(void)cls; (void)url; (void)method; (void)version; (void)upload;
	/* as varn does: the first call only sees the headers (a response
	 * queued then makes MHD close the connection after it) */
	if (!*state) {
		*state = &seen;
		return MHD_YES;
	}
	*upload_len = 0;
	return MHD_queue_response(c, MHD_HTTP_OK, ok);
}

int main(int argc, char **argv)
{
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ITC | MHD_USE_ERROR_LOG;
	struct sockaddr_in addr;
	struct MHD_Daemon *d;
	const union MHD_DaemonInfo *info;
	unsigned threads;
	struct MHD_OptionItem pool[] = {
		{ MHD_OPTION_THREAD_POOL_SIZE, 0, NULL },
		{ MHD_OPTION_END, 0, NULL },
	};
	sigset_t stop;
	int sig;

	if (argc != 3) {
		fprintf(stderr, "usage: varn-hello PORT THREADS\n");
		return 2;
	}
	threads = (unsigned)atoi(argv[2]);
	pool[0].value = threads;
	if (threads < 2)
		pool[0].option = MHD_OPTION_END; /* MHD warns about 0 and 1 */
	memset(&addr, 0, sizeof(addr));
	addr.sin_family = AF_INET;
	addr.sin_port = htons((uint16_t)atoi(argv[1]));
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	flags |= MHD_is_feature_supported(MHD_FEATURE_EPOLL) == MHD_YES ? MHD_USE_EPOLL
									 : MHD_USE_POLL;
	ok = MHD_create_response_from_buffer(3, (void *)"ok\n", MHD_RESPMEM_PERSISTENT);
	MHD_add_response_header(ok, "Content-Type", "text/plain; charset=utf-8");
	sigemptyset(&stop);
	sigaddset(&stop, SIGTERM);
	sigaddset(&stop, SIGINT);
	pthread_sigmask(SIG_BLOCK, &stop, NULL);
	d = MHD_start_daemon(flags, 0, NULL, NULL, on_request, NULL,
			     MHD_OPTION_SOCK_ADDR, &addr,
			     MHD_OPTION_CONNECTION_LIMIT, 1000u,
			     MHD_OPTION_CONNECTION_TIMEOUT, 30u,
			     MHD_OPTION_ARRAY, pool, MHD_OPTION_END);
	if (!d) {
		fprintf(stderr, "varn-hello: cannot listen on port %s\n", argv[1]);
		return 1;
	}
	info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	printf("serving on http://127.0.0.1:%u\n", info ? info->port : 0);
	fflush(stdout);
	sigwait(&stop, &sig);
	MHD_stop_daemon(d);
	MHD_destroy_response(ok);
	return 0;
}
