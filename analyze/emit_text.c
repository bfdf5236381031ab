// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * emit_text.c - the report for a terminal, most important first: a verdict line, the
 * drops by reason and location with their diagnosis, flows, devices and most frequent
 * stack, drops over time, TCP connections, then lost events and coverage. Every line
 * fits 100 columns; colour only when asked for (the command decides from --color and
 * whether stdout is a terminal).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "diagnose.h"
#include "decode.h"
#include "emit.h"

#define WIDTH		100
#define TEXT_FLOWS	5	/* flows shown per reason / location */
#define TEXT_DEVS	3
#define TEXT_FRAMES	16	/* frames of the top stack */
#define TEXT_CONNS	50

struct out {
	FILE *f;
	bool color;
	const struct nr_result *r;
};

static const char *c_on(const struct out *o, const char *code)
{
	return o->color ? code : "";
}

#define BOLD(o)		c_on(o, "\033[1m")
#define RED(o)		c_on(o, "\033[1;31m")
#define YELLOW(o)	c_on(o, "\033[33m")
#define DIM(o)		c_on(o, "\033[2m")
#define RESET(o)	c_on(o, "\033[0m")

/* @text wrapped at WIDTH, the first line after @lead, the others indented to match it */
static void wrap(const struct out *o, int indent, const char *lead, const char *text)
{
	int start = indent + (int)strlen(lead), col = start;
	const char *p = text;
	bool first = true;

	fprintf(o->f, "%*s%s", indent, "", lead);
	while (*p) {
		const char *sp = strchr(p, ' ');
		int wl = sp ? (int)(sp - p) : (int)strlen(p);

		if (!first && col + 1 + wl > WIDTH) {
			fprintf(o->f, "\n%*s", start, "");
			col = start;
		} else if (!first) {
			fputc(' ', o->f);
			col++;
		}
		fprintf(o->f, "%.*s", wl, p);
		col += wl;
		first = false;
		p += wl;
		while (*p == ' ')
			p++;
	}
	fputc('\n', o->f);
}

/* "  label ....... count  pct" with the count right-aligned at a fixed column */
static void count_line(const struct out *o, int indent, const char *color, const char *label,
		       __u64 count, __u64 whole)
{
	char pct[16];
	int lw = 100 - indent - 11 - 8;
	int len = (int)strlen(label);

	nr_fmt_pct(count, whole, pct, sizeof(pct));
	if (len > lw) {
		fprintf(o->f, "%*s%s%s%s\n", indent, "", color, label, RESET(o));
		fprintf(o->f, "%*s%11llu %7s\n", indent + lw, "", (unsigned long long)count, pct);
		return;
	}
	fprintf(o->f, "%*s%s%-*s%s%11llu %7s\n", indent, "", color, lw, label, RESET(o),
		(unsigned long long)count, pct);
}

static void header(const struct out *o, const struct nr_emit_opts *eo)
{
	const struct nr_result *r = o->r;
	const struct nr_meta *m = r->meta;
	const struct nr_host *h = &m->host;
	char wall[64], dur[32];

	fprintf(o->f, "%snetrec report%s%s%s\n", BOLD(o), RESET(o), eo->file ? ": " : "",
		eo->file ? eo->file : "");
	if (h->hostname || h->release)
		fprintf(o->f, "host %s, %s %s %s, %u CPUs%s%s%s\n",
			h->hostname ? h->hostname : "?", h->sysname ? h->sysname : "Linux",
			h->release ? h->release : "?", h->machine ? h->machine : "?", h->ncpus,
			h->netrec_version ? " (netrec " : "",
			h->netrec_version ? h->netrec_version : "", h->netrec_version ? ")" : "");
	if (r->first_ts && !nr_decode_walltime(m, r->first_ts, wall, sizeof(wall)))
		fprintf(o->f, "recorded %s for %s: ", wall,
			nr_fmt_duration(r->last_ts - r->first_ts, dur, sizeof(dur)));
	else
		fprintf(o->f, "%s of events: ",
			nr_fmt_duration(r->last_ts - r->first_ts, dur, sizeof(dur)));
	fprintf(o->f, "%llu events, %llu lost\n", (unsigned long long)r->totals.events,
		(unsigned long long)r->totals.lost);
	if (eo->filters)
		fprintf(o->f, "filters: %s (%llu of %llu drops match)\n", eo->filters,
			(unsigned long long)r->totals.drops, (unsigned long long)r->totals.drops_all);
	if (!m->file.clean_close && m->file.major)
		fprintf(o->f, "%swarning:%s the file was not closed cleanly%s%s\n", YELLOW(o),
			RESET(o), m->file.trunc_msg ? ": " : "",
			m->file.trunc_msg ? m->file.trunc_msg : "");
	fputc('\n', o->f);
}

