// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_netns.c - rtnetlink listing of the current namespace (lo) and namespace discovery,
 * without privileges
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

static int answer(void *arg)
{
	return *(int *)arg;
}

static void test_lo(void)
{
	struct nr_iface *ifs = NULL;
	const struct nr_iface *lo = NULL;
	unsigned int idx = if_nametoindex("lo");
	long long self = nr_netns_self();
	__u32 n = 0, i;
	bool v4 = false, v6 = false;

	check_start("lo");
	if (!CHECK(self > 0, "own namespace inode"))
		return;
	if (!CHECK_EQ(nr_netns_ifaces(-1, (__u32)self, NULL, &ifs, &n), 0, "list"))
		return;
	CHECK(n >= 1, "at least lo");
	for (i = 0; i < n; i++) {
		CHECK_EQ(ifs[i].netns, self, "netns inode on every interface");
		CHECK(ifs[i].name && if_nametoindex(ifs[i].name) == ifs[i].ifindex,
		      "name matches the kernel's index");
		if (i)
			CHECK(ifs[i].ifindex > ifs[i - 1].ifindex, "sorted by ifindex");
		if (ifs[i].name && !strcmp(ifs[i].name, "lo"))
			lo = &ifs[i];
	}
	if (!CHECK(lo != NULL, "lo listed"))
		goto out;
	CHECK_EQ(lo->ifindex, idx, "lo ifindex");
	CHECK_EQ(lo->ifindex, 1, "lo is ifindex 1 in every namespace");
	CHECK_EQ(lo->type, ARPHRD_LOOPBACK, "ARPHRD_LOOPBACK");
	CHECK(lo->flags & IFF_LOOPBACK, "IFF_LOOPBACK");
	CHECK_EQ(lo->mtu, 65536, "lo mtu");
	CHECK_EQ(lo->mac_len, 6, "lo hardware address length");
	CHECK_MEM(lo->mac, "\0\0\0\0\0\0", 6, "lo hardware address is zero");
	CHECK_EQ(lo->link_ifindex, 0, "no link");
	CHECK_EQ(lo->master_ifindex, 0, "no master");
	CHECK(lo->kind == NULL, "lo has no link kind");
	for (i = 0; i < lo->naddrs; i++) {
		const struct nr_ifaddr *a = &lo->addrs[i];

		if (a->family == AF_INET && !memcmp(a->addr, "\x7f\0\0\x01", 4))
			v4 = CHECK_EQ(a->prefixlen, 8, "127.0.0.1/8");
		if (a->family == AF_INET6 && !memcmp(a->addr, &in6addr_loopback, 16))
			v6 = CHECK_EQ(a->prefixlen, 128, "::1/128");
	}
	if (lo->flags & IFF_UP) {
		CHECK(v4, "lo has 127.0.0.1");
		if (access("/proc/net/if_inet6", F_OK) == 0)
			CHECK(v6, "lo has ::1");
	} else {
		printf("lo: down, addresses not checked\n");
	}
out:
	nr_ifaces__free(ifs, n);
	nr_ifaces__free(NULL, 0);
}

static void test_db(void)
{
	struct nr_netns_db *db = NULL;
	const struct nr_netns *all, *ns;
	long long self = nr_netns_self(), ino;
	struct nr_iface *ifs = NULL;
	char spec[32];
	__u32 n, i, nif = 0;
	int added, v = 42;

	check_start("namespace database");
	CHECK_EQ(nr_netns_call(-1, answer, &v), 42, "call in our namespace runs inline");
	if (!CHECK_EQ(nr_netns_db__new(&db), 0, "new"))
		return;
	added = nr_netns_db__scan(db);
	CHECK(added >= 1, "scan finds namespaces");
	CHECK_EQ(nr_netns_db__scan(db), 0, "a second scan adds nothing new");
	n = nr_netns_db__list(db, &all);
	CHECK_EQ(n, added, "list holds what the scan added");
	for (i = 1; i < n; i++)
		CHECK(all[i].inode > all[i - 1].inode, "sorted by inode");
	ns = nr_netns_db__find(db, (__u32)self, false);
	CHECK(ns != NULL, "own namespace found");
	CHECK(nr_netns_db__find(db, 1, true) == NULL, "unknown inode, rescan");
	CHECK(nr_netns_db__find(db, 1, true) == NULL, "unknown inode, remembered");

	snprintf(spec, sizeof(spec), "%lld", self);
	CHECK_EQ(nr_netns_db__resolve(db, spec), self, "resolve an inode");
	CHECK_EQ(nr_netns_db__resolve(db, "/proc/self/ns/net"), self, "resolve a path");
	CHECK_EQ(nr_netns_db__resolve(db, "1"), -ENOENT, "resolve an unknown inode");
	CHECK_EQ(nr_netns_db__resolve(db, "meta-no-such-netns"), -ENOENT, "resolve unknown name");
	CHECK_EQ(nr_netns_db__resolve(db, "/proc/self/status"), -EINVAL, "resolve a non-namespace");

	ino = nr_netns_db__ifaces(db, (__u32)self, &ifs, &nif);
	CHECK_EQ(ino, 0, "interfaces of our own namespace");
	CHECK(nif >= 1 && ifs[0].ifindex == 1, "lo first");
	nr_ifaces__free(ifs, nif);
	CHECK_EQ(nr_netns_db__ifaces(db, 1, &ifs, &nif), -ENOENT, "interfaces of an unknown inode");
	nr_netns_db__free(db);
	nr_netns_db__free(NULL);
}

int main(void)
{
	test_lo();
	test_db();
	return check_exit();
}
