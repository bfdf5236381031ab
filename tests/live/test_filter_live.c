// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_filter_live.c - the --filter translation in the kernel (root + BPF)
 *
 * 1. verdicts: for every expression of the table, the test object's programs get the
 *    filter through nr_filter__prepare_object() (the recorder's mechanism), all of them
 *    load (raw_tp, xdp, tp_btf, raw_tp on a tracepoint, classic tracepoint), and the
 *    raw_tp program run with BPF_PROG_TEST_RUN on every packet of the table gives
 *    libpcap's exact return value;
 * 2. strict alignment: the translation with word loads is refused under
 *    BPF_F_STRICT_ALIGNMENT and the byte-load translation is accepted;
 * 3. traffic: in a network namespace of its own, the three tracepoint flavours on
 *    net:netif_receive_skb keep exactly the datagrams the filter selects;
 * 4. cost: ns per evaluation of a few typical expressions (xdp test run with repeat).
 *
 * Usage: test_filter_live FILTER_TEST_BPF_OBJECT [-v]
 */
#include <errno.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/mount.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "check.h"
#include "filter_cases.h"
#include "filter.h"
#include "filter_int.h"
#include "filter_pcap.h"
#include "filter_xlate.h"

static const char *obj_path;
static bool verbose;
static struct fcase_pkt *pkts;
static size_t npkts;

static int print_libbpf(enum libbpf_print_level level, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));

static int print_libbpf(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	if (level == LIBBPF_WARN || verbose)
		return vfprintf(stderr, fmt, ap);
	return 0;
}

static __u32 capped(const struct fcase_pkt *p)
{
	return p->caplen < NR_FILTER_BUF ? p->caplen : NR_FILTER_BUF;
}

struct loaded {
	struct bpf_object *obj;
	int run_fd, bench_fd, bufs_fd, args_fd, counts_fd;
	unsigned int sites;
};

static void unload(struct loaded *l)
{
	bpf_object__close(l->obj);
	memset(l, 0, sizeof(*l));
}

static int set_rodata(struct bpf_object *obj, int filter, __u32 netns)
{
	struct bpf_map *map;

	bpf_object__for_each_map(map, obj) {
		size_t sz = 0;
		char *data;

		if (!strstr(bpf_map__name(map), ".rodata"))
			continue;
		data = (char *)bpf_map__initial_value(map, &sz);
		if (!data || sz < 8)
			return -EINVAL;
		/* cfg_filter then cfg_netns, in declaration order */
		memcpy(data, &filter, sizeof(filter));
		memcpy(data + 4, &netns, sizeof(netns));
		return 0;
	}
	return -ENOENT;
}

/* Open the test object, give its hooks @f (or keep-all) and load it. @tracepoints:
 * also load the three tracepoint flavours. */
static int load(struct nr_filter *f, bool tracepoints, __u32 netns, struct loaded *l)
{
	static const char *const tp_progs[] = { "filter_tp_btf", "filter_raw_tp", "filter_tp" };
	unsigned int i;
	int n, err;

	memset(l, 0, sizeof(*l));
	l->obj = bpf_object__open_file(obj_path, NULL);
	if (!l->obj)
		return -errno;
	n = nr_filter__prepare_object(f, l->obj);
	if (n < 0) {
		unload(l);
		return n;
	}
	l->sites = (unsigned int)n;
	err = set_rodata(l->obj, f ? nr_filter__in_kernel(f) : 0, netns);
	for (i = 0; !err && i < 3; i++)
		err = bpf_program__set_autoload(
			bpf_object__find_program_by_name(l->obj, tp_progs[i]), tracepoints);
	if (!err)
		err = bpf_object__load(l->obj);
	if (err) {
		unload(l);
		return err;
	}
	l->run_fd = bpf_program__fd(bpf_object__find_program_by_name(l->obj, "filter_run"));
	l->bench_fd = bpf_program__fd(bpf_object__find_program_by_name(l->obj, "filter_bench"));
	l->bufs_fd = bpf_object__find_map_fd_by_name(l->obj, "bufs");
	l->args_fd = bpf_object__find_map_fd_by_name(l->obj, "bench_args");
	l->counts_fd = bpf_object__find_map_fd_by_name(l->obj, "counts");
	return 0;
}

