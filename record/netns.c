// SPDX-License-Identifier: GPL-2.0-only
/*
 * netns.c - network namespaces and their interfaces over rtnetlink (see netns.h)
 */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/net_namespace.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#include "log.h"
#include "netns.h"

#define NL_BUF_SIZE	(64 * 1024)
#define DUMP_RETRIES	5
#define NL_TIMEOUT_S	5

/* ---- namespaces ---- */

struct ns_entry {
	struct nr_netns ns;	/* inode, name (from /run/netns or NULL) */
	char **paths;		/* ways to open it, best first */
	__u32 npaths;
};

struct nr_netns_db {
	struct ns_entry *e;	/* sorted by inode */
	__u32 nr;
	struct nr_netns *view;	/* e[i].ns copied out for nr_netns_db__list() */
	__u32 *missing;		/* inodes looked for and not found */
	__u32 nmissing;
};

long long nr_netns_self(void)
{
	struct stat st;

	if (stat("/proc/thread-self/ns/net", &st) && stat("/proc/self/ns/net", &st))
		return -errno;
	return (long long)st.st_ino;
}

/* True when @st describes a namespace (an inode of nsfs, where /proc/self/ns/net lives). */
static bool is_netns(const struct stat *st)
{
	struct stat self;

	if (stat("/proc/self/ns/net", &self))
		return false;
	return st->st_dev == self.st_dev && st->st_ino > 1 && st->st_ino <= UINT32_MAX;
}

struct ns_call {
	int nsfd;
	int (*fn)(void *arg);
	void *arg;
	int ret;
};

static void *ns_thread(void *p)
{
	struct ns_call *c = p;

	if (setns(c->nsfd, CLONE_NEWNET)) {
		c->ret = -errno;
		return NULL;
	}
	c->ret = c->fn(c->arg);
	return NULL;
}

int nr_netns_call(int nsfd, int (*fn)(void *arg), void *arg)
{
	struct ns_call c = { .nsfd = nsfd, .fn = fn, .arg = arg };
	pthread_t t;
	int err;

	if (nsfd < 0)
		return fn(arg);
	err = pthread_create(&t, NULL, ns_thread, &c);
	if (err)
		return -err;
	pthread_join(t, NULL);
	return c.ret;
}

static int db_index(const struct nr_netns_db *db, __u32 inode, bool *found)
{
	__u32 lo = 0, hi = db->nr;

	while (lo < hi) {
		__u32 mid = lo + (hi - lo) / 2;

		if (db->e[mid].ns.inode < inode)
			lo = mid + 1;
		else
			hi = mid;
	}
	*found = lo < db->nr && db->e[lo].ns.inode == inode;
	return (int)lo;
}

static int entry_add_path(struct ns_entry *e, const char *path, bool first)
{
	char **p, *dup;
	__u32 i;

	for (i = 0; i < e->npaths; i++)
		if (!strcmp(e->paths[i], path))
			return 0;
	dup = strdup(path);
	p = realloc(e->paths, (e->npaths + 1) * sizeof(*p));
	if (!dup || !p) {
		free(dup);
		if (p)
			e->paths = p;
		return -ENOMEM;
	}
	e->paths = p;
	if (first) {
		memmove(p + 1, p, e->npaths * sizeof(*p));
		p[0] = dup;
	} else {
		p[e->npaths] = dup;
	}
	e->npaths++;
	return 0;
}

/* Record that @inode can be entered through @path (and is called @name). 1: new. */
static int db_add(struct nr_netns_db *db, __u32 inode, const char *name, const char *path)
{
	struct ns_entry *e;
	bool found;
	int i, err, added = 0;

	i = db_index(db, inode, &found);
	if (!found) {
		e = realloc(db->e, (db->nr + 1) * sizeof(*e));
		if (!e)
			return -ENOMEM;
		db->e = e;
		memmove(&e[i + 1], &e[i], (db->nr - (__u32)i) * sizeof(*e));
		e[i] = (struct ns_entry){ .ns.inode = inode };
		db->nr++;
		added = 1;
	}
	e = &db->e[i];
	if (name && !e->ns.name) {
		e->ns.name = strdup(name);
		if (!e->ns.name)
			return -ENOMEM;
	}
	/* named paths first: they outlive the processes */
	err = entry_add_path(e, path, name != NULL);
	return err ? err : added;
}

int nr_netns_db__new(struct nr_netns_db **ret)
{
	*ret = calloc(1, sizeof(**ret));
	return *ret ? 0 : -ENOMEM;
}

