// SPDX-License-Identifier: GPL-2.0-only
/*
 * format_bench - size and speed of the .nr encoding on synthetic workloads
 *
 *   format_bench write storm|mixed N FILE [--level L] [--chunk BYTES] [--async]
 *       write N synthetic events; print bytes/event and encode events/s (CPU time of
 *       the whole process, so the I/O thread counts too)
 *   format_bench read FILE [--unordered]
 *       read every event; print decode events/s (single thread) and peak RSS
 *   format_bench levels storm|mixed N
 *       bytes/event and encode/decode speed for a range of zstd levels and chunk sizes
 *   format_bench append storm|mixed N FILE
 *       the cost in the caller's thread (the recorder's drain thread) of
 *       nr_writer__append with the async writer, events generated beforehand; and the
 *       whole process's CPU per event (encoding, compression, writing included)
 *
 * Not part of the test suite; FORMAT.md "Measurements" quotes its output.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "nr_file.h"
#include "synth.h"

static double cpu_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double wall_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int do_write(enum synth_kind kind, __u64 n, const char *path, int level, __u32 chunk,
		    bool async, double *bpe, double *eps)
{
	struct nr_writer_opts o = { .sz = sizeof(o), .compress_level = level,
				    .chunk_bytes = chunk, .async = async,
				    .resolve = synth_resolve };
	struct stat st;
	double t0 = cpu_now();
	int err;

	err = synth_write_file(path, &o, kind, n, 1);
	*eps = (double)n / (cpu_now() - t0);
	if (err)
		return err;
	if (stat(path, &st))
		return -errno;
	*bpe = (double)st.st_size / (double)n;
	return 0;
}

static double thread_cpu_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int do_append(enum synth_kind kind, __u64 n, const char *path)
{
	struct nr_writer_opts o = { .sz = sizeof(o), .async = true, .resolve = synth_resolve };
	struct nr_writer *w;
	struct synth s;
	__u8 *buf, *p;
	size_t cap = (size_t)n * 400, len = 0;
	double t0, c0, w0, caller;
	__u64 i;
	int err;

	buf = malloc(cap);
	if (!buf)
		return -ENOMEM;
	synth_init(&s, kind, 1);
	for (i = 0; i < n; i++) {
		static __u64 rec[SYNTH_REC_MAX / 8];
		const struct nr_rec_hdr *h = synth_next(&s, rec);

		if (len + h->size > cap) {
			n = i;
			break;
		}
		memcpy(buf + len, h, h->size);
		len += h->size;
	}
	err = nr_writer__open(path, &o, &w);
	if (err) {
		free(buf);
		return err;
	}
	t0 = thread_cpu_now();
	c0 = cpu_now();
	w0 = wall_now();
	for (p = buf, i = 0; i < n && !err; i++) {
		err = nr_writer__append(w, (const struct nr_rec_hdr *)p);
		p += ((const struct nr_rec_hdr *)p)->size;
	}
	caller = thread_cpu_now() - t0;
	if (!err)
		err = nr_writer__close(w);
	else
		nr_writer__close(w);
	printf("%s: %llu events: append %.0f ns/event in the caller's thread (%.1f M events/s), "
	       "%.0f ns/event CPU in all, %.2f s wall\n", path, (unsigned long long)n,
	       caller * 1e9 / (double)n, (double)n / caller / 1e6,
	       (cpu_now() - c0) * 1e9 / (double)n, wall_now() - w0);
	free(buf);
	return err;
}

static int do_read(const char *path, bool unordered, double *eps, __u64 *events, long *rss_kb)
{
	struct nr_reader_opts o = { .sz = sizeof(o), .unordered = unordered };
	const struct nr_rec_hdr *h;
	struct nr_reader *r;
	struct nr_error e;
	struct rusage ru;
	__u64 n = 0, sum = 0;
	double t0;
	int ret;

	t0 = cpu_now();
	ret = nr_reader__open(path, &o, &r, &e);
	if (ret) {
		fprintf(stderr, "%s: %s\n", path, e.msg);
		return ret;
	}
	while ((ret = nr_reader__next(r, &h, &e)) > 0) {
		sum += h->ts_ns;	/* touch every record */
		n++;
	}
	*eps = (double)n / (cpu_now() - t0);
	nr_reader__free(r);
	if (ret < 0) {
		fprintf(stderr, "%s: %s\n", path, e.msg);
		return ret;
	}
	getrusage(RUSAGE_SELF, &ru);
	*rss_kb = ru.ru_maxrss;
	*events = n + (sum & 0);
	return 0;
}

