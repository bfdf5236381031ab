// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_meta_netns.c - interfaces of namespaces the wrapper (meta_netns.sh) made, read
 * over rtnetlink from outside: exact names, indexes, MACs, addresses, peers, masters and
 * namespace names
 */
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "netns.h"

static const char *ns_a, *ns_b;
static __u32 ino_a, ino_b;

static __u32 inode_of(const char *name)
{
	char path[256];
	struct stat st;

	snprintf(path, sizeof(path), "/run/netns/%s", name);
	return stat(path, &st) ? 0 : (__u32)st.st_ino;
}

static const struct nr_iface *by_index(const struct nr_iface *ifs, __u32 n, __u32 ifindex)
{
	__u32 i;

	for (i = 0; i < n; i++)
		if (ifs[i].ifindex == ifindex)
			return &ifs[i];
	return NULL;
}

static bool has_addr(const struct nr_iface *f, int family, const char *text, __u8 prefixlen)
{
	__u8 want[16] = {};
	__u32 i;

	inet_pton(family, text, want);
	for (i = 0; i < f->naddrs; i++)
		if (f->addrs[i].family == family && f->addrs[i].prefixlen == prefixlen &&
		    !memcmp(f->addrs[i].addr, want, family == AF_INET ? 4 : 16))
			return true;
	return false;
}

static void check_veth(const struct nr_iface *f, const char *name, __u32 ifindex,
		       const char *mac, __u32 peer, __u32 peer_ns)
{
	char what[64];
	__u8 m[6];

	snprintf(what, sizeof(what), "%s", name);
	if (!CHECK(f != NULL, what))
		return;
	CHECK_STR(f->name, name, "name");
	CHECK_EQ(f->ifindex, ifindex, "ifindex");
	CHECK_STR(f->kind, "veth", "kind");
	CHECK_EQ(f->type, ARPHRD_ETHER, "type");
	CHECK_EQ(f->mtu, 1500, "mtu");
	CHECK_EQ(f->link_ifindex, peer, "peer ifindex");
	CHECK_EQ(f->link_netns, peer_ns, "peer namespace");
	if (mac) {
		sscanf(mac, "%hhx:%hhx:%hhx:%hhx:%hhx:%hhx", &m[0], &m[1], &m[2], &m[3], &m[4],
		       &m[5]);
		CHECK_EQ(f->mac_len, 6, "mac length");
		CHECK_MEM(f->mac, m, 6, "mac");
	}
}

/* The interfaces of namespace @ino, expected to be @want of them. */
static struct nr_iface *list(struct nr_netns_db *db, __u32 ino, __u32 want, __u32 *n)
{
	struct nr_iface *ifs = NULL;

	if (!CHECK_EQ(nr_netns_db__ifaces(db, ino, &ifs, n), 0, "list"))
		return NULL;
	CHECK_EQ(*n, want, "interfaces");
	return ifs;
}

static void test_namespace_a(struct nr_netns_db *db)
{
	char name[32];
	struct nr_iface *ifs;
	const struct nr_iface *f;
	__u32 n = 0;

	check_start("namespace a: lo, veth, bridge, veth pair");
	ifs = list(db, ino_a, 5, &n);
	if (!ifs)
		return;
	f = by_index(ifs, n, 1);
	CHECK(f && !strcmp(f->name, "lo") && f->netns == ino_a, "lo");

	snprintf(name, sizeof(name), "%s0", ns_a);
	f = by_index(ifs, n, 10);
	check_veth(f, name, 10, "02:6d:65:74:61:01", 20, ino_b);
	if (f) {
		CHECK(f->flags & IFF_UP, "up");
		CHECK_EQ(f->master_ifindex, 0, "no master");
		CHECK_EQ(f->naddrs, 3, "v4, v6 and link-local");
		CHECK(has_addr(f, AF_INET, "10.77.0.1", 24), "10.77.0.1/24");
		CHECK(has_addr(f, AF_INET6, "fd00:6d65::1", 64), "fd00:6d65::1/64");
		/* EUI-64 from 02:6d:65:74:61:01 */
		CHECK(has_addr(f, AF_INET6, "fe80::6d:65ff:fe74:6101", 64), "link-local");
	}
	snprintf(name, sizeof(name), "%sbr", ns_a);
	f = by_index(ifs, n, 12);
	if (CHECK(f != NULL, "bridge")) {
		CHECK_STR(f->name, name, "bridge name");
		CHECK_STR(f->kind, "bridge", "bridge kind");
		CHECK(!(f->flags & IFF_UP), "bridge down");
		CHECK_EQ(f->naddrs, 0, "bridge has no address");
	}
	snprintf(name, sizeof(name), "%s1", ns_a);
	check_veth(by_index(ifs, n, 13), name, 13, NULL, 14, ino_a);
	snprintf(name, sizeof(name), "%s2", ns_a);
	f = by_index(ifs, n, 14);
	check_veth(f, name, 14, NULL, 13, ino_a);
	CHECK_EQ(f ? f->master_ifindex : 0, 12, "enslaved to the bridge");
	nr_ifaces__free(ifs, n);
}

