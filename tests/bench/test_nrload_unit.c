// SPDX-License-Identifier: GPL-2.0-only
/*
 * nrload's option parsing, summary line and counter parsing, without root or network.
 */
#include <errno.h>
#include <stdlib.h>

#include "check.h"
#include "nrload.h"

#define ARGV(...) ((char *[]){ "nrload", __VA_ARGS__, NULL })
#define ARGC(...) ((int)(sizeof((char *[]){ "nrload", __VA_ARGS__ }) / sizeof(char *)))
#define PARSE(o, ...) parse_quiet(ARGC(__VA_ARGS__), ARGV(__VA_ARGS__), (o))

static char errbuf[4096];

/* Parse with stdout/stderr captured: help text is dropped, the error kept in errbuf. */
static int parse_quiet(int argc, char **argv, struct nrl_opts *o)
{
	FILE *out = fopen("/dev/null", "w"), *err = fmemopen(errbuf, sizeof(errbuf), "w");
	int ret;

	errbuf[0] = '\0';
	ret = nrl_parse_args(argc, argv, o, out, err);
	fclose(out);
	fclose(err);
	return ret;
}

static const char *dst_str(const struct nrl_opts *o)
{
	static char buf[INET6_ADDRSTRLEN];

	return nrl_addr_str(&o->dst, buf, sizeof(buf));
}

static unsigned int dport(const struct nrl_opts *o)
{
	return ntohs(o->dst.ss_family == AF_INET6
			     ? ((const struct sockaddr_in6 *)&o->dst)->sin6_port
			     : ((const struct sockaddr_in *)&o->dst)->sin_port);
}

static void test_defaults(void)
{
	struct nrl_opts o;

	check_start("defaults");
	CHECK_EQ(PARSE(&o, "udp-closed"), 0, "parse");
	CHECK_EQ(o.cmd, NRL_UDP_CLOSED, "cmd");
	CHECK_EQ(o.count, 1000, "count");
	CHECK_EQ(o.duration_ns, 10000000000ULL, "duration");
	CHECK_EQ(o.rate, 0, "rate");
	CHECK_EQ(o.size, 64, "size");
	CHECK_EQ(o.dst.ss_family, AF_INET, "family");
	CHECK_STR(dst_str(&o), "127.0.0.1", "dst");
	CHECK_EQ(dport(&o), 9, "dport");
	CHECK_EQ(o.src.ss_family, AF_UNSPEC, "src unbound");
	CHECK_EQ(o.json, 0, "json");

	CHECK_EQ(PARSE(&o, "udp-fill"), 0, "parse udp-fill");
	CHECK_EQ(o.count, 100000, "udp-fill count");
	CHECK_EQ(dport(&o), 0, "udp-fill binds its own port");
	CHECK_EQ(o.rcvbuf, 1, "udp-fill rcvbuf");

	CHECK_EQ(PARSE(&o, "tcp-session"), 0, "parse tcp-session");
	CHECK_EQ(o.count, 1, "tcp-session count");
	CHECK_EQ(o.size, 65536, "tcp-session write size");
	CHECK_EQ(o.bytes, 65536, "tcp-session bytes");

	CHECK_EQ(PARSE(&o, "tcp-churn", "-s", "100"), 0, "parse tcp-churn");
	CHECK_EQ(o.count, 1000, "tcp-churn count");
	CHECK_EQ(o.bytes, 100, "tcp-churn bytes follow --size");

	CHECK_EQ(PARSE(&o, "serve", "--proto", "udp"), 0, "parse serve udp");
	CHECK_EQ(o.serve_proto, IPPROTO_UDP, "serve proto");
	CHECK_EQ(o.count, 0, "serve count: until duration");
	CHECK_EQ(o.size, 64, "serve udp keeps --size");

	CHECK_EQ(PARSE(&o, "tcp-closed"), 0, "parse tcp-closed");
	CHECK_EQ(o.count, 100, "tcp-closed count");
	CHECK_EQ(dport(&o), 9, "tcp-closed dport");
}

