// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * filter.c - analysis-time filters: pcap-filter expressions on packet snapshots (libpcap
 * compiles them on a dead handle, pcap_offline_filter() runs them), time bounds, drop
 * reason and namespace names.
 */
#include <ctype.h>
#include <errno.h>
#include <pcap/pcap.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "parse.h"
#include "report.h"

#define ARPHRD_ETHER_	1
#define ARPHRD_LOOPBACK_ 772	/* loopback devices carry a zeroed Ethernet header */
#define LINKTYPE_ETHERNET_ 1
#define LINKTYPE_RAW_	101

struct nr_pkt_filter {
	struct bpf_program eth;
	struct bpf_program raw;
	bool has_eth;
	bool has_raw;
};

static int compile_for(int dlt, const char *expr, struct bpf_program *prog, char *err,
		       size_t size)
{
	pcap_t *p = pcap_open_dead(dlt, 65535);
	int ret = 0;

	if (!p)
		return -ENOMEM;
	if (pcap_compile(p, prog, expr, 1, PCAP_NETMASK_UNKNOWN)) {
		snprintf(err, size, "%s", pcap_geterr(p));
		ret = -EINVAL;
	}
	pcap_close(p);
	return ret;
}

int nr_pkt_filter__new(const char *expr, struct nr_pkt_filter **ret, char *errbuf, size_t size)
{
	struct nr_pkt_filter *pf = calloc(1, sizeof(*pf));
	char e1[PCAP_ERRBUF_SIZE] = "", e2[PCAP_ERRBUF_SIZE] = "";

	if (!pf)
		return -ENOMEM;
	/* an expression about MAC addresses only compiles for Ethernet, that is fine */
	pf->has_eth = !compile_for(DLT_EN10MB, expr, &pf->eth, e1, sizeof(e1));
	pf->has_raw = !compile_for(DLT_RAW, expr, &pf->raw, e2, sizeof(e2));
	if (!pf->has_eth && !pf->has_raw) {
		snprintf(errbuf, size, "%s", e1[0] ? e1 : e2);
		free(pf);
		return -EINVAL;
	}
	*ret = pf;
	return 0;
}

void nr_pkt_filter__free(struct nr_pkt_filter *pf)
{
	if (!pf)
		return;
	if (pf->has_eth)
		pcap_freecode(&pf->eth);
	if (pf->has_raw)
		pcap_freecode(&pf->raw);
	free(pf);
}

int nr_snap_link(bool l2, __u16 dev_type, __u16 snap_l3, const __u8 *snap, __u32 snap_len,
		 const __u8 **data, __u32 *len)
{
	__u32 off;

	if (!snap_len)
		return -ENOENT;
	if (l2 && (dev_type == ARPHRD_ETHER_ || dev_type == ARPHRD_LOOPBACK_)) {
		*data = snap;
		*len = snap_len;
		return LINKTYPE_ETHERNET_;
	}
	/* other link layers (tunnels, ...): from the network header on, as raw IP */
	off = snap_l3 != NR_OFF_NONE ? snap_l3 : l2 ? ~0u : 0;
	if (off >= snap_len)
		return -ENOENT;
	*data = snap + off;
	*len = snap_len - off;
	return LINKTYPE_RAW_;
}

bool nr_pkt_filter__match(void *ctx, const struct nr_pkt *p, const struct nr_flow *f)
{
	struct nr_pkt_filter *pf = ctx;
	struct pcap_pkthdr h = { 0 };
	const __u8 *data;
	__u32 len;
	int lt = nr_snap_link(p->hdr.flags & NR_RF_SNAP_L2, p->dev_type, p->snap_l3,
			      (const __u8 *)(p + 1), p->snap_len, &data, &len);

	(void)f;
	if (lt < 0)
		return false;
	h.caplen = len;
	/* the wire length as far as the snapshot tells: skb->len from the same header on */
	h.len = p->len > len ? p->len : len;
	if (lt == LINKTYPE_ETHERNET_)
		return pf->has_eth && pcap_offline_filter(&pf->eth, &h, data);
	return pf->has_raw && pcap_offline_filter(&pf->raw, &h, data);
}

