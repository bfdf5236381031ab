// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * fib.bpf.c - route lookups and their results: fib:fib_table_lookup (IPv4),
 * fib6:fib6_table_lookup (IPv6)
 *
 * Filters: netns, ifindex (the flow's output or input interface, or the nexthop's), and
 * the pcap hook on a header built from the flow (addresses, protocol, ports). The IPv4
 * tracepoint names no namespace: its netns is the nexthop device's, unknown (0) when
 * the lookup found nothing, and such events do not pass a --netns filter.
 */
#include "netrec.bpf.h"

#define NR_RTN_BROADCAST	3	/* uapi rtnetlink route types */
#define NR_RTN_BLACKHOLE	6
#define NR_RTN_UNREACHABLE	7
#define NR_RTN_PROHIBIT		8
#define NR_RTN_THROW		9
#define NR_RTN_NAT		10
#define NR_RTN_XRESOLVE		11

/* the error an IPv6 lookup result means, as the kernel's fib6 tracepoint reports it */
static __always_inline __s32 rt6_type_err(__u8 type)
{
	switch (type) {
	case NR_RTN_UNREACHABLE:
		return -113;	/* -EHOSTUNREACH */
	case NR_RTN_PROHIBIT:
		return -13;	/* -EACCES */
	case NR_RTN_THROW:
		return -11;	/* -EAGAIN */
	case NR_RTN_BROADCAST:
	case NR_RTN_BLACKHOLE:
	case NR_RTN_NAT:
	case NR_RTN_XRESOLVE:
		return -22;	/* -EINVAL */
	default:
		return 0;
	}
}

static __always_inline bool fib_match(const struct nr_fib *f)
{
	if (cfg_netns && f->netns != cfg_netns)
		return false;
	if (!nr_if_match(f->netns, f->oif, f->iif) &&
	    !nr_if_match(f->netns, f->nh_ifindex, f->nh_ifindex))
		return false;
	if (cfg_filter && !nr_pcap_tuple(f->family, f->proto, f->src, f->dst, f->sport,
					   f->dport))
		return false;
	return true;
}

/* filters, gate, then the record: @f (on the stack) copied into the ring buffer */
static __always_inline int fib_emit(void *ctx, __u16 probe, struct nr_probe_stats *st,
				    struct nr_fib *f)
{
	__u16 rflags = 0;
	struct nr_fib *e;
	__u64 now;
	bool stack;

	if (!fib_match(f)) {
		st->filtered++;
		return 0;
	}
	if (!nr_gate(st, probe, &now))
		return 0;
	stack = nr_want_stack(st, probe, false, 0, (__u32)f->err, now, &rflags);
	e = nr_reserve_rec(st, sizeof(*e), stack);
	if (!e)
		return 0;
	__builtin_memcpy(e, f, sizeof(*e));
	e->pid = nr_pid();
	e->probe = probe;
	e->cpu = bpf_get_smp_processor_id();
	nr_finish(ctx, e, sizeof(*e), stack, &e->stack_id, NR_REC_FIB, rflags, now);
	return 0;
}

static __always_inline void flow_ports(struct nr_fib *f, __be16 sport, __be16 dport)
{
	if (f->proto == NR_IPPROTO_TCP || f->proto == NR_IPPROTO_UDP) {
		f->sport = bpf_ntohs(sport);
		f->dport = bpf_ntohs(dport);
	}
}

/* the nexthop's device and gateway, either family */
static __always_inline void fib_nexthop(bool btf, struct nr_fib *f, const struct fib_nh_common *nhc)
{
	const struct net_device *dev;
	__u8 gwf;

	if (!nhc)
		return;
	dev = NR_RD(btf, nhc, nhc_dev);
	if (dev) {
		f->nh_ifindex = NR_RD(btf, dev, ifindex);
		if (!f->netns)
			f->netns = nr_dev_netns(btf, dev);
	}
	gwf = NR_RD(btf, nhc, nhc_gw_family);
	if (gwf == NR_AF_INET)
		bpf_core_read(f->gw, 4, &nhc->nhc_gw.ipv4);
	else if (gwf == NR_AF_INET6)
		bpf_core_read(f->gw, 16, &nhc->nhc_gw.ipv6);
}

/* fib:fib_table_lookup(tb_id, flp, nhc, err) */
static __always_inline int fib4(void *ctx, bool btf, __u32 tb_id, const struct flowi4 *flp,
				const struct fib_nh_common *nhc, int err)
{
	struct nr_probe_stats *st = nr_hit(NR_P_FIB_TABLE_LOOKUP);
	struct nr_fib f = {};

	if (!st)
		return 0;
	f.family = NR_AF_INET;
	f.tb_id = tb_id;
	f.err = err;
	if (flp) {
		f.oif = NR_RD(btf, flp, __fl_common.flowic_oif);
		f.iif = NR_RD(btf, flp, __fl_common.flowic_iif);
		f.proto = NR_RD(btf, flp, __fl_common.flowic_proto);
		f.scope = NR_RD(btf, flp, __fl_common.flowic_scope);
		f.tos = nr_flowi_tos(&flp->__fl_common);
		bpf_core_read(f.src, 4, &flp->saddr);
		bpf_core_read(f.dst, 4, &flp->daddr);
		flow_ports(&f, NR_RD(btf, flp, uli.ports.sport), NR_RD(btf, flp, uli.ports.dport));
	}
	fib_nexthop(btf, &f, nhc);
	return fib_emit(ctx, NR_P_FIB_TABLE_LOOKUP, st, &f);
}

