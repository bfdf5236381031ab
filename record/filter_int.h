/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * filter_int.h - internals of record/filter.c that the filter's own tests use
 */
#ifndef NR_RECORD_FILTER_INT_H
#define NR_RECORD_FILTER_INT_H

#include <stddef.h>
#include <linux/bpf.h>

struct nr_filter;

/**
 * nr_filter_try_load() - load @body (a function with the hook's contract) in a small
 * raw_tp program of its own, called through the hook marker and nr_xlate_splice() like
 * in the probes, with r1 a map value of struct nr_filter_buf and r2/r3 unknown
 * @prog_flags: BPF_F_* load flags (BPF_F_STRICT_ALIGNMENT in tests)
 * @log/@loglen: on a verifier refusal, the line of the log that says why
 *
 * Return: 0 when the verifier accepts it, the negative errno of the load otherwise.
 */
int nr_filter_try_load(const struct bpf_insn *body, size_t body_cnt, __u32 prog_flags,
		       char *log, size_t loglen);

/** nr_filter__ebpf() - the translation nr_filter__prepare_object() would inject, or NULL */
const struct bpf_insn *nr_filter__ebpf(const struct nr_filter *f, size_t *cnt);

#endif /* NR_RECORD_FILTER_INT_H */
