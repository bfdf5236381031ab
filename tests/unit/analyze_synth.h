/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * analyze_synth.h - synthetic trace metadata and records for the analyzer's unit tests
 *
 * synth_meta() is a file as a recorder on Linux 6.18 would describe itself: probes,
 * the drop reason / TCP state / reset reason tables, symbols, stacks, interfaces in two
 * namespaces. The builders make records in a caller's buffer, as nr_reader__next()
 * returns them.
 */
#ifndef NR_TEST_ANALYZE_SYNTH_H
#define NR_TEST_ANALYZE_SYNTH_H

#include <arpa/inet.h>
#include <string.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "analysis.h"
#include "nr_file.h"
#include "analyze_synth_tables.h"

/* probe ids of synth_meta() */
enum {
	P_KFREE = 0,		/* skb:kfree_skb */
	P_CONSUME = 1,		/* skb:consume_skb */
	P_RCV = 2,		/* net:netif_receive_skb */
	P_XMIT = 3,		/* net:net_dev_start_xmit */
	P_STATE = 4,		/* sock:inet_sock_set_state */
	P_RETRANS = 5,		/* tcp:tcp_retransmit_skb */
	P_RST_SENT = 6,		/* tcp:tcp_send_reset */
	P_RST_RECV = 7,		/* tcp:tcp_receive_reset */
	P_IPRCV = 8,		/* kprobe:ip_rcv */
	P_FIB = 9,		/* fib:fib_table_lookup, unavailable */
	P_NEIGH = 10,		/* neigh:neigh_update, failed */
};

/* symbols of synth_meta() */
#define SYM_KFREE_SKB_REASON	0xffffffff81a00000ULL	/* size 0x100 */
#define SYM_UDP4_LIB_RCV	0xffffffff81b00000ULL	/* size 0x800 */
#define SYM_IP_PROTOCOL_DELIVER	0xffffffff81b10000ULL
#define SYM_NF_HOOK_SLOW	0xffffffff81c00000ULL
#define SYM_NFT_DO_CHAIN	0xffffffff81c10000ULL
#define SYM_IP_LOCAL_DELIVER	0xffffffff81c20000ULL
#define SYM_TCP_V4_RCV		0xffffffff81d00000ULL

#define NS1	4026532301u	/* named "ns1": veth1 (3) */
#define NS2	4026532302u	/* unnamed: veth2 (4) */
#define NS_INIT	4026531840u	/* lo (1), eth0 (2) */

static struct nr_probe_outcome synth_probes[] = {
	{ P_KFREE, NR_PROBE_ATTACHED, 0, "skb:kfree_skb", "kfree_skb", "tp_btf", NULL },
	{ P_CONSUME, NR_PROBE_ATTACHED, 0, "skb:consume_skb", "consume_skb", "tp_btf", NULL },
	{ P_RCV, NR_PROBE_ATTACHED, 0, "net:netif_receive_skb", NULL, "tp_btf", NULL },
	{ P_XMIT, NR_PROBE_ATTACHED, 0, "net:net_dev_start_xmit", NULL, "tp_btf", NULL },
	{ P_STATE, NR_PROBE_ATTACHED, 0, "sock:inet_sock_set_state", NULL, "tp_btf", NULL },
	{ P_RETRANS, NR_PROBE_ATTACHED, 0, "tcp:tcp_retransmit_skb", NULL, "tp_btf", NULL },
	{ P_RST_SENT, NR_PROBE_ATTACHED, 0, "tcp:tcp_send_reset", NULL, "tp_btf", NULL },
	{ P_RST_RECV, NR_PROBE_ATTACHED, 0, "tcp:tcp_receive_reset", NULL, "tp_btf", NULL },
	{ P_IPRCV, NR_PROBE_ATTACHED, 0, "kprobe:ip_rcv", "ip_rcv", "kprobe", NULL },
	{ P_FIB, NR_PROBE_UNAVAILABLE, -2, "fib:fib_table_lookup", NULL, NULL,
	  "tracepoint not found" },
	{ P_NEIGH, NR_PROBE_FAILED, -1, "neigh:neigh_update", NULL, "tp_btf",
	  "attach failed: Operation not permitted" },
};

