// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_corrupt - damaged and truncated trace files (issue 3's corrupt-file suite)
 *
 *   test_corrupt NETREC
 *
 * A real file is cut at every block boundary and at points inside every block, has
 * bits flipped in its headers, sizes, counts and payloads, a wrong magic, a newer
 * major version, a chunk whose checksum fails, an unknown required block, a record
 * whose size lies. For each, `netrec info` and `netrec dump` must give the exact
 * message and exit status, never crash or hang, and dump must still print every event
 * of the good chunks before the damage. Every variant (and many more truncations) also
 * goes through the library in this process, so the ASan build checks the reader's
 * memory safety on all of them.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "internal.h"
#include "nr_file.h"
#include "nr_testing.h"
#include "nrblocks.h"
#include "schema.h"
#include "synth.h"

#define MAXB	512
#define HANG_S	30

static const char *netrec;
static char tmpdir[] = "/tmp/nr-test-corrupt-XXXXXX";
static char cfile[300];		/* the damaged file, as netrec is given it */

static __u8 *base;		/* the good file */
static size_t base_len;
static struct nrblk blk[MAXB];
static int nblk;
static __u32 chunk_events[MAXB];	/* per block: events of a chunk, 0 otherwise */
static __u64 total_events;

struct result {
	int status;		/* exit status; -1 crash or hang */
	size_t lines;		/* lines on stdout */
	char out[8192];		/* the start of stdout */
	char err[2048];		/* stderr */
};

/* run `netrec CMD [ARG] cfile`, collecting what it prints; never waits more than HANG_S */
static void run(const char *cmd, const char *arg, struct result *res)
{
	int po[2], pe[2];
	size_t on = 0, en = 0;
	time_t start = time(NULL);
	pid_t pid;
	int st;

	memset(res, 0, sizeof(*res));
	res->status = -1;
	if (pipe(po) || pipe(pe))
		return;
	pid = fork();
	if (pid == 0) {
		dup2(po[1], 1);
		dup2(pe[1], 2);
		close(po[0]);
		close(pe[0]);
		if (arg)
			execl(netrec, "netrec", cmd, arg, cfile, (char *)NULL);
		else
			execl(netrec, "netrec", cmd, cfile, (char *)NULL);
		_exit(127);
	}
	close(po[1]);
	close(pe[1]);
	for (;;) {
		struct pollfd p[2] = { { po[0], POLLIN, 0 }, { pe[0], POLLIN, 0 } };
		char buf[65536];
		ssize_t n;
		int i, open_fds = 0;

		if (time(NULL) - start > HANG_S) {
			kill(pid, SIGKILL);
			CHECK_FAIL_("netrec %s hangs on %s", cmd, cfile);
			break;
		}
		for (i = 0; i < 2; i++)
			if (p[i].fd < 0)
				p[i].events = 0;
		if (po[0] >= 0)
			open_fds++;
		if (pe[0] >= 0)
			open_fds++;
		if (!open_fds)
			break;
		p[0].fd = po[0];
		p[1].fd = pe[0];
		if (poll(p, 2, 1000) <= 0)
			continue;
		if (po[0] >= 0 && (p[0].revents & (POLLIN | POLLHUP))) {
			n = read(po[0], buf, sizeof(buf));
			if (n <= 0) {
				close(po[0]);
				po[0] = -1;
			} else {
				for (i = 0; i < n; i++)
					res->lines += buf[i] == '\n';
				if (on < sizeof(res->out) - 1) {
					size_t k = (size_t)n < sizeof(res->out) - 1 - on ?
						   (size_t)n : sizeof(res->out) - 1 - on;

					memcpy(res->out + on, buf, k);
					on += k;
				}
			}
		}
		if (pe[0] >= 0 && (p[1].revents & (POLLIN | POLLHUP))) {
			n = read(pe[0], buf, sizeof(buf));
			if (n <= 0) {
				close(pe[0]);
				pe[0] = -1;
			} else if (en < sizeof(res->err) - 1) {
				size_t k = (size_t)n < sizeof(res->err) - 1 - en ?
					   (size_t)n : sizeof(res->err) - 1 - en;

				memcpy(res->err + en, buf, k);
				en += k;
			}
		}
	}
	if (po[0] >= 0)
		close(po[0]);
	if (pe[0] >= 0)
		close(pe[0]);
	if (waitpid(pid, &st, 0) == pid && WIFEXITED(st))
		res->status = WEXITSTATUS(st);
	else
		CHECK_FAIL_("netrec %s on %s: killed by a signal (crash)", cmd, cfile);
}

