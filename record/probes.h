/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * probes.h - the table of probe points: every place netrec can record from, what it
 * carries, which profiles want it and how it can be attached.
 *
 * Attaching (loader.c), `netrec probes` (cmd_probes.c), and the probe outcomes written
 * into the trace file all follow from this one table. A probe's id (enum nr_probe_id in
 * bpf/nr_shared.h) is its index here and the probe field of its records.
 *
 * Dynamic function probes (kprobe/fentry on named kernel functions) are described by the
 * same struct with kind NR_PK_FUNC and ids from NR_P__STATIC_MAX on; they are created at
 * run time instead of being listed here.
 */
#ifndef NR_RECORD_PROBES_H
#define NR_RECORD_PROBES_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>

#include "nr_shared.h"

/* Attach mechanisms, in no particular order; a probe lists its own preference. */
enum nr_mech {
	NR_MECH_NONE = 0,
	NR_MECH_TP_BTF,		/* BTF-typed raw tracepoint (5.5+) */
	NR_MECH_RAW_TP,		/* raw tracepoint (4.17+) */
	NR_MECH_TRACEPOINT,	/* classic tracepoint through perf, reads the tracefs record */
	NR_MECH_FENTRY,
	NR_MECH_FEXIT,
	NR_MECH_KPROBE_MULTI,
	NR_MECH_KPROBE,
	NR_MECH_KRETPROBE,
	__NR_MECH_MAX,
};

/* Profiles, each a superset of the one before. */
enum nr_profile {
	NR_PROFILE_NONE = 0,
	NR_PROFILE_DROPS = 1,	/* default: drops, TCP states, resets, retransmits */
	NR_PROFILE_PATH = 2,	/* + the receive, transmit, queueing and delivery points */
	NR_PROFILE_ALL = 3,	/* + sockets' buffers, route lookups, neighbours */
	__NR_PROFILE_MAX,
};

enum nr_probe_kind {
	NR_PK_TRACEPOINT = 1,	/* name is "system:event" */
	NR_PK_FUNC = 2,		/* a kernel function (dynamic probes) */
};

/* struct nr_probe_def.flags */
#define NR_PD_PACKET	(1u << 0)	/* records an skb: packet filters, snapshots */
#define NR_PD_DROP	(1u << 1)	/* a drop: a stack and a snapshot with every record */
#define NR_PD_FREE	(1u << 2)	/* the skb's life ends here */

#define NR_TP_MAX_ARGS	6

/**
 * struct nr_probe_def - one probe point
 * @id:            enum nr_probe_id; equals the index in nr_probe_defs
 * @kind:          NR_PK_*
 * @name:          netrec's name; for tracepoints "system:event" as in tracefs
 * @prog:          stem of the BPF program names in netrec.skel.h: @prog + "_btf",
 *                 "_raw", "_tp" per mechanism
 * @rec_type:      NR_REC_* of its records
 * @flags:         NR_PD_*
 * @profile:       lowest profile that records its events
 * @count_profile: lowest profile that attaches it only to count its hits
 *                 (NR_PROFILE_NONE: never counting-only)
 * @mechs:         mechanisms in order of preference, NR_MECH_NONE-terminated
 * @args:          the tracepoint's arguments the program reads, as the running kernel's
 *                 BTF spells their types with typedefs and qualifiers removed (the
 *                 btf_trace_<event> prototype after its context pointer)
 * @nr_required:   how many of @args every usable kernel has; the others are optional,
 *                 read only where the prototype has them (cfg_tp_args)
 * @carries:       what a record holds besides the common fields, for people
 */
struct nr_probe_def {
	__u16 id;
	__u16 kind;
	const char *name;
	const char *prog;
	__u16 rec_type;
	__u16 flags;
	enum nr_profile profile;
	enum nr_profile count_profile;
	enum nr_mech mechs[4];
	const char *args[NR_TP_MAX_ARGS];
	__u8 nr_required;
	const char *carries;
};

extern const struct nr_probe_def nr_probe_defs[NR_P__STATIC_MAX];

/** nr_probe_by_name() - the static probe called @name, or NULL */
const struct nr_probe_def *nr_probe_by_name(const char *name);

/**
 * nr_probe_tracepoint() - split a tracepoint probe's name
 * @sys: receives the tracefs system ("skb"), @syslen bytes
 * Return: the event name ("kfree_skb"), or NULL when @d is not a tracepoint.
 */
const char *nr_probe_tracepoint(const struct nr_probe_def *d, char *sys, size_t syslen);

/** nr_mech_name() - "tp_btf", "raw_tp", "tracepoint", ...; "none" for NR_MECH_NONE */
const char *nr_mech_name(enum nr_mech m);

/** nr_mech_by_name() - parse a mechanism name; -EINVAL when unknown */
int nr_mech_by_name(const char *name, enum nr_mech *ret);

/** nr_mech_prog_suffix() - the program name suffix of a tracepoint mechanism, or NULL */
const char *nr_mech_prog_suffix(enum nr_mech m);

/** nr_profile_name() - "drops", "path", "all" */
const char *nr_profile_name(enum nr_profile p);

/** nr_profile_by_name() - parse a profile name; -EINVAL when unknown */
int nr_profile_by_name(const char *name, enum nr_profile *ret);

#endif /* NR_RECORD_PROBES_H */
