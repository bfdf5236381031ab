// SPDX-License-Identifier: GPL-2.0-only
/*
 * ebpf_vm.c - the unit test's eBPF interpreter (see ebpf_vm.h)
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <endian.h>

#include "ebpf_vm.h"

static bool fail(struct vm *vm, size_t pc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static bool fail(struct vm *vm, size_t pc, const char *fmt, ...)
{
	char msg[200];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(vm->err, sizeof(vm->err), "insn %zu: %s", pc, msg);
	return false;
}

static unsigned int size_of(__u8 code)
{
	switch (BPF_SIZE(code)) {
	case BPF_B:
		return 1;
	case BPF_H:
		return 2;
	case BPF_W:
		return 4;
	default:
		return 8;
	}
}

/* Check a memory access of @size bytes at host address @addr against the buffer. */
static bool check_access(struct vm *vm, size_t pc, __u64 addr, unsigned int size, bool write)
{
	__u64 base = (__u64)(uintptr_t)vm->buf;
	__u64 off;

	if (addr < base || addr - base + size > sizeof(*vm->buf))
		return fail(vm, pc, "%s of %u bytes outside the buffer (offset %lld)",
			    write ? "write" : "read", size, (long long)(addr - base));
	off = addr - base;
	if (write && off < NR_FILTER_MEM_OFF)
		return fail(vm, pc, "write into the packet at offset %llu",
			    (unsigned long long)off);
	if (!write && off < NR_FILTER_BUF && off + size > vm->readable)
		return fail(vm, pc, "read of packet bytes %llu..%llu past caplen %u",
			    (unsigned long long)off, (unsigned long long)(off + size - 1),
			    vm->readable);
	return true;
}

static __u64 load(__u64 addr, unsigned int size)
{
	const void *p = (const void *)(uintptr_t)addr;
	__u16 h;
	__u32 w;

	switch (size) {
	case 1:
		return *(const __u8 *)p;
	case 2:
		memcpy(&h, p, 2);
		return h;
	default:
		memcpy(&w, p, 4);
		return w;
	}
}

static void store(__u64 addr, unsigned int size, __u64 v)
{
	void *p = (void *)(uintptr_t)addr;
	__u16 h = (__u16)v;
	__u32 w = (__u32)v;

	switch (size) {
	case 1:
		*(__u8 *)p = (__u8)v;
		break;
	case 2:
		memcpy(p, &h, 2);
		break;
	default:
		memcpy(p, &w, 4);
		break;
	}
}

static __u64 alu(__u8 op, __u64 dst, __u64 src, bool is64, bool *ok)
{
	__u64 r;

	*ok = true;
	if (!is64) {
		dst = (__u32)dst;
		src = (__u32)src;
	}
	switch (op) {
	case BPF_ADD:
		r = dst + src;
		break;
	case BPF_SUB:
		r = dst - src;
		break;
	case BPF_MUL:
		r = dst * src;
		break;
	case BPF_DIV:
		r = src ? dst / src : 0;
		break;
	case BPF_MOD:
		r = src ? dst % src : dst;
		break;
	case BPF_OR:
		r = dst | src;
		break;
	case BPF_AND:
		r = dst & src;
		break;
	case BPF_XOR:
		r = dst ^ src;
		break;
	case BPF_LSH:
		r = dst << (src & (is64 ? 63 : 31));
		break;
	case BPF_RSH:
		r = dst >> (src & (is64 ? 63 : 31));
		break;
	case BPF_NEG:
		r = 0 - dst;
		break;
	case BPF_MOV:
		r = src;
		break;
	default:
		*ok = false;
		return 0;
	}
	return is64 ? r : (__u32)r;
}

static bool cond(__u8 op, __u64 a, __u64 b, bool *ok)
{
	*ok = true;
	switch (op) {
	case BPF_JEQ:
		return a == b;
	case BPF_JNE:
		return a != b;
	case BPF_JGT:
		return a > b;
	case BPF_JGE:
		return a >= b;
	case BPF_JLT:
		return a < b;
	case BPF_JLE:
		return a <= b;
	case BPF_JSET:
		return (a & b) != 0;
	default:
		*ok = false;
		return false;
	}
}

