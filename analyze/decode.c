// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * decode.c - record fields to text (see decode.h)
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "decode.h"
#include "nr_enums.h"

#define ETH_P_IP	0x0800
#define ETH_P_ARP	0x0806
#define ETH_P_8021Q	0x8100
#define ETH_P_8021AD	0x88a8
#define ETH_P_IPV6	0x86dd
#define ARPHRD_NONE	0xfffe
#define ARPHRD_IPGRE	778
#define ARPHRD_TUNNEL	768
#define ARPHRD_TUNNEL6	769
#define ARPHRD_SIT	776
#define ARPHRD_RAWIP	519

static inline __u16 be16at(const __u8 *p)
{
	return (__u16)(p[0] << 8 | p[1]);
}

static inline __u32 be32at(const __u8 *p)
{
	return (__u32)p[0] << 24 | (__u32)p[1] << 16 | (__u32)p[2] << 8 | p[3];
}

static void decode_l4(const __u8 *s, __u32 len, __u32 off, struct nr_pkt_info *pi)
{
	const __u8 *h = s + off;
	__u32 left = len - off;

	if (pi->frag_off)
		return;	/* a later fragment: no transport header */
	pi->l4_off = off;
	switch (pi->ip_proto) {
	case 6:	/* TCP */
		if (left < 20) {
			pi->truncated = true;
			if (left >= 4) {
				pi->sport = be16at(h);
				pi->dport = be16at(h + 2);
				pi->layers |= NR_L_PORTS | NR_L_TCP;
			}
			return;
		}
		pi->layers |= NR_L_TCP | NR_L_PORTS;
		pi->sport = be16at(h);
		pi->dport = be16at(h + 2);
		pi->seq = be32at(h + 4);
		pi->ack = be32at(h + 8);
		pi->tcp_flags = h[13];
		pi->win = be16at(h + 14);
		if ((h[12] >> 4) * 4u >= 20 && (h[12] >> 4) * 4u <= left)
			pi->payload_off = off + (h[12] >> 4) * 4u;
		return;
	case 17:	/* UDP */
	case 136:	/* UDP-Lite */
	case 132:	/* SCTP */
	case 33:	/* DCCP */
		if (left < 4) {
			pi->truncated = true;
			return;
		}
		pi->layers |= NR_L_PORTS | (pi->ip_proto == 17 ? NR_L_UDP : 0);
		pi->sport = be16at(h);
		pi->dport = be16at(h + 2);
		if (pi->ip_proto == 17 && left >= 8)
			pi->payload_off = off + 8;
		else if (pi->ip_proto == 17)
			pi->truncated = true;
		return;
	case 1:		/* ICMP */
	case 58:	/* ICMPv6 */
		if (left < 2) {
			pi->truncated = true;
			return;
		}
		pi->layers |= NR_L_ICMP;
		pi->icmp_type = h[0];
		pi->icmp_code = h[1];
		return;
	}
}

static void decode_ipv4(const __u8 *s, __u32 len, __u32 off, struct nr_pkt_info *pi)
{
	const __u8 *h = s + off;
	__u32 ihl;

	if (len - off < 20 || (h[0] >> 4) != 4) {
		pi->truncated = len - off < 20;
		return;
	}
	ihl = (h[0] & 15) * 4u;
	pi->layers |= NR_L_IPV4;
	pi->l3_off = off;
	pi->family = 2;
	pi->tos = h[1];
	pi->ip_len = be16at(h + 2);
	pi->ip_id = be16at(h + 4);
	pi->more_frags = h[6] & 0x20;
	pi->frag_off = (be16at(h + 6) & 0x1fff) * 8;
	pi->ttl = h[8];
	pi->ip_proto = h[9];
	memcpy(pi->src, h + 12, 4);
	memcpy(pi->dst, h + 16, 4);
	if (ihl < 20)
		return;
	if (ihl > len - off) {
		pi->truncated = true;
		return;
	}
	if (off + ihl < len)
		decode_l4(s, len, off + ihl, pi);
	else if (!pi->frag_off)
		pi->truncated = pi->ip_len > ihl;
}

