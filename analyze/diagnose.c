// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * diagnose.c - the drop reason table and the template filler (see diagnose.h)
 *
 * To add a reason: one line in diag_table[] with its name as the kernel spells it after
 * SKB_DROP_REASON_, what it means, and what to check. tests/unit/test_diagnose.c fills
 * every entry and fails on a placeholder the filler does not know.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "arena.h"
#include "decode.h"
#include "diagnose.h"

static const struct nr_diag diag_table[] = {
	{ "NOT_SPECIFIED",
	  "{count} packets dropped without a specific reason at {loc}",
	  "the location and the stack tell which code path gave up; the packets' flow: {flow}" },
	{ "NO_SOCKET",
	  "no socket was listening on {proto} {dst_ep} {in_ns}: {count} packets",
	  "start the service or fix its address/port; `ss -lntup` {in_ns} lists what listens" },
	{ "SOCKET_CLOSE",
	  "{count} packets arrived for a socket on {proto} {dst_ep} that was being closed",
	  "the application closed the socket while its peer was still sending" },
	{ "SOCKET_FILTER",
	  "a socket filter (classic or eBPF) rejected {count} packets of {flow}",
	  "check the programs attached to the sockets on {dst_ep} (`ss -0 -b`, `bpftool prog`)" },
	{ "SOCKET_RCVBUFF",
	  "the receive buffer of the socket on {proto} {dst_ep} was full: {count} drops",
	  "raise SO_RCVBUF / net.core.rmem_max (UDP: net.ipv4.udp_mem) or read faster" },
	{ "SOCKET_BACKLOG",
	  "the backlog of the socket on {proto} {dst_ep} was full while its owner held it",
	  "the application keeps the socket locked (long sends); raise its receive buffer" },
	{ "UNIX_DISCONNECT",
	  "{count} messages dropped: the peer of a unix socket disconnected",
	  "the receiving process closed its end while messages were queued" },
	{ "UNIX_SKIP_OOB",
	  "out-of-band data on a unix socket was skipped",
	  "the reader does not read MSG_OOB data" },
	{ "PKT_TOO_SMALL",
	  "{count} packets were shorter than their headers say ({flow})",
	  "malformed or truncated packets: check the sender and the MTU/offload settings of {devname}" },
	{ "TCP_CSUM",
	  "{count} TCP segments of {flow} had a bad checksum",
	  "corruption or a checksum offload problem: `ethtool -k {devname}` {in_ns}, the cabling, the sender" },
	{ "UDP_CSUM",
	  "{count} UDP datagrams of {flow} had a bad checksum",
	  "corruption or a checksum offload problem: `ethtool -k {devname}` {in_ns}, the sender" },
	{ "ICMP_CSUM",
	  "{count} ICMP messages had a bad checksum ({flow})",
	  "corruption on the path or a broken sender" },
	{ "IP_CSUM",
	  "{count} IPv4 headers had a bad checksum on {dev}",
	  "corruption on the link or a broken sender; `ethtool -S {devname}` for errors" },
	{ "NETFILTER_DROP",
	  "a netfilter rule dropped {count} packets of {flow}{hook} {in_ns}",
	  "list the rules with `nft list ruleset` (or `iptables-save`) {in_ns} and find the drop or reject that matches this flow" },
	{ "OTHERHOST",
	  "{count} packets for another host's MAC address arrived on {dev}",
	  "normal on promiscuous interfaces and bridges; else check the destination MAC" },
	{ "IP_INHDR",
	  "{count} packets with an invalid IP header arrived on {dev}",
	  "malformed packets from the sender (bad version, length or header length)" },
	{ "IP_RPFILTER",
	  "the reverse-path filter dropped {count} packets from {src} on {dev}: the route back to {src} does not leave through it",
	  "`sysctl net.ipv4.conf.{devname}.rp_filter` and `ip route get {src}` {in_ns}; use 2 (loose) for asymmetric routing" },
	{ "UNICAST_IN_L2_MULTICAST",
	  "{count} IP unicast packets arrived in L2 multicast or broadcast frames on {dev}",
	  "a misconfigured sender or a bridge/switch flooding; check the destination MAC" },
	{ "XFRM_POLICY",
	  "an IPsec (xfrm) policy rejected {count} packets of {flow}",
	  "`ip xfrm policy` and `ip xfrm state` {in_ns}: a policy without a matching state" },
	{ "IP_NOPROTO",
	  "no handler for IP protocol {proto} ({count} packets to {dst})",
	  "the protocol's module is not loaded, or the sender uses a protocol this host lacks" },
	{ "PROTO_MEM",
	  "{proto} ran out of protocol memory: {count} drops",
	  "the host-wide limits net.ipv4.tcp_mem / udp_mem are reached; check socket memory use (`ss -m`)" },
	{ "TCP_AUTH_HDR",
	  "TCP segments of {flow} had a malformed authentication option",
	  "MD5/AO signatures configured differently on the two ends" },
	{ "TCP_MD5NOTFOUND",
	  "TCP segments of {flow} lacked the MD5 signature this host expects",
	  "configure the TCP-MD5 key on both ends (BGP sessions)" },
	{ "TCP_MD5UNEXPECTED",
	  "TCP segments of {flow} carried an MD5 signature this host does not expect",
	  "configure the TCP-MD5 key on both ends, or on neither" },
	{ "TCP_MD5FAILURE",
	  "the TCP-MD5 signature of segments of {flow} did not verify",
	  "the two ends use different keys" },
	{ "TCP_AONOTFOUND",
	  "TCP segments of {flow} lacked the TCP-AO option this host expects",
	  "configure TCP-AO on both ends" },
	{ "TCP_AOUNEXPECTED",
	  "TCP segments of {flow} carried a TCP-AO option this host does not expect",
	  "configure TCP-AO on both ends, or on neither" },
	{ "TCP_AOKEYNOTFOUND",
	  "no TCP-AO key matched segments of {flow}",
	  "the key ids configured on the two ends differ" },
	{ "TCP_AOFAILURE",
	  "the TCP-AO signature of segments of {flow} did not verify",
	  "the two ends use different TCP-AO keys" },
	{ "TCP_FLAGS",
	  "{count} TCP segments of {flow} had flags invalid in the connection's state",
	  "a scanner, a broken middlebox, or stale segments of an old connection" },
	{ "TCP_ABORT_ON_DATA",
	  "data arrived on {flow} after the application closed the socket: the connection was aborted",
	  "the application closes with unread data or while the peer still sends (see the resets below)" },
	{ "TCP_ZEROWINDOW",
	  "TCP data for {dst_ep} arrived while its receive window was zero: the application is not reading",
	  "the receiving application is slow or stuck: its CPU, its read loop, net.ipv4.tcp_rmem" },
	{ "TCP_OLD_DATA",
	  "{count} TCP segments of {flow} carried only data already received",
	  "spurious retransmits: the sender's RTO/RTT estimate, or delay and reordering on the path" },
	{ "TCP_OVERWINDOW",
	  "{count} TCP segments of {flow} went beyond the advertised receive window",
	  "a sender ignoring the window, or window scaling altered by a middlebox" },
	{ "TCP_OFOMERGE",
	  "out-of-order TCP data of {flow} duplicated data already queued",
	  "reordering and retransmits on the path" },
	{ "TCP_RFC7323_PAWS",
	  "{count} TCP segments of {flow} failed the PAWS timestamp check (old duplicates)",
	  "stale segments of a previous connection, or NAT mixing hosts with different timestamp clocks" },
	{ "TCP_RFC7323_PAWS_ACK",
	  "ACKs of {flow} failed the PAWS timestamp check",
	  "NAT mixing hosts, or a peer with a broken timestamp clock" },
	{ "TCP_RFC7323_TW_PAWS",
	  "segments for a TIME_WAIT connection of {flow} failed the PAWS check",
	  "a client reusing ports quickly (NAT) toward this host" },
	{ "TCP_RFC7323_TSECR",
	  "TCP segments of {flow} echoed a timestamp this host never sent",
	  "a middlebox rewriting TCP options, or a broken peer" },
	{ "TCP_LISTEN_OVERFLOW",
	  "the accept queue of the listener on {dst_ep} overflowed: {count} drops",
	  "the server does not accept() fast enough: raise the listen() backlog and net.core.somaxconn" },
	{ "TCP_OLD_SEQUENCE",
	  "{count} TCP segments of {flow} were entirely before the receive window",
	  "retransmits of data already acknowledged: lost ACKs or a slow path" },
	{ "TCP_INVALID_SEQUENCE",
	  "{count} TCP segments of {flow} fell outside the receive window",
	  "stale segments of a restarted connection, or a middlebox rewriting sequence numbers" },
	{ "TCP_INVALID_END_SEQUENCE",
	  "TCP segments of {flow} ended outside the receive window",
	  "a sender overrunning the window, or corruption" },
	{ "TCP_INVALID_ACK_SEQUENCE",
	  "TCP segments of {flow} acknowledged data never sent",
	  "a peer confused about the connection (restarted?) or blind injection attempts" },
	{ "TCP_RESET",
	  "a TCP reset arrived on {flow}; the segment was dropped with the connection",
	  "the peer aborted the connection: see its timeline in the TCP section" },
	{ "TCP_INVALID_SYN",
	  "unexpected SYNs arrived on the established connection {flow}",
	  "a peer that restarted and reuses the port, or SYN injection" },
	{ "TCP_CLOSE",
	  "{count} TCP segments of {flow} arrived for a connection already closed",
	  "the peer keeps sending after close: lost FIN/RST, or a quick port reuse" },
	{ "TCP_FASTOPEN",
	  "TCP Fast Open data was dropped ({flow})",
	  "net.ipv4.tcp_fastopen settings and cookies on the two ends" },
	{ "TCP_OLD_ACK",
	  "TCP ACKs of {flow} older than what was already acknowledged",
	  "reordering on the path; harmless in small numbers" },
	{ "TCP_TOO_OLD_ACK",
	  "TCP ACKs of {flow} far older than the send window",
	  "a confused peer or stale segments of an old connection" },
	{ "TCP_ACK_UNSENT_DATA",
	  "TCP ACKs of {flow} acknowledged data not sent yet",
	  "a broken peer or middlebox, or blind injection attempts" },
	{ "TCP_OFO_QUEUE_PRUNE",
	  "the out-of-order queue of {flow} was pruned under memory pressure",
	  "heavy loss and reordering plus a small receive buffer (net.ipv4.tcp_rmem)" },
	{ "TCP_OFO_DROP",
	  "out-of-order data of {flow} could not be queued",
	  "receive buffer full: the application reads slowly, or tcp_rmem is small" },
	{ "IP_OUTNOROUTES",
	  "no route to {dst} {in_ns}: {count} packets could not be sent",
	  "`ip route get {dst}` {in_ns}: add the missing route or default gateway" },
	{ "IP_INNOROUTES",
	  "no route for received packets to {dst} {in_ns}: {count} packets",
	  "`ip route get {dst} from {src} iif {devname}` {in_ns}: add the route, or check forwarding" },
	{ "IP_NOROUTE",
	  "no route to {dst} {in_ns}: {count} packets",
	  "`ip route get {dst}` {in_ns}: add the missing route or default gateway" },
	{ "BPF_CGROUP_EGRESS",
	  "a cgroup BPF program dropped {count} outgoing packets of {flow}",
	  "`bpftool cgroup tree` shows the programs attached to the sender's cgroup" },
	{ "IPV6DISABLED",
	  "IPv6 packets arrived on {dev} where IPv6 is disabled: {count} drops",
	  "`sysctl net.ipv6.conf.{devname}.disable_ipv6` {in_ns}: enable it, or stop sending IPv6 there" },
	{ "NEIGH_CREATEFAIL",
	  "no neighbour entry could be created for the next hop of {dst}",
	  "the neighbour table is full: net.ipv4.neigh.default.gc_thresh3 (`ip neigh show` {in_ns})" },
	{ "NEIGH_FAILED",
	  "neighbour resolution (ARP/ND) failed for the next hop of {dst} on {dev}: {count} drops",
	  "the next hop does not answer: `ip neigh show dev {devname}` {in_ns}, is the peer up and on that link?" },
	{ "NEIGH_QUEUEFULL",
	  "packets waiting for ARP/ND resolution toward {dst} overflowed the queue on {dev}",
	  "the next hop answers slowly or not at all; queue size: neigh.{devname}.unres_qlen_bytes" },
	{ "NEIGH_DEAD",
	  "the neighbour entry for the next hop of {dst} was being removed",
	  "the device went down or its addresses changed while packets were queued" },
	{ "NEIGH_HH_FILLFAIL",
	  "the link-layer header toward {dst} could not be built on {dev}",
	  "a device or neighbour entry in an inconsistent state" },
	{ "TC_EGRESS",
	  "a tc egress filter or BPF program on {dev} dropped {count} packets of {flow}",
	  "`tc filter show dev {devname} egress` and `bpftool net` {in_ns}" },
	{ "TC_INGRESS",
	  "a tc ingress filter or BPF program on {dev} dropped {count} packets of {flow}",
	  "`tc filter show dev {devname} ingress` and `bpftool net` {in_ns}" },
	{ "SECURITY_HOOK",
	  "a security module (SELinux, AppArmor, Smack, ...) denied {count} packets of {flow}",
	  "the LSM's audit log (`ausearch -m avc`, `journalctl -k`) for the denial" },
	{ "QDISC_DROP",
	  "the queueing discipline of {dev} dropped {count} packets: its queue was full",
	  "the link is saturated or the queue short: `tc -s qdisc show dev {devname}` {in_ns}; raise the limit or shape the sender" },
	{ "QDISC_OVERLIMIT",
	  "the queueing discipline of {dev} dropped {count} packets over its limit",
	  "`tc -s qdisc show dev {devname}` {in_ns}: the configured limit is reached" },
	{ "QDISC_CONGESTED",
	  "the queueing discipline of {dev} dropped {count} packets to signal congestion (AQM)",
	  "expected under load with codel/fq_codel/pie; the link is the bottleneck" },
	{ "CAKE_FLOOD",
	  "the cake qdisc of {dev} dropped {count} packets of a flooding flow",
	  "one flow ({flow}) exceeds its share; `tc -s qdisc show dev {devname}`" },
	{ "FQ_BAND_LIMIT",
	  "the fq qdisc of {dev} dropped {count} packets over a band's limit",
	  "`tc -s qdisc show dev {devname}`: raise the band limits or reduce the senders' rate" },
	{ "FQ_HORIZON_LIMIT",
	  "the fq qdisc of {dev} dropped {count} packets timestamped beyond its horizon",
	  "senders using SO_TXTIME too far ahead; raise the fq horizon" },
	{ "FQ_FLOW_LIMIT",
	  "the fq qdisc of {dev} dropped {count} packets of a flow over its flow_limit",
	  "one flow ({flow}) queues too much; raise flow_limit or pace the sender" },
	{ "CPU_BACKLOG",
	  "the per-CPU input backlog was full: {count} packets dropped on {dev}",
	  "softirq processing cannot keep up: raise net.core.netdev_max_backlog, spread with RPS/RSS" },
	{ "XDP",
	  "an XDP program on {dev} dropped {count} packets (XDP_DROP or XDP_ABORTED)",
	  "`ip link show {devname}` and `bpftool net` {in_ns} show the program; XDP_ABORTED means a program error" },
	{ "UNHANDLED_PROTO",
	  "{count} packets of a protocol nothing handles arrived on {dev}",
	  "an ethertype without a handler on this host (module not loaded?)" },
	{ "SKB_CSUM",
	  "{count} packets failed the checksum computed while copying them ({flow})",
	  "corruption, or a checksum offload problem on {devname}" },
	{ "SKB_GSO_SEG",
	  "{count} packets could not be segmented (GSO) on {dev}",
	  "offload settings of {devname} (`ethtool -k`), or memory pressure" },
	{ "SKB_UCOPY_FAULT",
	  "copying data from user space failed for {count} packets",
	  "the application passed a bad buffer to send()" },
	{ "DEV_HDR",
	  "{count} packets had an invalid link-layer header for {dev}",
	  "the packets do not fit the device type (wrong header length)" },
	{ "DEV_READY",
	  "{dev} was not ready (down or without carrier): {count} packets dropped",
	  "`ip link show {devname}` {in_ns}: is it UP with a carrier, and its peer up?" },
	{ "FULL_RING",
	  "the ring of {dev} was full: {count} packets dropped",
	  "the device's queue overflowed: a bigger ring (`ethtool -G {devname}`) or a faster consumer (tun/veth peer)" },
	{ "NOMEM",
	  "{count} packets were dropped for lack of memory",
	  "the host is short of memory (or of atomic reserves); check /proc/meminfo and min_free_kbytes" },
	{ "HDR_TRUNC",
	  "{count} packets had truncated headers on {dev}",
	  "the sender builds short packets, or a device truncates them" },
	{ "TAP_FILTER",
	  "a tap/tun filter on {dev} dropped {count} packets",
	  "the filter set on the tap device (TUNSETTXFILTER / BPF)" },
	{ "TAP_TXFILTER",
	  "the tap transmit filter of {dev} dropped {count} packets",
	  "the MAC filter set on the tap device by its user (virtual machine)" },
	{ "INVALID_PROTO",
	  "{count} packets carried a protocol invalid at that point ({flow})",
	  "malformed packets or a misrouted tunnel" },
	{ "IP_INADDRERRORS",
	  "{count} packets had an invalid destination address {dst} on {dev}",
	  "a martian or broadcast destination where it is not accepted: `ip route get {dst} from {src} iif {devname}` {in_ns}" },
	{ "IP_LOCAL_SOURCE",
	  "{count} packets arrived on {dev} with one of this host's addresses ({src}) as source",
	  "a loop, or spoofed traffic; check the topology and the sender" },
	{ "IP_INVALID_SOURCE",
	  "{count} packets had an invalid source address {src} on {dev} (a martian)",
	  "`sysctl net.ipv4.conf.all.log_martians=1` and the sender's addressing" },
	{ "IP_LOCALNET",
	  "{count} packets with a loopback address arrived on {dev}, which is not loopback",
	  "net.ipv4.conf.{devname}.route_localnet, or the sender's addressing" },
	{ "IP_INVALID_DEST",
	  "{count} packets had an invalid destination address {dst}",
	  "the sender's addressing (multicast/broadcast/zero destination)" },
	{ "PKT_TOO_BIG",
	  "{count} packets of {flow} were larger than the path MTU and could not be fragmented",
	  "an MTU mismatch: `ip link` MTUs along the path, and ICMP \"fragmentation needed\" not blocked" },
	{ "DUP_FRAG",
	  "duplicate IP fragments of {flow} were dropped",
	  "retransmits or duplication on the path; harmless in small numbers" },
	{ "FRAG_REASM_TIMEOUT",
	  "IP fragments of {flow} were never completed and timed out",
	  "a fragment was lost on the path; avoid fragmentation (MTU, PMTU discovery)" },
	{ "FRAG_TOO_FAR",
	  "IP fragments of {flow} arrived too far out of order",
	  "heavy reordering; net.ipv4.ipfrag_max_dist" },
	{ "TCP_MINTTL",
	  "TCP segments of {flow} arrived with a TTL below the socket's IP_MINTTL",
	  "the peer is further away than the socket allows (GTSM on BGP sessions)" },
	{ "IPV6_BAD_EXTHDR",
	  "{count} IPv6 packets had a bad extension header ({flow})",
	  "malformed packets, or extension headers this host refuses" },
	{ "IPV6_NDISC_FRAG",
	  "fragmented neighbour discovery messages were dropped on {dev}",
	  "ND messages must not be fragmented: a broken sender" },
	{ "IPV6_NDISC_HOP_LIMIT",
	  "neighbour discovery messages with a hop limit other than 255 arrived on {dev}",
	  "ND from a routed (off-link) sender: spoofing, or a broken router" },
	{ "IPV6_NDISC_BAD_CODE",
	  "neighbour discovery messages with an invalid code arrived on {dev}",
	  "a broken sender" },
	{ "IPV6_NDISC_BAD_OPTIONS",
	  "neighbour discovery messages with invalid options arrived on {dev}",
	  "a broken sender" },
	{ "IPV6_NDISC_NS_OTHERHOST",
	  "neighbour solicitations for another host's address arrived on {dev}",
	  "normal on shared links; else check the target addresses" },
	{ "QUEUE_PURGE",
	  "{count} queued packets were purged (device or socket torn down)",
	  "a device went down or a socket closed with packets still queued" },
	{ "TC_COOKIE_ERROR",
	  "a tc action cookie error dropped {count} packets on {dev}",
	  "the tc configuration of {devname}" },
	{ "PACKET_SOCK_ERROR",
	  "a packet socket failed to deliver {count} packets",
	  "a capture tool's socket buffer overflowed (tcpdump -B)" },
	{ "TC_CHAIN_NOTFOUND",
	  "a tc filter jumped to a missing chain on {dev}: {count} drops",
	  "`tc filter show dev {devname}`: the goto chain target does not exist" },
	{ "TC_RECLASSIFY_LOOP",
	  "tc reclassification looped on {dev}: {count} drops",
	  "a tc action loop in the configuration of {devname}" },
	{ "VXLAN_INVALID_HDR",
	  "{count} VXLAN packets had an invalid header on {dev}",
	  "the VXLAN peers disagree on options (GBP, GPE)" },
	{ "VXLAN_VNI_NOT_FOUND",
	  "{count} VXLAN packets carried a VNI no device here serves",
	  "`ip -d link show type vxlan` {in_ns}: create the VNI or fix the sender's" },
	{ "MAC_INVALID_SOURCE",
	  "{count} frames had an invalid source MAC address on {dev}",
	  "multicast or zero source MACs: a broken sender" },
	{ "VXLAN_ENTRY_EXISTS",
	  "a VXLAN forwarding entry already existed: {count} drops",
	  "conflicting FDB entries on the VXLAN device (`bridge fdb show`)" },
	{ "NO_TX_TARGET",
	  "{count} packets had no transmit target (no lower device)",
	  "a virtual device without a working lower device or peer" },
	{ "IP_TUNNEL_ECN",
	  "tunnelled packets with inconsistent ECN bits were dropped on {dev}",
	  "the ECN marking of the tunnel's outer and inner headers disagree" },
	{ "TUNNEL_TXINFO",
	  "{count} packets lacked tunnel metadata for transmission on {dev}",
	  "a collect_md tunnel device used without metadata (a tc/BPF program should set it)" },
	{ "LOCAL_MAC",
	  "{count} frames came back with a local MAC address as source on {dev}",
	  "a bridging loop" },
	{ "ARP_PVLAN_DISABLE",
	  "ARP proxy for private VLANs was disabled: {count} drops on {dev}",
	  "net.ipv4.conf.{devname}.proxy_arp_pvlan" },
	{ "MAC_IEEE_MAC_CONTROL",
	  "{count} IEEE MAC control frames were dropped on {dev}",
	  "pause frames reaching the stack; normal on some links" },
	{ "BRIDGE_INGRESS_STP_STATE",
	  "the bridge port {dev} was not forwarding (STP state): {count} drops",
	  "`bridge link show` {in_ns}: the port is blocking/listening/learning" },
	{ "PFMEMALLOC",
	  "{count} packets from the emergency memory reserves were dropped",
	  "the host was under memory pressure" },
	{ "RECURSION_LIMIT",
	  "{count} packets hit the transmit recursion limit on {dev}",
	  "a loop of virtual devices (tunnel over itself)" },
};

