// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * cmd_info.c - netrec info: what a trace file holds and how healthy it is
 *
 * Header facts, where and how it was recorded, probe outcomes, chunks and events (by
 * record type and by probe), lost events per CPU, time range, compression, metadata
 * counts, and whether the recorder closed the file. Reads every chunk once (lost
 * events are counter records among the events, and a damaged chunk should show up
 * here); memory stays bounded as for any read.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "decode.h"
#include "jsonw.h"
#include "log.h"
#include "nr_file.h"

struct info_opts {
	const char *file;
	bool json;
};

static const struct info_opts defaults_info = { 0 };

#define TYPES_SHOWN	16	/* record types counted one by one; others together */
#define LOST_CPUS_MAX	4096

struct lost_ent {
	__u32 cpu;
	__u16 probe;
	__u64 value;
};

struct tally {
	__u64 events;
	__u64 by_type[TYPES_SHOWN + 1];	/* [TYPES_SHOWN]: any other type */
	__u64 *by_probe;		/* 65536 entries */
	__u64 probe_none;		/* records without a probe field */
	struct lost_ent *lost;		/* last LOST sample per (cpu, probe) */
	size_t nlost;
	bool lost_overflow;
	__u32 bad_chunks;
	struct nr_error first_bad;
};

static void count_lost(struct tally *t, const struct nr_counter *c)
{
	size_t i;

	for (i = 0; i < t->nlost; i++) {
		if (t->lost[i].cpu == c->cpu && t->lost[i].probe == c->probe) {
			t->lost[i].value = c->value;	/* cumulative: the last one counts */
			return;
		}
	}
	if (t->nlost == LOST_CPUS_MAX) {
		t->lost_overflow = true;
		return;
	}
	t->lost[t->nlost].cpu = c->cpu;
	t->lost[t->nlost].probe = c->probe;
	t->lost[t->nlost].value = c->value;
	t->nlost++;
}

static int tally_events(struct nr_reader *r, struct tally *t)
{
	const struct nr_rec_hdr *h;
	struct nr_error e;
	int ret;

	for (;;) {
		ret = nr_reader__next(r, &h, &e);
		if (ret == 0)
			return 0;
		if (ret < 0) {
			if (ret == -ENOMEM)
				return ret;
			if (!t->bad_chunks++)
				t->first_bad = e;
			continue;
		}
		t->events++;
		t->by_type[h->type < TYPES_SHOWN ? h->type : TYPES_SHOWN]++;
		switch (h->type) {
		case NR_REC_PKT:
			t->by_probe[((const struct nr_pkt *)h)->probe]++;
			break;
		case NR_REC_SOCK:
			t->by_probe[((const struct nr_sock *)h)->probe]++;
			break;
		case NR_REC_FIB:
			t->by_probe[((const struct nr_fib *)h)->probe]++;
			break;
		case NR_REC_NEIGH:
			t->by_probe[((const struct nr_neigh *)h)->probe]++;
			break;
		case NR_REC_COUNTER:
			if (((const struct nr_counter *)h)->kind == NR_CNT_LOST)
				count_lost(t, (const void *)h);
			t->probe_none++;
			break;
		default:
			t->probe_none++;
			break;
		}
	}
}

static int cmp_lost(const void *a, const void *b)
{
	const struct lost_ent *x = a, *y = b;

	if (x->cpu != y->cpu)
		return x->cpu < y->cpu ? -1 : 1;
	return (x->probe > y->probe) - (x->probe < y->probe);
}

/* lost per CPU (summed over probes), in CPU order; returns the number of CPUs */
static size_t lost_per_cpu(struct tally *t, struct lost_ent *out, __u64 *total)
{
	size_t i, n = 0;

	qsort(t->lost, t->nlost, sizeof(*t->lost), cmp_lost);
	*total = 0;
	for (i = 0; i < t->nlost; i++) {
		if (n && out[n - 1].cpu == t->lost[i].cpu) {
			out[n - 1].value += t->lost[i].value;
		} else {
			out[n] = t->lost[i];
			n++;
		}
		*total += t->lost[i].value;
	}
	return n;
}

static void hex(const __u8 *p, __u32 n, char *buf, size_t len)
{
	size_t o = 0;
	__u32 i;

	if (len)
		buf[0] = 0;
	for (i = 0; i < n && o + 3 <= len; i++)
		o += (size_t)snprintf(buf + o, len - o, "%02x", p[i]);
}