static __always_inline int fib4_args(__u64 *ctx, bool btf)
{
	return fib4(ctx, btf, (__u32)nr_arg(ctx, 0), (struct flowi4 *)nr_arg(ctx, 1),
		    (struct fib_nh_common *)nr_arg(ctx, 2), (int)nr_arg(ctx, 3));
}

NR_BTF_RAW_PROGS(fib_lookup, fib_table_lookup, fib4_args)

/* what both tracefs records have, under the same names (ports already in host order) */
#define NR_FIB_TP_COMMON(f, r)						\
	do {								\
		(f).tb_id = (r)->tb_id;					\
		(f).err = (r)->err;					\
		(f).oif = (__u32)(r)->oif;				\
		(f).iif = (__u32)(r)->iif;				\
		(f).proto = (r)->proto;					\
		(f).tos = (r)->tos;					\
		(f).scope = (r)->scope;					\
		(f).sport = (r)->sport;					\
		(f).dport = (r)->dport;					\
	} while (0)

/* The tracefs record: the flow and the result, the device by name only (no netns). */
SEC("tp/fib/fib_table_lookup")
int fib_lookup_tp(struct trace_event_raw_fib_table_lookup *r)
{
	struct nr_probe_stats *st = nr_hit(NR_P_FIB_TABLE_LOOKUP);
	struct nr_fib f = {};

	if (!st)
		return 0;
	f.family = NR_AF_INET;
	NR_FIB_TP_COMMON(f, r);
	NR_TP_COPY(f.src, r, src, 4);
	NR_TP_COPY(f.dst, r, dst, 4);
	NR_TP_COPY(f.gw, r, gw4, 4);
	if (!(f.gw[0] | f.gw[1] | f.gw[2] | f.gw[3]))
		NR_TP_COPY(f.gw, r, gw6, 16);
	return fib_emit(r, NR_P_FIB_TABLE_LOOKUP, st, &f);
}

/* fib6:fib6_table_lookup(net, res, table, flp) */
static __always_inline int fib6(void *ctx, bool btf, const struct net *net,
				const struct fib6_result *res, const struct fib6_table *table,
				const struct flowi6 *flp)
{
	struct nr_probe_stats *st = nr_hit(NR_P_FIB6_TABLE_LOOKUP);
	struct nr_fib f = {};

	if (!st)
		return 0;
	f.family = NR_AF_INET6;
	f.netns = nr_net_inum(btf, net);
	f.tb_id = table ? NR_RD(btf, table, tb6_id) : 0;
	if (res) {
		const struct fib6_nh *nh = NR_RD(btf, res, nh);

		f.rt_type = NR_RD(btf, res, fib6_type);
		f.err = rt6_type_err(f.rt_type);
		if (nh)
			fib_nexthop(btf, &f, &nh->nh_common);
	}
	if (flp) {
		__u32 label = bpf_ntohl(NR_RD(btf, flp, flowlabel));

		f.oif = NR_RD(btf, flp, __fl_common.flowic_oif);
		f.iif = NR_RD(btf, flp, __fl_common.flowic_iif);
		f.proto = NR_RD(btf, flp, __fl_common.flowic_proto);
		f.scope = NR_RD(btf, flp, __fl_common.flowic_scope);
		f.tos = (label >> 20) & 0xff;	/* traffic class */
		bpf_core_read(f.src, 16, &flp->saddr);
		bpf_core_read(f.dst, 16, &flp->daddr);
		flow_ports(&f, NR_RD(btf, flp, uli.ports.sport), NR_RD(btf, flp, uli.ports.dport));
	}
	return fib_emit(ctx, NR_P_FIB6_TABLE_LOOKUP, st, &f);
}

static __always_inline int fib6_args(__u64 *ctx, bool btf)
{
	return fib6(ctx, btf, (struct net *)nr_arg(ctx, 0), (struct fib6_result *)nr_arg(ctx, 1),
		    (struct fib6_table *)nr_arg(ctx, 2), (struct flowi6 *)nr_arg(ctx, 3));
}

NR_BTF_RAW_PROGS(fib6_lookup, fib6_table_lookup, fib6_args)

SEC("tp/fib6/fib6_table_lookup")
int fib6_lookup_tp(struct trace_event_raw_fib6_table_lookup *r)
{
	struct nr_probe_stats *st = nr_hit(NR_P_FIB6_TABLE_LOOKUP);
	struct nr_fib f = {};

	if (!st)
		return 0;
	f.family = NR_AF_INET6;
	NR_FIB_TP_COMMON(f, r);
	f.rt_type = r->rt_type;
	NR_TP_COPY(f.src, r, src, 16);
	NR_TP_COPY(f.dst, r, dst, 16);
	NR_TP_COPY(f.gw, r, gw, 16);
	return fib_emit(r, NR_P_FIB6_TABLE_LOOKUP, st, &f);
}
