/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * netrec_abi.h - the one record ABI shared by the BPF programs, the recorder, the
 * trace file and the analyzer.
 *
 * Every record starts with struct nr_rec_hdr. Records are written by the BPF side into
 * the ring buffer in the recording machine's byte order; the file keeps that byte order
 * and declares it in its header (see format/FORMAT.md), and the reader swaps on load.
 *
 * Rules (see STYLE.md "The one ABI header"):
 *  - fixed-width fields only (__u8..__u64, __s32/__s64, __be16/__be32 with a _be suffix),
 *    naturally aligned, explicit padding, every struct size a multiple of 8;
 *  - record types and flag bits are append-only; a struct may only grow at its end, and
 *    a reader zero-fills fields missing from an older, shorter record and ignores the
 *    tail of a newer, longer one (hdr.size tells which);
 *  - every field documents its unit, clock and byte order.
 *
 * This header is included after vmlinux.h by BPF code and after <linux/types.h> by
 * user space; it has no functions and no libc includes.
 */
#ifndef NETREC_ABI_H
#define NETREC_ABI_H

#ifndef __bpf__
#include <linux/types.h>
#endif

/* Record types (struct nr_rec_hdr.type). Explicit values, append-only. */
enum {
	NR_REC_PKT	= 1,	/* struct nr_pkt: a packet seen at a probe point (incl. drops) */
	NR_REC_SOCK	= 2,	/* struct nr_sock: socket event (TCP state, retransmit, reset, ...) */
	NR_REC_FIB	= 3,	/* struct nr_fib: route lookup and its result */
	NR_REC_NEIGH	= 4,	/* struct nr_neigh: neighbour (ARP/ND) event */
	NR_REC_FUNC	= 5,	/* reserved: dynamic function probe (entry/return) */
	NR_REC_COUNTER	= 6,	/* struct nr_counter: cumulative counter sample (lost, hits, ...) */
	NR_REC_CTL	= 7,	/* struct nr_ctl: recorder control (start, stop, pause, resume, mark) */
	__NR_REC_MAX
};

/* struct nr_rec_hdr.flags bits. Append-only. */
#define NR_RF_SNAP_L2		(1u << 0) /* snapshot starts at the MAC header (else L3) */
#define NR_RF_STACK_INLINE	(1u << 1) /* ring buffer only: stack_id frames follow */
#define NR_RF_STACK_SKIPPED	(1u << 2) /* a stack was wanted but sampled out */
#define NR_RF_CLONED		(1u << 3) /* skb->cloned was set */
#define NR_RF_FOLLOWED		(1u << 4) /* kept because the skb is tracked (--follow) */
#define NR_RF_FIRST_SIGHT	(1u << 5) /* first event of this skb seen by the recorder */

#define NR_OFF_NONE		0xffff	  /* "no such header in the snapshot" */
#define NR_PROBE_NONE		0xffff	  /* counter not tied to a probe */
#define NR_CPU_ALL		0xffffffffu /* counter summed over all CPUs */
#define NR_SNAP_MAX		512	  /* largest packet snapshot, bytes */
#define NR_STACK_MAX		127	  /* deepest kernel stack, frames */
#define NR_COMM_LEN		16

/**
 * struct nr_rec_hdr - common header of every record
 * @type:  NR_REC_*
 * @flags: NR_RF_*
 * @size:  size of the whole record in bytes, this header included; a multiple of 8
 * @ts_ns: CLOCK_MONOTONIC of the recording machine, ns (bpf_ktime_get_ns())
 */
struct nr_rec_hdr {
	__u16 type;
	__u16 flags;
	__u32 size;
	__u64 ts_ns;
};

/**
 * struct nr_pkt - a packet at a probe point
 *
 * One record per skb seen at a packet probe (receive and transmit path points, delivery,
 * skb:kfree_skb drops, skb:consume_skb, ...). A drop is an nr_pkt whose probe is
 * "skb:kfree_skb"; its @reason is the drop reason in the recording kernel's numbering,
 * named by the file's "skb_drop_reason" enum table.
 *
 * Followed by @snap_len bytes of packet, zero-padded to a multiple of 8, then (ring
 * buffer only, NR_RF_STACK_INLINE) @stack_id __u64 return addresses.
 */
