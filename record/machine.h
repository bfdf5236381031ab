/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * machine.h - everything the recorder learns about the machine it records on, and
 * writes into the trace file so that the file analyses anywhere
 *
 * One object gathers the pieces (meta.h, kallsyms.h, btf_enums.h, netns.h) and writes
 * them through the trace writer (nr_file.h). The recorder's sequence:
 *
 *     nr_machine__open(&opts, &m, errbuf)      host, clock, BTF enum tables, namespaces
 *     ... load and attach the BPF programs ...
 *     nr_machine__load_symbols(m)             /proc/kallsyms, with our programs in it
 *     nr_writer__open(path, { .resolve = nr_machine__resolve, .resolve_ctx = m }, &w)
 *     nr_machine__write_start(m, w, argc, argv, filter)
 *     for each event: nr_machine__iface_seen(m, w, ev->netns, ev->ifindex)  (cheap when known)
 *     nr_machine__write_end(m, w)              the end clock reference
 *     nr_writer__close(w); nr_machine__free(m)
 *
 * In the file, a namespace written with no interfaces is one netrec could not look
 * into (gone before it was seen, or not enterable): every live namespace has lo.
 * Interfaces created while recording are added when events first show their ifindex.
 *
 * Not thread-safe: call everything but nr_machine__resolve() from one thread (the one
 * draining events), and call nr_machine__load_symbols() before the writer can call
 * nr_machine__resolve() from its own thread.
 */
#ifndef NR_RECORD_MACHINE_H
#define NR_RECORD_MACHINE_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>

#include "nr_file.h"

struct btf;
struct nr_machine;
struct nr_netns_db;

#define NR_MACHINE_ERRBUF	256

/**
 * struct nr_machine_opts - where the facts come from
 * @sz:        sizeof(struct nr_machine_opts)
 * @vmlinux:   the vmlinux BTF the loader already has, or NULL to load it
 * @btf_dir:   see struct nr_btf_enums_opts (tests); NULL for the running kernel
 * @kallsyms:  see struct nr_ksyms_opts (tests); NULL for /proc/kallsyms
 * @one_netns: look at the recorder's own namespace only, not /run/netns and /proc
 */
struct nr_machine_opts {
	size_t sz;
	const struct btf *vmlinux;
	const char *btf_dir;
	const char *kallsyms;
	bool one_netns;
	size_t :0;
};
#define nr_machine_opts__last_field one_netns

/**
 * nr_machine__open() - gather host facts, the start clock reference, the BTF enum
 * tables and the network namespaces
 * @errbuf: NR_MACHINE_ERRBUF bytes for the one line to print on failure
 * Return: 0; -ENOENT without kernel BTF (@errbuf says so: "kernel lacks BTF ..."); or a
 * negative errno.
 */
int nr_machine__open(const struct nr_machine_opts *opts, struct nr_machine **ret, char *errbuf);

/**
 * nr_machine__load_symbols() - read /proc/kallsyms (after attaching, so that BPF
 * programs and trampolines are in it)
 *
 * Warns once when the kernel hides addresses (kptr_restrict, or no CAP_SYSLOG): the file
 * then keeps raw addresses. nr_machine__resolve() calls this itself if needed.
 * Return: 0 (also when addresses are hidden or kallsyms is unreadable: symbols are
 * then simply missing, with a warning), or -ENOMEM.
 */
int nr_machine__load_symbols(struct nr_machine *m);

/**
 * nr_machine__resolve() - the writer's nr_resolve_fn; @ctx is the struct nr_machine
 * Return: 0 with *@ret filled, or -ENOENT.
 */
int nr_machine__resolve(void *ctx, __u64 addr, struct nr_sym *ret);

/**
 * nr_machine__write_start() - write host, clock (start), command line and filter, enum
 * tables, and every namespace known now with its interfaces
 * Return: 0, or the writer's first error.
 */
int nr_machine__write_start(struct nr_machine *m, struct nr_writer *w, __u32 argc,
			    char *const *argv, const char *filter);

/**
 * nr_machine__netns_seen() - make sure the file describes namespace @inode
 *
 * For an inode not written yet: find it (scanning /run/netns and /proc again), list its
 * interfaces and write them, or write it as unknown. Each inode is handled once; for
 * known ones (every event after the first of a namespace) this is a hash lookup.
 * Return: 1 when something was written, 0 when the inode was already there, or the
 * writer's error.
 */
int nr_machine__netns_seen(struct nr_machine *m, struct nr_writer *w, __u32 inode);

/**
 * nr_machine__iface_seen() - make sure the file describes interface @ifindex of @netns
 *
 * As nr_machine__netns_seen() for the namespace; then, for an ifindex the file does not
 * have (a device created while recording), lists the namespace again and writes the
 * interfaces that are new, at most every 100 ms per namespace (a device already gone
 * would otherwise cost a listing per event). @ifindex 0 means "no device".
 * Return: 1 when something was written, 0 when nothing was needed (or the device could
 * not be found), or the writer's error.
 */
int nr_machine__iface_seen(struct nr_machine *m, struct nr_writer *w, __u32 netns, __u32 ifindex);

/**
 * nr_machine__write_end() - write the end clock reference
 * Return: 0, or the writer's error.
 */
int nr_machine__write_end(struct nr_machine *m, struct nr_writer *w);

/** nr_machine__clock_start() - the start reference (for the pcap capture's comment) */
const struct nr_clock *nr_machine__clock_start(const struct nr_machine *m);

/** nr_machine__host() - the host facts gathered at open */
const struct nr_host *nr_machine__host(const struct nr_machine *m);

/** nr_machine__netns_db() - the namespace database (for --netns and the capture) */
struct nr_netns_db *nr_machine__netns_db(struct nr_machine *m);

/** nr_machine__enums() - the enum tables; returns their number */
__u32 nr_machine__enums(const struct nr_machine *m, const struct nr_enum **ret);

/** nr_machine__free() - free everything; NULL-safe */
void nr_machine__free(struct nr_machine *m);

#endif /* NR_RECORD_MACHINE_H */
