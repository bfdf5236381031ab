// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * pcap_beside.c - a capture recorded beside a trace, written again with each packet
 * annotated by the trace event it matches
 *
 * The capture's packets carry CLOCK_REALTIME stamps, the events CLOCK_MONOTONIC; the
 * file's clock references map one onto the other (clockref.h). A captured packet
 * matches the event points whose snapshot has the same network and transport header
 * bytes (the fields that do not change on the way through the host: addresses,
 * protocol, length, IPv4 id, the first 8 bytes of the transport header), and of those
 * the one nearest in time, within a window. Both sides are streams in time order: the
 * points of closed packets are indexed as the analysis hands them over and forgotten
 * two windows later; a captured packet is written once the analysis has passed its time
 * plus the window, so every candidate is known. Memory is bounded by the events of two
 * windows.
 */
#include <errno.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clockref.h"
#include "htab.h"
#include "pcapng.h"
#include "report.h"

#define ANN_TEXT	2048

/* one event point that a captured packet may match */
struct ann {
	__u64 key;
	__u64 ts;
	__u64 prev;		/* sequence number + 1 of the previous point with this key */
	__u32 ncomments;
	char *text;		/* ncomments NUL-terminated comments, back to back */
};

struct nr_pcap_beside {
	const struct nr_meta *meta;
	__u64 window;
	pcap_t *cap;
	int dlt;
	struct nr_pcapng *w;
	__u32 iface;
	struct htab index;	/* __u64 key -> __u64 newest sequence number + 1 */
	struct ann *anns;	/* sequence numbers base .. base + n - 1 */
	__u64 base;
	size_t n, cap_anns;
	__u64 newest_ts;
	/* the next captured packet, read ahead */
	struct pcap_pkthdr *ph;
	const u_char *pdata;
	bool have;
	bool eof;
	__u64 pmono;
	__u64 packets;
	__u64 matched;
	int err;
};

/* the bytes that identify a packet from its network header on; 0 when not IP */
static __u64 content_key(const __u8 *ip, __u32 len)
{
	__u8 k[56];
	__u32 n = 0, l4;

	if (len >= 20 && (ip[0] >> 4) == 4) {
		l4 = (ip[0] & 15) * 4u;
		memcpy(k, ip + 2, 4);		/* total length, id */
		k[4] = ip[9];			/* protocol */
		memcpy(k + 5, ip + 12, 8);	/* addresses */
		n = 13;
	} else if (len >= 40 && (ip[0] >> 4) == 6) {
		l4 = 40;
		memcpy(k, ip + 4, 3);		/* payload length, next header */
		memcpy(k + 3, ip + 8, 32);	/* addresses */
		n = 35;
	} else {
		return 0;
	}
	if (len >= l4 + 8) {
		memcpy(k + n, ip + l4, 8);	/* ports and sequence / length and checksum */
		n += 8;
	}
	while (n % 8)
		k[n++] = 0;
	return htab_hash(k, n);
}

/* the network header of a captured packet, by the capture's link type */
static const __u8 *capture_l3(int dlt, const __u8 *d, __u32 len, __u32 *l3len)
{
	__u32 off;

	switch (dlt) {
	case DLT_EN10MB:
		off = 14;
		while (len >= off && off <= 22 && d[off - 2] == 0x81 && d[off - 1] == 0x00)
			off += 4;	/* 802.1Q tags */
		break;
	case DLT_LINUX_SLL2:
		off = 20;
		break;
	case DLT_LINUX_SLL:
		off = 16;
		break;
	case DLT_NULL:
		off = 4;
		break;
	case DLT_RAW:
	case DLT_IPV4:
	case DLT_IPV6:
		off = 0;
		break;
	default:
		return NULL;
	}
	if (off >= len)
		return NULL;
	*l3len = len - off;
	return d + off;
}

