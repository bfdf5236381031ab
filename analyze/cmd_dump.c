// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * cmd_dump.c - netrec dump: every event of a trace file, one per line, in time order,
 * fully decoded; --json gives one JSON object per line with the same content.
 *
 * Each field is emitted once through a small printer that renders either text
 * (" key=value", zero values of optional fields left out) or JSON (every key, always),
 * so the two outputs cannot drift apart.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "decode.h"
#include "jsonw.h"
#include "log.h"
#include "nr_file.h"
#include "schema.h"

struct dump_opts {
	const char *file;
	bool json;
	bool abs_time;
	bool skip_bad;
};

static const struct dump_opts defaults_dump = { 0 };

struct out {
	FILE *f;
	struct nr_jsonw *j;	/* NULL: text */
	const struct nr_meta *m;
	const struct nr_reader *r;
	__u64 base;
	bool abs_time;
};

/* text: " key=val" (or " val" when key is NULL in text); json: "jkey": "val" */
static void o_str(struct out *o, const char *key, const char *jkey, const char *val)
{
	if (o->j) {
		nr_jsonw_kv_str(o->j, jkey, val);
		return;
	}
	if (!val)
		return;
	if (key)
		fprintf(o->f, " %s=%s", key, val);
	else
		fprintf(o->f, " %s", val);
}

/* a number; in text left out when @omit_zero and it is 0 */
static void o_u64(struct out *o, const char *key, __u64 v, bool omit_zero)
{
	if (o->j)
		nr_jsonw_kv_u64(o->j, key, v);
	else if (v || !omit_zero)
		fprintf(o->f, " %s=%llu", key, (unsigned long long)v);
}

static void o_s64(struct out *o, const char *key, __s64 v, bool omit_zero)
{
	if (o->j)
		nr_jsonw_kv_s64(o->j, key, v);
	else if (v || !omit_zero)
		fprintf(o->f, " %s=%lld", key, (long long)v);
}

/* an address: a "0x..." string in JSON too (JSON numbers lose bits past 2^53) */
static void o_hex(struct out *o, const char *key, __u64 v, bool omit_zero)
{
	char b[24];

	snprintf(b, sizeof(b), "0x%llx", (unsigned long long)v);
	if (o->j)
		nr_jsonw_kv_str(o->j, key, b);
	else if (v || !omit_zero)
		fprintf(o->f, " %s=%s", key, b);
}

static void o_time(struct out *o, const struct nr_rec_hdr *h)
{
	char b[48];

	if (o->abs_time)
		nr_decode_walltime(o->m, h->ts_ns, b, sizeof(b));
	else
		nr_decode_reltime((__s64)(h->ts_ns - o->base), b, sizeof(b));
	if (o->j) {
		nr_jsonw_obj_open(o->j);
		nr_jsonw_kv_s64(o->j, "time_ns", (__s64)(h->ts_ns - o->base));
		if (o->abs_time)
			nr_jsonw_kv_str(o->j, "time", b);
		nr_jsonw_kv_u64(o->j, "ts_ns", h->ts_ns);
		nr_jsonw_kv_str(o->j, "type", nr_rec_name(h->type));
	} else {
		fprintf(o->f, "%s", b);
	}
}

/* "cpuN probe" in text; "cpu", "probe", "probe_id" in JSON */
static void o_cpu_probe(struct out *o, __u32 cpu, __u16 probe, char *name, size_t len)
{
	nr_decode_probe(o->m, probe, name, len);
	if (o->j) {
		nr_jsonw_kv_u64(o->j, "cpu", cpu);
		nr_jsonw_kv_str(o->j, "probe", name);
		nr_jsonw_kv_u64(o->j, "probe_id", probe);
	} else {
		fprintf(o->f, " cpu%u %s", cpu, name);
	}
}

static void o_flags(struct out *o, __u16 flags)
{
	char b[128];

	nr_decode_rec_flags(flags, b, sizeof(b));
	if (o->j) {
		char *p = b, *comma;

		nr_jsonw_key(o->j, "flags");
		nr_jsonw_arr_open(o->j);
		while (*p) {
			comma = strchr(p, ',');
			nr_jsonw_strn(o->j, p, comma ? (size_t)(comma - p) : strlen(p));
			p = comma ? comma + 1 : p + strlen(p);
		}
		nr_jsonw_arr_close(o->j);
	} else if (flags) {
		fprintf(o->f, " flags=%s", b);
	}
}

