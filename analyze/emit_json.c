// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * emit_json.c - the report as one JSON document; the schema is analyze/REPORT-JSON.md
 * (schema_version below). Keys are an API: add, never rename or repurpose.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "emit.h"
#include "decode.h"
#include "jsonw.h"

#define SCHEMA_VERSION	1

/* a percentage with two decimals, of integers (the same digits everywhere) */
static void j_pct(struct nr_jsonw *j, __u64 part, __u64 whole)
{
	nr_jsonw_fixed(j, whole ? (double)part * 100.0 / (double)whole : 0.0, 2);
}

static void j_proto(struct nr_jsonw *j, __u8 proto)
{
	/* issue 2's schema: "tcp", "udp", "icmp", else the number */
	if (proto == IPPROTO_TCP || proto == IPPROTO_UDP || proto == IPPROTO_ICMP)
		nr_jsonw_str(j, nr_decode_ipproto_name(proto));
	else
		nr_jsonw_u64(j, proto);
}

static const char *family_name(__u8 family)
{
	return family == AF_INET ? "ipv4" : family == AF_INET6 ? "ipv6" : NULL;
}

static void j_flow_fields(struct nr_jsonw *j, const struct nr_flow *f)
{
	char buf[64];

	nr_jsonw_key(j, "proto");
	j_proto(j, f->proto);
	nr_jsonw_kv_str(j, "family", family_name(f->family));
	nr_jsonw_kv_str(j, "src", f->family ? nr_decode_addr(f->family, f->src, buf, sizeof(buf)) : NULL);
	nr_jsonw_kv_u64(j, "sport", f->sport);
	nr_jsonw_kv_str(j, "dst", f->family ? nr_decode_addr(f->family, f->dst, buf, sizeof(buf)) : NULL);
	nr_jsonw_kv_u64(j, "dport", f->dport);
	nr_jsonw_kv_str(j, "from", f->origin == NR_FLOW_FROM_SOCKET ? "socket" : "packet");
}

static void j_flows(struct nr_jsonw *j, const char *key, const struct nr_res_flow *fl, __u32 n)
{
	__u32 i;

	nr_jsonw_key(j, key);
	nr_jsonw_arr_open(j);
	for (i = 0; i < n; i++) {
		nr_jsonw_obj_open(j);
		j_flow_fields(j, &fl[i].flow);
		nr_jsonw_kv_u64(j, "count", fl[i].count);
		nr_jsonw_obj_close(j);
	}
	nr_jsonw_arr_close(j);
}

static void j_devs(struct nr_jsonw *j, const char *key, const struct nr_res_dev *d, __u32 n,
		   bool with_dev)
{
	__u32 i;

	nr_jsonw_key(j, key);
	nr_jsonw_arr_open(j);
	for (i = 0; i < n; i++) {
		nr_jsonw_obj_open(j);
		nr_jsonw_kv_u64(j, "netns", d[i].netns);
		nr_jsonw_kv_str(j, "netns_name", d[i].netns_name);
		if (with_dev) {
			nr_jsonw_kv_u64(j, "ifindex", d[i].ifindex);
			nr_jsonw_kv_str(j, "ifname", d[i].ifname);
		}
		nr_jsonw_kv_u64(j, "count", d[i].count);
		nr_jsonw_obj_close(j);
	}
	nr_jsonw_arr_close(j);
}

static void j_series(struct nr_jsonw *j, const char *key, const __u64 *s, __u32 n)
{
	__u32 i;

	nr_jsonw_key(j, key);
	nr_jsonw_arr_open(j);
	for (i = 0; i < n; i++)
		nr_jsonw_u64(j, s[i]);
	nr_jsonw_arr_close(j);
}

static void j_frames(struct nr_jsonw *j, const char *key, const struct nr_res_stack *st)
{
	__u32 i;

	nr_jsonw_key(j, key);
	nr_jsonw_arr_open(j);
	for (i = 0; st && i < st->nr_frames; i++)
		nr_jsonw_str(j, st->frames[i]);
	nr_jsonw_arr_close(j);
}

