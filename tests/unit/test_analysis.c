// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_analysis.c - the analysis library on synthetic record streams: packet instances
 * (paths, address reuse, clones, out-of-order events across CPUs), drop attribution and
 * aggregation, drops without snapshot, TCP timelines, counters and coverage, filters.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "check.h"
#include "report.h"
#include "analyze_synth.h"

#define MS	1000000ULL
#define US	1000ULL
#define T0	1000000000ULL	/* event time of the clock reference */

static struct nr_meta meta;
static union synth_rec rec;

static struct nr_analysis *start(const struct nr_analysis_opts *o)
{
	struct nr_analysis_opts def = { .sz = sizeof(def), .max_paths = 100 };
	struct nr_analysis *a = NULL;

	CHECK_EQ(nr_analysis__new(&meta, o ? o : &def, &a), 0, "nr_analysis__new");
	return a;
}

static void add(struct nr_analysis *a, const struct nr_rec_hdr *h)
{
	CHECK_EQ(nr_analysis__add(a, h), 0, "nr_analysis__add");
}

static void add_pkt(struct nr_analysis *a, struct pkt_args p)
{
	add(a, synth_pkt(&rec, &p));
}

static void add_sock(struct nr_analysis *a, struct sock_args s)
{
	add(a, synth_sock(&rec, &s));
}

static struct nr_result *finish(struct nr_analysis *a)
{
	struct nr_result *r = NULL;

	CHECK_EQ(nr_analysis__finish(a, &r), 0, "nr_analysis__finish");
	nr_analysis__free(a);
	return r;
}

static const struct nr_res_reason *reason(const struct nr_result *r, const char *name)
{
	__u32 i;

	for (i = 0; i < r->nr_reasons; i++)
		if (!strcmp(r->reasons[i].name, name))
			return &r->reasons[i];
	return NULL;
}

static void drop(struct nr_analysis *a, __u64 ts, __u64 skb, __u32 reason_val, __u64 loc,
		 __u32 stack, const struct nr_flow *f, __u32 netns, __u32 ifindex)
{
	add_pkt(a, (struct pkt_args){ .ts = ts, .probe = P_KFREE, .skb = skb, .head = skb + 1,
				      .location = loc, .reason = reason_val, .stack_id = stack,
				      .netns = netns, .ifindex = ifindex, .flow = f });
}

/* drops only: groups, counts, flows, stacks, devices, diagnosis, series */
static void test_drops_only(void)
{
	struct nr_flow a1 = synth_flow(IPPROTO_UDP, "10.0.0.1", 4000, "10.0.0.2", 9);
	struct nr_flow a2 = synth_flow(IPPROTO_UDP, "10.0.0.1", 4001, "10.0.0.2", 9);
	struct nr_flow b = synth_flow(IPPROTO_TCP, "10.0.0.3", 5555, "10.0.0.2", 22);
	struct nr_analysis *an;
	struct nr_result *r;
	const struct nr_res_reason *rr;
	const struct nr_res_group *g;
	char buf[160];
	int i;

	check_start("drops_only");
	an = start(NULL);
	for (i = 0; i < 6; i++)
		drop(an, T0 + (__u64)i * MS, 0x1000 + (__u64)i * 0x100, 3, SYM_UDP4_LIB_RCV + 0x5ae,
		     i < 5 ? 1 : 3, i < 4 ? &a1 : &a2, NS1, 3);
	for (i = 0; i < 2; i++)
		drop(an, T0 + 10 * MS + (__u64)i * MS, 0x9000, 12, SYM_NF_HOOK_SLOW + 0x8a, 2, &b,
		     NS2, 4);
	r = finish(an);

	CHECK_EQ(r->totals.events, 8, "events");
	CHECK_EQ(r->totals.drops, 8, "drops");
	CHECK_EQ(r->totals.packets, 8, "packets");
	CHECK_EQ(r->nr_reasons, 2, "reasons");
	CHECK_STR(r->reasons[0].name, "NO_SOCKET", "busiest reason first");
	CHECK_EQ(r->reasons[0].count, 6, "NO_SOCKET count");
	CHECK_STR(r->reasons[1].name, "NETFILTER_DROP", "second reason");
	rr = &r->reasons[0];
	CHECK_EQ(rr->nr_groups, 1, "one location");
	g = &rr->groups[0];
	CHECK_STR(g->location_str, "__udp4_lib_rcv+0x5ae", "location");
	CHECK_EQ(g->nr_flows, 2, "flows");
	CHECK_STR(nr_flow_str(&g->flows[0].flow, buf, sizeof(buf)),
		  "udp 10.0.0.1:4000 -> 10.0.0.2:9", "top flow");
	CHECK_EQ(g->flows[0].count, 4, "top flow count");
	CHECK_EQ(g->flows[1].count, 2, "second flow count");
	CHECK_EQ(g->nr_stacks, 2, "stacks");
	CHECK_EQ(g->stacks[0].stack->id, 1, "top stack id");
	CHECK_EQ(g->stacks[0].count, 5, "top stack count");
	CHECK_STR(g->stacks[0].stack->frames[1], "__udp4_lib_rcv+0x5ae", "frame symbolized");
	CHECK_STR(g->stacks[1].stack->frames[2], "0xffffffffc0001234", "unknown frame address");
	CHECK_EQ(g->nr_devs, 1, "devices");
	CHECK_STR(g->devs[0].ifname, "veth1", "interface name from the table");
	CHECK_STR(g->devs[0].netns_name, "ns1", "netns name");
	CHECK_STR(rr->diag_what, "no socket was listening on udp 10.0.0.2:9 in netns ns1: 6 packets",
		  "NO_SOCKET diagnosis");
	CHECK_STR(rr->diag_check, "start the service or fix its address/port; `ss -lntup` in netns "
		  "ns1 lists what listens", "NO_SOCKET check");
	rr = &r->reasons[1];
	CHECK_STR(rr->diag_what, "a netfilter rule dropped 2 packets of tcp 10.0.0.3:5555 -> "
		  "10.0.0.2:22 at the INPUT hook (nftables) in netns 4026532302",
		  "NETFILTER_DROP names the hook from the stack");
	CHECK_STR(rr->diag_check, "list the rules with `nft list ruleset` (or `iptables-save`) in "
		  "netns 4026532302 and find the drop or reject that matches this flow",
		  "NETFILTER_DROP check");
	/* 12 ms of drops at 1 ms intervals */
	CHECK_EQ(r->interval_ns, MS, "interval");
	CHECK_EQ(r->nr_intervals, 12, "intervals");
	CHECK_EQ(r->series[0], 1, "series[0]");
	CHECK_EQ(r->series[10], 1, "series[10]");
	CHECK_EQ(r->nr_flows, 3, "all flows");
	CHECK_EQ(r->nr_stacks, 3, "all stacks");
	CHECK_EQ(r->nr_netns, 2, "netns aggregation");
	CHECK_EQ(r->netns[0].netns, NS1, "busiest netns");
	CHECK_EQ(r->netns[0].count, 6, "busiest netns count");
	CHECK(!r->has_paths == false, "the probe table has path probes");
	nr_result__free(r);
}

