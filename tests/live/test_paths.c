// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_paths.c - packets along their path, live: a TCP exchange between two namespaces
 * under the path profile shows, for every segment, the transmit points in the sender's
 * namespace and the receive points in the receiver's, in order; --follow keeps a
 * packet's events after it left the filtered namespace; the pcap filter and --stack on
 * socket events.
 *
 * Needs root and kernel BTF (exit 77 otherwise).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
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

static struct live_ns pa = { .name = "bpf-pa", .ifname = "bpf-pa0", .ip4 = "10.231.4.1",
			     .ip6 = "fd00:231:4::1", .mac = "02:00:0a:e7:04:01" };
static struct live_ns pb = { .name = "bpf-pb", .ifname = "bpf-pb0", .ip4 = "10.231.4.2",
			     .ip6 = "fd00:231:4::2", .mac = "02:00:0a:e7:04:02" };

#define PORT		8080

static long long queue_purge;
#define REQ_LEN		100
#define RESP_LEN	50

static struct sockaddr_in sin_of(const struct live_ns *ns, __u16 port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port) };

	inet_pton(AF_INET, ns->ip4, &a.sin_addr);
	return a;
}

/* connect pa -> pb:PORT, REQ_LEN bytes there, RESP_LEN back, both close */
static void tcp_exchange(void)
{
	struct sockaddr_in sa = sin_of(&pb, PORT);
	char buf[REQ_LEN] = { 0 };
	int one = 1, lfd, cfd, afd;

	lfd = live_socket(&pb, AF_INET, SOCK_STREAM);
	cfd = live_socket(&pa, AF_INET, SOCK_STREAM);
	if (!CHECK(lfd >= 0 && cfd >= 0, "sockets"))
		return;
	setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	CHECK_EQ(bind(lfd, (struct sockaddr *)&sa, sizeof(sa)), 0, "bind");
	CHECK_EQ(listen(lfd, 4), 0, "listen");
	CHECK_EQ(connect(cfd, (struct sockaddr *)&sa, sizeof(sa)), 0, "connect");
	afd = accept(lfd, NULL, NULL);
	CHECK(afd >= 0, "accept");
	CHECK_EQ(send(cfd, buf, REQ_LEN, 0), REQ_LEN, "request sent");
	CHECK_EQ(recv(afd, buf, REQ_LEN, MSG_WAITALL), REQ_LEN, "request received");
	CHECK_EQ(send(afd, buf, RESP_LEN, 0), RESP_LEN, "response sent");
	CHECK_EQ(recv(cfd, buf, RESP_LEN, MSG_WAITALL), RESP_LEN, "response received");
	close(cfd);
	CHECK_EQ(recv(afd, buf, 1, 0), 0, "end of stream");
	close(afd);
	close(lfd);
}

/* one packet instance: the records of one skb from its first sighting on */
struct inst {
	const struct nr_pkt *first;
	const struct nr_pkt *ev[32];
	size_t n;
	bool a_to_b;		/* direction, from the first sighting's snapshot */
	unsigned int payload;	/* TCP payload bytes */
};

struct flow {
	struct inst in[64];
	size_t n;
};

/* a TCP segment of the test's connection? fills direction and payload */
static bool ours(const struct nr_pkt *p, struct inst *it)
{
	const __u8 *d = (const __u8 *)(p + 1);
	__u8 a4[4], b4[4];
	unsigned int l3 = p->snap_l3, l4 = p->snap_l4, iplen;

	/* this run's namespaces: another run of this test may be on the same addresses */
	if (p->netns != pa.inode && p->netns != pb.inode)
		return false;
	if (l3 == NR_OFF_NONE || l4 == NR_OFF_NONE || l4 + 14u > p->snap_len)
		return false;
	inet_pton(AF_INET, pa.ip4, a4);
	inet_pton(AF_INET, pb.ip4, b4);
	if (d[l3] >> 4 != 4 || d[l3 + 9] != IPPROTO_TCP)
		return false;
	if (live_snap_port(p, 0) != PORT && live_snap_port(p, 1) != PORT)
		return false;
	if (!memcmp(d + l3 + 12, a4, 4) && !memcmp(d + l3 + 16, b4, 4))
		it->a_to_b = true;
	else if (!memcmp(d + l3 + 12, b4, 4) && !memcmp(d + l3 + 16, a4, 4))
		it->a_to_b = false;
	else
		return false;
	iplen = (unsigned int)(d[l3 + 2] << 8 | d[l3 + 3]);
	it->payload = iplen - (l4 - l3) - (d[l4 + 12] >> 4) * 4u;
	return true;
}

