// SPDX-License-Identifier: GPL-2.0-only
/*
 * loader.c - plan, load and attach the probes, control them while they run (loader.h)
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "nr_features.h"
#include "loader.h"
#include "nr_error.h"
#include "log.h"
#include "netrec.skel.h"
#include "filter.h"

struct nr_loader {
	struct nr_loader_opts o;
	struct nr_plan *plan;
	struct netrec_bpf *skel;
	struct bpf_link **links;		/* per plan entry */
	struct nr_probe_outcome *outcomes;	/* per plan entry */
	__u32 ncpus;
	bool user_filter;
	bool *detached;				/* per plan entry: was attached */
};

/* the program libbpf last complained about, to tell which probe a failed load is for */
static char libbpf_last_prog[64];

/*
 * libbpf's messages one level down: its warnings at debug (-v), the rest and the
 * verifier log at verbose (-vv). netrec reports the failures it acts on itself.
 */
static int libbpf_print(enum libbpf_print_level level, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));

static int libbpf_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	enum nr_log_level ours = NR_LOG_VERBOSE;

	if (level == LIBBPF_WARN) {
		char head[160];
		const char *p;
		va_list aq;

		va_copy(aq, ap);
		vsnprintf(head, sizeof(head), fmt, aq);
		va_end(aq);
		p = strstr(head, "prog '");
		if (p && sscanf(p, "prog '%63[^']'", libbpf_last_prog) != 1)
			libbpf_last_prog[0] = '\0';
		if (!strstr(head, "BEGIN PROG LOAD LOG"))
			ours = NR_LOG_DEBUG;
	}
	nr_vlog(ours, fmt, ap);
	return 0;
}

static __u64 roundup_pow2(__u64 v)
{
	__u64 r = 1;

	while (r < v)
		r <<= 1;
	return r;
}

/* Fill the defaults in and check the ranges; copies @in (which may be older/smaller). */
static int take_opts(const struct nr_loader_opts *in, struct nr_loader_opts *o,
		     struct nr_error *reterr)
{
	size_t sz = in && in->sz ? in->sz : 0;

	memset(o, 0, sizeof(*o));
	if (sz > sizeof(*o)) {
		/* a newer caller: fine as long as it set nothing this loader ignores */
		const char *p = (const char *)in + sizeof(*o);

		for (; p < (const char *)in + sz; p++)
			if (*p) {
				nr_error_set(reterr, -EOPNOTSUPP,
					     "loader options newer than this netrec");
				return -EOPNOTSUPP;
			}
		sz = sizeof(*o);
	}
	if (sz)
		memcpy(o, in, sz);
	o->sz = sizeof(*o);

	if (!o->only_probes && o->profile == NR_PROFILE_NONE)
		o->profile = NR_PROFILE_DROPS;
	if (!o->snaplen)
		o->snaplen = NR_SNAPLEN_DEFAULT;
	if (o->no_snapshot)
		o->snaplen = 0;
	if (o->snaplen > NR_SNAP_MAX) {
		nr_error_set(reterr, -EINVAL, "snapshot length %u is over the maximum of %u",
			o->snaplen, NR_SNAP_MAX);
		return -EINVAL;
	}
	if (!o->stack_depth)
		o->stack_depth = NR_STACK_DEPTH_DEFAULT;
	if (o->stack_depth > NR_STACK_MAX) {
		nr_error_set(reterr, -EINVAL, "stack depth %u is over the maximum of %u",
			o->stack_depth, NR_STACK_MAX);
		return -EINVAL;
	}
	if (!o->ringbuf_bytes)
		o->ringbuf_bytes = NR_RINGBUF_DEFAULT;
	o->ringbuf_bytes = roundup_pow2(o->ringbuf_bytes);
	if (o->ringbuf_bytes < (__u64)sysconf(_SC_PAGESIZE) || o->ringbuf_bytes > (1ull << 31)) {
		nr_error_set(reterr, -EINVAL, "ring buffer size %llu out of range",
			(unsigned long long)o->ringbuf_bytes);
		return -EINVAL;
	}
	if (!o->wakeup_bytes || o->wakeup_bytes > o->ringbuf_bytes)
		o->wakeup_bytes = o->ringbuf_bytes / 4;
	if (!o->track_entries)
		o->track_entries = NR_TRACK_DEFAULT;
	return 0;
}