/* full paths, address reuse, hop times */
static void test_paths_and_reuse(void)
{
	struct nr_flow f = synth_flow(IPPROTO_UDP, "10.0.0.1", 4000, "10.0.0.2", 9);
	struct nr_analysis *an;
	struct nr_result *r;
	const struct nr_res_drop *d;

	check_start("paths_and_reuse");
	an = start(NULL);
	/* packet 1 at skb 0xA000: received, ip_rcv, dropped */
	add_pkt(an, (struct pkt_args){ .ts = T0, .probe = P_RCV, .cpu = 0, .skb = 0xA000,
				       .head = 0xB000, .netns = NS1, .ifindex = 3, .flow = &f });
	add_pkt(an, (struct pkt_args){ .ts = T0 + 3 * US, .probe = P_IPRCV, .cpu = 0,
				       .skb = 0xA000, .head = 0xB000, .netns = NS1, .ifindex = 3 });
	add_pkt(an, (struct pkt_args){ .ts = T0 + 10 * US, .probe = P_KFREE, .cpu = 0,
				       .skb = 0xA000, .head = 0xB000, .location = SYM_UDP4_LIB_RCV + 0x5ae,
				       .reason = 3, .netns = NS1 });
	/* packet 2 reuses the address 1 ms later and is consumed */
	add_pkt(an, (struct pkt_args){ .ts = T0 + MS, .probe = P_RCV, .cpu = 1, .skb = 0xA000,
				       .head = 0xC000, .netns = NS1, .ifindex = 3, .flow = &f });
	add_pkt(an, (struct pkt_args){ .ts = T0 + 2 * MS, .probe = P_CONSUME, .cpu = 1,
				       .skb = 0xA000, .head = 0xC000 });
	/* packet 3 is still in flight at the end */
	add_pkt(an, (struct pkt_args){ .ts = T0 + 3 * MS, .probe = P_RCV, .skb = 0xD000,
				       .head = 0xE000, .netns = NS1, .ifindex = 3 });
	r = finish(an);

	CHECK_EQ(r->totals.packets, 3, "packet instances");
	CHECK_EQ(r->totals.drops, 1, "drops");
	CHECK_EQ(r->totals.consumed, 1, "consumed");
	CHECK_EQ(r->totals.in_flight, 1, "in flight");
	CHECK_EQ(r->nr_drops, 1, "kept paths");
	d = &r->drops[0];
	CHECK_EQ(d->id, 1, "first packet");
	CHECK_EQ(d->nr_hops, 3, "path length");
	CHECK_EQ(d->hops[0].probe, P_RCV, "hop 0");
	CHECK_EQ(d->hops[1].probe, P_IPRCV, "hop 1");
	CHECK_EQ(d->hops[1].ts - d->hops[0].ts, 3 * US, "time between hops");
	CHECK_EQ(d->hops[2].flags & NR_HOP_DROP, NR_HOP_DROP, "drop point last");
	CHECK_EQ(d->ifindex, 3, "drop without device takes the path's device");
	CHECK_STR(d->ifname, "veth1", "its name");
	CHECK_STR(nr_flow_str(&d->flow, (char[128]){ 0 }, 128), "udp 10.0.0.1:4000 -> 10.0.0.2:9",
		  "flow from an earlier snapshot");
	CHECK(r->reasons[0].groups[0].example != NULL, "group example path");
	nr_result__free(r);
}