static void human_bytes(__u64 v, char *buf, size_t len)
{
	if (v >= 10ull << 30)
		snprintf(buf, len, "%.1f GiB", (double)v / (1ull << 30));
	else if (v >= 10ull << 20)
		snprintf(buf, len, "%.1f MiB", (double)v / (1ull << 20));
	else if (v >= 10ull << 10)
		snprintf(buf, len, "%.1f KiB", (double)v / (1ull << 10));
	else
		snprintf(buf, len, "%llu bytes", (unsigned long long)v);
}

static const char *byte_order(const struct nr_file_info *fi)
{
	bool host_le = __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__;

	return (host_le != fi->foreign_endian) ? "little-endian" : "big-endian";
}

static void print_text(const struct nr_meta *m, struct tally *t)
{
	const struct nr_file_info *fi = &m->file;
	const struct nr_host *h = &m->host;
	struct lost_ent cpus[LOST_CPUS_MAX];
	char b[256], b2[64];
	__u64 base = nr_decode_time_base(m), lost_total;
	__u32 i, att = 0, failed = 0, unav = 0, nsel = 0;
	size_t ncpu;

	printf("format:       netrec trace %u.%u, %s%s, %llu bytes\n", fi->major, fi->minor,
	       byte_order(fi), fi->foreign_endian ? " (foreign, swapped)" : "",
	       (unsigned long long)fi->file_bytes);
	if (fi->clean_close)
		printf("closed:       cleanly\n");
	else
		printf("closed:       NOT cleanly: %s\n", fi->trunc_msg ? fi->trunc_msg : "?");
	printf("host:         %s, %s %s %s, %u CPUs\n", h->hostname ? h->hostname : "?",
	       h->sysname ? h->sysname : "?", h->release ? h->release : "?",
	       h->machine ? h->machine : "?", h->ncpus);
	if (h->version)
		printf("kernel:       %s\n", h->version);
	if (h->build_id_len) {
		hex(h->build_id, h->build_id_len, b, sizeof(b));
		printf("build id:     %s\n", b);
	}
	if (h->boot_id)
		printf("boot id:      %s\n", h->boot_id);
	if (h->netrec_version)
		printf("recorded by:  netrec %s\n", h->netrec_version);
	if (m->argc) {
		printf("command:     ");
		for (i = 0; i < m->argc; i++)
			printf(" %s", m->argv[i]);
		printf("\n");
	}
	if (m->filter)
		printf("filter:       %s\n", m->filter);
	if (m->clock_start.real_ns && nr_decode_walltime(m, m->clock_start.mono_ns, b,
							 sizeof(b)) == 0)
		printf("started:      %s (monotonic %s)\n", b,
		       nr_decode_reltime((__s64)m->clock_start.mono_ns, b2, sizeof(b2)));
	if (m->has_clock_end && nr_decode_walltime(m, m->clock_end.mono_ns, b, sizeof(b)) == 0)
		printf("ended:        %s (after %s s)\n", b,
		       nr_decode_reltime((__s64)(m->clock_end.mono_ns - m->clock_start.mono_ns),
					 b2, sizeof(b2)));

	for (i = 0; i < m->nr_probes; i++) {
		switch (m->probes[i].status) {
		case NR_PROBE_ATTACHED: att++; break;
		case NR_PROBE_FAILED: failed++; break;
		case NR_PROBE_UNAVAILABLE: unav++; break;
		default: nsel++; break;
		}
	}
	printf("probes:       %u attached, %u failed, %u unavailable, %u not selected\n", att,
	       failed, unav, nsel);
	for (i = 0; i < m->nr_probes; i++) {
		const struct nr_probe_outcome *p = &m->probes[i];
		const char *st = nr_decode_probe_status_name(p->status);

		printf("  %-5u %-32s %-12s %-10s events=%llu", p->id, p->name, st ? st : "?",
		       p->mechanism ? p->mechanism : "-",
		       (unsigned long long)t->by_probe[p->id]);
		if (p->target && strcmp(p->target, strchr(p->name, ':') ? strchr(p->name, ':') + 1
						     : p->name))
			printf(" target=%s", p->target);
		if (p->err)
			printf(" error=%s", nr_decode_errno(p->err, b, sizeof(b)));
		if (p->msg)
			printf(" (%s)", p->msg);
		printf("\n");
	}

	printf("events:       %llu in %u chunks", (unsigned long long)t->events, fi->nr_chunks);
	if (t->bad_chunks)
		printf(", %u bad", t->bad_chunks);
	printf("\n ");
	for (i = 0; i <= TYPES_SHOWN; i++) {
		const char *n = i < TYPES_SHOWN ? nr_rec_name((__u16)i) : "other";

		if (!t->by_type[i])
			continue;
		if (n)
			printf(" %s=%llu", n, (unsigned long long)t->by_type[i]);
		else
			printf(" type%u=%llu", i, (unsigned long long)t->by_type[i]);
	}
	printf("\n");
	if (fi->nr_events)
		printf("time range:   %s .. %s s\n",
		       nr_decode_reltime((__s64)(fi->first_ts - base), b, sizeof(b)),
		       nr_decode_reltime((__s64)(fi->last_ts - base), b2, sizeof(b2)));
	ncpu = lost_per_cpu(t, cpus, &lost_total);
	printf("lost:         ");
	if (!ncpu) {
		printf("none recorded\n");
	} else {
		for (i = 0; i < ncpu; i++) {
			if (cpus[i].cpu == NR_CPU_ALL)
				printf("%sall %llu", i ? ", " : "",
				       (unsigned long long)cpus[i].value);
			else
				printf("%scpu%u %llu", i ? ", " : "", cpus[i].cpu,
				       (unsigned long long)cpus[i].value);
		}
		printf(" (%llu in all)\n", (unsigned long long)lost_total);
	}
	human_bytes(fi->raw_bytes, b, sizeof(b));
	human_bytes(fi->chunk_bytes, b2, sizeof(b2));
	printf("size:         records %s, stored %s", b, b2);
	if (fi->chunk_bytes)
		printf(" (%.1fx)", (double)fi->raw_bytes / (double)fi->chunk_bytes);
	if (t->events)
		printf(", %.2f bytes/event", (double)fi->chunk_bytes / (double)t->events);
	human_bytes(fi->meta_bytes, b, sizeof(b));
	printf("; metadata %s\n", b);
	printf("metadata:     %u symbols, %u stacks, %u interfaces in %u namespaces, %u enums",
	       m->nr_syms, m->nr_stacks, m->nr_ifaces, m->nr_netns, m->nr_enums);
	for (i = 0; i < m->nr_enums; i++)
		printf("%s%s %u", i ? ", " : " (", m->enums[i].name, m->enums[i].nr);
	printf("%s\n", m->nr_enums ? ")" : "");
	printf("blocks:       %u read, %u of unknown type skipped, index %s\n", fi->nr_blocks,
	       fi->nr_unknown_blocks, fi->has_index ? "used" : "absent (scanned)");
}

