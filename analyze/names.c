// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * names.c - the analysis' view of the shared decoder (decode.h): the flow of a packet
 * snapshot as the model's struct nr_flow, and the names the result carries
 */
#include <errno.h>
#include <string.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "decode.h"
#include "names.h"

int an_snap_flow(const struct nr_pkt *p, struct nr_flow *f)
{
	struct nr_pkt_info pi;

	memset(f, 0, sizeof(*f));
	if (nr_decode_pkt(p, &pi) || !pi.family)
		return -ENOENT;
	f->family = pi.family;
	f->proto = pi.ip_proto;
	f->origin = NR_FLOW_FROM_SNAPSHOT;
	memcpy(f->src, pi.src, pi.family == AF_INET ? 4 : 16);
	memcpy(f->dst, pi.dst, pi.family == AF_INET ? 4 : 16);
	if (pi.layers & NR_L_PORTS) {
		f->sport = pi.sport;
		f->dport = pi.dport;
	} else if (pi.layers & NR_L_ICMP) {
		f->sport = pi.icmp_type;
		f->dport = pi.icmp_code;
	}
	return 0;
}

const char *an_sym(const struct nr_meta *m, __u64 addr, char *buf, size_t size)
{
	return nr_decode_sym(m, addr, buf, size);
}

const char *an_enum(const struct nr_meta *m, const char *table, __s64 v, char *buf,
		    size_t size)
{
	if (!strcmp(table, "skb_drop_reason"))
		return nr_decode_drop_reason(m, (__u32)v, buf, size);
	if (!strcmp(table, "tcp_state"))
		return nr_decode_tcp_state(m, (__u32)v, buf, size);
	if (!strcmp(table, "sk_rst_reason"))
		return nr_decode_rst_reason(m, (__u32)v, buf, size);
	return nr_decode_enum(m, table, NULL, v, buf, size);
}