/* a clone shares head with its origin and inherits the path so far */
static void test_clones(void)
{
	struct nr_flow f = synth_flow(IPPROTO_TCP, "10.0.0.1", 40000, "10.0.0.2", 80);
	struct nr_analysis *an;
	struct nr_result *r;
	const struct nr_res_drop *d;

	check_start("clones");
	an = start(NULL);
	add_pkt(an, (struct pkt_args){ .ts = T0, .probe = P_XMIT, .skb = 0x1000, .head = 0x5000,
				       .netns = NS1, .ifindex = 3, .flow = &f });
	add_pkt(an, (struct pkt_args){ .ts = T0 + 5 * US, .probe = P_XMIT, .skb = 0x2000,
				       .head = 0x5000, .netns = NS1, .ifindex = 3,
				       .flags = NR_RF_CLONED });
	add_pkt(an, (struct pkt_args){ .ts = T0 + 9 * US, .probe = P_KFREE, .skb = 0x2000,
				       .head = 0x5000, .reason = 64, .location = SYM_TCP_V4_RCV + 4,
				       .netns = NS1, .ifindex = 3 });
	/* a second clone whose only event is its drop */
	add_pkt(an, (struct pkt_args){ .ts = T0 + 15 * US, .probe = P_KFREE, .skb = 0x3000,
				       .head = 0x5000, .reason = 64, .location = SYM_TCP_V4_RCV + 4,
				       .netns = NS1, .ifindex = 3, .flags = NR_RF_CLONED });
	add_pkt(an, (struct pkt_args){ .ts = T0 + 20 * US, .probe = P_CONSUME, .skb = 0x1000,
				       .head = 0x5000 });
	r = finish(an);
	CHECK_EQ(r->totals.packets, 3, "instances");
	CHECK_EQ(r->totals.clones, 2, "clones");
	CHECK_EQ(r->nr_drops, 2, "both clones dropped");
	CHECK_EQ(r->drops[1].origin, 1, "the second clone's origin");
	CHECK_EQ(r->drops[1].nr_hops, 2, "its inherited point and its drop");
	CHECK_EQ(r->totals.consumed, 1, "origin consumed");
	d = &r->drops[0];
	CHECK_EQ(d->id, 2, "clone is packet 2");
	CHECK_EQ(d->origin, 1, "origin is packet 1");
	CHECK_EQ(d->nr_hops, 3, "inherited + own points");
	CHECK_EQ(d->hops[0].flags & NR_HOP_INHERITED, NR_HOP_INHERITED, "inherited point");
	CHECK_EQ(d->hops[1].flags & NR_HOP_INHERITED, 0, "own point");
	CHECK_STR(d->reason_name, "QDISC_DROP", "reason");
	CHECK_EQ(d->flow.dport, 80, "flow inherited from the origin");
	nr_result__free(r);
}

/* events of one skb on two CPUs whose timestamps contradict causality */
static void test_out_of_order(void)
{
	struct nr_analysis *an;
	struct nr_result *r;
	const struct nr_res_drop *d;

	check_start("out_of_order");
	an = start(NULL);
	/* (a) a point of the packet arrives after its drop, same time, other CPU, same head */
	add_pkt(an, (struct pkt_args){ .ts = T0, .probe = P_RCV, .cpu = 0, .skb = 0xA000,
				       .head = 0xB000, .netns = NS1, .ifindex = 3 });
	add_pkt(an, (struct pkt_args){ .ts = T0 + 2 * US, .probe = P_KFREE, .cpu = 0,
				       .skb = 0xA000, .head = 0xB000, .reason = 3,
				       .location = SYM_UDP4_LIB_RCV + 0x5ae });
	add_pkt(an, (struct pkt_args){ .ts = T0 + 2 * US, .probe = P_IPRCV, .cpu = 1,
				       .skb = 0xA000, .head = 0xB000, .netns = NS1, .ifindex = 3 });
	/* (b) the next packet at the address shows up before the old one's drop */
	add_pkt(an, (struct pkt_args){ .ts = T0 + 1 * MS, .probe = P_RCV, .cpu = 0, .skb = 0xF000,
				       .head = 0x1100, .netns = NS1, .ifindex = 3 });
	add_pkt(an, (struct pkt_args){ .ts = T0 + 1 * MS + 5 * US, .probe = P_RCV, .cpu = 1,
				       .skb = 0xF000, .head = 0x2200, .netns = NS1, .ifindex = 3 });
	add_pkt(an, (struct pkt_args){ .ts = T0 + 1 * MS + 6 * US, .probe = P_KFREE, .cpu = 0,
				       .skb = 0xF000, .head = 0x1100, .reason = 3,
				       .location = SYM_UDP4_LIB_RCV + 0x5ae });
	add_pkt(an, (struct pkt_args){ .ts = T0 + 1 * MS + 9 * US, .probe = P_CONSUME, .cpu = 1,
				       .skb = 0xF000, .head = 0x2200 });
	r = finish(an);
	CHECK_EQ(r->totals.drops, 2, "drops");
	CHECK_EQ(r->totals.consumed, 1, "the reused address' packet consumed");
	CHECK_EQ(r->totals.packets, 3, "instances");
	CHECK_EQ(r->totals.unseen_free + r->totals.in_flight, 0, "nothing left dangling");
	CHECK_EQ(r->nr_drops, 2, "kept");
	d = &r->drops[0];
	CHECK_EQ(d->nr_hops, 3, "(a) late point put back into the dropped packet");
	CHECK_EQ(d->hops[2].probe, P_KFREE, "(a) drop stays last");
	CHECK_EQ(d->hops[1].probe, P_IPRCV, "(a) late point before it");
	d = &r->drops[1];
	CHECK_EQ(d->nr_hops, 2, "(b) the next packet's point is not in the dropped path");
	CHECK_EQ(d->hops[0].cpu, 0, "(b) own point");
	CHECK(r->totals.reordered >= 2, "reordering counted");
	nr_result__free(r);
}

