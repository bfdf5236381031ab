// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_filter.c - the --filter translator against libpcap, without root
 *
 * Every verdict of the eBPF translation, run in the test's own interpreter
 * (ebpf_vm.c), must equal libpcap's pcap_offline_filter() on the same bytes, to the
 * exact return value: for the table of expressions (optimized and unoptimized classic
 * BPF, word and byte loads) on the table of packets, for hand-written programs that hit
 * every corner of classic BPF, and for random programs. The splice into a program and
 * nr_filter__prepare_object() on the real test object are checked too.
 *
 * Usage: test_filter FILTER_TEST_BPF_OBJECT
 */
#include <errno.h>
#include <sys/socket.h>
#include <stdlib.h>
#include <string.h>
#include <linux/filter.h>
#include <bpf/libbpf.h>

#include "check.h"
#include "filter_cases.h"
#include "ebpf_vm.h"
#include "filter.h"
#include "filter_int.h"
#include "filter_xlate.h"

#define NRANDOM_PKTS	300
#define MAX_STEPS	200000

static struct fcase_pkt *pkts;
static size_t npkts;
static struct nr_filter_buf *vmbuf;

/* per-run bookkeeping for the summary line */
static unsigned long long nr_compared;

static __u32 capped(const struct fcase_pkt *p)
{
	return p->caplen < NR_FILTER_BUF ? p->caplen : NR_FILTER_BUF;
}

static void load_pkt(const struct fcase_pkt *p)
{
	/* bytes past caplen hold garbage: the interpreter fails any read of them */
	memset(vmbuf, 0xa5, sizeof(*vmbuf));
	memcpy(vmbuf->pkt, p->data, capped(p));
}

/* Run @prog on @p; on a run failure report it and return false. */
static bool run(const struct bpf_insn *prog, size_t cnt, const struct fcase_pkt *p,
		__u64 *r0, const char *what)
{
	struct vm vm = { .buf = vmbuf, .readable = capped(p), .max_steps = MAX_STEPS };

	load_pkt(p);
	if (!vm_run(&vm, prog, cnt, p->caplen, p->wirelen, r0)) {
		CHECK(0, what);
		fprintf(stderr, "  packet '%s': %s\n", p->name, vm.err);
		return false;
	}
	return true;
}

static void dump_cbpf(const struct nr_cbpf_insn *prog, unsigned int len)
{
	unsigned int i;

	for (i = 0; i < len; i++)
		fprintf(stderr, "  (%03u) code 0x%02x jt %u jf %u k 0x%x\n", i, prog[i].code,
			prog[i].jt, prog[i].jf, prog[i].k);
}

/* Translate @prog with @flags and compare with libpcap on @n packets of @tab. */
static bool compare_prog(const struct nr_cbpf_insn *prog, unsigned int len, unsigned int flags,
			 const struct fcase_pkt *tab, size_t n, const char *what,
			 unsigned int *kept)
{
	struct bpf_insn *ebpf = NULL;
	char err[256];
	size_t cnt, i;
	bool ok = true;

	if (!CHECK_EQ(nr_xlate_cbpf(prog, len, flags, &ebpf, &cnt, err, sizeof(err)), 0, what)) {
		fprintf(stderr, "  %s\n", err);
		return false;
	}
	if (!CHECK(vm_check_body(ebpf, cnt, BPF_REG_5, err, sizeof(err)), what)) {
		fprintf(stderr, "  %s\n", err);
		free(ebpf);
		return false;
	}
	for (i = 0; i < n && ok; i++) {
		__u32 want = nr_pcap_run(prog, len, tab[i].data, capped(&tab[i]), tab[i].wirelen);
		__u64 got;

		if (!run(ebpf, cnt, &tab[i], &got, what)) {
			ok = false;
			break;
		}
		nr_compared++;
		if (got != want) {
			CHECK_EQ(got, want, what);
			fprintf(stderr, "  packet '%s' (caplen %u, wirelen %u), flags %u\n",
				tab[i].name, tab[i].caplen, tab[i].wirelen, flags);
			dump_cbpf(prog, len);
			ok = false;
		}
		if (kept && want)
			(*kept)++;
	}
	free(ebpf);
	return ok;
}

/* A program with two hook sites and an ld_imm64, run after the splice: the verdict
 * comes back twice and r6-r9 survive. */