static void j_drop(struct nr_jsonw *j, const struct nr_result *r, const struct nr_res_drop *d)
{
	char pn[32];
	__u32 i;

	nr_jsonw_obj_open(j);
	nr_jsonw_kv_u64(j, "id", d->id);
	nr_jsonw_kv_u64(j, "origin", d->origin);
	nr_jsonw_kv_u64(j, "time_ns", d->ts);
	nr_jsonw_kv_str(j, "reason", d->reason_name);
	nr_jsonw_kv_str(j, "location", d->location_str);
	nr_jsonw_kv_u64(j, "stack_id", d->stack_id);
	nr_jsonw_kv_u64(j, "netns", d->netns);
	nr_jsonw_kv_str(j, "netns_name", nr_result__netns_name(r, d->netns));
	nr_jsonw_kv_u64(j, "ifindex", d->ifindex);
	nr_jsonw_kv_str(j, "ifname", d->ifname);
	nr_jsonw_kv_u64(j, "len", d->len);
	nr_jsonw_key(j, "flow");
	if (d->flow.family) {
		nr_jsonw_obj_open(j);
		j_flow_fields(j, &d->flow);
		nr_jsonw_obj_close(j);
	} else {
		nr_jsonw_null(j);
	}
	nr_jsonw_key(j, "path");
	nr_jsonw_arr_open(j);
	for (i = 0; i < d->nr_hops; i++) {
		const struct nr_hop *h = &d->hops[i];

		nr_jsonw_obj_open(j);
		nr_jsonw_kv_u64(j, "time_ns", h->ts);
		nr_jsonw_kv_u64(j, "delta_ns", i ? h->ts - d->hops[i - 1].ts : 0);
		nr_jsonw_kv_str(j, "probe", nr_decode_probe(r->meta, h->probe, pn, sizeof(pn)));
		nr_jsonw_kv_u64(j, "cpu", h->cpu);
		nr_jsonw_kv_u64(j, "netns", h->netns);
		nr_jsonw_kv_u64(j, "ifindex", h->ifindex);
		nr_jsonw_kv_u64(j, "len", h->len);
		nr_jsonw_kv_bool(j, "inherited", h->flags & NR_HOP_INHERITED);
		nr_jsonw_obj_close(j);
	}
	nr_jsonw_arr_close(j);
	nr_jsonw_kv_u64(j, "path_points_lost", d->hops_lost);
	nr_jsonw_obj_close(j);
}

static void j_group(struct nr_jsonw *j, const struct nr_result *r, const struct nr_res_group *g)
{
	__u32 i;

	nr_jsonw_obj_open(j);
	nr_jsonw_kv_str(j, "reason", g->reason_name);
	nr_jsonw_kv_u64(j, "reason_value", g->reason);
	nr_jsonw_kv_str(j, "location", g->location_str);
	nr_jsonw_kv_u64(j, "count", g->count);
	nr_jsonw_key(j, "percent");
	j_pct(j, g->count, r->totals.drops);
	nr_jsonw_kv_u64(j, "first_ns", g->first_ts);
	nr_jsonw_kv_u64(j, "last_ns", g->last_ts);
	j_flows(j, "flows", g->flows, g->nr_flows);
	nr_jsonw_kv_u64(j, "flows_other", g->flows_other);
	nr_jsonw_kv_u64(j, "flows_unknown", g->flows_unknown);
	/* the most frequent stack, as issue 2's schema has it; all of them in "stacks" */
	j_frames(j, "stack", g->nr_stacks ? g->stacks[0].stack : NULL);
	nr_jsonw_kv_u64(j, "with_stack", g->with_stack);
	nr_jsonw_key(j, "stacks");
	nr_jsonw_arr_open(j);
	for (i = 0; i < g->nr_stacks; i++) {
		nr_jsonw_obj_open(j);
		nr_jsonw_kv_u64(j, "id", g->stacks[i].stack->id);
		nr_jsonw_kv_u64(j, "count", g->stacks[i].count);
		nr_jsonw_obj_close(j);
	}
	nr_jsonw_arr_close(j);
	j_devs(j, "devices", g->devs, g->nr_devs, true);
	nr_jsonw_key(j, "example");
	if (g->example)
		j_drop(j, r, g->example);
	else
		nr_jsonw_null(j);
	nr_jsonw_obj_close(j);
}

