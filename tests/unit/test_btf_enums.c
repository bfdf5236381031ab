// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_btf_enums.c - enum name tables: from synthetic BTF (vmlinux and module files, with
 * signed, 64-bit, anonymous and subsystem enums) with exact expectations, and from the
 * running kernel's BTF, cross-checked against the tracepoints' own symbol tables
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/btf.h>

#include "btf_enums.h"
#include "check.h"
#include "nr_enums.h"

static char tmpdir[] = "/tmp/nr-test-btf-XXXXXX";

struct ev {
	const char *name;
	long long value;
};

static void add_enum(struct btf *b, const char *name, const struct ev *v, int n)
{
	int i;

	btf__add_enum(b, name, 4);
	for (i = 0; i < n; i++)
		btf__add_enum_value(b, v[i].name, v[i].value);
}

static int write_btf(const struct btf *b, const char *name)
{
	char path[256];
	const void *data;
	__u32 size;
	int fd, ok;

	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	data = btf__raw_data(b, &size);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (!data || fd < 0)
		return -1;
	ok = write(fd, data, size) == (ssize_t)size;
	close(fd);
	return ok ? 0 : -1;
}

/* The kernel's layout in miniature; values out of order on purpose. */
static struct btf *make_vmlinux(void)
{
	static const struct ev reasons[] = {
		{ "SKB_NOT_DROPPED_YET", 0 },
		{ "SKB_CONSUMED", 1 },
		{ "SKB_DROP_REASON_NOT_SPECIFIED", 2 },
		{ "SKB_DROP_REASON_NETFILTER_DROP", 4 },	/* before NO_SOCKET */
		{ "SKB_DROP_REASON_NO_SOCKET", 3 },
		{ "SKB_DROP_REASON_MAX", 5 },
	};
	static const struct ev subsys[] = {
		{ "SKB_DROP_REASON_SUBSYS_CORE", 0 },
		{ "SKB_DROP_REASON_SUBSYS_MAC80211_UNUSABLE", 1 },
		{ "SKB_DROP_REASON_SUBSYS_OPENVSWITCH", 2 },
		{ "SKB_DROP_REASON_SUBSYS_NUM", 3 },
	};
	static const struct ev tcp[] = {
		{ "TCP_ESTABLISHED", 1 }, { "TCP_SYN_SENT", 2 }, { "TCP_CLOSE", 7 },
		{ "TCP_LISTEN", 10 }, { "TCP_MAX_STATES", 11 },
	};
	static const struct ev xdp[] = {
		{ "XDP_ABORTED", 0 }, { "XDP_DROP", 1 }, { "XDP_PASS", 2 },
	};
	static const struct ev netdev_tx[] = {
		{ "__NETDEV_TX_MIN", -2147483648LL },
		{ "NETDEV_TX_OK", 0 },
		{ "NETDEV_TX_BUSY", 16 },
	};
	/* not drop reasons, although values carry bit 16: must not become a subsystem table */
	static const struct ev qdisc[] = {
		{ "__NET_XMIT_STOLEN", 0x10000 }, { "__NET_XMIT_BYPASS", 0x20000 },
	};
	static const struct ev rtn[] = {
		{ "RTN_UNSPEC", 0 }, { "RTN_UNICAST", 1 }, { "RTN_LOCAL", 2 },
	};
	struct btf *b = btf__new_empty();

	btf__add_int(b, "int", 4, BTF_INT_SIGNED);
	add_enum(b, "skb_drop_reason", reasons, 6);
	add_enum(b, "skb_drop_reason_subsys", subsys, 4);
	add_enum(b, NULL, tcp, 5);			/* anonymous, as in the kernel */
	add_enum(b, "xdp_action", xdp, 3);
	add_enum(b, "netdev_tx", netdev_tx, 3);		/* signed */
	add_enum(b, "net_xmit_qdisc_t", qdisc, 2);
	add_enum(b, NULL, rtn, 3);
	/* a 64-bit enum */
	btf__add_enum64(b, "sk_rst_reason", 8, false);
	btf__add_enum64_value(b, "SK_RST_REASON_NOT_SPECIFIED", 0);
	btf__add_enum64_value(b, "SK_RST_REASON_HUGE", 1ull << 40);
	btf__add_enum64_value(b, "SK_RST_REASON_TCP_INVALID_ACK_SEQUENCE", 1);
	return b;
}

