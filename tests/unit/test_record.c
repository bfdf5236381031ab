// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_record.c - the parts of `netrec record` that need no kernel: option parsing into
 * struct record_opts, the control line syntax and the control FIFO, control records,
 * the status and final lines, and the user-space filter on made-up records
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "control.h"
#include "drain.h"
#include "filter.h"
#include "log.h"
#include "nr_shared.h"
#include "record.h"
#include "status.h"
#include "ufilter.h"

/* ---- options ---- */

static int parse(struct record_opts *o, const char *line)
{
	static char buf[1024];
	static char *argv[64];
	int argc = 0;
	char *tok, *save = NULL;

	snprintf(buf, sizeof(buf), "record %s", line);
	for (tok = strtok_r(buf, " ", &save); tok && argc < 63; tok = strtok_r(NULL, " ", &save))
		argv[argc++] = tok;
	argv[argc] = NULL;
	*o = record_defaults;
	return record_parse_args(argc, argv, o);
}

static void test_options(void)
{
	struct record_opts o;

	check_start("options");
	CHECK_EQ(parse(&o, "-o t.nr"), 0, "just -o");
	CHECK_STR(o.output, "t.nr", "output");
	CHECK_EQ(o.profile, NR_PROFILE_DROPS, "default profile");
	CHECK_EQ(o.snaplen, -1, "default snaplen");
	CHECK_EQ(o.duration_ns, 0, "no duration");
	CHECK(o.command == NULL, "no command");
	CHECK_EQ(o.status, NR_STATUS_AUTO, "status auto");

	CHECK_EQ(parse(&o, "-o t.nr --duration 1500ms -p path --probe net:netif_rx --probe "
		       "fib:fib_table_lookup -f udp --follow --netns blue -i veth0 --mark 0x40/0xf0 "
		       "--stack --max-stacks 7 --snaplen 64 --rate-limit 1000 --buffer-size 16M "
		       "--compress-level 9 --pcap t.pcapng --pcap-iface any --control ctl -q "
		       "-- ping -c 1 host"), 0, "every option");
	CHECK_EQ(o.duration_ns, 1500000000ull, "duration");
	CHECK_EQ(o.profile, NR_PROFILE_PATH, "profile");
	CHECK_EQ(o.nr_probes, 2, "probes");
	CHECK_STR(o.probes[1], "fib:fib_table_lookup", "second probe");
	CHECK_STR(o.filter, "udp", "filter");
	CHECK(o.follow, "follow");
	CHECK_STR(o.netns, "blue", "netns");
	CHECK_STR(o.iface, "veth0", "iface");
	CHECK_EQ(o.mark, 0x40, "mark");
	CHECK_EQ(o.mark_mask, 0xf0, "mark mask");
	CHECK(o.stack_all, "stack");
	CHECK(o.limit_stacks, "max-stacks given");
	CHECK_EQ(o.max_stacks, 7, "max-stacks");
	CHECK_EQ(o.snaplen, 64, "snaplen");
	CHECK_EQ(o.rate_limit, 1000, "rate limit");
	CHECK_EQ(o.buffer_bytes, 16u << 20, "buffer size");
	CHECK_EQ(o.compress_level, 9, "compress level");
	CHECK_STR(o.pcap, "t.pcapng", "pcap");
	CHECK_STR(o.pcap_iface, "any", "pcap iface");
	CHECK_STR(o.control, "ctl", "control");
	CHECK_EQ(o.status, NR_STATUS_NEVER, "-q");
	CHECK(o.command && !strcmp(o.command[0], "ping") && !strcmp(o.command[3], "host") &&
	      !o.command[4], "command after --");
	CHECK_EQ(o.argc, 43, "argc kept for the file");

	CHECK_EQ(parse(&o, "-o t.nr --mark 5"), 0, "mark alone");
	CHECK_EQ(o.mark_mask, 0xffffffffu, "mark alone: full mask");
	CHECK_EQ(parse(&o, "-o t.nr --snaplen 0"), 0, "no snapshots");
	CHECK_EQ(o.snaplen, 0, "snaplen 0");
	CHECK_EQ(parse(&o, "-o t.nr sleep -x 1"), 0, "command without --");
	CHECK(o.command && !strcmp(o.command[1], "-x"), "its options are its own");
	CHECK_EQ(parse(&o, "-o t.nr --status"), 0, "--status");
	CHECK_EQ(o.status, NR_STATUS_ALWAYS, "status always");
	CHECK_EQ(o.stack_sample, -1, "stack sampling: the default");
	CHECK_EQ(parse(&o, "-o t.nr --stack=all --stack-sample 3"), 0, "--stack=all");
	CHECK(o.stack_all, "--stack=all");
	CHECK_EQ(o.stack_sample, 3, "--stack-sample");
	CHECK_EQ(parse(&o, "-o t.nr --stack=some"), -EINVAL, "--stack=some");
	CHECK_EQ(parse(&o, "-o t.nr -f tcp --user-filter"), 0, "--user-filter");
	CHECK(o.user_filter, "user filter");

	/* usage errors: one line, -EINVAL (exit 2) */
	CHECK_EQ(parse(&o, "--duration 10"), -EINVAL, "no -o");
	CHECK_EQ(parse(&o, "-o t.nr --duration 10x"), -EINVAL, "bad duration");
	CHECK_EQ(parse(&o, "-o t.nr --duration 0"), -EINVAL, "zero duration");
	CHECK_EQ(parse(&o, "-o t.nr -p everything"), -EINVAL, "unknown profile");
	CHECK_EQ(parse(&o, "-o t.nr --snaplen 513"), -EINVAL, "snaplen over the maximum");
	CHECK_EQ(parse(&o, "-o t.nr --rate-limit 0"), -EINVAL, "rate limit 0");
	CHECK_EQ(parse(&o, "-o t.nr --buffer-size 1k"), -EINVAL, "buffer too small");
	CHECK_EQ(parse(&o, "-o t.nr --compress-level 20"), -EINVAL, "zstd level 20");
	CHECK_EQ(parse(&o, "-o t.nr --mark 1/0"), -EINVAL, "mark mask 0");
	CHECK_EQ(parse(&o, "-o t.nr --mark x"), -EINVAL, "mark not a number");
	CHECK_EQ(parse(&o, "-o t.nr --pcap-iface eth0"), -EINVAL, "--pcap-iface alone");
	CHECK_EQ(parse(&o, "-o t.nr --follow"), -EINVAL, "--follow without a filter");
	CHECK_EQ(parse(&o, "-o t.nr --user-filter"), -EINVAL, "--user-filter without a filter");
	CHECK_EQ(parse(&o, "-o t.nr --pcap t.nr"), -EINVAL, "--pcap onto the trace");
	CHECK_EQ(parse(&o, "-o t.nr --max-stacks -1"), -EINVAL, "negative max-stacks");
	CHECK_EQ(parse(&o, "-o t.nr --bogus"), -EINVAL, "unknown option");
	CHECK_EQ(parse(&o, "--help"), 1, "--help");
}

