// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_filter_probes.c - --filter in netrec's own probes, through the loader
 *
 * Datagrams to closed UDP ports between two namespaces are dropped (kfree_skb,
 * NO_SOCKET) and recorded. With a pcap filter, for each mechanism the probes use
 * (tp_btf, raw_tp, classic tracepoint): every drop of the selected flows is recorded
 * and none of the others, over IPv4 and IPv6. Then the same filter forced to user space:
 * the probes record every drop, and nr_filter__match() on the records' snapshots keeps
 * exactly the ones the kernel kept. The same for socket events (TCP connects refused,
 * inet_sock_set_state), filtered on their tuple: in the kernel, and in user space with
 * nr_filter__match_tuple().
 *
 * Needs root and kernel BTF (exit 77 otherwise). Namespaces and interfaces are named
 * "filter-*" so that tests of other areas running at the same time never meet them.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "check.h"
#include "filter.h"
#include "lib_live.h"
#include "loader.h"

static struct live_ns fa = { .name = "filter-a", .ifname = "filter-a0", .ip4 = "10.231.9.1",
			     .ip6 = "fd00:231:9::1", .mac = "02:00:0a:e7:09:01" };
static struct live_ns fb = { .name = "filter-b", .ifname = "filter-b0", .ip4 = "10.231.9.2",
			     .ip6 = "fd00:231:9::2", .mac = "02:00:0a:e7:09:02" };

#define EXPR "udp dst port 9101 or (ip6 and udp dst port 9103)"

/* datagrams per destination: the filter keeps 9101 (IPv4 and IPv6) and 9103 (IPv6) */
static const struct {
	int family;
	__u16 port;
	int n;
	bool kept;
} flows[] = {
	{ AF_INET, 9101, 4, true },
	{ AF_INET, 9102, 5, false },
	{ AF_INET, 9103, 3, false },	/* ip6 only */
	{ AF_INET6, 9101, 2, true },
	{ AF_INET6, 9103, 3, true },
	{ AF_INET6, 9104, 6, false },
};
#define NFLOWS (sizeof(flows) / sizeof(flows[0]))

static void send_flows(void)
{
	size_t i;

	for (i = 0; i < NFLOWS; i++) {
		int fd = live_socket(&fa, flows[i].family, SOCK_DGRAM);

		if (!CHECK(fd >= 0, "socket"))
			continue;
		CHECK_EQ(live_udp_send(fd, flows[i].family,
				       flows[i].family == AF_INET ? fb.ip4 : fb.ip6, flows[i].port,
				       flows[i].n, 24),
			 flows[i].n, "datagrams sent");
		close(fd);
	}
}

/* drop records of datagrams of @family to @port */
static size_t drops(const struct live_recs *rs, int family, __u16 port,
		    const struct nr_filter *user)
{
	size_t i, n = 0;

	for (i = 0; i < rs->n; i++) {
		const struct nr_pkt *p = live_pkt(rs->r[i], NR_P_KFREE_SKB);
		const __u8 *l3;
		__u32 caplen;

		if (!p || p->snap_l3 == NR_OFF_NONE || p->snap_l3 >= p->snap_len ||
		    live_snap_port(p, 1) != port)
			continue;
		l3 = (const __u8 *)(p + 1) + p->snap_l3;
		if ((l3[0] >> 4) != (family == AF_INET ? 4 : 6))
			continue;
		/* the user-space verdict on the snapshot from its network header */
		caplen = p->snap_len - p->snap_l3;
		if (user && !nr_filter__match(user, l3, caplen, caplen))
			continue;
		n++;
	}
	return n;
}

static bool all_sent_seen(void *ctx)
{
	const struct live_session *s = ctx;
	size_t i, n = 0, want = 0;

	for (i = 0; i < NFLOWS; i++) {
		n += drops(&s->recs, flows[i].family, flows[i].port, NULL);
		want += flows[i].kept ? (size_t)flows[i].n : 0;
	}
	return n >= want;
}

/* Compile @expr (forced to user space if asked) and start the probes with it. */
static struct nr_filter *start(struct live_session *s, struct nr_loader_opts *o,
			       const char *expr, bool user_space)
{
	struct nr_filter *f = NULL;
	char err[512];

	if (!CHECK_EQ(nr_filter__compile(expr, &f, err, sizeof(err)), 0, err))
		return NULL;
	if (user_space)
		nr_filter__fall_back(f, "the test wants it in user space");
	o->filter = f;
	if (live_start(s, o)) {
		nr_filter__free(f);
		return NULL;
	}
	CHECK_EQ(nr_loader__user_filter(s->l), user_space, "where the filter runs");
	CHECK_EQ(nr_filter__in_kernel(f), !user_space, "nr_filter__in_kernel");
	return f;
}

