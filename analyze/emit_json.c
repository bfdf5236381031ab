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
#include "json.h"

#define SCHEMA_VERSION	1

static void j_proto(struct json *j, __u8 proto)
{
	/* issue 2's schema: "tcp", "udp", "icmp", else the number */
	if (proto == IPPROTO_TCP || proto == IPPROTO_UDP || proto == IPPROTO_ICMP)
		json_str(j, nr_flow_proto_name(proto));
	else
		json_u64(j, proto);
}

static const char *family_name(__u8 family)
{
	return family == AF_INET ? "ipv4" : family == AF_INET6 ? "ipv6" : NULL;
}

static void j_flow_fields(struct json *j, const struct nr_flow *f)
{
	char buf[64];

	json_key(j, "proto");
	j_proto(j, f->proto);
	json_kstr(j, "family", family_name(f->family));
	json_kstr(j, "src", nr_flow_addr(f->family, f->src, buf, sizeof(buf)));
	json_ku64(j, "sport", f->sport);
	json_kstr(j, "dst", nr_flow_addr(f->family, f->dst, buf, sizeof(buf)));
	json_ku64(j, "dport", f->dport);
	json_kstr(j, "from", f->origin == NR_FLOW_FROM_SOCKET ? "socket" : "packet");
}

static void j_flows(struct json *j, const char *key, const struct nr_res_flow *fl, __u32 n)
{
	__u32 i;

	json_key(j, key);
	json_arr(j);
	for (i = 0; i < n; i++) {
		json_obj(j);
		j_flow_fields(j, &fl[i].flow);
		json_ku64(j, "count", fl[i].count);
		json_obj_end(j);
	}
	json_arr_end(j);
}

static void j_devs(struct json *j, const char *key, const struct nr_res_dev *d, __u32 n,
		   bool with_dev)
{
	__u32 i;

	json_key(j, key);
	json_arr(j);
	for (i = 0; i < n; i++) {
		json_obj(j);
		json_ku64(j, "netns", d[i].netns);
		json_kstr(j, "netns_name", d[i].netns_name);
		if (with_dev) {
			json_ku64(j, "ifindex", d[i].ifindex);
			json_kstr(j, "ifname", d[i].ifname);
		}
		json_ku64(j, "count", d[i].count);
		json_obj_end(j);
	}
	json_arr_end(j);
}

static void j_series(struct json *j, const char *key, const __u64 *s, __u32 n)
{
	__u32 i;

	json_key(j, key);
	json_arr(j);
	for (i = 0; i < n; i++)
		json_u64(j, s[i]);
	json_arr_end(j);
}

static void j_frames(struct json *j, const char *key, const struct nr_res_stack *st)
{
	__u32 i;

	json_key(j, key);
	json_arr(j);
	for (i = 0; st && i < st->nr_frames; i++)
		json_str(j, st->frames[i]);
	json_arr_end(j);
}

static void j_drop(struct json *j, const struct nr_result *r, const struct nr_res_drop *d)
{
	char pn[32];
	__u32 i;

	json_obj(j);
	json_ku64(j, "id", d->id);
	json_ku64(j, "origin", d->origin);
	json_ku64(j, "time_ns", d->ts);
	json_kstr(j, "reason", d->reason_name);
	json_kstr(j, "location", d->location_str);
	json_ku64(j, "stack_id", d->stack_id);
	json_ku64(j, "netns", d->netns);
	json_kstr(j, "netns_name", nr_result__netns_name(r, d->netns));
	json_ku64(j, "ifindex", d->ifindex);
	json_kstr(j, "ifname", d->ifname);
	json_ku64(j, "len", d->len);
	json_key(j, "flow");
	if (d->flow.family) {
		json_obj(j);
		j_flow_fields(j, &d->flow);
		json_obj_end(j);
	} else {
		json_null(j);
	}
	json_key(j, "path");
	json_arr(j);
	for (i = 0; i < d->nr_hops; i++) {
		const struct nr_hop *h = &d->hops[i];

		json_obj(j);
		json_ku64(j, "time_ns", h->ts);
		json_ku64(j, "delta_ns", i ? h->ts - d->hops[i - 1].ts : 0);
		json_kstr(j, "probe", nr_probe_name(r, h->probe, pn, sizeof(pn)));
		json_ku64(j, "cpu", h->cpu);
		json_ku64(j, "netns", h->netns);
		json_ku64(j, "ifindex", h->ifindex);
		json_ku64(j, "len", h->len);
		json_kbool(j, "inherited", h->flags & NR_HOP_INHERITED);
		json_obj_end(j);
	}
	json_arr_end(j);
	json_ku64(j, "path_points_lost", d->hops_lost);
	json_obj_end(j);
}