/* The inode a /run/netns entry is bound to; 0 for a name whose namespace is gone (an
 * empty file, not an nsfs bind mount). */
static __u32 named_inode(const char *path)
{
	struct stat st;

	return stat(path, &st) || !is_netns(&st) ? 0 : (__u32)st.st_ino;
}

/* The inode behind a /proc/PID/ns/net link ("net:[4026531840]"); 0 when the process is
 * gone or not ours to see. readlink() only: no namespace is opened. */
static __u32 proc_inode(const char *path)
{
	unsigned long long ino;
	char link[64];
	ssize_t n;

	n = readlink(path, link, sizeof(link) - 1);
	if (n <= 0)
		return 0;
	link[n] = '\0';
	if (sscanf(link, "net:[%llu]", &ino) != 1 || ino > UINT32_MAX)
		return 0;
	return (__u32)ino;
}

/*
 * Add the namespaces found through @dir: with @named, each entry of /run/netns (named
 * after it); otherwise each /proc/PID's ns/net (unnamed).
 * Return: the number added, or a negative errno.
 */
static int scan_dir(struct nr_netns_db *db, const char *dir, bool named)
{
	struct dirent *de;
	int added = 0, err;
	DIR *d;

	d = opendir(dir);
	if (!d)
		return named ? 0 : -errno;	/* no /run/netns: no named namespaces */
	while ((de = readdir(d))) {
		char path[512];
		__u32 ino;

		if (named ? de->d_name[0] == '.' : de->d_name[0] < '1' || de->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), named ? "%s/%s" : "%s/%s/ns/net", dir, de->d_name);
		ino = named ? named_inode(path) : proc_inode(path);
		if (!ino)
			continue;
		err = db_add(db, ino, named ? de->d_name : NULL, path);
		if (err < 0) {
			closedir(d);
			return err;
		}
		added += err;
	}
	closedir(d);
	return added;
}

int nr_netns_db__scan(struct nr_netns_db *db)
{
	long long self = nr_netns_self();
	int added = 0, err;

	if (self > 0) {
		err = db_add(db, (__u32)self, NULL, "/proc/self/ns/net");
		if (err < 0)
			return err;
		added += err;
	}
	err = scan_dir(db, NR_NETNS_RUN_DIR, true);
	if (err < 0)
		return err;
	added += err;
	err = scan_dir(db, "/proc", false);
	if (err < 0)
		return err;
	return added + err;
}

__u32 nr_netns_db__list(const struct nr_netns_db *db, const struct nr_netns **ret)
{
	struct nr_netns_db *w = (struct nr_netns_db *)db;
	struct nr_netns *v;
	__u32 i;

	v = realloc(w->view, (db->nr ? db->nr : 1) * sizeof(*v));
	if (!v) {
		*ret = NULL;
		return 0;
	}
	w->view = v;
	for (i = 0; i < db->nr; i++)
		v[i] = db->e[i].ns;
	*ret = v;
	return db->nr;
}

const struct nr_netns *nr_netns_db__find(struct nr_netns_db *db, __u32 inode, bool rescan)
{
	bool found;
	__u32 i, *m;
	int idx;

	idx = db_index(db, inode, &found);
	if (found)
		return &db->e[idx].ns;
	if (!rescan)
		return NULL;
	for (i = 0; i < db->nmissing; i++)
		if (db->missing[i] == inode)
			return NULL;
	if (nr_netns_db__scan(db) >= 0) {
		idx = db_index(db, inode, &found);
		if (found)
			return &db->e[idx].ns;
	}
	m = realloc(db->missing, (db->nmissing + 1) * sizeof(*m));
	if (m) {
		db->missing = m;
		m[db->nmissing++] = inode;
	}
	return NULL;
}