static void decode_ipv6(const __u8 *s, __u32 len, __u32 off, struct nr_pkt_info *pi)
{
	const __u8 *h = s + off;
	__u8 next;
	__u32 p, hops;

	if (len - off < 40 || (h[0] >> 4) != 6) {
		pi->truncated = len - off < 40;
		return;
	}
	pi->layers |= NR_L_IPV6;
	pi->l3_off = off;
	pi->family = 10;
	pi->tos = (__u8)((h[0] & 15) << 4 | h[1] >> 4);
	pi->ip_len = be16at(h + 4);
	pi->ttl = h[7];
	memcpy(pi->src, h + 8, 16);
	memcpy(pi->dst, h + 24, 16);
	next = h[6];
	p = off + 40;
	/* extension headers: hop-by-hop, routing, fragment, destination options, AH */
	for (hops = 0; hops < 8; hops++) {
		if (next != 0 && next != 43 && next != 44 && next != 60 && next != 51)
			break;
		if (len - p < 8) {
			pi->truncated = len > p || pi->ip_len > p - off - 40;
			pi->ip_proto = next;
			return;
		}
		if (next == 44) {
			pi->frag_off = be16at(s + p + 2) & 0xfff8;
			pi->more_frags = s[p + 3] & 1;
			next = s[p];
			p += 8;
		} else if (next == 51) {
			__u32 l = (s[p + 1] + 2u) * 4;

			next = s[p];
			p += l;
		} else {
			__u32 l = (s[p + 1] + 1u) * 8;

			next = s[p];
			p += l;
		}
		if (p > len) {
			pi->truncated = true;
			pi->ip_proto = next;
			return;
		}
	}
	pi->ip_proto = next;
	if (p < len)
		decode_l4(s, len, p, pi);
	else if (pi->ip_len > p - off - 40)
		pi->truncated = true;
}

static void decode_arp(const __u8 *s, __u32 len, __u32 off, struct nr_pkt_info *pi)
{
	const __u8 *h = s + off;

	if (len - off < 8) {
		pi->truncated = true;
		return;
	}
	pi->layers |= NR_L_ARP;
	pi->l3_off = off;
	pi->arp_op = be16at(h + 6);
	/* Ethernet + IPv4 only: hardware type 1, protocol 0x0800, lengths 6 and 4 */
	if (be16at(h) != 1 || be16at(h + 2) != ETH_P_IP || h[4] != 6 || h[5] != 4)
		return;
	if (len - off < 28) {
		pi->truncated = true;
		return;
	}
	memcpy(pi->arp_sha, h + 8, 6);
	memcpy(pi->arp_spa, h + 14, 4);
	memcpy(pi->arp_tha, h + 18, 6);
	memcpy(pi->arp_tpa, h + 24, 4);
}

static bool has_eth_header(__u16 dev_type)
{
	switch (dev_type) {
	case ARPHRD_NONE:
	case ARPHRD_IPGRE:
	case ARPHRD_TUNNEL:
	case ARPHRD_TUNNEL6:
	case ARPHRD_SIT:
	case ARPHRD_RAWIP:
		return false;
	}
	return true;	/* Ethernet, loopback (a zeroed Ethernet header), veth, bridge, ... */
}

int nr_decode_packet(const __u8 *snap, __u32 len, bool l2, __u16 l3_off, __u16 protocol,
		     __u16 dev_type, struct nr_pkt_info *pi)
{
	__u32 off = 0;
	__u16 et = protocol;

	memset(pi, 0, sizeof(*pi));
	if (!snap || !len)
		return -EINVAL;
	if (l2 && has_eth_header(dev_type)) {
		if (len < 14) {
			pi->truncated = true;
			return -EINVAL;
		}
		pi->layers |= NR_L_ETH;
		memcpy(pi->eth_dst, snap, 6);
		memcpy(pi->eth_src, snap + 6, 6);
		et = be16at(snap + 12);
		off = 14;
		while ((et == ETH_P_8021Q || et == ETH_P_8021AD) && pi->nvlan < 2) {
			if (len - off < 4) {
				pi->truncated = true;
				pi->ethertype = et;
				return 0;
			}
			pi->layers |= NR_L_VLAN;
			pi->vlan[pi->nvlan++] = be16at(snap + off) & 0xfff;
			et = be16at(snap + off + 2);
			off += 4;
		}
	}
	if (l3_off != NR_OFF_NONE && (!(pi->layers & NR_L_ETH) || l3_off >= off))
		off = l3_off;
	if (!et && off < len) {
		/* no protocol given: the version nibble tells IPv4 from IPv6 */
		et = (snap[off] >> 4) == 4 ? ETH_P_IP : (snap[off] >> 4) == 6 ? ETH_P_IPV6 : 0;
	}
	pi->ethertype = et;
	if (off >= len) {
		pi->truncated = off > len || !(pi->layers & NR_L_ETH);
		return pi->layers ? 0 : -EINVAL;
	}
	switch (et) {
	case ETH_P_IP:
		decode_ipv4(snap, len, off, pi);
		break;
	case ETH_P_IPV6:
		decode_ipv6(snap, len, off, pi);
		break;
	case ETH_P_ARP:
		decode_arp(snap, len, off, pi);
		break;
	}
	/* a known protocol whose header the snapshot cuts still says what it is */
	return pi->layers || (pi->truncated && nr_decode_ethertype_name(et)) ? 0 : -EINVAL;
}

