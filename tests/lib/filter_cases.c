// SPDX-License-Identifier: GPL-2.0-only
/*
 * filter_cases.c - the --filter test table (see filter_cases.h)
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "filter_cases.h"

const struct fcase_expr fcase_exprs[] = {
	{ "", FCASE_ALL },
	{ "ip", FCASE_SOME },
	{ "ip6", FCASE_SOME },
	{ "tcp", FCASE_SOME },
	{ "udp", FCASE_SOME },
	{ "icmp", FCASE_SOME },
	{ "icmp6", FCASE_SOME },
	{ "ether proto 0x0800", FCASE_SOME },
	{ "host 10.0.0.1", FCASE_SOME },
	{ "src host 10.0.0.1", FCASE_SOME },
	{ "dst host 10.0.0.2", FCASE_SOME },
	{ "host 10.0.0.1 and host 10.0.0.2", FCASE_SOME },
	{ "host 10.0.0.1 or host 172.16.5.4", FCASE_SOME },
	{ "net 10.0.0.0/8", FCASE_SOME },
	{ "net 192.168.0.0/16", FCASE_SOME },
	{ "src net 10.1.0.0/16", FCASE_SOME },
	{ "src net 172.16.0.0 mask 255.240.0.0", FCASE_SOME },
	{ "dst net 224.0.0.0/4", FCASE_SOME },
	{ "port 80", FCASE_SOME },
	{ "src port 1234", FCASE_SOME },
	{ "dst port 443", FCASE_SOME },
	{ "tcp port 80", FCASE_SOME },
	{ "udp port 53", FCASE_SOME },
	{ "tcp dst port 22", FCASE_SOME },
	{ "portrange 1000-2000", FCASE_SOME },
	{ "tcp portrange 79-81", FCASE_SOME },
	{ "udp dst portrange 5000-5100", FCASE_SOME },
	{ "src portrange 40000-65535", FCASE_SOME },
	{ "proto 47", FCASE_SOME },
	{ "ip proto 17", FCASE_SOME },
	{ "ip6 proto 58", FCASE_SOME },
	{ "proto \\tcp", FCASE_SOME },
	{ "ip6 proto \\udp", FCASE_SOME },
	{ "tcp[tcpflags] & tcp-syn != 0", FCASE_SOME },
	{ "tcp[tcpflags] & (tcp-syn|tcp-ack) == tcp-syn", FCASE_SOME },
	{ "tcp[tcpflags] & (tcp-fin|tcp-rst) != 0", FCASE_SOME },
	{ "tcp[13] & 7 != 0 or tcp[13] = 0x12", FCASE_SOME },
	{ "ip[2:2] > 100", FCASE_SOME },
	{ "ip[6:2] & 0x1fff = 0", FCASE_SOME },
	{ "ip[6:2] & 0x1fff != 0", FCASE_SOME },
	{ "ip[6] & 0x20 != 0", FCASE_SOME },
	{ "ip[0] & 0xf > 5", FCASE_SOME },
	{ "ip[8] < 64", FCASE_SOME },
	{ "ip[1] = 0 and ip[8] = 64", FCASE_SOME },
	{ "len > 64", FCASE_SOME },
	{ "len <= 40", FCASE_SOME },
	{ "less 60", FCASE_SOME },
	{ "greater 1000", FCASE_SOME },
	{ "len - 20 > 40", FCASE_SOME },
	{ "ip[2:2] = len", FCASE_SOME },
	{ "ip[2:2] != len and ip", FCASE_SOME },
	{ "host 10.0.0.1 and port 80", FCASE_SOME },
	{ "not port 22", FCASE_SOME },
	{ "not ip", FCASE_SOME },
	{ "tcp and not port 22 and not port 80", FCASE_SOME },
	{ "(tcp or udp) and port 53", FCASE_SOME },
	{ "host 10.0.0.1 and (port 80 or port 8080) and not src net 10.1.0.0/16", FCASE_SOME },
	{ "icmp[icmptype] = icmp-echo", FCASE_SOME },
	{ "icmp[icmptype] != icmp-echo and icmp[icmptype] != icmp-echoreply", FCASE_SOME },
	{ "ip6 host 2001:db8::1", FCASE_SOME },
	{ "ip6 src host 2001:db8::1", FCASE_SOME },
	{ "ip6 net 2001:db8::/32", FCASE_SOME },
	{ "ip6 dst net ff02::/16", FCASE_SOME },
	{ "ip6 and tcp port 443", FCASE_SOME },
	{ "src host 2001:db8::1 and dst port 443", FCASE_SOME },
	{ "host ::1", FCASE_SOME },
	{ "icmp6 and ip6[40] = 128", FCASE_SOME },
	{ "icmp6[icmp6type] = icmp6-neighborsolicit", FCASE_SOME },
	{ "ip6[6] = 17", FCASE_SOME },
	{ "ip6 protochain 6", FCASE_SOME },
	{ "ip6 protochain 17", FCASE_SOME },
	{ "ip protochain 1", FCASE_SOME },
	{ "ip multicast", FCASE_SOME },
	{ "ip6 multicast", FCASE_SOME },
	{ "udp[8:4] = 0xdeadbeef", FCASE_SOME },
	{ "tcp[20:4] = 0x47455420", FCASE_SOME },
	{ "tcp[((tcp[12:1] & 0xf0) >> 2):4] = 0x47455420", FCASE_SOME },
	{ "ip[ip[0] & 0xf] = 0", FCASE_SOME },
	{ "ip[255] = 0", FCASE_SOME },
	{ "ip[254:2] = 0", FCASE_SOME },
	{ "ip[253:4] = 0", FCASE_NONE },
	{ "ip[300] = 1", FCASE_NONE },
	{ "not ip[300] = 1", FCASE_SOME },	/* non-IPv4 packets */
	{ "ip[2:2] / ip[8] > 1", FCASE_SOME },
	{ "ip[2:2] / 3 = 20", FCASE_ANY },
	{ "ip[2:2] % 7 = 3", FCASE_ANY },
	{ "ip[2:2] % ip[11] = 0", FCASE_SOME },
	{ "ip[2:2] >> ip[8] = 0", FCASE_SOME },
	{ "ip[0] << ip[1] != 0", FCASE_SOME },
	{ "ip[0] << 2 = 0x114", FCASE_SOME },
	{ "ip[0] ^ 0xff = 0xba", FCASE_SOME },
	{ "-ip[0] = 0xffffffbb", FCASE_SOME },
	{ "ip[0] * 3 - 1 = 0xce", FCASE_SOME },
	{ "ip[0] & ip[1] | 1 = 1", FCASE_SOME },
	{ "ip[12:4] - ip[16:4] > 0x7fffffff", FCASE_SOME },
	{ "ip[16:4] > 0xdf000000", FCASE_SOME },
	{ "ip[16:4] >= 0xe00000fb and ip[16:4] <= 0xe00000fb", FCASE_SOME },
	{ "ip[12:4] & 0xff000000 = 0x0a000000", FCASE_SOME },
	{ NULL, 0 },
};

