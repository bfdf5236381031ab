// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * meta.c - metadata block payloads (encode and decode) and the struct nr_meta lookups
 *
 * Every payload starts with a u32 version. Lists are a u32 count followed by entries,
 * each entry a u32 length and then its fields, so a later version may append fields to
 * an entry and an older reader skips them. Strings are a u32 length (NR_STR_ABSENT for
 * none) and the bytes, without terminator.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "meta.h"
#include "nr_enums.h"

#define META_VERSION	1

#define TRY(x) do { int err_ = (x); if (err_) return err_; } while (0)

static size_t entry_begin(struct nr_buf *b)
{
	size_t off = b->len;

	nr_buf_u32(b, 0);
	return off;
}

static void entry_end(struct nr_buf *b, size_t off)
{
	nr_buf_set_u32(b, off, (__u32)(b->len - off - 4));
}

int nr_meta_enc_schema(struct nr_buf *b, const struct nr_schema *const *s, size_t n)
{
	size_t i, e;
	__u32 f;

	nr_buf_u32(b, META_VERSION);
	nr_buf_u32(b, (__u32)n);
	for (i = 0; i < n; i++) {
		e = entry_begin(b);
		nr_buf_u16(b, s[i]->type);
		nr_buf_u16(b, s[i]->nr_fields);
		nr_buf_u32(b, s[i]->fixed_size);
		nr_buf_u16(b, s[i]->tail_codec);
		nr_buf_u16(b, s[i]->tail_len_width);
		nr_buf_u32(b, s[i]->tail_len_off);
		nr_buf_u32(b, s[i]->tail_max);
		TRY(nr_buf_str(b, s[i]->name));
		for (f = 0; f < s[i]->nr_fields; f++) {
			const struct nr_field *fd = &s[i]->fields[f];

			nr_buf_u32(b, fd->off);
			nr_buf_u16(b, fd->width);
			nr_buf_u8(b, fd->codec);
			nr_buf_u8(b, fd->flags);
			TRY(nr_buf_str(b, fd->name));
		}
		entry_end(b, e);
	}
	return b->err;
}

int nr_meta_enc_host(struct nr_buf *b, const struct nr_host *h)
{
	if (h->build_id_len > NR_BUILD_ID_MAX)
		return -EINVAL;
	nr_buf_u32(b, META_VERSION);
	TRY(nr_buf_str(b, h->hostname));
	TRY(nr_buf_str(b, h->sysname));
	TRY(nr_buf_str(b, h->release));
	TRY(nr_buf_str(b, h->version));
	TRY(nr_buf_str(b, h->machine));
	TRY(nr_buf_str(b, h->netrec_version));
	TRY(nr_buf_str(b, h->boot_id));
	nr_buf_u32(b, h->build_id_len);
	nr_buf_put(b, h->build_id, h->build_id_len);
	nr_buf_u32(b, h->ncpus);
	nr_buf_u32(b, h->page_size);
	return b->err;
}

int nr_meta_enc_clock(struct nr_buf *b, const struct nr_clock *c, bool at_end)
{
	nr_buf_u32(b, META_VERSION);
	nr_buf_u32(b, at_end ? 1 : 0);
	nr_buf_u64(b, c->mono_ns);
	nr_buf_u64(b, c->real_ns);
	nr_buf_u64(b, c->boot_ns);
	return b->err;
}

int nr_meta_enc_cmdline(struct nr_buf *b, __u32 argc, char *const *argv, const char *filter)
{
	__u32 i;

	if (argc > NR_ARGC_MAX)
		return -EOVERFLOW;
	nr_buf_u32(b, META_VERSION);
	nr_buf_u32(b, argc);
	for (i = 0; i < argc; i++)
		TRY(nr_buf_str(b, argv[i] ? argv[i] : ""));
	TRY(nr_buf_str(b, filter));
	return b->err;
}

