/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * loader.h - the kernel side of a recording: plan, load and attach the BPF probes, and
 * control them while they run.
 *
 * Life cycle (each step returns 0 or a negative errno with one line in @reterr):
 *
 *   nr_loader__open()    check the kernel (BTF, privileges, ring buffer) and plan
 *   nr_loader__load()    open the skeleton, set rodata and map sizes, choose programs,
 *                        hand the object to the pcap-filter translator, load; a program
 *                        the verifier refuses moves its probe to the next mechanism
 *                        (tp_btf -> raw_tp -> tracepoint) and the object is loaded again
 *   nr_loader__attach()  attach every selected probe; an attach failure moves the probe
 *                        to its next mechanism too (reloading the object once more)
 *   ...                  drain nr_loader__ringbuf_fd(), read counters, pause, resume,
 *                        change the stack budget
 *   nr_loader__close()   detach and free
 *
 * A probe the kernel lacks never fails the recording: it is reported (pr_warn) and
 * recorded in the outcomes. Only "nothing can be attached at all" is an error.
 *
 * Draining: records are submitted with BPF_RB_NO_WAKEUP until cfg_wakeup_bytes are
 * pending, so epoll on the ring buffer only fires when it is filling up. The drain
 * must also consume on a timer: ring_buffer__poll(rb, timeout) followed by
 * ring_buffer__consume(rb) after each timeout, every 10 to 100 ms.
 *
 * Records in the ring buffer are those of format/netrec_abi.h; a stack travels inline
 * (NR_RF_STACK_INLINE: stack_id frames after the snapshot). hdr.size is the record's
 * size; the ring buffer's own length for a record may be larger and its tail is
 * unspecified.
 *
 * Logging: libbpf's messages are demoted: its warnings show at -v (debug), its info and
 * debug lines and the verifier log at -vv (verbose).
 */
#ifndef NR_RECORD_LOADER_H
#define NR_RECORD_LOADER_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>

#include "nr_file.h"
#include "nr_shared.h"
#include "plan.h"
#include "probes.h"

struct bpf_link;
struct bpf_object;
struct nr_filter;
struct nr_loader;

/**
 * struct nr_loader_ext - how probes beyond the static table (function probes, issue 6)
 * come in without the loader changing: the plan grows with nr_plan__add(), their
 * programs are set up on the opened object, and their own code attaches them.
 * @plan:    after the static plan is built: add entries; 0 or -errno (fails the open)
 * @prepare: after the object is opened and configured, before each load: autoload,
 *           attach targets and rodata of the entries from NR_P__STATIC_MAX on; may
 *           nr_plan__fail() an entry it cannot serve; 0 or -errno (fails the load). A
 *           program of its own the verifier refuses fails the load.
 * @attach:  attach entry @pp with @pp->mech: the link, or NULL with errno set (the entry
 *           then moves to its next mechanism, and the object is loaded again)
 * @ctx:     passed back to each
 */
struct nr_loader_ext {
	int (*plan)(void *ctx, struct nr_plan *plan);
	int (*prepare)(void *ctx, struct bpf_object *obj, struct nr_plan *plan);
	struct bpf_link *(*attach)(void *ctx, struct bpf_object *obj,
				   const struct nr_plan_probe *pp);
	void *ctx;
};

#define NR_RINGBUF_DEFAULT	(8u << 20)	/* bytes */
#define NR_TRACK_DEFAULT	65536		/* skbs tracked (--follow, first sighting) */