static void j_group(struct json *j, const struct nr_result *r, const struct nr_res_group *g)
{
	__u32 i;

	json_obj(j);
	json_kstr(j, "reason", g->reason_name);
	json_ku64(j, "reason_value", g->reason);
	json_kstr(j, "location", g->location_str);
	json_ku64(j, "count", g->count);
	json_key(j, "percent");
	json_pct(j, g->count, r->totals.drops);
	json_ku64(j, "first_ns", g->first_ts);
	json_ku64(j, "last_ns", g->last_ts);
	j_flows(j, "flows", g->flows, g->nr_flows);
	json_ku64(j, "flows_other", g->flows_other);
	json_ku64(j, "flows_unknown", g->flows_unknown);
	/* the most frequent stack, as issue 2's schema has it; all of them in "stacks" */
	j_frames(j, "stack", g->nr_stacks ? g->stacks[0].stack : NULL);
	json_ku64(j, "with_stack", g->with_stack);
	json_key(j, "stacks");
	json_arr(j);
	for (i = 0; i < g->nr_stacks; i++) {
		json_obj(j);
		json_ku64(j, "id", g->stacks[i].stack->id);
		json_ku64(j, "count", g->stacks[i].count);
		json_obj_end(j);
	}
	json_arr_end(j);
	j_devs(j, "devices", g->devs, g->nr_devs, true);
	json_key(j, "example");
	if (g->example)
		j_drop(j, r, g->example);
	else
		json_null(j);
	json_obj_end(j);
}

static void j_conn(struct json *j, const struct nr_res_conn *c)
{
	char buf[64];
	__u32 i;

	json_obj(j);
	json_ku64(j, "id", c->id);
	json_kstr(j, "sk", (snprintf(buf, sizeof(buf), "0x%llx", (unsigned long long)c->sk), buf));
	json_kstr(j, "family", family_name((__u8)c->family));
	json_kstr(j, "src", nr_flow_addr((__u8)c->family, c->src, buf, sizeof(buf)));
	json_ku64(j, "sport", c->sport);
	json_kstr(j, "dst", nr_flow_addr((__u8)c->family, c->dst, buf, sizeof(buf)));
	json_ku64(j, "dport", c->dport);
	json_ku64(j, "netns", c->netns);
	json_kstr(j, "netns_name", c->netns_name);
	json_ku64(j, "first_ns", c->first_ts);
	json_ku64(j, "last_ns", c->last_ts);
	json_kstr(j, "end", nr_res_conn_end_key(c->end));
	json_kbool(j, "established", c->established);
	json_kbool(j, "listener", c->listener);
	json_kbool(j, "partial", c->partial);
	json_ku64(j, "retransmits", c->retrans);
	json_ku64(j, "resets_sent", c->rst_sent);
	json_ku64(j, "resets_received", c->rst_recv);
	json_kstr(j, "reset_reason", c->rst_reason);
	json_key(j, "transitions");
	json_arr(j);
	for (i = 0; i < c->nr_trans; i++) {
		json_obj(j);
		json_ku64(j, "time_ns", c->trans[i].ts);
		json_kstr(j, "from", c->trans[i].from_name);
		json_kstr(j, "to", c->trans[i].to_name);
		json_obj_end(j);
	}
	json_arr_end(j);
	json_ku64(j, "transitions_lost", c->trans_lost);
	json_key(j, "state_ns");
	json_obj(j);
	for (i = 0; i < NR_TCP_NSTATES; i++) {
		const char *name = nr_conn_state_name(c, (__u16)i);

		if (c->state_ns[i] && name)
			json_ku64(j, name, c->state_ns[i]);
	}
	json_obj_end(j);
	json_obj_end(j);
}

static void j_tcp(struct json *j, const struct nr_res_tcp *t)
{
	__u32 i;

	json_key(j, "tcp");
	json_obj(j);
	json_ku64(j, "total", t->connections);
	json_ku64(j, "established", t->established);
	json_ku64(j, "never_established", t->never_established);
	json_key(j, "by_end");
	json_obj(j);
	for (i = 1; i < __NR_CONN_END_MAX; i++)
		json_ku64(j, nr_res_conn_end_key(i), t->by_end[i]);
	json_obj_end(j);
	json_ku64(j, "retransmits", t->retrans);
	json_ku64(j, "resets_sent", t->rst_sent);
	json_ku64(j, "resets_received", t->rst_recv);
	json_ku64(j, "retransmits_unknown_socket", t->retrans_unknown_sock);
	json_key(j, "connections");
	json_arr(j);
	for (i = 0; i < t->nr_conns; i++)
		j_conn(j, &t->conns[i]);
	json_arr_end(j);
	json_ku64(j, "connections_not_kept", t->conns_not_kept);
	json_key(j, "resets_without_socket");
	json_arr(j);
	for (i = 0; i < t->nr_rst_nosock; i++) {
		json_obj(j);
		j_flow_fields(j, &t->rst_nosock[i].flow);
		json_kstr(j, "reason", t->rst_nosock[i].reason);
		json_ku64(j, "count", t->rst_nosock[i].count);
		json_obj_end(j);
	}
	json_arr_end(j);
	json_obj_end(j);
}

