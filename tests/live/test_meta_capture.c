// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_meta_capture.c - the libpcap capture beside a recording, inside a namespace the
 * wrapper (meta_netns.sh) made: exactly the datagrams the test sends from the other
 * namespace, byte for byte, with timestamps inside the recording's time range and joinable
 * with CLOCK_MONOTONIC; the "any" device; errors; and the capture rate
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <pcap/pcap.h>

#include "capture.h"
#include "check.h"
#include "clockref.h"
#include "meta.h"
#include "netns.h"

#define N4	50
#define N6	20
#define PAYLOAD	16

static const char *ns_a, *ns_b;
static __u32 ino_a, ino_b;
static struct nr_netns_db *db;
static char tmpdir[] = "/tmp/nr-test-capture-XXXXXX";

static __u64 mono_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (__u64)t.tv_sec * 1000000000ull + (__u64)t.tv_nsec;
}

struct send_job {
	int family;
	const char *dst;
	__u16 port;
	__u32 count;
	__u32 payload;		/* bytes per datagram */
	__u32 first;		/* index written into the first payload */
	__u64 *sent_ns;		/* if not NULL: CLOCK_MONOTONIC before each send */
	__u32 sent;
	__u32 batch;		/* > 0: sendmmsg() this many at a time (same payload) */
};

/* The fastest one thread can send: sendmmsg() batches of one payload. */
static int send_batched(struct send_job *j, int fd, struct sockaddr_storage *ss, socklen_t slen)
{
	struct mmsghdr msgs[256];
	struct iovec iov;
	char buf[1500];
	__u32 i, n;

	memset(buf, 'y', sizeof(buf));
	iov = (struct iovec){ buf, j->payload };
	if (j->batch > 256)
		j->batch = 256;
	for (i = 0; i < j->batch; i++)
		msgs[i] = (struct mmsghdr){ .msg_hdr = { .msg_name = ss, .msg_namelen = slen,
							  .msg_iov = &iov, .msg_iovlen = 1 } };
	while (j->sent < j->count) {
		int r;

		n = j->count - j->sent < j->batch ? j->count - j->sent : j->batch;
		r = sendmmsg(fd, msgs, n, 0);
		if (r < 0) {
			if (errno != ENOBUFS && errno != EAGAIN) {
				close(fd);
				return -errno;
			}
			usleep(100);
			continue;
		}
		j->sent += (__u32)r;
	}
	close(fd);
	return 0;
}