/**
 * struct nr_loader_opts - what to record and how (zero = default for every field)
 * @sz:            sizeof(struct nr_loader_opts)
 * @profile:       NR_PROFILE_*; NR_PROFILE_NONE selects nothing but @probes (a zeroed
 *                 struct records the drops profile: 0 is read as NR_PROFILE_DROPS
 *                 unless @only_probes is set)
 * @only_probes:   take @profile literally, NR_PROFILE_NONE included
 * @probes:        probe names recorded besides the profile (--probe NAME)
 * @nr_probes:     entries in @probes
 * @force_mech:    attach with this mechanism only (tests); NR_MECH_NONE: best available
 * @snaplen:       snapshot bytes per packet record, up to NR_SNAP_MAX; 0: default
 *                 (NR_SNAPLEN_DEFAULT)
 * @no_snapshot:   no packet snapshots at all
 * @snap_all:      a snapshot with every packet record, not only at first sighting and drops
 * @stack_depth:   frames per stack, 1..NR_STACK_MAX; 0: NR_STACK_DEPTH_DEFAULT
 * @stack_all:     a stack with every record (--stack); drops always have one
 * @stack_sample:  at most this many stacks per second per site (probe, location,
 *                 reason) and CPU; the others are flagged and counted as skipped;
 *                 0: every one
 * @max_stacks:    with @limit_stacks: stacks allowed over the recording (--max-stacks)
 * @limit_stacks:  apply @max_stacks
 * @netns:         only events in the network namespace with this inode; 0: all
 * @ifindex:       only packets on (or received on) this interface; 0: all
 * @ifindex_netns: the namespace (inode) @ifindex is in: an ifindex is only unique
 *                 within a namespace; 0: that ifindex in any namespace
 * @mark:          with @mark_mask: only packets with (skb->mark & mark_mask) == mark
 * @mark_mask:     0: no mark filter
 * @filter:        compiled pcap-filter expression (record/filter.h), or NULL
 * @follow:        keep the later events of skbs that matched the filters once (--follow)
 * @rate_limit:    events per second over all probes and CPUs; 0: unlimited
 * @ringbuf_bytes: ring buffer size (rounded up to a power of 2); 0: NR_RINGBUF_DEFAULT
 * @wakeup_bytes:  pending bytes that wake the drain; 0: a quarter of the ring buffer
 * @track_entries: skbs remembered for --follow and first-sighting; 0: NR_TRACK_DEFAULT
 * @start_paused:  load and attach paused (nr_loader__pause() to start recording)
 * @ext:           probes beyond the static table, or NULL
 */
struct nr_loader_opts {
	size_t sz;
	enum nr_profile profile;
	bool only_probes;
	const char *const *probes;
	__u32 nr_probes;
	enum nr_mech force_mech;
	__u32 snaplen;
	bool no_snapshot;
	bool snap_all;
	__u32 stack_depth;
	bool stack_all;
	__u32 stack_sample;
	bool limit_stacks;
	__u64 max_stacks;
	__u32 netns;
	__u32 ifindex;
	__u32 ifindex_netns;
	__u32 mark;
	__u32 mark_mask;
	struct nr_filter *filter;
	bool follow;
	__u32 rate_limit;
	__u64 ringbuf_bytes;
	__u64 wakeup_bytes;
	__u32 track_entries;
	bool start_paused;
	const struct nr_loader_ext *ext;
	size_t :0;
};
#define nr_loader_opts__last_field ext

/**
 * nr_loader__check_kernel() - can this process record on this kernel at all?
 *
 * The checks nr_loader__open() starts with, for a caller that must tell the user before
 * doing anything else (e.g. before resolving names that need the same privileges):
 * kernel BTF, privileges, the ring buffer. Same errors and lines as nr_loader__open().
 */
int nr_loader__check_kernel(struct nr_error *reterr);

/**
 * nr_loader__open() - check that this kernel can record at all, and plan the probes
 *
 * Fails with one line in @reterr when it cannot: "kernel lacks BTF
 * (CONFIG_DEBUG_INFO_BTF)" (-EOPNOTSUPP), "needs root, or CAP_BPF and CAP_PERFMON"
 * (-EPERM), "kernel lacks the BPF ring buffer (Linux 5.8+)" (-EOPNOTSUPP), an unknown
 * --probe name (-EINVAL). Loads nothing.
 */
int nr_loader__open(const struct nr_loader_opts *opts, struct nr_loader **ret,
		    struct nr_error *reterr);

/**
 * nr_loader__load() - load the programs of every selected probe
 *
 * With a filter the translator could not put into the kernel, the probes run without
 * it and nr_loader__user_filter() says so (a warning is printed).
 * Return: 0 when at least one probe loaded; -ENOENT when none could (every probe
 * unavailable or refused); another negative errno when the object itself could not be
 * loaded (e.g. -EPERM), with @reterr saying why.
 */