static const char *status_name(__u16 st)
{
	switch (st) {
	case NR_PROBE_ATTACHED: return "attached";
	case NR_PROBE_FAILED: return "failed";
	case NR_PROBE_UNAVAILABLE: return "unavailable";
	case NR_PROBE_NOT_SELECTED: return "not_selected";
	default: return "unknown";
	}
}

static void j_coverage(struct json *j, const struct nr_result *r)
{
	const struct nr_res_coverage *c = &r->cov;
	__u32 i;

	json_key(j, "coverage");
	json_obj(j);
	json_ku64(j, "lost", c->lost);
	json_key(j, "lost_per_cpu");
	json_arr(j);
	for (i = 0; i < c->nr_lost_cpus; i++) {
		json_obj(j);
		json_ku64(j, "cpu", c->lost_cpus[i].cpu);
		json_ku64(j, "lost", c->lost_cpus[i].value);
		json_obj_end(j);
	}
	json_arr_end(j);
	json_ku64(j, "not_stored", c->user_drop);
	json_ku64(j, "filtered", c->filtered);
	json_ku64(j, "rate_limited", c->rate_limited);
	json_ku64(j, "paused", c->paused);
	json_ku64(j, "paused_ns", c->paused_ns);
	json_ku64(j, "stack_skipped", c->stack_skipped);
	json_ku64(j, "drops_without_stack", r->drops_without_stack);
	json_key(j, "pcap");
	json_obj(j);
	json_ku64(j, "received", c->pcap_recv);
	json_ku64(j, "dropped", c->pcap_drop);
	json_ku64(j, "interface_dropped", c->pcap_ifdrop);
	json_obj_end(j);
	json_kbool(j, "has_paths", r->has_paths);
	json_key(j, "control");
	json_arr(j);
	for (i = 0; i < c->nr_ctl; i++) {
		json_obj(j);
		json_ku64(j, "time_ns", c->ctl[i].ts);
		json_kstr(j, "kind", nr_res_ctl_name(c->ctl[i].kind));
		json_kstr(j, "text", c->ctl[i].text);
		json_obj_end(j);
	}
	json_arr_end(j);
	json_ku64(j, "control_not_kept", c->ctl_not_kept);
	json_key(j, "probes");
	json_arr(j);
	for (i = 0; i < c->nr_probes; i++) {
		const struct nr_res_probe *p = &c->probes[i];

		json_obj(j);
		json_ku64(j, "id", p->id);
		json_kstr(j, "name", p->name);
		json_kstr(j, "status", status_name(p->status));
		json_key(j, "error");
		json_i64(j, p->err);
		json_kstr(j, "message", p->msg);
		json_kstr(j, "cannot_answer", p->cannot_answer);
		json_obj_end(j);
	}
	json_arr_end(j);
	json_obj_end(j);
}

static void j_header(struct json *j, const struct nr_result *r, const struct nr_emit_opts *eo)
{
	const struct nr_meta *m = r->meta;
	char wall[64];

	json_key(j, "file");
	json_obj(j);
	json_kstr(j, "name", eo->file);
	json_kbool(j, "clean_close", m->file.clean_close);
	json_ku64(j, "truncated_bytes", m->file.truncated_bytes);
	json_kstr(j, "truncated", m->file.trunc_msg);
	json_ku64(j, "bad_chunks", m->file.nr_bad_chunks);
	json_obj_end(j);
	json_key(j, "host");
	json_obj(j);
	json_kstr(j, "hostname", m->host.hostname);
	json_kstr(j, "release", m->host.release);
	json_kstr(j, "machine", m->host.machine);
	json_kstr(j, "netrec_version", m->host.netrec_version);
	json_ku64(j, "ncpus", m->host.ncpus);
	json_obj_end(j);
	json_key(j, "time");
	json_obj(j);
	json_ku64(j, "first_ns", r->first_ts);
	json_ku64(j, "last_ns", r->last_ts);
	json_ku64(j, "duration_ns", r->last_ts - r->first_ts);
	json_kstr(j, "start_utc", r->first_ts ? nr_fmt_wall(r, r->first_ts, wall, sizeof(wall)) :
						NULL);
	json_obj_end(j);
	json_kstr(j, "filters", eo->filters);
}

