// SPDX-License-Identifier: GPL-2.0-only
/*
 * machine.c - the recording machine's facts, gathered and written (see machine.h)
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "btf_enums.h"
#include "kallsyms.h"
#include "log.h"
#include "machine.h"
#include "meta.h"
#include "netns.h"
#include "nr_enums.h"

/* Relist a namespace for an unknown ifindex at most this often (a device deleted before
 * we looked would otherwise cost a netlink dump per event). */
#define RELIST_NS	(100 * 1000 * 1000ull)

struct relist {
	__u32 inode;
	__u64 last_ns;
};

struct nr_machine {
	struct nr_machine_opts o;
	struct nr_host host;
	struct nr_clock clock_start;
	struct nr_enum *enums;
	__u32 nenums;
	struct nr_ksyms *ks;
	bool ks_tried;
	struct nr_netns_db *db;
	/*
	 * What the file describes, as an open-addressing set of keys: a namespace is its
	 * inode, an interface (netns << 32 | ifindex); 0 marks an empty slot.
	 */
	__u64 *written;
	__u32 written_cap;	/* power of two */
	__u32 nwritten;
	struct relist *relist;	/* when each namespace was last listed for a new ifindex */
	__u32 nrelist;
};

static __u64 iface_key(__u32 netns, __u32 ifindex)
{
	return (__u64)netns << 32 | ifindex;
}

static __u32 slot(__u64 key, __u32 mask)
{
	return (__u32)((key * 0x9e3779b97f4a7c15ull) >> 32) & mask;
}

static bool set_has(const struct nr_machine *m, __u64 key)
{
	__u32 mask = m->written_cap - 1, i;

	for (i = slot(key, mask); m->written[i]; i = (i + 1) & mask)
		if (m->written[i] == key)
			return true;
	return false;
}

static int set_add(struct nr_machine *m, __u64 key)
{
	__u32 mask, i;

	if (!key || set_has(m, key))
		return 0;
	if ((m->nwritten + 1) * 2 > m->written_cap) {
		__u64 *old = m->written;
		__u32 cap = m->written_cap, k;

		m->written = calloc((size_t)cap * 2, sizeof(*m->written));
		if (!m->written) {
			m->written = old;
			return -ENOMEM;
		}
		m->written_cap = cap * 2;
		m->nwritten = 0;
		for (k = 0; k < cap; k++)
			if (old[k])
				set_add(m, old[k]);
		free(old);
	}
	mask = m->written_cap - 1;
	for (i = slot(key, mask); m->written[i]; i = (i + 1) & mask)
		;
	m->written[i] = key;
	m->nwritten++;
	return 0;
}

int nr_machine__open(const struct nr_machine_opts *opts, struct nr_machine **ret, char *errbuf)
{
	struct nr_btf_enums_opts eo = { .sz = sizeof(eo) };
	struct nr_machine *m;
	int err;

	errbuf[0] = '\0';
	m = calloc(1, sizeof(*m));
	if (!m)
		return -ENOMEM;
	if (opts)
		memcpy(&m->o, opts, opts->sz < sizeof(m->o) ? opts->sz : sizeof(m->o));
	m->written_cap = 64;
	m->written = calloc(m->written_cap, sizeof(*m->written));
	if (!m->written) {
		err = -ENOMEM;
		goto fail;
	}
	err = nr_host__collect(&m->host);
	if (err)
		goto fail;
	err = nr_clock__read(&m->clock_start, NULL);
	if (err) {
		snprintf(errbuf, NR_MACHINE_ERRBUF, "cannot read the clocks: %s", strerror(-err));
		goto fail;
	}
	eo.vmlinux = m->o.vmlinux;
	eo.btf_dir = m->o.btf_dir;
	err = nr_btf_enums__collect(&eo, &m->enums, &m->nenums);
	if (err == -ENOENT) {
		snprintf(errbuf, NR_MACHINE_ERRBUF, "%s", NR_BTF_MISSING_MSG);
		goto fail;
	}
	if (err) {
		snprintf(errbuf, NR_MACHINE_ERRBUF, "cannot read the kernel's BTF: %s",
			 strerror(-err));
		goto fail;
	}
	if (!nr_enums__find(m->enums, m->nenums, "skb_drop_reason"))
		pr_debug("kernel BTF has no enum skb_drop_reason (kernel < 5.17)\n");
	err = nr_netns_db__new(&m->db);
	if (err)
		goto fail;
	if (m->o.one_netns) {
		long long self = nr_netns_db__resolve(m->db, "/proc/self/ns/net");

		err = self < 0 ? (int)self : 0;
	} else {
		err = nr_netns_db__scan(m->db);
	}
	if (err < 0) {
		snprintf(errbuf, NR_MACHINE_ERRBUF, "cannot list network namespaces: %s",
			 strerror(-err));
		goto fail;
	}
	*ret = m;
	return 0;
fail:
	nr_machine__free(m);
	return err;
}

