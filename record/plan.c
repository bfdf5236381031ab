// SPDX-License-Identifier: GPL-2.0-only
/*
 * plan.c - profiles and --probe additions against a kernel's offer (see plan.h)
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "netrec_abi.h"
#include "nr_error.h"
#include "plan.h"

#define MECH_BIT(m)	(1u << (m))

/* What the kernel says about one tracepoint, and why each mechanism can't have it. */
struct tp_view {
	int proto_rc;		/* 0: prototype found in BTF */
	int tracefs;		/* 1 / 0 / -errno */
	bool layout_bad;
	char layout_msg[112];
	__u8 tp_args;
};

static void check_layout(const struct nr_probe_def *d, const struct nr_tp_proto *pr,
			 struct tp_view *v)
{
	__u32 i;

	if (pr->nr < d->nr_required) {
		v->layout_bad = true;
		snprintf(v->layout_msg, sizeof(v->layout_msg),
			 "tracepoint has %u arguments, netrec needs %u", pr->nr, d->nr_required);
		return;
	}
	for (i = 0; i < NR_TP_MAX_ARGS && d->args[i]; i++) {
		bool same = i < pr->nr && !strcmp(pr->types[i], d->args[i]);

		if (i < d->nr_required && !same) {
			v->layout_bad = true;
			snprintf(v->layout_msg, sizeof(v->layout_msg),
				 "argument %u is '%s', netrec expects '%s'", i, pr->types[i],
				 d->args[i]);
			return;
		}
		if (i >= d->nr_required && same)
			v->tp_args |= 1u << i;
	}
}

/*
 * Can @m attach @d on this kernel? 1 yes, 0 no (@why says why), -1 probably but
 * unverified (a trial load needed privileges).
 */
static int mech_viable(const struct nr_kernel *k, const struct tp_view *v, enum nr_mech m,
		       char *why, size_t len)
{
	int f;

	switch (m) {
	case NR_MECH_TP_BTF:
	case NR_MECH_RAW_TP:
		f = k->feat(k->ctx, m == NR_MECH_TP_BTF ? NR_FEAT_TP_BTF : NR_FEAT_RAW_TP);
		if (f == 0) {
			snprintf(why, len, "kernel refuses %s programs", nr_mech_name(m));
			return 0;
		}
		if (v->proto_rc == 0 && v->layout_bad) {
			snprintf(why, len, "%s", v->layout_msg);
			return 0;
		}
		/* tp_btf needs the prototype in BTF; raw_tp can do with the tracepoint's
		 * existence (then only the required arguments are read) */
		if (v->proto_rc != 0 && (m == NR_MECH_TP_BTF || v->tracefs != 1)) {
			snprintf(why, len, "no BTF prototype btf_trace_<event>");
			return 0;
		}
		return f > 0 ? 1 : -1;
	case NR_MECH_TRACEPOINT:
		f = k->feat(k->ctx, NR_FEAT_TRACEPOINT);
		if (f == 0) {
			snprintf(why, len, "kernel refuses tracepoint programs");
			return 0;
		}
		if (v->tracefs == 0) {
			snprintf(why, len, "no tracefs event");
			return 0;
		}
		if (v->tracefs < 0) {
			if (v->proto_rc != 0) {
				snprintf(why, len, "tracefs: %s", strerror(-v->tracefs));
				return 0;
			}
			return -1;
		}
		return f > 0 ? 1 : -1;
	default:
		snprintf(why, len, "not a tracepoint mechanism");
		return 0;
	}
}

static void plan_tracepoint(const struct nr_plan_opts *opts, const struct nr_kernel *k,
			    struct nr_plan_probe *pp)
{
	const struct nr_probe_def *d = pp->def;
	struct nr_tp_proto proto;
	struct tp_view v = { 0 };
	char sys[32], why[112], first_why[136] = "";
	const char *event = nr_probe_tracepoint(d, sys, sizeof(sys));
	int i;

	if (!event) {
		snprintf(pp->msg, sizeof(pp->msg), "bad tracepoint name");
		pp->err = -EINVAL;
		return;
	}
	v.proto_rc = k->tp_proto(k->ctx, event, &proto);
	v.tracefs = k->tracefs_event(k->ctx, sys, event);
	if (v.proto_rc == 0)
		check_layout(d, &proto, &v);
	pp->in_kernel = v.proto_rc == 0 || v.tracefs == 1;
	pp->tp_args = v.layout_bad ? 0 : v.tp_args;

	for (i = 0; i < 4 && d->mechs[i] != NR_MECH_NONE; i++) {
		enum nr_mech m = d->mechs[i];
		int ok;

		if (opts->force_mech != NR_MECH_NONE && m != opts->force_mech)
			continue;
		ok = mech_viable(k, &v, m, why, sizeof(why));
		if (ok) {
			pp->viable |= MECH_BIT(m);
			if (pp->mech == NR_MECH_NONE) {
				pp->mech = m;
				pp->unverified = ok < 0;
			}
		} else if (!first_why[0]) {
			snprintf(first_why, sizeof(first_why), "%s: %s", nr_mech_name(m), why);
		}
	}

