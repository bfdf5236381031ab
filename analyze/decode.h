/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * decode.h - turning record fields into what people read: packet snapshots into
 * protocols, addresses and ports; kernel addresses into symbol+offset; kernel enum
 * values into names; ifindexes into interface names; probe-specific fields into labels.
 *
 * One place for each of these, shared by `netrec dump`, `netrec info` and the report.
 * Everything reads only the record and the file's metadata (struct nr_meta), never the
 * machine it runs on. Formatting functions write a NUL-terminated string into the
 * caller's buffer (truncating if it is short) and return it.
 */
#ifndef NR_DECODE_H
#define NR_DECODE_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>

#include "nr_file.h"

/* nr_pkt_info.layers */
#define NR_L_ETH	(1u << 0)	/* Ethernet header */
#define NR_L_VLAN	(1u << 1)	/* one or two 802.1Q / 802.1ad tags */
#define NR_L_ARP	(1u << 2)
#define NR_L_IPV4	(1u << 3)
#define NR_L_IPV6	(1u << 4)
#define NR_L_TCP	(1u << 5)
#define NR_L_UDP	(1u << 6)
#define NR_L_ICMP	(1u << 7)	/* ICMP or ICMPv6 */
#define NR_L_PORTS	(1u << 8)	/* sport/dport valid (TCP, UDP, UDP-Lite, SCTP, DCCP) */

/* TCP header flags */
#define NR_TCP_FIN	0x01
#define NR_TCP_SYN	0x02
#define NR_TCP_RST	0x04
#define NR_TCP_PSH	0x08
#define NR_TCP_ACK	0x10
#define NR_TCP_URG	0x20
#define NR_TCP_ECE	0x40
#define NR_TCP_CWR	0x80

/**
 * struct nr_pkt_info - what a packet snapshot holds
 * @layers:    NR_L_* decoded
 * @truncated: the snapshot ends inside a header that was being decoded
 * @ethertype: protocol of the network layer (ETH_P_*, host order)
 * @family:    AF_INET or AF_INET6 when an IP header was decoded, else 0
 * @ip_proto:  transport protocol (IPPROTO_*), after IPv6 extension headers
 * @ip_len:    IPv4 total length / IPv6 payload length, from the header
 * @frag_off:  IPv4 fragment offset in bytes; @more_frags the MF flag (also IPv6)
 */
struct nr_pkt_info {
	__u32 layers;
	bool truncated;
	__u8 eth_src[6], eth_dst[6];
	__u8 nvlan;
	__u16 vlan[2];		/* VLAN ids, outer first */
	__u16 ethertype;
	__u8 family;
	__u8 src[16], dst[16];	/* network order; IPv4 in the first 4 bytes */
	__u8 ip_proto;
	__u8 ttl;		/* IPv4 TTL / IPv6 hop limit */
	__u8 tos;		/* IPv4 TOS / IPv6 traffic class */
	__u16 ip_id;
	__u16 ip_len;
	__u16 frag_off;
	bool more_frags;
	__u16 sport, dport;
	__u8 tcp_flags;
	__u32 seq, ack;
	__u16 win;
	__u8 icmp_type, icmp_code;
	__u16 arp_op;
	__u8 arp_sha[6], arp_tha[6];
	__u8 arp_spa[4], arp_tpa[4];
	__u32 l3_off, l4_off, payload_off;	/* offsets in the snapshot; 0 if absent */
};

/**
 * nr_decode_packet() - decode the headers of a packet snapshot
 * @snap, @len:   the bytes
 * @l2:           the snapshot starts at the MAC header (NR_RF_SNAP_L2), an Ethernet
 *                header unless @dev_type says the device has none
 * @l3_off:       offset of the network header, or NR_OFF_NONE (then found from the
 *                MAC header, or 0 when @l2 is false)
 * @protocol:     skb->protocol in host order (ETH_P_*), used when there is no MAC header
 * @dev_type:     ARPHRD_* of the device (0 unknown)
 * Never reads outside [snap, snap + len). Return: 0 (also for a known protocol whose
 * header the snapshot cuts: layers 0, truncated, ethertype set), or -EINVAL when
 * nothing could be decoded.
 */
int nr_decode_packet(const __u8 *snap, __u32 len, bool l2, __u16 l3_off, __u16 protocol,
		     __u16 dev_type, struct nr_pkt_info *ret);

/** nr_decode_pkt() - nr_decode_packet() on the snapshot following record @p */
int nr_decode_pkt(const struct nr_pkt *p, struct nr_pkt_info *ret);

/** nr_decode_pkt_snap() - the snapshot bytes following record @p, and their length */
const __u8 *nr_decode_pkt_snap(const struct nr_pkt *p, __u32 *len);

/* ---- one-line texts ---- */

/** "10.0.0.1", "fe80::1" */
char *nr_decode_addr(int family, const __u8 *addr, char *buf, size_t len);

/** "10.0.0.1:53", "[fe80::1]:53" */
char *nr_decode_endpoint(int family, const __u8 *addr, __u16 port, char *buf, size_t len);

/** "52:54:00:12:34:56" (any length; "" for 0) */
char *nr_decode_mac(const __u8 *mac, size_t n, char *buf, size_t len);

/** "SYN,ACK" ("" for none) */
char *nr_decode_tcp_flags(__u8 flags, char *buf, size_t len);

/**
 * nr_decode_flow() - "udp 10.0.0.1:5000 > 10.0.0.2:9", "icmp 10.0.0.1 > 10.0.0.2",
 * "arp 10.0.0.1 > 10.0.0.2", "ethertype 0x88cc"; "" when nothing was decoded
 */
