// SPDX-License-Identifier: GPL-2.0-only
/*
 * nrload_cli.c - nrload's command table, option parsing and run summary
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <string.h>

#include "nrload.h"
#include "parse.h"

#define NSEC_PER_SEC 1000000000ULL
#define UDP_PAYLOAD_MAX 65507	/* IPv4: 65535 - 20 (IP) - 8 (UDP) */
#define TCP_WRITE_MAX	(64 * 1024)	/* nrload's I/O buffer */

const struct nrl_cmd_info nrl_cmds[__NRL_CMD_MAX] = {
	[NRL_UDP_CLOSED] = { "udp-closed", IPPROTO_UDP, 1000, 9,
		"UDP to a port with no socket: one NO_SOCKET drop per datagram" },
	[NRL_UDP_FILL] = { "udp-fill", IPPROTO_UDP, 100000, 0,
		"UDP into its own never-read socket with a tiny buffer: SOCKET_RCVBUFF drops" },
	[NRL_UDP_SEND] = { "udp-send", IPPROTO_UDP, 1000, 9,
		"UDP to --dst:--dport and nothing else (to a sink or a firewall)" },
	[NRL_UDP_NFT] = { "udp-nft", IPPROTO_UDP, 1000, 9,
		"udp-send across a veth into a namespace whose nftables rule drops it" },
	[NRL_TCP_CLOSED] = { "tcp-closed", IPPROTO_TCP, 100, 9,
		"TCP connects to a port with no listener: SYN, RST, SYN_SENT -> CLOSE" },
	[NRL_TCP_CHURN] = { "tcp-churn", IPPROTO_TCP, 1000, 0,
		"TCP sessions in a loop: connect, --bytes each way, close from both ends" },
	[NRL_TCP_SESSION] = { "tcp-session", IPPROTO_TCP, 1, 0,
		"one TCP session: --bytes each way, then a clean close from both ends" },
	[NRL_SERVE] = { "serve", IPPROTO_TCP, 0, 0,
		"the server side: TCP sessions (tcp-churn/tcp-session --remote) or a UDP sink" },
	[NRL_COUNTERS] = { "counters", 0, 0, 0,
		"print the namespace's kernel counters as nstat(8) names them" },
};

static const char *const stop_names[] = {
	[NRL_STOP_COUNT] = "count",
	[NRL_STOP_DURATION] = "duration",
	[NRL_STOP_SIGNAL] = "signal",
	[NRL_STOP_ERROR] = "error",
};