int nr_netns_db__open(struct nr_netns_db *db, __u32 inode)
{
	struct ns_entry *e;
	bool found;
	__u32 i;
	int idx;

	idx = db_index(db, inode, &found);
	if (!found)
		return -ENOENT;
	e = &db->e[idx];
	for (i = 0; i < e->npaths; i++) {
		struct stat st;
		int fd;

		fd = open(e->paths[i], O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			continue;
		if (fstat(fd, &st) == 0 && st.st_ino == inode)
			return fd;
		close(fd);
	}
	return -ENOENT;
}

long long nr_netns_db__resolve(struct nr_netns_db *db, const char *spec)
{
	char path[512];
	struct stat st;
	const char *p;
	int err;

	for (p = spec; *p >= '0' && *p <= '9'; p++)
		;
	if (*spec && !*p) {
		unsigned long long ino = strtoull(spec, NULL, 10);

		if (!ino || ino > UINT32_MAX || !nr_netns_db__find(db, (__u32)ino, true))
			return -ENOENT;
		return (long long)ino;
	}
	if (strchr(spec, '/'))
		snprintf(path, sizeof(path), "%s", spec);
	else
		snprintf(path, sizeof(path), "%s/%s", NR_NETNS_RUN_DIR, spec);
	if (stat(path, &st))
		return -errno;
	if (!is_netns(&st))
		return -EINVAL;
	err = db_add(db, (__u32)st.st_ino, strchr(spec, '/') ? NULL : spec, path);
	if (err < 0)
		return err;
	return (long long)st.st_ino;
}

int nr_netns_db__ifaces(struct nr_netns_db *db, __u32 inode, struct nr_iface **ret,
			__u32 *ret_nr)
{
	long long self = nr_netns_self();
	int fd, err;

	if (self > 0 && (__u32)self == inode)
		return nr_netns_ifaces(-1, inode, db, ret, ret_nr);
	if (!nr_netns_db__find(db, inode, true))
		return -ENOENT;
	fd = nr_netns_db__open(db, inode);
	if (fd < 0)
		return fd;
	err = nr_netns_ifaces(fd, inode, db, ret, ret_nr);
	close(fd);
	return err;
}

void nr_netns_db__free(struct nr_netns_db *db)
{
	__u32 i, j;

	if (!db)
		return;
	for (i = 0; i < db->nr; i++) {
		for (j = 0; j < db->e[i].npaths; j++)
			free(db->e[i].paths[j]);
		free(db->e[i].paths);
		free(db->e[i].ns.name);
	}
	free(db->e);
	free(db->view);
	free(db->missing);
	free(db);
}

/* ---- rtnetlink ---- */

struct nl {
	int fd;
	__u32 seq;
	__u8 *buf;
};

static int nl_socket_fn(void *arg)
{
	int *fd = arg;

	*fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	return *fd < 0 ? -errno : 0;
}

static int nl_open(struct nl *nl, int nsfd)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	struct timeval tmo = { .tv_sec = NL_TIMEOUT_S };
	int one = 1, err;

	nl->fd = -1;
	nl->seq = 1;
	nl->buf = malloc(NL_BUF_SIZE);
	if (!nl->buf)
		return -ENOMEM;
	err = nr_netns_call(nsfd, nl_socket_fn, &nl->fd);
	if (err)
		return err;
	/* strict checking makes the kernel honour the dump filters below (4.20+) */
	setsockopt(nl->fd, SOL_NETLINK, NETLINK_GET_STRICT_CHK, &one, sizeof(one));
	/* the kernel always answers; should it not, fail rather than hang the recorder */
	if (setsockopt(nl->fd, SOL_SOCKET, SO_RCVTIMEO, &tmo, sizeof(tmo)))
		return -errno;
	if (bind(nl->fd, (struct sockaddr *)&sa, sizeof(sa)))
		return -errno;
	return 0;
}

static void nl_close(struct nl *nl)
{
	if (nl->fd >= 0)
		close(nl->fd);
	free(nl->buf);
}

static int nl_send(struct nl *nl, struct nlmsghdr *nh)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };

	nh->nlmsg_seq = ++nl->seq;
	if (sendto(nl->fd, nh, nh->nlmsg_len, 0, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		return -errno;
	return 0;
}

/*
 * Receive the answer to the last request, calling @cb for each message of it.
 * Return: 0 at NLMSG_DONE or an ACK, -EINTR when the kernel flagged the dump as
 * inconsistent (NLM_F_DUMP_INTR: retry), or a negative errno.
 */
static int nl_recv(struct nl *nl, bool dump, int (*cb)(struct nlmsghdr *nh, void *arg),
		   void *arg)
{
	bool intr = false;

	for (;;) {
		struct sockaddr_nl sa;
		struct iovec iov = { nl->buf, NL_BUF_SIZE };
		struct msghdr msg = { .msg_name = &sa, .msg_namelen = sizeof(sa), .msg_iov = &iov,
				      .msg_iovlen = 1 };
		struct nlmsghdr *nh;
		unsigned int len;	/* unsigned: NLMSG_OK compares it with nlmsg_len */
		ssize_t n;

		n = recvmsg(nl->fd, &msg, 0);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return errno == EAGAIN ? -ETIMEDOUT : -errno;
		}
		if (msg.msg_flags & MSG_TRUNC)
			return -EMSGSIZE;
		if (sa.nl_pid != 0)
			continue;	/* not from the kernel */
		len = (unsigned int)n;
		for (nh = (struct nlmsghdr *)nl->buf; NLMSG_OK(nh, len); nh = NLMSG_NEXT(nh, len)) {
			int err;

			if (nh->nlmsg_seq != nl->seq)
				continue;	/* a late answer to an earlier request */
			if (nh->nlmsg_flags & NLM_F_DUMP_INTR)
				intr = true;
			if (nh->nlmsg_type == NLMSG_DONE)
				return intr ? -EINTR : 0;
			if (nh->nlmsg_type == NLMSG_ERROR) {
				struct nlmsgerr *e = NLMSG_DATA(nh);

				if (nh->nlmsg_len < NLMSG_LENGTH(sizeof(*e)))
					return -EBADMSG;
				return e->error;	/* 0 is an ACK */
			}
			err = cb(nh, arg);
			if (err)
				return err;
			if (!dump)
				return 0;
		}
	}
}