const __u8 *nr_decode_pkt_snap(const struct nr_pkt *p, __u32 *len)
{
	__u32 n = p->snap_len;

	/* the reader guarantees the snapshot lies inside the record; check anyway */
	if (p->hdr.size < sizeof(*p) || n > p->hdr.size - sizeof(*p))
		n = 0;
	*len = n;
	return (const __u8 *)(p + 1);
}

int nr_decode_pkt(const struct nr_pkt *p, struct nr_pkt_info *ret)
{
	__u32 len;
	const __u8 *s = nr_decode_pkt_snap(p, &len);

	return nr_decode_packet(s, len, p->hdr.flags & NR_RF_SNAP_L2, p->snap_l3,
				ntohs(p->protocol_be), p->dev_type, ret);
}

/* ---- texts ---- */

char *nr_decode_addr(int family, const __u8 *addr, char *buf, size_t len)
{
	char tmp[INET6_ADDRSTRLEN];

	if (!inet_ntop(family == 10 ? AF_INET6 : AF_INET, addr, tmp, sizeof(tmp)))
		snprintf(tmp, sizeof(tmp), "?");
	snprintf(buf, len, "%s", tmp);
	return buf;
}

char *nr_decode_endpoint(int family, const __u8 *addr, __u16 port, char *buf, size_t len)
{
	char a[INET6_ADDRSTRLEN];

	nr_decode_addr(family, addr, a, sizeof(a));
	snprintf(buf, len, family == 10 ? "[%s]:%u" : "%s:%u", a, port);
	return buf;
}

char *nr_decode_mac(const __u8 *mac, size_t n, char *buf, size_t len)
{
	size_t i, o = 0;

	if (len)
		buf[0] = 0;
	for (i = 0; i < n && o + 3 < len; i++)
		o += (size_t)snprintf(buf + o, len - o, i ? ":%02x" : "%02x", mac[i]);
	return buf;
}

char *nr_decode_tcp_flags(__u8 flags, char *buf, size_t len)
{
	static const char *const names[] = { "FIN", "SYN", "RST", "PSH", "ACK", "URG", "ECE",
					     "CWR" };
	size_t o = 0;
	int i;

	if (len)
		buf[0] = 0;
	for (i = 0; i < 8; i++) {
		if (!(flags & (1u << i)) || o >= len)
			continue;
		o += (size_t)snprintf(buf + o, len - o, "%s%s", o ? "," : "", names[i]);
	}
	return buf;
}

char *nr_decode_flow(const struct nr_pkt_info *pi, char *buf, size_t len)
{
	char s[INET6_ADDRSTRLEN + 8], d[INET6_ADDRSTRLEN + 8], pn[16];
	const char *proto;

	if (len)
		buf[0] = 0;
	if (pi->family) {
		proto = nr_decode_ipproto_name(pi->ip_proto);
		if (!proto) {
			snprintf(pn, sizeof(pn), "proto%u", pi->ip_proto);
			proto = pn;
		}
		if (pi->layers & NR_L_PORTS) {
			nr_decode_endpoint(pi->family, pi->src, pi->sport, s, sizeof(s));
			nr_decode_endpoint(pi->family, pi->dst, pi->dport, d, sizeof(d));
		} else {
			nr_decode_addr(pi->family, pi->src, s, sizeof(s));
			nr_decode_addr(pi->family, pi->dst, d, sizeof(d));
		}
		snprintf(buf, len, "%s %s > %s", proto, s, d);
	} else if (pi->layers & NR_L_ARP) {
		nr_decode_addr(2, pi->arp_spa, s, sizeof(s));
		nr_decode_addr(2, pi->arp_tpa, d, sizeof(d));
		snprintf(buf, len, "arp %s > %s", s, d);
	} else if (pi->ethertype) {
		const char *n = nr_decode_ethertype_name(pi->ethertype);

		if (n)
			snprintf(buf, len, "%s", n);
		else
			snprintf(buf, len, "ethertype 0x%04x", pi->ethertype);
	}
	return buf;
}

