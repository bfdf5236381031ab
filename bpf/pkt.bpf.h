/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * pkt.bpf.h - the body every packet probe shares (struct nr_pkt records)
 *
 * The probes of the skb, dev and qdisc families are thin wrappers that pull the skb and
 * their probe-specific values out of the tracepoint's arguments and call nr_pkt_event().
 *
 * First sighting: knowing that an event is the first one of an skb takes memory of the
 * skbs already seen, i.e. a map lookup per event and an update per new skb. netrec pays
 * for it only when it buys something: with a single packet probe (the default profile
 * has only skb:kfree_skb) every event carries a snapshot anyway and nothing is tracked.
 * With several packet probes (the path profile) user space sets cfg_track_first; the
 * skb_track LRU hash then remembers each emitted skb with its skb->head (an address
 * reused for a new packet comes with a new head), the entry goes away when the skb is
 * freed, and only the first event of an skb, and every drop, carries the snapshot. The
 * same entry holds the --follow mark, so --follow costs no second lookup.
 */
#ifndef NR_PKT_BPF_H
#define NR_PKT_BPF_H

#include "netrec.bpf.h"

/**
 * struct nr_pkt_args - what a probe adds to the skb's own fields
 * @location: kfree_skb / consume_skb: the caller that freed the skb
 * @rx_sk:    kfree_skb: the receiving socket when skb->sk is NULL (6.11+)
 * @reason:   nr_pkt.reason (probe-specific)
 * @aux:      nr_pkt.aux (probe-specific)
 * @dev:      with @gone: the device the tracepoint names
 * @len:      with @gone: the length the tracepoint names
 * @drop:     the event is a drop: always a stack and a snapshot
 * @free:     the skb ends here: forget its tracking entry
 * @gone:     the skb may already be freed or owned by another CPU (net_dev_xmit fires
 *            after the driver took it): only its address is used; the device, length
 *            and tracking state stand in for its fields, and the mark and pcap filters
 *            keep it only when the skb is tracked as matching
 */
struct nr_pkt_args {
	__u64 location;
	__u64 rx_sk;
	__u64 dev;
	__u32 reason;
	__u32 aux;
	__u32 len;
	bool drop;
	bool free;
	bool gone;
};

static __always_inline __u32 nr_skb_netns(bool btf, const struct sk_buff *skb,
					  const struct nr_pkt_args *a)
{
	const struct net_device *dev = NR_RD(btf, skb, dev);
	const struct sock *sk;

	if (dev)
		return nr_dev_netns(btf, dev);
	sk = NR_RD(btf, skb, sk);
	if (sk)
		return nr_sk_netns(btf, sk);
	/* rx_sk travels as a number: always read it with probe reads */
	return nr_sk_netns(false, (const struct sock *)a->rx_sk);
}

/* netns, ifindex (the device the skb is on, or the one it arrived on), mark, pcap */
static __always_inline bool nr_skb_match(bool btf, const struct sk_buff *skb,
					 const struct nr_pkt_args *a)
{
	if (cfg_netns && nr_skb_netns(btf, skb, a) != cfg_netns)
		return false;
	if (cfg_ifindex) {
		const struct net_device *dev = NR_RD(btf, skb, dev);
		__u32 ifindex = dev ? NR_RD(btf, dev, ifindex) : 0;

		if (!nr_if_match(cfg_ifindex_netns ? nr_skb_netns(btf, skb, a) : 0, ifindex,
				 (__u32)NR_RD(btf, skb, skb_iif)))
			return false;
	}
	if (cfg_mark_mask && (NR_RD(btf, skb, mark) & cfg_mark_mask) != cfg_mark)
		return false;
	if (cfg_filter && !nr_pcap_skb(btf, skb))
		return false;
	return true;
}

/*
 * A fingerprint of the packet in @skb: header fields that differ between consecutive
 * packets of a flow and stay the same while one packet goes through the stack (TTL,
 * checksums and addresses may change on the way, the MAC header comes and goes): the
 * IPv4 total length and id, or the IPv6 payload length, mixed with 8 bytes of the
 * transport header from its 5th byte (TCP sequence and acknowledgement numbers, UDP
 * length and checksum, ICMP identifier and sequence). Two probe reads; only with
 * cfg_follow / cfg_track_first. Packets that are neither IPv4 nor IPv6 give their first
 * 8 bytes.
 */
