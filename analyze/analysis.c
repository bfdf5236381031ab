// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * analysis.c - packet instances, drop attribution and aggregation, coverage, and the
 * assembly of the result model. TCP connections are in tcp.c, the diagnosis table in
 * diagnose.c.
 *
 * Packet instances. A packet is the events of one skb address from its first sighting
 * to its free. The skb map holds, per address, the open instance and the one that was
 * closed last, for a grace period of opts.reorder_ns: the reader delivers records in
 * time order, but events of one skb on two CPUs can carry timestamps that contradict
 * causality by a little (TSC skew, the timestamp taken before the action). So:
 *  - an event arriving within the grace period after the instance's free, from another
 *    CPU, with the same skb->head and without NR_RF_FIRST_SIGHT, belongs to the closed
 *    instance (it happened before the free) and is put into its path in time order;
 *  - when a free closes an instance whose last points came from another CPU within the
 *    grace period and carry a different skb->head than the free, those points belong to
 *    the next packet at that address (allocated right after the free) and start it.
 * A closed instance is finalised (counted, handed to on_packet) when the grace period
 * has passed. Clones: a new instance whose skb->head is owned by another open instance
 * (and one of them had skb->cloned set) is tied to that origin and inherits the path
 * the origin had so far. Instances with no event for opts.idle_ns, or beyond
 * opts.max_open, are closed as "free not seen" (oldest first); so memory is bounded by
 * the packets in flight, never by the trace's length.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "analysis_int.h"
#include "diagnose.h"
#include "log.h"
#include "decode.h"
#include "names.h"

#define DEF_REORDER_NS	5000ULL
#define DEF_IDLE_NS	10000000000ULL
#define DEF_MAX_OPEN	(1u << 20)
#define DEF_MAX_CONNS	10000u
#define RES_FLOWS_GROUP	32	/* flows listed per group / reason in the result */
#define RES_FLOWS_ALL	100
#define RES_DEVS	32

static const struct {
	const char *name;
	enum probe_kind kind;
} probe_names[] = {
	{ "skb:kfree_skb", PK_DROP },
	{ "skb:consume_skb", PK_FREE },
	{ "sock:inet_sock_set_state", PK_TCP_STATE },
	{ "tcp:tcp_retransmit_skb", PK_TCP_RETRANS },
	{ "tcp:tcp_send_reset", PK_TCP_RST_SENT },
	{ "tcp:tcp_receive_reset", PK_TCP_RST_RECV },
};

/* the function names a dynamic probe on the same point would carry */
static const struct {
	const char *func;
	enum probe_kind kind;
} probe_funcs[] = {
	{ "kfree_skb_reason", PK_DROP },
	{ "sk_skb_reason_drop", PK_DROP },
	{ "consume_skb", PK_FREE },
	{ "tcp_retransmit_skb", PK_TCP_RETRANS },
	{ "__tcp_retransmit_skb", PK_TCP_RETRANS },
	{ "tcp_send_active_reset", PK_TCP_RST_SENT },
	{ "tcp_v4_send_reset", PK_TCP_RST_SENT },
	{ "tcp_v6_send_reset", PK_TCP_RST_SENT },
	{ "tcp_reset", PK_TCP_RST_RECV },
};

static enum probe_kind classify_probe(const char *name)
{
	const char *colon;
	size_t i;

	if (!name)
		return PK_PATH;
	for (i = 0; i < sizeof(probe_names) / sizeof(probe_names[0]); i++)
		if (!strcmp(name, probe_names[i].name))
			return probe_names[i].kind;
	colon = strchr(name, ':');
	if (colon && (!strncmp(name, "kprobe:", 7) || !strncmp(name, "fentry:", 7) ||
		      !strncmp(name, "fexit:", 6) || !strncmp(name, "kretprobe:", 10))) {
		for (i = 0; i < sizeof(probe_funcs) / sizeof(probe_funcs[0]); i++)
			if (!strcmp(colon + 1, probe_funcs[i].func))
				return probe_funcs[i].kind;
	}
	if (!strncmp(name, "sock:", 5) || !strncmp(name, "tcp:", 4))
		return PK_OTHER;
	return PK_PATH;
}

static inline enum probe_kind probe_kind(const struct nr_analysis *a, __u16 probe)
{
	return probe < a->nr_kinds ? a->kinds[probe] : PK_PATH;
}

/* ---- names ---- */

const char *an_enum_name(struct nr_analysis *a, const char *table, __u32 value)
{
	char buf[96];

	return arena_strdup(a->ar, an_enum(a->meta, table, value, buf, sizeof(buf)));
}

const char *an_tcp_state_name(struct nr_analysis *a, __u16 state)
{
	return an_enum_name(a, "tcp_state", state);
}

__s64 an_enum_value(const struct nr_meta *m, const char *table, const char *name, __s64 dflt)
{
	const struct nr_enum *e = nr_meta__enum(m, table);
	__u32 i;

	for (i = 0; e && i < e->nr; i++)
		if (!strcmp(e->e[i].name, name))
			return e->e[i].value;
	return dflt;
}

/* ---- filters ---- */

static bool reason_wanted(const struct nr_analysis *a, __u32 reason)
{
	__u32 i;

	if (!a->opts.nr_reasons)
		return true;
	for (i = 0; i < a->opts.nr_reasons; i++)
		if (a->opts.reasons[i] == reason)
			return true;
	return false;
}

__u32 nr_flow_packet(const struct nr_flow *f, __u8 *buf)
{
	__u32 l3, l4len;

	memset(buf, 0, 80);
	l4len = f->proto == IPPROTO_TCP ? 20 : 8;
	if (f->family == AF_INET) {
		buf[0] = 0x45;
		buf[2] = (__u8)((20 + l4len) >> 8);
		buf[3] = (__u8)(20 + l4len);
		buf[8] = 64;
		buf[9] = f->proto;
		memcpy(buf + 12, f->src, 4);
		memcpy(buf + 16, f->dst, 4);
		l3 = 20;
	} else if (f->family == AF_INET6) {
		buf[0] = 0x60;
		buf[4] = (__u8)(l4len >> 8);
		buf[5] = (__u8)l4len;
		buf[6] = f->proto;
		buf[7] = 64;
		memcpy(buf + 8, f->src, 16);
		memcpy(buf + 24, f->dst, 16);
		l3 = 40;
	} else {
		return 0;
	}
	if (f->proto == IPPROTO_TCP || f->proto == IPPROTO_UDP) {
		buf[l3] = (__u8)(f->sport >> 8);
		buf[l3 + 1] = (__u8)f->sport;
		buf[l3 + 2] = (__u8)(f->dport >> 8);
		buf[l3 + 3] = (__u8)f->dport;
		if (f->proto == IPPROTO_TCP)
			buf[l3 + 12] = 0x50;
		else
			buf[l3 + 5] = 8;
	} else if (f->proto == IPPROTO_ICMP || f->proto == IPPROTO_ICMPV6) {
		buf[l3] = (__u8)f->sport;
		buf[l3 + 1] = (__u8)f->dport;
	}
	return l3 + l4len;
}

/* does a packet with this record (or, without bytes, this flow) pass opts.pkt_match */
static bool pkt_matches(struct nr_analysis *a, const struct nr_pkt *p, const struct nr_flow *f)
{
	struct {
		struct nr_pkt p;
		__u8 bytes[80];
	} s;
	__u32 n;

	if (!a->opts.pkt_match)
		return true;
	if (p && p->snap_len)
		return a->opts.pkt_match(a->opts.pkt_match_ctx, p, f);
	/*
	 * no bytes of its own: the flow's headers (from the socket), so "udp port 9" means
	 * the same for packets with and without snapshot
	 */
	if (!f || !f->family)
		return false;
	n = nr_flow_packet(f, s.bytes);
	memset(&s.p, 0, sizeof(s.p));
	s.p.hdr.type = NR_REC_PKT;
	s.p.hdr.size = (__u32)sizeof(s);
	s.p.len = n;
	s.p.snap_len = (__u16)n;
	s.p.snap_l3 = 0;
	s.p.snap_l4 = f->family == AF_INET ? 20 : 40;
	s.p.protocol_be = htons(f->family == AF_INET ? 0x0800 : 0x86dd);
	return a->opts.pkt_match(a->opts.pkt_match_ctx, &s.p, f);
}

bool an_flow_matches(struct nr_analysis *a, const struct nr_flow *f, __u32 netns)
{
	if (a->opts.netns && netns != a->opts.netns)
		return false;
	return pkt_matches(a, NULL, f);
}

/* ---- drops over time ---- */

/* interval widths, each a multiple of the one before, so counts merge exactly */
static const __u64 widths[] = {
	1000000ULL, 2000000ULL, 10000000ULL, 20000000ULL, 100000000ULL, 200000000ULL,
	1000000000ULL, 2000000000ULL, 10000000000ULL, 20000000000ULL, 60000000000ULL,
	120000000000ULL, 600000000000ULL, 1200000000000ULL, 3600000000000ULL,
	7200000000000ULL, 21600000000000ULL, 43200000000000ULL, 86400000000000ULL,
};