static int emit_json(FILE *f, const struct nr_result *r, const struct nr_emit_opts *eo)
{
	const struct nr_res_totals *t = &r->totals;
	struct json jw, *j = &jw;
	char verdict[512];
	__u32 i, k;

	json_init(j, f);
	json_obj(j);
	json_ku64(j, "schema_version", SCHEMA_VERSION);
	j_header(j, r, eo);
	json_kstr(j, "verdict", nr_fmt_verdict(r, verdict, sizeof(verdict)));

	json_key(j, "totals");
	json_obj(j);
	json_ku64(j, "events", t->events);
	json_ku64(j, "drops", t->drops);
	json_ku64(j, "lost", t->lost);
	json_ku64(j, "drops_before_filters", t->drops_all);
	json_key(j, "records");
	json_obj(j);
	for (k = 1; k < __NR_REC_MAX; k++)
		if (nr_rec_name(k))
			json_ku64(j, nr_rec_name(k), t->by_type[k]);
	json_ku64(j, "unknown", t->unknown_type);
	json_obj_end(j);
	json_ku64(j, "packets", t->packets);
	json_ku64(j, "consumed", t->consumed);
	json_ku64(j, "unseen_free", t->unseen_free);
	json_ku64(j, "in_flight", t->in_flight);
	json_ku64(j, "clones", t->clones);
	json_ku64(j, "reordered", t->reordered);
	json_obj_end(j);

	json_key(j, "drops");
	json_arr(j);
	for (i = 0; i < r->nr_reasons; i++)
		for (k = 0; k < r->reasons[i].nr_groups; k++)
			j_group(j, r, &r->reasons[i].groups[k]);
	json_arr_end(j);

	json_key(j, "reasons");
	json_arr(j);
	for (i = 0; i < r->nr_reasons; i++) {
		const struct nr_res_reason *rr = &r->reasons[i];

		json_obj(j);
		json_kstr(j, "reason", rr->name);
		json_ku64(j, "reason_value", rr->reason);
		json_ku64(j, "count", rr->count);
		json_key(j, "percent");
		json_pct(j, rr->count, t->drops);
		json_key(j, "diagnosis");
		if (rr->diag_what) {
			json_obj(j);
			json_kstr(j, "what", rr->diag_what);
			json_kstr(j, "check", rr->diag_check);
			json_obj_end(j);
		} else {
			json_null(j);
		}
		json_key(j, "locations");
		json_arr(j);
		for (k = 0; k < rr->nr_groups; k++)
			json_str(j, rr->groups[k].location_str);
		json_arr_end(j);
		j_flows(j, "flows", rr->flows, rr->nr_flows);
		json_ku64(j, "flows_other", rr->flows_other);
		json_ku64(j, "flows_unknown", rr->flows_unknown);
		j_devs(j, "devices", rr->devs, rr->nr_devs, true);
		j_series(j, "over_time", rr->series, r->nr_intervals);
		json_obj_end(j);
	}
	json_arr_end(j);

	json_key(j, "over_time");
	json_obj(j);
	json_ku64(j, "interval_ns", r->interval_ns);
	json_ku64(j, "start_ns", r->series_start_ns);
	j_series(j, "drops", r->series, r->nr_intervals);
	json_obj_end(j);

	j_flows(j, "flows", r->flows, r->nr_flows);
	json_ku64(j, "flows_other", r->flows_other);
	json_ku64(j, "flows_unknown", r->flows_unknown);
	json_key(j, "stacks");
	json_arr(j);
	for (i = 0; i < r->nr_stacks; i++) {
		json_obj(j);
		json_ku64(j, "id", r->stacks[i].id);
		json_ku64(j, "count", r->stacks[i].count);
		j_frames(j, "frames", &r->stacks[i]);
		json_obj_end(j);
	}
	json_arr_end(j);
	j_devs(j, "devices", r->devs, r->nr_devs, true);
	j_devs(j, "netns", r->netns, r->nr_netns, false);

	json_key(j, "packets");
	json_arr(j);
	for (i = 0; i < r->nr_drops; i++)
		j_drop(j, r, &r->drops[i]);
	json_arr_end(j);
	json_ku64(j, "packets_not_kept", r->drops_not_kept);

	j_tcp(j, &r->tcp);
	j_coverage(j, r);
	json_obj_end(j);
	return ferror(f) ? -EIO : 0;
}

const struct nr_emitter nr_emit_json = { "json", emit_json };