void nrl_usage(FILE *f)
{
	size_t i;

	fprintf(f,
		"usage: nrload COMMAND [OPTIONS]\n"
		"\n"
		"Make the kernel do one network thing a known number of times (drop a datagram\n"
		"for a reason, open and close a TCP connection), bounded in count and in time,\n"
		"then print one summary line. netrec's live tests, demo and benchmark use it.\n"
		"\n"
		"Commands:\n");
	for (i = 0; i < __NRL_CMD_MAX; i++)
		fprintf(f, "  %-12s %s\n", nrl_cmds[i].name, nrl_cmds[i].help);
	fprintf(f,
		"\n"
		"Options:\n"
		"  -n, --count N          datagrams, connection attempts or sessions; 0: until\n"
		"                         --duration (udp-closed 1000, udp-fill 100000, tcp-closed\n"
		"                         100, tcp-churn 1000, tcp-session 1, serve 0)\n"
		"  -d, --duration TIME    stop after TIME at the latest: 10s, 500ms, 2m [10s]\n"
		"  -r, --rate N           per second; 0: as fast as possible [0]\n"
		"  -s, --size BYTES       UDP payload, or TCP write size [64; tcp-session and\n"
		"                         serve 64k]\n"
		"  -b, --bytes BYTES      TCP bytes each way per session [tcp-session 64k,\n"
		"                         tcp-churn --size]\n"
		"      --dst ADDR         IPv4 or IPv6 destination; serve: where to listen\n"
		"                         [127.0.0.1]\n"
		"      --dport PORT       destination port [udp-closed, udp-send, udp-nft,\n"
		"                         tcp-closed: 9; otherwise one nrload binds itself]\n"
		"      --src ADDR         bind the sending socket to ADDR\n"
		"      --sport PORT       bind the sending socket to PORT\n"
		"  -6, --ipv6             default addresses are ::1, not 127.0.0.1\n"
		"      --rcvbuf BYTES     udp-fill: SO_RCVBUF asked for; the kernel's minimum\n"
		"                         applies [1]\n"
		"      --remote           tcp-churn, tcp-session: a server ('nrload serve')\n"
		"                         already listens at --dst --dport; start none\n"
		"      --proto tcp|udp    serve: TCP sessions or a UDP sink [tcp]\n"
		"      --ready-file FILE  serve: write the listening port to FILE when ready\n"
		"      --netns NAME       enter network namespace NAME (/run/netns/NAME) or the\n"
		"                         one at a path first\n"
		"      --counters         add the namespace's counter changes to the summary\n"
		"  -j, --json             print the summary as one JSON object\n"
		"  -q, --quiet            print no summary\n"
		"  -h, --help             show this help\n"
		"\n"
		"A TCP session: the client sends --bytes and shuts down its sending side; the\n"
		"server reads to the end, sends as many bytes back and closes; the client reads\n"
		"to the end and closes. Exit status: 0 when every attempt went as intended, 1 if\n"
		"any failed or nothing could start, 2 for a usage error.\n"
		"\n"
		"Exact counts, in a network namespace with no other traffic (see README.md):\n"
		"  udp-closed -n N   UdpNoPorts (Udp6NoPorts) +N; N drops, reason NO_SOCKET\n"
		"  udp-fill          UdpRcvbufErrors = sent - received = dropped; that many\n"
		"                    drops, reason SOCKET_RCVBUFF\n"
		"  udp-nft -n N      the nftables rule's counter +N; N drops, NETFILTER_DROP\n"
		"  tcp-closed -n N   TcpAttemptFails +N, TcpOutRsts +N, refused N; N drops,\n"
		"                    reason NO_SOCKET (the SYNs)\n"
		"  tcp-churn -n N    TcpActiveOpens +N, TcpPassiveOpens +N (local server)\n"
		"\n"
		"Examples:\n"
		"  nrload udp-closed -n 1000                  # 1000 NO_SOCKET drops, 127.0.0.1:9\n"
		"  nrload udp-fill -n 1000000 -d 60s -j       # the benchmark's drop storm\n"
		"  nrload tcp-closed -n 100 --dst ::1         # 100 resets over IPv6\n"
		"  nrload udp-closed -n 500 -r 1000 --netns bench1 --counters\n"
		"  nrload serve --netns b --dst 10.9.0.2 --dport 5000 --ready-file /tmp/rdy &\n"
		"  nrload tcp-session --netns a --dst 10.9.0.2 --dport 5000 --remote -b 1M\n"
		"  nrload counters --netns bench1 -j\n");
}

static int bad_arg(FILE *err, const char *opt, const char *val, int code)
{
	const char *why = code == -ERANGE ? "out of range" : "not a valid value";

	fprintf(err, "nrload: invalid %s '%s': %s\n", opt, val, why);
	return -EINVAL;
}

static int parse_addr(const char *s, struct sockaddr_storage *ss)
{
	struct sockaddr_in *sin = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof(*ss));
	if (inet_pton(AF_INET, s, &sin->sin_addr) == 1) {
		sin->sin_family = AF_INET;
		return 0;
	}
	if (inet_pton(AF_INET6, s, &sin6->sin6_addr) == 1) {
		sin6->sin6_family = AF_INET6;
		return 0;
	}
	return -EINVAL;
}

static void set_port(struct sockaddr_storage *ss, __u16 port)
{
	if (ss->ss_family == AF_INET)
		((struct sockaddr_in *)ss)->sin_port = htons(port);
	else
		((struct sockaddr_in6 *)ss)->sin6_port = htons(port);
}

static void set_loopback(struct sockaddr_storage *ss, int ipv6)
{
	memset(ss, 0, sizeof(*ss));
	if (ipv6) {
		((struct sockaddr_in6 *)ss)->sin6_family = AF_INET6;
		((struct sockaddr_in6 *)ss)->sin6_addr = in6addr_loopback;
	} else {
		((struct sockaddr_in *)ss)->sin_family = AF_INET;
		((struct sockaddr_in *)ss)->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	}
}

const char *nrl_addr_str(const struct sockaddr_storage *ss, char *buf, size_t len)
{
	const void *a = ss->ss_family == AF_INET6
		? (const void *)&((const struct sockaddr_in6 *)ss)->sin6_addr
		: (const void *)&((const struct sockaddr_in *)ss)->sin_addr;

	if (!inet_ntop(ss->ss_family == AF_INET6 ? AF_INET6 : AF_INET, a, buf, (socklen_t)len))
		snprintf(buf, len, "?");
	return buf;
}