static void check_splice(const struct bpf_insn *body, size_t body_cnt, const struct fcase_pkt *p,
			 __u32 want, const char *what)
{
	static const __u64 magic = 0x1122334455667788ull;
	const struct bpf_insn prog[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_X, .dst_reg = 6, .src_reg = 1 },
		{ .code = BPF_ALU64 | BPF_MOV | BPF_X, .dst_reg = 7, .src_reg = 2 },
		{ .code = BPF_ALU64 | BPF_MOV | BPF_X, .dst_reg = 8, .src_reg = 3 },
		{ .code = BPF_LD | BPF_IMM | BPF_DW, .dst_reg = 9, .imm = (__s32)(__u32)magic },
		{ .imm = (__s32)(__u32)(magic >> 32) },
		{ .code = BPF_JMP | BPF_CALL, .imm = NR_FILTER_HOOK_ID },
		{ .code = BPF_ALU64 | BPF_MOV | BPF_X, .dst_reg = 1, .src_reg = 6 },
		{ .code = BPF_ALU64 | BPF_MOV | BPF_X, .dst_reg = 2, .src_reg = 7 },
		{ .code = BPF_ALU64 | BPF_MOV | BPF_X, .dst_reg = 3, .src_reg = 8 },
		{ .code = BPF_ALU64 | BPF_MOV | BPF_X, .dst_reg = 6, .src_reg = 0 },
		{ .code = BPF_JMP | BPF_CALL, .imm = NR_FILTER_HOOK_ID },
		{ .code = BPF_ALU64 | BPF_ADD | BPF_X, .dst_reg = 0, .src_reg = 6 },
		{ .code = BPF_ALU64 | BPF_ADD | BPF_X, .dst_reg = 0, .src_reg = 9 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	const size_t n = sizeof(prog) / sizeof(prog[0]);
	struct bpf_insn *out = NULL;
	unsigned int sites = 0;
	char err[200];
	size_t cnt, i;
	__u64 r0;

	if (!CHECK_EQ(nr_xlate_splice(prog, n, body, body_cnt, &out, &cnt, &sites), 0, what))
		return;
	CHECK_EQ(sites, 2, what);
	CHECK_EQ(cnt, n + 2 * body_cnt, what);
	/* nothing before the end moved except the two markers */
	for (i = 0; i < n; i++)
		if (i != 5 && i != 10 && memcmp(&out[i], &prog[i], sizeof(prog[i])))
			CHECK(0, "splice changed an instruction that is not a marker");
	if (!CHECK(vm_check_body(out, cnt, BPF_REG_9, err, sizeof(err)), what))
		fprintf(stderr, "  %s\n", err);
	if (run(out, cnt, p, &r0, what))
		CHECK_EQ(r0, 2 * (__u64)want + magic, what);
	free(out);
}

static void test_expressions(void)
{
	unsigned int e, n_in_kernel = 0;

	check_start("expressions");
	for (e = 0; fcase_exprs[e].expr; e++) {
		const struct fcase_expr *fe = &fcase_exprs[e];
		struct nr_cbpf_insn *opt = NULL, *raw = NULL;
		unsigned int opt_len, raw_len, kept = 0, flags;
		struct nr_filter *f = NULL;
		char err[512], what[160];
		const struct bpf_insn *body;
		size_t body_cnt, i;
		bool ok = true;

		snprintf(what, sizeof(what), "'%s'", fe->expr);
		if (!CHECK_EQ(nr_pcap_compile(fe->expr, true, &opt, &opt_len, err, sizeof(err)), 0,
			      what) ||
		    !CHECK_EQ(nr_pcap_compile(fe->expr, false, &raw, &raw_len, err, sizeof(err)),
			      0, what)) {
			fprintf(stderr, "  %s\n", err);
			free(opt);
			continue;
		}
		for (flags = 0; flags <= NR_XLATE_BYTE_LOADS && ok; flags += NR_XLATE_BYTE_LOADS) {
			ok &= compare_prog(opt, opt_len, flags, pkts, npkts, what,
					   flags ? NULL : &kept);
			ok &= compare_prog(raw, raw_len, flags, pkts, npkts, what, NULL);
		}
		switch (fe->expect) {
		case FCASE_SOME:
			if (!CHECK(kept > 0 && kept < npkts, what))
				fprintf(stderr, "  keeps %u of %zu packets\n", kept, npkts);
			break;
		case FCASE_NONE:
			CHECK_EQ(kept, 0, what);
			break;
		case FCASE_ALL:
			CHECK_EQ(kept, npkts, what);
			break;
		case FCASE_ANY:
			break;
		}

		/* the public API: in the kernel, and the fallback agrees */
		if (CHECK_EQ(nr_filter__compile(fe->expr, &f, err, sizeof(err)), 0, what)) {
			n_in_kernel += nr_filter__in_kernel(f);
			CHECK(nr_filter__in_kernel(f), what);
			for (i = 0; i < npkts; i++) {
				__u32 want = nr_pcap_run(opt, opt_len, pkts[i].data,
							 capped(&pkts[i]), pkts[i].wirelen);

				if (nr_filter__match(f, pkts[i].data, pkts[i].caplen,
						     pkts[i].wirelen) != !!want) {
					CHECK(0, what);
					fprintf(stderr, "  nr_filter__match differs on '%s'\n",
						pkts[i].name);
					break;
				}
			}
			/* spliced into a program, on a few packets */
			body = nr_filter__ebpf(f, &body_cnt);
			for (i = 0; body && i < npkts; i += 37)
				check_splice(body, body_cnt, &pkts[i],
					     nr_pcap_run(opt, opt_len, pkts[i].data,
							 capped(&pkts[i]), pkts[i].wirelen),
					     what);
			nr_filter__free(f);
		}
		free(opt);
		free(raw);
	}
	CHECK_EQ(n_in_kernel, e, "every expression of the table runs in the kernel");
}

static void test_refused(void)
{
	unsigned int i;

	check_start("refused");
	for (i = 0; fcase_refused[i]; i++) {
		struct nr_filter *f = NULL;
		char err[512] = "";

		CHECK_EQ(nr_filter__compile(fcase_refused[i], &f, err, sizeof(err)), -EINVAL,
			 fcase_refused[i]);
		CHECK(f == NULL, fcase_refused[i]);
		CHECK(err[0] != '\0' && strstr(err, fcase_refused[i]), "the message quotes it");
	}
	{
		char err[512] = "";
		struct nr_filter *f = NULL;

		nr_filter__compile("ether host 1:2:3:4:5:6", &f, err, sizeof(err));
		CHECK(strstr(err, "link-layer") != NULL, "ether host: link-layer message");
		nr_filter__compile("vlan", &f, err, sizeof(err));
		CHECK(strstr(err, "link-layer") != NULL, "vlan: link-layer message");
		nr_filter__compile("inbound", &f, err, sizeof(err));
		CHECK(strstr(err, "socket metadata") != NULL, "inbound: metadata message");
		nr_filter__compile("foo bar", &f, err, sizeof(err));
		CHECK(strstr(err, "invalid filter") != NULL, "syntax error message");
	}
}

/* Hand-written classic programs with exact expected results (and libpcap agrees). */
struct handmade {
	const char *name;
	struct nr_cbpf_insn prog[24];
	unsigned int len;
	__u32 caplen, wirelen;
	__u32 want;
	bool vs_pcap;		/* false: libpcap's result is undefined (uninitialized M[]) */
};

#define I(c, t, f, kk) { .code = (c), .jt = (t), .jf = (f), .k = (kk) }
#define RETA I(BPF_RET | BPF_A, 0, 0, 0)
#define RETK(v) I(BPF_RET | BPF_K, 0, 0, v)
#define LDI(v) I(BPF_LD | BPF_IMM, 0, 0, v)
#define LDXI(v) I(BPF_LDX | BPF_IMM, 0, 0, v)
#define ALUK(op, v) I(BPF_ALU | (op) | BPF_K, 0, 0, v)
#define ALUX(op) I(BPF_ALU | (op) | BPF_X, 0, 0, 0)

static const struct handmade handmade[] = {
	{ "div x by 0", { LDI(100), LDXI(0), ALUX(BPF_DIV), RETK(7) }, 4, 64, 64, 0, true },
	{ "mod x by 0", { LDI(100), LDXI(0), ALUX(BPF_MOD), RETK(7) }, 4, 64, 64, 0, true },
	{ "div x", { LDI(100), LDXI(7), ALUX(BPF_DIV), RETA }, 4, 64, 64, 14, true },
	{ "mod x", { LDI(100), LDXI(7), ALUX(BPF_MOD), RETA }, 4, 64, 64, 2, true },
	{ "div k unsigned", { LDI(0xfffffff0), ALUK(BPF_DIV, 0x10), RETA }, 3, 0, 0, 0x0fffffff,
	  true },
	{ "mod k big", { LDI(0xfffffff0), ALUK(BPF_MOD, 0xfffffff1), RETA }, 3, 0, 0,
	  0xfffffff0, true },
	{ "lsh x 32", { LDI(1), LDXI(32), ALUX(BPF_LSH), RETA }, 4, 0, 0, 0, true },
	{ "rsh x 33", { LDI(0xffffffff), LDXI(33), ALUX(BPF_RSH), RETA }, 4, 0, 0, 0, true },
	{ "lsh x 31", { LDI(1), LDXI(31), ALUX(BPF_LSH), RETA }, 4, 0, 0, 0x80000000, true },
	{ "rsh x big", { LDI(0xffffffff), LDXI(0xffffffff), ALUX(BPF_RSH), RETA }, 4, 0, 0, 0,
	  true },
	{ "lsh k 31", { LDI(3), ALUK(BPF_LSH, 31), RETA }, 3, 0, 0, 0x80000000, true },
	{ "neg", { LDI(5), I(BPF_ALU | BPF_NEG, 0, 0, 0), RETA }, 3, 0, 0, 0xfffffffb, true },
	{ "neg 0x80000000", { LDI(0x80000000), I(BPF_ALU | BPF_NEG, 0, 0, 0), RETA }, 3, 0, 0,
	  0x80000000, true },
	{ "add wraps", { LDI(0xffffffff), ALUK(BPF_ADD, 2), RETA }, 3, 0, 0, 1, true },
	{ "sub wraps", { LDI(1), ALUK(BPF_SUB, 2), RETA }, 3, 0, 0, 0xffffffff, true },
	{ "mul wraps", { LDI(0x10000), ALUK(BPF_MUL, 0x10001), RETA }, 3, 0, 0, 0x10000, true },
	{ "and or xor", { LDI(0xf0f0f0f0), ALUK(BPF_AND, 0xff00ff00), ALUK(BPF_OR, 0x0000000f),
			  ALUK(BPF_XOR, 0x80000001), RETA }, 5, 0, 0, 0x7000f00e, true },
	{ "alu x", { LDI(6), LDXI(7), ALUX(BPF_MUL), ALUX(BPF_ADD), LDXI(0xffff), ALUX(BPF_AND),
		     LDXI(0x100), ALUX(BPF_OR), LDXI(3), ALUX(BPF_XOR), LDXI(1), ALUX(BPF_SUB),
		     RETA }, 13, 0, 0, 0x131, true },
	{ "jgt k 2^31", { LDI(0xffffffff), I(BPF_JMP | BPF_JGT | BPF_K, 0, 1, 0x80000000),
			  RETK(1), RETK(2) }, 4, 0, 0, 1, true },
	{ "jgt k 2^31 false", { LDI(0x7fffffff), I(BPF_JMP | BPF_JGT | BPF_K, 0, 1, 0x80000000),
				RETK(1), RETK(2) }, 4, 0, 0, 2, true },
	{ "jeq k -1", { LDI(0xffffffff), I(BPF_JMP | BPF_JEQ | BPF_K, 1, 0, 0xffffffff), RETK(1),
			RETK(2) }, 4, 0, 0, 2, true },
	{ "jge k", { LDI(0x80000000), I(BPF_JMP | BPF_JGE | BPF_K, 1, 0, 0x80000000), RETK(1),
		     RETK(2) }, 4, 0, 0, 2, true },
	{ "jset k high bit", { LDI(0x80000000), I(BPF_JMP | BPF_JSET | BPF_K, 1, 0, 0x80000000),
			       RETK(1), RETK(2) }, 4, 0, 0, 2, true },
	{ "jset k miss", { LDI(0x7fffffff), I(BPF_JMP | BPF_JSET | BPF_K, 1, 0, 0x80000000),
			   RETK(1), RETK(2) }, 4, 0, 0, 1, true },
	{ "jxx x", { LDI(9), LDXI(9), I(BPF_JMP | BPF_JEQ | BPF_X, 0, 5, 0),
		     I(BPF_JMP | BPF_JGE | BPF_X, 0, 4, 0), LDXI(8),
		     I(BPF_JMP | BPF_JGT | BPF_X, 0, 2, 0), I(BPF_JMP | BPF_JSET | BPF_X, 0, 1, 0),
		     RETK(11), RETK(12) }, 9, 0, 0, 11, true },
	{ "jt == jf", { LDI(1), I(BPF_JMP | BPF_JEQ | BPF_K, 1, 1, 1), RETK(1), RETK(2) }, 4,
	  0, 0, 2, true },
	{ "ja forward", { I(BPF_JMP | BPF_JA, 0, 0, 1), RETK(1), RETK(2) }, 3, 0, 0, 2, true },
	{ "backward loop", { LDI(0), I(BPF_ST, 0, 0, 0), LDI(5), I(BPF_ST, 0, 0, 1),
			     /* 4: */ I(BPF_LD | BPF_MEM, 0, 0, 0), ALUK(BPF_ADD, 3),
			     I(BPF_ST, 0, 0, 0), I(BPF_LD | BPF_MEM, 0, 0, 1), ALUK(BPF_SUB, 1),
			     I(BPF_ST, 0, 0, 1), I(BPF_JMP | BPF_JEQ | BPF_K, 1, 0, 0),
			     I(BPF_JMP | BPF_JA, 0, 0, (__u32)-8), I(BPF_LD | BPF_MEM, 0, 0, 0),
			     RETA }, 14, 0, 0, 15, true },
	/* the loop is unrolled 34 times: 40 turns exceed that and give 0 (libpcap: 120) */
	{ "loop beyond the unrolling", { LDI(0), I(BPF_ST, 0, 0, 0), LDI(40), I(BPF_ST, 0, 0, 1),
					 I(BPF_LD | BPF_MEM, 0, 0, 0), ALUK(BPF_ADD, 3),
					 I(BPF_ST, 0, 0, 0), I(BPF_LD | BPF_MEM, 0, 0, 1),
					 ALUK(BPF_SUB, 1), I(BPF_ST, 0, 0, 1),
					 I(BPF_JMP | BPF_JEQ | BPF_K, 1, 0, 0),
					 I(BPF_JMP | BPF_JA, 0, 0, (__u32)-8),
					 I(BPF_LD | BPF_MEM, 0, 0, 0), RETA }, 14, 0, 0, 0, false },
	{ "loop of 33 turns", { LDI(0), I(BPF_ST, 0, 0, 0), LDI(34), I(BPF_ST, 0, 0, 1),
				I(BPF_LD | BPF_MEM, 0, 0, 0), ALUK(BPF_ADD, 3), I(BPF_ST, 0, 0, 0),
				I(BPF_LD | BPF_MEM, 0, 0, 1), ALUK(BPF_SUB, 1), I(BPF_ST, 0, 0, 1),
				I(BPF_JMP | BPF_JEQ | BPF_K, 1, 0, 0),
				I(BPF_JMP | BPF_JA, 0, 0, (__u32)-8), I(BPF_LD | BPF_MEM, 0, 0, 0),
				RETA }, 14, 0, 0, 102, true },
	{ "self loop", { I(BPF_JMP | BPF_JA, 0, 0, (__u32)-1), RETK(1) }, 2, 0, 0, 0, false },
	{ "len", { I(BPF_LD | BPF_W | BPF_LEN, 0, 0, 0), RETA }, 2, 20, 1500, 1500, true },
	{ "ldx len", { I(BPF_LDX | BPF_W | BPF_LEN, 0, 0, 0), I(BPF_MISC | BPF_TXA, 0, 0, 0),
		       RETA }, 3, 0, 70000, 70000, true },
	{ "tax txa", { LDI(77), I(BPF_MISC | BPF_TAX, 0, 0, 0), LDI(1),
		       I(BPF_MISC | BPF_TXA, 0, 0, 0), RETA }, 5, 0, 0, 77, true },
	{ "scratch", { LDI(1), I(BPF_ST, 0, 0, 15), LDXI(2), I(BPF_STX, 0, 0, 0),
		       I(BPF_LD | BPF_MEM, 0, 0, 0), I(BPF_LDX | BPF_MEM, 0, 0, 15), ALUX(BPF_ADD),
		       RETA }, 8, 0, 0, 3, true },
	{ "unwritten scratch reads 0", { I(BPF_LD | BPF_MEM, 0, 0, 3), RETA }, 2, 0, 0, 0, false },
	{ "scratch written on one path", { LDI(9), I(BPF_JMP | BPF_JEQ | BPF_K, 0, 1, 8),
					   I(BPF_ST, 0, 0, 4), I(BPF_LD | BPF_MEM, 0, 0, 4), RETA },
	  5, 0, 0, 0, false },
	{ "initial a x", { ALUX(BPF_ADD), RETA }, 2, 0, 0, 0, true },
	{ "ret a initial", { RETA }, 1, 0, 0, 0, true },
	{ "ret k big", { RETK(0xffffffff) }, 1, 0, 0, 0xffffffff, true },
	{ "ld w abs at end", { I(BPF_LD | BPF_W | BPF_ABS, 0, 0, 252), RETA }, 2, 256, 256,
	  0xfcfdfeff, true },
	{ "ld w abs past caplen", { I(BPF_LD | BPF_W | BPF_ABS, 0, 0, 61), RETK(1) }, 2, 64, 64, 0,
	  true },
	{ "ld w abs fits caplen", { I(BPF_LD | BPF_W | BPF_ABS, 0, 0, 60), RETA }, 2, 64, 64,
	  0x3c3d3e3f, true },
	{ "ld h abs odd", { I(BPF_LD | BPF_H | BPF_ABS, 0, 0, 33), RETA }, 2, 64, 64, 0x2122, true },
	{ "ld w abs unaligned", { I(BPF_LD | BPF_W | BPF_ABS, 0, 0, 5), RETA }, 2, 64, 64,
	  0x05060708, true },
	{ "ld b abs past buffer", { I(BPF_LD | BPF_B | BPF_ABS, 0, 0, 256), RETK(1) }, 2, 256,
	  2000, 0, true },
	{ "ld b abs k max", { I(BPF_LD | BPF_B | BPF_ABS, 0, 0, 0xffffffff), RETK(1) }, 2, 256,
	  256, 0, true },
	{ "ld h abs metadata", { I(BPF_LD | BPF_H | BPF_ABS, 0, 0, 0xfffff004), RETK(1) }, 2, 256,
	  256, 0, true },
	{ "ld w ind end", { LDXI(250), I(BPF_LD | BPF_W | BPF_IND, 0, 0, 2), RETA }, 3, 256, 256,
	  0xfcfdfeff, true },
	{ "ld w ind past", { LDXI(250), I(BPF_LD | BPF_W | BPF_IND, 0, 0, 3), RETK(1) }, 3, 256,
	  256, 0, true },
	{ "ld h ind x wraps", { LDXI(0xffffffff), I(BPF_LD | BPF_H | BPF_IND, 0, 0, 2), RETK(1) },
	  3, 256, 256, 0, true },
	{ "ld b ind k wraps", { LDXI(3), I(BPF_LD | BPF_B | BPF_IND, 0, 0, 0xfffffffe), RETK(1) },
	  3, 256, 256, 0, true },
	{ "ld b ind caplen", { LDXI(30), I(BPF_LD | BPF_B | BPF_IND, 0, 0, 9), RETA }, 3, 40, 40,
	  39, true },
	{ "ld b ind caplen past", { LDXI(31), I(BPF_LD | BPF_B | BPF_IND, 0, 0, 9), RETA }, 3, 40,
	  40, 0, true },
	{ "ld h ind unaligned", { LDXI(3), I(BPF_LD | BPF_H | BPF_IND, 0, 0, 4), RETA }, 3, 40, 40,
	  0x0708, true },
	{ "msh", { I(BPF_LDX | BPF_MSH | BPF_B, 0, 0, 0), I(BPF_MISC | BPF_TXA, 0, 0, 0), RETA },
	  3, 1, 1, 0, true },
	{ "msh 255", { I(BPF_LDX | BPF_MSH | BPF_B, 0, 0, 255), I(BPF_MISC | BPF_TXA, 0, 0, 0),
		       RETA }, 3, 256, 256, 60, true },
	{ "msh past", { I(BPF_LDX | BPF_MSH | BPF_B, 0, 0, 40), RETK(9) }, 2, 40, 40, 0, true },
	{ "caplen over 256", { I(BPF_LD | BPF_B | BPF_ABS, 0, 0, 255), RETA }, 2, 5000, 5000, 255,
	  false },
	{ "unreachable code", { RETK(3), LDI(1), I(BPF_LD | BPF_B | BPF_ABS, 0, 0, 1000),
				ALUK(BPF_ADD, 1), RETA }, 5, 0, 0, 3, true },
	{ "dead after failing load", { I(BPF_LD | BPF_B | BPF_ABS, 0, 0, 1000),
				       I(BPF_JMP | BPF_JEQ | BPF_K, 0, 1, 0), RETK(1), RETK(2) },
	  4, 256, 256, 0, true },
};

static void test_handmade(void)
{
	unsigned int t, flags;

	check_start("handmade");
	for (t = 0; t < sizeof(handmade) / sizeof(handmade[0]); t++) {
		const struct handmade *h = &handmade[t];
		struct fcase_pkt p = { .caplen = h->caplen, .wirelen = h->wirelen };
		struct bpf_insn *ebpf = NULL;
		char err[256];
		size_t cnt, i;
		__u64 r0;

		snprintf(p.name, sizeof(p.name), "%s", h->name);
		for (i = 0; i < FCASE_MAX_PKT; i++)
			p.data[i] = (__u8)i;
		if (h->vs_pcap) {
			CHECK(nr_pcap_valid(h->prog, h->len), h->name);
			CHECK_EQ(nr_pcap_run(h->prog, h->len, p.data, capped(&p), p.wirelen), h->want,
				 h->name);
		}
		for (flags = 0; flags <= NR_XLATE_BYTE_LOADS; flags += NR_XLATE_BYTE_LOADS) {
			if (!CHECK_EQ(nr_xlate_cbpf(h->prog, h->len, flags, &ebpf, &cnt, err,
						    sizeof(err)), 0, h->name)) {
				fprintf(stderr, "  %s\n", err);
				continue;
			}
			if (!CHECK(vm_check_body(ebpf, cnt, BPF_REG_5, err, sizeof(err)), h->name))
				fprintf(stderr, "  %s\n", err);
			if (run(ebpf, cnt, &p, &r0, h->name))
				CHECK_EQ(r0, h->want, h->name);
			free(ebpf);
		}
	}
}

/* Programs the translator must refuse, with the reason. */
static void test_invalid(void)
{
	static const struct {
		const char *name;
		struct nr_cbpf_insn prog[4];
		unsigned int len;
		const char *reason;
	} bad[] = {
		{ "empty", { RETK(0) }, 0, "empty" },
		{ "no ret at end", { LDI(1) }, 1, "does not end with ret" },
		{ "div k 0", { ALUK(BPF_DIV, 0), RETA }, 2, "constant 0" },
		{ "mod k 0", { ALUK(BPF_MOD, 0), RETA }, 2, "constant 0" },
		{ "lsh k 32", { ALUK(BPF_LSH, 32), RETA }, 2, "undefined" },
		{ "rsh k 40", { ALUK(BPF_RSH, 40), RETA }, 2, "undefined" },
		{ "ret x", { I(BPF_RET | BPF_X, 0, 0, 0) }, 1, "opcode" },
		{ "ldx abs", { I(BPF_LDX | BPF_W | BPF_ABS, 0, 0, 0), RETA }, 2, "opcode" },
		{ "ld h imm", { I(BPF_LD | BPF_H | BPF_IMM, 0, 0, 0), RETA }, 2, "opcode" },
		{ "ld mem 16", { I(BPF_LD | BPF_MEM, 0, 0, 16), RETA }, 2, "M[16]" },
		{ "st 20", { I(BPF_ST, 0, 0, 20), RETA }, 2, "M[20]" },
		{ "jeq out", { I(BPF_JMP | BPF_JEQ | BPF_K, 0, 5, 0), RETA }, 2, "out of" },
		{ "ja out", { I(BPF_JMP | BPF_JA, 0, 0, 3), RETA }, 2, "out of" },
		{ "ja back out", { I(BPF_JMP | BPF_JA, 0, 0, (__u32)-5), RETA }, 2, "out of" },
		{ "misc other", { I(BPF_MISC | 0x40, 0, 0, 0), RETA }, 2, "opcode" },
		{ "jmp jne", { I(BPF_JMP | 0x50, 0, 0, 0), RETA }, 2, "opcode" },
	};
	unsigned int t;

	check_start("invalid");
	for (t = 0; t < sizeof(bad) / sizeof(bad[0]); t++) {
		struct bpf_insn *ebpf = NULL;
		char err[256] = "";
		size_t cnt;

		CHECK_EQ(nr_xlate_cbpf(bad[t].prog, bad[t].len, 0, &ebpf, &cnt, err, sizeof(err)),
			 -EINVAL, bad[t].name);
		if (!CHECK(strstr(err, bad[t].reason) != NULL, bad[t].name))
			fprintf(stderr, "  message: %s\n", err);
		CHECK(ebpf == NULL, bad[t].name);
	}
}

/* A random classic program that libpcap runs without undefined behaviour: all scratch
 * words written first, forward jumps, no constant shifts >= 32 or division by 0. */
static unsigned int random_prog(__u32 *rs, struct nr_cbpf_insn *p, unsigned int max)
{
	static const __u16 alu_ops[] = { BPF_ADD, BPF_SUB, BPF_MUL, BPF_DIV, BPF_MOD, BPF_AND,
					 BPF_OR, BPF_XOR, BPF_LSH, BPF_RSH, BPF_NEG };
	static const __u16 jmp_ops[] = { BPF_JEQ, BPF_JGT, BPF_JGE, BPF_JSET };
	static const __u32 ks[] = { 0, 1, 2, 3, 4, 6, 9, 12, 13, 14, 16, 20, 23, 33, 40, 60,
				    127, 128, 200, 251, 252, 253, 254, 255, 256, 257, 1000,
				    0x7fffffff, 0x80000000, 0xfffffff0, 0xfffffffe, 0xffffffff };
	/* 2 * 16 + 1 initialising instructions, then the body, then the final ret */
	unsigned int n = 0, len = 8 + fcase_rand(rs) % (max - 2 * NR_FILTER_MEMWORDS - 10), i, k;

#define RK() (fcase_rand(rs) % 3 ? ks[fcase_rand(rs) % (sizeof(ks) / sizeof(ks[0]))] \
				  : fcase_rand(rs))
	for (k = 0; k < NR_FILTER_MEMWORDS; k++) {
		p[n++] = (struct nr_cbpf_insn)LDI(fcase_rand(rs) % 300);
		p[n++] = (struct nr_cbpf_insn)I(BPF_ST, 0, 0, k);
	}
	p[n++] = (struct nr_cbpf_insn)LDI(0);
	for (i = 0; i < len; i++, n++) {
		unsigned int left = len - i, r = fcase_rand(rs) % 100;
		__u32 kk = RK();

		if (r < 10) {
			static const __u16 abs[] = { BPF_W, BPF_H, BPF_B };

			p[n] = (struct nr_cbpf_insn)I(BPF_LD | abs[fcase_rand(rs) % 3] | BPF_ABS, 0,
						      0, fcase_rand(rs) % 4 ? kk % 80 : kk);
		} else if (r < 18) {
			static const __u16 ind[] = { BPF_W, BPF_H, BPF_B };

			p[n] = (struct nr_cbpf_insn)I(BPF_LD | ind[fcase_rand(rs) % 3] | BPF_IND, 0,
						      0, fcase_rand(rs) % 4 ? kk % 80 : kk);
		} else if (r < 22) {
			p[n] = (struct nr_cbpf_insn)I(BPF_LDX | BPF_MSH | BPF_B, 0, 0,
						      fcase_rand(rs) % 4 ? kk % 80 : kk);
		} else if (r < 26) {
			p[n] = (struct nr_cbpf_insn)I((fcase_rand(rs) & 1 ? BPF_LD : BPF_LDX) |
						      BPF_IMM, 0, 0, kk);
		} else if (r < 30) {
			p[n] = (struct nr_cbpf_insn)I((fcase_rand(rs) & 1 ? BPF_LD : BPF_LDX) |
						      BPF_MEM, 0, 0, kk % 16);
		} else if (r < 33) {
			p[n] = (struct nr_cbpf_insn)I((fcase_rand(rs) & 1 ? BPF_LD : BPF_LDX) |
						      BPF_W | BPF_LEN, 0, 0, 0);
		} else if (r < 37) {
			p[n] = (struct nr_cbpf_insn)I(fcase_rand(rs) & 1 ? BPF_ST : BPF_STX, 0, 0,
						      kk % 16);
		} else if (r < 41) {
			p[n] = (struct nr_cbpf_insn)I(BPF_MISC | (fcase_rand(rs) & 1 ? BPF_TAX
										   : BPF_TXA),
						      0, 0, 0);
		} else if (r < 66) {
			__u16 op = alu_ops[fcase_rand(rs) % (sizeof(alu_ops) / sizeof(alu_ops[0]))];
			__u16 src = fcase_rand(rs) & 1 ? BPF_X : BPF_K;

			if (src == BPF_K && (op == BPF_LSH || op == BPF_RSH))
				kk %= 32;
			if (src == BPF_K && (op == BPF_DIV || op == BPF_MOD) && !kk)
				kk = 3;
			p[n] = (struct nr_cbpf_insn)I(BPF_ALU | op | (op == BPF_NEG ? 0 : src), 0, 0,
						      kk);
		} else if (r < 92 && left > 1) {
			__u16 op = jmp_ops[fcase_rand(rs) % 4];
			unsigned int span = left - 1 < 255 ? left - 1 : 255;

			p[n] = (struct nr_cbpf_insn)I(BPF_JMP | op | (fcase_rand(rs) & 1 ? BPF_X
										 : BPF_K),
						      (__u8)(fcase_rand(rs) % (span + 1)),
						      (__u8)(fcase_rand(rs) % (span + 1)), kk);
		} else if (r < 95 && left > 1) {
			p[n] = (struct nr_cbpf_insn)I(BPF_JMP | BPF_JA, 0, 0,
						      fcase_rand(rs) % left);
		} else {
			p[n] = fcase_rand(rs) & 1 ? (struct nr_cbpf_insn)RETA
						  : (struct nr_cbpf_insn)RETK(kk);
		}
	}
	p[n++] = fcase_rand(rs) & 1 ? (struct nr_cbpf_insn)RETA : (struct nr_cbpf_insn)RETK(1);
	return n;
#undef RK
}