char *nr_decode_sym(const struct nr_meta *m, __u64 addr, char *buf, size_t len)
{
	const struct nr_sym *s;
	__u64 off = 0;

	s = nr_meta__sym(m, addr, &off);
	if (!s)
		snprintf(buf, len, "0x%llx", (unsigned long long)addr);
	else if (s->module)
		snprintf(buf, len, "%s+0x%llx [%s]", s->name, (unsigned long long)off, s->module);
	else
		snprintf(buf, len, "%s+0x%llx", s->name, (unsigned long long)off);
	return buf;
}

static char *strip_prefix(const char *n, const char *prefix, __s64 value, char *buf,
			  size_t len);

char *nr_decode_enum(const struct nr_meta *m, const char *enum_name, const char *prefix,
		     __s64 value, char *buf, size_t len)
{
	return strip_prefix(nr_meta__enum_name(m, enum_name, value), prefix, value, buf, len);
}

static char *strip_prefix(const char *n, const char *prefix, __s64 value, char *buf,
			  size_t len)
{
	size_t pl = prefix ? strlen(prefix) : 0;

	if (!n)
		snprintf(buf, len, "UNKNOWN(%lld)", (long long)value);
	else if (pl && !strncmp(n, prefix, pl) && n[pl])
		snprintf(buf, len, "%s", n + pl);
	else
		snprintf(buf, len, "%s", n);
	return buf;
}

char *nr_decode_drop_reason(const struct nr_meta *m, __u32 reason, char *buf, size_t len)
{
	/* subsystem reasons (value >> 16) come from their own tables: nr_enums.h */
	return strip_prefix(nr_drop_reason_name(m->enums, m->nr_enums, reason),
			    "SKB_DROP_REASON_", reason, buf, len);
}

char *nr_decode_tcp_state(const struct nr_meta *m, __u32 state, char *buf, size_t len)
{
	return nr_decode_enum(m, "tcp_state", "TCP_", state, buf, len);
}

char *nr_decode_rst_reason(const struct nr_meta *m, __u32 reason, char *buf, size_t len)
{
	return nr_decode_enum(m, "sk_rst_reason", "SK_RST_REASON_", reason, buf, len);
}

char *nr_decode_iface(const struct nr_meta *m, __u32 netns, __u32 ifindex, char *buf,
		      size_t len)
{
	const struct nr_iface *f;

	if (!ifindex) {
		snprintf(buf, len, "-");
		return buf;
	}
	f = nr_meta__iface(m, netns, ifindex);
	if (f)
		snprintf(buf, len, "%s", f->name);
	else
		snprintf(buf, len, "if%u", ifindex);
	return buf;
}

char *nr_decode_probe(const struct nr_meta *m, __u16 id, char *buf, size_t len)
{
	const struct nr_probe_outcome *p = nr_meta__probe(m, id);

	if (p)
		snprintf(buf, len, "%s", p->name);
	else
		snprintf(buf, len, "probe%u", id);
	return buf;
}