/* the library on the same bytes: never crashes; the number of events it returns */
static long long lib_events(const __u8 *buf, size_t len, bool skip)
{
	struct nr_reader_opts o = { .sz = sizeof(o), .skip_bad_chunks = skip };
	const struct nr_rec_hdr *h;
	struct nr_reader *r;
	struct nr_error e;
	long long n = 0;
	int ret, guard = 0;

	if (nr_reader__open_mem(buf, len, &o, &r, &e))
		return -1;
	while ((ret = nr_reader__next(r, &h, &e)) != 0 && guard++ < 10000000) {
		if (ret > 0)
			n++;
		else if (!skip)
			break;
	}
	nr_reader__free(r);
	return n;
}

static void put(const __u8 *buf, size_t len)
{
	if (nrblk_write_file(cfile, buf, len))
		CHECK_FAIL_("cannot write %s", cfile);
	lib_events(buf, len, false);
	lib_events(buf, len, true);
}

static char expect[512];

__attribute__((format(printf, 1, 2)))
static const char *fmt(const char *f, ...)
{
	va_list ap;

	va_start(ap, f);
	vsnprintf(expect, sizeof(expect), f, ap);
	va_end(ap);
	return expect;
}

/* both commands fail with exactly "netrec: c.nr: MSG" and exit 1, printing nothing */
static void expect_refused(const char *what, const char *msg)
{
	struct result r;
	char want[600];

	check_start(what);
	snprintf(want, sizeof(want), "netrec: %s: %s\n", cfile, msg);
	run("info", NULL, &r);
	CHECK_EQ(r.status, 1, "info exit");
	CHECK_STR(r.err, want, "info message");
	CHECK_EQ(r.lines, 0, "info prints nothing");
	run("dump", NULL, &r);
	CHECK_EQ(r.status, 1, "dump exit");
	CHECK_STR(r.err, want, "dump message");
	CHECK_EQ(r.lines, 0, "dump prints nothing");
}

/* a file cut off: both succeed; dump prints @events events and warns with @msg */
static void expect_cut(const char *what, __u64 events, const char *msg)
{
	struct result r;
	char want[600], line[100];

	check_start(what);
	run("dump", NULL, &r);
	CHECK_EQ(r.status, 0, "dump exit");
	CHECK_EQ(r.lines, events, "dump events");
	snprintf(want, sizeof(want), "netrec: warning: %s: not closed cleanly: %s\n", cfile, msg);
	CHECK_STR(r.err, want, "dump warning");
	run("info", NULL, &r);
	CHECK_EQ(r.status, 0, "info exit");
	CHECK_STR(r.err, "", "info stderr");
	snprintf(want, sizeof(want), "closed:       NOT cleanly: %s\n", msg);
	if (!CHECK(strstr(r.out, want) != NULL, "info says not closed cleanly"))
		fprintf(stderr, "  want \"%s\" in:\n%s\n", want, r.out);
	snprintf(line, sizeof(line), "events:       %llu in ", (unsigned long long)events);
	if (!CHECK(strstr(r.out, line) != NULL, "info event count"))
		fprintf(stderr, "  want \"%s\" in:\n%s\n", line, r.out);
}

/*
 * a damaged chunk: dump prints the @before events of the chunks ahead of it, then
 * "netrec: c.nr: MSG" and exits 1; info reads the rest (@after events in all) and
 * reports the chunk the same way
 */
static void expect_bad_chunk(const char *what, __u64 before, __u64 after, const char *msg)
{
	struct result r;
	char want[600], line[100];

	check_start(what);
	snprintf(want, sizeof(want), "netrec: %s: %s\n", cfile, msg);
	run("dump", NULL, &r);
	CHECK_EQ(r.status, 1, "dump exit");
	CHECK_EQ(r.lines, before, "dump prints the events before the bad chunk");
	CHECK_STR(r.err, want, "dump message");
	run("info", NULL, &r);
	CHECK_EQ(r.status, 1, "info exit");
	CHECK_STR(r.err, want, "info message");
	snprintf(line, sizeof(line), "events:       %llu in ", (unsigned long long)after);
	if (!CHECK(strstr(r.out, line) != NULL, "info counts the good chunks"))
		fprintf(stderr, "  want \"%s\" in:\n%s\n", line, r.out);
	CHECK(strstr(r.out, ", 1 bad\n") != NULL, "info: 1 bad chunk");
}

