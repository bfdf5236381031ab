/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * analysis.h - netrec's analysis library: trace records in, one result model out
 *
 * The analysis is fed one record at a time, in the order nr_reader__next() returns them
 * (time order; equal or nearly equal timestamps from different CPUs may be in either
 * order), together with the file's metadata. It keeps state only for packets and TCP
 * connections still open, plus the aggregates, so memory stays bounded however long the
 * trace is. nr_analysis__finish() turns that state into a struct nr_result: plain, sorted,
 * self-contained data (names resolved to strings) that every renderer reads.
 *
 * What the analysis builds:
 *  - packet instances: the events of one skb address from its first sighting to its
 *    free (skb:kfree_skb or skb:consume_skb; the address is reused right after), clones
 *    and packets sharing data (same skb->head) tied to their origin; a packet's path is
 *    its ordered points with the time between them;
 *  - drops: reason, location, stack, flow, netns, interface and the path before them,
 *    aggregated by reason, by (reason, location), by flow, by stack, by interface and
 *    over time, each reason with a diagnosis (diagnose.h);
 *  - TCP connections: state timeline, retransmits, resets, time per state, outcome;
 *  - coverage: lost and filtered events from the counters, recorder control events,
 *    and the questions the file cannot answer because a probe was missing.
 *
 * The library never prints above debug level. Functions that can fail return a
 * negative errno.
 */
#ifndef NR_ANALYSIS_H
#define NR_ANALYSIS_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>

#include "netrec_abi.h"
#include "nr_file.h"

/**
 * struct nr_flow - the flow a packet belongs to
 * @family: AF_INET or AF_INET6; 0 when unknown (no snapshot, no socket)
 * @proto:  IPPROTO_* (TCP, UDP, ICMP, ICMPV6, ...), 0 when unknown
 * @origin: NR_FLOW_FROM_*: where the tuple came from
 * @sport:  source port, host order; ICMP: type
 * @dport:  destination port, host order; ICMP: code
 * @src:    source address, network order, IPv4 in the first 4 bytes
 * @dst:    destination address
 */
struct nr_flow {
	__u8 family;
	__u8 proto;
	__u8 origin;
	__u8 _pad;
	__u16 sport;
	__u16 dport;
	__u8 src[16];
	__u8 dst[16];
};

enum {
	NR_FLOW_FROM_NONE	= 0,
	NR_FLOW_FROM_SNAPSHOT	= 1,	/* the packet's own bytes */
	NR_FLOW_FROM_SOCKET	= 2,	/* the socket's tuple: src is the local end */
};

/* ---- options ---- */

#define NR_ANALYSIS_MAX_REASONS	16

/**
 * struct nr_analysis_opts - what to analyse and how much to keep
 * @since_ns, @until_ns: time window in event time (CLOCK_MONOTONIC of the recording
 *                       machine); events outside it are skipped; 0: no bound
 * @window_relative:    the window counts from the first record instead
 * @reasons:            only drops with one of these raw reason values (0..nr_reasons)
 * @netns:              only drops and connections in this namespace; 0: all
 * @pkt_match:          analysis-time packet filter (e.g. pcap-filter); NULL: all
 * @max_paths:          keep the paths of at most this many dropped packets (--packets)
 * @max_conns:          keep the timelines of at most this many TCP connections
 * @reorder_ns:         events of one skb this close in time on different CPUs may be
 *                      out of causal order; 0: default (5 us)
 * @idle_ns:            an open packet with no event for this long is closed as "free
 *                      not seen"; 0: default (10 s)
 * @max_open:           at most this many open packets (oldest closed first); 0: default
 * @on_packet:          called for every packet instance when it is closed (pcap export);
 *                      the view and its hops are valid only during the call
 * @keep_snapshots:     copy each point's snapshot into the packet for @on_packet
 */
struct nr_pkt_view;
typedef bool (*nr_pkt_match_fn)(void *ctx, const struct nr_pkt *p, const struct nr_flow *f);
typedef void (*nr_on_packet_fn)(void *ctx, const struct nr_pkt_view *v);

