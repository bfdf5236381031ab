// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_limits.c - what the probes keep and what they count instead, live: the netns,
 * ifindex and mark filters, the pcap filter in the kernel (packets and sockets), pause
 * and resume, the rate limit and the stack budget, each with exact counts.
 *
 * Needs root and kernel BTF (exit 77 otherwise). bpf-la/bpf-lb are IPv4 only, so that
 * nothing but the test's own datagrams happens in them and the counters are exact.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <sched.h>
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

static struct live_ns la = { .name = "bpf-la", .ifname = "bpf-la0", .ip4 = "10.231.3.1",
			     .mac = "02:00:0a:e7:03:01" };
static struct live_ns lb = { .name = "bpf-lb", .ifname = "bpf-lb0", .ip4 = "10.231.3.2",
			     .mac = "02:00:0a:e7:03:02" };

/* @n datagrams from namespace @from to @ip:@port; -1 for no mark */
static void send_udp(const struct live_ns *from, const char *ip, __u16 port, int n, int mark)
{
	int fd = live_socket(from, AF_INET, SOCK_DGRAM);

	if (!CHECK(fd >= 0, "socket"))
		return;
	if (mark >= 0)
		CHECK_EQ(setsockopt(fd, SOL_SOCKET, SO_MARK, &mark, sizeof(mark)), 0, "SO_MARK");
	CHECK_EQ(live_udp_send(fd, AF_INET, ip, port, n, 16), n, "datagrams sent");
	close(fd);
}

/* the drops that passed the filters */
static __u64 kept_drops(const struct live_session *s)
{
	return live_probe_kept(s->l, NR_P_KFREE_SKB);
}

/* the same traffic for each filter: 5 datagrams over the veth into lb, 7 over lb's
 * loopback, both to closed ports */
static void filter_traffic(void)
{
	send_udp(&la, lb.ip4, 9001, 5, -1);
	send_udp(&lb, "127.0.0.1", 9002, 7, -1);
}

static void test_filter_ifindex(void)
{
	struct nr_loader_opts o = { .ifindex = lb.ifindex, .ifindex_netns = lb.inode };
	struct live_session s;

	check_start("filter/ifindex");
	if (live_start(&s, &o))
		return;
	filter_traffic();
	live_wait_drops(&s, 9001, 5);
	CHECK_EQ(live_count_drops(&s.recs, 9001), 5, "drops on the interface");
	CHECK_EQ(live_count_drops(&s.recs, 9002), 0, "drops on loopback filtered");
	live_end(&s);
}

static void test_filter_netns(void)
{
	struct nr_loader_opts o = { .netns = lb.inode };
	struct live_session s;

	check_start("filter/netns");
	if (live_start(&s, &o))
		return;
	filter_traffic();
	live_wait_drops(&s, 9002, 7);
	CHECK_EQ(live_count_drops(&s.recs, 9001), 5, "veth drops in the namespace");
	CHECK_EQ(live_count_drops(&s.recs, 9002), 7, "loopback drops in the namespace");
	CHECK_EQ(kept_drops(&s), 12, "kfree_skb hits kept");
	live_end(&s);

	check_start("filter/other netns");
	o.netns = la.inode;
	if (live_start(&s, &o))
		return;
	filter_traffic();
	live_drain(s.rb, NULL, NULL, 300);
	CHECK_EQ(live_count_drops(&s.recs, 9001), 0, "no drops of lb in la");
	CHECK_EQ(live_count_drops(&s.recs, 9002), 0, "no drops of lb in la");
	live_end(&s);
}

static void test_filter_mark(void)
{
	struct nr_loader_opts o = { .netns = lb.inode, .mark = 0x2a, .mark_mask = 0xff };
	struct live_session s;

	check_start("filter/mark");
	if (live_start(&s, &o))
		return;
	send_udp(&lb, "127.0.0.1", 9003, 4, 0x12a);	/* & 0xff == 0x2a */
	send_udp(&lb, "127.0.0.1", 9004, 6, 0x2b);
	send_udp(&lb, "127.0.0.1", 9005, 3, -1);
	live_wait_drops(&s, 9003, 4);
	CHECK_EQ(live_count_drops(&s.recs, 9003), 4, "marked drops");
	CHECK_EQ(live_count_drops(&s.recs, 9004), 0, "other mark filtered");
	CHECK_EQ(live_count_drops(&s.recs, 9005), 0, "no mark filtered");
	CHECK_EQ(kept_drops(&s), 4, "kfree_skb hits kept");
	live_end(&s);
}