/* Runs inside namespace b (nr_netns_call): N datagrams "meta-NNNNNNNN..." to @dst. */
static int send_fn(void *arg)
{
	struct send_job *j = arg;
	struct sockaddr_storage ss = {};
	socklen_t slen;
	char buf[1500];
	__u32 i;
	int fd;

	if (j->family == AF_INET) {
		struct sockaddr_in *s = (struct sockaddr_in *)&ss;

		s->sin_family = AF_INET;
		s->sin_port = htons(j->port);
		inet_pton(AF_INET, j->dst, &s->sin_addr);
		slen = sizeof(*s);
	} else {
		struct sockaddr_in6 *s = (struct sockaddr_in6 *)&ss;

		s->sin6_family = AF_INET6;
		s->sin6_port = htons(j->port);
		inet_pton(AF_INET6, j->dst, &s->sin6_addr);
		slen = sizeof(*s);
	}
	fd = socket(j->family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	memset(buf, 'x', sizeof(buf));
	if (j->batch)
		return send_batched(j, fd, &ss, slen);
	for (i = 0; i < j->count; i++) {
		char tag[16];

		snprintf(tag, sizeof(tag), "meta-%08u", j->first + i);
		memcpy(buf, tag, 13);
		if (j->sent_ns)
			j->sent_ns[i] = mono_ns();
		while (sendto(fd, buf, j->payload, 0, (struct sockaddr *)&ss, slen) < 0) {
			if (errno != ENOBUFS && errno != EAGAIN) {
				close(fd);
				return -errno;
			}
			usleep(100);	/* a full queue: wait, never lose a datagram */
		}
		j->sent++;
	}
	close(fd);
	return 0;
}

static int send_from_b(struct send_job *j)
{
	int fd = nr_netns_db__open(db, ino_b), err;

	if (fd < 0)
		return fd;
	err = nr_netns_call(fd, send_fn, j);
	close(fd);
	return err;
}

/* Wait until the capture wrote @want packets (or 3 s passed). */
static void wait_for(struct nr_capture *c, __u64 want)
{
	__u64 p = 0, b;
	int i;

	for (i = 0; i < 300; i++) {
		nr_capture__progress(c, &p, &b);
		if (p >= want)
			return;
		usleep(10000);
	}
}

static const __u8 mac_a[6] = { 0x02, 0x6d, 0x65, 0x74, 0x61, 0x01 };
static const __u8 mac_b[6] = { 0x02, 0x6d, 0x65, 0x74, 0x61, 0x02 };

/* Capture options for interface @iface (NULL: namespace a's veth) in namespace a. */
static struct nr_capture_opts opts_in_a(const char *file, const char *iface, const char *filter)
{
	static char path[4][256], veth[32];
	static int k;
	struct nr_capture_opts o = { .sz = sizeof(o), .netns = ino_a, .db = db, .filter = filter };

	k = (k + 1) % 4;
	snprintf(path[k], sizeof(path[k]), "%s/%s", tmpdir, file);
	snprintf(veth, sizeof(veth), "%s0", ns_a);
	o.path = path[k];
	o.iface = iface ? iface : veth;
	return o;
}

static int cmp_u64(const void *a, const void *b)
{
	__u64 x = *(const __u64 *)a, y = *(const __u64 *)b;

	return x < y ? -1 : x > y;
}

static void test_capture(void)
{
	char errbuf[NR_CAPTURE_ERRBUF], ebuf[PCAP_ERRBUF_SIZE];
	struct nr_clock start, end;
	struct nr_capture_opts o = opts_in_a("a.pcapng", NULL, "udp port 7777");
	struct nr_capture_stats st = {};
	struct nr_capture *c = NULL;
	__u64 sent4[N4], sent6[N6], err_ns[N4 + N6];
	struct send_job j4 = { .family = AF_INET, .dst = "10.77.0.1", .port = 7777, .count = N4,
			       .payload = PAYLOAD, .sent_ns = sent4 };
	struct send_job j6 = { .family = AF_INET6, .dst = "fd00:6d65::1", .port = 7777,
			       .count = N6, .payload = PAYLOAD, .first = N4, .sent_ns = sent6 };
	struct nr_counter cnt[3];
	struct pcap_pkthdr *h;
	const u_char *d;
	__u32 n = 0, bad = 0, nerr = 0;
	pcap_t *p;

	check_start("capture in a namespace");
	nr_clock__read(&start, NULL);
	o.clock = &start;
	o.userappl = "netrec test";
	if (!CHECK_EQ(nr_capture__start(&o, &c, errbuf), 0, "start")) {
		fprintf(stderr, "%s\n", errbuf);
		return;
	}
	CHECK_EQ(send_from_b(&j4), 0, "send v4");
	CHECK_EQ(send_from_b(&j6), 0, "send v6");
	CHECK_EQ(j4.sent + j6.sent, N4 + N6, "datagrams sent");
	wait_for(c, N4 + N6);
	CHECK_EQ(nr_capture__stop(c, &st), 0, "stop");
	nr_clock__read(&end, NULL);
	CHECK_EQ(st.packets, N4 + N6, "packets written");
	CHECK_EQ(st.bytes, N4 * (14 + 20 + 8 + PAYLOAD) + N6 * (14 + 40 + 8 + PAYLOAD),
		 "bytes written");
	CHECK_EQ(st.ps_recv, N4 + N6, "ps_recv");
	CHECK_EQ(st.ps_drop, 0, "ps_drop");
	CHECK_EQ(st.err, 0, "no error");
	CHECK_EQ(nr_capture_stats__counters(&st, 123, cnt), 3, "counter records");
	CHECK(cnt[0].kind == NR_CNT_PCAP_RECV && cnt[0].value == N4 + N6 &&
	      cnt[0].hdr.type == NR_REC_COUNTER && cnt[0].hdr.size == sizeof(cnt[0]) &&
	      cnt[1].kind == NR_CNT_PCAP_DROP && cnt[2].kind == NR_CNT_PCAP_IFDROP,
	      "counters as records");

	p = pcap_open_offline_with_tstamp_precision(o.path, PCAP_TSTAMP_PRECISION_NANO, ebuf);
	if (!CHECK(p != NULL, "read back")) {
		fprintf(stderr, "%s\n", ebuf);
		return;
	}
	CHECK_EQ(pcap_datalink(p), DLT_EN10MB, "ethernet");
	while (pcap_next_ex(p, &h, &d) == 1) {
		__u64 ts = (__u64)h->ts.tv_sec * 1000000000ull + (__u64)h->ts.tv_usec, m;
		bool v6 = n >= N4;
		__u32 l3 = v6 ? 40 : 20, len = 14 + l3 + 8 + PAYLOAD;
		char tag[16];

		snprintf(tag, sizeof(tag), "meta-%08u", n);
		if (h->caplen != len || h->len != len || memcmp(d, mac_a, 6) ||
		    memcmp(d + 6, mac_b, 6) || d[12] != (v6 ? 0x86 : 0x08) ||
		    d[13] != (v6 ? 0xdd : 0x00) || d[14 + l3 + 2] != 7777 >> 8 ||
		    d[14 + l3 + 3] != (7777 & 0xff) || memcmp(d + 14 + l3 + 8, tag, 13)) {
			if (bad++ < 3)
				fprintf(stderr, "packet %u: unexpected bytes (caplen %u)\n", n,
					h->caplen);
		}
		/* IPv4 source 10.77.0.2, destination 10.77.0.1 */
		if (!v6 && (memcmp(d + 26, "\x0a\x4d\x00\x02", 4) ||
			    memcmp(d + 30, "\x0a\x4d\x00\x01", 4)))
			bad++;
		/* inside the recording, and on the events' clock close to its send */
		if (ts < start.real_ns || ts > end.real_ns)
			nerr += 1000000;
		m = nr_clock_real_to_mono(&start, &end, ts);
		if (n < N4 + N6) {
			__u64 s = v6 ? sent6[n - N4] : sent4[n];

			err_ns[n] = m - s;
			if (m < s || m - s > 100000000)
				nerr++;
		}
		n++;
	}
	pcap_close(p);
	CHECK_EQ(n, N4 + N6, "packets in the file");
	CHECK_EQ(bad, 0, "packets with wrong bytes");
	CHECK_EQ(nerr, 0, "timestamps outside [send, send + 100 ms] or the recording");
	if (n == N4 + N6) {
		qsort(err_ns, n, sizeof(err_ns[0]), cmp_u64);
		printf("capture: %u packets; capture timestamp - CLOCK_MONOTONIC before sendto(), "
		       "through the clock reference: min %llu ns, median %llu ns, max %llu ns\n",
		       n, (unsigned long long)err_ns[0], (unsigned long long)err_ns[n / 2],
		       (unsigned long long)err_ns[n - 1]);
	}
}

static void test_any(void)
{
	char errbuf[NR_CAPTURE_ERRBUF], ebuf[PCAP_ERRBUF_SIZE];
	struct nr_capture_opts o = opts_in_a("any.pcapng", "any", "udp port 7779");
	struct send_job j = { .family = AF_INET, .dst = "10.77.0.1", .port = 7779, .count = 3,
			      .payload = PAYLOAD };
	struct nr_capture_stats st;
	struct nr_capture *c;
	struct pcap_pkthdr *h;
	const u_char *d;
	__u32 n = 0, bad = 0;
	pcap_t *p;

	check_start("capture on any");
	if (!CHECK_EQ(nr_capture__start(&o, &c, errbuf), 0, "start")) {
		fprintf(stderr, "%s\n", errbuf);
		return;
	}
	CHECK_EQ(send_from_b(&j), 0, "send");
	wait_for(c, 3);
	CHECK_EQ(nr_capture__stop(c, &st), 0, "stop");
	CHECK_EQ(st.packets, 3, "packets");
	p = pcap_open_offline(o.path, ebuf);
	if (!CHECK(p != NULL, "read back"))
		return;
	CHECK_EQ(pcap_datalink(p), DLT_LINUX_SLL2, "cooked v2 headers");
	while (pcap_next_ex(p, &h, &d) == 1) {
		/* SLL2: protocol, reserved, ifindex (be32), ARPHRD (be16), pkttype, addr len */
		if (h->caplen < 20 || d[0] != 0x08 || d[1] != 0x00 ||
		    memcmp(d + 4, "\0\0\0\x0a", 4) || d[8] != 0 || d[9] != 1 || d[11] != 6 ||
		    memcmp(d + 12, mac_b, 6))
			bad++;
		n++;
	}
	pcap_close(p);
	CHECK_EQ(n, 3, "packets in the file");
	CHECK_EQ(bad, 0, "SLL2 header names ifindex 10, ARPHRD_ETHER, the sender's MAC");
}

static void test_errors(void)
{
	char errbuf[NR_CAPTURE_ERRBUF];
	struct nr_capture_opts o = opts_in_a("err.pcapng", "meta-nope0", NULL);
	struct nr_capture *c = NULL;
	struct stat sb;

	check_start("capture errors");
	CHECK_EQ(nr_capture__start(&o, &c, errbuf), -ENODEV, "unknown interface");
	CHECK(strstr(errbuf, "meta-nope0") != NULL, "message names the interface");
	printf("error: %s\n", errbuf);
	CHECK(stat(o.path, &sb) != 0, "no file left behind");

	o.iface = "lo";
	o.filter = "udp port";
	CHECK_EQ(nr_capture__start(&o, &c, errbuf), -EINVAL, "bad filter");
	CHECK(strstr(errbuf, "udp port") != NULL, "message names the filter");
	printf("error: %s\n", errbuf);
	CHECK(stat(o.path, &sb) != 0, "no file left behind");

	o.filter = NULL;
	o.netns = 1;
	CHECK_EQ(nr_capture__start(&o, &c, errbuf), -ENOENT, "unknown namespace");
	printf("error: %s\n", errbuf);
	CHECK_EQ(nr_capture__stop(NULL, NULL), 0, "stop(NULL)");
}

/* As fast as one sender can go, then paced: the rate the capture keeps up with. */
static void test_rate(void)
{
	static const __u32 counts[] = { 200000, 200000 };
	static const __u32 batch[] = { 0, 64 };
	char errbuf[NR_CAPTURE_ERRBUF];
	struct nr_capture_opts o = opts_in_a("rate.pcapng", NULL, "udp port 7780");
	__u32 k;

	check_start("capture rate");
	o.snaplen = 128;
	for (k = 0; k < sizeof(counts) / sizeof(counts[0]); k++) {
		struct send_job j = { .family = AF_INET, .dst = "10.77.0.1", .port = 7780,
				      .count = counts[k], .payload = 64, .batch = batch[k] };
		struct nr_capture_stats st;
		struct nr_capture *c;
		__u64 t0, t1;

		if (!CHECK_EQ(nr_capture__start(&o, &c, errbuf), 0, "start")) {
			fprintf(stderr, "%s\n", errbuf);
			return;
		}
		t0 = mono_ns();
		CHECK_EQ(send_from_b(&j), 0, "send");
		t1 = mono_ns();
		wait_for(c, counts[k]);
		CHECK_EQ(nr_capture__stop(c, &st), 0, "stop");
		/* every datagram is either in the file or counted as dropped: never silent */
		CHECK_EQ(st.ps_recv, counts[k], "ps_recv counts every datagram");
		CHECK_EQ(st.packets + st.ps_drop, st.ps_recv, "written + dropped == received");
		printf("capture rate: %u datagrams of 106 bytes (%s) sent in %.3f s (%.0f/s): "
		       "%llu written, %llu dropped by the ring (ps_drop), file %s\n",
		       counts[k], batch[k] ? "sendmmsg" : "sendto", (t1 - t0) / 1e9,
		       counts[k] / ((t1 - t0) / 1e9),
		       (unsigned long long)st.packets, (unsigned long long)st.ps_drop,
		       st.ps_drop ? "incomplete" : "complete");
	}
}

int main(void)
{
	char cmd[128], p[256];
	struct stat st;

	ns_a = getenv("META_NS_A");
	ns_b = getenv("META_NS_B");
	if (!ns_a || !ns_b) {
		check_skip("run through meta_netns.sh");
		return CHECK_SKIP;
	}
	snprintf(p, sizeof(p), "/run/netns/%s", ns_a);
	ino_a = stat(p, &st) ? 0 : (__u32)st.st_ino;
	snprintf(p, sizeof(p), "/run/netns/%s", ns_b);
	ino_b = stat(p, &st) ? 0 : (__u32)st.st_ino;
	if (!ino_a || !ino_b || nr_netns_db__new(&db) || nr_netns_db__scan(db) < 0 ||
	    !mkdtemp(tmpdir)) {
		fprintf(stderr, "setup failed\n");
		return 1;
	}
	test_capture();
	test_any();
	test_errors();
	test_rate();
	nr_netns_db__free(db);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", tmpdir);
	if (system(cmd))
		fprintf(stderr, "cannot remove %s\n", tmpdir);
	return check_exit();
}
