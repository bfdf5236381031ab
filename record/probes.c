// SPDX-License-Identifier: GPL-2.0-only
/*
 * probes.c - the table of probe points (see probes.h)
 */
#include <errno.h>
#include <string.h>

#include "netrec_abi.h"
#include "probes.h"

/* every tracepoint: BTF-typed first, then raw, then the classic tracefs record */
#define TP_MECHS	{ NR_MECH_TP_BTF, NR_MECH_RAW_TP, NR_MECH_TRACEPOINT, NR_MECH_NONE }

#define SKB		"struct sk_buff *"
#define SOCK		"struct sock *"
#define NEIGH		"struct neighbour *"

const struct nr_probe_def nr_probe_defs[NR_P__STATIC_MAX] = {
	[NR_P_KFREE_SKB] = {
		.id = NR_P_KFREE_SKB, .kind = NR_PK_TRACEPOINT,
		.name = "skb:kfree_skb", .prog = "skb_kfree",
		.rec_type = NR_REC_PKT, .flags = NR_PD_PACKET | NR_PD_DROP | NR_PD_FREE,
		.profile = NR_PROFILE_DROPS, .mechs = TP_MECHS,
		.args = { SKB, "void *", "enum skb_drop_reason", SOCK }, .nr_required = 2,
		.carries = "drop: reason (kernel numbering, 5.17+), location, receiving socket "
			   "(6.11+), stack, snapshot",
	},
	[NR_P_CONSUME_SKB] = {
		.id = NR_P_CONSUME_SKB, .kind = NR_PK_TRACEPOINT,
		.name = "skb:consume_skb", .prog = "skb_consume",
		.rec_type = NR_REC_PKT, .flags = NR_PD_PACKET | NR_PD_FREE,
		.profile = NR_PROFILE_PATH, .count_profile = NR_PROFILE_DROPS, .mechs = TP_MECHS,
		.args = { SKB, "void *" }, .nr_required = 1,
		.carries = "normal free: location (6.3+); counted only in the drops profile",
	},
	[NR_P_SKB_COPY_DATAGRAM_IOVEC] = {
		.id = NR_P_SKB_COPY_DATAGRAM_IOVEC, .kind = NR_PK_TRACEPOINT,
		.name = "skb:skb_copy_datagram_iovec", .prog = "skb_copy",
		.rec_type = NR_REC_PKT, .flags = NR_PD_PACKET,
		.profile = NR_PROFILE_PATH, .mechs = TP_MECHS,
		.args = { SKB, "int" }, .nr_required = 2,
		.carries = "delivery to a reader: aux = bytes copied",
	},
	[NR_P_NAPI_GRO_RECEIVE_ENTRY] = {
		.id = NR_P_NAPI_GRO_RECEIVE_ENTRY, .kind = NR_PK_TRACEPOINT,
		.name = "net:napi_gro_receive_entry", .prog = "dev_gro",
		.rec_type = NR_REC_PKT, .flags = NR_PD_PACKET,
		.profile = NR_PROFILE_PATH, .mechs = TP_MECHS,
		.args = { SKB }, .nr_required = 1,
		.carries = "receive: a driver hands the packet to GRO",
	},
	[NR_P_NETIF_RECEIVE_SKB] = {
		.id = NR_P_NETIF_RECEIVE_SKB, .kind = NR_PK_TRACEPOINT,
		.name = "net:netif_receive_skb", .prog = "dev_rcv",
		.rec_type = NR_REC_PKT, .flags = NR_PD_PACKET,
		.profile = NR_PROFILE_PATH, .mechs = TP_MECHS,
		.args = { SKB }, .nr_required = 1,
		.carries = "receive: the stack takes the packet from the device",
	},
	[NR_P_NETIF_RX] = {
		.id = NR_P_NETIF_RX, .kind = NR_PK_TRACEPOINT,
		.name = "net:netif_rx", .prog = "dev_rx",
		.rec_type = NR_REC_PKT, .flags = NR_PD_PACKET,
		.profile = NR_PROFILE_PATH, .mechs = TP_MECHS,
		.args = { SKB }, .nr_required = 1,
		.carries = "receive: queued to the backlog (veth, loopback, tunnels)",
	},
	[NR_P_NET_DEV_QUEUE] = {
		.id = NR_P_NET_DEV_QUEUE, .kind = NR_PK_TRACEPOINT,
		.name = "net:net_dev_queue", .prog = "dev_queue",
		.rec_type = NR_REC_PKT, .flags = NR_PD_PACKET,
		.profile = NR_PROFILE_PATH, .mechs = TP_MECHS,
		.args = { SKB }, .nr_required = 1,
		.carries = "transmit: handed to the device layer (dev_queue_xmit)",
	},
	[NR_P_NET_DEV_START_XMIT] = {
		.id = NR_P_NET_DEV_START_XMIT, .kind = NR_PK_TRACEPOINT,
		.name = "net:net_dev_start_xmit", .prog = "dev_start",
		.rec_type = NR_REC_PKT, .flags = NR_PD_PACKET,
		.profile = NR_PROFILE_PATH, .mechs = TP_MECHS,
		.args = { SKB }, .nr_required = 1,
		.carries = "transmit: the driver's xmit is about to be called",
	},
	[NR_P_NET_DEV_XMIT] = {
		.id = NR_P_NET_DEV_XMIT, .kind = NR_PK_TRACEPOINT,
		.name = "net:net_dev_xmit", .prog = "dev_xmit",
		.rec_type = NR_REC_PKT, .flags = NR_PD_PACKET,
		.profile = NR_PROFILE_PATH, .mechs = TP_MECHS,
		.args = { SKB, "int", "struct net_device *", "unsigned int" }, .nr_required = 4,
		.carries = "transmit: the driver returned; reason = return code (NETDEV_TX_*), "
			   "aux = length",
	},
	[NR_P_QDISC_ENQUEUE] = {
		.id = NR_P_QDISC_ENQUEUE, .kind = NR_PK_TRACEPOINT,
		.name = "qdisc:qdisc_enqueue", .prog = "qdisc_enq",
		.rec_type = NR_REC_PKT, .flags = NR_PD_PACKET,
		.profile = NR_PROFILE_PATH, .mechs = TP_MECHS,
		.args = { "struct Qdisc *", "struct netdev_queue *", SKB }, .nr_required = 3,
		.carries = "queued in a qdisc: reason = qdisc handle, aux = parent handle",
	},
	[NR_P_QDISC_DEQUEUE] = {
		.id = NR_P_QDISC_DEQUEUE, .kind = NR_PK_TRACEPOINT,
		.name = "qdisc:qdisc_dequeue", .prog = "qdisc_deq",
		.rec_type = NR_REC_PKT, .flags = NR_PD_PACKET,
		.profile = NR_PROFILE_PATH, .mechs = TP_MECHS,
		.args = { "struct Qdisc *", "struct netdev_queue *", "int", SKB }, .nr_required = 4,
		.carries = "left a qdisc: reason = qdisc handle, aux = packets dequeued",
	},
	[NR_P_INET_SOCK_SET_STATE] = {
		.id = NR_P_INET_SOCK_SET_STATE, .kind = NR_PK_TRACEPOINT,
		.name = "sock:inet_sock_set_state", .prog = "sock_state",
		.rec_type = NR_REC_SOCK,
		.profile = NR_PROFILE_DROPS, .mechs = TP_MECHS,
		.args = { SOCK, "int", "int" }, .nr_required = 3,
		.carries = "TCP state change (IPv4, IPv6): oldstate -> newstate",
	},
	[NR_P_TCP_RETRANSMIT_SKB] = {
		.id = NR_P_TCP_RETRANSMIT_SKB, .kind = NR_PK_TRACEPOINT,
		.name = "tcp:tcp_retransmit_skb", .prog = "tcp_retr",
		.rec_type = NR_REC_SOCK,
		.profile = NR_PROFILE_DROPS, .mechs = TP_MECHS,
		.args = { SOCK, SKB, "int" }, .nr_required = 2,
		.carries = "retransmit: skb, val[0] = result (6.17+: also failed attempts)",
	},
	[NR_P_TCP_RETRANSMIT_SYNACK] = {
		.id = NR_P_TCP_RETRANSMIT_SYNACK, .kind = NR_PK_TRACEPOINT,
		.name = "tcp:tcp_retransmit_synack", .prog = "tcp_synack",
		.rec_type = NR_REC_SOCK,
		.profile = NR_PROFILE_DROPS, .mechs = TP_MECHS,
		.args = { SOCK, "struct request_sock *" }, .nr_required = 2,
		.carries = "SYN-ACK retransmit: the request's tuple, sk = listener",
	},
	[NR_P_TCP_SEND_RESET] = {
		.id = NR_P_TCP_SEND_RESET, .kind = NR_PK_TRACEPOINT,
		.name = "tcp:tcp_send_reset", .prog = "tcp_sndrst",
		.rec_type = NR_REC_SOCK,
		.profile = NR_PROFILE_DROPS, .mechs = TP_MECHS,
		.args = { SOCK, SKB, "enum sk_rst_reason" }, .nr_required = 2,
		.carries = "RST sent: reason (6.10+), skb; val[0] = 1 when no socket "
			   "(tuple from the packet)",
	},
	[NR_P_TCP_RECEIVE_RESET] = {
		.id = NR_P_TCP_RECEIVE_RESET, .kind = NR_PK_TRACEPOINT,
		.name = "tcp:tcp_receive_reset", .prog = "tcp_rcvrst",
		.rec_type = NR_REC_SOCK,
		.profile = NR_PROFILE_DROPS, .mechs = TP_MECHS,
		.args = { SOCK }, .nr_required = 1,
		.carries = "RST received",
	},
	[NR_P_SOCK_RCVQUEUE_FULL] = {
		.id = NR_P_SOCK_RCVQUEUE_FULL, .kind = NR_PK_TRACEPOINT,
		.name = "sock:sock_rcvqueue_full", .prog = "sock_rqfull",
		.rec_type = NR_REC_SOCK,
		.profile = NR_PROFILE_ALL, .mechs = TP_MECHS,
		.args = { SOCK, SKB }, .nr_required = 2,
		.carries = "receive buffer full: val[] = rmem_alloc, truesize, rcvbuf",
	},
	[NR_P_SOCK_EXCEED_BUF_LIMIT] = {
		.id = NR_P_SOCK_EXCEED_BUF_LIMIT, .kind = NR_PK_TRACEPOINT,
		.name = "sock:sock_exceed_buf_limit", .prog = "sock_exbuf",
		.rec_type = NR_REC_SOCK,
		.profile = NR_PROFILE_ALL, .mechs = TP_MECHS,
		.args = { SOCK, "struct proto *", "long int", "int" }, .nr_required = 3,
		.carries = "protocol memory limit hit: val[] = kind, allocated, limit (pages)",
	},
	[NR_P_FIB_TABLE_LOOKUP] = {
		.id = NR_P_FIB_TABLE_LOOKUP, .kind = NR_PK_TRACEPOINT,
		.name = "fib:fib_table_lookup", .prog = "fib_lookup",
		.rec_type = NR_REC_FIB,
		.profile = NR_PROFILE_ALL, .mechs = TP_MECHS,
		.args = { "unsigned int", "struct flowi4 *", "struct fib_nh_common *", "int" },
		.nr_required = 4,
		.carries = "IPv4 route lookup: flow, table, result, nexthop",
	},
	[NR_P_FIB6_TABLE_LOOKUP] = {
		.id = NR_P_FIB6_TABLE_LOOKUP, .kind = NR_PK_TRACEPOINT,
		.name = "fib6:fib6_table_lookup", .prog = "fib6_lookup",
		.rec_type = NR_REC_FIB,
		.profile = NR_PROFILE_ALL, .mechs = TP_MECHS,
		.args = { "struct net *", "struct fib6_result *", "struct fib6_table *",
			  "struct flowi6 *" },
		.nr_required = 4,
		.carries = "IPv6 route lookup: flow, table, result, nexthop",
	},
	[NR_P_NEIGH_CREATE] = {
		.id = NR_P_NEIGH_CREATE, .kind = NR_PK_TRACEPOINT,
		.name = "neigh:neigh_create", .prog = "nei_create",
		.rec_type = NR_REC_NEIGH,
		.profile = NR_PROFILE_ALL, .mechs = TP_MECHS,
		.args = { "struct neigh_table *", "struct net_device *", "void *", NEIGH, "_Bool" },
		.nr_required = 5,
		.carries = "neighbour entry created: key; err = -ENOBUFS when it was not; "
			   "flags = 1 when exempt from GC",
	},
	[NR_P_NEIGH_UPDATE] = {
		.id = NR_P_NEIGH_UPDATE, .kind = NR_PK_TRACEPOINT,
		.name = "neigh:neigh_update", .prog = "nei_update",
		.rec_type = NR_REC_NEIGH,
		.profile = NR_PROFILE_ALL, .mechs = TP_MECHS,
		.args = { NEIGH, "unsigned char *", "unsigned char", "unsigned int",
			  "unsigned int" },
		.nr_required = 5,
		.carries = "neighbour update requested: new_state, flags, lladdr = the new address "
			   "(or the current one)",
	},
	[NR_P_NEIGH_UPDATE_DONE] = {
		.id = NR_P_NEIGH_UPDATE_DONE, .kind = NR_PK_TRACEPOINT,
		.name = "neigh:neigh_update_done", .prog = "nei_updone",
		.rec_type = NR_REC_NEIGH,
		.profile = NR_PROFILE_ALL, .mechs = TP_MECHS,
		.args = { NEIGH, "int" }, .nr_required = 2,
		.carries = "neighbour update done: err",
	},
	[NR_P_NEIGH_TIMER_HANDLER] = {
		.id = NR_P_NEIGH_TIMER_HANDLER, .kind = NR_PK_TRACEPOINT,
		.name = "neigh:neigh_timer_handler", .prog = "nei_timer",
		.rec_type = NR_REC_NEIGH,
		.profile = NR_PROFILE_ALL, .mechs = TP_MECHS,
		.args = { NEIGH, "int" }, .nr_required = 2,
		.carries = "neighbour timer (probe, failure): err",
	},
	[NR_P_NEIGH_EVENT_SEND_DONE] = {
		.id = NR_P_NEIGH_EVENT_SEND_DONE, .kind = NR_PK_TRACEPOINT,
		.name = "neigh:neigh_event_send_done", .prog = "nei_sddone",
		.rec_type = NR_REC_NEIGH,
		.profile = NR_PROFILE_ALL, .mechs = TP_MECHS,
		.args = { NEIGH, "int" }, .nr_required = 2,
		.carries = "packet waiting for resolution: err",
	},
	[NR_P_NEIGH_EVENT_SEND_DEAD] = {
		.id = NR_P_NEIGH_EVENT_SEND_DEAD, .kind = NR_PK_TRACEPOINT,
		.name = "neigh:neigh_event_send_dead", .prog = "nei_sddead",
		.rec_type = NR_REC_NEIGH,
		.profile = NR_PROFILE_ALL, .mechs = TP_MECHS,
		.args = { NEIGH, "int" }, .nr_required = 2,
		.carries = "packet sent to a dead entry: err",
	},
	[NR_P_NEIGH_CLEANUP_AND_RELEASE] = {
		.id = NR_P_NEIGH_CLEANUP_AND_RELEASE, .kind = NR_PK_TRACEPOINT,
		.name = "neigh:neigh_cleanup_and_release", .prog = "nei_clean",
		.rec_type = NR_REC_NEIGH,
		.profile = NR_PROFILE_ALL, .mechs = TP_MECHS,
		.args = { NEIGH, "int" }, .nr_required = 2,
		.carries = "neighbour entry removed: err",
	},
	[NR_P_XDP_EXCEPTION] = {
		.id = NR_P_XDP_EXCEPTION, .kind = NR_PK_TRACEPOINT,
		.name = "xdp:xdp_exception", .prog = "xdp_exc",
		.rec_type = NR_REC_PKT, .flags = NR_PD_DROP,
		.profile = NR_PROFILE_DROPS, .mechs = TP_MECHS,
		.args = { "struct net_device *", "struct bpf_prog *", "unsigned int" },
		.nr_required = 3,
		.carries = "XDP program failed or aborted (no skb): reason = XDP action, "
			   "aux = program id",
	},
};