/* the pcap filter, translated into the probes */
static void test_filter_pcap(void)
{
	struct nr_loader_opts o = { .netns = lb.inode };
	struct nr_filter *f = NULL;
	struct live_session s;
	char err[256];

	check_start("filter/pcap packets");
	if (!CHECK_EQ(nr_filter__compile("udp dst port 9006 or udp dst port 9007", &f, err,
					 sizeof(err)), 0, err))
		return;
	o.filter = f;
	if (live_start(&s, &o)) {
		nr_filter__free(f);
		return;
	}
	CHECK(!nr_loader__user_filter(s.l), "filter runs in the kernel");
	send_udp(&la, lb.ip4, 9006, 3, -1);
	send_udp(&la, lb.ip4, 9008, 5, -1);
	send_udp(&lb, "127.0.0.1", 9007, 2, -1);
	live_wait_drops(&s, 9007, 2);
	CHECK_EQ(live_count_drops(&s.recs, 9006), 3, "selected veth drops");
	CHECK_EQ(live_count_drops(&s.recs, 9007), 2, "selected loopback drops");
	CHECK_EQ(live_count_drops(&s.recs, 9008), 0, "others filtered");
	CHECK_EQ(kept_drops(&s), 5, "kfree_skb hits kept");
	live_end(&s);
	nr_filter__free(f);
}

static void test_pause(void)
{
	struct nr_loader_opts o = { .netns = lb.inode };
	struct live_session s;

	check_start("pause");
	if (live_start(&s, &o))
		return;
	send_udp(&la, lb.ip4, 9010, 4, -1);
	live_wait_drops(&s, 9010, 4);
	CHECK_EQ(nr_loader__pause(s.l, true), 0, "pause");
	send_udp(&la, lb.ip4, 9011, 6, -1);
	/* every paused datagram must have reached its drop before resuming */
	live_drain(s.rb, NULL, NULL, 200);
	CHECK_EQ(LIVE_STAT(s.l, NR_P_KFREE_SKB, paused), 6, "drops counted as paused");
	CHECK_EQ(nr_loader__pause(s.l, false), 0, "resume");
	send_udp(&la, lb.ip4, 9012, 3, -1);
	live_wait_drops(&s, 9012, 3);
	CHECK_EQ(live_count_drops(&s.recs, 9010), 4, "before the pause");
	CHECK_EQ(live_count_drops(&s.recs, 9011), 0, "while paused");
	CHECK_EQ(live_count_drops(&s.recs, 9012), 3, "after the pause");
	CHECK_EQ(LIVE_STAT(s.l, NR_P_KFREE_SKB, paused), 6, "paused count unchanged");
	/* consume_skb only counts: it emits nothing a pause would hold back */
	CHECK_EQ(LIVE_STAT(s.l, NR_P_CONSUME_SKB, paused), 0, "counting probes not paused");
	live_end(&s);

	check_start("pause/start paused");
	o.start_paused = true;
	if (live_start(&s, &o))
		return;
	send_udp(&la, lb.ip4, 9013, 2, -1);
	live_drain(s.rb, NULL, NULL, 200);
	CHECK_EQ(s.recs.n, 0, "no records");
	CHECK_EQ(LIVE_STAT(s.l, NR_P_KFREE_SKB, paused), 2, "counted as paused");
	live_end(&s);
}

static void test_rate_limit(void)
{
	struct nr_loader_opts o = { .netns = lb.inode, .rate_limit = 20 };
	struct live_session s;

	check_start("rate limit");
	if (live_start(&s, &o))
		return;
	send_udp(&la, lb.ip4, 9020, 50, -1);
	live_drain(s.rb, NULL, NULL, 300);
	CHECK_EQ(live_count_drops(&s.recs, 9020), 20, "records: the cap");
	CHECK_EQ(LIVE_STAT(s.l, NR_P_KFREE_SKB, rate_limited), 30, "the rest counted");
	CHECK_EQ(kept_drops(&s), 50, "every drop passed the filters");
	live_end(&s);
}

