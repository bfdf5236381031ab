// SPDX-License-Identifier: GPL-2.0-only
/*
 * synth.c - synthetic event streams (see synth.h)
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "synth.h"

#define NETNS_HOST	4026531840u
#define NETNS_PEER	4026532301u

/* a tiny synthetic kallsyms: sorted by address */
static const struct {
	__u64 addr, size;
	const char *name, *module;
} ksyms[] = {
	{ 0xffffffff81a10200, 0x1c0, "kfree_skb_list_reason", NULL },
	{ 0xffffffff81a10400, 0x220, "sk_skb_reason_drop", NULL },
	{ 0xffffffff81a10700, 0x90, "consume_skb", NULL },
	{ 0xffffffff81b20000, 0x600, "__netif_receive_skb_core", NULL },
	{ 0xffffffff81b20800, 0x1a0, "netif_receive_skb", NULL },
	{ 0xffffffff81b21000, 0x400, "__dev_queue_xmit", NULL },
	{ 0xffffffff81c04000, 0x300, "ip_rcv", NULL },
	{ 0xffffffff81c04400, 0x200, "ip_local_deliver_finish", NULL },
	{ 0xffffffff81c30000, 0x700, "__udp4_lib_rcv", NULL },
	{ 0xffffffff81c30800, 0x400, "__udp_queue_rcv_skb", NULL },
	{ 0xffffffff81c31000, 0x280, "udp_queue_rcv_one_skb", NULL },
	{ 0xffffffff81c40000, 0x900, "tcp_v4_rcv", NULL },
	{ 0xffffffff81c41000, 0x500, "tcp_v4_do_rcv", NULL },
	{ 0xffffffff81d00000, 0x180, "do_softirq", NULL },
	{ 0xffffffff81d00200, 0x300, "__local_bh_enable_ip", NULL },
	{ 0xffffffff81d10000, 0x200, "__sys_sendto", NULL },
	{ 0xffffffff81d10400, 0x60, "__x64_sys_sendto", NULL },
	{ 0xffffffff81e00000, 0x100, "do_syscall_64", NULL },
	{ 0xffffffff81e00200, 0x80, "entry_SYSCALL_64_after_hwframe", NULL },
	{ 0xffffffffc0a01000, 0x240, "nft_do_chain", "nf_tables" },
};

#define NKSYMS (sizeof(ksyms) / sizeof(ksyms[0]))

int synth_resolve(void *ctx, __u64 addr, struct nr_sym *ret)
{
	size_t i;

	(void)ctx;
	for (i = 0; i < NKSYMS; i++) {
		if (addr >= ksyms[i].addr && addr < ksyms[i].addr + ksyms[i].size) {
			ret->addr = ksyms[i].addr;
			ret->size = ksyms[i].size;
			ret->name = (char *)ksyms[i].name;
			ret->module = (char *)ksyms[i].module;
			return 0;
		}
	}
	return -ENOENT;
}

static __u64 rnd(struct synth *s)
{
	/* xorshift64* */
	s->rng ^= s->rng >> 12;
	s->rng ^= s->rng << 25;
	s->rng ^= s->rng >> 27;
	return s->rng * 0x2545f4914f6cdd1dull;
}

static __u32 rnd_below(struct synth *s, __u32 n)
{
	return (__u32)((rnd(s) >> 32) % n);
}

/* approximately normal, mean 0, standard deviation @sd (Irwin-Hall of 4) */
static __s64 rnd_normal(struct synth *s, __u32 sd)
{
	__s64 sum = 0;
	int i;

	for (i = 0; i < 4; i++)
		sum += (__s64)(rnd(s) >> 48);
	sum -= 2 * 65536;
	/* the sum of 4 uniform [0, 65536) has sd 65536 * sqrt(4/12) = 37837 */
	return sum * (__s64)sd / 37837;
}

void synth_init(struct synth *s, enum synth_kind kind, __u64 seed)
{
	memset(s, 0, sizeof(*s));
	s->kind = kind;
	s->rng = seed * 0x9e3779b97f4a7c15ull + 1;
	s->ts = 3915187464144ull;
	s->ip_id = 0x1c2d;
	s->skb_base = 0xffff888104c88000ull;
	s->next_skb = 0xffff888110000000ull;
}