int nr_loader__check_kernel(struct nr_error *reterr)
{
	int r;

	if (nr_feat(NR_FEAT_BTF) != 1) {
		nr_error_set(reterr, -EOPNOTSUPP, "kernel lacks BTF (CONFIG_DEBUG_INFO_BTF)");
		return -EOPNOTSUPP;
	}
	r = nr_feat(NR_FEAT_PRIV);
	if (r != 1) {
		nr_error_set(reterr, -EPERM, "needs root, or CAP_BPF and CAP_PERFMON "
			"(CAP_SYS_ADMIN before Linux 5.8)");
		return -EPERM;
	}
	r = nr_feat(NR_FEAT_RINGBUF);
	if (r != 1) {
		nr_error_set(reterr, -EOPNOTSUPP, "kernel lacks the BPF ring buffer (Linux 5.8+)");
		return -EOPNOTSUPP;
	}
	return 0;
}

static void warn_unavailable(const struct nr_plan *p)
{
	__u32 i;

	for (i = 0; i < p->nr; i++) {
		const struct nr_plan_probe *pp = &p->probes[i];

		if (pp->sel != NR_SEL_NONE && pp->mech == NR_MECH_NONE)
			pr_warn("probe '%s' unavailable: %s, ignoring\n", pp->def->name, pp->msg);
		else if (pp->sel != NR_SEL_NONE)
			pr_debug("probe '%s': %s%s\n", pp->def->name, nr_mech_name(pp->mech),
				 pp->sel == NR_SEL_COUNT ? " (counting only)" : "");
	}
}

int nr_loader__open(const struct nr_loader_opts *opts, struct nr_loader **ret,
		    struct nr_error *reterr)
{
	struct nr_plan_opts popts = { 0 };
	struct nr_loader *l;
	int err;

	libbpf_set_print(libbpf_print);
	l = calloc(1, sizeof(*l));
	if (!l)
		return -ENOMEM;
	err = take_opts(opts, &l->o, reterr);
	if (err)
		goto fail;
	err = nr_loader__check_kernel(reterr);
	if (err)
		goto fail;

	popts.profile = l->o.profile;
	popts.probes = l->o.probes;
	popts.nr_probes = l->o.nr_probes;
	popts.force_mech = l->o.force_mech;
	err = nr_plan__build(&popts, &nr_kernel_running, &l->plan, reterr);
	if (err)
		goto fail;
	l->o.probes = NULL;	/* the caller's array; the plan has what it said */
	l->o.nr_probes = 0;
	if (l->o.ext && l->o.ext->plan) {
		err = l->o.ext->plan(l->o.ext->ctx, l->plan);
		if (err) {
			nr_error_set(reterr, err, "cannot plan the function probes: %s",
				     strerror(-err));
			goto fail;
		}
	}

	err = libbpf_num_possible_cpus();
	if (err < 0) {
		nr_error_set(reterr, err, "cannot count possible CPUs: %s", strerror(-err));
		goto fail;
	}
	l->ncpus = (__u32)err;
	l->links = calloc(l->plan->nr, sizeof(*l->links));
	l->outcomes = calloc(l->plan->nr, sizeof(*l->outcomes));
	l->detached = calloc(l->plan->nr, sizeof(*l->detached));
	if (!l->links || !l->outcomes || !l->detached) {
		err = -ENOMEM;
		goto fail;
	}
	warn_unavailable(l->plan);
	*ret = l;
	return 0;
fail:
	nr_loader__close(l);
	return err;
}

static struct bpf_program *probe_prog(const struct nr_loader *l, const struct nr_probe_def *d,
				      enum nr_mech m)
{
	const char *suffix = nr_mech_prog_suffix(m);
	char name[64];

	if (!suffix || !l->skel)
		return NULL;
	snprintf(name, sizeof(name), "%s%s", d->prog, suffix);
	return bpf_object__find_program_by_name(l->skel->obj, name);
}

static int set_max_entries(struct bpf_map *map, __u32 n, struct nr_error *reterr)
{
	int err = bpf_map__set_max_entries(map, n);

	if (err)
		nr_error_set(reterr, err, "cannot size map '%s': %s", bpf_map__name(map),
			     strerror(-err));
	return err;
}

/*
 * The pcap filter into the opened object (record/filter.h): in the kernel when the
 * translation can be used, otherwise l->user_filter and the probes keep everything.
 */