static void verdict(const struct out *o)
{
	char buf[512];
	char lead[64];

	snprintf(lead, sizeof(lead), "%sVERDICT%s  ", BOLD(o), RESET(o));
	nr_fmt_verdict(o->r, buf, sizeof(buf));
	/* the escape codes take no columns */
	wrap(o, 0, lead, buf);
	fputc('\n', o->f);
}

static void flow_lines(const struct out *o, int indent, const struct nr_res_flow *fl, __u32 n,
		       __u64 other, __u64 unknown, __u64 whole)
{
	__u32 i;
	char buf[160], lab[200];

	for (i = 0; i < n && i < TEXT_FLOWS; i++) {
		snprintf(lab, sizeof(lab), "flow %s", nr_flow_str(&fl[i].flow, buf, sizeof(buf)));
		count_line(o, indent, "", lab, fl[i].count, whole);
	}
	for (; i < n; i++)
		other += fl[i].count;
	if (other)
		count_line(o, indent, DIM(o), "other flows", other, whole);
	if (unknown)
		count_line(o, indent, DIM(o), "flow unknown (no snapshot, no socket)", unknown,
			   whole);
}

static void dev_lines(const struct out *o, int indent, const struct nr_res_dev *d, __u32 n,
		      __u64 whole)
{
	char ns[96], lab[200];
	__u32 i;

	for (i = 0; i < n && i < TEXT_DEVS; i++) {
		nr_fmt_netns(d[i].netns, d[i].netns_name, ns, sizeof(ns));
		if (d[i].ifname)
			snprintf(lab, sizeof(lab), "dev %s, %s", d[i].ifname, ns);
		else if (d[i].ifindex)
			snprintf(lab, sizeof(lab), "ifindex %u, %s", d[i].ifindex, ns);
		else
			snprintf(lab, sizeof(lab), "no device, %s", ns);
		count_line(o, indent, "", lab, d[i].count, whole);
	}
}

static void stack_lines(const struct out *o, int indent, const struct nr_res_group *g)
{
	const struct nr_res_stack_ref *sr;
	char lead[96];
	__u32 i;

	if (!g->nr_stacks) {
		fprintf(o->f, "%*sstack: none recorded\n", indent, "");
		return;
	}
	sr = &g->stacks[0];
	snprintf(lead, sizeof(lead), "stack #%u (%llu of %llu drops%s):", sr->stack->id,
		 (unsigned long long)sr->count, (unsigned long long)g->count,
		 g->nr_stacks > 1 ? ", most frequent" : "");
	fprintf(o->f, "%*s%s\n", indent, "", lead);
	for (i = 0; i < sr->stack->nr_frames && i < TEXT_FRAMES; i++)
		fprintf(o->f, "%*s%s\n", indent + 2, "", sr->stack->frames[i]);
	if (sr->stack->nr_frames > TEXT_FRAMES)
		fprintf(o->f, "%*s... %u more frames\n", indent + 2, "",
			sr->stack->nr_frames - TEXT_FRAMES);
	if (g->nr_stacks > 1)
		fprintf(o->f, "%*s%u other stacks (--folded shows all)\n", indent, "",
			g->nr_stacks - 1);
	if (g->with_stack < g->count)
		fprintf(o->f, "%*s%llu drops without a stack\n", indent, "",
			(unsigned long long)(g->count - g->with_stack));
}