/* ---- control lines and FIFO ---- */

static void test_control_parse(void)
{
	static const struct {
		const char *line;
		int ret;
		enum nr_control_op op;
		const char *text;
		long long n;
	} cases[] = {
		{ "pause", 0, NR_CONTROL_PAUSE, NULL, 0 },
		{ "  resume \t", 0, NR_CONTROL_RESUME, NULL, 0 },
		{ "stop", 0, NR_CONTROL_STOP, NULL, 0 },
		{ "mark retry  2 ", 0, NR_CONTROL_MARK, "retry  2", 0 },
		{ "max-stacks 10", 0, NR_CONTROL_MAX_STACKS, NULL, 10 },
		{ "max-stacks 0x10", 0, NR_CONTROL_MAX_STACKS, NULL, 16 },
		{ "max-stacks unlimited", 0, NR_CONTROL_MAX_STACKS, NULL, -1 },
		{ "", 0, NR_CONTROL_NONE, NULL, 0 },
		{ "   ", 0, NR_CONTROL_NONE, NULL, 0 },
		{ "# pause", 0, NR_CONTROL_NONE, NULL, 0 },
		{ "mark", -EINVAL, NR_CONTROL_NONE, NULL, 0 },
		{ "pause now", -EINVAL, NR_CONTROL_NONE, NULL, 0 },
		{ "max-stacks", -EINVAL, NR_CONTROL_NONE, NULL, 0 },
		{ "max-stacks -3", -EINVAL, NR_CONTROL_NONE, NULL, 0 },
		{ "paws", -EINVAL, NR_CONTROL_NONE, NULL, 0 },
		{ "PAUSE", -EINVAL, NR_CONTROL_NONE, NULL, 0 },
	};
	struct nr_control_cmd cmd;
	char line[64], err[160], what[96];
	size_t i;

	check_start("control_parse");
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(line, sizeof(line), "%s", cases[i].line);
		snprintf(what, sizeof(what), "'%s'", cases[i].line);
		err[0] = '\0';
		CHECK_EQ(nr_control_parse(line, &cmd, err, sizeof(err)), cases[i].ret, what);
		if (cases[i].ret) {
			CHECK(err[0] != '\0', what);
			continue;
		}
		CHECK_EQ(cmd.op, cases[i].op, what);
		if (cases[i].text)
			CHECK_STR(cmd.text, cases[i].text, what);
		if (cases[i].op == NR_CONTROL_MAX_STACKS)
			CHECK_EQ(cmd.n, cases[i].n, what);
	}
	{
		char big[NR_CTL_TEXT_MAX + 16];

		memset(big, 'x', sizeof(big) - 1);
		big[sizeof(big) - 1] = '\0';
		memcpy(big, "mark ", 5);
		CHECK_EQ(nr_control_parse(big, &cmd, err, sizeof(err)), -EINVAL, "mark too long");
	}
	snprintf(line, sizeof(line), "paws");
	nr_control_parse(line, &cmd, err, sizeof(err));
	CHECK_STR(err, "unknown command 'paws' (pause, resume, mark TEXT, max-stacks N, stop)",
		  "the message for an unknown command");
}