const char *const fcase_refused[] = {
	"ether host 1:2:3:4:5:6",
	"ether src 1:2:3:4:5:6",
	"vlan",
	"vlan 100 and tcp",
	"mpls",
	"broadcast",
	"multicast",
	"inbound",
	"outbound",
	"arp",
	"tcp port",
	"host 300.1.1.1",
	"ip[0] << 40 > 0",
	"ip[2:2] / 0 > 1",
	"foo bar",
	NULL,
};

struct builder {
	__u8 *p;
	size_t len;
};

static void put8(struct builder *b, unsigned int v)
{
	if (b->len < FCASE_MAX_PKT)
		b->p[b->len] = (__u8)v;
	b->len++;
}

static void put16(struct builder *b, unsigned int v)
{
	put8(b, v >> 8);
	put8(b, v);
}

static void put32(struct builder *b, __u32 v)
{
	put16(b, v >> 16);
	put16(b, v & 0xffff);
}

static void putn(struct builder *b, const void *data, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		put8(b, ((const __u8 *)data)[i]);
}

static void fill(struct builder *b, size_t n, __u8 v)
{
	while (n--)
		put8(b, v);
}

static void set16(struct builder *b, size_t at, unsigned int v)
{
	b->p[at] = (__u8)(v >> 8);
	b->p[at + 1] = (__u8)v;
}