const struct nr_diag *nr_diag_table(size_t *n)
{
	*n = sizeof(diag_table) / sizeof(diag_table[0]);
	return diag_table;
}

const struct nr_diag *nr_diag_lookup(const char *name)
{
	size_t i;

	for (i = 0; name && i < sizeof(diag_table) / sizeof(diag_table[0]); i++)
		if (!strcmp(diag_table[i].reason, name))
			return &diag_table[i];
	return NULL;
}

/* netfilter: the function that ran the hook, innermost caller of nf_hook_slow wins */
static const struct {
	const char *func;
	const char *what;
} nf_callers[] = {
	{ "ip_rcv", "PREROUTING hook" },
	{ "ip_rcv_core", "PREROUTING hook" },
	{ "ip_local_deliver", "INPUT hook" },
	{ "ip_forward", "FORWARD hook" },
	{ "__ip_local_out", "OUTPUT hook" },
	{ "ip_output", "POSTROUTING hook" },
	{ "ipv6_rcv", "PREROUTING hook" },
	{ "ip6_input", "INPUT hook" },
	{ "ip6_forward", "FORWARD hook" },
	{ "__ip6_local_out", "OUTPUT hook" },
	{ "ip6_output", "POSTROUTING hook" },
	{ "arp_rcv", "arp INPUT hook" },
	{ "arp_xmit", "arp OUTPUT hook" },
	{ "br_handle_frame", "bridge PREROUTING hook" },
	{ "br_pass_frame_up", "bridge INPUT hook" },
	{ "__br_forward", "bridge FORWARD hook" },
	{ "br_forward_finish", "bridge POSTROUTING hook" },
	{ "__netif_receive_skb_core", "netdev ingress hook" },
	{ "nf_ingress", "netdev ingress hook" },
	{ "__dev_queue_xmit", "netdev egress hook" },
};

