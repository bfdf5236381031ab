// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_pcapng.c - the pcapng writer: spec constants, exact bytes, read back by libpcap
 * and (when installed) tshark, error handling; and the clock mapping of clockref.h
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <pcap/pcap.h>

#include "check.h"
#include "clockref.h"
#include "pcapng.h"

static char tmpdir[] = "/tmp/nr-test-pcapng-XXXXXX";

static char *tmp_path(const char *name)
{
	static char buf[256];

	snprintf(buf, sizeof(buf), "%s/%s", tmpdir, name);
	return buf;
}

static void *slurp(const char *path, size_t *len)
{
	struct stat st;
	void *buf;
	FILE *f;

	f = fopen(path, "rb");
	if (!f || fstat(fileno(f), &st))
		return NULL;
	buf = malloc((size_t)st.st_size + 1);
	*len = fread(buf, 1, (size_t)st.st_size, f);
	fclose(f);
	return buf;
}

/*
 * Every number below is copied from draft-ietf-opsawg-pcapng (sections 3.5, 4.1-4.8 and
 * 10.1) or the tcpdump.org link-type registry, not from pcapng.h.
 */
static void test_spec_constants(void)
{
	check_start("spec constants");
	CHECK_EQ(NR_PCAPNG_BT_SHB, 0x0A0D0D0A, "SHB block type");
	CHECK_EQ(NR_PCAPNG_BT_IDB, 0x00000001, "IDB block type");
	CHECK_EQ(NR_PCAPNG_BT_PB, 0x00000002, "PB block type");
	CHECK_EQ(NR_PCAPNG_BT_SPB, 0x00000003, "SPB block type");
	CHECK_EQ(NR_PCAPNG_BT_NRB, 0x00000004, "NRB block type");
	CHECK_EQ(NR_PCAPNG_BT_ISB, 0x00000005, "ISB block type");
	CHECK_EQ(NR_PCAPNG_BT_EPB, 0x00000006, "EPB block type");
	CHECK_EQ(NR_PCAPNG_BT_DSB, 0x0000000A, "DSB block type");
	CHECK_EQ(NR_PCAPNG_BT_CB_COPY, 0x00000BAD, "CB block type (copyable)");
	CHECK_EQ(NR_PCAPNG_BT_CB_NOCOPY, 0x40000BAD, "CB block type (not copyable)");
	CHECK_EQ(NR_PCAPNG_BYTE_ORDER_MAGIC, 0x1A2B3C4D, "byte-order magic");
	CHECK_EQ(NR_PCAPNG_VERSION_MAJOR, 1, "major version");
	CHECK_EQ(NR_PCAPNG_VERSION_MINOR, 0, "minor version");
	CHECK(NR_PCAPNG_SECTION_LEN_UNKNOWN == (__u64)-1, "section length -1");

	CHECK_EQ(NR_PCAPNG_OPT_ENDOFOPT, 0, "opt_endofopt");
	CHECK_EQ(NR_PCAPNG_OPT_COMMENT, 1, "opt_comment");
	CHECK_EQ(NR_PCAPNG_OPT_CUSTOM_STR, 2988, "opt_custom utf-8 copyable");
	CHECK_EQ(NR_PCAPNG_OPT_CUSTOM_BIN, 2989, "opt_custom binary copyable");
	CHECK_EQ(NR_PCAPNG_OPT_CUSTOM_STR_NOCOPY, 19372, "opt_custom utf-8 no copy");
	CHECK_EQ(NR_PCAPNG_OPT_CUSTOM_BIN_NOCOPY, 19373, "opt_custom binary no copy");

	CHECK_EQ(NR_PCAPNG_SHB_HARDWARE, 2, "shb_hardware");
	CHECK_EQ(NR_PCAPNG_SHB_OS, 3, "shb_os");
	CHECK_EQ(NR_PCAPNG_SHB_USERAPPL, 4, "shb_userappl");

	CHECK_EQ(NR_PCAPNG_IF_NAME, 2, "if_name");
	CHECK_EQ(NR_PCAPNG_IF_DESCRIPTION, 3, "if_description");
	CHECK_EQ(NR_PCAPNG_IF_IPV4ADDR, 4, "if_IPv4addr");
	CHECK_EQ(NR_PCAPNG_IF_IPV6ADDR, 5, "if_IPv6addr");
	CHECK_EQ(NR_PCAPNG_IF_MACADDR, 6, "if_MACaddr");
	CHECK_EQ(NR_PCAPNG_IF_EUIADDR, 7, "if_EUIaddr");
	CHECK_EQ(NR_PCAPNG_IF_SPEED, 8, "if_speed");
	CHECK_EQ(NR_PCAPNG_IF_TSRESOL, 9, "if_tsresol");
	CHECK_EQ(NR_PCAPNG_IF_TZONE, 10, "if_tzone");
	CHECK_EQ(NR_PCAPNG_IF_FILTER, 11, "if_filter");
	CHECK_EQ(NR_PCAPNG_IF_OS, 12, "if_os");
	CHECK_EQ(NR_PCAPNG_IF_FCSLEN, 13, "if_fcslen");
	CHECK_EQ(NR_PCAPNG_IF_TSOFFSET, 14, "if_tsoffset");
	CHECK_EQ(NR_PCAPNG_IF_HARDWARE, 15, "if_hardware");
	CHECK_EQ(NR_PCAPNG_TSRESOL_NS, 9, "if_tsresol value for 10^-9 s");

	CHECK_EQ(NR_PCAPNG_EPB_FLAGS, 2, "epb_flags");
	CHECK_EQ(NR_PCAPNG_EPB_HASH, 3, "epb_hash");
	CHECK_EQ(NR_PCAPNG_EPB_DROPCOUNT, 4, "epb_dropcount");
	CHECK_EQ(NR_PCAPNG_EPB_PACKETID, 5, "epb_packetid");
	CHECK_EQ(NR_PCAPNG_EPB_QUEUE, 6, "epb_queue");
	CHECK_EQ(NR_PCAPNG_EPB_VERDICT, 7, "epb_verdict");
	CHECK_EQ(NR_PCAPNG_EPB_DIR_INBOUND, 0x1, "epb_flags inbound (bits 0-1 = 01)");
	CHECK_EQ(NR_PCAPNG_EPB_DIR_OUTBOUND, 0x2, "epb_flags outbound (bits 0-1 = 10)");
	CHECK_EQ(NR_PCAPNG_EPB_RX_UNICAST, 0x4, "epb_flags unicast (bits 2-4 = 001)");
	CHECK_EQ(NR_PCAPNG_EPB_RX_MULTICAST, 0x8, "epb_flags multicast (010)");
	CHECK_EQ(NR_PCAPNG_EPB_RX_BROADCAST, 0xc, "epb_flags broadcast (011)");
	CHECK_EQ(NR_PCAPNG_EPB_RX_PROMISC, 0x10, "epb_flags promiscuous (100)");

	CHECK_EQ(NR_PCAPNG_ISB_STARTTIME, 2, "isb_starttime");
	CHECK_EQ(NR_PCAPNG_ISB_ENDTIME, 3, "isb_endtime");
	CHECK_EQ(NR_PCAPNG_ISB_IFRECV, 4, "isb_ifrecv");
	CHECK_EQ(NR_PCAPNG_ISB_IFDROP, 5, "isb_ifdrop");
	CHECK_EQ(NR_PCAPNG_ISB_FILTERACCEPT, 6, "isb_filteraccept");
	CHECK_EQ(NR_PCAPNG_ISB_OSDROP, 7, "isb_osdrop");
	CHECK_EQ(NR_PCAPNG_ISB_USRDELIV, 8, "isb_usrdeliv");

	CHECK_EQ(NR_LINKTYPE_NULL, 0, "LINKTYPE_NULL");
	CHECK_EQ(NR_LINKTYPE_ETHERNET, 1, "LINKTYPE_ETHERNET");
	CHECK_EQ(NR_LINKTYPE_RAW, 101, "LINKTYPE_RAW");
	CHECK_EQ(NR_LINKTYPE_LINUX_SLL, 113, "LINKTYPE_LINUX_SLL");
	CHECK_EQ(NR_LINKTYPE_IPV4, 228, "LINKTYPE_IPV4");
	CHECK_EQ(NR_LINKTYPE_IPV6, 229, "LINKTYPE_IPV6");
	CHECK_EQ(NR_LINKTYPE_LINUX_SLL2, 276, "LINKTYPE_LINUX_SLL2");
	/* libpcap's DLT values agree where we pass them through */
	CHECK_EQ(DLT_EN10MB, NR_LINKTYPE_ETHERNET, "DLT_EN10MB");
	CHECK_EQ(DLT_LINUX_SLL, NR_LINKTYPE_LINUX_SLL, "DLT_LINUX_SLL");
	CHECK_EQ(DLT_LINUX_SLL2, NR_LINKTYPE_LINUX_SLL2, "DLT_LINUX_SLL2");
}