static void parse_attrs(struct rtattr **tb, int max, struct rtattr *rta, int len)
{
	memset(tb, 0, sizeof(*tb) * (size_t)(max + 1));
	for (; RTA_OK(rta, len); rta = RTA_NEXT(rta, len)) {
		unsigned short type = rta->rta_type & ~NLA_F_NESTED;

		if (type <= max && !tb[type])
			tb[type] = rta;
	}
}

static bool attr_u32(const struct rtattr *a, __u32 *v)
{
	if (!a || RTA_PAYLOAD(a) < sizeof(*v))
		return false;
	memcpy(v, RTA_DATA(a), sizeof(*v));
	return true;
}

/* A string attribute, copied; NUL-terminated within its payload or NULL. */
static char *attr_str(const struct rtattr *a)
{
	size_t n;

	if (!a)
		return NULL;
	n = RTA_PAYLOAD(a);
	if (!n || !memchr(RTA_DATA(a), '\0', n))
		return NULL;
	return strdup(RTA_DATA(a));
}

struct link_list {
	struct nr_iface *ifs;
	__s32 *nsid;		/* per interface: IFLA_LINK_NETNSID, -1 if absent */
	__u32 nr;
	__u32 netns;
};

static int link_cb(struct nlmsghdr *nh, void *arg)
{
	struct link_list *l = arg;
	struct rtattr *tb[IFLA_MAX + 1], *li[IFLA_INFO_MAX + 1];
	struct ifinfomsg *ifm = NLMSG_DATA(nh);
	struct nr_iface *f, *ifs;
	__s32 *nsid;
	__u32 v;

	if (nh->nlmsg_type != RTM_NEWLINK || nh->nlmsg_len < NLMSG_LENGTH(sizeof(*ifm)))
		return 0;
	parse_attrs(tb, IFLA_MAX, IFLA_RTA(ifm), (int)IFLA_PAYLOAD(nh));

	ifs = realloc(l->ifs, (l->nr + 1) * sizeof(*ifs));
	if (!ifs)
		return -ENOMEM;
	l->ifs = ifs;
	nsid = realloc(l->nsid, (l->nr + 1) * sizeof(*nsid));
	if (!nsid)
		return -ENOMEM;
	l->nsid = nsid;
	f = &ifs[l->nr];
	*f = (struct nr_iface){
		.netns = l->netns,
		.ifindex = (__u32)ifm->ifi_index,
		.type = ifm->ifi_type,
		.flags = ifm->ifi_flags,
	};
	nsid[l->nr] = -1;
	l->nr++;

	f->name = attr_str(tb[IFLA_IFNAME]);
	if (attr_u32(tb[IFLA_MTU], &v))
		f->mtu = v;
	if (attr_u32(tb[IFLA_LINK], &v) && v != (__u32)ifm->ifi_index)
		f->link_ifindex = v;
	if (attr_u32(tb[IFLA_MASTER], &v))
		f->master_ifindex = v;
	if (tb[IFLA_ADDRESS]) {
		size_t n = RTA_PAYLOAD(tb[IFLA_ADDRESS]);

		if (n > sizeof(f->mac))
			n = sizeof(f->mac);
		memcpy(f->mac, RTA_DATA(tb[IFLA_ADDRESS]), n);
		f->mac_len = (__u32)n;
	}
	if (f->link_ifindex) {
		f->link_netns = l->netns;
		if (attr_u32(tb[IFLA_LINK_NETNSID], &v)) {
			nsid[l->nr - 1] = (__s32)v;
			f->link_netns = 0;	/* named below, if we can */
		}
	}
	if (tb[IFLA_LINKINFO]) {
		parse_attrs(li, IFLA_INFO_MAX, RTA_DATA(tb[IFLA_LINKINFO]),
			    (int)RTA_PAYLOAD(tb[IFLA_LINKINFO]));
		f->kind = attr_str(li[IFLA_INFO_KIND]);
	}
	if (!f->name)
		return -EBADMSG;	/* the kernel always sends IFLA_IFNAME */
	return 0;
}

