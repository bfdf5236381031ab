/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * filter.h - pcap-filter expressions for the recorder: compiled with libpcap, translated
 * from classic BPF to eBPF and put into the probes (bpf/filter.bpf.h), or applied in user
 * space when the translation cannot run in the kernel.
 *
 * What the filter sees: the packet from its network header on (IPv4 or IPv6; libpcap's
 * DLT_RAW), at most NR_FILTER_BUF (256) bytes of it, plus its length from the network
 * header (`len`, `less`, `greater`). Link-layer expressions (`ether host`, `vlan`,
 * `broadcast`, ...) and socket metadata (`inbound`, `outbound`) are refused at compile
 * time: many probe points run before the MAC header exists or after it was pulled, so
 * such a filter would match differently from one probe point to the next.
 *
 * The loader's sequence (record/loader.c):
 *
 *	nr_filter__compile(expr, &f, err, sizeof(err));          // before opening
 *	obj = open();
 *	n = nr_filter__prepare_object(f, obj);                    // after open, before load
 *	rodata->cfg_filter = nr_filter__in_kernel(f);
 *	err = load(obj);
 *	if (err && nr_filter__in_kernel(f)) {                     // the explicit fallback
 *		nr_filter__fall_back(f, "the kernel refused the probes with the filter");
 *		close(obj); obj = open(); nr_filter__prepare_object(f, obj);
 *		rodata->cfg_filter = false; err = load(obj);
 *	}
 *	if (!nr_filter__in_kernel(f))
 *		pr_warn("filter '%s' runs in user space: %s\n", expr, nr_filter__fallback_reason(f));
 *	// then, when !nr_filter__in_kernel(f), for each event:
 *	keep = nr_filter__match(f, network_header, caplen, wirelen);       // packets
 *	keep = nr_filter__match_tuple(f, family, proto, saddr, daddr, ...); // sockets, routes
 */
#ifndef NR_RECORD_FILTER_H
#define NR_RECORD_FILTER_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>

struct bpf_object;
struct nr_filter;

/**
 * nr_filter__compile() - compile @expr (pcap-filter syntax) for packets that start at
 * their network header, and translate it to eBPF when possible
 * @errbuf: on failure, one line naming the problem (libpcap's message for a syntax error)
 *
 * An expression that compiles but whose translation cannot run in the kernel is not an
 * error: nr_filter__in_kernel() is then false and nr_filter__fallback_reason() says why.
 *
 * Return: 0, -EINVAL (bad expression, link-layer or metadata expression), -ENOMEM.
 */
int nr_filter__compile(const char *expr, struct nr_filter **ret, char *errbuf, size_t errlen);

/** nr_filter__expr() - the expression as given to nr_filter__compile() */
const char *nr_filter__expr(const struct nr_filter *f);

/**
 * nr_filter__in_kernel() - whether the expression runs inside the probes
 *
 * True after compile when the translation exists; nr_filter__prepare_object() and
 * nr_filter__fall_back() can turn it false. Set the probes' cfg_filter from it after
 * nr_filter__prepare_object().
 */
bool nr_filter__in_kernel(const struct nr_filter *f);

/** nr_filter__fallback_reason() - why the filter runs in user space, NULL if it does not */
const char *nr_filter__fallback_reason(const struct nr_filter *f);

/**
 * nr_filter__warning() - a caveat about the expression worth telling the user, or NULL
 *
 * E.g. it reads bytes past the first NR_FILTER_BUF of the packet, which the probes never
 * see, so such a read rejects the packet (in the kernel and in the fallback alike).
 */
const char *nr_filter__warning(const struct nr_filter *f);

/**
 * nr_filter__insn_cnt() - size of the classic BPF program and of its eBPF translation
 * (0 when there is none), for the recorder's info line
 */
void nr_filter__insn_cnt(const struct nr_filter *f, unsigned int *cbpf, unsigned int *ebpf);

/**
 * nr_filter__prepare_object() - give every filter hook of @obj its code
 * @f:   the filter, or NULL for "no filter" (hooks keep every packet)
 * @obj: opened, not loaded
 *
 * Each nr_pcap_filter() call site in @obj's programs gets a copy of the translation when
 * the filter runs in the kernel, otherwise code that keeps every packet, so @obj always
 * loads. Before touching @obj, the translation is test-loaded once in a small program of
 * its own (root); if the verifier refuses it there, or no program of @obj has a call
 * site, the filter falls back to user space (nr_filter__in_kernel() turns false, with
 * the reason). Call it again after nr_filter__fall_back() on a freshly opened object.
 *
 * Return: the number of call sites patched (0 if none), -ENOMEM, -E2BIG (a program would
 * outgrow the 16-bit jump range), -EBUSY (@obj already loaded).
 */
int nr_filter__prepare_object(struct nr_filter *f, struct bpf_object *obj);

/**
 * nr_filter__fall_back() - from now on filter in user space
 * @reason: shown by nr_filter__fallback_reason() (copied)
 *
 * For the loader when loading an object prepared with the in-kernel filter failed:
 * prepare a freshly opened object again, which then gets keep-everything hooks.
 */
void nr_filter__fall_back(struct nr_filter *f, const char *reason);

/**
 * nr_filter__match() - the user-space verdict on a packet (pcap_offline_filter)
 * @pkt:     the packet from its network header on
 * @caplen:  bytes at @pkt; only the first NR_FILTER_BUF count, as in the kernel
 * @wirelen: the packet's full length from its network header
 *
 * Gives the same verdict as the in-kernel translation on the same bytes.
 */
bool nr_filter__match(const struct nr_filter *f, const void *pkt, __u32 caplen, __u32 wirelen);

/**
 * nr_filter__match_tuple() - the user-space verdict on an event without a packet (a
 * socket, a route lookup, a neighbour), on the same headers the probes build from its
 * tuple (nr_filter_tuple() in bpf/filter.bpf.h)
 * @family:       AF_INET or AF_INET6
 * @saddr/@daddr: 16 bytes each, network order, IPv4 in the first 4 (the records'
 *                encoding); the local end first for a socket
 * @sport/@dport: host order
 */
bool nr_filter__match_tuple(const struct nr_filter *f, __u16 family, __u8 proto,
			    const __u8 *saddr, const __u8 *daddr, __u16 sport, __u16 dport);

/** nr_filter__free() - NULL-safe */
void nr_filter__free(struct nr_filter *f);

#endif /* NR_RECORD_FILTER_H */
