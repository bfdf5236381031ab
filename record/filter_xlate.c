// SPDX-License-Identifier: GPL-2.0-only
/*
 * filter_xlate.c - classic BPF (libpcap's output) to eBPF for the probes' filter hook
 *
 * The reference semantics are libpcap's interpreter (bpf_filter.c, pcap_filter()),
 * which pcap_offline_filter() runs and which the user-space fallback uses: a load that
 * does not fit in the captured bytes returns 0 from the whole program, `A / X` and
 * `A % X` with X == 0 return 0, shifts by X >= 32 give 0, everything is unsigned 32-bit,
 * multi-byte packet loads are big-endian, and `ja` may jump backwards (protochain).
 *
 * The output must also satisfy the verifier, which sees r1 as a pointer to a map value
 * of sizeof(struct nr_filter_buf) bytes and r2/r3 as unknown scalars: every packet load
 * is checked against a constant bound (which the verifier tracks on any kernel) as well
 * as against caplen (the semantics), no instruction is unreachable, and no register is
 * read before it is written.
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/filter.h>

#include "filter_xlate.h"

#define R_TMP	BPF_REG_0	/* temporary, then the result */
#define R_BUF	BPF_REG_1	/* struct nr_filter_buf * */
#define R_CAP	BPF_REG_2	/* caplen, clamped to NR_FILTER_BUF */
#define R_WIRE	BPF_REG_3	/* wirelen, unless spilled */
#define R_T2	BPF_REG_3	/* second temporary when wirelen is spilled */
#define R_A	BPF_REG_4
#define R_X	BPF_REG_5

#define XLATE_MAX_CBPF	65536	/* far beyond what libpcap emits; bounds the work */
#define TARGET_RET0	(-1L)

/*
 * Loops. libpcap emits backward jumps only for `protochain`, whose loop walks the IPv6
 * extension headers (or IPv4 options), each turn reading the header at X and moving X
 * forward by at least 8 bytes. eBPF's verifier cannot bound that loop by itself (it
 * gives up on the number of paths), so the translation unrolls it: the program is laid
 * out in XLATE_LOOP_COPIES copies, a backward jump in copy c goes to copy c + 1, and
 * one in the last copy returns 0. With X >= 8 * c in copy c and every turn reading
 * below NR_FILTER_BUF, no protochain loop can make more turns than that, so the result
 * is libpcap's.
 */
#define XLATE_LOOP_COPIES	(NR_FILTER_BUF / 8 + 2)

struct fixup {
	size_t at;	/* index of the eBPF jump */
	long target;	/* copy * len + classic index, or TARGET_RET0 */
};

struct xlate {
	const struct nr_cbpf_insn *prog;
	unsigned int len;
	unsigned int flags;
	unsigned int copies;	/* 1, or XLATE_LOOP_COPIES when the program loops */
	bool *reach;		/* per (copy, classic insn): copy * len + insn */
	long *start;		/* eBPF index where each reachable (copy, insn) begins */
	struct bpf_insn *out;
	size_t cnt, cap;
	struct fixup *fix;
	size_t nfix, capfix;
	bool nomem;
	bool spill_wire;	/* wirelen lives in spill[0], r3 is a temporary */
	bool uses_len;
	__u16 zero_mem;		/* scratch words that may be read before written */
};

static struct bpf_insn mk(__u8 code, __u8 dst, __u8 src, __s16 off, __s32 imm)
{
	return (struct bpf_insn){ .code = code, .dst_reg = dst, .src_reg = src, .off = off,
				  .imm = imm };
}

static size_t emit(struct xlate *x, struct bpf_insn insn)
{
	if (x->cnt == x->cap) {
		size_t cap = x->cap ? 2 * x->cap : 256;
		struct bpf_insn *n = realloc(x->out, cap * sizeof(*n));

		if (!n) {
			x->nomem = true;
			return x->cnt;
		}
		x->out = n;
		x->cap = cap;
	}
	x->out[x->cnt] = insn;
	return x->cnt++;
}

/* A jump whose offset is filled in once every target has its place. */
static void emit_jump(struct xlate *x, struct bpf_insn insn, long target)
{
	size_t at = emit(x, insn);

	if (x->nomem)
		return;
	if (x->nfix == x->capfix) {
		size_t cap = x->capfix ? 2 * x->capfix : 64;
		struct fixup *n = realloc(x->fix, cap * sizeof(*n));

		if (!n) {
			x->nomem = true;
			return;
		}
		x->fix = n;
		x->capfix = cap;
	}
	x->fix[x->nfix++] = (struct fixup){ .at = at, .target = target };
}