#define TS0 1700000000123456789ull	/* 0x17979cfe_3d85cd15 */

/* SHB + IDB + EPB with one comment, byte for byte (little-endian host). */
static void test_exact_bytes(void)
{
	static const __u8 want[] = {
		/* SHB */
		0x0a, 0x0d, 0x0d, 0x0a,		/* block type */
		0x2c, 0x00, 0x00, 0x00,		/* total length 44 */
		0x4d, 0x3c, 0x2b, 0x1a,		/* byte-order magic */
		0x01, 0x00, 0x00, 0x00,		/* version 1.0 */
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, /* section length -1 */
		0x04, 0x00, 0x06, 0x00,		/* shb_userappl, 6 bytes */
		'n', 'e', 't', 'r', 'e', 'c', 0x00, 0x00,
		0x00, 0x00, 0x00, 0x00,		/* opt_endofopt */
		0x2c, 0x00, 0x00, 0x00,		/* total length */
		/* IDB */
		0x01, 0x00, 0x00, 0x00,		/* block type */
		0x28, 0x00, 0x00, 0x00,		/* total length 40 */
		0x01, 0x00, 0x00, 0x00,		/* LINKTYPE_ETHERNET, reserved */
		0xff, 0xff, 0x00, 0x00,		/* snaplen 65535 */
		0x02, 0x00, 0x02, 0x00,		/* if_name, 2 bytes */
		'l', 'o', 0x00, 0x00,
		0x09, 0x00, 0x01, 0x00,		/* if_tsresol, 1 byte */
		0x09, 0x00, 0x00, 0x00,		/* 10^-9 */
		0x00, 0x00, 0x00, 0x00,		/* opt_endofopt */
		0x28, 0x00, 0x00, 0x00,		/* total length */
		/* EPB */
		0x06, 0x00, 0x00, 0x00,		/* block type */
		0x34, 0x00, 0x00, 0x00,		/* total length 52 */
		0x00, 0x00, 0x00, 0x00,		/* interface 0 */
		0xfe, 0x9c, 0x97, 0x17,		/* timestamp high */
		0x15, 0xcd, 0x85, 0x3d,		/* timestamp low */
		0x05, 0x00, 0x00, 0x00,		/* captured length 5 */
		0x3c, 0x00, 0x00, 0x00,		/* original length 60 */
		0xde, 0xad, 0xbe, 0xef, 0x42, 0x00, 0x00, 0x00, /* data, padded */
		0x01, 0x00, 0x02, 0x00,		/* opt_comment, 2 bytes */
		'h', 'i', 0x00, 0x00,
		0x00, 0x00, 0x00, 0x00,		/* opt_endofopt */
		0x34, 0x00, 0x00, 0x00,		/* total length */
	};
	static const __u8 data[] = { 0xde, 0xad, 0xbe, 0xef, 0x42 };
	const char *comments[] = { "hi" };
	struct nr_pcapng_opts o = { .sz = sizeof(o), .userappl = "netrec" };
	struct nr_pcapng_iface ifc = { .linktype = NR_LINKTYPE_ETHERNET, .snaplen = 65535,
				       .name = "lo" };
	struct nr_pcapng_pkt p = { .ts_ns = TS0, .data = data, .caplen = 5, .len = 60,
				   .comments = comments, .ncomments = 1 };
	struct nr_pcapng_stats st;
	struct nr_pcapng *w;
	__u32 id = 99;
	size_t len = 0;
	__u8 *got;

	check_start("exact bytes");
	if (__BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__) {
		printf("exact bytes: big-endian host, layout differs by design, skipped\n");
		return;
	}
	CHECK_EQ(nr_pcapng__open(tmp_path("exact.pcapng"), &o, &w), 0, "open");
	CHECK_EQ(nr_pcapng__add_iface(w, &ifc, &id), 0, "add_iface");
	CHECK_EQ(id, 0, "first interface id");
	CHECK_EQ(nr_pcapng__packet(w, &p), 0, "packet");
	nr_pcapng__stats(w, &st);
	CHECK_EQ(st.packets, 1, "packets written");
	CHECK_EQ(st.bytes, sizeof(want), "bytes written");
	CHECK_EQ(st.ifaces, 1, "interfaces written");
	CHECK_EQ(nr_pcapng__close(w), 0, "close");
	got = slurp(tmp_path("exact.pcapng"), &len);
	CHECK_EQ(len, sizeof(want), "file size");
	if (got && len == sizeof(want))
		CHECK_MEM(got, want, sizeof(want), "file bytes");
	free(got);
}

