// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_plan.c - the probe table and the plan, against kernels made up for the test:
 * profiles give exact probe sets; mechanisms fall back in order; argument layouts of
 * older kernels set exactly the expected optional-argument bits; missing tracepoints
 * and refused mechanisms give the expected reasons.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "nr_features.h"
#include "plan.h"
#include "probes.h"

/* A made-up kernel: features, and per probe its prototype and tracefs presence. */
struct fake {
	int feat[__NR_FEAT_MAX];
	int nargs[NR_P__STATIC_MAX];		/* -1: no BTF prototype */
	const char *arg_override[NR_P__STATIC_MAX][NR_TP_MAX_ARGS];
	int tracefs[NR_P__STATIC_MAX];		/* 1, 0, or -errno */
};

static const struct nr_probe_def *def_by_event(const char *event)
{
	__u32 i;

	for (i = 0; i < NR_P__STATIC_MAX; i++) {
		const char *c = strchr(nr_probe_defs[i].name, ':');

		if (c && !strcmp(c + 1, event))
			return &nr_probe_defs[i];
	}
	return NULL;
}

static int fake_feat(void *ctx, enum nr_feat f)
{
	return ((struct fake *)ctx)->feat[f];
}

static int fake_proto(void *ctx, const char *event, struct nr_tp_proto *ret)
{
	struct fake *k = ctx;
	const struct nr_probe_def *d = def_by_event(event);
	int i;

	memset(ret, 0, sizeof(*ret));
	if (!d || k->nargs[d->id] < 0)
		return -ENOENT;
	ret->nr = (__u32)k->nargs[d->id];
	for (i = 0; i < NR_TP_MAX_ARGS && i < k->nargs[d->id]; i++) {
		const char *t = k->arg_override[d->id][i] ? k->arg_override[d->id][i] : d->args[i];

		snprintf(ret->types[i], sizeof(ret->types[i]), "%s", t ? t : "int");
	}
	return 0;
}

static int fake_tracefs(void *ctx, const char *sys, const char *event)
{
	struct fake *k = ctx;
	const struct nr_probe_def *d = def_by_event(event);

	(void)sys;
	return d ? k->tracefs[d->id] : 0;
}

static int nr_listed(const struct nr_probe_def *d)
{
	int n = 0;

	while (n < NR_TP_MAX_ARGS && d->args[n])
		n++;
	return n;
}

/* the newest kernel: everything, every argument netrec knows */
static void fake_newest(struct fake *k)
{
	int i;

	memset(k, 0, sizeof(*k));
	for (i = 0; i < __NR_FEAT_MAX; i++)
		k->feat[i] = 1;
	for (i = 0; i < NR_P__STATIC_MAX; i++) {
		k->nargs[i] = nr_listed(&nr_probe_defs[i]);
		k->tracefs[i] = 1;
	}
}

/* Linux 6.1: kfree_skb without rx_sk, consume_skb without location, no reset reason,
 * retransmit without err */
static void fake_61(struct fake *k)
{
	fake_newest(k);
	k->nargs[NR_P_KFREE_SKB] = 3;
	k->nargs[NR_P_CONSUME_SKB] = 1;
	k->nargs[NR_P_TCP_SEND_RESET] = 2;
	k->nargs[NR_P_TCP_RETRANSMIT_SKB] = 2;
}

static struct nr_plan *plan(struct fake *k, const struct nr_plan_opts *o)
{
	struct nr_kernel kern = {
		.feat = fake_feat, .tp_proto = fake_proto, .tracefs_event = fake_tracefs, .ctx = k,
	};
	struct nr_error e = { 0 };
	struct nr_plan *p = NULL;
	int err = nr_plan__build(o, &kern, &p, &e);

	if (!CHECK_EQ(err, 0, "nr_plan__build"))
		fprintf(stderr, "  %s\n", e.msg);
	return p;
}

