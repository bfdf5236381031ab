// SPDX-License-Identifier: GPL-2.0-only
/*
 * nrmeter - run a command and report what it cost: CPU seconds and peak RSS of the
 * command and every descendant it waited for, and wall time
 *
 *   nrmeter [-o FILE] [-p PIDFILE] -- COMMAND [ARGS...]
 *
 * The benchmark harness starts each recorder under nrmeter, reads the recorder's own
 * PID from PIDFILE and stops it with SIGINT, as a user would; nrmeter then reports the
 * rusage wait4(2) returns for it. That covers the recorder's threads and its child
 * processes (trace-cmd runs one per CPU) once they were reaped, and maxrss is the
 * largest resident set of any one of them. Kernel work done on the recorder's behalf in
 * other contexts (a tracepoint firing in the workload's softirq) is not in it; the
 * workload's slowdown measures that.
 *
 * The report is one JSON object (to FILE, or stderr): exit status or signal, wall_s,
 * utime_s, stime_s, cpu_s, maxrss_kb. nrmeter exits with the command's status (128 + N
 * for signal N). SIGINT, SIGTERM and SIGHUP sent to nrmeter are passed to the command.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile pid_t child;

static void forward(int sig)
{
	if (child > 0)
		kill(child, sig);
}

static double tv_s(struct timeval tv)
{
	return (double)tv.tv_sec + (double)tv.tv_usec / 1e6;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: nrmeter [-o FILE] [-p PIDFILE] -- COMMAND [ARGS...]\n"
		"\n"
		"Run COMMAND; when it ends, write one JSON object with its CPU time, peak RSS and\n"
		"wall time (with its reaped descendants) to FILE or stderr. PIDFILE gets\n"
		"COMMAND's PID as soon as it runs. Exits with COMMAND's status.\n"
		"\n"
		"Example:\n"
		"  nrmeter -o cost.json -p rec.pid -- perf record -a -e skb:kfree_skb &\n"
		"  ... ; kill -INT \"$(cat rec.pid)\"; wait\n");
}

int main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = forward, .sa_flags = SA_RESTART };
	const char *out = NULL, *pidfile = NULL;
	struct rusage ru;
	int c, status, ret;
	double t0, wall;
	FILE *f;
	pid_t pid;

	while ((c = getopt(argc, argv, "+o:p:h")) != -1) {
		switch (c) {
		case 'o':
			out = optarg;
			break;
		case 'p':
			pidfile = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind >= argc) {
		usage(stderr);
		return 2;
	}

	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	t0 = now_s();
	pid = fork();
	if (pid < 0) {
		fprintf(stderr, "nrmeter: fork: %s\n", strerror(errno));
		return 1;
	}
	if (pid == 0) {
		signal(SIGINT, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		signal(SIGHUP, SIG_DFL);
		execvp(argv[optind], argv + optind);
		fprintf(stderr, "nrmeter: cannot run '%s': %s\n", argv[optind], strerror(errno));
		_exit(127);
	}
	child = pid;
	if (pidfile) {
		f = fopen(pidfile, "w");
		if (!f || fprintf(f, "%d\n", (int)pid) < 0 || fclose(f))
			fprintf(stderr, "nrmeter: cannot write '%s': %s\n", pidfile,
				strerror(errno));
	}

	while (wait4(pid, &status, 0, &ru) < 0) {
		if (errno != EINTR) {
			fprintf(stderr, "nrmeter: wait4: %s\n", strerror(errno));
			return 1;
		}
	}
	wall = now_s() - t0;
	ret = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);

	f = out ? fopen(out, "w") : stderr;
	if (!f) {
		fprintf(stderr, "nrmeter: cannot write '%s': %s\n", out, strerror(errno));
		return 1;
	}
	fprintf(f,
		"{\"pid\":%d,\"exit\":%d,\"signal\":%d,\"wall_s\":%.6f,\"utime_s\":%.6f,"
		"\"stime_s\":%.6f,\"cpu_s\":%.6f,\"maxrss_kb\":%ld}\n",
		(int)pid, WIFEXITED(status) ? WEXITSTATUS(status) : -1,
		WIFSIGNALED(status) ? WTERMSIG(status) : 0, wall, tv_s(ru.ru_utime),
		tv_s(ru.ru_stime), tv_s(ru.ru_utime) + tv_s(ru.ru_stime), ru.ru_maxrss);
	if (out && fclose(f)) {
		fprintf(stderr, "nrmeter: cannot write '%s': %s\n", out, strerror(errno));
		return 1;
	}
	return ret;
}
