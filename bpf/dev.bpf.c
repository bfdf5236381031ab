// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * dev.bpf.c - the device layer, receive and transmit: net:napi_gro_receive_entry,
 * net:netif_receive_skb, net:netif_rx, net:net_dev_queue, net:net_dev_start_xmit,
 * net:net_dev_xmit
 */
#include "pkt.bpf.h"

/* the points whose only argument that matters is the skb, still owned by the stack */
#define NR_DEV_SKB_POINT(stem, event, probe, tp_struct)					\
	static __always_inline int stem##_args(__u64 *ctx, bool btf)			\
	{										\
		struct nr_pkt_args a = {};						\
											\
		return nr_pkt_event(ctx, btf, probe, (struct sk_buff *)nr_arg(ctx, 0), &a); \
	}										\
											\
	NR_BTF_RAW_PROGS(stem, event, stem##_args)					\
											\
	SEC("tp/net/" #event)								\
	int stem##_tp(struct tp_struct *r)						\
	{										\
		struct nr_pkt_args a = {};						\
											\
		return nr_pkt_event(r, false, probe, (struct sk_buff *)r->skbaddr, &a);	\
	}

/* receive: the driver hands the packet to GRO */
NR_DEV_SKB_POINT(dev_gro, napi_gro_receive_entry, NR_P_NAPI_GRO_RECEIVE_ENTRY,
		 trace_event_raw_net_dev_rx_verbose_template)
/* receive: __netif_receive_skb_core() takes it */
NR_DEV_SKB_POINT(dev_rcv, netif_receive_skb, NR_P_NETIF_RECEIVE_SKB,
		 trace_event_raw_net_dev_template)
/* receive: queued to a CPU's backlog (veth, loopback, tunnels, RPS) */
NR_DEV_SKB_POINT(dev_rx, netif_rx, NR_P_NETIF_RX, trace_event_raw_net_dev_template)
/* transmit: __dev_queue_xmit() */
NR_DEV_SKB_POINT(dev_queue, net_dev_queue, NR_P_NET_DEV_QUEUE,
		 trace_event_raw_net_dev_template)
/* transmit: the driver's ndo_start_xmit is next */
NR_DEV_SKB_POINT(dev_start, net_dev_start_xmit, NR_P_NET_DEV_START_XMIT,
		 trace_event_raw_net_dev_start_xmit)

/*
 * net:net_dev_xmit(skb, rc, dev, skb_len): the driver returned. The skb is the driver's
 * now (freed, or on its way into another namespace for veth): nothing is read from it.
 * reason = rc (NETDEV_TX_OK 0, NETDEV_TX_BUSY 0x10, or a NET_XMIT_* / -errno), aux = len.
 */
static __always_inline int xmit(void *ctx, __u64 skb, int rc, __u64 dev, __u32 len)
{
	struct nr_pkt_args a = {
		.dev = dev,
		.reason = (__u32)rc,
		.aux = len,
		.len = len,
		.gone = true,
	};

	return nr_pkt_event(ctx, false, NR_P_NET_DEV_XMIT, (struct sk_buff *)skb, &a);
}

static __always_inline int xmit_args(__u64 *ctx, bool btf)
{
	(void)btf;	/* nothing is read through the skb */
	return xmit(ctx, nr_arg(ctx, 0), (int)nr_arg(ctx, 1), nr_arg(ctx, 2),
		    (__u32)nr_arg(ctx, 3));
}

NR_BTF_RAW_PROGS(dev_xmit, net_dev_xmit, xmit_args)

/* The tracefs record names the device only by name: no ifindex, no netns. */
SEC("tp/net/net_dev_xmit")
int dev_xmit_tp(struct trace_event_raw_net_dev_xmit *r)
{
	return xmit(r, (__u64)r->skbaddr, r->rc, 0, r->len);
}