static void print_json(const struct nr_meta *m, struct tally *t)
{
	const struct nr_file_info *fi = &m->file;
	const struct nr_host *h = &m->host;
	struct lost_ent cpus[LOST_CPUS_MAX];
	struct nr_jsonw *j = nr_jsonw_new(stdout, true);
	__u64 lost_total;
	size_t ncpu, i;
	char b[256];

	if (!j)
		return;
	nr_jsonw_obj_open(j);
	nr_jsonw_key(j, "format");
	nr_jsonw_obj_open(j);
	nr_jsonw_kv_u64(j, "major", fi->major);
	nr_jsonw_kv_u64(j, "minor", fi->minor);
	nr_jsonw_kv_str(j, "byte_order", byte_order(fi));
	nr_jsonw_kv_bool(j, "foreign_endian", fi->foreign_endian);
	nr_jsonw_obj_close(j);
	nr_jsonw_kv_u64(j, "file_bytes", fi->file_bytes);
	nr_jsonw_kv_bool(j, "clean_close", fi->clean_close);
	nr_jsonw_kv_u64(j, "truncated_bytes", fi->truncated_bytes);
	nr_jsonw_kv_str(j, "trunc_msg", fi->clean_close ? NULL : fi->trunc_msg);

	nr_jsonw_key(j, "host");
	nr_jsonw_obj_open(j);
	nr_jsonw_kv_str(j, "hostname", h->hostname);
	nr_jsonw_kv_str(j, "sysname", h->sysname);
	nr_jsonw_kv_str(j, "release", h->release);
	nr_jsonw_kv_str(j, "version", h->version);
	nr_jsonw_kv_str(j, "machine", h->machine);
	nr_jsonw_kv_str(j, "netrec_version", h->netrec_version);
	nr_jsonw_kv_str(j, "boot_id", h->boot_id);
	hex(h->build_id, h->build_id_len, b, sizeof(b));
	nr_jsonw_kv_str(j, "build_id", h->build_id_len ? b : NULL);
	nr_jsonw_kv_u64(j, "ncpus", h->ncpus);
	nr_jsonw_kv_u64(j, "page_size", h->page_size);
	nr_jsonw_obj_close(j);

	nr_jsonw_key(j, "clock");
	nr_jsonw_obj_open(j);
	nr_jsonw_kv_u64(j, "start_mono_ns", m->clock_start.mono_ns);
	nr_jsonw_kv_u64(j, "start_real_ns", m->clock_start.real_ns);
	nr_jsonw_kv_u64(j, "start_boot_ns", m->clock_start.boot_ns);
	nr_jsonw_key(j, "end_mono_ns");
	if (m->has_clock_end)
		nr_jsonw_u64(j, m->clock_end.mono_ns);
	else
		nr_jsonw_null(j);
	nr_jsonw_key(j, "end_real_ns");
	if (m->has_clock_end)
		nr_jsonw_u64(j, m->clock_end.real_ns);
	else
		nr_jsonw_null(j);
	nr_jsonw_obj_close(j);

	nr_jsonw_key(j, "cmdline");
	nr_jsonw_arr_open(j);
	for (i = 0; i < m->argc; i++)
		nr_jsonw_str(j, m->argv[i]);
	nr_jsonw_arr_close(j);
	nr_jsonw_kv_str(j, "filter", m->filter);

	nr_jsonw_key(j, "probes");
	nr_jsonw_arr_open(j);
	for (i = 0; i < m->nr_probes; i++) {
		const struct nr_probe_outcome *p = &m->probes[i];

		nr_jsonw_obj_open(j);
		nr_jsonw_kv_u64(j, "id", p->id);
		nr_jsonw_kv_str(j, "name", p->name);
		nr_jsonw_kv_str(j, "status", nr_decode_probe_status_name(p->status));
		nr_jsonw_kv_str(j, "mechanism", p->mechanism);
		nr_jsonw_kv_str(j, "target", p->target);
		nr_jsonw_kv_s64(j, "err", p->err);
		nr_jsonw_kv_str(j, "error", p->err ? nr_decode_errno(p->err, b, sizeof(b)) : NULL);
		nr_jsonw_kv_str(j, "msg", p->msg);
		nr_jsonw_kv_u64(j, "events", t->by_probe[p->id]);
		nr_jsonw_obj_close(j);
	}
	nr_jsonw_arr_close(j);

	nr_jsonw_kv_u64(j, "chunks", fi->nr_chunks);
	nr_jsonw_kv_u64(j, "bad_chunks", t->bad_chunks);
	nr_jsonw_kv_u64(j, "events", t->events);
	nr_jsonw_key(j, "events_by_type");
	nr_jsonw_obj_open(j);
	for (i = 0; i <= TYPES_SHOWN; i++) {
		const char *n = i < TYPES_SHOWN ? nr_rec_name((__u16)i) : "other";

		if (!t->by_type[i])
			continue;
		if (n) {
			nr_jsonw_kv_u64(j, n, t->by_type[i]);
		} else {
			snprintf(b, sizeof(b), "type%zu", i);
			nr_jsonw_kv_u64(j, b, t->by_type[i]);
		}
	}
	nr_jsonw_obj_close(j);
	nr_jsonw_kv_u64(j, "first_ts_ns", fi->first_ts);
	nr_jsonw_kv_u64(j, "last_ts_ns", fi->last_ts);

	ncpu = lost_per_cpu(t, cpus, &lost_total);
	nr_jsonw_key(j, "lost");
	nr_jsonw_arr_open(j);
	for (i = 0; i < ncpu; i++) {
		nr_jsonw_obj_open(j);
		nr_jsonw_key(j, "cpu");
		if (cpus[i].cpu == NR_CPU_ALL)
			nr_jsonw_str(j, "all");
		else
			nr_jsonw_u64(j, cpus[i].cpu);
		nr_jsonw_kv_u64(j, "lost", cpus[i].value);
		nr_jsonw_obj_close(j);
	}
	nr_jsonw_arr_close(j);
	nr_jsonw_kv_u64(j, "lost_total", lost_total);

	nr_jsonw_kv_u64(j, "raw_bytes", fi->raw_bytes);
	nr_jsonw_kv_u64(j, "chunk_bytes", fi->chunk_bytes);
	nr_jsonw_kv_u64(j, "meta_bytes", fi->meta_bytes);
	nr_jsonw_key(j, "compression_ratio");
	nr_jsonw_fixed(j, fi->chunk_bytes ? (double)fi->raw_bytes / (double)fi->chunk_bytes : 0, 3);
	nr_jsonw_key(j, "bytes_per_event");
	nr_jsonw_fixed(j, t->events ? (double)fi->chunk_bytes / (double)t->events : 0, 3);

	nr_jsonw_kv_u64(j, "symbols", m->nr_syms);
	nr_jsonw_kv_u64(j, "stacks", m->nr_stacks);
	nr_jsonw_kv_u64(j, "interfaces", m->nr_ifaces);
	nr_jsonw_kv_u64(j, "netns", m->nr_netns);
	nr_jsonw_key(j, "enums");
	nr_jsonw_arr_open(j);
	for (i = 0; i < m->nr_enums; i++) {
		nr_jsonw_obj_open(j);
		nr_jsonw_kv_str(j, "name", m->enums[i].name);
		nr_jsonw_kv_u64(j, "entries", m->enums[i].nr);
		nr_jsonw_obj_close(j);
	}
	nr_jsonw_arr_close(j);
	nr_jsonw_kv_u64(j, "blocks", fi->nr_blocks);
	nr_jsonw_kv_u64(j, "unknown_blocks", fi->nr_unknown_blocks);
	nr_jsonw_kv_bool(j, "has_index", fi->has_index);
	nr_jsonw_obj_close(j);
	nr_jsonw_free(j);
}

