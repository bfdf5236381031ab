/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * netrec.bpf.h - what every probe family shares: reading kernel memory, the filters,
 * the counters, the rate limit, the stack budget, and reserving/submitting records.
 *
 * The hot path of every probe, in order (issue 7):
 *   count the hit -> filters (netns, ifindex, mark, pcap, --follow) -> counting-only
 *   probes stop here -> pause -> rate limit -> reserve -> fill in place -> submit
 * Nothing is reserved for an event that will not be kept, no map is updated per event
 * unless a feature asked for it (--follow, first-sighting snapshots), and user space is
 * woken only when the ring buffer is filling up (cfg_wakeup_bytes); otherwise the drain
 * polls on a timer.
 *
 * Reading kernel memory: every body takes `btf`, a compile-time constant. tp_btf
 * programs (btf = true) get BTF-typed arguments and read fields with direct loads, which
 * the verifier turns into fault-safe loads; raw_tp and tracepoint programs (btf = false)
 * read through bpf_probe_read_kernel. Both are CO-RE relocated. NR_RD() picks one.
 */
#ifndef NETREC_BPF_H
#define NETREC_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_endian.h>

#include "netrec_abi.h"
#include "nr_shared.h"
#include "maps.bpf.h"
#include "core_fixes.bpf.h"
#include "filter.bpf.h"

/* uapi constants (stable ABI values, unlike the kernel-internal enums in vmlinux.h) */
#define NR_AF_INET		2
#define NR_AF_INET6		10
#define NR_ETH_P_IP		0x0800
#define NR_ETH_P_IPV6		0x86DD
#define NR_IPPROTO_TCP		6
#define NR_IPPROTO_UDP		17
#define NR_SEC_NS		1000000000ULL