static void expect_ok(const char *what, __u64 events)
{
	struct result r;

	check_start(what);
	run("dump", NULL, &r);
	CHECK_EQ(r.status, 0, "dump exit");
	CHECK_EQ(r.lines, events, "dump events");
	CHECK_STR(r.err, "", "dump stderr");
	run("info", NULL, &r);
	CHECK_EQ(r.status, 0, "info exit");
	CHECK_STR(r.err, "", "info stderr");
}

static __u64 events_before(int b)
{
	__u64 n = 0;
	int i;

	for (i = 0; i < b; i++)
		n += chunk_events[i];
	return n;
}

static const char *bname(__u16 type)
{
	const char *n = nr_blk_name(type);

	return n ? n : "?";
}

static int find_block(__u16 type, int nth)
{
	int i;

	for (i = 0; i < nblk; i++)
		if (blk[i].type == type && nth-- == 0)
			return i;
	return -1;
}

/* the chunk number of block @b (chunks counted in file order from 0) */
static int chunk_no(int b)
{
	int i, n = 0;

	for (i = 0; i < b; i++)
		n += blk[i].type == NR_BLK_CHUNK;
	return n;
}

static __u8 *copy(void)
{
	__u8 *c = malloc(base_len);

	memcpy(c, base, base_len);
	return c;
}

static void make_base(void)
{
	struct nr_writer_opts o = { .sz = sizeof(o), .chunk_bytes = 24 << 10,
				    .resolve = synth_resolve };
	char p[300];
	int i;

	snprintf(p, sizeof(p), "%s/base.nr", tmpdir);
	if (synth_write_file(p, &o, SYNTH_MIXED, 2500, 9) ||
	    nrblk_read_file(p, &base, &base_len)) {
		fprintf(stderr, "cannot write the base file\n");
		exit(1);
	}
	nblk = nrblk_walk(base, base_len, blk, MAXB);
	for (i = 0; i < nblk; i++) {
		if (blk[i].type != NR_BLK_CHUNK)
			continue;
		chunk_events[i] = nr_ld32(base + blk[i].off + NR_BLK_HDR_SIZE + 16);
		total_events += chunk_events[i];
	}
}

static void test_header(void)
{
	__u8 *c = copy();

	put(c, 0);
	expect_refused("empty file", "not a netrec trace: 0 bytes, too short for a header");
	put(c, 5);
	expect_refused("5 bytes", "not a netrec trace: 5 bytes, too short for a header");
	put(c, 20);
	expect_refused("20 bytes", "file header truncated: 20 of 32 bytes");
	c[3] ^= 0x20;
	put(c, base_len);
	expect_refused("wrong magic", "not a netrec trace (bad magic)");
	c[3] ^= 0x20;
	memcpy(c + 8, "\x44\x33\x22\x11", 4);
	put(c, base_len);
	expect_refused("bad byte-order mark", "file header: bad byte-order mark 0x11223344");
	memcpy(c, base, 32);
	c[12] = 3;
	nrblk_reseal_header(c);
	put(c, base_len);
	expect_refused("newer major",
		       "file format version 3.0 is newer than this netrec reads (1.0)");
	c[12] = 0;
	nrblk_reseal_header(c);
	put(c, base_len);
	expect_refused("major 0", "file header: format version 0.0 invalid");
	memcpy(c, base, 32);
	c[24] ^= 1;
	put(c, base_len);
	expect_refused("header bit flip", "file header: checksum mismatch");
	memcpy(c, base, 32);
	c[16] = 36;
	nrblk_reseal_header(c);
	put(c, base_len);
	expect_refused("header size 36", "file header: size 36 invalid");
	memcpy(c, base, 32);
	c[16] = 0;
	c[17] = 0x20;	/* 8192 */
	nrblk_reseal_header(c);
	put(c, base_len);
	expect_refused("header size 8192", "file header: size 8192 invalid");
	memcpy(c, base, 32);
	c[14] = 7;
	nrblk_reseal_header(c);
	put(c, base_len);
	expect_ok("newer minor opens", total_events);
	free(c);
}