static void emit_ja(struct xlate *x, long target)
{
	emit_jump(x, mk(BPF_JMP | BPF_JA, 0, 0, 0, 0), target);
}

static void emit_ret0(struct xlate *x)
{
	emit_ja(x, TARGET_RET0);
}

static __u8 bpf_size(unsigned int bytes)
{
	return bytes == 4 ? BPF_W : bytes == 2 ? BPF_H : BPF_B;
}

static unsigned int cbpf_load_size(__u16 code)
{
	return BPF_SIZE(code) == BPF_W ? 4 : BPF_SIZE(code) == BPF_H ? 2 : 1;
}

/* Big-endian @bytes-wide load into @dst from @base + @off, @base + @off known to be
 * inside the buffer; composed from bytes (with @tmp) when @bytewise. */
static void emit_load_be(struct xlate *x, __u8 dst, __u8 base, __s16 off, unsigned int bytes,
			 bool bytewise, __u8 tmp)
{
	unsigned int i;

	if (bytes == 1 || !bytewise) {
		emit(x, mk(BPF_LDX | BPF_MEM | bpf_size(bytes), dst, base, off, 0));
		if (bytes > 1)
			emit(x, mk(BPF_ALU | BPF_END | BPF_TO_BE, dst, 0, 0, (__s32)(8 * bytes)));
		return;
	}
	emit(x, mk(BPF_LDX | BPF_MEM | BPF_B, dst, base, off, 0));
	for (i = 1; i < bytes; i++) {
		emit(x, mk(BPF_ALU | BPF_LSH | BPF_K, dst, 0, 0, 8));
		emit(x, mk(BPF_LDX | BPF_MEM | BPF_B, tmp, base, (__s16)(off + (__s16)i), 0));
		emit(x, mk(BPF_ALU | BPF_OR | BPF_X, dst, tmp, 0, 0));
	}
}

/* LD W/H/B with ABS or IND: the packet loads, which can fail */
static bool is_packet_load(__u16 code)
{
	switch (code) {
	case BPF_LD | BPF_W | BPF_ABS:
	case BPF_LD | BPF_H | BPF_ABS:
	case BPF_LD | BPF_B | BPF_ABS:
	case BPF_LD | BPF_W | BPF_IND:
	case BPF_LD | BPF_H | BPF_IND:
	case BPF_LD | BPF_B | BPF_IND:
		return true;
	default:
		return false;
	}
}

/* Whether the load @in can never fit in the buffer, whatever the packet: it then
 * returns 0 like a load past caplen, and ends the path. */
static bool load_always_fails(const struct nr_cbpf_insn *in)
{
	if (is_packet_load(in->code))
		return (__u64)in->k + cbpf_load_size(in->code) > NR_FILTER_BUF;
	if (in->code == (BPF_LDX | BPF_MSH | BPF_B))
		return in->k >= NR_FILTER_BUF;
	return false;
}

static void emit_ld_abs(struct xlate *x, const struct nr_cbpf_insn *in)
{
	unsigned int bytes = cbpf_load_size(in->code);
	bool bytewise = (x->flags & NR_XLATE_BYTE_LOADS) && in->k % bytes;

	if (load_always_fails(in)) {
		emit_ret0(x);
		return;
	}
	/* caplen < k + bytes: the load does not fit, return 0 */
	emit_jump(x, mk(BPF_JMP | BPF_JLT | BPF_K, R_CAP, 0, 0, (__s32)(in->k + bytes)),
		  TARGET_RET0);
	emit_load_be(x, R_A, R_BUF, (__s16)in->k, bytes, bytewise, R_TMP);
}

