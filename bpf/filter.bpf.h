/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * filter.bpf.h - the in-kernel packet filter hook behind `netrec record --filter EXPR`
 *
 * nr_pcap_filter() is a BPF subprogram whose body the recorder replaces before load with
 * the eBPF translation of the user's pcap-filter expression (record/filter.c). As
 * compiled here it keeps every packet. Probes call it, when cfg_filter is set, on a
 * per-CPU scratch copy of the packet's first bytes, before they reserve a record.
 *
 * @pkt: NR_FILTER_BUF bytes of memory (a map value) holding the packet from its network
 *       header on (IPv4 or IPv6, as libpcap's DLT_RAW sees it)
 * @len: valid bytes at @pkt, at most NR_FILTER_BUF
 * Return: non-zero to keep the packet, 0 to drop the event.
 */
#ifndef NR_FILTER_BPF_H
#define NR_FILTER_BPF_H

#define NR_FILTER_BUF	256

static __noinline int nr_pcap_filter(const void *pkt, __u32 len)
{
	/* Keep every packet. The asm barrier uses both arguments and hides the result from
	 * clang, so neither the call nor its arguments are optimised away before the
	 * recorder replaces this body. */
	int keep = 1;

	asm volatile("" : "+r"(keep) : "r"(pkt), "r"(len));
	return keep;
}

#endif /* NR_FILTER_BPF_H */