static void test_table(void)
{
	__u32 i, j;

	check_start("table");
	for (i = 0; i < NR_P__STATIC_MAX; i++) {
		const struct nr_probe_def *d = &nr_probe_defs[i];
		char sys[32], what[96];
		const char *ev = nr_probe_tracepoint(d, sys, sizeof(sys));

		snprintf(what, sizeof(what), "probe %u (%s)", i, d->name ? d->name : "?");
		CHECK_EQ(d->id, i, what);
		CHECK(d->name && ev && *ev && sys[0], what);
		/* the kernel keeps 15 characters of a program name */
		CHECK(d->prog && strlen(d->prog) + strlen("_btf") <= 15, what);
		CHECK(d->mechs[0] != NR_MECH_NONE, what);
		CHECK(d->nr_required <= nr_listed(d), what);
		CHECK(d->profile >= NR_PROFILE_DROPS && d->profile <= NR_PROFILE_ALL, what);
		CHECK(d->count_profile == NR_PROFILE_NONE || d->count_profile < d->profile, what);
		CHECK(d->rec_type >= NR_REC_PKT && d->rec_type <= NR_REC_NEIGH, what);
		CHECK(d->carries && *d->carries, what);
		CHECK(nr_probe_by_name(d->name) == d, what);
		for (j = 0; j < i; j++) {
			CHECK(strcmp(d->name, nr_probe_defs[j].name), "unique names");
			CHECK(strcmp(d->prog, nr_probe_defs[j].prog), "unique program stems");
		}
	}
	CHECK(nr_probe_by_name("skb:nonexistent") == NULL, "unknown name");
}

static void test_names(void)
{
	enum nr_profile p;
	enum nr_mech m;

	check_start("names");
	CHECK_EQ(nr_profile_by_name("drops", &p), 0, "drops");
	CHECK_EQ(p, NR_PROFILE_DROPS, "drops value");
	CHECK_EQ(nr_profile_by_name("path", &p), 0, "path");
	CHECK_EQ(p, NR_PROFILE_PATH, "path value");
	CHECK_EQ(nr_profile_by_name("all", &p), 0, "all");
	CHECK_EQ(p, NR_PROFILE_ALL, "all value");
	CHECK_EQ(nr_profile_by_name("none", &p), -EINVAL, "none is not a user profile");
	CHECK_EQ(nr_profile_by_name("Drops", &p), -EINVAL, "case");
	CHECK_EQ(nr_mech_by_name("raw_tp", &m), 0, "raw_tp");
	CHECK_EQ(m, NR_MECH_RAW_TP, "raw_tp value");
	CHECK_EQ(nr_mech_by_name("tracepoint", &m), 0, "tracepoint");
	CHECK_EQ(m, NR_MECH_TRACEPOINT, "tracepoint value");
	CHECK_EQ(nr_mech_by_name("none", &m), -EINVAL, "none is not a mechanism");
	CHECK_STR(nr_mech_name(NR_MECH_TP_BTF), "tp_btf", "tp_btf name");
	CHECK_STR(nr_mech_name(__NR_MECH_MAX), "unknown", "out of range");
	CHECK_STR(nr_mech_prog_suffix(NR_MECH_TRACEPOINT), "_tp", "suffix");
	CHECK(nr_mech_prog_suffix(NR_MECH_KPROBE) == NULL, "no suffix for kprobe");
}

/* which probes a profile selects, and how */
static void check_selection(const struct nr_plan *p, const __u16 *event, size_t nev,
			    const __u16 *count, size_t ncount)
{
	__u32 i;
	size_t j;

	for (i = 0; i < p->nr; i++) {
		enum nr_sel want = NR_SEL_NONE;
		char what[96];

		for (j = 0; j < nev; j++)
			if (event[j] == i)
				want = NR_SEL_EVENT;
		for (j = 0; j < ncount; j++)
			if (count[j] == i)
				want = NR_SEL_COUNT;
		snprintf(what, sizeof(what), "selection of %s", p->probes[i].def->name);
		CHECK_EQ(p->probes[i].sel, want, what);
	}
}

static const __u16 drops_events[] = {
	NR_P_KFREE_SKB, NR_P_INET_SOCK_SET_STATE, NR_P_TCP_RETRANSMIT_SKB,
	NR_P_TCP_RETRANSMIT_SYNACK, NR_P_TCP_SEND_RESET, NR_P_TCP_RECEIVE_RESET,
	NR_P_XDP_EXCEPTION,
};

