// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * neigh.bpf.c - the neighbour tables (ARP, NDISC): neigh:neigh_create, neigh_update,
 * neigh_update_done, neigh_timer_handler, neigh_event_send_done, neigh_event_send_dead,
 * neigh_cleanup_and_release
 *
 * Filters: netns, ifindex, and the pcap hook on an IP header whose destination is the
 * neighbour's address (`host X` keeps the entry for X). The tracefs records name the
 * device only by name and carry no neighbour pointer: the classic tracepoint form has
 * neither ifindex nor netns.
 */
#include "netrec.bpf.h"

#define NR_ENOBUFS	105

static __always_inline bool neigh_match(const struct nr_neigh *g)
{
	__u8 none[16] = {};

	if (cfg_netns && g->netns != cfg_netns)
		return false;
	if (!nr_if_match(g->netns, g->ifindex, g->ifindex))
		return false;
	if (cfg_filter && (g->family != NR_AF_INET && g->family != NR_AF_INET6))
		return false;
	if (cfg_filter && !nr_pcap_tuple(g->family, 0, none, g->key, 0, 0))
		return false;
	return true;
}

/* filters, gate, then the record: @g (on the stack) copied into the ring buffer */
static __always_inline int neigh_emit(__u16 probe, struct nr_probe_stats *st, struct nr_neigh *g)
{
	struct nr_neigh *e;
	__u64 now;

	if (!neigh_match(g)) {
		st->filtered++;
		return 0;
	}
	if (!nr_gate(st, probe, &now))
		return 0;
	e = nr_reserve(st, sizeof(*e));
	if (!e)
		return 0;
	__builtin_memcpy(e, g, sizeof(*e));
	e->pid = nr_pid();
	e->probe = probe;
	e->cpu = bpf_get_smp_processor_id();
	e->hdr.type = NR_REC_NEIGH;
	e->hdr.flags = 0;
	e->hdr.size = sizeof(*e);	/* no stack: struct nr_neigh has no stack_id */
	e->hdr.ts_ns = now;
	nr_submit(e, now);
	return 0;
}

/* The table's family and key of @n or @tbl/@pkey; the device's netns, ifindex, lladdr
 * length. */
static __always_inline void neigh_where(bool btf, struct nr_neigh *g, const struct neigh_table *tbl,
					const struct net_device *dev, const void *pkey)
{
	__u32 klen;

	if (tbl) {
		g->family = NR_RD(btf, tbl, family);
		klen = NR_RD(btf, tbl, key_len);
		if (pkey)
			bpf_probe_read_kernel(g->key, klen > 16 ? 16 : klen & 31, pkey);
	}
	if (dev) {
		__u8 alen = NR_RD(btf, dev, addr_len);

		g->netns = nr_dev_netns(btf, dev);
		g->ifindex = NR_RD(btf, dev, ifindex);
		g->lladdr_len = alen > 32 ? 32 : alen;
	}
}

struct neigh_args {
	__u64 lladdr;		/* neigh_update: the new link-layer address, or 0 */
	__u32 flags;
	__s32 err;
	__u16 new_state;
};

static __always_inline int neigh_ev(bool btf, __u16 probe, const struct neighbour *n,
				    const struct neigh_args *a)
{
	struct nr_probe_stats *st = nr_hit(probe);
	struct nr_neigh g = {};

	if (!st)
		return 0;
	if (!n) {
		st->filtered++;
		return 0;
	}
	g.neigh = (__u64)n;
	neigh_where(btf, &g, NR_RD(btf, n, tbl), NR_RD(btf, n, dev), &n->primary_key);
	g.nud_state = NR_RD(btf, n, nud_state);
	g.new_state = a->new_state;
	g.flags = a->flags;
	g.err = a->err;
	if (a->lladdr)
		bpf_probe_read_kernel(g.lladdr, g.lladdr_len & 31, (const void *)a->lladdr);
	else
		bpf_core_read(g.lladdr, sizeof(g.lladdr), &n->ha);
	return neigh_emit(probe, st, &g);
}

/* neigh:neigh_create(tbl, dev, pkey, n, exempt_from_gc); fires before the key is in
 * @n, and with n NULL when the table refused a new entry (err = -ENOBUFS) */
static __always_inline int create(bool btf, const struct neigh_table *tbl,
				  const struct net_device *dev, const void *pkey,
				  const struct neighbour *n, bool exempt)
{
	struct nr_probe_stats *st = nr_hit(NR_P_NEIGH_CREATE);
	struct nr_neigh g = {};

	if (!st)
		return 0;
	g.neigh = (__u64)n;
	neigh_where(btf, &g, tbl, dev, pkey);
	g.err = n ? 0 : -NR_ENOBUFS;
	g.flags = exempt;
	return neigh_emit(NR_P_NEIGH_CREATE, st, &g);
}