static void prepare_filter(struct nr_loader *l)
{
	struct netrec_bpf *s = l->skel;
	int n;

	s->rodata->cfg_filter = 0;
	l->user_filter = false;
	if (!l->o.filter)
		return;
	n = nr_filter__prepare_object(l->o.filter, s->obj);
	if (n < 0)
		nr_filter__fall_back(l->o.filter, n == -E2BIG ? "the probes would grow too large" :
				     "the probes could not be prepared");
	s->rodata->cfg_filter = nr_filter__in_kernel(l->o.filter);
	l->user_filter = !nr_filter__in_kernel(l->o.filter);
}

/* Everything between open and load: rodata, map sizes, which programs load. */
static int configure(struct nr_loader *l, struct nr_error *reterr)
{
	struct netrec_bpf *s = l->skel;
	const struct nr_loader_opts *o = &l->o;
	struct bpf_program *prog;
	bool track_first, track, snap_all;
	__u32 i;
	int err;

	prepare_filter(l);
	/* a filter applied in user space needs the headers of every packet record */
	snap_all = o->snap_all || (l->user_filter && o->snaplen);
	track_first = o->snaplen && !snap_all && nr_plan__nr_event_pkt(l->plan) > 1;
	track = track_first || o->follow;

	bpf_object__for_each_program(prog, s->obj)
		bpf_program__set_autoload(prog, false);
	for (i = 0; i < l->plan->nr && i < NR_P__STATIC_MAX; i++) {
		struct nr_plan_probe *pp = &l->plan->probes[i];
		__u8 flags = 0;

		if (pp->sel == NR_SEL_NONE || pp->mech == NR_MECH_NONE)
			continue;
		prog = probe_prog(l, pp->def, pp->mech);
		if (!prog) {
			/* the table names a program the object lacks: a build defect */
			pr_warn("probe '%s': no program for %s in netrec.bpf.o\n", pp->def->name,
				nr_mech_name(pp->mech));
			nr_plan__fail(l->plan, i, -ENOENT, "program missing from the object");
			i--;	/* the same probe again, with its next mechanism */
			continue;
		}
		bpf_program__set_autoload(prog, true);
		if (pp->sel == NR_SEL_EVENT)
			flags |= NR_PF_EMIT;
		if (o->stack_all)
			flags |= NR_PF_STACK;
		if (snap_all)
			flags |= NR_PF_SNAP_ALL;
		s->rodata->cfg_probe_flags[i] = flags;
		s->rodata->cfg_tp_args[i] = pp->tp_args;
	}
	s->rodata->cfg_snaplen = o->snaplen;
	s->rodata->cfg_stack_depth = o->stack_depth;
	s->rodata->cfg_stack_sample = o->stack_sample;
	s->rodata->cfg_netns = o->netns;
	s->rodata->cfg_ifindex = o->ifindex;
	s->rodata->cfg_ifindex_netns = o->ifindex_netns;
	s->rodata->cfg_mark = o->mark & o->mark_mask;
	s->rodata->cfg_mark_mask = o->mark_mask;
	s->rodata->cfg_follow = o->follow;
	s->rodata->cfg_track_first = track_first;
	s->rodata->cfg_rate_limit = o->rate_limit;
	s->rodata->cfg_wakeup_bytes = o->wakeup_bytes;

	s->bss->ctl_paused = o->start_paused;
	s->bss->ctl_stack_limited = o->limit_stacks;
	s->bss->ctl_stack_budget = o->limit_stacks ? (__s64)o->max_stacks : 0;

	if (o->ext && o->ext->prepare) {
		err = o->ext->prepare(o->ext->ctx, s->obj, l->plan);
		if (err) {
			nr_error_set(reterr, err, "cannot prepare the function probes: %s",
				     strerror(-err));
			return err;
		}
	}

	err = set_max_entries(s->maps.events, (__u32)o->ringbuf_bytes, reterr);
	if (!err)
		err = set_max_entries(s->maps.stats, l->plan->nr, reterr);
	if (!err)
		err = set_max_entries(s->maps.skb_track, track ? o->track_entries : 1, reterr);
	if (!err && !o->stack_sample)
		err = set_max_entries(s->maps.stack_sites, 1, reterr);
	return err;
}

static const char *load_hint(int err)
{
	switch (err) {
	case -EPERM:
	case -EACCES:
		return " (needs root, or CAP_BPF and CAP_PERFMON; or kernel lockdown)";
	case -ENOMEM:
		return " (locked memory: try a smaller --buffer-size)";
	default:
		return "";
	}
}

