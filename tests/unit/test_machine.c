// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_machine.c - what the recorder writes about the machine, through a fake writer
 * that records the calls (the trace writer itself is tested in format/)
 *
 * Run plain (suite unit) it needs no privileges. Run through tests/live/meta_netns.sh
 * (suite live, root) it also follows namespaces and interfaces that appear and vanish
 * while "recording".
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "btf_enums.h"
#include "check.h"
#include "machine.h"
#include "netns.h"

/* The fake writer: what nr_machine handed to each nr_writer__* call. */
static struct {
	int host, clock_start, clock_end, cmdline, enums, ifaces_calls;
	__u32 argc;
	char filter[64];
	__u32 netns[64];
	__u32 nifs[64];
	bool lo_first[64];
	char name[64][32];
	__u32 ifindex[64][8];
	int fail;		/* make the next call fail with this */
} fake;

static int fake_result(void)
{
	int err = fake.fail;

	fake.fail = 0;
	return err;
}

int nr_writer__host(struct nr_writer *w, const struct nr_host *host)
{
	fake.host++;
	return fake_result();
}

int nr_writer__clock(struct nr_writer *w, const struct nr_clock *clk, bool at_end)
{
	if (at_end)
		fake.clock_end++;
	else
		fake.clock_start++;
	return fake_result();
}

int nr_writer__cmdline(struct nr_writer *w, __u32 argc, char *const *argv, const char *filter)
{
	fake.cmdline++;
	fake.argc = argc;
	snprintf(fake.filter, sizeof(fake.filter), "%s", filter ? filter : "");
	return fake_result();
}

int nr_writer__enum(struct nr_writer *w, const struct nr_enum *e)
{
	fake.enums++;
	return fake_result();
}

int nr_writer__ifaces(struct nr_writer *w, const struct nr_netns *ns, const struct nr_iface *ifs,
		      __u32 n)
{
	int c = fake.ifaces_calls++;
	__u32 i;

	if (c >= 64)
		return fake_result();
	fake.netns[c] = ns->inode;
	fake.nifs[c] = n;
	fake.lo_first[c] = n && ifs[0].ifindex == 1 && !strcmp(ifs[0].name, "lo");
	snprintf(fake.name[c], sizeof(fake.name[c]), "%s", ns->name ? ns->name : "");
	for (i = 0; i < n && i < 8; i++)
		fake.ifindex[c][i] = ifs[i].ifindex;
	return fake_result();
}

static char tmpdir[] = "/tmp/nr-test-machine-XXXXXX";