static void o_sym(struct out *o, const char *key, __u64 addr)
{
	char b[160];

	if (o->j) {
		nr_jsonw_key(o->j, key);
		if (addr)
			nr_jsonw_str(o->j, nr_decode_sym(o->m, addr, b, sizeof(b)));
		else
			nr_jsonw_null(o->j);
		snprintf(b, sizeof(b), "%s_addr", key);
		o_hex(o, b, addr, true);
	} else if (addr) {
		fprintf(o->f, " %s=%s", key, nr_decode_sym(o->m, addr, b, sizeof(b)));
	}
}

static void o_stack(struct out *o, __u32 id)
{
	const struct nr_stack *s;
	char b[160];
	__u32 i;

	if (!o->j) {
		if (id)
			fprintf(o->f, " stack=%u", id);
		return;
	}
	nr_jsonw_kv_u64(o->j, "stack_id", id);
	nr_jsonw_key(o->j, "stack");
	s = nr_meta__stack(o->m, id);
	if (!s) {
		nr_jsonw_null(o->j);
		return;
	}
	nr_jsonw_arr_open(o->j);
	for (i = 0; i < s->nr; i++)
		nr_jsonw_str(o->j, nr_decode_sym(o->m, s->ip[i], b, sizeof(b)));
	nr_jsonw_arr_close(o->j);
}

static void o_iface(struct out *o, const char *key, const char *idxkey, __u32 netns,
		    __u32 ifindex, bool omit_zero)
{
	char b[64];

	nr_decode_iface(o->m, netns, ifindex, b, sizeof(b));
	if (o->j) {
		nr_jsonw_kv_u64(o->j, idxkey, ifindex);
		nr_jsonw_key(o->j, key);
		if (ifindex)
			nr_jsonw_str(o->j, b);
		else
			nr_jsonw_null(o->j);
	} else if (ifindex || !omit_zero) {
		fprintf(o->f, " %s=%s", key, b);
	}
}

/*
 * A probe-specific value (decode.h nr_probe_desc): text " label=NAME" (" fallback=N"
 * when this probe does not use it and it is not 0); JSON "label": NAME or number, and
 * nothing for unused values (the raw numbers are always there as reason_code, aux, val).
 */
static void o_val(struct out *o, const struct nr_val_desc *d, const char *fallback, __u32 v)
{
	char b[96];

	if (d->kind == NR_VAL_NONE) {
		if (!o->j && v)
			fprintf(o->f, " %s=%u", fallback, v);
		return;
	}
	if (d->kind == NR_VAL_U32) {
		o_u64(o, d->label, v, false);
		return;
	}
	nr_decode_val(o->m, d, v, b, sizeof(b));
	if (o->j)
		nr_jsonw_kv_str(o->j, d->label, b);
	else
		fprintf(o->f, " %s=%s", d->label, b);
}

