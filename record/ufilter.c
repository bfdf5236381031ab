// SPDX-License-Identifier: GPL-2.0-only
/*
 * ufilter.c - the pcap-filter expression on records in user space (ufilter.h)
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "filter.h"
#include "nr_shared.h"
#include "probes.h"
#include "ufilter.h"

#define ETH_P_IP_	0x0800
#define ETH_P_IPV6_	0x86dd

/* a kept skb: its address and data buffer (an skb reused for another packet usually
 * comes with another buffer) */
struct kept {
	__u64 skb;
	__u64 head;
};

struct nr_ufilter {
	const struct nr_filter *f;
	bool follow;
	__u32 max;		/* entries at most */
	__u32 mask;		/* table size - 1 */
	__u32 n;
	struct kept *tab;	/* open addressing, linear probing; skb 0 = empty */
	__u64 forgotten;
};

int nr_ufilter__new(const struct nr_filter *f, bool follow, __u32 track_max,
		    struct nr_ufilter **ret)
{
	struct nr_ufilter *u;
	__u32 size = 1;

	if (!f)
		return -EINVAL;
	if (!track_max)
		track_max = NR_UFILTER_TRACK_DEFAULT;
	if (track_max > (1u << 24))
		return -EINVAL;
	while (size < track_max * 2)
		size <<= 1;
	u = calloc(1, sizeof(*u));
	if (!u)
		return -ENOMEM;
	u->tab = calloc(size, sizeof(*u->tab));
	if (!u->tab) {
		free(u);
		return -ENOMEM;
	}
	u->f = f;
	u->follow = follow;
	u->max = track_max;
	u->mask = size - 1;
	*ret = u;
	return 0;
}

static __u32 slot_of(const struct nr_ufilter *u, __u64 skb)
{
	return (__u32)((skb * 0x9e3779b97f4a7c15ull) >> 32) & u->mask;
}

static struct kept *find(struct nr_ufilter *u, __u64 skb)
{
	__u32 i;

	for (i = slot_of(u, skb); u->tab[i].skb; i = (i + 1) & u->mask)
		if (u->tab[i].skb == skb)
			return &u->tab[i];
	return NULL;
}

static void remember(struct nr_ufilter *u, __u64 skb, __u64 head)
{
	struct kept *k = find(u, skb);
	__u32 i;

	if (k) {
		k->head = head;
		return;
	}
	if (u->n >= u->max) {
		/* bounded: start over rather than grow (the probes' LRU forgets too) */
		memset(u->tab, 0, ((size_t)u->mask + 1) * sizeof(*u->tab));
		u->n = 0;
		u->forgotten++;
	}
	for (i = slot_of(u, skb); u->tab[i].skb; i = (i + 1) & u->mask)
		;
	u->tab[i].skb = skb;
	u->tab[i].head = head;
	u->n++;
}

/* remove with backward shift, so that probe chains stay unbroken */
static void forget(struct nr_ufilter *u, struct kept *k)
{
	__u32 i = (__u32)(k - u->tab), j = i;

	for (;;) {
		__u32 home;

		j = (j + 1) & u->mask;
		if (!u->tab[j].skb)
			break;
		home = slot_of(u, u->tab[j].skb);
		/* move j into the hole at i unless its home lies cyclically in (i, j] */
		if (i <= j ? (home > i && home <= j) : (home > i || home <= j))
			continue;
		u->tab[i] = u->tab[j];
		i = j;
	}
	u->tab[i].skb = 0;
	u->tab[i].head = 0;
	u->n--;
}

/* The snapshot's network header, when the record's packet is IPv4 or IPv6. */
static bool pkt_l3(const struct nr_pkt *p, const __u8 **l3, __u32 *caplen, __u32 *wirelen)
{
	const __u8 *snap = (const __u8 *)(p + 1);
	__u16 proto = (__u16)(((const __u8 *)&p->protocol_be)[0] << 8 |
			      ((const __u8 *)&p->protocol_be)[1]);
	__u32 len, ip_len;

	if (proto != ETH_P_IP_ && proto != ETH_P_IPV6_)
		return false;
	if (!p->snap_len || p->snap_l3 == NR_OFF_NONE || p->snap_l3 >= p->snap_len ||
	    sizeof(*p) + p->snap_len > p->hdr.size)
		return false;
	*l3 = snap + p->snap_l3;
	len = p->snap_len - p->snap_l3;
	*caplen = len;
	/* the length the packet says it has: what the probes' skb length gives, padding
	 * of short Ethernet frames aside */
	if (((*l3)[0] >> 4) == 4 && len >= 4)
		ip_len = (__u32)(*l3)[2] << 8 | (*l3)[3];
	else if (((*l3)[0] >> 4) == 6 && len >= 6)
		ip_len = 40 + ((__u32)(*l3)[4] << 8 | (*l3)[5]);
	else
		ip_len = 0;
	*wirelen = ip_len > len ? ip_len : len;
	return true;
}

static bool keep_pkt(struct nr_ufilter *u, const struct nr_pkt *p)
{
	struct kept *k = p->skb ? find(u, p->skb) : NULL;
	bool tracked = k && k->head == p->head;
	const __u8 *l3;
	__u32 caplen, wirelen;
	bool keep;

	if (u->follow && tracked)
		keep = true;
	else if (pkt_l3(p, &l3, &caplen, &wirelen))
		keep = nr_filter__match(u->f, l3, caplen, wirelen);
	else if (p->snap_len)
		keep = false;	/* headers seen, and not IP: nothing the expression matches */
	else
		keep = tracked;	/* an skb the probe could not read: as it was before */

	if (p->skb) {
		bool freed = p->probe < NR_P__STATIC_MAX &&
			     (nr_probe_defs[p->probe].flags & NR_PD_FREE);

		if (freed) {
			if (k)
				forget(u, k);
		} else if (keep) {
			remember(u, p->skb, p->head);
		} else if (k && !u->follow) {
			forget(u, k);
		}
	}
	return keep;
}

bool nr_ufilter__keep(struct nr_ufilter *u, const struct nr_rec_hdr *h)
{
	static const __u8 none[16];

	switch (h->type) {
	case NR_REC_PKT:
		if (h->size < sizeof(struct nr_pkt))
			return false;
		return keep_pkt(u, (const struct nr_pkt *)h);
	case NR_REC_SOCK: {
		const struct nr_sock *s = (const struct nr_sock *)h;

		if (h->size < sizeof(*s))
			return false;
		return nr_filter__match_tuple(u->f, s->family, (__u8)s->protocol, s->saddr,
					      s->daddr, s->sport, s->dport);
	}
	case NR_REC_FIB: {
		const struct nr_fib *f = (const struct nr_fib *)h;

		if (h->size < sizeof(*f))
			return false;
		return nr_filter__match_tuple(u->f, f->family, f->proto, f->src, f->dst, f->sport,
					      f->dport);
	}
	case NR_REC_NEIGH: {
		const struct nr_neigh *n = (const struct nr_neigh *)h;

		if (h->size < sizeof(*n))
			return false;
		return nr_filter__match_tuple(u->f, n->family, 0, none, n->key, 0, 0);
	}
	default:
		return true;
	}
}

__u64 nr_ufilter__forgotten(const struct nr_ufilter *u)
{
	return u->forgotten;
}

void nr_ufilter__free(struct nr_ufilter *u)
{
	if (!u)
		return;
	free(u->tab);
	free(u);
}