static void series_merge(__u64 *s, __u32 nr, __u64 f)
{
	__u32 i;

	for (i = 0; i < nr; i++) {
		__u64 v = s[i];

		s[i] = 0;
		s[i / f] += v;
	}
}

/* make the interval holding @ts fit the series; Return: its index */
static __u32 series_index(struct nr_analysis *a, __u64 ts)
{
	__u64 off = ts > a->series_start ? ts - a->series_start : 0, idx;

	for (;;) {
		size_t i, n = sizeof(widths) / sizeof(widths[0]);
		__u64 nw, f;

		idx = off / a->interval_ns;
		if (idx < SERIES_MAX)
			break;
		for (i = 0; i < n && widths[i] <= a->interval_ns; i++)
			;
		nw = i < n ? widths[i] : a->interval_ns * 2;
		f = nw / a->interval_ns;
		series_merge(a->series, SERIES_MAX, f);
		for (i = 0; i < htab_capacity(&a->reasons); i++) {
			struct reason_acc **r = htab_slot_val(&a->reasons, i);

			if (r)
				series_merge((*r)->series, SERIES_MAX, f);
		}
		a->nr_intervals = (__u32)((a->nr_intervals + f - 1) / f);
		a->interval_ns = nw;
	}
	if (idx + 1 > a->nr_intervals)
		a->nr_intervals = (__u32)idx + 1;
	return (__u32)idx;
}

/* ---- drop accounting ---- */

static struct reason_acc *reason_get(struct nr_analysis *a, __u32 reason)
{
	__u64 key = reason;
	struct reason_acc **slot;
	bool created;

	slot = htab_put(&a->reasons, &key, &created);
	if (!slot)
		return NULL;
	if (created) {
		*slot = calloc(1, sizeof(**slot));
		if (!*slot) {
			htab_del(&a->reasons, &key);
			return NULL;
		}
		(*slot)->reason = reason;
	}
	return *slot;
}

static struct group_acc *group_get(struct nr_analysis *a, __u32 reason, __u64 location)
{
	struct group_key key = { .location = location, .reason = reason };
	struct group_acc **slot, *g;
	bool created;

	g = a->last_group;
	if (g && g->key.location == location && g->key.reason == reason)
		return g;
	slot = htab_put(&a->groups, &key, &created);
	if (!slot)
		return NULL;
	if (created) {
		g = calloc(1, sizeof(*g));
		if (g)
			g->racc = reason_get(a, reason);
		if (!g || !g->racc) {
			free(g);
			htab_del(&a->groups, &key);
			return NULL;
		}
		g->key = key;
		htab_init(&g->flows, sizeof(struct nr_flow), sizeof(__u64), GROUP_FLOWS_MAX);
		htab_init(&g->stacks, sizeof(__u64), sizeof(__u64), 0);
		htab_init(&g->devs, sizeof(__u64), sizeof(__u64), 0);
		*slot = g;
	}
	a->last_group = *slot;
	return *slot;
}

static int count_in(struct htab *h, struct htab_memo *m, const void *key)
{
	__u64 *v = htab_put_memo(h, m, key);

	if (!v)
		return -ENOMEM;
	(*v)++;
	return 0;
}

/* a dropped packet for the result: its path and where it died (names come at finish) */
static int fill_drop(struct nr_analysis *a, const struct pkt *o, const struct nr_pkt *d,
		     const struct nr_flow *flow, __u32 netns, __u32 ifindex, struct nr_res_drop *rd)
{
	__u32 i;

	memset(rd, 0, sizeof(*rd));
	rd->id = o->id;
	rd->origin = o->origin;
	rd->ts = d->hdr.ts_ns;
	rd->reason = d->reason;
	rd->location = d->location;
	rd->stack_id = d->stack_id;
	rd->netns = netns;
	rd->ifindex = ifindex;
	rd->len = d->len;
	rd->flow = *flow;
	rd->hops_lost = o->hops_lost;
	rd->hops = arena_calloc(a->ar, o->nr_hops ? o->nr_hops : 1, sizeof(*rd->hops));
	if (!rd->hops)
		return -ENOMEM;
	for (i = 0; i < o->nr_hops; i++) {
		rd->hops[i] = o->hops[i];
		rd->hops[i].snap = NULL;
	}
	rd->nr_hops = o->nr_hops;
	return 0;
}

static int path_keep(struct nr_analysis *a, const struct pkt *o, const struct nr_pkt *d,
		     struct group_acc *g, const struct nr_flow *flow, __u32 netns, __u32 ifindex)
{
	int err;

	if (!g->example && o->nr_hops > 1) {
		g->example = arena_alloc(a->ar, sizeof(*g->example));
		if (!g->example)
			return -ENOMEM;
		err = fill_drop(a, o, d, flow, netns, ifindex, g->example);
		if (err)
			return err;
	}
	if (a->nr_paths >= a->opts.max_paths) {
		a->res->drops_not_kept++;
		return 0;
	}
	if (a->nr_paths == a->cap_paths) {
		__u32 nc = a->cap_paths ? a->cap_paths * 2 : 16;
		void *n;

		if (nc > a->opts.max_paths)
			nc = a->opts.max_paths;
		n = realloc(a->paths, nc * sizeof(*a->paths));
		if (!n)
			return -ENOMEM;
		a->paths = n;
		a->cap_paths = nc;
	}
	err = fill_drop(a, o, d, flow, netns, ifindex, &a->paths[a->nr_paths]);
	if (err)
		return err;
	a->nr_paths++;
	return 0;
}

/* the flow of a closed packet: the drop's own bytes, earlier bytes, or its socket */
static void pkt_flow(struct nr_analysis *a, const struct pkt *o, const struct nr_pkt *d,
		     struct nr_flow *f)
{
	if (d && d->snap_len && !an_snap_flow(d, f))
		return;
	if (o->flow.family) {
		*f = o->flow;
		return;
	}
	if ((d && d->sk && tcp_sock_flow(a, d->sk, f)) || (o->sk && tcp_sock_flow(a, o->sk, f))) {
		/* the socket's tuple is local -> remote; a received packet goes the other way */
		if ((d && d->iif) || o->received) {
			struct nr_flow t = *f;

			memcpy(f->src, t.dst, 16);
			memcpy(f->dst, t.src, 16);
			f->sport = t.dport;
			f->dport = t.sport;
		}
		return;
	}
	memset(f, 0, sizeof(*f));
}

static int drop_account(struct nr_analysis *a, struct pkt *o, bool *matched)
{
	const struct nr_pkt *d = o->end_rec;
	struct group_acc *g;
	struct nr_flow flow;
	__u32 netns, ifindex;
	__u64 key;
	int err;

	*matched = false;
	a->res->totals.drops_all++;
	pkt_flow(a, o, d, &flow);
	netns = d->netns ? d->netns : o->netns;
	ifindex = d->ifindex ? d->ifindex : d->iif ? d->iif : o->ifindex;
	/* TCP packets nothing listened for, whatever the filters: refused connects (tcp.c) */
	if (d->reason == a->reason_no_socket && flow.proto == IPPROTO_TCP &&
	    !htab_put(&a->nosock_tcp, &flow, NULL) && a->nosock_tcp.count < NOSOCK_TCP_MAX)
		return -ENOMEM;
	if (!reason_wanted(a, d->reason))
		return 0;
	if (a->opts.netns && netns != a->opts.netns)
		return 0;
	if (a->opts.pkt_match) {
		if (o->match == MATCH_UNKNOWN || d->snap_len)
			o->match = pkt_matches(a, d, &flow) ? MATCH_YES : MATCH_NO;
		if (o->match != MATCH_YES)
			return 0;
	}
	*matched = true;
	a->res->totals.drops++;

	g = group_get(a, d->reason, d->location);
	if (!g)
		return -ENOMEM;
	if (!g->count || d->hdr.ts_ns < g->first_ts)
		g->first_ts = d->hdr.ts_ns;
	if (d->hdr.ts_ns > g->last_ts)
		g->last_ts = d->hdr.ts_ns;
	g->count++;
	g->racc->count++;
	if (!flow.family) {
		g->flows_unknown++;
	} else {
		__u64 *v = htab_put_memo(&g->flows, &g->flows_memo, &flow);

		if (v)
			(*v)++;
		else if (g->flows.count >= GROUP_FLOWS_MAX)
			g->flows_other++;
		else
			return -ENOMEM;
	}
	if (d->stack_id) {
		g->with_stack++;
		key = d->stack_id;
		err = count_in(&g->stacks, &g->stacks_memo, &key);
		if (err)
			return err;
	}
	key = (__u64)netns << 32 | ifindex;
	err = count_in(&g->devs, &g->devs_memo, &key);
	if (err)
		return err;
	{
		__u32 idx = series_index(a, d->hdr.ts_ns);

		a->series[idx]++;
		g->racc->series[idx]++;
	}
	return path_keep(a, o, d, g, &flow, netns, ifindex);
}

/* ---- packet instances ---- */