/* A file with every block and option the writer has, for the read-back tests. */
#define NPKT 257

static void pkt_bytes(__u32 i, __u8 *buf, __u32 *len)
{
	__u32 k;

	*len = 14 + (i * 37) % 1400;	/* 14..1413: all four padding cases */
	for (k = 0; k < *len; k++)
		buf[k] = (__u8)(i * 7 + k);
	/* an Ethernet header with an unknown EtherType, so dissectors leave it alone */
	buf[12] = 0x88;
	buf[13] = 0xb5;
}

static int write_many(const char *path)
{
	static __u8 buf[2048];
	struct nr_pcapng_opts o = { .sz = sizeof(o), .hardware = "x86_64", .os = "Linux 6.18",
				    .userappl = "netrec test", .comment = "made by test_pcapng" };
	struct nr_pcapng_iface if0 = { .linktype = NR_LINKTYPE_ETHERNET, .snaplen = 2048,
				       .name = "veth0", .description = "veth0 in netns 4026532301",
				       .filter = "udp port 9" };
	/* libpcap reads several interfaces only when link type and snaplen agree */
	struct nr_pcapng_iface if1 = { .linktype = NR_LINKTYPE_ETHERNET, .snaplen = 2048,
				       .name = "eth1" };
	struct nr_pcapng_ifstats s = { .iface = 0, .present = 0x7f, .ts_ns = TS0 + 1000,
				       .start_ns = TS0, .end_ns = TS0 + 1000, .ifrecv = NPKT,
				       .usrdeliv = NPKT };
	struct nr_pcapng *w;
	__u32 id0, id1, i, len;
	int err;

	err = nr_pcapng__open(path, &o, &w);
	if (err)
		return err;
	if ((err = nr_pcapng__add_iface(w, &if0, &id0)) ||
	    (err = nr_pcapng__add_iface(w, &if1, &id1)))
		goto out;
	for (i = 0; i < NPKT; i++) {
		char c1[64], c2[64];
		const char *comments[] = { c1, c2 };
		struct nr_pcapng_pkt p = {
			.iface = i % 2 ? id1 : id0,
			.flags = i % 3 ? NR_PCAPNG_EPB_DIR_INBOUND : 0,
			.ts_ns = TS0 + i * 1001ull,
			.data = buf,
			.comments = comments,
			.ncomments = i % 3,	/* 0, 1 or 2 comments */
		};

		pkt_bytes(i, buf, &len);
		p.caplen = len;
		p.len = len + (i % 5);
		snprintf(c1, sizeof(c1), "drop %u: NO_SOCKET at udp_rcv+0x%x", i, i * 16);
		snprintf(c2, sizeof(c2), "path %u", i);
		err = nr_pcapng__packet(w, &p);
		if (err)
			goto out;
	}
	err = nr_pcapng__ifstats(w, &s);
out:
	if (nr_pcapng__close(w) && !err)
		err = -EIO;
	return err;
}