static void emit_ld_ind(struct xlate *x, const struct nr_cbpf_insn *in)
{
	unsigned int bytes = cbpf_load_size(in->code);
	bool bytewise = (x->flags & NR_XLATE_BYTE_LOADS) && bytes > 1;

	if (load_always_fails(in)) {
		emit_ret0(x);
		return;
	}
	/* end = X + k + bytes, computed in 64 bits so it cannot wrap */
	emit(x, mk(BPF_ALU | BPF_MOV | BPF_X, R_TMP, R_X, 0, 0));
	emit(x, mk(BPF_ALU64 | BPF_ADD | BPF_K, R_TMP, 0, 0, (__s32)(in->k + bytes)));
	/* the constant bound is for the verifier, the caplen bound is the semantics */
	emit_jump(x, mk(BPF_JMP | BPF_JGT | BPF_K, R_TMP, 0, 0, NR_FILTER_BUF), TARGET_RET0);
	emit_jump(x, mk(BPF_JMP | BPF_JGT | BPF_X, R_TMP, R_CAP, 0, 0), TARGET_RET0);
	emit(x, mk(BPF_ALU64 | BPF_ADD | BPF_X, R_TMP, R_BUF, 0, 0));
	emit_load_be(x, R_A, R_TMP, (__s16)-(int)bytes, bytes, bytewise, R_T2);
}

static void emit_ldx_msh(struct xlate *x, const struct nr_cbpf_insn *in)
{
	if (load_always_fails(in)) {
		emit_ret0(x);
		return;
	}
	emit_jump(x, mk(BPF_JMP | BPF_JLT | BPF_K, R_CAP, 0, 0, (__s32)(in->k + 1)), TARGET_RET0);
	emit(x, mk(BPF_LDX | BPF_MEM | BPF_B, R_X, R_BUF, (__s16)in->k, 0));
	emit(x, mk(BPF_ALU | BPF_AND | BPF_K, R_X, 0, 0, 0xf));
	emit(x, mk(BPF_ALU | BPF_LSH | BPF_K, R_X, 0, 0, 2));
}

static __s16 mem_off(__u32 k)
{
	return (__s16)(NR_FILTER_MEM_OFF + 4 * k);
}

static void emit_alu(struct xlate *x, const struct nr_cbpf_insn *in)
{
	__u8 op = BPF_OP(in->code);

	if (op == BPF_NEG) {
		emit(x, mk(BPF_ALU | BPF_NEG, R_A, 0, 0, 0));
		return;
	}
	if (BPF_SRC(in->code) == BPF_K) {
		/* 32-bit ALU: the immediate's bits are the operand, whatever its sign;
		 * division and modulo by a constant are unsigned, k != 0 (validated) and
		 * shifts by a constant are < 32 (validated) */
		emit(x, mk(BPF_ALU | op | BPF_K, R_A, 0, 0, (__s32)in->k));
		return;
	}
	switch (op) {
	case BPF_DIV:
	case BPF_MOD:
		/* libpcap: X == 0 returns 0 (eBPF would give 0 or A) */
		emit_jump(x, mk(BPF_JMP | BPF_JEQ | BPF_K, R_X, 0, 0, 0), TARGET_RET0);
		emit(x, mk(BPF_ALU | op | BPF_X, R_A, R_X, 0, 0));
		break;
	case BPF_LSH:
	case BPF_RSH:
		/* libpcap: a shift by X >= 32 gives 0 (eBPF leaves it undefined) */
		emit(x, mk(BPF_JMP | BPF_JLT | BPF_K, R_X, 0, 2, 32));
		emit(x, mk(BPF_ALU | BPF_MOV | BPF_K, R_A, 0, 0, 0));
		emit(x, mk(BPF_JMP | BPF_JA, 0, 0, 1, 0));
		emit(x, mk(BPF_ALU | op | BPF_X, R_A, R_X, 0, 0));
		break;
	default:
		emit(x, mk(BPF_ALU | op | BPF_X, R_A, R_X, 0, 0));
		break;
	}
}

/* The node (copy * len + insn) of classic insn @i in copy @c. */
static long node(const struct xlate *x, unsigned int c, unsigned int i)
{
	return (long)c * x->len + i;
}

/* The node whose code follows that of (@c, @i) in the output: the next reachable
 * instruction of the same copy, or -2 (no node) if none. */
static long next_emitted(const struct xlate *x, unsigned int c, unsigned int i)
{
	unsigned int j;

	for (j = i + 1; j < x->len; j++)
		if (x->reach[node(x, c, j)])
			return node(x, c, j);
	return -2;
}

static __u8 invert(__u8 op)
{
	switch (op) {
	case BPF_JEQ:
		return BPF_JNE;
	case BPF_JGT:
		return BPF_JLE;
	case BPF_JGE:
		return BPF_JLT;
	default:
		return 0;	/* JSET has no inverse */
	}
}