static void test_truncation(void)
{
	const char *noend = "no end block: the recorder did not close the file";
	char name[64];
	int i;

	/* at every block boundary */
	for (i = 0; i < nblk; i++) {
		snprintf(name, sizeof(name), "cut before block %d (%s)", i, bname(blk[i].type));
		put(base, blk[i].off);
		expect_cut(name, events_before(i), noend);
	}
	/* inside each block's header and payload */
	for (i = 0; i < nblk; i++) {
		size_t half = blk[i].size / 2;

		snprintf(name, sizeof(name), "cut in header of block %d", i);
		put(base, blk[i].off + 5);
		expect_cut(name, events_before(i),
			   fmt("file ends 5 bytes into a block header at offset %zu", blk[i].off));
		snprintf(name, sizeof(name), "cut in payload of block %d", i);
		put(base, blk[i].off + NR_BLK_HDR_SIZE + half);
		expect_cut(name, events_before(i),
			   fmt("file ends inside the %s block at offset %zu: %zu of %llu bytes "
			       "present", bname(blk[i].type), blk[i].off, half,
			       (unsigned long long)blk[i].size));
	}
	/* everything but the padding of a chunk: the chunk is whole */
	for (i = 0; i < nblk; i++) {
		if (blk[i].type != NR_BLK_CHUNK || blk[i].size % 8 == 0)
			continue;
		put(base, blk[i].off + NR_BLK_HDR_SIZE + blk[i].size);
		expect_cut("cut in the padding of a chunk", events_before(i + 1), noend);
		break;
	}
}

/* every length, through the library only: whole chunks come back, nothing else */
static void test_truncation_everywhere(void)
{
	size_t len;
	int bad = 0;

	check_start("every truncation, library");
	for (len = 0; len <= base_len; len += (len < 4096 ? 1 : 37)) {
		long long got = lib_events(base, len, false);
		__u64 want = 0;
		int i;

		for (i = 0; i < nblk; i++)
			if (blk[i].off + NR_BLK_HDR_SIZE + blk[i].size <= len)
				want += chunk_events[i];
		if (len < 32)
			want = (__u64)-1;	/* refused */
		if (got != (long long)want && bad++ < 5)
			fprintf(stderr, "  cut at %zu: %lld events, want %lld\n", len, got,
				(long long)want);
	}
	CHECK_EQ(bad, 0, "truncations returning the wrong events");
}