static void test_libpcap_readback(void)
{
	char ebuf[PCAP_ERRBUF_SIZE];
	const char *path = tmp_path("many.pcapng");
	struct pcap_pkthdr *h;
	const u_char *data;
	__u64 bytes = 0, want_bytes = 0;
	__u32 n = 0, bad = 0, len;
	__u8 want[2048];
	pcap_t *p;
	int rc;

	check_start("libpcap read-back");
	CHECK_EQ(write_many(path), 0, "write file");
	p = pcap_open_offline_with_tstamp_precision(path, PCAP_TSTAMP_PRECISION_NANO, ebuf);
	if (!CHECK(p != NULL, "pcap_open_offline")) {
		fprintf(stderr, "libpcap: %s\n", ebuf);
		return;
	}
	CHECK_EQ(pcap_datalink(p), DLT_EN10MB, "datalink");
	while ((rc = pcap_next_ex(p, &h, &data)) == 1) {
		__u64 ts = (__u64)h->ts.tv_sec * 1000000000ull + (__u64)h->ts.tv_usec;

		pkt_bytes(n, want, &len);
		want_bytes += len;
		bytes += h->caplen;
		if (h->caplen != len || h->len != len + n % 5 || memcmp(data, want, len) ||
		    ts != TS0 + n * 1001ull)
			bad++;
		n++;
	}
	if (!CHECK_EQ(rc, PCAP_ERROR_BREAK, "clean end of file"))
		fprintf(stderr, "libpcap: %s\n", pcap_geterr(p));
	CHECK_EQ(n, NPKT, "packets");
	CHECK_EQ(bytes, want_bytes, "captured bytes");
	CHECK_EQ(bad, 0, "packets with wrong length, bytes or timestamp");
	pcap_close(p);
}

