// SPDX-License-Identifier: GPL-2.0-only
/*
 * gen_trace.c - the representative synthetic scenario (analyze_scenario.h) at any scale, for the
 * analyzer's benchmark and golden samples (not a test):
 *
 *   gen_trace --bench EVENTS     analyse a stream of about EVENTS records in memory and
 *                                print records/s (analysis only) and peak RSS
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
	fprintf(stderr, "usage: gen_trace --bench EVENTS\n");
	return 2;
}