const struct nr_probe_def *nr_probe_by_name(const char *name)
{
	size_t i;

	for (i = 0; i < NR_P__STATIC_MAX; i++)
		if (!strcmp(nr_probe_defs[i].name, name))
			return &nr_probe_defs[i];
	return NULL;
}

const char *nr_probe_tracepoint(const struct nr_probe_def *d, char *sys, size_t syslen)
{
	const char *colon;
	size_t n;

	if (d->kind != NR_PK_TRACEPOINT)
		return NULL;
	colon = strchr(d->name, ':');
	if (!colon)
		return NULL;
	n = (size_t)(colon - d->name);
	if (n >= syslen)
		return NULL;
	memcpy(sys, d->name, n);
	sys[n] = '\0';
	return colon + 1;
}

static const char *const mech_names[__NR_MECH_MAX] = {
	[NR_MECH_NONE] = "none",
	[NR_MECH_TP_BTF] = "tp_btf",
	[NR_MECH_RAW_TP] = "raw_tp",
	[NR_MECH_TRACEPOINT] = "tracepoint",
	[NR_MECH_FENTRY] = "fentry",
	[NR_MECH_FEXIT] = "fexit",
	[NR_MECH_KPROBE_MULTI] = "kprobe.multi",
	[NR_MECH_KPROBE] = "kprobe",
	[NR_MECH_KRETPROBE] = "kretprobe",
};