static __always_inline __u64 nr_skb_fp(bool btf, const struct sk_buff *skb,
				       const unsigned char *head)
{
	__u16 nh = NR_RD(btf, skb, network_header);
	__u8 ip[8] = {};
	__u64 l4 = 0, fp;
	__u32 l4off;

	/* before __netif_receive_skb_core() sets it, the network header is where the data
	 * starts, just past the MAC header */
	if (!nh)
		nh = (__u16)(NR_RD(btf, skb, data) - head);
	if (bpf_probe_read_kernel(ip, sizeof(ip), head + nh))
		return 0;
	switch (ip[0] >> 4) {
	case 4:
		l4off = nh + (ip[0] & 0xf) * 4u;
		fp = (__u64)ip[2] << 24 | (__u64)ip[3] << 16 | (__u64)ip[4] << 8 | ip[5];
		break;
	case 6:
		l4off = nh + 40;
		fp = (__u64)ip[4] << 8 | ip[5];
		break;
	default:
		return *(__u64 *)ip;
	}
	bpf_probe_read_kernel(&l4, sizeof(l4), head + l4off + 4);
	return (fp + 1) * 0x9e3779b97f4a7c15ull ^ l4;
}

/* the filters for an skb that must not be read (@a->gone) */
static __always_inline bool nr_gone_match(const struct nr_pkt_args *a, __u32 tflags)
{
	const struct net_device *dev = (const struct net_device *)a->dev;

	if (cfg_netns && nr_dev_netns(false, dev) != cfg_netns)
		return false;
	if (cfg_ifindex && (!dev || !nr_if_match(cfg_ifindex_netns ? nr_dev_netns(false, dev) : 0,
						 BPF_CORE_READ(dev, ifindex), 0)))
		return false;
	if ((cfg_mark_mask || cfg_filter) && !(tflags & (NR_TRK_SEEN | NR_TRK_FOLLOW)))
		return false;
	return true;
}

/*
 * Copy the packet's first bytes after @e: from the MAC header when it is set, else
 * from the network header when it is set, else from skb->data; only the linear part.
 * The padding up to the next multiple of 8 is zeroed. Returns the bytes copied.
 */
static __always_inline __u32 nr_snapshot(bool btf, const struct sk_buff *skb, struct nr_pkt *e,
					 __u16 *rflags)
{
	__u8 *dst = (__u8 *)(e + 1);
	unsigned char *head = NR_RD(btf, skb, head);
	unsigned char *data = NR_RD(btf, skb, data);
	__u32 tail = NR_RD(btf, skb, tail);
	__u16 mac = NR_RD(btf, skb, mac_header);
	__u16 nh = NR_RD(btf, skb, network_header);
	__u16 th = NR_RD(btf, skb, transport_header);
	__u32 doff = (__u32)(data - head), start, n, l3 = 0xffff;
	bool l2 = false;

	e->snap_l3 = NR_OFF_NONE;
	e->snap_l4 = NR_OFF_NONE;
	if (!cfg_snaplen)
		return 0;
	/* a network header offset of 0 means never set: data always starts after headroom */
	if (mac != 0xffff && mac < tail) {
		start = mac;
		l2 = true;
	} else if (nh && nh < tail) {
		start = nh;
	} else {
		start = doff;
	}
	if (start >= tail)
		return 0;
	n = tail - start;
	if (n > cfg_snaplen)
		n = cfg_snaplen;
	*(__u64 *)(dst + (n & ~7u)) = 0;
	if (bpf_probe_read_kernel(dst, n, head + start))
		return 0;
	if (l2)
		*rflags |= NR_RF_SNAP_L2;

	/* On receive, before __netif_receive_skb_core() resets it, the network header may
	 * be unset; the data pointer is then just past the MAC header. */
	if (nh && nh >= start && (!l2 || nh > mac))
		l3 = nh - start;
	else if (l2 && doff > start)
		l3 = doff - start;
	if (l3 < n)
		e->snap_l3 = l3;
	if (l3 < n && th != 0xffff && th > start + l3 && th - start < n)
		e->snap_l4 = th - start;
	return n;
}