struct nr_pkt {
	struct nr_rec_hdr hdr;	/*   0 */
	__u64 skb;		/*  16 struct sk_buff address; 0 if the point has no skb */
	__u64 head;		/*  24 skb->head: data buffer shared by clones */
	__u64 sk;		/*  32 skb->sk, or kfree_skb's rx_sk when skb->sk is NULL */
	__u64 location;		/*  40 kfree_skb/consume_skb: address that freed it; else 0 */
	__u32 netns;		/*  48 network namespace inode (skb->dev's, else sk's); 0 unknown */
	__u32 ifindex;		/*  52 skb->dev->ifindex; 0 if no device */
	__u32 iif;		/*  56 skb->skb_iif: ifindex the packet arrived on; 0 if none */
	__u32 len;		/*  60 skb->len, bytes */
	__u32 mark;		/*  64 skb->mark */
	__u32 reason;		/*  68 kfree_skb: drop reason; net_dev_xmit: return code;
				 *     otherwise probe-specific (FORMAT.md) */
	__u32 aux;		/*  72 probe-specific second value (FORMAT.md) */
	__u32 stack_id;		/*  76 file: id of a STACKS entry, 0 = none;
				 *     ring: number of frames that follow (NR_RF_STACK_INLINE) */
	__u32 pid;		/*  80 tgid of the current task (0: idle / softirq on idle) */
	__u16 probe;		/*  84 probe id: index into the file's PROBES table */
	__u16 cpu;		/*  86 CPU the event ran on */
	__be16 protocol_be;	/*  88 skb->protocol (ETH_P_*), network byte order */
	__u16 dev_type;		/*  90 skb->dev->type (ARPHRD_*); 0 if no device */
	__u16 snap_len;		/*  92 bytes of packet snapshot following this struct */
	__u16 snap_l3;		/*  94 offset of the network header in the snapshot, or NR_OFF_NONE */
	__u16 snap_l4;		/*  96 offset of the transport header in the snapshot, or NR_OFF_NONE */
	__u8 pkt_type;		/*  98 skb->pkt_type (PACKET_HOST, ...) */
	__u8 _pad[5];		/*  99 zero */
};				/* 104 */

/**
 * struct nr_sock - a socket event
 *
 * TCP state changes (probe "sock:inet_sock_set_state": @oldstate -> @newstate, in the
 * recording kernel's numbering, named by the "tcp_state" enum table), retransmits,
 * resets sent and received, receive-queue and buffer-limit events. Addresses and ports
 * are the socket's local (s) and remote (d) ends.
 */
struct nr_sock {
	struct nr_rec_hdr hdr;	/*   0 */
	__u64 sk;		/*  16 struct sock address */
	__u64 skb;		/*  24 skb involved (retransmit, reset, rcvqueue_full), else 0 */
	__u32 netns;		/*  32 network namespace inode of the socket */
	__u32 pid;		/*  36 tgid of the current task */
	__u16 probe;		/*  40 probe id */
	__u16 cpu;		/*  42 */
	__u16 family;		/*  44 AF_INET or AF_INET6 */
	__u16 protocol;		/*  46 IPPROTO_* */
	__u16 sport;		/*  48 local port, host byte order */
	__u16 dport;		/*  50 remote port, host byte order */
	__u16 oldstate;		/*  52 set_state: previous state; other probes: current state */
	__u16 newstate;		/*  54 set_state: new state; other probes: 0 */
	__u32 reason;		/*  56 tcp_send_reset: reset reason ("sk_rst_reason" enum); else
				 *     probe-specific (FORMAT.md) */
	__u32 val[3];		/*  60 probe-specific values (FORMAT.md) */
	__u8 saddr[16];		/*  72 local address; IPv4 in the first 4 bytes, network order */
	__u8 daddr[16];		/*  88 remote address, same encoding */
	__u32 stack_id;		/* 104 as in struct nr_pkt */
	__u32 _pad;		/* 108 zero */
	char comm[NR_COMM_LEN];	/* 112 current task's comm, NUL-padded */
};				/* 128 */

/**
 * struct nr_fib - a FIB (route) lookup and its result
 * Probes "fib:fib_table_lookup" (IPv4) and "fib6:fib6_table_lookup" (IPv6).
 */
struct nr_fib {
	struct nr_rec_hdr hdr;	/*   0 */
	__u32 netns;		/*  16 */
	__u32 tb_id;		/*  20 routing table id */
	__s32 err;		/*  24 lookup result: 0 found, else -errno (e.g. -ENETUNREACH) */
	__u32 oif;		/*  28 flow output interface, 0 any */
	__u32 iif;		/*  32 flow input interface, 0 none */
	__u32 nh_ifindex;	/*  36 result: nexthop device, 0 none */
	__u32 pid;		/*  40 */
	__u16 probe;		/*  44 */
	__u16 cpu;		/*  46 */
	__u16 family;		/*  48 AF_INET or AF_INET6 */
	__u16 sport;		/*  50 flow source port, host order (0 if not TCP/UDP) */
	__u16 dport;		/*  52 flow destination port, host order */
	__u8 proto;		/*  54 flow IPPROTO_* */
	__u8 tos;		/*  55 flow TOS / IPv6 traffic class */
	__u8 scope;		/*  56 flow scope (RT_SCOPE_*) */
	__u8 rt_type;		/*  57 result route type (RTN_*), 0 unknown */
	__u8 _pad[6];		/*  58 zero */
	__u8 src[16];		/*  64 flow source address, network order */
	__u8 dst[16];		/*  80 flow destination address */
	__u8 gw[16];		/*  96 result gateway, all zero if none */
	__u32 stack_id;		/* 112 as in struct nr_pkt */
	__u32 _pad2;		/* 116 zero */
};				/* 120 */

