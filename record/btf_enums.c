// SPDX-License-Identifier: GPL-2.0-only
/*
 * btf_enums.c - enum name tables from the running kernel's BTF (see btf_enums.h)
 */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/btf.h>

#include "btf_enums.h"
#include "log.h"
#include "readfile.h"

#define MODULE_BTF_MAX	(64u << 20)

/* Tables read from BTF: by enum name, else the enum that holds @member. */
static const struct {
	const char *table;
	const char *enum_name;
	const char *member;
} btf_tables[] = {
	{ "skb_drop_reason", "skb_drop_reason", NULL },
	{ "skb_drop_reason_subsys", "skb_drop_reason_subsys", NULL },
	{ "tcp_state", "tcp_state", "TCP_ESTABLISHED" },
	{ "sk_rst_reason", "sk_rst_reason", NULL },
	{ "xdp_action", "xdp_action", NULL },
	{ "netdev_tx", "netdev_tx", NULL },
	{ "net_xmit_qdisc_t", "net_xmit_qdisc_t", NULL },
	{ "rtn_type", NULL, "RTN_UNICAST" },
	{ "qdisc_drop_reason", "qdisc_drop_reason", NULL },
};

struct fixed_entry {
	__s64 value;
	const char *name;
};

/* include/linux/netdevice.h: #define NET_XMIT_SUCCESS 0x00 ... */
static const struct fixed_entry net_xmit[] = {
	{ 0x00, "NET_XMIT_SUCCESS" },
	{ 0x01, "NET_XMIT_DROP" },
	{ 0x02, "NET_XMIT_CN" },
};

/* include/linux/netdevice.h: #define NET_RX_SUCCESS 0, NET_RX_DROP 1 */
static const struct fixed_entry net_rx[] = {
	{ 0, "NET_RX_SUCCESS" },
	{ 1, "NET_RX_DROP" },
};

/* include/uapi/linux/pkt_cls.h: #define TC_ACT_UNSPEC (-1) ... TC_ACT_TRAP 8 */
static const struct fixed_entry tc_act[] = {
	{ -1, "TC_ACT_UNSPEC" },
	{ 0, "TC_ACT_OK" },
	{ 1, "TC_ACT_RECLASSIFY" },
	{ 2, "TC_ACT_SHOT" },
	{ 3, "TC_ACT_PIPE" },
	{ 4, "TC_ACT_STOLEN" },
	{ 5, "TC_ACT_QUEUED" },
	{ 6, "TC_ACT_REPEAT" },
	{ 7, "TC_ACT_REDIRECT" },
	{ 8, "TC_ACT_TRAP" },
};

static const struct {
	const char *table;
	const struct fixed_entry *e;
	__u32 nr;
} fixed_tables[] = {
	{ NR_ENUM_NETREC_PREFIX "net_xmit", net_xmit, sizeof(net_xmit) / sizeof(net_xmit[0]) },
	{ NR_ENUM_NETREC_PREFIX "net_rx", net_rx, sizeof(net_rx) / sizeof(net_rx[0]) },
	{ NR_ENUM_NETREC_PREFIX "tc_act", tc_act, sizeof(tc_act) / sizeof(tc_act[0]) },
};

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

struct tables {
	struct nr_enum *e;
	__u32 nr;
	__u32 cap;
};

static __s64 enum_value(const struct btf_type *t, __u32 i)
{
	if (btf_is_enum64(t))
		return (__s64)btf_enum64_value(&btf_enum64(t)[i]);
	/* kflag set: signed enum (BTF of clang >= 15, libbpf >= 1.0) */
	if (btf_kflag(t))
		return (__s64)btf_enum(t)[i].val;
	return (__s64)(__u32)btf_enum(t)[i].val;
}

static const char *enum_member(const struct btf *btf, const struct btf_type *t, __u32 i)
{
	__u32 off = btf_is_enum64(t) ? btf_enum64(t)[i].name_off : btf_enum(t)[i].name_off;

	return btf__name_by_offset(btf, off);
}

static struct nr_enum *tables_add(struct tables *ts, const char *name)
{
	struct nr_enum *e;

	if (ts->nr == ts->cap) {
		__u32 cap = ts->cap ? ts->cap * 2 : 16;

		e = realloc(ts->e, cap * sizeof(*e));
		if (!e)
			return NULL;
		ts->e = e;
		ts->cap = cap;
	}
	e = &ts->e[ts->nr];
	*e = (struct nr_enum){ .name = strdup(name) };
	if (!e->name)
		return NULL;
	ts->nr++;
	return e;
}

static int entry_add(struct nr_enum *e, __s64 value, const char *name)
{
	struct nr_enum_entry *n;

	if (!name || !*name)
		return 0;	/* BTF allows nameless enumerators; they name nothing */
	n = realloc(e->e, (e->nr + 1) * sizeof(*n));
	if (!n)
		return -ENOMEM;
	e->e = n;
	n[e->nr].value = value;
	n[e->nr].name = strdup(name);
	if (!n[e->nr].name)
		return -ENOMEM;
	e->nr++;
	return 0;
}