static void test_random_programs(void)
{
	enum { NPROGS = 3000, MAXLEN = 120, STRIDE = 7 };
	struct nr_cbpf_insn prog[MAXLEN];
	struct fcase_pkt *sample;
	__u32 rs = 0x5eed1234;
	size_t ns = 0, i;
	unsigned int t, flags, len;

	check_start("random programs");
	sample = calloc(npkts / STRIDE + 1, sizeof(*sample));
	if (!CHECK(sample != NULL, "allocation"))
		return;
	for (i = 0; i < npkts; i += STRIDE)
		sample[ns++] = pkts[i];
	for (t = 0; t < NPROGS; t++) {
		char what[64];

		len = random_prog(&rs, prog, MAXLEN);
		snprintf(what, sizeof(what), "random program %u", t);
		if (!CHECK(nr_pcap_valid(prog, len), what))
			continue;
		for (flags = 0; flags <= NR_XLATE_BYTE_LOADS; flags += NR_XLATE_BYTE_LOADS)
			if (!compare_prog(prog, len, flags, sample, ns, what, NULL))
				break;
	}
	free(sample);
}

/* Random instruction words: what the translator accepts, libpcap's validator accepts,
 * and then they agree. */
static void test_random_words(void)
{
	enum { NPROGS = 20000, MAXLEN = 12 };
	static const __u16 codes[] = {
		0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x0c, 0x0e, 0x14, 0x15, 0x16,
		0x1c, 0x1d, 0x20, 0x21, 0x24, 0x25, 0x28, 0x2c, 0x2d, 0x30, 0x34, 0x35, 0x3c,
		0x3d, 0x40, 0x44, 0x45, 0x48, 0x4c, 0x4d, 0x50, 0x54, 0x55, 0x5c, 0x60, 0x61,
		0x64, 0x6c, 0x74, 0x7c, 0x80, 0x81, 0x84, 0x87, 0x94, 0x9c, 0xa4, 0xac, 0xb1,
		0xb4, 0xbc, 0xc4, 0xd4, 0xff,
	};
	struct nr_cbpf_insn prog[MAXLEN];
	__u32 rs = 0xfeedf00d;
	unsigned int t, i, len, accepted = 0;

	check_start("random words");
	for (t = 0; t < NPROGS; t++) {
		struct bpf_insn *ebpf = NULL;
		bool backward = false, mem_load = false;
		char what[64];
		size_t cnt;

		len = 1 + fcase_rand(&rs) % MAXLEN;
		for (i = 0; i < len; i++) {
			prog[i].code = codes[fcase_rand(&rs) % (sizeof(codes) / sizeof(codes[0]))];
			prog[i].jt = (__u8)(fcase_rand(&rs) % 4);
			prog[i].jf = (__u8)(fcase_rand(&rs) % 4);
			prog[i].k = fcase_rand(&rs) % 2 ? fcase_rand(&rs) % 70 : fcase_rand(&rs);
			if (prog[i].code == (BPF_JMP | BPF_JA) && (__s32)prog[i].k < 0)
				backward = true;
			if (prog[i].code == (BPF_LD | BPF_MEM) || prog[i].code == (BPF_LDX | BPF_MEM))
				mem_load = true;
		}
		if (fcase_rand(&rs) % 8)	/* mostly well terminated */
			prog[len - 1].code = fcase_rand(&rs) & 1 ? BPF_RET | BPF_K : BPF_RET | BPF_A;
		if (nr_xlate_cbpf(prog, len, 0, &ebpf, &cnt, NULL, 0))
			continue;
		free(ebpf);
		accepted++;
		snprintf(what, sizeof(what), "random words %u", t);
		if (!CHECK(nr_pcap_valid(prog, len), what))
			continue;
		/* libpcap may loop forever on a backward jump, and reads stack garbage from
		 * a scratch word not written before (test_random_programs covers M[]) */
		if (!backward && !mem_load)
			compare_prog(prog, len, t & 1 ? NR_XLATE_BYTE_LOADS : 0, pkts,
				     npkts < 20 ? npkts : 20, what, NULL);
	}
	CHECK(accepted > NPROGS / 50, "some random words are valid programs");
}