int nr_meta_enc_probes(struct nr_buf *b, const struct nr_probe_outcome *p, __u32 n)
{
	__u32 i;
	size_t e;

	if (n > NR_PROBES_MAX)
		return -EOVERFLOW;
	nr_buf_u32(b, META_VERSION);
	nr_buf_u32(b, n);
	for (i = 0; i < n; i++) {
		if (!p[i].name)
			return -EINVAL;
		e = entry_begin(b);
		nr_buf_u16(b, p[i].id);
		nr_buf_u16(b, p[i].status);
		nr_buf_u32(b, (__u32)p[i].err);
		TRY(nr_buf_str(b, p[i].name));
		TRY(nr_buf_str(b, p[i].target));
		TRY(nr_buf_str(b, p[i].mechanism));
		TRY(nr_buf_str(b, p[i].msg));
		entry_end(b, e);
	}
	return b->err;
}

int nr_meta_enc_enum(struct nr_buf *b, const struct nr_enum *en)
{
	__u32 i;
	size_t e;

	if (!en->name || en->nr > NR_ENUM_ENTRIES_MAX)
		return en->name ? -EOVERFLOW : -EINVAL;
	nr_buf_u32(b, META_VERSION);
	TRY(nr_buf_str(b, en->name));
	nr_buf_u32(b, en->nr);
	for (i = 0; i < en->nr; i++) {
		if (!en->e[i].name)
			return -EINVAL;
		e = entry_begin(b);
		nr_buf_u64(b, (__u64)en->e[i].value);
		TRY(nr_buf_str(b, en->e[i].name));
		entry_end(b, e);
	}
	return b->err;
}

int nr_meta_enc_netdev(struct nr_buf *b, const struct nr_netns *ns, const struct nr_iface *ifs,
		       __u32 n)
{
	__u32 i, k;
	size_t e;

	if (n > NR_IFACES_MAX)
		return -EOVERFLOW;
	nr_buf_u32(b, META_VERSION);
	nr_buf_u32(b, ns->inode);
	TRY(nr_buf_str(b, ns->name));
	nr_buf_u32(b, n);
	for (i = 0; i < n; i++) {
		const struct nr_iface *f = &ifs[i];

		if (f->mac_len > sizeof(f->mac) || !f->name)
			return -EINVAL;
		if (f->naddrs > NR_IFADDRS_MAX)
			return -EOVERFLOW;
		e = entry_begin(b);
		nr_buf_u32(b, f->ifindex);
		TRY(nr_buf_str(b, f->name));
		nr_buf_u32(b, f->type);
		nr_buf_u32(b, f->flags);
		nr_buf_u32(b, f->mtu);
		nr_buf_u32(b, f->link_ifindex);
		nr_buf_u32(b, f->mac_len);
		nr_buf_put(b, f->mac, f->mac_len);
		nr_buf_u32(b, f->naddrs);
		for (k = 0; k < f->naddrs; k++) {
			nr_buf_u16(b, f->addrs[k].family);
			nr_buf_u8(b, f->addrs[k].prefixlen);
			nr_buf_u8(b, 0);
			nr_buf_put(b, f->addrs[k].addr, 16);
		}
		nr_buf_u32(b, f->link_netns);
		nr_buf_u32(b, f->master_ifindex);
		TRY(nr_buf_str(b, f->kind));
		entry_end(b, e);
	}
	return b->err;
}

void nr_meta_enc_list_begin(struct nr_buf *b, size_t *count_off)
{
	nr_buf_u32(b, META_VERSION);
	*count_off = b->len;
	nr_buf_u32(b, 0);
}

void nr_meta_enc_list_end(struct nr_buf *b, size_t count_off, __u32 count)
{
	nr_buf_set_u32(b, count_off, count);
}

int nr_meta_enc_sym(struct nr_buf *b, const struct nr_sym *s)
{
	size_t e = entry_begin(b);

	nr_buf_u64(b, s->addr);
	nr_buf_u64(b, s->size);
	TRY(nr_buf_str(b, s->name ? s->name : ""));
	TRY(nr_buf_str(b, s->module));
	entry_end(b, e);
	return b->err;
}

int nr_meta_enc_stack(struct nr_buf *b, __u32 id, const __u64 *ips, __u32 nr)
{
	size_t e = entry_begin(b);
	__u32 i;

	nr_buf_u32(b, id);
	nr_buf_u32(b, nr);
	for (i = 0; i < nr; i++)
		nr_buf_u64(b, ips[i]);
	entry_end(b, e);
	return b->err;
}

