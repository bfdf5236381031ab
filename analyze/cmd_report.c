// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * cmd_report.c - netrec report: read a trace file, analyse it, render one report
 */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "analysis.h"
#include "commands.h"
#include "emit.h"
#include "log.h"
#include "parse.h"
#include "report.h"

static const struct report_opts defaults_report = {
	.format = REPORT_TEXT,
	.color = REPORT_COLOR_AUTO,
	.limit = 20,
};

static void usage(FILE *f)
{
	fprintf(f,
		"usage: netrec report FILE [OPTIONS]\n"
		"\n"
		"Explain the drops and TCP events of a trace file: a verdict, the drops by reason\n"
		"and location with a diagnosis, flows and stacks, TCP connections, lost events.\n"
		"Needs no privileges and nothing from the machine the file was recorded on.\n"
		"\n"
		"Output (one of):\n"
		"  (default)            text for a terminal\n"
		"  -j, --json           one JSON document (schema: analyze/REPORT-JSON.md)\n"
		"      --packets        each dropped packet with its path and per-hop times\n"
		"      --folded         drop stacks in folded format (flamegraph.pl, speedscope)\n"
		"\n"
		"Options:\n"
		"      --limit N        --packets: at most N packets (default 20, 0: all)\n"
		"      --color WHEN     auto (default: on a terminal), always, never\n"
		"      --filter EXPR    only packets matching a pcap-filter expression\n"
		"      --since T        only events from T: seconds after the first event (10,\n"
		"                       2.5, 500ms) or UTC wall-clock (2026-11-05T10:00:00Z)\n"
		"      --until T        only events up to T (same forms)\n"
		"      --reason NAME    only drops with this reason (NO_SOCKET; repeat or comma)\n"
		"      --netns NS       only drops and connections in this netns (inode or name)\n"
		"      --max-conns N    keep the timelines of at most N connections (10000)\n"
		"  -h, --help           this help\n"
		"\n"
		"Examples:\n"
		"  netrec report trace.nr\n"
		"  netrec report trace.nr --reason NO_SOCKET --filter 'udp port 53'\n"
		"  netrec report trace.nr --folded | flamegraph.pl > drops.svg\n"
		"  netrec report trace.nr --json | jq '.drops[0]'\n");
}

static int set_format(struct report_opts *o, enum report_format f)
{
	if (o->format != REPORT_TEXT && o->format != f) {
		pr_err("choose one of --json, --packets, --folded\n");
		return -EINVAL;
	}
	o->format = f;
	return 0;
}

int report_filter_opt(int c, char *arg, struct report_opts *o)
{
	switch (c) {
	case OPT_FILTER:
		o->filter = arg;
		return 1;
	case OPT_SINCE:
		o->since = arg;
		return 1;
	case OPT_UNTIL:
		o->until = arg;
		return 1;
	case OPT_NETNS:
		o->netns = arg;
		return 1;
	case OPT_REASON:
		if (o->nr_reasons >= NR_ANALYSIS_MAX_REASONS) {
			pr_err("--reason: at most %d reasons\n", NR_ANALYSIS_MAX_REASONS);
			return 2;
		}
		o->reasons[o->nr_reasons++] = arg;
		return 1;
	default:
		return 0;
	}
}

int parse_report_args(int argc, char **argv, struct report_opts *o)
{
	enum { OPT_PACKETS = OPT_FILTERS_END, OPT_FOLDED, OPT_LIMIT, OPT_COLOR, OPT_MAXCONNS };
	static const struct option lopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "packets", no_argument, NULL, OPT_PACKETS },
		{ "folded", no_argument, NULL, OPT_FOLDED },
		{ "limit", required_argument, NULL, OPT_LIMIT },
		{ "color", required_argument, NULL, OPT_COLOR },
		{ "colour", required_argument, NULL, OPT_COLOR },
		REPORT_FILTER_LONGOPTS,
		{ "max-conns", required_argument, NULL, OPT_MAXCONNS },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	*o = defaults_report;
	while ((c = getopt_long(argc, argv, "jh", lopts, NULL)) != -1) {
		int f = report_filter_opt(c, optarg, o);

		if (f == 2)
			return 2;
		if (f)
			continue;
		switch (c) {
		case 'j':
			if (set_format(o, REPORT_JSON))
				return 2;
			break;
		case OPT_PACKETS:
			if (set_format(o, REPORT_PACKETS))
				return 2;
			break;
		case OPT_FOLDED:
			if (set_format(o, REPORT_FOLDED))
				return 2;
			break;
		case OPT_LIMIT:
			if (nr_parse_u32(optarg, 0, 100000000, &o->limit)) {
				pr_err("--limit: '%s' is not a count\n", optarg);
				return 2;
			}
			break;
		case OPT_COLOR:
			if (!strcmp(optarg, "auto"))
				o->color = REPORT_COLOR_AUTO;
			else if (!strcmp(optarg, "always"))
				o->color = REPORT_COLOR_ALWAYS;
			else if (!strcmp(optarg, "never"))
				o->color = REPORT_COLOR_NEVER;
			else {
				pr_err("--color: '%s' is not auto, always or never\n", optarg);
				return 2;
			}
			break;
		case OPT_MAXCONNS:
			if (nr_parse_u32(optarg, 1, 10000000, &o->max_conns)) {
				pr_err("--max-conns: '%s' is not a count from 1\n", optarg);
				return 2;
			}
			break;
		case 'h':
			usage(stdout);
			return -1;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind != argc - 1) {
		pr_err(optind >= argc ? "report: which trace file?\n" :
					"report: one trace file only\n");
		usage(stderr);
		return 2;
	}
	o->path = argv[optind];
	return 0;
}

int cmd_report(int argc, char **argv)
{
	struct report_opts o;
	int err = parse_report_args(argc, argv, &o);

	if (err < 0)
		return EXIT_SUCCESS;	/* --help */
	if (err)
		return err;
	return run_report(&o, stdout);
}

int run_report(const struct report_opts *o, FILE *out)
{
	const struct nr_emitter *em = o->format == REPORT_JSON ? &nr_emit_json :
				      o->format == REPORT_PACKETS ? &nr_emit_packets :
				      o->format == REPORT_FOLDED ? &nr_emit_folded : &nr_emit_text;
	struct nr_emit_opts eo = { .file = o->path, .limit = o->limit };
	struct report_session s;
	int err;

	/*
	 * --packets keeps --limit paths (0: all of them, memory permitting); the other
	 * outputs show the first REPORT_PATHS
	 */
	err = report_session_open(&s, o, o->format != REPORT_PACKETS ? REPORT_PATHS :
				  o->limit ? o->limit : ~0u, NULL, NULL);
	if (err)
		return EXIT_FAILURE;
	err = report_session_run(&s);
	if (err)
		goto out;
	eo.filters = s.filter_desc[0] ? s.filter_desc : NULL;
	if (o->color == REPORT_COLOR_ALWAYS)
		eo.color = true;
	else if (o->color == REPORT_COLOR_AUTO && out == stdout)
		eo.color = isatty(STDOUT_FILENO) && !getenv("NO_COLOR") &&
			   !(getenv("TERM") && !strcmp(getenv("TERM"), "dumb"));
	err = em->emit(out, s.result, &eo);
	if (!err && fflush(out))
		err = -errno;
	if (err)
		pr_err("writing the report: %s\n", strerror(-err));
out:
	report_session_close(&s);
	return err ? EXIT_FAILURE : EXIT_SUCCESS;
}
