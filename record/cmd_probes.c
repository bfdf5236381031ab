// SPDX-License-Identifier: GPL-2.0-only
/*
 * cmd_probes.c - `netrec probes [--json]`: every probe point, whether this kernel has
 * it, the mechanism a recording would use, and the profiles it belongs to
 *
 * Without privileges the trial loads cannot run: what BTF and tracefs say is still
 * reported, and the chosen mechanisms are marked unverified.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "nr_features.h"
#include "log.h"
#include "netrec_abi.h"
#include "plan.h"

static const char *rec_kind(__u16 type)
{
	switch (type) {
	case NR_REC_PKT:
		return "packet";
	case NR_REC_SOCK:
		return "socket";
	case NR_REC_FIB:
		return "route";
	case NR_REC_NEIGH:
		return "neighbour";
	default:
		return "other";
	}
}

static void json_str(const char *s)
{
	putchar('"');
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c < 0x20)
			printf("\\u%04x", c);
		else
			putchar(c);
	}
	putchar('"');
}

/* "drops path all", with "(count: drops)" for counting-only profiles */
static void profiles_str(const struct nr_probe_def *d, char *buf, size_t len)
{
	size_t n = 0;
	int p;

	buf[0] = '\0';
	for (p = NR_PROFILE_DROPS; p < __NR_PROFILE_MAX; p++)
		if (p >= (int)d->profile)
			n += snprintf(buf + n, n < len ? len - n : 0, "%s%s", n ? "," : "",
				      nr_profile_name(p));
	if (d->count_profile != NR_PROFILE_NONE && n < len)
		snprintf(buf + n, len - n, "%scount:%s", n ? "," : "",
			 nr_profile_name(d->count_profile));
}

static const char *feat_word(int r)
{
	return r > 0 ? "yes" : r == 0 ? "no" : "unknown";
}

static void print_json(const struct nr_plan *plan)
{
	static const enum nr_feat shown[] = {
		NR_FEAT_BTF, NR_FEAT_PRIV, NR_FEAT_RINGBUF, NR_FEAT_TP_BTF, NR_FEAT_RAW_TP,
		NR_FEAT_TRACEPOINT, NR_FEAT_TRACEFS,
	};
	static const char *const keys[] = {
		"btf", "privileges", "ringbuf", "tp_btf", "raw_tp", "tracepoint", "tracefs",
	};
	const struct btf *btf = nr_vmlinux_btf();
	__u32 i, j;

	printf("{\"features\":{");
	for (i = 0; i < sizeof(shown) / sizeof(shown[0]); i++) {
		int r = nr_feat(shown[i]);

		printf("%s\"%s\":%s", i ? "," : "", keys[i],
		       r > 0 ? "true" : r == 0 ? "false" : "null");
	}
	printf("},\"probes\":[");
	for (i = 0; i < plan->nr; i++) {
		const struct nr_plan_probe *pp = &plan->probes[i];
		const struct nr_probe_def *d = pp->def;
		struct nr_tp_proto proto;
		char sys[32];
		const char *event = nr_probe_tracepoint(d, sys, sizeof(sys));
		int p;
		bool first = true;

		printf("%s{\"id\":%u,\"name\":", i ? "," : "", d->id);
		json_str(d->name);
		printf(",\"in_kernel\":%s,\"mechanism\":", pp->in_kernel ? "true" : "false");
		if (pp->mech != NR_MECH_NONE)
			json_str(nr_mech_name(pp->mech));
		else
			printf("null");
		printf(",\"verified\":%s,\"viable\":[", pp->unverified ? "false" : "true");
		for (j = 0; j < 4 && d->mechs[j] != NR_MECH_NONE; j++) {
			if (!(pp->viable & (1u << d->mechs[j])))
				continue;
			printf("%s", first ? "" : ",");
			json_str(nr_mech_name(d->mechs[j]));
			first = false;
		}
		printf("],\"reason\":");
		if (pp->mech == NR_MECH_NONE && pp->msg[0])
			json_str(pp->msg);
		else
			printf("null");
		printf(",\"profiles\":[");
		for (p = d->profile, first = true; p < __NR_PROFILE_MAX; p++, first = false) {
			printf("%s", first ? "" : ",");
			json_str(nr_profile_name(p));
		}
		printf("],\"count_profile\":");
		if (d->count_profile != NR_PROFILE_NONE)
			json_str(nr_profile_name(d->count_profile));
		else
			printf("null");
		printf(",\"record\":");
		json_str(rec_kind(d->rec_type));
		printf(",\"carries\":");
		json_str(d->carries);
		printf(",\"kernel_args\":");
		if (btf && event && !nr_btf_tp_proto(btf, event, &proto)) {
			printf("[");
			for (j = 0; j < proto.nr && j < NR_TP_MAX_ARGS; j++) {
				printf("%s", j ? "," : "");
				json_str(proto.types[j]);
			}
			printf("]");
		} else {
			printf("null");
		}
		printf("}");
	}
	printf("]}\n");
}