static void test_profiles(void)
{
	static const __u16 consume[] = { NR_P_CONSUME_SKB };
	static const __u16 path_events[] = {
		NR_P_KFREE_SKB, NR_P_INET_SOCK_SET_STATE, NR_P_TCP_RETRANSMIT_SKB,
		NR_P_TCP_RETRANSMIT_SYNACK, NR_P_TCP_SEND_RESET, NR_P_TCP_RECEIVE_RESET,
		NR_P_XDP_EXCEPTION, NR_P_CONSUME_SKB, NR_P_SKB_COPY_DATAGRAM_IOVEC,
		NR_P_NAPI_GRO_RECEIVE_ENTRY, NR_P_NETIF_RECEIVE_SKB, NR_P_NETIF_RX,
		NR_P_NET_DEV_QUEUE, NR_P_NET_DEV_START_XMIT, NR_P_NET_DEV_XMIT,
		NR_P_QDISC_ENQUEUE, NR_P_QDISC_DEQUEUE,
	};
	__u16 all[NR_P__STATIC_MAX];
	const char *extra[] = { "skb:consume_skb", "fib:fib_table_lookup" };
	const char *only[] = { "skb:kfree_skb" };
	const char *bad[] = { "skb:kfree_skb", "skb:no_such_point" };
	struct nr_plan_opts o = { .profile = NR_PROFILE_DROPS };
	struct fake k;
	struct nr_plan *p;
	struct nr_error e = { 0 };
	struct nr_kernel kern = {
		.feat = fake_feat, .tp_proto = fake_proto, .tracefs_event = fake_tracefs, .ctx = &k,
	};
	__u32 i;

	fake_newest(&k);
	for (i = 0; i < NR_P__STATIC_MAX; i++)
		all[i] = (__u16)i;

	check_start("profile/drops");
	p = plan(&k, &o);
	if (p) {
		check_selection(p, drops_events, sizeof(drops_events) / 2, consume, 1);
		CHECK_EQ(nr_plan__nr_active(p), 8, "active probes");
		CHECK_EQ(nr_plan__nr_event_pkt(p), 1, "packet event probes: kfree_skb only");
		nr_plan__free(p);
	}

	check_start("profile/path");
	o.profile = NR_PROFILE_PATH;
	p = plan(&k, &o);
	if (p) {
		check_selection(p, path_events, sizeof(path_events) / 2, NULL, 0);
		CHECK_EQ(nr_plan__nr_event_pkt(p), 11, "packet event probes");
		nr_plan__free(p);
	}

	check_start("profile/all");
	o.profile = NR_PROFILE_ALL;
	p = plan(&k, &o);
	if (p) {
		check_selection(p, all, NR_P__STATIC_MAX, NULL, 0);
		CHECK_EQ(nr_plan__nr_active(p), NR_P__STATIC_MAX, "active probes");
		nr_plan__free(p);
	}

	check_start("profile/drops+probes");
	o.profile = NR_PROFILE_DROPS;
	o.probes = extra;
	o.nr_probes = 2;
	p = plan(&k, &o);
	if (p) {
		__u16 ev[sizeof(drops_events) / 2 + 2];

		memcpy(ev, drops_events, sizeof(drops_events));
		ev[sizeof(drops_events) / 2] = NR_P_CONSUME_SKB;
		ev[sizeof(drops_events) / 2 + 1] = NR_P_FIB_TABLE_LOOKUP;
		check_selection(p, ev, sizeof(ev) / 2, NULL, 0);
		nr_plan__free(p);
	}

	check_start("profile/none+probe");
	o.profile = NR_PROFILE_NONE;
	o.probes = only;
	o.nr_probes = 1;
	p = plan(&k, &o);
	if (p) {
		static const __u16 kfree[] = { NR_P_KFREE_SKB };

		check_selection(p, kfree, 1, NULL, 0);
		CHECK_EQ(nr_plan__nr_active(p), 1, "one probe");
		nr_plan__free(p);
	}

	check_start("profile/unknown probe");
	o.probes = bad;
	o.nr_probes = 2;
	p = NULL;
	CHECK_EQ(nr_plan__build(&o, &kern, &p, &e), -EINVAL, "unknown probe refused");
	CHECK_STR(e.msg, "unknown probe 'skb:no_such_point' (see 'netrec probes')", "message");
	CHECK(p == NULL, "no plan");
}

