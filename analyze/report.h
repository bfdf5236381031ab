/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * report.h - what `netrec report` and `netrec pcap` share: their options, the analysis-
 * time filters (filter.c) and one read-and-analyse session (report_session.c).
 * Private to analyze/.
 */
#ifndef NR_ANALYZE_REPORT_H
#define NR_ANALYZE_REPORT_H

#include <stdio.h>

#include "analysis.h"

enum report_format { REPORT_TEXT = 0, REPORT_JSON, REPORT_PACKETS, REPORT_FOLDED };
enum { REPORT_COLOR_AUTO = 0, REPORT_COLOR_ALWAYS, REPORT_COLOR_NEVER };

struct report_opts {
	const char *path;
	enum report_format format;
	int color;
	__u32 limit;
	const char *filter;		/* pcap-filter expression */
	const char *since;
	const char *until;
	const char *netns;
	__u32 nr_reasons;
	const char *reasons[NR_ANALYSIS_MAX_REASONS];
	__u32 max_conns;
};

/* the analysis-time filter options of report and pcap (getopt_long codes and table rows) */
enum { OPT_FILTER = 0x100, OPT_SINCE, OPT_UNTIL, OPT_REASON, OPT_NETNS, OPT_FILTERS_END };
#define REPORT_FILTER_LONGOPTS                                                         \
	{ "filter", required_argument, NULL, OPT_FILTER },                             \
	{ "since", required_argument, NULL, OPT_SINCE },                               \
	{ "until", required_argument, NULL, OPT_UNTIL },                               \
	{ "reason", required_argument, NULL, OPT_REASON },                             \
	{ "netns", required_argument, NULL, OPT_NETNS }

/* Return: 1 when @c was a filter option and is stored, 0 when it is not one, 2 on misuse */
int report_filter_opt(int c, char *arg, struct report_opts *o);

/* Return: 0, 2 for a usage error, -1 after --help */
int parse_report_args(int argc, char **argv, struct report_opts *o);
int run_report(const struct report_opts *o, FILE *out);

/* ---- analysis-time filters (filter.c) ---- */

struct nr_pkt_filter;

/**
 * nr_pkt_filter__new() - compile a pcap-filter expression for packet snapshots, once for
 * Ethernet and once for raw IP (the link type is chosen per snapshot)
 * Return: 0, or -EINVAL with libpcap's message in @errbuf.
 */
int nr_pkt_filter__new(const char *expr, struct nr_pkt_filter **ret, char *errbuf, size_t size);
void nr_pkt_filter__free(struct nr_pkt_filter *pf);

/* nr_pkt_match_fn for struct nr_analysis_opts.pkt_match; @ctx is the filter */
bool nr_pkt_filter__match(void *ctx, const struct nr_pkt *p, const struct nr_flow *f);

/*
 * The link type and bytes of a snapshot: LINKTYPE_ETHERNET (1) for L2 snapshots of
 * Ethernet and loopback devices, else LINKTYPE_RAW (101) from the network header on.
 * Return: the link type, or -ENOENT when the snapshot has no usable header.
 */
int nr_snap_link(bool l2, __u16 dev_type, __u16 snap_l3, const __u8 *snap, __u32 snap_len,
		 const __u8 **data, __u32 *len);

/**
 * nr_parse_time() - --since / --until: seconds after the first event ("10", "2.5",
 * "500ms") -> *relative true; or UTC wall-clock ("2026-11-05T10:00:00[.123][Z]",
 * "2026-11-05 10:00:00") mapped through the file's clock reference -> event time
 * Return: 0, -EINVAL (unreadable), -ENOENT (wall-clock but the file has no clock reference)
 */
int nr_parse_time(const char *s, const struct nr_meta *m, __u64 *ret_ns, bool *relative);

/* --reason: "NO_SOCKET", "SKB_DROP_REASON_NO_SOCKET", "no_socket" or a number */
int nr_resolve_reason(const struct nr_meta *m, const char *name, __u32 *ret);

