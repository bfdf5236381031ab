// SPDX-License-Identifier: GPL-2.0-only
/*
 * kallsyms.c - kernel symbol table from /proc/kallsyms (see kallsyms.h)
 *
 * The whole file is read into one buffer and parsed in place: names and module names
 * are NUL-terminated where they lie, so a table of ~120k symbols costs one read, one
 * array and one sort.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kallsyms.h"
#include "log.h"
#include "readfile.h"

#define KALLSYMS_MAX	(256u << 20)	/* refuse anything larger: not a kallsyms file */
#define MODULES_MAX	(16u << 20)
/*
 * No kernel function is this large; a larger gap to the next code symbol means the
 * symbol is an end marker (_etext) or the last before a hole, so its size is unknown.
 */
#define TEXT_SIZE_MAX	(1u << 20)

struct sym {
	struct nr_ksym k;
	__u32 seq;		/* line number: the last tie-break, for a stable order */
	__u16 mod;		/* index into mods, 0 for vmlinux */
	__u8 rank;		/* preference among aliases, lower is better */
	__u8 text;		/* code (t/T/w/W), as opposed to data */
};

struct mod {
	const char *name;	/* NULL for vmlinux */
	__u64 base;		/* extent from /proc/modules, 0 if unknown */
	__u64 size;
};

struct nr_ksyms {
	char *buf;		/* the kallsyms text; names point into it */
	struct nr_ksym *syms;	/* all symbols, sorted by (addr, preference) */
	__u32 nsyms;
	__u64 *addrs;		/* distinct addresses, ascending */
	__u32 *best;		/* addrs[i] -> index into syms of the preferred name */
	__u32 naddrs;
	bool restricted;
};

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c |= 0x20;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

static bool is_text_type(char t)
{
	return t == 't' || t == 'T' || t == 'w' || t == 'W';
}

static __u8 sym_rank(const char *name, char type)
{
	__u8 r = 0, u = 0;

	if (!is_text_type(type))
		r += 8;
	if (type >= 'a' && type <= 'z')
		r += 4;
	while (name[u] == '_' && u < 3)
		u++;
	return r + u;
}

/* Intern a module name: consecutive lines share it, so the last hit is tried first. */
static int mod_intern(struct mod **mods, __u32 *nmods, __u32 *last, const char *name,
		      __u16 *ret)
{
	struct mod *m;
	__u32 i;

	if (*last && !strcmp((*mods)[*last].name, name)) {
		*ret = (__u16)*last;
		return 0;
	}
	for (i = 1; i < *nmods; i++) {
		if (!strcmp((*mods)[i].name, name)) {
			*last = i;
			*ret = (__u16)i;
			return 0;
		}
	}
	if (*nmods > UINT16_MAX)
		return -EOVERFLOW;
	m = realloc(*mods, (*nmods + 1) * sizeof(*m));
	if (!m)
		return -ENOMEM;
	*mods = m;
	m[*nmods] = (struct mod){ .name = name };
	*last = *nmods;
	*ret = (__u16)(*nmods)++;
	return 0;
}

/*
 * Parse one line at *pos: "ADDR TYPE NAME" optionally followed by "\t[MODULE]".
 * Terminates NAME and MODULE in place. Return: 1 parsed, 0 empty line, -EBADMSG.
 */
static int parse_line(char **pos, char *end, __u64 *addr, char *type, char **name,
		      char **module)
{
	char *p = *pos, *eol, *q;
	int digits = 0, v;

	eol = memchr(p, '\n', (size_t)(end - p));
	if (!eol)
		eol = end;
	*pos = eol < end ? eol + 1 : end;
	if (eol == p)
		return 0;
	*eol = '\0';

	*addr = 0;
	while (p < eol && (v = hexval(*p)) >= 0) {
		*addr = (*addr << 4) | (__u64)v;
		p++;
		digits++;
	}
	if (digits == 0 || digits > 16 || eol - p < 4 || p[0] != ' ' || p[2] != ' ')
		return -EBADMSG;
	*type = p[1];
	*name = p + 3;
	q = strchr(*name, '\t');
	*module = NULL;
	if (q) {
		*q = '\0';
		q++;
		if (*q == '[') {
			char *close = strchr(q, ']');

			if (!close || close == q + 1)
				return -EBADMSG;
			*close = '\0';
			*module = q + 1;
		}
	}
	if (!**name)
		return -EBADMSG;
	return 1;
}