static void path_line(const struct out *o, int indent, const struct nr_res_drop *d)
{
	const struct nr_result *r = o->r;
	char buf[256], pn[32], dur[32];
	size_t n = 0;
	__u32 i;

	n += (size_t)snprintf(buf + n, sizeof(buf) - n, "path of packet #%llu: ",
			      (unsigned long long)d->id);
	fprintf(o->f, "%*s%s", indent, "", buf);
	n = (size_t)indent + n;
	for (i = 0; i < d->nr_hops; i++) {
		const char *name = nr_decode_probe(r->meta, d->hops[i].probe, pn, sizeof(pn));
		char item[160];

		if (i)
			snprintf(item, sizeof(item), " -(%s)-> %s",
				 nr_fmt_duration(d->hops[i].ts - d->hops[i - 1].ts, dur, sizeof(dur)),
				 name);
		else
			snprintf(item, sizeof(item), "%s", name);
		if (n + strlen(item) > WIDTH) {
			fprintf(o->f, "\n%*s", indent + 4, "");
			n = (size_t)indent + 4;
		}
		fputs(item, o->f);
		n += strlen(item);
	}
	fputc('\n', o->f);
	if (d->hops_lost)
		fprintf(o->f, "%*s(%u points of a longer path not kept)\n", indent + 4, "",
			d->hops_lost);
}

static void drops(const struct out *o)
{
	const struct nr_result *r = o->r;
	__u32 i, j, nloc = 0;
	char dur[32], lab[200];

	for (i = 0; i < r->nr_reasons; i++)
		nloc += r->reasons[i].nr_groups;
	if (!r->totals.drops) {
		fprintf(o->f, "%sDROPS%s  none%s\n\n", BOLD(o), RESET(o),
			r->totals.drops_all ? " match the filters" : "");
		return;
	}
	fprintf(o->f, "%sDROPS%s  %llu packets, %u reason%s, %u location%s\n", BOLD(o), RESET(o),
		(unsigned long long)r->totals.drops, r->nr_reasons, r->nr_reasons == 1 ? "" : "s",
		nloc, nloc == 1 ? "" : "s");
	for (i = 0; i < r->nr_reasons; i++) {
		const struct nr_res_reason *rr = &r->reasons[i];

		fputc('\n', o->f);
		count_line(o, 2, RED(o), rr->name, rr->count, r->totals.drops);
		if (rr->diag_what) {
			wrap(o, 4, "", rr->diag_what);
			wrap(o, 4, "check: ", rr->diag_check);
		} else {
			wrap(o, 4, "", "no diagnosis for this reason yet: the location and stack "
				       "below tell where the kernel dropped");
		}
		for (j = 0; j < rr->nr_groups; j++) {
			const struct nr_res_group *g = &rr->groups[j];

			snprintf(lab, sizeof(lab), "at %s", g->location_str);
			count_line(o, 4, BOLD(o), lab, g->count, r->totals.drops);
			fprintf(o->f, "      first %s, last %s\n",
				nr_fmt_rel(r, g->first_ts, lab, sizeof(lab)),
				nr_fmt_rel(r, g->last_ts, dur, sizeof(dur)));
			flow_lines(o, 6, g->flows, g->nr_flows, g->flows_other, g->flows_unknown,
				   r->totals.drops);
			dev_lines(o, 6, g->devs, g->nr_devs, r->totals.drops);
			stack_lines(o, 6, g);
			if (g->example)
				path_line(o, 6, g->example);
		}
	}
	fputc('\n', o->f);
}

static void over_time(const struct out *o)
{
	static const char *const bars[] = { " ", "\u2581", "\u2582", "\u2583", "\u2584",
					    "\u2585", "\u2586", "\u2587", "\u2588" };
	const struct nr_result *r = o->r;
	__u64 max = 0, merged[128];
	__u32 i, n = 0, per = 1, peak = 0;
	char w[32], rel[32];

	if (!r->totals.drops || !r->nr_intervals)
		return;
	/* fold pairs of intervals until the sparkline fits the width */
	while ((r->nr_intervals + per - 1) / per > 80)
		per *= 2;
	for (i = 0; i < r->nr_intervals; i++) {
		if (i % per == 0)
			merged[n++] = 0;
		merged[n - 1] += r->series[i];
	}
	for (i = 0; i < n; i++) {
		if (merged[i] > max) {
			max = merged[i];
			peak = i;
		}
	}
	fprintf(o->f, "%sDROPS OVER TIME%s  per %s, from %s\n", BOLD(o), RESET(o),
		nr_fmt_duration(r->interval_ns * per, w, sizeof(w)),
		nr_fmt_rel(r, r->series_start_ns, rel, sizeof(rel)));
	fputs("  |", o->f);
	for (i = 0; i < n; i++)
		fputs(bars[merged[i] ? 1 + (merged[i] * 7 + max - 1) / max : 0], o->f);
	fputs("|\n", o->f);
	fprintf(o->f, "  peak %llu drops in the interval at %s\n\n", (unsigned long long)max,
		nr_fmt_rel(r, r->series_start_ns + (__u64)peak * per * r->interval_ns, rel,
			   sizeof(rel)));
}