int nr_machine__load_symbols(struct nr_machine *m)
{
	struct nr_ksyms_opts ko = { .sz = sizeof(ko), .kallsyms_path = m->o.kallsyms };
	int err;

	if (m->ks_tried)
		return 0;
	m->ks_tried = true;
	err = nr_ksyms__load(&ko, &m->ks);
	if (err == -ENOMEM)
		return err;
	if (err) {
		pr_warn("cannot read '%s': %s, kernel addresses stay unresolved\n",
			m->o.kallsyms ? m->o.kallsyms : NR_KALLSYMS_PATH, strerror(-err));
		return 0;
	}
	if (nr_ksyms__restricted(m->ks))
		pr_warn("the kernel hides its addresses (kptr_restrict, or no CAP_SYSLOG): "
			"stacks and drop locations stay raw addresses\n");
	return 0;
}

int nr_machine__resolve(void *ctx, __u64 addr, struct nr_sym *ret)
{
	struct nr_machine *m = ctx;

	if (!m->ks_tried && nr_machine__load_symbols(m))
		return -ENOENT;
	if (!m->ks)
		return -ENOENT;
	return nr_ksyms__resolve(m->ks, addr, ret);
}

/*
 * Write namespace @ns with those of its interfaces the file does not describe yet (all
 * of them the first time), or as unknown when we cannot look inside.
 * Return: 1 written, 0 nothing new, or a negative errno.
 */
static int write_netns(struct nr_machine *m, struct nr_writer *w, const struct nr_netns *ns)
{
	bool first = !set_has(m, ns->inode);
	struct nr_iface *ifs = NULL;
	__u32 n = 0, i, k = 0;
	int err;

	err = nr_netns_db__ifaces(m->db, ns->inode, &ifs, &n);
	if (err) {
		pr_debug("netns %u: cannot list interfaces: %s%s\n", ns->inode, strerror(-err),
			 first ? ", recorded as unknown" : "");
		ifs = NULL;
		n = 0;
		if (!first)
			return 0;
	}
	/* keep the new ones, in order */
	for (i = 0; i < n; i++) {
		if (set_has(m, iface_key(ns->inode, ifs[i].ifindex)))
			continue;
		if (k != i) {
			struct nr_iface t = ifs[k];

			ifs[k] = ifs[i];
			ifs[i] = t;
		}
		k++;
	}
	err = 0;
	if (first || k)
		err = nr_writer__ifaces(w, ns, ifs, k);
	for (i = 0; !err && i < k; i++)
		err = set_add(m, iface_key(ns->inode, ifs[i].ifindex));
	nr_ifaces__free(ifs, n);
	if (!err)
		err = set_add(m, ns->inode);
	return err ? err : first || k;
}