/* a drop without snapshot gets its flow from the socket */
static void test_drop_without_snapshot(void)
{
	struct nr_flow s = synth_flow(IPPROTO_TCP, "10.0.0.2", 80, "10.0.0.1", 40000);
	struct nr_analysis *an;
	struct nr_result *r;
	const struct nr_res_group *g;
	char buf[128];

	check_start("drop_without_snapshot");
	an = start(NULL);
	add_sock(an, (struct sock_args){ .ts = T0, .probe = P_STATE, .sk = 0x7000, .netns = NS1,
					 .oldstate = ST_SYN_RECV, .newstate = ST_EST, .flow = &s });
	add_pkt(an, (struct pkt_args){ .ts = T0 + MS, .probe = P_KFREE, .skb = 0x3000,
				       .sk = 0x7000, .reason = 32, .location = SYM_TCP_V4_RCV + 0x10,
				       .netns = NS1 });
	add_pkt(an, (struct pkt_args){ .ts = T0 + 2 * MS, .probe = P_KFREE, .skb = 0x3100,
				       .reason = 32, .location = SYM_TCP_V4_RCV + 0x10, .netns = NS1 });
	r = finish(an);
	g = &r->reasons[0].groups[0];
	CHECK_STR(r->reasons[0].name, "TCP_ZEROWINDOW", "reason");
	CHECK_EQ(g->nr_flows, 1, "one flow known");
	CHECK_EQ(g->flows[0].flow.origin, NR_FLOW_FROM_SOCKET, "from the socket");
	CHECK_STR(nr_flow_str(&g->flows[0].flow, buf, sizeof(buf)),
		  "tcp 10.0.0.2:80 -> 10.0.0.1:40000", "socket tuple");
	CHECK_EQ(g->flows_unknown, 1, "no snapshot, no socket");
	nr_result__free(r);
}

static const struct nr_res_conn *conn_by_sport(const struct nr_result *r, __u16 sport, int nth)
{
	__u32 i;

	for (i = 0; i < r->tcp.nr_conns; i++)
		if (r->tcp.conns[i].sport == sport && !nth--)
			return &r->tcp.conns[i];
	return NULL;
}

