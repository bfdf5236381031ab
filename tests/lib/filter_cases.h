/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * filter_cases.h - the --filter test table: pcap-filter expressions and packets (from
 * their network header on), shared by the unit test (translation run in an eBPF
 * interpreter) and the live test (translation run by the kernel), both compared with
 * libpcap's own verdict on the same bytes.
 */
#ifndef NR_TEST_FILTER_CASES_H
#define NR_TEST_FILTER_CASES_H

#include <stddef.h>
#include <linux/types.h>

#define FCASE_MAX_PKT	1600

struct fcase_pkt {
	char name[48];
	__u32 caplen;		/* bytes in data */
	__u32 wirelen;		/* the packet's length from its network header */
	__u8 data[FCASE_MAX_PKT];
};

enum fcase_expect {
	FCASE_SOME = 0,		/* the table has packets it keeps and packets it drops */
	FCASE_NONE,		/* keeps no packet of the table */
	FCASE_ALL,		/* keeps every packet of the table */
	FCASE_ANY,		/* no expectation (e.g. depends on random packets only) */
};

struct fcase_expr {
	const char *expr;
	enum fcase_expect expect;
};

/* Expressions that compile and run on the network header (NULL-terminated list). */
extern const struct fcase_expr fcase_exprs[];

/* Expressions refused at compile time (link layer, metadata, syntax), NULL-terminated. */
extern const char *const fcase_refused[];

/**
 * fcase_packets() - build the packet table: hand-made IPv4/IPv6 TCP/UDP/ICMP packets,
 * fragments, IP options, extension headers, non-IP bytes, each also cut short at many
 * lengths, plus @nrandom random ones (deterministic from @seed)
 * Return: the number of packets in *ret (malloc'ed), 0 on allocation failure.
 */
size_t fcase_packets(unsigned int nrandom, unsigned int seed, struct fcase_pkt **ret);

/**
 * fcase_big_expr() - a long expression (@n hosts or'ed, or @n ports) for size tests
 * Return: malloc'ed string.
 */
char *fcase_big_expr(const char *kind, unsigned int n);

/* A small deterministic generator for the tests (xorshift32). */
static inline __u32 fcase_rand(__u32 *state)
{
	__u32 x = *state;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return *state = x;
}

#endif /* NR_TEST_FILTER_CASES_H */
