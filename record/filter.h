/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * filter.h - pcap-filter expressions for the recorder: compiled with libpcap, translated
 * from classic BPF to eBPF and put into the probes (bpf/filter.bpf.h), or applied in user
 * space when the translation cannot run in the kernel.
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
 * Return: 0, -EINVAL (bad expression), -ENOMEM.
 */
int nr_filter__compile(const char *expr, struct nr_filter **ret, char *errbuf, size_t errlen);

/** nr_filter__in_kernel() - whether the expression runs inside the probes */
bool nr_filter__in_kernel(const struct nr_filter *f);

/**
 * nr_filter__prepare_object() - arrange for every program of @obj that calls
 * nr_pcap_filter() to get the translated filter when @obj is loaded
 *
 * Call after bpf_object__open() and before bpf_object__load(). If the translation cannot
 * be used, returns an error and the caller falls back to nr_filter__match() in user
 * space (with a warning).
 */
int nr_filter__prepare_object(struct nr_filter *f, struct bpf_object *obj);

/**
 * nr_filter__match() - the user-space verdict on a packet (pcap_offline_filter)
 * @pkt/@len: the packet from its network header on
 */
bool nr_filter__match(const struct nr_filter *f, const void *pkt, __u32 len);

/** nr_filter__free() - NULL-safe */
void nr_filter__free(struct nr_filter *f);

#endif /* NR_RECORD_FILTER_H */