static void j_conn(struct nr_jsonw *j, const struct nr_res_conn *c)
{
	char buf[64];
	__u32 i;

	nr_jsonw_obj_open(j);
	nr_jsonw_kv_u64(j, "id", c->id);
	nr_jsonw_kv_str(j, "sk", (snprintf(buf, sizeof(buf), "0x%llx", (unsigned long long)c->sk), buf));
	nr_jsonw_kv_str(j, "family", family_name((__u8)c->family));
	nr_jsonw_kv_str(j, "src", nr_decode_addr(c->family, c->src, buf, sizeof(buf)));
	nr_jsonw_kv_u64(j, "sport", c->sport);
	nr_jsonw_kv_str(j, "dst", nr_decode_addr(c->family, c->dst, buf, sizeof(buf)));
	nr_jsonw_kv_u64(j, "dport", c->dport);
	nr_jsonw_kv_u64(j, "netns", c->netns);
	nr_jsonw_kv_str(j, "netns_name", c->netns_name);
	nr_jsonw_kv_u64(j, "first_ns", c->first_ts);
	nr_jsonw_kv_u64(j, "last_ns", c->last_ts);
	nr_jsonw_kv_str(j, "end", nr_res_conn_end_key(c->end));
	nr_jsonw_kv_bool(j, "established", c->established);
	nr_jsonw_kv_bool(j, "listener", c->listener);
	nr_jsonw_kv_bool(j, "partial", c->partial);
	nr_jsonw_kv_u64(j, "retransmits", c->retrans);
	nr_jsonw_kv_u64(j, "resets_sent", c->rst_sent);
	nr_jsonw_kv_u64(j, "resets_received", c->rst_recv);
	nr_jsonw_kv_str(j, "reset_reason", c->rst_reason);
	nr_jsonw_key(j, "transitions");
	nr_jsonw_arr_open(j);
	for (i = 0; i < c->nr_trans; i++) {
		nr_jsonw_obj_open(j);
		nr_jsonw_kv_u64(j, "time_ns", c->trans[i].ts);
		nr_jsonw_kv_str(j, "from", c->trans[i].from_name);
		nr_jsonw_kv_str(j, "to", c->trans[i].to_name);
		nr_jsonw_obj_close(j);
	}
	nr_jsonw_arr_close(j);
	nr_jsonw_kv_u64(j, "transitions_lost", c->trans_lost);
	nr_jsonw_key(j, "state_ns");
	nr_jsonw_obj_open(j);
	for (i = 0; i < NR_TCP_NSTATES; i++) {
		const char *name = nr_conn_state_name(c, (__u16)i);

		if (c->state_ns[i] && name)
			nr_jsonw_kv_u64(j, name, c->state_ns[i]);
	}
	nr_jsonw_obj_close(j);
	nr_jsonw_obj_close(j);
}

