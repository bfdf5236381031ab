// SPDX-License-Identifier: GPL-2.0-only
/*
 * lib_live.c - namespaces, sockets, ring buffer and BTF helpers of the live tests
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "check.h"
#include "lib_live.h"
#include "loader.h"

#define MAX_NS 8
static const char *made_ns[MAX_NS];
static int nr_made;

static int run(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void cleanup(void)
{
	int i;

	for (i = 0; i < nr_made; i++)
		run("ip netns del %s 2>/dev/null", made_ns[i]);
	nr_made = 0;
}

static void on_signal(int sig)
{
	cleanup();
	signal(sig, SIG_DFL);
	raise(sig);
}

bool live_check_env(void)
{
	if (geteuid() != 0) {
		printf("SKIP: not root\n");
		return false;
	}
	if (access("/sys/kernel/btf/vmlinux", R_OK)) {
		printf("SKIP: no kernel BTF (/sys/kernel/btf/vmlinux)\n");
		return false;
	}
	if (run("ip netns list >/dev/null 2>&1")) {
		printf("SKIP: no 'ip netns' (iproute2)\n");
		return false;
	}
	return true;
}

/*
 * The iproute2 binary: "ip", or $NR_IP where a shell would run something else under
 * that name (busybox runs its own ip applet first, which has no veth nor netns).
 */
static void with_ip(const char *in, char *out, size_t len)
{
	const char *ip = getenv("NR_IP");
	size_t n = 0, i;

	for (i = 0; in[i] && n + 1 < len; i++) {
		bool start = i == 0 || (i >= 2 && in[i - 2] == ';' && in[i - 1] == ' ');
		int w;

		if (ip && start && !strncmp(in + i, "ip ", 3)) {
			w = snprintf(out + n, len - n, "%s", ip);
			n = w < 0 || (size_t)w >= len - n ? len - 1 : n + (size_t)w;
			i++;	/* past the 'p'; the space is copied next */
			continue;
		}
		out[n++] = in[i];
	}
	out[n] = '\0';
}

static int run(const char *fmt, ...)
{
	char raw[512], cmd[600];
	va_list ap;
	int rc;

	va_start(ap, fmt);
	vsnprintf(raw, sizeof(raw), fmt, ap);
	va_end(ap);
	with_ip(raw, cmd, sizeof(cmd));
	rc = system(cmd);
	if (rc)
		fprintf(stderr, "command failed (%d): %s\n", rc, cmd);
	return rc ? -1 : 0;
}

