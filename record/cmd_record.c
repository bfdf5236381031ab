// SPDX-License-Identifier: GPL-2.0-only
/*
 * cmd_record.c - `netrec record`: argv into struct record_opts, then run_record()
 */
#include <errno.h>
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "log.h"
#include "netrec_abi.h"
#include "parse.h"
#include "record.h"

const struct record_opts record_defaults = {
	.profile = NR_PROFILE_DROPS,
	.snaplen = -1,
	.stack_sample = -1,
	.status = NR_STATUS_AUTO,
};

static void usage(FILE *f)
{
	fprintf(f,
		"usage: netrec record -o FILE [OPTIONS] [-- COMMAND [ARGS...]]\n"
		"\n"
		"Record what the network stack does to packets (drops with their reason, code\n"
		"location and stack; TCP state changes, resets, retransmits; with --profile path\n"
		"each packet's receive and transmit points) into a trace file that `netrec\n"
		"report` explains on any machine. Needs root (or CAP_BPF and CAP_PERFMON) and a\n"
		"kernel with BTF. Stops on Ctrl-C (SIGINT) or SIGTERM, after --duration, or when\n"
		"COMMAND exits (netrec then exits with COMMAND's status).\n"
		"\n"
		"Output:\n"
		"  -o, --output FILE        the trace file (mode 0600; an existing one is kept\n"
		"                           as FILE.old)\n"
		"  -d, --duration TIME      stop after TIME: 10, 10s, 500ms, 2m, 1h\n"
		"      --compress-level N   zstd level, 1 (fastest) to 19 (smallest) [default 3]\n"
		"  -q, --quiet              warnings and errors only: no live status line, no\n"
		"                           summary at the end\n"
		"      --status             the live status line even when stderr is no terminal\n"
		"\n"
		"What to record:\n"
		"  -p, --profile NAME       drops (default: drops, TCP states, resets,\n"
		"                           retransmits), path (+ receive, transmit, queueing and\n"
		"                           delivery points) or all (+ socket buffers, routes,\n"
		"                           neighbours); `netrec probes` lists them\n"
		"      --probe NAME         record this probe point too (repeatable)\n"
		"      --stack[=all]        a kernel stack with every event and every drop\n"
		"      --stack-sample N     stacks of drops: at most N per second per drop site\n"
		"                           (probe, location, reason) and CPU; the others are\n"
		"                           counted [%d; 0: every drop, as with --stack]\n"
		"      --max-stacks N       take at most N stacks in all\n"
		"      --snaplen N          packet bytes kept per snapshot, 0 to %d (0: none)\n"
		"\n"
		"Filters (in the kernel, before anything is recorded):\n"
		"  -f, --filter EXPR        pcap-filter expression on the packets' IP headers, e.g.\n"
		"                           'tcp port 443 and host 10.0.0.1'; socket events by\n"
		"                           their addresses and ports\n"
		"      --follow             keep following an skb that matched once, whatever its\n"
		"                           headers become (NAT, encapsulation)\n"
		"      --netns NS           only the network namespace NS: a name (ip netns), a\n"
		"                           path (/proc/PID/ns/net) or an inode number\n"
		"  -i, --iface IFACE        only packets on (or received on) interface IFACE (in\n"
		"                           --netns's namespace when given)\n"
		"      --mark V[/M]         only packets whose skb mark & M == V\n"
		"      --user-filter        apply --filter in user space (slower; for comparison)\n"
		"\n"
		"Limits:\n"
		"      --rate-limit N       at most N events per second (the rest are counted)\n"
		"      --buffer-size SIZE   ring buffer between the probes and netrec [8M]\n"
		"\n"
		"Beside the trace:\n"
		"      --pcap FILE          capture the packets with libpcap into FILE (pcapng,\n"
		"                           nanosecond timestamps on the trace's clock)\n"
		"      --pcap-iface IFACE   capture on IFACE [-i IFACE, else any], in --netns's\n"
		"                           namespace when given\n"
		"\n"
		"Control while recording:\n"
		"      --control FIFO       read commands from FIFO (made if missing): pause,\n"
		"                           resume, mark TEXT, max-stacks N, stop\n"
		"                           SIGUSR1 pauses and SIGUSR2 resumes as well\n"
		"  -h, --help               this help\n"
		"\n"
		"Examples:\n"
		"  netrec record -o trace.nr --duration 30s\n"
		"  netrec record -o trace.nr --filter 'udp port 53' -- dig @10.0.0.53 example.com\n"
		"  netrec record -o trace.nr --profile path --netns blue -i veth0 --pcap trace.pcapng\n"
		"  mkfifo ctl; netrec record -o trace.nr --control ctl &  echo 'mark retry 2' > ctl\n"
		"  netrec report trace.nr\n",
		NR_STACK_SAMPLE_DEFAULT, NR_SNAP_MAX);
}