/* Sort entries by value, keeping the kernel's order among equal values (insertion sort:
 * tables are small and nearly always in order already). */
static void sort_entries(struct nr_enum *e)
{
	__u32 i, j;

	for (i = 1; i < e->nr; i++) {
		struct nr_enum_entry x = e->e[i];

		for (j = i; j > 0 && e->e[j - 1].value > x.value; j--)
			e->e[j] = e->e[j - 1];
		e->e[j] = x;
	}
}

/* Add table @name with the entries of BTF enum type @t whose value passes @subsys
 * (-1: all; otherwise only entries of that drop-reason subsystem). */
static int add_enum(struct tables *ts, const char *name, const struct btf *btf,
		    const struct btf_type *t, long subsys)
{
	struct nr_enum *e = (struct nr_enum *)nr_enums__find(ts->e, ts->nr, name);
	__u32 i, vlen = btf_vlen(t);
	int err;

	if (!e) {
		e = tables_add(ts, name);
		if (!e)
			return -ENOMEM;
	}
	for (i = 0; i < vlen; i++) {
		__s64 v = enum_value(t, i);

		if (subsys >= 0 && (__u64)v >> NR_DROP_REASON_SUBSYS_SHIFT != (__u64)subsys)
			continue;
		err = entry_add(e, v, enum_member(btf, t, i));
		if (err)
			return err;
	}
	sort_entries(e);
	return 0;
}

/* The enum type called @name in @btf (either width), or NULL. */
static const struct btf_type *find_enum(const struct btf *btf, const char *name)
{
	__s32 id = btf__find_by_name_kind(btf, name, BTF_KIND_ENUM);

	if (id < 0)
		id = btf__find_by_name_kind(btf, name, BTF_KIND_ENUM64);
	return id < 0 ? NULL : btf__type_by_id(btf, (__u32)id);
}

/* The first enum in @btf with an enumerator called @member, or NULL. */
static const struct btf_type *find_enum_with(const struct btf *btf, const char *member)
{
	__u32 id, n = btf__type_cnt(btf), i;

	for (id = 1; id < n; id++) {
		const struct btf_type *t = btf__type_by_id(btf, id);

		if (!btf_is_any_enum(t))
			continue;
		for (i = 0; i < btf_vlen(t); i++)
			if (!strcmp(enum_member(btf, t, i), member))
				return t;
	}
	return NULL;
}

/* True for an enum named like a subsystem's drop reasons ("ovs_drop_reason", ...). */
static bool is_subsys_reason_enum(const char *name)
{
	size_t n = strlen(name), k = strlen("drop_reason");

	return n > k && !strcmp(name + n - k, "drop_reason") && strcmp(name, "skb_drop_reason") &&
	       strcmp(name, "qdisc_drop_reason");
}

/*
 * Subsystem drop reasons in @btf (types from @first on, so a module's split BTF is not
 * searched through its base again): every enum named *drop_reason whose values carry a
 * subsystem id that "skb_drop_reason_subsys" names.
 */
static int add_subsys_reasons(struct tables *ts, const struct btf *btf, __u32 first)
{
	const struct nr_enum *subsys = nr_enums__find(ts->e, ts->nr, "skb_drop_reason_subsys");
	__u32 id, n = btf__type_cnt(btf), i;
	char table[128];
	int err;

	if (!subsys)
		return 0;
	for (id = first; id < n; id++) {
		const struct btf_type *t = btf__type_by_id(btf, id);
		const char *name;

		if (!btf_is_any_enum(t))
			continue;
		name = btf__name_by_offset(btf, t->name_off);
		if (!name || !is_subsys_reason_enum(name))
			continue;
		for (i = 0; i < subsys->nr; i++) {
			__s64 s = subsys->e[i].value;
			__u32 k;

			if (s <= 0 ||
			    !nr_drop_subsys_table(subsys->e[i].name, table, sizeof(table)))
				continue;
			for (k = 0; k < btf_vlen(t); k++)
				if ((__u64)enum_value(t, k) >> NR_DROP_REASON_SUBSYS_SHIFT ==
				    (__u64)s)
					break;
			if (k == btf_vlen(t))
				continue;
			pr_debug("btf: enum %s holds drop reasons of %s\n", name,
				 subsys->e[i].name);
			err = add_enum(ts, table, btf, t, (long)s);
			if (err)
				return err;
		}
	}
	return 0;
}