static int ann_add(struct nr_pcap_beside *b, __u64 key, __u64 ts, const char *const *c,
		   __u32 nc)
{
	__u64 *newest, seq;
	struct ann *a;
	size_t tl = 0, i;
	bool created;

	if (b->n == b->cap_anns) {
		size_t nc2 = b->cap_anns ? b->cap_anns * 2 : 1024;
		void *p = realloc(b->anns, nc2 * sizeof(*b->anns));

		if (!p)
			return -ENOMEM;
		b->anns = p;
		b->cap_anns = nc2;
	}
	for (i = 0; i < nc; i++)
		tl += strlen(c[i]) + 1;
	a = &b->anns[b->n];
	a->text = malloc(tl);
	if (!a->text)
		return -ENOMEM;
	for (i = 0, tl = 0; i < nc; i++) {
		size_t l = strlen(c[i]) + 1;

		memcpy(a->text + tl, c[i], l);
		tl += l;
	}
	seq = b->base + b->n;
	newest = htab_put(&b->index, &key, &created);
	if (!newest) {
		free(a->text);
		return -ENOMEM;
	}
	a->key = key;
	a->ts = ts;
	a->ncomments = nc;
	a->prev = created ? 0 : *newest;
	*newest = seq + 1;
	b->n++;
	if (ts > b->newest_ts)
		b->newest_ts = ts;
	return 0;
}

/* forget the points older than @before (they are indexed in about time order) */
static void ann_expire(struct nr_pcap_beside *b, __u64 before)
{
	size_t k = 0;

	while (k < b->n && b->anns[k].ts < before) {
		struct ann *a = &b->anns[k];
		__u64 *newest = htab_get(&b->index, &a->key);

		if (newest && *newest == b->base + k + 1)
			htab_del(&b->index, &a->key);
		free(a->text);
		k++;
	}
	if (!k)
		return;
	memmove(b->anns, b->anns + k, (b->n - k) * sizeof(*b->anns));
	b->n -= k;
	b->base += k;
}

void nr_pcap_beside__packet(void *ctx, const struct nr_pkt_view *v)
{
	struct nr_pcap_beside *b = ctx;
	char path[2048], c0[512], c1[512];
	const char *comments[3];
	__u32 i;

	if (b->err)
		return;
	nr_pcap_path_text(b->meta, v, path, sizeof(path));
	for (i = 0; i < v->nr_hops && !b->err; i++) {
		const struct nr_hop *h = &v->hops[i];
		const __u8 *data;
		__u32 len;
		__u64 key;
		int nc;

		if ((h->flags & NR_HOP_INHERITED) || !h->snap ||
		    nr_snap_link(h->flags & NR_HOP_SNAP_L2, h->dev_type, h->snap_l3, h->snap,
				 h->snap_len, &data, &len) < 0)
			continue;
		if (h->flags & NR_HOP_SNAP_L2 && len >= 14 && data == h->snap) {
			/* an Ethernet snapshot: the key starts at the network header */
			__u32 l3 = h->snap_l3 != NR_OFF_NONE ? h->snap_l3 : 14;

			if (l3 >= len)
				continue;
			data += l3;
			len -= l3;
		}
		key = content_key(data, len);
		if (!key)
			continue;
		nc = nr_pcap_comments(b->meta, v, i, path, c0, c1, comments);
		b->err = ann_add(b, key, h->ts, comments, (__u32)nc);
	}
}

static void read_next(struct nr_pcap_beside *b)
{
	int r = pcap_next_ex(b->cap, &b->ph, &b->pdata);

	b->have = r == 1;
	b->eof = r != 1;
	if (b->have) {
		__u64 real = (__u64)b->ph->ts.tv_sec * 1000000000ULL + (__u64)b->ph->ts.tv_usec;

		b->pmono = nr_clock_real_to_mono(&b->meta->clock_start,
						 b->meta->has_clock_end ? &b->meta->clock_end : NULL,
						 real);
	}
}

