/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * netcounters.h - the kernel's own network counters of the calling thread's namespace
 *
 * /proc/net/snmp and /proc/net/netstat hold pairs of lines ("Udp: InDatagrams NoPorts ...",
 * then "Udp: 12 3 ..."); /proc/net/snmp6 holds one "Udp6NoPorts 3" per line. Counters are
 * named as nstat(8) names them: the protocol followed by the field ("UdpNoPorts",
 * "TcpExtTCPAbortOnData", "Udp6RcvbufErrors"), so numbers can be checked against
 * `nstat -az`. /proc/self/net follows the thread's network namespace, so a thread that
 * entered one with setns(2) reads that namespace's counters.
 *
 * These counters are the benchmark's ground truth: every recorder's "captured + lost"
 * is compared with their change over a run.
 */
#ifndef NRL_NETCOUNTERS_H
#define NRL_NETCOUNTERS_H

#include <stddef.h>

#define NRL_COUNTER_NAME_MAX 64

struct nrl_counter {
	char name[NRL_COUNTER_NAME_MAX];
	long long value;	/* signed: Tcp MaxConn is -1 */
};

struct nrl_counters {
	struct nrl_counter *v;
	size_t n, cap;
};

/*
 * Parse the header/value line pairs of /proc/net/snmp or /proc/net/netstat and append
 * each counter. Return: 0, -EBADMSG if a value line does not match its header line
 * (name, field count, or a value that is not a number), -ENOMEM, -EOVERFLOW for a
 * name longer than NRL_COUNTER_NAME_MAX - 1.
 */
int nrl_counters_parse_pairs(struct nrl_counters *c, const char *text);

/* Parse "Name value" lines (/proc/net/snmp6). Return: as nrl_counters_parse_pairs(). */
int nrl_counters_parse_flat(struct nrl_counters *c, const char *text);

/*
 * Read snmp, netstat and (when the namespace has IPv6) snmp6 of the calling thread's
 * network namespace. Return: 0, or -errno of the first file that could not be read
 * or parsed.
 */
int nrl_counters_read(struct nrl_counters *c);

/* The counter's value, or 0 with *found = 0 (found may be NULL). */
long long nrl_counters_get(const struct nrl_counters *c, const char *name, int *found);

void nrl_counters_free(struct nrl_counters *c);

#endif /* NRL_NETCOUNTERS_H */