static void list_del(struct pkt_list *l, struct pkt *o)
{
	if (o->prev)
		o->prev->next = o->next;
	else
		l->first = o->next;
	if (o->next)
		o->next->prev = o->prev;
	else
		l->last = o->prev;
	o->prev = o->next = NULL;
	l->count--;
}

static void list_add_tail(struct pkt_list *l, struct pkt *o)
{
	o->next = NULL;
	o->prev = l->last;
	if (l->last)
		l->last->next = o;
	else
		l->first = o;
	l->last = o;
	l->count++;
}

static struct pkt *pkt_alloc(struct nr_analysis *a)
{
	struct pkt *o = a->pool;
	struct nr_hop *hops;
	struct nr_pkt *drop;
	__u32 cap, dcap;

	if (!o)
		return calloc(1, sizeof(*o));
	a->pool = o->next;
	hops = o->hops;
	cap = o->cap_hops;
	drop = o->drop;
	dcap = o->drop_cap;
	memset(o, 0, sizeof(*o));
	o->hops = hops;
	o->cap_hops = cap;
	o->drop = drop;
	o->drop_cap = dcap;
	return o;
}

static void pkt_release(struct nr_analysis *a, struct pkt *o)
{
	__u32 i;

	if (a->opts.keep_snapshots)
		for (i = 0; i < o->nr_hops; i++)
			free((void *)o->hops[i].snap);
	o->nr_hops = 0;
	o->next = a->pool;
	a->pool = o;
}

static void pkt_free_all(struct pkt *o)
{
	while (o) {
		struct pkt *n = o->next;

		free(o->hops);
		free(o->drop);
		free(o);
		o = n;
	}
}

static void head_unregister(struct nr_analysis *a, struct pkt *o)
{
	struct pkt **owner;

	if (!o->head)
		return;
	owner = htab_get(&a->heads, &o->head);
	if (owner && *owner == o)
		htab_del(&a->heads, &o->head);
}

/* Insert a point in time order (equal times keep arrival order). */
static int hop_insert(struct nr_analysis *a, struct pkt *o, const struct nr_hop *h)
{
	__u32 i;

	if (o->nr_hops >= PATH_MAX_HOPS) {
		/* keep the first points and the last one: the end matters most */
		o->hops_lost++;
		if (h->ts < o->hops[o->nr_hops - 1].ts)
			return 0;
		if (a->opts.keep_snapshots)
			free((void *)o->hops[o->nr_hops - 1].snap);
		o->hops[o->nr_hops - 1] = *h;
		return 0;
	}
	if (o->nr_hops == o->cap_hops) {
		__u32 nc = o->cap_hops ? o->cap_hops * 2 : 4;
		void *n = realloc(o->hops, nc * sizeof(*o->hops));

		if (!n)
			return -ENOMEM;
		o->hops = n;
		o->cap_hops = nc;
	}
	for (i = o->nr_hops; i > 0 && o->hops[i - 1].ts > h->ts; i--)
		o->hops[i] = o->hops[i - 1];
	if (i != o->nr_hops)
		a->res->totals.reordered++;
	o->hops[i] = *h;
	o->nr_hops++;
	if (h->ts < o->first_ts)
		o->first_ts = h->ts;
	if (h->ts > o->last_ts)
		o->last_ts = h->ts;
	return 0;
}

/* a point that arrived after its packet's end: it goes before the ending point */
static int hop_insert_late(struct nr_analysis *a, struct pkt *o, const struct nr_hop *h)
{
	__u32 i;
	int err = hop_insert(a, o, h);

	if (err || (o->hops[o->nr_hops - 1].flags & (NR_HOP_DROP | NR_HOP_FREE)))
		return err;
	for (i = o->nr_hops - 1; i > 0; i--) {
		if (o->hops[i - 1].flags & (NR_HOP_DROP | NR_HOP_FREE)) {
			struct nr_hop end = o->hops[i - 1];

			memmove(&o->hops[i - 1], &o->hops[i], (o->nr_hops - i) * sizeof(*o->hops));
			o->hops[o->nr_hops - 1] = end;
			break;
		}
	}
	return 0;
}

static int make_hop(struct nr_analysis *a, const struct nr_pkt *p, struct nr_hop *h)
{
	memset(h, 0, sizeof(*h));
	h->ts = p->hdr.ts_ns;
	h->skb = p->skb;
	h->head = p->head;
	h->probe = p->probe;
	h->cpu = p->cpu;
	h->netns = p->netns;
	h->ifindex = p->ifindex ? p->ifindex : p->iif;
	h->len = p->len;
	h->snap_len = p->snap_len;
	h->snap_l3 = p->snap_l3;
	h->dev_type = p->dev_type;
	h->protocol_be = p->protocol_be;
	h->pkt_type = p->pkt_type;
	if (p->hdr.flags & NR_RF_SNAP_L2)
		h->flags |= NR_HOP_SNAP_L2;
	if (p->hdr.flags & NR_RF_CLONED)
		h->flags |= NR_HOP_CLONED;
	if (a->opts.keep_snapshots && p->snap_len) {
		void *s = malloc(p->snap_len);

		if (!s)
			return -ENOMEM;
		memcpy(s, p + 1, p->snap_len);
		h->snap = s;
	}
	return 0;
}

/* what one event teaches about its packet besides the point itself */
static void pkt_learn(struct nr_analysis *a, struct pkt *o, const struct nr_pkt *p)
{
	if (p->netns)
		o->netns = p->netns;
	if (p->ifindex || p->iif)
		o->ifindex = p->ifindex ? p->ifindex : p->iif;
	if (p->sk)
		o->sk = p->sk;
	if (p->iif)
		o->received = true;
	if (p->hdr.flags & NR_RF_CLONED)
		o->cloned = true;
	if (p->snap_len && (!o->flow.family || (a->opts.pkt_match && o->match != MATCH_YES))) {
		struct nr_flow f;

		if (!an_snap_flow(p, &f) && !o->flow.family)
			o->flow = f;
		if (a->opts.pkt_match && o->match != MATCH_YES)
			o->match = pkt_matches(a, p, &f) ? MATCH_YES : MATCH_NO;
	}
}

static int finalize(struct nr_analysis *a, struct pkt *o)
{
	struct nr_res_totals *t = &a->res->totals;
	bool matched = false;
	char rbuf[96], lbuf[128];
	int err = 0;

	t->packets++;
	if (o->origin)
		t->clones++;
	switch (o->end) {
	case NR_PKT_DROPPED:
		err = drop_account(a, o, &matched);
		break;
	case NR_PKT_CONSUMED:
		t->consumed++;
		break;
	case NR_PKT_UNSEEN_FREE:
		t->unseen_free++;
		break;
	default:
		t->in_flight++;
		break;
	}
	if (a->opts.on_packet && !err) {
		struct nr_pkt_view v = {
			.id = o->id,
			.origin = o->origin,
			.end = o->end,
			.matched = o->end == NR_PKT_DROPPED ? matched : true,
			.flow = o->flow,
			.nr_hops = o->nr_hops,
			.hops_lost = o->hops_lost,
			.hops = o->hops,
		};

		if (o->end != NR_PKT_DROPPED && a->opts.pkt_match)
			v.matched = o->match == MATCH_YES;
		if (o->end != NR_PKT_DROPPED && a->opts.netns)
			v.matched = v.matched && o->netns == a->opts.netns;
		if (o->end == NR_PKT_DROPPED) {
			v.drop = o->end_rec;
			v.drop_reason = an_enum(a->meta, "skb_drop_reason", o->end_rec->reason, rbuf,
						sizeof(rbuf));
			v.drop_loc = an_sym(a->meta, o->end_rec->location, lbuf, sizeof(lbuf));
			pkt_flow(a, o, o->end_rec, &v.flow);
		}
		a->opts.on_packet(a->opts.on_packet_ctx, &v);
	}
	return err;
}

/* the closed instance leaves the skb map and the closing FIFO */
static int closing_done(struct nr_analysis *a, struct pkt *o)
{
	struct skb_slot *s = htab_get(&a->skbs, &o->skb);
	int err;

	if (s && s->closed == o) {
		s->closed = NULL;
		if (!s->open)
			htab_del(&a->skbs, &o->skb);
	}
	list_del(&a->closing, o);
	err = finalize(a, o);
	pkt_release(a, o);
	return err;
}

static int copy_drop(struct pkt *o, const struct nr_pkt *p)
{
	__u32 sz = (__u32)sizeof(*p) + p->snap_len;

	if (sz > o->drop_cap) {
		void *n = realloc(o->drop, sz);

		if (!n)
			return -ENOMEM;
		o->drop = n;
		o->drop_cap = sz;
	}
	memcpy(o->drop, p, sz);
	o->drop->hdr.size = sz;
	o->drop->stack_id = p->stack_id;
	o->end_rec = o->drop;
	return 0;
}

static struct pkt *pkt_open(struct nr_analysis *a, struct skb_slot *s, const struct nr_pkt *p);