/* ---- decoding ---- */

#define BAD(...) do { snprintf(msg, msglen, __VA_ARGS__); return -EBADMSG; } while (0)

static int vgrow(void **p, __u32 *cap, __u32 n, size_t elem)
{
	__u32 c = *cap ? *cap : 16;
	void *q;

	if (n <= *cap)
		return 0;
	while (c < n)
		c = c > UINT32_MAX / 2 ? n : c * 2;
	q = realloc(*p, (size_t)c * elem);
	if (!q)
		return -ENOMEM;
	*p = q;
	*cap = c;
	return 0;
}

/* a list's entry count: at least 4 bytes (the length) per entry must remain */
static int list_count(struct nr_cur *c, __u32 limit, __u32 *ret, char *msg,
		      size_t msglen)
{
	__u32 n = nr_cur_u32(c);

	if (c->bad)
		BAD("truncated");
	if (n > nr_cur_left(c) / 4)
		BAD("%u entries do not fit in %zu bytes", n, nr_cur_left(c));
	if (n > limit) {
		snprintf(msg, msglen, "%u entries exceed the limit of %u", n, limit);
		return -EOVERFLOW;
	}
	*ret = n;
	return 0;
}

static int load_schema(struct nr_meta_store *ms, struct nr_cur *c, char *msg, size_t msglen)
{
	__u32 n, i, f;

	TRY(list_count(c, NR_TYPES_MAX, &n, msg, msglen));
	for (i = 0; i < n; i++) {
		struct nr_cur ec = nr_cur_sub(c, nr_cur_u32(c));
		struct nr_schema *s = nr_arena_alloc(&ms->arena, sizeof(*s));
		const struct nr_schema *old;
		struct nr_field *fields;
		int err;

		if (!s)
			return -ENOMEM;
		s->type = nr_cur_u16(&ec);
		s->nr_fields = nr_cur_u16(&ec);
		s->fixed_size = nr_cur_u32(&ec);
		s->tail_codec = nr_cur_u16(&ec);
		s->tail_len_width = nr_cur_u16(&ec);
		s->tail_len_off = nr_cur_u32(&ec);
		s->tail_max = nr_cur_u32(&ec);
		err = nr_cur_str(&ec, &ms->arena, (char **)&s->name);
		if (err == -ENOMEM)
			return err;
		if (ec.bad)
			BAD("schema entry %u truncated", i);
		if (s->nr_fields > NR_SCHEMA_FIELDS_MAX || s->nr_fields > nr_cur_left(&ec) / 12)
			BAD("schema entry %u: %u fields do not fit", i, s->nr_fields);
		fields = nr_arena_alloc(&ms->arena, sizeof(*fields) * (s->nr_fields + 1u));
		if (!fields)
			return -ENOMEM;
		for (f = 0; f < s->nr_fields; f++) {
			fields[f].off = nr_cur_u32(&ec);
			fields[f].width = nr_cur_u16(&ec);
			fields[f].codec = nr_cur_u8(&ec);
			fields[f].flags = nr_cur_u8(&ec);
			err = nr_cur_str(&ec, &ms->arena, (char **)&fields[f].name);
			if (err == -ENOMEM)
				return err;
			if (ec.bad)
				BAD("schema entry %u truncated", i);
		}
		s->fields = fields;
		if (nr_schema_check(s, msg, msglen))
			return -EBADMSG;
		old = ms->schemas.by_type[s->type];
		if (old) {
			/* a type's layout cannot change within a file */
			bool same = old->fixed_size == s->fixed_size &&
				    old->nr_fields == s->nr_fields &&
				    old->tail_codec == s->tail_codec &&
				    old->tail_len_off == s->tail_len_off &&
				    old->tail_len_width == s->tail_len_width &&
				    old->tail_max == s->tail_max;

			for (f = 0; same && f < s->nr_fields; f++)
				same = old->fields[f].off == s->fields[f].off &&
				       old->fields[f].width == s->fields[f].width &&
				       old->fields[f].codec == s->fields[f].codec;
			if (!same)
				BAD("schema of record type %u defined twice, differently", s->type);
			continue;
		}
		ms->schemas.by_type[s->type] = s;
		ms->nr_schemas++;
	}
	return 0;
}

