/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * record.h - `netrec record`: the options, and the run that ties the loader (loader.h),
 * the machine's facts (machine.h), the trace writer (nr_file.h) and the pcap capture
 * (capture.h) together
 *
 * cmd_record.c turns argv into a struct record_opts (copied from record_defaults) and
 * calls run_record(), which never sees argv (the xdp-tools split): the option parsing is
 * unit-tested on its own, and so is everything run_record() hands to its parts.
 *
 * The order of a run, each step failing with one line before the next starts:
 *   1. the filter expression compiles; privileges and kernel support (nr_loader__check_kernel)
 *   2. the machine's facts, --netns and -i resolved
 *   3. the probes opened, configured, loaded and attached (nothing written yet)
 *   4. only then the trace file (an existing one kept as FILE.old), its metadata and a
 *      START control record; the pcap capture; the drain thread; the COMMAND
 *   5. until SIGINT/SIGTERM, --duration, COMMAND's exit, `stop` on the control FIFO or
 *      an error: pause/resume/marks, the status line
 *   6. detach, drain what is left, final counters, STOP with the reason, end clock,
 *      close; one line with what was written and lost
 */
#ifndef NR_RECORD_RECORD_H
#define NR_RECORD_RECORD_H

#include <stdbool.h>
#include <linux/types.h>

#include "probes.h"

#define NR_RECORD_PROBES_MAX	64	/* --probe given this many times at most */
#define NR_STACK_SAMPLE_DEFAULT	5	/* stacks per second per drop site and CPU */

/* struct record_opts.status */
enum nr_status_mode {
	NR_STATUS_AUTO = 0,	/* a live status line when stderr is a terminal */
	NR_STATUS_NEVER,	/* -q */
	NR_STATUS_ALWAYS,	/* --status (tests, or a terminal that isatty() misses) */
};

/**
 * struct record_opts - everything `netrec record` was asked for
 * @output:         the trace file
 * @duration_ns:    stop after this long; 0: until stopped
 * @profile:        NR_PROFILE_*
 * @probes:         --probe names, @nr_probes of them
 * @filter:         pcap-filter expression, or NULL
 * @user_filter:    apply @filter in user space even when it could run in the kernel
 * @follow:         keep later events of skbs that matched the filters once
 * @netns:          --netns NAME|PATH|INODE, or NULL
 * @iface:          -i IFACE (in @netns when given), or NULL
 * @mark, @mark_mask: --mark VALUE[/MASK]; mask 0: no mark filter
 * @stack_all:      --stack: a stack with every event, and with every drop (no sampling
 *                  unless --stack-sample says otherwise)
 * @stack_sample:   stacks per second per site (probe, location, reason) and CPU; 0: every
 *                  one; -1: the default (NR_STACK_SAMPLE_DEFAULT, 0 with --stack)
 * @limit_stacks:   --max-stacks given: at most @max_stacks stacks
 * @snaplen:        snapshot bytes; -1: the loader's default, 0: no snapshots
 * @buffer_bytes:   ring buffer size; 0: the loader's default
 * @rate_limit:     events per second; 0: unlimited
 * @compress_level: zstd level; 0: the writer's default
 * @pcap:           pcapng file to capture into beside the trace, or NULL
 * @pcap_iface:     interface to capture on; NULL: @iface, else "any"
 * @control:        control FIFO path, or NULL
 * @status:         enum nr_status_mode
 * @command:        argv of the COMMAND to run (NULL-terminated), or NULL
 * @argc, @argv:    the command line as given, stored in the file
 */
struct record_opts {
	const char *output;
	__u64 duration_ns;
	enum nr_profile profile;
	const char *probes[NR_RECORD_PROBES_MAX];
	__u32 nr_probes;
	const char *filter;
	bool user_filter;
	bool follow;
	const char *netns;
	const char *iface;
	__u32 mark;
	__u32 mark_mask;
	bool stack_all;
	int stack_sample;
	bool limit_stacks;
	__u64 max_stacks;
	int snaplen;
	__u64 buffer_bytes;
	__u32 rate_limit;
	int compress_level;
	const char *pcap;
	const char *pcap_iface;
	const char *control;
	enum nr_status_mode status;
	char **command;
	int argc;
	char **argv;
};

extern const struct record_opts record_defaults;

/**
 * record_parse_args() - argv of `netrec record` (argv[0] is "record") into @o, which
 * the caller initialised from record_defaults
 * Return: 0 to run, 1 when --help was printed (exit 0), -EINVAL for a usage error (one
 * line printed; exit 2).
 */
int record_parse_args(int argc, char **argv, struct record_opts *o);

/**
 * run_record() - record as @o says
 * Return: the exit status: 0, 1 on failure (one line on stderr says why), or with a
 * COMMAND the command's exit status (128 + signal if it was killed).
 */
int run_record(const struct record_opts *o);

#endif /* NR_RECORD_RECORD_H */
