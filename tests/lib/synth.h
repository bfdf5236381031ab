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

/*
 * Packets for snapshots. synth_ipv4(): an IPv4 header and a TCP (proto 6, with @seq,
 * @ack, @tflags) or UDP header with @paylen bytes of @payload, checksums computed.
 * synth_ipv6(): IPv6 with TCP or UDP, @paylen zero bytes of payload. Both write into
 * @p (@cap bytes) and return the length, 0 if it does not fit.
 */
__u32 synth_ipv4(__u8 *p, __u32 cap, __u8 proto, const __u8 src[4], const __u8 dst[4],
		 __u16 sport, __u16 dport, __u16 id, __u32 seq, __u32 ack, __u8 tflags,
		 const __u8 *payload, __u32 paylen);
__u32 synth_ipv6(__u8 *p, __u32 cap, __u8 proto, const __u8 src[16], const __u8 dst[16],
		 __u16 sport, __u16 dport, __u32 seq, __u8 tflags, __u32 paylen);

/* Symbolizer for the synthetic kernel addresses (opts.resolve). */
int synth_resolve(void *ctx, __u64 addr, struct nr_sym *ret);

/* Host, clocks, command line, probes, enums, interfaces of the synthetic host. */
int synth_write_meta(struct nr_writer *w, __u64 start_ts);

/* The clock block written at the end. */
int synth_write_end(struct nr_writer *w, __u64 start_ts, __u64 end_ts);

/*
 * synth_write_file() - a whole synthetic trace: the metadata above, @n events of @kind
 * (seed @seed; 0 events: until the writer fails), the end clock, close
 * Return: 0 or the writer's first error.
 */
int synth_write_file(const char *path, const struct nr_writer_opts *o, enum synth_kind kind,
		     __u64 n, __u64 seed);

#endif /* NR_TESTS_SYNTH_H */
