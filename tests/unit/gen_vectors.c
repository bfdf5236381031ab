// SPDX-License-Identifier: GPL-2.0-only
/*
 * gen_vectors - make the format test vectors of samples/format/ (FORMAT.md section 15)
 *
 *   gen_vectors DIR
 *
 * Writes each NAME.nr into DIR. The expected outputs beside them are made by
 * tests/unit/check_vectors.sh --update. Run through `meson compile -C build
 * update-format-vectors`; the checked-in bytes, not this program, are the contract.
 *
 *   gen_vectors --fuzz-seeds DIR
 *
 * Writes the fuzzing seeds of tests/fuzz/corpus/ (see fuzz_seeds()).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"
#include "nr_file.h"
#include "nr_testing.h"
#include "nrblocks.h"
#include "schema.h"
#include "synth.h"

#define T0		5000000000ull	/* first event: 5 s of monotonic time */
#define NETNS_HOST	4026531840u
#define NETNS_PEER	4026532301u

static const char *dir;
static __u64 recbuf[SYNTH_REC_MAX / 8];

static char *path(const char *name)
{
	static char p[512];

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	return p;
}

static void die(const char *what, int err)
{
	fprintf(stderr, "gen_vectors: %s: %s\n", what, strerror(err < 0 ? -err : err));
	exit(1);
}

#define TRY(what, x) do { int e_ = (x); if (e_) die(what, e_); } while (0)

/* ---- metadata: synth's host, plus the tables the vectors' records need ---- */

static void write_meta(struct nr_writer *w)
{
	static const struct nr_enum_entry subsys[] = {
		{ 0, "SKB_DROP_REASON_SUBSYS_CORE" },
		{ 3, "SKB_DROP_REASON_SUBSYS_OPENVSWITCH" },
	};
	static const struct nr_enum_entry ovs[] = {
		{ 0x30001, "OVS_DROP_LAST_ACTION" },
		{ 0x30002, "OVS_DROP_ACTION_ERROR" },
	};
	static const struct nr_enum_entry xdp[] = {
		{ 0, "XDP_ABORTED" }, { 1, "XDP_DROP" }, { 2, "XDP_PASS" }, { 3, "XDP_TX" },
		{ 4, "XDP_REDIRECT" },
	};
	static const struct nr_enum_entry net_xmit[] = {
		{ 0, "NET_XMIT_SUCCESS" }, { 1, "NET_XMIT_DROP" }, { 2, "NET_XMIT_CN" },
	};
	struct nr_enum e;

	TRY("metadata", synth_write_meta(w, T0 - 1000));
	e.name = "skb_drop_reason_subsys";
	e.nr = 2;
	e.e = (struct nr_enum_entry *)subsys;
	TRY("enum", nr_writer__enum(w, &e));
	e.name = "skb_drop_reason:openvswitch";
	e.nr = 2;
	e.e = (struct nr_enum_entry *)ovs;
	TRY("enum", nr_writer__enum(w, &e));
	e.name = "xdp_action";
	e.nr = 5;
	e.e = (struct nr_enum_entry *)xdp;
	TRY("enum", nr_writer__enum(w, &e));
	e.name = "netrec:net_xmit";
	e.nr = 3;
	e.e = (struct nr_enum_entry *)net_xmit;
	TRY("enum", nr_writer__enum(w, &e));
}

/* ---- records ---- */

static struct nr_pkt *pkt(__u64 ts, __u16 probe, __u32 netns, __u32 ifindex)
{
	struct nr_pkt *p = (void *)recbuf;

	memset(recbuf, 0, sizeof(recbuf));
	p->hdr.type = NR_REC_PKT;
	p->hdr.size = sizeof(*p);
	p->hdr.ts_ns = ts;
	p->probe = probe;
	p->netns = netns;
	p->ifindex = ifindex;
	p->iif = ifindex;
	p->cpu = 1;
	p->pid = 4242;
	p->skb = 0xffff888104c88000ull + (ts % 7) * 0x100;
	p->head = 0xffff888107a3d000ull;
	p->dev_type = 1;
	p->snap_l3 = NR_OFF_NONE;
	p->snap_l4 = NR_OFF_NONE;
	return p;
}