static void test_flips(void)
{
	int b, k;
	__u8 *c;

	/* a flipped bit in the payload of several chunks */
	for (k = 0; k < 3; k++) {
		b = find_block(NR_BLK_CHUNK, k * 3);
		if (b < 0)
			break;
		c = copy();
		c[blk[b].off + NR_BLK_HDR_SIZE + blk[b].size / 2] ^= 0x08;
		put(c, base_len);
		expect_bad_chunk("chunk payload bit flip", events_before(b),
				 total_events - chunk_events[b],
				 fmt("chunk %d at offset %zu: checksum mismatch", chunk_no(b),
				     blk[b].off));
		free(c);
	}
	/* the chunk's size: its top bit (absurd), its lowest bit (plausible) */
	b = find_block(NR_BLK_CHUNK, 2);
	c = copy();
	c[blk[b].off + 15] ^= 0x80;
	put(c, base_len);
	expect_bad_chunk("chunk size top bit", events_before(b), total_events - chunk_events[b],
			 fmt("chunk %d at offset %zu: block header damaged", chunk_no(b),
			     blk[b].off));
	free(c);
	c = copy();
	c[blk[b].off + 8] ^= 0x01;
	put(c, base_len);
	expect_bad_chunk("chunk size low bit", events_before(b), total_events - chunk_events[b],
			 fmt("chunk %d at offset %zu: checksum mismatch", chunk_no(b),
			     blk[b].off));
	free(c);
	/* bigger by 1 MiB: within the limit but past the end: not a cut, a valid block follows */
	c = copy();
	c[blk[b].off + 10] ^= 0x10;
	put(c, base_len);
	expect_bad_chunk("chunk size bit 20", events_before(b), total_events - chunk_events[b],
			 fmt("chunk %d at offset %zu: block header damaged", chunk_no(b),
			     blk[b].off));
	free(c);
	b = find_block(NR_BLK_HOST, 0);
	c = copy();
	c[blk[b].off + 10] ^= 0x10;
	put(c, base_len);
	expect_refused("host size bit 20", fmt("host block at offset %zu: size %llu runs past the "
					       "end of the file", blk[b].off,
					       (unsigned long long)(blk[b].size ^ 0x100000)));
	free(c);
	b = find_block(NR_BLK_CHUNK, 2);
	/* the chunk's type: now metadata nobody can read */
	c = copy();
	c[blk[b].off] = NR_BLK_HOST;
	put(c, base_len);
	expect_refused("chunk type flipped to host",
		       fmt("host block at offset %zu: checksum mismatch", blk[b].off));
	free(c);
	/* metadata payloads */
	b = find_block(NR_BLK_HOST, 0);
	c = copy();
	c[blk[b].off + NR_BLK_HDR_SIZE + 9] ^= 0x02;
	put(c, base_len);
	expect_refused("host bit flip", fmt("host block at offset %zu: checksum mismatch",
					    blk[b].off));
	free(c);
	b = find_block(NR_BLK_SCHEMA, 0);
	c = copy();
	c[blk[b].off + NR_BLK_HDR_SIZE + 30] ^= 0x10;
	put(c, base_len);
	expect_refused("schema bit flip", fmt("schema block at offset %zu: checksum mismatch",
					      blk[b].off));
	free(c);
	b = find_block(NR_BLK_SYMBOLS, 0);
	c = copy();
	c[blk[b].off + 12] ^= 0x40;	/* size: past the end of the file */
	put(c, base_len);
	expect_refused("symbols size", fmt("symbols block at offset %zu: size %llu exceeds the "
					   "limit", blk[b].off,
					   (unsigned long long)(blk[b].size ^ (0x40ull << 32))));
	free(c);
	/* the index and the end block are redundant: damage there only loses "closed" */
	b = find_block(NR_BLK_INDEX, 0);
	c = copy();
	c[blk[b].off + NR_BLK_HDR_SIZE + 40] ^= 0x01;
	put(c, base_len);
	expect_cut("index bit flip", total_events,
		   fmt("the index block at offset %zu is damaged", blk[b].off));
	free(c);
	b = find_block(NR_BLK_END, 0);
	c = copy();
	c[blk[b].off + NR_BLK_HDR_SIZE + 8] ^= 0x01;
	put(c, base_len);
	expect_cut("end bit flip", total_events,
		   fmt("the end block at offset %zu is damaged", blk[b].off));
	free(c);
}

/*
 * Damage behind a valid checksum (re-sealed): the reader's own checks. The file is cut
 * before its index, so the chunk headers are read by the walk.
 */
static size_t noindex_len(void)
{
	return blk[find_block(NR_BLK_INDEX, 0)].off;
}

