/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * sk.bpf.h - the body every socket probe shares (struct nr_sock records)
 *
 * Socket events are filtered by netns and by the pcap-filter hook on a header built from
 * the socket's tuple (nr_pcap_tuple): `port 80` keeps the same connections as it keeps
 * packets. The ifindex and mark filters describe packets and do not apply to sockets;
 * --follow tracks skbs and does not apply either.
 */
#ifndef NR_SK_BPF_H
#define NR_SK_BPF_H

#include "netrec.bpf.h"

/* the socket's identity, gathered before anything is reserved */
struct nr_tuple {
	__u8 saddr[16];
	__u8 daddr[16];
	__u32 netns;
	__u16 family;
	__u16 sport;
	__u16 dport;
	__u16 protocol;
	__u16 state;
	__u16 _pad;
};

/**
 * struct nr_sock_args - what a probe adds to the socket's own fields
 * @skb:       nr_sock.skb
 * @reason:    nr_sock.reason
 * @val:       nr_sock.val[]
 * @oldstate:  with @states: the previous state
 * @newstate:  with @states: the new state
 * @states:    the tracepoint gives the states (inet_sock_set_state); otherwise
 *             oldstate is the socket's current state and newstate 0
 * @tcp_only:  events of non-TCP sockets are filtered out
 * @is_tcp:    the tracepoint is TCP's: the socket is TCP without reading sk_protocol
 * @mini_sk:   the socket may be a request or timewait socket: only its struct
 *             sock_common may be read
 */
struct nr_sock_args {
	__u64 skb;
	__u32 reason;
	__u32 val[3];
	__u16 oldstate;
	__u16 newstate;
	bool states;
	bool tcp_only;
	bool is_tcp;
	bool mini_sk;
};

static __always_inline void nr_skc_tuple(bool btf, const struct sock_common *skc,
					 struct nr_tuple *tp)
{
	tp->family = NR_RD(btf, skc, skc_family);
	tp->sport = NR_RD(btf, skc, skc_num);
	tp->dport = bpf_ntohs(NR_RD(btf, skc, skc_dport));
	tp->state = NR_RD(btf, skc, skc_state);
	tp->netns = nr_net_inum(btf, NR_RD(btf, skc, skc_net.net));
	if (tp->family == NR_AF_INET6) {
		nr_sk_v6_addrs(skc, tp->saddr, tp->daddr);
	} else {
		__u32 s = NR_RD(btf, skc, skc_rcv_saddr), d = NR_RD(btf, skc, skc_daddr);

		__builtin_memset(tp->saddr, 0, 16);
		__builtin_memset(tp->daddr, 0, 16);
		__builtin_memcpy(tp->saddr, &s, 4);
		__builtin_memcpy(tp->daddr, &d, 4);
	}
}

/*
 * A packet's tuple seen from the receiving end (used for resets sent without a socket:
 * the local end is the packet's destination). Returns false when the packet's headers
 * are not readable.
 */
static __always_inline bool nr_skb_tuple(const struct sk_buff *skb, struct nr_tuple *tp)
{
	unsigned char *head;
	__u16 nh, th, ports[2];
	__u8 ver = 0;

	__builtin_memset(tp, 0, sizeof(*tp));
	if (!skb)
		return false;
	head = BPF_CORE_READ(skb, head);
	nh = BPF_CORE_READ(skb, network_header);
	th = BPF_CORE_READ(skb, transport_header);
	if (!nh || bpf_probe_read_kernel(&ver, 1, head + nh))
		return false;
	ver >>= 4;
	if (ver == 4) {
		tp->family = NR_AF_INET;
		bpf_probe_read_kernel(tp->daddr, 4, head + nh + 12);
		bpf_probe_read_kernel(tp->saddr, 4, head + nh + 16);
	} else if (ver == 6) {
		tp->family = NR_AF_INET6;
		bpf_probe_read_kernel(tp->daddr, 16, head + nh + 8);
		bpf_probe_read_kernel(tp->saddr, 16, head + nh + 24);
	} else {
		return false;
	}
	if (th != 0xffff && th > nh && !bpf_probe_read_kernel(ports, 4, head + th)) {
		tp->dport = bpf_ntohs(ports[0]);
		tp->sport = bpf_ntohs(ports[1]);
	}
	tp->protocol = NR_IPPROTO_TCP;
	tp->netns = nr_dev_netns(false, BPF_CORE_READ(skb, dev));
	return true;
}