static void test_options(void)
{
	struct nrl_opts o;

	check_start("options");
	CHECK_EQ(PARSE(&o, "-n", "5", "--duration", "500ms", "-r", "2000", "udp-send", "-s", "1k",
		       "--dst", "10.1.2.3", "--dport", "5353", "--src", "10.1.2.4", "--sport",
		       "4000", "-j", "--counters", "--netns", "bench1"), 0, "parse");
	CHECK_EQ(o.cmd, NRL_UDP_SEND, "command after options");
	CHECK_EQ(o.count, 5, "count");
	CHECK_EQ(o.duration_ns, 500000000ULL, "duration");
	CHECK_EQ(o.rate, 2000, "rate");
	CHECK_EQ(o.size, 1024, "size");
	CHECK_STR(dst_str(&o), "10.1.2.3", "dst");
	CHECK_EQ(dport(&o), 5353, "dport");
	CHECK_EQ(o.src.ss_family, AF_INET, "src family");
	CHECK_EQ(ntohs(((struct sockaddr_in *)&o.src)->sin_port), 4000, "sport");
	CHECK_EQ(o.json, 1, "json");
	CHECK_EQ(o.counters, 1, "counters");
	CHECK_STR(o.netns, "bench1", "netns");

	CHECK_EQ(PARSE(&o, "tcp-closed", "-6"), 0, "parse -6");
	CHECK_STR(dst_str(&o), "::1", "-6 dst");
	CHECK_EQ(PARSE(&o, "tcp-closed", "--dst", "fd00::2", "--dport", "80"), 0, "parse v6");
	CHECK_EQ(o.dst.ss_family, AF_INET6, "v6 family");
	CHECK_EQ(dport(&o), 80, "v6 dport");
	CHECK_EQ(PARSE(&o, "tcp-closed", "--sport", "7000", "--dst", "::1"), 0, "sport alone");
	CHECK_EQ(o.src.ss_family, AF_INET6, "sport alone binds the wildcard of dst's family");

	CHECK_EQ(PARSE(&o, "tcp-session", "--remote", "--dport", "5000", "-b", "1M"), 0,
		 "parse remote");
	CHECK_EQ(o.remote, 1, "remote");
	CHECK_EQ(o.bytes, 1048576, "bytes");
	CHECK_EQ(PARSE(&o, "serve", "--ready-file", "/tmp/x", "-n", "0", "-d", "2m"), 0,
		 "parse serve");
	CHECK_STR(o.ready_file, "/tmp/x", "ready file");
	CHECK_EQ(o.duration_ns, 120000000000ULL, "2m");

	CHECK_EQ(PARSE(&o, "--help"), 1, "--help");
	CHECK_EQ(PARSE(&o, "udp-closed", "-h"), 1, "-h after a command");
}

static void test_errors(void)
{
	const struct {
		int argc;
		char **argv;
		const char *msg;
	} cases[] = {
#define BAD(msg, ...) { ARGC(__VA_ARGS__), ARGV(__VA_ARGS__), msg }
		BAD("nrload: unknown command 'udp-open', see 'nrload --help'\n", "udp-open"),
		BAD("nrload: unexpected argument 'tcp-churn'\n", "udp-closed", "tcp-churn"),
		BAD("nrload: invalid --count '-1': not a valid value\n", "udp-closed", "-n", "-1"),
		BAD("nrload: invalid --count '1x': not a valid value\n", "udp-closed", "-n", "1x"),
		BAD("nrload: invalid --count '1000000000001': out of range\n", "udp-closed", "-n",
		    "1000000000001"),
		BAD("nrload: invalid --duration '0': out of range\n", "udp-closed", "-d", "0"),
		BAD("nrload: invalid --duration '2d': not a valid value\n", "udp-closed", "-d",
		    "2d"),
		BAD("nrload: invalid --rate 'fast': not a valid value\n", "udp-closed", "-r",
		    "fast"),
		BAD("nrload: invalid --dport '65536': out of range\n", "udp-closed", "--dport",
		    "65536"),
		BAD("nrload: invalid --dst '10.0.0.256': not a valid value\n", "udp-closed",
		    "--dst", "10.0.0.256"),
		BAD("nrload: invalid --proto 'sctp': not a valid value\n", "serve", "--proto",
		    "sctp"),
		BAD("nrload: invalid --netns '': not a valid value\n", "serve", "--netns", ""),
		BAD("nrload: --src and --dst are of different address families\n", "udp-closed",
		    "--src", "127.0.0.1", "--dst", "::1"),
		BAD("nrload: --remote is for tcp-churn and tcp-session only\n", "udp-closed",
		    "--remote"),
		BAD("nrload: --remote needs --dport, the port the server listens on\n",
		    "tcp-churn", "--remote"),
		BAD("nrload: udp-closed needs a destination port other than 0\n", "udp-closed",
		    "--dport", "0"),
		BAD("nrload: udp-nft needs --dst, the address behind the dropping rule\n",
		    "udp-nft"),
		BAD("nrload: --size 65508 is more than a UDP datagram holds (65507)\n",
		    "udp-send", "-s", "65508"),
		BAD("nrload: --size must be at least 1 for TCP\n", "tcp-churn", "-s", "0"),
		BAD("nrload: --ready-file is for serve only\n", "udp-closed", "--ready-file", "x"),
		BAD("nrload: option '--count' needs a value\n", "udp-closed", "--count"),
		BAD("nrload: unknown option '--colour', see 'nrload --help'\n", "udp-closed",
		    "--colour"),
#undef BAD
	};
	struct nrl_opts o;
	size_t i;

	check_start("errors");
	CHECK_EQ(parse_quiet(1, (char *[]){ "nrload", NULL }, &o), -EINVAL, "no command");
	CHECK_STR(errbuf, "nrload: no command given, see 'nrload --help'\n", "no command msg");
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		CHECK_EQ(parse_quiet(cases[i].argc, cases[i].argv, &o), -EINVAL, cases[i].msg);
		CHECK_STR(errbuf, cases[i].msg, "message");
	}
}