int nr_btf_enums__from_btf(const struct btf *vmlinux, const struct btf *const *mods, __u32 nmods,
			   bool fixed, struct nr_enum **ret, __u32 *ret_nr)
{
	struct tables ts = {};
	__u32 i, j;
	int err;

	for (i = 0; i < ARRAY_SIZE(btf_tables); i++) {
		const struct btf_type *t = NULL;

		if (btf_tables[i].enum_name)
			t = find_enum(vmlinux, btf_tables[i].enum_name);
		if (!t && btf_tables[i].member)
			t = find_enum_with(vmlinux, btf_tables[i].member);
		if (!t) {
			pr_debug("btf: no enum for table '%s', leaving it out\n",
				 btf_tables[i].table);
			continue;
		}
		err = add_enum(&ts, btf_tables[i].table, vmlinux, t, -1);
		if (err)
			goto fail;
	}
	err = add_subsys_reasons(&ts, vmlinux, 1);
	if (err)
		goto fail;
	for (i = 0; i < nmods; i++) {
		err = add_subsys_reasons(&ts, mods[i], btf__type_cnt(btf__base_btf(mods[i])));
		if (err)
			goto fail;
	}
	for (i = 0; fixed && i < ARRAY_SIZE(fixed_tables); i++) {
		struct nr_enum *e = tables_add(&ts, fixed_tables[i].table);

		if (!e) {
			err = -ENOMEM;
			goto fail;
		}
		for (j = 0; j < fixed_tables[i].nr; j++) {
			err = entry_add(e, fixed_tables[i].e[j].value, fixed_tables[i].e[j].name);
			if (err)
				goto fail;
		}
	}
	*ret = ts.e;
	*ret_nr = ts.nr;
	return 0;
fail:
	nr_enums__free(ts.e, ts.nr);
	return err;
}

/*
 * Load the module BTFs under @dir that may hold subsystem drop reasons. Only files
 * whose bytes contain "drop_reason" (in the string section) are parsed: a distro kernel
 * has a hundred modules and parsing each would cost far more than reading it.
 */
static int load_modules(const char *dir, struct btf *vmlinux, struct btf ***ret, __u32 *ret_nr)
{
	struct btf **mods = NULL;
	struct dirent *de;
	__u32 n = 0;
	DIR *d;

	*ret = NULL;
	*ret_nr = 0;
	d = opendir(dir);
	if (!d)
		return 0;
	while ((de = readdir(d))) {
		char path[4096];
		struct btf *b, **m;
		size_t len;
		void *buf;
		int err;

		if (de->d_name[0] == '.' || !strcmp(de->d_name, "vmlinux"))
			continue;
		if (snprintf(path, sizeof(path), "%s/%s", dir, de->d_name) >= (int)sizeof(path))
			continue;
		err = nr_read_file(path, MODULE_BTF_MAX, &buf, &len);
		if (err) {
			pr_debug("btf: cannot read '%s': %s, ignoring\n", path, strerror(-err));
			continue;
		}
		b = NULL;
		if (memmem(buf, len, "drop_reason", strlen("drop_reason"))) {
			/* btf__new_split() is not exported by libbpf 1.1: parse the file */
			b = btf__parse_raw_split(path, vmlinux);
			err = b ? 0 : -errno;
		}
		free(buf);
		if (!b && !err)
			continue;
		if (!b) {
			pr_debug("btf: cannot parse '%s': %s, ignoring\n", path, strerror(-err));
			continue;
		}
		m = realloc(mods, (n + 1) * sizeof(*m));
		if (!m) {
			btf__free(b);
			break;
		}
		mods = m;
		mods[n++] = b;
	}
	closedir(d);
	*ret = mods;
	*ret_nr = n;
	return 0;
}

int nr_btf_enums__collect(const struct nr_btf_enums_opts *opts, struct nr_enum **ret,
			  __u32 *ret_nr)
{
	struct nr_btf_enums_opts o = {};
	struct btf *own = NULL, **mods = NULL;
	const struct btf *vmlinux;
	__u32 nmods = 0, i;
	int err;

	if (opts)
		memcpy(&o, opts, opts->sz < sizeof(o) ? opts->sz : sizeof(o));
	vmlinux = o.vmlinux;
	if (!vmlinux) {
		if (o.btf_dir) {
			char path[4096];

			snprintf(path, sizeof(path), "%s/vmlinux", o.btf_dir);
			own = btf__parse(path, NULL);
		} else {
			own = btf__load_vmlinux_btf();
		}
		if (!own) {
			err = errno == ENOENT ? -ENOENT : -EBADMSG;
			pr_debug("btf: no vmlinux BTF: %s\n", strerror(errno));
			return err;
		}
		vmlinux = own;
	}
	/* module BTF is split on vmlinux's; libbpf wants a non-const base */
	load_modules(o.btf_dir ? o.btf_dir : NR_BTF_DIR, (struct btf *)vmlinux, &mods, &nmods);
	err = nr_btf_enums__from_btf(vmlinux, (const struct btf *const *)mods, nmods, !o.no_fixed,
				     ret, ret_nr);
	for (i = 0; i < nmods; i++)
		btf__free(mods[i]);
	free(mods);
	btf__free(own);
	return err;
}