/* annotate and write the packet read ahead */
static int write_captured(struct nr_pcap_beside *b)
{
	struct nr_pcapng_pkt pk = { 0 };
	const char *comments[3];
	const struct ann *best = NULL;
	__u64 best_d = ~0ULL, real, key = 0, *newest;
	const __u8 *l3;
	__u32 l3len, i;

	l3 = capture_l3(b->dlt, b->pdata, b->ph->caplen, &l3len);
	if (l3)
		key = content_key(l3, l3len);
	newest = key ? htab_get(&b->index, &key) : NULL;
	for (__u64 s = newest ? *newest : 0; s > b->base; ) {
		const struct ann *a = &b->anns[s - 1 - b->base];
		__u64 d = a->ts > b->pmono ? a->ts - b->pmono : b->pmono - a->ts;

		if (a->key == key && d <= b->window && d < best_d) {
			best = a;
			best_d = d;
		}
		s = a->prev;
	}
	if (best) {
		const char *t = best->text;

		for (i = 0; i < best->ncomments && i < 3; i++) {
			comments[i] = t;
			t += strlen(t) + 1;
		}
		pk.comments = comments;
		pk.ncomments = i;
		b->matched++;
	}
	real = (__u64)b->ph->ts.tv_sec * 1000000000ULL + (__u64)b->ph->ts.tv_usec;
	pk.iface = b->iface;
	pk.ts_ns = real;
	pk.data = b->pdata;
	pk.caplen = b->ph->caplen;
	pk.len = b->ph->len;
	b->packets++;
	return nr_pcapng__packet(b->w, &pk);
}

int nr_pcap_beside__pump(struct nr_pcap_beside *b, __u64 now_ns)
{
	int err;

	if (b->err)
		return b->err;
	while (b->have && (now_ns == ~0ULL || b->pmono + b->window < now_ns)) {
		err = write_captured(b);
		if (err)
			return b->err = err;
		read_next(b);
	}
	if (now_ns != ~0ULL && b->have && b->pmono > 2 * b->window)
		ann_expire(b, b->pmono - 2 * b->window);
	return 0;
}

int nr_pcap_beside__new(const struct nr_meta *m, const char *capture, const char *out,
			__u64 window_ns, struct nr_pcap_beside **ret, char *errbuf, size_t size)
{
	struct nr_pcapng_opts popts = { .sz = sizeof(popts), .userappl = "netrec" };
	struct nr_pcapng_iface idb = { 0 };
	char perr[PCAP_ERRBUF_SIZE], comment[512];
	struct nr_pcap_beside *b;
	int err;

	if (!m->clock_start.real_ns) {
		snprintf(errbuf, size, "the trace has no clock reference to join a capture with");
		return -ENOENT;
	}
	b = calloc(1, sizeof(*b));
	if (!b)
		return -ENOMEM;
	b->meta = m;
	b->window = window_ns;
	htab_init(&b->index, sizeof(__u64), sizeof(__u64), 0);
	b->cap = pcap_open_offline_with_tstamp_precision(capture, PCAP_TSTAMP_PRECISION_NANO,
							 perr);
	if (!b->cap) {
		snprintf(errbuf, size, "%s", perr);
		free(b);
		return -EINVAL;
	}
	b->dlt = pcap_datalink(b->cap);
	snprintf(comment, sizeof(comment), "netrec: %s, packets annotated with the trace's events",
		 capture);
	popts.comment = comment;
	popts.hardware = m->host.machine;
	err = nr_pcapng__open(out, &popts, &b->w);
	if (!err) {
		/* the capture's link type; libpcap gives the DLT, pcapng wants LINKTYPE_ */
		idb.linktype = (__u16)(b->dlt == DLT_RAW ? NR_LINKTYPE_RAW : b->dlt);
		idb.snaplen = (__u32)pcap_snapshot(b->cap);
		idb.name = "capture";
		idb.description = capture;
		err = nr_pcapng__add_iface(b->w, &idb, &b->iface);
	}
	if (err) {
		snprintf(errbuf, size, "%s: %s", out, strerror(-err));
		nr_pcapng__close(b->w);
		pcap_close(b->cap);
		free(b);
		return err;
	}
	read_next(b);
	*ret = b;
	return 0;
}

int nr_pcap_beside__close(struct nr_pcap_beside *b, __u64 *packets, __u64 *matched)
{
	int err, cerr;
	size_t i;

	if (!b)
		return 0;
	err = b->err;
	cerr = nr_pcapng__close(b->w);
	if (packets)
		*packets = b->packets;
	if (matched)
		*matched = b->matched;
	for (i = 0; i < b->n; i++)
		free(b->anns[i].text);
	free(b->anns);
	htab_fini(&b->index);
	pcap_close(b->cap);
	free(b);
	return err ? err : cerr;
}
