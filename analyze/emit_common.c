// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <stdio.h>
#include <string.h>

#include "emit.h"

const char *nr_fmt_duration(__u64 ns, char *buf, size_t size)
{
	if (ns >= 1000000000ULL)
		snprintf(buf, size, "%llu.%03llu s", (unsigned long long)(ns / 1000000000ULL),
			 (unsigned long long)(ns % 1000000000ULL / 1000000ULL));
	else if (ns >= 1000000ULL)
		snprintf(buf, size, "%llu.%01llu ms", (unsigned long long)(ns / 1000000ULL),
			 (unsigned long long)(ns % 1000000ULL / 100000ULL));
	else if (ns >= 1000ULL)
		snprintf(buf, size, "%llu.%01llu us", (unsigned long long)(ns / 1000ULL),
			 (unsigned long long)(ns % 1000ULL / 100ULL));
	else
		snprintf(buf, size, "%llu ns", (unsigned long long)ns);
	return buf;
}

const char *nr_fmt_rel(const struct nr_result *r, __u64 ts, char *buf, size_t size)
{
	__u64 d;

	if (ts >= r->first_ts) {
		d = ts - r->first_ts;
		snprintf(buf, size, "+%llu.%06llu", (unsigned long long)(d / 1000000000ULL),
			 (unsigned long long)(d % 1000000000ULL / 1000ULL));
	} else {
		d = r->first_ts - ts;
		snprintf(buf, size, "-%llu.%06llu", (unsigned long long)(d / 1000000000ULL),
			 (unsigned long long)(d % 1000000000ULL / 1000ULL));
	}
	return buf;
}

const char *nr_fmt_pct(__u64 part, __u64 whole, char *buf, size_t size)
{
	__u64 pm = whole ? (part * 1000 + whole / 2) / whole : 0;

	snprintf(buf, size, "%llu.%llu%%", (unsigned long long)(pm / 10),
		 (unsigned long long)(pm % 10));
	return buf;
}

const char *nr_fmt_netns(__u32 inode, const char *name, char *buf, size_t size)
{
	if (!inode)
		snprintf(buf, size, "unknown netns");
	else if (name)
		snprintf(buf, size, "netns %u (%s)", inode, name);
	else
		snprintf(buf, size, "netns %u", inode);
	return buf;
}

const char *nr_conn_state_name(const struct nr_res_conn *c, __u16 state)
{
	__u32 i;

	for (i = 0; i < c->nr_trans; i++) {
		if (c->trans[i].from == state)
			return c->trans[i].from_name;
		if (c->trans[i].to == state)
			return c->trans[i].to_name;
	}
	return NULL;
}

const char *nr_fmt_verdict(const struct nr_result *r, char *buf, size_t size)
{
	const struct nr_res_tcp *t = &r->tcp;
	size_t n = 0;
	char p[16];

#define ADD(...)                                                                           \
	do {                                                                               \
		if (n < size)                                                              \
			n += (size_t)snprintf(buf + n, size - n, __VA_ARGS__);             \
	} while (0)
	if (!r->totals.drops) {
		ADD("no packets dropped");
	} else {
		const struct nr_res_reason *top = &r->reasons[0];

		ADD("%llu packet%s dropped, ", (unsigned long long)r->totals.drops,
		    r->totals.drops == 1 ? "" : "s");
		if (r->nr_reasons == 1)
			ADD("all %s", top->name);
		else
			ADD("%s %s (of %u reasons)", nr_fmt_pct(top->count, r->totals.drops, p,
							       sizeof(p)), top->name, r->nr_reasons);
		if (top->nr_groups)
			ADD(" at %s", top->groups[0].location_str);
	}
	if (t->never_established)
		ADD("; %llu TCP connection%s never established",
		    (unsigned long long)t->never_established, t->never_established == 1 ? "" : "s");
	if (t->rst_sent + t->rst_recv)
		ADD("; %llu TCP reset%s", (unsigned long long)(t->rst_sent + t->rst_recv),
		    t->rst_sent + t->rst_recv == 1 ? "" : "s");
	if (r->totals.lost)
		ADD("; %llu events LOST", (unsigned long long)r->totals.lost);
	else
		ADD("; no events lost");
#undef ADD
	return buf;
}
