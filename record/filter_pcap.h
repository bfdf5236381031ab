/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * filter_pcap.h - the filter's only contact with libpcap (record/filter_pcap.c)
 *
 * libpcap's <pcap/bpf.h> and the kernel's <linux/bpf.h> both define struct bpf_insn
 * (classic and extended BPF), so libpcap stays behind these few functions and classic
 * BPF travels as struct nr_cbpf_insn, which has the layout of both libpcap's
 * struct bpf_insn and the kernel's struct sock_filter.
 */
#ifndef NR_RECORD_FILTER_PCAP_H
#define NR_RECORD_FILTER_PCAP_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>

struct nr_cbpf_insn {
	__u16 code;
	__u8 jt;
	__u8 jf;
	__u32 k;
};

/* snapshot length given to libpcap: what `ret #K` returns for an accepted packet */
#define NR_PCAP_SNAPLEN	262144

/**
 * nr_pcap_compile() - compile @expr for packets that start at their network header
 * @optimize: libpcap's optimizer on (what the recorder uses) or off (tests)
 * @ret/@ret_len: the program (malloc'ed), only set on success
 * @errbuf: on failure, one line; a link-layer expression is told apart from a syntax
 *          error
 *
 * Return: 0, -EINVAL, -ENOMEM.
 */
int nr_pcap_compile(const char *expr, bool optimize, struct nr_cbpf_insn **ret,
		    unsigned int *ret_len, char *errbuf, size_t errlen);

/** nr_pcap_run() - libpcap's verdict (pcap_offline_filter) on @caplen bytes at @pkt */
__u32 nr_pcap_run(const struct nr_cbpf_insn *prog, unsigned int len, const void *pkt,
		  __u32 caplen, __u32 wirelen);

/** nr_pcap_valid() - whether libpcap's own validator (bpf_validate) accepts @prog */
bool nr_pcap_valid(const struct nr_cbpf_insn *prog, unsigned int len);

#endif /* NR_RECORD_FILTER_PCAP_H */