int nr_machine__write_start(struct nr_machine *m, struct nr_writer *w, __u32 argc,
			    char *const *argv, const char *filter)
{
	const struct nr_netns *all;
	__u32 i, n;
	int err;

	err = nr_writer__host(w, &m->host);
	if (!err)
		err = nr_writer__clock(w, &m->clock_start, false);
	if (!err)
		err = nr_writer__cmdline(w, argc, argv, filter);
	for (i = 0; !err && i < m->nenums; i++)
		err = nr_writer__enum(w, &m->enums[i]);
	if (err)
		return err;
	n = nr_netns_db__list(m->db, &all);
	for (i = 0; i < n; i++) {
		/* copied: listing a namespace may rescan and move the database's array */
		struct nr_netns ns = all[i];

		err = write_netns(m, w, &ns);
		if (err < 0)
			return err;
		n = nr_netns_db__list(m->db, &all);
	}
	return 0;
}

int nr_machine__netns_seen(struct nr_machine *m, struct nr_writer *w, __u32 inode)
{
	const struct nr_netns *ns;
	struct nr_netns copy = { .inode = inode };
	int err;

	if (!inode || set_has(m, inode))
		return 0;
	ns = nr_netns_db__find(m->db, inode, true);
	if (ns) {
		copy = *ns;
		err = write_netns(m, w, &copy);
		return err < 0 ? err : 1;
	}
	pr_debug("netns %u: not found in /run/netns or /proc, recorded as unknown\n", inode);
	err = nr_writer__ifaces(w, &copy, NULL, 0);
	if (!err)
		err = set_add(m, inode);
	return err ? err : 1;
}

static __u64 mono_now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (__u64)t.tv_sec * 1000000000ull + (__u64)t.tv_nsec;
}

/* May namespace @inode be listed again now? Records the attempt. */
static bool relist_allowed(struct nr_machine *m, __u32 inode)
{
	__u64 now = mono_now();
	struct relist *r;
	__u32 i;

	for (i = 0; i < m->nrelist; i++) {
		if (m->relist[i].inode != inode)
			continue;
		if (now - m->relist[i].last_ns < RELIST_NS)
			return false;
		m->relist[i].last_ns = now;
		return true;
	}
	r = realloc(m->relist, (m->nrelist + 1) * sizeof(*r));
	if (!r)
		return false;
	m->relist = r;
	r[m->nrelist++] = (struct relist){ .inode = inode, .last_ns = now };
	return true;
}

int nr_machine__iface_seen(struct nr_machine *m, struct nr_writer *w, __u32 netns, __u32 ifindex)
{
	const struct nr_netns *ns;
	struct nr_netns copy;
	int err;

	/* a namespace written just now was listed just now */
	err = nr_machine__netns_seen(m, w, netns);
	if (err || !ifindex || set_has(m, iface_key(netns, ifindex)))
		return err;
	ns = nr_netns_db__find(m->db, netns, false);
	if (!ns || !relist_allowed(m, netns))
		return err;
	copy = *ns;
	return write_netns(m, w, &copy);
}

int nr_machine__write_end(struct nr_machine *m, struct nr_writer *w)
{
	struct nr_clock end;
	int err;

	err = nr_clock__read(&end, NULL);
	if (err)
		return err;
	return nr_writer__clock(w, &end, true);
}

const struct nr_clock *nr_machine__clock_start(const struct nr_machine *m)
{
	return &m->clock_start;
}

const struct nr_host *nr_machine__host(const struct nr_machine *m)
{
	return &m->host;
}

struct nr_netns_db *nr_machine__netns_db(struct nr_machine *m)
{
	return m->db;
}

__u32 nr_machine__enums(const struct nr_machine *m, const struct nr_enum **ret)
{
	*ret = m->enums;
	return m->nenums;
}

void nr_machine__free(struct nr_machine *m)
{
	if (!m)
		return;
	nr_host__free(&m->host);
	nr_enums__free(m->enums, m->nenums);
	nr_ksyms__free(m->ks);
	nr_netns_db__free(m->db);
	free(m->written);
	free(m->relist);
	free(m);
}