static struct btf *make_module(struct btf *base, const char *enum_name, const struct ev *v, int n)
{
	struct btf *b = btf__new_empty_split(base);

	add_enum(b, enum_name, v, n);
	return b;
}

static void test_synthetic(void)
{
	static const struct ev ovs[] = {
		{ "__OVS_DROP_REASON", 0x20000 },
		{ "OVS_DROP_LAST_ACTION", 0x20001 },
		{ "OVS_DROP_ACTION_ERROR", 0x20002 },
	};
	static const struct ev mac80211[] = {
		{ "RX_CONTINUE", 0 },
		{ "RX_QUEUED", 1 },
		{ "___RX_DROP_UNUSABLE", 0x10000 },
		{ "RX_DROP_U_MIC_FAIL", 0x10001 },
	};
	static const struct ev other[] = { { "SOMETHING_ELSE", 0x20001 } };
	struct btf *vm = make_vmlinux(), *m1, *m2, *m3;
	const struct nr_enum *e;
	struct nr_enum *t = NULL;
	__u32 n = 0, i;

	check_start("synthetic btf");
	m1 = make_module(vm, "ovs_drop_reason", ovs, 3);
	m2 = make_module(vm, "mac80211_drop_reason", mac80211, 4);
	m3 = make_module(vm, "other_enum", other, 1);	/* no "drop_reason": never parsed */
	if (!CHECK(write_btf(vm, "vmlinux") == 0 && write_btf(m1, "openvswitch") == 0 &&
		   write_btf(m2, "mac80211") == 0 && write_btf(m3, "other") == 0,
		   "write btf files"))
		goto out;

	{
		struct nr_btf_enums_opts o = { .sz = sizeof(o), .btf_dir = tmpdir };

		if (!CHECK_EQ(nr_btf_enums__collect(&o, &t, &n), 0, "collect"))
			goto out;
	}
	/* 8 kernel tables, 2 subsystem tables, 3 of netrec's */
	CHECK_EQ(n, 13, "tables");

	e = nr_enums__find(t, n, "skb_drop_reason");
	if (CHECK(e != NULL, "skb_drop_reason")) {
		CHECK_EQ(e->nr, 6, "skb_drop_reason entries");
		for (i = 0; i < e->nr; i++)
			CHECK_EQ(e->e[i].value, i, "sorted by value");
		CHECK_STR(e->e[3].name, "SKB_DROP_REASON_NO_SOCKET", "value 3");
		CHECK_STR(e->e[4].name, "SKB_DROP_REASON_NETFILTER_DROP", "value 4");
	}
	CHECK_STR(nr_enum__name(nr_enums__find(t, n, "tcp_state"), 7), "TCP_CLOSE",
		  "anonymous tcp enum found by TCP_ESTABLISHED");
	CHECK_STR(nr_enum__name(nr_enums__find(t, n, "rtn_type"), 1), "RTN_UNICAST", "rtn_type");
	CHECK_STR(nr_enum__name(nr_enums__find(t, n, "xdp_action"), 2), "XDP_PASS", "xdp_action");
	e = nr_enums__find(t, n, "netdev_tx");
	if (CHECK(e != NULL && e->nr == 3, "netdev_tx")) {
		CHECK_EQ(e->e[0].value, -2147483648LL, "signed 32-bit value kept negative");
		CHECK_STR(e->e[0].name, "__NETDEV_TX_MIN", "signed value sorts first");
	}
	e = nr_enums__find(t, n, "sk_rst_reason");
	if (CHECK(e != NULL && e->nr == 3, "sk_rst_reason (enum64)")) {
		CHECK_EQ(e->e[2].value, 1ll << 40, "64-bit value");
		CHECK_STR(e->e[1].name, "SK_RST_REASON_TCP_INVALID_ACK_SEQUENCE", "64-bit sorted");
	}
	CHECK(nr_enums__find(t, n, "qdisc_drop_reason") == NULL, "absent enum: no table");

	e = nr_enums__find(t, n, "skb_drop_reason:openvswitch");
	if (CHECK(e != NULL, "openvswitch subsystem table")) {
		CHECK_EQ(e->nr, 3, "openvswitch entries");
		CHECK_STR(e->e[1].name, "OVS_DROP_LAST_ACTION", "openvswitch reason");
	}
	e = nr_enums__find(t, n, "skb_drop_reason:mac80211_unusable");
	if (CHECK(e != NULL, "mac80211 subsystem table"))
		CHECK_EQ(e->nr, 2, "only the subsystem's values (not RX_CONTINUE/RX_QUEUED)");
	CHECK(nr_enums__find(t, n, "skb_drop_reason:core") == NULL, "no table for subsystem 0");

	CHECK_STR(nr_drop_reason_name(t, n, 3), "SKB_DROP_REASON_NO_SOCKET", "core reason");
	CHECK_STR(nr_drop_reason_name(t, n, 0x20001), "OVS_DROP_LAST_ACTION", "ovs reason");
	CHECK_STR(nr_drop_reason_name(t, n, 0x10001), "RX_DROP_U_MIC_FAIL", "mac80211 reason");
	CHECK(nr_drop_reason_name(t, n, 0x20009) == NULL, "unknown ovs reason");
	CHECK(nr_drop_reason_name(t, n, 0x30001) == NULL, "subsystem without a table");
	CHECK(nr_drop_reason_name(t, n, 99) == NULL, "unknown core reason");

	e = nr_enums__find(t, n, "netrec:tc_act");
	if (CHECK(e != NULL, "netrec:tc_act")) {
		CHECK_EQ(e->e[0].value, -1, "TC_ACT_UNSPEC is -1");
		CHECK_STR(nr_enum__name(e, 2), "TC_ACT_SHOT", "TC_ACT_SHOT is 2");
	}
	CHECK_STR(nr_enum__name(nr_enums__find(t, n, "netrec:net_xmit"), 1), "NET_XMIT_DROP",
		  "NET_XMIT_DROP is 1");
	CHECK_STR(nr_enum__name(nr_enums__find(t, n, "netrec:net_rx"), 1), "NET_RX_DROP",
		  "NET_RX_DROP is 1");
	nr_enums__free(t, n);

	/* from loaded BTF objects, without netrec's tables */
	{
		const struct btf *mods[] = { m1 };

		if (CHECK_EQ(nr_btf_enums__from_btf(vm, mods, 1, false, &t, &n), 0, "from_btf")) {
			CHECK_EQ(n, 9, "tables without netrec's and mac80211");
			CHECK(nr_enums__find(t, n, "netrec:net_xmit") == NULL, "no fixed tables");
			nr_enums__free(t, n);
		}
	}
	{
		struct nr_btf_enums_opts o = { .sz = sizeof(o), .btf_dir = "/nonexistent" };

		CHECK_EQ(nr_btf_enums__collect(&o, &t, &n), -ENOENT, "no BTF");
	}
out:
	btf__free(m1);
	btf__free(m2);
	btf__free(m3);
	btf__free(vm);
}

