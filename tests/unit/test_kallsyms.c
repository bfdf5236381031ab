// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_kallsyms.c - the kernel symbol table: parsing fixtures (unsorted, modules,
 * aliases, suffixes, hidden addresses, malformed lines), lookups, sizes, and the real
 * /proc/kallsyms with its load time and lookup rate
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check.h"
#include "kallsyms.h"

/*
 * Deliberately out of order (dropwatch #72: a resolver that assumed sorted input gave
 * module addresses to vmlinux symbols with huge offsets), with aliases, a padding
 * symbol, compiler suffixes, module code and data, a BPF program and a last line
 * without a newline.
 */
static const char fixture[] =
	"ffffffff81002000 T tcp_v4_rcv\n"
	"ffffffffc0a00000 t nft_do_chain\t[nf_tables]\n"
	"ffffffff81001ff0 t __pfx_tcp_v4_rcv\n"
	"ffffffff81000000 T _text\n"
	"ffffffff81000000 T _stext\n"
	"ffffffff81000000 T startup_64\n"
	"ffffffff81003000 t ip_rcv_core.isra.0\n"
	"ffffffffc0a00800 T nft_chain_validate\t[nf_tables]\n"
	"ffffffff81003400 t udp_queue_rcv_one_skb.constprop.0\n"
	"ffffffff81003800 T _etext\n"
	"ffffffffc0b00000 t bpf_prog_6deef7357e7b4530_sd_fw_egress\t[bpf]\n"
	"\n"
	"ffffffff82000000 D init_net\n"
	"ffffffff82000040 d some_data\n"
	"ffffffffc0a01000 d nft_data_obj\t[nf_tables]\n"
	"ffffffffc0c00000 t br_handle_frame\t[bridge]";

static const char modules[] =
	"nf_tables 8192 0 - Live 0xffffffffc0a00000\n"
	"bridge 4096 0 - Live 0xffffffffc0c00000 (E)\n"
	"unloading 4096 0 - Unloading 0x0000000000000000\n";

/* Expect @addr to resolve to @name+@off in @module (NULL: vmlinux), or to nothing. */
static void expect(const struct nr_ksyms *ks, __u64 addr, const char *name, __u64 off,
		   const char *module)
{
	const struct nr_ksym *k;
	char what[128];
	__u64 got_off = ~0ull;

	snprintf(what, sizeof(what), "0x%llx", (unsigned long long)addr);
	k = nr_ksyms__find(ks, addr, &got_off);
	if (!name) {
		if (!CHECK(k == NULL, what))
			fprintf(stderr, "  resolved to %s+0x%llx\n", k->name,
				(unsigned long long)got_off);
		return;
	}
	if (!CHECK(k != NULL, what))
		return;
	CHECK_STR(k->name, name, what);
	CHECK_EQ(got_off, off, what);
	CHECK_STR(k->module, module, what);
}