static void test_machine(void)
{
	static const char syms[] = "ffffffff81002000 T tcp_v4_rcv\n"
				   "ffffffff81003000 T ip_rcv\n";
	char path[256], errbuf[NR_MACHINE_ERRBUF];
	struct nr_machine_opts o = { .sz = sizeof(o), .one_netns = true };
	struct nr_writer *w = (struct nr_writer *)&fake;	/* never dereferenced */
	char *argv[] = { "netrec", "record", "-o", "x.nr" };
	long long self = nr_netns_self();
	const struct nr_enum *e;
	struct nr_machine *m;
	struct nr_sym s;
	FILE *f;

	check_start("machine");
	snprintf(path, sizeof(path), "%s/kallsyms", tmpdir);
	f = fopen(path, "w");
	fputs(syms, f);
	fclose(f);
	o.kallsyms = path;

	if (access(NR_BTF_DIR "/vmlinux", R_OK)) {
		printf("machine: no kernel BTF, skipped\n");
		return;
	}
	if (!CHECK_EQ(nr_machine__open(&o, &m, errbuf), 0, "open")) {
		fprintf(stderr, "%s\n", errbuf);
		return;
	}
	CHECK(nr_machine__host(m)->release != NULL, "host facts");
	CHECK(nr_machine__clock_start(m)->real_ns > 0, "start clock");
	CHECK(nr_machine__enums(m, &e) >= 3, "enum tables");
	CHECK(nr_machine__netns_db(m) != NULL, "namespace database");

	/* symbols load on first use */
	CHECK_EQ(nr_machine__resolve(m, 0xffffffff81002010, &s), 0, "resolve");
	CHECK_STR(s.name, "tcp_v4_rcv", "resolved name");
	CHECK_EQ(nr_machine__resolve(m, 0x10, &s), -ENOENT, "resolve miss");

	CHECK_EQ(nr_machine__write_start(m, w, 4, argv, "udp port 53"), 0, "write start");
	CHECK_EQ(fake.host, 1, "host written");
	CHECK_EQ(fake.clock_start, 1, "start clock written");
	CHECK_EQ(fake.cmdline, 1, "command line written");
	CHECK_EQ(fake.argc, 4, "argc");
	CHECK_STR(fake.filter, "udp port 53", "filter");
	CHECK_EQ(fake.enums, nr_machine__enums(m, &e), "every enum table written");
	CHECK_EQ(fake.ifaces_calls, 1, "one namespace (one_netns)");
	CHECK_EQ(fake.netns[0], self, "our namespace");
	CHECK(fake.nifs[0] >= 1 && fake.lo_first[0], "with its interfaces, lo first");

	CHECK_EQ(nr_machine__netns_seen(m, w, (__u32)self), 0, "known namespace: nothing");
	CHECK_EQ(nr_machine__netns_seen(m, w, 0), 0, "inode 0: nothing");
	CHECK_EQ(nr_machine__netns_seen(m, w, 1), 1, "unknown namespace written");
	CHECK_EQ(fake.ifaces_calls, 2, "one more namespace");
	CHECK_EQ(fake.netns[1], 1, "as its inode");
	CHECK_EQ(fake.nifs[1], 0, "with no interfaces (unknown)");
	CHECK_EQ(nr_machine__netns_seen(m, w, 1), 0, "written once only");
	/* many inodes: the set grows */
	{
		__u32 i, wrote = 0;

		for (i = 100; i < 300; i++)
			wrote += nr_machine__netns_seen(m, w, i) == 1;
		for (i = 100; i < 300; i++)
			wrote += nr_machine__netns_seen(m, w, i) == 1;
		CHECK_EQ(wrote, 200, "200 new inodes written once each");
	}
	fake.fail = -ENOSPC;
	CHECK_EQ(nr_machine__netns_seen(m, w, 5000), -ENOSPC, "writer error passed on");

	CHECK_EQ(nr_machine__write_end(m, w), 0, "write end");
	CHECK_EQ(fake.clock_end, 1, "end clock written");
	nr_machine__free(m);
	nr_machine__free(NULL);

	/* the whole gathering, as the recorder does it, timed */
	{
		struct nr_machine_opts full = { .sz = sizeof(full) };
		struct timespec t0, t1;
		const struct nr_netns *all;

		clock_gettime(CLOCK_MONOTONIC, &t0);
		if (CHECK_EQ(nr_machine__open(&full, &m, errbuf), 0, "open, all namespaces")) {
			clock_gettime(CLOCK_MONOTONIC, &t1);
			printf("machine: open (host, clock, %u enum tables, %u namespaces) "
			       "in %.1f ms\n", nr_machine__enums(m, &e),
			       nr_netns_db__list(nr_machine__netns_db(m), &all),
			       (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6);
			nr_machine__free(m);
		}
	}

	o.btf_dir = "/nonexistent";
	CHECK_EQ(nr_machine__open(&o, &m, errbuf), -ENOENT, "no BTF");
	CHECK_STR(errbuf, NR_BTF_MISSING_MSG, "the message for the user");
}

static __u32 inode_of(const char *name)
{
	char path[256];
	struct stat st;

	snprintf(path, sizeof(path), "/run/netns/%s", name);
	return stat(path, &st) ? 0 : (__u32)st.st_ino;
}

static int sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int sh(const char *fmt, ...)
{
	char cmd[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	return system(cmd);
}

/* The index of the first fake call for namespace @inode, or -1. */
static int call_for(__u32 inode)
{
	int i;

	for (i = 0; i < fake.ifaces_calls && i < 64; i++)
		if (fake.netns[i] == inode)
			return i;
	return -1;
}

static void test_live(const char *ns_a, const char *ns_b, const char *prefix)
{
	struct nr_machine_opts o = { .sz = sizeof(o) };
	struct nr_writer *w = (struct nr_writer *)&fake;
	__u32 ino_a = inode_of(ns_a), ino_b = inode_of(ns_b), ino_c, ino_d;
	char errbuf[NR_MACHINE_ERRBUF], c[64], d[64];
	char *argv[] = { "netrec" };
	struct nr_machine *m;
	int k, calls;

	check_start("machine, live namespaces");
	memset(&fake, 0, sizeof(fake));
	if (!CHECK_EQ(nr_machine__open(&o, &m, errbuf), 0, "open"))
		return;
	CHECK_EQ(nr_machine__write_start(m, w, 1, argv, NULL), 0, "write start");
	k = call_for(ino_a);
	if (CHECK(k >= 0, "namespace a written at start")) {
		CHECK_STR(fake.name[k], ns_a, "with its name");
		CHECK_EQ(fake.nifs[k], 5, "and its 5 interfaces");
		CHECK(fake.ifindex[k][0] == 1 && fake.ifindex[k][1] == 10 &&
		      fake.ifindex[k][2] == 12 && fake.ifindex[k][3] == 13 &&
		      fake.ifindex[k][4] == 14, "ifindexes 1 10 12 13 14");
	}
	k = call_for(ino_b);
	CHECK(k >= 0 && fake.nifs[k] == 2 && !strcmp(fake.name[k], ns_b), "namespace b written");
	CHECK_EQ(nr_machine__iface_seen(m, w, ino_a, 10), 0, "known interface: nothing");

	/* a device made while recording */
	calls = fake.ifaces_calls;
	if (!CHECK_EQ(sh("ip -n %s link add %s5 index 15 type veth peer name %s6 index 16", ns_a,
			 ns_a, ns_a), 0, "add veth"))
		goto out;
	CHECK_EQ(nr_machine__iface_seen(m, w, ino_a, 15), 1, "new interface written");
	CHECK_EQ(fake.ifaces_calls, calls + 1, "one more call");
	CHECK(fake.netns[calls] == ino_a && fake.nifs[calls] == 2 && fake.ifindex[calls][0] == 15 &&
	      fake.ifindex[calls][1] == 16, "only the two new devices");
	CHECK_EQ(nr_machine__iface_seen(m, w, ino_a, 16), 0, "its peer came with it");
	/* a device already gone: one listing, then none for 100 ms */
	CHECK_EQ(nr_machine__iface_seen(m, w, ino_a, 99), 0, "unknown ifindex, relisted");
	CHECK_EQ(nr_machine__iface_seen(m, w, ino_a, 99), 0, "unknown ifindex, rate-limited");
	CHECK_EQ(fake.ifaces_calls, calls + 1, "nothing written for it");

	/* a namespace made while recording, first seen in an event */
	snprintf(c, sizeof(c), "%sc", prefix);
	if (!CHECK_EQ(sh("ip netns add %s && ip -n %s link set lo up", c, c), 0, "add netns"))
		goto out;
	ino_c = inode_of(c);
	CHECK_EQ(nr_machine__iface_seen(m, w, ino_c, 1), 1, "new namespace written");
	k = call_for(ino_c);
	CHECK(k >= 0 && !strcmp(fake.name[k], c) && fake.nifs[k] == 1 && fake.lo_first[k],
	      "with its name and lo");

	/* a namespace gone before the recorder looked: unknown, not an error */
	snprintf(d, sizeof(d), "%sd", prefix);
	if (!CHECK_EQ(sh("ip netns add %s", d), 0, "add netns"))
		goto out;
	ino_d = inode_of(d);
	CHECK_EQ(sh("ip netns del %s", d), 0, "delete netns");
	CHECK_EQ(nr_machine__netns_seen(m, w, ino_d), 1, "vanished namespace written");
	k = call_for(ino_d);
	CHECK(k >= 0 && fake.nifs[k] == 0 && fake.name[k][0] == 0, "as unknown");
out:
	nr_machine__free(m);
}

int main(void)
{
	char cmd[128];

	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return 1;
	}
	test_machine();
	if (getenv("META_NS_A") && getenv("META_NS_B") && getenv("META_NS_PREFIX"))
		test_live(getenv("META_NS_A"), getenv("META_NS_B"), getenv("META_NS_PREFIX"));
	snprintf(cmd, sizeof(cmd), "rm -rf %s", tmpdir);
	if (system(cmd))
		fprintf(stderr, "cannot remove %s\n", tmpdir);
	return check_exit();
}