/* The probe whose program is @name, or -1. */
static int probe_of_prog(const struct nr_loader *l, const char *name)
{
	__u32 i;

	for (i = 0; i < l->plan->nr && i < NR_P__STATIC_MAX; i++) {
		const struct nr_plan_probe *pp = &l->plan->probes[i];
		const char *suffix = nr_mech_prog_suffix(pp->mech);
		size_t n = strlen(pp->def->prog);

		if (pp->sel != NR_SEL_NONE && suffix && !strncmp(name, pp->def->prog, n) &&
		    !strcmp(name + n, suffix))
			return (int)i;
	}
	return -1;
}

static void fall_back(struct nr_loader *l, __u32 id, int err, const char *what)
{
	struct nr_plan_probe *pp = &l->plan->probes[id];
	enum nr_mech was = pp->mech;
	char msg[96];

	snprintf(msg, sizeof(msg), "%s: %s", what, strerror(-err));
	if (nr_plan__fail(l->plan, id, err, msg))
		pr_warn("probe '%s': %s %s, falling back to %s\n", pp->def->name,
			nr_mech_name(was), msg, nr_mech_name(pp->mech));
	else
		pr_warn("probe '%s': %s %s, ignoring\n", pp->def->name, nr_mech_name(was), msg);
}

static void destroy_links(struct nr_loader *l)
{
	__u32 i;

	for (i = 0; l->links && i < l->plan->nr; i++) {
		bpf_link__destroy(l->links[i]);
		l->links[i] = NULL;
	}
}

static void unload(struct nr_loader *l)
{
	destroy_links(l);
	netrec_bpf__destroy(l->skel);
	l->skel = NULL;
}

static const char *first_failure(const struct nr_plan *p)
{
	__u32 i;

	for (i = 0; i < p->nr; i++)
		if (p->probes[i].sel != NR_SEL_NONE && p->probes[i].msg[0])
			return p->probes[i].msg;
	return "no probe selected";
}

static void warn_user_filter(const struct nr_loader *l)
{
	if (l->user_filter)
		pr_warn("filter '%s' runs in user space: %s\n", nr_filter__expr(l->o.filter),
			nr_filter__fallback_reason(l->o.filter));
}

int nr_loader__load(struct nr_loader *l, struct nr_error *reterr)
{
	__u32 round, max_rounds = l->plan->nr * 3 + 2;
	int err, id;

	unload(l);
	for (round = 0; round < max_rounds; round++) {
		if (!nr_plan__nr_active(l->plan)) {
			nr_error_set(reterr, -ENOENT, "no probe can be loaded (%s)",
				first_failure(l->plan));
			return -ENOENT;
		}
		l->skel = netrec_bpf__open();
		if (!l->skel) {
			err = -errno;
			nr_error_set(reterr, err, "cannot open the BPF object: %s", strerror(-err));
			return err;
		}
		err = configure(l, reterr);
		if (err) {
			unload(l);
			return err;
		}
		if (!nr_plan__nr_active(l->plan)) {
			unload(l);
			continue;
		}
		libbpf_last_prog[0] = '\0';
		err = netrec_bpf__load(l->skel);
		if (!err) {
			warn_user_filter(l);
			return 0;
		}
		id = probe_of_prog(l, libbpf_last_prog);
		if (l->o.filter && nr_filter__in_kernel(l->o.filter)) {
			/* the translated filter first: the probes loaded without it elsewhere */
			unload(l);
			nr_filter__fall_back(l->o.filter, "the kernel refused the probes with the "
					     "filter");
			continue;
		}
		unload(l);
		if (id < 0) {
			nr_error_set(reterr, err, "cannot load the BPF object: %s%s",
				     strerror(-err), load_hint(err));
			return err;
		}
		fall_back(l, (__u32)id, err, "load failed");
	}
	nr_error_set(reterr, -ELOOP, "gave up loading after %u attempts", max_rounds);
	return -ELOOP;
}

static struct bpf_link *attach_one(struct nr_loader *l, const struct nr_plan_probe *pp)
{
	struct bpf_program *prog = probe_prog(l, pp->def, pp->mech);
	char sys[32];
	const char *event = nr_probe_tracepoint(pp->def, sys, sizeof(sys));

	if (pp->def->id >= NR_P__STATIC_MAX) {
		if (l->o.ext && l->o.ext->attach)
			return l->o.ext->attach(l->o.ext->ctx, l->skel->obj, pp);
		errno = EOPNOTSUPP;
		return NULL;
	}
	if (!prog || !event) {
		errno = ENOENT;
		return NULL;
	}
	switch (pp->mech) {
	case NR_MECH_TP_BTF:
		return bpf_program__attach_trace(prog);
	case NR_MECH_RAW_TP:
		return bpf_program__attach_raw_tracepoint(prog, event);
	case NR_MECH_TRACEPOINT:
		return bpf_program__attach_tracepoint(prog, sys, event);
	default:
		errno = EOPNOTSUPP;
		return NULL;
	}
}

