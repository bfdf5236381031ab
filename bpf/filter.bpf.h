/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * filter.bpf.h - the in-kernel packet filter hook behind `netrec record --filter EXPR`
 *
 * The user's pcap-filter expression is compiled by libpcap to classic BPF and translated
 * to eBPF in user space (record/filter_xlate.c). The recorder puts that code into the
 * probes between bpf_object__open() and bpf_object__load() (nr_filter__prepare_object()).
 *
 * How the code gets in: nr_pcap_filter() below compiles to one marker instruction, a
 * helper call with the made-up id NR_FILTER_HOOK_ID, with its arguments in r1-r3 and its
 * result in r0, exactly like a helper call. Before load, the recorder replaces each
 * marker by a jump to a private copy of the translated filter appended to the program,
 * which jumps back with the verdict in r0. Nothing of libbpf's relocation, BTF func/line
 * info or attach-target resolution changes, and it works the same for tp_btf, raw_tp,
 * tracepoint, kprobe and fentry programs.
 *
 * Rules for callers:
 *   - call nr_pcap_filter() only from code that is inlined into a program (the probes'
 *     __always_inline handlers), never from a __noinline function: libbpf keeps the
 *     bodies of subprograms out of reach until load, so a marker there is never
 *     replaced, and the verifier rejects the program ("invalid func unknown#1314014800");
 *   - guard the call with a `const volatile` rodata flag (cfg_filter) that the loader
 *     sets from nr_filter__in_kernel() after nr_filter__prepare_object(): with the flag
 *     off the verifier removes the marker as dead code, so an object whose hooks were
 *     never prepared still loads;
 *   - @buf must be a map value (a per-CPU array element) whose first byte is the
 *     packet's network header; the filter also keeps its scratch memory there.
 *
 * This header is also included by user space (the translator needs the layout), so
 * the BPF-only part is under __bpf__.
 */
#ifndef NR_FILTER_BPF_H
#define NR_FILTER_BPF_H

#ifndef __bpf__
#include <linux/types.h>
#ifndef __always_inline
#define __always_inline inline __attribute__((always_inline))
#endif
#endif

#define NR_FILTER_BUF		256	/* packet bytes the filter can see */
#define NR_FILTER_MEMWORDS	16	/* classic BPF scratch memory M[0..15] */
#define NR_FILTER_HOOK_ID	0x4e524650	/* "NRFP": the marker's helper id */

/*
 * struct nr_filter_buf - what the filter reads and writes (a map value, 8-byte aligned)
 * @pkt:   the packet from its network header on (IPv4 or IPv6, as libpcap's DLT_RAW
 *         sees it); only the first @caplen bytes passed to nr_pcap_filter() are read
 * @mem:   the classic BPF scratch memory; written and read by the filter only
 * @spill: the translator's own scratch words; written and read by the filter only
 */
struct nr_filter_buf {
	__u8 pkt[NR_FILTER_BUF];
	__u32 mem[NR_FILTER_MEMWORDS];
	__u32 spill[2];
};

#define NR_FILTER_MEM_OFF	NR_FILTER_BUF
#define NR_FILTER_SPILL_OFF	(NR_FILTER_BUF + 4 * NR_FILTER_MEMWORDS)
#define NR_FILTER_BUF_SIZE	(NR_FILTER_SPILL_OFF + 8)

_Static_assert(sizeof(struct nr_filter_buf) == NR_FILTER_BUF_SIZE, "nr_filter_buf layout");

#define NR_FILTER_AF_INET	2
#define NR_FILTER_AF_INET6	10
#define NR_FILTER_TUPLE_LEN	64	/* bytes nr_filter_tuple() writes */

/*
 * nr_filter_tuple() - what the filter sees of an event that has no packet (a socket, a
 * route lookup, a neighbour): an IPv4 or IPv6 header, then a transport header carrying
 * the ports, so that `host`, `net`, `port`, `tcp` keep the
 * same flows as they keep of their packets. The probes and the user-space fallback
 * (nr_filter__match_tuple()) both build it here, byte for byte the same.
 * @b:            NR_FILTER_TUPLE_LEN writable bytes
 * @family:       NR_FILTER_AF_INET or NR_FILTER_AF_INET6
 * @saddr/@daddr: 16 bytes each, network order, IPv4 in the first 4; an IPv6 pair of
 *                IPv4-mapped addresses (::ffff:a.b.c.d) is seen as IPv4
 * @sport/@dport: host order; @saddr/@sport are the local end for a socket
 *
 * Return: the bytes to filter (caplen and wirelen): 40 for IPv4, 60 for IPv6.
 */
