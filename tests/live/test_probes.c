// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_probes.c - the probes, live: load and attach through the loader, make known
 * traffic between namespaces, read the ring buffer directly, check every record.
 *
 * Needs root and kernel BTF (exit 77 otherwise). Namespaces "bpf-u*" are IPv4 only
 * (no IPv6 autoconfiguration chatter), so counters there are exact; "bpf-t*" have IPv4
 * and IPv6 for the TCP tests.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <bpf/libbpf.h>

#include "check.h"
#include "filter.h"
#include "lib_live.h"
#include "loader.h"
#include "log.h"

static struct live_ns ua = { .name = "bpf-ua", .ifname = "bpf-ua0", .ip4 = "10.231.1.1",
			     .mac = "02:00:0a:e7:01:01" };
static struct live_ns ub = { .name = "bpf-ub", .ifname = "bpf-ub0", .ip4 = "10.231.1.2",
			     .mac = "02:00:0a:e7:01:02" };
static struct live_ns ta = { .name = "bpf-ta", .ifname = "bpf-ta0", .ip4 = "10.231.2.1",
			     .ip6 = "fd00:231:2::1", .mac = "02:00:0a:e7:02:01" };
static struct live_ns tb = { .name = "bpf-tb", .ifname = "bpf-tb0", .ip4 = "10.231.2.2",
			     .ip6 = "fd00:231:2::2", .mac = "02:00:0a:e7:02:02" };

static long long reason_no_socket, tcp_close, tcp_syn_sent;

/* N datagrams from ua to a closed port on ub: N drops, NO_SOCKET, with all they carry */
static void test_udp_no_socket(enum nr_mech mech)
{
	struct nr_loader_opts o = { .netns = ub.inode, .force_mech = mech };
	struct live_session s;
	const int n = 10;
	const __u16 dport = 9999;
	size_t i, drops = 0, others = 0;
	__u16 sport;
	__u8 src[4], dst[4];
	int fd;

	check_start(mech == NR_MECH_TP_BTF ? "udp_no_socket/tp_btf" :
		    mech == NR_MECH_RAW_TP ? "udp_no_socket/raw_tp" : "udp_no_socket/tracepoint");
	if (live_start(&s, &o))
		return;
	fd = live_socket(&ua, AF_INET, SOCK_DGRAM);
	CHECK_EQ(live_udp_send(fd, AF_INET, ub.ip4, dport, n, 32), n, "datagrams sent");
	sport = live_local_port(fd);
	close(fd);
	live_wait_drops(&s, dport, n);

	inet_pton(AF_INET, ua.ip4, src);
	inet_pton(AF_INET, ub.ip4, dst);
	for (i = 0; i < s.recs.n; i++) {
		const struct nr_pkt *p = live_pkt(s.recs.r[i], NR_P_KFREE_SKB);
		const __u8 *d;

		if (!p || live_snap_port(p, 1) != dport) {
			others++;
			continue;
		}
		drops++;
		d = (const __u8 *)(p + 1);
		CHECK_EQ(p->reason, reason_no_socket, "drop reason NO_SOCKET");
		CHECK_EQ(p->netns, ub.inode, "netns inode");
		CHECK_EQ(p->ifindex, ub.ifindex, "ifindex");
		CHECK_EQ(p->iif, ub.ifindex, "iif");
		CHECK_EQ(ntohs(p->protocol_be), 0x0800, "protocol");
		CHECK_EQ(p->dev_type, 1, "dev type ARPHRD_ETHER");
		CHECK(p->skb != 0 && p->head != 0 && p->location != 0, "skb, head, location");
		CHECK(p->hdr.flags & NR_RF_SNAP_L2, "snapshot from the MAC header");
		CHECK_EQ(p->snap_l3, 14, "L3 offset");
		CHECK_EQ(p->snap_l4, 34, "L4 offset");
		CHECK_EQ(p->snap_len, 14 + 20 + 8 + 32, "snapshot length: the whole datagram");
		CHECK_EQ(d[12] << 8 | d[13], 0x0800, "ethertype");
		CHECK_EQ(d[14 + 9], 17, "IP protocol UDP");
		CHECK_MEM(d + 14 + 12, src, 4, "IP source");
		CHECK_MEM(d + 14 + 16, dst, 4, "IP destination");
		CHECK_EQ(d[34] << 8 | d[35], sport, "UDP source port");
		CHECK(p->hdr.flags & NR_RF_STACK_INLINE, "stack inline");
		CHECK(p->stack_id > 0 && p->stack_id <= NR_STACK_DEPTH_DEFAULT, "stack frames");
		CHECK_EQ(p->hdr.size, sizeof(*p) + 80 + p->stack_id * 8, "record size");
		CHECK_EQ(p->_pad[0] | p->_pad[1] | p->_pad[2] | p->_pad[3] | p->_pad[4], 0,
			 "padding zeroed");
		CHECK(p->len >= 40, "skb len");
	}
	CHECK_EQ(drops, n, "NO_SOCKET drops of the flow");
	CHECK_EQ(others, 0, "other records in the namespace");
	CHECK_EQ(live_probe_kept(s.l, NR_P_KFREE_SKB), n, "kfree_skb hits in the namespace");
	live_end(&s);
}