static __u64 mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (__u64)ts.tv_sec * 1000000000ull + (__u64)ts.tv_nsec;
}

/* the plan as it turned out, in one line (STYLE: the plan is logged at info) */
static void log_attached(const struct nr_plan *p, __u32 attached)
{
	__u32 by_mech[__NR_MECH_MAX] = { 0 }, i, missing = 0, counting = 0;
	char line[160];
	size_t n;
	int m;

	for (i = 0; i < p->nr; i++) {
		const struct nr_plan_probe *pp = &p->probes[i];

		if (pp->sel == NR_SEL_NONE)
			continue;
		if (pp->mech == NR_MECH_NONE)
			missing++;
		else
			by_mech[pp->mech]++;
		counting += pp->sel == NR_SEL_COUNT && pp->mech != NR_MECH_NONE;
	}
	n = (size_t)snprintf(line, sizeof(line), "%u probes attached (", attached);
	for (m = NR_MECH_NONE + 1; m < __NR_MECH_MAX && n < sizeof(line); m++)
		if (by_mech[m])
			n += (size_t)snprintf(line + n, sizeof(line) - n, "%s%s %u",
					      line[n - 1] == '(' ? "" : ", ", nr_mech_name(m),
					      by_mech[m]);
	pr_info("%s)%s%.0u%s%s%.0u%s\n", line, counting ? ", " : "", counting,
		counting ? " counting only" : "", missing ? ", " : "", missing,
		missing ? " unavailable" : "");
}

int nr_loader__attach(struct nr_loader *l, struct nr_error *reterr)
{
	__u32 round, i, attached;
	int err;

	for (round = 0; round < l->plan->nr * 3 + 1; round++) {
		bool reload = false;

		if (!l->skel) {
			err = nr_loader__load(l, reterr);
			if (err)
				return err;
		}
		l->skel->bss->ctl_rate_base_ns = mono_ns();
		l->skel->bss->ctl_rate_state = 0;
		attached = 0;
		for (i = 0; i < l->plan->nr; i++) {
			struct nr_plan_probe *pp = &l->plan->probes[i];

			if (pp->sel == NR_SEL_NONE || pp->mech == NR_MECH_NONE || l->links[i])
				continue;
			l->links[i] = attach_one(l, pp);
			if (l->links[i]) {
				attached++;
				continue;
			}
			err = -errno;
			fall_back(l, i, err, "attach failed");
			/* the next mechanism's program is not loaded: load again */
			reload |= pp->mech != NR_MECH_NONE;
		}
		if (!reload)
			break;
		unload(l);
	}
	for (i = 0, attached = 0; i < l->plan->nr; i++)
		attached += l->links[i] != NULL;
	if (!attached) {
		nr_error_set(reterr, -ENOENT, "no probe could be attached (%s)",
			     first_failure(l->plan));
		return -ENOENT;
	}
	log_attached(l->plan, attached);
	return 0;
}

int nr_loader__ringbuf_fd(const struct nr_loader *l)
{
	return l->skel ? bpf_map__fd(l->skel->maps.events) : -EBADF;
}

__u32 nr_loader__ncpus(const struct nr_loader *l)
{
	return l->ncpus;
}

int nr_loader__read_stats(const struct nr_loader *l, __u32 probe, struct nr_probe_stats *percpu)
{
	if (!l->skel)
		return -EBADF;
	if (probe >= l->plan->nr)
		return -EINVAL;
	if (bpf_map_lookup_elem(bpf_map__fd(l->skel->maps.stats), &probe, percpu))
		return -errno;
	return 0;
}

static __u64 prog_misses(const struct nr_loader *l, __u32 id)
{
	const struct nr_plan_probe *pp = &l->plan->probes[id];
	struct bpf_program *prog = probe_prog(l, pp->def, pp->mech);
	struct bpf_prog_info info;
	__u32 len = sizeof(info);

	if (!prog || bpf_program__fd(prog) < 0)
		return 0;
	memset(&info, 0, sizeof(info));
	if (bpf_obj_get_info_by_fd(bpf_program__fd(prog), &info, &len))
		return 0;
	return info.recursion_misses;
}