/*
 * Close @o with @end. The points at its tail that belong to the next packet at this
 * address (see the top of the file) move to a new open instance.
 */
static int pkt_close(struct nr_analysis *a, struct pkt *o, __u32 end, const struct nr_pkt *p)
{
	struct skb_slot *s;
	__u32 keep, i;
	int err;

	list_del(&a->open, o);
	head_unregister(a, o);
	o->end = end;
	o->close_ts = p ? p->hdr.ts_ns : o->last_ts;
	o->close_cpu = p ? p->cpu : 0;
	o->closing = true;
	if (end == NR_PKT_DROPPED) {
		err = copy_drop(o, p);
		if (err)
			return err;
	}
	s = htab_get(&a->skbs, &o->skb);
	if (s && s->open == o)
		s->open = NULL;

	/* the ending point is the last one; the points just before it may be the next packet's */
	keep = p ? o->nr_hops - 1 : o->nr_hops;
	if (p && p->head) {
		while (keep > 1) {
			const struct nr_hop *h = &o->hops[keep - 1];

			if (h->cpu == p->cpu || !h->head || h->head == p->head ||
			    h->ts + a->opts.reorder_ns < p->hdr.ts_ns)
				break;
			keep--;
		}
	}
	if (p && keep < o->nr_hops - 1 && s) {
		struct pkt *n = pkt_open(a, s, NULL);
		__u32 moved = o->nr_hops - 1 - keep;

		if (!n)
			return -ENOMEM;
		n->skb = o->skb;
		n->head = o->hops[keep].head;
		n->first_ts = n->last_ts = o->hops[keep].ts;
		for (i = keep; i < o->nr_hops - 1; i++) {
			err = hop_insert(a, n, &o->hops[i]);
			if (err)
				return err;
			a->res->totals.reordered++;
		}
		o->hops[keep] = o->hops[o->nr_hops - 1];
		o->nr_hops -= moved;
		o->last_ts = o->hops[o->nr_hops - 1].ts;
		s = htab_get(&a->skbs, &o->skb);
	}

	if (end == NR_PKT_DROPPED || end == NR_PKT_CONSUMED) {
		/* a previous closed instance at this address is final now */
		if (s && s->closed) {
			err = closing_done(a, s->closed);
			if (err)
				return err;
			s = htab_get(&a->skbs, &o->skb);
		}
		if (s) {
			s->closed = o;
			list_add_tail(&a->closing, o);
			return 0;
		}
	} else if (s && !s->open && !s->closed) {
		htab_del(&a->skbs, &o->skb);
	}
	/* not kept for late events: final now */
	err = finalize(a, o);
	pkt_release(a, o);
	return err;
}

/* a new open instance at slot @s; @p (NULL: filled by the caller) gives its identity */
static struct pkt *pkt_open(struct nr_analysis *a, struct skb_slot *s, const struct nr_pkt *p)
{
	struct pkt *o = pkt_alloc(a);

	if (!o)
		return NULL;
	o->id = ++a->next_pkt_id;
	if (p) {
		o->skb = p->skb;
		o->head = p->head;
		o->first_ts = o->last_ts = p->hdr.ts_ns;
	}
	s->open = o;
	list_add_tail(&a->open, o);
	return o;
}

/*
 * Tie a new instance to the open packet that owns its data, if any; with @reg, @o owns
 * the data when nobody does (a packet that ends at its first event owns nothing).
 */
static int pkt_link_clone(struct nr_analysis *a, struct pkt *o, const struct nr_pkt *p,
			  bool reg)
{
	struct pkt **slot, *owner;
	bool created = false;
	__u32 i;
	int err;

	if (!o->head)
		return 0;
	slot = reg ? htab_put(&a->heads, &o->head, &created) : htab_get(&a->heads, &o->head);
	if (!slot)
		return reg ? -ENOMEM : 0;
	if (created) {
		*slot = o;
		return 0;
	}
	owner = *slot;
	if (owner == o || owner->skb == o->skb || owner->closing)
		return 0;
	if (!(p->hdr.flags & NR_RF_CLONED) && !owner->cloned)
		return 0;
	o->origin = owner->origin ? owner->origin : owner->id;
	for (i = 0; i < owner->nr_hops; i++) {
		struct nr_hop h = owner->hops[i];

		h.flags |= NR_HOP_INHERITED;
		if (h.snap) {
			void *c = malloc(h.snap_len);

			if (!c)
				return -ENOMEM;
			memcpy(c, h.snap, h.snap_len);
			h.snap = c;
		}
		err = hop_insert(a, o, &h);
		if (err)
			return err;
	}
	o->hops_lost += owner->hops_lost;
	if (!o->flow.family)
		o->flow = owner->flow;
	o->match = owner->match;
	return 0;
}

/* is @p an event of the closed instance @c that arrived after its free? */
static bool late_for(const struct nr_analysis *a, const struct pkt *c, const struct nr_pkt *p)
{
	if (p->hdr.flags & NR_RF_FIRST_SIGHT)
		return false;
	if (p->hdr.ts_ns > c->close_ts + a->opts.reorder_ns)
		return false;
	if (p->cpu == c->close_cpu)
		return false;
	return !p->head || !c->drop_head || p->head == c->drop_head;
}

/* a drop or free of an skb no other point of the file saw: no instance to keep */
static int pkt_single(struct nr_analysis *a, const struct nr_pkt *p, enum probe_kind kind)
{
	struct pkt *o = a->scratch;
	struct nr_hop h;
	__u32 i;
	int err;

	if (!o) {
		o = a->scratch = calloc(1, sizeof(*o));
		if (!o)
			return -ENOMEM;
	}
	o->id = ++a->next_pkt_id;
	o->origin = 0;
	o->skb = p->skb;
	o->head = p->head;
	o->sk = p->sk;
	o->first_ts = o->last_ts = o->close_ts = p->hdr.ts_ns;
	o->netns = p->netns;
	o->ifindex = p->ifindex ? p->ifindex : p->iif;
	o->match = MATCH_UNKNOWN;
	memset(&o->flow, 0, sizeof(o->flow));
	o->nr_hops = 0;
	o->hops_lost = 0;
	if (a->has_paths) {
		err = pkt_link_clone(a, o, p, false);
		if (err)
			return err;
	}
	err = make_hop(a, p, &h);
	if (err)
		return err;
	h.flags |= kind == PK_DROP ? NR_HOP_DROP : NR_HOP_FREE;
	err = hop_insert(a, o, &h);
	if (err)
		return err;
	/* finalised right away: the record itself serves, no copy */
	o->end = kind == PK_DROP ? NR_PKT_DROPPED : NR_PKT_CONSUMED;
	o->end_rec = p;
	err = finalize(a, o);
	o->end_rec = NULL;
	if (a->opts.keep_snapshots)
		for (i = 0; i < o->nr_hops; i++)
			free((void *)o->hops[i].snap);
	o->nr_hops = 0;
	return err;
}

static int pkt_event(struct nr_analysis *a, const struct nr_pkt *p)
{
	enum probe_kind kind = probe_kind(a, p->probe);
	struct skb_slot *s;
	struct pkt *o;
	struct nr_hop h;
	bool created;
	int err;

	if (kind == PK_DROP && p->reason == a->reason_consumed)
		kind = PK_FREE;
	if (kind != PK_DROP && kind != PK_FREE)
		kind = PK_PATH;

	/*
	 * A drop or free of an address no open packet has, and no packet closed within the
	 * grace period: its whole life is this event (in a storm, every event), so it skips
	 * the map. Clones are still tied to the packet owning their data.
	 */
	if (!p->skb || kind != PK_PATH) {
		if (kind == PK_PATH)
			return 0;
		s = p->skb ? htab_get(&a->skbs, &p->skb) : NULL;
		if (!s)
			return pkt_single(a, p, kind);
	}

	s = htab_put(&a->skbs, &p->skb, &created);
	if (!s)
		return -ENOMEM;
	o = s->open;
	if (o && (p->hdr.flags & NR_RF_FIRST_SIGHT)) {
		/* the recorder says this is a new skb: the old one's free went unseen */
		err = pkt_close(a, o, NR_PKT_UNSEEN_FREE, NULL);
		if (err)
			return err;
		s = htab_put(&a->skbs, &p->skb, NULL);
		if (!s)
			return -ENOMEM;
		o = NULL;
	}
	if (!o && s->closed && late_for(a, s->closed, p)) {
		struct pkt *c = s->closed;

		if (kind != PK_PATH)
			return 0;	/* a second end of a closed packet: nothing to add */
		err = make_hop(a, p, &h);
		if (err)
			return err;
		a->res->totals.reordered++;
		return hop_insert_late(a, c, &h);
	}
	if (!o) {
		o = pkt_open(a, s, p);
		if (!o)
			return -ENOMEM;
		err = pkt_link_clone(a, o, p, true);
		if (err)
			return err;
	} else {
		list_del(&a->open, o);
		list_add_tail(&a->open, o);
		if (p->head && p->head != o->head) {
			/* the data moved (pskb_expand_head, ...): follow it */
			head_unregister(a, o);
			o->head = p->head;
			err = pkt_link_clone(a, o, p, true);
			if (err)
				return err;
		}
	}
	err = make_hop(a, p, &h);
	if (err)
		return err;
	if (kind == PK_DROP)
		h.flags |= NR_HOP_DROP;
	else if (kind == PK_FREE)
		h.flags |= NR_HOP_FREE;
	err = hop_insert(a, o, &h);
	if (err)
		return err;
	pkt_learn(a, o, p);
	if (kind == PK_PATH)
		return 0;
	o->drop_head = p->head;
	return pkt_close(a, o, kind == PK_DROP ? NR_PKT_DROPPED : NR_PKT_CONSUMED, p);
}