/* Module extents from /proc/modules: "NAME SIZE REFS DEPS STATE 0xADDR ..." */
static void parse_modules(const char *text, struct mod *mods, __u32 nmods)
{
	const char *line = text;

	while (line && *line) {
		char name[64], addr[32];
		unsigned long long size, base;
		__u32 i;

		if (sscanf(line, "%63s %llu %*s %*s %*s %31s", name, &size, addr) == 3 &&
		    sscanf(addr, "0x%llx", &base) == 1 && base) {
			for (i = 1; i < nmods; i++) {
				if (!strcmp(mods[i].name, name)) {
					mods[i].base = base;
					mods[i].size = size;
					break;
				}
			}
		}
		line = strchr(line, '\n');
		if (line)
			line++;
	}
}

static int cmp_sym(const void *a, const void *b)
{
	const struct sym *x = a, *y = b;

	if (x->k.addr != y->k.addr)
		return x->k.addr < y->k.addr ? -1 : 1;
	if (x->rank != y->rank)
		return x->rank < y->rank ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/*
 * Give each symbol its size: the distance to the next higher address among symbols of
 * the same object and class; the last of a module ends at the module's end.
 */
static int compute_sizes(struct sym *s, __u32 n, const struct mod *mods, __u32 nmods)
{
	__u32 ngroups = nmods * 2, g, i, k;
	__u32 *pending;		/* per group: 1 + first index of its highest address yet */

	pending = calloc(ngroups, sizeof(*pending));
	if (!pending)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		g = s[i].mod * 2u + s[i].text;
		if (pending[g] && s[pending[g] - 1].k.addr < s[i].k.addr) {
			__u64 start = s[pending[g] - 1].k.addr;

			__u64 size = s[i].k.addr - start;

			if (s[i].text && size > TEXT_SIZE_MAX)
				size = 0;
			for (k = pending[g] - 1; k < i && s[k].k.addr == start; k++)
				if (s[k].mod * 2u + s[k].text == g)
					s[k].k.size = size;
		}
		if (!pending[g] || s[pending[g] - 1].k.addr < s[i].k.addr)
			pending[g] = i + 1;
	}
	for (g = 0; g < ngroups; g++) {
		const struct mod *m = &mods[g / 2];
		__u64 start;

		if (!pending[g] || !m->base)
			continue;
		start = s[pending[g] - 1].k.addr;
		if (start < m->base || start >= m->base + m->size)
			continue;
		for (k = pending[g] - 1; k < n && s[k].k.addr == start; k++)
			if (s[k].mod * 2u + s[k].text == g)
				s[k].k.size = m->base + m->size - start;
	}
	free(pending);
	return 0;
}

/* Takes ownership of @buf (NUL-terminated, @len bytes of text). */
static int build(char *buf, size_t len, const char *modules, struct nr_ksyms **ret)
{
	char *pos = buf, *end = buf + len, *name, *module;
	struct mod *mods = NULL;
	__u32 nmods = 0, last = 0, n = 0, cap = 0, i, j;
	struct nr_ksyms *ks = NULL;
	struct sym *s = NULL;
	bool all_zero = true;
	char type;
	__u64 addr;
	int err;

	/* index 0 is vmlinux */
	err = mod_intern(&mods, &nmods, &last, "", &(__u16){ 0 });
	if (err)
		goto out;
	mods[0].name = NULL;
	last = 0;

	while (pos < end) {
		__u16 mod = 0;

		err = parse_line(&pos, end, &addr, &type, &name, &module);
		if (err == 0)
			continue;
		if (err < 0) {
			pr_debug("kallsyms: malformed line near offset %zu\n",
				 (size_t)(pos - buf));
			goto out;
		}
		if (module) {
			err = mod_intern(&mods, &nmods, &last, module, &mod);
			if (err)
				goto out;
		}
		if (addr)
			all_zero = false;
		if (n == cap) {
			struct sym *t;

			cap = cap ? cap * 2 : 4096;
			t = realloc(s, cap * sizeof(*s));
			if (!t) {
				err = -ENOMEM;
				goto out;
			}
			s = t;
		}
		s[n] = (struct sym){
			.k = { .addr = addr, .name = name, .module = mods[mod].name, .type = type },
			.seq = n,
			.mod = mod,
			.rank = sym_rank(name, type),
			.text = is_text_type(type),
		};
		if (++n == UINT32_MAX) {
			err = -EOVERFLOW;
			goto out;
		}
	}

	ks = calloc(1, sizeof(*ks));
	if (!ks) {
		err = -ENOMEM;
		goto out;
	}
	ks->buf = buf;
	buf = NULL;
	if (n && all_zero) {
		pr_debug("kallsyms: all %u addresses are 0 (kptr_restrict)\n", n);
		ks->restricted = true;
		err = 0;
		goto out;
	}
	if (modules)
		parse_modules(modules, mods, nmods);
	if (n)
		qsort(s, n, sizeof(*s), cmp_sym);
	err = compute_sizes(s, n, mods, nmods);
	if (err)
		goto out;

	ks->syms = malloc((n ? n : 1) * sizeof(*ks->syms));
	ks->addrs = malloc((n ? n : 1) * sizeof(*ks->addrs));
	ks->best = malloc((n ? n : 1) * sizeof(*ks->best));
	if (!ks->syms || !ks->addrs || !ks->best) {
		err = -ENOMEM;
		goto out;
	}
	for (i = 0, j = 0; i < n; i++) {
		ks->syms[i] = s[i].k;
		if (i == 0 || s[i].k.addr != s[i - 1].k.addr) {
			ks->addrs[j] = s[i].k.addr;
			ks->best[j] = i;
			j++;
		}
	}
	ks->nsyms = n;
	ks->naddrs = j;
	err = 0;
out:
	free(s);
	free(mods);
	free(buf);
	if (err) {
		nr_ksyms__free(ks);
		return err;
	}
	*ret = ks;
	return 0;
}