/* "2.5" or "2.5s": seconds with a fraction, which nr_parse_duration_ns does not take */
static int parse_decimal_seconds(const char *s, __u64 *ret)
{
	const char *dot = strchr(s, '.');
	char ip[24], frac[16] = "";
	size_t il, fl;
	__u64 sec, f = 0;

	if (!dot)
		return -EINVAL;
	il = (size_t)(dot - s);
	fl = strlen(dot + 1);
	if (fl && dot[fl] == 's')
		fl--;
	if (!il || il >= sizeof(ip) || !fl || fl > 9)
		return -EINVAL;
	memcpy(ip, s, il);
	ip[il] = 0;
	memcpy(frac, dot + 1, fl);
	frac[fl] = 0;
	if (nr_parse_u64(ip, 0, 1000000000ULL, &sec) || !isdigit((unsigned char)frac[0]) ||
	    nr_parse_u64(frac, 0, 999999999ULL, &f))
		return -EINVAL;
	while (fl++ < 9)
		f *= 10;
	*ret = sec * 1000000000ULL + f;
	return 0;
}

int nr_parse_time(const char *s, const struct nr_meta *m, __u64 *ret_ns, bool *relative)
{
	int y, mo, d, h, mi, sec, n = 0;
	struct tm tm = { 0 };
	__u64 real, frac = 0;
	time_t t;

	if (!s || !*s)
		return -EINVAL;
	if (!nr_parse_duration_ns(s, 0, ~0ULL, ret_ns) || !parse_decimal_seconds(s, ret_ns)) {
		*relative = true;
		return 0;
	}
	if (sscanf(s, "%4d-%2d-%2d%*1[T ]%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &sec, &n) != 6)
		return -EINVAL;
	s += n;
	if (*s == '.') {
		int digits = 0;

		for (s++; isdigit((unsigned char)*s); s++) {
			if (digits++ < 9)
				frac = frac * 10 + (__u64)(*s - '0');
		}
		if (!digits)
			return -EINVAL;
		for (; digits < 9; digits++)
			frac *= 10;
	}
	if (*s == 'Z')
		s++;
	if (*s || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60)
		return -EINVAL;
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = sec;
	t = timegm(&tm);
	if (t < 0)
		return -EINVAL;
	if (!m->clock_start.real_ns)
		return -ENOENT;
	real = (__u64)t * 1000000000ULL + frac;
	/* event time = monotonic at the reference + (wall-clock - wall-clock at the reference) */
	if (real >= m->clock_start.real_ns)
		*ret_ns = m->clock_start.mono_ns + (real - m->clock_start.real_ns);
	else if (m->clock_start.real_ns - real < m->clock_start.mono_ns)
		*ret_ns = m->clock_start.mono_ns - (m->clock_start.real_ns - real);
	else
		*ret_ns = 1;	/* before the machine booted: from the start */
	*relative = false;
	return 0;
}

int nr_resolve_reason(const struct nr_meta *m, const char *name, __u32 *ret)
{
	static const char prefix[] = "SKB_DROP_REASON_";
	const struct nr_enum *e = nr_meta__enum(m, "skb_drop_reason");
	size_t pl = sizeof(prefix) - 1;
	__u32 i;

	if (!nr_parse_u32(name, 0, ~0u, ret))
		return 0;
	if (!strncasecmp(name, prefix, pl))
		name += pl;
	for (i = 0; e && i < e->nr; i++) {
		const char *n = e->e[i].name;

		if (!strncmp(n, prefix, pl))
			n += pl;
		if (!strcasecmp(n, name)) {
			*ret = (__u32)e->e[i].value;
			return 0;
		}
	}
	return -ENOENT;
}

int nr_resolve_netns(const struct nr_meta *m, const char *s, __u32 *ret)
{
	__u32 i;

	if (!nr_parse_u32(s, 1, ~0u, ret))
		return 0;
	for (i = 0; i < m->nr_netns; i++) {
		if (m->netns[i].name && !strcmp(m->netns[i].name, s)) {
			*ret = m->netns[i].inode;
			return 0;
		}
	}
	return -ENOENT;
}