static void o_packet(struct out *o, const struct nr_pkt *p)
{
	struct nr_pkt_info pi;
	char flow[160], b[64];
	__u32 snap_len;
	const __u8 *snap = nr_decode_pkt_snap(p, &snap_len);
	bool ok = nr_decode_pkt(p, &pi) == 0;

	if (!o->j) {
		if (!ok) {
			if (snap_len)
				fprintf(o->f, " [undecoded %u bytes]", snap_len);
			return;
		}
		if (pi.layers & NR_L_ETH) {
			char s[24], d[24];

			fprintf(o->f, " %s > %s", nr_decode_mac(pi.eth_src, 6, s, sizeof(s)),
				nr_decode_mac(pi.eth_dst, 6, d, sizeof(d)));
		}
		if (pi.nvlan)
			fprintf(o->f, " vlan=%u", pi.vlan[0]);
		if (pi.nvlan > 1)
			fprintf(o->f, ",%u", pi.vlan[1]);
		fprintf(o->f, " %s", nr_decode_flow(&pi, flow, sizeof(flow)));
		if (pi.layers & NR_L_TCP)
			fprintf(o->f, " [%s] seq=%u ack=%u win=%u",
				nr_decode_tcp_flags(pi.tcp_flags, b, sizeof(b)), pi.seq, pi.ack,
				pi.win);
		if (pi.layers & NR_L_ICMP)
			fprintf(o->f, " type=%u code=%u", pi.icmp_type, pi.icmp_code);
		if (pi.layers & NR_L_ARP)
			fprintf(o->f, " op=%u", pi.arp_op);
		if (pi.layers & NR_L_IPV4)
			fprintf(o->f, " id=%u ttl=%u", pi.ip_id, pi.ttl);
		else if (pi.layers & NR_L_IPV6)
			fprintf(o->f, " hlim=%u", pi.ttl);
		if (pi.frag_off || pi.more_frags)
			fprintf(o->f, " frag=%u%s", pi.frag_off, pi.more_frags ? "+" : "");
		if (pi.truncated)
			fprintf(o->f, " [truncated]");
		return;
	}
	nr_jsonw_key(o->j, "packet");
	if (!ok) {
		nr_jsonw_null(o->j);
	} else {
		nr_jsonw_obj_open(o->j);
		if (pi.layers & NR_L_ETH) {
			nr_jsonw_kv_str(o->j, "eth_src", nr_decode_mac(pi.eth_src, 6, b, sizeof(b)));
			nr_jsonw_kv_str(o->j, "eth_dst", nr_decode_mac(pi.eth_dst, 6, b, sizeof(b)));
		}
		if (pi.nvlan) {
			nr_jsonw_key(o->j, "vlan");
			nr_jsonw_arr_open(o->j);
			nr_jsonw_u64(o->j, pi.vlan[0]);
			if (pi.nvlan > 1)
				nr_jsonw_u64(o->j, pi.vlan[1]);
			nr_jsonw_arr_close(o->j);
		}
		nr_jsonw_key(o->j, "ethertype");
		if (nr_decode_ethertype_name(pi.ethertype))
			nr_jsonw_str(o->j, nr_decode_ethertype_name(pi.ethertype));
		else
			nr_jsonw_u64(o->j, pi.ethertype);
		if (pi.family) {
			const char *pn = nr_decode_ipproto_name(pi.ip_proto);

			nr_jsonw_key(o->j, "proto");
			if (pn)
				nr_jsonw_str(o->j, pn);
			else
				nr_jsonw_u64(o->j, pi.ip_proto);
			nr_jsonw_kv_str(o->j, "src", nr_decode_addr(pi.family, pi.src, b, sizeof(b)));
			nr_jsonw_kv_str(o->j, "dst", nr_decode_addr(pi.family, pi.dst, b, sizeof(b)));
			nr_jsonw_kv_u64(o->j, "ttl", pi.ttl);
			nr_jsonw_kv_u64(o->j, "ip_len", pi.ip_len);
			if (pi.layers & NR_L_IPV4)
				nr_jsonw_kv_u64(o->j, "ip_id", pi.ip_id);
			if (pi.frag_off || pi.more_frags) {
				nr_jsonw_kv_u64(o->j, "frag_off", pi.frag_off);
				nr_jsonw_kv_bool(o->j, "more_frags", pi.more_frags);
			}
		}
		if (pi.layers & NR_L_PORTS) {
			nr_jsonw_kv_u64(o->j, "sport", pi.sport);
			nr_jsonw_kv_u64(o->j, "dport", pi.dport);
		}
		if (pi.layers & NR_L_TCP) {
			nr_jsonw_kv_str(o->j, "tcp_flags",
					nr_decode_tcp_flags(pi.tcp_flags, b, sizeof(b)));
			nr_jsonw_kv_u64(o->j, "seq", pi.seq);
			nr_jsonw_kv_u64(o->j, "ack", pi.ack);
			nr_jsonw_kv_u64(o->j, "win", pi.win);
		}
		if (pi.layers & NR_L_ICMP) {
			nr_jsonw_kv_u64(o->j, "icmp_type", pi.icmp_type);
			nr_jsonw_kv_u64(o->j, "icmp_code", pi.icmp_code);
		}
		if (pi.layers & NR_L_ARP) {
			nr_jsonw_kv_u64(o->j, "arp_op", pi.arp_op);
			nr_jsonw_kv_str(o->j, "arp_sha", nr_decode_mac(pi.arp_sha, 6, b, sizeof(b)));
			nr_jsonw_kv_str(o->j, "arp_spa", nr_decode_addr(2, pi.arp_spa, b, sizeof(b)));
			nr_jsonw_kv_str(o->j, "arp_tha", nr_decode_mac(pi.arp_tha, 6, b, sizeof(b)));
			nr_jsonw_kv_str(o->j, "arp_tpa", nr_decode_addr(2, pi.arp_tpa, b, sizeof(b)));
		}
		nr_jsonw_kv_bool(o->j, "truncated", pi.truncated);
		nr_jsonw_obj_close(o->j);
	}
	nr_jsonw_key(o->j, "snap");
	nr_jsonw_hex(o->j, snap, snap_len);
}