static bool conn_notable(const struct nr_res_conn *c)
{
	return (!c->established && !c->listener && c->end != NR_CONN_OPEN) || c->rst_sent ||
	       c->rst_recv || c->retrans;
}

static void conn_block(const struct out *o, const struct nr_res_conn *c)
{
	const struct nr_result *r = o->r;
	struct nr_flow f = { 0 };
	char flow[160], ns[96], rel[32], dur[32], tail[300];
	size_t n = 0;
	__u32 i, s;

	f.family = (__u8)c->family;
	f.proto = 6;
	f.sport = c->sport;
	f.dport = c->dport;
	memcpy(f.src, c->src, 16);
	memcpy(f.dst, c->dst, 16);
	fprintf(o->f, "  %s#%llu %s%s  %s\n", BOLD(o), (unsigned long long)c->id,
		nr_flow_str(&f, flow, sizeof(flow)), RESET(o),
		nr_fmt_netns(c->netns, c->netns_name, ns, sizeof(ns)));
	n += (size_t)snprintf(tail + n, sizeof(tail) - n, "%s%s%s",
			      c->end == NR_CONN_REFUSED || c->end == NR_CONN_CONNECT_FAILED ||
					      c->end == NR_CONN_HANDSHAKE_ABORTED ?
				      YELLOW(o) : "",
			      nr_res_conn_end_name(c->end), RESET(o));
	if (!c->established && !c->listener && c->end != NR_CONN_OPEN)
		n += (size_t)snprintf(tail + n, sizeof(tail) - n, ", never established");
	if (c->partial)
		n += (size_t)snprintf(tail + n, sizeof(tail) - n, ", first seen in progress");
	if (c->retrans)
		n += (size_t)snprintf(tail + n, sizeof(tail) - n, ", %u retransmits", c->retrans);
	if (c->rst_sent)
		n += (size_t)snprintf(tail + n, sizeof(tail) - n, ", %u resets sent%s%s%s",
				      c->rst_sent, c->rst_reason ? " (" : "",
				      c->rst_reason ? c->rst_reason : "", c->rst_reason ? ")" : "");
	if (c->rst_recv)
		snprintf(tail + n, sizeof(tail) - n, ", %u resets received", c->rst_recv);
	wrap(o, 4, "", tail);
	for (i = 0; i < c->nr_trans; i++) {
		const struct nr_res_trans *t = &c->trans[i];

		if (i)
			nr_fmt_duration(t->ts - c->trans[i - 1].ts, dur, sizeof(dur));
		fprintf(o->f, "    %s  %s -> %s%s%s%s\n", nr_fmt_rel(r, t->ts, rel, sizeof(rel)),
			t->from_name, t->to_name, i ? "  (after " : "", i ? dur : "", i ? ")" : "");
	}
	if (c->trans_lost)
		fprintf(o->f, "    (%u transitions not kept)\n", c->trans_lost);
	n = 0;
	for (s = 0; s < NR_TCP_NSTATES; s++) {
		const char *name = nr_conn_state_name(c, (__u16)s);

		if (!c->state_ns[s] || !name)
			continue;
		n += (size_t)snprintf(tail + n, sizeof(tail) - n, "%s%s %s", n ? ", " : "", name,
				      nr_fmt_duration(c->state_ns[s], dur, sizeof(dur)));
		if (n >= sizeof(tail))
			break;
	}
	if (n)
		wrap(o, 4, "time in states: ", tail);
}