enum {
	OPT_PROBE = 256,
	OPT_STACK,
	OPT_STACK_SAMPLE,
	OPT_MAX_STACKS,
	OPT_SNAPLEN,
	OPT_FOLLOW,
	OPT_NETNS,
	OPT_MARK,
	OPT_USER_FILTER,
	OPT_RATE_LIMIT,
	OPT_BUFFER_SIZE,
	OPT_COMPRESS_LEVEL,
	OPT_PCAP,
	OPT_PCAP_IFACE,
	OPT_CONTROL,
	OPT_STATUS,
};

static const struct option long_opts[] = {
	{ "output", required_argument, NULL, 'o' },
	{ "duration", required_argument, NULL, 'd' },
	{ "profile", required_argument, NULL, 'p' },
	{ "probe", required_argument, NULL, OPT_PROBE },
	{ "filter", required_argument, NULL, 'f' },
	{ "user-filter", no_argument, NULL, OPT_USER_FILTER },
	{ "follow", no_argument, NULL, OPT_FOLLOW },
	{ "netns", required_argument, NULL, OPT_NETNS },
	{ "iface", required_argument, NULL, 'i' },
	{ "mark", required_argument, NULL, OPT_MARK },
	{ "stack", optional_argument, NULL, OPT_STACK },
	{ "stack-sample", required_argument, NULL, OPT_STACK_SAMPLE },
	{ "max-stacks", required_argument, NULL, OPT_MAX_STACKS },
	{ "snaplen", required_argument, NULL, OPT_SNAPLEN },
	{ "rate-limit", required_argument, NULL, OPT_RATE_LIMIT },
	{ "buffer-size", required_argument, NULL, OPT_BUFFER_SIZE },
	{ "compress-level", required_argument, NULL, OPT_COMPRESS_LEVEL },
	{ "pcap", required_argument, NULL, OPT_PCAP },
	{ "pcap-iface", required_argument, NULL, OPT_PCAP_IFACE },
	{ "control", required_argument, NULL, OPT_CONTROL },
	{ "quiet", no_argument, NULL, 'q' },
	{ "status", no_argument, NULL, OPT_STATUS },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/* the option's name as the user wrote it, for messages */
static const char *opt_name(int c)
{
	const struct option *o;

	for (o = long_opts; o->name; o++)
		if (o->val == c)
			return o->name;
	return "?";
}

static int bad_value(int c, const char *arg, const char *want)
{
	pr_err("invalid --%s '%s': %s\n", opt_name(c), arg, want);
	return -EINVAL;
}

static int parse_mark(const char *arg, __u32 *mark, __u32 *mask)
{
	const char *slash = strchr(arg, '/');
	char v[32];

	*mask = 0xffffffffu;
	if (slash) {
		if ((size_t)(slash - arg) >= sizeof(v) || nr_parse_u32(slash + 1, 1, 0xffffffffu, mask))
			return -EINVAL;
		memcpy(v, arg, (size_t)(slash - arg));
		v[slash - arg] = '\0';
		arg = v;
	}
	return nr_parse_u32(arg, 0, 0xffffffffu, mark);
}

int record_parse_args(int argc, char **argv, struct record_opts *o)
{
	__u64 v64;
	__u32 v32;
	int c;

	o->argc = argc;
	o->argv = argv;
	optind = 0;
	/* '+': the first non-option starts COMMAND, whose own options are its business */
	while ((c = getopt_long(argc, argv, "+o:d:p:f:i:qh", long_opts, NULL)) != -1) {
		switch (c) {
		case 'o':
			o->output = optarg;
			break;
		case 'd':
			if (nr_parse_duration_ns(optarg, 1000000ull, 366ull * 86400 * 1000000000ull,
						 &o->duration_ns))
				return bad_value(c, optarg, "a duration from 1ms: 10, 10s, 500ms, 2m, 1h");
			break;
		case 'p':
			if (nr_profile_by_name(optarg, &o->profile))
				return bad_value(c, optarg, "drops, path or all");
			break;
		case OPT_PROBE:
			if (o->nr_probes == NR_RECORD_PROBES_MAX) {
				pr_err("--probe given more than %d times\n", NR_RECORD_PROBES_MAX);
				return -EINVAL;
			}
			o->probes[o->nr_probes++] = optarg;
			break;
		case 'f':
			o->filter = optarg;
			break;
		case OPT_USER_FILTER:
			o->user_filter = true;
			break;
		case OPT_FOLLOW:
			o->follow = true;
			break;
		case OPT_NETNS:
			o->netns = optarg;
			break;
		case 'i':
			o->iface = optarg;
			break;
		case OPT_MARK:
			if (parse_mark(optarg, &o->mark, &o->mark_mask))
				return bad_value(c, optarg, "VALUE or VALUE/MASK (decimal or 0x hex)");
			break;
		case OPT_STACK:
			if (optarg && strcmp(optarg, "all"))
				return bad_value(c, optarg, "no value, or 'all'");
			o->stack_all = true;
			break;
		case OPT_STACK_SAMPLE:
			if (nr_parse_u32(optarg, 0, 1000000, &v32))
				return bad_value(c, optarg, "stacks per second, 0 for every drop");
			o->stack_sample = (int)v32;
			break;
		case OPT_MAX_STACKS:
			if (nr_parse_u64(optarg, 0, (__u64)INT64_MAX, &o->max_stacks))
				return bad_value(c, optarg, "a number of stacks");
			o->limit_stacks = true;
			break;
		case OPT_SNAPLEN:
			if (nr_parse_u32(optarg, 0, NR_SNAP_MAX, &v32)) {
				char want[32];

				snprintf(want, sizeof(want), "0 to %d bytes", NR_SNAP_MAX);
				return bad_value(c, optarg, want);
			}
			o->snaplen = (int)v32;
			break;
		case OPT_RATE_LIMIT:
			if (nr_parse_u32(optarg, 1, 0xffffffffu, &o->rate_limit))
				return bad_value(c, optarg, "events per second, at least 1");
			break;
		case OPT_BUFFER_SIZE:
			if (nr_parse_size(optarg, 4096, 1ull << 31, &v64))
				return bad_value(c, optarg, "a size from 4k to 2G (e.g. 64M)");
			o->buffer_bytes = v64;
			break;
		case OPT_COMPRESS_LEVEL:
			if (nr_parse_u32(optarg, 1, 19, &v32))
				return bad_value(c, optarg, "1 to 19");
			o->compress_level = (int)v32;
			break;
		case OPT_PCAP:
			o->pcap = optarg;
			break;
		case OPT_PCAP_IFACE:
			o->pcap_iface = optarg;
			break;
		case OPT_CONTROL:
			o->control = optarg;
			break;
		case 'q':
			o->status = NR_STATUS_NEVER;
			break;
		case OPT_STATUS:
			o->status = NR_STATUS_ALWAYS;
			break;
		case 'h':
			usage(stdout);
			return 1;
		default:
			usage(stderr);
			return -EINVAL;
		}
	}
	if (optind < argc)
		o->command = argv + optind;
	if (!o->output) {
		pr_err("-o FILE is required\n");
		return -EINVAL;
	}
	if (o->pcap_iface && !o->pcap) {
		pr_err("--pcap-iface needs --pcap FILE\n");
		return -EINVAL;
	}
	if (o->follow && !o->filter && !o->mark_mask) {
		pr_err("--follow needs a --filter or a --mark to follow\n");
		return -EINVAL;
	}
	if (o->user_filter && !o->filter) {
		pr_err("--user-filter needs a --filter\n");
		return -EINVAL;
	}
	if (o->pcap && !strcmp(o->pcap, o->output)) {
		pr_err("--pcap and -o name the same file '%s'\n", o->output);
		return -EINVAL;
	}
	return 0;
}

int cmd_record(int argc, char **argv)
{
	struct record_opts o = record_defaults;
	int err;

	err = record_parse_args(argc, argv, &o);
	if (err)
		return err > 0 ? EXIT_SUCCESS : 2;
	/* -q: warnings and errors only, as the global -q */
	if (o.status == NR_STATUS_NEVER && nr_log_level > NR_LOG_WARN)
		nr_log_level = NR_LOG_WARN;
	return run_record(&o);
}