/* A TCP connect from @from to a closed port on @to; returns the client's port. */
static __u16 tcp_connect_refused(const struct live_ns *from, const struct live_ns *to,
				 int family, __u16 dport)
{
	struct sockaddr_storage ss = { 0 };
	socklen_t sl;
	__u16 sport;
	int fd = live_socket(from, family, SOCK_STREAM);

	if (fd < 0)
		return 0;
	if (family == AF_INET) {
		struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;

		s4->sin_family = AF_INET;
		s4->sin_port = htons(dport);
		inet_pton(AF_INET, to->ip4, &s4->sin_addr);
		sl = sizeof(*s4);
	} else {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;

		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(dport);
		inet_pton(AF_INET6, to->ip6, &s6->sin6_addr);
		sl = sizeof(*s6);
	}
	CHECK_EQ(connect(fd, (struct sockaddr *)&ss, sl) ? errno : 0, ECONNREFUSED,
		 "connect refused");
	sport = live_local_port(fd);
	close(fd);
	return sport;
}

/* the client's SYN_SENT -> CLOSE, with its tuple, IPv4 and IPv6 */
static void test_tcp_refused(int family)
{
	struct nr_loader_opts o = { .netns = ta.inode };
	struct live_session s;
	const __u16 dport = 7777;
	__u8 saddr[16] = { 0 }, daddr[16] = { 0 };
	size_t i, nstate = 0, nreset = 0;
	__u64 sk = 0;
	__u16 sport;

	check_start(family == AF_INET ? "tcp_refused/ipv4" : "tcp_refused/ipv6");
	if (live_start(&s, &o))
		return;
	sport = tcp_connect_refused(&ta, &tb, family, dport);
	live_drain(s.rb, NULL, NULL, 200);
	inet_pton(family, family == AF_INET ? ta.ip4 : ta.ip6, saddr);
	inet_pton(family, family == AF_INET ? tb.ip4 : tb.ip6, daddr);

	for (i = 0; i < s.recs.n; i++) {
		const struct nr_sock *k = live_sock(s.recs.r[i], NR_P_INET_SOCK_SET_STATE);
		const struct nr_sock *r = live_sock(s.recs.r[i], NR_P_TCP_RECEIVE_RESET);

		if (r && r->sport == sport) {
			nreset++;
			CHECK_EQ(r->oldstate, tcp_syn_sent, "reset received in SYN_SENT");
		}
		/* the connection's socket: before the port is chosen (CLOSE -> SYN_SENT)
		 * the kernel itself has no local port yet */
		if (!k || k->dport != dport || memcmp(k->daddr, daddr, 16))
			continue;
		if (nstate == 0)
			sk = k->sk;
		CHECK_EQ(k->sk, sk, "the same socket");
		CHECK(k->sport == sport || (nstate == 0 && k->sport == 0), "local port");
		CHECK_EQ(k->family, family, "family");
		CHECK_EQ(k->protocol, IPPROTO_TCP, "protocol");
		CHECK_EQ(k->dport, dport, "remote port");
		CHECK_EQ(k->netns, ta.inode, "netns");
		CHECK_MEM(k->saddr, saddr, 16, "local address");
		CHECK_MEM(k->daddr, daddr, 16, "remote address");
		CHECK_EQ(k->_pad, 0, "padding");
		CHECK_EQ(k->hdr.size, sizeof(*k), "record size (no stack)");
		if (nstate == 0) {
			CHECK_EQ(k->oldstate, tcp_close, "first: from CLOSE");
			CHECK_EQ(k->newstate, tcp_syn_sent, "first: to SYN_SENT");
		} else if (nstate == 1) {
			CHECK_EQ(k->sport, sport, "second: local port");
			CHECK_EQ(k->oldstate, tcp_syn_sent, "second: from SYN_SENT");
			CHECK_EQ(k->newstate, tcp_close, "second: to CLOSE");
		}
		nstate++;
	}
	CHECK_EQ(nstate, 2, "state changes of the connection");
	CHECK(sk != 0, "socket address");
	CHECK_EQ(nreset, 1, "resets received");
	live_end(&s);
}

static const char *mech_test_name(const char *what, enum nr_mech m)
{
	static char buf[64];

	snprintf(buf, sizeof(buf), "%s/%s", what, nr_mech_name(m));
	return buf;
}

/*
 * Every probe of the table loads and attaches on this kernel with mechanism @m, with
 * every feature on at once: --follow, --stack, stack sampling, all three filters and a
 * pcap filter translated into each program.
 */