static void dump_pkt(struct out *o, const struct nr_pkt *p)
{
	const struct nr_probe_desc *d;
	char name[96];

	o_cpu_probe(o, p->cpu, p->probe, name, sizeof(name));
	d = nr_decode_probe_desc(name);
	if (o->j) {
		nr_jsonw_kv_u64(o->j, "reason_code", p->reason);
		nr_jsonw_kv_u64(o->j, "aux", p->aux);
	}
	o_val(o, &d->reason, "reason", p->reason);
	o_val(o, &d->aux, "aux", p->aux);
	o_sym(o, "location", p->location);
	o_iface(o, "dev", "ifindex", p->netns, p->ifindex, false);
	if (o->j || (p->iif && p->iif != p->ifindex))
		o_iface(o, "iif_dev", "iif", p->netns, p->iif, true);
	o_u64(o, "netns", p->netns, false);
	o_hex(o, "skb", p->skb, true);
	o_hex(o, "head", p->head, true);
	o_hex(o, "sk", p->sk, true);
	o_u64(o, "len", p->len, false);
	o_hex(o, "mark", p->mark, true);
	o_u64(o, "pid", p->pid, true);
	if (o->j) {
		__u16 et = (__u16)(((const __u8 *)&p->protocol_be)[0] << 8 |
				   ((const __u8 *)&p->protocol_be)[1]);
		const char *n = nr_decode_ethertype_name(et);

		nr_jsonw_key(o->j, "protocol");
		if (n)
			nr_jsonw_str(o->j, n);
		else
			nr_jsonw_u64(o->j, et);
		n = nr_decode_arphrd_name(p->dev_type);
		nr_jsonw_key(o->j, "dev_type");
		if (n)
			nr_jsonw_str(o->j, n);
		else
			nr_jsonw_u64(o->j, p->dev_type);
		n = nr_decode_pkt_type_name(p->pkt_type);
		nr_jsonw_key(o->j, "pkt_type");
		if (n)
			nr_jsonw_str(o->j, n);
		else
			nr_jsonw_u64(o->j, p->pkt_type);
		nr_jsonw_kv_u64(o->j, "snap_len", p->snap_len);
		nr_jsonw_key(o->j, "snap_l3");
		if (p->snap_l3 == NR_OFF_NONE)
			nr_jsonw_null(o->j);
		else
			nr_jsonw_u64(o->j, p->snap_l3);
		nr_jsonw_key(o->j, "snap_l4");
		if (p->snap_l4 == NR_OFF_NONE)
			nr_jsonw_null(o->j);
		else
			nr_jsonw_u64(o->j, p->snap_l4);
	} else if (p->pkt_type) {
		const char *n = nr_decode_pkt_type_name(p->pkt_type);

		if (n)
			fprintf(o->f, " pkt_type=%s", n);
		else
			fprintf(o->f, " pkt_type=%u", p->pkt_type);
	}
	o_packet(o, p);
	o_stack(o, p->stack_id);
	o_flags(o, p->hdr.flags);
}