static void j_tcp(struct nr_jsonw *j, const struct nr_res_tcp *t)
{
	__u32 i;

	nr_jsonw_key(j, "tcp");
	nr_jsonw_obj_open(j);
	nr_jsonw_kv_u64(j, "total", t->connections);
	nr_jsonw_kv_u64(j, "established", t->established);
	nr_jsonw_kv_u64(j, "never_established", t->never_established);
	nr_jsonw_key(j, "by_end");
	nr_jsonw_obj_open(j);
	for (i = 1; i < __NR_CONN_END_MAX; i++)
		nr_jsonw_kv_u64(j, nr_res_conn_end_key(i), t->by_end[i]);
	nr_jsonw_obj_close(j);
	nr_jsonw_kv_u64(j, "retransmits", t->retrans);
	nr_jsonw_kv_u64(j, "resets_sent", t->rst_sent);
	nr_jsonw_kv_u64(j, "resets_received", t->rst_recv);
	nr_jsonw_kv_u64(j, "retransmits_unknown_socket", t->retrans_unknown_sock);
	nr_jsonw_key(j, "connections");
	nr_jsonw_arr_open(j);
	for (i = 0; i < t->nr_conns; i++)
		j_conn(j, &t->conns[i]);
	nr_jsonw_arr_close(j);
	nr_jsonw_kv_u64(j, "connections_not_kept", t->conns_not_kept);
	nr_jsonw_key(j, "resets_without_socket");
	nr_jsonw_arr_open(j);
	for (i = 0; i < t->nr_rst_nosock; i++) {
		nr_jsonw_obj_open(j);
		j_flow_fields(j, &t->rst_nosock[i].flow);
		nr_jsonw_kv_str(j, "reason", t->rst_nosock[i].reason);
		nr_jsonw_kv_u64(j, "count", t->rst_nosock[i].count);
		nr_jsonw_obj_close(j);
	}
	nr_jsonw_arr_close(j);
	nr_jsonw_obj_close(j);
}

static void j_coverage(struct nr_jsonw *j, const struct nr_result *r)
{
	const struct nr_res_coverage *c = &r->cov;
	__u32 i;

	nr_jsonw_key(j, "coverage");
	nr_jsonw_obj_open(j);
	nr_jsonw_kv_u64(j, "lost", c->lost);
	nr_jsonw_key(j, "lost_per_cpu");
	nr_jsonw_arr_open(j);
	for (i = 0; i < c->nr_lost_cpus; i++) {
		nr_jsonw_obj_open(j);
		nr_jsonw_kv_u64(j, "cpu", c->lost_cpus[i].cpu);
		nr_jsonw_kv_u64(j, "lost", c->lost_cpus[i].value);
		nr_jsonw_obj_close(j);
	}
	nr_jsonw_arr_close(j);
	nr_jsonw_kv_u64(j, "not_stored", c->user_drop);
	nr_jsonw_kv_u64(j, "filtered", c->filtered);
	nr_jsonw_kv_u64(j, "rate_limited", c->rate_limited);
	nr_jsonw_kv_u64(j, "paused", c->paused);
	nr_jsonw_kv_u64(j, "paused_ns", c->paused_ns);
	nr_jsonw_kv_u64(j, "stack_skipped", c->stack_skipped);
	nr_jsonw_kv_u64(j, "drops_without_stack", r->drops_without_stack);
	nr_jsonw_key(j, "pcap");
	nr_jsonw_obj_open(j);
	nr_jsonw_kv_u64(j, "received", c->pcap_recv);
	nr_jsonw_kv_u64(j, "dropped", c->pcap_drop);
	nr_jsonw_kv_u64(j, "interface_dropped", c->pcap_ifdrop);
	nr_jsonw_obj_close(j);
	nr_jsonw_kv_bool(j, "has_paths", r->has_paths);
	nr_jsonw_key(j, "control");
	nr_jsonw_arr_open(j);
	for (i = 0; i < c->nr_ctl; i++) {
		nr_jsonw_obj_open(j);
		nr_jsonw_kv_u64(j, "time_ns", c->ctl[i].ts);
		nr_jsonw_kv_str(j, "kind", nr_decode_ctl_name(c->ctl[i].kind));
		nr_jsonw_kv_str(j, "text", c->ctl[i].text);
		nr_jsonw_obj_close(j);
	}
	nr_jsonw_arr_close(j);
	nr_jsonw_kv_u64(j, "control_not_kept", c->ctl_not_kept);
	nr_jsonw_key(j, "probes");
	nr_jsonw_arr_open(j);
	for (i = 0; i < c->nr_probes; i++) {
		const struct nr_res_probe *p = &c->probes[i];

		nr_jsonw_obj_open(j);
		nr_jsonw_kv_u64(j, "id", p->id);
		nr_jsonw_kv_str(j, "name", p->name);
		nr_jsonw_kv_str(j, "status", nr_decode_probe_status_name(p->status));
		nr_jsonw_key(j, "error");
		nr_jsonw_s64(j, p->err);
		nr_jsonw_kv_str(j, "message", p->msg);
		nr_jsonw_kv_str(j, "cannot_answer", p->cannot_answer);
		nr_jsonw_obj_close(j);
	}
	nr_jsonw_arr_close(j);
	nr_jsonw_obj_close(j);
}

