// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * main.c - the netrec command table and global options
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "commands.h"
#include "log.h"

struct cmd {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *help;
	const char *needs;	/* what a build lacking fn is missing */
};

static int cmd_help(int argc, char **argv);

static const struct cmd cmds[] = {
	{ "record", cmd_record, "record network-stack events into a trace file", "BPF support" },
	{ "report", cmd_report, "explain the drops and TCP events of a trace file", NULL },
	{ "dump", cmd_dump, "print every event of a trace file", NULL },
	{ "info", cmd_info, "describe a trace file: host, probes, chunks, losses", NULL },
	{ "pcap", cmd_pcap, "export a trace's packets as pcapng for Wireshark", NULL },
	{ "probes", cmd_probes, "list probe points and what this kernel offers", "BPF support" },
	{ "help", cmd_help, "show this help", NULL },
};

static void usage(FILE *f)
{
	size_t i;

	fprintf(f,
		"usage: netrec [-v|-q] COMMAND [ARGS...]\n"
		"       netrec --version\n"
		"\n"
		"Record what the Linux network stack does to packets, explain it anywhere.\n"
		"\n"
		"Commands:\n");
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		fprintf(f, "  %-8s %s%s\n", cmds[i].name, cmds[i].help,
			cmds[i].fn ? "" : " (not in this build)");
	fprintf(f,
		"\n"
		"Global options:\n"
		"  -v, --verbose  more diagnostics (repeat for libbpf and verifier output)\n"
		"  -q, --quiet    warnings and errors only\n"
		"  -V, --version  print the version\n"
		"\n"
		"Run 'netrec COMMAND --help' for a command's options.\n"
		"\n"
		"Examples:\n"
		"  netrec record -o trace.nr --duration 10     # needs root\n"
		"  netrec report trace.nr                      # anywhere, no privileges\n");
}

static int cmd_help(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	usage(stdout);
	return EXIT_SUCCESS;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "verbose", no_argument, NULL, 'v' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	size_t i;
	int c;

	/* '+': stop at the first non-option, the command name */
	while ((c = getopt_long(argc, argv, "+vqVh", opts, NULL)) != -1) {
		switch (c) {
		case 'v':
			if (nr_log_level < NR_LOG_VERBOSE)
				nr_log_level++;
			break;
		case 'q':
			nr_log_level = NR_LOG_WARN;
			break;
		case 'V':
			printf("netrec %s\n", NETREC_VERSION);
			return EXIT_SUCCESS;
		case 'h':
			usage(stdout);
			return EXIT_SUCCESS;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind >= argc) {
		usage(stderr);
		return 2;
	}

	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		if (strcmp(argv[optind], cmds[i].name))
			continue;
		if (!cmds[i].fn) {
			pr_err("'%s' is not in this build (built without %s)\n", cmds[i].name,
			       cmds[i].needs ? cmds[i].needs : "it");
			return EXIT_FAILURE;
		}
		/* each command parses its own options, with its name as argv[0] */
		argc -= optind;
		argv += optind;
		optind = 0;	/* full getopt re-initialisation for the command */
		return cmds[i].fn(argc, argv);
	}
	pr_err("unknown command '%s', see 'netrec help'\n", argv[optind]);
	return 2;
}