/* Compare a tracepoint's __print_symbolic() pairs with table @e: name == @prefix + sym. */
static void cross_check(const char *format_path, const char *field, const struct nr_enum *e,
			const char *what)
{
	char *buf = NULL, *p, pat[64];
	size_t cap = 0;
	__u32 pairs = 0, bad = 0;
	FILE *f;

	f = fopen(format_path, "r");
	if (!f) {
		printf("%s: %s unreadable, cross-check skipped\n", what, format_path);
		return;
	}
	buf = malloc(cap = 1 << 20);
	cap = fread(buf, 1, cap - 1, f);
	buf[cap] = '\0';
	fclose(f);
	snprintf(pat, sizeof(pat), "__print_symbolic(REC->%s,", field);
	p = strstr(buf, pat);
	while (p && (p = strstr(p, "{ ")) && p[2] != '}') {
		long long v;
		char sym[128];
		const char *name;
		int used = 0;

		if (sscanf(p, "{ %lld, \"%127[^\"]\" }%n", &v, sym, &used) != 2 || !used)
			break;
		p += used;
		pairs++;
		name = nr_enum__name(e, v);
		if (!name || strlen(name) < strlen(sym) ||
		    strcmp(name + strlen(name) - strlen(sym), sym)) {
			if (bad++ < 5)
				fprintf(stderr, "%s: %lld is '%s' in the tracepoint, '%s' in BTF\n",
					what, v, sym, name ? name : "(none)");
		}
		if (*p != ',')
			break;
	}
	free(buf);
	CHECK(pairs > 0, what);
	CHECK_EQ(bad, 0, what);
	printf("%s: %u values agree with the tracepoint's symbol table\n", what, pairs);
}

