/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * kallsyms.h - the running kernel's symbols, for resolving every kernel address a trace
 * file holds (stack frames, drop locations, probe sites) at record time
 *
 * /proc/kallsyms is read once into a table sorted by address; lookups are a binary
 * search over a dense array of distinct addresses. The file's order is not trusted
 * (dropwatch issue #72 came from assuming it is sorted): modules, BPF programs and
 * ftrace trampolines come after vmlinux and in no particular order.
 *
 * Sizes: kallsyms has none. A symbol ends where the next symbol of the same object
 * (vmlinux, or one module) and the same class (code or data) begins; the last one of a
 * module ends at the module's end as /proc/modules gives it. When no bound is known the
 * size is 0 ("unknown") and lookups accept offsets below NR_KSYM_UNSIZED_SPAN only, so
 * a stray address never resolves to a far-away symbol with a huge offset.
 *
 * Several names at one address (aliases such as _text/_stext): the table keeps all, a
 * lookup returns the preferred one: code before data, global before local, fewer leading
 * underscores, then the first in the file. Names are kept exactly as the kernel spells
 * them, ".constprop.0", ".isra.0", ".cold" suffixes included.
 *
 * kptr_restrict (or reading without CAP_SYSLOG) shows every address as 0: the table is
 * then empty, nr_ksyms__restricted() says so and every lookup fails, so the file keeps
 * raw addresses rather than wrong names.
 */
#ifndef NR_RECORD_KALLSYMS_H
#define NR_RECORD_KALLSYMS_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>

#include "nr_file.h"

#define NR_KALLSYMS_PATH	"/proc/kallsyms"
#define NR_MODULES_PATH		"/proc/modules"
#define NR_KSYM_UNSIZED_SPAN	0x1000	/* largest offset into a symbol of unknown size */

/**
 * struct nr_ksym - one kernel symbol
 * @addr:   start address
 * @size:   bytes, 0 if unknown
 * @name:   as the kernel spells it
 * @module: module name without brackets ("nf_tables", "bpf", "__builtin__ftrace"), or
 *          NULL for vmlinux
 * @type:   kallsyms type letter ('T', 't', 'W', 'D', ...)
 */
struct nr_ksym {
	__u64 addr;
	__u64 size;
	const char *name;
	const char *module;
	char type;
};

struct nr_ksyms;

/**
 * struct nr_ksyms_opts - where nr_ksyms__load() reads from (tests point them at fixtures)
 * @sz:           sizeof(struct nr_ksyms_opts)
 * @kallsyms_path: NULL for /proc/kallsyms
 * @modules_path:  NULL for /proc/modules; a missing file only loses module extents
 */
struct nr_ksyms_opts {
	size_t sz;
	const char *kallsyms_path;
	const char *modules_path;
	size_t :0;
};
#define nr_ksyms_opts__last_field modules_path

/**
 * nr_ksyms__load() - read the kernel's symbol table
 * @opts: may be NULL
 *
 * Load after the recorder's own BPF programs are attached, so that their symbols (and
 * their trampolines') are in the table.
 * Return: 0 and *@ret set (also when addresses are hidden: see nr_ksyms__restricted());
 * -EBADMSG for a line that is not "ADDR TYPE NAME [\t[MODULE]]"; or a negative errno.
 */
int nr_ksyms__load(const struct nr_ksyms_opts *opts, struct nr_ksyms **ret);

/**
 * nr_ksyms__parse() - build the table from kallsyms text already in memory
 * @text:    contents in /proc/kallsyms format, @len bytes (copied)
 * @modules: contents in /proc/modules format, NUL-terminated, or NULL
 * Return: as nr_ksyms__load().
 */
int nr_ksyms__parse(const char *text, size_t len, const char *modules, struct nr_ksyms **ret);

/**
 * nr_ksyms__find() - the symbol covering @addr
 * @ret_off: if not NULL, receives @addr - symbol address
 * Return: the symbol (valid until nr_ksyms__free()), or NULL when none covers @addr.
 */
const struct nr_ksym *nr_ksyms__find(const struct nr_ksyms *ks, __u64 addr, __u64 *ret_off);

/**
 * nr_ksyms__find_name() - the first symbol called @name (linear; for tests and probes)
 * @module: NULL for any object, "" for vmlinux only, else that module
 * Return: the symbol, or NULL.
 */
const struct nr_ksym *nr_ksyms__find_name(const struct nr_ksyms *ks, const char *name,
					  const char *module);

/**
 * nr_ksyms__resolve() - an nr_resolve_fn for the trace writer; @ctx is a struct nr_ksyms
 *
 * Fills @ret with the symbol covering @addr (its strings point into the table; the
 * writer copies them).
 * Return: 0, or -ENOENT when no symbol covers @addr (or addresses are restricted).
 */
int nr_ksyms__resolve(void *ctx, __u64 addr, struct nr_sym *ret);

/** nr_ksyms__restricted() - true when the kernel hid all addresses (kptr_restrict) */
bool nr_ksyms__restricted(const struct nr_ksyms *ks);

/** nr_ksyms__count() - number of symbols in the table (aliases included) */
__u32 nr_ksyms__count(const struct nr_ksyms *ks);

/** nr_ksyms__sym() - the @i-th symbol in address order (0 <= @i < count), or NULL */
const struct nr_ksym *nr_ksyms__sym(const struct nr_ksyms *ks, __u32 i);

/** nr_ksyms__free() - free the table; NULL-safe */
void nr_ksyms__free(struct nr_ksyms *ks);

#endif /* NR_RECORD_KALLSYMS_H */
