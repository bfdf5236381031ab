/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * plan.h - which probes a recording uses and how: profiles and --probe additions,
 * matched against what a kernel offers (struct nr_kernel), give per probe either the
 * mechanism to attach with or the reason it cannot be had.
 *
 * Pure logic over a struct nr_kernel: the unit tests plan against kernels they make up.
 */
#ifndef NR_RECORD_PLAN_H
#define NR_RECORD_PLAN_H

#include <stdbool.h>
#include <linux/types.h>

#include "nr_features.h"
#include "nr_file.h"
#include "probes.h"

enum nr_sel {
	NR_SEL_NONE = 0,	/* not asked for */
	NR_SEL_COUNT,		/* attached to count hits only, no records */
	NR_SEL_EVENT,		/* records */
};

/**
 * struct nr_plan_opts - what the user asked for
 * @profile:    NR_PROFILE_*; NR_PROFILE_NONE selects only @probes
 * @probes:     names of probes to record besides the profile's (--probe NAME)
 * @nr_probes:  entries in @probes
 * @force_mech: use only this mechanism (tests, `--mechanism`); NR_MECH_NONE: any
 */
struct nr_plan_opts {
	enum nr_profile profile;
	const char *const *probes;
	__u32 nr_probes;
	enum nr_mech force_mech;
};

/**
 * struct nr_plan_probe - one probe's part of the plan
 * @def:       the probe
 * @sel:       NR_SEL_*
 * @mech:      the mechanism to use; NR_MECH_NONE when not selected or not available
 * @tp_args:   cfg_tp_args bits: optional arguments this kernel's prototype has
 * @in_kernel: the kernel has the tracepoint (BTF or tracefs)
 * @viable:    bit (1 << mech) for every mechanism the kernel offers for it
 * @tried:     bit (1 << mech) for every mechanism that failed at load or attach
 * @unverified: the mechanism was chosen without being able to check that the kernel
 *             accepts it (no privileges for trial loads)
 * @err:       negative errno of the last failure, or 0
 * @msg:       why it is unavailable or failed ("" otherwise)
 */
struct nr_plan_probe {
	const struct nr_probe_def *def;
	enum nr_sel sel;
	enum nr_mech mech;
	__u8 tp_args;
	bool in_kernel;
	bool unverified;
	__u32 viable;
	__u32 tried;
	int err;
	char msg[160];
};

/**
 * struct nr_plan - the whole plan: one entry per probe, index = probe id
 * @nr:     entries; the static probes come first (NR_P__STATIC_MAX of them)
 * @probes: the entries
 */
struct nr_plan {
	__u32 nr;
	struct nr_plan_probe *probes;
};

/**
 * nr_plan__build() - plan a recording on kernel @k
 * @reterr: on failure, the one line to show (e.g. an unknown --probe name)
 * Return: 0, -EINVAL (bad options), -ENOMEM.
 */
int nr_plan__build(const struct nr_plan_opts *opts, const struct nr_kernel *k,
		   struct nr_plan **ret, struct nr_error *reterr);

/**
 * nr_plan__add() - append a probe that is not in the static table: a function probe
 * (issue 6), planned by its own code; its id is its index, NR_P__STATIC_MAX and up
 * @def:    its description (kind NR_PK_FUNC, ...), kept by pointer: must outlive @p
 * @sel:    NR_SEL_EVENT or NR_SEL_COUNT
 * @viable: bit (1 << mech) per mechanism that can attach it, the first in @def->mechs
 *          order is chosen; 0 with @msg: unavailable
 * @msg:    why it is unavailable, or NULL
 * Return: the id, or -ENOMEM, -E2BIG (the id would not fit a record's probe field).
 */
int nr_plan__add(struct nr_plan *p, const struct nr_probe_def *def, enum nr_sel sel,
		 __u32 viable, const char *msg);

/**
 * nr_plan__fail() - record that probe @id's mechanism failed (@err, @msg) and move it to
 * the next mechanism the kernel offers
 * Return: true when another mechanism was chosen, false when none is left (the probe
 * is then failed, mech NR_MECH_NONE).
 */
bool nr_plan__fail(struct nr_plan *p, __u32 id, int err, const char *msg);

/** nr_plan__nr_active() - probes selected (counting or recording) that have a mechanism */
__u32 nr_plan__nr_active(const struct nr_plan *p);

/** nr_plan__nr_event_pkt() - active probes that record packets (NR_PD_PACKET events) */
__u32 nr_plan__nr_event_pkt(const struct nr_plan *p);

/**
 * nr_plan__status() - the NR_PROBE_* outcome of a plan entry before attaching:
 * NOT_SELECTED, UNAVAILABLE (the kernel lacks it), FAILED (every mechanism failed),
 * or ATTACHED meaning "will be attached with p->mech"
 */
__u16 nr_plan__status(const struct nr_plan_probe *pp);

/** nr_plan__free() - NULL-safe */
void nr_plan__free(struct nr_plan *p);

#endif /* NR_RECORD_PLAN_H */