static void emit_jcond(struct xlate *x, unsigned int c, unsigned int i,
		       const struct nr_cbpf_insn *in)
{
	long t = node(x, c, i + 1 + in->jt), f = node(x, c, i + 1 + in->jf);
	long next = next_emitted(x, c, i);
	__u8 op = BPF_OP(in->code), src = 0, cls = BPF_K;
	__s32 imm = 0;

	if (t == f) {
		if (t != next)
			emit_ja(x, t);
		return;
	}
	if (BPF_SRC(in->code) == BPF_X) {
		cls = BPF_X;
		src = R_X;
	} else if (op == BPF_JSET || in->k <= INT32_MAX) {
		/* eBPF sign-extends the immediate to 64 bits: harmless for JSET (A's upper
		 * half is zero) and for k < 2^31, otherwise compare with a register */
		imm = (__s32)in->k;
	} else {
		emit(x, mk(BPF_ALU | BPF_MOV | BPF_K, R_TMP, 0, 0, (__s32)in->k));
		cls = BPF_X;
		src = R_TMP;
	}
	if (f == next) {
		emit_jump(x, mk(BPF_JMP | op | cls, R_A, src, 0, imm), t);
	} else if (t == next && invert(op)) {
		emit_jump(x, mk(BPF_JMP | invert(op) | cls, R_A, src, 0, imm), f);
	} else {
		emit_jump(x, mk(BPF_JMP | op | cls, R_A, src, 0, imm), t);
		emit_ja(x, f);
	}
}

static void emit_insn(struct xlate *x, unsigned int c, unsigned int i)
{
	const struct nr_cbpf_insn *in = &x->prog[i];
	__u32 to;

	switch (in->code) {
	case BPF_RET | BPF_K:
		emit(x, mk(BPF_ALU | BPF_MOV | BPF_K, R_TMP, 0, 0, (__s32)in->k));
		emit(x, mk(BPF_JMP | BPF_EXIT, 0, 0, 0, 0));
		break;
	case BPF_RET | BPF_A:
		emit(x, mk(BPF_ALU | BPF_MOV | BPF_X, R_TMP, R_A, 0, 0));
		emit(x, mk(BPF_JMP | BPF_EXIT, 0, 0, 0, 0));
		break;
	case BPF_LD | BPF_W | BPF_ABS:
	case BPF_LD | BPF_H | BPF_ABS:
	case BPF_LD | BPF_B | BPF_ABS:
		emit_ld_abs(x, in);
		break;
	case BPF_LD | BPF_W | BPF_IND:
	case BPF_LD | BPF_H | BPF_IND:
	case BPF_LD | BPF_B | BPF_IND:
		emit_ld_ind(x, in);
		break;
	case BPF_LDX | BPF_MSH | BPF_B:
		emit_ldx_msh(x, in);
		break;
	case BPF_LD | BPF_W | BPF_LEN:
	case BPF_LDX | BPF_W | BPF_LEN: {
		__u8 dst = BPF_CLASS(in->code) == BPF_LD ? R_A : R_X;

		if (x->spill_wire)
			emit(x, mk(BPF_LDX | BPF_MEM | BPF_W, dst, R_BUF, NR_FILTER_SPILL_OFF, 0));
		else
			emit(x, mk(BPF_ALU | BPF_MOV | BPF_X, dst, R_WIRE, 0, 0));
		break;
	}
	case BPF_LD | BPF_IMM:
		emit(x, mk(BPF_ALU | BPF_MOV | BPF_K, R_A, 0, 0, (__s32)in->k));
		break;
	case BPF_LDX | BPF_IMM:
		emit(x, mk(BPF_ALU | BPF_MOV | BPF_K, R_X, 0, 0, (__s32)in->k));
		break;
	case BPF_LD | BPF_MEM:
		emit(x, mk(BPF_LDX | BPF_MEM | BPF_W, R_A, R_BUF, mem_off(in->k), 0));
		break;
	case BPF_LDX | BPF_MEM:
		emit(x, mk(BPF_LDX | BPF_MEM | BPF_W, R_X, R_BUF, mem_off(in->k), 0));
		break;
	case BPF_ST:
		emit(x, mk(BPF_STX | BPF_MEM | BPF_W, R_BUF, R_A, mem_off(in->k), 0));
		break;
	case BPF_STX:
		emit(x, mk(BPF_STX | BPF_MEM | BPF_W, R_BUF, R_X, mem_off(in->k), 0));
		break;
	case BPF_MISC | BPF_TAX:
		emit(x, mk(BPF_ALU | BPF_MOV | BPF_X, R_X, R_A, 0, 0));
		break;
	case BPF_MISC | BPF_TXA:
		emit(x, mk(BPF_ALU | BPF_MOV | BPF_X, R_A, R_X, 0, 0));
		break;
	case BPF_JMP | BPF_JA:
		to = i + 1 + in->k;	/* wraps like libpcap's pc += k */
		if (to > i) {
			if (node(x, c, to) != next_emitted(x, c, i))
				emit_ja(x, node(x, c, to));
		} else if (c + 1 < x->copies)
			emit_ja(x, node(x, c + 1, to));	/* the next turn of the loop */
		else
			emit_ret0(x);
		break;
	default:
		if (BPF_CLASS(in->code) == BPF_ALU)
			emit_alu(x, in);
		else
			emit_jcond(x, c, i, in);
		break;
	}
}

