// SPDX-License-Identifier: GPL-2.0-only
/*
 * nrload against the kernel's own counters, in a fresh network namespace of this test
 * (unshare(2): nothing else sends there, nothing to clean up). Root only; SKIP otherwise.
 *
 *   test_nrload_live PATH/TO/nrload
 */
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "nrload.h"

static const char *nrload;

struct run {
	int status;		/* exit status, or -1 */
	char out[4096];		/* the summary (stdout) */
};

static pid_t spawn(char **args, int *out_fd)
{
	char *argv[32];
	int p[2], n = 0;
	pid_t pid;

	argv[n++] = (char *)nrload;
	while (args[n - 1] && n < 30) {
		argv[n] = args[n - 1];
		n++;
	}
	argv[n] = NULL;
	if (pipe(p))
		return -1;
	pid = fork();
	if (pid == 0) {
		dup2(p[1], STDOUT_FILENO);
		close(p[0]);
		close(p[1]);
		execv(nrload, argv);
		_exit(127);
	}
	close(p[1]);
	*out_fd = p[0];
	return pid;
}

static void finish(pid_t pid, int fd, struct run *r)
{
	size_t len = 0;
	ssize_t n;
	int st;

	while ((n = read(fd, r->out + len, sizeof(r->out) - 1 - len)) > 0)
		len += (size_t)n;
	r->out[len] = '\0';
	close(fd);
	r->status = waitpid(pid, &st, 0) == pid && WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

#define NRLOAD(r, ...) run_nrload((r), (char *[]){ __VA_ARGS__, "--json", NULL })

static void run_nrload(struct run *r, char **args)
{
	int fd;
	pid_t pid = spawn(args, &fd);

	if (pid < 0) {
		r->status = -1;
		r->out[0] = '\0';
		return;
	}
	finish(pid, fd, r);
}

/* A number from the summary's JSON ("sent":123); -1 if missing. */
static double field(const struct run *r, const char *key)
{
	char pat[64];
	const char *p;

	snprintf(pat, sizeof(pat), "\"%s\":", key);
	p = strstr(r->out, pat);
	return p ? strtod(p + strlen(pat), NULL) : -1;
}

static int stopped_by(const struct run *r, const char *why)
{
	char pat[64];

	snprintf(pat, sizeof(pat), "\"stop\":\"%s\"", why);
	return strstr(r->out, pat) != NULL;
}

/* Counter changes over one nrload run: snapshot() before, delta() after. */
static struct nrl_counters snap;

static void snapshot(void)
{
	nrl_counters_free(&snap);
	if (nrl_counters_read(&snap))
		CHECK(0, "read counters");
}

static long long delta(const char *name)
{
	struct nrl_counters now = { 0 };
	long long d;
	int found;

	if (nrl_counters_read(&now))
		CHECK(0, "read counters");
	d = nrl_counters_get(&now, name, &found) - nrl_counters_get(&snap, name, NULL);
	if (!found)
		CHECK(0, name);
	nrl_counters_free(&now);
	return d;
}

static void test_udp_closed(void)
{
	struct run r;

	check_start("udp-closed-ipv4");
	snapshot();
	NRLOAD(&r, "udp-closed", "-n", "1000");
	CHECK_EQ(r.status, 0, "exit");
	CHECK_EQ(field(&r, "sent"), 1000, "sent");
	CHECK_EQ(field(&r, "errors"), 0, "errors");
	CHECK(stopped_by(&r, "count"), "stopped by count");
	CHECK_EQ(delta("UdpNoPorts"), 1000, "UdpNoPorts");
	CHECK_EQ(delta("UdpInDatagrams"), 0, "UdpInDatagrams");

	check_start("udp-closed-ipv6");
	snapshot();
	NRLOAD(&r, "udp-closed", "-n", "500", "-6", "-s", "200");
	CHECK_EQ(r.status, 0, "exit");
	CHECK_EQ(field(&r, "sent"), 500, "sent");
	CHECK_EQ(delta("Udp6NoPorts"), 500, "Udp6NoPorts");
	CHECK_EQ(delta("UdpNoPorts"), 0, "UdpNoPorts (v4)");

	check_start("udp-closed-refuses-open-port");
	{
		struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(9),
					 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
		int fd = socket(AF_INET, SOCK_DGRAM, 0);

		CHECK_EQ(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0, "bind 127.0.0.1:9");
		snapshot();
		NRLOAD(&r, "udp-closed", "-n", "10");
		CHECK_EQ(r.status, 1, "exit");
		CHECK_STR(r.out, "", "no summary");
		CHECK_EQ(delta("UdpInDatagrams"), 0, "nothing sent");
		close(fd);
	}
}

static void test_udp_fill(void)
{
	static const struct {
		const char *name, *family, *errs, *in;
	} v[] = {
		{ "udp-fill-ipv4", "--dst=127.0.0.1", "UdpRcvbufErrors", "UdpInDatagrams" },
		{ "udp-fill-ipv6", "--dst=::1", "Udp6RcvbufErrors", "Udp6InDatagrams" },
	};
	struct run r;
	size_t i;

	for (i = 0; i < 2; i++) {
		check_start(v[i].name);
		snapshot();
		NRLOAD(&r, "udp-fill", "-n", "20000", (char *)v[i].family);
		CHECK_EQ(r.status, 0, "exit");
		CHECK_EQ(field(&r, "sent"), 20000, "sent");
		CHECK_EQ(field(&r, "received") + field(&r, "dropped"), 20000,
			 "received + dropped = sent");
		CHECK(field(&r, "received") >= 1, "some fit the buffer");
		CHECK_EQ(delta(v[i].errs), field(&r, "dropped"), v[i].errs);
		CHECK_EQ(delta(v[i].errs), 20000 - field(&r, "received"), "= sent - received");
		CHECK_EQ(delta(v[i].in), field(&r, "received"), v[i].in);
	}
}

static void test_tcp_closed(void)
{
	static const char *const dst[] = { "--dst=127.0.0.1", "--dst=::1" };
	struct run r;
	size_t i;

	for (i = 0; i < 2; i++) {
		check_start(i ? "tcp-closed-ipv6" : "tcp-closed-ipv4");
		snapshot();
		NRLOAD(&r, "tcp-closed", "-n", "200", (char *)dst[i]);
		CHECK_EQ(r.status, 0, "exit");
		CHECK_EQ(field(&r, "sent"), 200, "sent");
		CHECK_EQ(field(&r, "refused"), 200, "refused");
		CHECK_EQ(delta("TcpActiveOpens"), 200, "TcpActiveOpens");
		CHECK_EQ(delta("TcpAttemptFails"), 200, "TcpAttemptFails");
		CHECK_EQ(delta("TcpOutRsts"), 200, "TcpOutRsts (one reset per SYN)");
		CHECK_EQ(delta("TcpPassiveOpens"), 0, "TcpPassiveOpens");
	}
}

static void test_tcp_sessions(void)
{
	struct run r;

	check_start("tcp-churn");
	snapshot();
	NRLOAD(&r, "tcp-churn", "-n", "300", "-s", "100");
	CHECK_EQ(r.status, 0, "exit");
	CHECK_EQ(field(&r, "sent"), 300, "sessions");
	CHECK_EQ(field(&r, "bytes_sent"), 300 * 100, "bytes sent");
	CHECK_EQ(field(&r, "bytes_received"), 300 * 100, "bytes received");
	CHECK_EQ(delta("TcpActiveOpens"), 300, "TcpActiveOpens");
	CHECK_EQ(delta("TcpPassiveOpens"), 300, "TcpPassiveOpens");
	CHECK_EQ(delta("TcpAttemptFails"), 0, "TcpAttemptFails");
	CHECK_EQ(delta("TcpEstabResets"), 0, "TcpEstabResets");
	CHECK_EQ(delta("TcpOutRsts"), 0, "no resets: clean closes");

	check_start("tcp-session");
	snapshot();
	NRLOAD(&r, "tcp-session", "-b", "4M", "-6");
	CHECK_EQ(r.status, 0, "exit");
	CHECK_EQ(field(&r, "sent"), 1, "sessions");
	CHECK_EQ(field(&r, "bytes_sent"), 4 << 20, "bytes sent");
	CHECK_EQ(field(&r, "bytes_received"), 4 << 20, "bytes received");
	CHECK_EQ(delta("TcpActiveOpens"), 1, "TcpActiveOpens");
	CHECK_EQ(delta("TcpPassiveOpens"), 1, "TcpPassiveOpens");
	CHECK_EQ(delta("TcpOutRsts"), 0, "no resets");
}

static double mono_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void test_bounds(void)
{
	struct run r;
	double t0;
	int fd;
	pid_t pid;

	check_start("rate");
	NRLOAD(&r, "udp-closed", "-n", "200", "-r", "1000");
	CHECK_EQ(field(&r, "sent"), 200, "sent");
	/* packet 199 is due at 0.199 s: pacing can be late, never early */
	CHECK(field(&r, "elapsed_s") >= 0.199, "not faster than the rate");
	CHECK(field(&r, "elapsed_s") < 2.0, "roughly the rate");

	check_start("duration");
	snapshot();
	NRLOAD(&r, "udp-closed", "-n", "0", "-d", "300ms", "-r", "1000");
	CHECK_EQ(r.status, 0, "exit");
	CHECK(stopped_by(&r, "duration"), "stopped by duration");
	CHECK(field(&r, "elapsed_s") >= 0.299 && field(&r, "elapsed_s") < 2.0, "elapsed");
	CHECK(field(&r, "sent") >= 100 && field(&r, "sent") <= 300, "sent within the time");
	CHECK_EQ(delta("UdpNoPorts"), field(&r, "sent"), "UdpNoPorts = sent");

	check_start("signal");
	pid = spawn((char *[]){ "udp-closed", "-n", "0", "-d", "30s", "-r", "100", "--json",
				NULL }, &fd);
	usleep(300000);
	t0 = mono_s();
	kill(pid, SIGINT);
	finish(pid, fd, &r);
	CHECK_EQ(r.status, 0, "exit");
	CHECK(stopped_by(&r, "signal"), "stopped by signal");
	CHECK(mono_s() - t0 < 2.0, "stops promptly");
	CHECK(field(&r, "sent") >= 1, "sent before the signal");
}

/* Wait for serve's ready file; the port in it, or 0. */
static unsigned int wait_ready(const char *path)
{
	unsigned int port = 0;
	int i;

	for (i = 0; i < 200 && !port; i++) {
		FILE *f = fopen(path, "r");

		if (f) {
			if (fscanf(f, "%u", &port) != 1)
				port = 0;
			fclose(f);
		}
		if (!port)
			usleep(10000);
	}
	return port;
}

static void test_serve(void)
{
	char ready[] = "/tmp/nrload-ready-XXXXXX", port[16];
	struct run srv, cli;
	int fd, tfd;
	pid_t pid;

	tfd = mkstemp(ready);
	close(tfd);
	unlink(ready);

	check_start("serve-udp");
	snapshot();
	pid = spawn((char *[]){ "serve", "--proto", "udp", "-n", "100", "-d", "20s",
				"--ready-file", ready, "--json", NULL }, &fd);
	snprintf(port, sizeof(port), "%u", wait_ready(ready));
	CHECK(strcmp(port, "0"), "server ready");
	NRLOAD(&cli, "udp-send", "-n", "100", "--dport", port, "-r", "20000");
	finish(pid, fd, &srv);
	unlink(ready);
	CHECK_EQ(cli.status, 0, "client exit");
	CHECK_EQ(srv.status, 0, "server exit");
	CHECK_EQ(field(&srv, "received"), 100, "received");
	CHECK(stopped_by(&srv, "count"), "server stopped by count");
	CHECK_EQ(delta("UdpInDatagrams"), 100, "UdpInDatagrams");
	CHECK_EQ(delta("UdpNoPorts"), 0, "UdpNoPorts");

	check_start("serve-tcp");
	snapshot();
	pid = spawn((char *[]){ "serve", "-n", "3", "-d", "20s", "--dst", "::1", "--ready-file",
				ready, "--json", NULL }, &fd);
	snprintf(port, sizeof(port), "%u", wait_ready(ready));
	NRLOAD(&cli, "tcp-churn", "--remote", "-6", "--dport", port, "-n", "3", "-b", "5000");
	finish(pid, fd, &srv);
	unlink(ready);
	CHECK_EQ(cli.status, 0, "client exit");
	CHECK_EQ(srv.status, 0, "server exit");
	CHECK_EQ(field(&cli, "sent"), 3, "client sessions");
	CHECK_EQ(field(&cli, "bytes_received"), 15000, "client received");
	CHECK_EQ(field(&srv, "sent"), 3, "server sessions");
	CHECK_EQ(field(&srv, "bytes_received"), 15000, "server received");
	CHECK_EQ(delta("TcpPassiveOpens"), 3, "TcpPassiveOpens");
}

static int lo_up(void)
{
	struct ifreq ifr = { 0 };
	int fd = socket(AF_INET, SOCK_DGRAM, 0), err = 0;

	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "lo");
	if (ioctl(fd, SIOCGIFFLAGS, &ifr) < 0)
		err = -errno;
	ifr.ifr_flags |= IFF_UP;
	if (!err && ioctl(fd, SIOCSIFFLAGS, &ifr) < 0)
		err = -errno;
	close(fd);
	return err;
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s PATH/TO/nrload\n", argv[0]);
		return 2;
	}
	nrload = argv[1];
	if (geteuid() != 0) {
		check_skip("not root (needs a network namespace of its own)");
		return CHECK_SKIP;
	}
	if (unshare(CLONE_NEWNET) || lo_up()) {
		check_skip("cannot make a network namespace with loopback up");
		return CHECK_SKIP;
	}
	test_udp_closed();
	test_udp_fill();
	test_tcp_closed();
	test_tcp_sessions();
	test_bounds();
	test_serve();
	nrl_counters_free(&snap);
	return check_exit();
}