#define NR_BUF_CUT	256	/* what the probes copy */

#define V4(a, b, c, d) ((__u32)(a) << 24 | (__u32)(b) << 16 | (__u32)(c) << 8 | (__u32)(d))

struct l4 {
	int proto;		/* 6, 17, 1, 58, other: raw payload */
	unsigned int sport, dport;
	unsigned int flags;	/* TCP flags, or ICMP type */
	unsigned int tcp_opts;	/* bytes of TCP options (multiple of 4) */
	const char *payload;
	size_t payload_len;
};

static void put_l4(struct builder *b, const struct l4 *l)
{
	switch (l->proto) {
	case 6:
		put16(b, l->sport);
		put16(b, l->dport);
		put32(b, 0x01020304);
		put32(b, l->flags & 0x10 ? 0x0a0b0c0d : 0);
		put8(b, (5 + l->tcp_opts / 4) << 4);
		put8(b, l->flags);
		put16(b, 65535);
		put16(b, 0);
		put16(b, 0);
		fill(b, l->tcp_opts, 1);
		break;
	case 17:
		put16(b, l->sport);
		put16(b, l->dport);
		put16(b, 8 + l->payload_len);
		put16(b, 0);
		break;
	case 1:
	case 58:
		put8(b, l->flags);
		put8(b, 0);
		put16(b, 0);
		put16(b, 0x1234);
		put16(b, 1);
		break;
	default:
		break;
	}
	putn(b, l->payload, l->payload_len);
}

/* IPv4 packet; @ihl in 32-bit words, @frag = flags and offset field */
static size_t ipv4(__u8 *out, __u32 src, __u32 dst, unsigned int ihl, unsigned int frag,
		   unsigned int ttl, const struct l4 *l)
{
	struct builder b = { .p = out };

	put8(&b, 0x40 | (ihl & 0xf));
	put8(&b, 0);
	put16(&b, 0);		/* total length, set below */
	put16(&b, 0x4242);
	put16(&b, frag);
	put8(&b, ttl);
	put8(&b, l->proto);
	put16(&b, 0);
	put32(&b, src);
	put32(&b, dst);
	if (ihl > 5)
		fill(&b, 4 * (ihl - 5), 1);	/* NOP options */
	put_l4(&b, l);
	set16(&b, 2, b.len);
	return b.len;
}

struct v6ext {
	int type;		/* 0 hop-by-hop, 43 routing, 44 fragment, 60 dest opts, 51 AH */
	unsigned int len8;	/* extra 8-byte units (hdr ext len) */
};

