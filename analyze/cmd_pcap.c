// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * cmd_pcap.c - netrec pcap: the packet snapshots of a trace as pcapng for Wireshark
 *
 * Every snapshot a packet left at a probe point becomes one Enhanced Packet Block, with
 * comments (frame.comment in Wireshark) saying which packet it is, at which point of its
 * path, and, for dropped packets, the reason, location and the whole path with the time
 * between points. Packets are written when the analysis closes them (so the comments
 * know how they ended): a packet's points are consecutive, in time order. One Interface
 * Description Block per (netns, device, link type), named after the device.
 * --drops-only writes one block per dropped packet: its snapshot at the drop point, or
 * its last snapshot before it.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analysis.h"
#include "clockref.h"
#include "commands.h"
#include "emit.h"
#include "htab.h"
#include "log.h"
#include "pcapng.h"
#include "report.h"

#define COMMENT_MAX	4096

struct pcap_opts {
	struct report_opts r;
	const char *out;
	bool drops_only;
};

struct export {
	const struct pcap_opts *o;
	const struct nr_meta *meta;
	struct nr_pcapng *w;
	struct htab ifaces;		/* struct if_key -> __u32 id + 1 */
	__u64 packets;
	__u64 dropped;
	int err;
};

struct if_key {
	__u32 netns;
	__u32 ifindex;
	__u32 linktype;
	__u32 _pad;
};

static void usage(FILE *f)
{
	fprintf(f,
		"usage: netrec pcap FILE -o OUT.pcapng [OPTIONS]\n"
		"\n"
		"Write the packet snapshots of a trace file as pcapng: one packet per snapshot,\n"
		"one interface per device and namespace, and comments with the packet's path and,\n"
		"for dropped packets, the drop reason and location (Wireshark: frame.comment).\n"
		"\n"
		"Options:\n"
		"  -o, --output FILE    the pcapng to write (- for stdout)\n"
		"      --drops-only     only dropped packets, one snapshot each\n"
		"      --filter EXPR    only packets matching a pcap-filter expression\n"
		"      --since T, --until T, --reason NAME, --netns NS   as for netrec report\n"
		"  -h, --help           this help\n"
		"\n"
		"Examples:\n"
		"  netrec pcap trace.nr -o trace.pcapng\n"
		"  netrec pcap trace.nr -o drops.pcapng --drops-only --reason NO_SOCKET\n"
		"  tshark -r drops.pcapng -T fields -e frame.comment\n");
}

static const char *probe_name(const struct export *x, __u16 id, char *buf, size_t size)
{
	const struct nr_probe_outcome *p = nr_meta__probe(x->meta, id);

	if (p && p->name)
		return p->name;
	snprintf(buf, size, "probe %u", id);
	return buf;
}

static int iface_id(struct export *x, __u32 netns, __u32 ifindex, __u32 linktype, __u32 *ret)
{
	struct if_key k = { .netns = netns, .ifindex = ifindex, .linktype = linktype };
	const struct nr_iface *ifc = ifindex ? nr_meta__iface(x->meta, netns, ifindex) : NULL;
	const struct nr_netns *ns = netns ? nr_meta__netns(x->meta, netns) : NULL;
	struct nr_pcapng_iface idb = { 0 };
	char name[64], desc[160], nsb[96];
	bool created;
	__u32 *v = htab_put(&x->ifaces, &k, &created), id;
	int err;

	if (!v)
		return -ENOMEM;
	if (!created) {
		*ret = *v - 1;
		return 0;
	}
	if (ifc && ifc->name)
		snprintf(name, sizeof(name), "%s", ifc->name);
	else if (ifindex)
		snprintf(name, sizeof(name), "ifindex %u", ifindex);
	else
		snprintf(name, sizeof(name), "(no device)");
	snprintf(desc, sizeof(desc), "%s in %s", name,
		 nr_fmt_netns(netns, ns ? ns->name : NULL, nsb, sizeof(nsb)));
	idb.linktype = (__u16)linktype;
	idb.snaplen = NR_SNAP_MAX;
	idb.name = name;
	idb.description = desc;
	if (ifc && ifc->mac_len == 6 && linktype == NR_LINKTYPE_ETHERNET)
		idb.mac = ifc->mac;
	err = nr_pcapng__add_iface(x->w, &idb, &id);
	if (err)
		return err;
	*v = id + 1;
	*ret = id;
	return 0;
}