static void test_fixture(void)
{
	struct nr_ksyms *ks = NULL;
	const struct nr_ksym *k;
	struct nr_sym s;
	__u32 i;

	check_start("fixture");
	if (!CHECK_EQ(nr_ksyms__parse(fixture, strlen(fixture), modules, &ks), 0, "parse"))
		return;
	CHECK_EQ(nr_ksyms__count(ks), 15, "symbols, aliases included");
	CHECK(!nr_ksyms__restricted(ks), "not restricted");
	for (i = 1; i < nr_ksyms__count(ks); i++)
		if (nr_ksyms__sym(ks, i)->addr < nr_ksyms__sym(ks, i - 1)->addr)
			break;
	CHECK_EQ(i, 15, "table sorted by address");
	CHECK(nr_ksyms__sym(ks, 15) == NULL, "sym() past the end");

	/* aliases: code, global, fewest leading underscores wins */
	expect(ks, 0xffffffff81000000, "startup_64", 0, NULL);
	expect(ks, 0xffffffff81000abc, "startup_64", 0xabc, NULL);
	expect(ks, 0xffffffff81001ff8, "__pfx_tcp_v4_rcv", 8, NULL);
	expect(ks, 0xffffffff81002000, "tcp_v4_rcv", 0, NULL);
	expect(ks, 0xffffffff81002fff, "tcp_v4_rcv", 0xfff, NULL);
	expect(ks, 0xffffffff81003010, "ip_rcv_core.isra.0", 0x10, NULL);
	expect(ks, 0xffffffff81003404, "udp_queue_rcv_one_skb.constprop.0", 4, NULL);
	/* the end marker has no known size: only small offsets resolve */
	expect(ks, 0xffffffff81003810, "_etext", 0x10, NULL);
	expect(ks, 0xffffffff81003800 + NR_KSYM_UNSIZED_SPAN, NULL, 0, NULL);
	/* module code: sized by the next symbol, the last one by /proc/modules */
	expect(ks, 0xffffffffc0a00010, "nft_do_chain", 0x10, "nf_tables");
	expect(ks, 0xffffffffc0a00900, "nft_chain_validate", 0x100, "nf_tables");
	expect(ks, 0xffffffffc0c00fff, "br_handle_frame", 0xfff, "bridge");
	expect(ks, 0xffffffffc0c01000, NULL, 0, NULL);
	/* a BPF program: no module extent, unsized */
	expect(ks, 0xffffffffc0b00020, "bpf_prog_6deef7357e7b4530_sd_fw_egress", 0x20, "bpf");
	expect(ks, 0xffffffffc0b05000, NULL, 0, NULL);
	/* data */
	expect(ks, 0xffffffff8200003f, "init_net", 0x3f, NULL);
	expect(ks, 0xffffffff82000040, "some_data", 0, NULL);
	/* below everything */
	expect(ks, 0xffffffff80000000, NULL, 0, NULL);
	expect(ks, 0, NULL, 0, NULL);

	k = nr_ksyms__find(ks, 0xffffffff81002000, NULL);
	CHECK_EQ(k ? k->size : 0, 0x1000, "tcp_v4_rcv size (next code symbol)");
	CHECK_EQ(k ? k->type : 0, 'T', "tcp_v4_rcv type");
	k = nr_ksyms__find(ks, 0xffffffff81000000, NULL);
	CHECK_EQ(k ? k->size : 0, 0x1ff0, "startup_64 size");
	k = nr_ksyms__find(ks, 0xffffffffc0a00800, NULL);
	CHECK_EQ(k ? k->size : 0, 0x1800, "last module function ends at the module's end");
	k = nr_ksyms__find(ks, 0xffffffff82000000, NULL);
	CHECK_EQ(k ? k->size : 0, 0x40, "init_net size (next data symbol)");

	k = nr_ksyms__find_name(ks, "nft_do_chain", "nf_tables");
	CHECK(k && k->addr == 0xffffffffc0a00000, "find_name in module");
	CHECK(nr_ksyms__find_name(ks, "nft_do_chain", "") == NULL, "find_name vmlinux only");
	k = nr_ksyms__find_name(ks, "_text", NULL);
	CHECK(k && k->addr == 0xffffffff81000000, "find_name of an alias");
	CHECK(nr_ksyms__find_name(ks, "no_such_symbol", NULL) == NULL, "find_name miss");

	CHECK_EQ(nr_ksyms__resolve(ks, 0xffffffffc0a00004, &s), 0, "resolve");
	CHECK_EQ(s.addr, 0xffffffffc0a00000, "resolve addr");
	CHECK_EQ(s.size, 0x800, "resolve size");
	CHECK_STR(s.name, "nft_do_chain", "resolve name");
	CHECK_STR(s.module, "nf_tables", "resolve module");
	CHECK_EQ(nr_ksyms__resolve(ks, 0x1000, &s), -ENOENT, "resolve miss");
	nr_ksyms__free(ks);

	/* without /proc/modules the last module function has no size */
	if (CHECK_EQ(nr_ksyms__parse(fixture, strlen(fixture), NULL, &ks), 0,
		     "parse, no modules")) {
		k = nr_ksyms__find(ks, 0xffffffffc0a00800, NULL);
		CHECK_EQ(k ? k->size : 1, 0, "unknown size without module extents");
		expect(ks, 0xffffffffc0a00fff, "nft_chain_validate", 0x7ff, "nf_tables");
		nr_ksyms__free(ks);
	}
}