static void test_splice_limits(void)
{
	const struct bpf_insn hook = { .code = BPF_JMP | BPF_CALL, .imm = NR_FILTER_HOOK_ID };
	const struct bpf_insn pseudo = { .code = BPF_JMP | BPF_CALL, .src_reg = BPF_PSEUDO_CALL,
					 .imm = NR_FILTER_HOOK_ID };
	const struct bpf_insn exit_insn = { .code = BPF_JMP | BPF_EXIT };
	const struct bpf_insn body[] = {
		{ .code = BPF_ALU | BPF_MOV | BPF_K, .imm = 1 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	struct bpf_insn *big, *out = NULL, prog[3];
	unsigned int sites = 9;
	size_t cnt;

	check_start("splice limits");
	prog[0] = pseudo;
	prog[1] = exit_insn;
	CHECK_EQ(nr_xlate_splice(prog, 2, body, 2, &out, &cnt, &sites), 0, "no marker");
	CHECK_EQ(sites, 0, "a pseudo call is not the marker");
	CHECK(out == NULL, "nothing allocated without a marker");

	prog[0] = hook;
	CHECK_EQ(nr_xlate_splice(prog, 2, body, 1, &out, &cnt, &sites), -EINVAL,
		 "a body must end with exit");
	{
		const struct bpf_insn escaping[] = {
			{ .code = BPF_JMP | BPF_JA, .off = 5 },
			{ .code = BPF_JMP | BPF_EXIT },
		};

		CHECK_EQ(nr_xlate_splice(prog, 2, escaping, 2, &out, &cnt, &sites), -EINVAL,
			 "a body's jumps stay inside");
	}

	big = calloc(40000, sizeof(*big));
	if (!CHECK(big != NULL, "allocation"))
		return;
	big[0] = hook;
	big[39999] = exit_insn;
	CHECK_EQ(nr_xlate_splice(big, 40000, body, 2, &out, &cnt, &sites), -E2BIG,
		 "a jump beyond 16 bits is refused");
	free(big);
}

/* nr_filter__prepare_object() on the real test object, without the kernel: hooks that
 * keep everything (no filter, or a filter that fell back to user space). */
static void test_prepare_object(const char *obj_path)
{
	const struct bpf_insn keep_body[] = {
		{ .code = BPF_ALU | BPF_MOV | BPF_K, .imm = 1 },
	};
	struct nr_filter *f = NULL;
	char err[256];
	int round;

	check_start("prepare object");
	if (!CHECK_EQ(nr_filter__compile("tcp port 80", &f, err, sizeof(err)), 0, "compile"))
		return;
	nr_filter__fall_back(f, "test");
	CHECK(!nr_filter__in_kernel(f), "fell back");
	CHECK_STR(nr_filter__fallback_reason(f), "test", "the reason");

	for (round = 0; round < 2; round++) {
		struct bpf_object *obj = bpf_object__open_file(obj_path, NULL);
		struct bpf_program *prog;
		unsigned int markers = 0, progs_with = 0;
		size_t before[8] = { 0 }, i;
		int p = 0, n;

		if (!CHECK(obj != NULL, "open the test object")) {
			fprintf(stderr, "  %s: %s\n", obj_path, strerror(errno));
			break;
		}
		bpf_object__for_each_program(prog, obj) {
			const struct bpf_insn *in = bpf_program__insns(prog);

			before[p < 8 ? p : 7] = bpf_program__insn_cnt(prog);
			for (i = 0; i < bpf_program__insn_cnt(prog); i++)
				markers += nr_xlate_is_hook(&in[i]);
			p++;
		}
		n = nr_filter__prepare_object(round ? f : NULL, obj);
		CHECK_EQ(n, (int)markers, "every marker is patched");
		CHECK_EQ(markers, 5, "the test object has five hook sites");
		p = 0;
		bpf_object__for_each_program(prog, obj) {
			const struct bpf_insn *in = bpf_program__insns(prog);
			size_t cnt = bpf_program__insn_cnt(prog), left = 0;

			for (i = 0; i < cnt; i++)
				left += nr_xlate_is_hook(&in[i]);
			CHECK_EQ(left, 0, "no marker left");
			if (cnt > before[p < 8 ? p : 7]) {
				progs_with++;
				CHECK_EQ(cnt, before[p < 8 ? p : 7] + 2, "one keep-all copy appended");
				CHECK_EQ(in[cnt - 2].code, keep_body[0].code, "r0 = 1 appended");
				CHECK_EQ(in[cnt - 2].imm, 1, "r0 = 1 appended");
			}
			p++;
		}
		CHECK_EQ(progs_with, 5, "five programs got a copy");
		bpf_object__close(obj);
	}
	CHECK(!nr_filter__in_kernel(f), "still in user space");
	nr_filter__free(f);
}

/* Events without a packet: the headers nr_filter_tuple() builds, through the translation
 * (as in the probes) and through nr_filter__match_tuple() (the fallback), against an
 * explicit verdict. */
static void test_tuples(void)
{
	static const char *const exprs[] = {
		"ip", "ip6", "tcp", "udp", "host 10.0.0.1", "port 80", "src port 40000",
		"tcp port 80 and host 10.0.0.2", "ip6 host 2001:db8::2", "sctp port 80", "icmp",
		"net 224.0.0.0/4",
	};
	static const struct {
		const char *name;
		__u16 family;
		__u8 proto;
		__u8 saddr[16], daddr[16];
		__u16 sport, dport;
		const char *want;	/* one verdict per expression */
	} tuples[] = {
		{ "v4 tcp", AF_INET, 6, { 10, 0, 0, 1 }, { 10, 0, 0, 2 }, 40000, 80,
		  "101011110000" },
		{ "v4 udp mdns", AF_INET, 17, { 10, 0, 0, 3 }, { 224, 0, 0, 251 }, 5353, 5353,
		  "100100000001" },
		{ "v6 tcp", AF_INET6, 6,
		  { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 }, { 0x20, 0x01, 0x0d, 0xb8, [15] = 2 },
		  443, 50000, "011000001000" },
		{ "v4-mapped tcp", AF_INET6, 6,
		  { [10] = 0xff, [11] = 0xff, 10, 0, 0, 1 }, { [10] = 0xff, [11] = 0xff, 10, 0, 0, 2 },
		  40000, 80, "101011110000" },
		{ "one side mapped", AF_INET6, 6,
		  { [10] = 0xff, [11] = 0xff, 10, 0, 0, 1 }, { 0x20, 0x01, 0x0d, 0xb8, [15] = 2 },
		  40000, 80, "011001101000" },
		{ "sctp", AF_INET, 132, { 10, 0, 0, 9 }, { 10, 0, 0, 8 }, 80, 9, "100001000100" },
		{ "icmp socket", AF_INET, 1, { 10, 0, 0, 1 }, { 10, 0, 0, 7 }, 0, 0,
		  "100010000010" },
		{ "neighbour", AF_INET, 0, { 0 }, { 10, 0, 0, 1 }, 0, 0, "100010000000" },
	};
	unsigned int e, t;

	check_start("tuples");
	for (e = 0; e < sizeof(exprs) / sizeof(exprs[0]); e++) {
		struct nr_filter *f = NULL;
		const struct bpf_insn *body;
		size_t body_cnt;
		char err[512];

		if (!CHECK_EQ(nr_filter__compile(exprs[e], &f, err, sizeof(err)), 0, exprs[e]))
			continue;
		body = nr_filter__ebpf(f, &body_cnt);
		for (t = 0; t < sizeof(tuples) / sizeof(tuples[0]); t++) {
			struct fcase_pkt p = { 0 };
			bool want = tuples[t].want[e] == '1';
			char what[128];
			__u64 r0;

			snprintf(what, sizeof(what), "'%s' on %s", exprs[e], tuples[t].name);
			snprintf(p.name, sizeof(p.name), "%s", tuples[t].name);
			p.caplen = p.wirelen = nr_filter_tuple(p.data, tuples[t].family == AF_INET6 ?
							       NR_FILTER_AF_INET6 : NR_FILTER_AF_INET,
							       tuples[t].proto, tuples[t].saddr,
							       tuples[t].daddr, tuples[t].sport,
							       tuples[t].dport);
			CHECK_EQ(nr_filter__match_tuple(f, tuples[t].family, tuples[t].proto,
							tuples[t].saddr, tuples[t].daddr,
							tuples[t].sport, tuples[t].dport), want, what);
			if (body && run(body, body_cnt, &p, &r0, what))
				CHECK_EQ(r0 != 0, want, what);
		}
		nr_filter__free(f);
	}
}

static void test_api(void)
{
	unsigned int cbpf, ebpf;
	struct nr_filter *f = NULL;
	char err[512];

	check_start("api");
	if (CHECK_EQ(nr_filter__compile("ip[300] = 1", &f, err, sizeof(err)), 0, "compile")) {
		CHECK(nr_filter__warning(f) && strstr(nr_filter__warning(f), "301"),
		      "a read past 256 bytes is warned about");
		nr_filter__free(f);
	}
	if (CHECK_EQ(nr_filter__compile("tcp port 80", &f, err, sizeof(err)), 0, "compile")) {
		CHECK(nr_filter__warning(f) == NULL, "no warning");
		CHECK(nr_filter__in_kernel(f), "in kernel");
		CHECK(nr_filter__fallback_reason(f) == NULL, "no fallback reason");
		CHECK_STR(nr_filter__expr(f), "tcp port 80", "expression kept");
		nr_filter__insn_cnt(f, &cbpf, &ebpf);
		CHECK(cbpf > 5 && ebpf > cbpf, "instruction counts");
		CHECK(!nr_filter__match(f, NULL, 0, 0), "no bytes: no match");
		nr_filter__free(f);
	}
	CHECK(!nr_filter__in_kernel(NULL), "no filter is not in the kernel");
	nr_filter__free(NULL);
}

static void test_big_expressions(void)
{
	static const struct {
		const char *kind;
		unsigned int n;
	} big[] = { { "host", 100 }, { "port", 100 }, { "ip6", 40 } };
	unsigned int b;

	check_start("big expressions");
	for (b = 0; b < sizeof(big) / sizeof(big[0]); b++) {
		char *expr = fcase_big_expr(big[b].kind, big[b].n);
		struct nr_cbpf_insn *prog = NULL;
		char err[512];
		unsigned int len;

		if (!CHECK(expr != NULL, "allocation"))
			continue;
		if (CHECK_EQ(nr_pcap_compile(expr, true, &prog, &len, err, sizeof(err)), 0,
			     big[b].kind)) {
			compare_prog(prog, len, 0, pkts, npkts, big[b].kind, NULL);
			compare_prog(prog, len, NR_XLATE_BYTE_LOADS, pkts, npkts, big[b].kind, NULL);
		}
		free(prog);
		free(expr);
	}
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s FILTER_TEST_BPF_OBJECT\n", argv[0]);
		return 2;
	}
	npkts = fcase_packets(NRANDOM_PKTS, 42, &pkts);
	vmbuf = aligned_alloc(8, sizeof(*vmbuf));
	if (!npkts || !vmbuf) {
		fprintf(stderr, "out of memory\n");
		return 1;
	}
	test_expressions();
	test_refused();
	test_handmade();
	test_invalid();
	test_random_programs();
	test_random_words();
	test_splice_limits();
	test_big_expressions();
	test_api();
	test_tuples();
	test_prepare_object(argv[1]);
	printf("%zu packets, %llu verdicts compared with libpcap\n", npkts, nr_compared);
	free(pkts);
	free(vmbuf);
	return check_exit();
}