static void test_sealed(void)
{
	const char *noend = "no end block: the recorder did not close the file";
	size_t len = noindex_len();
	int b = find_block(NR_BLK_CHUNK, 1), cn = chunk_no(b);
	size_t ph = blk[b].off + NR_BLK_HDR_SIZE;	/* chunk payload */
	__u64 before = events_before(b), after = events_before(find_block(NR_BLK_INDEX, 0));
	__u8 *c;

#define SEALED_CHUNK(what_, at_, type_, val_, msgfmt_, ...)				\
	do {										\
		type_ v_ = (type_)(val_);						\
		c = copy();								\
		memcpy(c + ph + (at_), &v_, sizeof(v_));				\
		nrblk_reseal(c, blk[b].off);						\
		put(c, len);								\
		expect_bad_chunk(what_, before, after - chunk_events[b],		\
				 fmt("chunk %d at offset %zu: " msgfmt_, cn, blk[b].off,	\
				     ##__VA_ARGS__));					\
		free(c);								\
	} while (0)

	SEALED_CHUNK("events count huge", 16, __u32, 0xffffffffu,
		     "4294967295 events exceed the limit of 1048576");
	SEALED_CHUNK("unknown encoding", 20, __u32, 2, "unsupported chunk encoding 2");
	SEALED_CHUNK("raw bytes lie", 40, __u64, nr_ld64(base + ph + 40) + 8,
		     "records take %llu bytes, header says %llu",
		     (unsigned long long)nr_ld64(base + ph + 40),
		     (unsigned long long)nr_ld64(base + ph + 40) + 8);
	SEALED_CHUNK("encoded size lies", 48, __u32, nr_ld32(base + ph + 48) + 1,
		     "streams hold %u bytes, header says %u", nr_ld32(base + ph + 48),
		     nr_ld32(base + ph + 48) + 1);
	SEALED_CHUNK("time range lies", 24, __u64, nr_ld64(base + ph + 24) - 1,
		     "events outside the chunk's time range");
	SEALED_CHUNK("stream codec", 56, __u32, 7, "stream 0: unknown codec 7");
	SEALED_CHUNK("streams count", 52, __u32, 0x7fffffff, "2147483647 streams do not fit");
	SEALED_CHUNK("header size", 4, __u32, 12, "chunk header size 12 invalid");
	SEALED_CHUNK("time range reversed", 32, __u64, 1,
		     "time range ends before it starts");
#undef SEALED_CHUNK

	/* metadata counts */
	b = find_block(NR_BLK_PROBES, 0);
	c = copy();
	memcpy(c + blk[b].off + NR_BLK_HDR_SIZE + 4, &(__u32){ 0x7fffffff }, 4);
	nrblk_reseal(c, blk[b].off);
	put(c, len);
	expect_refused("probes count", fmt("probes block at offset %zu: 2147483647 entries do "
					   "not fit in %llu bytes", blk[b].off,
					   (unsigned long long)blk[b].size - 8));
	free(c);
	b = find_block(NR_BLK_STACKS, 0);
	c = copy();
	memcpy(c + blk[b].off + NR_BLK_HDR_SIZE + 16, &(__u32){ 200 }, 4);	/* frames */
	nrblk_reseal(c, blk[b].off);
	put(c, len);
	expect_refused("stack frames", fmt("stacks block at offset %zu: stack 1: 200 frames "
					   "exceed 127", blk[b].off));
	free(c);
	b = find_block(NR_BLK_SYMBOLS, 0);
	c = copy();
	memcpy(c + blk[b].off + NR_BLK_HDR_SIZE + 8, &(__u32){ 0xfffffff0 }, 4);	/* len */
	nrblk_reseal(c, blk[b].off);
	put(c, len);
	expect_refused("symbol entry length", fmt("symbols block at offset %zu: symbols entry 0 "
						  "truncated", blk[b].off));
	free(c);
	b = find_block(NR_BLK_CLOCK, 0);
	c = copy();
	memcpy(c + blk[b].off + NR_BLK_HDR_SIZE + 4, &(__u32){ 9 }, 4);	/* kind */
	nrblk_reseal(c, blk[b].off);
	put(c, len);
	expect_refused("clock kind", fmt("clock block at offset %zu: unknown kind 9", blk[b].off));
	free(c);
	b = find_block(NR_BLK_SCHEMA, 0);
	c = copy();
	memcpy(c + blk[b].off + NR_BLK_HDR_SIZE + 16, &(__u32){ 100 }, 4);	/* pkt size */
	nrblk_reseal(c, blk[b].off);
	put(c, len);
	expect_refused("schema size", fmt("schema block at offset %zu: record type 1: fixed "
					  "size 100 invalid", blk[b].off));
	free(c);
	/* a good file without its index reads in full */
	put(base, len);
	expect_cut("no index", after, noend);
}

/* a record whose snapshot claims more than the format allows */
static void test_record_size_lies(void)
{
	static struct nr_field f[32];
	static struct nr_schema big;
	const struct nr_schema *const *all, *s[8];
	struct nr_writer_test_opts t = { 0 };
	struct nr_writer_opts o = { .sz = sizeof(o) };
	static __u64 buf[1024];
	struct nr_pkt *p = (void *)buf;
	struct nr_writer *w;
	__u8 *c;
	size_t n, i, k = 0, len;
	char path[300];

	all = nr_schema_builtin_all(&n);
	for (i = 0; i < n; i++) {
		if (all[i]->type != NR_REC_PKT) {
			s[k++] = all[i];
			continue;
		}
		big = *all[i];
		memcpy(f, all[i]->fields, big.nr_fields * sizeof(f[0]));
		big.fields = f;
		big.tail_max = 4096;	/* the writer told to allow it; readers never do */
		s[k++] = &big;
	}
	t.schemas = s;
	t.nr_schemas = k;
	snprintf(path, sizeof(path), "%s/lies.nr", tmpdir);
	check_start("record size lies");
	CHECK_EQ(nr_writer__open_test(path, &o, &t, &w), 0, "open");
	memset(buf, 0, sizeof(buf));
	p->hdr.type = NR_REC_PKT;
	p->hdr.ts_ns = 1000;
	p->snap_len = 600;
	p->hdr.size = (__u32)(sizeof(*p) + 600);
	CHECK_EQ(nr_writer__append(w, &p->hdr), 0, "append");
	CHECK_EQ(nr_writer__close(w), 0, "close");
	CHECK_EQ(nrblk_read_file(path, &c, &len), 0, "read");
	put(c, len);
	nblk = nrblk_walk(c, len, blk, MAXB);
	i = (size_t)find_block(NR_BLK_CHUNK, 0);
	expect_bad_chunk("record size lies", 0, 0,
			 fmt("chunk 0 at offset %zu: record 0: pkt tail of 600 bytes exceeds 512",
			     blk[i].off));
	free(c);
	nblk = nrblk_walk(base, base_len, blk, MAXB);
}

static void test_unknown_blocks(void)
{
	static const __u8 payload[] = { 1, 0, 0, 0, 'x', 'y' };
	struct nr_writer_opts o = { .sz = sizeof(o) };
	static __u64 buf[64];
	struct nr_counter *cnt = (void *)buf;
	struct nr_writer *w;
	__u8 *c;
	size_t len;
	char path[300];
	int flags;

	for (flags = 0; flags <= 1; flags++) {
		snprintf(path, sizeof(path), "%s/unknown%d.nr", tmpdir, flags);
		check_start("unknown block");
		CHECK_EQ(nr_writer__open(path, &o, &w), 0, "open");
		memset(buf, 0, sizeof(buf));
		cnt->hdr.type = NR_REC_COUNTER;
		cnt->hdr.size = sizeof(*cnt);
		cnt->hdr.ts_ns = 5;
		CHECK_EQ(nr_writer__append(w, &cnt->hdr), 0, "append");
		CHECK_EQ(nr_writer__raw_block(w, 300, (__u16)flags, payload, sizeof(payload)), 0,
			 "raw block");
		cnt->hdr.ts_ns = 6;
		CHECK_EQ(nr_writer__append(w, &cnt->hdr), 0, "append");
		CHECK_EQ(nr_writer__close(w), 0, "close");
		CHECK_EQ(nrblk_read_file(path, &c, &len), 0, "read");
		put(c, len);
		if (!flags) {
			expect_ok("unknown block skipped", 2);
		} else {
			struct nrblk b[16];
			int n = nrblk_walk(c, len, b, 16), i;

			for (i = 0; i < n && b[i].type != 300; i++)
				;
			expect_refused("unknown required block",
				       fmt("block type 300 at offset %zu is required but not "
					   "known to this version", b[i].off));
		}
		free(c);
	}
}

/*
 * A file whose every 16 bytes after a damaged chunk are a plausible header claiming the
 * rest of the file: resynchronising must stay bounded (each candidate's checksum reads
 * its whole payload), not quadratic.
 */
static void test_resync_bound(void)
{
	size_t len = 4 << 20, q;
	__u8 *c = calloc(1, len);
	struct timespec t0, t1;
	double secs;

	check_start("resync is bounded");
	memcpy(c, base, 32);
	memcpy(c + 32, &(__u16){ NR_BLK_CHUNK }, 2);
	memcpy(c + 40, &(__u64){ 1ull << 40 }, 8);		/* damaged: over the limit */
	for (q = 48; q + 16 <= len; q += 16) {
		__u64 size = ((len - q - 16) & ~0xffffull) | NR_BLK_HOST;

		memcpy(c + q, &(__u16){ NR_BLK_HOST }, 2);
		memcpy(c + q + 8, &size, 8);
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	CHECK_EQ(lib_events(c, len, true), 0, "opens, no events");
	clock_gettime(CLOCK_MONOTONIC, &t1);
	secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	CHECK(secs < 20, "finishes in seconds");
	free(c);
}

int main(int argc, char **argv)
{
	char cmd[400];

	if (argc != 2) {
		fprintf(stderr, "usage: test_corrupt NETREC\n");
		return 2;
	}
	netrec = argv[1];
	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return 1;
	}
	snprintf(cfile, sizeof(cfile), "%s/c.nr", tmpdir);
	make_base();
	test_header();
	test_truncation();
	test_truncation_everywhere();
	test_flips();
	test_sealed();
	test_record_size_lies();
	test_unknown_blocks();
	test_resync_bound();
	if (!check_failed) {
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
		if (system(cmd))
			fprintf(stderr, "could not remove %s\n", tmpdir);
	}
	return check_exit();
}