/**
 * struct nr_neigh - a neighbour (ARP / NDISC) table event, probes "neigh:*"
 */
struct nr_neigh {
	struct nr_rec_hdr hdr;	/*   0 */
	__u64 neigh;		/*  16 struct neighbour address */
	__u32 netns;		/*  24 */
	__u32 ifindex;		/*  28 neighbour's device */
	__u16 probe;		/*  32 */
	__u16 cpu;		/*  34 */
	__u16 family;		/*  36 table family (AF_INET, AF_INET6) */
	__u16 nud_state;	/*  38 NUD_* state when the event fired */
	__u16 new_state;	/*  40 neigh_update: requested NUD_* state; else 0 */
	__u8 lladdr_len;	/*  42 valid bytes in @lladdr */
	__u8 _pad0;		/*  43 zero */
	__s32 err;		/*  44 result code of *_done / timer / cleanup events, else 0 */
	__u32 flags;		/*  48 neigh_update flags (NEIGH_UPDATE_F_*) */
	__u32 pid;		/*  52 */
	__u8 key[16];		/*  56 primary key (IPv4 in the first 4 bytes), network order */
	__u8 lladdr[32];	/*  72 link-layer address */
};				/* 104 */

/* struct nr_counter.kind. Append-only. */
enum {
	NR_CNT_HITS		= 1,	/* times the probe fired (incl. filtered, paused, lost) */
	NR_CNT_LOST		= 2,	/* records lost: ring buffer full */
	NR_CNT_FILTERED		= 3,	/* events removed by the in-kernel filters */
	NR_CNT_RATE_LIMITED	= 4,	/* events removed by --rate-limit */
	NR_CNT_STACK_SKIPPED	= 5,	/* stacks not taken because of stack sampling */
	NR_CNT_PAUSED		= 6,	/* events removed while recording was paused */
	NR_CNT_PCAP_RECV	= 7,	/* packets received by the pcap capture beside */
	NR_CNT_PCAP_DROP	= 8,	/* packets the pcap capture dropped (kernel buffer) */
	NR_CNT_PCAP_IFDROP	= 9,	/* packets the interface dropped (pcap_stats) */
	NR_CNT_USER_DROP	= 10,	/* records the recorder read but could not store */
	NR_CNT_PROG_MISSED	= 11,	/* firings the kernel skipped because the probe's program
					 * was already running on that CPU (cpu: NR_CPU_ALL) */
};

/**
 * struct nr_counter - a cumulative counter sample, written by the recorder
 *
 * @value is the total since the recording started, so the last sample of a
 * (kind, probe, cpu) triple is the final value, also in a file cut short.
 */
struct nr_counter {
	struct nr_rec_hdr hdr;	/*  0 */
	__u64 value;		/* 16 cumulative count */
	__u32 cpu;		/* 24 CPU, or NR_CPU_ALL */
	__u16 probe;		/* 28 probe id, or NR_PROBE_NONE */
	__u16 kind;		/* 30 NR_CNT_* */
};				/* 32 */

/* struct nr_ctl.kind. Append-only. */
enum {
	NR_CTL_START	= 1,	/* recording started (text: none) */
	NR_CTL_STOP	= 2,	/* recording stopped (text: why: "signal", "duration", "command") */
	NR_CTL_PAUSE	= 3,
	NR_CTL_RESUME	= 4,
	NR_CTL_MARK	= 5,	/* user mark (text: the mark) */
};

/**
 * struct nr_ctl - a recorder control event, followed by @text_len bytes of UTF-8 text
 * (no NUL), zero-padded to a multiple of 8
 */
struct nr_ctl {
	struct nr_rec_hdr hdr;	/*  0 */
	__u16 kind;		/* 16 NR_CTL_* */
	__u16 text_len;		/* 18 */
	__u32 _pad;		/* 20 zero */
};				/* 24 */

#define NR_CTL_TEXT_MAX		1024

#ifndef __bpf__
_Static_assert(sizeof(struct nr_rec_hdr) == 16, "nr_rec_hdr size");
_Static_assert(sizeof(struct nr_pkt) == 104, "nr_pkt size");
_Static_assert(sizeof(struct nr_sock) == 128, "nr_sock size");
_Static_assert(sizeof(struct nr_fib) == 120, "nr_fib size");
_Static_assert(sizeof(struct nr_neigh) == 104, "nr_neigh size");
_Static_assert(sizeof(struct nr_counter) == 32, "nr_counter size");
_Static_assert(sizeof(struct nr_ctl) == 24, "nr_ctl size");
#endif

#endif /* NETREC_ABI_H */