/* Walk the blocks of many.pcapng on our own: lengths, counts and the statistics block. */
static void test_block_walk(void)
{
	__u32 counts[8] = {}, bad = 0, isb_opts = 0;
	size_t len = 0, off = 0;
	__u8 *f;

	check_start("block walk");
	f = slurp(tmp_path("many.pcapng"), &len);
	if (!CHECK(f != NULL, "read file"))
		return;
	while (off + 12 <= len) {
		__u32 type, blen, tail;

		memcpy(&type, f + off, 4);
		memcpy(&blen, f + off + 4, 4);
		if (blen < 12 || blen % 4 || off + blen > len) {
			bad++;
			break;
		}
		memcpy(&tail, f + off + blen - 4, 4);
		if (tail != blen)
			bad++;
		if (type == NR_PCAPNG_BT_SHB)
			counts[0]++;
		else if (type < 8)
			counts[type]++;
		if (type == NR_PCAPNG_BT_ISB) {
			/* options start after interface id and timestamp (8 + 12 bytes) */
			size_t o = off + 20;

			while (o + 4 <= off + blen - 4) {
				__u16 code, olen;
				__u64 v = 0;
				__u32 hl[2];

				memcpy(&code, f + o, 2);
				memcpy(&olen, f + o + 2, 2);
				if (code == NR_PCAPNG_OPT_ENDOFOPT)
					break;
				if (olen == 8 && (code == NR_PCAPNG_ISB_STARTTIME ||
						  code == NR_PCAPNG_ISB_ENDTIME)) {
					memcpy(hl, f + o + 4, 8);
					v = (__u64)hl[0] << 32 | hl[1];
				} else if (olen == 8) {
					memcpy(&v, f + o + 4, 8);
				}
				if ((code == NR_PCAPNG_ISB_STARTTIME && v == TS0) ||
				    (code == NR_PCAPNG_ISB_ENDTIME && v == TS0 + 1000) ||
				    (code == NR_PCAPNG_ISB_IFRECV && v == NPKT) ||
				    (code == NR_PCAPNG_ISB_USRDELIV && v == NPKT) ||
				    ((code == NR_PCAPNG_ISB_IFDROP ||
				      code == NR_PCAPNG_ISB_OSDROP ||
				      code == NR_PCAPNG_ISB_FILTERACCEPT) && v == 0))
					isb_opts++;
				o += 4 + ((olen + 3u) & ~3u);
			}
		}
		off += blen;
	}
	CHECK_EQ(off, len, "blocks cover the file exactly");
	CHECK_EQ(bad, 0, "blocks with bad lengths");
	CHECK_EQ(counts[0], 1, "one section header");
	CHECK_EQ(counts[NR_PCAPNG_BT_IDB], 2, "two interfaces");
	CHECK_EQ(counts[NR_PCAPNG_BT_EPB], NPKT, "packets");
	CHECK_EQ(counts[NR_PCAPNG_BT_ISB], 1, "one statistics block");
	CHECK_EQ(isb_opts, 7, "statistics options with their values");
	free(f);
}