static void test_usage(void)
{
	char *text = NULL;
	size_t len = 0, i;
	FILE *f = open_memstream(&text, &len);

	check_start("usage");
	nrl_usage(f);
	fclose(f);
	for (i = 0; i < __NRL_CMD_MAX; i++) {
		char want[64];

		snprintf(want, sizeof(want), "\n  %-12s %s\n", nrl_cmds[i].name, nrl_cmds[i].help);
		CHECK(strstr(text, want) != NULL, nrl_cmds[i].name);
	}
	CHECK(strstr(text, "\nExamples:\n") != NULL, "examples block");
	free(text);
}

static char *summary(const struct nrl_opts *o, const struct nrl_result *r)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	nrl_print_summary(f, o, r);
	fclose(f);
	return text;
}

static void test_summary(void)
{
	struct nrl_counters before = { 0 }, after = { 0 };
	struct nrl_result r = { 0 };
	struct nrl_opts o;
	char *s;

	check_start("summary");
	PARSE(&o, "udp-fill");
	r.sent = 1000;
	r.elapsed_ns = 4000000;
	r.received = 2;
	r.dropped = 998;
	r.port = 40000;
	s = summary(&o, &r);
	CHECK_STR(s, "udp-fill 127.0.0.1:40000: sent 1000, errors 0, 0.004 s, 250000/s, "
		     "stopped by count, received 2, dropped 998\n", "udp-fill text");
	free(s);
	o.json = 1;
	s = summary(&o, &r);
	CHECK_STR(s, "{\"command\":\"udp-fill\",\"family\":\"ipv4\",\"dst\":\"127.0.0.1\","
		     "\"dport\":40000,\"sent\":1000,\"errors\":0,\"elapsed_s\":0.004000,"
		     "\"rate_pps\":250000.0,\"stop\":\"count\",\"received\":2,\"dropped\":998,"
		     "\"refused\":0,\"bytes_sent\":0,\"bytes_received\":0}\n", "udp-fill json");
	free(s);

	PARSE(&o, "tcp-closed", "--dst", "::1", "--counters");
	memset(&r, 0, sizeof(r));
	r.sent = r.refused = 3;
	r.errors = 1;
	r.elapsed_ns = 1500000000;
	r.stop = NRL_STOP_DURATION;
	r.port = 9;
	CHECK_EQ(nrl_counters_parse_pairs(&before, "Tcp: AttemptFails OutRsts\nTcp: 10 5\n"), 0,
		 "before");
	CHECK_EQ(nrl_counters_parse_pairs(&after, "Tcp: AttemptFails OutRsts\nTcp: 13 5\n"), 0,
		 "after");
	r.before = &before;
	r.after = &after;
	s = summary(&o, &r);
	CHECK_STR(s, "tcp-closed [::1]:9: sent 3, errors 1, 1.500 s, 2/s, stopped by duration, "
		     "refused 3; counters: TcpAttemptFails +3\n", "tcp-closed text");
	free(s);
	o.json = 1;
	s = summary(&o, &r);
	CHECK_STR(s, "{\"command\":\"tcp-closed\",\"family\":\"ipv6\",\"dst\":\"::1\",\"dport\":9,"
		     "\"sent\":3,\"errors\":1,\"elapsed_s\":1.500000,\"rate_pps\":2.0,"
		     "\"stop\":\"duration\",\"received\":0,\"dropped\":0,\"refused\":3,"
		     "\"bytes_sent\":0,\"bytes_received\":0,\"counters\":{\"TcpAttemptFails\":3}}\n",
		  "tcp-closed json");
	free(s);
	nrl_counters_free(&before);
	nrl_counters_free(&after);

	PARSE(&o, "tcp-session", "-b", "1k");
	memset(&r, 0, sizeof(r));
	r.sent = 1;
	r.bytes_sent = r.bytes_received = 1024;
	r.stop = NRL_STOP_SIGNAL;
	r.port = 5000;
	s = summary(&o, &r);
	CHECK_STR(s, "tcp-session 127.0.0.1:5000: sent 1, errors 0, 0.000 s, 0/s, stopped by "
		     "signal, bytes sent 1024, received 1024\n", "tcp-session text, no time");
	free(s);

	PARSE(&o, "serve", "--proto", "udp", "--dst", "10.0.0.2");
	memset(&r, 0, sizeof(r));
	r.received = 500;
	r.elapsed_ns = 2000000000;
	r.port = 5000;
	s = summary(&o, &r);
	CHECK_STR(s, "serve 10.0.0.2:5000: sent 0, errors 0, 2.000 s, 250/s, stopped by count, "
		     "received 500, dropped 0\n", "udp sink: the rate is of what it received");
	free(s);
}