static struct nr_enum_entry synth_tcp_states[] = {
	{ 1, "TCP_ESTABLISHED" }, { 2, "TCP_SYN_SENT" }, { 3, "TCP_SYN_RECV" },
	{ 4, "TCP_FIN_WAIT1" }, { 5, "TCP_FIN_WAIT2" }, { 6, "TCP_TIME_WAIT" },
	{ 7, "TCP_CLOSE" }, { 8, "TCP_CLOSE_WAIT" }, { 9, "TCP_LAST_ACK" },
	{ 10, "TCP_LISTEN" }, { 11, "TCP_CLOSING" }, { 12, "TCP_NEW_SYN_RECV" },
};

enum { ST_EST = 1, ST_SYN_SENT, ST_SYN_RECV, ST_FIN1, ST_FIN2, ST_TW, ST_CLOSE,
       ST_CLOSE_WAIT, ST_LAST_ACK, ST_LISTEN };

static struct nr_enum_entry synth_rst_reasons[] = {
	{ 0, "SK_RST_REASON_NOT_SPECIFIED" }, { 1, "SK_RST_REASON_NO_SOCKET" },
	{ 11, "SK_RST_REASON_TCP_ABORT_ON_CLOSE" },
};

static struct nr_sym synth_syms[] = {
	{ SYM_KFREE_SKB_REASON, 0x100, "sk_skb_reason_drop", NULL },
	{ SYM_UDP4_LIB_RCV, 0x800, "__udp4_lib_rcv", NULL },
	{ SYM_IP_PROTOCOL_DELIVER, 0x200, "ip_protocol_deliver_rcu", NULL },
	{ SYM_NF_HOOK_SLOW, 0x100, "nf_hook_slow", NULL },
	{ SYM_NFT_DO_CHAIN, 0x400, "nft_do_chain", "nf_tables" },
	{ SYM_IP_LOCAL_DELIVER, 0x100, "ip_local_deliver", NULL },
	{ SYM_TCP_V4_RCV, 0x1000, "tcp_v4_rcv", NULL },
};

static __u64 synth_stack1[] = {	/* NO_SOCKET in UDP */
	SYM_KFREE_SKB_REASON + 0x5e, SYM_UDP4_LIB_RCV + 0x5ae, SYM_IP_PROTOCOL_DELIVER + 0x42,
};
static __u64 synth_stack2[] = {	/* nftables drop at INPUT */
	SYM_KFREE_SKB_REASON + 0x5e, SYM_NFT_DO_CHAIN + 0x10, SYM_NF_HOOK_SLOW + 0x8a,
	SYM_IP_LOCAL_DELIVER + 0x3c,
};
static __u64 synth_stack3[] = {	/* NO_SOCKET in UDP, another caller */
	SYM_KFREE_SKB_REASON + 0x5e, SYM_UDP4_LIB_RCV + 0x5ae, 0xffffffffc0001234ULL,
};
static struct nr_stack synth_stacks[] = {
	{ 1, 3, synth_stack1 }, { 2, 4, synth_stack2 }, { 3, 3, synth_stack3 },
};

static struct nr_iface synth_ifaces[] = {
	{ .netns = NS_INIT, .ifindex = 1, .name = "lo", .type = 772, .mtu = 65536 },
	{ .netns = NS_INIT, .ifindex = 2, .name = "eth0", .type = 1, .mtu = 1500, .mac_len = 6,
	  .mac = { 0x02, 0, 0, 0, 0, 2 } },
	{ .netns = NS1, .ifindex = 3, .name = "veth1", .type = 1, .mtu = 1500, .link_ifindex = 4,
	  .mac_len = 6, .mac = { 0x02, 0, 0, 0, 0, 3 } },
	{ .netns = NS2, .ifindex = 4, .name = "veth2", .type = 1, .mtu = 1500, .link_ifindex = 3,
	  .mac_len = 6, .mac = { 0x02, 0, 0, 0, 0, 4 } },
};