static void test_namespace_b(struct nr_netns_db *db)
{
	char name[32];
	struct nr_iface *ifs;
	const struct nr_iface *f;
	__u32 n = 0;

	check_start("namespace b: lo and veth");
	ifs = list(db, ino_b, 2, &n);
	if (!ifs)
		return;
	snprintf(name, sizeof(name), "%s0", ns_b);
	f = by_index(ifs, n, 20);
	check_veth(f, name, 20, "02:6d:65:74:61:02", 10, ino_a);
	if (f) {
		CHECK(has_addr(f, AF_INET, "10.77.0.2", 24), "10.77.0.2/24");
		CHECK(has_addr(f, AF_INET6, "fd00:6d65::2", 64), "fd00:6d65::2/64");
		CHECK(has_addr(f, AF_INET6, "fe80::6d:65ff:fe74:6102", 64), "link-local");
	}
	nr_ifaces__free(ifs, n);
}

static void test_names(struct nr_netns_db *db)
{
	const struct nr_netns *ns, *all;
	__u32 n, i, seen = 0;
	char spec[32];

	check_start("namespace names");
	ns = nr_netns_db__find(db, ino_a, false);
	CHECK(ns && ns->name && !strcmp(ns->name, ns_a), "a is named from /run/netns");
	ns = nr_netns_db__find(db, ino_b, false);
	CHECK(ns && ns->name && !strcmp(ns->name, ns_b), "b is named from /run/netns");
	n = nr_netns_db__list(db, &all);
	for (i = 0; i < n; i++)
		if (all[i].inode == ino_a || all[i].inode == ino_b)
			seen++;
	CHECK_EQ(seen, 2, "both in the list");
	CHECK_EQ(nr_netns_db__resolve(db, ns_a), ino_a, "resolve by name");
	snprintf(spec, sizeof(spec), "/run/netns/%s", ns_b);
	CHECK_EQ(nr_netns_db__resolve(db, spec), ino_b, "resolve by path");
	snprintf(spec, sizeof(spec), "%u", ino_b);
	CHECK_EQ(nr_netns_db__resolve(db, spec), ino_b, "resolve by inode");
	CHECK(nr_netns_self() != ino_a && nr_netns_self() != ino_b,
	      "this thread never left its namespace");
}

int main(void)
{
	struct nr_netns_db *db = NULL;

	ns_a = getenv("META_NS_A");
	ns_b = getenv("META_NS_B");
	if (!ns_a || !ns_b) {
		check_skip("run through meta_netns.sh");
		return CHECK_SKIP;
	}
	ino_a = inode_of(ns_a);
	ino_b = inode_of(ns_b);
	if (!ino_a || !ino_b) {
		fprintf(stderr, "namespaces %s/%s not found\n", ns_a, ns_b);
		return 1;
	}
	if (nr_netns_db__new(&db) || nr_netns_db__scan(db) < 0)
		return 1;
	test_names(db);
	test_namespace_a(db);
	test_namespace_b(db);
	nr_netns_db__free(db);
	return check_exit();
}