static void test_restricted(void)
{
	static const char zeros[] = "0000000000000000 T _text\n"
				    "0000000000000000 T tcp_v4_rcv\n"
				    "0000000000000000 t nft_do_chain\t[nf_tables]\n";
	struct nr_ksyms *ks;
	struct nr_sym s;

	check_start("kptr_restrict");
	if (!CHECK_EQ(nr_ksyms__parse(zeros, strlen(zeros), NULL, &ks), 0, "parse"))
		return;
	CHECK(nr_ksyms__restricted(ks), "restricted");
	CHECK_EQ(nr_ksyms__count(ks), 0, "no usable symbols");
	CHECK(nr_ksyms__find(ks, 0, NULL) == NULL, "find(0)");
	CHECK(nr_ksyms__find(ks, 0xffffffff81000000, NULL) == NULL, "find(kernel address)");
	CHECK_EQ(nr_ksyms__resolve(ks, 0xffffffff81000000, &s), -ENOENT, "resolve");
	nr_ksyms__free(ks);

	/* an empty file is not "restricted", just empty */
	if (CHECK_EQ(nr_ksyms__parse("", 0, NULL, &ks), 0, "parse empty")) {
		CHECK(!nr_ksyms__restricted(ks), "empty is not restricted");
		CHECK(nr_ksyms__find(ks, 1, NULL) == NULL, "find in empty table");
		nr_ksyms__free(ks);
	}
}

static void test_malformed(void)
{
	static const char *bad[] = {
		"zzzz T foo\n",
		"ffffffff81000000T foo\n",
		"ffffffff81000000 T\n",
		"ffffffff81000000 T \n",
		"ffffffff810000001 T foo\n",	/* 17 digits */
		"ffffffff81000000 t foo\t[]\n",
		"ffffffff81000000 t foo\t[mod\n",
		"ffffffff81000000 T ok\nffffffff81000000\n",
	};
	struct nr_ksyms *ks = NULL;
	size_t i;

	check_start("malformed");
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char what[64];

		snprintf(what, sizeof(what), "bad line %zu", i);
		CHECK_EQ(nr_ksyms__parse(bad[i], strlen(bad[i]), NULL, &ks), -EBADMSG, what);
	}
}

static double now_s(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void test_proc_kallsyms(void)
{
	const int loads = 5, lookups = 2000000;
	struct nr_ksyms *ks = NULL;
	__u32 n, i, bad = 0, hits = 0;
	double t0, t_load, t_look;
	unsigned long long seed = 88172645463325252ull;
	int err = 0, l;

	check_start("/proc/kallsyms");
	t0 = now_s();
	for (l = 0; l < loads && !err; l++) {
		nr_ksyms__free(ks);
		ks = NULL;
		err = nr_ksyms__load(NULL, &ks);
	}
	t_load = (now_s() - t0) / loads;
	if (err == -ENOENT || err == -EACCES) {
		printf("/proc/kallsyms: unreadable (%s), skipped\n", strerror(-err));
		return;
	}
	if (!CHECK_EQ(err, 0, "load"))
		return;
	if (nr_ksyms__restricted(ks)) {
		printf("/proc/kallsyms: addresses hidden (kptr_restrict or no CAP_SYSLOG); "
		       "load %.1f ms, lookups not measured\n", t_load * 1e3);
		CHECK(nr_ksyms__find(ks, 0xffffffff81000000, NULL) == NULL, "restricted: no names");
		nr_ksyms__free(ks);
		return;
	}
	n = nr_ksyms__count(ks);
	CHECK(n > 1000, "a real kernel has thousands of symbols");
	/* every symbol's own address resolves to a symbol at that address */
	for (i = 0; i < n; i++) {
		const struct nr_ksym *k = nr_ksyms__sym(ks, i), *f;
		__u64 off;

		f = nr_ksyms__find(ks, k->addr, &off);
		if (!f || f->addr != k->addr || off)
			bad++;
	}
	CHECK_EQ(bad, 0, "symbols that do not resolve to their own address");

	t0 = now_s();
	for (l = 0; l < lookups; l++) {
		const struct nr_ksym *k;

		seed ^= seed << 13, seed ^= seed >> 7, seed ^= seed << 17;
		k = nr_ksyms__sym(ks, (__u32)(seed % n));
		if (nr_ksyms__find(ks, k->addr + (seed >> 40) % 64, NULL))
			hits++;
	}
	t_look = now_s() - t0;
	CHECK(hits > (__u32)lookups / 2, "most addresses near symbols resolve");
	printf("/proc/kallsyms: %u symbols, load %.1f ms (mean of %d), %.1f M lookups/s\n", n,
	       t_load * 1e3, loads, lookups / t_look / 1e6);
	nr_ksyms__free(ks);
}

int main(void)
{
	test_fixture();
	test_restricted();
	test_malformed();
	test_proc_kallsyms();
	return check_exit();
}