static struct nr_netns synth_netns[] = {
	{ NS_INIT, NULL }, { NS1, "ns1" }, { NS2, NULL },
};

static struct nr_enum_entry synth_reason_entries[sizeof(synth_drop_reasons) /
						 sizeof(synth_drop_reasons[0])];
static struct nr_enum synth_enums[3];

/* a file's metadata; the clock reference puts event time 1e9 at 2026-11-05 10:00:00 UTC */
static inline void synth_meta(struct nr_meta *m)
{
	size_t i;

	for (i = 0; i < sizeof(synth_drop_reasons) / sizeof(synth_drop_reasons[0]); i++) {
		synth_reason_entries[i].value = synth_drop_reasons[i].value;
		synth_reason_entries[i].name = (char *)synth_drop_reasons[i].name;
	}
	synth_enums[0] = (struct nr_enum){ "skb_drop_reason", i, synth_reason_entries };
	synth_enums[1] = (struct nr_enum){ "tcp_state", 12, synth_tcp_states };
	synth_enums[2] = (struct nr_enum){ "sk_rst_reason", 3, synth_rst_reasons };
	memset(m, 0, sizeof(*m));
	m->file.major = 1;
	m->file.clean_close = true;
	m->host.hostname = (char *)"synth";
	m->host.sysname = (char *)"Linux";
	m->host.release = (char *)"6.18.0";
	m->host.machine = (char *)"x86_64";
	m->host.netrec_version = (char *)"0.1.0";
	m->host.ncpus = 2;
	m->clock_start.mono_ns = 1000000000ULL;
	m->clock_start.real_ns = 1793872800000000000ULL;	/* 2026-11-05 10:00:00 UTC */
	m->nr_probes = sizeof(synth_probes) / sizeof(synth_probes[0]);
	m->probes = synth_probes;
	m->nr_enums = 3;
	m->enums = synth_enums;
	m->nr_syms = sizeof(synth_syms) / sizeof(synth_syms[0]);
	m->syms = synth_syms;
	m->nr_stacks = 3;
	m->stacks = synth_stacks;
	m->nr_ifaces = 4;
	m->ifaces = synth_ifaces;
	m->nr_netns = 3;
	m->netns = synth_netns;
}

/* a flow from text: synth_flow(IPPROTO_UDP, "10.0.0.1", 4000, "10.0.0.2", 9) */
static inline struct nr_flow synth_flow(__u8 proto, const char *src, __u16 sport,
					const char *dst, __u16 dport)
{
	struct nr_flow f;

	memset(&f, 0, sizeof(f));
	f.family = strchr(src, ':') ? AF_INET6 : AF_INET;
	f.proto = proto;
	f.origin = NR_FLOW_FROM_SNAPSHOT;
	f.sport = sport;
	f.dport = dport;
	inet_pton(f.family, src, f.src);
	inet_pton(f.family, dst, f.dst);
	return f;
}

/* room for one record of any kind */
union synth_rec {
	struct nr_rec_hdr hdr;
	struct nr_pkt pkt;
	struct nr_sock sock;
	struct nr_counter cnt;
	struct nr_ctl ctl;
	__u8 bytes[sizeof(struct nr_pkt) + NR_SNAP_MAX + NR_CTL_TEXT_MAX];
};

struct pkt_args {
	__u64 ts;
	__u16 probe;
	__u16 cpu;
	__u64 skb;
	__u64 head;
	__u64 sk;
	__u64 location;
	__u32 reason;
	__u32 stack_id;
	__u32 netns;
	__u32 ifindex;
	__u32 iif;
	__u32 len;
	__u16 flags;
	const struct nr_flow *flow;	/* snapshot (L3) made from it; NULL: no snapshot */
};

