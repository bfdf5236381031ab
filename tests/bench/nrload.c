// SPDX-License-Identifier: GPL-2.0-only
/*
 * nrload.c - netrec's traffic generator: known numbers of drops and TCP state changes
 *
 * Each command sends in one loop bounded by --count and --duration, paced by --rate
 * (packet i is due at start + i / rate, so a late packet never makes the rest faster
 * than asked), and ends with one summary line. Sockets are plain and blocking calls are
 * bounded by the time left, so a peer that never answers ends the run at --duration.
 * See nrload_cli.c for the options and README.md for which counts are exact.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/sock_diag.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "nrload.h"

#define NSEC_PER_SEC	1000000000ULL
#define NSEC_PER_MSEC	1000000ULL
#define IO_BUF		(64 * 1024)
#define POLL_SLICE_MS	100	/* how often waits look at the stop flag */

static volatile sig_atomic_t stop_requested;

static void on_signal(int sig)
{
	(void)sig;
	stop_requested = 1;
}

static __u64 now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (__u64)ts.tv_sec * NSEC_PER_SEC + (__u64)ts.tv_nsec;
}

static socklen_t addr_len(const struct sockaddr_storage *ss)
{
	return ss->ss_family == AF_INET6 ? sizeof(struct sockaddr_in6)
					  : sizeof(struct sockaddr_in);
}

static __u16 addr_port(const struct sockaddr_storage *ss)
{
	return ntohs(ss->ss_family == AF_INET6 ? ((const struct sockaddr_in6 *)ss)->sin6_port
					       : ((const struct sockaddr_in *)ss)->sin_port);
}

/* "udp 127.0.0.1:9" for messages */
static const char *addr_desc(const struct sockaddr_storage *ss, int proto)
{
	static char buf[INET6_ADDRSTRLEN + 16];
	char a[INET6_ADDRSTRLEN];

	nrl_addr_str(ss, a, sizeof(a));
	snprintf(buf, sizeof(buf), "%s %s%s%s:%u", proto == IPPROTO_UDP ? "udp" : "tcp",
		 ss->ss_family == AF_INET6 ? "[" : "", a, ss->ss_family == AF_INET6 ? "]" : "",
		 addr_port(ss));
	return buf;
}

/* The first failure of a run is printed; the rest are only counted. */
static void note_error(struct nrl_result *r, const char *what, int err)
{
	if (!r->errors++)
		fprintf(stderr, "nrload: %s: %s (further errors are only counted)\n", what,
			strerror(err));
}

static int enter_netns(const char *name)
{
	char path[4096];
	int fd, err = 0;

	if (strchr(name, '/'))
		snprintf(path, sizeof(path), "%s", name);
	else
		snprintf(path, sizeof(path), "/run/netns/%s", name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		err = -errno;
		fprintf(stderr, "nrload: cannot open network namespace '%s': %s\n", path,
			strerror(errno));
		return err;
	}
	if (setns(fd, CLONE_NEWNET)) {
		err = -errno;
		fprintf(stderr, "nrload: cannot enter network namespace '%s': %s\n", path,
			strerror(errno));
	}
	close(fd);
	return err;
}

/* A socket bound to --src/--sport when given; -errno after a message otherwise. */
static int open_socket(const struct nrl_opts *o, int type)
{
	int fd = socket(o->dst.ss_family, type | SOCK_CLOEXEC, 0), one = 1;

	if (fd < 0) {
		fprintf(stderr, "nrload: socket: %s\n", strerror(errno));
		return -errno;
	}
	if (o->src.ss_family == AF_UNSPEC)
		return fd;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (const struct sockaddr *)&o->src, addr_len(&o->src))) {
		int err = -errno;

		fprintf(stderr, "nrload: bind %s: %s\n",
			addr_desc(&o->src, type == SOCK_DGRAM ? IPPROTO_UDP : IPPROTO_TCP),
			strerror(errno));
		close(fd);
		return err;
	}
	return fd;
}

/* Bind a socket to @addr (port 0: the kernel picks one, written back into @addr). */
static int bind_local(struct sockaddr_storage *addr, int type, int proto)
{
	socklen_t len = sizeof(*addr);
	int fd = socket(addr->ss_family, type | SOCK_CLOEXEC, 0), one = 1;

	if (fd < 0) {
		fprintf(stderr, "nrload: socket: %s\n", strerror(errno));
		return -errno;
	}
	if (type == SOCK_STREAM)
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)addr, addr_len(addr)) ||
	    getsockname(fd, (struct sockaddr *)addr, &len) ||
	    (type == SOCK_STREAM && listen(fd, 128))) {
		int err = -errno;

		fprintf(stderr, "nrload: cannot listen on %s: %s\n", addr_desc(addr, proto),
			strerror(errno));
		close(fd);
		return err;
	}
	return fd;
}