char *nr_decode_errno(__s32 err, char *buf, size_t len)
{
	static const struct { int e; const char *n; } names[] = {
		{ EPERM, "EPERM" }, { ENOENT, "ENOENT" }, { ESRCH, "ESRCH" }, { EINTR, "EINTR" },
		{ EIO, "EIO" }, { ENXIO, "ENXIO" }, { E2BIG, "E2BIG" }, { EBADF, "EBADF" },
		{ EAGAIN, "EAGAIN" }, { ENOMEM, "ENOMEM" }, { EACCES, "EACCES" },
		{ EFAULT, "EFAULT" }, { EBUSY, "EBUSY" }, { EEXIST, "EEXIST" },
		{ ENODEV, "ENODEV" }, { EINVAL, "EINVAL" }, { ENOSPC, "ENOSPC" },
		{ EPIPE, "EPIPE" }, { ERANGE, "ERANGE" }, { ENOSYS, "ENOSYS" },
		{ ENOTSUP, "EOPNOTSUPP" }, { EPROTONOSUPPORT, "EPROTONOSUPPORT" },
		{ EAFNOSUPPORT, "EAFNOSUPPORT" }, { EADDRINUSE, "EADDRINUSE" },
		{ EADDRNOTAVAIL, "EADDRNOTAVAIL" }, { ENETDOWN, "ENETDOWN" },
		{ ENETUNREACH, "ENETUNREACH" }, { ENETRESET, "ENETRESET" },
		{ ECONNABORTED, "ECONNABORTED" }, { ECONNRESET, "ECONNRESET" },
		{ ENOBUFS, "ENOBUFS" }, { ETIMEDOUT, "ETIMEDOUT" },
		{ ECONNREFUSED, "ECONNREFUSED" }, { EHOSTDOWN, "EHOSTDOWN" },
		{ EHOSTUNREACH, "EHOSTUNREACH" }, { EMSGSIZE, "EMSGSIZE" },
		{ ENOTCONN, "ENOTCONN" }, { EOPNOTSUPP, "EOPNOTSUPP" }, { EBADMSG, "EBADMSG" },
		{ EOVERFLOW, "EOVERFLOW" },
	};
	int e = err < 0 ? -err : err;
	size_t i;

	if (!err) {
		snprintf(buf, len, "0");
		return buf;
	}
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (names[i].e == e) {
			snprintf(buf, len, "%s", names[i].n);
			return buf;
		}
	}
	snprintf(buf, len, "%d", err);
	return buf;
}

const char *nr_decode_ipproto_name(__u8 proto)
{
	switch (proto) {
	case 1: return "icmp";
	case 2: return "igmp";
	case 4: return "ipip";
	case 6: return "tcp";
	case 17: return "udp";
	case 33: return "dccp";
	case 41: return "ipv6";
	case 47: return "gre";
	case 50: return "esp";
	case 51: return "ah";
	case 58: return "icmpv6";
	case 103: return "pim";
	case 112: return "vrrp";
	case 132: return "sctp";
	case 136: return "udplite";
	case 137: return "mpls";
	case 143: return "ethernet";
	case 255: return "raw";
	}
	return NULL;
}

const char *nr_decode_ethertype_name(__u16 et)
{
	switch (et) {
	case 0x0800: return "ipv4";
	case 0x0806: return "arp";
	case 0x8035: return "rarp";
	case 0x86dd: return "ipv6";
	case 0x8100: return "vlan";
	case 0x88a8: return "qinq";
	case 0x8847: return "mpls";
	case 0x8848: return "mpls-mc";
	case 0x8863: return "pppoe-discovery";
	case 0x8864: return "pppoe";
	case 0x888e: return "eapol";
	case 0x88cc: return "lldp";
	case 0x88f7: return "ptp";
	case 0x8906: return "fcoe";
	case 0x0003: return "all";
	case 0x0004: return "802.2";
	}
	return NULL;
}

const char *nr_decode_arphrd_name(__u16 type)
{
	switch (type) {
	case 1: return "ether";
	case 32: return "infiniband";
	case 512: return "ppp";
	case 519: return "rawip";
	case 768: return "ipip";
	case 769: return "ip6ip6";
	case 772: return "loopback";
	case 776: return "sit";
	case 778: return "gre";
	case 823: return "ip6gre";
	case 65534: return "none";
	case 65535: return "void";
	}
	return NULL;
}

const char *nr_decode_pkt_type_name(__u8 t)
{
	switch (t) {
	case 0: return "host";
	case 1: return "broadcast";
	case 2: return "multicast";
	case 3: return "otherhost";
	case 4: return "outgoing";
	case 5: return "loopback";
	case 6: return "user";
	case 7: return "kernel";
	}
	return NULL;
}

const char *nr_decode_family_name(__u16 family)
{
	switch (family) {
	case 0: return "unspec";
	case 1: return "unix";
	case 2: return "inet";
	case 10: return "inet6";
	case 16: return "netlink";
	case 17: return "packet";
	case 7: return "bridge";
	}
	return NULL;
}