static __u16 csum16(const __u8 *p, size_t n, __u32 sum)
{
	size_t i;

	for (i = 0; i + 1 < n; i += 2)
		sum += (__u32)p[i] << 8 | p[i + 1];
	if (n & 1)
		sum += (__u32)p[n - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (__u16)~sum;
}

__u32 synth_ipv4(__u8 *p, __u32 cap, __u8 proto, const __u8 src[4], const __u8 dst[4],
		       __u16 sport, __u16 dport, __u16 id, __u32 seq, __u32 ack, __u8 tflags,
		       const __u8 *payload, __u32 paylen)
{
	__u32 l4len = (proto == 6 ? 20 : 8) + paylen, tot = 20 + l4len, sum, i;
	__u8 *l4 = p + 20;

	if (tot > cap)
		return 0;
	memset(p, 0, tot);
	p[0] = 0x45;
	p[2] = (__u8)(tot >> 8);
	p[3] = (__u8)tot;
	p[4] = (__u8)(id >> 8);
	p[5] = (__u8)id;
	p[6] = 0x40;	/* DF */
	p[8] = 64;
	p[9] = proto;
	memcpy(p + 12, src, 4);
	memcpy(p + 16, dst, 4);
	i = csum16(p, 20, 0);
	p[10] = (__u8)(i >> 8);
	p[11] = (__u8)i;
	l4[0] = (__u8)(sport >> 8);
	l4[1] = (__u8)sport;
	l4[2] = (__u8)(dport >> 8);
	l4[3] = (__u8)dport;
	if (proto == 6) {
		l4[4] = (__u8)(seq >> 24); l4[5] = (__u8)(seq >> 16);
		l4[6] = (__u8)(seq >> 8); l4[7] = (__u8)seq;
		l4[8] = (__u8)(ack >> 24); l4[9] = (__u8)(ack >> 16);
		l4[10] = (__u8)(ack >> 8); l4[11] = (__u8)ack;
		l4[12] = 5 << 4;
		l4[13] = tflags;
		l4[14] = 0xfa; l4[15] = 0xf0;
		memcpy(l4 + 20, payload, paylen);
	} else {
		l4[4] = (__u8)(l4len >> 8);
		l4[5] = (__u8)l4len;
		memcpy(l4 + 8, payload, paylen);
	}
	/* pseudo-header sum, then the transport checksum */
	sum = ((__u32)src[0] << 8 | src[1]) + ((__u32)src[2] << 8 | src[3]) +
	      ((__u32)dst[0] << 8 | dst[1]) + ((__u32)dst[2] << 8 | dst[3]) + proto + l4len;
	i = csum16(l4, l4len, sum);
	if (proto == 6) {
		l4[16] = (__u8)(i >> 8);
		l4[17] = (__u8)i;
	} else {
		l4[6] = (__u8)(i >> 8);
		l4[7] = (__u8)i;
	}
	return tot;
}

__u32 synth_ipv6(__u8 *p, __u32 cap, __u8 proto, const __u8 src[16], const __u8 dst[16],
		       __u16 sport, __u16 dport, __u32 seq, __u8 tflags, __u32 paylen)
{
	__u32 l4len = (proto == 6 ? 20 : 8) + paylen, tot = 40 + l4len;
	__u8 *l4 = p + 40;

	if (tot > cap)
		return 0;
	memset(p, 0, tot);
	p[0] = 0x60;
	p[4] = (__u8)(l4len >> 8);
	p[5] = (__u8)l4len;
	p[6] = proto;
	p[7] = 64;
	memcpy(p + 8, src, 16);
	memcpy(p + 24, dst, 16);
	l4[0] = (__u8)(sport >> 8);
	l4[1] = (__u8)sport;
	l4[2] = (__u8)(dport >> 8);
	l4[3] = (__u8)dport;
	if (proto == 6) {
		l4[4] = (__u8)(seq >> 24); l4[5] = (__u8)(seq >> 16);
		l4[6] = (__u8)(seq >> 8); l4[7] = (__u8)seq;
		l4[12] = 5 << 4;
		l4[13] = tflags;
		l4[16] = (__u8)(seq * 7); l4[17] = (__u8)(seq >> 3);
	} else {
		l4[4] = (__u8)(l4len >> 8);
		l4[5] = (__u8)l4len;
		l4[6] = (__u8)(seq * 13);
		l4[7] = (__u8)(seq >> 5);
	}
	return tot;
}

static void put_stack(struct nr_rec_hdr *h, __u32 *stack_id, const __u64 *ips, __u32 nr)
{
	memcpy((__u8 *)h + h->size, ips, nr * 8);
	h->size += nr * 8;
	h->flags |= NR_RF_STACK_INLINE;
	*stack_id = nr;
}

static const __u64 storm_stack[] = {
	0xffffffff81a10434, 0xffffffff81c30a1c, 0xffffffff81c31104, 0xffffffff81c30388,
	0xffffffff81c04488, 0xffffffff81c04120, 0xffffffff81b201d0, 0xffffffff81b20880,
	0xffffffff81d0009c, 0xffffffff81d00244, 0xffffffff81d10188, 0xffffffff81d10420,
	0xffffffff81e00062, 0xffffffff81e00230,
};

static const struct nr_rec_hdr *storm_next(struct synth *s, __u8 *buf)
{
	static const __u8 src[4] = { 127, 0, 0, 1 }, dst[4] = { 127, 0, 0, 1 };
	struct nr_pkt *p = (void *)buf;
	__u8 payload[64];
	__s64 d;

	memset(p, 0, sizeof(*p));
	/* time: 4587 ns +- 50, and 1% of the time a pause of 10-20 us */
	d = 4587 + rnd_normal(s, 50);
	if (rnd_below(s, 100) == 0)
		d += 10000 + rnd_below(s, 10000);
	s->ts += (__u64)d;
	if (rnd_below(s, 2000) == 0)
		s->cpu ^= 1;
	p->hdr.type = NR_REC_PKT;
	p->hdr.ts_ns = s->ts;
	/* the skb of this CPU's slab, now and then one of two others */
	p->skb = s->skb_base + 0x400 * s->cpu;
	if (rnd_below(s, 100) == 0)
		p->skb = s->skb_base + 0x1000 + 0x400 * rnd_below(s, 2);
	p->head = 0xffff888107a3d000ull + 0x800 * s->cpu;
	p->sk = 0xffff88810a2c1e00ull;
	p->location = 0xffffffff81c30a1cull;	/* __udp_queue_rcv_skb+0x21c */
	p->netns = NETNS_HOST;
	p->ifindex = 1;
	p->iif = 1;
	p->reason = 6;				/* SOCKET_RCVBUFF */
	p->pid = 24611;
	p->probe = SP_KFREE_SKB;
	p->cpu = (__u16)s->cpu;
	p->protocol_be = htons(0x0800);
	p->dev_type = 772;			/* ARPHRD_LOOPBACK */
	p->pkt_type = 0;
	memset(payload, 'x', sizeof(payload));
	payload[0] = (__u8)(s->payload_seq >> 24);
	payload[1] = (__u8)(s->payload_seq >> 16);
	payload[2] = (__u8)(s->payload_seq >> 8);
	payload[3] = (__u8)s->payload_seq;
	s->payload_seq++;
	p->snap_len = (__u16)synth_ipv4(buf + sizeof(*p), NR_SNAP_MAX, 17, src, dst, 51234, 40999,
				       s->ip_id++, 0, 0, 0, payload, sizeof(payload));
	p->len = p->snap_len;
	p->snap_l3 = 0;
	p->snap_l4 = 20;
	p->hdr.size = (__u32)(sizeof(*p) + ((p->snap_len + 7u) & ~7u));
	put_stack(&p->hdr, &p->stack_id, storm_stack, sizeof(storm_stack) / 8);
	return &p->hdr;
}

/*
 * The mixed workload: per "packet" a short life of 2-4 events of one fresh skb (receive,
 * delivery or drop, free), spread over 256 flows; between them socket, route,
 * neighbour, counter and control records.
 */
static const struct nr_rec_hdr *mixed_next(struct synth *s, __u8 *buf)
{
	static const __u64 rx_stack[] = {
		0xffffffff81a10434, 0xffffffff81c40320, 0xffffffff81c04488, 0xffffffff81b201d0,
		0xffffffff81b20880, 0xffffffff81d0009c,
	};
	static const __u64 nft_stack[] = {
		0xffffffff81a10434, 0xffffffffc0a01188, 0xffffffff81c04120, 0xffffffff81b201d0,
		0xffffffff81b20880, 0xffffffff81d0009c,
	};
	__u32 r = rnd_below(s, 1000), flow;

	s->ts += 200 + rnd_below(s, 3000);
	memset(buf, 0, 256);
	if (r < 10) {
		struct nr_sock *k = (void *)buf;
		__u32 f = rnd_below(s, 256);

		k->hdr.type = NR_REC_SOCK;
		k->hdr.size = sizeof(*k);
		k->hdr.ts_ns = s->ts;
		k->sk = 0xffff88810b000000ull + 0x800 * f;
		k->netns = f & 1 ? NETNS_PEER : NETNS_HOST;
		k->pid = 1000 + f;
		k->probe = r < 6 ? SP_SET_STATE : r < 8 ? SP_RETRANSMIT : SP_SEND_RESET;
		k->cpu = (__u16)rnd_below(s, 2);
		k->family = f % 5 == 0 ? 10 : 2;
		k->protocol = 6;
		k->sport = (__u16)(40000 + f);
		k->dport = f % 3 ? 443 : 80;
		k->oldstate = (__u16)(1 + rnd_below(s, 11));
		k->newstate = k->probe == SP_SET_STATE ? (__u16)(1 + rnd_below(s, 11)) : 0;
		k->reason = k->probe == SP_SEND_RESET ? 1 + rnd_below(s, 5) : 0;
		k->val[0] = rnd_below(s, 100000);
		if (k->family == 2) {
			k->saddr[0] = 10; k->saddr[3] = (__u8)f;
			k->daddr[0] = 192; k->daddr[1] = 0; k->daddr[2] = 2; k->daddr[3] = 7;
		} else {
			k->saddr[0] = 0xfd; k->saddr[15] = (__u8)f;
			k->daddr[0] = 0x20; k->daddr[1] = 0x01; k->daddr[2] = 0x0d;
			k->daddr[3] = 0xb8; k->daddr[15] = 7;
		}
		memcpy(k->comm, f & 1 ? "curl" : "nginx", f & 1 ? 4 : 5);
		return &k->hdr;
	}
	if (r < 14) {
		struct nr_fib *b = (void *)buf;

		b->hdr.type = NR_REC_FIB;
		b->hdr.size = sizeof(*b);
		b->hdr.ts_ns = s->ts;
		b->netns = NETNS_HOST;
		b->tb_id = 254;
		b->err = r == 13 ? -101 : 0;
		b->oif = 2;
		b->nh_ifindex = b->err ? 0 : 2;
		b->probe = SP_FIB_LOOKUP;
		b->family = 2;
		b->proto = 6;
		b->sport = (__u16)rnd_below(s, 65536);
		b->dport = 443;
		b->rt_type = b->err ? 7 : 1;
		b->src[0] = 10; b->src[3] = 1;
		b->dst[0] = 198; b->dst[1] = 51; b->dst[2] = 100; b->dst[3] = (__u8)rnd_below(s, 8);
		b->gw[0] = 10; b->gw[3] = 254;
		return &b->hdr;
	}
	if (r < 15) {
		struct nr_neigh *g = (void *)buf;

		g->hdr.type = NR_REC_NEIGH;
		g->hdr.size = sizeof(*g);
		g->hdr.ts_ns = s->ts;
		g->neigh = 0xffff88810c001000ull;
		g->netns = NETNS_HOST;
		g->ifindex = 2;
		g->probe = SP_NEIGH_UPDATE;
		g->family = 2;
		g->nud_state = 0x02;
		g->new_state = 0x04;
		g->lladdr_len = 6;
		g->key[0] = 10; g->key[3] = 254;
		memcpy(g->lladdr, "\x02\x00\x5e\x10\x00\x01", 6);
		return &g->hdr;
	}
	if (r < 16) {
		struct nr_counter *c = (void *)buf;

		c->hdr.type = NR_REC_COUNTER;
		c->hdr.size = sizeof(*c);
		c->hdr.ts_ns = s->ts;
		c->kind = NR_CNT_LOST;
		c->cpu = rnd_below(s, 2);
		c->probe = NR_PROBE_NONE;
		c->value = s->n / 1000;
		return &c->hdr;
	}
	if (r < 17 && rnd_below(s, 10) == 0) {
		struct nr_ctl *c = (void *)buf;
		static const char text[] = "checkpoint";

		c->hdr.type = NR_REC_CTL;
		c->kind = NR_CTL_MARK;
		c->text_len = sizeof(text) - 1;
		memcpy(buf + sizeof(*c), text, c->text_len);
		c->hdr.size = (__u32)(sizeof(*c) + ((c->text_len + 7u) & ~7u));
		c->hdr.ts_ns = s->ts;
		return &c->hdr;
	}

	/* packet events */
	if (!s->pending_left) {
		s->pending_flow = rnd_below(s, 256);
		s->pending_skb = s->next_skb;
		s->next_skb += 0x100 * (1 + rnd_below(s, 64));
		s->pending_left = 2 + rnd_below(s, 3);
		s->pending_kind = (__u8)rnd_below(s, 10);	/* 0: dropped */
		s->flow_seq[s->pending_flow] += 1448;
	}
	flow = s->pending_flow;
	{
		struct nr_pkt *p = (void *)buf;
		__u8 src[16] = { 10, 0, 0, (__u8)flow }, dst[16] = { 192, 0, 2, 7 };
		bool v6 = flow % 5 == 0, tcp = flow % 4 != 3;
		__u32 paylen = tcp ? (flow & 8 ? 1448 : 40 + (flow % 200)) : 32 + flow % 64;
		__u32 n;

		p->hdr.type = NR_REC_PKT;
		p->hdr.ts_ns = s->ts;
		p->skb = s->pending_skb;
		p->head = s->pending_skb + 0x100000000ull;
		p->sk = 0xffff88810b000000ull + 0x800 * flow;
		p->netns = flow & 1 ? NETNS_PEER : NETNS_HOST;
		p->ifindex = flow & 1 ? 5 : 2;
		p->iif = p->ifindex;
		p->pid = 1000 + flow;
		p->cpu = (__u16)(flow & 1);
		p->protocol_be = htons(v6 ? 0x86dd : 0x0800);
		p->dev_type = 1;
		p->snap_l3 = 0;
		if (v6) {
			src[0] = 0xfd; src[15] = (__u8)flow;
			dst[0] = 0x20; dst[1] = 0x01; dst[2] = 0x0d; dst[3] = 0xb8; dst[15] = 7;
			n = synth_ipv6(buf + sizeof(*p), 128, tcp ? 6 : 17, src, dst,
				      (__u16)(40000 + flow), tcp ? 443 : 53, s->flow_seq[flow],
				      0x18, paylen < 60 ? paylen : 60);
			p->snap_l4 = 40;
		} else {
			__u8 pl[64];

			memset(pl, (int)(flow & 0x7f), sizeof(pl));
			n = synth_ipv4(buf + sizeof(*p), 128, tcp ? 6 : 17, src, dst,
				      (__u16)(40000 + flow), tcp ? 443 : 53,
				      (__u16)(s->flow_seq[flow] / 1448), s->flow_seq[flow], 777,
				      0x18, pl, paylen < 64 ? paylen : 64);
			p->snap_l4 = 20;
		}
		p->snap_len = (__u16)(n < 128 ? n : 128);
		p->len = 20 + paylen + (tcp ? 20 : 8);
		s->pending_left--;
		if (s->pending_left == 0) {
			bool drop = s->pending_kind == 0;

			p->probe = drop ? SP_KFREE_SKB : SP_CONSUME_SKB;
			p->location = drop ? (flow & 2 ? 0xffffffffc0a01188ull : 0xffffffff81c40320ull)
					   : 0xffffffff81a10712ull;
			p->reason = drop ? (flow & 2 ? 12 : 3) : 0;
		} else if (s->pending_left == 1) {
			p->probe = SP_COPY_DATAGRAM;
			p->aux = paylen;
		} else {
			p->probe = flow & 1 ? SP_NETIF_RECEIVE : SP_NET_DEV_QUEUE;
		}
		p->hdr.size = (__u32)(sizeof(*p) + ((p->snap_len + 7u) & ~7u));
		if (p->probe == SP_KFREE_SKB) {
			if (flow & 2)
				put_stack(&p->hdr, &p->stack_id, nft_stack, 6);
			else
				put_stack(&p->hdr, &p->stack_id, rx_stack, 6);
		}
		return &p->hdr;
	}
}

const struct nr_rec_hdr *synth_next(struct synth *s, void *buf)
{
	s->n++;
	if (s->kind == SYNTH_STORM)
		return storm_next(s, buf);
	return mixed_next(s, buf);
}

static const char *const probe_names[SP_MAX] = {
	[SP_KFREE_SKB] = "skb:kfree_skb",
	[SP_CONSUME_SKB] = "skb:consume_skb",
	[SP_NETIF_RECEIVE] = "net:netif_receive_skb",
	[SP_NET_DEV_QUEUE] = "net:net_dev_queue",
	[SP_NET_DEV_XMIT] = "net:net_dev_xmit",
	[SP_COPY_DATAGRAM] = "skb:skb_copy_datagram_iovec",
	[SP_SET_STATE] = "sock:inet_sock_set_state",
	[SP_RETRANSMIT] = "tcp:tcp_retransmit_skb",
	[SP_SEND_RESET] = "tcp:tcp_send_reset",
	[SP_FIB_LOOKUP] = "fib:fib_table_lookup",
	[SP_NEIGH_UPDATE] = "neigh:neigh_update",
	[SP_RCVQUEUE_FULL] = "sock:sock_rcvqueue_full",
};

int synth_write_meta(struct nr_writer *w, __u64 start_ts)
{
	static char *argv[] = { "netrec", "record", "-o", "synthetic.nr", "--stack=all" };
	static const struct nr_enum_entry reasons[] = {
		{ 0, "SKB_NOT_DROPPED_YET" }, { 1, "SKB_CONSUMED" },
		{ 2, "SKB_DROP_REASON_NOT_SPECIFIED" }, { 3, "SKB_DROP_REASON_NO_SOCKET" },
		{ 6, "SKB_DROP_REASON_SOCKET_RCVBUFF" }, { 10, "SKB_DROP_REASON_TCP_CSUM" },
		{ 12, "SKB_DROP_REASON_NETFILTER_DROP" }, { 13, "SKB_DROP_REASON_OTHERHOST" },
	};
	static const struct nr_enum_entry states[] = {
		{ 1, "TCP_ESTABLISHED" }, { 2, "TCP_SYN_SENT" }, { 3, "TCP_SYN_RECV" },
		{ 4, "TCP_FIN_WAIT1" }, { 5, "TCP_FIN_WAIT2" }, { 6, "TCP_TIME_WAIT" },
		{ 7, "TCP_CLOSE" }, { 8, "TCP_CLOSE_WAIT" }, { 9, "TCP_LAST_ACK" },
		{ 10, "TCP_LISTEN" }, { 11, "TCP_CLOSING" }, { 12, "TCP_NEW_SYN_RECV" },
	};
	static const struct nr_enum_entry rst[] = {
		{ 0, "SK_RST_REASON_NOT_SPECIFIED" }, { 1, "SK_RST_REASON_NO_SOCKET" },
		{ 2, "SK_RST_REASON_TCP_INVALID_ACK_SEQUENCE" },
	};
	static const struct nr_enum_entry rtn[] = {
		{ 0, "RTN_UNSPEC" }, { 1, "RTN_UNICAST" }, { 2, "RTN_LOCAL" },
		{ 3, "RTN_BROADCAST" }, { 6, "RTN_BLACKHOLE" }, { 7, "RTN_UNREACHABLE" },
		{ 8, "RTN_PROHIBIT" },
	};
	static const struct nr_enum_entry netdev_tx[] = {
		{ -1, "__NETDEV_TX_MIN" }, { 0, "NETDEV_TX_OK" }, { 16, "NETDEV_TX_BUSY" },
	};
	struct nr_enum e;
	struct nr_host h = {
		.hostname = "synth-host", .sysname = "Linux", .release = "6.18.0-synthetic",
		.version = "#1 SMP PREEMPT_DYNAMIC", .machine = "x86_64",
		.netrec_version = "0.1.0", .boot_id = "3b0c2a4e-8d47-4c52-9a1e-5f0e6d7c8b9a",
		.build_id = { 0x5a, 0x17, 0x9c, 0x03, 0xee, 0x41, 0x2b, 0x88, 0x10, 0x6d,
			      0x93, 0x0f, 0x27, 0xc4, 0x5e, 0xb1, 0x08, 0x72, 0xd9, 0x3a },
		.build_id_len = 20, .ncpus = 2, .page_size = 4096,
	};
	struct nr_clock c = { .mono_ns = start_ts, .real_ns = 1795000000000000000ull,
			      .boot_ns = start_ts + 1234567 };
	struct nr_probe_outcome p[SP_MAX];
	struct nr_ifaddr a_lo[2] = {
		{ .family = 2, .prefixlen = 8, .addr = { 127, 0, 0, 1 } },
		{ .family = 10, .prefixlen = 128, .addr = { [15] = 1 } },
	};
	struct nr_ifaddr a_eth[1] = { { .family = 2, .prefixlen = 24, .addr = { 10, 0, 0, 1 } } };
	struct nr_iface host_ifs[2] = {
		{ .ifindex = 1, .name = "lo", .type = 772, .flags = 0x49, .mtu = 65536,
		  .naddrs = 2, .addrs = a_lo },
		{ .ifindex = 2, .name = "eth0", .type = 1, .flags = 0x1043, .mtu = 1500,
		  .mac_len = 6, .mac = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 }, .naddrs = 1,
		  .addrs = a_eth },
	};
	struct nr_iface peer_ifs[1] = {
		{ .ifindex = 5, .name = "veth-peer", .type = 1, .flags = 0x1043, .mtu = 1500,
		  .link_ifindex = 6, .mac_len = 6, .mac = { 0xa2, 0x11, 0x22, 0x33, 0x44, 0x55 },
		  .link_netns = NETNS_HOST, .master_ifindex = 0, .kind = "veth" },
	};
	struct nr_netns host = { .inode = NETNS_HOST, .name = NULL };
	struct nr_netns peer = { .inode = NETNS_PEER, .name = "peer" };
	int err, i;

	err = nr_writer__host(w, &h);
	if (!err)
		err = nr_writer__clock(w, &c, false);
	if (!err)
		err = nr_writer__cmdline(w, 5, argv, "udp port 40999");
	memset(p, 0, sizeof(p));
	for (i = 0; i < SP_MAX; i++) {
		p[i].id = (__u16)i;
		p[i].status = NR_PROBE_ATTACHED;
		p[i].name = (char *)probe_names[i];
		p[i].mechanism = "tp_btf";
		p[i].target = (char *)strchr(probe_names[i], ':') + 1;
	}
	p[SP_NEIGH_UPDATE].status = NR_PROBE_FAILED;
	p[SP_NEIGH_UPDATE].err = -EPERM;
	p[SP_NEIGH_UPDATE].mechanism = NULL;
	p[SP_NEIGH_UPDATE].msg = "attach refused";
	if (!err)
		err = nr_writer__probes(w, p, SP_MAX);
	e.name = "skb_drop_reason";
	e.nr = sizeof(reasons) / sizeof(reasons[0]);
	e.e = (struct nr_enum_entry *)reasons;
	if (!err)
		err = nr_writer__enum(w, &e);
	e.name = "tcp_state";
	e.nr = sizeof(states) / sizeof(states[0]);
	e.e = (struct nr_enum_entry *)states;
	if (!err)
		err = nr_writer__enum(w, &e);
	e.name = "sk_rst_reason";
	e.nr = sizeof(rst) / sizeof(rst[0]);
	e.e = (struct nr_enum_entry *)rst;
	if (!err)
		err = nr_writer__enum(w, &e);
	e.name = "rtn_type";
	e.nr = sizeof(rtn) / sizeof(rtn[0]);
	e.e = (struct nr_enum_entry *)rtn;
	if (!err)
		err = nr_writer__enum(w, &e);
	e.name = "netdev_tx";
	e.nr = sizeof(netdev_tx) / sizeof(netdev_tx[0]);
	e.e = (struct nr_enum_entry *)netdev_tx;
	if (!err)
		err = nr_writer__enum(w, &e);
	if (!err)
		err = nr_writer__ifaces(w, &host, host_ifs, 2);
	if (!err)
		err = nr_writer__ifaces(w, &peer, peer_ifs, 1);
	return err;
}

int synth_write_end(struct nr_writer *w, __u64 start_ts, __u64 end_ts)
{
	struct nr_clock c = { .mono_ns = end_ts,
			      .real_ns = 1795000000000000000ull + (end_ts - start_ts),
			      .boot_ns = end_ts + 1234567 };

	return nr_writer__clock(w, &c, true);
}

int synth_write_file(const char *path, const struct nr_writer_opts *o, enum synth_kind kind,
		     __u64 n, __u64 seed)
{
	static __u64 buf[SYNTH_REC_MAX / 8];
	struct nr_writer *w;
	struct synth s;
	__u64 i, start;
	int err, cerr;

	synth_init(&s, kind, seed);
	start = s.ts;
	err = nr_writer__open(path, o, &w);
	if (err)
		return err;
	err = synth_write_meta(w, start);
	for (i = 0; !err && (!n || i < n); i++)
		err = nr_writer__append(w, synth_next(&s, buf));
	if (!err)
		err = synth_write_end(w, start, s.ts);
	cerr = nr_writer__close(w);
	return err ? err : cerr;
}