static void count_stacks(const struct live_recs *rs, __u16 dport, size_t *with, size_t *skipped)
{
	size_t i;

	*with = *skipped = 0;
	for (i = 0; i < rs->n; i++) {
		const struct nr_pkt *p = live_pkt(rs->r[i], NR_P_KFREE_SKB);

		if (!p || live_snap_port(p, 1) != dport)
			continue;
		if (p->hdr.flags & NR_RF_STACK_INLINE) {
			(*with)++;
			CHECK(p->stack_id > 0, "frames");
		}
		if (p->hdr.flags & NR_RF_STACK_SKIPPED) {
			(*skipped)++;
			CHECK_EQ(p->stack_id, 0, "no frames");
			CHECK_EQ(p->hdr.size, sizeof(*p) + ((p->snap_len + 7u) & ~7u), "size");
		}
	}
}

static void test_stack_budget(void)
{
	struct nr_loader_opts o = { .netns = lb.inode, .limit_stacks = true, .max_stacks = 3 };
	struct live_session s;
	size_t with, skipped;

	check_start("stack budget");
	if (live_start(&s, &o))
		return;
	send_udp(&la, lb.ip4, 9030, 8, -1);
	live_wait_drops(&s, 9030, 8);
	count_stacks(&s.recs, 9030, &with, &skipped);
	CHECK_EQ(with, 3, "stacks within the budget");
	CHECK_EQ(skipped, 5, "stacks skipped");
	CHECK_EQ(LIVE_STAT(s.l, NR_P_KFREE_SKB, stack_skipped), 5, "skipped counted");

	/* a new budget while recording */
	CHECK_EQ(nr_loader__set_max_stacks(s.l, 2), 0, "set budget");
	send_udp(&la, lb.ip4, 9031, 4, -1);
	live_wait_drops(&s, 9031, 4);
	count_stacks(&s.recs, 9031, &with, &skipped);
	CHECK_EQ(with, 2, "stacks within the new budget");
	CHECK_EQ(skipped, 2, "stacks skipped after");

	/* no limit */
	CHECK_EQ(nr_loader__set_max_stacks(s.l, -1), 0, "no limit");
	send_udp(&la, lb.ip4, 9032, 3, -1);
	live_wait_drops(&s, 9032, 3);
	count_stacks(&s.recs, 9032, &with, &skipped);
	CHECK_EQ(with, 3, "every stack");
	CHECK_EQ(LIVE_STAT(s.l, NR_P_KFREE_SKB, stack_skipped), 7, "skipped in all");
	live_end(&s);
}

/* issue 7's sampling: at most N stacks per second for one drop site (and CPU) */
static void test_stack_sample(void)
{
	struct nr_loader_opts o = { .netns = lb.inode, .stack_sample = 2 };
	struct live_session s;
	size_t with, skipped;

	cpu_set_t one, was;

	check_start("stack sampling");
	if (live_start(&s, &o))
		return;
	/* the budget is per CPU: every drop on one (veth receives on the sender's CPU) */
	CPU_ZERO(&one);
	CPU_SET(0, &one);
	sched_getaffinity(0, sizeof(was), &was);
	CHECK_EQ(sched_setaffinity(0, sizeof(one), &one), 0, "pin to CPU 0");
	send_udp(&la, lb.ip4, 9040, 9, -1);
	sched_setaffinity(0, sizeof(was), &was);
	live_wait_drops(&s, 9040, 9);
	count_stacks(&s.recs, 9040, &with, &skipped);
	CHECK_EQ(with, 2, "stacks of the site in this second");
	CHECK_EQ(skipped, 7, "sampled out, still recorded");
	CHECK_EQ(LIVE_STAT(s.l, NR_P_KFREE_SKB, stack_skipped), 7, "counted");
	live_end(&s);
}

int main(void)
{
	if (!live_check_env())
		return CHECK_SKIP;
	nr_log_level = getenv("NR_TEST_VERBOSE") ? NR_LOG_VERBOSE : NR_LOG_WARN;
	if (live_pair_up(&la, &lb)) {
		fprintf(stderr, "cannot set up the namespaces\n");
		return EXIT_FAILURE;
	}
	test_filter_ifindex();
	test_filter_netns();
	test_filter_mark();
	test_filter_pcap();
	test_pause();
	test_rate_limit();
	test_stack_budget();
	test_stack_sample();
	return check_exit();
}