static size_t ipv6(__u8 *out, const char *src, const char *dst, const struct v6ext *ext,
		   size_t next, const struct l4 *l)
{
	struct builder b = { .p = out };
	__u8 s[16] = { 0 }, d[16] = { 0 };
	size_t i;
	int first = next ? ext[0].type : l->proto;

	/* addresses as "a:b:...": only what the table needs (hex groups, one "::") */
	for (int which = 0; which < 2; which++) {
		const char *a = which ? dst : src;
		__u8 *o = which ? d : s;
		unsigned int g[8], n = 0, tail = 0, gap = 8;
		const char *p = a;

		while (*p && n < 8) {
			if (p[0] == ':' && p[1] == ':') {
				gap = n;
				p += 2;
				continue;
			}
			g[n++] = (unsigned int)strtoul(p, (char **)&p, 16);
			if (*p == ':' && p[1] != ':')
				p++;
		}
		tail = gap == 8 ? 0 : n - gap;
		for (i = 0; i < n; i++) {
			size_t pos = (gap != 8 && i >= gap) ? 8 - tail + (i - gap) : i;

			o[2 * pos] = (__u8)(g[i] >> 8);
			o[2 * pos + 1] = (__u8)g[i];
		}
	}
	put32(&b, 0x60000000);
	put16(&b, 0);		/* payload length, set below */
	put8(&b, first);
	put8(&b, 64);
	putn(&b, s, 16);
	putn(&b, d, 16);
	for (i = 0; i < next; i++) {
		int nh = i + 1 < next ? ext[i + 1].type : l->proto;

		if (ext[i].type == 44) {
			put8(&b, nh);
			put8(&b, 0);
			put16(&b, 0);
			put32(&b, 0x11223344);
		} else if (ext[i].type == 51) {
			/* AH: length in 4-byte units minus 2 */
			put8(&b, nh);
			put8(&b, 4);
			put16(&b, 0);
			fill(&b, 20, 0xab);
		} else {
			put8(&b, nh);
			put8(&b, ext[i].len8);
			fill(&b, 6 + 8 * ext[i].len8, ext[i].type == 43 ? 0 : 1);
		}
	}
	put_l4(&b, l);
	set16(&b, 4, b.len - 40);
	return b.len;
}

static struct fcase_pkt *add(struct fcase_pkt *tab, size_t *n, size_t *cap, const char *name,
			     const __u8 *data, size_t len, __u32 wirelen)
{
	struct fcase_pkt *p;

	if (!tab)
		return NULL;
	if (*n == *cap) {
		*cap *= 2;
		p = realloc(tab, *cap * sizeof(*tab));
		if (!p) {
			free(tab);
			return NULL;
		}
		tab = p;
	}
	p = &tab[(*n)++];
	memset(p, 0, sizeof(*p));
	snprintf(p->name, sizeof(p->name), "%s", name);
	if (len > FCASE_MAX_PKT)
		len = FCASE_MAX_PKT;
	memcpy(p->data, data, len);
	p->caplen = (__u32)len;
	p->wirelen = wirelen;
	return tab;
}

static const char http_get[] = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
static const __u8 beef[] = { 0xde, 0xad, 0xbe, 0xef, 1, 2, 3, 4 };