static void print_text(const struct nr_plan *plan)
{
	int priv = nr_feat(NR_FEAT_PRIV);
	__u32 i;

	printf("kernel BTF: %s, BPF privileges: %s, tp_btf: %s, raw_tp: %s, tracepoint: %s, "
	       "tracefs: %s\n",
	       feat_word(nr_feat(NR_FEAT_BTF)), feat_word(priv), feat_word(nr_feat(NR_FEAT_TP_BTF)),
	       feat_word(nr_feat(NR_FEAT_RAW_TP)), feat_word(nr_feat(NR_FEAT_TRACEPOINT)),
	       feat_word(nr_feat(NR_FEAT_TRACEFS)));
	if (priv != 1)
		printf("(not privileged: mechanisms marked * are what BTF and tracefs suggest, "
		       "not verified by a trial load)\n");
	printf("\n%-32s %-6s %-12s %-23s %s\n", "PROBE", "KERNEL", "MECHANISM", "PROFILES",
	       "RECORDS");
	for (i = 0; i < plan->nr; i++) {
		const struct nr_plan_probe *pp = &plan->probes[i];
		char prof[64], mech[16];

		profiles_str(pp->def, prof, sizeof(prof));
		snprintf(mech, sizeof(mech), "%s%s",
			 pp->mech != NR_MECH_NONE ? nr_mech_name(pp->mech) : "-",
			 pp->mech != NR_MECH_NONE && pp->unverified ? "*" : "");
		printf("%-32s %-6s %-12s %-23s %s: %s\n", pp->def->name,
		       pp->in_kernel ? "yes" : "no", mech, prof, rec_kind(pp->def->rec_type),
		       pp->def->carries);
		if (pp->mech == NR_MECH_NONE && pp->msg[0])
			printf("%-32s unavailable: %s\n", "", pp->msg);
	}
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: netrec probes [--json]\n"
		"\n"
		"List every probe point netrec knows, whether this kernel has it, the mechanism\n"
		"a recording would attach it with (tp_btf, raw_tp, tracepoint) and the profiles\n"
		"that record it. Works without privileges (mechanisms are then unverified).\n"
		"\n"
		"Options:\n"
		"  -j, --json   one JSON document on stdout\n"
		"  -h, --help   this help\n"
		"\n"
		"Examples:\n"
		"  netrec probes\n"
		"  netrec probes --json | jq '.probes[] | select(.mechanism == null)'\n");
}

int cmd_probes(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct nr_plan_opts popts = { .profile = NR_PROFILE_ALL };
	struct nr_error e = { 0 };
	struct nr_plan *plan;
	bool json = false;
	int c, err;

	while ((c = getopt_long(argc, argv, "jh", opts, NULL)) != -1) {
		switch (c) {
		case 'j':
			json = true;
			break;
		case 'h':
			usage(stdout);
			return EXIT_SUCCESS;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind < argc) {
		pr_err("unexpected argument '%s'\n", argv[optind]);
		usage(stderr);
		return 2;
	}

	err = nr_plan__build(&popts, &nr_kernel_running, &plan, &e);
	if (err) {
		pr_err("cannot list probes: %s\n", e.msg[0] ? e.msg : strerror(-err));
		return EXIT_FAILURE;
	}
	if (json)
		print_json(plan);
	else
		print_text(plan);
	nr_plan__free(plan);
	return EXIT_SUCCESS;
}