/* "net:netif_receive_skb -(3.0 us)-> kprobe:ip_rcv -(64.0 us)-> skb:kfree_skb" */
static void path_text(const struct export *x, const struct nr_pkt_view *v, char *buf, size_t size)
{
	char pn[32], dur[32];
	size_t n = 0;
	__u32 i;

	n += (size_t)snprintf(buf, size, "path:");
	for (i = 0; i < v->nr_hops && n < size; i++) {
		if (i)
			n += (size_t)snprintf(buf + n, size - n, " -(%s)->",
					      nr_fmt_duration(v->hops[i].ts - v->hops[i - 1].ts,
							      dur, sizeof(dur)));
		if (n < size)
			n += (size_t)snprintf(buf + n, size - n, " %s",
					      probe_name(x, v->hops[i].probe, pn, sizeof(pn)));
	}
	if (v->hops_lost && n < size)
		snprintf(buf + n, size - n, " (%u points not kept)", v->hops_lost);
}

static int write_hop(struct export *x, const struct nr_pkt_view *v, __u32 i, const char *path)
{
	const struct nr_hop *h = &v->hops[i];
	struct nr_pcapng_pkt pk = { 0 };
	const char *comments[3];
	char c0[512], c1[512], pn[32], ns[96];
	const __u8 *data;
	__u32 len, id;
	int lt, err;

	lt = nr_snap_link(h->flags & NR_HOP_SNAP_L2, h->dev_type, h->snap_l3, h->snap,
			  h->snap_len, &data, &len);
	if (lt < 0)
		return 0;
	err = iface_id(x, h->netns, h->ifindex, (__u32)lt, &id);
	if (err)
		return err;
	snprintf(c0, sizeof(c0), "netrec: packet #%llu%s at %s (point %u of %u), %s, cpu %u",
		 (unsigned long long)v->id, v->origin ? " (a clone)" : "",
		 probe_name(x, h->probe, pn, sizeof(pn)), i + 1, v->nr_hops,
		 nr_fmt_netns(h->netns, NULL, ns, sizeof(ns)), h->cpu);
	comments[0] = c0;
	pk.ncomments = 1;
	if (v->end == NR_PKT_DROPPED) {
		snprintf(c1, sizeof(c1), "dropped: %s at %s", v->drop_reason, v->drop_loc);
		comments[pk.ncomments++] = c1;
	} else if (v->end == NR_PKT_CONSUMED) {
		comments[pk.ncomments++] = "consumed (delivered or freed normally)";
	}
	comments[pk.ncomments++] = path;
	pk.iface = id;
	pk.ts_ns = nr_clock_mono_to_real(&x->meta->clock_start,
					 x->meta->has_clock_end ? &x->meta->clock_end : NULL, h->ts);
	pk.data = data;
	pk.caplen = len;
	/* skb->len counts from the header the point saw; never below what was captured */
	pk.len = h->len > len ? h->len : len;
	pk.comments = comments;
	err = nr_pcapng__packet(x->w, &pk);
	if (!err)
		x->packets++;
	return err;
}

static void on_packet(void *ctx, const struct nr_pkt_view *v)
{
	struct export *x = ctx;
	char path[COMMENT_MAX];
	__u32 i;
	int last = -1;

	if (x->err || !v->matched)
		return;
	if (x->o->drops_only && v->end != NR_PKT_DROPPED)
		return;
	path_text(x, v, path, sizeof(path));
	if (v->end == NR_PKT_DROPPED)
		x->dropped++;
	for (i = 0; i < v->nr_hops; i++) {
		/* points before a clone belong to the origin's blocks */
		if ((v->hops[i].flags & NR_HOP_INHERITED) || !v->hops[i].snap)
			continue;
		if (x->o->drops_only) {
			last = (int)i;
			continue;
		}
		x->err = write_hop(x, v, i, path);
		if (x->err)
			return;
	}
	if (x->o->drops_only && last >= 0)
		x->err = write_hop(x, v, (__u32)last, path);
}