static int load_host(struct nr_meta_store *ms, struct nr_meta *m, struct nr_cur *c, char *msg,
		     size_t msglen)
{
	struct nr_host h;
	const __u8 *id;

	memset(&h, 0, sizeof(h));
	if (nr_cur_str(c, &ms->arena, &h.hostname) || nr_cur_str(c, &ms->arena, &h.sysname) ||
	    nr_cur_str(c, &ms->arena, &h.release) || nr_cur_str(c, &ms->arena, &h.version) ||
	    nr_cur_str(c, &ms->arena, &h.machine) ||
	    nr_cur_str(c, &ms->arena, &h.netrec_version) ||
	    nr_cur_str(c, &ms->arena, &h.boot_id)) {
		if (!c->bad)
			return -ENOMEM;
		BAD("truncated");
	}
	h.build_id_len = nr_cur_u32(c);
	if (h.build_id_len > NR_BUILD_ID_MAX)
		BAD("build id of %u bytes exceeds %u", h.build_id_len,
		    NR_BUILD_ID_MAX);
	id = nr_cur_take(c, h.build_id_len);
	if (id)
		memcpy(h.build_id, id, h.build_id_len);
	h.ncpus = nr_cur_u32(c);
	h.page_size = nr_cur_u32(c);
	if (c->bad)
		BAD("truncated");
	m->host = h;
	ms->has_host = true;
	return 0;
}

static int load_clock(struct nr_meta_store *ms, struct nr_meta *m, struct nr_cur *c, char *msg,
		      size_t msglen)
{
	struct nr_clock k;
	__u32 kind = nr_cur_u32(c);

	k.mono_ns = nr_cur_u64(c);
	k.real_ns = nr_cur_u64(c);
	k.boot_ns = nr_cur_u64(c);
	if (c->bad)
		BAD("truncated");
	if (kind > 1)
		BAD("unknown kind %u", kind);
	if (kind == 0) {
		m->clock_start = k;
		ms->has_clock_start = true;
	} else {
		m->clock_end = k;
		m->has_clock_end = true;
		ms->has_clock_end = true;
	}
	return 0;
}

static int load_cmdline(struct nr_meta_store *ms, struct nr_meta *m, struct nr_cur *c,
			char *msg, size_t msglen)
{
	__u32 argc = nr_cur_u32(c), i;
	char **argv, *filter;

	if (c->bad)
		BAD("truncated");
	if (argc > nr_cur_left(c) / 4)
		BAD("%u arguments do not fit", argc);
	if (argc > NR_ARGC_MAX) {
		snprintf(msg, msglen, "%u arguments exceed %u", argc, NR_ARGC_MAX);
		return -EOVERFLOW;
	}
	argv = nr_arena_alloc(&ms->arena, sizeof(*argv) * (argc + 1u));
	if (!argv)
		return -ENOMEM;
	for (i = 0; i < argc; i++) {
		if (nr_cur_str(c, &ms->arena, &argv[i])) {
			if (!c->bad)
				return -ENOMEM;
			BAD("truncated");
		}
		if (!argv[i])
			argv[i] = nr_arena_strndup(&ms->arena, "", 0);
		if (!argv[i])
			return -ENOMEM;
	}
	if (nr_cur_str(c, &ms->arena, &filter)) {
		if (!c->bad)
			return -ENOMEM;
		BAD("truncated");
	}
	m->argc = argc;
	m->argv = argv;
	m->filter = filter;
	ms->has_cmdline = true;
	return 0;
}

