// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * pcap_export.c - packet snapshots as pcapng, fed by the analysis' on_packet hook
 *
 * Every snapshot a packet left at a probe point becomes one Enhanced Packet Block, with
 * comments (frame.comment in Wireshark) saying which packet it is, at which point of its
 * path, and, for dropped packets, the reason, location and the whole path with the time
 * between points. Packets are written when the analysis closes them (so the comments
 * know how they ended): a packet's points are consecutive, in time order. One Interface
 * Description Block per (netns, device), named after the device. With
 * drops_only, one block per dropped packet: its snapshot at the drop point, or its last
 * snapshot before it. Points a clone inherited from its origin are written with the
 * origin only.
 *
 * Link type: every packet is written as LINKTYPE_LINUX_SLL2 (the "any" device's cooked
 * header: protocol, ifindex, packet type, device type, source MAC) followed by the
 * snapshot from its network header on. One link type for the whole file keeps it
 * readable by libpcap and tcpdump, which refuse a file whose interfaces differ in link
 * type; Wireshark shows the same. An Ethernet snapshot's source MAC goes into the
 * cooked header; its destination MAC is not kept.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>

#include "clockref.h"
#include "decode.h"
#include "emit.h"
#include "htab.h"
#include "pcapng.h"
#include "report.h"

#define COMMENT_MAX	4096

struct nr_pcap_export {
	const struct nr_meta *meta;
	bool drops_only;
	struct nr_pcapng *w;
	struct htab ifaces;		/* struct if_key -> __u32 id + 1 */
	__u64 packets;
	__u64 dropped;
	int err;
};

struct if_key {
	__u32 netns;
	__u32 ifindex;
};

#define SLL2_LEN	20
#define ETH_P_IP_	0x0800
#define ETH_P_IPV6_	0x86dd

static int iface_id(struct nr_pcap_export *x, __u32 netns, __u32 ifindex, __u32 *ret)
{
	struct if_key k = { .netns = netns, .ifindex = ifindex };
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
	idb.linktype = NR_LINKTYPE_LINUX_SLL2;
	idb.snaplen = NR_SNAP_MAX + SLL2_LEN;
	idb.name = name;
	idb.description = desc;
	if (ifc && ifc->mac_len == 6)
		idb.mac = ifc->mac;
	err = nr_pcapng__add_iface(x->w, &idb, &id);
	if (err)
		return err;
	*v = id + 1;
	*ret = id;
	return 0;
}

void nr_pcap_path_text(const struct nr_meta *m, const struct nr_pkt_view *v, char *buf,
		       size_t size)
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
					      nr_decode_probe(m, v->hops[i].probe, pn, sizeof(pn)));
	}
	if (v->hops_lost && n < size)
		snprintf(buf + n, size - n, " (%u points not kept)", v->hops_lost);
}

/*
 * The cooked header and the network-layer bytes of a point's snapshot into @buf
 * (SLL2_LEN + NR_SNAP_MAX bytes). Return: bytes, 0 when the snapshot has no IP header.
 */
static __u32 sll2_packet(const struct nr_hop *h, __u8 *buf)
{
	const __u8 *data;
	__u32 len;
	__u16 proto = ntohs(h->protocol_be);
	int lt;

	lt = nr_snap_link(h->flags & NR_HOP_SNAP_L2, h->dev_type, h->snap_l3, h->snap,
			  h->snap_len, &data, &len);
	if (lt < 0)
		return 0;
	memset(buf, 0, SLL2_LEN);
	if (lt == NR_LINKTYPE_ETHERNET) {
		/* a MAC header: its source address goes into the cooked header */
		__u32 l3 = h->snap_l3 != NR_OFF_NONE ? h->snap_l3 : 14;

		if (len < 14 || l3 >= len)
			return 0;
		if (!proto)
			proto = (__u16)(data[12] << 8 | data[13]);
		buf[11] = 6;
		memcpy(buf + 12, data + 6, 6);
		data += l3;
		len -= l3;
	}
	if (!proto || proto < 0x0600)
		proto = (data[0] >> 4) == 6 ? ETH_P_IPV6_ : ETH_P_IP_;
	buf[0] = (__u8)(proto >> 8);
	buf[1] = (__u8)proto;
	buf[4] = (__u8)(h->ifindex >> 24);
	buf[5] = (__u8)(h->ifindex >> 16);
	buf[6] = (__u8)(h->ifindex >> 8);
	buf[7] = (__u8)h->ifindex;
	buf[8] = (__u8)(h->dev_type >> 8);
	buf[9] = (__u8)h->dev_type;
	buf[10] = h->pkt_type;
	memcpy(buf + SLL2_LEN, data, len);
	return SLL2_LEN + len;
}