/* finalise what the grace period released and close idle packets */
static int expire(struct nr_analysis *a, __u64 now)
{
	int err;

	while (a->closing.first && a->closing.first->close_ts + a->opts.reorder_ns < now) {
		err = closing_done(a, a->closing.first);
		if (err)
			return err;
	}
	while (a->open.first && (a->open.count > a->opts.max_open ||
				 a->open.first->last_ts + a->opts.idle_ns < now)) {
		err = pkt_close(a, a->open.first, NR_PKT_UNSEEN_FREE, NULL);
		if (err)
			return err;
	}
	return 0;
}

/* ---- counters and control events ---- */

struct cnt_key {
	__u32 cpu;
	__u16 probe;
	__u16 kind;
};

static int counter_event(struct nr_analysis *a, const struct nr_counter *c)
{
	struct cnt_key k = { .cpu = c->cpu, .probe = c->probe, .kind = c->kind };
	__u64 *v = htab_put(&a->counters, &k, NULL);

	if (!v)
		return -ENOMEM;
	*v = c->value;	/* cumulative: the last sample is the total */
	return 0;
}

static int ctl_event(struct nr_analysis *a, const struct nr_ctl *c)
{
	struct nr_res_coverage *cov = &a->res->cov;
	struct nr_res_ctl *e;
	__u32 len = c->text_len;
	char *text;

	if (c->kind == NR_CTL_PAUSE && !a->pause_ts) {
		a->pause_ts = c->hdr.ts_ns;
	} else if (c->kind == NR_CTL_RESUME && a->pause_ts) {
		cov->paused_ns += c->hdr.ts_ns - a->pause_ts;
		a->pause_ts = 0;
	}
	if (c->kind != NR_CTL_PAUSE && c->kind != NR_CTL_RESUME && c->kind != NR_CTL_MARK &&
	    c->kind != NR_CTL_STOP)
		return 0;
	if (cov->nr_ctl >= CTL_MAX) {
		cov->ctl_not_kept++;
		return 0;
	}
	if (!cov->ctl) {
		cov->ctl = arena_calloc(a->ar, CTL_MAX, sizeof(*cov->ctl));
		if (!cov->ctl)
			return -ENOMEM;
	}
	if (sizeof(*c) + len > c->hdr.size)
		len = c->hdr.size > sizeof(*c) ? c->hdr.size - (__u32)sizeof(*c) : 0;
	text = arena_alloc(a->ar, len + 1);
	if (!text)
		return -ENOMEM;
	memcpy(text, c + 1, len);
	e = &cov->ctl[cov->nr_ctl++];
	e->ts = c->hdr.ts_ns;
	e->kind = c->kind;
	e->text = text;
	return 0;
}

/* ---- the public API ---- */

int nr_analysis__new(const struct nr_meta *meta, const struct nr_analysis_opts *opts,
		     struct nr_analysis **ret)
{
	struct nr_analysis *a;
	__u32 i, max_id = 0;
	int err = -ENOMEM;

	if (!meta || !ret || (opts && opts->sz < offsetof(struct nr_analysis_opts, since_ns)))
		return -EINVAL;
	a = calloc(1, sizeof(*a));
	if (!a)
		return -ENOMEM;
	a->meta = meta;
	if (opts)
		memcpy(&a->opts, opts, opts->sz < sizeof(*opts) ? opts->sz : sizeof(*opts));
	a->opts.sz = sizeof(a->opts);
	if (a->opts.nr_reasons > NR_ANALYSIS_MAX_REASONS)
		goto fail_inval;
	if (!a->opts.reorder_ns)
		a->opts.reorder_ns = DEF_REORDER_NS;
	if (!a->opts.idle_ns)
		a->opts.idle_ns = DEF_IDLE_NS;
	if (!a->opts.max_open)
		a->opts.max_open = DEF_MAX_OPEN;
	if (!a->opts.max_conns)
		a->opts.max_conns = DEF_MAX_CONNS;

	a->ar = arena_new();
	if (!a->ar)
		goto fail;
	a->res = arena_alloc(a->ar, sizeof(*a->res));
	if (!a->res)
		goto fail;
	a->res->meta = meta;

	for (i = 0; i < meta->nr_probes; i++)
		if (meta->probes[i].id > max_id)
			max_id = meta->probes[i].id;
	a->nr_kinds = meta->nr_probes ? max_id + 1 : 0;
	a->kinds = calloc(a->nr_kinds ? a->nr_kinds : 1, 1);
	if (!a->kinds)
		goto fail;
	for (i = 0; i < meta->nr_probes; i++) {
		const struct nr_probe_outcome *po = &meta->probes[i];
		enum probe_kind k = classify_probe(po->name);

		a->kinds[po->id] = (__u8)k;
		if (k == PK_PATH && po->status == NR_PROBE_ATTACHED)
			a->has_paths = true;
	}
	/* a file without a probe table cannot say; assume it may hold paths */
	if (!meta->nr_probes)
		a->has_paths = true;
	a->res->has_paths = a->has_paths;
	a->reason_consumed = (__u32)an_enum_value(meta, "skb_drop_reason", "SKB_CONSUMED", -1);
	a->reason_no_socket = (__u32)an_enum_value(meta, "skb_drop_reason",
						   "SKB_DROP_REASON_NO_SOCKET", -1);

	htab_init(&a->skbs, sizeof(__u64), sizeof(struct skb_slot), 0);
	htab_init(&a->heads, sizeof(__u64), sizeof(struct pkt *), 0);
	htab_init(&a->groups, sizeof(struct group_key), sizeof(struct group_acc *), 0);
	htab_init(&a->reasons, sizeof(__u64), sizeof(struct reason_acc *), 0);
	htab_init(&a->counters, sizeof(struct cnt_key), sizeof(__u64), 0);
	htab_init(&a->nosock_tcp, sizeof(struct nr_flow), 0, NOSOCK_TCP_MAX);
	a->interval_ns = widths[0];
	err = tcp_init(a);
	if (err)
		goto fail;
	*ret = a;
	return 0;
fail_inval:
	err = -EINVAL;
fail:
	nr_analysis__free(a);
	return err;
}

int nr_analysis__add(struct nr_analysis *a, const struct nr_rec_hdr *rec)
{
	struct nr_res_totals *t = &a->res->totals;
	__u64 ts = rec->ts_ns;
	int err = 0;

	if (!a->seen_any) {
		a->seen_any = true;
		if (a->opts.window_relative) {
			a->opts.since_ns += ts;
			if (a->opts.until_ns)
				a->opts.until_ns += ts;
		}
	}
	if (rec->type == NR_REC_COUNTER) {
		/* cumulative samples: the last one counts, whatever the time window */
		t->by_type[NR_REC_COUNTER]++;
		if (rec->size < sizeof(struct nr_counter))
			return 0;
		return counter_event(a, (const struct nr_counter *)rec);
	}
	if (ts < a->opts.since_ns || (a->opts.until_ns && ts > a->opts.until_ns))
		return 0;
	t->events++;
	if (!a->first_ts || ts < a->first_ts) {
		if (!a->first_ts)
			a->series_start = ts;
		a->first_ts = ts;
	}
	if (ts > a->last_ts)
		a->last_ts = ts;
	if (rec->type < __NR_REC_MAX)
		t->by_type[rec->type]++;
	else
		t->unknown_type++;
	/* what the grace period released is final before anything later is looked at */
	err = expire(a, a->last_ts);
	if (err)
		return err;

	switch (rec->type) {
	case NR_REC_PKT:
		if (rec->size >= sizeof(struct nr_pkt) &&
		    rec->size >= sizeof(struct nr_pkt) + ((const struct nr_pkt *)rec)->snap_len)
			err = pkt_event(a, (const struct nr_pkt *)rec);
		break;
	case NR_REC_SOCK:
		if (rec->size >= sizeof(struct nr_sock)) {
			const struct nr_sock *s = (const struct nr_sock *)rec;

			err = tcp_add(a, s, probe_kind(a, s->probe));
		}
		break;
	case NR_REC_CTL:
		if (rec->size >= sizeof(struct nr_ctl))
			err = ctl_event(a, (const struct nr_ctl *)rec);
		break;
	default:
		break;
	}
	return err;
}

/* ---- the result ---- */

static int cmp_u64_desc(__u64 a, __u64 b)
{
	return a < b ? 1 : a > b ? -1 : 0;
}