char *nr_decode_flow(const struct nr_pkt_info *pi, char *buf, size_t len);

/**
 * nr_decode_sym() - "udp_queue_rcv_one_skb+0x3a", "nft_do_chain+0x188 [nf_tables]", or
 * "0xffffffff81c31104" when the file has no symbol covering @addr
 */
char *nr_decode_sym(const struct nr_meta *m, __u64 addr, char *buf, size_t len);

/**
 * nr_decode_enum() - the name of @value in the file's enum table @enum_name without
 * @prefix (when it starts with it), or "UNKNOWN(value)"
 */
char *nr_decode_enum(const struct nr_meta *m, const char *enum_name, const char *prefix,
		     __s64 value, char *buf, size_t len);

/** drop reason ("NO_SOCKET"; table "skb_drop_reason", prefix "SKB_DROP_REASON_") */
char *nr_decode_drop_reason(const struct nr_meta *m, __u32 reason, char *buf, size_t len);

/** TCP state ("ESTABLISHED"; table "tcp_state", prefix "TCP_") */
char *nr_decode_tcp_state(const struct nr_meta *m, __u32 state, char *buf, size_t len);

/** reset reason ("NO_SOCKET"; table "sk_rst_reason", prefix "SK_RST_REASON_") */
char *nr_decode_rst_reason(const struct nr_meta *m, __u32 reason, char *buf, size_t len);

/** interface name of @ifindex in @netns from the file, "if7" if unknown, "-" for 0 */
char *nr_decode_iface(const struct nr_meta *m, __u32 netns, __u32 ifindex, char *buf,
		      size_t len);

/** probe name from the file's PROBES table, or "probe7" */
char *nr_decode_probe(const struct nr_meta *m, __u16 id, char *buf, size_t len);

/** "ENETUNREACH" for -101 (or 101), "0" for 0, the number if unknown */
char *nr_decode_errno(__s32 err, char *buf, size_t len);

/* ---- time ---- */

/**
 * nr_decode_time_base() - the time event times are shown relative to: the recording's
 * start (CLOCK block), else the first event
 */
__u64 nr_decode_time_base(const struct nr_meta *m);

/** "1.000004587", "-0.000001000": @ns in seconds with nanoseconds */
char *nr_decode_reltime(__s64 ns, char *buf, size_t len);

/**
 * nr_decode_walltime() - "2026-11-22T01:25:03.123456789Z": monotonic @ts as UTC wall
 * time through the file's start clock reading
 * Return: 0, or -ENOENT when the file has no clock reading
 */
int nr_decode_walltime(const struct nr_meta *m, __u64 ts, char *buf, size_t len);

/* ---- constant names (stable across kernels), NULL when unknown ---- */

const char *nr_decode_ipproto_name(__u8 proto);		/* "tcp", "udp", "icmp", ... */
const char *nr_decode_ethertype_name(__u16 ethertype);	/* "ipv4", "ipv6", "arp", ... */
const char *nr_decode_arphrd_name(__u16 type);		/* "ether", "loopback", ... */
const char *nr_decode_pkt_type_name(__u8 pkt_type);	/* "host", "broadcast", ... */
const char *nr_decode_family_name(__u16 family);	/* "inet", "inet6", ... */
const char *nr_decode_nud_name(__u16 nud);		/* "REACHABLE", ... (one bit) */
const char *nr_decode_counter_name(__u16 kind);		/* "lost", "hits", ... */
const char *nr_decode_ctl_name(__u16 kind);		/* "start", "mark", ... */
const char *nr_decode_probe_status_name(__u16 status);	/* "attached", "failed", ... */

/** record flags (NR_RF_*) as "snap_l2,cloned" ("" for none) */
char *nr_decode_rec_flags(__u16 flags, char *buf, size_t len);

/* ---- what a probe's generic fields mean ---- */

/* how to show a probe-specific value */
enum nr_val_kind {
	NR_VAL_NONE = 0,	/* not used by this probe: not shown */
	NR_VAL_U32,		/* a number */
	NR_VAL_HEX,		/* a number in hex (handles, flags) */
	NR_VAL_DROP_REASON,	/* enum skb_drop_reason */
	NR_VAL_RST_REASON,	/* enum sk_rst_reason */
	NR_VAL_XMIT_RC,		/* NETDEV_TX_* / NET_XMIT_* return code */
	NR_VAL_XDP_ACTION,	/* XDP_* action */
	NR_VAL_TCP_STATE,	/* enum tcp_state */
	NR_VAL_ERRNO,		/* 0, or a negative errno stored as __u32 ("ETIMEDOUT") */
};

struct nr_val_desc {
	const char *label;	/* JSON key and text label */
	enum nr_val_kind kind;
};

/**
 * struct nr_probe_desc - meaning of the probe-specific fields of one probe (FORMAT.md
 * "Probe-specific fields"): nr_pkt reason and aux, nr_sock reason and val[0..2]
 */
struct nr_probe_desc {
	const char *name;
	struct nr_val_desc reason, aux;
	struct nr_val_desc val[3];
};

/** nr_decode_probe_desc() - the description for probe @name; a generic one if unknown */
const struct nr_probe_desc *nr_decode_probe_desc(const char *name);

/** nr_decode_val() - @v shown as @d says ("NO_SOCKET", "0x10", "12") */
char *nr_decode_val(const struct nr_meta *m, const struct nr_val_desc *d, __u32 v, char *buf,
		    size_t len);

#endif /* NR_DECODE_H */