static int put_packet(const struct loaded *l, const struct fcase_pkt *p)
{
	struct nr_filter_buf buf;
	__u32 zero = 0;

	memset(&buf, 0xa5, sizeof(buf));
	memcpy(buf.pkt, p->data, capped(p));
	return bpf_map_update_elem(l->bufs_fd, &zero, &buf, BPF_ANY);
}

/* The kernel's verdict on @p through the raw_tp test run. */
static int kernel_verdict(const struct loaded *l, const struct fcase_pkt *p, __u32 *ret)
{
	__u64 args[2] = { p->caplen, p->wirelen };
	LIBBPF_OPTS(bpf_test_run_opts, opts, .ctx_in = args, .ctx_size_in = sizeof(args));
	int err;

	err = put_packet(l, p);
	if (!err)
		err = bpf_prog_test_run_opts(l->run_fd, &opts);
	if (err)
		return -errno;
	*ret = opts.retval;
	return 0;
}

static __u32 verified_insns(int prog_fd)
{
	struct bpf_prog_info info = {};
	__u32 len = sizeof(info);

	if (bpf_obj_get_info_by_fd(prog_fd, &info, &len))
		return 0;
	return info.verified_insns;
}

/* Every packet of the table through @expr in the kernel, compared with libpcap. */
static void check_expr(const char *expr, const char *label)
{
	struct nr_cbpf_insn *prog = NULL;
	struct nr_filter *f = NULL;
	unsigned int cbpf, ebpf, mismatches = 0;
	struct loaded l;
	char err[512];
	size_t i;

	if (!CHECK_EQ(nr_filter__compile(expr, &f, err, sizeof(err)), 0, label) ||
	    !CHECK_EQ(nr_pcap_compile(expr, true, &prog, &cbpf, err, sizeof(err)), 0, label)) {
		fprintf(stderr, "  %s\n", err);
		nr_filter__free(f);
		return;
	}
	if (!CHECK_EQ(load(f, true, 0, &l), 0, label))
		goto out;
	if (!CHECK(nr_filter__in_kernel(f), label)) {
		fprintf(stderr, "  fell back: %s\n", nr_filter__fallback_reason(f));
		goto out_unload;
	}
	CHECK_EQ(l.sites, 5, "every program of the test object got the filter");
	for (i = 0; i < npkts; i++) {
		__u32 want = nr_pcap_run(prog, cbpf, pkts[i].data, capped(&pkts[i]),
					 pkts[i].wirelen), got = 0;

		if (!CHECK_EQ(kernel_verdict(&l, &pkts[i], &got), 0, label))
			break;
		if (got != want && mismatches++ < 3) {
			CHECK_EQ(got, want, label);
			fprintf(stderr, "  packet '%s' (caplen %u, wirelen %u)\n", pkts[i].name,
				pkts[i].caplen, pkts[i].wirelen);
		} else {
			check_passed++;
		}
	}
	nr_filter__insn_cnt(f, &cbpf, &ebpf);
	if (verbose || strlen(expr) > 60 || strstr(expr, "protochain"))
		printf("  %-42.42s %4u cBPF %5u eBPF, filter_run verified %u insns\n", label, cbpf,
		       ebpf, verified_insns(l.run_fd));
out_unload:
	unload(&l);
out:
	free(prog);
	nr_filter__free(f);
}

static void test_verdicts(void)
{
	static const struct {
		const char *kind;
		unsigned int n;
	} big[] = { { "host", 100 }, { "port", 100 }, { "ip6", 40 }, { "host", 400 } };
	unsigned int e, b;

	check_start("verdicts");
	for (e = 0; fcase_exprs[e].expr; e++)
		check_expr(fcase_exprs[e].expr, fcase_exprs[e].expr);
	for (b = 0; b < sizeof(big) / sizeof(big[0]); b++) {
		char *expr = fcase_big_expr(big[b].kind, big[b].n), label[64];

		snprintf(label, sizeof(label), "%u x '%s' or'ed", big[b].n, big[b].kind);
		if (CHECK(expr != NULL, "allocation"))
			check_expr(expr, label);
		free(expr);
	}
}