size_t fcase_packets(unsigned int nrandom, unsigned int seed, struct fcase_pkt **ret)
{
	static const unsigned int cuts[] = { 0, 1, 2, 6, 9, 10, 12, 13, 19, 20, 21, 22, 23, 24,
					     27, 33, 34, 35, 39, 40, 41, 43, 47, 48, 53, 54,
					     55, 56, 60, 63, 64, 79, 80 };
	static __u8 big[FCASE_MAX_PKT];
	size_t n = 0, cap = 64, base, i, len;
	struct fcase_pkt *tab = malloc(cap * sizeof(*tab));
	__u8 pkt[FCASE_MAX_PKT];
	__u32 rnd = seed ? seed : 1;
	unsigned int c;

#define ADD(name, l) (tab = add(tab, &n, &cap, name, pkt, l, (__u32)(l)))
	{
		struct l4 syn = { .proto = 6, .sport = 1234, .dport = 80, .flags = 0x02 };
		struct l4 get = { .proto = 6, .sport = 80, .dport = 1234, .flags = 0x18,
			.payload = http_get, .payload_len = sizeof(http_get) - 1 };
		struct l4 synack_opts = { .proto = 6, .sport = 443, .dport = 40000, .flags = 0x12,
			.tcp_opts = 20 };
		struct l4 ssh = { .proto = 6, .sport = 50000, .dport = 22, .flags = 0x02 };
		struct l4 rst = { .proto = 6, .sport = 8080, .dport = 1234, .flags = 0x04 };
		struct l4 fin = { .proto = 6, .sport = 1234, .dport = 8080, .flags = 0x11 };
		struct l4 mdns = { .proto = 17, .sport = 5353, .dport = 5353,
			.payload = (const char *)beef, .payload_len = sizeof(beef) };
		struct l4 dns = { .proto = 17, .sport = 40000, .dport = 53,
			.payload = "abcdefghijkl", .payload_len = 12 };
		struct l4 udp5001 = { .proto = 17, .sport = 5001, .dport = 5050, .payload = "x",
			.payload_len = 1 };
		struct l4 echo = { .proto = 1, .flags = 8 };
		struct l4 reply = { .proto = 1 };
		struct l4 unreach = { .proto = 1, .flags = 3 };
		struct l4 gre = { .proto = 47, .payload = "\0\0\x08\0grepayload",
			.payload_len = 14 };
		struct l4 frag_body = { .proto = 17, .sport = 40000, .dport = 53,
			.payload = "fragmentpayload!", .payload_len = 16 };
		struct l4 v6syn = { .proto = 6, .sport = 40000, .dport = 443, .flags = 0x02 };
		struct l4 v6dns = { .proto = 17, .sport = 53, .dport = 53, .payload = "v6dns",
			.payload_len = 5 };
		struct l4 ping6 = { .proto = 58, .flags = 128 };
		struct l4 ns = { .proto = 58, .flags = 135, .payload = "\0\0\0\0targetaddress...",
			.payload_len = 20 };
		struct l4 v6http = { .proto = 6, .sport = 80, .dport = 1234, .flags = 0x18,
			.payload = http_get, .payload_len = sizeof(http_get) - 1 };
		struct l4 v6udp = { .proto = 17, .sport = 8080, .dport = 8080,
			.payload = (const char *)beef, .payload_len = sizeof(beef) };
		struct l4 none = { .proto = 59 };
		struct v6ext hbh[] = { { 0, 0 } };
		struct v6ext rt_do[] = { { 43, 1 }, { 60, 0 } };
		struct v6ext fr[] = { { 44, 0 } };
		struct v6ext ah[] = { { 51, 0 } };
		struct v6ext all[] = { { 0, 1 }, { 60, 0 }, { 43, 0 }, { 44, 0 } };

		ADD("v4 tcp syn", ipv4(pkt, V4(10, 0, 0, 1), V4(10, 0, 0, 2), 5, 0x4000, 64, &syn));
		ADD("v4 tcp get", ipv4(pkt, V4(10, 0, 0, 2), V4(10, 0, 0, 1), 5, 0x4000, 64, &get));
		ADD("v4 tcp synack opts",
		    ipv4(pkt, V4(10, 0, 0, 2), V4(10, 0, 0, 1), 5, 0, 128, &synack_opts));
		ADD("v4 ipopts ssh",
		    ipv4(pkt, V4(192, 168, 1, 7), V4(10, 0, 0, 2), 8, 0, 64, &ssh));
		ADD("v4 ihl15 rst",
		    ipv4(pkt, V4(10, 1, 2, 3), V4(10, 0, 0, 1), 15, 0, 3, &rst));
		ADD("v4 tcp fin", ipv4(pkt, V4(10, 0, 0, 1), V4(10, 1, 0, 9), 5, 0, 64, &fin));
		ADD("v4 mdns",
		    ipv4(pkt, V4(10, 0, 0, 3), V4(224, 0, 0, 251), 5, 0, 255, &mdns));
		ADD("v4 dns", ipv4(pkt, V4(172, 16, 5, 4), V4(10, 0, 0, 1), 5, 0, 64, &dns));
		ADD("v4 udp 5001",
		    ipv4(pkt, V4(10, 1, 2, 3), V4(10, 0, 0, 2), 5, 0, 64, &udp5001));
		ADD("v4 icmp echo", ipv4(pkt, V4(10, 0, 0, 1), V4(10, 0, 0, 2), 5, 0, 64, &echo));
		ADD("v4 icmp reply", ipv4(pkt, V4(10, 0, 0, 2), V4(10, 0, 0, 1), 5, 0, 64, &reply));
		ADD("v4 icmp unreach",
		    ipv4(pkt, V4(192, 168, 0, 1), V4(10, 0, 0, 1), 6, 0, 64, &unreach));
		ADD("v4 gre", ipv4(pkt, V4(10, 0, 0, 1), V4(10, 0, 0, 2), 5, 0, 64, &gre));
		ADD("v4 frag first",
		    ipv4(pkt, V4(172, 16, 5, 4), V4(10, 0, 0, 1), 5, 0x2000, 64, &frag_body));
		ADD("v4 frag middle",
		    ipv4(pkt, V4(172, 16, 5, 4), V4(10, 0, 0, 1), 5, 0x2000 | 185, 64, &frag_body));
		ADD("v4 frag last",
		    ipv4(pkt, V4(172, 16, 5, 4), V4(10, 0, 0, 1), 5, 370, 64, &frag_body));
		len = ipv4(pkt, V4(10, 0, 0, 3), V4(10, 0, 0, 4), 4, 0, 64, &syn);
		ADD("v4 ihl4", len);
		ADD("v6 tcp syn", ipv6(pkt, "2001:db8::1", "2001:db8::2", NULL, 0, &v6syn));
		ADD("v6 dns", ipv6(pkt, "::1", "::1", NULL, 0, &v6dns));
		ADD("v6 ping", ipv6(pkt, "fe80::1", "ff02::1", NULL, 0, &ping6));
		ADD("v6 ns", ipv6(pkt, "fe80::2", "ff02::1:ff00:1", NULL, 0, &ns));
		ADD("v6 hbh http", ipv6(pkt, "2001:db8::2", "2001:db8::1", hbh, 1, &v6http));
		ADD("v6 rt+do udp", ipv6(pkt, "2001:db8:1::5", "2001:db9::7", rt_do, 2, &v6udp));
		ADD("v6 frag tcp", ipv6(pkt, "2001:db8::1", "2001:db8::2", fr, 1, &v6syn));
		ADD("v6 ah tcp", ipv6(pkt, "2001:db8::1", "2001:db8::3", ah, 1, &v6syn));
		ADD("v6 4ext udp", ipv6(pkt, "2001:db8::9", "2001:db8::1", all, 4, &v6dns));
		ADD("v6 nonext", ipv6(pkt, "2001:db8::1", "2001:db8::2", NULL, 0, &none));
		ADD("v6 ping6 icmp", ipv6(pkt, "2001:db8::1", "2001:db8::2", NULL, 0, &echo));
		/* long extension header chains: protochain's loop turns up to 27 times */
		{
			struct v6ext chain[32];
			static const unsigned int lens[] = { 12, 20, 25, 26, 27, 28, 31 };

			for (i = 0; i < 32; i++)
				chain[i] = (struct v6ext){ i % 3 ? 60 : 0, 0 };
			for (i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
				char name[48];

				snprintf(name, sizeof(name), "v6 %u ext tcp", lens[i]);
				chain[0].type = 0;	/* hop-by-hop comes first */
				len = ipv6(pkt, "2001:db8::1", "2001:db8::2", chain, lens[i],
					   &v6syn);
				tab = add(tab, &n, &cap, name, pkt,
					  len < NR_BUF_CUT ? len : NR_BUF_CUT, (__u32)len);
			}
			chain[3] = (struct v6ext){ 51, 0 };
			len = ipv6(pkt, "2001:db8::1", "2001:db8::2", chain, 12, &v6syn);
			ADD("v6 12 ext with ah tcp", len);
		}

		/* big packets: the probes copy the first NR_FILTER_BUF bytes */
		memset(big, 0, sizeof(big));
		len = ipv4(big, V4(10, 0, 0, 1), V4(10, 0, 0, 2), 5, 0x4000, 64, &get);
		set16(&(struct builder){ .p = big }, 2, 1500);
		tab = add(tab, &n, &cap, "v4 1500 cut 256", big, 256, 1500);
		tab = add(tab, &n, &cap, "v4 1500 cut 100", big, 100, 1500);
		len = ipv6(big, "2001:db8::1", "2001:db8::2", NULL, 0, &v6http);
		set16(&(struct builder){ .p = big }, 4, 9000 - 40);
		tab = add(tab, &n, &cap, "v6 9000 cut 256", big, 256, 9000);
		tab = add(tab, &n, &cap, "zero", pkt, 0, 0);
		tab = add(tab, &n, &cap, "zero of 1500", pkt, 0, 1500);
		for (i = 0; i < 60; i++)
			pkt[i] = (__u8)(i * 37 + 11);
		pkt[0] = 0x05;
		ADD("not ip", 60);
		pkt[0] = 0x75;
		ADD("version 7", 60);
	}
	if (!tab)
		return 0;

	/* each of those cut short: the filter must reject reads past caplen */
	base = n;
	for (i = 0; i < base && tab; i++) {
		for (c = 0; c < sizeof(cuts) / sizeof(cuts[0]); c++) {
			char name[48];

			if (cuts[c] >= tab[i].caplen)
				break;
			snprintf(name, sizeof(name), "%.32s cut %u", tab[i].name, cuts[c]);
			memcpy(pkt, tab[i].data, cuts[c]);
			tab = add(tab, &n, &cap, name, pkt, cuts[c], tab[i].wirelen);
		}
	}

	/* random bytes behind plausible IPv4/IPv6 headers */
	for (i = 0; i < nrandom && tab; i++) {
		char name[48];
		__u32 l = 20 + fcase_rand(&rnd) % 200, j;

		for (j = 0; j < l; j++)
			pkt[j] = (__u8)fcase_rand(&rnd);
		switch (fcase_rand(&rnd) % 4) {
		case 0:
			pkt[0] = 0x45;
			pkt[6] &= 0x3f;
			pkt[9] = (__u8[]){ 6, 17, 1, 47 }[fcase_rand(&rnd) % 4];
			break;
		case 1:
			pkt[0] = (__u8)(0x40 | (fcase_rand(&rnd) % 16));
			break;
		case 2:
			pkt[0] = 0x60;
			pkt[6] = (__u8[]){ 6, 17, 58, 0, 43, 44, 60, 51 }[fcase_rand(&rnd) % 8];
			break;
		default:
			break;
		}
		snprintf(name, sizeof(name), "random %zu", i);
		tab = add(tab, &n, &cap, name, pkt, l, l + fcase_rand(&rnd) % 1500);
	}
	if (!tab)
		return 0;
#undef ADD
	*ret = tab;
	return n;
}

char *fcase_big_expr(const char *kind, unsigned int n)
{
	size_t cap = 64 + (size_t)n * 40, len = 0;
	char *s = malloc(cap);
	unsigned int i;

	if (!s)
		return NULL;
	s[0] = '\0';
	for (i = 0; i < n; i++) {
		const char *sep = i ? " or " : "";

		if (!strcmp(kind, "host"))
			len += (size_t)snprintf(s + len, cap - len, "%shost 10.%u.%u.%u", sep,
						i / 62500 % 250, i / 250 % 250, i % 250 + 1);
		else if (!strcmp(kind, "ip6"))
			len += (size_t)snprintf(s + len, cap - len, "%sip6 host 2001:db8::%x", sep,
						i + 1);
		else
			len += (size_t)snprintf(s + len, cap - len, "%sport %u", sep, 1000 + i);
	}
	return s;
}
