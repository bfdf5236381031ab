/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * nr_features.h - what the running kernel offers, probed lazily and cached (as libbpf's
 * features.c): each feature is unknown until first asked, then present or absent.
 *
 * Nothing here parses uname or compares versions: BTF says which tracepoints exist and
 * what their arguments are, trial loads say which program types the kernel accepts,
 * tracefs says which classic tracepoints exist.
 */
#ifndef NR_RECORD_FEATURES_H
#define NR_RECORD_FEATURES_H

#include <stdbool.h>
#include <linux/types.h>

#include "probes.h"

struct btf;

enum nr_feat {
	NR_FEAT_BTF,		/* the kernel's own BTF (/sys/kernel/btf/vmlinux) */
	NR_FEAT_PRIV,		/* CAP_BPF and CAP_PERFMON, or CAP_SYS_ADMIN */
	NR_FEAT_RINGBUF,	/* BPF_MAP_TYPE_RINGBUF */
	NR_FEAT_TP_BTF,		/* a tp_btf program loads */
	NR_FEAT_RAW_TP,		/* a raw_tp program loads */
	NR_FEAT_TRACEPOINT,	/* a tracepoint program loads */
	NR_FEAT_TRACEFS,	/* tracefs events are readable */
	__NR_FEAT_MAX,
};

/**
 * nr_feat() - is @f there?
 * Return: 1 present, 0 absent, negative errno when it cannot be told (e.g. -EPERM:
 * trial loads need privileges).
 */
int nr_feat(enum nr_feat f);

/** nr_feat_name() - what @f is, for people ("ring buffer", ...) */
const char *nr_feat_name(enum nr_feat f);

/** nr_features__reset() - forget every cached answer (tests) */
void nr_features__reset(void);

/** nr_vmlinux_btf() - the kernel's BTF, loaded once; NULL when it has none */
const struct btf *nr_vmlinux_btf(void);

/**
 * struct nr_tp_proto - a tracepoint's arguments, from its btf_trace_<event> typedef
 * @nr:    number of arguments after the hidden context pointer
 * @types: each type with typedefs and qualifiers resolved away ("struct sk_buff *",
 *         "unsigned int", "enum skb_drop_reason"); the first NR_TP_MAX_ARGS only
 */
struct nr_tp_proto {
	__u32 nr;
	char types[NR_TP_MAX_ARGS][64];
};

/**
 * nr_btf_tp_proto() - the prototype of tracepoint @event in @btf
 * Return: 0, -ENOENT (no such tracepoint in @btf), -EINVAL (not a function prototype).
 */
int nr_btf_tp_proto(const struct btf *btf, const char *event, struct nr_tp_proto *ret);

/**
 * nr_tracefs_event() - does tracefs have @sys/@event?
 * Return: 1 yes, 0 no, negative errno when tracefs cannot be read (-EACCES, -ENOENT
 * when not mounted).
 */
int nr_tracefs_event(const char *sys, const char *event);

/**
 * struct nr_kernel - the plan's view of a kernel: the running one (nr_kernel_running)
 * or a description the unit tests make up. Each callback returns as its counterpart
 * above.
 */
struct nr_kernel {
	int (*feat)(void *ctx, enum nr_feat f);
	int (*tp_proto)(void *ctx, const char *event, struct nr_tp_proto *ret);
	int (*tracefs_event)(void *ctx, const char *sys, const char *event);
	void *ctx;
};

extern const struct nr_kernel nr_kernel_running;

#endif /* NR_RECORD_FEATURES_H */