enum {
	OPT_DST = 0x100, OPT_DPORT, OPT_SRC, OPT_SPORT, OPT_RCVBUF, OPT_REMOTE, OPT_PROTO,
	OPT_READY, OPT_NETNS, OPT_COUNTERS,
};

int nrl_parse_args(int argc, char **argv, struct nrl_opts *o, FILE *out, FILE *err)
{
	static const struct option longopts[] = {
		{ "count", required_argument, NULL, 'n' },
		{ "duration", required_argument, NULL, 'd' },
		{ "rate", required_argument, NULL, 'r' },
		{ "size", required_argument, NULL, 's' },
		{ "bytes", required_argument, NULL, 'b' },
		{ "dst", required_argument, NULL, OPT_DST },
		{ "dport", required_argument, NULL, OPT_DPORT },
		{ "src", required_argument, NULL, OPT_SRC },
		{ "sport", required_argument, NULL, OPT_SPORT },
		{ "ipv6", no_argument, NULL, '6' },
		{ "rcvbuf", required_argument, NULL, OPT_RCVBUF },
		{ "remote", no_argument, NULL, OPT_REMOTE },
		{ "proto", required_argument, NULL, OPT_PROTO },
		{ "ready-file", required_argument, NULL, OPT_READY },
		{ "netns", required_argument, NULL, OPT_NETNS },
		{ "counters", no_argument, NULL, OPT_COUNTERS },
		{ "json", no_argument, NULL, 'j' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int have_count = 0, have_bytes = 0, have_size = 0, have_dst = 0, have_src = 0, ipv6 = 0;
	__u32 dport = 0, sport = 0, have_dport = 0, have_sport = 0;
	const char *cmd = NULL;
	int c, e, i;

	memset(o, 0, sizeof(*o));
	o->duration_ns = 10 * NSEC_PER_SEC;
	o->size = 64;
	o->rcvbuf = 1;
	o->serve_proto = IPPROTO_TCP;

	optind = 0;	/* full re-initialisation: tests parse many argv in one process */
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":n:d:r:s:b:6jqh", longopts, NULL)) != -1) {
		switch (c) {
		case 'n':
			e = nr_parse_u64(optarg, 0, 1000000000000ULL, &o->count);
			if (e)
				return bad_arg(err, "--count", optarg, e);
			have_count = 1;
			break;
		case 'd':
			e = nr_parse_duration_ns(optarg, 1000000ULL, 24 * 3600 * NSEC_PER_SEC,
						 &o->duration_ns);
			if (e)
				return bad_arg(err, "--duration", optarg, e);
			break;
		case 'r':
			e = nr_parse_u64(optarg, 0, 100000000ULL, &o->rate);
			if (e)
				return bad_arg(err, "--rate", optarg, e);
			break;
		case 's':
			e = nr_parse_size(optarg, 0, TCP_WRITE_MAX, &o->size);
			if (e)
				return bad_arg(err, "--size", optarg, e);
			have_size = 1;
			break;
		case 'b':
			e = nr_parse_size(optarg, 0, 1ULL << 40, &o->bytes);
			if (e)
				return bad_arg(err, "--bytes", optarg, e);
			have_bytes = 1;
			break;
		case OPT_DST:
			if (parse_addr(optarg, &o->dst))
				return bad_arg(err, "--dst", optarg, -EINVAL);
			have_dst = 1;
			break;
		case OPT_SRC:
			if (parse_addr(optarg, &o->src))
				return bad_arg(err, "--src", optarg, -EINVAL);
			have_src = 1;
			break;
		case OPT_DPORT:
			e = nr_parse_u32(optarg, 0, 65535, &dport);
			if (e)
				return bad_arg(err, "--dport", optarg, e);
			have_dport = 1;
			break;
		case OPT_SPORT:
			e = nr_parse_u32(optarg, 0, 65535, &sport);
			if (e)
				return bad_arg(err, "--sport", optarg, e);
			have_sport = 1;
			break;
		case '6':
			ipv6 = 1;
			break;
		case OPT_RCVBUF:
			e = nr_parse_size(optarg, 1, 1ULL << 30, &o->rcvbuf);
			if (e)
				return bad_arg(err, "--rcvbuf", optarg, e);
			break;
		case OPT_REMOTE:
			o->remote = 1;
			break;
		case OPT_PROTO:
			if (!strcmp(optarg, "tcp"))
				o->serve_proto = IPPROTO_TCP;
			else if (!strcmp(optarg, "udp"))
				o->serve_proto = IPPROTO_UDP;
			else
				return bad_arg(err, "--proto", optarg, -EINVAL);
			break;
		case OPT_READY:
			o->ready_file = optarg;
			break;
		case OPT_NETNS:
			if (!*optarg)
				return bad_arg(err, "--netns", optarg, -EINVAL);
			o->netns = optarg;
			break;
		case OPT_COUNTERS:
			o->counters = 1;
			break;
		case 'j':
			o->json = 1;
			break;
		case 'q':
			o->quiet = 1;
			break;
		case 'h':
			nrl_usage(out);
			return 1;
		case ':':
			fprintf(err, "nrload: option '%s' needs a value\n", argv[optind - 1]);
			return -EINVAL;
		default:
			fprintf(err, "nrload: unknown option '%s', see 'nrload --help'\n",
				argv[optind - 1]);
			return -EINVAL;
		}
	}

	if (optind >= argc) {
		fprintf(err, "nrload: no command given, see 'nrload --help'\n");
		return -EINVAL;
	}
	if (optind + 1 < argc) {
		fprintf(err, "nrload: unexpected argument '%s'\n", argv[optind + 1]);
		return -EINVAL;
	}
	cmd = argv[optind];
	for (i = 0; i < __NRL_CMD_MAX; i++)
		if (!strcmp(cmd, nrl_cmds[i].name))
			break;
	if (i == __NRL_CMD_MAX) {
		fprintf(err, "nrload: unknown command '%s', see 'nrload --help'\n", cmd);
		return -EINVAL;
	}
	o->cmd = (enum nrl_cmd)i;

	if (!have_count)
		o->count = nrl_cmds[o->cmd].count;
	/* bulk transfers write in large pieces; churn and datagrams stay small */
	if (!have_size && (o->cmd == NRL_TCP_SESSION ||
			   (o->cmd == NRL_SERVE && o->serve_proto == IPPROTO_TCP)))
		o->size = TCP_WRITE_MAX;
	if (!have_bytes)
		o->bytes = o->cmd == NRL_TCP_SESSION ? 64 * 1024 : o->size;
	if (!have_dport)
		dport = nrl_cmds[o->cmd].dport;
	if (!have_dst)
		set_loopback(&o->dst, ipv6 || (have_src && o->src.ss_family == AF_INET6));
	set_port(&o->dst, (__u16)dport);
	if (have_src || have_sport) {
		if (!have_src) {
			/* a port alone: the wildcard address of the destination's family */
			memset(&o->src, 0, sizeof(o->src));
			o->src.ss_family = o->dst.ss_family;
		}
		set_port(&o->src, (__u16)sport);
	}

	if (o->src.ss_family != AF_UNSPEC && o->src.ss_family != o->dst.ss_family) {
		fprintf(err, "nrload: --src and --dst are of different address families\n");
		return -EINVAL;
	}
	if (o->remote && o->cmd != NRL_TCP_CHURN && o->cmd != NRL_TCP_SESSION) {
		fprintf(err, "nrload: --remote is for tcp-churn and tcp-session only\n");
		return -EINVAL;
	}
	if (o->remote && !dport) {
		fprintf(err, "nrload: --remote needs --dport, the port the server listens on\n");
		return -EINVAL;
	}
	if ((o->cmd == NRL_UDP_CLOSED || o->cmd == NRL_UDP_SEND || o->cmd == NRL_UDP_NFT ||
	     o->cmd == NRL_TCP_CLOSED) && !dport) {
		fprintf(err, "nrload: %s needs a destination port other than 0\n", cmd);
		return -EINVAL;
	}
	if (o->cmd == NRL_UDP_NFT && !have_dst) {
		fprintf(err, "nrload: udp-nft needs --dst, the address behind the dropping rule\n");
		return -EINVAL;
	}
	if (o->size > UDP_PAYLOAD_MAX && (nrl_cmds[o->cmd].proto == IPPROTO_UDP ||
					  (o->cmd == NRL_SERVE && o->serve_proto == IPPROTO_UDP))) {
		fprintf(err, "nrload: --size %llu is more than a UDP datagram holds (%u)\n",
			(unsigned long long)o->size, UDP_PAYLOAD_MAX);
		return -EINVAL;
	}
	if (nrl_cmds[o->cmd].proto == IPPROTO_TCP && o->cmd != NRL_SERVE && !o->size) {
		fprintf(err, "nrload: --size must be at least 1 for TCP\n");
		return -EINVAL;
	}
	if (o->ready_file && o->cmd != NRL_SERVE) {
		fprintf(err, "nrload: --ready-file is for serve only\n");
		return -EINVAL;
	}
	return 0;
}