const char *nr_mech_name(enum nr_mech m)
{
	if ((unsigned int)m >= __NR_MECH_MAX)
		return "unknown";
	return mech_names[m];
}

int nr_mech_by_name(const char *name, enum nr_mech *ret)
{
	int m;

	for (m = NR_MECH_NONE + 1; m < __NR_MECH_MAX; m++) {
		if (!strcmp(mech_names[m], name)) {
			*ret = m;
			return 0;
		}
	}
	return -EINVAL;
}

const char *nr_mech_prog_suffix(enum nr_mech m)
{
	switch (m) {
	case NR_MECH_TP_BTF:
		return "_btf";
	case NR_MECH_RAW_TP:
		return "_raw";
	case NR_MECH_TRACEPOINT:
		return "_tp";
	default:
		return NULL;
	}
}

static const char *const profile_names[__NR_PROFILE_MAX] = {
	[NR_PROFILE_NONE] = "none",
	[NR_PROFILE_DROPS] = "drops",
	[NR_PROFILE_PATH] = "path",
	[NR_PROFILE_ALL] = "all",
};

const char *nr_profile_name(enum nr_profile p)
{
	if ((unsigned int)p >= __NR_PROFILE_MAX)
		return "unknown";
	return profile_names[p];
}

int nr_profile_by_name(const char *name, enum nr_profile *ret)
{
	int p;

	for (p = NR_PROFILE_DROPS; p < __NR_PROFILE_MAX; p++) {
		if (!strcmp(profile_names[p], name)) {
			*ret = p;
			return 0;
		}
	}
	return -EINVAL;
}