static void test_newest_kernel(void)
{
	struct nr_plan_opts o = { .profile = NR_PROFILE_ALL };
	struct fake k;
	struct nr_plan *p;
	__u32 i;

	check_start("kernel/newest");
	fake_newest(&k);
	p = plan(&k, &o);
	if (!p)
		return;
	for (i = 0; i < p->nr; i++) {
		const struct nr_plan_probe *pp = &p->probes[i];

		CHECK_EQ(pp->mech, NR_MECH_TP_BTF, pp->def->name);
		CHECK_EQ(pp->viable, (1u << NR_MECH_TP_BTF) | (1u << NR_MECH_RAW_TP) |
				     (1u << NR_MECH_TRACEPOINT), "all three viable");
		CHECK(!pp->unverified && pp->in_kernel, pp->def->name);
		CHECK_EQ(nr_plan__status(pp), NR_PROBE_ATTACHED, pp->def->name);
	}
	/* optional arguments: kfree_skb reason (2) and rx_sk (3), consume_skb location (1),
	 * tcp_send_reset reason (2), tcp_retransmit_skb err (2), sock_exceed_buf_limit kind */
	CHECK_EQ(p->probes[NR_P_KFREE_SKB].tp_args, 0x0c, "kfree_skb args");
	CHECK_EQ(p->probes[NR_P_CONSUME_SKB].tp_args, 0x02, "consume_skb args");
	CHECK_EQ(p->probes[NR_P_TCP_SEND_RESET].tp_args, 0x04, "tcp_send_reset args");
	CHECK_EQ(p->probes[NR_P_TCP_RETRANSMIT_SKB].tp_args, 0x04, "tcp_retransmit_skb args");
	CHECK_EQ(p->probes[NR_P_SOCK_EXCEED_BUF_LIMIT].tp_args, 0x08, "exceed_buf_limit args");
	CHECK_EQ(p->probes[NR_P_NET_DEV_XMIT].tp_args, 0, "net_dev_xmit: all required");
	nr_plan__free(p);
}

static void test_old_layouts(void)
{
	struct nr_plan_opts o = { .profile = NR_PROFILE_ALL };
	struct fake k;
	struct nr_plan *p;

	check_start("kernel/6.1");
	fake_61(&k);
	p = plan(&k, &o);
	if (p) {
		CHECK_EQ(p->probes[NR_P_KFREE_SKB].tp_args, 0x04, "kfree_skb: reason, no rx_sk");
		CHECK_EQ(p->probes[NR_P_CONSUME_SKB].tp_args, 0, "consume_skb: no location");
		CHECK_EQ(p->probes[NR_P_TCP_SEND_RESET].tp_args, 0, "tcp_send_reset: no reason");
		CHECK_EQ(p->probes[NR_P_TCP_RETRANSMIT_SKB].tp_args, 0, "retransmit: no err");
		CHECK_EQ(p->probes[NR_P_KFREE_SKB].mech, NR_MECH_TP_BTF, "still tp_btf");
		nr_plan__free(p);
	}

	check_start("kernel/5.10");
	k.nargs[NR_P_KFREE_SKB] = 2;
	p = plan(&k, &o);
	if (p) {
		CHECK_EQ(p->probes[NR_P_KFREE_SKB].tp_args, 0, "kfree_skb: no reason");
		CHECK_EQ(p->probes[NR_P_KFREE_SKB].mech, NR_MECH_TP_BTF, "still tp_btf");
		nr_plan__free(p);
	}

	/* an optional argument whose type changed is not read */
	check_start("kernel/changed optional argument");
	fake_newest(&k);
	k.arg_override[NR_P_KFREE_SKB][3] = "unsigned long";
	p = plan(&k, &o);
	if (p) {
		CHECK_EQ(p->probes[NR_P_KFREE_SKB].tp_args, 0x04, "rx_sk not read");
		nr_plan__free(p);
	}

	/* a required argument that differs: only the classic tracepoint can read it */
	check_start("kernel/changed required argument");
	fake_newest(&k);
	k.arg_override[NR_P_KFREE_SKB][0] = "struct sk_buff_head *";
	p = plan(&k, &o);
	if (p) {
		const struct nr_plan_probe *pp = &p->probes[NR_P_KFREE_SKB];

		CHECK_EQ(pp->mech, NR_MECH_TRACEPOINT, "falls to the classic tracepoint");
		CHECK_EQ(pp->viable, 1u << NR_MECH_TRACEPOINT, "only tracepoint viable");
		nr_plan__free(p);
	}
	o.force_mech = NR_MECH_TP_BTF;
	p = plan(&k, &o);
	if (p) {
		const struct nr_plan_probe *pp = &p->probes[NR_P_KFREE_SKB];

		CHECK_EQ(pp->mech, NR_MECH_NONE, "forced tp_btf impossible");
		CHECK_EQ(nr_plan__status(pp), NR_PROBE_UNAVAILABLE, "unavailable");
		CHECK_STR(pp->msg, "tp_btf: argument 0 is 'struct sk_buff_head *', netrec expects "
			  "'struct sk_buff *'", "why");
		nr_plan__free(p);
	}

	check_start("kernel/too few arguments");
	fake_newest(&k);
	k.nargs[NR_P_NET_DEV_XMIT] = 3;
	o.force_mech = NR_MECH_RAW_TP;
	p = plan(&k, &o);
	if (p) {
		CHECK_STR(p->probes[NR_P_NET_DEV_XMIT].msg,
			  "raw_tp: tracepoint has 3 arguments, netrec needs 4", "why");
		nr_plan__free(p);
	}
}

