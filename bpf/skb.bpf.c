// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * skb.bpf.c - the end of an skb's life and its delivery to a socket:
 * skb:kfree_skb (drops), skb:consume_skb (normal frees), skb:skb_copy_datagram_iovec
 *
 * Each point has one body and three wrappers: tp_btf, raw_tp (same arguments), and the
 * classic tracepoint, which reads the tracefs record (struct trace_event_raw_*).
 */
#include "pkt.bpf.h"

/*
 * skb:kfree_skb(skb, location[, reason (5.17+)[, rx_sk (6.11+)]])
 * reason: the drop reason in this kernel's numbering (never compared here: its values
 * differ between kernels; user space names them from BTF).
 */
static __always_inline int kfree_skb_args(__u64 *ctx, bool btf)
{
	struct nr_pkt_args a = {
		.location = nr_arg(ctx, 1),
		.reason = nr_arg_opt(ctx, NR_P_KFREE_SKB, 2),
		.rx_sk = nr_arg_opt(ctx, NR_P_KFREE_SKB, 3),
		.drop = true,
		.free = true,
	};

	return nr_pkt_event(ctx, btf, NR_P_KFREE_SKB, (struct sk_buff *)nr_arg(ctx, 0), &a);
}

NR_BTF_RAW_PROGS(skb_kfree, kfree_skb, kfree_skb_args)

SEC("tp/skb/kfree_skb")
int skb_kfree_tp(struct trace_event_raw_kfree_skb *r)
{
	struct nr_pkt_args a = {
		.location = (__u64)r->location,
		.reason = nr_tp_kfree_skb_reason(r),
		.rx_sk = nr_tp_kfree_skb_rx_sk(r),
		.drop = true,
		.free = true,
	};

	return nr_pkt_event(r, false, NR_P_KFREE_SKB, r->skbaddr, &a);
}

/* skb:consume_skb(skb[, location (6.3+)]): counted only, unless the profile asks */
static __always_inline int consume_skb_args(__u64 *ctx, bool btf)
{
	struct nr_pkt_args a = {
		.location = nr_arg_opt(ctx, NR_P_CONSUME_SKB, 1),
		.free = true,
	};

	return nr_pkt_event(ctx, btf, NR_P_CONSUME_SKB, (struct sk_buff *)nr_arg(ctx, 0), &a);
}

NR_BTF_RAW_PROGS(skb_consume, consume_skb, consume_skb_args)

SEC("tp/skb/consume_skb")
int skb_consume_tp(struct trace_event_raw_consume_skb *r)
{
	struct nr_pkt_args a = {
		.location = nr_tp_consume_skb_location(r),
		.free = true,
	};

	return nr_pkt_event(r, false, NR_P_CONSUME_SKB, r->skbaddr, &a);
}

/* skb:skb_copy_datagram_iovec(skb, len): data handed to a socket reader; aux = len */
static __always_inline int copy_dgram_args(__u64 *ctx, bool btf)
{
	struct nr_pkt_args a = { .aux = (__u32)nr_arg(ctx, 1) };

	return nr_pkt_event(ctx, btf, NR_P_SKB_COPY_DATAGRAM_IOVEC,
			    (struct sk_buff *)nr_arg(ctx, 0), &a);
}

NR_BTF_RAW_PROGS(skb_copy, skb_copy_datagram_iovec, copy_dgram_args)

SEC("tp/skb/skb_copy_datagram_iovec")
int skb_copy_tp(struct trace_event_raw_skb_copy_datagram_iovec *r)
{
	struct nr_pkt_args a = { .aux = (__u32)r->len };

	return nr_pkt_event(r, false, NR_P_SKB_COPY_DATAGRAM_IOVEC, (void *)r->skbaddr, &a);
}