bool vm_run(struct vm *vm, const struct bpf_insn *prog, size_t cnt, __u64 caplen, __u64 wirelen,
	    __u64 *ret)
{
	__u64 reg[11] = { 0 };
	unsigned int init = 1u << BPF_REG_1 | 1u << BPF_REG_2 | 1u << BPF_REG_3;
	size_t pc = 0;
	bool ok;

	reg[BPF_REG_1] = (__u64)(uintptr_t)vm->buf;
	reg[BPF_REG_2] = caplen;
	reg[BPF_REG_3] = wirelen;
	vm->steps = 0;
	vm->err[0] = '\0';

#define NEED(r)                                                                          \
	do {                                                                             \
		if ((r) > BPF_REG_9)                                                     \
			return fail(vm, pc, "register r%u is not allowed", (r));        \
		if (!(init & (1u << (r))))                                               \
			return fail(vm, pc, "r%u read before it is written", (r));      \
	} while (0)

	for (;;) {
		const struct bpf_insn *in;
		__u8 cls, op;
		__u64 src, addr;

		if (pc >= cnt)
			return fail(vm, pc, "ran off the end of the program");
		if (++vm->steps > vm->max_steps)
			return fail(vm, pc, "more than %lu steps", vm->max_steps);
		in = &prog[pc];
		cls = BPF_CLASS(in->code);
		op = BPF_OP(in->code);
		if (in->dst_reg > BPF_REG_9)
			return fail(vm, pc, "destination r%u is not allowed", in->dst_reg);

		switch (cls) {
		case BPF_ALU:
		case BPF_ALU64:
			if (op == BPF_END) {
				unsigned int bits = (unsigned int)in->imm;

				NEED(in->dst_reg);
				if (cls != BPF_ALU || (bits != 16 && bits != 32))
					return fail(vm, pc, "unexpected byte swap 0x%02x/%u",
						    in->code, bits);
				src = reg[in->dst_reg];
				if (BPF_SRC(in->code) == BPF_TO_BE)
					reg[in->dst_reg] = bits == 16 ? htobe16((__u16)src)
								      : htobe32((__u32)src);
				else
					reg[in->dst_reg] = bits == 16 ? (__u16)src : (__u32)src;
				break;
			}
			if (BPF_SRC(in->code) == BPF_X && op != BPF_NEG) {
				NEED(in->src_reg);
				src = reg[in->src_reg];
			} else {
				/* sign-extended; 32-bit ops then use the low half */
				src = (__u64)(__s64)in->imm;
			}
			if (op != BPF_MOV)
				NEED(in->dst_reg);
			reg[in->dst_reg] = alu(op, reg[in->dst_reg], src, cls == BPF_ALU64, &ok);
			if (!ok)
				return fail(vm, pc, "unexpected ALU opcode 0x%02x", in->code);
			init |= 1u << in->dst_reg;
			break;
		case BPF_LDX:
			if (BPF_MODE(in->code) != BPF_MEM || size_of(in->code) == 8)
				return fail(vm, pc, "unexpected load 0x%02x", in->code);
			NEED(in->src_reg);
			addr = reg[in->src_reg] + (__u64)(__s64)in->off;
			if (!check_access(vm, pc, addr, size_of(in->code), false))
				return false;
			reg[in->dst_reg] = load(addr, size_of(in->code));
			init |= 1u << in->dst_reg;
			break;
		case BPF_STX:
		case BPF_ST:
			if (BPF_MODE(in->code) != BPF_MEM || size_of(in->code) == 8)
				return fail(vm, pc, "unexpected store 0x%02x", in->code);
			NEED(in->dst_reg);
			if (cls == BPF_STX)
				NEED(in->src_reg);
			addr = reg[in->dst_reg] + (__u64)(__s64)in->off;
			if (!check_access(vm, pc, addr, size_of(in->code), true))
				return false;
			store(addr, size_of(in->code),
			      cls == BPF_STX ? reg[in->src_reg] : (__u64)(__s64)in->imm);
			break;
		case BPF_LD:
			if (in->code != (BPF_LD | BPF_IMM | BPF_DW) || in->src_reg || pc + 1 >= cnt)
				return fail(vm, pc, "unexpected load 0x%02x", in->code);
			reg[in->dst_reg] = (__u32)in->imm | (__u64)(__u32)prog[pc + 1].imm << 32;
			init |= 1u << in->dst_reg;
			pc++;
			break;
		case BPF_JMP:
			if (op == BPF_EXIT) {
				NEED(BPF_REG_0);
				*ret = reg[BPF_REG_0];
				return true;
			}
			if (op == BPF_CALL)
				return fail(vm, pc, "call %d", in->imm);
			if (op == BPF_JA) {
				pc = pc + 1 + (size_t)(__s64)in->off;
				continue;
			}
			NEED(in->dst_reg);
			if (BPF_SRC(in->code) == BPF_X)
				NEED(in->src_reg);
			src = BPF_SRC(in->code) == BPF_X ? reg[in->src_reg] : (__u64)(__s64)in->imm;
			if (cond(op, reg[in->dst_reg], src, &ok))
				pc = pc + 1 + (size_t)(__s64)in->off;
			else
				pc++;
			if (!ok)
				return fail(vm, pc, "unexpected jump opcode 0x%02x", in->code);
			continue;
		default:
			return fail(vm, pc, "unexpected instruction class 0x%02x", in->code);
		}
		pc++;
	}
#undef NEED
}