static void j_header(struct nr_jsonw *j, const struct nr_result *r, const struct nr_emit_opts *eo)
{
	const struct nr_meta *m = r->meta;
	char wall[64];

	nr_jsonw_key(j, "file");
	nr_jsonw_obj_open(j);
	nr_jsonw_kv_str(j, "name", eo->file);
	nr_jsonw_kv_bool(j, "clean_close", m->file.clean_close);
	nr_jsonw_kv_u64(j, "truncated_bytes", m->file.truncated_bytes);
	nr_jsonw_kv_str(j, "truncated", m->file.trunc_msg);
	nr_jsonw_kv_u64(j, "bad_chunks", m->file.nr_bad_chunks);
	nr_jsonw_obj_close(j);
	nr_jsonw_key(j, "host");
	nr_jsonw_obj_open(j);
	nr_jsonw_kv_str(j, "hostname", m->host.hostname);
	nr_jsonw_kv_str(j, "release", m->host.release);
	nr_jsonw_kv_str(j, "machine", m->host.machine);
	nr_jsonw_kv_str(j, "netrec_version", m->host.netrec_version);
	nr_jsonw_kv_u64(j, "ncpus", m->host.ncpus);
	nr_jsonw_obj_close(j);
	nr_jsonw_key(j, "time");
	nr_jsonw_obj_open(j);
	nr_jsonw_kv_u64(j, "first_ns", r->first_ts);
	nr_jsonw_kv_u64(j, "last_ns", r->last_ts);
	nr_jsonw_kv_u64(j, "duration_ns", r->last_ts - r->first_ts);
	nr_jsonw_kv_str(j, "start_utc", r->first_ts && !nr_decode_walltime(r->meta, r->first_ts,
									       wall, sizeof(wall)) ?
							wall : NULL);
	nr_jsonw_obj_close(j);
	nr_jsonw_kv_str(j, "filters", eo->filters);
}