static void test_alignment(void)
{
	/* loads the verifier cannot prove aligned: odd constant offsets, and an odd offset
	 * from X (4 * IHL) */
	static const char *const exprs[] = { "ip[3:4] = 1", "ip6[1:2] = 0", "udp[1:2] = 5",
					     "ip6[21:2] = 2" };
	unsigned int e;

	check_start("strict alignment");
	for (e = 0; e < sizeof(exprs) / sizeof(exprs[0]); e++) {
		struct nr_cbpf_insn *prog = NULL;
		struct bpf_insn *body = NULL;
		char err[512], why[256] = "";
		unsigned int len;
		size_t cnt;

		if (!CHECK_EQ(nr_pcap_compile(exprs[e], true, &prog, &len, err, sizeof(err)), 0,
			      exprs[e]))
			continue;
		if (CHECK_EQ(nr_xlate_cbpf(prog, len, 0, &body, &cnt, err, sizeof(err)), 0,
			     exprs[e])) {
			CHECK_EQ(nr_filter_try_load(body, cnt, 0, why, sizeof(why)), 0,
				 "word loads, normal kernel");
			CHECK(nr_filter_try_load(body, cnt, BPF_F_STRICT_ALIGNMENT, why,
						 sizeof(why)) < 0, "word loads, strict alignment");
			if (!CHECK(strstr(why, "misaligned") != NULL, "refused as misaligned"))
				fprintf(stderr, "  verifier: %s\n", why);
			free(body);
		}
		if (CHECK_EQ(nr_xlate_cbpf(prog, len, NR_XLATE_BYTE_LOADS, &body, &cnt, err,
					   sizeof(err)), 0, exprs[e])) {
			why[0] = '\0';
			if (!CHECK_EQ(nr_filter_try_load(body, cnt, BPF_F_STRICT_ALIGNMENT, why,
							 sizeof(why)), 0, "byte loads, strict alignment"))
				fprintf(stderr, "  verifier: %s\n", why);
			free(body);
		}
		free(prog);
	}
}

static int lo_up(void)
{
	struct ifreq ifr = { 0 };
	int fd = socket(AF_INET, SOCK_DGRAM, 0), err = 0;

	if (fd < 0)
		return -errno;
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "lo");
	if (ioctl(fd, SIOCGIFFLAGS, &ifr) < 0)
		err = -errno;
	ifr.ifr_flags |= IFF_UP;
	if (!err && ioctl(fd, SIOCSIFFLAGS, &ifr) < 0)
		err = -errno;
	close(fd);
	return err;
}

/* Bind a receiver (so no ICMP error comes back) and send @n datagrams to @port. */
static int send_udp(int family, unsigned int port, unsigned int n)
{
	struct sockaddr_storage ss = { 0 };
	socklen_t sl;
	int rx, tx, err = 0;
	unsigned int i;

	if (family == AF_INET) {
		struct sockaddr_in *sin = (struct sockaddr_in *)&ss;

		sin->sin_family = AF_INET;
		sin->sin_port = htons((__u16)port);
		sin->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		sl = sizeof(*sin);
	} else {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;

		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons((__u16)port);
		sin6->sin6_addr = in6addr_loopback;
		sl = sizeof(*sin6);
	}
	rx = socket(family, SOCK_DGRAM, 0);
	tx = socket(family, SOCK_DGRAM, 0);
	if (rx < 0 || tx < 0 || bind(rx, (struct sockaddr *)&ss, sl) < 0) {
		err = -errno;
		goto out;
	}
	for (i = 0; i < n; i++) {
		if (sendto(tx, "netrec", 6, 0, (struct sockaddr *)&ss, sl) != 6) {
			err = -errno;
			break;
		}
	}
out:
	if (rx >= 0)
		close(rx);
	if (tx >= 0)
		close(tx);
	return err;
}

