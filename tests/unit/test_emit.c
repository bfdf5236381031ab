// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_emit.c - the renderers on the representative scenario: the text report's verdict,
 * sections and widths, the folded stacks, the packets view, and the JSON document
 * (issue 2's keys present; valid per jq when jq is installed). With an argument
 * (text|json|packets|folded) it prints that rendering instead, for a look.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "check.h"
#include "emit.h"
#include "analyze_scenario.h"

static struct nr_meta meta;

static int to_analysis(void *ctx, const struct nr_rec_hdr *rec)
{
	return nr_analysis__add(ctx, rec);
}

static struct nr_result *analyse(void)
{
	struct nr_analysis_opts o = { .sz = sizeof(o), .max_paths = 5 };
	struct nr_analysis *a = NULL;
	struct nr_result *r = NULL;

	CHECK_EQ(nr_analysis__new(&meta, &o, &a), 0, "new");
	CHECK_EQ(scenario(to_analysis, a, 1), 0, "scenario");
	CHECK_EQ(nr_analysis__finish(a, &r), 0, "finish");
	nr_analysis__free(a);
	return r;
}

static char *render(const struct nr_emitter *e, const struct nr_result *r, size_t *len)
{
	struct nr_emit_opts eo = { .file = "scenario.nr", .limit = 2 };
	char *buf = NULL;
	FILE *f = open_memstream(&buf, len);

	CHECK_EQ(e->emit(f, r, &eo), 0, e->name);
	fclose(f);
	return buf;
}

/* the text with wrapped lines joined again: "word\n    word" -> "word word" */
static char *unwrap(const char *t)
{
	char *u = malloc(strlen(t) + 1), *d = u;

	while (*t) {
		if (t[0] == '\n' && t[1] == ' ' && d > u && d[-1] != '\n') {
			const char *p = t + 1;

			while (*p == ' ')
				p++;
			/* a continuation line is indented deeper than a new item */
			if (p - t - 1 > 6 || (*p && *p != '+' && *p != '#' && p - t - 1 >= 4 &&
					      strncmp(p, "at ", 3) && strncmp(p, "check:", 6))) {
				*d++ = ' ';
				t = p;
				continue;
			}
		}
		*d++ = *t++;
	}
	*d = 0;
	return u;
}

static void test_text(const struct nr_result *r)
{
	size_t len, i, col = 0, maxcol = 0;
	char *raw = render(&nr_emit_text, r, &len), *t = unwrap(raw);

	check_start("text");
	CHECK(strstr(t, "VERDICT  78 packets dropped, 51.3% NO_SOCKET (of 4 reasons) at "
			"__udp4_lib_rcv+0x5ae; 1 TCP connection never established; 2 TCP resets; "
			"3 events LOST\n") != NULL, "verdict");
	CHECK(strstr(t, "2026-11-05T10:00:00.000000000Z") != NULL, "wall-clock start");
	CHECK(strstr(t, "no socket was listening on udp 10.0.0.2:9 in netns ns1: 40 packets") != NULL,
	      "diagnosis with facts");
	CHECK(strstr(t, "at the INPUT hook (nftables)") != NULL, "netfilter hook");
	CHECK(strstr(t, "flow tcp 10.0.0.1:41000 -> 10.0.0.2:80") != NULL, "socket flow, as received");
	CHECK(strstr(t, "path of packet #") != NULL, "example path");
	CHECK(strstr(t, "refused, never established") != NULL, "refused connection");
	CHECK(strstr(t, "3 events LOST by the recorder; cpu 1: 3") != NULL, "lost warning");
	CHECK(strstr(t, "this file cannot answer which IPv4 routes were looked up") != NULL,
	      "coverage");
	CHECK(strstr(t, "\033[") == NULL, "no colour unless asked");
	/* every line fits 100 columns (the sparkline's blocks are 3 bytes, 1 column) */
	for (i = 0; i < len; i++) {
		if (raw[i] == '\n') {
			if (col > maxcol)
				maxcol = col;
			col = 0;
		} else if (((unsigned char)raw[i] & 0xc0) != 0x80) {
			col++;
		}
	}
	CHECK(maxcol <= 100, "width");
	free(t);
	free(raw);
}

static void test_json(const struct nr_result *r)
{
	static const char *const keys[] = {
		"\"schema_version\": 1", "\"totals\": {", "\"events\": ", "\"drops\": 78",
		"\"lost\": 3", "\"reason\": \"NO_SOCKET\"", "\"location\": \"__udp4_lib_rcv+0x5ae\"",
		"\"proto\": \"udp\"", "\"src\": \"10.0.0.1\"", "\"sport\": 40000",
		"\"dst\": \"10.0.0.2\"", "\"dport\": 9", "\"stack\": [", "\"tcp\": {",
		"\"connections\": [", "\"family\": \"ipv4\"", "\"transitions\": [",
		"\"time_ns\": ", "\"from\": \"CLOSE\"", "\"to\": \"SYN_SENT\"",
	};
	char path[] = "/tmp/test_emit_XXXXXX", cmd[128];
	size_t len, i;
	char *j = render(&nr_emit_json, r, &len);
	int fd;

	check_start("json");
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (!CHECK(strstr(j, keys[i]) != NULL, "issue 2 key"))
			fprintf(stderr, "  missing: %s\n", keys[i]);
	fd = mkstemp(path);
	if (fd >= 0) {
		CHECK_EQ(write(fd, j, len), (long long)len, "write");
		close(fd);
		if (!system("command -v jq >/dev/null 2>&1")) {
			snprintf(cmd, sizeof(cmd), "jq -e '.drops[0].flows[0].count' %s >/dev/null",
				 path);
			CHECK_EQ(system(cmd), 0, "jq parses the document");
		}
		unlink(path);
	}
	free(j);
}

static void test_folded_and_packets(const struct nr_result *r)
{
	size_t len;
	char *t = render(&nr_emit_folded, r, &len);

	check_start("folded");
	CHECK(strstr(t, "ip_protocol_deliver_rcu;__udp4_lib_rcv;sk_skb_reason_drop;[NO_SOCKET] 40\n")
	      != NULL, "stack line, outermost first");
	CHECK(strstr(t, "[no stack];__udp4_lib_rcv;[SOCKET_RCVBUFF] 5\n") != NULL,
	      "drops without stack");
	CHECK(strstr(t, "[no stack];tcp_v4_rcv;[TCP_ZEROWINDOW] 1\n") != NULL, "zero window");
	free(t);
	t = render(&nr_emit_packets, r, &len);
	check_start("packets");
	CHECK(strstr(t, "packet #1 dropped at ") != NULL, "first packet");
	CHECK(strstr(t, "net:netif_receive_skb") != NULL, "path points");
	CHECK(strstr(t, "76 more dropped packets not shown (--limit)") != NULL, "limit");
	free(t);
}

int main(int argc, char **argv)
{
	struct nr_result *r;

	synth_meta(&meta);
	r = analyse();
	if (argc > 1) {
		const struct nr_emitter *e = !strcmp(argv[1], "json") ? &nr_emit_json :
					     !strcmp(argv[1], "packets") ? &nr_emit_packets :
					     !strcmp(argv[1], "folded") ? &nr_emit_folded :
					     &nr_emit_text;
		struct nr_emit_opts eo = { .file = "scenario.nr", .color = argc > 2 };

		e->emit(stdout, r, &eo);
		nr_result__free(r);
		return 0;
	}
	test_text(r);
	test_json(r);
	test_folded_and_packets(r);
	nr_result__free(r);
	return check_exit();
}
