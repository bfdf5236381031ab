// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_decode - the JSON writer, CRC-32C, and the decoders behind dump and report:
 * packet snapshots of every protocol netrec names (and every cut of them), symbols,
 * enum names, errno names, endpoints
 */
#include <arpa/inet.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "decode.h"
#include "internal.h"
#include "jsonw.h"
#include "nr_file.h"
#include "nr_testing.h"

/* what @fn writes through a JSON writer, as a string */
static char *json_of(void (*fn)(struct nr_jsonw *), bool pretty)
{
	static char buf[4096];
	FILE *f = fmemopen(buf, sizeof(buf), "w");
	struct nr_jsonw *j = nr_jsonw_new(f, pretty);

	fn(j);
	nr_jsonw_free(j);
	fclose(f);
	return buf;
}

static void j_escape(struct nr_jsonw *j)
{
	nr_jsonw_arr_open(j);
	nr_jsonw_str(j, "q\"b\\n\nt\tc\x01" "d\x7f");
	nr_jsonw_strn(j, "bad\xff\xc0\x80" "end", 9);
	nr_jsonw_str(j, "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80");
	nr_jsonw_str(j, "\xed\xa0\x80");	/* a UTF-16 surrogate: not UTF-8 */
	nr_jsonw_str(j, NULL);
	nr_jsonw_arr_close(j);
}

static void j_numbers(struct nr_jsonw *j)
{
	nr_jsonw_obj_open(j);
	nr_jsonw_kv_u64(j, "u", ~0ull);
	nr_jsonw_kv_s64(j, "s", -9223372036854775807LL - 1);
	nr_jsonw_key(j, "f1");
	nr_jsonw_fixed(j, 1.25, 1);
	nr_jsonw_key(j, "f2");
	nr_jsonw_fixed(j, -0.0004, 3);
	nr_jsonw_key(j, "f3");
	nr_jsonw_fixed(j, 2.5, 0);
	nr_jsonw_key(j, "f4");
	nr_jsonw_fixed(j, NAN, 2);
	nr_jsonw_key(j, "f5");
	nr_jsonw_fixed(j, -31.4159, 2);
	nr_jsonw_key(j, "hex");
	nr_jsonw_hex(j, "\x00\xab\xff", 3);
	nr_jsonw_kv_bool(j, "b", false);
	nr_jsonw_obj_close(j);
}

static void j_nested(struct nr_jsonw *j)
{
	nr_jsonw_obj_open(j);
	nr_jsonw_key(j, "a");
	nr_jsonw_arr_open(j);
	nr_jsonw_u64(j, 1);
	nr_jsonw_obj_open(j);
	nr_jsonw_obj_close(j);
	nr_jsonw_arr_open(j);
	nr_jsonw_arr_close(j);
	nr_jsonw_arr_close(j);
	nr_jsonw_kv_str(j, "k", "v");
	nr_jsonw_obj_close(j);
}

static void j_lines(struct nr_jsonw *j)
{
	nr_jsonw_obj_open(j);
	nr_jsonw_kv_u64(j, "n", 1);
	nr_jsonw_obj_close(j);
	nr_jsonw_obj_open(j);
	nr_jsonw_kv_u64(j, "n", 2);
	nr_jsonw_obj_close(j);
}

static void test_jsonw(void)
{
	check_start("jsonw");
	CHECK_STR(json_of(j_escape, false),
		  "[\"q\\\"b\\\\n\\nt\\tc\\u0001d\\u007f\",\"bad\\u00ff\\u00c0\\u0080end\","
		  "\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\",\"\\u00ed\\u00a0\\u0080\",null]\n",
		  "escaping");
	CHECK_STR(json_of(j_numbers, false),
		  "{\"u\":18446744073709551615,\"s\":-9223372036854775808,\"f1\":1.3,"
		  "\"f2\":0.000,\"f3\":3,\"f4\":null,\"f5\":-31.42,\"hex\":\"00abff\","
		  "\"b\":false}\n", "numbers");
	CHECK_STR(json_of(j_nested, false), "{\"a\":[1,{},[]],\"k\":\"v\"}\n", "nesting");
	CHECK_STR(json_of(j_nested, true),
		  "{\n  \"a\": [\n    1,\n    {},\n    []\n  ],\n  \"k\": \"v\"\n}\n", "pretty");
	CHECK_STR(json_of(j_lines, false), "{\"n\":1}\n{\"n\":2}\n", "JSON lines");
}