static void tcp(const struct out *o)
{
	const struct nr_result *r = o->r;
	const struct nr_res_tcp *t = &r->tcp;
	__u32 i, shown = 0;
	char line[512], flow[160];
	size_t n = 0;

	if (!t->connections && !t->nr_rst_nosock && !t->retrans_unknown_sock)
		return;
	n += (size_t)snprintf(line + n, sizeof(line) - n,
			      "%llu connections: %llu established, %llu never established",
			      (unsigned long long)t->connections, (unsigned long long)t->established,
			      (unsigned long long)t->never_established);
	for (i = 1; i < __NR_CONN_END_MAX; i++)
		if (t->by_end[i] && n < sizeof(line))
			n += (size_t)snprintf(line + n, sizeof(line) - n, "; %s %llu",
					      nr_res_conn_end_name(i),
					      (unsigned long long)t->by_end[i]);
	if (n < sizeof(line))
		snprintf(line + n, sizeof(line) - n,
			 "; %llu retransmits, %llu resets sent, %llu resets received",
			 (unsigned long long)t->retrans, (unsigned long long)t->rst_sent,
			 (unsigned long long)t->rst_recv);
	fprintf(o->f, "%sTCP%s\n", BOLD(o), RESET(o));
	wrap(o, 2, "", line);	/* continuation at the same indent: nothing follows at 2 */
	/* all of them when few; else the ones with trouble first */
	for (i = 0; i < t->nr_conns && shown < TEXT_CONNS; i++) {
		if (t->nr_conns > TEXT_CONNS && !conn_notable(&t->conns[i]))
			continue;
		fputc('\n', o->f);
		conn_block(o, &t->conns[i]);
		shown++;
	}
	if (t->nr_conns > TEXT_CONNS && shown < TEXT_CONNS) {
		for (i = 0; i < t->nr_conns && shown < TEXT_CONNS; i++) {
			if (conn_notable(&t->conns[i]))
				continue;
			fputc('\n', o->f);
			conn_block(o, &t->conns[i]);
			shown++;
		}
	}
	if (t->connections > shown)
		fprintf(o->f, "\n  %llu more connections not shown%s\n",
			(unsigned long long)(t->connections - shown),
			t->conns_not_kept ? " (--json lists the kept ones)" : " (--json lists them)");
	if (t->nr_rst_nosock) {
		fprintf(o->f, "\n  resets sent for packets without a socket:\n");
		for (i = 0; i < t->nr_rst_nosock && i < TEXT_FLOWS; i++) {
			char lab[256];

			snprintf(lab, sizeof(lab), "%s%s%s%s", nr_flow_str(&t->rst_nosock[i].flow,
									  flow, sizeof(flow)),
				 t->rst_nosock[i].reason ? " (" : "",
				 t->rst_nosock[i].reason ? t->rst_nosock[i].reason : "",
				 t->rst_nosock[i].reason ? ")" : "");
			count_line(o, 4, "", lab, t->rst_nosock[i].count, t->rst_sent);
		}
	}
	if (t->retrans_unknown_sock)
		fprintf(o->f, "  %llu retransmits of sockets not otherwise seen\n",
			(unsigned long long)t->retrans_unknown_sock);
	fputc('\n', o->f);
}