static __u64 counter(const struct loaded *l, __u32 key)
{
	__u64 v = 0;

	bpf_map_lookup_elem(l->counts_fd, &key, &v);
	return v;
}

/* The three tracepoint flavours on real traffic in this network namespace. */
static void test_traffic(void)
{
	static const char *const flavours[] = { "tp_btf", "raw_tp", "tracepoint" };
	static const char *const progs[] = { "filter_tp_btf", "filter_raw_tp", "filter_tp" };
	const char *expr[] = { NULL, "udp dst port 47001", "ip6 and udp dst port 47001" };
	const __u64 want_kept[] = { 50, 20, 10 };
	struct stat st;
	int round;

	check_start("traffic");
	if (stat("/proc/self/ns/net", &st) < 0 || !CHECK_EQ(lo_up(), 0, "bring lo up"))
		return;
	for (round = 0; round < 3; round++) {
		struct bpf_link *links[3] = { NULL };
		struct nr_filter *f = NULL;
		struct loaded l;
		char err[512];
		unsigned int i;

		if (expr[round] &&
		    !CHECK_EQ(nr_filter__compile(expr[round], &f, err, sizeof(err)), 0, err))
			continue;
		if (!CHECK_EQ(load(f, true, (__u32)st.st_ino, &l), 0, "load with tracepoints")) {
			nr_filter__free(f);
			continue;
		}
		for (i = 0; i < 3; i++) {
			links[i] = bpf_program__attach(bpf_object__find_program_by_name(l.obj,
											 progs[i]));
			CHECK(links[i] != NULL, flavours[i]);
		}
		/* 20 datagrams to the selected port, 30 to another, half over IPv6 */
		CHECK_EQ(send_udp(AF_INET, 47001, 10), 0, "send");
		CHECK_EQ(send_udp(AF_INET6, 47001, 10), 0, "send");
		CHECK_EQ(send_udp(AF_INET, 47002, 15), 0, "send");
		CHECK_EQ(send_udp(AF_INET6, 47002, 15), 0, "send");
		for (i = 0; i < 3; i++) {
			char what[96];

			bpf_link__destroy(links[i]);
			snprintf(what, sizeof(what), "%s, filter '%s': datagrams seen", flavours[i],
				 expr[round] ? expr[round] : "(none)");
			CHECK_EQ(counter(&l, i * 2), 50, what);
			snprintf(what, sizeof(what), "%s, filter '%s': datagrams kept", flavours[i],
				 expr[round] ? expr[round] : "(none)");
			CHECK_EQ(counter(&l, i * 2 + 1), want_kept[round], what);
		}
		unload(&l);
		nr_filter__free(f);
	}
}

/* ns per evaluation: xdp test run with repeat, minus the same program without filter */
static double bench_one(struct nr_filter *f, const struct fcase_pkt *p)
{
	enum { REPEAT = 200000 };
	__u8 frame[64] = { 0 };
	__u32 zero = 0, one = 1, caplen = capped(p), wirelen = p->wirelen;
	LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = frame, .data_size_in = sizeof(frame),
		    .repeat = REPEAT);
	struct loaded l;
	double best = -1;
	int i;

	if (load(f, false, 0, &l))
		return -1;
	if (put_packet(&l, p) || bpf_map_update_elem(l.args_fd, &zero, &caplen, BPF_ANY) ||
	    bpf_map_update_elem(l.args_fd, &one, &wirelen, BPF_ANY))
		goto out;
	/* best of five: the machine is shared */
	for (i = 0; i < 5; i++) {
		if (bpf_prog_test_run_opts(l.bench_fd, &opts))
			goto out;
		if (best < 0 || opts.duration < best)
			best = opts.duration;
	}
out:
	unload(&l);
	return best;
}