const char *nr_decode_nud_name(__u16 nud)
{
	switch (nud) {
	case 0x00: return "NONE";
	case 0x01: return "INCOMPLETE";
	case 0x02: return "REACHABLE";
	case 0x04: return "STALE";
	case 0x08: return "DELAY";
	case 0x10: return "PROBE";
	case 0x20: return "FAILED";
	case 0x40: return "NOARP";
	case 0x80: return "PERMANENT";
	}
	return NULL;
}

const char *nr_decode_counter_name(__u16 kind)
{
	switch (kind) {
	case NR_CNT_HITS: return "hits";
	case NR_CNT_LOST: return "lost";
	case NR_CNT_FILTERED: return "filtered";
	case NR_CNT_RATE_LIMITED: return "rate_limited";
	case NR_CNT_STACK_SKIPPED: return "stack_skipped";
	case NR_CNT_PAUSED: return "paused";
	case NR_CNT_PCAP_RECV: return "pcap_recv";
	case NR_CNT_PCAP_DROP: return "pcap_drop";
	case NR_CNT_PCAP_IFDROP: return "pcap_ifdrop";
	case NR_CNT_USER_DROP: return "user_drop";
	case NR_CNT_PROG_MISSED: return "prog_missed";
	}
	return NULL;
}

const char *nr_decode_ctl_name(__u16 kind)
{
	switch (kind) {
	case NR_CTL_START: return "start";
	case NR_CTL_STOP: return "stop";
	case NR_CTL_PAUSE: return "pause";
	case NR_CTL_RESUME: return "resume";
	case NR_CTL_MARK: return "mark";
	}
	return NULL;
}

const char *nr_decode_probe_status_name(__u16 status)
{
	switch (status) {
	case NR_PROBE_ATTACHED: return "attached";
	case NR_PROBE_FAILED: return "failed";
	case NR_PROBE_UNAVAILABLE: return "unavailable";
	case NR_PROBE_NOT_SELECTED: return "not selected";
	}
	return NULL;
}

char *nr_decode_rec_flags(__u16 flags, char *buf, size_t len)
{
	static const char *const names[] = { "snap_l2", "stack_inline", "stack_skipped",
					     "cloned", "followed", "first_sight" };
	size_t o = 0;
	unsigned int i;

	if (len)
		buf[0] = 0;
	for (i = 0; i < 16; i++) {
		if (!(flags & (1u << i)) || o >= len)
			continue;
		if (i < sizeof(names) / sizeof(names[0]))
			o += (size_t)snprintf(buf + o, len - o, "%s%s", o ? "," : "", names[i]);
		else
			o += (size_t)snprintf(buf + o, len - o, "%sbit%u", o ? "," : "", i);
	}
	return buf;
}

__u64 nr_decode_time_base(const struct nr_meta *m)
{
	if (m->clock_start.mono_ns)
		return m->clock_start.mono_ns;
	return m->file.first_ts;
}

char *nr_decode_reltime(__s64 ns, char *buf, size_t len)
{
	__u64 a = ns < 0 ? -(__u64)ns : (__u64)ns;

	snprintf(buf, len, "%s%llu.%09llu", ns < 0 ? "-" : "", (unsigned long long)(a / 1000000000),
		 (unsigned long long)(a % 1000000000));
	return buf;
}

int nr_decode_walltime(const struct nr_meta *m, __u64 ts, char *buf, size_t len)
{
	__s64 rel = (__s64)(ts - m->clock_start.mono_ns);
	__u64 real;
	time_t secs;
	struct tm tm;

	if (!m->clock_start.mono_ns || !m->clock_start.real_ns)
		return -ENOENT;
	real = m->clock_start.real_ns + (__u64)rel;
	secs = (time_t)(real / 1000000000);
	if (!gmtime_r(&secs, &tm))
		return -ERANGE;
	snprintf(buf, len, "%04d-%02d-%02dT%02d:%02d:%02d.%09lluZ", tm.tm_year + 1900,
		 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
		 (unsigned long long)(real % 1000000000));
	return 0;
}

/* ---- probe-specific fields ---- */

#define V(l, k) { l, k }
#define NONE { NULL, NR_VAL_NONE }

