// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * tcp.bpf.c - TCP retransmits and resets: tcp:tcp_retransmit_skb,
 * tcp:tcp_retransmit_synack, tcp:tcp_send_reset, tcp:tcp_receive_reset
 *
 * nr_sock.oldstate is the socket's state when the event fired.
 */
#include "sk.bpf.h"

/*
 * tcp:tcp_retransmit_skb(sk, skb[, err (6.17+)]). Before 6.17 the tracepoint fired only
 * for retransmits that went out; since, for every attempt with its result.
 * val[0] = err (0: sent, else -errno, as __u32).
 */
static __always_inline int retrans_args(__u64 *ctx, bool btf)
{
	struct nr_sock_args a = {
		.skb = nr_arg(ctx, 1),
		.val = { (__u32)nr_arg_opt(ctx, NR_P_TCP_RETRANSMIT_SKB, 2) },
		.is_tcp = true,
	};

	return nr_sock_event(ctx, btf, NR_P_TCP_RETRANSMIT_SKB, (struct sock *)nr_arg(ctx, 0),
			     (struct sk_buff *)nr_arg(ctx, 1), &a);
}

NR_BTF_RAW_PROGS(tcp_retr, tcp_retransmit_skb, retrans_args)

SEC("tp/tcp/tcp_retransmit_skb")
int tcp_retr_tp(void *r)
{
	struct nr_sock_args a = { .is_tcp = true };
	__u64 skb, sk;
	__s32 err;

	nr_tp_tcp_retransmit_skb(r, &skb, &sk, &err);
	a.skb = skb;
	a.val[0] = (__u32)err;
	return nr_sock_event(r, false, NR_P_TCP_RETRANSMIT_SKB, (struct sock *)sk,
			     (struct sk_buff *)skb, &a);
}

/*
 * tcp:tcp_retransmit_synack(sk, req): the listener retransmits a SYN-ACK. The tuple is
 * the request's (the embryonic connection); nr_sock.sk is the listener.
 */
static __always_inline int synack(void *ctx, bool btf, const struct sock *sk,
				  const struct request_sock *req)
{
	struct nr_probe_stats *st = nr_hit(NR_P_TCP_RETRANSMIT_SYNACK);
	struct nr_sock_args a = {};
	struct nr_tuple tp = {};

	if (!st)
		return 0;
	if (!req) {
		st->filtered++;
		return 0;
	}
	nr_skc_tuple(btf, &req->__req_common, &tp);
	tp.protocol = NR_IPPROTO_TCP;
	return nr_sock_emit(ctx, NR_P_TCP_RETRANSMIT_SYNACK, st, (__u64)sk, &tp, &a);
}

static __always_inline int synack_args(__u64 *ctx, bool btf)
{
	return synack(ctx, btf, (struct sock *)nr_arg(ctx, 0),
		      (struct request_sock *)nr_arg(ctx, 1));
}

NR_BTF_RAW_PROGS(tcp_synack, tcp_retransmit_synack, synack_args)

SEC("tp/tcp/tcp_retransmit_synack")
int tcp_synack_tp(struct trace_event_raw_tcp_retransmit_synack *r)
{
	return synack(r, false, r->skaddr, r->req);
}

/*
 * tcp:tcp_send_reset(sk, skb[, reason (6.10+)]): a RST sent. sk is NULL for resets
 * answering a packet no socket wanted; the tuple then comes from that packet, seen from
 * the side that answers. reason: enum sk_rst_reason, this kernel's numbering.
 * val[0] = 1 when there was no socket.
 */
static __always_inline int send_reset(void *ctx, bool btf, const struct sock *sk,
				      const struct sk_buff *skb, __u32 reason)
{
	struct nr_sock_args a = {
		.skb = (__u64)skb,
		.reason = reason,
		.val = { sk ? 0 : 1 },
		.is_tcp = true,
		.mini_sk = true,
	};

	return nr_sock_event(ctx, btf, NR_P_TCP_SEND_RESET, sk, skb, &a);
}

static __always_inline int send_reset_args(__u64 *ctx, bool btf)
{
	return send_reset(ctx, btf, (struct sock *)nr_arg(ctx, 0), (struct sk_buff *)nr_arg(ctx, 1),
			  (__u32)nr_arg_opt(ctx, NR_P_TCP_SEND_RESET, 2));
}

NR_BTF_RAW_PROGS(tcp_sndrst, tcp_send_reset, send_reset_args)

SEC("tp/tcp/tcp_send_reset")
int tcp_sndrst_tp(void *r)
{
	__u64 skb, sk;
	__u32 reason;

	nr_tp_tcp_send_reset(r, &skb, &sk, &reason);
	return send_reset(r, false, (struct sock *)sk, (struct sk_buff *)skb, reason);
}

/* tcp:tcp_receive_reset(sk): a RST received on an existing socket */
static __always_inline int recv_reset(void *ctx, bool btf, const struct sock *sk)
{
	struct nr_sock_args a = { .is_tcp = true };

	return nr_sock_event(ctx, btf, NR_P_TCP_RECEIVE_RESET, sk, NULL, &a);
}

static __always_inline int recv_reset_args(__u64 *ctx, bool btf)
{
	return recv_reset(ctx, btf, (struct sock *)nr_arg(ctx, 0));
}

NR_BTF_RAW_PROGS(tcp_rcvrst, tcp_receive_reset, recv_reset_args)

SEC("tp/tcp/tcp_receive_reset")
int tcp_rcvrst_tp(struct trace_event_raw_tcp_event_sk *r)
{
	return recv_reset(r, false, r->skaddr);
}
