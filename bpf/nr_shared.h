/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * nr_shared.h - what the BPF programs and the loader (record/) agree on, besides the
 * record ABI (format/netrec_abi.h): probe ids, per-probe flags in rodata, the layout of
 * the per-CPU counters and of the skb tracking map.
 *
 * Not part of the trace file: the file stores records and probe outcomes, never these.
 * Included after vmlinux.h by BPF code and after <linux/types.h> by user space; no
 * functions, no libc includes.
 */
#ifndef NR_SHARED_H
#define NR_SHARED_H

/*
 * Ids of the static probe points, one per entry of the table in record/probes.c (which
 * says what each one is). The id is the probe field of every record and the index of
 * the probe's counters; dynamic probes (kprobe/fentry points) get ids from
 * NR_P__STATIC_MAX on. The order is free to change between netrec versions: the trace
 * file carries the table.
 */
enum nr_probe_id {
	NR_P_KFREE_SKB,
	NR_P_CONSUME_SKB,
	NR_P_SKB_COPY_DATAGRAM_IOVEC,
	NR_P_NAPI_GRO_RECEIVE_ENTRY,
	NR_P_NETIF_RECEIVE_SKB,
	NR_P_NETIF_RX,
	NR_P_NET_DEV_QUEUE,
	NR_P_NET_DEV_START_XMIT,
	NR_P_NET_DEV_XMIT,
	NR_P_QDISC_ENQUEUE,
	NR_P_QDISC_DEQUEUE,
	NR_P_INET_SOCK_SET_STATE,
	NR_P_TCP_RETRANSMIT_SKB,
	NR_P_TCP_RETRANSMIT_SYNACK,
	NR_P_TCP_SEND_RESET,
	NR_P_TCP_RECEIVE_RESET,
	NR_P_SOCK_RCVQUEUE_FULL,
	NR_P_SOCK_EXCEED_BUF_LIMIT,
	NR_P_FIB_TABLE_LOOKUP,
	NR_P_FIB6_TABLE_LOOKUP,
	NR_P_NEIGH_CREATE,
	NR_P_NEIGH_UPDATE,
	NR_P_NEIGH_UPDATE_DONE,
	NR_P_NEIGH_TIMER_HANDLER,
	NR_P_NEIGH_EVENT_SEND_DONE,
	NR_P_NEIGH_EVENT_SEND_DEAD,
	NR_P_NEIGH_CLEANUP_AND_RELEASE,
	NR_P_XDP_EXCEPTION,
	NR_P__STATIC_MAX,
};

/* cfg_probe_flags[id]: how a probe's program behaves (rodata, set before load) */
#define NR_PF_EMIT	(1u << 0)	/* reserve and submit records; without it only count */
#define NR_PF_STACK	(1u << 1)	/* a kernel stack with every record (drops always) */
#define NR_PF_SNAP_ALL	(1u << 2)	/* a packet snapshot with every record, not only the
					 * first sighting of an skb and drops */

/*
 * cfg_tp_args[id]: bit i set when argument i of the tracepoint (after the hidden
 * context pointer) exists with the type netrec expects in the running kernel, read
 * from the btf_trace_<name> prototype in the kernel's BTF. The raw_tp and tp_btf
 * programs read an optional argument only when its bit is set, so the verifier drops
 * the read on kernels that lack it (e.g. kfree_skb's reason before 5.17).
 */

/**
 * struct nr_probe_stats - per-CPU counters of one probe (map "stats", index = probe id)
 *
 * Every firing counts in @hits and in at most one of the others; what was emitted is
 * hits - filtered - paused - rate_limited - lost (for a counting-only probe, what matched
 * is hits - filtered, pauses included). @stack_skipped counts records that went out
 * without the stack they should have had (sampled out, or --max-stacks budget spent).
 */
struct nr_probe_stats {
	__u64 hits;
	__u64 lost;		/* ring buffer full: reserve failed */
	__u64 filtered;		/* rejected by netns / ifindex / mark / pcap filter */
	__u64 rate_limited;
	__u64 paused;
	__u64 stack_skipped;
};

/* struct nr_track.flags */
#define NR_TRK_SEEN	(1u << 0)	/* an event of this skb was emitted (first sighting) */
#define NR_TRK_FOLLOW	(1u << 1)	/* matched the filters once: keep its events */

/**
 * struct nr_track - value of the "skb_track" LRU hash, key = skb address
 *
 * Used only when a feature needs it (--follow, or first-sighting snapshots when more
 * than one packet probe is active). Entries are deleted when the skb is freed
 * (kfree_skb / consume_skb), but many skbs are freed without a tracepoint (TCP frees
 * acknowledged and consumed segments with __kfree_skb) and the skb and its data buffer
 * are then reused at once from per-CPU caches. So an entry also says which packet it
 * was about: @head and @fp (a fingerprint of the headers, see nr_skb_fp()); a
 * different one means a new packet in a reused skb. The LRU evicts stale entries.
 */
struct nr_track {
	__u64 head;		/* skb->head when the entry was made */
	__u64 fp;		/* header fingerprint when the entry was made */
	__u32 flags;		/* NR_TRK_* */
	__u32 _pad;
};

/*
 * Stack sampling (cfg_stack_sample) remembers, per CPU, the sites it saw in a small
 * direct-mapped table (map "stack_sites", one struct nr_stack_sites per CPU): a slot per
 * hash of (probe, location, reason). A lookup is an array index, no lock and no hash
 * map; two sites in one slot take turns, which can only give more stacks, never fewer.
 */
#define NR_STACK_SLOTS	64

struct nr_stack_slot {
	__u64 location;		/* kfree_skb / consume_skb caller, else 0 */
	__u32 reason;		/* the record's reason field */
	__u16 probe;
	__u16 count;		/* stacks taken in @window (saturates) */
	__u64 window;		/* second since ctl_rate_base_ns */
};

struct nr_stack_sites {
	struct nr_stack_slot slot[NR_STACK_SLOTS];
};

#define NR_STACK_DEPTH_DEFAULT	64	/* frames per stack unless configured */
#define NR_SNAPLEN_DEFAULT	128	/* bytes: L2 + IPv6 + TCP with options */
#define NR_WAKEUP_DEFAULT	(256 * 1024) /* bytes pending before user space is woken */

#endif /* NR_SHARED_H */