struct got {
	int n;
	enum nr_control_op op[8];
	char text[8][64];
};

static int collect_cmd(void *ctx, const struct nr_control_cmd *cmd)
{
	struct got *g = ctx;

	if (g->n < 8) {
		g->op[g->n] = cmd->op;
		snprintf(g->text[g->n], sizeof(g->text[0]), "%s", cmd->text ? cmd->text : "");
	}
	g->n++;
	return cmd->op == NR_CONTROL_STOP ? 1 : 0;
}

static void test_control_fifo(void)
{
	char dir[] = "/tmp/test_record.XXXXXX", path[128], big[2048];
	struct nr_control *c;
	struct got g = { 0 };
	struct stat st;
	int w;

	check_start("control_fifo");
	if (!mkdtemp(dir)) {
		CHECK(0, "mkdtemp");
		return;
	}
	snprintf(path, sizeof(path), "%s/ctl", dir);
	CHECK_EQ(nr_control__open(path, &c), 0, "open makes the FIFO");
	CHECK(!stat(path, &st) && S_ISFIFO(st.st_mode) && (st.st_mode & 0777) == 0600,
	      "a FIFO with mode 0600");
	w = open(path, O_WRONLY | O_NONBLOCK);
	CHECK(w >= 0, "a writer can open it");

	/* a line in two writes, a bad line, a comment, then two commands */
	CHECK_EQ(write(w, "pau", 3), 3, "write");
	CHECK_EQ(nr_control__read(c, collect_cmd, &g), 0, "half a line");
	CHECK_EQ(g.n, 0, "nothing yet");
	CHECK_EQ(write(w, "se\nbogus\n# hi\nmark a b\nresume", 29), 29, "write");
	CHECK_EQ(nr_control__read(c, collect_cmd, &g), 0, "read");
	CHECK_EQ(g.n, 2, "two commands, the bad line skipped");
	CHECK_EQ(g.op[0], NR_CONTROL_PAUSE, "pause");
	CHECK_EQ(g.op[1], NR_CONTROL_MARK, "mark");
	CHECK_STR(g.text[1], "a b", "mark text");

	/* a line longer than the buffer is dropped whole; what follows still counts */
	memset(big, 'z', sizeof(big));
	CHECK_EQ(write(w, "\n", 1), 1, "end of resume");
	CHECK_EQ(write(w, big, sizeof(big)), (long)sizeof(big), "a long line");
	CHECK_EQ(write(w, "\nstop\nresume\n", 13), 13, "stop, then more");
	CHECK_EQ(nr_control__read(c, collect_cmd, &g), 1, "stop returns what the callback said");
	CHECK_EQ(g.n, 4, "resume and stop");
	CHECK_EQ(g.op[2], NR_CONTROL_RESUME, "resume");
	CHECK_EQ(g.op[3], NR_CONTROL_STOP, "stop");
	CHECK_EQ(nr_control__read(c, collect_cmd, &g), 0, "the rest");
	CHECK_EQ(g.n, 5, "the line after stop is kept");
	close(w);
	nr_control__close(c);
	CHECK(stat(path, &st) && errno == ENOENT, "a FIFO netrec made is removed");

	/* an existing FIFO is used and left; a regular file is refused */
	CHECK_EQ(mkfifo(path, 0600), 0, "mkfifo");
	CHECK_EQ(nr_control__open(path, &c), 0, "an existing FIFO");
	nr_control__close(c);
	CHECK(!stat(path, &st), "an existing FIFO stays");
	unlink(path);
	w = open(path, O_CREAT | O_WRONLY, 0600);
	close(w);
	CHECK_EQ(nr_control__open(path, &c), -EEXIST, "a regular file");
	CHECK(!stat(path, &st) && S_ISREG(st.st_mode), "the regular file is untouched");
	unlink(path);
	rmdir(dir);
}