static int ns_enter(const char *name, int *orig)
{
	char path[128];
	int fd;

	*orig = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	snprintf(path, sizeof(path), "/run/netns/%s", name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (*orig < 0 || fd < 0 || setns(fd, CLONE_NEWNET)) {
		perror(path);
		if (fd >= 0)
			close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

static void ns_leave(int orig)
{
	if (setns(orig, CLONE_NEWNET))
		perror("setns back");
	close(orig);
}

static int ns_setup(struct live_ns *n)
{
	char path[128];
	struct stat st;
	int orig;

	if (!n->ip6)
		run("ip netns exec %s sysctl -qw net.ipv6.conf.all.disable_ipv6=1 "
		    "net.ipv6.conf.default.disable_ipv6=1 net.ipv6.conf.lo.disable_ipv6=1",
		    n->name);
	if (run("ip -n %s link set lo up", n->name) ||
	    run("ip -n %s addr add %s/24 dev %s", n->name, n->ip4, n->ifname) ||
	    (n->ip6 && run("ip -n %s addr add %s/64 dev %s nodad", n->name, n->ip6, n->ifname)) ||
	    run("ip -n %s link set %s up", n->name, n->ifname))
		return -1;
	snprintf(path, sizeof(path), "/run/netns/%s", n->name);
	if (stat(path, &st))
		return -1;
	n->inode = (__u32)st.st_ino;
	if (ns_enter(n->name, &orig))
		return -1;
	n->ifindex = if_nametoindex(n->ifname);
	ns_leave(orig);
	return n->ifindex ? 0 : -1;
}

/* @peer's addresses as permanent neighbours in @n: no resolution traffic in the tests */
static int neigh_static(const struct live_ns *n, const struct live_ns *peer)
{
	if (run("ip -n %s neigh replace %s lladdr %s dev %s nud permanent", n->name, peer->ip4,
		peer->mac, n->ifname))
		return -1;
	if (n->ip6 && peer->ip6 &&
	    run("ip -n %s neigh replace %s lladdr %s dev %s nud permanent", n->name, peer->ip6,
		peer->mac, n->ifname))
		return -1;
	return 0;
}

/*
 * Make @n's names this process's own: the same test may run twice at once (two
 * engineers' test suites on one machine), and namespace and interface names are
 * global. The interface name keeps within IFNAMSIZ.
 */
static int own_names(struct live_ns *n)
{
	char name[64], ifname[IF_NAMESIZE];
	unsigned int pid = (unsigned int)getpid() % 100000;

	snprintf(name, sizeof(name), "%s-%u", n->name, pid);
	if ((size_t)snprintf(ifname, sizeof(ifname), "%s%u", n->ifname, pid) >= sizeof(ifname))
		return -1;
	n->name = strdup(name);
	n->ifname = strdup(ifname);
	return n->name && n->ifname ? 0 : -1;
}

int live_pair_up(struct live_ns *a, struct live_ns *b)
{
	static bool handlers;

	if (!handlers) {
		atexit(cleanup);
		signal(SIGINT, on_signal);
		signal(SIGTERM, on_signal);
		handlers = true;
	}
	if (own_names(a) || own_names(b))
		return -1;
	/* leftovers of an earlier run with the same pid, killed before its cleanup */
	run("ip netns del %s 2>/dev/null; ip netns del %s 2>/dev/null; true", a->name, b->name);
	if (nr_made + 2 > MAX_NS || run("ip netns add %s", a->name))
		return -1;
	made_ns[nr_made++] = a->name;
	if (run("ip netns add %s", b->name))
		return -1;
	made_ns[nr_made++] = b->name;
	if (run("ip -n %s link add %s address %s type veth peer name %s address %s netns %s",
		a->name, a->ifname, a->mac, b->ifname, b->mac, b->name))
		return -1;
	if (ns_setup(a) || ns_setup(b))
		return -1;
	return neigh_static(a, b) || neigh_static(b, a) ? -1 : 0;
}

int live_socket(const struct live_ns *ns, int domain, int type)
{
	int orig, fd;

	if (ns_enter(ns->name, &orig))
		return -1;
	fd = socket(domain, type | SOCK_CLOEXEC, 0);
	if (fd < 0)
		perror("socket");
	ns_leave(orig);
	return fd;
}

static socklen_t make_addr(int family, const char *ip, __u16 port, struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof(*ss));
	if (family == AF_INET) {
		struct sockaddr_in *s4 = (struct sockaddr_in *)ss;

		s4->sin_family = AF_INET;
		s4->sin_port = htons(port);
		inet_pton(AF_INET, ip, &s4->sin_addr);
		return sizeof(*s4);
	} else {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;

		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(port);
		inet_pton(AF_INET6, ip, &s6->sin6_addr);
		return sizeof(*s6);
	}
}

int live_udp_send(int fd, int family, const char *ip, __u16 port, int n, size_t len)
{
	struct sockaddr_storage ss;
	socklen_t sl = make_addr(family, ip, port, &ss);
	char buf[1500] = { 0 };
	int i, sent = 0;

	if (len > sizeof(buf))
		len = sizeof(buf);
	for (i = 0; i < n; i++)
		sent += sendto(fd, buf, len, 0, (struct sockaddr *)&ss, sl) == (ssize_t)len;
	return sent;
}

__u16 live_local_port(int fd)
{
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);

	if (getsockname(fd, (struct sockaddr *)&ss, &sl))
		return 0;
	if (ss.ss_family == AF_INET)
		return ntohs(((struct sockaddr_in *)&ss)->sin_port);
	return ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
}

static int on_record(void *ctx, void *data, size_t size)
{
	struct live_recs *rs = ctx;
	const struct nr_rec_hdr *h = data;
	struct nr_rec_hdr *copy;

	if (size < sizeof(*h) || h->size < sizeof(*h) || h->size > size) {
		fprintf(stderr, "bad record: ring size %zu, hdr.size %u\n", size,
			size >= sizeof(*h) ? h->size : 0);
		return 0;
	}
	if (rs->n == rs->cap) {
		size_t cap = rs->cap ? rs->cap * 2 : 256;
		void *p = realloc(rs->r, cap * sizeof(*rs->r));

		if (!p)
			return -ENOMEM;
		rs->r = p;
		rs->cap = cap;
	}
	copy = malloc(h->size);
	if (!copy)
		return -ENOMEM;
	memcpy(copy, h, h->size);
	rs->r[rs->n++] = copy;
	return 0;
}

struct ring_buffer *live_ring(struct nr_loader *l, struct live_recs *out)
{
	return ring_buffer__new(nr_loader__ringbuf_fd(l), on_record, out, NULL);
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

void live_drain(struct ring_buffer *rb, bool (*done)(void *ctx), void *ctx, int timeout_ms)
{
	long long end = now_ms() + timeout_ms;

	for (;;) {
		ring_buffer__consume(rb);
		if ((done && done(ctx)) || now_ms() >= end)
			break;
		usleep(10000);
	}
	usleep(100000);
	ring_buffer__consume(rb);
}

void live_recs_free(struct live_recs *rs)
{
	size_t i;

	for (i = 0; i < rs->n; i++)
		free(rs->r[i]);
	free(rs->r);
	memset(rs, 0, sizeof(*rs));
}

long long live_btf_enum(const char *name)
{
	struct btf *btf = btf__load_vmlinux_btf();
	long long v = -1;
	__u32 i, n;

	if (!btf)
		return -1;
	for (i = 1, n = btf__type_cnt(btf); i < n && v < 0; i++) {
		const struct btf_type *t = btf__type_by_id(btf, i);
		const struct btf_enum *e;
		__u16 j;

		if (!btf_is_enum(t))
			continue;
		e = btf_enum(t);
		for (j = 0; j < btf_vlen(t); j++)
			if (!strcmp(btf__name_by_offset(btf, e[j].name_off), name))
				v = e[j].val;
	}
	btf__free(btf);
	return v;
}

__u64 live_probe_total(const struct nr_loader *l, __u16 probe, size_t field_off)
{
	__u32 ncpus = nr_loader__ncpus(l), i;
	struct nr_probe_stats *st = calloc(ncpus, sizeof(*st));
	__u64 sum = 0;

	if (!st || nr_loader__read_stats(l, probe, st)) {
		free(st);
		return (__u64)-1;
	}
	for (i = 0; i < ncpus; i++)
		sum += *(__u64 *)((char *)&st[i] + field_off);
	free(st);
	return sum;
}

static __u64 kept_once(const struct nr_loader *l, __u16 probe)
{
	__u32 ncpus = nr_loader__ncpus(l), i;
	struct nr_probe_stats *st = calloc(ncpus, sizeof(*st));
	__u64 kept = 0;

	if (!st || nr_loader__read_stats(l, probe, st)) {
		free(st);
		return (__u64)-1;
	}
	for (i = 0; i < ncpus; i++)
		kept += st[i].hits - st[i].filtered;
	free(st);
	return kept;
}

__u64 live_probe_kept(const struct nr_loader *l, __u16 probe)
{
	__u64 prev = kept_once(l, probe), now;
	int i;

	for (i = 0; i < 50; i++, prev = now) {
		now = kept_once(l, probe);
		if (now == prev)
			break;
	}
	return prev;
}

static int sum_lost(void *ctx, __u16 kind, __u16 probe, __u32 cpu, __u64 value)
{
	(void)probe;
	(void)cpu;
	if (kind == NR_CNT_LOST || kind == NR_CNT_PROG_MISSED)
		*(__u64 *)ctx += value;
	return 0;
}

__u64 live_total_lost(const struct nr_loader *l)
{
	__u64 lost = 0;

	nr_loader__for_each_counter(l, sum_lost, &lost);
	return lost;
}

int live_start(struct live_session *s, struct nr_loader_opts *o)
{
	struct nr_error e = { 0 };
	int err;

	memset(s, 0, sizeof(*s));
	o->sz = sizeof(*o);
	err = nr_loader__open(o, &s->l, &e);
	if (!err)
		err = nr_loader__load(s->l, &e);
	if (!err)
		err = nr_loader__attach(s->l, &e);
	if (err) {
		CHECK_EQ(err, 0, e.msg);
		nr_loader__close(s->l);
		s->l = NULL;
		return -1;
	}
	s->rb = live_ring(s->l, &s->recs);
	if (!CHECK(s->rb != NULL, "ring buffer reader")) {
		nr_loader__close(s->l);
		s->l = NULL;
		return -1;
	}
	return 0;
}

void live_end(struct live_session *s)
{
	if (s->l)
		CHECK_EQ(live_total_lost(s->l), 0, "records lost");
	ring_buffer__free(s->rb);
	nr_loader__close(s->l);
	live_recs_free(&s->recs);
}

const struct nr_pkt *live_pkt(const struct nr_rec_hdr *h, __u16 probe)
{
	const struct nr_pkt *p = (const void *)h;

	if (h->type != NR_REC_PKT || h->size < sizeof(*p) || p->probe != probe)
		return NULL;
	return p;
}

const struct nr_sock *live_sock(const struct nr_rec_hdr *h, __u16 probe)
{
	const struct nr_sock *k = (const void *)h;

	if (h->type != NR_REC_SOCK || h->size < sizeof(*k) || k->probe != probe)
		return NULL;
	return k;
}

__u16 live_snap_port(const struct nr_pkt *p, int which)
{
	const __u8 *d = (const __u8 *)(p + 1);
	unsigned int off = p->snap_l4 + 2u * (unsigned int)which;

	if (p->snap_l4 == NR_OFF_NONE || off + 2 > p->snap_len)
		return 0;
	return (__u16)(d[off] << 8 | d[off + 1]);
}

size_t live_count_drops(const struct live_recs *rs, __u16 dport)
{
	size_t i, n = 0;

	for (i = 0; i < rs->n; i++) {
		const struct nr_pkt *p = live_pkt(rs->r[i], NR_P_KFREE_SKB);

		n += p && live_snap_port(p, 1) == dport;
	}
	return n;
}

struct want_drops {
	struct live_session *s;
	__u16 dport;
	size_t n;
};

static bool have_drops(void *ctx)
{
	struct want_drops *w = ctx;

	return live_count_drops(&w->s->recs, w->dport) >= w->n;
}

void live_wait_drops(struct live_session *s, __u16 dport, size_t n)
{
	struct want_drops w = { s, dport, n };

	live_drain(s->rb, have_drops, &w, 3000);
}