static void dump_sock(struct out *o, const struct nr_sock *k)
{
	const struct nr_probe_desc *d;
	char name[96], s[64], t[64], flow[160];
	const char *proto = nr_decode_ipproto_name((__u8)k->protocol);
	int fam = k->family == 10 ? 10 : 2;
	char comm[NR_COMM_LEN + 1];
	size_t i;

	o_cpu_probe(o, k->cpu, k->probe, name, sizeof(name));
	d = nr_decode_probe_desc(name);
	nr_decode_tcp_state(o->m, k->oldstate, s, sizeof(s));
	nr_decode_tcp_state(o->m, k->newstate, t, sizeof(t));
	if (!strcmp(name, "sock:inet_sock_set_state")) {
		if (o->j) {
			nr_jsonw_kv_str(o->j, "from", s);
			nr_jsonw_kv_str(o->j, "to", t);
		} else {
			fprintf(o->f, " %s->%s", s, t);
		}
	} else {
		o_str(o, "state", "state", s);
	}
	if (o->j) {
		nr_jsonw_kv_u64(o->j, "oldstate", k->oldstate);
		nr_jsonw_kv_u64(o->j, "newstate", k->newstate);
	}
	if (k->family == 2 || k->family == 10) {
		char a[64], b2[64];

		nr_decode_endpoint(fam, k->saddr, k->sport, a, sizeof(a));
		nr_decode_endpoint(fam, k->daddr, k->dport, b2, sizeof(b2));
		if (proto)
			snprintf(flow, sizeof(flow), "%s %s > %s", proto, a, b2);
		else
			snprintf(flow, sizeof(flow), "proto%u %s > %s", k->protocol, a, b2);
	} else {
		snprintf(flow, sizeof(flow), "family%u", k->family);
	}
	if (o->j) {
		nr_jsonw_kv_str(o->j, "family", nr_decode_family_name(k->family));
		nr_jsonw_key(o->j, "proto");
		if (proto)
			nr_jsonw_str(o->j, proto);
		else
			nr_jsonw_u64(o->j, k->protocol);
		nr_jsonw_kv_str(o->j, "src", nr_decode_addr(fam, k->saddr, s, sizeof(s)));
		nr_jsonw_kv_u64(o->j, "sport", k->sport);
		nr_jsonw_kv_str(o->j, "dst", nr_decode_addr(fam, k->daddr, s, sizeof(s)));
		nr_jsonw_kv_u64(o->j, "dport", k->dport);
	} else {
		fprintf(o->f, " %s", flow);
	}
	if (o->j) {
		nr_jsonw_kv_u64(o->j, "reason_code", k->reason);
		nr_jsonw_key(o->j, "val");
		nr_jsonw_arr_open(o->j);
		for (i = 0; i < 3; i++)
			nr_jsonw_u64(o->j, k->val[i]);
		nr_jsonw_arr_close(o->j);
	}
	o_val(o, &d->reason, "reason", k->reason);
	o_val(o, &d->val[0], "val0", k->val[0]);
	o_val(o, &d->val[1], "val1", k->val[1]);
	o_val(o, &d->val[2], "val2", k->val[2]);
	o_u64(o, "netns", k->netns, false);
	o_hex(o, "sk", k->sk, true);
	o_hex(o, "skb", k->skb, true);
	o_u64(o, "pid", k->pid, true);
	memcpy(comm, k->comm, NR_COMM_LEN);
	comm[NR_COMM_LEN] = 0;
	for (i = 0; comm[i]; i++)
		if ((unsigned char)comm[i] < 0x20 || comm[i] == ' ' || comm[i] == 0x7f)
			comm[i] = '?';	/* keep the text line one token per field */
	if (o->j) {
		nr_jsonw_key(o->j, "comm");
		nr_jsonw_strn(o->j, k->comm, strnlen(k->comm, NR_COMM_LEN));
	} else if (comm[0]) {
		fprintf(o->f, " comm=%s", comm);
	}
	o_stack(o, k->stack_id);
	o_flags(o, k->hdr.flags);
}