static void test_tcp(void)
{
	struct nr_flow c1 = synth_flow(IPPROTO_TCP, "10.0.0.1", 40000, "10.0.0.2", 80);
	struct nr_flow c2 = synth_flow(IPPROTO_TCP, "10.0.0.1", 40001, "10.0.0.2", 81);
	struct nr_flow c3 = synth_flow(IPPROTO_TCP, "10.0.0.1", 40002, "10.0.0.2", 80);
	struct nr_flow rst = synth_flow(IPPROTO_TCP, "10.0.0.2", 81, "10.0.0.1", 40001);
	struct nr_flow c4 = synth_flow(IPPROTO_TCP, "fd00::1", 40003, "fd00::2", 443);
	const struct nr_res_conn *c;
	struct nr_analysis *an;
	struct nr_result *r;

	check_start("tcp");
	an = start(NULL);
	/* 1: a full life, with a retransmit */
	add_sock(an, (struct sock_args){ .ts = T0, .probe = P_STATE, .sk = 0xC1, .netns = NS1,
					 .oldstate = ST_CLOSE, .newstate = ST_SYN_SENT, .flow = &c1 });
	add_sock(an, (struct sock_args){ .ts = T0 + 100 * US, .probe = P_STATE, .sk = 0xC1,
					 .netns = NS1, .oldstate = ST_SYN_SENT, .newstate = ST_EST,
					 .flow = &c1 });
	add_sock(an, (struct sock_args){ .ts = T0 + 200 * US, .probe = P_RETRANS, .sk = 0xC1,
					 .netns = NS1, .oldstate = ST_EST, .flow = &c1 });
	add_sock(an, (struct sock_args){ .ts = T0 + 1100 * US, .probe = P_STATE, .sk = 0xC1,
					 .netns = NS1, .oldstate = ST_EST, .newstate = ST_FIN1,
					 .flow = &c1 });
	add_sock(an, (struct sock_args){ .ts = T0 + 1200 * US, .probe = P_STATE, .sk = 0xC1,
					 .netns = NS1, .oldstate = ST_FIN1, .newstate = ST_FIN2,
					 .flow = &c1 });
	add_sock(an, (struct sock_args){ .ts = T0 + 1300 * US, .probe = P_STATE, .sk = 0xC1,
					 .netns = NS1, .oldstate = ST_FIN2, .newstate = ST_CLOSE,
					 .flow = &c1 });
	/* 2: refused: the local stack sent the reset (no socket), then ours got it */
	add_sock(an, (struct sock_args){ .ts = T0 + 2 * MS, .probe = P_STATE, .sk = 0xC2,
					 .netns = NS1, .oldstate = ST_CLOSE, .newstate = ST_SYN_SENT,
					 .flow = &c2 });
	add_sock(an, (struct sock_args){ .ts = T0 + 2 * MS + 10 * US, .probe = P_RST_SENT,
					 .sk = 0, .netns = NS1, .reason = 1, .flow = &rst });
	add_sock(an, (struct sock_args){ .ts = T0 + 2 * MS + 20 * US, .probe = P_RST_RECV,
					 .sk = 0xC2, .netns = NS1, .oldstate = ST_SYN_SENT,
					 .flow = &c2 });
	add_sock(an, (struct sock_args){ .ts = T0 + 2 * MS + 30 * US, .probe = P_STATE,
					 .sk = 0xC2, .netns = NS1, .oldstate = ST_SYN_SENT,
					 .newstate = ST_CLOSE, .flow = &c2 });
	/* 3: socket address 0xC1 reused for another connection that never completes */
	add_sock(an, (struct sock_args){ .ts = T0 + 3 * MS, .probe = P_STATE, .sk = 0xC1,
					 .netns = NS1, .oldstate = ST_CLOSE, .newstate = ST_SYN_SENT,
					 .flow = &c3 });
	add_sock(an, (struct sock_args){ .ts = T0 + 1003 * MS, .probe = P_STATE, .sk = 0xC1,
					 .netns = NS1, .oldstate = ST_SYN_SENT, .newstate = ST_CLOSE,
					 .flow = &c3 });
	/* 4: IPv6, still open at the end, we send a reset with a reason */
	add_sock(an, (struct sock_args){ .ts = T0 + 4 * MS, .probe = P_STATE, .sk = 0xC4,
					 .netns = NS2, .oldstate = ST_SYN_SENT, .newstate = ST_EST,
					 .flow = &c4 });
	add_sock(an, (struct sock_args){ .ts = T0 + 5 * MS, .probe = P_RST_SENT, .sk = 0xC4,
					 .netns = NS2, .oldstate = ST_EST, .reason = 11, .flow = &c4 });
	r = finish(an);

	CHECK_EQ(r->tcp.connections, 4, "connections");
	CHECK_EQ(r->tcp.nr_conns, 4, "kept");
	CHECK_EQ(r->tcp.established, 2, "established");
	CHECK_EQ(r->tcp.never_established, 2, "never established");
	CHECK_EQ(r->tcp.retrans, 1, "retransmits");
	CHECK_EQ(r->tcp.rst_sent, 2, "resets sent");
	CHECK_EQ(r->tcp.rst_recv, 1, "resets received");
	CHECK_EQ(r->tcp.by_end[NR_CONN_CLOSED], 1, "closed");
	CHECK_EQ(r->tcp.by_end[NR_CONN_REFUSED], 1, "refused");
	CHECK_EQ(r->tcp.by_end[NR_CONN_CONNECT_FAILED], 1, "connect failed");
	CHECK_EQ(r->tcp.by_end[NR_CONN_OPEN], 1, "open");

	c = conn_by_sport(r, 40000, 0);
	if (CHECK(c != NULL, "conn 1")) {
		CHECK_EQ(c->id, 1, "id");
		CHECK_EQ(c->nr_trans, 5, "transitions");
		CHECK_STR(c->trans[0].from_name, "CLOSE", "from");
		CHECK_STR(c->trans[0].to_name, "SYN_SENT", "to");
		CHECK_STR(c->trans[4].to_name, "CLOSE", "last");
		CHECK_EQ(c->end, NR_CONN_CLOSED, "end");
		CHECK_EQ(c->retrans, 1, "retrans");
		CHECK_EQ(c->state_ns[ST_SYN_SENT], 100 * US, "time in SYN_SENT");
		CHECK_EQ(c->state_ns[ST_EST], 1000 * US, "time in ESTABLISHED");
		CHECK_EQ(c->state_ns[ST_FIN1], 100 * US, "time in FIN_WAIT1");
		CHECK_STR(c->netns_name, "ns1", "netns name");
	}
	c = conn_by_sport(r, 40001, 0);
	if (CHECK(c != NULL, "conn 2")) {
		CHECK_EQ(c->end, NR_CONN_REFUSED, "refused");
		CHECK(!c->established, "never established");
		CHECK_EQ(c->rst_recv, 1, "reset received");
	}
	c = conn_by_sport(r, 40002, 0);
	if (CHECK(c != NULL, "conn 3 (reused sk)")) {
		CHECK_EQ(c->sk, 0xC1, "same socket address");
		CHECK_EQ(c->id, 3, "a new connection");
		CHECK_EQ(c->end, NR_CONN_CONNECT_FAILED, "timed out");
		CHECK_EQ(c->state_ns[ST_SYN_SENT], 1000 * MS, "1 s in SYN_SENT");
	}
	c = conn_by_sport(r, 40003, 0);
	if (CHECK(c != NULL, "conn 4")) {
		CHECK_EQ(c->family, AF_INET6, "IPv6");
		CHECK(c->partial, "first seen in progress");
		CHECK_EQ(c->end, NR_CONN_OPEN, "open");
		CHECK_STR(c->rst_reason, "TCP_ABORT_ON_CLOSE", "reset reason");
		CHECK_EQ(c->state_ns[ST_EST], 1000 * MS - 1 * MS, "open until the last event");
	}
	CHECK_EQ(r->tcp.nr_rst_nosock, 1, "resets without socket");
	CHECK_STR(r->tcp.rst_nosock[0].reason, "NO_SOCKET", "their reason");
	CHECK_EQ(r->tcp.conns[0].id, 1, "kept in time order");
	nr_result__free(r);
}