static __always_inline int nr_pkt_event(void *ctx, bool btf, __u16 probe, struct sk_buff *skb,
					const struct nr_pkt_args *a)
{
	struct nr_probe_stats *st = nr_hit(probe);
	__u32 tflags = 0, nflags = 0, snap = 0;
	bool keep, known = false, first = false, stack;
	struct nr_track *t = NULL;
	__u64 key = (__u64)skb, head = 0, fp = 0, now;
	__u16 rflags = 0;
	struct nr_pkt *e;

	if (!st)
		return 0;
	if (!skb)
		return 0;

	if (cfg_follow || cfg_track_first) {
		if (!a->gone) {
			head = (__u64)NR_RD(btf, skb, head);
			fp = nr_skb_fp(btf, skb, (const unsigned char *)head);
		}
		t = bpf_map_lookup_elem(&skb_track, &key);
		if (t && (a->gone || (t->head == head && t->fp == fp))) {
			known = true;
			tflags = t->flags;
			head = t->head;
		}
		nflags = tflags;
	}

	keep = a->gone ? nr_gone_match(a, tflags) : nr_skb_match(btf, skb, a);
	if (cfg_follow) {
		if (keep) {
			nflags |= NR_TRK_FOLLOW;
		} else if (tflags & NR_TRK_FOLLOW) {
			keep = true;
			rflags |= NR_RF_FOLLOWED;
		}
	}
	if (!keep) {
		st->filtered++;
		goto out;
	}
	if (!nr_gate(st, probe, &now))
		goto out;

	first = cfg_track_first && !a->gone && !(tflags & NR_TRK_SEEN);
	stack = nr_want_stack(st, probe, a->drop, a->location, a->reason, now, &rflags);
	e = nr_reserve_rec(st, sizeof(*e) + NR_SNAP_AREA, stack);
	if (!e)
		goto out;
	if (first) {
		nflags |= NR_TRK_SEEN;
		rflags |= NR_RF_FIRST_SIGHT;
	}

	e->skb = key;
	e->location = a->location;
	e->reason = a->reason;
	e->aux = a->aux;
	e->pid = nr_pid();
	e->probe = probe;
	e->cpu = bpf_get_smp_processor_id();
	__builtin_memset(e->_pad, 0, sizeof(e->_pad));
	if (a->gone) {
		const struct net_device *dev = (const struct net_device *)a->dev;

		e->head = head;
		e->sk = 0;
		e->netns = nr_dev_netns(false, dev);
		e->ifindex = dev ? BPF_CORE_READ(dev, ifindex) : 0;
		e->iif = 0;
		e->len = a->len;
		e->mark = 0;
		e->protocol_be = 0;
		e->dev_type = dev ? BPF_CORE_READ(dev, type) : 0;
		e->pkt_type = 0;
	} else {
		const struct net_device *dev = NR_RD(btf, skb, dev);
		const struct sock *sk = NR_RD(btf, skb, sk);

		e->head = (__u64)NR_RD(btf, skb, head);
		e->sk = sk ? (__u64)sk : a->rx_sk;
		e->netns = nr_skb_netns(btf, skb, a);
		e->ifindex = dev ? NR_RD(btf, dev, ifindex) : 0;
		e->iif = NR_RD(btf, skb, skb_iif);
		e->len = NR_RD(btf, skb, len);
		e->mark = NR_RD(btf, skb, mark);
		e->protocol_be = NR_RD(btf, skb, protocol);
		e->dev_type = dev ? NR_RD(btf, dev, type) : 0;
		e->pkt_type = NR_RD_BITS(btf, skb, pkt_type);
		if (NR_RD_BITS(btf, skb, cloned))
			rflags |= NR_RF_CLONED;
	}

	if (!a->gone &&
	    (a->drop || first || !cfg_track_first || (cfg_probe_flags[probe] & NR_PF_SNAP_ALL)))
		snap = nr_snapshot(btf, skb, e, &rflags);
	else
		e->snap_l3 = e->snap_l4 = NR_OFF_NONE;
	e->snap_len = snap;
	nr_finish(ctx, e, sizeof(*e) + ((snap + 7) & ~7u), stack, &e->stack_id, NR_REC_PKT,
		  rflags, now);

out:
	if (a->free) {
		if (t)
			bpf_map_delete_elem(&skb_track, &key);
	} else if (nflags != tflags && (known || !a->gone)) {
		if (known) {
			t->flags = nflags;
		} else {
			struct nr_track v = { .head = head, .fp = fp, .flags = nflags };

			bpf_map_update_elem(&skb_track, &key, &v, BPF_ANY);
		}
	}
	return 0;
}

#endif /* NR_PKT_BPF_H */