static struct nr_iface *find_iface(struct link_list *l, __u32 ifindex)
{
	__u32 i;

	for (i = 0; i < l->nr; i++)
		if (l->ifs[i].ifindex == ifindex)
			return &l->ifs[i];
	return NULL;
}

static int addr_cb(struct nlmsghdr *nh, void *arg)
{
	struct link_list *l = arg;
	struct ifaddrmsg *ifa = NLMSG_DATA(nh);
	struct rtattr *tb[IFA_MAX + 1], *a;
	struct nr_ifaddr *addrs, *x;
	struct nr_iface *f;
	size_t alen;

	if (nh->nlmsg_type != RTM_NEWADDR || nh->nlmsg_len < NLMSG_LENGTH(sizeof(*ifa)))
		return 0;
	if (ifa->ifa_family == AF_INET)
		alen = 4;
	else if (ifa->ifa_family == AF_INET6)
		alen = 16;
	else
		return 0;
	parse_attrs(tb, IFA_MAX, IFA_RTA(ifa), (int)IFA_PAYLOAD(nh));
	/* IFA_LOCAL is the address of the interface; IFA_ADDRESS the peer's on ptp links */
	a = tb[IFA_LOCAL] ? tb[IFA_LOCAL] : tb[IFA_ADDRESS];
	f = find_iface(l, ifa->ifa_index);
	if (!a || RTA_PAYLOAD(a) < alen || !f)
		return 0;
	addrs = realloc(f->addrs, (f->naddrs + 1) * sizeof(*addrs));
	if (!addrs)
		return -ENOMEM;
	f->addrs = addrs;
	x = &addrs[f->naddrs++];
	*x = (struct nr_ifaddr){ .family = ifa->ifa_family, .prefixlen = ifa->ifa_prefixlen };
	memcpy(x->addr, RTA_DATA(a), alen);
	return 0;
}

static int dump(struct nl *nl, __u16 type, int (*cb)(struct nlmsghdr *, void *), void *arg,
		void (*reset)(void *arg))
{
	struct {
		struct nlmsghdr nh;
		union {
			struct ifinfomsg ifm;
			struct ifaddrmsg ifa;
		};
		struct rtattr rta;
		__u32 mask;
	} req;
	int i, err = -EINTR;

	for (i = 0; i < DUMP_RETRIES && err == -EINTR; i++) {
		memset(&req, 0, sizeof(req));
		req.nh.nlmsg_type = type;
		req.nh.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
		if (type == RTM_GETLINK) {
			req.nh.nlmsg_len = NLMSG_LENGTH(sizeof(req.ifm));
			req.ifm.ifi_family = AF_UNSPEC;
			/* leave out the statistics: half of each message, of no use here */
			req.rta.rta_type = IFLA_EXT_MASK;
			req.rta.rta_len = RTA_LENGTH(sizeof(req.mask));
			req.mask = RTEXT_FILTER_SKIP_STATS;
			req.nh.nlmsg_len = NLMSG_ALIGN(req.nh.nlmsg_len) +
					   RTA_ALIGN(req.rta.rta_len);
		} else {
			req.nh.nlmsg_len = NLMSG_LENGTH(sizeof(req.ifa));
			req.ifa.ifa_family = AF_UNSPEC;
		}
		if (i)
			reset(arg);
		err = nl_send(nl, &req.nh);
		if (err)
			return err;
		err = nl_recv(nl, true, cb, arg);
	}
	return err;
}

static void free_iface(struct nr_iface *f)
{
	free(f->name);
	free(f->kind);
	free(f->addrs);
}

static void links_reset(void *arg)
{
	struct link_list *l = arg;
	__u32 i;

	for (i = 0; i < l->nr; i++)
		free_iface(&l->ifs[i]);
	l->nr = 0;
}

