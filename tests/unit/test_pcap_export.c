// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_pcap_export.c - the pcapng export of the representative scenario, read back with
 * libpcap (exact packet counts, link type, bytes) and, when installed, with tshark (the
 * comments Wireshark shows as frame.comment); and a capture beside the trace annotated
 * with the events its packets match.
 */
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "check.h"
#include "report.h"
#include "analyze_scenario.h"

static struct nr_meta meta;

static int to_analysis(void *ctx, const struct nr_rec_hdr *rec)
{
	return nr_analysis__add(ctx, rec);
}

/* export the scenario to @path; Return: blocks written */
static __u64 export(const char *path, bool drops_only, __u64 *dropped)
{
	struct nr_analysis_opts o = { .sz = sizeof(o), .max_paths = 1, .keep_snapshots = true,
				      .on_packet = nr_pcap_export__packet };
	struct nr_pcap_export *x = NULL;
	struct nr_analysis *a = NULL;
	struct nr_result *r = NULL;
	__u64 packets = 0;

	CHECK_EQ(nr_pcap_export__new(&meta, path, drops_only, "scenario.nr", &x), 0, "export new");
	o.on_packet_ctx = x;
	CHECK_EQ(nr_analysis__new(&meta, &o, &a), 0, "analysis");
	CHECK_EQ(scenario(to_analysis, a, 1), 0, "scenario");
	CHECK_EQ(nr_analysis__finish(a, &r), 0, "finish");
	CHECK_EQ(nr_pcap_export__close(x, &packets, dropped), 0, "close");
	nr_analysis__free(a);
	nr_result__free(r);
	return packets;
}

struct beside_ctx {
	struct nr_analysis *a;
	struct nr_pcap_beside *b;
};

static int to_analysis_and_pump(void *ctx, const struct nr_rec_hdr *rec)
{
	struct beside_ctx *c = ctx;
	int err = nr_analysis__add(c->a, rec);

	return err ? err : nr_pcap_beside__pump(c->b, rec->ts_ns);
}

/* the capture beside: annotate @capture's packets with the scenario's events */
static void test_beside(const char *capture, const char *out)
{
	struct nr_analysis_opts o = { .sz = sizeof(o), .max_paths = 1, .keep_snapshots = true,
				      .on_packet = nr_pcap_beside__packet };
	struct beside_ctx c = { 0 };
	struct nr_result *r = NULL;
	__u64 packets = 0, matched = 0;
	char err[256], cmd[512], line[1024];
	FILE *f;
	int first_is_drop = 0;

	check_start("beside");
	CHECK_EQ(nr_pcap_beside__new(&meta, capture, out, 1000000000ULL, &c.b, err, sizeof(err)),
		 0, "open the capture");
	o.on_packet_ctx = c.b;
	CHECK_EQ(nr_analysis__new(&meta, &o, &c.a), 0, "analysis");
	CHECK_EQ(scenario(to_analysis_and_pump, &c, 1), 0, "scenario");
	CHECK_EQ(nr_analysis__finish(c.a, &r), 0, "finish");
	CHECK_EQ(nr_pcap_beside__pump(c.b, ~0ULL), 0, "the rest");
	CHECK_EQ(nr_pcap_beside__close(c.b, &packets, &matched), 0, "close");
	CHECK_EQ(packets, 157, "every captured packet written");
	CHECK_EQ(matched, 157, "every one matched to its event");
	nr_analysis__free(c.a);
	nr_result__free(r);
	if (system("command -v tshark >/dev/null 2>&1"))
		return;
	snprintf(cmd, sizeof(cmd), "tshark -r %s -c 1 -T fields -e frame.comment 2>/dev/null", out);
	f = popen(cmd, "r");
	if (f && fgets(line, sizeof(line), f))
		first_is_drop = strstr(line, "packet #1 at net:netif_receive_skb (point 1 of 3)") &&
				strstr(line, "dropped: NO_SOCKET at __udp4_lib_rcv+0x5ae");
	if (f)
		pclose(f);
	CHECK(first_is_drop, "the first captured packet carries its event's comments");
}

static __u64 count_with_libpcap(const char *path, int *linktype, __u32 *first_len)
{
	char err[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *h;
	const u_char *data;
	pcap_t *p = pcap_open_offline(path, err);
	__u64 n = 0;

	if (!CHECK(p != NULL, "libpcap opens the pcapng"))
		return 0;
	*linktype = pcap_datalink(p);
	while (pcap_next_ex(p, &h, &data) == 1) {
		if (!n)
			*first_len = h->caplen;
		n++;
	}
	pcap_close(p);
	return n;
}

static void tshark_comments(const char *path)
{
	char cmd[512], line[1024];
	FILE *f;
	int drops = 0, lines = 0, nosock = 0;

	if (system("command -v tshark >/dev/null 2>&1")) {
		printf("tshark not installed, comments checked by libpcap only\n");
		return;
	}
	snprintf(cmd, sizeof(cmd), "tshark -r %s -T fields -e frame.comment 2>/dev/null", path);
	f = popen(cmd, "r");
	if (!CHECK(f != NULL, "tshark runs"))
		return;
	while (fgets(line, sizeof(line), f)) {
		lines++;
		drops += strstr(line, "dropped: ") != NULL;
		nosock += strstr(line, "dropped: NO_SOCKET at __udp4_lib_rcv+0x5ae") &&
			  strstr(line, "path: net:netif_receive_skb -(4.0 us)-> kprobe:ip_rcv "
				       "-(7.0 us)-> skb:kfree_skb");
	}
	CHECK_EQ(pclose(f), 0, "tshark exit status");
	CHECK_EQ(lines, 77, "one line per packet");
	CHECK_EQ(drops, 77, "every packet says why it was dropped");
	CHECK_EQ(nosock, 40, "reason, location and path of the NO_SOCKET drops");
}

int main(void)
{
	char all[] = "/tmp/analyze_pcap_all_XXXXXX", drops[] = "/tmp/analyze_pcap_drops_XXXXXX";
	char ann[] = "/tmp/analyze_pcap_ann_XXXXXX";
	__u64 n, dropped = 0;
	int lt = -1, fd;
	__u32 len = 0;

	synth_meta(&meta);
	check_start("all");
	fd = mkstemp(all);
	close(fd);
	n = export(all, false, &dropped);
	/* 40 x (receive + drop) + 40 delivered + 12 netfilter + 25 rcvbuf; ip_rcv and the
	 * zero-window drop have no snapshot */
	CHECK_EQ(n, 157, "blocks written");
	CHECK_EQ(dropped, 78, "dropped packets seen");
	CHECK_EQ(count_with_libpcap(all, &lt, &len), 157, "packets read back");
	CHECK_EQ(lt, DLT_LINUX_SLL2, "one link type: Linux cooked v2");
	CHECK_EQ(len, 20 + 28, "cooked header + IPv4 + UDP header");

	check_start("drops_only");
	fd = mkstemp(drops);
	close(fd);
	n = export(drops, true, &dropped);
	CHECK_EQ(n, 77, "one block per dropped packet with a snapshot");
	CHECK_EQ(count_with_libpcap(drops, &lt, &len), 77, "read back");
	tshark_comments(drops);

	/* the full export stands in for a capture recorded beside the trace */
	fd = mkstemp(ann);
	close(fd);
	test_beside(all, ann);
	if (!getenv("KEEP")) {
		unlink(all);
		unlink(drops);
		unlink(ann);
	}
	return check_exit();
}