static int cmp_flow(const void *x, const void *y)
{
	const struct nr_res_flow *a = x, *b = y;
	int c = cmp_u64_desc(a->count, b->count);

	return c ? c : memcmp(&a->flow, &b->flow, sizeof(a->flow));
}

/*
 * The flows of @h (struct nr_flow -> count), busiest first, at most @cap of them; the
 * drops of the flows left out are added to *other.
 */
static int flows_list(struct arena *ar, const struct htab *h, __u32 cap,
		      struct nr_res_flow **ret, __u32 *nr, __u64 *other)
{
	struct nr_res_flow *all;
	size_t i, n = 0;

	*ret = NULL;
	*nr = 0;
	if (!h->count)
		return 0;
	all = malloc(h->count * sizeof(*all));
	if (!all)
		return -ENOMEM;
	for (i = 0; i < htab_capacity(h); i++) {
		const struct nr_flow *k = htab_slot_key(h, i);

		if (!k)
			continue;
		all[n].flow = *k;
		all[n].count = *(const __u64 *)htab_slot_val(h, i);
		n++;
	}
	qsort(all, n, sizeof(*all), cmp_flow);
	*nr = n < cap ? (__u32)n : cap;
	for (i = *nr; i < n; i++)
		*other += all[i].count;
	*ret = arena_calloc(ar, *nr, sizeof(**ret));
	if (*ret)
		memcpy(*ret, all, *nr * sizeof(**ret));
	free(all);
	return *ret ? 0 : -ENOMEM;
}

static int merge_counts(struct htab *dst, const struct htab *src)
{
	size_t i;

	for (i = 0; i < htab_capacity(src); i++) {
		const void *k = htab_slot_key(src, i);
		__u64 *v;

		if (!k)
			continue;
		v = htab_put(dst, k, NULL);
		if (!v)
			return -ENOMEM;
		*v += *(const __u64 *)htab_slot_val(src, i);
	}
	return 0;
}

const char *nr_result__netns_name(const struct nr_result *r, __u32 inode)
{
	const struct nr_netns *ns = inode ? nr_meta__netns(r->meta, inode) : NULL;

	return ns ? ns->name : NULL;
}

static const char *ifname(const struct nr_meta *m, __u32 netns, __u32 ifindex)
{
	const struct nr_iface *i = ifindex ? nr_meta__iface(m, netns, ifindex) : NULL;

	return i ? i->name : NULL;
}

static int cmp_dev(const void *x, const void *y)
{
	const struct nr_res_dev *a = x, *b = y;
	int c = cmp_u64_desc(a->count, b->count);

	if (c)
		return c;
	if (a->netns != b->netns)
		return a->netns < b->netns ? -1 : 1;
	return a->ifindex < b->ifindex ? -1 : a->ifindex > b->ifindex;
}

/* @h: netns << 32 | ifindex -> count; @by_netns: fold devices into their namespace */
static int devs_list(struct nr_analysis *a, const struct htab *h, bool by_netns, __u32 cap,
		     struct nr_res_dev **ret, __u32 *nr)
{
	struct htab tmp;
	struct nr_res_dev *all;
	size_t i, n = 0;
	int err;

	*ret = NULL;
	*nr = 0;
	htab_init(&tmp, sizeof(__u64), sizeof(__u64), 0);
	for (i = 0; i < htab_capacity(h); i++) {
		const __u64 *k = htab_slot_key(h, i);
		__u64 key, *v;

		if (!k)
			continue;
		key = by_netns ? *k >> 32 << 32 : *k;
		v = htab_put(&tmp, &key, NULL);
		if (!v) {
			htab_fini(&tmp);
			return -ENOMEM;
		}
		*v += *(const __u64 *)htab_slot_val(h, i);
	}
	all = calloc(tmp.count ? tmp.count : 1, sizeof(*all));
	if (!all) {
		htab_fini(&tmp);
		return -ENOMEM;
	}
	for (i = 0; i < htab_capacity(&tmp); i++) {
		const __u64 *k = htab_slot_key(&tmp, i);

		if (!k)
			continue;
		all[n].netns = (__u32)(*k >> 32);
		all[n].ifindex = (__u32)*k;
		all[n].count = *(const __u64 *)htab_slot_val(&tmp, i);
		n++;
	}
	htab_fini(&tmp);
	qsort(all, n, sizeof(*all), cmp_dev);
	*nr = n < cap ? (__u32)n : cap;
	*ret = arena_calloc(a->ar, *nr ? *nr : 1, sizeof(**ret));
	err = *ret ? 0 : -ENOMEM;
	for (i = 0; !err && i < *nr; i++) {
		(*ret)[i] = all[i];
		(*ret)[i].netns_name = nr_result__netns_name(a->res, all[i].netns);
		(*ret)[i].ifname = ifname(a->meta, all[i].netns, all[i].ifindex);
	}
	free(all);
	return err;
}

static int cmp_stack(const void *x, const void *y)
{
	const struct nr_res_stack *a = x, *b = y;
	int c = cmp_u64_desc(a->count, b->count);

	return c ? c : a->id < b->id ? -1 : a->id > b->id;
}

static int cmp_stack_ref(const void *x, const void *y)
{
	const struct nr_res_stack_ref *a = x, *b = y;
	int c = cmp_u64_desc(a->count, b->count);

	return c ? c : a->stack->id < b->stack->id ? -1 : a->stack->id > b->stack->id;
}

static int build_stacks(struct nr_analysis *a, struct htab *all)
{
	struct nr_result *r = a->res;
	size_t i, n = 0;
	__u32 j;

	r->stacks = arena_calloc(a->ar, all->count ? all->count : 1, sizeof(*r->stacks));
	if (!r->stacks)
		return -ENOMEM;
	for (i = 0; i < htab_capacity(all); i++) {
		const __u64 *k = htab_slot_key(all, i);
		const struct nr_stack *st;
		struct nr_res_stack *rs;

		if (!k)
			continue;
		rs = &r->stacks[n++];
		rs->id = (__u32)*k;
		rs->count = *(const __u64 *)htab_slot_val(all, i);
		st = nr_meta__stack(a->meta, rs->id);
		rs->nr_frames = st ? st->nr : 0;
		rs->frames = arena_calloc(a->ar, rs->nr_frames ? rs->nr_frames : 1, sizeof(char *));
		if (!rs->frames)
			return -ENOMEM;
		for (j = 0; j < rs->nr_frames; j++) {
			char buf[160];

			rs->frames[j] = arena_strdup(a->ar, an_sym(a->meta, st->ip[j], buf,
								   sizeof(buf)));
			if (!rs->frames[j])
				return -ENOMEM;
		}
	}
	r->nr_stacks = (__u32)n;
	qsort(r->stacks, n, sizeof(*r->stacks), cmp_stack);
	return 0;
}

static const struct nr_res_stack *stack_by_id(const struct nr_result *r, __u32 id)
{
	__u32 i;

	for (i = 0; i < r->nr_stacks; i++)
		if (r->stacks[i].id == id)
			return &r->stacks[i];
	return NULL;
}

static int cmp_group(const void *x, const void *y)
{
	const struct nr_res_group *a = x, *b = y;
	int c = cmp_u64_desc(a->count, b->count);

	if (c)
		return c;
	c = strcmp(a->location_str, b->location_str);
	if (c)
		return c;
	return a->location < b->location ? -1 : a->location > b->location;
}

static int cmp_reason(const void *x, const void *y)
{
	const struct nr_res_reason *a = x, *b = y;
	int c = cmp_u64_desc(a->count, b->count);

	if (c)
		return c;
	c = strcmp(a->name, b->name);
	return c ? c : a->reason < b->reason ? -1 : a->reason > b->reason;
}

static int name_drop(struct nr_analysis *a, struct nr_res_drop *d)
{
	char buf[160];

	d->reason_name = an_enum_name(a, "skb_drop_reason", d->reason);
	d->location_str = arena_strdup(a->ar, an_sym(a->meta, d->location, buf, sizeof(buf)));
	d->ifname = ifname(a->meta, d->netns, d->ifindex);
	return d->reason_name && d->location_str ? 0 : -ENOMEM;
}