static const struct {
	const char *prefix;
	const char *what;
} nf_engines[] = {
	{ "nft_do_chain", "nftables" },
	{ "iptable_filter", "iptables filter table" },
	{ "iptable_nat", "iptables nat table" },
	{ "iptable_mangle", "iptables mangle table" },
	{ "iptable_raw", "iptables raw table" },
	{ "iptable_security", "iptables security table" },
	{ "ip6table_filter", "ip6tables filter table" },
	{ "ip6table_mangle", "ip6tables mangle table" },
	{ "ip6table_raw", "ip6tables raw table" },
	{ "ipt_do_table", "iptables" },
	{ "ip6t_do_table", "ip6tables" },
	{ "arpt_do_table", "arptables" },
	{ "ebt_do_table", "ebtables" },
	{ "nf_conntrack_in", "conntrack" },
};

/* the symbol of a frame, without +0xoff */
static size_t frame_sym(const char *frame, char *buf, size_t size)
{
	const char *plus = strchr(frame, '+');
	size_t l = plus ? (size_t)(plus - frame) : strlen(frame);

	if (l >= size)
		l = size - 1;
	memcpy(buf, frame, l);
	buf[l] = 0;
	return l;
}

const char *nr_diag_netfilter_hook(const struct nr_res_stack *st, char *buf, size_t size)
{
	const char *hook = NULL, *engine = NULL;
	size_t best = sizeof(nf_engines) / sizeof(nf_engines[0]);
	bool after_slow = false;
	__u32 i;
	size_t j;

	if (!st)
		return NULL;
	for (i = 0; i < st->nr_frames; i++) {
		char sym[128];

		frame_sym(st->frames[i], sym, sizeof(sym));
		if (!strcmp(sym, "nf_hook_slow")) {
			after_slow = true;
			continue;
		}
		/* the most specific engine entry wins (the table lists those first) */
		for (j = 0; j < best; j++) {
			if (!strncmp(sym, nf_engines[j].prefix, strlen(nf_engines[j].prefix))) {
				best = j;
				engine = nf_engines[j].what;
			}
		}
		for (j = 0; after_slow && !hook && j < sizeof(nf_callers) / sizeof(nf_callers[0]);
		     j++)
			if (!strcmp(sym, nf_callers[j].func))
				hook = nf_callers[j].what;
	}
	if (!hook && !engine)
		return NULL;
	if (hook && engine)
		snprintf(buf, size, "%s (%s)", hook, engine);
	else
		snprintf(buf, size, "%s", hook ? hook : engine);
	return buf;
}

