// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * emit_packets.c - --packets: each dropped packet the result kept, with its path: every
 * point, the time since the previous one, device and CPU.
 */
#include <errno.h>
#include <stdio.h>

#include "decode.h"
#include "emit.h"

static int emit_packets(FILE *f, const struct nr_result *r, const struct nr_emit_opts *eo)
{
	__u32 i, k, n = r->nr_drops;
	char rel[32], dur[32], flow[160], ns[96], pn[32];

	if (eo->limit && eo->limit < n)
		n = eo->limit;
	for (i = 0; i < n; i++) {
		const struct nr_res_drop *d = &r->drops[i];

		fprintf(f, "packet #%llu", (unsigned long long)d->id);
		if (d->origin)
			fprintf(f, " (clone of #%llu)", (unsigned long long)d->origin);
		fprintf(f, " dropped at %s: %s at %s\n", nr_fmt_rel(r, d->ts, rel, sizeof(rel)),
			d->reason_name, d->location_str);
		fprintf(f, "  %s, %u bytes, %s", nr_flow_str(&d->flow, flow, sizeof(flow)), d->len,
			nr_fmt_netns(d->netns, nr_result__netns_name(r, d->netns), ns, sizeof(ns)));
		if (d->ifname)
			fprintf(f, ", dev %s", d->ifname);
		else if (d->ifindex)
			fprintf(f, ", ifindex %u", d->ifindex);
		fputc('\n', f);
		for (k = 0; k < d->nr_hops; k++) {
			const struct nr_hop *h = &d->hops[k];

			fprintf(f, "  %s %12s  %-32s", nr_fmt_rel(r, h->ts, rel, sizeof(rel)),
				k ? nr_fmt_duration(h->ts - d->hops[k - 1].ts, dur, sizeof(dur)) : "",
				nr_decode_probe(r->meta, h->probe, pn, sizeof(pn)));
			if (h->ifindex) {
				const struct nr_iface *ifc = nr_meta__iface(r->meta, h->netns,
									    h->ifindex);

				if (ifc && ifc->name)
					fprintf(f, " %-12s", ifc->name);
				else
					fprintf(f, " ifindex %-4u", h->ifindex);
			} else {
				fprintf(f, " %-12s", "-");
			}
			fprintf(f, " cpu %-3u len %u%s\n", h->cpu, h->len,
				h->flags & NR_HOP_INHERITED ? "  (before the clone)" : "");
		}
		if (d->hops_lost)
			fprintf(f, "  (%u points of this path not kept)\n", d->hops_lost);
		fputc('\n', f);
	}
	if (r->nr_drops > n || r->drops_not_kept)
		fprintf(f, "%llu more dropped packets not shown (--limit)\n",
			(unsigned long long)(r->nr_drops - n + r->drops_not_kept));
	if (!r->totals.drops)
		fprintf(f, "no dropped packets\n");
	return ferror(f) ? -EIO : 0;
}

const struct nr_emitter nr_emit_packets = { "packets", emit_packets };