static void test_missing(void)
{
	struct nr_plan_opts o = { .profile = NR_PROFILE_PATH };
	struct fake k;
	struct nr_plan *p;

	check_start("kernel/missing tracepoint");
	fake_newest(&k);
	k.nargs[NR_P_QDISC_ENQUEUE] = -1;
	k.tracefs[NR_P_QDISC_ENQUEUE] = 0;
	p = plan(&k, &o);
	if (p) {
		const struct nr_plan_probe *pp = &p->probes[NR_P_QDISC_ENQUEUE];

		CHECK_EQ(pp->mech, NR_MECH_NONE, "no mechanism");
		CHECK(!pp->in_kernel, "not in the kernel");
		CHECK_EQ(nr_plan__status(pp), NR_PROBE_UNAVAILABLE, "unavailable");
		CHECK_STR(pp->msg, "no tracepoint qdisc:qdisc_enqueue in this kernel", "why");
		CHECK_EQ(nr_plan__nr_active(p), 17 - 1, "the others stay");
		nr_plan__free(p);
	}

	/* in tracefs, not in BTF (a module without BTF): raw_tp with required arguments */
	check_start("kernel/no BTF prototype");
	fake_newest(&k);
	k.nargs[NR_P_KFREE_SKB] = -1;
	p = plan(&k, &o);
	if (p) {
		const struct nr_plan_probe *pp = &p->probes[NR_P_KFREE_SKB];

		CHECK_EQ(pp->mech, NR_MECH_RAW_TP, "raw_tp");
		CHECK_EQ(pp->tp_args, 0, "no optional arguments");
		CHECK(pp->in_kernel, "in the kernel");
		nr_plan__free(p);
	}

	check_start("kernel/no tp_btf");
	fake_newest(&k);
	k.feat[NR_FEAT_TP_BTF] = 0;
	p = plan(&k, &o);
	if (p) {
		CHECK_EQ(p->probes[NR_P_KFREE_SKB].mech, NR_MECH_RAW_TP, "raw_tp");
		CHECK_EQ(p->probes[NR_P_NETIF_RX].mech, NR_MECH_RAW_TP, "raw_tp");
		nr_plan__free(p);
	}

	check_start("kernel/only tracepoints");
	k.feat[NR_FEAT_RAW_TP] = 0;
	p = plan(&k, &o);
	if (p) {
		CHECK_EQ(p->probes[NR_P_KFREE_SKB].mech, NR_MECH_TRACEPOINT, "tracepoint");
		nr_plan__free(p);
	}

	check_start("kernel/nothing");
	k.feat[NR_FEAT_TRACEPOINT] = 0;
	p = plan(&k, &o);
	if (p) {
		CHECK_EQ(nr_plan__nr_active(p), 0, "nothing can attach");
		CHECK_STR(p->probes[NR_P_KFREE_SKB].msg, "tp_btf: kernel refuses tp_btf programs",
			  "why");
		nr_plan__free(p);
	}

	/* unprivileged: trial loads impossible, BTF still answers */
	check_start("kernel/unprivileged");
	fake_newest(&k);
	k.feat[NR_FEAT_TP_BTF] = -EPERM;
	k.feat[NR_FEAT_RAW_TP] = -EPERM;
	k.feat[NR_FEAT_TRACEPOINT] = -EPERM;
	k.tracefs[NR_P_KFREE_SKB] = -EACCES;
	p = plan(&k, &o);
	if (p) {
		const struct nr_plan_probe *pp = &p->probes[NR_P_KFREE_SKB];

		CHECK_EQ(pp->mech, NR_MECH_TP_BTF, "tp_btf expected");
		CHECK(pp->unverified, "unverified");
		CHECK(pp->in_kernel, "in the kernel (BTF)");
		nr_plan__free(p);
	}
}

