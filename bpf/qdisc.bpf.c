// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * qdisc.bpf.c - queueing disciplines: qdisc:qdisc_enqueue, qdisc:qdisc_dequeue
 * (the kernel has no tracepoint for a qdisc's drops: they are skb:kfree_skb with a
 * QDISC_* reason)
 *
 * reason = the qdisc's handle; aux = its parent (enqueue) or the packets dequeued
 * (dequeue).
 */
#include "pkt.bpf.h"

static __always_inline int enqueue(void *ctx, bool btf, const struct Qdisc *q,
				   struct sk_buff *skb)
{
	struct nr_pkt_args a = {
		.reason = q ? NR_RD(btf, q, handle) : 0,
		.aux = q ? NR_RD(btf, q, parent) : 0,
	};

	return nr_pkt_event(ctx, btf, NR_P_QDISC_ENQUEUE, skb, &a);
}

static __always_inline int enqueue_args(__u64 *ctx, bool btf)
{
	return enqueue(ctx, btf, (struct Qdisc *)nr_arg(ctx, 0), (struct sk_buff *)nr_arg(ctx, 2));
}

NR_BTF_RAW_PROGS(qdisc_enq, qdisc_enqueue, enqueue_args)

SEC("tp/qdisc/qdisc_enqueue")
int qdisc_enq_tp(struct trace_event_raw_qdisc_enqueue *r)
{
	struct nr_pkt_args a = { .reason = r->handle, .aux = r->parent };

	return nr_pkt_event(r, false, NR_P_QDISC_ENQUEUE, r->skbaddr, &a);
}

/* skb is NULL when the qdisc had nothing to give: counted as a hit, no record */
static __always_inline int dequeue(void *ctx, bool btf, const struct Qdisc *q, int packets,
				   struct sk_buff *skb)
{
	struct nr_pkt_args a = {
		.reason = q ? NR_RD(btf, q, handle) : 0,
		.aux = (__u32)packets,
	};

	return nr_pkt_event(ctx, btf, NR_P_QDISC_DEQUEUE, skb, &a);
}

static __always_inline int dequeue_args(__u64 *ctx, bool btf)
{
	return dequeue(ctx, btf, (struct Qdisc *)nr_arg(ctx, 0), (int)nr_arg(ctx, 2),
		       (struct sk_buff *)nr_arg(ctx, 3));
}

NR_BTF_RAW_PROGS(qdisc_deq, qdisc_dequeue, dequeue_args)

SEC("tp/qdisc/qdisc_dequeue")
int qdisc_deq_tp(struct trace_event_raw_qdisc_dequeue *r)
{
	struct nr_pkt_args a = { .reason = r->handle, .aux = (__u32)r->packets };

	return nr_pkt_event(r, false, NR_P_QDISC_DEQUEUE, r->skbaddr, &a);
}
