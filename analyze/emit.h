/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * emit.h - the report renderers. Each reads one struct nr_result (analysis.h) and
 * writes one output; none analyses anything. Output is deterministic: the same result
 * gives the same bytes (times are printed in UTC, numbers with integer arithmetic).
 */
#ifndef NR_ANALYZE_EMIT_H
#define NR_ANALYZE_EMIT_H

#include <stdbool.h>
#include <stdio.h>

#include "analysis.h"

/**
 * struct nr_emit_opts - how to render
 * @file:    the trace file's name, for the header (NULL: not shown)
 * @filters: a description of the analysis filters, or NULL when none
 * @color:   ANSI colours (text only)
 * @limit:   --packets: at most this many packets (0: all the result kept)
 */
struct nr_emit_opts {
	const char *file;
	const char *filters;
	bool color;
	__u32 limit;
};

struct nr_emitter {
	const char *name;
	int (*emit)(FILE *f, const struct nr_result *r, const struct nr_emit_opts *o);
};

extern const struct nr_emitter nr_emit_text;
extern const struct nr_emitter nr_emit_json;
extern const struct nr_emitter nr_emit_packets;
extern const struct nr_emitter nr_emit_folded;

/* ---- shared by the renderers (emit_common.c) ---- */

/* "1.234 s", "12.5 ms", "250 us", "80 ns" */
const char *nr_fmt_duration(__u64 ns, char *buf, size_t size);

/* "+1.234567" seconds since the first event analysed */
const char *nr_fmt_rel(const struct nr_result *r, __u64 ts, char *buf, size_t size);

/* "97.2%" with integer rounding */
const char *nr_fmt_pct(__u64 part, __u64 whole, char *buf, size_t size);

/* "netns 4026532301 (ns1)" / "netns 4026532301" / "unknown netns" */
const char *nr_fmt_netns(__u32 inode, const char *name, char *buf, size_t size);

/* the one-line verdict the text report starts with (and JSON carries) */
const char *nr_fmt_verdict(const struct nr_result *r, char *buf, size_t size);

/* a state's name in a connection's transitions, by value, or NULL */
const char *nr_conn_state_name(const struct nr_res_conn *c, __u16 state);

#endif /* NR_ANALYZE_EMIT_H */
