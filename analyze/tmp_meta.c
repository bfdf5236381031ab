// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* TEMPORARY until format's reader lands on main: the nr_meta__* lookups. */
#include <stdio.h>
#include <string.h>

#include "nr_file.h"

const struct nr_sym *nr_meta__sym(const struct nr_meta *m, __u64 addr, __u64 *ret_off)
{
	__u32 lo = 0, hi = m->nr_syms;
	const struct nr_sym *s;

	while (lo < hi) {
		__u32 mid = lo + (hi - lo) / 2;

		if (m->syms[mid].addr <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (!lo)
		return NULL;
	s = &m->syms[lo - 1];
	if (s->size && addr >= s->addr + s->size)
		return NULL;
	*ret_off = addr - s->addr;
	return s;
}

const struct nr_enum *nr_meta__enum(const struct nr_meta *m, const char *name)
{
	__u32 i;

	for (i = 0; i < m->nr_enums; i++)
		if (!strcmp(m->enums[i].name, name))
			return &m->enums[i];
	return NULL;
}

const char *nr_meta__enum_name(const struct nr_meta *m, const char *enum_name, __s64 value)
{
	const struct nr_enum *e = nr_meta__enum(m, enum_name);
	__u32 i;

	if (!e)
		return NULL;
	for (i = 0; i < e->nr; i++)
		if (e->e[i].value == value)
			return e->e[i].name;
	return NULL;
}

const struct nr_stack *nr_meta__stack(const struct nr_meta *m, __u32 id)
{
	__u32 i;

	for (i = 0; id && i < m->nr_stacks; i++)
		if (m->stacks[i].id == id)
			return &m->stacks[i];
	return NULL;
}

const struct nr_iface *nr_meta__iface(const struct nr_meta *m, __u32 netns, __u32 ifindex)
{
	__u32 i;

	for (i = 0; i < m->nr_ifaces; i++)
		if (m->ifaces[i].netns == netns && m->ifaces[i].ifindex == ifindex)
			return &m->ifaces[i];
	return NULL;
}

const struct nr_probe_outcome *nr_meta__probe(const struct nr_meta *m, __u16 id)
{
	__u32 i;

	for (i = 0; i < m->nr_probes; i++)
		if (m->probes[i].id == id)
			return &m->probes[i];
	return NULL;
}

const struct nr_netns *nr_meta__netns(const struct nr_meta *m, __u32 inode)
{
	__u32 i;

	for (i = 0; i < m->nr_netns; i++)
		if (m->netns[i].inode == inode)
			return &m->netns[i];
	return NULL;
}

const char *nr_rec_name(__u16 type)
{
	static const char *const n[] = { NULL, "pkt", "sock", "fib", "neigh", "func", "counter",
					 "ctl" };

	return type < sizeof(n) / sizeof(n[0]) ? n[type] : NULL;
}

/* reader stand-ins: only so the command links before format's reader lands */
#include <errno.h>
int nr_reader__open(const char *path, const struct nr_reader_opts *opts,
		    struct nr_reader **ret, struct nr_error *reterr)
{
	(void)path; (void)opts; (void)ret;
	snprintf(reterr->msg, sizeof(reterr->msg), "this build has no trace reader yet");
	return -ENOSYS;
}
const struct nr_meta *nr_reader__meta(const struct nr_reader *r) { (void)r; return NULL; }
int nr_reader__next(struct nr_reader *r, const struct nr_rec_hdr **ret, struct nr_error *reterr)
{ (void)r; (void)ret; (void)reterr; return 0; }
void nr_reader__free(struct nr_reader *r) { (void)r; }
int nr_writer__open(const char *path, const struct nr_writer_opts *opts, struct nr_writer **ret)
{ (void)path; (void)opts; (void)ret; return -ENOSYS; }
int nr_writer__host(struct nr_writer *w, const struct nr_host *host) { (void)w; (void)host; return -ENOSYS; }
int nr_writer__clock(struct nr_writer *w, const struct nr_clock *clk, bool at_end) { (void)w; (void)clk; (void)at_end; return -ENOSYS; }
int nr_writer__cmdline(struct nr_writer *w, __u32 argc, char *const *argv, const char *filter) { (void)w; (void)argc; (void)argv; (void)filter; return -ENOSYS; }
int nr_writer__probes(struct nr_writer *w, const struct nr_probe_outcome *p, __u32 n) { (void)w; (void)p; (void)n; return -ENOSYS; }
int nr_writer__enum(struct nr_writer *w, const struct nr_enum *e) { (void)w; (void)e; return -ENOSYS; }
int nr_writer__ifaces(struct nr_writer *w, const struct nr_netns *ns, const struct nr_iface *ifs, __u32 n) { (void)w; (void)ns; (void)ifs; (void)n; return -ENOSYS; }
int nr_writer__append(struct nr_writer *w, const struct nr_rec_hdr *rec) { (void)w; (void)rec; return -ENOSYS; }
int nr_writer__close(struct nr_writer *w) { (void)w; return 0; }
