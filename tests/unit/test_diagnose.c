// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_diagnose.c - every entry of the diagnosis table filled with facts: no placeholder
 * left, the facts where the template asks for them; the netfilter hook from a stack; the
 * issue's 22 reasons all present.
 */
#include <stdio.h>
#include <stdlib.h>

#include "arena.h"
#include "check.h"
#include "diagnose.h"
#include "analyze_synth.h"

static struct nr_meta meta;

/* a one-reason result whose top flow, device and stack are known */
static struct nr_result *result_for(__u32 reason_val, bool known)
{
	struct nr_analysis_opts o = { .sz = sizeof(o), .max_paths = 1 };
	struct nr_flow f = synth_flow(IPPROTO_UDP, "10.0.0.1", 4000, "10.0.0.2", 9);
	struct nr_analysis *a = NULL;
	struct nr_result *r = NULL;
	union synth_rec rec;
	int i;

	CHECK_EQ(nr_analysis__new(&meta, &o, &a), 0, "new");
	for (i = 0; i < 3; i++) {
		struct pkt_args p = { .ts = 1000 + (__u64)i, .probe = P_KFREE, .skb = 0x100,
				      .reason = reason_val, .location = SYM_NF_HOOK_SLOW + 0x8a,
				      .stack_id = known ? 2 : 0, .netns = known ? NS1 : 0,
				      .ifindex = known ? 3 : 0, .flow = known ? &f : NULL };

		CHECK_EQ(nr_analysis__add(a, synth_pkt(&rec, &p)), 0, "add");
	}
	CHECK_EQ(nr_analysis__finish(a, &r), 0, "finish");
	nr_analysis__free(a);
	return r;
}

static __s64 reason_value(const char *name)
{
	char full[128];
	size_t i;

	snprintf(full, sizeof(full), "SKB_DROP_REASON_%s", name);
	for (i = 0; i < sizeof(synth_drop_reasons) / sizeof(synth_drop_reasons[0]); i++)
		if (!strcmp(synth_drop_reasons[i].name, full))
			return synth_drop_reasons[i].value;
	return -1;
}

static void test_every_entry(void)
{
	const struct nr_diag *t;
	size_t n, i, in_kernel = 0;

	check_start("every_entry");
	t = nr_diag_table(&n);
	CHECK(n >= 100, "table size");
	for (i = 0; i < n; i++) {
		__s64 v = reason_value(t[i].reason);
		struct nr_result *r;
		const struct nr_res_reason *rr;
		int k;

		if (v < 0)	/* an alias (IP_NOROUTE) the kernel does not spell */
			continue;
		in_kernel++;
		for (k = 0; k < 2; k++) {
			r = result_for((__u32)v, k == 0);
			rr = &r->reasons[0];
			check_start(t[i].reason);
			if (!CHECK(rr->diag_what && rr->diag_check, "diagnosed")) {
				nr_result__free(r);
				continue;
			}
			CHECK(!strchr(rr->diag_what, '{') && !strchr(rr->diag_check, '{'),
			      "every placeholder known");
			CHECK(!strstr(rr->diag_what, "  ") && !strstr(rr->diag_check, "  "),
			      "no double spaces");
			if (k == 0 && strstr(t[i].what, "{count}"))
				CHECK(strstr(rr->diag_what, "3 ") != NULL, "count filled");
			if (k == 0 && (strstr(t[i].what, "{dst_ep}") || strstr(t[i].check, "{dst_ep}")))
				CHECK(strstr(rr->diag_what, "10.0.0.2:9") ||
				      strstr(rr->diag_check, "10.0.0.2:9"), "endpoint filled");
			if (k == 0 && strstr(t[i].what, "{dev}"))
				CHECK(strstr(rr->diag_what, "dev veth1") != NULL, "device filled");
			if (k == 0 && strstr(t[i].check, "{in_ns}"))
				CHECK(strstr(rr->diag_check, "in netns ns1") != NULL, "netns filled");
			if (k == 1 && strstr(t[i].what, "{flow}"))
				CHECK(strstr(rr->diag_what, "an unknown flow") != NULL,
				      "unknown flow worded");
			nr_result__free(r);
		}
	}
	check_start("every_entry");
	CHECK(in_kernel >= 100, "entries naming 6.18 reasons");
}