struct nr_analysis_opts {
	size_t sz;
	__u64 since_ns;
	__u64 until_ns;
	bool window_relative;
	__u32 nr_reasons;
	__u32 reasons[NR_ANALYSIS_MAX_REASONS];
	__u32 netns;
	nr_pkt_match_fn pkt_match;
	void *pkt_match_ctx;
	__u32 max_paths;
	__u32 max_conns;
	__u64 reorder_ns;
	__u64 idle_ns;
	__u32 max_open;
	nr_on_packet_fn on_packet;
	void *on_packet_ctx;
	bool keep_snapshots;
	size_t :0;
};
#define nr_analysis_opts__last_field keep_snapshots

/* ---- packets and their paths ---- */

/**
 * struct nr_hop - one point of a packet's path
 * @ts:       event time, ns
 * @probe:    probe id (its name: the file's probe table, nr_decode_probe())
 * @cpu:      CPU the event ran on
 * @netns:    namespace inode, 0 unknown
 * @ifindex:  device, 0 none
 * @len:      skb->len at this point
 * @flags:    NR_HOP_*
 * @skb:      skb address at this point (clones differ from their origin)
 * @snap:     the snapshot, when the analysis keeps them (keep_snapshots), else NULL
 */
struct nr_hop {
	__u64 ts;
	__u64 skb;
	__u64 head;
	__u16 probe;
	__u16 cpu;
	__u32 netns;
	__u32 ifindex;
	__u32 len;
	__u32 flags;
	__u16 snap_len;
	__u16 snap_l3;
	__u16 dev_type;
	__u16 protocol_be;
	__u8 pkt_type;			/* skb->pkt_type (PACKET_HOST, ...) */
	const __u8 *snap;
};

#define NR_HOP_INHERITED	(1u << 0)	/* point of the origin, before the clone */
#define NR_HOP_SNAP_L2		(1u << 1)	/* snapshot starts at the MAC header */
#define NR_HOP_DROP		(1u << 2)	/* the drop point */
#define NR_HOP_FREE		(1u << 3)	/* the consume point */
#define NR_HOP_CLONED		(1u << 4)	/* skb->cloned was set */

/* How a packet instance ended (struct nr_pkt_view.end, struct nr_res_drop) */
enum {
	NR_PKT_DROPPED		= 1,	/* skb:kfree_skb */
	NR_PKT_CONSUMED		= 2,	/* skb:consume_skb */
	NR_PKT_UNSEEN_FREE	= 3,	/* its address was reused or it went idle: free not seen */
	NR_PKT_IN_FLIGHT	= 4,	/* still open when the trace ended */
};

/**
 * struct nr_pkt_view - a closed packet instance, as given to nr_analysis_opts.on_packet
 * @id:          1-based number in order of first sighting
 * @origin:      id of the packet this one was cloned from (shares its data), 0 none
 * @end:         NR_PKT_*
 * @matched:     the packet passed the analysis filters (it is counted in the result)
 * @drop:        the drop record when @end is NR_PKT_DROPPED, else NULL
 * @drop_reason: its reason name, without prefix, or NULL
 * @drop_loc:    its location as symbol+0xoff, or NULL
 */
struct nr_pkt_view {
	__u64 id;
	__u64 origin;
	__u32 end;
	bool matched;
	struct nr_flow flow;
	__u32 nr_hops;
	__u32 hops_lost;		/* points not kept (path longer than the cap) */
	const struct nr_hop *hops;
	const struct nr_pkt *drop;
	const char *drop_reason;
	const char *drop_loc;
};

/* ---- the result model ---- */

struct nr_res_flow {
	struct nr_flow flow;
	__u64 count;
};

/** struct nr_res_stack - a drop stack, symbolized, with its count over all drops */
struct nr_res_stack {
	__u32 id;			/* the file's stack id */
	__u32 nr_frames;
	const char **frames;		/* innermost first: "symbol+0xoff" or "0x<addr>" */
	__u64 count;
};

