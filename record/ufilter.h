/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * ufilter.h - `--filter` applied in user space, on the records as they leave the ring
 * buffer, when the expression cannot run inside the probes (filter.h)
 *
 * It gives the verdicts the in-kernel filter gives (bpf/netrec.bpf.h, pkt.bpf.h,
 * sk.bpf.h, fib.bpf.c, neigh.bpf.c), from what the records carry:
 *  - a packet record: its snapshot from the network header on, for IPv4 and IPv6
 *    packets (the loader takes a snapshot of every packet record when the filter runs
 *    here); the wire length from the IP header's own length field
 *  - a packet record without a readable network header (an skb already freed, a
 *    snapshot that was not taken): kept when the same skb was kept before, as the
 *    probes keep the skbs they track
 *  - with --follow, an skb once kept keeps all its later records, whatever its headers
 *    then say (NAT, encapsulation)
 *  - socket, route and neighbour records: the headers the probes make up from their
 *    tuple (nr_filter__match_tuple()), the local end as the source
 *  - control and counter records always pass.
 * The skbs kept are remembered in a bounded table (forgotten at their free, and all at
 * once when the table fills).
 */
#ifndef NR_RECORD_UFILTER_H
#define NR_RECORD_UFILTER_H

#include <stdbool.h>
#include <linux/types.h>

#include "netrec_abi.h"

struct nr_filter;
struct nr_ufilter;

/**
 * nr_ufilter__new() - a user-space filter over @f (which must outlive it)
 * @follow:    --follow
 * @track_max: skbs remembered at most; 0: NR_UFILTER_TRACK_DEFAULT
 */
#define NR_UFILTER_TRACK_DEFAULT	65536
int nr_ufilter__new(const struct nr_filter *f, bool follow, __u32 track_max,
		    struct nr_ufilter **ret);

/**
 * nr_ufilter__keep() - the verdict on record @h (hdr.size bytes, already checked)
 */
bool nr_ufilter__keep(struct nr_ufilter *u, const struct nr_rec_hdr *h);

/** nr_ufilter__forgotten() - times the table of kept skbs was full and emptied */
__u64 nr_ufilter__forgotten(const struct nr_ufilter *u);

/** nr_ufilter__free() - NULL-safe */
void nr_ufilter__free(struct nr_ufilter *u);

#endif /* NR_RECORD_UFILTER_H */