int nr_ksyms__parse(const char *text, size_t len, const char *modules, struct nr_ksyms **ret)
{
	char *buf = malloc(len + 1);

	if (!buf)
		return -ENOMEM;
	memcpy(buf, text, len);
	buf[len] = '\0';
	return build(buf, len, modules, ret);
}

int nr_ksyms__load(const struct nr_ksyms_opts *opts, struct nr_ksyms **ret)
{
	const char *kpath = NR_KALLSYMS_PATH, *mpath = NR_MODULES_PATH;
	void *text, *mtext = NULL;
	size_t len, mlen;
	int err;

	if (opts && opts->sz >= offsetof(struct nr_ksyms_opts, modules_path) + sizeof(char *)) {
		if (opts->kallsyms_path)
			kpath = opts->kallsyms_path;
		if (opts->modules_path)
			mpath = opts->modules_path;
	}
	err = nr_read_file(kpath, KALLSYMS_MAX, &text, &len);
	if (err)
		return err;
	if (nr_read_file(mpath, MODULES_MAX, &mtext, &mlen))
		mtext = NULL;
	err = build(text, len, mtext, ret);
	free(mtext);
	return err;
}

const struct nr_ksym *nr_ksyms__find(const struct nr_ksyms *ks, __u64 addr, __u64 *ret_off)
{
	const struct nr_ksym *k;
	__u32 lo = 0, hi = ks->naddrs;
	__u64 off;

	/* the last distinct address <= addr */
	while (lo < hi) {
		__u32 mid = lo + (hi - lo) / 2;

		if (ks->addrs[mid] <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0)
		return NULL;
	k = &ks->syms[ks->best[lo - 1]];
	off = addr - k->addr;
	if (k->size ? off >= k->size : off >= NR_KSYM_UNSIZED_SPAN)
		return NULL;
	if (ret_off)
		*ret_off = off;
	return k;
}

const struct nr_ksym *nr_ksyms__find_name(const struct nr_ksyms *ks, const char *name,
					  const char *module)
{
	__u32 i;

	for (i = 0; i < ks->nsyms; i++) {
		const struct nr_ksym *k = &ks->syms[i];

		if (strcmp(k->name, name))
			continue;
		if (!module || (!*module && !k->module) ||
		    (*module && k->module && !strcmp(k->module, module)))
			return k;
	}
	return NULL;
}

int nr_ksyms__resolve(void *ctx, __u64 addr, struct nr_sym *ret)
{
	const struct nr_ksym *k = nr_ksyms__find(ctx, addr, NULL);

	if (!k)
		return -ENOENT;
	ret->addr = k->addr;
	ret->size = k->size;
	ret->name = (char *)k->name;
	ret->module = (char *)k->module;
	return 0;
}

bool nr_ksyms__restricted(const struct nr_ksyms *ks)
{
	return ks->restricted;
}

__u32 nr_ksyms__count(const struct nr_ksyms *ks)
{
	return ks->nsyms;
}

const struct nr_ksym *nr_ksyms__sym(const struct nr_ksyms *ks, __u32 i)
{
	return i < ks->nsyms ? &ks->syms[i] : NULL;
}

void nr_ksyms__free(struct nr_ksyms *ks)
{
	if (!ks)
		return;
	free(ks->syms);
	free(ks->addrs);
	free(ks->best);
	free(ks->buf);
	free(ks);
}