/* Run @cmd, return its stdout (malloc'd) or NULL. */
static char *run(const char *cmd)
{
	size_t cap = 1 << 16, len = 0, n;
	char *out = malloc(cap);
	FILE *f = popen(cmd, "r");

	if (!f || !out) {
		free(out);
		return NULL;
	}
	while ((n = fread(out + len, 1, cap - len - 1, f)) > 0) {
		len += n;
		if (len + 1 == cap)
			out = realloc(out, cap *= 2);
	}
	out[len] = '\0';
	if (pclose(f) != 0) {
		free(out);
		return NULL;
	}
	return out;
}

static void test_tshark_readback(void)
{
	char cmd[512], *out, *line, *save = NULL;
	__u32 n = 0, bad = 0;

	check_start("tshark read-back");
	if (system("command -v tshark >/dev/null 2>&1")) {
		printf("tshark read-back: tshark not installed, skipped\n");
		return;
	}
	/* one line per frame; several comments joined with '|' */
	snprintf(cmd, sizeof(cmd),
		 "tshark -n -r %s -T fields -E occurrence=a -E aggregator='|' "
		 "-e frame.number -e frame.len -e frame.cap_len -e frame.comment 2>/dev/null",
		 tmp_path("many.pcapng"));
	out = run(cmd);
	if (!CHECK(out != NULL, "tshark ran"))
		return;
	for (line = strtok_r(out, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char want[256], c1[64], c2[64];
		__u32 len;

		pkt_bytes(n, (__u8[2048]){ 0 }, &len);
		snprintf(c1, sizeof(c1), "drop %u: NO_SOCKET at udp_rcv+0x%x", n, n * 16);
		snprintf(c2, sizeof(c2), "path %u", n);
		if (n % 3 == 0)
			snprintf(want, sizeof(want), "%u\t%u\t%u\t", n + 1, len + n % 5, len);
		else if (n % 3 == 1)
			snprintf(want, sizeof(want), "%u\t%u\t%u\t%s", n + 1, len + n % 5, len, c1);
		else
			snprintf(want, sizeof(want), "%u\t%u\t%u\t%s|%s", n + 1, len + n % 5, len,
				 c1, c2);
		if (strcmp(line, want)) {
			if (bad++ < 3)
				fprintf(stderr, "tshark line %u: got '%s', want '%s'\n", n,
					line, want);
		}
		n++;
	}
	CHECK_EQ(n, NPKT, "frames tshark read");
	CHECK_EQ(bad, 0, "frames with wrong number, length or comments");
	free(out);

	/* the interface block: name, description, filter, nanosecond resolution */
	snprintf(cmd, sizeof(cmd),
		 "tshark -n -r %s -T fields -e frame.interface_name -e frame.interface_description "
		 "-e frame.time_epoch -c 1 2>/dev/null", tmp_path("many.pcapng"));
	out = run(cmd);
	if (CHECK(out != NULL, "tshark ran"))
		CHECK_STR(out, "veth0\tveth0 in netns 4026532301\t1700000000.123456789\n",
			  "interface and nanosecond timestamp");
	free(out);
}

static void test_utf8_and_errors(void)
{
	static const __u8 data[64];
	const char *bad_comments[] = { "caf\xc3\xa9 ok", "bad \xff\xfe end", "cut \xe2\x82" };
	struct nr_pcapng_iface ifc = { .linktype = NR_LINKTYPE_RAW, .snaplen = 32 };
	struct nr_pcapng_pkt p = { .data = data, .caplen = 20, .len = 20,
				   .comments = bad_comments, .ncomments = 3 };
	struct nr_pcapng *w;
	char *out, cmd[512];
	__u32 id;
	char *big;

	check_start("utf-8 and errors");
	CHECK_EQ(nr_pcapng__open(tmp_path("utf8.pcapng"), NULL, &w), 0, "open without opts");
	CHECK_EQ(nr_pcapng__packet(w, &p), -EINVAL, "packet before any interface");
	CHECK_EQ(nr_pcapng__add_iface(w, &ifc, &id), 0, "add_iface");
	CHECK_EQ(nr_pcapng__packet(w, &p), 0, "packet with invalid utf-8");
	p.caplen = 33;
	p.len = 40;
	CHECK_EQ(nr_pcapng__packet(w, &p), -EINVAL, "caplen above snaplen");
	p.caplen = 30;
	p.len = 29;
	CHECK_EQ(nr_pcapng__packet(w, &p), -EINVAL, "caplen above len");
	p.len = 30;
	p.iface = 1;
	CHECK_EQ(nr_pcapng__packet(w, &p), -EINVAL, "unknown interface");
	p.iface = 0;
	big = malloc(70000);
	memset(big, 'x', 69999);
	big[69999] = '\0';
	p.comments = (const char *const *)&big;
	p.ncomments = 1;
	CHECK_EQ(nr_pcapng__packet(w, &p), -EINVAL, "comment over 65535 bytes");
	free(big);
	CHECK_EQ(nr_pcapng__close(w), 0, "close after refused packets");
	CHECK_EQ(nr_pcapng__close(NULL), 0, "close(NULL)");
	CHECK_EQ(nr_pcapng__open("/nonexistent/dir/x.pcapng", NULL, &w), -ENOENT, "bad path");

	if (system("command -v tshark >/dev/null 2>&1"))
		return;
	snprintf(cmd, sizeof(cmd),
		 "tshark -n -r %s -T fields -E occurrence=a -E aggregator='|' -e frame.comment "
		 "2>/dev/null", tmp_path("utf8.pcapng"));
	out = run(cmd);
	if (CHECK(out != NULL, "tshark ran"))
		CHECK_STR(out, "caf\xc3\xa9 ok|bad ?? end|cut ??\n", "invalid bytes replaced");
	free(out);
}

static void test_fd_stream(void)
{
	struct nr_pcapng *w;
	int fds[2];
	__u8 buf[64];
	ssize_t n;

	check_start("fdopen on a pipe");
	if (!CHECK(pipe(fds) == 0, "pipe"))
		return;
	CHECK_EQ(nr_pcapng__fdopen(fds[1], NULL, &w), 0, "fdopen");
	CHECK_EQ(nr_pcapng__close(w), 0, "close closes the fd");
	n = read(fds[0], buf, sizeof(buf));
	CHECK_EQ(n, 28, "bare section header: 28 bytes");
	CHECK_EQ(read(fds[0], buf, sizeof(buf)), 0, "writer closed its end");
	close(fds[0]);
}

static void test_clockref(void)
{
	struct nr_clock a = { .mono_ns = 1000000000ull, .real_ns = 1700000000000000000ull };
	struct nr_clock b = { .mono_ns = 11000000000ull,
			      .real_ns = 1700000010000000000ull + 1000 }; /* +1 us drift */

	check_start("clock reference");
	CHECK_EQ(nr_clock_real_to_mono(&a, NULL, a.real_ns + 5), a.mono_ns + 5, "offset only");
	CHECK_EQ(nr_clock_real_to_mono(&a, &b, a.real_ns), a.mono_ns, "at start");
	CHECK_EQ(nr_clock_real_to_mono(&a, &b, b.real_ns), b.mono_ns, "at end");
	/* halfway, half of the drift */
	CHECK_EQ(nr_clock_real_to_mono(&a, &b, a.real_ns + 5000000000ull + 500),
		 a.mono_ns + 5000000000ull, "interpolated");
	CHECK_EQ(nr_clock_real_to_mono(&a, &b, a.real_ns - 7), a.mono_ns - 7, "before start");
	CHECK_EQ(nr_clock_real_to_mono(&a, &b, b.real_ns + 7), b.mono_ns + 7, "after end");
	CHECK_EQ(nr_clock_mono_to_real(&a, &b, a.mono_ns + 5000000000ull),
		 a.real_ns + 5000000000ull + 500, "inverse interpolated");
	CHECK_EQ(nr_clock_mono_to_real(&a, NULL, a.mono_ns + 3), a.real_ns + 3, "inverse offset");
}

int main(void)
{
	char cmd[128];

	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return 1;
	}
	test_spec_constants();
	test_exact_bytes();
	test_libpcap_readback();
	test_block_walk();
	test_tshark_readback();
	test_utf8_and_errors();
	test_fd_stream();
	test_clockref();
	snprintf(cmd, sizeof(cmd), "rm -rf %s", tmpdir);
	if (system(cmd))
		fprintf(stderr, "cannot remove %s\n", tmpdir);
	return check_exit();
}
