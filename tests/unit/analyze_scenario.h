/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * analyze_scenario.h - a representative synthetic trace, as a stream of records: UDP to a port
 * without socket in ns1 (full paths), an nftables drop at INPUT in another namespace, a
 * full UDP receive buffer on loopback, packets delivered normally, TCP connections
 * (normal with a retransmit, refused, a listener, one with a zero-window drop that has no
 * snapshot), lost events on one CPU, a mark. @scale multiplies the packet counts
 * (1: 182 records; the benchmark uses large scales). Used by the renderer tests, the
 * golden samples and the benchmark.
 */
#ifndef NR_TEST_ANALYZE_SCENARIO_H
#define NR_TEST_ANALYZE_SCENARIO_H

#include "analyze_synth.h"

typedef int (*scenario_sink)(void *ctx, const struct nr_rec_hdr *rec);

#define SC_US	1000ULL
#define SC_MS	1000000ULL
#define SC_T0	1000000000ULL

static inline int scenario(scenario_sink sink, void *ctx, __u64 scale)
{
	struct nr_flow nosock = synth_flow(IPPROTO_UDP, "10.0.0.1", 40000, "10.0.0.2", 9);
	struct nr_flow ssh = synth_flow(IPPROTO_TCP, "10.0.1.1", 51000, "10.0.1.2", 22);
	struct nr_flow rcvbuf = synth_flow(IPPROTO_UDP, "127.0.0.1", 45000, "127.0.0.1", 5000);
	struct nr_flow web = synth_flow(IPPROTO_TCP, "10.0.0.1", 41000, "10.0.0.2", 80);
	struct nr_flow web_srv = synth_flow(IPPROTO_TCP, "10.0.0.2", 80, "10.0.0.1", 41000);
	struct nr_flow listen = synth_flow(IPPROTO_TCP, "0.0.0.0", 80, "0.0.0.0", 0);
	struct nr_flow refused = synth_flow(IPPROTO_TCP, "10.0.0.1", 41001, "10.0.0.2", 81);
	struct nr_flow rst = synth_flow(IPPROTO_TCP, "10.0.0.2", 81, "10.0.0.1", 41001);
	union synth_rec r;
	__u64 i, t = SC_T0, n;
	int err;

#define EMIT(h)                                                                             \
	do {                                                                                \
		err = sink(ctx, (h));                                                       \
		if (err)                                                                    \
			return err;                                                         \
	} while (0)
#define PKT(...) EMIT(synth_pkt(&r, &(struct pkt_args){ __VA_ARGS__ }))
#define SOCK(...) EMIT(synth_sock(&r, &(struct sock_args){ __VA_ARGS__ }))

	EMIT(synth_ctl(&r, t, NR_CTL_MARK, "scenario start"));
	/* the listener and a connection with a retransmit */
	SOCK(.ts = t + 10 * SC_US, .probe = P_STATE, .sk = 0xffff888100001000ULL, .netns = NS1,
	     .oldstate = ST_CLOSE, .newstate = ST_LISTEN, .flow = &listen);
	SOCK(.ts = t + 20 * SC_US, .probe = P_STATE, .sk = 0xffff888100002000ULL, .netns = NS1,
	     .oldstate = ST_CLOSE, .newstate = ST_SYN_SENT, .flow = &web);
	SOCK(.ts = t + 60 * SC_US, .probe = P_STATE, .sk = 0xffff888100003000ULL, .netns = NS1,
	     .oldstate = ST_LISTEN, .newstate = ST_SYN_RECV, .flow = &web_srv);
	SOCK(.ts = t + 80 * SC_US, .probe = P_STATE, .sk = 0xffff888100002000ULL, .netns = NS1,
	     .oldstate = ST_SYN_SENT, .newstate = ST_EST, .flow = &web);
	SOCK(.ts = t + 90 * SC_US, .probe = P_STATE, .sk = 0xffff888100003000ULL, .netns = NS1,
	     .oldstate = ST_SYN_RECV, .newstate = ST_EST, .flow = &web_srv);
	SOCK(.ts = t + 5 * SC_MS, .probe = P_RETRANS, .sk = 0xffff888100002000ULL, .netns = NS1,
	     .oldstate = ST_EST, .flow = &web);
	/* the refused connection: the stack answers with a reset, no socket */
	SOCK(.ts = t + 7 * SC_MS, .probe = P_STATE, .sk = 0xffff888100004000ULL, .netns = NS1,
	     .oldstate = ST_CLOSE, .newstate = ST_SYN_SENT, .flow = &refused);
	SOCK(.ts = t + 7 * SC_MS + 30 * SC_US, .probe = P_RST_SENT, .netns = NS1, .reason = 1,
	     .flow = &rst);
	SOCK(.ts = t + 7 * SC_MS + 40 * SC_US, .probe = P_RST_RECV, .sk = 0xffff888100004000ULL,
	     .netns = NS1, .oldstate = ST_SYN_SENT, .flow = &refused);
	SOCK(.ts = t + 7 * SC_MS + 41 * SC_US, .probe = P_STATE, .sk = 0xffff888100004000ULL,
	     .netns = NS1, .oldstate = ST_SYN_SENT, .newstate = ST_CLOSE, .flow = &refused);

	n = 40 * scale;
	for (i = 0; i < n; i++) {
		__u64 skb = 0xffff888200000000ULL + (i % 64) * 0x100, ts = t + 10 * SC_MS + i * 250 * SC_US;
		__u16 cpu = (__u16)(i & 1);

		/* UDP to a closed port: received, ip_rcv, dropped */
		PKT(.ts = ts, .probe = P_RCV, .cpu = cpu, .skb = skb, .head = skb + 0x80000000ULL,
		    .netns = NS1, .ifindex = 3, .flow = &nosock);
		PKT(.ts = ts + 4 * SC_US, .probe = P_IPRCV, .cpu = cpu, .skb = skb,
		    .head = skb + 0x80000000ULL, .netns = NS1, .ifindex = 3);
		PKT(.ts = ts + 11 * SC_US, .probe = P_KFREE, .cpu = cpu, .skb = skb,
		    .head = skb + 0x80000000ULL, .location = SYM_UDP4_LIB_RCV + 0x5ae, .reason = 3,
		    .stack_id = 1, .netns = NS1, .ifindex = 3, .flow = &nosock);
		/* delivered normally: received, consumed */
		PKT(.ts = ts + 100 * SC_US, .probe = P_RCV, .cpu = cpu, .skb = skb + 0x10000,
		    .head = skb + 0x90000000ULL, .netns = NS1, .ifindex = 3, .flow = &web);
		PKT(.ts = ts + 130 * SC_US, .probe = P_CONSUME, .cpu = cpu, .skb = skb + 0x10000,
		    .head = skb + 0x90000000ULL, .netns = NS1);
	}
	n = 12 * scale;
	for (i = 0; i < n; i++) {
		__u64 skb = 0xffff888300000000ULL + (i % 16) * 0x100, ts = t + 30 * SC_MS + i * SC_MS;

		PKT(.ts = ts, .probe = P_KFREE, .cpu = 1, .skb = skb, .head = skb + 0x1000,
		    .location = SYM_NF_HOOK_SLOW + 0x8a, .reason = 12, .stack_id = 2, .netns = NS2,
		    .ifindex = 4, .flow = &ssh);
	}
	n = 25 * scale;
	for (i = 0; i < n; i++) {
		__u64 skb = 0xffff888400000000ULL + (i % 8) * 0x100, ts = t + 50 * SC_MS + i * 40 * SC_US;

		PKT(.ts = ts, .probe = P_KFREE, .cpu = 0, .skb = skb, .head = skb + 0x1000,
		    .location = SYM_UDP4_LIB_RCV + 0x64a, .reason = 6, .stack_id = i % 5 ? 3 : 0,
		    .netns = NS_INIT, .ifindex = 1, .flow = &rcvbuf);
	}
	/* a zero-window drop with no snapshot: the flow comes from the server's socket */
	PKT(.ts = t + 60 * SC_MS, .probe = P_KFREE, .cpu = 1, .skb = 0xffff888500000000ULL,
	    .sk = 0xffff888100003000ULL, .location = SYM_TCP_V4_RCV + 0x2f0, .reason = 32,
	    .netns = NS1, .iif = 3);
	/* the connection closes */
	SOCK(.ts = t + 70 * SC_MS, .probe = P_STATE, .sk = 0xffff888100002000ULL, .netns = NS1,
	     .oldstate = ST_EST, .newstate = ST_FIN1, .flow = &web);
	SOCK(.ts = t + 70 * SC_MS + 50 * SC_US, .probe = P_STATE, .sk = 0xffff888100002000ULL,
	     .netns = NS1, .oldstate = ST_FIN1, .newstate = ST_FIN2, .flow = &web);
	SOCK(.ts = t + 70 * SC_MS + 60 * SC_US, .probe = P_STATE, .sk = 0xffff888100002000ULL,
	     .netns = NS1, .oldstate = ST_FIN2, .newstate = ST_CLOSE, .flow = &web);
	EMIT(synth_counter(&r, t + 80 * SC_MS, NR_CNT_LOST, P_KFREE, 1, 3));
	EMIT(synth_counter(&r, t + 80 * SC_MS, NR_CNT_LOST, P_KFREE, 0, 0));
	EMIT(synth_counter(&r, t + 80 * SC_MS, NR_CNT_FILTERED, NR_PROBE_NONE, NR_CPU_ALL, 10));
	EMIT(synth_ctl(&r, t + 80 * SC_MS, NR_CTL_STOP, "signal"));
#undef PKT
#undef SOCK
#undef EMIT
	return 0;
}

#endif /* NR_TEST_ANALYZE_SCENARIO_H */