static void test_issue_reasons(void)
{
	static const char *const want[] = {
		"NO_SOCKET", "NETFILTER_DROP", "SOCKET_RCVBUFF", "SOCKET_FILTER", "TCP_CSUM",
		"UDP_CSUM", "IP_RPFILTER", "IP_NOROUTE", "IP_INADDRERRORS", "PKT_TOO_SMALL",
		"TCP_OLD_DATA", "TCP_ZEROWINDOW", "TCP_INVALID_SEQUENCE", "TCP_RESET",
		"QDISC_DROP", "NEIGH_FAILED", "OTHERHOST", "TC_INGRESS", "TC_EGRESS", "XDP",
		"IPV6DISABLED", "FULL_RING", "CPU_BACKLOG", "IP_INNOROUTES", "IP_OUTNOROUTES",
	};
	size_t i;

	check_start("issue_reasons");
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		if (!CHECK(nr_diag_lookup(want[i]) != NULL, "in the table"))
			fprintf(stderr, "  missing: %s\n", want[i]);
}

static void test_specific_facts(void)
{
	struct nr_result *r;

	check_start("specific_facts");
	r = result_for(6, true);	/* SOCKET_RCVBUFF */
	CHECK_STR(r->reasons[0].diag_what,
		  "the receive buffer of the socket on udp 10.0.0.2:9 was full: 3 drops", "rcvbuff");
	CHECK_STR(r->reasons[0].diag_check,
		  "raise SO_RCVBUF / net.core.rmem_max (UDP: net.ipv4.udp_mem) or read faster",
		  "rcvbuff check");
	nr_result__free(r);
	r = result_for(16, true);	/* IP_RPFILTER */
	CHECK_STR(r->reasons[0].diag_what, "the reverse-path filter dropped 3 packets from 10.0.0.1 "
		  "on dev veth1: the route back to 10.0.0.1 does not leave through it", "rp_filter");
	CHECK_STR(r->reasons[0].diag_check, "`sysctl net.ipv4.conf.veth1.rp_filter` and `ip route "
		  "get 10.0.0.1` in netns ns1; use 2 (loose) for asymmetric routing", "rp check");
	nr_result__free(r);
	r = result_for(3, false);	/* NO_SOCKET, nothing known */
	CHECK_STR(r->reasons[0].diag_what, "no socket was listening on IP an unknown address and "
		  "port: 3 packets", "facts missing");
	nr_result__free(r);
}

static void test_netfilter_hook(void)
{
	const char *f1[] = { "kfree_skb_reason+0x5e", "nf_hook_slow+0x8a", "ip_forward+0x120" };
	const char *f2[] = { "kfree_skb_reason+0x5e", "ipt_do_table+0x10",
			     "iptable_filter_hook+0x20", "nf_hook_slow+0x8a", "__ip_local_out+0x9" };
	const char *f3[] = { "kfree_skb_reason+0x5e", "tcp_v4_rcv+0x10" };
	struct nr_res_stack s = { 0 };
	char buf[128];

	check_start("netfilter_hook");
	s.frames = f1;
	s.nr_frames = 3;
	CHECK_STR(nr_diag_netfilter_hook(&s, buf, sizeof(buf)), "FORWARD hook", "forward");
	s.frames = f2;
	s.nr_frames = 5;
	CHECK_STR(nr_diag_netfilter_hook(&s, buf, sizeof(buf)),
		  "OUTPUT hook (iptables filter table)", "iptables output");
	s.frames = f3;
	s.nr_frames = 2;
	CHECK(nr_diag_netfilter_hook(&s, buf, sizeof(buf)) == NULL, "no netfilter frames");
}

int main(void)
{
	synth_meta(&meta);
	test_every_entry();
	test_issue_reasons();
	test_specific_facts();
	test_netfilter_hook();
	return check_exit();
}