static int load_probes(struct nr_meta_store *ms, struct nr_cur *c, char *msg, size_t msglen)
{
	__u32 n, i;

	TRY(list_count(c, NR_PROBES_MAX, &n, msg, msglen));
	if (ms->nr_probes + n > 4 * NR_PROBES_MAX) {
		snprintf(msg, msglen, "more than %u probe entries in all", 4 * NR_PROBES_MAX);
		return -EOVERFLOW;
	}
	if (vgrow((void **)&ms->probes, &ms->cap_probes, ms->nr_probes + n, sizeof(*ms->probes)))
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		struct nr_cur ec = nr_cur_sub(c, nr_cur_u32(c));
		struct nr_probe_outcome *p = &ms->probes[ms->nr_probes];

		memset(p, 0, sizeof(*p));
		p->id = nr_cur_u16(&ec);
		p->status = nr_cur_u16(&ec);
		p->err = (__s32)nr_cur_u32(&ec);
		if (nr_cur_str(&ec, &ms->arena, &p->name) ||
		    nr_cur_str(&ec, &ms->arena, &p->target) ||
		    nr_cur_str(&ec, &ms->arena, &p->mechanism) ||
		    nr_cur_str(&ec, &ms->arena, &p->msg)) {
			if (!ec.bad)
				return -ENOMEM;
			BAD("probes entry %u truncated", i);
		}
		if (!p->name)
			BAD("probes entry %u: no name", i);
		ms->nr_probes++;
	}
	return 0;
}

static int cmp_enum_entry(const void *a, const void *b)
{
	const struct nr_enum_entry *x = a, *y = b;

	return x->value < y->value ? -1 : x->value > y->value;
}

static int load_enum(struct nr_meta_store *ms, struct nr_cur *c, char *msg, size_t msglen)
{
	struct nr_enum en;
	__u32 n, i, k;
	int err;

	memset(&en, 0, sizeof(en));
	err = nr_cur_str(c, &ms->arena, &en.name);
	if (err == -ENOMEM)
		return err;
	if (err || !en.name)
		BAD("truncated or unnamed");
	TRY(list_count(c, NR_ENUM_ENTRIES_MAX, &n, msg, msglen));
	if (ms->nr_enums >= NR_ENUMS_MAX) {
		snprintf(msg, msglen, "more than %u enum blocks", NR_ENUMS_MAX);
		return -EOVERFLOW;
	}
	en.e = nr_arena_alloc(&ms->arena, sizeof(*en.e) * (n + 1u));
	if (!en.e)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		struct nr_cur ec = nr_cur_sub(c, nr_cur_u32(c));

		en.e[i].value = (__s64)nr_cur_u64(&ec);
		if (nr_cur_str(&ec, &ms->arena, &en.e[i].name)) {
			if (!ec.bad)
				return -ENOMEM;
			BAD("enum '%s' entry %u truncated", en.name, i);
		}
		if (!en.e[i].name)
			BAD("enum '%s' entry %u: no name", en.name, i);
	}
	/* by value; of equal values the first name stays (the kernel's first alias) */
	nr_msort(en.e, n, sizeof(*en.e), cmp_enum_entry);
	for (i = 0, k = 0; i < n; i++)
		if (!k || en.e[k - 1].value != en.e[i].value)
			en.e[k++] = en.e[i];
	en.nr = k;
	if (vgrow((void **)&ms->enums, &ms->cap_enums, ms->nr_enums + 1, sizeof(*ms->enums)))
		return -ENOMEM;
	ms->enums[ms->nr_enums++] = en;
	return 0;
}

static int load_symbols(struct nr_meta_store *ms, struct nr_cur *c, char *msg, size_t msglen)
{
	__u32 n, i;

	TRY(list_count(c, NR_SYMS_MAX, &n, msg, msglen));
	if (ms->nr_syms + (__u64)n > NR_SYMS_MAX) {
		snprintf(msg, msglen, "more than %u symbols", NR_SYMS_MAX);
		return -EOVERFLOW;
	}
	if (vgrow((void **)&ms->syms, &ms->cap_syms, ms->nr_syms + n, sizeof(*ms->syms)))
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		struct nr_cur ec = nr_cur_sub(c, nr_cur_u32(c));
		struct nr_sym *s = &ms->syms[ms->nr_syms];

		s->addr = nr_cur_u64(&ec);
		s->size = nr_cur_u64(&ec);
		if (nr_cur_str(&ec, &ms->arena, &s->name) ||
		    nr_cur_str(&ec, &ms->arena, &s->module)) {
			if (!ec.bad)
				return -ENOMEM;
			BAD("symbols entry %u truncated", i);
		}
		if (!s->name)
			BAD("symbols entry %u: no name", i);
		ms->nr_syms++;
	}
	return 0;
}

