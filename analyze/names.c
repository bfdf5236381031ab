// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* TEMPORARY until format's decode module lands on main: replaced by nr_decode_* calls. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include "names.h"
#include "nr_enums.h"

int an_snap_flow(const struct nr_pkt *p, struct nr_flow *f)
{
	const __u8 *s = (const __u8 *)(p + 1), *ip;
	__u32 n = p->snap_len, off, l4;
	__u8 proto;

	memset(f, 0, sizeof(*f));
	if (p->snap_l3 != NR_OFF_NONE)
		off = p->snap_l3;
	else if (!(p->hdr.flags & NR_RF_SNAP_L2))
		off = 0;
	else
		return -ENOENT;
	if (off >= n)
		return -ENOENT;
	ip = s + off;
	n -= off;
	if ((ip[0] >> 4) == 4 && n >= 20) {
		f->family = AF_INET;
		proto = ip[9];
		memcpy(f->src, ip + 12, 4);
		memcpy(f->dst, ip + 16, 4);
		l4 = (ip[0] & 15) * 4;
	} else if ((ip[0] >> 4) == 6 && n >= 40) {
		f->family = AF_INET6;
		proto = ip[6];
		memcpy(f->src, ip + 8, 16);
		memcpy(f->dst, ip + 24, 16);
		l4 = 40;
	} else {
		return -ENOENT;
	}
	f->proto = proto;
	f->origin = NR_FLOW_FROM_SNAPSHOT;
	if ((proto == IPPROTO_TCP || proto == IPPROTO_UDP) && n >= l4 + 4) {
		f->sport = (__u16)(ip[l4] << 8 | ip[l4 + 1]);
		f->dport = (__u16)(ip[l4 + 2] << 8 | ip[l4 + 3]);
	} else if ((proto == IPPROTO_ICMP || proto == IPPROTO_ICMPV6) && n >= l4 + 2) {
		f->sport = ip[l4];
		f->dport = ip[l4 + 1];
	}
	return 0;
}

const char *an_sym(const struct nr_meta *m, __u64 addr, char *buf, size_t size)
{
	const struct nr_sym *s;
	__u64 off;

	s = addr ? nr_meta__sym(m, addr, &off) : NULL;
	if (s)
		snprintf(buf, size, "%s+0x%llx", s->name, (unsigned long long)off);
	else
		snprintf(buf, size, "0x%llx", (unsigned long long)addr);
	return buf;
}

const char *an_enum(const struct nr_meta *m, const char *table, __s64 v, char *buf,
		    size_t size)
{
	static const char *const prefixes[] = { "SKB_DROP_REASON_", "TCP_", "SK_RST_REASON_" };
	const char *n = !strcmp(table, "skb_drop_reason") ?
			nr_drop_reason_name(m->enums, m->nr_enums, (__u32)v) :
			nr_meta__enum_name(m, table, v);
	size_t i;

	if (!n) {
		snprintf(buf, size, "UNKNOWN(%lld)", (long long)v);
		return buf;
	}
	for (i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++) {
		size_t l = strlen(prefixes[i]);

		if (!strncmp(n, prefixes[i], l) && n[l]) {
			n += l;
			break;
		}
	}
	snprintf(buf, size, "%s", n);
	return buf;
}