/* the snapshot @snap of @len bytes after @p; sets sizes */
static void snap(struct nr_pkt *p, const void *s, __u32 len, __u16 l3, __u16 l4, bool l2)
{
	memcpy(p + 1, s, len);
	p->snap_len = (__u16)len;
	p->snap_l3 = l3;
	p->snap_l4 = l4;
	if (l2)
		p->hdr.flags |= NR_RF_SNAP_L2;
	p->hdr.size = (__u32)(sizeof(*p) + nr_align8(len));
}

static void inline_stack(struct nr_rec_hdr *h, __u32 *stack_id, const __u64 *ips, __u32 nr)
{
	memcpy((__u8 *)h + h->size, ips, nr * 8);
	h->size += nr * 8;
	h->flags |= NR_RF_STACK_INLINE;
	*stack_id = nr;
}

static const __u8 mac_a[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };
static const __u8 mac_b[6] = { 0x02, 0x00, 0x5e, 0x10, 0x00, 0x01 };

static __u32 eth(__u8 *p, const __u8 *dst, const __u8 *src, __u16 et)
{
	memcpy(p, dst, 6);
	memcpy(p + 6, src, 6);
	p[12] = (__u8)(et >> 8);
	p[13] = (__u8)et;
	return 14;
}

static void append(struct nr_writer *w, const char *what)
{
	TRY(what, nr_writer__append(w, (const struct nr_rec_hdr *)recbuf));
}

static void append_rec(struct nr_writer *w, const struct nr_rec_hdr *h)
{
	TRY("append", nr_writer__append(w, h));
}

static void ctl(struct nr_writer *w, __u64 ts, __u16 kind, const char *text)
{
	struct nr_ctl *c = (void *)recbuf;

	memset(recbuf, 0, sizeof(recbuf));
	c->hdr.type = NR_REC_CTL;
	c->hdr.ts_ns = ts;
	c->kind = kind;
	c->text_len = (__u16)strlen(text);
	memcpy(c + 1, text, c->text_len);
	c->hdr.size = (__u32)(sizeof(*c) + nr_align8(c->text_len));
	append(w, "ctl");
}

static void counter(struct nr_writer *w, __u64 ts, __u16 kind, __u32 cpu, __u16 probe,
		    __u64 value)
{
	struct nr_counter *c = (void *)recbuf;

	memset(recbuf, 0, sizeof(recbuf));
	c->hdr.type = NR_REC_COUNTER;
	c->hdr.size = sizeof(*c);
	c->hdr.ts_ns = ts;
	c->kind = kind;
	c->cpu = cpu;
	c->probe = probe;
	c->value = value;
	append(w, "counter");
}

static struct nr_sock *sock(__u64 ts, __u16 probe, __u16 family)
{
	struct nr_sock *k = (void *)recbuf;

	memset(recbuf, 0, sizeof(recbuf));
	k->hdr.type = NR_REC_SOCK;
	k->hdr.size = sizeof(*k);
	k->hdr.ts_ns = ts;
	k->probe = probe;
	k->family = family;
	k->protocol = 6;
	k->netns = NETNS_HOST;
	k->cpu = 0;
	k->pid = 777;
	k->sk = 0xffff88810b000800ull;
	memcpy(k->comm, "curl", 4);
	if (family == 2) {
		memcpy(k->saddr, (const __u8[]){ 10, 1, 0, 2 }, 4);
		memcpy(k->daddr, (const __u8[]){ 192, 0, 2, 7 }, 4);
	} else {
		inet_pton(AF_INET6, "2001:db8::1", k->saddr);
		inet_pton(AF_INET6, "2001:db8::2", k->daddr);
	}
	k->sport = 40001;
	k->dport = 443;
	return k;
}

static const __u64 drop_stack[] = {
	0xffffffff81a10434, 0xffffffff81c30a1c, 0xffffffff81c04488, 0xffffffff81b201d0,
	0xffffffff90000010,	/* no symbol covers it */
};