static void test_running_kernel(void)
{
	struct nr_btf_enums_opts o = { .sz = sizeof(o), .btf_dir = NR_BTF_DIR };
	const struct nr_enum *e;
	struct nr_enum *t = NULL;
	__u32 n = 0, i, j;
	int err;

	check_start("running kernel");
	if (access(NR_BTF_DIR "/vmlinux", R_OK)) {
		printf("running kernel: no %s/vmlinux, skipped\n", NR_BTF_DIR);
		return;
	}
	err = nr_btf_enums__collect(&o, &t, &n);
	if (!CHECK_EQ(err, 0, "collect"))
		return;
	for (i = 0; i < n; i++) {
		for (j = 1; j < t[i].nr; j++)
			if (t[i].e[j].value < t[i].e[j - 1].value)
				break;
		CHECK(j >= t[i].nr, t[i].name);
		printf("  %-32s %4u entries\n", t[i].name, t[i].nr);
	}
	/* stable since their introduction (uapi or never renumbered) */
	e = nr_enums__find(t, n, "tcp_state");
	CHECK_STR(nr_enum__name(e, 1), "TCP_ESTABLISHED", "TCP_ESTABLISHED = 1");
	CHECK_STR(nr_enum__name(e, 2), "TCP_SYN_SENT", "TCP_SYN_SENT = 2");
	CHECK_STR(nr_enum__name(e, 7), "TCP_CLOSE", "TCP_CLOSE = 7");
	CHECK_STR(nr_enum__name(e, 10), "TCP_LISTEN", "TCP_LISTEN = 10");
	e = nr_enums__find(t, n, "xdp_action");
	CHECK_STR(nr_enum__name(e, 0), "XDP_ABORTED", "XDP_ABORTED = 0");
	CHECK_STR(nr_enum__name(e, 1), "XDP_DROP", "XDP_DROP = 1");
	CHECK_STR(nr_enum__name(e, 4), "XDP_REDIRECT", "XDP_REDIRECT = 4");
	CHECK_STR(nr_enum__name(nr_enums__find(t, n, "rtn_type"), 1), "RTN_UNICAST",
		  "RTN_UNICAST = 1");
	e = nr_enums__find(t, n, "skb_drop_reason");
	if (e) {
		CHECK_STR(nr_enum__name(e, 0), "SKB_NOT_DROPPED_YET", "SKB_NOT_DROPPED_YET = 0");
		CHECK(e->nr > 10, "skb_drop_reason has its reasons");
		cross_check("/sys/kernel/tracing/events/skb/kfree_skb/format", "reason", e,
			    "skb_drop_reason vs skb:kfree_skb");
	} else {
		printf("running kernel: no enum skb_drop_reason (kernel < 5.17)\n");
	}
	cross_check("/sys/kernel/tracing/events/sock/inet_sock_set_state/format", "newstate",
		    nr_enums__find(t, n, "tcp_state"), "tcp_state vs sock:inet_sock_set_state");
	nr_enums__free(t, n);
}

int main(void)
{
	char cmd[128];

	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return 1;
	}
	test_synthetic();
	test_running_kernel();
	snprintf(cmd, sizeof(cmd), "rm -rf %s", tmpdir);
	if (system(cmd))
		fprintf(stderr, "cannot remove %s\n", tmpdir);
	return check_exit();
}