#define NR_RD(btf, src, a, ...)								\
	((btf) ? ___arrow(src, a, ##__VA_ARGS__) : BPF_CORE_READ(src, a, ##__VA_ARGS__))
#define NR_RD_BITS(btf, src, field)							\
	((btf) ? BPF_CORE_READ_BITFIELD(src, field) : BPF_CORE_READ_BITFIELD_PROBED(src, field))

/*
 * Tracepoint arguments of raw_tp and tp_btf programs. An optional argument is read only
 * when user space found it in this kernel's prototype (cfg_tp_args); the volatile load
 * keeps the compiler from hoisting the read above that check, so on kernels without the
 * argument the verifier never sees the access.
 */
static __always_inline __u64 nr_arg(const __u64 *ctx, int i)
{
	return ctx[i];
}

static __always_inline __u64 nr_arg_opt(const __u64 *ctx, __u16 probe, int i)
{
	if (!(cfg_tp_args[probe] & (1u << i)))
		return 0;
	return *(const volatile __u64 *)&ctx[i];
}

/*
 * Copy an array field out of a classic tracepoint record. The verifier allows only
 * fixed-offset loads from that context, and a memcpy does not always compile to them.
 */
#define NR_TP_COPY(dst, r, field, len)	bpf_probe_read_kernel(dst, len, &(r)->field)

/*
 * An argument read through a probe read instead of a context load: for tp_btf programs,
 * where kernels before a verifier change refused loading a `const void *` argument
 * ("arg2 type UNKNOWN is not a struct", 6.1 on neigh_create's pkey), while its value
 * is just as readable in the argument array.
 */
static __always_inline __u64 nr_arg_probed(const __u64 *ctx, int i)
{
	__u64 v = 0;

	bpf_probe_read_kernel(&v, sizeof(v), &ctx[i]);
	return v;
}

/* The first thing every probe does: count the hit. NULL only for an id out of range. */
static __always_inline struct nr_probe_stats *nr_hit(__u32 probe)
{
	struct nr_probe_stats *st = bpf_map_lookup_elem(&stats, &probe);

	if (st)
		st->hits++;
	return st;
}

/* the interface filter: an ifindex of the namespace cfg_ifindex_netns */
static __always_inline bool nr_if_match(__u32 netns, __u32 ifindex, __u32 ifindex2)
{
	if (!cfg_ifindex)
		return true;
	if (cfg_ifindex_netns && netns != cfg_ifindex_netns)
		return false;
	return ifindex == cfg_ifindex || ifindex2 == cfg_ifindex;
}

static __always_inline __u32 nr_pid(void)
{
	return bpf_get_current_pid_tgid() >> 32;
}

static __always_inline __u32 nr_net_inum(bool btf, const struct net *net)
{
	if (!net)
		return 0;
	return NR_RD(btf, net, ns.inum);
}

static __always_inline __u32 nr_dev_netns(bool btf, const struct net_device *dev)
{
	if (!dev)
		return 0;
	return nr_net_inum(btf, NR_RD(btf, dev, nd_net.net));
}

static __always_inline __u32 nr_sk_netns(bool btf, const struct sock *sk)
{
	if (!sk)
		return 0;
	return nr_net_inum(btf, NR_RD(btf, sk, __sk_common.skc_net.net));
}

/*
 * The rate limit: at most cfg_rate_limit events in each second counted from
 * ctl_rate_base_ns, over all CPUs and probes. One 64-bit word holds the window number
 * and the count so a compare-and-swap updates both; the cap is never exceeded. After a
 * few lost races the event counts as rate-limited (counted, so nothing is silent).
 */
static __always_inline bool nr_rate_ok(__u64 now)
{
	__u64 win = (now - ctl_rate_base_ns) / NR_SEC_NS;
	int i;

	for (i = 0; i < 4; i++) {
		__u64 old = ctl_rate_state, cnt, new;

		cnt = (old >> 32) == (win & 0xffffffff) ? (old & 0xffffffff) : 0;
		if (cnt >= cfg_rate_limit)
			return false;
		new = (win << 32) | (cnt + 1);
		if (__sync_val_compare_and_swap(&ctl_rate_state, old, new) == old)
			return true;
	}
	return false;
}

/* Take a stack within the --max-stacks budget? Updates the counters when not. */
static __always_inline bool nr_stack_ok(struct nr_probe_stats *st, __u16 *rflags)
{
	if (!ctl_stack_limited)
		return true;
	if (ctl_stack_budget > 0 && __sync_fetch_and_add(&ctl_stack_budget, -1) > 0)
		return true;
	st->stack_skipped++;
	*rflags |= NR_RF_STACK_SKIPPED;
	return false;
}

/*
 * After the filters: counting-only probes stop (a hit that passed the filters is what
 * they count, paused or not: they emit nothing a pause could hold back), then pause,
 * rate limit. True when the event is to be recorded; @now is then its timestamp.
 */
static __always_inline bool nr_gate(struct nr_probe_stats *st, __u16 probe, __u64 *now)
{
	if (!(cfg_probe_flags[probe] & NR_PF_EMIT))
		return false;
	if (ctl_paused) {
		st->paused++;
		return false;
	}
	*now = bpf_ktime_get_ns();
	if (cfg_rate_limit && !nr_rate_ok(*now)) {
		st->rate_limited++;
		return false;
	}
	return true;
}

/*
 * Stack sampling (cfg_stack_sample): at most that many stacks per second for each site,
 * a site being (probe, location, reason), on each CPU. A drop storm has few sites, so
 * the unwinder, the expensive part of a record, runs a few times per second per site
 * instead of per drop; every drop is still recorded with its location and reason.
 */
static __always_inline bool nr_stack_sampled(__u16 probe, __u64 location, __u32 reason,
					     __u64 now)
{
	__u64 win = (now - ctl_rate_base_ns) / NR_SEC_NS;
	struct nr_stack_sites *sites;
	struct nr_stack_slot *sl;
	__u32 zero = 0, h;

	sites = bpf_map_lookup_elem(&stack_sites, &zero);
	if (!sites)
		return true;
	h = (__u32)(location ^ (location >> 29)) * 0x9e3779b1u ^ reason * 31 ^ probe;
	sl = &sites->slot[(h >> 16) & (NR_STACK_SLOTS - 1)];
	if (sl->location != location || sl->reason != reason || sl->probe != probe ||
	    sl->window != win) {
		sl->location = location;
		sl->reason = reason;
		sl->probe = probe;
		sl->window = win;
		sl->count = 1;
		return true;
	}
	if (sl->count >= cfg_stack_sample)
		return false;
	sl->count++;
	return true;
}

/*
 * A stack with this record? Drops always, others with --stack; then the sampling per
 * site and the --max-stacks budget, which count and flag the records they leave out.
 */
static __always_inline bool nr_want_stack(struct nr_probe_stats *st, __u16 probe, bool drop,
					  __u64 location, __u32 reason, __u64 now, __u16 *rflags)
{
	if (!drop && !(cfg_probe_flags[probe] & NR_PF_STACK))
		return false;
	if (cfg_stack_sample && !nr_stack_sampled(probe, location, reason, now)) {
		st->stack_skipped++;
		*rflags |= NR_RF_STACK_SKIPPED;
		return false;
	}
	return nr_stack_ok(st, rflags);
}

/* Bytes of a record of @base bytes, snapshot area included, with or without a stack.
 * Constants to the verifier (cfg_* are rodata); 8 bytes of slack keep the variable
 * offsets of the padding word and the stack provably inside the reservation. */
#define NR_SNAP_AREA		(((cfg_snaplen + 7) & ~7u) + 8)
#define NR_STACK_BYTES		(cfg_stack_depth * 8)

static __always_inline void *nr_reserve(struct nr_probe_stats *st, __u64 size)
{
	void *rec = bpf_ringbuf_reserve(&events, size, 0);

	if (!rec)
		st->lost++;
	return rec;
}

/*
 * Submit without waking user space, unless cfg_wakeup_bytes are pending; then wake it,
 * but at most once per NR_WAKEUP_GAP_NS: a forced wakeup queues an irq_work, a self-IPI
 * on x86, and one per record while the drain is behind costs more than the record.
 */
#define NR_WAKEUP_GAP_NS	1000000ULL

static __always_inline void nr_submit(void *rec, __u64 now)
{
	__u64 flags = BPF_RB_NO_WAKEUP;

	if (bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA) >= cfg_wakeup_bytes &&
	    now - ctl_last_wakeup_ns >= NR_WAKEUP_GAP_NS) {
		ctl_last_wakeup_ns = now;
		flags = BPF_RB_FORCE_WAKEUP;
	}
	bpf_ringbuf_submit(rec, flags);
}

/* A record of @size bytes, with room for a stack after it when @stack. */
static __always_inline void *nr_reserve_rec(struct nr_probe_stats *st, __u64 size, bool stack)
{
	if (stack)
		return nr_reserve(st, size + NR_STACK_BYTES);
	return nr_reserve(st, size);
}

/*
 * The end of every record: the kernel stack at @base bytes into it when @stack (inline,
 * NR_RF_STACK_INLINE, *@stack_id = frames), the header, submit.
 */
static __always_inline void nr_finish(void *ctx, void *rec, __u32 base, bool stack,
				      __u32 *stack_id, __u16 type, __u16 rflags, __u64 now)
{
	struct nr_rec_hdr *h = rec;
	__u32 frames = 0;

	if (stack) {
		long n = bpf_get_stack(ctx, (__u8 *)rec + base, NR_STACK_BYTES, 0);

		frames = n > 0 ? (__u32)n / 8 : 0;
		if (frames)
			rflags |= NR_RF_STACK_INLINE;
	}
	*stack_id = frames;
	h->type = type;
	h->flags = rflags;
	h->size = base + frames * 8;
	h->ts_ns = now;
	nr_submit(rec, now);
}

/*
 * The tp_btf and raw_tp programs of a point: the same arguments (an array of u64), read
 * with direct loads in the first and probe reads in the second; @body(ctx, btf) is the
 * point's shared body.
 */
#define NR_BTF_RAW_PROGS(stem, event, body)						\
	SEC("tp_btf/" #event)								\
	int stem##_btf(__u64 *ctx)							\
	{										\
		return body(ctx, true);							\
	}										\
											\
	SEC("raw_tp/" #event)								\
	int stem##_raw(__u64 *ctx)							\
	{										\
		return body(ctx, false);						\
	}

/*
 * The pcap-filter hook on a packet: copy it from its network header into the per-CPU
 * scratch (only IPv4 and IPv6 have one the expression can read) and run the filter.
 * The wire length counts from the network header to the end of the packet, paged part
 * included; only the linear part is copied.
 */
static __always_inline bool nr_pcap_skb(bool btf, const struct sk_buff *skb)
{
	struct nr_filter_buf *buf;
	__u32 zero = 0, tail, len, doff, wirelen, caplen;
	unsigned char *head, *data;
	__u16 proto, nh;

	proto = bpf_ntohs(NR_RD(btf, skb, protocol));
	if (proto != NR_ETH_P_IP && proto != NR_ETH_P_IPV6)
		return false;
	buf = bpf_map_lookup_elem(&scratch, &zero);
	if (!buf)
		return false;
	head = NR_RD(btf, skb, head);
	data = NR_RD(btf, skb, data);
	nh = NR_RD(btf, skb, network_header);
	tail = NR_RD(btf, skb, tail);
	len = NR_RD(btf, skb, len);
	doff = (__u32)(data - head);
	if (!nh || tail <= nh || doff + len <= nh)
		return false;
	wirelen = doff + len - nh;
	caplen = nr_filter_copy(buf, head + nh, wirelen, tail - nh);
	return nr_pcap_filter(buf, caplen, wirelen) != 0;
}

/*
 * The pcap-filter hook on an event without a packet (socket, route lookup, neighbour):
 * the filter runs on the IPv4/IPv6 and transport headers nr_filter_tuple() builds from
 * the tuple (bpf/filter.bpf.h; the recorder's user-space fallback builds the same), so
 * that `host X`, `port N`, `tcp` mean the same for them as for packets. The local end
 * is the source. @saddr/@daddr are 16 bytes; IPv4 uses the first 4; a pair of
 * IPv4-mapped IPv6 addresses is seen as IPv4.
 */
static __always_inline bool nr_pcap_tuple(__u16 family, __u8 proto, const __u8 *saddr,
					  const __u8 *daddr, __u16 sport, __u16 dport)
{
	struct nr_filter_buf *buf;
	__u32 zero = 0, len;

	buf = bpf_map_lookup_elem(&scratch, &zero);
	if (!buf)
		return false;
	len = nr_filter_tuple(buf->pkt, family, proto, saddr, daddr, sport, dport);
	return nr_pcap_filter(buf, len, len) != 0;
}

#endif /* NETREC_BPF_H */