/* every record type and probe form the decoder knows; @n_first: how many to write */
static void records(struct nr_writer *w, __u64 t, int n_first)
{
	static const __u8 a1[4] = { 10, 1, 0, 2 }, a2[4] = { 10, 1, 0, 1 };
	__u8 s[256], pl[32];
	struct nr_pkt *p;
	struct nr_sock *k;
	__u32 n, id;
	int i = 0;

	memset(pl, 0xab, sizeof(pl));
#define NEXT if (++i > n_first) return
	NEXT;
	ctl(w, t, NR_CTL_START, "");
	NEXT;
	/* receive, from the MAC header: Ethernet + IPv4 + UDP */
	p = pkt(t + 1000, SP_NETIF_RECEIVE, NETNS_HOST, 2);
	n = eth(s, mac_a, mac_b, 0x0800);
	n += synth_ipv4(s + n, 200, 17, a1, a2, 5353, 53, 0x100, 0, 0, 0, pl, 12);
	snap(p, s, n, 14, 34, true);
	p->protocol_be = htons(0x0800);
	p->len = n;
	append(w, "rx udp");
	NEXT;
	/* the drop of the same packet, snapshot from L3, a stack with an unknown frame */
	p = pkt(t + 2500, SP_KFREE_SKB, NETNS_HOST, 2);
	n = synth_ipv4(s, 200, 17, a1, a2, 5353, 53, 0x100, 0, 0, 0, pl, 12);
	snap(p, s, n, 0, 20, false);
	p->protocol_be = htons(0x0800);
	p->len = n;
	p->reason = 3;				/* NO_SOCKET */
	p->location = 0xffffffff81c30a1c;	/* __udp_queue_rcv_skb+0x21c */
	inline_stack(&p->hdr, &p->stack_id, drop_stack, 5);
	append(w, "drop udp");
	NEXT;
	/* IPv6 TCP SYN dropped in the peer namespace: unknown reason, unknown location */
	p = pkt(t + 4000, SP_KFREE_SKB, NETNS_PEER, 5);
	{
		__u8 v6a[16], v6b[16];

		inet_pton(AF_INET6, "2001:db8::1", v6a);
		inet_pton(AF_INET6, "2001:db8::2", v6b);
		n = synth_ipv6(s, 200, 6, v6a, v6b, 40000, 443, 1000, 0x02, 0);
	}
	snap(p, s, n, 0, 40, false);
	p->protocol_be = htons(0x86dd);
	p->len = n;
	p->reason = 999;
	p->location = 0xffffffff90000000;
	append(w, "drop v6 syn");
	NEXT;
	/* a drop reason of a subsystem (openvswitch) */
	p = pkt(t + 5000, SP_KFREE_SKB, NETNS_HOST, 2);
	n = synth_ipv4(s, 200, 6, a2, a1, 443, 40001, 7, 100, 200, 0x10, pl, 0);
	snap(p, s, n, 0, 20, false);
	p->protocol_be = htons(0x0800);
	p->len = n;
	p->reason = 0x30001;
	p->location = 0xffffffffc0a01188;	/* nft_do_chain+0x188 [nf_tables] */
	TRY("stack", nr_writer__stack(w, drop_stack, 3, &id));
	p->stack_id = id;
	append(w, "drop ovs");
	NEXT;
	/* transmit: ARP request from the MAC header, the driver busy */
	p = pkt(t + 6000, SP_NET_DEV_XMIT, NETNS_HOST, 2);
	n = eth(s, (const __u8[]){ 0xff, 0xff, 0xff, 0xff, 0xff, 0xff }, mac_a, 0x0806);
	memcpy(s + n, "\x00\x01\x08\x00\x06\x04\x00\x01", 8);
	memcpy(s + n + 8, mac_a, 6);
	memcpy(s + n + 14, a2, 4);
	memset(s + n + 18, 0, 6);
	memcpy(s + n + 24, a1, 4);
	n += 28;
	snap(p, s, n, 14, NR_OFF_NONE, true);
	p->protocol_be = htons(0x0806);
	p->len = 42;
	p->reason = 16;				/* NETDEV_TX_BUSY */
	p->aux = 42;
	append(w, "xmit arp");
	NEXT;
	/* queued: VLAN 100 over Ethernet, IPv4 ICMP echo request */
	p = pkt(t + 7000, SP_NET_DEV_QUEUE, NETNS_HOST, 2);
	n = eth(s, mac_b, mac_a, 0x8100);
	s[n] = 0x00;
	s[n + 1] = 100;
	s[n + 2] = 0x08;
	s[n + 3] = 0x00;
	n += 4;
	{
		__u32 l3 = n;

		n += synth_ipv4(s + n, 200, 17, a2, a1, 0, 0, 9, 0, 0, 0, pl, 8);
		s[l3 + 9] = 1;			/* ICMP: type 8 code 0 where the ports were */
		s[l3 + 20] = 8;
		s[l3 + 21] = 0;
		snap(p, s, n, (__u16)l3, (__u16)(l3 + 20), true);
	}
	p->protocol_be = htons(0x8100);
	p->len = n;
	append(w, "queue vlan icmp");
	NEXT;
	/* ICMPv6 echo request, from L3 */
	p = pkt(t + 8000, SP_NETIF_RECEIVE, NETNS_PEER, 5);
	{
		__u8 v6a[16], v6b[16];

		inet_pton(AF_INET6, "fe80::1", v6a);
		inet_pton(AF_INET6, "ff02::1", v6b);
		n = synth_ipv6(s, 200, 17, v6a, v6b, 0, 0, 0, 0, 8);
		s[6] = 58;
		s[40] = 128;
		s[41] = 0;
	}
	snap(p, s, n, 0, 40, false);
	p->protocol_be = htons(0x86dd);
	p->len = n;
	append(w, "icmpv6");
	NEXT;
	/* a later IPv4 fragment: no transport header */
	p = pkt(t + 9000, SP_NETIF_RECEIVE, NETNS_HOST, 2);
	n = synth_ipv4(s, 200, 17, a1, a2, 1, 2, 0x200, 0, 0, 0, pl, 24);
	s[6] = 0x00;
	s[7] = 185;				/* offset 185 x 8 = 1480 */
	snap(p, s, n, 0, NR_OFF_NONE, false);
	p->protocol_be = htons(0x0800);
	p->len = 1480 + n;
	append(w, "fragment");
	NEXT;
	/* a snapshot that ends inside the IPv4 header */
	p = pkt(t + 10000, SP_NETIF_RECEIVE, NETNS_HOST, 2);
	n = synth_ipv4(s, 200, 6, a1, a2, 1, 2, 3, 0, 0, 0x02, pl, 0);
	snap(p, s, 16, 0, NR_OFF_NONE, false);
	p->protocol_be = htons(0x0800);
	p->len = n;
	append(w, "truncated snapshot");
	NEXT;
	/* no skb, and a probe id the PROBES table lacks: fields shown as numbers */
	p = pkt(t + 11000, SP_KFREE_SKB, NETNS_HOST, 2);
	p->probe = SP_MAX;			/* a probe id the PROBES table lacks */
	p->skb = 0;
	p->head = 0;
	p->reason = 0;
	p->aux = 42;
	append(w, "no probe name");
	NEXT;
	/* marked, cloned, first sight, for another host */
	p = pkt(t + 12000, SP_NETIF_RECEIVE, NETNS_HOST, 2);
	n = synth_ipv4(s, 200, 17, a1, (const __u8[]){ 10, 1, 0, 99 }, 7, 9, 4, 0, 0, 0, pl, 4);
	snap(p, s, n, 0, 20, false);
	p->protocol_be = htons(0x0800);
	p->len = n;
	p->mark = 0x10;
	p->pkt_type = 3;
	p->hdr.flags |= NR_RF_CLONED | NR_RF_FIRST_SIGHT;
	p->sk = 0xffff88810a2c1e00;
	append(w, "otherhost");
	NEXT;
	k = sock(t + 13000, SP_SET_STATE, 2);
	k->oldstate = 2;
	k->newstate = 1;
	append(w, "syn_sent->established");
	NEXT;
	k = sock(t + 14000, SP_SET_STATE, 10);
	k->oldstate = 1;
	k->newstate = 4;
	memcpy(k->comm, "a b\tc", 5);		/* odd characters stay one token */
	append(w, "established->fin_wait1");
	NEXT;
	k = sock(t + 15000, SP_SEND_RESET, 2);
	k->oldstate = 7;
	k->reason = 1;
	k->val[0] = 1;
	k->sk = 0;
	k->comm[0] = 0;
	append(w, "reset");
	NEXT;
	k = sock(t + 16000, SP_RETRANSMIT, 2);
	k->oldstate = 1;
	k->val[0] = (__u32)-110;
	k->skb = 0xffff888104c88300;
	inline_stack(&k->hdr, &k->stack_id, drop_stack, 2);
	append(w, "retransmit");
	NEXT;
	k = sock(t + 17000, SP_RCVQUEUE_FULL, 2);
	k->protocol = 17;
	k->oldstate = 7;
	k->val[0] = 212992;
	k->val[1] = 768;
	k->val[2] = 212992;
	append(w, "rcvqueue full");
	NEXT;
	{
		struct nr_fib *b = (void *)recbuf;

		memset(recbuf, 0, sizeof(recbuf));
		b->hdr.type = NR_REC_FIB;
		b->hdr.size = sizeof(*b);
		b->hdr.ts_ns = t + 18000;
		b->probe = SP_FIB_LOOKUP;
		b->netns = NETNS_HOST;
		b->tb_id = 254;
		b->oif = 2;
		b->nh_ifindex = 2;
		b->family = 2;
		b->proto = 6;
		b->sport = 40001;
		b->dport = 443;
		b->rt_type = 1;
		memcpy(b->src, a1, 4);
		memcpy(b->dst, (const __u8[]){ 198, 51, 100, 3 }, 4);
		memcpy(b->gw, (const __u8[]){ 10, 1, 0, 254 }, 4);
		append(w, "fib ok");
		NEXT;
		memset(recbuf, 0, sizeof(recbuf));
		b->hdr.type = NR_REC_FIB;
		b->hdr.size = sizeof(*b);
		b->hdr.ts_ns = t + 19000;
		b->probe = SP_FIB_LOOKUP;
		b->netns = NETNS_PEER;
		b->tb_id = 255;
		b->err = -101;
		b->family = 10;
		b->proto = 58;
		b->rt_type = 7;
		inet_pton(AF_INET6, "2001:db8::1", b->src);
		inet_pton(AF_INET6, "2001:db8:ffff::9", b->dst);
		append(w, "fib6 unreachable");
	}
	NEXT;
	{
		struct nr_neigh *g = (void *)recbuf;

		memset(recbuf, 0, sizeof(recbuf));
		g->hdr.type = NR_REC_NEIGH;
		g->hdr.size = sizeof(*g);
		g->hdr.ts_ns = t + 20000;
		g->probe = SP_NEIGH_UPDATE;
		g->neigh = 0xffff88810c001000;
		g->netns = NETNS_HOST;
		g->ifindex = 2;
		g->family = 2;
		g->nud_state = 0x04;
		g->new_state = 0x02;
		g->lladdr_len = 6;
		g->flags = 0x1;
		memcpy(g->key, (const __u8[]){ 10, 1, 0, 254 }, 4);
		memcpy(g->lladdr, mac_b, 6);
		append(w, "neigh");
	}
	NEXT;
	counter(w, t + 21000, NR_CNT_LOST, 0, NR_PROBE_NONE, 5);
	NEXT;
	counter(w, t + 21500, NR_CNT_LOST, 1, NR_PROBE_NONE, 7);
	NEXT;
	counter(w, t + 22000, NR_CNT_LOST, 0, NR_PROBE_NONE, 9);
	NEXT;
	counter(w, t + 22500, NR_CNT_HITS, NR_CPU_ALL, SP_KFREE_SKB, 1234);
	NEXT;
	ctl(w, t + 23000, NR_CTL_MARK, "say \"hi\"\n\\ ok");
	NEXT;
	ctl(w, t + 24000, NR_CTL_STOP, "signal");
#undef NEXT
}

