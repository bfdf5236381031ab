// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * cmd_pcap.c - netrec pcap: the packet snapshots of a trace as pcapng for Wireshark
 * (the blocks and their comments: pcap_export.c)
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis.h"
#include "commands.h"
#include "log.h"
#include "report.h"

struct pcap_opts {
	struct report_opts r;
	const char *out;
	const char *beside;
	bool drops_only;
};

#define BESIDE_WINDOW_NS	1000000000ULL	/* a captured packet and its event: 1 s apart at most */

static void usage(FILE *f)
{
	fprintf(f,
		"usage: netrec pcap FILE -o OUT.pcapng [OPTIONS]\n"
		"\n"
		"Write the packet snapshots of a trace file as pcapng: one packet per snapshot,\n"
		"one interface per device and namespace, and comments with the packet's path and,\n"
		"for dropped packets, the drop reason and location (Wireshark: frame.comment).\n"
		"\n"
		"Options:\n"
		"  -o, --output FILE    the pcapng to write (- for stdout)\n"
		"      --drops-only     only dropped packets, one snapshot each\n"
		"      --beside CAPTURE write the capture recorded beside the trace instead (pcap or\n"
		"                       pcapng), each packet annotated by the event it matches\n"
		"      --filter EXPR    only packets matching a pcap-filter expression\n"
		"      --since T, --until T, --reason NAME, --netns NS   as for netrec report\n"
		"  -h, --help           this help\n"
		"\n"
		"Examples:\n"
		"  netrec pcap trace.nr -o trace.pcapng\n"
		"  netrec pcap trace.nr -o drops.pcapng --drops-only --reason NO_SOCKET\n"
		"  netrec pcap trace.nr -o annotated.pcapng --beside trace.pcapng\n"
		"  tshark -r drops.pcapng -T fields -e frame.comment\n");
}

static int tick_beside(void *ctx, __u64 ts)
{
	return nr_pcap_beside__pump(ctx, ts);
}

static int run_beside(const struct pcap_opts *o)
{
	struct nr_pcap_beside *b = NULL;
	struct report_session s;
	__u64 packets = 0, matched = 0;
	char msg[256];
	int err, cerr;

	err = report_session_open(&s, &o->r, 1, nr_pcap_beside__packet, NULL);
	if (err)
		return EXIT_FAILURE;
	err = nr_pcap_beside__new(s.meta, o->beside, o->out, BESIDE_WINDOW_NS, &b, msg,
				  sizeof(msg));
	if (err) {
		pr_err("'%s': %s\n", o->beside, msg);
		goto out;
	}
	report_session_set_ctx(&s, b);
	s.tick = tick_beside;
	s.tick_ctx = b;
	err = report_session_run(&s);
	if (!err)
		err = nr_pcap_beside__pump(b, ~0ULL);
	cerr = nr_pcap_beside__close(b, &packets, &matched);
	if (!err)
		err = cerr;
	if (err)
		pr_err("'%s': %s\n", o->out, strerror(-err));
	else
		pr_info("%llu packets of %s written to %s, %llu annotated with their events\n",
			(unsigned long long)packets, o->beside, o->out, (unsigned long long)matched);
out:
	report_session_close(&s);
	return err ? EXIT_FAILURE : EXIT_SUCCESS;
}

static int run_pcap(const struct pcap_opts *o)
{
	struct nr_pcap_export *x = NULL;
	struct report_session s;
	__u64 packets = 0, dropped = 0;
	int err, cerr;

	err = report_session_open(&s, &o->r, 1, nr_pcap_export__packet, NULL);
	if (err)
		return EXIT_FAILURE;
	err = nr_pcap_export__new(s.meta, o->out, o->drops_only, o->r.path, &x);
	if (err) {
		pr_err("'%s': %s\n", o->out, strerror(-err));
		goto out;
	}
	report_session_set_ctx(&s, x);
	err = report_session_run(&s);
	cerr = nr_pcap_export__close(x, &packets, &dropped);
	if (!err && cerr) {
		err = cerr;
		pr_err("'%s': %s\n", o->out, strerror(-err));
	}
	if (!err)
		pr_info("%llu packets (%llu dropped) written to %s\n", (unsigned long long)packets,
			(unsigned long long)dropped, o->out);
out:
	report_session_close(&s);
	return err ? EXIT_FAILURE : EXIT_SUCCESS;
}
int cmd_pcap(int argc, char **argv)
{
	enum { OPT_DROPS = OPT_FILTERS_END, OPT_BESIDE };
	static const struct option lopts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "drops-only", no_argument, NULL, OPT_DROPS },
		{ "beside", required_argument, NULL, OPT_BESIDE },
		REPORT_FILTER_LONGOPTS,
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct pcap_opts o = { 0 };
	int c;

	while ((c = getopt_long(argc, argv, "o:h", lopts, NULL)) != -1) {
		int f = report_filter_opt(c, optarg, &o.r);

		if (f == 2)
			return 2;
		if (f)
			continue;
		switch (c) {
		case 'o':
			o.out = optarg;
			break;
		case OPT_DROPS:
			o.drops_only = true;
			break;
		case OPT_BESIDE:
			o.beside = optarg;
			break;
		case 'h':
			usage(stdout);
			return EXIT_SUCCESS;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind != argc - 1 || !o.out) {
		pr_err(optind >= argc ? "pcap: which trace file?\n" :
		       !o.out ? "pcap: where to? (-o OUT.pcapng)\n" : "pcap: one trace file only\n");
		usage(stderr);
		return 2;
	}
	o.r.path = argv[optind];
	return o.beside ? run_beside(&o) : run_pcap(&o);
}
