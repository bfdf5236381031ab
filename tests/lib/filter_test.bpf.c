// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * filter_test.bpf.c - BPF programs that exercise the --filter hook in the filter's tests
 *
 * filter_run (raw_tp, BPF_PROG_TEST_RUN): the verdict on the packet in bufs[0], with
 * caplen and wirelen from the test run's context; filter_bench (xdp, test run with
 * repeat): the same, for timing. filter_tp_btf, filter_raw_tp, filter_tp: the three
 * tracepoint flavours the probes use, on net:netif_receive_skb, counting the packets of
 * one network namespace that the filter keeps.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>

#include "filter.bpf.h"

const volatile int cfg_filter = 0;
const volatile __u32 cfg_netns = 0;	/* inode of the network namespace to count */

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct nr_filter_buf);
} bufs SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct nr_filter_buf);
} pcpu_bufs SEC(".maps");

/* bench_args[0] = caplen, [1] = wirelen */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, __u32);
} bench_args SEC(".maps");

enum { CNT_HITS, CNT_KEPT, CNT_MAX };

/* counts[flavour * CNT_MAX + CNT_*], flavour 0 tp_btf, 1 raw_tp, 2 tracepoint */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 3 * CNT_MAX);
	__type(key, __u32);
	__type(value, __u64);
} counts SEC(".maps");

SEC("raw_tp")
int filter_run(struct bpf_raw_tracepoint_args *ctx)
{
	__u32 zero = 0;
	struct nr_filter_buf *b = bpf_map_lookup_elem(&bufs, &zero);

	if (!b)
		return 0;
	if (!cfg_filter)
		return 1;
	return nr_pcap_filter(b, (__u32)ctx->args[0], (__u32)ctx->args[1]);
}

SEC("xdp")
int filter_bench(struct xdp_md *ctx)
{
	__u32 zero = 0, one = 1, *caplen, *wirelen;
	struct nr_filter_buf *b = bpf_map_lookup_elem(&bufs, &zero);

	caplen = bpf_map_lookup_elem(&bench_args, &zero);
	wirelen = bpf_map_lookup_elem(&bench_args, &one);
	if (!b || !caplen || !wirelen)
		return XDP_ABORTED;
	if (cfg_filter && !nr_pcap_filter(b, *caplen, *wirelen))
		return XDP_DROP;
	return XDP_PASS;
}

/* A real subprogram (BTF func_info, a pseudo call): libbpf appends it at load, after
 * the filter copies spliced in at open, and must still relocate the call to it. */
static __noinline int count(__u32 flavour, __u32 what)
{
	__u32 key = flavour * CNT_MAX + what;
	__u64 *c = bpf_map_lookup_elem(&counts, &key);

	if (c)
		__sync_fetch_and_add(c, 1);
	return 0;
}

/* At net:netif_receive_skb the MAC header has been pulled: skb->data is the network
 * header. */
static __always_inline int handle(struct sk_buff *skb, __u32 flavour)
{
	__u32 zero = 0, caplen, len, data_len;
	struct nr_filter_buf *b;

	if (BPF_CORE_READ(skb, dev, nd_net.net, ns.inum) != cfg_netns)
		return 0;
	count(flavour, CNT_HITS);
	if (cfg_filter) {
		b = bpf_map_lookup_elem(&pcpu_bufs, &zero);
		if (!b)
			return 0;
		len = BPF_CORE_READ(skb, len);
		data_len = BPF_CORE_READ(skb, data_len);
		caplen = nr_filter_copy(b, BPF_CORE_READ(skb, data), len, len - data_len);
		if (!nr_pcap_filter(b, caplen, len))
			return 0;
	}
	count(flavour, CNT_KEPT);
	return 0;
}

SEC("tp_btf/netif_receive_skb")
int BPF_PROG(filter_tp_btf, struct sk_buff *skb)
{
	return handle(skb, 0);
}

SEC("raw_tp/netif_receive_skb")
int BPF_PROG(filter_raw_tp, struct sk_buff *skb)
{
	return handle(skb, 1);
}

SEC("tracepoint/net/netif_receive_skb")
int filter_tp(struct trace_event_raw_net_dev_template *ctx)
{
	return handle((struct sk_buff *)ctx->skbaddr, 2);
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