#define ALL_RECORDS 1000

static void finish(struct nr_writer *w, __u64 end)
{
	TRY("end clock", synth_write_end(w, T0 - 1000, end));
	TRY("close", nr_writer__close(w));
}

static struct nr_writer *open_w(const char *name, __u32 chunk,
				const struct nr_writer_test_opts *t)
{
	struct nr_writer_opts o = { .sz = sizeof(o), .chunk_bytes = chunk,
				    .resolve = synth_resolve };
	struct nr_writer *w;

	TRY(name, nr_writer__open_test(path(name), &o, t, &w));
	return w;
}

static void all_blocks(const char *name)
{
	struct nr_writer *w = open_w(name, 1024, NULL);

	write_meta(w);
	records(w, T0, ALL_RECORDS);
	finish(w, T0 + 30000);
}

static void foreign_endian(void)
{
	struct nr_writer_test_opts t = { .foreign_endian = true };
	struct nr_writer *w = open_w("foreign-endian.nr", 1024, &t);

	write_meta(w);
	records(w, T0, ALL_RECORDS);
	finish(w, T0 + 30000);
}

/* all-blocks, cut in the middle of its last chunk */
static void truncated(void)
{
	struct nrblk b[256];
	__u8 *buf;
	size_t len, cut = 0;
	int n, i;

	all_blocks("truncated.nr");
	TRY("read", nrblk_read_file(path("truncated.nr"), &buf, &len));
	n = nrblk_walk(buf, len, b, 256);
	for (i = 0; i < n; i++)
		if (b[i].type == NR_BLK_CHUNK)
			cut = b[i].off + NR_BLK_HDR_SIZE + b[i].size / 2;
	if (!cut)
		die("truncated: no chunk", EINVAL);
	TRY("write", nrblk_write_file(path("truncated.nr"), buf, cut));
	free(buf);
}