static __always_inline int nr_filter_v4mapped(const __u8 *a)
{
	return !(a[0] | a[1] | a[2] | a[3] | a[4] | a[5] | a[6] | a[7] | a[8] | a[9]) &&
	       a[10] == 0xff && a[11] == 0xff;
}

static __always_inline __u32 nr_filter_tuple(__u8 *b, __u16 family, __u8 proto,
					     const __u8 *saddr, const __u8 *daddr, __u16 sport,
					     __u16 dport)
{
	__u8 *l4;
	__u32 l3;

	if (family == NR_FILTER_AF_INET6 && nr_filter_v4mapped(saddr) &&
	    nr_filter_v4mapped(daddr)) {
		family = NR_FILTER_AF_INET;
		saddr += 12;
		daddr += 12;
	}
	__builtin_memset(b, 0, NR_FILTER_TUPLE_LEN);
	if (family == NR_FILTER_AF_INET) {
		b[0] = 0x45;
		b[3] = 40;		/* total length: 20 + 20 */
		b[8] = 64;		/* TTL */
		b[9] = proto;
		__builtin_memcpy(b + 12, saddr, 4);
		__builtin_memcpy(b + 16, daddr, 4);
		l3 = 20;
	} else {
		b[0] = 0x60;
		b[5] = 20;		/* payload length */
		b[6] = proto;
		b[7] = 64;		/* hop limit */
		__builtin_memcpy(b + 8, saddr, 16);
		__builtin_memcpy(b + 24, daddr, 16);
		l3 = 40;
	}
	/* the ports lead the TCP, UDP and SCTP headers alike */
	l4 = b + l3;
	l4[0] = (__u8)(sport >> 8);
	l4[1] = (__u8)sport;
	l4[2] = (__u8)(dport >> 8);
	l4[3] = (__u8)dport;
	if (proto == 6)
		l4[12] = 0x50;		/* TCP data offset: 5 words */
	else if (proto == 17)
		l4[5] = 8;		/* UDP length */
	return l3 + 20;
}

#if defined(__bpf__)

/*
 * nr_filter_copy() - copy the first bytes of a packet into @buf
 * @nh:      kernel address of the packet's network header
 * @wirelen: bytes from the network header to the end of the packet (linear or not)
 * @linear:  bytes readable at @nh (the linear part: skb->tail - network header)
 *
 * Return: the number of valid bytes at buf->pkt (the filter's caplen), 0 when the copy
 * failed (the filter then sees an empty packet, and every expression that reads a
 * header rejects it, as libpcap would).
 */
static __always_inline __u32 nr_filter_copy(struct nr_filter_buf *buf, const void *nh,
					    __u32 wirelen, __u32 linear)
{
	__u64 caplen = wirelen < linear ? wirelen : linear;

	/* Clamp in asm: the verifier must see the bound on the very register handed to
	 * the helper, and clang is free to compare one copy and pass another. */
	asm volatile("if %[len] <= %[max] goto +1\n\t"
		     "%[len] = %[max]"
		     : [len] "+r"(caplen)
		     : [max] "i"(NR_FILTER_BUF));
	if (bpf_probe_read_kernel(buf->pkt, caplen, nh))
		return 0;
	return (__u32)caplen;
}

/*
 * nr_pcap_filter() - the verdict of the user's filter on the packet in @buf
 * @caplen:  valid bytes at buf->pkt (more than NR_FILTER_BUF counts as NR_FILTER_BUF)
 * @wirelen: the packet's length from its network header (what `len`, `less` and
 *           `greater` compare)
 *
 * Return: non-zero to keep the packet (libpcap's return value, e.g. 262144), 0 to drop
 * the event. A read past @caplen rejects the packet, as in libpcap.
 */
static __always_inline int nr_pcap_filter(struct nr_filter_buf *buf, __u32 caplen, __u32 wirelen)
{
	register struct nr_filter_buf *r1 asm("r1") = buf;
	register __u64 r2 asm("r2") = caplen;
	register __u64 r3 asm("r3") = wirelen;
	register __u64 r0 asm("r0");

	/* Same contract as a helper call: arguments in r1-r3, result in r0, r1-r5
	 * clobbered; "memory" because the filter writes its scratch words in @buf. */
	asm volatile("call %[hook]"
		     : "=r"(r0), "+r"(r1), "+r"(r2), "+r"(r3)
		     : [hook] "i"(NR_FILTER_HOOK_ID)
		     : "r4", "r5", "memory");
	return (int)r0;
}

#endif /* __bpf__ */

#endif /* NR_FILTER_BPF_H */