static void dump_fib(struct out *o, const struct nr_fib *b)
{
	char name[96], s[64], d[64], flow[192], rt[64];
	const char *proto = nr_decode_ipproto_name(b->proto);
	int fam = b->family == 10 ? 10 : 2;

	o_cpu_probe(o, b->cpu, b->probe, name, sizeof(name));
	if (b->sport || b->dport) {
		nr_decode_endpoint(fam, b->src, b->sport, s, sizeof(s));
		nr_decode_endpoint(fam, b->dst, b->dport, d, sizeof(d));
	} else {
		nr_decode_addr(fam, b->src, s, sizeof(s));
		nr_decode_addr(fam, b->dst, d, sizeof(d));
	}
	if (proto)
		snprintf(flow, sizeof(flow), "%s %s > %s", proto, s, d);
	else
		snprintf(flow, sizeof(flow), "proto%u %s > %s", b->proto, s, d);
	nr_decode_enum(o->m, "rtn_type", "RTN_", b->rt_type, rt, sizeof(rt));
	if (o->j) {
		nr_jsonw_kv_str(o->j, "family", nr_decode_family_name(b->family));
		nr_jsonw_key(o->j, "proto");
		if (proto)
			nr_jsonw_str(o->j, proto);
		else
			nr_jsonw_u64(o->j, b->proto);
		nr_jsonw_kv_str(o->j, "src", nr_decode_addr(fam, b->src, s, sizeof(s)));
		nr_jsonw_kv_u64(o->j, "sport", b->sport);
		nr_jsonw_kv_str(o->j, "dst", nr_decode_addr(fam, b->dst, s, sizeof(s)));
		nr_jsonw_kv_u64(o->j, "dport", b->dport);
	} else {
		fprintf(o->f, " %s", flow);
	}
	o_u64(o, "table", b->tb_id, false);
	o_iface(o, "oif_dev", "oif", b->netns, b->oif, true);
	o_iface(o, "iif_dev", "iif", b->netns, b->iif, true);
	o_u64(o, "tos", b->tos, true);
	o_u64(o, "scope", b->scope, true);
	if (o->j) {
		nr_jsonw_kv_s64(o->j, "err", b->err);
		nr_jsonw_kv_str(o->j, "error", b->err ? nr_decode_errno(b->err, s, sizeof(s)) : NULL);
		nr_jsonw_kv_str(o->j, "result", rt);
		nr_jsonw_kv_u64(o->j, "rt_type", b->rt_type);
		nr_jsonw_kv_str(o->j, "gw", nr_decode_addr(fam, b->gw, s, sizeof(s)));
	} else {
		if (b->err)
			fprintf(o->f, " err=%s", nr_decode_errno(b->err, s, sizeof(s)));
		fprintf(o->f, " result=%s", rt);
		if (memcmp(b->gw, (const __u8[16]){ 0 }, 16))
			fprintf(o->f, " gw=%s", nr_decode_addr(fam, b->gw, s, sizeof(s)));
	}
	o_iface(o, "nh_dev", "nh_ifindex", b->netns, b->nh_ifindex, true);
	o_u64(o, "netns", b->netns, false);
	o_u64(o, "pid", b->pid, true);
	o_stack(o, b->stack_id);
	o_flags(o, b->hdr.flags);
}

static void dump_neigh(struct out *o, const struct nr_neigh *g)
{
	char name[96], a[64], mac[100];
	const char *n;
	unsigned int ll = g->lladdr_len < sizeof(g->lladdr) ? g->lladdr_len : sizeof(g->lladdr);

	o_cpu_probe(o, g->cpu, g->probe, name, sizeof(name));
	nr_decode_addr(g->family == 10 ? 10 : 2, g->key, a, sizeof(a));
	o_str(o, NULL, "key", a);
	o_iface(o, "dev", "ifindex", g->netns, g->ifindex, false);
	nr_decode_mac(g->lladdr, ll, mac, sizeof(mac));
	o_str(o, "lladdr", "lladdr", ll || o->j ? mac : NULL);
	n = nr_decode_nud_name(g->nud_state);
	if (o->j) {
		nr_jsonw_kv_str(o->j, "family", nr_decode_family_name(g->family));
		nr_jsonw_kv_u64(o->j, "nud_state_code", g->nud_state);
		nr_jsonw_kv_u64(o->j, "new_state_code", g->new_state);
	}
	if (n)
		o_str(o, "state", "nud_state", n);
	else
		o_hex(o, "state", g->nud_state, false);
	n = nr_decode_nud_name(g->new_state);
	if (g->new_state || o->j) {
		if (n)
			o_str(o, "new", "new_state", n);
		else
			o_hex(o, "new", g->new_state, false);
	}
	o_hex(o, "flags", g->flags, true);
	o_s64(o, "err", g->err, true);
	o_u64(o, "netns", g->netns, false);
	o_hex(o, "neigh", g->neigh, true);
	o_u64(o, "pid", g->pid, true);
	o_flags(o, g->hdr.flags);
}

static void dump_counter(struct out *o, const struct nr_counter *c)
{
	const char *k = nr_decode_counter_name(c->kind);
	char name[96], kb[16];

	if (!k) {
		snprintf(kb, sizeof(kb), "kind%u", c->kind);
		k = kb;
	}
	if (o->j) {
		nr_jsonw_kv_str(o->j, "kind", k);
		nr_jsonw_key(o->j, "cpu");
		if (c->cpu == NR_CPU_ALL)
			nr_jsonw_str(o->j, "all");
		else
			nr_jsonw_u64(o->j, c->cpu);
		nr_jsonw_key(o->j, "probe");
		if (c->probe == NR_PROBE_NONE)
			nr_jsonw_null(o->j);
		else
			nr_jsonw_str(o->j, nr_decode_probe(o->m, c->probe, name, sizeof(name)));
		nr_jsonw_kv_u64(o->j, "value", c->value);
		o_flags(o, c->hdr.flags);
		return;
	}
	fprintf(o->f, " counter %s", k);
	if (c->cpu == NR_CPU_ALL)
		fprintf(o->f, " cpu=all");
	else
		fprintf(o->f, " cpu=%u", c->cpu);
	if (c->probe != NR_PROBE_NONE)
		fprintf(o->f, " probe=%s", nr_decode_probe(o->m, c->probe, name, sizeof(name)));
	fprintf(o->f, " value=%llu", (unsigned long long)c->value);
	o_flags(o, c->hdr.flags);
}

