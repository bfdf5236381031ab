/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * commands.h - the netrec subcommands
 *
 * Each command lives in cmd_<name>.c and returns the process exit status:
 * 0 success, 1 failure (one line on stderr says why), 2 usage error; `record` with a
 * COMMAND returns the command's status. argv[0] is the command name; global options
 * (-v, -q) are already consumed.
 *
 * The declarations are weak, as in bpftool's bootstrap build: a build without BPF
 * support has no record/ and the table in main.c says so instead of failing to link.
 */
#ifndef NR_COMMANDS_H
#define NR_COMMANDS_H

#define NR_WEAK __attribute__((weak))

NR_WEAK int cmd_record(int argc, char **argv);
NR_WEAK int cmd_probes(int argc, char **argv);
NR_WEAK int cmd_report(int argc, char **argv);
NR_WEAK int cmd_dump(int argc, char **argv);
NR_WEAK int cmd_info(int argc, char **argv);
NR_WEAK int cmd_pcap(int argc, char **argv);

#endif /* NR_COMMANDS_H */