static void test_ctl_record(void)
{
	union {
		struct nr_ctl c;
		__u8 b[sizeof(struct nr_ctl) + NR_CTL_TEXT_MAX + 8];
	} u;
	char big[NR_CTL_TEXT_MAX + 100];
	const struct nr_rec_hdr *h;

	check_start("ctl_record");
	h = nr_ctl_record(&u, sizeof(u), NR_CTL_START, 123, NULL);
	CHECK_EQ(h->type, NR_REC_CTL, "type");
	CHECK_EQ(h->size, 24, "no text: the struct");
	CHECK_EQ(h->ts_ns, 123, "time");
	CHECK_EQ(u.c.kind, NR_CTL_START, "kind");
	CHECK_EQ(u.c.text_len, 0, "no text");

	memset(&u, 0xee, sizeof(u));
	h = nr_ctl_record(&u, sizeof(u), NR_CTL_STOP, 9, "signal");
	CHECK_EQ(h->size, 32, "6 bytes of text padded to 8");
	CHECK_EQ(u.c.text_len, 6, "text length");
	CHECK_MEM(u.b + 24, "signal\0\0", 8, "text and zero padding");
	CHECK_EQ(u.c._pad, 0, "pad zeroed");

	memset(big, 'm', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	h = nr_ctl_record(&u, sizeof(u), NR_CTL_MARK, 1, big);
	CHECK_EQ(u.c.text_len, NR_CTL_TEXT_MAX, "text cut at the maximum");
	CHECK_EQ(h->size, 24 + NR_CTL_TEXT_MAX, "size");
}

/* ---- what the user reads ---- */

static void test_status(void)
{
	struct nr_status_info si = {
		.elapsed_ns = 12345000000ull, .events = 1234567, .rate = 45678.9, .lost = 0,
		.file_bytes = 3 << 20,
	};
	struct nr_final_info f = {
		.path = "t.nr", .events = 1000, .file_bytes = 1536, .elapsed_ns = 2500000000ull,
		.buffer_bytes = 8 << 20,
	};
	char buf[512];

	check_start("status");
	CHECK_STR(nr_human_bytes(0, buf, sizeof(buf)), "0 B", "0");
	CHECK_STR(nr_human_bytes(1023, buf, sizeof(buf)), "1023 B", "1023");
	CHECK_STR(nr_human_bytes(1536, buf, sizeof(buf)), "1.5 KiB", "KiB");
	CHECK_STR(nr_human_bytes(5ull << 30, buf, sizeof(buf)), "5.0 GiB", "GiB");
	CHECK_STR(nr_human_count(999, buf, sizeof(buf)), "999", "units");
	CHECK_STR(nr_human_count(12345, buf, sizeof(buf)), "12.3k", "k");
	CHECK_STR(nr_human_count(4560000, buf, sizeof(buf)), "4.56M", "M");

	nr_status_line(buf, sizeof(buf), &si);
	CHECK_STR(buf, "recording  12.3s  1.23M events  45.7k/s  0 lost  3.0 MiB", "status line");
	si.paused = true;
	si.pcap = true;
	si.pcap_packets = 42;
	si.lost = 7;
	nr_status_line(buf, sizeof(buf), &si);
	CHECK_STR(buf, "recording  12.3s  1.23M events  45.7k/s  7 lost  3.0 MiB  [paused]  pcap 42",
		  "paused, lost, pcap");

	nr_final_line(buf, sizeof(buf), &f);
	CHECK_STR(buf, "recorded 1000 events (0 lost) in 2.5 s: 1.5 KiB in t.nr", "final line");
	CHECK(!nr_lost_advice(buf, sizeof(buf), &f), "no advice when nothing was lost");

	f.lost = 12;
	nr_final_line(buf, sizeof(buf), &f);
	CHECK_STR(buf, "recorded 1000 events (12 lost) in 2.5 s: 1.5 KiB in t.nr", "lost");
	CHECK(nr_lost_advice(buf, sizeof(buf), &f), "advice");
	CHECK_STR(buf, "12 events lost: the ring buffer (8.0 MiB) was full; a larger --buffer-size, "
		  "a --rate-limit or a --filter would prevent it", "which knob");
	f.rate_limit = 100;
	f.filter = true;
	f.missed = 3;
	f.not_stored = 1;
	CHECK(nr_lost_advice(buf, sizeof(buf), &f), "advice");
	CHECK_STR(buf, "12 events lost: the ring buffer (8.0 MiB) was full; a larger --buffer-size, "
		  "a lower --rate-limit or a narrower --filter would prevent it; 3 probe firings "
		  "skipped by the kernel (a probe ran while another one was running on the same "
		  "CPU; fewer --probe points would prevent it); 1 records read but not stored "
		  "(malformed: a netrec defect, please report it)", "every kind of loss");
}

/* ---- the user-space filter ---- */

/* a packet record with an Ethernet + IPv4 + UDP snapshot, or without one */
struct pkt_rec {
	struct nr_pkt p;
	__u8 snap[48];
};

static void mk_udp(struct pkt_rec *r, __u16 probe, __u64 skb, __u16 dport, bool snap)
{
	static const __u8 eth_ip_udp[42] = {
		0, 1, 2, 3, 4, 5, 0, 1, 2, 3, 4, 6, 0x08, 0x00,			/* Ethernet */
		0x45, 0, 0, 28, 0, 1, 0, 0, 64, 17, 0, 0, 10, 0, 0, 2, 10, 0, 0, 1,	/* IPv4 */
		0x9c, 0x45, 0, 0, 0, 8, 0, 0,					/* UDP */
	};

	memset(r, 0, sizeof(*r));
	r->p.hdr.type = NR_REC_PKT;
	r->p.hdr.size = sizeof(*r);
	r->p.skb = skb;
	r->p.head = skb + 0x1000;
	r->p.probe = probe;
	r->p.protocol_be = htons(0x0800);
	r->p.snap_l3 = NR_OFF_NONE;
	r->p.snap_l4 = NR_OFF_NONE;
	if (!snap)
		return;
	memcpy(r->snap, eth_ip_udp, sizeof(eth_ip_udp));
	r->snap[36] = (__u8)(dport >> 8);
	r->snap[37] = (__u8)dport;
	r->p.hdr.flags = NR_RF_SNAP_L2;
	r->p.snap_len = sizeof(eth_ip_udp);
	r->p.snap_l3 = 14;
	r->p.snap_l4 = 34;
}

static void mk_sock(struct nr_sock *s, __u16 family, const char *src4, __u16 dport)
{
	memset(s, 0, sizeof(*s));
	s->hdr.type = NR_REC_SOCK;
	s->hdr.size = sizeof(*s);
	s->probe = NR_P_INET_SOCK_SET_STATE;
	s->family = family;
	s->protocol = 6;
	s->sport = 40000;
	s->dport = dport;
	if (family == 2) {
		memcpy(s->saddr, src4, 4);
		memcpy(s->daddr, "\x0a\x00\x00\x01", 4);
	} else {
		/* IPv4-mapped IPv6 */
		s->saddr[10] = s->saddr[11] = s->daddr[10] = s->daddr[11] = 0xff;
		memcpy(s->saddr + 12, src4, 4);
		memcpy(s->daddr + 12, "\x0a\x00\x00\x01", 4);
	}
}

static void test_ufilter(void)
{
	struct nr_filter *f, *ftcp;
	struct nr_ufilter *u, *uf;
	struct pkt_rec r;
	struct nr_sock s;
	struct nr_ctl c = { .hdr = { .type = NR_REC_CTL, .size = sizeof(c) } };
	char err[256];
	int i;

	check_start("ufilter");
	if (nr_filter__compile("udp dst port 9", &f, err, sizeof(err)) ||
	    nr_filter__compile("tcp dst port 81 and src host 10.0.0.2", &ftcp, err, sizeof(err))) {
		CHECK(0, err);
		return;
	}
	CHECK_EQ(nr_ufilter__new(f, false, 0, &u), 0, "new");
	CHECK_EQ(nr_ufilter__new(f, true, 4, &uf), 0, "new, following, 4 skbs");

	mk_udp(&r, NR_P_NETIF_RECEIVE_SKB, 0x100, 9, true);
	CHECK(nr_ufilter__keep(u, &r.p.hdr), "a matching packet");
	mk_udp(&r, NR_P_NETIF_RECEIVE_SKB, 0x200, 10, true);
	CHECK(!nr_ufilter__keep(u, &r.p.hdr), "another port");
	/* the same skbs later, without a snapshot: as they were */
	mk_udp(&r, NR_P_NET_DEV_XMIT, 0x100, 0, false);
	CHECK(nr_ufilter__keep(u, &r.p.hdr), "no snapshot: the kept skb");
	mk_udp(&r, NR_P_NET_DEV_XMIT, 0x200, 0, false);
	CHECK(!nr_ufilter__keep(u, &r.p.hdr), "no snapshot: the other skb");
	/* freed: forgotten */
	mk_udp(&r, NR_P_CONSUME_SKB, 0x100, 0, false);
	CHECK(nr_ufilter__keep(u, &r.p.hdr), "its free is kept");
	mk_udp(&r, NR_P_NET_DEV_XMIT, 0x100, 0, false);
	CHECK(!nr_ufilter__keep(u, &r.p.hdr), "after its free, a new packet");
	/* a reused skb (another data buffer) is another packet */
	mk_udp(&r, NR_P_NETIF_RECEIVE_SKB, 0x300, 9, true);
	CHECK(nr_ufilter__keep(u, &r.p.hdr), "kept");
	mk_udp(&r, NR_P_NET_DEV_XMIT, 0x300, 0, false);
	r.p.head = 0x9999;
	CHECK(!nr_ufilter__keep(u, &r.p.hdr), "same skb, other head");
	/* not IP, or a snapshot cut before the network header */
	mk_udp(&r, NR_P_NETIF_RECEIVE_SKB, 0x400, 9, true);
	r.p.protocol_be = htons(0x0806);
	CHECK(!nr_ufilter__keep(u, &r.p.hdr), "ARP");
	mk_udp(&r, NR_P_NETIF_RECEIVE_SKB, 0x400, 9, true);
	r.p.snap_len = 14;
	CHECK(!nr_ufilter__keep(u, &r.p.hdr), "snapshot without its IP header");
	/* a drop with a matching header */
	mk_udp(&r, NR_P_KFREE_SKB, 0x500, 9, true);
	CHECK(nr_ufilter__keep(u, &r.p.hdr), "a drop");

	/* --follow: headers that change after the first match (DNAT) */
	mk_udp(&r, NR_P_NETIF_RECEIVE_SKB, 0x600, 9, true);
	CHECK(nr_ufilter__keep(uf, &r.p.hdr), "follow: first match");
	mk_udp(&r, NR_P_KFREE_SKB, 0x600, 7000, true);
	CHECK(nr_ufilter__keep(uf, &r.p.hdr), "follow: the drop after the rewrite");
	CHECK(!nr_ufilter__keep(u, &r.p.hdr), "without follow: not that drop");
	mk_udp(&r, NR_P_NET_DEV_XMIT, 0x600, 7000, true);
	CHECK(!nr_ufilter__keep(uf, &r.p.hdr), "follow: forgotten at its free");
	/* bounded: the fifth skb kept empties the table of four */
	for (i = 0; i < 5; i++) {
		mk_udp(&r, NR_P_NETIF_RECEIVE_SKB, 0x1000 + (__u64)i * 0x100, 9, true);
		nr_ufilter__keep(uf, &r.p.hdr);
	}
	CHECK_EQ(nr_ufilter__forgotten(uf), 1, "the table was emptied once");
	mk_udp(&r, NR_P_NET_DEV_XMIT, 0x1400, 10, true);
	CHECK(nr_ufilter__keep(uf, &r.p.hdr), "the newest is still followed");
	mk_udp(&r, NR_P_NET_DEV_XMIT, 0x1000, 10, true);
	CHECK(!nr_ufilter__keep(uf, &r.p.hdr), "the oldest was forgotten");

	/* sockets: their tuple, the local end as the source */
	nr_ufilter__free(u);
	CHECK_EQ(nr_ufilter__new(ftcp, false, 0, &u), 0, "new, tcp");
	mk_sock(&s, 2, "\x0a\x00\x00\x02", 81);
	CHECK(nr_ufilter__keep(u, &s.hdr), "socket to port 81");
	mk_sock(&s, 2, "\x0a\x00\x00\x02", 82);
	CHECK(!nr_ufilter__keep(u, &s.hdr), "socket to port 82");
	mk_sock(&s, 2, "\x0a\x00\x00\x03", 81);
	CHECK(!nr_ufilter__keep(u, &s.hdr), "another source");
	mk_sock(&s, 10, "\x0a\x00\x00\x02", 81);
	CHECK(nr_ufilter__keep(u, &s.hdr), "IPv4-mapped IPv6 is IPv4");
	s.family = 1;
	CHECK(!nr_ufilter__keep(u, &s.hdr), "not an IP socket");
	CHECK(nr_ufilter__keep(u, &c.hdr), "control records pass");

	nr_ufilter__free(u);
	nr_ufilter__free(uf);
	nr_filter__free(f);
	nr_filter__free(ftcp);
}

int main(void)
{
	nr_log_level = NR_LOG_ERROR;	/* the usage errors are expected */
	test_options();
	test_control_parse();
	test_control_fifo();
	test_ctl_record();
	test_status();
	test_ufilter();
	return check_exit();
}