int nr_loader__for_each_counter(const struct nr_loader *l, nr_counter_fn fn, void *ctx)
{
	struct nr_probe_stats *st;
	__u32 id, cpu;
	int err = 0;

	if (!l->skel)
		return -EBADF;
	st = calloc(l->ncpus, sizeof(*st));
	if (!st)
		return -ENOMEM;
	for (id = 0; id < l->plan->nr && !err; id++) {
		__u64 missed;

		if (!l->links[id] && !l->detached[id])
			continue;
		err = nr_loader__read_stats(l, id, st);
		for (cpu = 0; cpu < l->ncpus && !err; cpu++) {
			const struct {
				__u16 kind;
				__u64 v;
			} c[] = {
				{ NR_CNT_HITS, st[cpu].hits },
				{ NR_CNT_LOST, st[cpu].lost },
				{ NR_CNT_FILTERED, st[cpu].filtered },
				{ NR_CNT_RATE_LIMITED, st[cpu].rate_limited },
				{ NR_CNT_PAUSED, st[cpu].paused },
				{ NR_CNT_STACK_SKIPPED, st[cpu].stack_skipped },
			};
			size_t k;

			for (k = 0; k < sizeof(c) / sizeof(c[0]) && !err; k++)
				if (c[k].v)
					err = fn(ctx, c[k].kind, (__u16)id, cpu, c[k].v);
		}
		missed = prog_misses(l, id);
		if (!err && missed)
			err = fn(ctx, NR_CNT_PROG_MISSED, (__u16)id, NR_CPU_ALL, missed);
	}
	free(st);
	return err;
}

int nr_loader__detach(struct nr_loader *l)
{
	__u32 i;

	if (!l->skel)
		return -EBADF;
	for (i = 0; i < l->plan->nr; i++) {
		if (!l->links[i])
			continue;
		bpf_link__destroy(l->links[i]);
		l->links[i] = NULL;
		l->detached[i] = true;
	}
	return 0;
}

int nr_loader__pause(struct nr_loader *l, bool paused)
{
	if (!l->skel)
		return -EBADF;
	__atomic_store_n(&l->skel->bss->ctl_paused, paused ? 1 : 0, __ATOMIC_RELEASE);
	return 0;
}

int nr_loader__set_max_stacks(struct nr_loader *l, __s64 n)
{
	if (!l->skel)
		return -EBADF;
	if (n < 0) {
		__atomic_store_n(&l->skel->bss->ctl_stack_limited, 0, __ATOMIC_RELEASE);
		return 0;
	}
	__atomic_store_n(&l->skel->bss->ctl_stack_budget, n, __ATOMIC_RELEASE);
	__atomic_store_n(&l->skel->bss->ctl_stack_limited, 1, __ATOMIC_RELEASE);
	return 0;
}

const struct nr_probe_outcome *nr_loader__outcomes(const struct nr_loader *l, __u32 *n)
{
	__u32 i;

	for (i = 0; i < l->plan->nr; i++) {
		const struct nr_plan_probe *pp = &l->plan->probes[i];
		struct nr_probe_outcome *o = &l->outcomes[i];
		char sys[32];

		memset(o, 0, sizeof(*o));
		o->id = (__u16)i;
		o->status = nr_plan__status(pp);
		if (o->status == NR_PROBE_ATTACHED && l->skel && !l->links[i] && !l->detached[i])
			o->status = NR_PROBE_FAILED;
		o->err = o->status == NR_PROBE_ATTACHED ? 0 : pp->err;
		o->name = (char *)pp->def->name;
		o->target = (char *)nr_probe_tracepoint(pp->def, sys, sizeof(sys));
		if (o->status == NR_PROBE_ATTACHED) {
			o->mechanism = (char *)nr_mech_name(pp->mech);
			if (pp->sel == NR_SEL_COUNT)
				o->msg = (char *)"counted only, no records";
		} else if (pp->msg[0]) {
			o->msg = (char *)pp->msg;
		}
	}
	*n = l->plan->nr;
	return l->outcomes;
}

bool nr_loader__user_filter(const struct nr_loader *l)
{
	return l->user_filter;
}

const struct nr_plan *nr_loader__plan(const struct nr_loader *l)
{
	return l->plan;
}

struct bpf_object *nr_loader__object(const struct nr_loader *l)
{
	return l->skel ? l->skel->obj : NULL;
}

void nr_loader__close(struct nr_loader *l)
{
	if (!l)
		return;
	if (l->plan)
		unload(l);
	nr_plan__free(l->plan);
	free(l->links);
	free(l->outcomes);
	free(l->detached);
	free(l);
}