static void run(enum nr_mech mech, bool user_space)
{
	struct nr_loader_opts o = { .netns = fb.inode, .force_mech = mech };
	struct live_session s;
	struct nr_filter *f;
	char name[64];
	size_t i;

	snprintf(name, sizeof(name), "%s/%s", user_space ? "user space" : "kernel",
		 nr_mech_name(mech));
	check_start(name);
	f = start(&s, &o, EXPR, user_space);
	if (!f)
		return;
	send_flows();
	live_drain(s.rb, all_sent_seen, &s, 3000);
	for (i = 0; i < NFLOWS; i++) {
		char what[96];

		snprintf(what, sizeof(what), "IPv%d port %u: drop records%s",
			 flows[i].family == AF_INET ? 4 : 6, flows[i].port,
			 user_space ? " matched in user space" : "");
		CHECK_EQ(drops(&s.recs, flows[i].family, flows[i].port, user_space ? f : NULL),
			 flows[i].kept ? flows[i].n : 0, what);
		if (user_space) {
			/* the probes kept everything, the filter selects afterwards */
			snprintf(what, sizeof(what), "IPv%d port %u: drop records recorded",
				 flows[i].family == AF_INET ? 4 : 6, flows[i].port);
			CHECK_EQ(drops(&s.recs, flows[i].family, flows[i].port, NULL), flows[i].n,
				 what);
		}
	}
	live_end(&s);
	nr_filter__free(f);
}

/* a refused TCP connect from fa to fb:@port over @family */
static void connect_refused(int family, __u16 port)
{
	struct sockaddr_storage ss = { 0 };
	socklen_t sl;
	int fd = live_socket(&fa, family, SOCK_STREAM);

	if (!CHECK(fd >= 0, "socket"))
		return;
	if (family == AF_INET) {
		struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;

		s4->sin_family = AF_INET;
		s4->sin_port = htons(port);
		inet_pton(AF_INET, fb.ip4, &s4->sin_addr);
		sl = sizeof(*s4);
	} else {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;

		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(port);
		inet_pton(AF_INET6, fb.ip6, &s6->sin6_addr);
		sl = sizeof(*s6);
	}
	CHECK(connect(fd, (struct sockaddr *)&ss, sl) < 0, "connect refused");
	close(fd);
}

/* state changes of client sockets to @port, those @user keeps if given */
static size_t states(const struct live_recs *rs, __u16 port, const struct nr_filter *user)
{
	size_t i, n = 0;

	for (i = 0; i < rs->n; i++) {
		const struct nr_sock *k = live_sock(rs->r[i], NR_P_INET_SOCK_SET_STATE);

		if (!k || k->dport != port)
			continue;
		if (user && !nr_filter__match_tuple(user, k->family, (__u8)k->protocol, k->saddr,
						    k->daddr, k->sport, k->dport))
			continue;
		n++;
	}
	return n;
}

/* 2 connects to 7101 and 3 to 7102 over each family: CLOSE -> SYN_SENT -> CLOSE each */
static void run_sockets(bool user_space)
{
	struct nr_loader_opts o = { .netns = fa.inode };
	struct live_session s;
	struct nr_filter *f;
	int family, i;

	check_start(user_space ? "sockets/user space" : "sockets/kernel");
	f = start(&s, &o, "tcp dst port 7101", user_space);
	if (!f)
		return;
	for (family = AF_INET; family; family = family == AF_INET ? AF_INET6 : 0) {
		for (i = 0; i < 2; i++)
			connect_refused(family, 7101);
		for (i = 0; i < 3; i++)
			connect_refused(family, 7102);
	}
	live_drain(s.rb, NULL, NULL, 300);
	CHECK_EQ(states(&s.recs, 7101, user_space ? f : NULL), 2 * 2 * 2,
		 "state changes of the selected connections");
	CHECK_EQ(states(&s.recs, 7102, user_space ? f : NULL), 0,
		 "state changes of the others");
	if (user_space)
		CHECK_EQ(states(&s.recs, 7102, NULL), 2 * 3 * 2,
			 "recorded before the user-space filter");
	live_end(&s);
	nr_filter__free(f);
}

int main(void)
{
	static const enum nr_mech mechs[] = { NR_MECH_TP_BTF, NR_MECH_RAW_TP,
					      NR_MECH_TRACEPOINT };
	size_t m;

	if (!live_check_env())
		return CHECK_SKIP;
	if (live_pair_up(&fa, &fb)) {
		fprintf(stderr, "cannot set up the namespaces\n");
		return 1;
	}
	for (m = 0; m < sizeof(mechs) / sizeof(mechs[0]); m++)
		run(mechs[m], false);
	run(NR_MECH_NONE, true);
	run_sockets(false);
	run_sockets(true);
	return check_exit();
}