static enum synth_kind parse_kind(const char *s)
{
	if (!strcmp(s, "storm"))
		return SYNTH_STORM;
	if (!strcmp(s, "mixed"))
		return SYNTH_MIXED;
	fprintf(stderr, "format_bench: workload is storm or mixed, not '%s'\n", s);
	exit(2);
}

int main(int argc, char **argv)
{
	double bpe, eps, w0;
	__u64 events;
	long rss;
	int err;

	if (argc >= 5 && !strcmp(argv[1], "write")) {
		int level = 0, i;
		__u32 chunk = 0;
		bool async = false;

		for (i = 5; i < argc; i++) {
			if (!strcmp(argv[i], "--level") && i + 1 < argc)
				level = atoi(argv[++i]);
			else if (!strcmp(argv[i], "--chunk") && i + 1 < argc)
				chunk = (__u32)strtoul(argv[++i], NULL, 0);
			else if (!strcmp(argv[i], "--async"))
				async = true;
		}
		w0 = wall_now();
		err = do_write(parse_kind(argv[2]), strtoull(argv[3], NULL, 0), argv[4], level,
			       chunk, async, &bpe, &eps);
		if (err) {
			fprintf(stderr, "format_bench: %s\n", strerror(-err));
			return 1;
		}
		printf("%s: %s events, %.3f bytes/event, encode %.2f M events/s (CPU), "
		       "%.2f s wall\n", argv[4], argv[3], bpe, eps / 1e6, wall_now() - w0);
		return 0;
	}
	if (argc >= 5 && !strcmp(argv[1], "append")) {
		err = do_append(parse_kind(argv[2]), strtoull(argv[3], NULL, 0), argv[4]);
		if (err)
			fprintf(stderr, "format_bench: %s\n", strerror(-err));
		return err ? 1 : 0;
	}
	if (argc >= 3 && !strcmp(argv[1], "read")) {
		err = do_read(argv[2], argc > 3 && !strcmp(argv[3], "--unordered"), &eps, &events,
			      &rss);
		if (err)
			return 1;
		printf("%s: %llu events, decode %.2f M events/s, peak RSS %.1f MB\n", argv[2],
		       (unsigned long long)events, eps / 1e6, (double)rss / 1024);
		return 0;
	}
	if (argc >= 4 && !strcmp(argv[1], "levels")) {
		static const int levels[] = { -5, -1, 1, 2, 3, 5, 7, 9, 12, 15, 19 };
		static const __u32 chunks[] = { 256 << 10, 1 << 20, 2 << 20, 4 << 20, 8 << 20 };
		enum synth_kind kind = parse_kind(argv[2]);
		__u64 n = strtoull(argv[3], NULL, 0);
		const char *path = "/tmp/format_bench_levels.nr";
		size_t i;

		printf("| zstd level | chunk | bytes/event | encode M ev/s | decode M ev/s |\n");
		printf("|---|---|---|---|---|\n");
		for (i = 0; i < sizeof(levels) / sizeof(levels[0]); i++) {
			double deps;

			if (do_write(kind, n, path, levels[i], 0, false, &bpe, &eps) ||
			    do_read(path, false, &deps, &events, &rss))
				return 1;
			printf("| %d | default | %.3f | %.2f | %.2f |\n", levels[i], bpe,
			       eps / 1e6, deps / 1e6);
		}
		for (i = 0; i < sizeof(chunks) / sizeof(chunks[0]); i++) {
			double deps;

			if (do_write(kind, n, path, 0, chunks[i], false, &bpe, &eps) ||
			    do_read(path, false, &deps, &events, &rss))
				return 1;
			printf("| default | %u KiB | %.3f | %.2f | %.2f |\n", chunks[i] >> 10, bpe,
			       eps / 1e6, deps / 1e6);
		}
		unlink(path);
		return 0;
	}
	fprintf(stderr, "usage: format_bench write storm|mixed N FILE [--level L] [--chunk B] "
		"[--async]\n       format_bench read FILE [--unordered]\n"
		"       format_bench levels storm|mixed N\n"
		"       format_bench append storm|mixed N FILE\n");
	return 2;
}