/* The loop every command runs: bounded by count, duration and signals, paced by rate. */
struct loop {
	const struct nrl_opts *o;
	__u64 start, deadline, i;
};

static void loop_start(struct loop *l, const struct nrl_opts *o)
{
	l->o = o;
	l->i = 0;
	l->start = now_ns();
	l->deadline = l->start + o->duration_ns;
}

static __u64 loop_due(const struct loop *l)
{
	__u64 rate = l->o->rate;

	/* i * 1e9 / rate without overflowing for any i up to --count's limit */
	return l->start + l->i / rate * NSEC_PER_SEC + l->i % rate * NSEC_PER_SEC / rate;
}

/* 1: do iteration l->i; 0: stop (r->stop says why). */
static int loop_next(struct loop *l, struct nrl_result *r)
{
	__u64 t;

	if (stop_requested) {
		r->stop = NRL_STOP_SIGNAL;
		return 0;
	}
	if (l->o->count && l->i >= l->o->count) {
		r->stop = NRL_STOP_COUNT;
		return 0;
	}
	t = now_ns();
	if (l->o->rate) {
		__u64 due = loop_due(l);

		if (due >= l->deadline) {
			r->stop = NRL_STOP_DURATION;
			return 0;
		}
		if (due > t) {
			struct timespec ts = {
				.tv_sec = (time_t)(due / NSEC_PER_SEC),
				.tv_nsec = (long)(due % NSEC_PER_SEC),
			};

			/* a signal ends the sleep early; the stop flag is then set */
			clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL);
			if (stop_requested) {
				r->stop = NRL_STOP_SIGNAL;
				return 0;
			}
			t = now_ns();
		}
	}
	if (t >= l->deadline) {
		r->stop = NRL_STOP_DURATION;
		return 0;
	}
	return 1;
}

static void loop_end(struct loop *l, struct nrl_result *r)
{
	r->elapsed_ns = now_ns() - l->start;
}

/* Time left before the deadline, at least 1 ms (for poll and socket timeouts). */
static int left_ms(const struct loop *l)
{
	__u64 t = now_ns();
	__u64 ms = t < l->deadline ? (l->deadline - t) / NSEC_PER_MSEC : 0;

	return ms < 1 ? 1 : ms > 0x7fffffff ? 0x7fffffff : (int)ms;
}

static void set_io_timeout(int fd, const struct loop *l)
{
	int ms = left_ms(l);
	struct timeval tv = { .tv_sec = ms / 1000, .tv_usec = (ms % 1000) * 1000 };

	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
}

static char payload[IO_BUF];

/*
 * udp-closed refuses to run when a socket owns the destination: its datagrams would be
 * delivered, not dropped. Binding the same address and port tells (EADDRINUSE). A
 * destination that is not a local address (EADDRNOTAVAIL) or a port we may not bind
 * (EACCES) cannot be checked from here and is trusted.
 */
static int check_port_closed(const struct nrl_opts *o)
{
	int fd = socket(o->dst.ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0), err = 0;

	if (fd < 0)
		return 0;
	if (bind(fd, (const struct sockaddr *)&o->dst, addr_len(&o->dst)) && errno == EADDRINUSE) {
		fprintf(stderr, "nrload: a socket is bound to %s: datagrams would be delivered, "
			"not dropped\n", addr_desc(&o->dst, IPPROTO_UDP));
		err = -EADDRINUSE;
	}
	close(fd);
	return err;
}

static int udp_send_loop(const struct nrl_opts *o, const struct sockaddr_storage *dst,
			 struct nrl_result *r)
{
	socklen_t dlen = addr_len(dst);
	struct loop l;
	int fd;

	fd = open_socket(o, SOCK_DGRAM);
	if (fd < 0)
		return fd;
	/*
	 * Not connected: a connected UDP socket turns the ICMP port unreachable that a
	 * closed port answers with into ECONNREFUSED on the next send, which would then
	 * not go out. Unconnected and without IP_RECVERR, every datagram is sent.
	 */
	for (loop_start(&l, o); loop_next(&l, r); l.i++) {
		ssize_t n = sendto(fd, payload, o->size, 0, (const struct sockaddr *)dst, dlen);

		if (n == (ssize_t)o->size)
			r->sent++;
		else if (n < 0 && errno == EINTR && stop_requested)
			break;
		else
			note_error(r, "sendto", n < 0 ? errno : EMSGSIZE);
	}
	loop_end(&l, r);
	close(fd);
	return 0;
}

