// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * sock.bpf.c - socket events: sock:inet_sock_set_state (TCP state changes, IPv4 and
 * IPv6), sock:sock_rcvqueue_full, sock:sock_exceed_buf_limit
 */
#include "sk.bpf.h"

/*
 * sock:inet_sock_set_state(sk, oldstate, newstate): TCP only (the tracepoint also fires
 * for other inet protocols); states in this kernel's numbering.
 */
static __always_inline int set_state_args(__u64 *ctx, bool btf)
{
	struct nr_sock_args a = {
		.oldstate = (__u16)nr_arg(ctx, 1),
		.newstate = (__u16)nr_arg(ctx, 2),
		.states = true,
		.tcp_only = true,
	};

	return nr_sock_event(ctx, btf, NR_P_INET_SOCK_SET_STATE, (struct sock *)nr_arg(ctx, 0),
			     NULL, &a);
}

NR_BTF_RAW_PROGS(sock_state, inet_sock_set_state, set_state_args)

SEC("tp/sock/inet_sock_set_state")
int sock_state_tp(struct trace_event_raw_inet_sock_set_state *r)
{
	struct nr_sock_args a = {
		.oldstate = (__u16)r->oldstate,
		.newstate = (__u16)r->newstate,
		.states = true,
		.tcp_only = true,
	};

	return nr_sock_event(r, false, NR_P_INET_SOCK_SET_STATE, r->skaddr, NULL, &a);
}

/*
 * sock:sock_rcvqueue_full(sk, skb): a packet dropped because the receive buffer is
 * full. val[] = { sk_rmem_alloc, skb->truesize, sk_rcvbuf } (bytes).
 */
static __always_inline int rcvq_full(void *ctx, bool btf, const struct sock *sk,
				     const struct sk_buff *skb)
{
	struct nr_sock_args a = {
		.skb = (__u64)skb,
		.val = {
			(__u32)NR_RD(btf, sk, sk_backlog.rmem_alloc.counter),
			NR_RD(btf, skb, truesize),
			(__u32)NR_RD(btf, sk, sk_rcvbuf),
		},
	};

	return nr_sock_event(ctx, btf, NR_P_SOCK_RCVQUEUE_FULL, sk, skb, &a);
}

static __always_inline int rcvq_full_args(__u64 *ctx, bool btf)
{
	return rcvq_full(ctx, btf, (struct sock *)nr_arg(ctx, 0), (struct sk_buff *)nr_arg(ctx, 1));
}

NR_BTF_RAW_PROGS(sock_rqfull, sock_rcvqueue_full, rcvq_full_args)

/* The tracefs record has no socket pointer: values only, no tuple (netns unknown). */
SEC("tp/sock/sock_rcvqueue_full")
int sock_rqfull_tp(struct trace_event_raw_sock_rcvqueue_full *r)
{
	struct nr_probe_stats *st = nr_hit(NR_P_SOCK_RCVQUEUE_FULL);
	struct nr_sock_args a = {
		.val = { (__u32)r->rmem_alloc, r->truesize, (__u32)r->sk_rcvbuf },
	};
	struct nr_tuple tp = {};

	if (!st)
		return 0;
	return nr_sock_emit(r, NR_P_SOCK_RCVQUEUE_FULL, st, 0, &tp, &a);
}

/*
 * sock:sock_exceed_buf_limit(sk, prot, allocated, kind): the protocol's memory limit
 * was hit. val[] = { kind (SK_MEM_SEND 0 / SK_MEM_RECV 1), allocated pages,
 * the protocol's hard limit sysctl_mem[2] in pages }.
 */
static __always_inline int exceed_buf(void *ctx, bool btf, const struct sock *sk,
				      const struct proto *prot, long allocated, int kind)
{
	long *mem = NR_RD(btf, prot, sysctl_mem);
	long limit = 0;
	struct nr_sock_args a = {};

	if (mem)
		bpf_probe_read_kernel(&limit, sizeof(limit), mem + 2);
	a.val[0] = (__u32)kind;
	a.val[1] = (__u32)allocated;
	a.val[2] = (__u32)limit;
	return nr_sock_event(ctx, btf, NR_P_SOCK_EXCEED_BUF_LIMIT, sk, NULL, &a);
}

static __always_inline int exceed_buf_args(__u64 *ctx, bool btf)
{
	return exceed_buf(ctx, btf, (struct sock *)nr_arg(ctx, 0), (struct proto *)nr_arg(ctx, 1),
			  (long)nr_arg(ctx, 2),
			  (int)nr_arg_opt(ctx, NR_P_SOCK_EXCEED_BUF_LIMIT, 3));
}

NR_BTF_RAW_PROGS(sock_exbuf, sock_exceed_buf_limit, exceed_buf_args)

/* The tracefs record has no socket pointer: values only. */
SEC("tp/sock/sock_exceed_buf_limit")
int sock_exbuf_tp(struct trace_event_raw_sock_exceed_buf_limit *r)
{
	struct nr_probe_stats *st = nr_hit(NR_P_SOCK_EXCEED_BUF_LIMIT);
	struct nr_sock_args a = {
		.val = { (__u32)r->kind, (__u32)r->allocated, (__u32)r->sysctl_mem[2] },
	};
	struct nr_tuple tp = {};

	if (!st)
		return 0;
	return nr_sock_emit(r, NR_P_SOCK_EXCEED_BUF_LIMIT, st, 0, &tp, &a);
}