static void dump_ctl(struct out *o, const struct nr_ctl *c)
{
	const char *k = nr_decode_ctl_name(c->kind), *text = (const char *)(c + 1);
	char kb[16];
	__u32 n = c->text_len, i;

	if (c->hdr.size < sizeof(*c) || n > c->hdr.size - sizeof(*c))
		n = 0;	/* the reader guarantees this; be safe anyway */
	if (!k) {
		snprintf(kb, sizeof(kb), "kind%u", c->kind);
		k = kb;
	}
	if (o->j) {
		nr_jsonw_kv_str(o->j, "kind", k);
		nr_jsonw_key(o->j, "text");
		nr_jsonw_strn(o->j, text, n);
		o_flags(o, c->hdr.flags);
		return;
	}
	fprintf(o->f, " ctl %s", k);
	if (n) {
		/* quoted, with anything that could break the line escaped */
		fputs(" \"", o->f);
		for (i = 0; i < n; i++) {
			unsigned char ch = (unsigned char)text[i];

			if (ch == '"' || ch == '\\')
				fprintf(o->f, "\\%c", ch);
			else if (ch < 0x20 || ch == 0x7f)
				fprintf(o->f, "\\x%02x", ch);
			else
				fputc(ch, o->f);
		}
		fputc('"', o->f);
	}
	o_flags(o, c->hdr.flags);
}

/* a record type this version does not know: its fields by the file's schema */
static void dump_unknown(struct out *o, const struct nr_rec_hdr *h)
{
	const struct nr_schema *s = nr_reader__schema(o->r, h->type);
	char tb[64];
	__u32 i, k;

	if (o->j) {
		nr_jsonw_kv_u64(o->j, "type_id", h->type);
		nr_jsonw_kv_str(o->j, "type_name", s ? s->name : NULL);
		nr_jsonw_kv_u64(o->j, "size", h->size);
		nr_jsonw_key(o->j, "fields");
		nr_jsonw_obj_open(o->j);
	} else {
		snprintf(tb, sizeof(tb), "type%u", h->type);
		fprintf(o->f, " %s(%s) size=%u", tb, s && s->name ? s->name : "?", h->size);
	}
	for (i = 0; s && i < s->nr_fields; i++) {
		const struct nr_field *f = &s->fields[i];
		const __u8 *p = (const __u8 *)h + f->off;
		char name[64], val[80];

		if (f->off + f->width > h->size)
			continue;
		snprintf(name, sizeof(name), "%s", f->name ? f->name : "?");
		for (k = 0; name[k]; k++)
			if (name[k] == ' ' || name[k] == '=' || (unsigned char)name[k] < 0x20)
				name[k] = '_';
		if (f->codec == NR_COL_BYTES) {
			if (o->j) {
				nr_jsonw_key(o->j, name);
				nr_jsonw_hex(o->j, p, f->width);
			} else {
				fprintf(o->f, " %s=", name);
				for (k = 0; k < f->width; k++)
					fprintf(o->f, "%02x", p[k]);
			}
			continue;
		}
		{
			__u64 v = 0;

			memcpy(&v, p, f->width);	/* native order, little-endian hosts */
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
			v >>= 8 * (8 - f->width);
#endif
			if (f->codec == NR_COL_ADDR) {
				snprintf(val, sizeof(val), "0x%llx", (unsigned long long)v);
				o_str(o, name, name, val);
			} else {
				o_u64(o, name, v, false);
			}
		}
	}
	if (o->j)
		nr_jsonw_obj_close(o->j);
	o_flags(o, h->flags);
}