/* a connect refused by a local peer: the evidence is the peer's NO_SOCKET drop of the SYN,
 * in another namespace, outside the --netns filter */
static void test_refused_by_drop(void)
{
	struct nr_flow c = synth_flow(IPPROTO_TCP, "10.98.0.2", 40500, "10.98.0.1", 81);
	struct nr_analysis_opts o = { .sz = sizeof(o), .netns = NS2 };
	struct nr_analysis *an;
	struct nr_result *r;

	check_start("refused_by_drop");
	an = start(&o);
	add_sock(an, (struct sock_args){ .ts = T0, .probe = P_STATE, .sk = 0xD1, .netns = NS2,
					 .oldstate = ST_CLOSE, .newstate = ST_SYN_SENT, .flow = &c });
	drop(an, T0 + 20 * US, 0x900, 3, SYM_TCP_V4_RCV + 0x10, 0, &c, NS1, 3);
	add_sock(an, (struct sock_args){ .ts = T0 + 50 * US, .probe = P_STATE, .sk = 0xD1,
					 .netns = NS2, .oldstate = ST_SYN_SENT, .newstate = ST_CLOSE,
					 .flow = &c });
	r = finish(an);
	CHECK_EQ(r->totals.drops, 0, "the drop is outside the filter");
	CHECK_EQ(r->tcp.nr_conns, 1, "the client's connection");
	CHECK_EQ(r->tcp.conns[0].end, NR_CONN_REFUSED, "refused");
	CHECK_EQ(r->tcp.never_established, 1, "never established");
	nr_result__free(r);
}

static void test_coverage(void)
{
	struct nr_analysis *an;
	struct nr_result *r;
	const struct nr_res_coverage *c;

	check_start("coverage");
	an = start(NULL);
	add(an, synth_counter(&rec, T0, NR_CNT_LOST, P_KFREE, 0, 5));
	add(an, synth_counter(&rec, T0, NR_CNT_LOST, P_KFREE, 1, 1));
	add(an, synth_ctl(&rec, T0 + MS, NR_CTL_PAUSE, NULL));
	add(an, synth_ctl(&rec, T0 + 3 * MS, NR_CTL_RESUME, NULL));
	add(an, synth_ctl(&rec, T0 + 4 * MS, NR_CTL_MARK, "before the test"));
	add(an, synth_counter(&rec, T0 + 5 * MS, NR_CNT_LOST, P_KFREE, 0, 7));	/* cumulative */
	add(an, synth_counter(&rec, T0 + 5 * MS, NR_CNT_LOST, P_KFREE, NR_CPU_ALL, 8));
	add(an, synth_counter(&rec, T0 + 5 * MS, NR_CNT_FILTERED, NR_PROBE_NONE, NR_CPU_ALL, 42));
	add(an, synth_counter(&rec, T0 + 5 * MS, NR_CNT_PAUSED, NR_PROBE_NONE, NR_CPU_ALL, 9));
	r = finish(an);
	c = &r->cov;
	CHECK_EQ(c->lost, 8, "lost: last samples per CPU, the all-CPU total not added");
	CHECK_EQ(r->totals.lost, 8, "totals.lost");
	CHECK_EQ(c->nr_lost_cpus, 2, "CPUs with losses");
	CHECK_EQ(c->lost_cpus[0].cpu, 0, "cpu 0");
	CHECK_EQ(c->lost_cpus[0].value, 7, "cpu 0 lost");
	CHECK_EQ(c->lost_cpus[1].value, 1, "cpu 1 lost");
	CHECK_EQ(c->filtered, 42, "filtered");
	CHECK_EQ(c->paused, 9, "paused events");
	CHECK_EQ(c->paused_ns, 2 * MS, "paused time");
	CHECK_EQ(c->nr_ctl, 3, "control events");
	CHECK_STR(c->ctl[2].text, "before the test", "mark text");
	CHECK_EQ(c->nr_probes, 2, "probes that did not deliver");
	CHECK_STR(c->probes[0].name, "fib:fib_table_lookup", "unavailable probe");
	CHECK_STR(c->probes[0].cannot_answer, "which IPv4 routes were looked up and found",
		  "what it cannot answer");
	CHECK_EQ(c->probes[1].status, NR_PROBE_FAILED, "failed probe");
	CHECK_STR(c->probes[1].cannot_answer, "how neighbour (ARP/ND) resolution went", "neigh");
	nr_result__free(r);
}

