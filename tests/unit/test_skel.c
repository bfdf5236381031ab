// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_skel.c - the probe table and the BPF object agree: every probe has one program
 * per mechanism, in the section that attaches it to its own tracepoint, and the object
 * has no program the table does not name. Opens the object only (no kernel needed).
 */
#include <stdio.h>
#include <string.h>

#include <bpf/libbpf.h>

#include "check.h"
#include "netrec.skel.h"
#include "probes.h"

static int quiet(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	(void)level;
	(void)fmt;
	(void)ap;
	return 0;
}

int main(void)
{
	struct netrec_bpf *skel;
	struct bpf_program *prog;
	__u32 i, nprogs = 0, nmatched = 0;

	libbpf_set_print(quiet);
	check_start("skeleton");
	skel = netrec_bpf__open();
	if (!CHECK(skel != NULL, "open the object"))
		return check_exit();

	for (i = 0; i < NR_P__STATIC_MAX; i++) {
		const struct nr_probe_def *d = &nr_probe_defs[i];
		char sys[32];
		const char *event = nr_probe_tracepoint(d, sys, sizeof(sys));
		int j;

		for (j = 0; j < 4 && d->mechs[j] != NR_MECH_NONE; j++) {
			enum nr_mech m = d->mechs[j];
			char name[64], sec[96], what[160];

			snprintf(name, sizeof(name), "%s%s", d->prog, nr_mech_prog_suffix(m));
			prog = bpf_object__find_program_by_name(skel->obj, name);
			snprintf(what, sizeof(what), "%s: program %s", d->name, name);
			if (!CHECK(prog != NULL, what))
				continue;
			nmatched++;
			if (m == NR_MECH_TP_BTF)
				snprintf(sec, sizeof(sec), "tp_btf/%s", event);
			else if (m == NR_MECH_RAW_TP)
				snprintf(sec, sizeof(sec), "raw_tp/%s", event);
			else
				snprintf(sec, sizeof(sec), "tp/%s/%s", sys, event);
			CHECK_STR(bpf_program__section_name(prog), sec, what);
		}
	}
	bpf_object__for_each_program(prog, skel->obj)
		nprogs++;
	CHECK_EQ(nprogs, nmatched, "every program belongs to a probe");
	CHECK_EQ(nprogs, NR_P__STATIC_MAX * 3, "three programs per probe");
	CHECK(bpf_map__type(skel->maps.events) == BPF_MAP_TYPE_RINGBUF, "events is a ring buffer");
	CHECK_EQ(bpf_map__max_entries(skel->maps.stats), NR_P__STATIC_MAX, "stats entries");
	netrec_bpf__destroy(skel);
	return check_exit();
}
