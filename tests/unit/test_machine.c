// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_machine.c - what the recorder writes about the machine, through a fake writer
 * that records the calls (the trace writer itself is tested in format/)
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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
	__u32 netns[16];
	__u32 nifs[16];
	bool lo_first[16];
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
	if (fake.ifaces_calls < 16) {
		fake.netns[fake.ifaces_calls] = ns->inode;
		fake.nifs[fake.ifaces_calls] = n;
		fake.lo_first[fake.ifaces_calls] = n && ifs[0].ifindex == 1 &&
						   !strcmp(ifs[0].name, "lo");
	}
	fake.ifaces_calls++;
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
			printf("machine: open (host, clock, %u enum tables, %u namespaces) in %.1f ms\n",
			       nr_machine__enums(m, &e), nr_netns_db__list(nr_machine__netns_db(m), &all),
			       (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6);
			nr_machine__free(m);
		}
	}

	o.btf_dir = "/nonexistent";
	CHECK_EQ(nr_machine__open(&o, &m, errbuf), -ENOENT, "no BTF");
	CHECK_STR(errbuf, NR_BTF_MISSING_MSG, "the message for the user");
}

int main(void)
{
	char cmd[128];

	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return 1;
	}
	test_machine();
	snprintf(cmd, sizeof(cmd), "rm -rf %s", tmpdir);
	if (system(cmd))
		fprintf(stderr, "cannot remove %s\n", tmpdir);
	return check_exit();
}