/** struct nr_res_stack_ref - a stack's count within one group */
struct nr_res_stack_ref {
	const struct nr_res_stack *stack;
	__u64 count;
};

struct nr_res_dev {
	__u32 netns;
	__u32 ifindex;			/* 0: no device */
	const char *netns_name;		/* name under /run/netns, or NULL */
	const char *ifname;		/* from the file's interface table, or NULL */
	__u64 count;
};

struct nr_res_drop;

/** struct nr_res_group - the drops of one (reason, location) */
struct nr_res_group {
	__u32 reason;
	const char *reason_name;
	__u64 location;
	const char *location_str;	/* symbol+0xoff */
	__u64 count;
	__u64 first_ts;
	__u64 last_ts;
	__u64 with_stack;		/* drops that carry a stack */
	__u32 nr_flows;
	struct nr_res_flow *flows;	/* busiest first */
	__u64 flows_other;		/* drops of flows beyond the tracking cap */
	__u64 flows_unknown;		/* drops without snapshot or socket */
	__u32 nr_stacks;
	struct nr_res_stack_ref *stacks; /* busiest first */
	__u32 nr_devs;
	struct nr_res_dev *devs;	/* busiest first */
	const struct nr_res_drop *example; /* the group's first drop with a path, or NULL */
};

/**
 * struct nr_res_reason - all drops of one reason
 * @diag_what / @diag_check: the diagnosis (diagnose.h) with facts filled in; @diag_what
 *                           is NULL for a reason the table lacks
 * @series:                  drops per interval (nr_result.interval_ns), nr_result.nr_intervals
 */
struct nr_res_reason {
	__u32 reason;
	const char *name;
	__u64 count;
	__u32 nr_groups;
	struct nr_res_group *groups;	/* busiest first */
	__u32 nr_flows;
	struct nr_res_flow *flows;	/* the reason's flows over all its locations */
	__u64 flows_other;
	__u64 flows_unknown;
	__u32 nr_devs;
	struct nr_res_dev *devs;
	const char *diag_what;
	const char *diag_check;
	__u64 *series;
};

/** struct nr_res_drop - one dropped packet and its path (--packets) */
struct nr_res_drop {
	__u64 id;
	__u64 origin;
	__u64 ts;
	__u32 reason;
	const char *reason_name;
	__u64 location;
	const char *location_str;
	__u32 stack_id;
	__u32 netns;
	__u32 ifindex;
	const char *ifname;
	__u32 len;
	struct nr_flow flow;
	__u32 nr_hops;
	__u32 hops_lost;
	struct nr_hop *hops;		/* time order, the drop point last; snap always NULL */
};

/** struct nr_res_trans - one TCP state change */
struct nr_res_trans {
	__u64 ts;
	__u16 from;
	__u16 to;
	const char *from_name;
	const char *to_name;
};

/* struct nr_res_conn.end */
enum {
	NR_CONN_OPEN		= 1,	/* still open when the trace ended */
	NR_CONN_CLOSED		= 2,	/* established, closed without a reset */
	NR_CONN_RESET_RECV	= 3,	/* closed after a reset from the peer */
	NR_CONN_RESET_SENT	= 4,	/* closed after sending a reset */
	NR_CONN_REFUSED		= 5,	/* connect answered with a reset */
	NR_CONN_CONNECT_FAILED	= 6,	/* connect gave up without a reset (timeout, error) */
	NR_CONN_HANDSHAKE_ABORTED = 7,	/* passive open that never completed */
	NR_CONN_LISTENER	= 8,	/* a listening socket, closed */
	NR_CONN_REUSED		= 9,	/* socket address reused for another tuple, close unseen */
	__NR_CONN_END_MAX
};

#define NR_TCP_NSTATES	16	/* state values 0..15 are timed; others ignored */

/**
 * struct nr_res_conn - one TCP connection (one socket address, one tuple, one life)
 * @src/@sport: the local end; @dst/@dport: the remote end
 * @state_ns:   time spent in each state value (index: the kernel's number)
 * @rst_reason: reason of the last reset sent ("sk_rst_reason"), NULL if none known
 */