static int refuse(char *errbuf, size_t errlen, unsigned int i, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int refuse(char *errbuf, size_t errlen, unsigned int i, const char *fmt, ...)
{
	char why[160];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	if (errbuf && errlen)
		snprintf(errbuf, errlen, "classic BPF instruction %u: %s", i, why);
	return -EINVAL;
}

/* What libpcap's validator and interpreter accept, minus what is undefined there. */
static int validate(const struct nr_cbpf_insn *prog, unsigned int len, char *errbuf,
		    size_t errlen)
{
	unsigned int i;

	if (len == 0)
		return refuse(errbuf, errlen, 0, "empty program");
	if (len > XLATE_MAX_CBPF)
		return refuse(errbuf, errlen, 0, "program of %u instructions is too long", len);
	for (i = 0; i < len; i++) {
		const struct nr_cbpf_insn *in = &prog[i];
		__u32 from = i + 1;

		if (is_packet_load(in->code))
			continue;
		switch (in->code) {
		case BPF_RET | BPF_K:
		case BPF_RET | BPF_A:
		case BPF_LDX | BPF_MSH | BPF_B:
		case BPF_LD | BPF_W | BPF_LEN:
		case BPF_LDX | BPF_W | BPF_LEN:
		case BPF_LD | BPF_IMM:
		case BPF_LDX | BPF_IMM:
		case BPF_MISC | BPF_TAX:
		case BPF_MISC | BPF_TXA:
		case BPF_ALU | BPF_NEG:
			break;
		case BPF_LD | BPF_MEM:
		case BPF_LDX | BPF_MEM:
		case BPF_ST:
		case BPF_STX:
			if (in->k >= NR_FILTER_MEMWORDS)
				return refuse(errbuf, errlen, i, "scratch word M[%u] out of range",
					      in->k);
			break;
		case BPF_JMP | BPF_JA:
			if (from + in->k >= len)	/* u32 wrap: libpcap's own check */
				return refuse(errbuf, errlen, i, "jump out of the program");
			break;
		case BPF_JMP | BPF_JEQ | BPF_K:
		case BPF_JMP | BPF_JGT | BPF_K:
		case BPF_JMP | BPF_JGE | BPF_K:
		case BPF_JMP | BPF_JSET | BPF_K:
		case BPF_JMP | BPF_JEQ | BPF_X:
		case BPF_JMP | BPF_JGT | BPF_X:
		case BPF_JMP | BPF_JGE | BPF_X:
		case BPF_JMP | BPF_JSET | BPF_X:
			if (from + in->jt >= len || from + in->jf >= len)
				return refuse(errbuf, errlen, i, "jump out of the program");
			break;
		case BPF_ALU | BPF_ADD | BPF_K:
		case BPF_ALU | BPF_SUB | BPF_K:
		case BPF_ALU | BPF_MUL | BPF_K:
		case BPF_ALU | BPF_AND | BPF_K:
		case BPF_ALU | BPF_OR | BPF_K:
		case BPF_ALU | BPF_XOR | BPF_K:
		case BPF_ALU | BPF_ADD | BPF_X:
		case BPF_ALU | BPF_SUB | BPF_X:
		case BPF_ALU | BPF_MUL | BPF_X:
		case BPF_ALU | BPF_AND | BPF_X:
		case BPF_ALU | BPF_OR | BPF_X:
		case BPF_ALU | BPF_XOR | BPF_X:
		case BPF_ALU | BPF_DIV | BPF_X:
		case BPF_ALU | BPF_MOD | BPF_X:
		case BPF_ALU | BPF_LSH | BPF_X:
		case BPF_ALU | BPF_RSH | BPF_X:
			break;
		case BPF_ALU | BPF_DIV | BPF_K:
		case BPF_ALU | BPF_MOD | BPF_K:
			if (in->k == 0)
				return refuse(errbuf, errlen, i, "division by a constant 0");
			break;
		case BPF_ALU | BPF_LSH | BPF_K:
		case BPF_ALU | BPF_RSH | BPF_K:
			if (in->k >= 32)
				return refuse(errbuf, errlen, i,
					      "shift by %u is undefined in libpcap", in->k);
			break;
		default:
			return refuse(errbuf, errlen, i, "opcode 0x%02x is not run by libpcap",
				      in->code);
		}
	}
	if (BPF_CLASS(prog[len - 1].code) != BPF_RET)
		return refuse(errbuf, errlen, len - 1, "the program does not end with ret");
	return 0;
}

/* Successors of node (@c, @i), up to two, in @s; returns how many. */
static int successors(const struct xlate *x, unsigned int c, unsigned int i, long s[2])
{
	const struct nr_cbpf_insn *in = &x->prog[i];
	__u32 to;

	if (BPF_CLASS(in->code) == BPF_RET || load_always_fails(in))
		return 0;
	if (in->code == (BPF_JMP | BPF_JA)) {
		to = i + 1 + in->k;
		if (to > i) {
			s[0] = node(x, c, to);
			return 1;
		}
		if (c + 1 < x->copies) {
			s[0] = node(x, c + 1, to);
			return 1;
		}
		return 0;	/* the loop turned too often: return 0 */
	}
	if (BPF_CLASS(in->code) == BPF_JMP) {
		s[0] = node(x, c, i + 1 + in->jt);
		s[1] = node(x, c, i + 1 + in->jf);
		return 2;
	}
	s[0] = node(x, c, i + 1);
	return 1;
}

static int analyze(struct xlate *x)
{
	const struct nr_cbpf_insn *prog = x->prog;
	size_t nodes = (size_t)x->copies * x->len, sp = 0, v;
	unsigned int len = x->len, i;
	__u16 *in_mem;
	long *stack;
	bool changed;
	long s[2];
	int n, j;

	stack = calloc(nodes, sizeof(*stack));
	in_mem = calloc(nodes, sizeof(*in_mem));
	if (!stack || !in_mem) {
		free(stack);
		free(in_mem);
		return -ENOMEM;
	}

	/* reachability from the first instruction of the first copy */
	x->reach[0] = true;
	stack[sp++] = 0;
	while (sp) {
		v = (size_t)stack[--sp];
		n = successors(x, (unsigned int)(v / len), (unsigned int)(v % len), s);
		for (j = 0; j < n; j++) {
			if (!x->reach[s[j]]) {
				x->reach[s[j]] = true;
				stack[sp++] = s[j];
			}
		}
	}

	/* scratch words written on every path to each node: a must-analysis, from "all
	 * written" down to the fixed point (every edge goes to a later node, so the first
	 * pass already reaches it; the second confirms) */
	for (v = 0; v < nodes; v++)
		in_mem[v] = 0xffff;
	in_mem[0] = 0;
	do {
		changed = false;
		for (v = 0; v < nodes; v++) {
			__u16 out = in_mem[v];

			if (!x->reach[v])
				continue;
			i = (unsigned int)(v % len);
			if (prog[i].code == BPF_ST || prog[i].code == BPF_STX)
				out |= (__u16)(1u << prog[i].k);
			n = successors(x, (unsigned int)(v / len), i, s);
			for (j = 0; j < n; j++) {
				if ((in_mem[s[j]] & out) != in_mem[s[j]]) {
					in_mem[s[j]] &= out;
					changed = true;
				}
			}
		}
	} while (changed);

	for (v = 0; v < nodes; v++) {
		__u16 code;

		if (!x->reach[v])
			continue;
		i = (unsigned int)(v % len);
		code = prog[i].code;
		if ((code == (BPF_LD | BPF_MEM) || code == (BPF_LDX | BPF_MEM)) &&
		    !(in_mem[v] & (1u << prog[i].k)))
			x->zero_mem |= (__u16)(1u << prog[i].k);
		if (code == (BPF_LD | BPF_W | BPF_LEN) || code == (BPF_LDX | BPF_W | BPF_LEN))
			x->uses_len = true;
		if ((x->flags & NR_XLATE_BYTE_LOADS) && !load_always_fails(&prog[i]) &&
		    (code == (BPF_LD | BPF_W | BPF_IND) || code == (BPF_LD | BPF_H | BPF_IND)))
			x->spill_wire = true;
	}
	if (!x->uses_len)
		x->spill_wire = false;
	free(stack);
	free(in_mem);
	return 0;
}

/* Whether @prog jumps backwards anywhere (libpcap's protochain). */
static bool has_loop(const struct nr_cbpf_insn *prog, unsigned int len)
{
	unsigned int i;

	for (i = 0; i < len; i++)
		if (prog[i].code == (BPF_JMP | BPF_JA) && i + 1 + prog[i].k <= i)
			return true;
	return false;
}

static void emit_prologue(struct xlate *x)
{
	unsigned int k;

	/* caplen: zero-extend, clamp to the buffer */
	emit(x, mk(BPF_ALU | BPF_MOV | BPF_X, R_CAP, R_CAP, 0, 0));
	emit(x, mk(BPF_JMP | BPF_JLE | BPF_K, R_CAP, 0, 1, NR_FILTER_BUF));
	emit(x, mk(BPF_ALU64 | BPF_MOV | BPF_K, R_CAP, 0, 0, NR_FILTER_BUF));
	if (x->spill_wire)
		emit(x, mk(BPF_STX | BPF_MEM | BPF_W, R_BUF, R_WIRE, NR_FILTER_SPILL_OFF, 0));
	else if (x->uses_len)
		emit(x, mk(BPF_ALU | BPF_MOV | BPF_X, R_WIRE, R_WIRE, 0, 0));
	/* libpcap starts with A = X = 0, and the verifier wants them written */
	emit(x, mk(BPF_ALU | BPF_MOV | BPF_K, R_A, 0, 0, 0));
	emit(x, mk(BPF_ALU | BPF_MOV | BPF_K, R_X, 0, 0, 0));
	/* libpcap reads whatever a scratch word holds; here it is 0, not stale data
	 * from an earlier packet (libpcap's own code never reads an unwritten word) */
	for (k = 0; k < NR_FILTER_MEMWORDS; k++)
		if (x->zero_mem & (1u << k))
			emit(x, mk(BPF_ST | BPF_MEM | BPF_W, R_BUF, 0, mem_off(k), 0));
}

int nr_xlate_cbpf(const struct nr_cbpf_insn *prog, unsigned int len, unsigned int flags,
		  struct bpf_insn **ret, size_t *ret_cnt, char *errbuf, size_t errlen)
{
	struct xlate x = { .prog = prog, .len = len, .flags = flags };
	size_t ret0 = 0, f;
	bool ret0_used = false;
	unsigned int c, i;
	int err;

	err = validate(prog, len, errbuf, errlen);
	if (err)
		return err;
	x.copies = has_loop(prog, len) ? XLATE_LOOP_COPIES : 1;
	x.reach = calloc((size_t)x.copies * len, sizeof(*x.reach));
	x.start = calloc((size_t)x.copies * len, sizeof(*x.start));
	if (!x.reach || !x.start) {
		err = -ENOMEM;
		goto out;
	}
	err = analyze(&x);
	if (err)
		goto out;

	emit_prologue(&x);
	for (c = 0; c < x.copies; c++) {
		for (i = 0; i < len; i++) {
			if (!x.reach[node(&x, c, i)])
				continue;
			x.start[node(&x, c, i)] = (long)x.cnt;
			emit_insn(&x, c, i);
		}
	}
	for (f = 0; f < x.nfix; f++)
		ret0_used |= x.fix[f].target == TARGET_RET0;
	if (ret0_used) {
		ret0 = emit(&x, mk(BPF_ALU | BPF_MOV | BPF_K, R_TMP, 0, 0, 0));
		emit(&x, mk(BPF_JMP | BPF_EXIT, 0, 0, 0, 0));
	}
	if (x.nomem) {
		err = -ENOMEM;
		goto out;
	}
	for (f = 0; f < x.nfix; f++) {
		long to = x.fix[f].target == TARGET_RET0 ? (long)ret0 : x.start[x.fix[f].target];
		long off = to - (long)x.fix[f].at - 1;

		if (off < SHRT_MIN || off > SHRT_MAX) {
			if (errbuf && errlen)
				snprintf(errbuf, errlen,
					 "the translation has a jump of %ld instructions, more "
					 "than eBPF's 16-bit offsets reach", off);
			err = -E2BIG;
			goto out;
		}
		x.out[x.fix[f].at].off = (__s16)off;
	}
	*ret = x.out;
	*ret_cnt = x.cnt;
	x.out = NULL;
out:
	free(x.out);
	free(x.fix);
	free(x.reach);
	free(x.start);
	if (err == -ENOMEM && errbuf && errlen)
		snprintf(errbuf, errlen, "out of memory");
	return err;
}

unsigned long long nr_xlate_max_abs_off(const struct nr_cbpf_insn *prog, unsigned int len)
{
	unsigned long long max = 0, end;
	unsigned int i;

	for (i = 0; i < len; i++) {
		__u16 code = prog[i].code;

		if (BPF_CLASS(code) == BPF_LD && BPF_MODE(code) == BPF_ABS)
			end = (unsigned long long)prog[i].k + cbpf_load_size(code);
		else if (code == (BPF_LDX | BPF_MSH | BPF_B))
			end = (unsigned long long)prog[i].k + 1;
		else
			continue;
		if (end > max)
			max = end;
	}
	return max;
}

static bool is_jump(const struct bpf_insn *in)
{
	__u8 cls = BPF_CLASS(in->code), op = BPF_OP(in->code);

	return (cls == BPF_JMP || cls == BPF_JMP32) && op != BPF_CALL && op != BPF_EXIT;
}

static bool fits_s16(long v)
{
	return v >= SHRT_MIN && v <= SHRT_MAX;
}

int nr_xlate_splice(const struct bpf_insn *prog, size_t cnt, const struct bpf_insn *body,
		    size_t body_cnt, struct bpf_insn **ret, size_t *ret_cnt, unsigned int *ret_sites)
{
	unsigned int sites = 0;
	struct bpf_insn *out;
	size_t i, j, pos;

	if (!body_cnt || body[body_cnt - 1].code != (BPF_JMP | BPF_EXIT))
		return -EINVAL;
	for (j = 0; j < body_cnt; j++) {
		long to = (long)j + 1 + body[j].off;

		if (is_jump(&body[j]) && (to < 0 || to >= (long)body_cnt))
			return -EINVAL;
	}
	for (i = 0; i < cnt; i++) {
		if (nr_xlate_is_hook(&prog[i]))
			sites++;
		else if (prog[i].code == (BPF_LD | BPF_IMM | BPF_DW))
			i++;	/* the second half of a 64-bit immediate load */
	}
	*ret_sites = sites;
	if (!sites)
		return 0;

	out = calloc(cnt + (size_t)sites * body_cnt, sizeof(*out));
	if (!out)
		return -ENOMEM;
	memcpy(out, prog, cnt * sizeof(*out));
	pos = cnt;
	for (i = 0; i < cnt; i++) {
		if (prog[i].code == (BPF_LD | BPF_IMM | BPF_DW)) {
			i++;
			continue;
		}
		if (!nr_xlate_is_hook(&prog[i]))
			continue;
		if (!fits_s16((long)pos - (long)i - 1) ||
		    !fits_s16((long)i + 1 - (long)(pos + body_cnt)))
			goto too_far;
		out[i] = mk(BPF_JMP | BPF_JA, 0, 0, (__s16)((long)pos - (long)i - 1), 0);
		for (j = 0; j < body_cnt; j++, pos++) {
			out[pos] = body[j];
			if (body[j].code == (BPF_JMP | BPF_EXIT))
				out[pos] = mk(BPF_JMP | BPF_JA, 0, 0,
					      (__s16)((long)i + 1 - (long)pos - 1), 0);
		}
	}
	*ret = out;
	*ret_cnt = pos;
	return 0;
too_far:
	free(out);
	return -E2BIG;
}