static __always_inline int create_args(__u64 *ctx, bool btf)
{
	/* pkey is read through a probe read for tp_btf: see nr_arg_probed() */
	return create(btf, (struct neigh_table *)nr_arg(ctx, 0),
		      (struct net_device *)nr_arg(ctx, 1),
		      (void *)(btf ? nr_arg_probed(ctx, 2) : nr_arg(ctx, 2)),
		      (struct neighbour *)nr_arg(ctx, 3), nr_arg(ctx, 4));
}

NR_BTF_RAW_PROGS(nei_create, neigh_create, create_args)

SEC("tp/neigh/neigh_create")
int nei_create_tp(struct trace_event_raw_neigh_create *r)
{
	struct nr_probe_stats *st = nr_hit(NR_P_NEIGH_CREATE);
	struct nr_neigh g = {};

	if (!st)
		return 0;
	g.family = r->family;
	if (g.family == NR_AF_INET6)
		NR_TP_COPY(g.key, r, primary_key6, 16);
	else
		NR_TP_COPY(g.key, r, primary_key4, 4);
	g.err = r->created ? 0 : -NR_ENOBUFS;
	g.flags = r->gc_exempt;
	return neigh_emit(NR_P_NEIGH_CREATE, st, &g);
}

/* neigh:neigh_update(n, lladdr, new, flags, nlmsg_pid) */
static __always_inline int update(bool btf, const struct neighbour *n, __u64 lladdr, __u8 new,
				  __u32 flags)
{
	struct neigh_args a = { .lladdr = lladdr, .flags = flags, .new_state = new };

	return neigh_ev(btf, NR_P_NEIGH_UPDATE, n, &a);
}

static __always_inline int update_args(__u64 *ctx, bool btf)
{
	return update(btf, (struct neighbour *)nr_arg(ctx, 0), nr_arg(ctx, 1), (__u8)nr_arg(ctx, 2),
		      (__u32)nr_arg(ctx, 3));
}

NR_BTF_RAW_PROGS(nei_update, neigh_update, update_args)

/* the fields every neigh__update-style tracefs record has */
#define NR_NEIGH_TP_COMMON(g, r)						\
	do {									\
		(g).family = (r)->family;					\
		if ((g).family == NR_AF_INET6)					\
			NR_TP_COPY((g).key, r, primary_key6, 16);		\
		else								\
			NR_TP_COPY((g).key, r, primary_key4, 4);		\
		(g).nud_state = (r)->nud_state;					\
		(g).lladdr_len = (r)->lladdr_len > 32 ? 32 : (r)->lladdr_len;	\
		NR_TP_COPY((g).lladdr, r, lladdr, 32);				\
	} while (0)

SEC("tp/neigh/neigh_update")
int nei_update_tp(struct trace_event_raw_neigh_update *r)
{
	struct nr_probe_stats *st = nr_hit(NR_P_NEIGH_UPDATE);
	struct nr_neigh g = {};

	if (!st)
		return 0;
	NR_NEIGH_TP_COMMON(g, r);
	g.new_state = r->new_state;
	g.flags = r->update_flags;
	{
		__u8 nl[32];

		NR_TP_COPY(nl, r, new_lladdr, 32);
		if (nl[0] | nl[1] | nl[2] | nl[3] | nl[4] | nl[5])
			__builtin_memcpy(g.lladdr, nl, 32);
	}
	return neigh_emit(NR_P_NEIGH_UPDATE, st, &g);
}

/* the (n, err) events */
#define NR_NEIGH_ERR_POINT(stem, event, probe)						\
	static __always_inline int stem##_args(__u64 *ctx, bool btf)			\
	{										\
		struct neigh_args a = { .err = (int)nr_arg(ctx, 1) };			\
											\
		return neigh_ev(btf, probe, (struct neighbour *)nr_arg(ctx, 0), &a);	\
	}										\
											\
	NR_BTF_RAW_PROGS(stem, event, stem##_args)					\
											\
	SEC("tp/neigh/" #event)								\
	int stem##_tp(struct trace_event_raw_neigh__update *r)				\
	{										\
		struct nr_probe_stats *st = nr_hit(probe);				\
		struct nr_neigh g = {};							\
											\
		if (!st)								\
			return 0;							\
		NR_NEIGH_TP_COMMON(g, r);						\
		g.err = (__s32)r->err;							\
		return neigh_emit(probe, st, &g);					\
	}

NR_NEIGH_ERR_POINT(nei_updone, neigh_update_done, NR_P_NEIGH_UPDATE_DONE)
NR_NEIGH_ERR_POINT(nei_timer, neigh_timer_handler, NR_P_NEIGH_TIMER_HANDLER)
NR_NEIGH_ERR_POINT(nei_sddone, neigh_event_send_done, NR_P_NEIGH_EVENT_SEND_DONE)
NR_NEIGH_ERR_POINT(nei_sddead, neigh_event_send_dead, NR_P_NEIGH_EVENT_SEND_DEAD)
NR_NEIGH_ERR_POINT(nei_clean, neigh_cleanup_and_release, NR_P_NEIGH_CLEANUP_AND_RELEASE)
