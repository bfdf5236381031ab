// SPDX-License-Identifier: GPL-2.0-only
/*
 * probe_storm.c - the cost of the probes under load, without the trace file: attach
 * through the loader, run a workload command, drain the ring buffer the way the
 * recorder does (poll with a timeout, then consume), and print what came and what the
 * counters say. Not a test (root needed, results are timings); see bpf/PROBES.md for the
 * numbers it produced.
 *
 *   probe_storm [--profile P] [--stack-all] [--stack-sample N] [--max-stacks N]
 *               [--no-snapshot] [--buffer-size B] [--mechanism M] -- COMMAND [ARGS...]
 *   probe_storm --none -- COMMAND    # the same command with no probe attached
 *   probe_storm --drain-at-end ...   # the kernel side alone: read only after COMMAND
 *                                    # (needs a --buffer-size that holds everything)
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <bpf/libbpf.h>

#include "loader.h"
#include "log.h"
#include "parse.h"

extern char **environ;

struct drained {
	__u64 recs, bytes, stacks;
};

static int on_record(void *ctx, void *data, size_t size)
{
	struct drained *d = ctx;
	const struct nr_rec_hdr *h = data;

	(void)size;
	d->recs++;
	d->bytes += h->size;
	d->stacks += !!(h->flags & NR_RF_STACK_INLINE);
	return 0;
}

struct totals {
	__u64 v[16];
};

static int add_counter(void *ctx, __u16 kind, __u16 probe, __u32 cpu, __u64 value)
{
	struct totals *t = ctx;

	(void)probe;
	(void)cpu;
	if (kind < 16)
		t->v[kind] += value;
	return 0;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "profile", required_argument, NULL, 'p' },
		{ "stack-all", no_argument, NULL, 'S' },
		{ "stack-sample", required_argument, NULL, 's' },
		{ "max-stacks", required_argument, NULL, 'm' },
		{ "no-snapshot", no_argument, NULL, 'N' },
		{ "buffer-size", required_argument, NULL, 'b' },
		{ "mechanism", required_argument, NULL, 'M' },
		{ "none", no_argument, NULL, 'n' },
		{ "drain-at-end", no_argument, NULL, 'E' },
		{ "wakeup-bytes", required_argument, NULL, 'W' },
		{ NULL, 0, NULL, 0 },
	};
	struct nr_loader_opts o = { .sz = sizeof(o) };
	struct nr_loader *l = NULL;
	struct ring_buffer *rb = NULL;
	struct drained d = { 0 };
	struct totals t = { 0 };
	struct nr_error e = { 0 };
	bool none = false, at_end = false;
	double t0, t1;
	pid_t pid;
	__u64 v;
	int c, status = 0;

	while ((c = getopt_long(argc, argv, "+", opts, NULL)) != -1) {
		switch (c) {
		case 'p':
			if (nr_profile_by_name(optarg, &o.profile))
				return 2;
			break;
		case 'S':
			o.stack_all = true;
			break;
		case 's':
			if (nr_parse_u32(optarg, 0, 1000000, &o.stack_sample))
				return 2;
			break;
		case 'm':
			if (nr_parse_u64(optarg, 0, ~0ull, &o.max_stacks))
				return 2;
			o.limit_stacks = true;
			break;
		case 'N':
			o.no_snapshot = true;
			break;
		case 'b':
			if (nr_parse_size(optarg, 4096, 1ull << 31, &v))
				return 2;
			o.ringbuf_bytes = v;
			break;
		case 'M':
			if (nr_mech_by_name(optarg, &o.force_mech))
				return 2;
			break;
		case 'n':
			none = true;
			break;
		case 'E':
			at_end = true;
			break;
		case 'W':
			if (nr_parse_size(optarg, 1, 1ull << 31, &o.wakeup_bytes))
				return 2;
			break;
		default:
			return 2;
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "usage: probe_storm [OPTIONS] -- COMMAND [ARGS...]\n");
		return 2;
	}
	nr_log_level = NR_LOG_WARN;
	if (!none) {
		if (nr_loader__open(&o, &l, &e) || nr_loader__load(l, &e) ||
		    nr_loader__attach(l, &e)) {
			fprintf(stderr, "probe_storm: %s\n", e.msg);
			nr_loader__close(l);
			return 1;
		}
		rb = ring_buffer__new(nr_loader__ringbuf_fd(l), on_record, &d, NULL);
		if (!rb)
			return 1;
	}

	t0 = now_s();
	if (posix_spawnp(&pid, argv[optind], NULL, NULL, argv + optind, environ)) {
		perror(argv[optind]);
		return 1;
	}
	for (;;) {
		pid_t w = waitpid(pid, &status, rb && !at_end ? WNOHANG : 0);

		if (w == pid || (w < 0 && errno != EINTR))
			break;
		/* the recorder's drain: woken when the ring fills, else every 50 ms */
		ring_buffer__poll(rb, 50);
		ring_buffer__consume(rb);
	}
	t1 = now_s();
	if (rb) {
		ring_buffer__consume(rb);
		nr_loader__for_each_counter(l, add_counter, &t);
		printf("wall %.3f s, records %llu (%.1f B each, %llu with stacks), hits %llu, "
		       "lost %llu, missed %llu, filtered %llu, stack_skipped %llu\n", t1 - t0,
		       (unsigned long long)d.recs, d.recs ? (double)d.bytes / d.recs : 0.0,
		       (unsigned long long)d.stacks, (unsigned long long)t.v[NR_CNT_HITS],
		       (unsigned long long)t.v[NR_CNT_LOST],
		       (unsigned long long)t.v[NR_CNT_PROG_MISSED],
		       (unsigned long long)t.v[NR_CNT_FILTERED],
		       (unsigned long long)t.v[NR_CNT_STACK_SKIPPED]);
	} else {
		printf("wall %.3f s, no probes\n", t1 - t0);
	}
	ring_buffer__free(rb);
	nr_loader__close(l);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}
