/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * netns.h - network namespaces and their interfaces, as a trace file records them
 *
 * Events carry a namespace inode and an ifindex; the file maps both to names (and
 * MACs, addresses, peer links) so the report can say "veth0 in netns blue". The
 * recorder lists every namespace at start, and a namespace first seen in events later.
 *
 * Namespaces are found in three places: the recorder's own, every /run/netns/NAME
 * (named by `ip netns`), and /proc/PID/ns/net of every process (containers and other
 * unnamed namespaces). No namespace is held open: the database keeps a path to each and
 * checks the inode when it opens it, so a recording never keeps a dead namespace alive.
 *
 * Interfaces are listed over rtnetlink (RTM_GETLINK and RTM_GETADDR dumps) on a socket
 * created inside the namespace by a short-lived helper thread: setns() only ever
 * changes that thread, so the caller's thread never runs in a foreign namespace, even
 * if something fails half-way.
 */
#ifndef NR_RECORD_NETNS_H
#define NR_RECORD_NETNS_H

#include <stddef.h>
#include <linux/types.h>

#include "nr_file.h"

#define NR_NETNS_RUN_DIR	"/run/netns"

struct nr_netns_db;

/**
 * nr_netns_self() - the inode of the calling thread's network namespace
 * Return: the inode (> 0), or a negative errno.
 */
long long nr_netns_self(void);

/**
 * nr_netns_call() - run @fn(@arg) on a helper thread inside the namespace @nsfd
 * @nsfd: an open /run/netns/NAME or /proc/PID/ns/net; -1 for the caller's namespace
 *        (then @fn runs on the calling thread)
 *
 * The helper thread enters the namespace with setns(), runs @fn and exits; sockets @fn
 * creates stay bound to that namespace and may be used from any thread afterwards.
 * Return: @fn's result, or the negative errno of setns() (-EPERM without
 * CAP_SYS_ADMIN) or of creating the thread.
 */
int nr_netns_call(int nsfd, int (*fn)(void *arg), void *arg);

/**
 * nr_netns_ifaces() - list the interfaces of a namespace
 * @nsfd:   the namespace (see nr_netns_call()), -1 for the caller's
 * @inode:  the namespace's inode, stored in each struct nr_iface.netns
 * @db:     used to name the namespaces of peer devices (veth peers elsewhere), or NULL
 * @ret:    receives @ret_nr interfaces sorted by ifindex (free with nr_ifaces__free())
 *
 * Each interface has its index, name, ARPHRD type, IFF flags, MTU, hardware address,
 * link (peer) ifindex and that device's namespace, master ifindex, link kind, and its
 * IPv4 and IPv6 addresses with prefix lengths.
 * Return: 0, or a negative errno (netlink errors as the kernel reported them).
 */
int nr_netns_ifaces(int nsfd, __u32 inode, struct nr_netns_db *db, struct nr_iface **ret,
		    __u32 *ret_nr);

/** nr_ifaces__free() - free @n interfaces and the array; NULL-safe */
void nr_ifaces__free(struct nr_iface *ifs, __u32 n);

/** nr_netns_db__new() - an empty namespace database (fill it with nr_netns_db__scan()) */
int nr_netns_db__new(struct nr_netns_db **ret);

/**
 * nr_netns_db__scan() - (re)discover namespaces: our own, /run/netns/NAME, /proc/PID/ns/net
 *
 * Adds namespaces not yet known and names ones that gained a /run/netns name;
 * namespaces that went away stay in the database (the file may still mention them).
 * Processes that exit during the scan are skipped.
 * Return: the number of namespaces added, or a negative errno.
 */
int nr_netns_db__scan(struct nr_netns_db *db);

/**
 * nr_netns_db__list() - the known namespaces, sorted by inode
 * @ret: receives a pointer to the database's array (valid until the next scan or free)
 * Return: the number of namespaces.
 */
__u32 nr_netns_db__list(const struct nr_netns_db *db, const struct nr_netns **ret);

/**
 * nr_netns_db__find() - the namespace with @inode
 * @rescan: scan again when @inode is not known yet (for an inode first seen in events);
 *          an inode still not found is remembered and not scanned for again
 * Return: the namespace, or NULL when it cannot be found (record it as unknown).
 */
const struct nr_netns *nr_netns_db__find(struct nr_netns_db *db, __u32 inode, bool rescan);

/**
 * nr_netns_db__open() - open the namespace @inode to enter it
 *
 * Tries each path known for it and checks the inode of what it opened (a PID may
 * have been reused, a name rebound).
 * Return: an O_CLOEXEC file descriptor, -ENOENT when no path leads to it any more, or
 * a negative errno.
 */
int nr_netns_db__open(struct nr_netns_db *db, __u32 inode);

/**
 * nr_netns_db__ifaces() - the interfaces of namespace @inode (see nr_netns_ifaces())
 *
 * Looks the inode up as nr_netns_db__find(db, inode, true) does.
 * Return: 0, -ENOENT for a namespace that cannot be found or entered any more, or a
 * negative errno.
 */
int nr_netns_db__ifaces(struct nr_netns_db *db, __u32 inode, struct nr_iface **ret,
			__u32 *ret_nr);

/**
 * nr_netns_db__resolve() - a namespace given as NAME, PATH or INODE (for --netns)
 * @spec: a decimal inode, a path (contains '/'), or a name under /run/netns
 * Return: the namespace's inode (> 0), or -ENOENT / a negative errno.
 */
long long nr_netns_db__resolve(struct nr_netns_db *db, const char *spec);

/** nr_netns_db__free() - free the database; NULL-safe */
void nr_netns_db__free(struct nr_netns_db *db);

#endif /* NR_RECORD_NETNS_H */