static void coverage(const struct out *o)
{
	const struct nr_result *r = o->r;
	const struct nr_res_coverage *c = &r->cov;
	char line[512], dur[32], rel[32];
	size_t n = 0;
	__u32 i;

	fprintf(o->f, "%sCOVERAGE%s\n", BOLD(o), RESET(o));
	if (r->totals.lost) {
		n += (size_t)snprintf(line + n, sizeof(line) - n,
				      "%llu events LOST by the recorder", (unsigned long long)r->totals.lost);
		for (i = 0; i < c->nr_lost_cpus && n < sizeof(line); i++)
			n += (size_t)snprintf(line + n, sizeof(line) - n, "%s cpu %u: %llu",
					      i ? "," : ";", c->lost_cpus[i].cpu,
					      (unsigned long long)c->lost_cpus[i].value);
		if (c->user_drop && n < sizeof(line))
			n += (size_t)snprintf(line + n, sizeof(line) - n,
					      "; %llu read but not stored",
					      (unsigned long long)c->user_drop);
		if (n < sizeof(line))
			snprintf(line + n, sizeof(line) - n,
				 "; the counts above are lower bounds, paths and connections may "
				 "have gaps");
		wrap(o, 2, o->color ? "\033[33mwarning:\033[0m " : "warning: ", line);
	} else {
		fprintf(o->f, "  no events lost\n");
	}
	if (c->filtered)
		fprintf(o->f, "  %llu events left out by the recording's filter\n",
			(unsigned long long)c->filtered);
	if (c->rate_limited)
		fprintf(o->f, "  %llu events left out by the rate limit\n",
			(unsigned long long)c->rate_limited);
	if (c->paused || c->paused_ns)
		fprintf(o->f, "  %llu events while paused (%s paused)\n",
			(unsigned long long)c->paused, nr_fmt_duration(c->paused_ns, dur, sizeof(dur)));
	if (c->stack_skipped || (r->totals.drops && r->drops_without_stack))
		fprintf(o->f, "  stacks: %llu of %llu drops have one%s%llu not taken by sampling)\n",
			(unsigned long long)(r->totals.drops - r->drops_without_stack),
			(unsigned long long)r->totals.drops, " (", (unsigned long long)c->stack_skipped);
	if (c->pcap_recv || c->pcap_drop || c->pcap_ifdrop)
		fprintf(o->f, "  pcap beside: %llu packets, %llu dropped by the capture, %llu by "
			"the interface\n", (unsigned long long)c->pcap_recv,
			(unsigned long long)c->pcap_drop, (unsigned long long)c->pcap_ifdrop);
	if (r->totals.drops && !r->has_paths)
		fprintf(o->f, "  only drop points were recorded: no paths before the drops\n");
	for (i = 0; i < c->nr_ctl; i++) {
		const struct nr_res_ctl *e = &c->ctl[i];

		fprintf(o->f, "  %s %s%s%s%s\n", nr_fmt_rel(r, e->ts, rel, sizeof(rel)),
			nr_decode_ctl_name(e->kind) ? nr_decode_ctl_name(e->kind) : "control", e->text[0] ? " \"" : "", e->text,
			e->text[0] ? "\"" : "");
	}
	if (c->ctl_not_kept)
		fprintf(o->f, "  %llu more control events\n", (unsigned long long)c->ctl_not_kept);
	for (i = 0; i < c->nr_probes; i++) {
		const struct nr_res_probe *p = &c->probes[i];
		const char *st = p->status == NR_PROBE_FAILED ? "failed" :
				 p->status == NR_PROBE_UNAVAILABLE ? "unavailable" : "not selected";

		n = (size_t)snprintf(line, sizeof(line), "%s %s%s%s", p->name ? p->name : "?",
				     st, p->msg ? " (" : "", p->msg ? p->msg : "");
		if (p->msg && n < sizeof(line))
			n += (size_t)snprintf(line + n, sizeof(line) - n, ")");
		if (p->cannot_answer && p->status != NR_PROBE_NOT_SELECTED && n < sizeof(line))
			snprintf(line + n, sizeof(line) - n, ": this file cannot answer %s",
				 p->cannot_answer);
		wrap(o, 2, "probe ", line);
	}
	if (r->totals.unseen_free || r->totals.in_flight)
		fprintf(o->f, "  packets: %llu tracked, %llu consumed, %llu whose free was not seen, "
			"%llu in flight at the end\n", (unsigned long long)r->totals.packets,
			(unsigned long long)r->totals.consumed,
			(unsigned long long)r->totals.unseen_free,
			(unsigned long long)r->totals.in_flight);
}

static int emit_text(FILE *f, const struct nr_result *r, const struct nr_emit_opts *eo)
{
	struct out o = { .f = f, .color = eo->color, .r = r };

	header(&o, eo);
	verdict(&o);
	drops(&o);
	over_time(&o);
	tcp(&o);
	coverage(&o);
	return ferror(f) ? -EIO : 0;
}

const struct nr_emitter nr_emit_text = { "text", emit_text };
