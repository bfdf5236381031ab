/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * core_fixes.bpf.h - one accessor per kernel change that moved or renamed something the
 * probes read. Each names the upstream commit; the vendored vmlinux.h describes the
 * newest layout, the ___old flavours below describe the layout before the change, and
 * CO-RE picks the one the running kernel has. No version numbers anywhere.
 *
 * Whole arguments that appeared in a tracepoint (kfree_skb's reason, ...) are not
 * handled here: user space reads the tracepoint's prototype from BTF and sets
 * cfg_tp_args (see nr_shared.h). What is here is layout inside structures, including
 * the tracefs record layouts (trace_event_raw_*) the classic tracepoint programs read.
 */
#ifndef NR_CORE_FIXES_BPF_H
#define NR_CORE_FIXES_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_core_read.h>

/*
 * sock::sk_protocol was an 8-bit bitfield until commit bf9765145b85 ("sock: Make
 * sk_protocol a 16-bit value", 5.6). The bitfield relocations give the byte offset,
 * size and shifts of either form, so one probed read covers both.
 */
static __always_inline __u16 nr_sk_protocol(const struct sock *sk)
{
	return (__u16)BPF_CORE_READ_BITFIELD_PROBED(sk, sk_protocol);
}

/*
 * flowi_common::flowic_tos (__u8, the whole TOS byte) became flowic_dscp (dscp_t: the
 * same byte with the ECN bits always clear) in commit 1bec9d0c0046 ("ipv4: Convert
 * ->flowi4_tos to dscp_t", 6.18). Both hold the DSCP in TOS position, so the value is
 * comparable across kernels.
 */
struct flowi_common___old {
	__u8 flowic_tos;
} __attribute__((preserve_access_index));

static __always_inline __u8 nr_flowi_tos(const struct flowi_common *fc)
{
	const struct flowi_common___old *o = (const void *)fc;

	if (bpf_core_field_exists(o->flowic_tos))
		return BPF_CORE_READ(o, flowic_tos);
	return (__u8)BPF_CORE_READ(fc, flowic_dscp);
}

/*
 * struct sock_common::skc_v6_* exist only with CONFIG_IPV6. Read into @dst (16 bytes);
 * zero when the kernel has no IPv6.
 */
static __always_inline void nr_sk_v6_addrs(const struct sock_common *skc, __u8 *saddr,
					   __u8 *daddr)
{
	if (bpf_core_field_exists(skc->skc_v6_rcv_saddr)) {
		bpf_core_read(saddr, 16, &skc->skc_v6_rcv_saddr);
		bpf_core_read(daddr, 16, &skc->skc_v6_daddr);
	} else {
		__builtin_memset(saddr, 0, 16);
		__builtin_memset(daddr, 0, 16);
	}
}

/*
 * Classic tracepoint records (struct trace_event_raw_<event>, the tracefs layout).
 */

/*
 * skb:kfree_skb gained @reason in commit c504e5c2f964 ("net: skb: introduce
 * kfree_skb_reason()", 5.17) and @rx_sk in commit c53795d48ee8 ("net: add rx_sk to
 * trace_kfree_skb", 6.11).
 */
static __always_inline __u32 nr_tp_kfree_skb_reason(const struct trace_event_raw_kfree_skb *r)
{
	if (bpf_core_field_exists(r->reason))
		return (__u32)r->reason;
	return 0;
}

static __always_inline __u64 nr_tp_kfree_skb_rx_sk(const struct trace_event_raw_kfree_skb *r)
{
	if (bpf_core_field_exists(r->rx_sk))
		return (__u64)r->rx_sk;
	return 0;
}

/* skb:consume_skb gained @location in commit dd1b527831a3 ("net: add location to
 * trace_consume_skb()", 6.3). */
static __always_inline __u64 nr_tp_consume_skb_location(const struct trace_event_raw_consume_skb *r)
{
	if (bpf_core_field_exists(r->location))
		return (__u64)r->location;
	return 0;
}

/*
 * tcp:tcp_retransmit_skb and tcp:tcp_send_reset were both events of the class
 * tcp_event_sk_skb (record struct trace_event_raw_tcp_event_sk_skb). tcp_send_reset got
 * its own record, later with the reset reason, in commit 19822a980e19 ("trace: tcp:
 * fully support trace_tcp_send_reset", 6.10); tcp_retransmit_skb got its own record with
 * @err in "tcp: trace retransmit failures in tcp_retransmit_skb" (6.17). Both keep
 * skbaddr and skaddr.
 */
struct trace_event_raw_tcp_event_sk_skb___old {
	struct trace_entry ent;
	const void *skbaddr;
	const void *skaddr;
	int state;
} __attribute__((preserve_access_index));

struct trace_event_raw_tcp_send_reset___new {
	struct trace_entry ent;
	const void *skbaddr;
	const void *skaddr;
	int state;
	enum sk_rst_reason reason;
} __attribute__((preserve_access_index));

struct trace_event_raw_tcp_retransmit_skb___new {
	struct trace_entry ent;
	const void *skbaddr;
	const void *skaddr;
	int state;
	int err;
} __attribute__((preserve_access_index));

static __always_inline void nr_tp_tcp_send_reset(const void *ctx, __u64 *skb, __u64 *sk,
						 __u32 *reason)
{
	const struct trace_event_raw_tcp_event_sk_skb___old *o = ctx;
	const struct trace_event_raw_tcp_send_reset___new *n = ctx;

	*reason = 0;
	if (bpf_core_type_exists(struct trace_event_raw_tcp_send_reset___new)) {
		*skb = (__u64)n->skbaddr;
		*sk = (__u64)n->skaddr;
		if (bpf_core_field_exists(n->reason))
			*reason = (__u32)n->reason;
	} else {
		*skb = (__u64)o->skbaddr;
		*sk = (__u64)o->skaddr;
	}
}

static __always_inline void nr_tp_tcp_retransmit_skb(const void *ctx, __u64 *skb, __u64 *sk,
						     __s32 *err)
{
	const struct trace_event_raw_tcp_event_sk_skb___old *o = ctx;
	const struct trace_event_raw_tcp_retransmit_skb___new *n = ctx;

	*err = 0;
	if (bpf_core_type_exists(struct trace_event_raw_tcp_retransmit_skb___new)) {
		*skb = (__u64)n->skbaddr;
		*sk = (__u64)n->skaddr;
		if (bpf_core_field_exists(n->err))
			*err = n->err;
	} else {
		*skb = (__u64)o->skbaddr;
		*sk = (__u64)o->skaddr;
	}
}

#endif /* NR_CORE_FIXES_BPF_H */
