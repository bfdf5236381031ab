// SPDX-License-Identifier: GPL-2.0-only
/*
 * filter_pcap.c - compile pcap-filter expressions and run classic BPF with libpcap
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pcap/pcap.h>

#include "filter_pcap.h"

_Static_assert(sizeof(struct nr_cbpf_insn) == sizeof(struct bpf_insn), "cBPF insn size");
_Static_assert(offsetof(struct nr_cbpf_insn, code) == offsetof(struct bpf_insn, code), "code");
_Static_assert(offsetof(struct nr_cbpf_insn, jt) == offsetof(struct bpf_insn, jt), "jt");
_Static_assert(offsetof(struct nr_cbpf_insn, jf) == offsetof(struct bpf_insn, jf), "jf");
_Static_assert(offsetof(struct nr_cbpf_insn, k) == offsetof(struct bpf_insn, k), "k");

/* Compile @expr for @linktype; on failure leave libpcap's message in @msg. */
static int compile_for(int linktype, const char *expr, bool optimize, struct bpf_program *prog,
		       char *msg, size_t msglen)
{
	pcap_t *p = pcap_open_dead(linktype, NR_PCAP_SNAPLEN);
	int err = 0;

	if (!p)
		return -ENOMEM;
	if (pcap_compile(p, prog, expr, optimize, PCAP_NETMASK_UNKNOWN) < 0) {
		snprintf(msg, msglen, "%s", pcap_geterr(p));
		err = -EINVAL;
	}
	pcap_close(p);
	return err;
}

int nr_pcap_compile(const char *expr, bool optimize, struct nr_cbpf_insn **ret,
		    unsigned int *ret_len, char *errbuf, size_t errlen)
{
	char msg[PCAP_ERRBUF_SIZE] = "";
	struct bpf_program prog, l2;
	struct nr_cbpf_insn *copy;
	int err;

	/* DLT_RAW: the packet starts with an IPv4 or IPv6 header, told apart by the
	 * version nibble, which is what every probe point can provide. */
	err = compile_for(DLT_RAW, expr, optimize, &prog, msg, sizeof(msg));
	if (err == -EINVAL) {
		/* Tell "needs a link-layer header" apart from a plain mistake: the same
		 * expression compiles for Ethernet. */
		char l2msg[PCAP_ERRBUF_SIZE];

		if (!compile_for(DLT_EN10MB, expr, optimize, &l2, l2msg, sizeof(l2msg))) {
			pcap_freecode(&l2);
			snprintf(errbuf, errlen,
				 "filter '%s' needs link-layer headers, which the probes do not "
				 "see: filters match packets from their network header on (%s)",
				 expr, msg);
		} else {
			snprintf(errbuf, errlen, "invalid filter '%s': %s", expr, msg);
		}
		return err;
	}
	if (err) {
		snprintf(errbuf, errlen, "cannot compile filter '%s': %s", expr, strerror(-err));
		return err;
	}

	copy = calloc(prog.bf_len ? prog.bf_len : 1, sizeof(*copy));
	if (!copy) {
		pcap_freecode(&prog);
		snprintf(errbuf, errlen, "cannot compile filter '%s': %s", expr, strerror(ENOMEM));
		return -ENOMEM;
	}
	memcpy(copy, prog.bf_insns, (size_t)prog.bf_len * sizeof(*copy));
	*ret = copy;
	*ret_len = prog.bf_len;
	pcap_freecode(&prog);
	return 0;
}

__u32 nr_pcap_run(const struct nr_cbpf_insn *prog, unsigned int len, const void *pkt,
		  __u32 caplen, __u32 wirelen)
{
	struct bpf_program bp = {
		.bf_len = len,
		.bf_insns = (struct bpf_insn *)prog,
	};
	struct pcap_pkthdr hdr = {
		.caplen = caplen,
		.len = wirelen,
	};

	return (__u32)pcap_offline_filter(&bp, &hdr, pkt);
}

bool nr_pcap_valid(const struct nr_cbpf_insn *prog, unsigned int len)
{
	return bpf_validate((const struct bpf_insn *)prog, (int)len) != 0;
}
