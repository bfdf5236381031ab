// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * xdp.bpf.c - xdp:xdp_exception: an XDP program aborted, returned an unknown action,
 * or its redirect failed; the packet is dropped before any skb exists.
 *
 * Recorded as a struct nr_pkt without skb: reason = the XDP action, aux = the XDP
 * program's id; a drop, so with a stack. Only the netns and ifindex filters apply
 * (there is no packet to run the pcap filter on).
 */
#include "netrec.bpf.h"

static __always_inline int xdp_exc(void *ctx, bool btf, const struct net_device *dev,
				   __u32 prog_id, __u32 act, __u32 ifindex_hint)
{
	struct nr_probe_stats *st = nr_hit(NR_P_XDP_EXCEPTION);
	__u32 netns = 0, ifindex = ifindex_hint;
	__u16 rflags = 0, dev_type = 0;
	struct nr_pkt *e;
	__u64 now;
	bool stack;

	if (!st)
		return 0;
	if (dev) {
		netns = nr_dev_netns(btf, dev);
		ifindex = NR_RD(btf, dev, ifindex);
		dev_type = NR_RD(btf, dev, type);
	}
	if ((cfg_netns && netns != cfg_netns) || !nr_if_match(netns, ifindex, ifindex)) {
		st->filtered++;
		return 0;
	}
	if (!nr_gate(st, NR_P_XDP_EXCEPTION, &now))
		return 0;
	stack = nr_want_stack(st, NR_P_XDP_EXCEPTION, true, 0, act, now, &rflags);
	e = nr_reserve_rec(st, sizeof(*e), stack);
	if (!e)
		return 0;
	__builtin_memset(e, 0, sizeof(*e));
	e->netns = netns;
	e->ifindex = ifindex;
	e->reason = act;
	e->aux = prog_id;
	e->pid = nr_pid();
	e->probe = NR_P_XDP_EXCEPTION;
	e->cpu = bpf_get_smp_processor_id();
	e->dev_type = dev_type;
	e->snap_l3 = NR_OFF_NONE;
	e->snap_l4 = NR_OFF_NONE;
	nr_finish(ctx, e, sizeof(*e), stack, &e->stack_id, NR_REC_PKT, rflags, now);
	return 0;
}

static __always_inline __u32 xdp_prog_id(bool btf, const struct bpf_prog *prog)
{
	return prog ? NR_RD(btf, prog, aux, id) : 0;
}

static __always_inline int xdp_exc_args(__u64 *ctx, bool btf)
{
	return xdp_exc(ctx, btf, (struct net_device *)nr_arg(ctx, 0),
		       xdp_prog_id(btf, (struct bpf_prog *)nr_arg(ctx, 1)), (__u32)nr_arg(ctx, 2),
		       0);
}

NR_BTF_RAW_PROGS(xdp_exc, xdp_exception, xdp_exc_args)

/* The tracefs record has the ifindex but no device: netns unknown (0). */
SEC("tp/xdp/xdp_exception")
int xdp_exc_tp(struct trace_event_raw_xdp_exception *r)
{
	return xdp_exc(r, false, NULL, (__u32)r->prog_id, r->act, (__u32)r->ifindex);
}