static void stream_for_filters(struct nr_analysis *an)
{
	struct nr_flow u9 = synth_flow(IPPROTO_UDP, "10.0.0.1", 4000, "10.0.0.2", 9);
	struct nr_flow u53 = synth_flow(IPPROTO_UDP, "10.0.0.1", 4000, "10.0.0.3", 53);
	struct nr_flow t80 = synth_flow(IPPROTO_TCP, "10.0.0.2", 80, "10.0.0.1", 40000);

	drop(an, T0, 0x100, 3, SYM_UDP4_LIB_RCV + 0x5ae, 1, &u9, NS1, 3);
	drop(an, T0 + 1 * MS, 0x200, 3, SYM_UDP4_LIB_RCV + 0x5ae, 1, &u53, NS2, 4);
	drop(an, T0 + 2 * MS, 0x300, 12, SYM_NF_HOOK_SLOW + 0x8a, 2, &u9, NS1, 3);
	/* a TCP socket, then a drop with no snapshot on it */
	add_sock(an, (struct sock_args){ .ts = T0 + 3 * MS, .probe = P_STATE, .sk = 0x77,
					 .netns = NS1, .oldstate = ST_CLOSE, .newstate = ST_LISTEN,
					 .flow = &t80 });
	add_pkt(an, (struct pkt_args){ .ts = T0 + 4 * MS, .probe = P_KFREE, .skb = 0x400,
				       .sk = 0x77, .reason = 40, .location = SYM_TCP_V4_RCV + 8,
				       .netns = NS1 });
}

static __u64 filtered_drops(struct nr_analysis_opts *o)
{
	struct nr_analysis *an = start(o);
	struct nr_result *r;
	__u64 n;

	stream_for_filters(an);
	r = finish(an);
	n = r->totals.drops;
	CHECK_EQ(r->totals.drops_all, o->since_ns || o->until_ns ? r->totals.drops_all : 4,
		 "drops before filters");
	nr_result__free(r);
	return n;
}

static void test_filters(void)
{
	struct nr_analysis_opts o = { .sz = sizeof(o) };
	struct nr_pkt_filter *pf = NULL;
	char err[256];
	__u64 ns;
	bool rel;

	check_start("filters");
	CHECK_EQ(filtered_drops(&o), 4, "no filter");
	o.nr_reasons = 1;
	o.reasons[0] = 3;
	CHECK_EQ(filtered_drops(&o), 2, "--reason NO_SOCKET");
	o.nr_reasons = 0;
	o.netns = NS1;
	CHECK_EQ(filtered_drops(&o), 3, "--netns ns1");
	o.netns = 0;
	CHECK_EQ(nr_pkt_filter__new("udp port 9", &pf, err, sizeof(err)), 0, "compile");
	o.pkt_match = nr_pkt_filter__match;
	o.pkt_match_ctx = pf;
	CHECK_EQ(filtered_drops(&o), 2, "--filter 'udp port 9'");
	nr_pkt_filter__free(pf);
	CHECK_EQ(nr_pkt_filter__new("tcp port 80", &pf, err, sizeof(err)), 0, "compile");
	o.pkt_match_ctx = pf;
	CHECK_EQ(filtered_drops(&o), 1, "--filter matches a drop without snapshot by its socket");
	nr_pkt_filter__free(pf);
	CHECK_EQ(nr_pkt_filter__new("ether host 00:11:22:33:44:55", &pf, err, sizeof(err)), 0,
		 "an Ethernet-only expression compiles");
	o.pkt_match_ctx = pf;
	CHECK_EQ(filtered_drops(&o), 0, "and matches no L3 snapshot");
	nr_pkt_filter__free(pf);
	CHECK_EQ(nr_pkt_filter__new("udp port", &pf, err, sizeof(err)), -EINVAL, "syntax error");
	CHECK(strlen(err) > 0, "libpcap's message");
	o.pkt_match = NULL;
	o.pkt_match_ctx = NULL;

	o.window_relative = true;
	o.since_ns = 1 * MS;
	o.until_ns = 2 * MS;
	CHECK_EQ(filtered_drops(&o), 2, "--since 1ms --until 2ms");
	o.window_relative = false;
	o.since_ns = T0 + 2 * MS;
	o.until_ns = 0;
	CHECK_EQ(filtered_drops(&o), 2, "--since absolute");

	CHECK_EQ(nr_parse_time("2.5", &meta, &ns, &rel), 0, "decimal seconds");
	CHECK_EQ(ns, 2500 * MS, "2.5 s");
	CHECK(rel, "relative");
	CHECK_EQ(nr_parse_time("500ms", &meta, &ns, &rel), 0, "500ms");
	CHECK_EQ(ns, 500 * MS, "500 ms");
	CHECK_EQ(nr_parse_time("2026-11-05T10:00:01.5Z", &meta, &ns, &rel), 0, "wall-clock");
	CHECK_EQ(ns, T0 + 1500 * MS, "through the clock reference");
	CHECK(!rel, "absolute");
	CHECK_EQ(nr_parse_time("2026-11-05 09:59:59.75", &meta, &ns, &rel), 0, "wall-clock, space");
	CHECK_EQ(ns, T0 - 250 * MS, "before the reference");
	CHECK_EQ(nr_parse_time("yesterday", &meta, &ns, &rel), -EINVAL, "nonsense");
	CHECK_EQ(nr_parse_time("1.", &meta, &ns, &rel), -EINVAL, "no fraction digits");

	{
		__u32 v;

		CHECK_EQ(nr_resolve_reason(&meta, "no_socket", &v), 0, "reason, any case");
		CHECK_EQ(v, 3, "NO_SOCKET");
		CHECK_EQ(nr_resolve_reason(&meta, "SKB_DROP_REASON_NETFILTER_DROP", &v), 0, "prefix");
		CHECK_EQ(v, 12, "NETFILTER_DROP");
		CHECK_EQ(nr_resolve_reason(&meta, "NO_SUCH_REASON", &v), -ENOENT, "unknown");
		CHECK_EQ(nr_resolve_netns(&meta, "ns1", &v), 0, "netns by name");
		CHECK_EQ(v, NS1, "ns1");
		CHECK_EQ(nr_resolve_netns(&meta, "4026532302", &v), 0, "netns by inode");
		CHECK_EQ(nr_resolve_netns(&meta, "nope", &v), -ENOENT, "unknown netns");
	}
}