static void dump_one(struct out *o, const struct nr_rec_hdr *h)
{
	o_time(o, h);
	switch (h->type) {
	case NR_REC_PKT:
		dump_pkt(o, (const void *)h);
		break;
	case NR_REC_SOCK:
		dump_sock(o, (const void *)h);
		break;
	case NR_REC_FIB:
		dump_fib(o, (const void *)h);
		break;
	case NR_REC_NEIGH:
		dump_neigh(o, (const void *)h);
		break;
	case NR_REC_COUNTER:
		dump_counter(o, (const void *)h);
		break;
	case NR_REC_CTL:
		dump_ctl(o, (const void *)h);
		break;
	default:
		dump_unknown(o, h);
		break;
	}
	if (o->j)
		nr_jsonw_obj_close(o->j);
	else
		fputc('\n', o->f);
}

static int run_dump(const struct dump_opts *opts)
{
	struct nr_reader_opts ro = { .sz = sizeof(ro), .skip_bad_chunks = opts->skip_bad };
	const struct nr_rec_hdr *h;
	struct nr_reader *r;
	struct nr_error e = { 0 };
	struct out o = { .f = stdout, .abs_time = opts->abs_time };
	static char obuf[1 << 16];
	int ret, status = EXIT_SUCCESS;

	ret = nr_reader__open(opts->file, &ro, &r, &e);
	if (ret) {
		pr_err("%s: %s\n", opts->file, e.msg);
		return EXIT_FAILURE;
	}
	o.m = nr_reader__meta(r);
	o.r = r;
	o.base = nr_decode_time_base(o.m);
	if (opts->abs_time && !o.m->clock_start.real_ns) {
		pr_err("%s: the file has no clock reading, --abs-time is not possible\n",
		       opts->file);
		nr_reader__free(r);
		return EXIT_FAILURE;
	}
	setvbuf(stdout, obuf, _IOFBF, sizeof(obuf));
	if (opts->json) {
		o.j = nr_jsonw_new(stdout, false);
		if (!o.j) {
			pr_err("%s: out of memory\n", opts->file);
			nr_reader__free(r);
			return EXIT_FAILURE;
		}
	}
	for (;;) {
		ret = nr_reader__next(r, &h, &e);
		if (ret == 0)
			break;
		if (ret < 0) {
			fflush(stdout);
			pr_err("%s: %s\n", opts->file, e.msg);
			status = EXIT_FAILURE;
			if (!opts->skip_bad || ret == -ENOMEM)
				break;
			continue;
		}
		dump_one(&o, h);
	}
	nr_jsonw_free(o.j);
	if (fflush(stdout) || ferror(stdout)) {
		pr_err("%s: writing the output failed\n", opts->file);
		status = EXIT_FAILURE;
	}
	if (status == EXIT_SUCCESS && !o.m->file.clean_close)
		pr_warn("%s: not closed cleanly: %s\n", opts->file,
			o.m->file.trunc_msg ? o.m->file.trunc_msg : "no end block");
	setvbuf(stdout, NULL, _IOLBF, 0);
	nr_reader__free(r);
	return status;
}

static void usage_dump(FILE *f)
{
	fprintf(f,
		"usage: netrec dump [--json] [--abs-time] [--skip-bad-chunks] FILE\n"
		"\n"
		"Print every event of a trace file, one per line, in time order.\n"
		"\n"
		"  -j, --json             one JSON object per line\n"
		"      --abs-time         wall-clock time (UTC) instead of seconds since the start\n"
		"      --skip-bad-chunks  go on after a damaged chunk (still exits 1)\n"
		"  -h, --help             this help\n"
		"\n"
		"Examples:\n"
		"  netrec dump trace.nr | grep kfree_skb\n"
		"  netrec dump --json trace.nr | jq -r 'select(.reason == \"NO_SOCKET\") | .ts_ns'\n");
}

int cmd_dump(int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "abs-time", no_argument, NULL, 'a' },
		{ "skip-bad-chunks", no_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct dump_opts opts = defaults_dump;
	int c;

	while ((c = getopt_long(argc, argv, "jh", lopts, NULL)) != -1) {
		switch (c) {
		case 'j':
			opts.json = true;
			break;
		case 'a':
			opts.abs_time = true;
			break;
		case 's':
			opts.skip_bad = true;
			break;
		case 'h':
			usage_dump(stdout);
			return EXIT_SUCCESS;
		default:
			usage_dump(stderr);
			return 2;
		}
	}
	if (optind != argc - 1) {
		pr_err("dump: expected one trace file\n");
		usage_dump(stderr);
		return 2;
	}
	opts.file = argv[optind];
	return run_dump(&opts);
}