static void test_cost(void)
{
	static const char *const exprs[] = {
		"", "tcp", "host 10.0.0.1", "tcp port 80", "host 10.0.0.1 and port 80",
		"ip6 and tcp port 443", "tcp[tcpflags] & tcp-syn != 0",
		"net 10.0.0.0/8 and not port 22", "ip6 protochain 6", NULL, NULL,
	};
	static const char *const pkt_names[] = { "v4 tcp syn", "v4 ipopts ssh", "v6 hbh http",
						 "v6 26 ext tcp" };
	const struct fcase_pkt *bench[4] = { NULL };
	char *big[2] = { fcase_big_expr("host", 100), fcase_big_expr("port", 100) };
	double base;
	size_t i, e, b;

	check_start("cost");
	for (i = 0; i < npkts; i++)
		for (b = 0; b < 4; b++)
			if (!strcmp(pkts[i].name, pkt_names[b]))
				bench[b] = &pkts[i];
	if (!CHECK(bench[0] && bench[1] && bench[2] && bench[3], "benchmark packets") ||
	    !CHECK(big[0] && big[1], "allocation"))
		goto out;
	base = bench_one(NULL, bench[0]);
	if (!CHECK(base >= 0, "benchmark without filter"))
		goto out;
	printf("cost per evaluation in ns (xdp test run, best of 5 x 200000 runs, minus the "
	       "%.0f ns of the same program without filter):\n", base);
	printf("  %-32s %10s %10s %10s %10s\n", "expression", pkt_names[0], pkt_names[1],
	       pkt_names[2], pkt_names[3]);
	for (e = 0; e < sizeof(exprs) / sizeof(exprs[0]); e++) {
		const char *expr = exprs[e] ? exprs[e] : big[e - 9];
		const char *label = exprs[e] ? (expr[0] ? expr : "\"\" (keep all)")
					     : e == 9 ? "100 hosts or'ed" : "100 ports or'ed";
		struct nr_filter *f = NULL;
		char err[512];

		if (!CHECK_EQ(nr_filter__compile(expr, &f, err, sizeof(err)), 0, label))
			continue;
		printf("  %-32s", label);
		for (b = 0; b < 4; b++) {
			double t = bench_one(f, bench[b]);

			CHECK(t >= 0, label);
			printf(" %10.0f", t - base);
		}
		printf("\n");
		nr_filter__free(f);
	}
out:
	free(big[0]);
	free(big[1]);
}

static int requirements(void)
{
	struct stat st;

	if (geteuid() != 0) {
		check_skip("not root");
		return CHECK_SKIP;
	}
	if (stat("/sys/kernel/btf/vmlinux", &st) < 0) {
		check_skip("kernel without BTF (/sys/kernel/btf/vmlinux)");
		return CHECK_SKIP;
	}
	if (!libbpf_probe_bpf_prog_type(BPF_PROG_TYPE_RAW_TRACEPOINT, NULL)) {
		check_skip("cannot load raw_tp programs");
		return CHECK_SKIP;
	}
	if (stat("/sys/kernel/tracing/events", &st) < 0 &&
	    mount("nodev", "/sys/kernel/tracing", "tracefs", 0, NULL) < 0) {
		check_skip("no tracefs at /sys/kernel/tracing");
		return CHECK_SKIP;
	}
	if (unshare(CLONE_NEWNET) < 0) {
		check_skip("cannot make a network namespace");
		return CHECK_SKIP;
	}
	return 0;
}

int main(int argc, char **argv)
{
	int err;

	if (argc < 2) {
		fprintf(stderr, "usage: %s FILTER_TEST_BPF_OBJECT [-v]\n", argv[0]);
		return 2;
	}
	obj_path = argv[1];
	verbose = argc > 2 && !strcmp(argv[2], "-v");
	libbpf_set_print(print_libbpf);
	err = requirements();
	if (err)
		return err;
	npkts = fcase_packets(100, 7, &pkts);
	if (!npkts) {
		fprintf(stderr, "out of memory\n");
		return 1;
	}
	test_verdicts();
	test_alignment();
	test_traffic();
	test_cost();
	free(pkts);
	return check_exit();
}