/* Group the records of our connection by skb instance (FIRST_SIGHT starts one). */
static void instances(const struct live_recs *rs, struct flow *f)
{
	size_t i, j;

	memset(f, 0, sizeof(*f));
	for (i = 0; i < rs->n; i++) {
		const struct nr_pkt *p = (const void *)rs->r[i];
		struct inst *it = NULL;

		if (rs->r[i]->type != NR_REC_PKT || !p->skb)
			continue;
		if (p->hdr.flags & NR_RF_FIRST_SIGHT) {
			struct inst cand = { .first = p };

			/* a reused address starts afresh */
			for (j = 0; j < f->n; j++)
				if (f->in[j].first && f->in[j].first->skb == p->skb)
					f->in[j].first = NULL;
			if (!ours(p, &cand) || f->n == 64)
				continue;
			f->in[f->n] = cand;
			it = &f->in[f->n++];
			it->first = p;
		} else {
			for (j = 0; j < f->n; j++)
				if (f->in[j].first && f->in[j].first->skb == p->skb)
					it = &f->in[j];
		}
		if (it && it->n < 32)
			it->ev[it->n++] = p;
		if (it && (p->probe == NR_P_KFREE_SKB || p->probe == NR_P_CONSUME_SKB))
			it->first = NULL;	/* freed: the address may come back */
	}
}

static const char *pname(__u16 id)
{
	return id < NR_P__STATIC_MAX ? nr_probe_defs[id].name : "?";
}

/* the receive and transmit points of a segment, in order, each in its namespace */
static void check_path(const struct inst *it, bool followed_in_b)
{
	static const __u16 want[] = {
		NR_P_NET_DEV_QUEUE, NR_P_NET_DEV_START_XMIT, NR_P_NETIF_RX, NR_P_NET_DEV_XMIT,
		NR_P_NETIF_RECEIVE_SKB,
	};
	const struct live_ns *tx = it->a_to_b ? &pa : &pb, *rx = it->a_to_b ? &pb : &pa;
	size_t i, k = 0;

	for (i = 0; i < it->n && k < sizeof(want) / sizeof(want[0]); i++) {
		const struct nr_pkt *p = it->ev[i];
		bool on_rx = want[k] == NR_P_NETIF_RX || want[k] == NR_P_NETIF_RECEIVE_SKB;

		if (p->probe != want[k])
			continue;
		CHECK_EQ(p->netns, on_rx ? rx->inode : tx->inode, pname(p->probe));
		CHECK_EQ(p->ifindex, on_rx ? rx->ifindex : tx->ifindex, pname(p->probe));
		if (p->probe == NR_P_NET_DEV_XMIT)
			CHECK_EQ(p->reason, 0, "transmit return code");
		if (followed_in_b && p->netns == pb.inode)
			CHECK(p->hdr.flags & NR_RF_FOLLOWED, "kept by --follow");
		k++;
	}
	if (!CHECK_EQ(k, sizeof(want) / sizeof(want[0]), "path points of a segment, in order")) {
		for (i = 0; i < it->n; i++)
			fprintf(stderr, "  %s netns %u\n", pname(it->ev[i]->probe),
				it->ev[i]->netns);
	}
}

static void test_path(void)
{
	struct nr_loader_opts o = { .profile = NR_PROFILE_PATH };
	struct live_session s;
	struct flow *f = calloc(1, sizeof(*f));
	size_t i, j, ab = 0, ba = 0, copied = 0, drops = 0;

	check_start("path/tcp");
	if (!f || live_start(&s, &o)) {
		free(f);
		return;
	}
	tcp_exchange();
	live_drain(s.rb, NULL, NULL, 300);
	instances(&s.recs, f);
	for (i = 0; i < f->n; i++) {
		const struct inst *it = &f->in[i];

		CHECK_EQ(it->ev[0]->probe, NR_P_NET_DEV_QUEUE, "first seen when queued");
		CHECK(it->ev[0]->hdr.flags & NR_RF_SNAP_L2, "first sighting has the headers");
		for (j = 1; j < it->n; j++)
			if (it->ev[j]->probe != NR_P_KFREE_SKB)
				CHECK_EQ(it->ev[j]->snap_len, 0, "later events without snapshot");
		check_path(it, false);
		if (it->a_to_b)
			ab++;
		else
			ba++;
		for (j = 0; j < it->n; j++) {
			const struct nr_pkt *p = it->ev[j];

			/* closing a socket purges what it still queues: the only drops */
			if (p->probe == NR_P_KFREE_SKB) {
				drops++;
				CHECK_EQ(p->reason, queue_purge, "drop reason QUEUE_PURGE");
				CHECK(p->hdr.flags & NR_RF_SNAP_L2, "drops have the headers");
			}
			if (p->probe == NR_P_SKB_COPY_DATAGRAM_IOVEC) {
				copied++;
				CHECK_EQ(p->aux, it->a_to_b ? REQ_LEN : RESP_LEN, "bytes copied");
				CHECK_EQ(p->netns, it->a_to_b ? pb.inode : pa.inode, "read where");
				CHECK_EQ(it->payload, p->aux, "the segment's payload");
			}
		}
	}
	/* SYN, ACK, request, FIN, ACK one way; SYN-ACK, ACK, response, FIN-ACK the other */
	CHECK(ab >= 4, "segments a -> b");
	CHECK(ba >= 4, "segments b -> a");
	CHECK_EQ(copied, 2, "segments read by the applications");
	CHECK(drops <= 2, "at most a purge at each end");
	live_end(&s);
	free(f);
}