static int load_stacks(struct nr_meta_store *ms, struct nr_cur *c, char *msg, size_t msglen)
{
	__u32 n, i, k;

	TRY(list_count(c, NR_STACKS_MAX, &n, msg, msglen));
	if (ms->nr_stacks + (__u64)n > NR_STACKS_MAX) {
		snprintf(msg, msglen, "more than %u stacks", NR_STACKS_MAX);
		return -EOVERFLOW;
	}
	if (vgrow((void **)&ms->stacks, &ms->cap_stacks, ms->nr_stacks + n, sizeof(*ms->stacks)))
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		struct nr_cur ec = nr_cur_sub(c, nr_cur_u32(c));
		struct nr_stack *s = &ms->stacks[ms->nr_stacks];

		s->id = nr_cur_u32(&ec);
		s->nr = nr_cur_u32(&ec);
		if (ec.bad)
			BAD("stacks entry %u truncated", i);
		if (s->id == 0)
			BAD("stacks entry %u: id 0", i);
		if (s->nr > NR_STACK_MAX)
			BAD("stack %u: %u frames exceed %u", s->id, s->nr, NR_STACK_MAX);
		if (s->nr > nr_cur_left(&ec) / 8)
			BAD("stack %u truncated", s->id);
		if (ms->nr_frames + s->nr > NR_STACK_FRAMES_MAX) {
			snprintf(msg, msglen, "more than %u stack frames", NR_STACK_FRAMES_MAX);
			return -EOVERFLOW;
		}
		s->ip = nr_arena_alloc(&ms->arena, sizeof(__u64) * (s->nr + 1u));
		if (!s->ip)
			return -ENOMEM;
		for (k = 0; k < s->nr; k++)
			s->ip[k] = nr_cur_u64(&ec);
		ms->nr_frames += s->nr;
		ms->nr_stacks++;
	}
	return 0;
}

static int load_netdev(struct nr_meta_store *ms, struct nr_cur *c, char *msg, size_t msglen)
{
	struct nr_netns ns;
	__u32 n, i, k;

	memset(&ns, 0, sizeof(ns));
	ns.inode = nr_cur_u32(c);
	if (nr_cur_str(c, &ms->arena, &ns.name)) {
		if (!c->bad)
			return -ENOMEM;
		BAD("truncated");
	}
	TRY(list_count(c, NR_IFACES_MAX, &n, msg, msglen));
	if (ms->nr_netns >= NR_NETNS_MAX || ms->nr_ifaces + (__u64)n > NR_IFACES_MAX) {
		snprintf(msg, msglen, "more than %u namespaces or %u interfaces", NR_NETNS_MAX,
			 NR_IFACES_MAX);
		return -EOVERFLOW;
	}
	if (vgrow((void **)&ms->netns, &ms->cap_netns, ms->nr_netns + 1, sizeof(*ms->netns)) ||
	    vgrow((void **)&ms->ifaces, &ms->cap_ifaces, ms->nr_ifaces + n, sizeof(*ms->ifaces)))
		return -ENOMEM;
	ms->netns[ms->nr_netns++] = ns;
	for (i = 0; i < n; i++) {
		struct nr_cur ec = nr_cur_sub(c, nr_cur_u32(c));
		struct nr_iface *f = &ms->ifaces[ms->nr_ifaces];
		const __u8 *mac;

		memset(f, 0, sizeof(*f));
		f->netns = ns.inode;
		f->ifindex = nr_cur_u32(&ec);
		if (nr_cur_str(&ec, &ms->arena, &f->name)) {
			if (!ec.bad)
				return -ENOMEM;
			BAD("netdev entry %u truncated", i);
		}
		if (!f->name)
			BAD("netdev entry %u: no name", i);
		f->type = nr_cur_u32(&ec);
		f->flags = nr_cur_u32(&ec);
		f->mtu = nr_cur_u32(&ec);
		f->link_ifindex = nr_cur_u32(&ec);
		f->mac_len = nr_cur_u32(&ec);
		if (f->mac_len > sizeof(f->mac))
			BAD("interface '%s': address of %u bytes", f->name, f->mac_len);
		mac = nr_cur_take(&ec, f->mac_len);
		if (mac)
			memcpy(f->mac, mac, f->mac_len);
		f->naddrs = nr_cur_u32(&ec);
		if (ec.bad)
			BAD("netdev entry %u truncated", i);
		if (f->naddrs > NR_IFADDRS_MAX || f->naddrs > nr_cur_left(&ec) / 20)
			BAD("interface '%s': %u addresses do not fit", f->name, f->naddrs);
		f->addrs = nr_arena_alloc(&ms->arena, sizeof(*f->addrs) * (f->naddrs + 1u));
		if (!f->addrs)
			return -ENOMEM;
		for (k = 0; k < f->naddrs; k++) {
			const __u8 *a;

			f->addrs[k].family = nr_cur_u16(&ec);
			f->addrs[k].prefixlen = nr_cur_u8(&ec);
			nr_cur_u8(&ec);
			a = nr_cur_take(&ec, 16);
			if (a)
				memcpy(f->addrs[k].addr, a, 16);
		}
		f->link_netns = nr_cur_u32(&ec);
		f->master_ifindex = nr_cur_u32(&ec);
		if (nr_cur_str(&ec, &ms->arena, &f->kind) && !ec.bad)
			return -ENOMEM;
		if (ec.bad)
			BAD("netdev entry %u truncated", i);
		ms->nr_ifaces++;
	}
	return 0;
}

