/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * filter_xlate.h - classic BPF to eBPF, and the splice into the probes' programs
 *
 * The translation is a self-contained eBPF function with the hook's contract
 * (bpf/filter.bpf.h): r1 = struct nr_filter_buf * (a map value), r2 = caplen,
 * r3 = wirelen; it returns the classic program's return value in r0 and touches
 * only r0-r5 and the scratch words of the buffer (no stack, no calls), so it can run
 * in place of the hook's marker without saving anything.
 *
 * Register use: r1 buffer, r2 caplen (clamped to NR_FILTER_BUF), r3 wirelen (or a
 * second temporary, with wirelen spilled to the buffer), r4 A, r5 X, r0 temporary and
 * result. A and X are kept zero-extended, so 32-bit classic BPF arithmetic maps onto
 * eBPF's 32-bit ALU and unsigned 64-bit compares.
 */
#ifndef NR_RECORD_FILTER_XLATE_H
#define NR_RECORD_FILTER_XLATE_H

#include <stddef.h>
#include <linux/bpf.h>

#include "../bpf/filter.bpf.h"
#include "filter_pcap.h"

enum nr_xlate_flags {
	/* Assemble 16- and 32-bit packet loads at offsets not known to be aligned from
	 * single bytes: for kernels that enforce strict alignment (architectures without
	 * efficient unaligned access, or BPF_F_STRICT_ALIGNMENT). */
	NR_XLATE_BYTE_LOADS	= 1u << 0,
};

/**
 * nr_xlate_cbpf() - translate a classic BPF program (as libpcap's bpf_filter runs it)
 * @flags: enum nr_xlate_flags
 * @ret/@ret_cnt: the eBPF function (malloc'ed), only set on success
 * @errbuf: on failure, why (one line)
 *
 * Every classic instruction libpcap's interpreter runs is translated with its exact
 * semantics, including division by a zero X (returns 0), loads past caplen (return 0)
 * and backward jumps (libpcap's `protochain`), whose loop is unrolled into a bounded
 * number of copies that no protochain walk through NR_FILTER_BUF bytes can exceed (a
 * loop that turns more often returns 0). Refused: programs libpcap's validator
 * refuses, and the few things whose libpcap result is undefined (shifts by a constant
 * >= 32, `ret x`).
 *
 * Return: 0, -EINVAL (refused, with the reason), -E2BIG (a jump would not fit in
 * 16 bits), -ENOMEM.
 */
int nr_xlate_cbpf(const struct nr_cbpf_insn *prog, unsigned int len, unsigned int flags,
		  struct bpf_insn **ret, size_t *ret_cnt, char *errbuf, size_t errlen);

/**
 * nr_xlate_max_abs_off() - the end of the highest constant-offset packet read of @prog
 * (0 if none), to warn about reads past what the probes copy
 */
unsigned long long nr_xlate_max_abs_off(const struct nr_cbpf_insn *prog, unsigned int len);

/**
 * nr_xlate_is_hook() - whether @insn is the marker of bpf/filter.bpf.h's nr_pcap_filter()
 */
static inline int nr_xlate_is_hook(const struct bpf_insn *insn)
{
	return insn->code == (BPF_JMP | BPF_CALL) && insn->src_reg == 0 && insn->dst_reg == 0 &&
	       insn->off == 0 && insn->imm == NR_FILTER_HOOK_ID;
}

/**
 * nr_xlate_splice() - give every hook marker of @prog a copy of @body
 * @prog/@cnt:     a program's instructions before libbpf's relocation
 * @body/@body_cnt: a function with the hook's contract (a translation), ending in exit
 * @ret/@ret_cnt:  the new program (malloc'ed), only set when @ret_sites > 0
 * @ret_sites:     how many markers were found
 *
 * Each marker becomes a jump to a copy of @body appended after the program, whose
 * exits jump back to the instruction after the marker. Nothing before the end of the
 * program moves, so libbpf's relocations and BTF line and function info stay valid,
 * and the subprograms libbpf appends at load come after the copies.
 *
 * Return: 0, -E2BIG (a jump would not fit in 16 bits), -EINVAL (@body does not end in
 * exit, or a jump of @body leaves it), -ENOMEM.
 */
int nr_xlate_splice(const struct bpf_insn *prog, size_t cnt, const struct bpf_insn *body,
		    size_t body_cnt, struct bpf_insn **ret, size_t *ret_cnt, unsigned int *ret_sites);

#endif /* NR_RECORD_FILTER_XLATE_H */