static void test_force_and_fail(void)
{
	struct nr_plan_opts o = { .profile = NR_PROFILE_DROPS, .force_mech = NR_MECH_RAW_TP };
	struct fake k;
	struct nr_plan *p;
	__u32 i;

	check_start("force/raw_tp");
	fake_newest(&k);
	p = plan(&k, &o);
	if (p) {
		for (i = 0; i < p->nr; i++)
			CHECK_EQ(p->probes[i].mech, NR_MECH_RAW_TP, p->probes[i].def->name);
		nr_plan__free(p);
	}

	check_start("fail/fallback order");
	o.force_mech = NR_MECH_NONE;
	p = plan(&k, &o);
	if (p) {
		struct nr_plan_probe *pp = &p->probes[NR_P_KFREE_SKB];

		CHECK_EQ(pp->mech, NR_MECH_TP_BTF, "tp_btf first");
		CHECK(nr_plan__fail(p, NR_P_KFREE_SKB, -EINVAL, "load failed"), "to raw_tp");
		CHECK_EQ(pp->mech, NR_MECH_RAW_TP, "raw_tp second");
		CHECK_STR(pp->msg, "tp_btf: load failed", "message kept");
		CHECK(nr_plan__fail(p, NR_P_KFREE_SKB, -EINVAL, "attach failed"), "to tracepoint");
		CHECK_EQ(pp->mech, NR_MECH_TRACEPOINT, "tracepoint third");
		CHECK(!nr_plan__fail(p, NR_P_KFREE_SKB, -EACCES, "attach failed"), "nothing left");
		CHECK_EQ(pp->mech, NR_MECH_NONE, "none");
		CHECK_EQ(pp->err, -EACCES, "last error");
		CHECK_EQ(nr_plan__status(pp), NR_PROBE_FAILED, "failed, not unavailable");
		CHECK(!nr_plan__fail(p, NR_P__STATIC_MAX, -EINVAL, "x"), "out of range");
		CHECK_EQ(nr_plan__status(&p->probes[NR_P_FIB_TABLE_LOOKUP]), NR_PROBE_NOT_SELECTED,
			 "not selected");
		nr_plan__free(p);
	}
}

/* probes from outside the table (issue 6's function probes) join the plan */
static void test_add(void)
{
	static const struct nr_probe_def fn = {
		.id = NR_P__STATIC_MAX, .kind = NR_PK_FUNC, .name = "kprobe:tcp_v4_rcv",
		.rec_type = NR_REC_FUNC,
		.mechs = { NR_MECH_FENTRY, NR_MECH_KPROBE, NR_MECH_NONE },
		.carries = "test",
	};
	struct nr_plan_opts o = { .profile = NR_PROFILE_DROPS };
	struct fake k;
	struct nr_plan *p;
	int id;

	check_start("add/function probe");
	fake_newest(&k);
	p = plan(&k, &o);
	if (!p)
		return;
	id = nr_plan__add(p, &fn, NR_SEL_EVENT, (1u << NR_MECH_FENTRY) | (1u << NR_MECH_KPROBE),
			  NULL);
	CHECK_EQ(id, NR_P__STATIC_MAX, "id after the static probes");
	CHECK_EQ(p->nr, NR_P__STATIC_MAX + 1, "plan grew");
	CHECK_EQ(p->probes[id].mech, NR_MECH_FENTRY, "preferred mechanism");
	CHECK_EQ(nr_plan__status(&p->probes[id]), NR_PROBE_ATTACHED, "planned");
	CHECK(nr_plan__fail(p, (__u32)id, -EPERM, "load refused"), "falls back");
	CHECK_EQ(p->probes[id].mech, NR_MECH_KPROBE, "to kprobe");
	CHECK_EQ(nr_plan__nr_active(p), 9, "active with the static ones");

	id = nr_plan__add(p, &fn, NR_SEL_EVENT, 0, "kprobes not compiled in");
	CHECK_EQ(id, NR_P__STATIC_MAX + 1, "next id");
	CHECK_EQ(nr_plan__status(&p->probes[id]), NR_PROBE_UNAVAILABLE, "unavailable");
	CHECK_STR(p->probes[id].msg, "kprobes not compiled in", "why");
	CHECK(p->probes[NR_P_KFREE_SKB].def == &nr_probe_defs[NR_P_KFREE_SKB], "static intact");
	nr_plan__free(p);
}

int main(void)
{
	test_table();
	test_names();
	test_profiles();
	test_newest_kernel();
	test_old_layouts();
	test_missing();
	test_force_and_fail();
	test_add();
	return check_exit();
}
