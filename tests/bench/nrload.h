/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * nrload.h - netrec's traffic generator: commands, options, run summary
 *
 * nrload.c runs the traffic; nrload_cli.c turns argv into struct nrl_opts and a run into
 * its one-line summary, so both can be tested without sockets or root.
 */
#ifndef NRL_NRLOAD_H
#define NRL_NRLOAD_H

#include <netinet/in.h>
#include <stdio.h>
#include <sys/socket.h>
#include <linux/types.h>

#include "netcounters.h"

enum nrl_cmd {
	NRL_UDP_CLOSED,
	NRL_UDP_FILL,
	NRL_UDP_SEND,
	NRL_UDP_NFT,
	NRL_TCP_CLOSED,
	NRL_TCP_CHURN,
	NRL_TCP_SESSION,
	NRL_SERVE,
	NRL_COUNTERS,
	__NRL_CMD_MAX
};

struct nrl_cmd_info {
	const char *name;
	int proto;		/* IPPROTO_UDP / IPPROTO_TCP; 0 for counters */
	__u64 count;		/* default --count */
	__u16 dport;		/* default --dport (0: a port nrload binds itself) */
	const char *help;	/* one line for --help */
};

/* Indexed by enum nrl_cmd. */
extern const struct nrl_cmd_info nrl_cmds[__NRL_CMD_MAX];

struct nrl_opts {
	enum nrl_cmd cmd;
	__u64 count;		/* 0: bounded by duration only */
	__u64 duration_ns;
	__u64 rate;		/* per second; 0: as fast as possible */
	__u64 size;		/* UDP payload / TCP write size, bytes */
	__u64 bytes;		/* TCP bytes each way per connection */
	__u64 rcvbuf;		/* udp-fill: SO_RCVBUF asked for */
	struct sockaddr_storage dst;	/* port set (--dport or the command's default) */
	struct sockaddr_storage src;	/* family AF_UNSPEC: not bound */
	int serve_proto;	/* serve: IPPROTO_TCP or IPPROTO_UDP */
	const char *netns;	/* NULL: stay */
	const char *ready_file;	/* serve: written with the port once listening */
	int remote;		/* tcp-churn/tcp-session: a server already listens at dst */
	int json;
	int counters;		/* add the namespace's counter changes to the summary */
	int quiet;
};

enum nrl_stop {
	NRL_STOP_COUNT,		/* sent --count */
	NRL_STOP_DURATION,	/* --duration ran out first */
	NRL_STOP_SIGNAL,	/* SIGINT / SIGTERM */
	NRL_STOP_ERROR,		/* a failure that ends the run (e.g. the server went away) */
};

struct nrl_result {
	__u64 sent;		/* datagrams sent / connection attempts / sessions completed */
	__u64 errors;
	__u64 elapsed_ns;
	__u64 received;		/* datagrams read back (udp-fill, serve udp) */
	__u64 dropped;		/* udp-fill: the socket's own drop count (SO_MEMINFO) */
	__u64 refused;		/* tcp-closed: attempts answered with a reset */
	__u64 bytes_sent, bytes_received;	/* TCP payload */
	enum nrl_stop stop;
	__u16 port;		/* the destination (or listening) port actually used */
	const struct nrl_counters *before, *after;	/* with --counters */
};

/*
 * Parse argv into *opts (starting from the defaults). Return: 0 run, 1 --help was
 * printed to @out, -EINVAL after one line on @err naming the bad argument (exit 2).
 */
int nrl_parse_args(int argc, char **argv, struct nrl_opts *opts, FILE *out, FILE *err);

void nrl_usage(FILE *f);

/* The summary: one line, text or (opts->json) one JSON object, ending in "\n". */
void nrl_print_summary(FILE *f, const struct nrl_opts *opts, const struct nrl_result *r);

/* "127.0.0.1" / "::1", no port; buf of INET6_ADDRSTRLEN. */
const char *nrl_addr_str(const struct sockaddr_storage *ss, char *buf, size_t len);

#endif /* NRL_NRLOAD_H */