/* ---- the filler ---- */

struct facts {
	const struct nr_flow *flow;
	const struct nr_res_dev *dev;
	const struct nr_res_group *group;
	__u64 count;
	__u64 total;
};

struct sbuf {
	char *p;
	size_t len, cap;
	bool oom;
};

static void sb_add(struct sbuf *b, const char *s, size_t n)
{
	if (b->oom)
		return;
	if (b->len + n + 1 > b->cap) {
		size_t nc = (b->len + n + 1) * 2;
		char *np = realloc(b->p, nc);

		if (!np) {
			b->oom = true;
			return;
		}
		b->p = np;
		b->cap = nc;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = 0;
}

static void sb_str(struct sbuf *b, const char *s)
{
	sb_add(b, s, strlen(s));
}

static void fact(struct sbuf *b, const char *key, size_t klen, const struct facts *f,
		 const struct nr_result *r)
{
	const struct nr_flow *fl = f->flow;
	char tmp[256];

#define KEY(s) (klen == sizeof(s) - 1 && !memcmp(key, s, klen))
	if (KEY("count")) {
		snprintf(tmp, sizeof(tmp), "%llu", (unsigned long long)f->count);
	} else if (KEY("pct")) {
		snprintf(tmp, sizeof(tmp), "%.1f%%",
			 f->total ? 100.0 * (double)f->count / (double)f->total : 0.0);
	} else if (KEY("flow")) {
		if (fl)
			nr_flow_str(fl, tmp, sizeof(tmp));
		else
			snprintf(tmp, sizeof(tmp), "an unknown flow");
	} else if (KEY("proto")) {
		const char *p = fl ? nr_decode_ipproto_name(fl->proto) : NULL;

		if (p)
			snprintf(tmp, sizeof(tmp), "%s", p);
		else if (fl && fl->proto)
			snprintf(tmp, sizeof(tmp), "protocol %u", fl->proto);
		else
			snprintf(tmp, sizeof(tmp), "IP");
	} else if (KEY("src") || KEY("dst")) {
		if (fl)
			nr_decode_addr(fl->family, key[0] == 's' ? fl->src : fl->dst, tmp, sizeof(tmp));
		else
			snprintf(tmp, sizeof(tmp), "an unknown address");
	} else if (KEY("sport") || KEY("dport")) {
		if (fl)
			snprintf(tmp, sizeof(tmp), "%u", key[0] == 's' ? fl->sport : fl->dport);
		else
			snprintf(tmp, sizeof(tmp), "an unknown port");
	} else if (KEY("dst_ep")) {
		if (fl && (fl->proto == IPPROTO_TCP || fl->proto == IPPROTO_UDP ||
			   fl->proto == IPPROTO_SCTP))
			nr_decode_endpoint(fl->family, fl->dst, fl->dport, tmp, sizeof(tmp));
		else if (fl)
			nr_decode_addr(fl->family, fl->dst, tmp, sizeof(tmp));
		else
			snprintf(tmp, sizeof(tmp), "an unknown address and port");
	} else if (KEY("ns") || KEY("in_ns")) {
		const struct nr_res_dev *d = f->dev;
		bool in = key[0] == 'i';

		if (!d || !d->netns)
			snprintf(tmp, sizeof(tmp), in ? "" : "an unknown netns");
		else if (in && d->netns_name)
			snprintf(tmp, sizeof(tmp), "in netns %s", d->netns_name);
		else if (d->netns_name)
			snprintf(tmp, sizeof(tmp), "netns %u (%s)", d->netns, d->netns_name);
		else
			snprintf(tmp, sizeof(tmp), "%snetns %u", in ? "in " : "", d->netns);
	} else if (KEY("dev")) {
		const struct nr_res_dev *d = f->dev;

		if (d && d->ifname)
			snprintf(tmp, sizeof(tmp), "dev %s", d->ifname);
		else if (d && d->ifindex)
			snprintf(tmp, sizeof(tmp), "ifindex %u", d->ifindex);
		else
			snprintf(tmp, sizeof(tmp), "an unknown device");
	} else if (KEY("devname")) {
		const struct nr_res_dev *d = f->dev;

		snprintf(tmp, sizeof(tmp), "%s", d && d->ifname ? d->ifname : "DEV");
	} else if (KEY("loc")) {
		snprintf(tmp, sizeof(tmp), "%s", f->group ? f->group->location_str : "?");
	} else if (KEY("hook")) {
		const struct nr_res_stack *st = f->group && f->group->nr_stacks ?
						f->group->stacks[0].stack : NULL;
		char hb[128];

		if (nr_diag_netfilter_hook(st, hb, sizeof(hb)))
			snprintf(tmp, sizeof(tmp), " at the %s", hb);
		else
			tmp[0] = 0;
	} else {
		/* unknown placeholder: keep it visible, the table test catches it */
		snprintf(tmp, sizeof(tmp), "{%.*s}", (int)klen, key);
	}
#undef KEY
	(void)r;
	sb_str(b, tmp);
}

const char *nr_diag_fill(struct arena *ar, const struct nr_result *r,
			 const struct nr_res_reason *rr, const char *tmpl)
{
	struct facts f = {
		.flow = rr->nr_flows ? &rr->flows[0].flow : NULL,
		.dev = rr->nr_devs ? &rr->devs[0] : NULL,
		.group = rr->nr_groups ? &rr->groups[0] : NULL,
		.count = rr->count,
		.total = r->totals.drops,
	};
	struct sbuf b = { 0 };
	const char *p = tmpl, *res;

	while (*p) {
		const char *open = strchr(p, '{'), *close;

		if (!open || !(close = strchr(open, '}'))) {
			sb_str(&b, p);
			break;
		}
		sb_add(&b, p, (size_t)(open - p));
		fact(&b, open + 1, (size_t)(close - open - 1), &f, r);
		p = close + 1;
	}
	if (b.oom) {
		free(b.p);
		return NULL;
	}
	/* an empty fact may leave a double or trailing space */
	if (b.p) {
		char *s = b.p, *d = b.p;

		for (; *s; s++)
			if (!(*s == ' ' && (d == b.p || d[-1] == ' ' || s[1] == 0 || s[1] == ',' ||
					    s[1] == ':' || s[1] == ';')))
				*d++ = *s;
		*d = 0;
	}
	res = arena_strdup(ar, b.p ? b.p : "");
	free(b.p);
	return res;
}

int nr_diagnose(struct arena *ar, const struct nr_result *r, struct nr_res_reason *rr)
{
	const struct nr_diag *d = nr_diag_lookup(rr->name);

	rr->diag_what = rr->diag_check = NULL;
	if (!d)
		return 0;
	rr->diag_what = nr_diag_fill(ar, r, rr, d->what);
	rr->diag_check = nr_diag_fill(ar, r, rr, d->check);
	return rr->diag_what && rr->diag_check ? 0 : -ENOMEM;
}