bool vm_check_body(const struct bpf_insn *prog, size_t cnt, unsigned int max_reg, char *err,
		   size_t errlen)
{
	bool *seen = calloc(cnt ? cnt : 1, sizeof(*seen));
	size_t *stack = calloc(cnt ? cnt : 1, sizeof(*stack)), sp = 0, i;
	bool ok = true;

	if (!seen || !stack || !cnt) {
		snprintf(err, errlen, "empty or out of memory");
		ok = false;
		goto out;
	}
	for (i = 0; i < cnt && ok; i++) {
		const struct bpf_insn *in = &prog[i];
		__u8 cls = BPF_CLASS(in->code), op = BPF_OP(in->code);

		if (in->code == (BPF_LD | BPF_IMM | BPF_DW)) {
			i++;	/* second half: no registers, no opcode */
			continue;
		}
		if (in->dst_reg > max_reg || in->src_reg > max_reg) {
			snprintf(err, errlen, "insn %zu uses r%u/r%u", i, in->dst_reg, in->src_reg);
			ok = false;
		} else if (cls == BPF_JMP && op == BPF_CALL) {
			snprintf(err, errlen, "insn %zu is a call", i);
			ok = false;
		} else if (cls == BPF_JMP && op != BPF_EXIT &&
			   ((long)i + 1 + in->off < 0 || (long)i + 1 + in->off >= (long)cnt)) {
			snprintf(err, errlen, "insn %zu jumps out to %ld", i, (long)i + 1 + in->off);
			ok = false;
		}
	}
	if (ok && prog[cnt - 1].code != (BPF_JMP | BPF_EXIT) &&
	    prog[cnt - 1].code != (BPF_JMP | BPF_JA)) {
		snprintf(err, errlen, "last insn is not an exit or a jump");
		ok = false;
	}
	if (!ok)
		goto out;
	seen[0] = true;
	stack[sp++] = 0;
	while (sp) {
		const struct bpf_insn *in;
		size_t next[2];
		int n = 0, j;

		i = stack[--sp];
		in = &prog[i];
		if (BPF_CLASS(in->code) == BPF_JMP && BPF_OP(in->code) == BPF_EXIT) {
			n = 0;
		} else if (in->code == (BPF_LD | BPF_IMM | BPF_DW)) {
			seen[i + 1] = true;
			next[n++] = i + 2;
		} else if (BPF_CLASS(in->code) == BPF_JMP && BPF_OP(in->code) == BPF_JA) {
			next[n++] = (size_t)((long)i + 1 + in->off);
		} else if (BPF_CLASS(in->code) == BPF_JMP) {
			next[n++] = i + 1;
			next[n++] = (size_t)((long)i + 1 + in->off);
		} else {
			next[n++] = i + 1;
		}
		for (j = 0; j < n; j++) {
			if (next[j] >= cnt) {
				snprintf(err, errlen, "insn %zu falls off the end", i);
				ok = false;
				goto out;
			}
			if (!seen[next[j]]) {
				seen[next[j]] = true;
				stack[sp++] = next[j];
			}
		}
	}
	for (i = 0; i < cnt; i++) {
		if (!seen[i]) {
			snprintf(err, errlen, "insn %zu is unreachable", i);
			ok = false;
			break;
		}
	}
out:
	free(seen);
	free(stack);
	return ok;
}
