/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * diagnose.h - what a drop reason means and what to check, with the file's facts filled
 * in. The table (diagnose.c) is data: one entry per reason name, two templates each.
 *
 * Placeholders in the templates, filled from the reason's busiest flow, device, location
 * and stack (each has a wording for "not known"):
 *   {count} {pct}      drops of the reason, and their share of all drops
 *   {flow}             "udp 10.0.0.1:4000 -> 10.0.0.2:9"
 *   {proto}            "udp", "tcp", "icmp", a number, or "IP"
 *   {src} {dst}        addresses; {dst_ep} "10.0.0.2:9" ("[fe80::1]:9" for IPv6)
 *   {sport} {dport}    ports
 *   {ns}               "netns 4026532301 (ns1)"
 *   {in_ns}            "in netns ns1" / "in netns 4026532301", empty when unknown
 *   {dev} {devname}    "dev veth1", and "veth1" ("DEV" when unknown)
 *   {loc}              the busiest location, symbol+0xoff
 *   {hook}             the netfilter hook and table from the stack, e.g.
 *                      " at the INPUT hook (nftables)", empty when the stack says nothing
 */
#ifndef NR_ANALYZE_DIAGNOSE_H
#define NR_ANALYZE_DIAGNOSE_H

#include <stddef.h>

#include "analysis.h"

struct arena;

struct nr_diag {
	const char *reason;	/* without the SKB_DROP_REASON_ prefix */
	const char *what;	/* what it means, with placeholders */
	const char *check;	/* what to check, with placeholders */
};

/** nr_diag_lookup() - the entry for reason @name, or NULL */
const struct nr_diag *nr_diag_lookup(const char *name);

/** nr_diag_table() - all entries, *n of them */
const struct nr_diag *nr_diag_table(size_t *n);

/**
 * nr_diag_fill() - expand @tmpl with the facts of @rr in @r
 * Return: a string in @ar, or NULL when memory runs out.
 */
const char *nr_diag_fill(struct arena *ar, const struct nr_result *r,
			 const struct nr_res_reason *rr, const char *tmpl);

/**
 * nr_diagnose() - set rr->diag_what and rr->diag_check (NULL for a reason the table lacks)
 * Return: 0 or -ENOMEM.
 */
int nr_diagnose(struct arena *ar, const struct nr_result *r, struct nr_res_reason *rr);

/**
 * nr_diag_netfilter_hook() - the netfilter hook and table a drop stack went through,
 * e.g. "INPUT hook (nftables)", or NULL when the frames do not tell
 */
const char *nr_diag_netfilter_hook(const struct nr_res_stack *st, char *buf, size_t size);

#endif /* NR_ANALYZE_DIAGNOSE_H */