static int run_udp_send(const struct nrl_opts *o, struct nrl_result *r)
{
	int err;

	r->port = addr_port(&o->dst);
	if (o->cmd == NRL_UDP_CLOSED) {
		err = check_port_closed(o);
		if (err)
			return err;
	}
	return udp_send_loop(o, &o->dst, r);
}

/*
 * udp-fill: a receiving socket of our own, with the smallest receive buffer the kernel
 * allows, that is not read while the datagrams come. The few that fit are read back
 * afterwards (received); the socket's own drop counter (SO_MEMINFO) says how many the
 * kernel threw away, which must equal sent - received and UdpRcvbufErrors' change.
 */
static int run_udp_fill(const struct nrl_opts *o, struct nrl_result *r)
{
	struct sockaddr_storage dst = o->dst;
	__u32 meminfo[SK_MEMINFO_VARS] = { 0 };
	socklen_t mlen = sizeof(meminfo);
	int rcvbuf = (int)o->rcvbuf, rx, err;

	rx = bind_local(&dst, SOCK_DGRAM, IPPROTO_UDP);
	if (rx < 0)
		return rx;
	/* nothing is sent to it before the loop, so setting this after bind is in time */
	if (setsockopt(rx, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf))) {
		err = -errno;
		fprintf(stderr, "nrload: SO_RCVBUF: %s\n", strerror(errno));
		close(rx);
		return err;
	}
	r->port = addr_port(&dst);

	err = udp_send_loop(o, &dst, r);
	if (!err && !getsockopt(rx, SOL_SOCKET, SO_MEMINFO, meminfo, &mlen))
		r->dropped = meminfo[SK_MEMINFO_DROPS];
	while (!err && recv(rx, payload, sizeof(payload), MSG_DONTWAIT) >= 0)
		r->received++;
	close(rx);
	return err;
}

/* Connect within the time left; 0, or the errno of the failure (ETIMEDOUT if none came). */
static int connect_bounded(int fd, const struct sockaddr_storage *dst, const struct loop *l)
{
	int flags = fcntl(fd, F_GETFL), soerr = 0;
	socklen_t len = sizeof(soerr);
	struct pollfd p = { .fd = fd, .events = POLLOUT };

	fcntl(fd, F_SETFL, flags | O_NONBLOCK);
	if (connect(fd, (const struct sockaddr *)dst, addr_len(dst))) {
		if (errno != EINPROGRESS)
			return errno;
		for (;;) {
			int n = poll(&p, 1, left_ms(l) < POLL_SLICE_MS ? left_ms(l)
								       : POLL_SLICE_MS);

			if (n > 0)
				break;
			if (n < 0 && errno != EINTR)
				return errno;
			if (stop_requested)
				return EINTR;
			if (now_ns() >= l->deadline)
				return ETIMEDOUT;
		}
		if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &len))
			return errno;
		if (soerr)
			return soerr;
	}
	fcntl(fd, F_SETFL, flags);
	return 0;
}

static int run_tcp_closed(const struct nrl_opts *o, struct nrl_result *r)
{
	struct loop l;

	r->port = addr_port(&o->dst);
	for (loop_start(&l, o); loop_next(&l, r); l.i++) {
		int fd = open_socket(o, SOCK_STREAM), err;

		if (fd < 0)
			return fd;
		err = connect_bounded(fd, &o->dst, &l);
		close(fd);
		if (err == EINTR && stop_requested)
			break;
		r->sent++;
		if (err == ECONNREFUSED)
			r->refused++;
		else if (!err)
			note_error(r, "connect: a listener answered, no reset", EISCONN);
		else
			note_error(r, "connect", err);
	}
	loop_end(&l, r);
	return 0;
}

/* Write @len bytes; the count written (short on error, errno then set). */
static __u64 write_all(int fd, __u64 len, __u64 chunk)
{
	__u64 done = 0;

	while (done < len) {
		__u64 want = len - done < chunk ? len - done : chunk;
		ssize_t n = send(fd, payload, want > IO_BUF ? IO_BUF : want, MSG_NOSIGNAL);

		if (n <= 0)
			break;
		done += (__u64)n;
	}
	return done;
}

/* Read to the end of the stream; the byte count, or -errno. */
static long long read_all(int fd)
{
	char buf[IO_BUF];
	long long total = 0;

	for (;;) {
		ssize_t n = recv(fd, buf, sizeof(buf), 0);

		if (n == 0)
			return total;
		if (n < 0)
			return -errno;
		total += n;
	}
}