	if (pp->mech != NR_MECH_NONE)
		return;
	pp->err = -ENOENT;
	if (!pp->in_kernel)
		snprintf(pp->msg, sizeof(pp->msg), "no tracepoint %s in this kernel", d->name);
	else if (opts->force_mech != NR_MECH_NONE && !first_why[0])
		snprintf(pp->msg, sizeof(pp->msg), "%s is not one of its mechanisms",
			 nr_mech_name(opts->force_mech));
	else
		snprintf(pp->msg, sizeof(pp->msg), "%s", first_why);
}

int nr_plan__build(const struct nr_plan_opts *opts, const struct nr_kernel *k,
		   struct nr_plan **ret, struct nr_error *reterr)
{
	struct nr_plan *p;
	__u32 i;

	if ((unsigned int)opts->profile >= __NR_PROFILE_MAX ||
	    (unsigned int)opts->force_mech >= __NR_MECH_MAX) {
		nr_error_set(reterr, -EINVAL, "bad profile or mechanism");
		return -EINVAL;
	}
	p = calloc(1, sizeof(*p));
	if (!p)
		return -ENOMEM;
	p->nr = NR_P__STATIC_MAX;
	p->probes = calloc(p->nr, sizeof(*p->probes));
	if (!p->probes) {
		free(p);
		return -ENOMEM;
	}

	for (i = 0; i < p->nr; i++) {
		struct nr_plan_probe *pp = &p->probes[i];
		const struct nr_probe_def *d = &nr_probe_defs[i];

		pp->def = d;
		if (opts->profile != NR_PROFILE_NONE && opts->profile >= d->profile)
			pp->sel = NR_SEL_EVENT;
		else if (d->count_profile != NR_PROFILE_NONE && opts->profile >= d->count_profile)
			pp->sel = NR_SEL_COUNT;
	}
	for (i = 0; i < opts->nr_probes; i++) {
		const struct nr_probe_def *d = nr_probe_by_name(opts->probes[i]);

		if (!d) {
			nr_error_set(reterr, -EINVAL, "unknown probe '%s' (see 'netrec probes')",
				opts->probes[i]);
			nr_plan__free(p);
			return -EINVAL;
		}
		p->probes[d->id].sel = NR_SEL_EVENT;
	}
	for (i = 0; i < p->nr; i++)
		plan_tracepoint(opts, k, &p->probes[i]);
	*ret = p;
	return 0;
}

/* the first mechanism of @d's preference list in @ok and not in @not */
static enum nr_mech first_mech(const struct nr_probe_def *d, __u32 ok, __u32 not)
{
	int i;

	for (i = 0; i < 4 && d->mechs[i] != NR_MECH_NONE; i++)
		if ((ok & MECH_BIT(d->mechs[i])) && !(not & MECH_BIT(d->mechs[i])))
			return d->mechs[i];
	return NR_MECH_NONE;
}

int nr_plan__add(struct nr_plan *p, const struct nr_probe_def *def, enum nr_sel sel,
		 __u32 viable, const char *msg)
{
	struct nr_plan_probe *n, *pp;

	if (p->nr >= NR_PROBE_NONE)
		return -E2BIG;
	n = realloc(p->probes, (p->nr + 1) * sizeof(*n));
	if (!n)
		return -ENOMEM;
	p->probes = n;
	pp = &p->probes[p->nr];
	memset(pp, 0, sizeof(*pp));
	pp->def = def;
	pp->sel = sel;
	pp->viable = viable;
	pp->mech = first_mech(def, viable, 0);
	pp->in_kernel = viable != 0;
	if (pp->mech == NR_MECH_NONE) {
		pp->err = -ENOENT;
		snprintf(pp->msg, sizeof(pp->msg), "%s", msg ? msg : "no mechanism");
	}
	return (int)p->nr++;
}

bool nr_plan__fail(struct nr_plan *p, __u32 id, int err, const char *msg)
{
	struct nr_plan_probe *pp;

	if (id >= p->nr)
		return false;
	pp = &p->probes[id];
	pp->tried |= MECH_BIT(pp->mech);
	pp->err = err;
	snprintf(pp->msg, sizeof(pp->msg), "%s: %s", nr_mech_name(pp->mech), msg);
	pp->mech = first_mech(pp->def, pp->viable, pp->tried);
	return pp->mech != NR_MECH_NONE;
}

__u32 nr_plan__nr_active(const struct nr_plan *p)
{
	__u32 i, n = 0;

	for (i = 0; i < p->nr; i++)
		n += p->probes[i].sel != NR_SEL_NONE && p->probes[i].mech != NR_MECH_NONE;
	return n;
}

__u32 nr_plan__nr_event_pkt(const struct nr_plan *p)
{
	__u32 i, n = 0;

	for (i = 0; i < p->nr; i++) {
		const struct nr_plan_probe *pp = &p->probes[i];

		n += pp->sel == NR_SEL_EVENT && pp->mech != NR_MECH_NONE &&
		     (pp->def->flags & NR_PD_PACKET);
	}
	return n;
}

__u16 nr_plan__status(const struct nr_plan_probe *pp)
{
	if (pp->sel == NR_SEL_NONE)
		return NR_PROBE_NOT_SELECTED;
	if (pp->mech != NR_MECH_NONE)
		return NR_PROBE_ATTACHED;
	return pp->tried ? NR_PROBE_FAILED : NR_PROBE_UNAVAILABLE;
}

void nr_plan__free(struct nr_plan *p)
{
	if (!p)
		return;
	free(p->probes);
	free(p);
}
