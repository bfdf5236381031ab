// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_crash - crash safety of the writer
 *
 *   test_crash NETREC            SIGKILL and RLIMIT_FSIZE (suite unit)
 *   test_crash --enospc DIR      fill the file system DIR is on (suite live, on a small
 *                                tmpfs the caller mounted)
 *
 * A child appends a deterministic event stream (tests/lib/synth.c) through the async
 * writer and is SIGKILLed at random instants; what is left must open, say it was not
 * closed cleanly, and hold exactly a prefix of the stream: every complete chunk, in
 * order, nothing damaged. `netrec info` must agree on the event count. A write failure
 * (file size limit, full disk) must come back from the writer as an error, and leave a
 * file that reads the same way.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "nr_file.h"
#include "synth.h"

#define SEED	21

static const char *netrec;
static char tmpdir[] = "/tmp/nr-test-crash-XXXXXX";

/* the child: write events until killed, or until the writer fails; exit code = -err */
static int writer_child(const char *path)
{
	struct nr_writer_opts o = { .sz = sizeof(o), .chunk_bytes = 16 << 10, .async = true,
				    .resolve = synth_resolve };

	return -synth_write_file(path, &o, SYNTH_MIXED, 0, SEED);
}

/*
 * Read @path: every event must be the next of the synthetic stream. Return the number
 * of events, or -1 when the file does not open.
 */
static long long check_prefix(const char *path, bool *clean)
{
	static __u64 buf[SYNTH_REC_MAX / 8];
	const struct nr_rec_hdr *h;
	struct nr_reader *r;
	struct nr_error e;
	struct synth s;
	long long n = 0;
	int ret;

	if (nr_reader__open(path, NULL, &r, &e))
		return -1;
	*clean = nr_reader__meta(r)->file.clean_close;
	synth_init(&s, SYNTH_MIXED, SEED);
	while ((ret = nr_reader__next(r, &h, &e)) > 0) {
		const struct nr_rec_hdr *want = synth_next(&s, buf);

		if (h->ts_ns != want->ts_ns || h->type != want->type) {
			CHECK_FAIL_("%s: event %lld is not the stream's", path, n);
			break;
		}
		n++;
	}
	CHECK_EQ(ret, 0, "no damaged chunk");
	CHECK_EQ(n, (long long)nr_reader__meta(r)->file.nr_events, "events as the chunks say");
	nr_reader__free(r);
	return n;
}

/* `netrec info` on @path: exit 0, "NOT cleanly", the same event count */
static void check_info(const char *path, long long events)
{
	char cmd[700], line[200], want[64];
	bool seen_count = false, seen_unclean = false;
	FILE *p;
	int st;

	snprintf(cmd, sizeof(cmd), "'%s' info '%s' 2>&1", netrec, path);
	p = popen(cmd, "r");
	if (!CHECK(p != NULL, "run netrec info"))
		return;
	snprintf(want, sizeof(want), "events:       %lld in ", events);
	while (fgets(line, sizeof(line), p)) {
		seen_count |= !strncmp(line, want, strlen(want));
		seen_unclean |= !strncmp(line, "closed:       NOT cleanly: ", 27);
	}
	st = pclose(p);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "info exits 0");
	CHECK(seen_count, "info counts the events left");
	CHECK(seen_unclean, "info says not closed cleanly");
}

static void test_sigkill(void)
{
	long long min = -1, max = 0;
	int i, empty = 0;

	check_start("sigkill");
	srand((unsigned int)time(NULL));
	for (i = 0; i < 40; i++) {
		char path[300];
		struct timespec ts;
		long long n;
		bool clean = true;
		pid_t pid;
		int st;

		snprintf(path, sizeof(path), "%s/kill%d.nr", tmpdir, i);
		pid = fork();
		if (pid == 0)
			_exit(writer_child(path));
		ts.tv_sec = 0;
		ts.tv_nsec = (long)(1 + rand() % 60) * 1000000L + rand() % 1000000;
		nanosleep(&ts, NULL);
		kill(pid, SIGKILL);
		waitpid(pid, &st, 0);
		if (!CHECK(WIFSIGNALED(st), "the child was killed, not done"))
			continue;
		n = check_prefix(path, &clean);
		if (n < 0) {
			struct stat sb;

			/* killed before the header was out: nothing, or a partial header */
			CHECK(stat(path, &sb) || sb.st_size < 32, "only a cut header fails to open");
			empty++;
			continue;
		}
		CHECK(!clean, "not closed cleanly");
		if (i % 8 == 0)
			check_info(path, n);
		if (min < 0 || n < min)
			min = n;
		if (n > max)
			max = n;
		unlink(path);
	}
	printf("sigkill: 40 kills, %d before the header, %lld to %lld events left\n", empty,
	       min, max);
	CHECK(max > 0, "some kills left events");
}

/*
 * After a write failure: the child reported @err, and the file left ends on a block
 * boundary and reads. Return its size.
 */
static long long check_failed_write(const char *path, int st, int err, const char *what)
{
	struct stat sb;
	long long n;
	bool clean = true;

	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == err, what);
	if (!CHECK_EQ(stat(path, &sb), 0, "file left"))
		return 0;
	CHECK(sb.st_size % 8 == 0, "ends on a block boundary (truncated back)");
	n = check_prefix(path, &clean);
	CHECK(n > 0, "events left");
	CHECK(!clean, "not closed cleanly");
	if (netrec)
		check_info(path, n);
	printf("%s: %lld bytes, %lld events left\n", check_test, (long long)sb.st_size, n);
	return (long long)sb.st_size;
}

static void test_fsize(void)
{
	char path[300];
	pid_t pid;
	int st;

	check_start("rlimit fsize");
	snprintf(path, sizeof(path), "%s/fsize.nr", tmpdir);
	pid = fork();
	if (pid == 0) {
		struct rlimit rl = { 200000, 200000 };

		signal(SIGXFSZ, SIG_IGN);	/* the recorder does the same: EFBIG, no signal */
		setrlimit(RLIMIT_FSIZE, &rl);
		_exit(writer_child(path));
	}
	waitpid(pid, &st, 0);
	CHECK(check_failed_write(path, st, EFBIG, "the writer reports EFBIG") <= 200000,
	      "within the limit");
}

/* the live suite: DIR is on a small file system that fills up */
static int test_enospc(const char *dir)
{
	char path[300];
	pid_t pid;
	int st;

	check_start("enospc");
	snprintf(path, sizeof(path), "%s/full.nr", dir);
	pid = fork();
	if (pid == 0)
		_exit(writer_child(path));
	waitpid(pid, &st, 0);
	check_failed_write(path, st, ENOSPC, "the writer reports ENOSPC");
	return check_exit();
}

int main(int argc, char **argv)
{
	char cmd[400];

	if (argc == 4 && !strcmp(argv[1], "--enospc")) {
		netrec = argv[3];
		return test_enospc(argv[2]);
	}
	if (argc != 2) {
		fprintf(stderr, "usage: test_crash NETREC | --enospc DIR NETREC\n");
		return 2;
	}
	netrec = argv[1];
	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return 1;
	}
	test_sigkill();
	test_fsize();
	if (!check_failed) {
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
		if (system(cmd))
			fprintf(stderr, "could not remove %s\n", tmpdir);
	}
	return check_exit();
}
