// SPDX-License-Identifier: GPL-2.0-only
/*
 * status.c - the status line and the final lines of `netrec record` (status.h)
 */
#include <stdio.h>

#include "status.h"

const char *nr_human_bytes(__u64 v, char *buf, size_t len)
{
	static const char *const unit[] = { "KiB", "MiB", "GiB", "TiB" };
	double x = (double)v;
	int u = -1;

	if (v < 1024) {
		snprintf(buf, len, "%llu B", (unsigned long long)v);
		return buf;
	}
	while (x >= 1024 && u < 3) {
		x /= 1024;
		u++;
	}
	snprintf(buf, len, "%.1f %s", x, unit[u]);
	return buf;
}

const char *nr_human_count(double v, char *buf, size_t len)
{
	if (v < 1000)
		snprintf(buf, len, "%.0f", v);
	else if (v < 1e6)
		snprintf(buf, len, "%.1fk", v / 1e3);
	else if (v < 1e9)
		snprintf(buf, len, "%.2fM", v / 1e6);
	else
		snprintf(buf, len, "%.2fG", v / 1e9);
	return buf;
}

void nr_status_line(char *buf, size_t len, const struct nr_status_info *s)
{
	char ev[16], rate[16], lost[16], size[16];
	int n;

	n = snprintf(buf, len, "recording %5.1fs  %s events  %s/s  %s lost  %s%s",
		     (double)s->elapsed_ns / 1e9, nr_human_count((double)s->events, ev, sizeof(ev)),
		     nr_human_count(s->rate, rate, sizeof(rate)),
		     nr_human_count((double)s->lost, lost, sizeof(lost)),
		     nr_human_bytes(s->file_bytes, size, sizeof(size)),
		     s->paused ? "  [paused]" : "");
	if (s->pcap && n > 0 && (size_t)n < len) {
		char pk[16];

		snprintf(buf + n, len - (size_t)n, "  pcap %s",
			 nr_human_count((double)s->pcap_packets, pk, sizeof(pk)));
	}
}

void nr_final_line(char *buf, size_t len, const struct nr_final_info *f)
{
	char size[16];

	snprintf(buf, len, "recorded %llu events (%llu lost) in %.1f s: %s in %s",
		 (unsigned long long)f->events,
		 (unsigned long long)(f->lost + f->missed + f->not_stored),
		 (double)f->elapsed_ns / 1e9, nr_human_bytes(f->file_bytes, size, sizeof(size)),
		 f->path);
}

bool nr_lost_advice(char *buf, size_t len, const struct nr_final_info *f)
{
	char size[16];
	int n = 0;

	if (!f->lost && !f->missed && !f->not_stored)
		return false;
	buf[0] = '\0';
	if (f->lost) {
		n = snprintf(buf, len, "%llu events lost: the ring buffer (%s) was full; a larger "
			     "--buffer-size%s%s would prevent it",
			     (unsigned long long)f->lost,
			     nr_human_bytes(f->buffer_bytes, size, sizeof(size)),
			     f->rate_limit ? ", a lower --rate-limit" : ", a --rate-limit",
			     f->filter ? " or a narrower --filter" : " or a --filter");
	}
	if (f->missed && n >= 0 && (size_t)n < len) {
		n += snprintf(buf + n, len - (size_t)n, "%s%llu probe firings skipped by the "
			      "kernel (a probe ran while another one was running on the same CPU; "
			      "fewer --probe points would prevent it)", n ? "; " : "",
			      (unsigned long long)f->missed);
	}
	if (f->not_stored && n >= 0 && (size_t)n < len) {
		snprintf(buf + n, len - (size_t)n, "%s%llu records read but not stored "
			 "(malformed: a netrec defect, please report it)", n ? "; " : "",
			 (unsigned long long)f->not_stored);
	}
	return true;
}