static void test_follow(bool follow)
{
	struct nr_loader_opts o = { .profile = NR_PROFILE_PATH, .netns = pa.inode,
				    .follow = follow };
	struct live_session s;
	struct flow *f = calloc(1, sizeof(*f));
	size_t i, in_b = 0, in_b_kept = 0, ab = 0;

	check_start(follow ? "follow/on" : "follow/off");
	if (!f || live_start(&s, &o)) {
		free(f);
		return;
	}
	tcp_exchange();
	live_drain(s.rb, NULL, NULL, 300);
	for (i = 0; i < s.recs.n; i++) {
		const struct nr_pkt *p = (const void *)s.recs.r[i];

		if (s.recs.r[i]->type != NR_REC_PKT || p->netns != pb.inode)
			continue;
		in_b++;
		in_b_kept += !!(p->hdr.flags & NR_RF_FOLLOWED);
	}
	instances(&s.recs, f);
	for (i = 0; i < f->n; i++) {
		const struct inst *it = &f->in[i];

		if (!it->a_to_b) {
			/* b's packets are seen from the moment they arrive in a */
			CHECK_EQ(it->ev[0]->probe, NR_P_NETIF_RX, "b -> a first seen in a");
			continue;
		}
		ab++;
		if (follow)
			check_path(it, true);
		else
			CHECK_EQ(it->ev[it->n - 1]->netns, pa.inode, "stops at the namespace");
	}
	CHECK(ab >= 4, "segments a -> b");
	if (follow) {
		CHECK(in_b > 0, "events in b");
		CHECK_EQ(in_b_kept, in_b, "every event in b followed");
	} else {
		CHECK_EQ(in_b, 0, "no event in b");
	}
	live_end(&s);
	free(f);
}

/* the pcap filter and --stack on socket events: only the filtered port's states */
static void test_sock_filter(void)
{
	struct nr_loader_opts o = { .netns = pa.inode, .stack_all = true };
	struct nr_filter *flt = NULL;
	struct live_session s;
	char err[256];
	size_t i, kept = 0, other = 0;
	int port;

	check_start("filter/pcap sockets");
	if (!CHECK_EQ(nr_filter__compile("tcp port 7777", &flt, err, sizeof(err)), 0, err))
		return;
	o.filter = flt;
	if (live_start(&s, &o)) {
		nr_filter__free(flt);
		return;
	}
	for (port = 7777; port <= 7778; port++) {
		struct sockaddr_in sa = sin_of(&pb, (__u16)port);
		int fd = live_socket(&pa, AF_INET, SOCK_STREAM);

		CHECK_EQ(connect(fd, (struct sockaddr *)&sa, sizeof(sa)) ? errno : 0, ECONNREFUSED,
			 "refused");
		close(fd);
	}
	live_drain(s.rb, NULL, NULL, 200);
	for (i = 0; i < s.recs.n; i++) {
		const struct nr_sock *k = live_sock(s.recs.r[i], NR_P_INET_SOCK_SET_STATE);

		if (!k)
			continue;
		if (k->dport == 7777) {
			kept++;
			CHECK(k->hdr.flags & NR_RF_STACK_INLINE, "--stack: a stack");
			CHECK(k->stack_id > 0, "frames");
			CHECK_EQ(k->hdr.size, sizeof(*k) + k->stack_id * 8, "size with the stack");
		} else {
			other++;
		}
	}
	CHECK_EQ(kept, 2, "state changes of port 7777");
	CHECK_EQ(other, 0, "nothing else");
	live_end(&s);
	nr_filter__free(flt);
}

int main(void)
{
	if (!live_check_env())
		return CHECK_SKIP;
	nr_log_level = getenv("NR_TEST_VERBOSE") ? NR_LOG_VERBOSE : NR_LOG_WARN;
	/* the reason of a socket's purged queue; kernels before QUEUE_PURGE: NOT_SPECIFIED */
	queue_purge = live_btf_enum("SKB_DROP_REASON_QUEUE_PURGE");
	if (queue_purge < 0)
		queue_purge = live_btf_enum("SKB_DROP_REASON_NOT_SPECIFIED");
	if (live_pair_up(&pa, &pb)) {
		fprintf(stderr, "cannot set up the namespaces\n");
		return EXIT_FAILURE;
	}
	test_path();
	test_follow(true);
	test_follow(false);
	test_sock_filter();
	return check_exit();
}