/* --netns: an inode number or a name from the file's namespace table */
int nr_resolve_netns(const struct nr_meta *m, const char *s, __u32 *ret);

/* ---- pcapng export (pcap_export.c) ---- */

struct nr_pcap_export;

/**
 * nr_pcap_export__new() - start a pcapng at @out ("-": stdout) for the packets of a
 * trace with metadata @m; @source names the trace in the file's comment
 */
int nr_pcap_export__new(const struct nr_meta *m, const char *out, bool drops_only,
			const char *source, struct nr_pcap_export **ret);

/* nr_on_packet_fn for struct nr_analysis_opts.on_packet (keep_snapshots set); @ctx: export */
void nr_pcap_export__packet(void *ctx, const struct nr_pkt_view *v);

/* finish the file; Return: 0 or the first error; counts of blocks and dropped packets */
int nr_pcap_export__close(struct nr_pcap_export *x, __u64 *packets, __u64 *dropped);

/* "path: net:netif_receive_skb -(3.0 us)-> kprobe:ip_rcv -(7.0 us)-> skb:kfree_skb" */
void nr_pcap_path_text(const struct nr_meta *m, const struct nr_pkt_view *v, char *buf,
		       size_t size);

/* the comments of point @i of a packet (c0, c1: the caller's buffers); Return: how many */
int nr_pcap_comments(const struct nr_meta *m, const struct nr_pkt_view *v, __u32 i,
		     const char *path, char c0[512], char c1[512], const char *comments[3]);

/* ---- the pcap recorded beside a trace, annotated (pcap_beside.c) ---- */

struct nr_pcap_beside;

/**
 * nr_pcap_beside__new() - read the capture @capture (pcap or pcapng, stamped with
 * CLOCK_REALTIME) and write it to @out with each packet annotated by the trace event it
 * matches (same network and transport header bytes, nearest in time through the file's
 * clock references, within @window_ns)
 */
int nr_pcap_beside__new(const struct nr_meta *m, const char *capture, const char *out,
			__u64 window_ns, struct nr_pcap_beside **ret, char *errbuf, size_t size);

/* nr_on_packet_fn: remember the points of a closed packet for matching; @ctx: beside */
void nr_pcap_beside__packet(void *ctx, const struct nr_pkt_view *v);

/* write the captured packets older than @now_ns - window (all of them for ~0) */
int nr_pcap_beside__pump(struct nr_pcap_beside *b, __u64 now_ns);

/* finish; counts of captured packets and of those annotated */
int nr_pcap_beside__close(struct nr_pcap_beside *b, __u64 *packets, __u64 *matched);

/* ---- one read-and-analyse session (report_session.c) ---- */

struct nr_reader;

#define REPORT_PATHS	100	/* dropped packets' paths kept for text and JSON */

struct report_session {
	struct nr_reader *reader;
	const struct nr_meta *meta;
	struct nr_analysis *an;
	struct nr_result *result;
	struct nr_pkt_filter *pf;
	const char *path;
	char filter_desc[512];
	__u64 records;
	/* called with each record's time after the analysis took it; 0 or -errno */
	int (*tick)(void *ctx, __u64 ts_ns);
	void *tick_ctx;
};

/*
 * Open o->path, resolve the filters against its metadata and start the analysis, which
 * keeps the paths of @max_paths dropped packets (at least 1).
 * Errors are reported (one line) here. Return: 0 or a negative errno.
 */
int report_session_open(struct report_session *s, const struct report_opts *o,
			__u32 max_paths, nr_on_packet_fn on_packet, void *ctx);
/* the on_packet context, when it can only be made after the file is open */
void report_session_set_ctx(struct report_session *s, void *ctx);
/* read every record into the analysis and build s->result */
int report_session_run(struct report_session *s);
void report_session_close(struct report_session *s);

#endif /* NR_ANALYZE_REPORT_H */
