/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * lib_live.h - helpers for the live tests that drive the loader directly: network
 * namespaces joined by veth, sockets made inside a namespace, the ring buffer drained
 * into memory, names resolved from the running kernel's BTF.
 *
 * Every namespace and interface name starts with the owner's prefix ("bpf" for the
 * BPF side's tests) and ends with the test's pid, so neither tests of other areas nor
 * another run of the same test at the same time collide with them.
 */
#ifndef NR_LIB_LIVE_H
#define NR_LIB_LIVE_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>

#include "netrec_abi.h"

struct nr_loader;
struct nr_loader_opts;
struct ring_buffer;

/* One side of a veth pair in its own namespace. */
struct live_ns {
	const char *name;	/* netns name under /run/netns (live_pair_up() appends the pid) */
	const char *ifname;	/* its end of the veth pair (the pid appended, <= 10 chars) */
	const char *ip4;	/* address, dotted */
	const char *ip6;	/* address, or NULL for an IPv4-only namespace */
	const char *mac;	/* its interface's MAC address */
	__u32 inode;		/* filled by live_pair_up() */
	__u32 ifindex;		/* filled by live_pair_up() */
};

/**
 * live_check_env() - root and kernel BTF present? Otherwise print why and return
 * false (the test then exits 77).
 */
bool live_check_env(void);

/**
 * live_pair_up() - create namespaces @a and @b joined by a veth pair, addresses
 * up, neighbours entered statically (no ARP or ND while the tests count packets);
 * IPv6 is disabled in a namespace whose ip6 is NULL. Removed at exit (also on a
 * signal). Return: 0 or -1.
 */
int live_pair_up(struct live_ns *a, struct live_ns *b);

/** live_socket() - socket(@domain, @type, 0) inside namespace @ns; -1 on failure */
int live_socket(const struct live_ns *ns, int domain, int type);

/** live_udp_send() - @n datagrams of @len bytes from @fd to @ip:@port; sent count */
int live_udp_send(int fd, int family, const char *ip, __u16 port, int n, size_t len);

/** live_local_port() - the local port of socket @fd, host order */
__u16 live_local_port(int fd);

/* the records drained from a loader's ring buffer, copied (hdr.size bytes each) */
struct live_recs {
	size_t n, cap;
	struct nr_rec_hdr **r;
};

/** live_ring() - a ring buffer reader of @l's records into @out */
struct ring_buffer *live_ring(struct nr_loader *l, struct live_recs *out);

/**
 * live_drain() - consume until @done(@ctx) is true or @timeout_ms pass, then once more
 * after a short grace period so that records beyond the expected ones are seen too
 */
void live_drain(struct ring_buffer *rb, bool (*done)(void *ctx), void *ctx, int timeout_ms);

void live_recs_free(struct live_recs *rs);

/* a loader with its ring buffer reader, for one subtest */
struct live_session {
	struct nr_loader *l;
	struct ring_buffer *rb;
	struct live_recs recs;
};

/**
 * live_start() - open, load and attach a loader with @o (o->sz is set here) and a
 * ring buffer reader; failures are CHECKed. Return: 0 or -1.
 */
int live_start(struct live_session *s, struct nr_loader_opts *o);

/** live_end() - check that nothing was lost, then free everything */
void live_end(struct live_session *s);

/** live_pkt() - @h as a packet record of probe @probe, or NULL */
const struct nr_pkt *live_pkt(const struct nr_rec_hdr *h, __u16 probe);

/** live_sock() - @h as a socket record of probe @probe, or NULL */
const struct nr_sock *live_sock(const struct nr_rec_hdr *h, __u16 probe);

/** live_snap_port() - a port of the transport header in @p's snapshot (0 src, 1 dst) */
__u16 live_snap_port(const struct nr_pkt *p, int which);

/** live_count_drops() - kfree_skb records whose snapshot has UDP/TCP dport @dport */
size_t live_count_drops(const struct live_recs *rs, __u16 dport);

/** live_wait_drops() - drain until @n drops to @dport are in, or 3 s pass */
void live_wait_drops(struct live_session *s, __u16 dport, size_t n);

/** live_btf_enum() - the value of enumerator @name in the running kernel's BTF; -1 */
long long live_btf_enum(const char *name);

/** live_probe_total() - a probe's counter summed over CPUs (offset into nr_probe_stats) */
__u64 live_probe_total(const struct nr_loader *l, __u16 probe, size_t field_off);

#define LIVE_STAT(l, probe, field) \
	live_probe_total(l, probe, __builtin_offsetof(struct nr_probe_stats, field))

/**
 * live_probe_kept() - hits that passed the filters (hits - filtered, over CPUs): read
 * until two reads agree, since drops elsewhere on the machine move both counters
 * between the reads of one
 */
__u64 live_probe_kept(const struct nr_loader *l, __u16 probe);

/** live_total_lost() - lost records of all probes, plus the kernel's missed runs */
__u64 live_total_lost(const struct nr_loader *l);

#endif /* NR_LIB_LIVE_H */