int nr_meta_load(struct nr_meta_store *ms, struct nr_meta *m, __u16 type, const __u8 *p,
		 size_t len, bool swap, char *msg, size_t msglen)
{
	struct nr_cur c = nr_cur_init(p, len, swap);
	__u32 version = nr_cur_u32(&c);

	if (c.bad)
		BAD("no version");
	if (version == 0)
		BAD("version 0");
	switch (type) {
	case NR_BLK_SCHEMA:	return load_schema(ms, &c, msg, msglen);
	case NR_BLK_HOST:	return load_host(ms, m, &c, msg, msglen);
	case NR_BLK_CLOCK:	return load_clock(ms, m, &c, msg, msglen);
	case NR_BLK_CMDLINE:	return load_cmdline(ms, m, &c, msg, msglen);
	case NR_BLK_PROBES:	return load_probes(ms, &c, msg, msglen);
	case NR_BLK_ENUM:	return load_enum(ms, &c, msg, msglen);
	case NR_BLK_SYMBOLS:	return load_symbols(ms, &c, msg, msglen);
	case NR_BLK_STACKS:	return load_stacks(ms, &c, msg, msglen);
	case NR_BLK_NETDEV:	return load_netdev(ms, &c, msg, msglen);
	}
	BAD("block type %u is not metadata", type);
}

/* ---- publishing: sort, and keep the last entry of each key ---- */

static int cmp_probe(const void *a, const void *b)
{
	const struct nr_probe_outcome *x = a, *y = b;

	return (x->id > y->id) - (x->id < y->id);
}

static int cmp_sym(const void *a, const void *b)
{
	const struct nr_sym *x = a, *y = b;

	return (x->addr > y->addr) - (x->addr < y->addr);
}

static int cmp_stack(const void *a, const void *b)
{
	const struct nr_stack *x = a, *y = b;

	return (x->id > y->id) - (x->id < y->id);
}

static int cmp_iface(const void *a, const void *b)
{
	const struct nr_iface *x = a, *y = b;

	if (x->netns != y->netns)
		return x->netns < y->netns ? -1 : 1;
	return (x->ifindex > y->ifindex) - (x->ifindex < y->ifindex);
}

static int cmp_netns(const void *a, const void *b)
{
	const struct nr_netns *x = a, *y = b;

	return (x->inode > y->inode) - (x->inode < y->inode);
}

/* stable sort, then of each run of equal keys keep the last; returns the new count */
static __u32 sort_keep_last(void *base, __u32 n, size_t size, int (*cmp)(const void *,
									    const void *))
{
	__u8 *p = base;
	__u32 i, k = 0;

	nr_msort(base, n, size, cmp);
	for (i = 0; i < n; i++) {
		if (i + 1 < n && !cmp(p + i * size, p + (i + 1) * size))
			continue;
		if (k != i)
			memcpy(p + k * size, p + i * size, size);
		k++;
	}
	return k;
}