int nr_loader__load(struct nr_loader *l, struct nr_error *reterr);

/**
 * nr_loader__attach() - attach the loaded probes; events start to flow (unless paused)
 *
 * Resets the rate-limit window to now. A probe that fails to attach moves to its next
 * mechanism, which reloads the object: call nr_loader__ringbuf_fd() after this.
 * Return: 0 when at least one probe is attached, -ENOENT when none could be.
 */
int nr_loader__attach(struct nr_loader *l, struct nr_error *reterr);

/** nr_loader__ringbuf_fd() - fd of the "events" ring buffer map, -EBADF before load */
int nr_loader__ringbuf_fd(const struct nr_loader *l);

/** nr_loader__ncpus() - possible CPUs: entries per probe in per-CPU counters */
__u32 nr_loader__ncpus(const struct nr_loader *l);

/**
 * nr_loader__read_stats() - the per-CPU counters of probe @probe
 * @percpu: nr_loader__ncpus() entries, filled
 */
int nr_loader__read_stats(const struct nr_loader *l, __u32 probe, struct nr_probe_stats *percpu);

/**
 * nr_counter_fn - called by nr_loader__for_each_counter()
 * @kind:  NR_CNT_*
 * @probe: probe id
 * @cpu:   CPU, or NR_CPU_ALL (NR_CNT_PROG_MISSED: the kernel counts them per program)
 * @value: cumulative since the probes were loaded
 * Return: 0 to go on, non-zero to stop (returned by nr_loader__for_each_counter())
 */
typedef int (*nr_counter_fn)(void *ctx, __u16 kind, __u16 probe, __u32 cpu, __u64 value);

/**
 * nr_loader__for_each_counter() - every non-zero counter of every attached probe, in
 * the form of struct nr_counter (NR_CNT_HITS, LOST, FILTERED, RATE_LIMITED, PAUSED,
 * STACK_SKIPPED per CPU; PROG_MISSED per probe: firings the kernel skipped because the
 * program was already running on that CPU, read from the program's run statistics)
 */
int nr_loader__for_each_counter(const struct nr_loader *l, nr_counter_fn fn, void *ctx);

/**
 * nr_loader__detach() - detach every probe, keep the maps: the ring buffer can still be
 * drained and the counters read (nr_loader__for_each_counter() still reports the probes
 * that were attached), so that a recording ends with final counters that match what was
 * drained. Loading or attaching again is not supported after it.
 */
int nr_loader__detach(struct nr_loader *l);

/** nr_loader__pause() - stop (true) or resume (false) emitting; paused events are counted */
int nr_loader__pause(struct nr_loader *l, bool paused);

/**
 * nr_loader__set_max_stacks() - change the stack budget while recording
 * @n: stacks still allowed from now on; negative: no limit
 */
int nr_loader__set_max_stacks(struct nr_loader *l, __s64 n);

/**
 * nr_loader__outcomes() - what became of every probe, index = probe id (for
 * nr_writer__probes()); valid until nr_loader__close()
 */
const struct nr_probe_outcome *nr_loader__outcomes(const struct nr_loader *l, __u32 *n);

/**
 * nr_loader__user_filter() - true when the filter must be applied in user space
 *
 * The probes then keep everything the other filters keep, and every packet record
 * carries a snapshot (snap_l3: the network header, for nr_filter__match()); socket and
 * route records carry the tuple to build a header from, as the probes do
 * (bpf/PROBES.md, "Filters and limits").
 */
bool nr_loader__user_filter(const struct nr_loader *l);

/** nr_loader__plan() - the plan as it stands (mechanisms chosen, failures) */
const struct nr_plan *nr_loader__plan(const struct nr_loader *l);

/** nr_loader__object() - the loaded BPF object, NULL before load (for extensions) */
struct bpf_object *nr_loader__object(const struct nr_loader *l);

/** nr_loader__close() - detach everything and free; NULL-safe */
void nr_loader__close(struct nr_loader *l);

#endif /* NR_RECORD_LOADER_H */