int nr_pcap_comments(const struct nr_meta *m, const struct nr_pkt_view *v, __u32 i,
		     const char *path, char c0[512], char c1[512], const char *comments[3])
{
	const struct nr_hop *h = &v->hops[i];
	char pn[32], ns[96];
	int n = 0;

	snprintf(c0, 512, "netrec: packet #%llu%s at %s (point %u of %u), %s, cpu %u",
		 (unsigned long long)v->id, v->origin ? " (a clone)" : "",
		 nr_decode_probe(m, h->probe, pn, sizeof(pn)), i + 1, v->nr_hops,
		 nr_fmt_netns(h->netns, NULL, ns, sizeof(ns)), h->cpu);
	comments[n++] = c0;
	if (v->end == NR_PKT_DROPPED) {
		snprintf(c1, 512, "dropped: %s at %s", v->drop_reason, v->drop_loc);
		comments[n++] = c1;
	} else if (v->end == NR_PKT_CONSUMED) {
		comments[n++] = "consumed (delivered or freed normally)";
	}
	comments[n++] = path;
	return n;
}

static int write_hop(struct nr_pcap_export *x, const struct nr_pkt_view *v, __u32 i,
		     const char *path)
{
	const struct nr_hop *h = &v->hops[i];
	struct nr_pcapng_pkt pk = { 0 };
	const char *comments[3];
	char c0[512], c1[512];
	__u8 bytes[SLL2_LEN + NR_SNAP_MAX];
	__u32 len, id;
	int err;

	len = sll2_packet(h, bytes);
	if (!len)
		return 0;
	err = iface_id(x, h->netns, h->ifindex, &id);
	if (err)
		return err;
	pk.ncomments = (__u32)nr_pcap_comments(x->meta, v, i, path, c0, c1, comments);
	pk.iface = id;
	pk.ts_ns = nr_clock_mono_to_real(&x->meta->clock_start,
					 x->meta->has_clock_end ? &x->meta->clock_end : NULL, h->ts);
	pk.data = bytes;
	pk.caplen = len;
	/* skb->len counts from the header the point saw; never below what was captured */
	pk.len = h->len + SLL2_LEN > len ? h->len + SLL2_LEN : len;
	pk.comments = comments;
	err = nr_pcapng__packet(x->w, &pk);
	if (!err)
		x->packets++;
	return err;
}

void nr_pcap_export__packet(void *ctx, const struct nr_pkt_view *v)
{
	struct nr_pcap_export *x = ctx;
	char path[COMMENT_MAX];
	__u32 i;
	int last = -1;

	if (x->err || !v->matched)
		return;
	if (x->drops_only && v->end != NR_PKT_DROPPED)
		return;
	nr_pcap_path_text(x->meta, v, path, sizeof(path));
	if (v->end == NR_PKT_DROPPED)
		x->dropped++;
	for (i = 0; i < v->nr_hops; i++) {
		/* points before a clone belong to the origin's blocks */
		if ((v->hops[i].flags & NR_HOP_INHERITED) || !v->hops[i].snap)
			continue;
		if (x->drops_only) {
			last = (int)i;
			continue;
		}
		x->err = write_hop(x, v, i, path);
		if (x->err)
			return;
	}
	if (x->drops_only && last >= 0)
		x->err = write_hop(x, v, (__u32)last, path);
}

int nr_pcap_export__new(const struct nr_meta *m, const char *out, bool drops_only,
			const char *source, struct nr_pcap_export **ret)
{
	struct nr_pcapng_opts popts = { .sz = sizeof(popts) };
	struct nr_pcap_export *x = calloc(1, sizeof(*x));
	char os[128], comment[512];
	int err;

	if (!x)
		return -ENOMEM;
	x->meta = m;
	x->drops_only = drops_only;
	htab_init(&x->ifaces, sizeof(struct if_key), sizeof(__u32), 0);
	snprintf(os, sizeof(os), "%s %s", m->host.sysname ? m->host.sysname : "Linux",
		 m->host.release ? m->host.release : "");
	snprintf(comment, sizeof(comment), "netrec: packet snapshots of %s (host %s)%s",
		 source ? source : "a trace", m->host.hostname ? m->host.hostname : "?",
		 drops_only ? ", dropped packets only" : "");
	popts.hardware = m->host.machine;
	popts.os = os;
	popts.userappl = "netrec";
	popts.comment = comment;
	if (!strcmp(out, "-"))
		err = nr_pcapng__fdopen(dup(STDOUT_FILENO), &popts, &x->w);
	else
		err = nr_pcapng__open(out, &popts, &x->w);
	if (err) {
		htab_fini(&x->ifaces);
		free(x);
		return err;
	}
	*ret = x;
	return 0;
}

int nr_pcap_export__close(struct nr_pcap_export *x, __u64 *packets, __u64 *dropped)
{
	int err, cerr;

	if (!x)
		return 0;
	err = x->err;
	cerr = nr_pcapng__close(x->w);
	if (packets)
		*packets = x->packets;
	if (dropped)
		*dropped = x->dropped;
	htab_fini(&x->ifaces);
	free(x);
	return err ? err : cerr;
}