int nr_meta_finish(struct nr_meta_store *ms, struct nr_meta *m)
{
	__u32 i, k;

	m->nr_probes = sort_keep_last(ms->probes, ms->nr_probes, sizeof(*ms->probes), cmp_probe);
	m->probes = ms->probes;
	m->nr_syms = sort_keep_last(ms->syms, ms->nr_syms, sizeof(*ms->syms), cmp_sym);
	m->syms = ms->syms;
	m->nr_stacks = sort_keep_last(ms->stacks, ms->nr_stacks, sizeof(*ms->stacks), cmp_stack);
	m->stacks = ms->stacks;
	m->nr_ifaces = sort_keep_last(ms->ifaces, ms->nr_ifaces, sizeof(*ms->ifaces), cmp_iface);
	m->ifaces = ms->ifaces;
	m->nr_netns = sort_keep_last(ms->netns, ms->nr_netns, sizeof(*ms->netns), cmp_netns);
	m->netns = ms->netns;
	/* enums: a later table of the same name replaces an earlier one; file order kept */
	for (i = 0, k = 0; i < ms->nr_enums; i++) {
		__u32 j;

		for (j = i + 1; j < ms->nr_enums; j++)
			if (!strcmp(ms->enums[i].name, ms->enums[j].name))
				break;
		if (j == ms->nr_enums)
			ms->enums[k++] = ms->enums[i];
	}
	m->nr_enums = k;
	m->enums = ms->enums;
	return 0;
}

void nr_meta_store_free(struct nr_meta_store *ms)
{
	free(ms->probes);
	free(ms->enums);
	free(ms->syms);
	free(ms->stacks);
	free(ms->ifaces);
	free(ms->netns);
	nr_arena_free(&ms->arena);
	memset(ms, 0, sizeof(*ms));
}

/* ---- lookups ---- */

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
	if (s->size && addr - s->addr >= s->size)
		return NULL;
	if (ret_off)
		*ret_off = addr - s->addr;
	return s;
}

const struct nr_enum *nr_meta__enum(const struct nr_meta *m, const char *name)
{
	return nr_enums__find(m->enums, m->nr_enums, name);
}

const char *nr_meta__enum_name(const struct nr_meta *m, const char *enum_name, __s64 value)
{
	return nr_enum__name(nr_meta__enum(m, enum_name), value);
}

/* index of the entry whose key is @key in a sorted array, or -1 */
#define FIND(arr, n, keyof, key)						\
	do {									\
		__u32 lo_ = 0, hi_ = (n);					\
		while (lo_ < hi_) {						\
			__u32 mid_ = lo_ + (hi_ - lo_) / 2;			\
			__u64 k_ = keyof(&(arr)[mid_]);				\
			if (k_ == (key))					\
				return &(arr)[mid_];				\
			if (k_ < (key))						\
				lo_ = mid_ + 1;					\
			else							\
				hi_ = mid_;					\
		}								\
		return NULL;							\
	} while (0)

#define STACK_KEY(x) ((x)->id)
#define PROBE_KEY(x) ((x)->id)
#define NETNS_KEY(x) ((x)->inode)
#define IFACE_KEY(x) (((__u64)(x)->netns << 32) | (x)->ifindex)

const struct nr_stack *nr_meta__stack(const struct nr_meta *m, __u32 id)
{
	if (!id)
		return NULL;
	FIND(m->stacks, m->nr_stacks, STACK_KEY, (__u64)id);
}

const struct nr_iface *nr_meta__iface(const struct nr_meta *m, __u32 netns, __u32 ifindex)
{
	__u64 key = ((__u64)netns << 32) | ifindex;

	FIND(m->ifaces, m->nr_ifaces, IFACE_KEY, key);
}

const struct nr_probe_outcome *nr_meta__probe(const struct nr_meta *m, __u16 id)
{
	FIND(m->probes, m->nr_probes, PROBE_KEY, (__u64)id);
}

const struct nr_netns *nr_meta__netns(const struct nr_meta *m, __u32 inode)
{
	FIND(m->netns, m->nr_netns, NETNS_KEY, (__u64)inode);
}