static int run_pcap(const struct pcap_opts *o)
{
	struct nr_pcapng_opts popts = { .sz = sizeof(popts) };
	struct export x = { .o = o };
	struct report_session s;
	char os[128], comment[512];
	int err, cerr;

	err = report_session_open(&s, &o->r, 1, on_packet, &x);
	if (err)
		return EXIT_FAILURE;
	x.meta = s.meta;
	htab_init(&x.ifaces, sizeof(struct if_key), sizeof(__u32), 0);
	snprintf(os, sizeof(os), "%s %s", s.meta->host.sysname ? s.meta->host.sysname : "Linux",
		 s.meta->host.release ? s.meta->host.release : "");
	snprintf(comment, sizeof(comment), "netrec: packet snapshots of %s (host %s)%s", o->r.path,
		 s.meta->host.hostname ? s.meta->host.hostname : "?",
		 o->drops_only ? ", dropped packets only" : "");
	popts.hardware = s.meta->host.machine;
	popts.os = os;
	popts.userappl = "netrec";
	popts.comment = comment;
	if (!strcmp(o->out, "-"))
		err = nr_pcapng__fdopen(dup(STDOUT_FILENO), &popts, &x.w);
	else
		err = nr_pcapng__open(o->out, &popts, &x.w);
	if (err) {
		pr_err("'%s': %s\n", o->out, strerror(-err));
		goto out;
	}
	err = report_session_run(&s);
	if (!err && x.err) {
		err = x.err;
		pr_err("'%s': %s\n", o->out, strerror(-err));
	}
	cerr = nr_pcapng__close(x.w);
	if (!err && cerr) {
		err = cerr;
		pr_err("'%s': %s\n", o->out, strerror(-err));
	}
	if (!err)
		pr_info("%llu packets (%llu dropped) written to %s\n",
			(unsigned long long)x.packets, (unsigned long long)x.dropped, o->out);
out:
	htab_fini(&x.ifaces);
	report_session_close(&s);
	return err ? EXIT_FAILURE : EXIT_SUCCESS;
}

int cmd_pcap(int argc, char **argv)
{
	enum { OPT_DROPS = 256, OPT_FILTER, OPT_SINCE, OPT_UNTIL, OPT_REASON, OPT_NETNS };
	static const struct option lopts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "drops-only", no_argument, NULL, OPT_DROPS },
		{ "filter", required_argument, NULL, OPT_FILTER },
		{ "since", required_argument, NULL, OPT_SINCE },
		{ "until", required_argument, NULL, OPT_UNTIL },
		{ "reason", required_argument, NULL, OPT_REASON },
		{ "netns", required_argument, NULL, OPT_NETNS },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct pcap_opts o = { 0 };
	int c;

	while ((c = getopt_long(argc, argv, "o:h", lopts, NULL)) != -1) {
		switch (c) {
		case 'o':
			o.out = optarg;
			break;
		case OPT_DROPS:
			o.drops_only = true;
			break;
		case OPT_FILTER:
			o.r.filter = optarg;
			break;
		case OPT_SINCE:
			o.r.since = optarg;
			break;
		case OPT_UNTIL:
			o.r.until = optarg;
			break;
		case OPT_REASON:
			if (o.r.nr_reasons >= NR_ANALYSIS_MAX_REASONS) {
				pr_err("--reason: at most %d reasons\n", NR_ANALYSIS_MAX_REASONS);
				return 2;
			}
			o.r.reasons[o.r.nr_reasons++] = optarg;
			break;
		case OPT_NETNS:
			o.r.netns = optarg;
			break;
		case 'h':
			usage(stdout);
			return EXIT_SUCCESS;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind != argc - 1 || !o.out) {
		pr_err(optind >= argc ? "pcap: which trace file?\n" :
		       !o.out ? "pcap: where to? (-o OUT.pcapng)\n" : "pcap: one trace file only\n");
		usage(stderr);
		return 2;
	}
	o.r.path = argv[optind];
	return run_pcap(&o);
}
