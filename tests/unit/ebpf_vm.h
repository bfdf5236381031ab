/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * ebpf_vm.h - a small eBPF interpreter for the filter translator's unit test
 *
 * It runs exactly the instruction subset the translator and the splice emit, with the
 * eBPF semantics of the kernel (Documentation/bpf/standardization/instruction-set.rst):
 * 32-bit ALU results zero-extended, immediates sign-extended for 64-bit operations and
 * compares, shift counts masked, division by zero giving 0 and modulo by zero keeping
 * the dividend. Anything else (calls, the stack, 64-bit loads, unknown opcodes) fails
 * the run, so does any access outside struct nr_filter_buf, a packet read at or past
 * caplen, a write to the packet, a read of a register never written, or running longer
 * than the step limit.
 */
#ifndef NR_TEST_EBPF_VM_H
#define NR_TEST_EBPF_VM_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/bpf.h>

#include "../../bpf/filter.bpf.h"

struct vm {
	struct nr_filter_buf *buf;
	__u32 readable;		/* packet bytes the program may read: min(caplen, 256) */
	unsigned long max_steps;
	unsigned long steps;	/* out: instructions run */
	char err[256];		/* out: why the run failed */
};

/**
 * vm_run() - run @prog from its first instruction with r1 = vm->buf, r2 = @caplen,
 * r3 = @wirelen (the hook's contract); other registers start unwritten
 * Return: true with r0 in *@r0, false with the reason in vm->err.
 */
bool vm_run(struct vm *vm, const struct bpf_insn *prog, size_t cnt, __u64 caplen, __u64 wirelen,
	    __u64 *r0);

/**
 * vm_check_body() - the verifier's static rules, as far as the translation needs them:
 * every jump lands inside, every instruction is reachable from the first, the last one
 * is an exit or a jump, no register above @max_reg (r5 for a translation, which must
 * leave r6-r9 alone), no calls other than the hook marker and no stack (r10)
 * Return: true, or false with the reason in @err.
 */
bool vm_check_body(const struct bpf_insn *prog, size_t cnt, unsigned int max_reg, char *err,
		   size_t errlen);

#endif /* NR_TEST_EBPF_VM_H */
