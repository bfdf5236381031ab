/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * synth.h - synthetic event streams for format tests, the test vectors and the format
 * benchmark (deterministic for a seed)
 *
 * SYNTH_STORM: the drop storm of issue 7: 64-byte UDP datagrams into a full socket
 *   receive buffer, one flow, IP ID and a payload counter incrementing (so both
 *   checksums vary), ~4.6 us apart with jitter and rare pauses (measured on loopback
 *   with perf: median 4587 ns, p10-p90 spread 100 ns), a few skb addresses reused per
 *   CPU, every drop with reason, location, snapshot and a kernel stack.
 * SYNTH_MIXED: a busier host: many TCP and UDP flows over IPv4 and IPv6 seen at receive,
 *   transmit, delivery, drop and free points with fresh skbs, TCP state changes and
 *   retransmits, route lookups, neighbour events, counters and marks.
 */
#ifndef NR_TESTS_SYNTH_H
#define NR_TESTS_SYNTH_H

#include <stdbool.h>
#include <linux/types.h>

#include "nr_file.h"

enum synth_kind {
	SYNTH_STORM,
	SYNTH_MIXED,
};

/* probe ids the synthetic files use (their PROBES block names them) */
enum {
	SP_KFREE_SKB = 0,
	SP_CONSUME_SKB,
	SP_NETIF_RECEIVE,
	SP_NET_DEV_QUEUE,
	SP_NET_DEV_XMIT,
	SP_COPY_DATAGRAM,
	SP_SET_STATE,
	SP_RETRANSMIT,
	SP_SEND_RESET,
	SP_FIB_LOOKUP,
	SP_NEIGH_UPDATE,
	SP_RCVQUEUE_FULL,
	SP_MAX
};

#define SYNTH_REC_MAX	2048	/* largest record synth_next() writes */

struct synth {
	enum synth_kind kind;
	__u64 rng;
	__u64 ts;
	__u64 n;
	__u16 ip_id;
	__u32 payload_seq;
	__u32 cpu;
	__u64 skb_base;
	/* mixed workload state */
	__u64 next_skb;
	__u32 flow_seq[256];
	__u8 pending_kind;
	__u32 pending_flow;
	__u64 pending_skb;
	__u32 pending_left;
};

void synth_init(struct synth *s, enum synth_kind kind, __u64 seed);

/* The next record, written into @buf (SYNTH_REC_MAX bytes, 8-aligned); stacks inline. */
const struct nr_rec_hdr *synth_next(struct synth *s, void *buf);

/* Symbolizer for the synthetic kernel addresses (opts.resolve). */
int synth_resolve(void *ctx, __u64 addr, struct nr_sym *ret);

/* Host, clocks, command line, probes, enums, interfaces of the synthetic host. */
int synth_write_meta(struct nr_writer *w, __u64 start_ts);

/* The clock block written at the end. */
int synth_write_end(struct nr_writer *w, __u64 start_ts, __u64 end_ts);

#endif /* NR_TESTS_SYNTH_H */