/*
 * The server side of a session: read to the end, send as many bytes back, close. It is
 * the same for 'nrload serve' and the server thread of tcp-churn/tcp-session.
 */
struct server {
	struct nrl_opts o;	/* the command's, unpaced: a server takes what comes */
	int lfd;
	struct sockaddr_storage addr;
	atomic_int done;	/* the client is finished: stop accepting */
	struct nrl_result res;	/* sent = sessions served */
	struct loop l;
};

static void *serve_tcp(void *arg)
{
	struct server *s = arg;
	struct nrl_result *r = &s->res;

	for (loop_start(&s->l, &s->o); loop_next(&s->l, r);) {
		struct pollfd p = { .fd = s->lfd, .events = POLLIN };
		long long got;
		__u64 put;
		int cfd, n;

		if (atomic_load(&s->done))
			break;
		n = poll(&p, 1, POLL_SLICE_MS);
		if (n <= 0)
			continue;
		cfd = accept4(s->lfd, NULL, NULL, SOCK_CLOEXEC);
		if (cfd < 0) {
			if (errno != EINTR)
				note_error(r, "accept", errno);
			continue;
		}
		set_io_timeout(cfd, &s->l);
		got = read_all(cfd);
		if (got < 0) {
			note_error(r, "server recv", (int)-got);
		} else {
			r->bytes_received += (__u64)got;
			put = write_all(cfd, (__u64)got, s->o.size ? s->o.size : IO_BUF);
			r->bytes_sent += put;
			if (put == (__u64)got)
				r->sent++;
			else
				note_error(r, "server send", errno);
		}
		close(cfd);
		s->l.i++;
	}
	loop_end(&s->l, r);
	return NULL;
}

static int server_listen(struct server *s, const struct nrl_opts *o)
{
	memset(s, 0, sizeof(*s));
	s->o = *o;
	s->o.rate = 0;
	s->addr = o->dst;
	s->lfd = bind_local(&s->addr, SOCK_STREAM, IPPROTO_TCP);
	return s->lfd < 0 ? s->lfd : 0;
}

/* One client session; 0 when both directions carried exactly o->bytes. */
static void tcp_session(const struct nrl_opts *o, const struct sockaddr_storage *dst,
			const struct loop *l, struct nrl_result *r)
{
	long long got;
	__u64 put;
	int fd, err;

	fd = open_socket(o, SOCK_STREAM);
	if (fd < 0) {
		note_error(r, "socket", -fd);
		return;
	}
	err = connect_bounded(fd, dst, l);
	if (err) {
		if (!(err == EINTR && stop_requested))
			note_error(r, "connect", err);
		close(fd);
		return;
	}
	set_io_timeout(fd, l);
	put = write_all(fd, o->bytes, o->size);
	r->bytes_sent += put;
	if (put != o->bytes) {
		note_error(r, "send", errno);
		close(fd);
		return;
	}
	shutdown(fd, SHUT_WR);
	got = read_all(fd);
	close(fd);
	if (got < 0) {
		note_error(r, "recv", (int)-got);
		return;
	}
	r->bytes_received += (__u64)got;
	if ((__u64)got != o->bytes) {
		note_error(r, "recv: the server sent back a different byte count", EPROTO);
		return;
	}
	r->sent++;
}

static int run_tcp_sessions(const struct nrl_opts *o, struct nrl_result *r)
{
	struct sockaddr_storage dst = o->dst;
	struct server s;
	pthread_t thr;
	struct loop l;
	int err;

	if (!o->remote) {
		err = server_listen(&s, o);
		if (err)
			return err;
		dst = s.addr;
		err = pthread_create(&thr, NULL, serve_tcp, &s);
		if (err) {
			fprintf(stderr, "nrload: cannot start the server thread: %s\n",
				strerror(err));
			close(s.lfd);
			return -err;
		}
	}
	r->port = addr_port(&dst);
	for (loop_start(&l, o); loop_next(&l, r); l.i++)
		tcp_session(o, &dst, &l, r);
	loop_end(&l, r);
	if (!o->remote) {
		atomic_store(&s.done, 1);
		pthread_join(thr, NULL);
		close(s.lfd);
		r->errors += s.res.errors;
	}
	return 0;
}

static int write_ready_file(const char *path, __u16 port)
{
	char tmp[4096];
	FILE *f;

	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	f = fopen(tmp, "w");
	if (!f || fprintf(f, "%u\n", port) < 0 || fclose(f) || rename(tmp, path)) {
		fprintf(stderr, "nrload: cannot write ready file '%s': %s\n", path,
			strerror(errno));
		return -errno;
	}
	return 0;
}