static void unknown_block(const char *name, __u16 flags)
{
	static const char future[] = "\x01\x00\x00\x00" "a block from a later version";
	struct nr_writer *w = open_w(name, 0, NULL);

	write_meta(w);
	records(w, T0, 3);
	TRY("raw block", nr_writer__raw_block(w, 200, flags, future, sizeof(future) - 1));
	records(w, T0 + 100000, 3);
	finish(w, T0 + 200000);
}

/* version 1.1: pkt grew a field, and a record type 40 this version does not know */
static void newer_minor(void)
{
	static const struct nr_field quic_fields[] = {
		{ "conn_id", 16, 8, 2 /* ADDR */, 0 },
		{ "pkt_num", 24, 8, 1 /* INT */, 0 },
		{ "space", 32, 1, 1, 0 },
		{ "token", 33, 7, 3 /* BYTES */, 0 },
	};
	static const struct nr_schema quic = {
		.name = "quic", .type = 40, .fixed_size = 40, .fields = quic_fields,
		.nr_fields = 4,
	};
	static struct nr_field pkt2_fields[32];
	static struct nr_schema pkt2;
	const struct nr_schema *all[8];
	const struct nr_schema *const *b;
	size_t nb, i, k = 0;
	struct nr_writer_test_opts t = { .minor = 1 };
	struct nr_writer *w;
	__u8 s[128], pl[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	struct nr_pkt *p;
	__u32 n;

	b = nr_schema_builtin_all(&nb);
	for (i = 0; i < nb; i++) {
		if (b[i]->type != NR_REC_PKT) {
			all[k++] = b[i];
			continue;
		}
		pkt2 = *b[i];
		memcpy(pkt2_fields, b[i]->fields, b[i]->nr_fields * sizeof(pkt2_fields[0]));
		pkt2_fields[pkt2.nr_fields] = (struct nr_field){ "hw_tstamp", 104, 8, 1, 0 };
		pkt2.nr_fields++;
		pkt2.fields = pkt2_fields;
		pkt2.fixed_size = 112;
		all[k++] = &pkt2;
	}
	all[k++] = &quic;
	t.schemas = all;
	t.nr_schemas = k;
	w = open_w("newer-minor.nr", 0, &t);
	write_meta(w);

	for (i = 0; i < 2; i++) {
		p = pkt(T0 + 1000 * i, SP_KFREE_SKB, NETNS_HOST, 2);
		n = synth_ipv4(s, sizeof(s), 17, (const __u8[]){ 10, 1, 0, 2 },
			       (const __u8[]){ 10, 1, 0, 1 }, 5353, 53, (__u16)(7 + i), 0, 0, 0,
			       pl, 8);
		/* the longer struct: 8 more bytes before the snapshot */
		memcpy((__u8 *)recbuf + 112, s, n);
		p->snap_len = (__u16)n;
		p->snap_l3 = 0;
		p->snap_l4 = 20;
		p->protocol_be = htons(0x0800);
		p->reason = 6;
		p->len = n;
		memcpy((__u8 *)recbuf + 104, &(__u64){ 0x1122334455667788ull + i }, 8);
		p->hdr.size = (__u32)(112 + nr_align8(n));
		append(w, "longer pkt");
	}
	memset(recbuf, 0, sizeof(recbuf));
	{
		struct nr_rec_hdr *h = (void *)recbuf;
		__u8 *q = (__u8 *)recbuf;

		h->type = 40;
		h->size = 40;
		h->ts_ns = T0 + 500;
		memcpy(q + 16, &(__u64){ 0xffff888112345678ull }, 8);
		memcpy(q + 24, &(__u64){ 77 }, 8);
		q[32] = 2;
		memcpy(q + 33, "tok\x00\xff\x01\x02", 7);
		append(w, "quic");
	}
	finish(w, T0 + 3000);
}

/* chunks stored out of order and overlapping in time */
static void unordered(void)
{
	static const __u64 ts[] = { 100, 300, 200, 500, 250, 400, 600, 150 };
	struct nr_writer_test_opts t = { .no_sort = true };
	struct nr_writer *w = open_w("unordered.nr", 64, &t);
	size_t i;

	write_meta(w);
	for (i = 0; i < sizeof(ts) / sizeof(ts[0]); i++) {
		counter(w, T0 + ts[i], NR_CNT_HITS, (__u32)i, SP_KFREE_SKB, ts[i]);
		if (i == 3)
			TRY("flush", nr_writer__flush(w));
	}
	finish(w, T0 + 1000);
}

/* three chunks, the middle one damaged */
static void bad_chunk(void)
{
	struct nrblk b[256];
	__u8 *buf;
	size_t len;
	int n, i, chunks = 0;
	struct nr_writer *w = open_w("bad-chunk.nr", 0, NULL);

	write_meta(w);
	for (i = 0; i < 3; i++) {
		counter(w, T0 + 100 * i, NR_CNT_LOST, 0, NR_PROBE_NONE, (__u64)i);
		counter(w, T0 + 100 * i + 50, NR_CNT_LOST, 1, NR_PROBE_NONE, (__u64)i);
		TRY("flush", nr_writer__flush(w));
	}
	finish(w, T0 + 1000);
	TRY("read", nrblk_read_file(path("bad-chunk.nr"), &buf, &len));
	n = nrblk_walk(buf, len, b, 256);
	for (i = 0; i < n; i++)
		if (b[i].type == NR_BLK_CHUNK && chunks++ == 1)
			buf[b[i].off + NR_BLK_HDR_SIZE + b[i].size - 1] ^= 0x40;
	TRY("write", nrblk_write_file(path("bad-chunk.nr"), buf, len));
	free(buf);
}

static void newer_major(void)
{
	__u8 *buf;
	size_t len;
	struct nr_writer *w = open_w("newer-major.nr", 0, NULL);

	write_meta(w);
	records(w, T0, 3);
	finish(w, T0 + 10000);
	TRY("read", nrblk_read_file(path("newer-major.nr"), &buf, &len));
	buf[12] = 2;	/* major 2.0, little-endian generator */
	buf[13] = 0;
	nrblk_reseal_header(buf);
	TRY("write", nrblk_write_file(path("newer-major.nr"), buf, len));
	free(buf);
}

/*
 * Fuzzing seeds (tests/fuzz/corpus/): small files whose chunk streams are stored
 * uncompressed, so mutations reach the column decoder instead of zstd's framing.
 */
static void fuzz_seeds(void)
{
	struct nr_writer_test_opts t = { .no_zstd = true };
	struct nr_writer_test_opts tf = { .no_zstd = true, .foreign_endian = true,
					  .no_sort = true };
	struct nr_writer *w;
	struct synth s;
	int i;

	w = open_w("seed-raw-all.nr", 512, &t);
	write_meta(w);
	records(w, T0, ALL_RECORDS);
	finish(w, T0 + 30000);

	w = open_w("seed-raw-foreign.nr", 600, &tf);
	write_meta(w);
	records(w, T0, 12);
	finish(w, T0 + 30000);

	w = open_w("seed-raw-storm.nr", 2048, &t);
	synth_init(&s, SYNTH_STORM, 2);
	for (i = 0; i < 24; i++)
		append_rec(w, synth_next(&s, recbuf));
	TRY("close", nr_writer__close(w));

	w = open_w("seed-raw-mixed.nr", 4096, &t);
	synth_init(&s, SYNTH_MIXED, 2);
	for (i = 0; i < 40; i++)
		append_rec(w, synth_next(&s, recbuf));
	TRY("close", nr_writer__close(w));
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "--fuzz-seeds")) {
		dir = argv[2];
		fuzz_seeds();
		return 0;
	}
	if (argc != 2) {
		fprintf(stderr, "usage: gen_vectors DIR | --fuzz-seeds DIR\n");
		return 2;
	}
	if (__BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__) {
		fprintf(stderr, "gen_vectors: the vectors are made on a little-endian host\n");
		return 1;
	}
	dir = argv[1];
	all_blocks("all-blocks.nr");
	foreign_endian();
	truncated();
	unknown_block("unknown-block.nr", 0);
	unknown_block("required-block.nr", 1);
	newer_minor();
	unordered();
	bad_chunk();
	newer_major();
	return 0;
}