static int build_group(struct nr_analysis *a, const struct group_acc *g, struct nr_res_group *rg)
{
	char buf[160];
	size_t i, n = 0;
	int err;

	rg->reason = g->key.reason;
	rg->reason_name = an_enum_name(a, "skb_drop_reason", g->key.reason);
	rg->location = g->key.location;
	rg->location_str = arena_strdup(a->ar, an_sym(a->meta, g->key.location, buf,
						      sizeof(buf)));
	if (!rg->reason_name || !rg->location_str)
		return -ENOMEM;
	rg->count = g->count;
	rg->first_ts = g->first_ts;
	rg->last_ts = g->last_ts;
	rg->with_stack = g->with_stack;
	if (g->example) {
		err = name_drop(a, g->example);
		if (err)
			return err;
		rg->example = g->example;
	}
	rg->flows_other = g->flows_other;
	rg->flows_unknown = g->flows_unknown;
	err = flows_list(a->ar, &g->flows, RES_FLOWS_GROUP, &rg->flows, &rg->nr_flows,
			 &rg->flows_other);
	if (err)
		return err;
	rg->stacks = arena_calloc(a->ar, g->stacks.count ? g->stacks.count : 1,
				  sizeof(*rg->stacks));
	if (!rg->stacks)
		return -ENOMEM;
	for (i = 0; i < htab_capacity(&g->stacks); i++) {
		const __u64 *k = htab_slot_key(&g->stacks, i);

		if (!k)
			continue;
		rg->stacks[n].stack = stack_by_id(a->res, (__u32)*k);
		rg->stacks[n].count = *(const __u64 *)htab_slot_val(&g->stacks, i);
		if (rg->stacks[n].stack)
			n++;
	}
	rg->nr_stacks = (__u32)n;
	qsort(rg->stacks, n, sizeof(*rg->stacks), cmp_stack_ref);
	return devs_list(a, &g->devs, false, RES_DEVS, &rg->devs, &rg->nr_devs);
}

static int build_drops(struct nr_analysis *a)
{
	struct nr_result *r = a->res;
	struct htab all_flows, all_stacks, all_devs;
	struct group_acc **gs = NULL;
	size_t i, n = 0, j;
	int err = -ENOMEM;

	htab_init(&all_flows, sizeof(struct nr_flow), sizeof(__u64), 0);
	htab_init(&all_stacks, sizeof(__u64), sizeof(__u64), 0);
	htab_init(&all_devs, sizeof(__u64), sizeof(__u64), 0);

	/* the series must reach the end of the trace, not only the last drop */
	if (a->last_ts)
		series_index(a, a->last_ts);
	r->interval_ns = a->interval_ns;
	r->series_start_ns = a->series_start;
	r->nr_intervals = a->nr_intervals;
	r->series = arena_calloc(a->ar, a->nr_intervals ? a->nr_intervals : 1, sizeof(__u64));
	if (!r->series)
		goto out;
	memcpy(r->series, a->series, a->nr_intervals * sizeof(__u64));

	gs = calloc(a->groups.count ? a->groups.count : 1, sizeof(*gs));
	if (!gs)
		goto out;
	for (i = 0; i < htab_capacity(&a->groups); i++) {
		struct group_acc **g = htab_slot_val(&a->groups, i);

		if (!g)
			continue;
		gs[n++] = *g;
		if (merge_counts(&all_stacks, &(*g)->stacks) ||
		    merge_counts(&all_flows, &(*g)->flows) || merge_counts(&all_devs, &(*g)->devs))
			goto out;
		r->flows_other += (*g)->flows_other;
		r->flows_unknown += (*g)->flows_unknown;
		r->drops_without_stack += (*g)->count - (*g)->with_stack;
	}
	err = build_stacks(a, &all_stacks);
	if (!err)
		err = flows_list(a->ar, &all_flows, RES_FLOWS_ALL, &r->flows, &r->nr_flows,
				 &r->flows_other);
	if (!err)
		err = devs_list(a, &all_devs, false, RES_DEVS, &r->devs, &r->nr_devs);
	if (!err)
		err = devs_list(a, &all_devs, true, RES_DEVS, &r->netns, &r->nr_netns);
	if (err)
		goto out;

	err = -ENOMEM;
	r->reasons = arena_calloc(a->ar, a->reasons.count ? a->reasons.count : 1,
				  sizeof(*r->reasons));
	if (!r->reasons)
		goto out;
	for (i = 0; i < htab_capacity(&a->reasons); i++) {
		struct reason_acc **ra = htab_slot_val(&a->reasons, i);
		struct nr_res_reason *rr;
		struct htab rflows, rdevs;
		__u32 ng = 0;

		if (!ra)
			continue;
		rr = &r->reasons[r->nr_reasons++];
		rr->reason = (*ra)->reason;
		rr->name = an_enum_name(a, "skb_drop_reason", rr->reason);
		rr->count = (*ra)->count;
		rr->series = arena_calloc(a->ar, a->nr_intervals ? a->nr_intervals : 1,
					  sizeof(__u64));
		if (!rr->name || !rr->series)
			goto out;
		memcpy(rr->series, (*ra)->series, a->nr_intervals * sizeof(__u64));
		for (j = 0; j < n; j++)
			ng += gs[j]->racc == *ra;
		rr->groups = arena_calloc(a->ar, ng ? ng : 1, sizeof(*rr->groups));
		if (!rr->groups)
			goto out;
		htab_init(&rflows, sizeof(struct nr_flow), sizeof(__u64), 0);
		htab_init(&rdevs, sizeof(__u64), sizeof(__u64), 0);
		for (j = 0; j < n; j++) {
			if (gs[j]->racc != *ra)
				continue;
			err = build_group(a, gs[j], &rr->groups[rr->nr_groups++]);
			if (!err)
				err = merge_counts(&rflows, &gs[j]->flows);
			if (!err)
				err = merge_counts(&rdevs, &gs[j]->devs);
			if (err)
				break;
			rr->flows_other += gs[j]->flows_other;
			rr->flows_unknown += gs[j]->flows_unknown;
		}
		if (!err)
			err = flows_list(a->ar, &rflows, RES_FLOWS_GROUP, &rr->flows, &rr->nr_flows,
					 &rr->flows_other);
		if (!err)
			err = devs_list(a, &rdevs, false, RES_DEVS, &rr->devs, &rr->nr_devs);
		htab_fini(&rflows);
		htab_fini(&rdevs);
		if (err)
			goto out;
		qsort(rr->groups, rr->nr_groups, sizeof(*rr->groups), cmp_group);
	}
	qsort(r->reasons, r->nr_reasons, sizeof(*r->reasons), cmp_reason);
	for (i = 0; i < r->nr_reasons; i++) {
		err = nr_diagnose(a->ar, r, &r->reasons[i]);
		if (err)
			goto out;
	}

	/* the kept paths */
	r->drops = arena_calloc(a->ar, a->nr_paths ? a->nr_paths : 1, sizeof(*r->drops));
	if (!r->drops) {
		err = -ENOMEM;
		goto out;
	}
	for (i = 0; i < a->nr_paths; i++) {
		r->drops[i] = a->paths[i];
		err = name_drop(a, &r->drops[i]);
		if (err)
			goto out;
	}
	r->nr_drops = a->nr_paths;
	err = 0;
out:
	free(gs);
	htab_fini(&all_flows);
	htab_fini(&all_stacks);
	htab_fini(&all_devs);
	return err;
}

/* what each probe answers, for "this file cannot answer ..." */
static const struct {
	const char *probe;	/* exact name, or a prefix ending in ':' */
	const char *answers;
} probe_answers[] = {
	{ "skb:kfree_skb", "which packets were dropped, where and why" },
	{ "skb:consume_skb", "which packets were freed normally (and so where paths end)" },
	{ "sock:inet_sock_set_state", "how TCP connections changed state" },
	{ "tcp:tcp_retransmit_skb", "which TCP segments were retransmitted" },
	{ "tcp:tcp_send_reset", "which resets this host sent, and why" },
	{ "tcp:tcp_receive_reset", "which resets this host received" },
	{ "tcp:tcp_probe", "TCP congestion window and RTT along connections" },
	{ "sock:sock_rcvqueue_full", "which sockets ran out of receive buffer" },
	{ "net:netif_receive_skb", "where received packets entered the stack" },
	{ "net:net_dev_start_xmit", "where packets left through a device" },
	{ "net:net_dev_xmit", "whether devices accepted the packets they were given" },
	{ "net:net_dev_queue", "which packets were queued for transmission" },
	{ "net:napi_gro_receive_entry", "which packets the driver handed to GRO" },
	{ "qdisc:", "what the queueing disciplines did" },
	{ "fib:", "which IPv4 routes were looked up and found" },
	{ "fib6:", "which IPv6 routes were looked up and found" },
	{ "neigh:", "how neighbour (ARP/ND) resolution went" },
	{ "kprobe:", "the path through this kernel function" },
	{ "fentry:", "the path through this kernel function" },
	{ NULL, NULL },
};

static const char *cannot_answer(const char *name)
{
	size_t i;

	for (i = 0; name && probe_answers[i].probe; i++) {
		const char *p = probe_answers[i].probe;
		size_t l = strlen(p);

		if (p[l - 1] == ':' ? !strncmp(name, p, l) : !strcmp(name, p))
			return probe_answers[i].answers;
	}
	return NULL;
}

static int cmp_cpu(const void *x, const void *y)
{
	const struct nr_res_cpu *a = x, *b = y;

	return a->cpu < b->cpu ? -1 : a->cpu > b->cpu;
}