static void test_crc(void)
{
	__u8 buf[1000];
	size_t i, bad = 0;

	check_start("crc32c");
	CHECK_EQ(nr_crc32c(0, "123456789", 9), 0xe3069283, "check value");
	CHECK_EQ(nr_crc32c_sw(0, "123456789", 9), 0xe3069283, "check value, software");
	CHECK_EQ(nr_crc32c(0, "", 0), 0, "empty");
	for (i = 0; i < sizeof(buf); i++)
		buf[i] = (__u8)(i * 131 + 7);
	for (i = 0; i < 300; i++)
		bad += nr_crc32c(0, buf + i % 9, i) != nr_crc32c_sw(0, buf + i % 9, i);
	CHECK_EQ(bad, 0, "hardware and software agree (lengths, alignments)");
	CHECK_EQ(nr_crc32c(nr_crc32c(0, buf, 100), buf + 100, 200), nr_crc32c(0, buf, 300),
		 "incremental");
}

/* builders for snapshots */
static __u32 ip4(__u8 *p, __u8 proto, __u16 frag, __u32 l4len)
{
	memset(p, 0, 20);
	p[0] = 0x45;
	p[2] = (__u8)((20 + l4len) >> 8);
	p[3] = (__u8)(20 + l4len);
	p[4] = 0x12;
	p[5] = 0x34;
	p[6] = (__u8)(frag >> 8);
	p[7] = (__u8)frag;
	p[8] = 63;
	p[9] = proto;
	memcpy(p + 12, "\x0a\x00\x00\x01\x0a\x00\x00\x02", 8);
	return 20;
}

static __u32 tcp(__u8 *p, __u8 flags)
{
	memset(p, 0, 20);
	memcpy(p, "\x9c\x40\x01\xbb\x00\x00\x03\xe8\x00\x00\x07\xd0\x50", 13);
	p[13] = flags;
	p[14] = 0x10;
	return 20;
}