static void addrs_reset(void *arg)
{
	struct link_list *l = arg;
	__u32 i;

	for (i = 0; i < l->nr; i++) {
		free(l->ifs[i].addrs);
		l->ifs[i].addrs = NULL;
		l->ifs[i].naddrs = 0;
	}
}

struct nsid_reply {
	__s32 nsid;
};

static int nsid_cb(struct nlmsghdr *nh, void *arg)
{
	struct nsid_reply *r = arg;
	struct rtattr *tb[NETNSA_MAX + 1];
	__u32 v;

	if (nh->nlmsg_type != RTM_NEWNSID || nh->nlmsg_len < NLMSG_LENGTH(sizeof(struct rtgenmsg)))
		return 0;
	parse_attrs(tb, NETNSA_MAX, (struct rtattr *)((char *)NLMSG_DATA(nh) +
						      NLMSG_ALIGN(sizeof(struct rtgenmsg))),
		    (int)(nh->nlmsg_len - NLMSG_LENGTH(NLMSG_ALIGN(sizeof(struct rtgenmsg)))));
	if (attr_u32(tb[NETNSA_NSID], &v))
		r->nsid = (__s32)v;
	return 0;
}

/* The id the namespace of @nl gives the namespace @fd, or -1 if it has none. */
static __s32 nsid_of(struct nl *nl, int fd)
{
	struct {
		struct nlmsghdr nh;
		struct rtgenmsg g;
		__u8 pad[3];
		struct rtattr rta;
		__u32 fd;
	} req;
	struct nsid_reply r = { .nsid = -1 };

	memset(&req, 0, sizeof(req));
	req.nh.nlmsg_type = RTM_GETNSID;
	req.nh.nlmsg_flags = NLM_F_REQUEST;
	req.g.rtgen_family = AF_UNSPEC;
	req.rta.rta_type = NETNSA_FD;
	req.rta.rta_len = RTA_LENGTH(sizeof(__u32));
	req.fd = (__u32)fd;
	req.nh.nlmsg_len = NLMSG_LENGTH(NLMSG_ALIGN(sizeof(req.g))) + RTA_ALIGN(req.rta.rta_len);
	if (nl_send(nl, &req.nh) || nl_recv(nl, false, nsid_cb, &r))
		return -1;
	return r.nsid;
}

/* Turn IFLA_LINK_NETNSID ids (private to the listed namespace) into inodes. */
static void name_peer_namespaces(struct nl *nl, struct link_list *l, struct nr_netns_db *db)
{
	const struct nr_netns *all;
	__u32 i, j, n;

	for (i = 0; i < l->nr && l->nsid[i] < 0; i++)
		;
	if (i == l->nr || !db)
		return;
	n = nr_netns_db__list(db, &all);
	for (j = 0; j < n; j++) {
		__u32 inode = all[j].inode;
		__s32 id;
		int fd;

		fd = nr_netns_db__open(db, inode);
		if (fd < 0)
			continue;
		id = nsid_of(nl, fd);
		close(fd);
		if (id < 0)
			continue;
		for (i = 0; i < l->nr; i++)
			if (l->nsid[i] == id)
				l->ifs[i].link_netns = inode;
	}
}

static int cmp_ifindex(const void *a, const void *b)
{
	const struct nr_iface *x = a, *y = b;

	return x->ifindex < y->ifindex ? -1 : x->ifindex > y->ifindex;
}

int nr_netns_ifaces(int nsfd, __u32 inode, struct nr_netns_db *db, struct nr_iface **ret,
		    __u32 *ret_nr)
{
	struct link_list l = { .netns = inode };
	struct nl nl;
	int err;

	err = nl_open(&nl, nsfd);
	if (err)
		goto out;
	err = dump(&nl, RTM_GETLINK, link_cb, &l, links_reset);
	if (err)
		goto out;
	err = dump(&nl, RTM_GETADDR, addr_cb, &l, addrs_reset);
	if (err)
		goto out;
	name_peer_namespaces(&nl, &l, db);
	qsort(l.ifs, l.nr, sizeof(*l.ifs), cmp_ifindex);
out:
	nl_close(&nl);
	free(l.nsid);
	if (err) {
		nr_ifaces__free(l.ifs, l.nr);
		return err;
	}
	*ret = l.ifs;
	*ret_nr = l.nr;
	return 0;
}

void nr_ifaces__free(struct nr_iface *ifs, __u32 n)
{
	__u32 i;

	if (!ifs)
		return;
	for (i = 0; i < n; i++)
		free_iface(&ifs[i]);
	free(ifs);
}
