/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * analysis_int.h - the analysis' internal state, shared by its files (analysis.c:
 * packets, drops, coverage and the result; tcp.c: connections). Private to analyze/.
 */
#ifndef NR_ANALYSIS_INT_H
#define NR_ANALYSIS_INT_H

#include "analysis.h"
#include "arena.h"
#include "htab.h"

/* What a probe point is, from its name in the file's probe table */
enum probe_kind {
	PK_PATH = 0,		/* a packet point on the way (receive, transmit, ...) */
	PK_DROP,		/* skb:kfree_skb */
	PK_FREE,		/* skb:consume_skb */
	PK_TCP_STATE,		/* sock:inet_sock_set_state */
	PK_TCP_RETRANS,		/* tcp:tcp_retransmit_skb */
	PK_TCP_RST_SENT,	/* tcp:tcp_send_reset */
	PK_TCP_RST_RECV,	/* tcp:tcp_receive_reset */
	PK_OTHER,
};

#define SERIES_MAX	120	/* intervals kept while streaming; coarsened beyond */
#define PATH_MAX_HOPS	64	/* points kept per packet; later ones are counted */
#define GROUP_FLOWS_MAX	8192	/* distinct flows tracked per (reason, location) */
#define CTL_MAX		256	/* control events kept */
#define NOSOCK_TCP_MAX	65536	/* TCP flows dropped as NO_SOCKET remembered */

/* the drops of one reason while streaming */
struct reason_acc {
	__u32 reason;
	__u64 count;
	__u64 series[SERIES_MAX];
};

struct group_key {
	__u64 location;
	__u32 reason;
	__u32 _pad;
};

/* the drops of one (reason, location) while streaming */
struct group_acc {
	struct group_key key;
	struct reason_acc *racc;
	__u64 count;
	__u64 first_ts;
	__u64 last_ts;
	__u64 with_stack;
	__u64 flows_other;
	__u64 flows_unknown;
	struct htab flows;	/* struct nr_flow -> __u64 count */
	struct htab stacks;	/* __u64 stack id -> __u64 count */
	struct htab devs;	/* __u64 netns << 32 | ifindex -> __u64 count */
	struct htab_memo flows_memo, stacks_memo, devs_memo;
	struct nr_res_drop *example;	/* first drop with a path (in the result arena) */
};

/* a packet instance, open or closing */
struct pkt {
	__u64 id;
	__u64 origin;
	__u64 skb;
	__u64 head;
	__u64 sk;
	__u64 first_ts;
	__u64 last_ts;
	__u64 close_ts;			/* closing: time of the ending event */
	__u64 drop_head;		/* skb->head at the ending event */
	struct pkt *prev, *next;	/* open: LRU by last event; closing: FIFO */
	struct nr_flow flow;
	__u32 netns;			/* last known */
	__u32 ifindex;
	__u32 end;			/* NR_PKT_*, 0 while open */
	__u16 close_cpu;
	__u8 match;			/* MATCH_* */
	bool cloned;			/* some event had NR_RF_CLONED */
	bool closing;
	bool received;			/* some event had skb_iif set: it came in */
	__u32 nr_hops;
	__u32 cap_hops;
	__u32 hops_lost;
	struct nr_hop *hops;
	const struct nr_pkt *end_rec;	/* the drop record: @drop, or the caller's record */
	struct nr_pkt *drop;		/* copy of the drop record (snapshot included) */
	__u32 drop_cap;
};

enum { MATCH_UNKNOWN = 0, MATCH_YES, MATCH_NO };

struct pkt_list {
	struct pkt *first, *last;
	__u64 count;
};

/* the value of the skb map: the open instance and the one closing (grace period) */
struct skb_slot {
	struct pkt *open;
	struct pkt *closed;
};

struct conn;

struct tcp_state_vals {
	__u16 close, established, syn_sent, syn_recv, listen, new_syn_recv;
};

struct nr_analysis {
	const struct nr_meta *meta;
	struct nr_analysis_opts opts;
	struct arena *ar;		/* result memory, handed over by finish */
	struct nr_result *res;

	/* probes */
	__u32 nr_kinds;
	__u8 *kinds;			/* enum probe_kind by probe id */
	bool has_paths;
	__u32 reason_consumed;		/* SKB_CONSUMED's value, or ~0 */
	__u32 reason_no_socket;		/* SKB_DROP_REASON_NO_SOCKET's value, or ~0 */
	bool seen_any;			/* a record arrived */
	__u64 last_ts;			/* newest event time seen */
	__u64 first_ts;

	/* packets */
	struct htab skbs;		/* __u64 skb -> struct skb_slot */
	struct htab heads;		/* __u64 head -> struct pkt * (open owner) */
	struct pkt_list open;		/* LRU */
	struct pkt_list closing;	/* FIFO by close time */
	struct pkt *pool;		/* free instances (next-linked) */
	struct pkt *scratch;		/* for drops of skbs no other point saw */
	__u64 next_pkt_id;

	/* drops */
	struct htab groups;		/* struct group_key -> struct group_acc * */
	struct htab reasons;		/* __u64 reason -> struct reason_acc * */
	struct group_acc *last_group;	/* one-entry cache: storms repeat one group */
	__u64 series_start;
	__u64 interval_ns;
	__u32 nr_intervals;		/* used so far */
	__u64 series[SERIES_MAX];	/* all drops */
	__u32 nr_paths;
	__u32 cap_paths;
	struct nr_res_drop *paths;

	/* TCP (tcp.c) */
	struct tcp_state_vals st;
	struct htab conns;		/* __u64 sk -> struct conn * */
	struct htab rst_nosock;		/* struct rst_key -> __u64 count */
	__u64 next_conn_id;
	__u32 nr_kept_conns;
	__u32 cap_kept_conns;
	struct nr_res_conn *kept_conns;

	struct htab nosock_tcp;		/* struct nr_flow of TCP NO_SOCKET drops (no value) */

	/* coverage */
	struct htab counters;		/* struct cnt_key -> __u64 last value */
	__u64 pause_ts;			/* open pause, 0 none */
};

/* analysis.c, for tcp.c */
bool an_flow_matches(struct nr_analysis *a, const struct nr_flow *f, __u32 netns);
const char *an_tcp_state_name(struct nr_analysis *a, __u16 state);
const char *an_enum_name(struct nr_analysis *a, const char *table, __u32 value);
/* the value of the kernel's name @name in enum table @table, or @dflt */
__s64 an_enum_value(const struct nr_meta *m, const char *table, const char *name, __s64 dflt);

/* tcp.c */
int tcp_init(struct nr_analysis *a);
int tcp_add(struct nr_analysis *a, const struct nr_sock *s, enum probe_kind kind);
int tcp_finish(struct nr_analysis *a);
void tcp_free(struct nr_analysis *a);
/* the tuple of an open socket @sk, as a flow (src = local end); false if unknown */
bool tcp_sock_flow(struct nr_analysis *a, __u64 sk, struct nr_flow *f);

#endif /* NR_ANALYSIS_INT_H */