static void test_packets(void)
{
	struct nr_pkt_info pi;
	char b[256];
	__u8 s[256];
	__u32 n, cut;
	int bad = 0;

	check_start("ipv4 tcp");
	n = ip4(s, 6, 0, 20);
	n += tcp(s + n, 0x12);
	CHECK_EQ(nr_decode_packet(s, n, false, 0, 0x0800, 1, &pi), 0, "decodes");
	CHECK_EQ(pi.layers, NR_L_IPV4 | NR_L_TCP | NR_L_PORTS, "layers");
	CHECK_STR(nr_decode_flow(&pi, b, sizeof(b)), "tcp 10.0.0.1:40000 > 10.0.0.2:443", "flow");
	CHECK_STR(nr_decode_tcp_flags(pi.tcp_flags, b, sizeof(b)), "SYN,ACK", "flags");
	CHECK_EQ(pi.seq, 1000, "seq");
	CHECK_EQ(pi.ack, 2000, "ack");
	CHECK_EQ(pi.ip_id, 0x1234, "id");
	CHECK_EQ(pi.ttl, 63, "ttl");
	CHECK(!pi.truncated, "whole");
	/* every cut of it: no read past the end (ASan), and truncated where it should */
	for (cut = 1; cut < n; cut++) {
		int r = nr_decode_packet(s, cut, false, 0, 0x0800, 1, &pi);

		bad += r == 0 && !pi.truncated;
		bad += r != 0;
	}
	CHECK_EQ(bad, 0, "every cut says truncated");

	check_start("ipv4 fragment");
	n = ip4(s, 17, 0x2000 | 185, 8);
	memset(s + n, 0xee, 8);
	CHECK_EQ(nr_decode_packet(s, n + 8, false, 0, 0x0800, 1, &pi), 0, "decodes");
	CHECK(!(pi.layers & NR_L_PORTS), "no ports in a fragment with an offset");
	CHECK_EQ(pi.frag_off, 1480, "offset");
	CHECK(pi.more_frags, "more fragments");
	CHECK_STR(nr_decode_flow(&pi, b, sizeof(b)), "udp 10.0.0.1 > 10.0.0.2", "flow");

	check_start("ethernet qinq ipv4 icmp");
	memcpy(s, "\xff\xff\xff\xff\xff\xff\x52\x54\x00\x12\x34\x56\x88\xa8\x00\x0a"
		  "\x81\x00\x00\x14\x08\x00", 22);
	n = 22 + ip4(s + 22, 1, 0, 8);
	memcpy(s + n, "\x08\x00\x00\x00\x00\x01\x00\x01", 8);
	CHECK_EQ(nr_decode_packet(s, n + 8, true, NR_OFF_NONE, 0, 1, &pi), 0, "decodes");
	CHECK_EQ(pi.nvlan, 2, "two tags");
	CHECK_EQ(pi.vlan[0], 10, "outer");
	CHECK_EQ(pi.vlan[1], 20, "inner");
	CHECK(pi.layers & NR_L_ICMP, "icmp");
	CHECK_EQ(pi.icmp_type, 8, "echo request");
	CHECK_STR(nr_decode_mac(pi.eth_src, 6, b, sizeof(b)), "52:54:00:12:34:56", "source MAC");
	CHECK_STR(nr_decode_flow(&pi, b, sizeof(b)), "icmp 10.0.0.1 > 10.0.0.2", "flow");

	check_start("ipv6 extension headers udp");
	memset(s, 0, 120);
	s[0] = 0x60;
	s[5] = 8 + 8 + 8;
	s[6] = 0;		/* hop-by-hop */
	s[7] = 255;
	inet_pton(AF_INET6, "2001:db8::1", s + 8);
	inet_pton(AF_INET6, "fe80::2", s + 24);
	s[40] = 44;		/* next: fragment */
	s[41] = 0;		/* 8 bytes */
	s[48] = 17;		/* fragment header, next: UDP, offset 0, M set */
	s[51] = 1;
	memcpy(s + 56, "\x00\x35\x13\x88\x00\x08\x00\x00", 8);
	CHECK_EQ(nr_decode_packet(s, 64, false, 0, 0x86dd, 1, &pi), 0, "decodes");
	CHECK_EQ(pi.ip_proto, 17, "udp after the extension headers");
	CHECK(pi.more_frags, "first fragment");
	CHECK_STR(nr_decode_flow(&pi, b, sizeof(b)), "udp [2001:db8::1]:53 > [fe80::2]:5000",
		  "flow");
	CHECK_EQ(pi.l4_off, 56, "transport offset");
	for (cut = 1, bad = 0; cut < 64; cut++)
		bad += nr_decode_packet(s, cut, false, 0, 0x86dd, 1, &pi) == 0 && !pi.truncated;
	CHECK_EQ(bad, 0, "every cut says truncated");

	check_start("arp");
	memcpy(s, "\x00\x01\x08\x00\x06\x04\x00\x02\x52\x54\x00\x12\x34\x56\x0a\x00\x00\x01"
		  "\x02\x00\x5e\x10\x00\x01\x0a\x00\x00\x02", 28);
	CHECK_EQ(nr_decode_packet(s, 28, false, 0, 0x0806, 1, &pi), 0, "decodes");
	CHECK_EQ(pi.arp_op, 2, "reply");
	CHECK_STR(nr_decode_flow(&pi, b, sizeof(b)), "arp 10.0.0.1 > 10.0.0.2", "flow");

	check_start("other protocols");
	CHECK_EQ(nr_decode_packet(s, 28, false, 0, 0x88cc, 1, &pi), -EINVAL, "lldp undecoded");
	memcpy(s, "\x01\x80\xc2\x00\x00\x0e\x52\x54\x00\x12\x34\x56\x88\xcc\x02\x07", 16);
	CHECK_EQ(nr_decode_packet(s, 16, true, NR_OFF_NONE, 0, 1, &pi), 0, "ethernet only");
	CHECK_STR(nr_decode_flow(&pi, b, sizeof(b)), "lldp", "named ethertype");
	s[12] = 0x12;
	s[13] = 0x34;
	nr_decode_packet(s, 16, true, NR_OFF_NONE, 0, 1, &pi);
	CHECK_STR(nr_decode_flow(&pi, b, sizeof(b)), "ethertype 0x1234", "numbered ethertype");
	n = ip4(s, 6, 0, 20);
	CHECK_EQ(nr_decode_packet(s, 12, false, 0, 0x0800, 1, &pi), 0, "cut IPv4 header");
	CHECK(pi.truncated && !pi.layers, "known but cut");
	CHECK_STR(nr_decode_flow(&pi, b, sizeof(b)), "ipv4", "its name");
	CHECK_EQ(nr_decode_packet(s, 0, false, 0, 0x0800, 1, &pi), -EINVAL, "empty");
	/* no protocol given: the version nibble */
	n = ip4(s, 17, 0, 8);
	memcpy(s + n, "\x00\x07\x00\x09\x00\x08\x00\x00", 8);
	CHECK_EQ(nr_decode_packet(s, n + 8, false, 0, 0, 0, &pi), 0, "guessed ipv4");
	CHECK_STR(nr_decode_flow(&pi, b, sizeof(b)), "udp 10.0.0.1:7 > 10.0.0.2:9", "flow");
	/* a tunnel device: no MAC header even when the snapshot says L2 */
	CHECK_EQ(nr_decode_packet(s, n + 8, true, NR_OFF_NONE, 0x0800, 778, &pi), 0, "gre dev");
	CHECK(pi.layers & NR_L_UDP, "read from offset 0");
}