static void test_counters_parse(void)
{
	static const char snmp[] =
		"Ip: Forwarding DefaultTTL InReceives\n"
		"Ip: 1 64 1234\n"
		"Tcp: RtoAlgorithm MaxConn ActiveOpens\n"
		"Tcp: 1 -1 77\n"
		"Udp: InDatagrams NoPorts RcvbufErrors\n"
		"Udp: 5 1000 42\n";
	static const char snmp6[] =
		"Ip6InReceives                   \t20\n"
		"Udp6NoPorts                     \t10\n"
		"\n";
	struct nrl_counters c = { 0 };
	int found = -1;

	check_start("counters-parse");
	CHECK_EQ(nrl_counters_parse_pairs(&c, snmp), 0, "snmp");
	CHECK_EQ(c.n, 9, "snmp count");
	CHECK_EQ(nrl_counters_get(&c, "IpInReceives", &found), 1234, "IpInReceives");
	CHECK_EQ(found, 1, "found");
	CHECK_EQ(nrl_counters_get(&c, "TcpMaxConn", NULL), -1, "negative value");
	CHECK_EQ(nrl_counters_get(&c, "UdpNoPorts", NULL), 1000, "UdpNoPorts");
	CHECK_EQ(nrl_counters_get(&c, "UdpRcvbufErrors", NULL), 42, "last field");
	CHECK_EQ(nrl_counters_get(&c, "UdpSndbufErrors", &found), 0, "missing");
	CHECK_EQ(found, 0, "not found");
	CHECK_EQ(nrl_counters_parse_flat(&c, snmp6), 0, "snmp6");
	CHECK_EQ(c.n, 11, "appended");
	CHECK_EQ(nrl_counters_get(&c, "Udp6NoPorts", NULL), 10, "Udp6NoPorts");
	CHECK_STR(c.v[9].name, "Ip6InReceives", "flat name");
	nrl_counters_free(&c);
	CHECK_EQ(c.n, 0, "freed");

	CHECK_EQ(nrl_counters_parse_pairs(&c, "Ip: A B\nTcp: 1 2\n"), -EBADMSG, "other proto");
	CHECK_EQ(nrl_counters_parse_pairs(&c, "Ip: A B\nIp: 1\n"), -EBADMSG, "fewer values");
	CHECK_EQ(nrl_counters_parse_pairs(&c, "Ip: A\nIp: 1 2\n"), -EBADMSG, "more values");
	CHECK_EQ(nrl_counters_parse_pairs(&c, "Ip: A B\nIp: 1 x\n"), -EBADMSG, "not a number");
	CHECK_EQ(nrl_counters_parse_pairs(&c, "Ip: A B\n"), -EBADMSG, "no value line");
	CHECK_EQ(nrl_counters_parse_pairs(&c, "no colon\nno colon\n"), -EBADMSG, "no colon");
	CHECK_EQ(nrl_counters_parse_pairs(&c, "Ip: Aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
					      "aaaaaaaaaaaaaaaaaa\nIp: 1\n"),
		 -EOVERFLOW, "long name");
	CHECK_EQ(nrl_counters_parse_flat(&c, "Udp6NoPorts 1 2\n"), -EBADMSG, "three tokens");
	CHECK_EQ(nrl_counters_parse_flat(&c, "Udp6NoPorts\n"), -EBADMSG, "no value");
	CHECK_EQ(nrl_counters_parse_flat(&c, "Udp6NoPorts 99999999999999999999\n"), -EBADMSG,
		 "overflow");
	nrl_counters_free(&c);

	/* this process's own namespace: no privilege needed to read it */
	CHECK_EQ(nrl_counters_read(&c), 0, "read /proc/self/net");
	nrl_counters_get(&c, "UdpNoPorts", &found);
	CHECK_EQ(found, 1, "UdpNoPorts present");
	nrl_counters_get(&c, "TcpExtTW", &found);
	CHECK_EQ(found, 1, "TcpExtTW present (netstat)");
	nrl_counters_free(&c);
	nrl_counters_free(NULL);
}

int main(void)
{
	test_defaults();
	test_options();
	test_errors();
	test_usage();
	test_summary();
	test_counters_parse();
	return check_exit();
}