static int emit_json(FILE *f, const struct nr_result *r, const struct nr_emit_opts *eo)
{
	const struct nr_res_totals *t = &r->totals;
	struct nr_jsonw *j = nr_jsonw_new(f, true);
	char verdict[512];
	__u32 i, k;

	if (!j)
		return -ENOMEM;
	nr_jsonw_obj_open(j);
	nr_jsonw_kv_u64(j, "schema_version", SCHEMA_VERSION);
	j_header(j, r, eo);
	nr_jsonw_kv_str(j, "verdict", nr_fmt_verdict(r, verdict, sizeof(verdict)));

	nr_jsonw_key(j, "totals");
	nr_jsonw_obj_open(j);
	nr_jsonw_kv_u64(j, "events", t->events);
	nr_jsonw_kv_u64(j, "drops", t->drops);
	nr_jsonw_kv_u64(j, "lost", t->lost);
	nr_jsonw_kv_u64(j, "drops_before_filters", t->drops_all);
	nr_jsonw_key(j, "records");
	nr_jsonw_obj_open(j);
	for (k = 1; k < __NR_REC_MAX; k++)
		if (nr_rec_name(k))
			nr_jsonw_kv_u64(j, nr_rec_name(k), t->by_type[k]);
	nr_jsonw_kv_u64(j, "unknown", t->unknown_type);
	nr_jsonw_obj_close(j);
	nr_jsonw_kv_u64(j, "packets", t->packets);
	nr_jsonw_kv_u64(j, "consumed", t->consumed);
	nr_jsonw_kv_u64(j, "unseen_free", t->unseen_free);
	nr_jsonw_kv_u64(j, "in_flight", t->in_flight);
	nr_jsonw_kv_u64(j, "clones", t->clones);
	nr_jsonw_kv_u64(j, "reordered", t->reordered);
	nr_jsonw_obj_close(j);

	nr_jsonw_key(j, "drops");
	nr_jsonw_arr_open(j);
	for (i = 0; i < r->nr_reasons; i++)
		for (k = 0; k < r->reasons[i].nr_groups; k++)
			j_group(j, r, &r->reasons[i].groups[k]);
	nr_jsonw_arr_close(j);

	nr_jsonw_key(j, "reasons");
	nr_jsonw_arr_open(j);
	for (i = 0; i < r->nr_reasons; i++) {
		const struct nr_res_reason *rr = &r->reasons[i];

		nr_jsonw_obj_open(j);
		nr_jsonw_kv_str(j, "reason", rr->name);
		nr_jsonw_kv_u64(j, "reason_value", rr->reason);
		nr_jsonw_kv_u64(j, "count", rr->count);
		nr_jsonw_key(j, "percent");
		j_pct(j, rr->count, t->drops);
		nr_jsonw_key(j, "diagnosis");
		if (rr->diag_what) {
			nr_jsonw_obj_open(j);
			nr_jsonw_kv_str(j, "what", rr->diag_what);
			nr_jsonw_kv_str(j, "check", rr->diag_check);
			nr_jsonw_obj_close(j);
		} else {
			nr_jsonw_null(j);
		}
		nr_jsonw_key(j, "locations");
		nr_jsonw_arr_open(j);
		for (k = 0; k < rr->nr_groups; k++)
			nr_jsonw_str(j, rr->groups[k].location_str);
		nr_jsonw_arr_close(j);
		j_flows(j, "flows", rr->flows, rr->nr_flows);
		nr_jsonw_kv_u64(j, "flows_other", rr->flows_other);
		nr_jsonw_kv_u64(j, "flows_unknown", rr->flows_unknown);
		j_devs(j, "devices", rr->devs, rr->nr_devs, true);
		j_series(j, "over_time", rr->series, r->nr_intervals);
		nr_jsonw_obj_close(j);
	}
	nr_jsonw_arr_close(j);

	nr_jsonw_key(j, "over_time");
	nr_jsonw_obj_open(j);
	nr_jsonw_kv_u64(j, "interval_ns", r->interval_ns);
	nr_jsonw_kv_u64(j, "start_ns", r->series_start_ns);
	j_series(j, "drops", r->series, r->nr_intervals);
	nr_jsonw_obj_close(j);

	j_flows(j, "flows", r->flows, r->nr_flows);
	nr_jsonw_kv_u64(j, "flows_other", r->flows_other);
	nr_jsonw_kv_u64(j, "flows_unknown", r->flows_unknown);
	nr_jsonw_key(j, "stacks");
	nr_jsonw_arr_open(j);
	for (i = 0; i < r->nr_stacks; i++) {
		nr_jsonw_obj_open(j);
		nr_jsonw_kv_u64(j, "id", r->stacks[i].id);
		nr_jsonw_kv_u64(j, "count", r->stacks[i].count);
		j_frames(j, "frames", &r->stacks[i]);
		nr_jsonw_obj_close(j);
	}
	nr_jsonw_arr_close(j);
	j_devs(j, "devices", r->devs, r->nr_devs, true);
	j_devs(j, "netns", r->netns, r->nr_netns, false);

	nr_jsonw_key(j, "packets");
	nr_jsonw_arr_open(j);
	for (i = 0; i < r->nr_drops; i++)
		j_drop(j, r, &r->drops[i]);
	nr_jsonw_arr_close(j);
	nr_jsonw_kv_u64(j, "packets_not_kept", r->drops_not_kept);

	j_tcp(j, &r->tcp);
	j_coverage(j, r);
	nr_jsonw_obj_close(j);
	nr_jsonw_free(j);
	return ferror(f) ? -EIO : 0;
}

const struct nr_emitter nr_emit_json = { "json", emit_json };