static __always_inline bool nr_tuple_match(const struct nr_tuple *tp)
{
	if (cfg_netns && tp->netns != cfg_netns)
		return false;
	if (cfg_filter) {
		if (tp->family != NR_AF_INET && tp->family != NR_AF_INET6)
			return false;
		if (!nr_pcap_tuple(tp->family, tp->protocol, tp->saddr, tp->daddr, tp->sport,
				     tp->dport))
			return false;
	}
	return true;
}

/*
 * @sk: the socket the record names; @tp: its tuple (or a request socket's, or a
 * packet's), already read.
 */
static __always_inline int nr_sock_emit(void *ctx, __u16 probe, struct nr_probe_stats *st,
					__u64 sk, const struct nr_tuple *tp,
					const struct nr_sock_args *a)
{
	__u16 rflags = 0;
	bool stack;
	struct nr_sock *e;
	__u64 now;

	if ((a->tcp_only && tp->protocol != NR_IPPROTO_TCP) || !nr_tuple_match(tp)) {
		st->filtered++;
		return 0;
	}
	if (!nr_gate(st, probe, &now))
		return 0;
	stack = nr_want_stack(st, probe, false, 0, a->reason, now, &rflags);
	e = nr_reserve_rec(st, sizeof(*e), stack);
	if (!e)
		return 0;

	e->sk = sk;
	e->skb = a->skb;
	e->netns = tp->netns;
	e->pid = nr_pid();
	e->probe = probe;
	e->cpu = bpf_get_smp_processor_id();
	e->family = tp->family;
	e->protocol = tp->protocol;
	e->sport = tp->sport;
	e->dport = tp->dport;
	e->oldstate = a->states ? a->oldstate : tp->state;
	e->newstate = a->states ? a->newstate : 0;
	e->reason = a->reason;
	e->val[0] = a->val[0];
	e->val[1] = a->val[1];
	e->val[2] = a->val[2];
	__builtin_memcpy(e->saddr, tp->saddr, 16);
	__builtin_memcpy(e->daddr, tp->daddr, 16);
	e->_pad = 0;
	bpf_get_current_comm(e->comm, sizeof(e->comm));
	nr_finish(ctx, e, sizeof(*e), stack, &e->stack_id, NR_REC_SOCK, rflags, now);
	return 0;
}

/* The common case: a struct sock (may be NULL: then @skb's headers give the tuple). */
static __always_inline int nr_sock_event(void *ctx, bool btf, __u16 probe, const struct sock *sk,
					 const struct sk_buff *skb, const struct nr_sock_args *a)
{
	struct nr_probe_stats *st = nr_hit(probe);
	struct nr_tuple tp = {};

	if (!st)
		return 0;
	if (sk) {
		nr_skc_tuple(btf, &sk->__sk_common, &tp);
		tp.protocol = a->is_tcp ? NR_IPPROTO_TCP : nr_sk_protocol(sk);
		/* A full socket's local port lives on in inet_sport after unhashing cleared
		 * skc_num (tcp_set_state(TCP_CLOSE) unhashes before the tracepoint). A probe
		 * read: the field is outside struct sock, beyond what a BTF load may reach. */
		if (!tp.sport && !a->mini_sk)
			tp.sport = bpf_ntohs(BPF_CORE_READ((const struct inet_sock *)sk,
							   inet_sport));
	} else if (!nr_skb_tuple(skb, &tp)) {
		/* neither a socket nor a readable packet: nothing to record */
		st->filtered++;
		return 0;
	}
	return nr_sock_emit(ctx, probe, st, (__u64)sk, &tp, a);
}

#endif /* NR_SK_BPF_H */