static inline const struct nr_rec_hdr *synth_pkt(union synth_rec *r, const struct pkt_args *a)
{
	struct nr_pkt *p = &r->pkt;
	__u32 n = 0;

	memset(r, 0, sizeof(struct nr_pkt) + NR_FLOW_PACKET_MAX);
	if (a->flow)
		n = nr_flow_packet(a->flow, (__u8 *)(p + 1));
	p->hdr.type = NR_REC_PKT;
	p->hdr.flags = a->flags;
	p->hdr.size = (__u32)sizeof(*p) + ((n + 7) & ~7u);
	p->hdr.ts_ns = a->ts;
	p->skb = a->skb;
	p->head = a->head;
	p->sk = a->sk;
	p->location = a->location;
	p->reason = a->reason;
	p->stack_id = a->stack_id;
	p->netns = a->netns;
	p->ifindex = a->ifindex;
	p->iif = a->iif;
	p->len = a->len ? a->len : n;
	p->probe = a->probe;
	p->cpu = a->cpu;
	p->dev_type = a->ifindex ? 1 : 0;
	p->snap_len = (__u16)n;
	p->snap_l3 = n ? 0 : NR_OFF_NONE;
	p->snap_l4 = n ? (a->flow->family == AF_INET ? 20 : 40) : NR_OFF_NONE;
	if (n)
		p->protocol_be = htons(a->flow->family == AF_INET ? 0x0800 : 0x86dd);
	return &p->hdr;
}

struct sock_args {
	__u64 ts;
	__u16 probe;
	__u64 sk;
	__u32 netns;
	__u16 oldstate;
	__u16 newstate;
	__u32 reason;
	const struct nr_flow *flow;	/* local (src) and remote (dst) ends */
};

static inline const struct nr_rec_hdr *synth_sock(union synth_rec *r, const struct sock_args *a)
{
	struct nr_sock *s = &r->sock;

	memset(s, 0, sizeof(*s));
	s->hdr.type = NR_REC_SOCK;
	s->hdr.size = sizeof(*s);
	s->hdr.ts_ns = a->ts;
	s->sk = a->sk;
	s->netns = a->netns;
	s->probe = a->probe;
	s->protocol = IPPROTO_TCP;
	s->oldstate = a->oldstate;
	s->newstate = a->newstate;
	s->reason = a->reason;
	if (a->flow) {
		s->family = a->flow->family;
		s->sport = a->flow->sport;
		s->dport = a->flow->dport;
		memcpy(s->saddr, a->flow->src, 16);
		memcpy(s->daddr, a->flow->dst, 16);
	}
	return &s->hdr;
}

static inline const struct nr_rec_hdr *synth_counter(union synth_rec *r, __u64 ts, __u16 kind,
						     __u16 probe, __u32 cpu, __u64 value)
{
	struct nr_counter *c = &r->cnt;

	memset(c, 0, sizeof(*c));
	c->hdr.type = NR_REC_COUNTER;
	c->hdr.size = sizeof(*c);
	c->hdr.ts_ns = ts;
	c->kind = kind;
	c->probe = probe;
	c->cpu = cpu;
	c->value = value;
	return &c->hdr;
}

static inline const struct nr_rec_hdr *synth_ctl(union synth_rec *r, __u64 ts, __u16 kind,
						 const char *text)
{
	struct nr_ctl *c = &r->ctl;
	size_t n = text ? strlen(text) : 0;

	memset(c, 0, sizeof(*c) + ((n + 7) & ~7u));
	c->hdr.type = NR_REC_CTL;
	c->hdr.size = (__u32)(sizeof(*c) + ((n + 7) & ~7u));
	c->hdr.ts_ns = ts;
	c->kind = kind;
	c->text_len = (__u16)n;
	if (n)
		memcpy(c + 1, text, n);
	return &c->hdr;
}

#endif /* NR_TEST_ANALYZE_SYNTH_H */