/* as the probes fill them (the bpf/ programs); FORMAT.md "Probe-specific fields" */
static const struct nr_probe_desc probe_descs[] = {
	{ "skb:kfree_skb", V("reason", NR_VAL_DROP_REASON), NONE, { NONE, NONE, NONE } },
	{ "skb:consume_skb", NONE, NONE, { NONE, NONE, NONE } },
	{ "skb:skb_copy_datagram_iovec", NONE, V("copied", NR_VAL_U32), { NONE, NONE, NONE } },
	{ "net:napi_gro_receive_entry", NONE, NONE, { NONE, NONE, NONE } },
	{ "net:netif_receive_skb", NONE, NONE, { NONE, NONE, NONE } },
	{ "net:netif_rx", NONE, NONE, { NONE, NONE, NONE } },
	{ "net:net_dev_queue", NONE, NONE, { NONE, NONE, NONE } },
	{ "net:net_dev_start_xmit", NONE, NONE, { NONE, NONE, NONE } },
	{ "net:net_dev_xmit", V("rc", NR_VAL_XMIT_RC), V("skb_len", NR_VAL_U32),
	  { NONE, NONE, NONE } },
	{ "xdp:xdp_exception", V("action", NR_VAL_XDP_ACTION), V("prog_id", NR_VAL_U32),
	  { NONE, NONE, NONE } },
	{ "qdisc:qdisc_enqueue", V("handle", NR_VAL_HEX), V("parent", NR_VAL_HEX),
	  { NONE, NONE, NONE } },
	{ "qdisc:qdisc_dequeue", V("handle", NR_VAL_HEX), V("packets", NR_VAL_U32),
	  { NONE, NONE, NONE } },
	{ "sock:inet_sock_set_state", NONE, NONE, { NONE, NONE, NONE } },
	{ "sock:sock_rcvqueue_full", NONE, NONE,
	  { V("rmem_alloc", NR_VAL_U32), V("truesize", NR_VAL_U32), V("rcvbuf", NR_VAL_U32) } },
	{ "sock:sock_exceed_buf_limit", NONE, NONE,
	  { V("kind", NR_VAL_U32), V("allocated_pages", NR_VAL_U32),
	    V("limit_pages", NR_VAL_U32) } },
	{ "tcp:tcp_retransmit_skb", NONE, NONE, { V("err", NR_VAL_ERRNO), NONE, NONE } },
	{ "tcp:tcp_retransmit_synack", NONE, NONE, { NONE, NONE, NONE } },
	{ "tcp:tcp_send_reset", V("reason", NR_VAL_RST_REASON), NONE,
	  { V("no_socket", NR_VAL_U32), NONE, NONE } },
	{ "tcp:tcp_receive_reset", NONE, NONE, { NONE, NONE, NONE } },
};

/* a probe this version does not describe: its values are shown as raw numbers */
static const struct nr_probe_desc generic_desc = {
	NULL, NONE, NONE, { NONE, NONE, NONE },
};

const struct nr_probe_desc *nr_decode_probe_desc(const char *name)
{
	size_t i;

	for (i = 0; name && i < sizeof(probe_descs) / sizeof(probe_descs[0]); i++)
		if (!strcmp(probe_descs[i].name, name))
			return &probe_descs[i];
	return &generic_desc;
}

char *nr_decode_val(const struct nr_meta *m, const struct nr_val_desc *d, __u32 v, char *buf,
		    size_t len)
{
	const char *n;

	switch (d->kind) {
	case NR_VAL_DROP_REASON:
		return nr_decode_drop_reason(m, v, buf, len);
	case NR_VAL_RST_REASON:
		return nr_decode_rst_reason(m, v, buf, len);
	case NR_VAL_TCP_STATE:
		return nr_decode_tcp_state(m, v, buf, len);
	case NR_VAL_XMIT_RC:
		/* a driver's netdev_tx_t (NETDEV_TX_OK, NETDEV_TX_BUSY), else a qdisc's
		 * NET_XMIT_* code: both tables are in the file (record/btf_enums.c) */
		n = nr_meta__enum_name(m, "netdev_tx", (__s32)v);
		if (n)
			return strip_prefix(n, "NETDEV_TX_", v, buf, len);
		return nr_decode_enum(m, "netrec:net_xmit", "NET_XMIT_", (__s32)v, buf, len);
	case NR_VAL_XDP_ACTION:
		return nr_decode_enum(m, "xdp_action", "XDP_", v, buf, len);
	case NR_VAL_ERRNO:
		return nr_decode_errno((__s32)v, buf, len);
	case NR_VAL_HEX:
		snprintf(buf, len, "0x%x", v);
		return buf;
	default:
		snprintf(buf, len, "%u", v);
		return buf;
	}
}