static void test_names(void)
{
	static struct nr_enum_entry drop[] = {
		{ 2, "SKB_DROP_REASON_NOT_SPECIFIED" }, { 3, "SKB_DROP_REASON_NO_SOCKET" },
	};
	static struct nr_enum_entry subsys[] = {
		{ 0, "SKB_DROP_REASON_SUBSYS_CORE" }, { 1, "SKB_DROP_REASON_SUBSYS_MAC80211" },
	};
	static struct nr_enum_entry mac[] = { { 0x10005, "RX_DROP_U_MIC_FAIL" } };
	static struct nr_enum_entry st[] = { { 1, "TCP_ESTABLISHED" }, { 7, "TCP_CLOSE" } };
	static struct nr_enum enums[] = {
		{ "skb_drop_reason", 2, drop }, { "skb_drop_reason_subsys", 2, subsys },
		{ "skb_drop_reason:mac80211", 1, mac }, { "tcp_state", 2, st },
	};
	static struct nr_sym syms[] = {
		{ 0xffffffff81000000, 0x100, "alpha", NULL },
		{ 0xffffffff81000200, 0, "beta", NULL },
		{ 0xffffffffc0000000, 0x40, "gamma", "mymod" },
	};
	static struct nr_iface ifs[] = { { .netns = 7, .ifindex = 3, .name = "veth0" } };
	struct nr_meta m;
	char b[128];

	memset(&m, 0, sizeof(m));
	m.enums = enums;
	m.nr_enums = 4;
	m.syms = syms;
	m.nr_syms = 3;
	m.ifaces = ifs;
	m.nr_ifaces = 1;

	check_start("names");
	CHECK_STR(nr_decode_drop_reason(&m, 3, b, sizeof(b)), "NO_SOCKET", "drop reason");
	CHECK_STR(nr_decode_drop_reason(&m, 4, b, sizeof(b)), "UNKNOWN(4)", "unknown reason");
	CHECK_STR(nr_decode_drop_reason(&m, 0x10005, b, sizeof(b)), "RX_DROP_U_MIC_FAIL",
		  "subsystem reason");
	CHECK_STR(nr_decode_drop_reason(&m, 0x20001, b, sizeof(b)), "UNKNOWN(131073)",
		  "unknown subsystem");
	CHECK_STR(nr_decode_tcp_state(&m, 7, b, sizeof(b)), "CLOSE", "tcp state");
	CHECK_STR(nr_decode_tcp_state(&m, 12, b, sizeof(b)), "UNKNOWN(12)", "unknown state");
	CHECK_STR(nr_decode_rst_reason(&m, 1, b, sizeof(b)), "UNKNOWN(1)", "no table");
	CHECK_STR(nr_decode_sym(&m, 0xffffffff81000010, b, sizeof(b)), "alpha+0x10", "sym+off");
	CHECK_STR(nr_decode_sym(&m, 0xffffffff81000100, b, sizeof(b)), "0xffffffff81000100",
		  "past alpha's end");
	CHECK_STR(nr_decode_sym(&m, 0xffffffff81000300, b, sizeof(b)), "beta+0x100",
		  "size unknown: up to the next");
	CHECK_STR(nr_decode_sym(&m, 0xffffffffc0000004, b, sizeof(b)), "gamma+0x4 [mymod]",
		  "module");
	CHECK_STR(nr_decode_sym(&m, 0x1000, b, sizeof(b)), "0x1000", "below every symbol");
	CHECK_STR(nr_decode_iface(&m, 7, 3, b, sizeof(b)), "veth0", "interface");
	CHECK_STR(nr_decode_iface(&m, 8, 3, b, sizeof(b)), "if3", "other namespace");
	CHECK_STR(nr_decode_iface(&m, 7, 0, b, sizeof(b)), "-", "no device");
	CHECK_STR(nr_decode_probe(&m, 4, b, sizeof(b)), "probe4", "unknown probe");
	CHECK_STR(nr_decode_errno(-101, b, sizeof(b)), "ENETUNREACH", "errno");
	CHECK_STR(nr_decode_errno(0, b, sizeof(b)), "0", "no error");
	CHECK_STR(nr_decode_errno(-4095, b, sizeof(b)), "-4095", "unknown errno");
	CHECK_STR(nr_decode_endpoint(10, (const __u8 *)"\x20\x01\x0d\xb8\0\0\0\0\0\0\0\0\0\0\0\x01",
				     80, b, sizeof(b)), "[2001:db8::1]:80", "v6 endpoint");
	CHECK_STR(nr_decode_rec_flags(NR_RF_SNAP_L2 | NR_RF_CLONED | 0x8000, b, sizeof(b)),
		  "snap_l2,cloned,bit15", "record flags");
	CHECK_STR(nr_decode_reltime(-1500, b, sizeof(b)), "-0.000001500", "negative time");
	CHECK_STR(nr_decode_reltime(61000000001LL, b, sizeof(b)), "61.000000001", "time");
	m.clock_start.mono_ns = 1000;
	m.clock_start.real_ns = 1700000000000000000ull;
	CHECK_EQ(nr_decode_walltime(&m, 1000 + 5, b, sizeof(b)), 0, "wall time");
	CHECK_STR(b, "2023-11-14T22:13:20.000000005Z", "UTC, nanoseconds");
	CHECK_STR(nr_decode_probe_desc("skb:kfree_skb")->reason.label, "reason", "probe desc");
	CHECK(nr_decode_probe_desc("no:such")->reason.kind == NR_VAL_NONE, "generic desc");
}

int main(void)
{
	test_jsonw();
	test_crc();
	test_packets();
	test_names();
	return check_exit();
}