static void test_all_attach(enum nr_mech m)
{
	struct nr_loader_opts o = { .profile = NR_PROFILE_ALL, .force_mech = m,
				    .stack_all = true, .follow = true, .stack_sample = 3,
				    .netns = ub.inode, .ifindex = ub.ifindex,
				    .ifindex_netns = ub.inode, .mark_mask = 1,
				    .rate_limit = 100000 };
	const struct nr_probe_outcome *out;
	struct nr_filter *f = NULL;
	struct live_session s;
	char err[256];
	__u32 n, i;

	check_start(mech_test_name("all_attach", m));
	if (!CHECK_EQ(nr_filter__compile("tcp port 80 or udp portrange 1000-2000 or "
					 "(host 10.1.2.3 and not icmp)", &f, err, sizeof(err)),
		      0, err))
		return;
	o.filter = f;
	if (live_start(&s, &o)) {
		nr_filter__free(f);
		return;
	}
	CHECK(!nr_loader__user_filter(s.l), "the filter runs in the kernel");
	out = nr_loader__outcomes(s.l, &n);
	CHECK_EQ(n, NR_P__STATIC_MAX, "outcomes");
	for (i = 0; i < n; i++) {
		char what[96];

		snprintf(what, sizeof(what), "%s attached", out[i].name);
		CHECK_EQ(out[i].status, NR_PROBE_ATTACHED, what);
		snprintf(what, sizeof(what), "%s mechanism", out[i].name);
		CHECK_STR(out[i].mechanism, nr_mech_name(m), what);
		CHECK_EQ(out[i].id, i, "outcome id");
	}
	live_end(&s);
	nr_filter__free(f);
}

/* the extension hooks (issue 6's function probes): planned, prepared, attached */
struct ext_calls {
	int plan, prepare, attach;
};

static const struct nr_probe_def ext_def = {
	.id = NR_P__STATIC_MAX, .kind = NR_PK_FUNC, .name = "kprobe:tcp_v4_rcv",
	.rec_type = NR_REC_FUNC, .mechs = { NR_MECH_KPROBE, NR_MECH_NONE }, .carries = "test",
};

static int ext_plan(void *ctx, struct nr_plan *p)
{
	((struct ext_calls *)ctx)->plan++;
	return nr_plan__add(p, &ext_def, NR_SEL_EVENT, 1u << NR_MECH_KPROBE, NULL) < 0 ? -1 : 0;
}

static int ext_prepare(void *ctx, struct bpf_object *obj, struct nr_plan *p)
{
	(void)obj;
	(void)p;
	((struct ext_calls *)ctx)->prepare++;
	return 0;
}

static struct bpf_link *ext_attach(void *ctx, struct bpf_object *obj,
				   const struct nr_plan_probe *pp)
{
	(void)obj;
	(void)pp;
	((struct ext_calls *)ctx)->attach++;
	errno = EOPNOTSUPP;
	return NULL;
}

static void test_ext(void)
{
	struct ext_calls calls = { 0 };
	const struct nr_loader_ext ext = {
		.plan = ext_plan, .prepare = ext_prepare, .attach = ext_attach, .ctx = &calls,
	};
	struct nr_loader_opts o = { .netns = ub.inode, .ext = &ext };
	const struct nr_probe_outcome *out;
	struct live_session s;
	__u32 n;

	check_start("extension hooks");
	if (live_start(&s, &o))
		return;
	CHECK_EQ(calls.plan, 1, "plan hook");
	CHECK_EQ(calls.prepare, 1, "prepare hook, once per load");
	CHECK_EQ(calls.attach, 1, "attach hook");
	out = nr_loader__outcomes(s.l, &n);
	CHECK_EQ(n, NR_P__STATIC_MAX + 1, "outcomes include it");
	CHECK_EQ(out[NR_P__STATIC_MAX].status, NR_PROBE_FAILED, "its outcome");
	CHECK_STR(out[NR_P__STATIC_MAX].msg, "kprobe: attach failed: Operation not supported",
		  "why");
	CHECK_EQ(out[NR_P_KFREE_SKB].status, NR_PROBE_ATTACHED, "the others attached");
	live_end(&s);
}

int main(void)
{
	enum nr_mech mechs[] = { NR_MECH_TP_BTF, NR_MECH_RAW_TP, NR_MECH_TRACEPOINT };
	size_t i;

	if (!live_check_env())
		return CHECK_SKIP;
	nr_log_level = getenv("NR_TEST_VERBOSE") ? NR_LOG_VERBOSE : NR_LOG_WARN;
	reason_no_socket = live_btf_enum("SKB_DROP_REASON_NO_SOCKET");
	tcp_close = live_btf_enum("TCP_CLOSE");
	tcp_syn_sent = live_btf_enum("TCP_SYN_SENT");
	if (reason_no_socket < 0 || tcp_close < 0 || tcp_syn_sent < 0) {
		check_skip("kernel BTF lacks SKB_DROP_REASON_NO_SOCKET / TCP states");
		return CHECK_SKIP;
	}
	if (live_pair_up(&ua, &ub) || live_pair_up(&ta, &tb)) {
		fprintf(stderr, "cannot set up the namespaces\n");
		return EXIT_FAILURE;
	}
	for (i = 0; i < sizeof(mechs) / sizeof(mechs[0]); i++) {
		test_all_attach(mechs[i]);
		test_udp_no_socket(mechs[i]);
	}
	test_tcp_refused(AF_INET);
	test_tcp_refused(AF_INET6);
	test_ext();
	return check_exit();
}