struct nr_res_conn {
	__u64 id;			/* 1-based, order of first event */
	__u64 sk;
	__u32 netns;
	const char *netns_name;
	__u16 family;
	__u16 sport;
	__u16 dport;
	__u8 src[16];
	__u8 dst[16];
	__u64 first_ts;
	__u64 last_ts;
	bool established;		/* reached ESTABLISHED */
	bool listener;			/* was a listening socket */
	bool partial;			/* first seen after its start (no CLOSE -> ... first) */
	__u32 end;			/* NR_CONN_* */
	__u32 retrans;
	__u32 rst_sent;
	__u32 rst_recv;
	const char *rst_reason;
	__u32 nr_trans;
	__u32 trans_lost;
	struct nr_res_trans *trans;
	__u64 state_ns[NR_TCP_NSTATES];
};

/** struct nr_res_rst - resets the stack sent for packets that had no socket */
struct nr_res_rst {
	struct nr_flow flow;		/* as the tracepoint gave it */
	const char *reason;
	__u64 count;
};

struct nr_res_tcp {
	__u64 connections;		/* all seen, kept or not */
	__u64 established;
	__u64 never_established;	/* active or passive opens, listeners excluded */
	__u64 by_end[__NR_CONN_END_MAX];
	__u64 retrans;
	__u64 rst_sent;
	__u64 rst_recv;
	__u64 retrans_unknown_sock;	/* retransmits of sockets never seen otherwise */
	__u32 nr_conns;
	struct nr_res_conn *conns;	/* kept ones, by first event time */
	__u64 conns_not_kept;
	__u32 nr_rst_nosock;
	struct nr_res_rst *rst_nosock;	/* busiest first */
};

struct nr_res_cpu {
	__u32 cpu;
	__u64 value;
};

/** struct nr_res_ctl - a recorder control event (pause, resume, mark, start, stop) */
struct nr_res_ctl {
	__u64 ts;
	__u16 kind;			/* NR_CTL_* */
	const char *text;		/* may be empty */
};

/** struct nr_res_probe - a probe that did not deliver, and what that costs */
struct nr_res_probe {
	__u16 id;
	__u16 status;			/* NR_PROBE_FAILED / NR_PROBE_UNAVAILABLE / NOT_SELECTED */
	__s32 err;
	const char *name;
	const char *msg;
	const char *cannot_answer;	/* "which packets were dropped and why", or NULL */
};

struct nr_res_coverage {
	__u64 lost;			/* NR_CNT_LOST, all CPUs */
	__u64 filtered;
	__u64 rate_limited;
	__u64 stack_skipped;
	__u64 paused;
	__u64 user_drop;
	__u64 pcap_recv;
	__u64 pcap_drop;
	__u64 pcap_ifdrop;
	__u32 nr_lost_cpus;
	struct nr_res_cpu *lost_cpus;	/* CPUs with lost > 0, by cpu */
	__u64 paused_ns;		/* time between pause and resume */
	__u32 nr_ctl;
	struct nr_res_ctl *ctl;		/* pause / resume / mark, time order (capped) */
	__u64 ctl_not_kept;
	__u32 nr_probes;
	struct nr_res_probe *probes;	/* probes that did not deliver, by id */
};

/**
 * struct nr_res_totals - counts over the analysed window
 * @events:       records analysed (in the time window)
 * @drops:        dropped packets that passed the filters
 * @drops_all:    dropped packets in the window before --reason/--netns/--filter
 * @lost:         records lost by the recorder (nr_res_coverage.lost)
 */
struct nr_res_totals {
	__u64 events;
	__u64 by_type[__NR_REC_MAX];
	__u64 unknown_type;
	__u64 drops;
	__u64 drops_all;
	__u64 lost;
	__u64 packets;			/* packet instances closed */
	__u64 consumed;
	__u64 unseen_free;
	__u64 in_flight;
	__u64 clones;			/* instances tied to an origin */
	__u64 reordered;		/* events put back into causal order */
};