static int run_info(const struct info_opts *opts)
{
	struct nr_reader_opts ro = { .sz = sizeof(ro), .unordered = true,
				     .skip_bad_chunks = true };
	struct tally t;
	struct nr_reader *r;
	struct nr_error e = { 0 };
	int ret, status = EXIT_SUCCESS;

	memset(&t, 0, sizeof(t));
	ret = nr_reader__open(opts->file, &ro, &r, &e);
	if (ret) {
		pr_err("%s: %s\n", opts->file, e.msg);
		return EXIT_FAILURE;
	}
	t.by_probe = calloc(65536, sizeof(*t.by_probe));
	t.lost = calloc(LOST_CPUS_MAX, sizeof(*t.lost));
	if (!t.by_probe || !t.lost || tally_events(r, &t)) {
		pr_err("%s: out of memory\n", opts->file);
		status = EXIT_FAILURE;
		goto out;
	}
	if (opts->json)
		print_json(nr_reader__meta(r), &t);
	else
		print_text(nr_reader__meta(r), &t);
	if (fflush(stdout) || ferror(stdout)) {
		pr_err("%s: writing the output failed\n", opts->file);
		status = EXIT_FAILURE;
	}
	if (t.bad_chunks) {
		pr_err("%s: %s%s\n", opts->file, t.first_bad.msg,
		       t.bad_chunks > 1 ? " (and more bad chunks)" : "");
		status = EXIT_FAILURE;
	}
out:
	free(t.by_probe);
	free(t.lost);
	nr_reader__free(r);
	return status;
}

static void usage_info(FILE *f)
{
	fprintf(f,
		"usage: netrec info [--json] FILE\n"
		"\n"
		"Describe a trace file: where and how it was recorded, probes, events, losses,\n"
		"time range, compression, and whether it was closed cleanly.\n"
		"\n"
		"  -j, --json   one JSON document\n"
		"  -h, --help   this help\n"
		"\n"
		"Examples:\n"
		"  netrec info trace.nr\n"
		"  netrec info --json trace.nr | jq .lost_total\n");
}

int cmd_info(int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct info_opts opts = defaults_info;
	int c;

	while ((c = getopt_long(argc, argv, "jh", lopts, NULL)) != -1) {
		switch (c) {
		case 'j':
			opts.json = true;
			break;
		case 'h':
			usage_info(stdout);
			return EXIT_SUCCESS;
		default:
			usage_info(stderr);
			return 2;
		}
	}
	if (optind != argc - 1) {
		pr_err("info: expected one trace file\n");
		usage_info(stderr);
		return 2;
	}
	opts.file = argv[optind];
	return run_info(&opts);
}
