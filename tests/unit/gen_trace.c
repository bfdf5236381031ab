// SPDX-License-Identifier: GPL-2.0-only
/*
 * gen_trace.c - the representative synthetic scenario (analyze_scenario.h) at any scale, for the
 * analyzer's benchmark and golden samples (not a test):
 *
 *   gen_trace --bench EVENTS     analyse a stream of about EVENTS records in memory and
 *                                print records/s (analysis only) and peak RSS
 *   gen_trace -o FILE [SCALE]    write the scenario as a trace file through format's
 *                                writer (SCALE 1: the golden sample; large: benchmark)
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "emit.h"
#include "parse.h"
#include "analyze_scenario.h"

static struct nr_meta meta;

static int to_analysis(void *ctx, const struct nr_rec_hdr *rec)
{
	return nr_analysis__add(ctx, rec);
}

static int count_only(void *ctx, const struct nr_rec_hdr *rec)
{
	(*(__u64 *)ctx)++;
	(void)rec;
	return 0;
}

/* the writer resolves addresses through the synthetic symbol table */
static int resolve(void *ctx, __u64 addr, struct nr_sym *ret)
{
	__u64 off;
	const struct nr_sym *s = nr_meta__sym(&meta, addr, &off);

	(void)ctx;
	if (!s)
		return -ENOENT;
	*ret = *s;
	return 0;
}

/* records go to the writer; a stack id of the synthetic table goes inline, as from BPF */
static int to_writer(void *ctx, const struct nr_rec_hdr *rec)
{
	static __u64 buf[(sizeof(union synth_rec) + NR_STACK_MAX * 8) / 8 + 1];
	const struct nr_pkt *p = (const struct nr_pkt *)rec;
	const struct nr_stack *st;
	struct nr_pkt *q;

	if (rec->type != NR_REC_PKT || !p->stack_id)
		return nr_writer__append(ctx, rec);
	st = nr_meta__stack(&meta, p->stack_id);
	memcpy(buf, rec, rec->size);
	q = (struct nr_pkt *)buf;
	memcpy((__u8 *)buf + rec->size, st->ip, st->nr * 8);
	q->hdr.size = rec->size + st->nr * 8;
	q->hdr.flags |= NR_RF_STACK_INLINE;
	q->stack_id = st->nr;
	return nr_writer__append(ctx, &q->hdr);
}

static int write_file(const char *path, __u64 scale)
{
	struct nr_writer_opts wo = { .sz = sizeof(wo), .resolve = resolve };
	static char *argv[] = { "netrec", "record", "-o", "scenario.nr" };
	struct nr_clock end = meta.clock_start;
	struct nr_writer *w = NULL;
	__u32 i, j;
	int err;

	err = nr_writer__open(path, &wo, &w);
	if (err) {
		fprintf(stderr, "%s: %s\n", path, strerror(-err));
		return 1;
	}
	err = nr_writer__host(w, &meta.host);
	if (!err)
		err = nr_writer__clock(w, &meta.clock_start, false);
	if (!err)
		err = nr_writer__cmdline(w, 4, argv, NULL);
	if (!err)
		err = nr_writer__probes(w, meta.probes, meta.nr_probes);
	for (i = 0; !err && i < meta.nr_enums; i++)
		err = nr_writer__enum(w, &meta.enums[i]);
	for (i = 0; !err && i < meta.nr_netns; i++) {
		struct nr_iface ifs[8];
		__u32 n = 0;

		for (j = 0; j < meta.nr_ifaces; j++)
			if (meta.ifaces[j].netns == meta.netns[i].inode && n < 8)
				ifs[n++] = meta.ifaces[j];
		err = nr_writer__ifaces(w, &meta.netns[i], ifs, n);
	}
	if (!err)
		err = scenario(to_writer, w, scale);
	end.mono_ns += 100 * SC_MS * scale;
	end.real_ns += 100 * SC_MS * scale;
	end.boot_ns += 100 * SC_MS * scale;
	if (!err)
		err = nr_writer__clock(w, &end, true);
	if (err) {
		fprintf(stderr, "%s: %s\n", path, strerror(-err));
		nr_writer__close(w);
		return 1;
	}
	err = nr_writer__close(w);
	if (err) {
		fprintf(stderr, "%s: %s\n", path, strerror(-err));
		return 1;
	}
	return 0;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int bench(__u64 events)
{
	struct nr_analysis_opts o = { .sz = sizeof(o), .max_paths = 20 };
	struct nr_analysis *a = NULL;
	struct nr_result *r = NULL;
	struct rusage ru;
	__u64 per_scale = 0, scale, n = 0;
	double t0, t_gen, t_all;
	int err;

	scenario(count_only, &per_scale, 1);
	scale = events / per_scale ? events / per_scale : 1;
	/* the cost of making the records, to subtract */
	t0 = now();
	scenario(count_only, &n, scale);
	t_gen = now() - t0;

	err = nr_analysis__new(&meta, &o, &a);
	if (err)
		return 1;
	t0 = now();
	err = scenario(to_analysis, a, scale);
	if (!err)
		err = nr_analysis__finish(a, &r);
	t_all = now() - t0;
	if (err) {
		fprintf(stderr, "analysis: %s\n", strerror(-err));
		return 1;
	}
	getrusage(RUSAGE_SELF, &ru);
	printf("records %llu, drops %llu, connections %llu\n", (unsigned long long)n,
	       (unsigned long long)r->totals.drops, (unsigned long long)r->tcp.connections);
	printf("generate %.3f s, generate+analyse %.3f s\n", t_gen, t_all);
	printf("analysis: %.2f M records/s (%.1f ns/record)\n", (double)n / (t_all - t_gen) / 1e6,
	       (t_all - t_gen) * 1e9 / (double)n);
	printf("peak RSS %ld MB\n", ru.ru_maxrss / 1024);
	nr_analysis__free(a);
	nr_result__free(r);
	return 0;
}

int main(int argc, char **argv)
{
	__u64 n;

	synth_meta(&meta);
	if (argc == 3 && !strcmp(argv[1], "--bench") && !nr_parse_u64(argv[2], 1, ~0ULL, &n))
		return bench(n);
	if ((argc == 3 || argc == 4) && !strcmp(argv[1], "-o") &&
	    (argc == 3 || !nr_parse_u64(argv[3], 1, ~0ULL, &n)))
		return write_file(argv[2], argc == 4 ? n : 1);
	fprintf(stderr, "usage: gen_trace --bench EVENTS | -o FILE [SCALE]\n");
	return 2;
}
