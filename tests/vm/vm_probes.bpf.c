// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * vm_probes.bpf.c - one program per dynamic attach mechanism, for the qemu guest's smoke
 * scenario: kprobe, kretprobe, fentry and fexit, all on tcp_v4_rcv
 *
 * Each program counts its calls and, where it has the skb, adds skb->len read through
 * CO-RE. Built against the vendored vmlinux.h (a 6.18 kernel) and run on Debian's 6.1,
 * equal counts and equal byte sums from the kprobe and the fentry program show that the
 * mechanisms attach, fire on the same packets and relocate field offsets alike.
 * Not part of netrec's recorder: bpf/ holds that.
 */
#include "vmlinux.h"
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

enum {
	VMP_KPROBE,
	VMP_KRETPROBE,
	VMP_FENTRY,
	VMP_FEXIT,
	VMP_NR,
};

/* per program: calls; skb->len summed (kprobe, fentry) or return values summed (exits) */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, VMP_NR);
	__type(key, __u32);
	__type(value, __u64);
} vmp_calls SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, VMP_NR);
	__type(key, __u32);
	__type(value, __u64);
} vmp_sums SEC(".maps");

static __always_inline void count(__u32 idx, __u64 value)
{
	__u64 *calls = bpf_map_lookup_elem(&vmp_calls, &idx);
	__u64 *sum = bpf_map_lookup_elem(&vmp_sums, &idx);

	if (calls)
		__sync_fetch_and_add(calls, 1);
	if (sum)
		__sync_fetch_and_add(sum, value);
}

SEC("kprobe/tcp_v4_rcv")
int BPF_KPROBE(vmp_kprobe, struct sk_buff *skb)
{
	count(VMP_KPROBE, BPF_CORE_READ(skb, len));
	return 0;
}

SEC("kretprobe/tcp_v4_rcv")
int BPF_KRETPROBE(vmp_kretprobe, int ret)
{
	count(VMP_KRETPROBE, (__u64)(__s64)ret);
	return 0;
}

SEC("fentry/tcp_v4_rcv")
int BPF_PROG(vmp_fentry, struct sk_buff *skb)
{
	count(VMP_FENTRY, skb->len);
	return 0;
}

/* the skb may be freed by now: only the return value is read */
SEC("fexit/tcp_v4_rcv")
int BPF_PROG(vmp_fexit, struct sk_buff *skb, int ret)
{
	count(VMP_FEXIT, (__u64)(__s64)ret);
	return 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