/* drops with reasons the table lacks still report, by UNKNOWN(n) */
static void test_unknown_reason(void)
{
	struct nr_flow f = synth_flow(IPPROTO_UDP, "10.0.0.1", 1, "10.0.0.2", 2);
	struct nr_analysis *an;
	struct nr_result *r;

	check_start("unknown_reason");
	an = start(NULL);
	drop(an, T0, 0x10, 999, SYM_UDP4_LIB_RCV, 0, &f, 0, 0);
	drop(an, T0 + 1, 0x20, 127, 0xffffffff00000000ULL, 0, &f, 0, 0);
	r = finish(an);
	CHECK(reason(r, "UNKNOWN(999)") != NULL, "unknown value by number");
	CHECK(reason(r, "UNKNOWN(999)")->diag_what == NULL, "no diagnosis for it");
	CHECK(reason(r, "RECURSION_LIMIT") != NULL, "a reason the diagnosis table knows");
	CHECK_STR(reason(r, "RECURSION_LIMIT")->groups[0].location_str, "0xffffffff00000000",
		  "a location without symbol");
	CHECK_STR(reason(r, "UNKNOWN(999)")->groups[0].location_str, "__udp4_lib_rcv+0x0",
		  "symbol at offset 0");
	nr_result__free(r);
}

/* many packets, few open: memory stays bounded by what is in flight */
static void test_bounded(void)
{
	struct nr_analysis_opts o = { .sz = sizeof(o), .max_paths = 3, .max_open = 64,
				      .idle_ns = 1 * MS };
	struct nr_flow f = synth_flow(IPPROTO_UDP, "10.0.0.1", 4000, "10.0.0.2", 9);
	struct nr_analysis *an;
	struct nr_result *r;
	int i;

	check_start("bounded");
	an = start(&o);
	for (i = 0; i < 100000; i++) {
		__u64 skb = 0x100000 + (__u64)(i % 5000) * 0x100, ts = T0 + (__u64)i * 10 * US;

		add_pkt(an, (struct pkt_args){ .ts = ts, .probe = P_RCV, .skb = skb, .head = skb,
					       .netns = NS1, .ifindex = 3, .flow = &f });
		if (i % 3 == 0)
			drop(an, ts + 1, skb, 3, SYM_UDP4_LIB_RCV + 0x5ae, 1, NULL, NS1, 3);
	}
	r = finish(an);
	CHECK_EQ(r->totals.drops, 33334, "drops");
	CHECK_EQ(r->nr_drops, 3, "at most max_paths kept");
	CHECK_EQ(r->drops_not_kept, 33331, "the others counted");
	CHECK_EQ(r->totals.packets, 100000, "every instance closed");
	CHECK_EQ(r->totals.unseen_free + r->totals.in_flight, 100000 - 33334,
		 "the undropped ones: idle or in flight");
	nr_result__free(r);
}

int main(void)
{
	synth_meta(&meta);
	test_drops_only();
	test_paths_and_reuse();
	test_clones();
	test_out_of_order();
	test_drop_without_snapshot();
	test_tcp();
	test_refused_by_drop();
	test_coverage();
	test_filters();
	test_unknown_reason();
	test_bounded();
	return check_exit();
}