static int run_serve(const struct nrl_opts *cmd_opts, struct nrl_result *r)
{
	struct nrl_opts unpaced = *cmd_opts, *o = &unpaced;
	struct sockaddr_storage addr = o->dst;
	struct server s;
	struct loop l;
	int fd, err;

	o->rate = 0;
	if (o->serve_proto == IPPROTO_TCP) {
		err = server_listen(&s, o);
		if (err)
			return err;
		r->port = addr_port(&s.addr);
		err = o->ready_file ? write_ready_file(o->ready_file, r->port) : 0;
		if (!err)
			serve_tcp(&s);
		close(s.lfd);
		if (err)
			return err;
		*r = s.res;
		r->port = addr_port(&s.addr);
		return 0;
	}

	fd = bind_local(&addr, SOCK_DGRAM, IPPROTO_UDP);
	if (fd < 0)
		return fd;
	r->port = addr_port(&addr);
	err = o->ready_file ? write_ready_file(o->ready_file, r->port) : 0;
	for (loop_start(&l, o); !err && loop_next(&l, r);) {
		struct pollfd p = { .fd = fd, .events = POLLIN };

		if (poll(&p, 1, POLL_SLICE_MS) <= 0)
			continue;
		while (recv(fd, payload, sizeof(payload), MSG_DONTWAIT) >= 0) {
			r->received++;
			l.i++;
			if (o->count && l.i >= o->count)
				break;
		}
	}
	loop_end(&l, r);
	close(fd);
	return err;
}

static int run_counters(const struct nrl_opts *o)
{
	struct nrl_counters c = { 0 };
	size_t i;
	int err;

	err = nrl_counters_read(&c);
	if (err) {
		fprintf(stderr, "nrload: cannot read the network counters: %s\n", strerror(-err));
		return err;
	}
	if (o->json)
		putchar('{');
	for (i = 0; i < c.n; i++) {
		if (o->json)
			printf("%s\"%s\":%lld", i ? "," : "", c.v[i].name, c.v[i].value);
		else
			printf("%s %lld\n", c.v[i].name, c.v[i].value);
	}
	if (o->json)
		puts("}");
	nrl_counters_free(&c);
	return 0;
}

static int run(const struct nrl_opts *o, struct nrl_result *r)
{
	switch (o->cmd) {
	case NRL_UDP_CLOSED:
	case NRL_UDP_SEND:
	case NRL_UDP_NFT:
		return run_udp_send(o, r);
	case NRL_UDP_FILL:
		return run_udp_fill(o, r);
	case NRL_TCP_CLOSED:
		return run_tcp_closed(o, r);
	case NRL_TCP_CHURN:
	case NRL_TCP_SESSION:
		return run_tcp_sessions(o, r);
	case NRL_SERVE:
		return run_serve(o, r);
	case NRL_COUNTERS:
	case __NRL_CMD_MAX:
		break;
	}
	return -EINVAL;
}

int main(int argc, char **argv)
{
	struct nrl_counters before = { 0 }, after = { 0 };
	struct sigaction sa = { .sa_handler = on_signal };	/* no SA_RESTART */
	struct nrl_result r = { 0 };
	struct nrl_opts o;
	size_t i;
	int err;

	err = nrl_parse_args(argc, argv, &o, stdout, stderr);
	if (err)
		return err > 0 ? EXIT_SUCCESS : 2;
	if (o.netns && enter_netns(o.netns))
		return EXIT_FAILURE;
	if (o.cmd == NRL_COUNTERS)
		return run_counters(&o) ? EXIT_FAILURE : EXIT_SUCCESS;

	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	for (i = 0; i < sizeof(payload); i++)
		payload[i] = (char)('a' + i % 26);
	if (o.counters && (err = nrl_counters_read(&before))) {
		fprintf(stderr, "nrload: cannot read the network counters: %s\n", strerror(-err));
		return EXIT_FAILURE;
	}

	err = run(&o, &r);
	if (err) {
		nrl_counters_free(&before);
		return EXIT_FAILURE;
	}
	if (o.counters) {
		err = nrl_counters_read(&after);
		if (err)
			fprintf(stderr, "nrload: cannot read the network counters: %s\n",
				strerror(-err));
		r.before = &before;
		r.after = &after;
	}
	if (!o.quiet) {
		nrl_print_summary(stdout, &o, &r);
		fflush(stdout);
	}
	nrl_counters_free(&before);
	nrl_counters_free(&after);
	return err || r.errors ? EXIT_FAILURE : EXIT_SUCCESS;
}