static void json_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;

		if (ch == '"' || ch == '\\')
			fprintf(f, "\\%c", ch);
		else if (ch < 0x20)
			fprintf(f, "\\u%04x", ch);
		else
			fputc(ch, f);
	}
	fputc('"', f);
}

/* Counters that changed, in the order the kernel lists them. */
static void print_deltas(FILE *f, const struct nrl_result *r, int json)
{
	const struct nrl_counters *a = r->after;
	int first = 1;
	size_t i;

	fputs(json ? ",\"counters\":{" : "; counters:", f);
	for (i = 0; a && i < a->n; i++) {
		long long d = a->v[i].value - nrl_counters_get(r->before, a->v[i].name, NULL);

		if (!d)
			continue;
		if (json) {
			fputs(first ? "" : ",", f);
			json_str(f, a->v[i].name);
			fprintf(f, ":%lld", d);
		} else {
			fprintf(f, "%s %s %+lld", first ? "" : ",", a->v[i].name, d);
		}
		first = 0;
	}
	if (json)
		fputc('}', f);
	else if (first)
		fputs(" none changed", f);
}

void nrl_print_summary(FILE *f, const struct nrl_opts *o, const struct nrl_result *r)
{
	double secs = (double)r->elapsed_ns / (double)NSEC_PER_SEC;
	int udp_sink = o->cmd == NRL_SERVE && o->serve_proto == IPPROTO_UDP;
	int udp_rx = o->cmd == NRL_UDP_FILL || udp_sink;
	/* per second of what the command is about: a sink's rate is what it received */
	double rate = r->elapsed_ns ? (double)(udp_sink ? r->received : r->sent) / secs : 0.0;
	const char *name = nrl_cmds[o->cmd].name;
	int tcp = nrl_cmds[o->cmd].proto == IPPROTO_TCP && !udp_sink;
	char addr[INET6_ADDRSTRLEN];

	nrl_addr_str(&o->dst, addr, sizeof(addr));
	if (o->json) {
		fputs("{\"command\":", f);
		json_str(f, name);
		fprintf(f, ",\"family\":\"%s\",\"dst\":",
			o->dst.ss_family == AF_INET6 ? "ipv6" : "ipv4");
		json_str(f, addr);
		fprintf(f,
			",\"dport\":%u,\"sent\":%llu,\"errors\":%llu,\"elapsed_s\":%.6f"
			",\"rate_pps\":%.1f,\"stop\":\"%s\",\"received\":%llu,\"dropped\":%llu"
			",\"refused\":%llu,\"bytes_sent\":%llu,\"bytes_received\":%llu",
			r->port, (unsigned long long)r->sent, (unsigned long long)r->errors, secs,
			rate, stop_names[r->stop], (unsigned long long)r->received,
			(unsigned long long)r->dropped, (unsigned long long)r->refused,
			(unsigned long long)r->bytes_sent, (unsigned long long)r->bytes_received);
		if (o->counters)
			print_deltas(f, r, 1);
		fputs("}\n", f);
		return;
	}
	fprintf(f, "%s %s%s%s:%u: sent %llu, errors %llu, %.3f s, %.0f/s, stopped by %s", name,
		o->dst.ss_family == AF_INET6 ? "[" : "", addr,
		o->dst.ss_family == AF_INET6 ? "]" : "", r->port, (unsigned long long)r->sent,
		(unsigned long long)r->errors, secs, rate, stop_names[r->stop]);
	if (udp_rx)
		fprintf(f, ", received %llu, dropped %llu", (unsigned long long)r->received,
			(unsigned long long)r->dropped);
	if (o->cmd == NRL_TCP_CLOSED)
		fprintf(f, ", refused %llu", (unsigned long long)r->refused);
	if (tcp && o->cmd != NRL_TCP_CLOSED)
		fprintf(f, ", bytes sent %llu, received %llu",
			(unsigned long long)r->bytes_sent, (unsigned long long)r->bytes_received);
	if (o->counters)
		print_deltas(f, r, 0);
	fputc('\n', f);
}