static int build_coverage(struct nr_analysis *a)
{
	struct nr_res_coverage *c = &a->res->cov;
	const struct nr_meta *m = a->meta;
	struct htab per_cpu;		/* (kind, probe) with per-CPU samples */
	struct htab lost_cpu;		/* cpu -> lost */
	size_t i;
	__u32 n = 0;
	int err = 0;

	htab_init(&per_cpu, sizeof(__u64), sizeof(__u64), 0);
	htab_init(&lost_cpu, sizeof(__u64), sizeof(__u64), 0);
	for (i = 0; i < htab_capacity(&a->counters); i++) {
		const struct cnt_key *k = htab_slot_key(&a->counters, i);
		__u64 kp;

		if (!k || k->cpu == NR_CPU_ALL)
			continue;
		kp = (__u64)k->kind << 16 | k->probe;
		if (!htab_put(&per_cpu, &kp, NULL)) {
			err = -ENOMEM;
			goto out;
		}
	}
	for (i = 0; i < htab_capacity(&a->counters); i++) {
		const struct cnt_key *k = htab_slot_key(&a->counters, i);
		__u64 v, kp, *slot = NULL;

		if (!k)
			continue;
		v = *(const __u64 *)htab_slot_val(&a->counters, i);
		kp = (__u64)k->kind << 16 | k->probe;
		/* a total over all CPUs only counts where no per-CPU samples exist */
		if (k->cpu == NR_CPU_ALL && htab_get(&per_cpu, &kp))
			continue;
		switch (k->kind) {
		case NR_CNT_LOST:
			slot = &c->lost;
			if (k->cpu != NR_CPU_ALL && v) {
				__u64 cpu = k->cpu, *l = htab_put(&lost_cpu, &cpu, NULL);

				if (!l) {
					err = -ENOMEM;
					goto out;
				}
				*l += v;
			}
			break;
		case NR_CNT_FILTERED: slot = &c->filtered; break;
		case NR_CNT_RATE_LIMITED: slot = &c->rate_limited; break;
		case NR_CNT_STACK_SKIPPED: slot = &c->stack_skipped; break;
		case NR_CNT_PAUSED: slot = &c->paused; break;
		case NR_CNT_USER_DROP: slot = &c->user_drop; break;
		case NR_CNT_PCAP_RECV: slot = &c->pcap_recv; break;
		case NR_CNT_PCAP_DROP: slot = &c->pcap_drop; break;
		case NR_CNT_PCAP_IFDROP: slot = &c->pcap_ifdrop; break;
		default: break;
		}
		if (slot)
			*slot += v;
	}
	/* records the recorder read but could not store are lost as well */
	a->res->totals.lost = c->lost + c->user_drop;
	c->lost_cpus = arena_calloc(a->ar, lost_cpu.count ? lost_cpu.count : 1,
				    sizeof(*c->lost_cpus));
	if (!c->lost_cpus) {
		err = -ENOMEM;
		goto out;
	}
	for (i = 0; i < htab_capacity(&lost_cpu); i++) {
		const __u64 *k = htab_slot_key(&lost_cpu, i);

		if (!k)
			continue;
		c->lost_cpus[c->nr_lost_cpus].cpu = (__u32)*k;
		c->lost_cpus[c->nr_lost_cpus].value = *(const __u64 *)htab_slot_val(&lost_cpu, i);
		c->nr_lost_cpus++;
	}
	qsort(c->lost_cpus, c->nr_lost_cpus, sizeof(*c->lost_cpus), cmp_cpu);
	if (a->pause_ts && a->last_ts > a->pause_ts)
		c->paused_ns += a->last_ts - a->pause_ts;

	for (i = 0; i < m->nr_probes; i++)
		n += m->probes[i].status != NR_PROBE_ATTACHED;
	c->probes = arena_calloc(a->ar, n ? n : 1, sizeof(*c->probes));
	if (!c->probes) {
		err = -ENOMEM;
		goto out;
	}
	for (i = 0; i < m->nr_probes; i++) {
		const struct nr_probe_outcome *po = &m->probes[i];
		struct nr_res_probe *rp;

		if (po->status == NR_PROBE_ATTACHED)
			continue;
		rp = &c->probes[c->nr_probes++];
		rp->id = po->id;
		rp->status = po->status;
		rp->err = po->err;
		rp->name = po->name;
		rp->msg = po->msg;
		rp->cannot_answer = cannot_answer(po->name);
	}
out:
	htab_fini(&per_cpu);
	htab_fini(&lost_cpu);
	return err;
}

void nr_analysis__set_packet_ctx(struct nr_analysis *a, void *ctx)
{
	a->opts.on_packet_ctx = ctx;
}

int nr_analysis__finish(struct nr_analysis *a, struct nr_result **ret)
{
	struct nr_result *r = a->res;
	int err;

	if (!r)
		return -EINVAL;
	while (a->open.first) {
		err = pkt_close(a, a->open.first, NR_PKT_IN_FLIGHT, NULL);
		if (err)
			return err;
	}
	while (a->closing.first) {
		err = closing_done(a, a->closing.first);
		if (err)
			return err;
	}
	err = tcp_finish(a);
	if (err)
		return err;
	r->first_ts = a->first_ts;
	r->last_ts = a->last_ts;
	err = build_drops(a);
	if (!err)
		err = build_coverage(a);
	if (err)
		return err;
	r->arena = a->ar;
	a->ar = NULL;
	a->res = NULL;
	*ret = r;
	return 0;
}

void nr_analysis__free(struct nr_analysis *a)
{
	size_t i;

	if (!a)
		return;
	while (a->open.first) {
		struct pkt *o = a->open.first;

		list_del(&a->open, o);
		pkt_release(a, o);
	}
	while (a->closing.first) {
		struct pkt *o = a->closing.first;

		list_del(&a->closing, o);
		pkt_release(a, o);
	}
	pkt_free_all(a->pool);
	pkt_free_all(a->scratch);
	for (i = 0; i < htab_capacity(&a->groups); i++) {
		struct group_acc **g = htab_slot_val(&a->groups, i);

		if (!g)
			continue;
		htab_fini(&(*g)->flows);
		htab_fini(&(*g)->stacks);
		htab_fini(&(*g)->devs);
		free(*g);
	}
	for (i = 0; i < htab_capacity(&a->reasons); i++) {
		struct reason_acc **ra = htab_slot_val(&a->reasons, i);

		if (ra)
			free(*ra);
	}
	htab_fini(&a->groups);
	htab_fini(&a->reasons);
	htab_fini(&a->skbs);
	htab_fini(&a->heads);
	htab_fini(&a->counters);
	htab_fini(&a->nosock_tcp);
	tcp_free(a);
	free(a->paths);
	free(a->kinds);
	arena_free(a->ar);
	free(a);
}

void nr_result__free(struct nr_result *r)
{
	if (r)
		arena_free(r->arena);
}

/* how connections end: the text report's words and the JSON keys */
static const struct {
	const char *name;
	const char *key;
} conn_ends[__NR_CONN_END_MAX] = {
	[NR_CONN_OPEN] = { "open", "open" },
	[NR_CONN_CLOSED] = { "closed", "closed" },
	[NR_CONN_RESET_RECV] = { "reset by peer", "reset_by_peer" },
	[NR_CONN_RESET_SENT] = { "reset sent", "reset_sent" },
	[NR_CONN_REFUSED] = { "refused", "refused" },
	[NR_CONN_CONNECT_FAILED] = { "connect failed", "connect_failed" },
	[NR_CONN_HANDSHAKE_ABORTED] = { "handshake aborted", "handshake_aborted" },
	[NR_CONN_LISTENER] = { "listener closed", "listener_closed" },
	[NR_CONN_REUSED] = { "socket reused", "socket_reused" },
};

const char *nr_res_conn_end_name(__u32 end)
{
	return end < __NR_CONN_END_MAX && conn_ends[end].name ? conn_ends[end].name : "unknown";
}

const char *nr_res_conn_end_key(__u32 end)
{
	return end < __NR_CONN_END_MAX && conn_ends[end].key ? conn_ends[end].key : "unknown";
}

const char *nr_flow_str(const struct nr_flow *f, char *buf, size_t size)
{
	char s[64], d[64], pn[16];
	const char *proto = nr_decode_ipproto_name(f->proto);

	if (!f->family) {
		snprintf(buf, size, "unknown flow");
		return buf;
	}
	if (!proto) {
		snprintf(pn, sizeof(pn), "proto%u", f->proto);
		proto = pn;
	}
	if (f->proto == IPPROTO_TCP || f->proto == IPPROTO_UDP || f->proto == IPPROTO_SCTP) {
		snprintf(buf, size, "%s %s -> %s", proto,
			 nr_decode_endpoint(f->family, f->src, f->sport, s, sizeof(s)),
			 nr_decode_endpoint(f->family, f->dst, f->dport, d, sizeof(d)));
		return buf;
	}
	nr_decode_addr(f->family, f->src, s, sizeof(s));
	nr_decode_addr(f->family, f->dst, d, sizeof(d));
	if (f->proto == IPPROTO_ICMP || f->proto == IPPROTO_ICMPV6)
		snprintf(buf, size, "%s %s -> %s type %u code %u", proto, s, d, f->sport, f->dport);
	else
		snprintf(buf, size, "%s %s -> %s", proto, s, d);
	return buf;
}