struct nr_result {
	const struct nr_meta *meta;	/* the file's metadata, still owned by the caller */
	struct nr_res_totals totals;
	__u64 first_ts;			/* first and last event analysed; 0 if none */
	__u64 last_ts;
	__u64 interval_ns;		/* width of the drops-over-time intervals */
	__u64 series_start_ns;		/* start of interval 0 */
	__u32 nr_intervals;
	__u64 *series;			/* all drops per interval */
	__u32 nr_reasons;
	struct nr_res_reason *reasons;	/* busiest first */
	__u32 nr_flows;
	struct nr_res_flow *flows;	/* all drops by flow, busiest first */
	__u64 flows_other;
	__u64 flows_unknown;
	__u32 nr_stacks;
	struct nr_res_stack *stacks;	/* all drop stacks, busiest first */
	__u64 drops_without_stack;
	__u32 nr_devs;
	struct nr_res_dev *devs;	/* drops by (netns, device), busiest first */
	__u32 nr_netns;
	struct nr_res_dev *netns;	/* drops by netns (ifindex 0), busiest first */
	__u32 nr_drops;
	struct nr_res_drop *drops;	/* kept paths (max_paths), time order */
	__u64 drops_not_kept;
	bool has_paths;			/* the file has packet points besides drops */
	struct nr_res_tcp tcp;
	struct nr_res_coverage cov;
	void *arena;			/* owns every pointer above */
};

struct nr_analysis;

/**
 * nr_analysis__new() - start an analysis of the records of one file
 * @meta: the file's metadata; must outlive the analysis and its result
 */
int nr_analysis__new(const struct nr_meta *meta, const struct nr_analysis_opts *opts,
		     struct nr_analysis **ret);

/**
 * nr_analysis__add() - analyse one record
 * The record is not kept (what is needed is copied). Records of unknown type are counted
 * and skipped. Return: 0, or -ENOMEM.
 */
int nr_analysis__add(struct nr_analysis *a, const struct nr_rec_hdr *rec);

/** nr_analysis__set_packet_ctx() - change opts.on_packet_ctx before the first record */
void nr_analysis__set_packet_ctx(struct nr_analysis *a, void *ctx);

/**
 * nr_analysis__finish() - close what is still open and build the result
 * The analysis is spent afterwards (only nr_analysis__free() may follow).
 */
int nr_analysis__finish(struct nr_analysis *a, struct nr_result **ret);

/** nr_analysis__free() - NULL-safe */
void nr_analysis__free(struct nr_analysis *a);

/** nr_result__free() - NULL-safe */
void nr_result__free(struct nr_result *r);

/* ---- helpers for renderers ---- */

/** nr_res_conn_end_name() - "closed", "refused", ... for NR_CONN_* */
const char *nr_res_conn_end_name(__u32 end);

/** nr_res_conn_end_key() - the same as a JSON key: "reset_by_peer", ... */
const char *nr_res_conn_end_key(__u32 end);

/**
 * nr_flow_str() - "udp 10.0.0.1:4000 -> 10.0.0.2:9", "tcp [fd00::1]:80 -> [fd00::2]:5000",
 * "icmp 10.0.0.1 -> 10.0.0.2 type 8 code 0", or "unknown flow"
 */
const char *nr_flow_str(const struct nr_flow *f, char *buf, size_t size);

/**
 * nr_flow_packet() - an IPv4/IPv6 header and a TCP/UDP/ICMP header made from @f into
 * @buf (at least NR_FLOW_PACKET_MAX bytes), checksums zero
 * Return: bytes written, 0 when @f has no family
 */
#define NR_FLOW_PACKET_MAX	80
__u32 nr_flow_packet(const struct nr_flow *f, __u8 *buf);

/** nr_result__netns_name() - the name the file gives namespace @inode, or NULL */
const char *nr_result__netns_name(const struct nr_result *r, __u32 inode);

#endif /* NR_ANALYSIS_H */
