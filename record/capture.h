/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * capture.h - a libpcap capture beside a recording (netrec record --pcap FILE -i IFACE)
 *
 * One live capture on one interface, optionally inside another network namespace (the
 * capture socket is opened by the capture thread after it entered the namespace; the
 * recorder's threads stay where they are), with an optional pcap-filter expression. It
 * runs on its own thread and writes pcapng through format/pcapng.h: one interface block
 * carrying the interface's name, a description with its namespace, and the filter; one
 * Enhanced Packet Block per packet; at the end one Interface Statistics Block with
 * libpcap's counters.
 *
 * Joining packets with events: packet timestamps are the kernel's CLOCK_REALTIME stamps
 * in nanoseconds (pcap_set_tstamp_precision(PCAP_TSTAMP_PRECISION_NANO); the kernel
 * stamps on receive in the driver path and on transmit at dev_queue_xmit time, as
 * tcpdump sees them). Events carry CLOCK_MONOTONIC; nr_clock_real_to_mono() in
 * format/clockref.h maps one onto the other through the file's clock references
 * (start and end, each a paired reading of both clocks). The section header of the
 * pcapng also carries the start reference as a comment, so the pair stays joinable
 * even when the pcapng travels alone.
 */
#ifndef NR_RECORD_CAPTURE_H
#define NR_RECORD_CAPTURE_H

#include <stddef.h>
#include <linux/types.h>

#include "netrec_abi.h"
#include "nr_file.h"

struct nr_capture;
struct nr_netns_db;

#define NR_CAPTURE_SNAPLEN_DEFAULT	262144
#define NR_CAPTURE_BUFFER_DEFAULT	(8u << 20)

/**
 * struct nr_capture_opts - what to capture, and where to write it
 * @sz:           sizeof(struct nr_capture_opts)
 * @path:         the pcapng file to create (mode 0600)
 * @iface:        interface name, or "any" (then Linux cooked v2 headers, which carry the
 *                ifindex, as the link type)
 * @netns:        inode of the namespace @iface lives in; 0 for the caller's
 * @db:           finds @netns (see netns.h); needed when @netns is not 0
 * @filter:       pcap-filter expression, or NULL for every packet
 * @snaplen:      bytes kept per packet; 0: NR_CAPTURE_SNAPLEN_DEFAULT
 * @buffer_bytes: kernel ring size; 0: NR_CAPTURE_BUFFER_DEFAULT
 * @promisc:      put the interface in promiscuous mode
 * @clock:        the recording's start clock reference, written into the file's
 *                comment; may be NULL
 * @userappl:     shb_userappl, e.g. "netrec 0.1.0"; may be NULL
 */
struct nr_capture_opts {
	size_t sz;
	const char *path;
	const char *iface;
	__u32 netns;
	struct nr_netns_db *db;
	const char *filter;
	__u32 snaplen;
	__u32 buffer_bytes;
	bool promisc;
	const struct nr_clock *clock;
	const char *userappl;
	size_t :0;
};
#define nr_capture_opts__last_field userappl

/**
 * struct nr_capture_stats - what the capture saw
 * @packets:  packets written to the pcapng
 * @bytes:    captured bytes written (packet data only)
 * @ps_recv:  libpcap: packets the socket received (ps_recv)
 * @ps_drop:  libpcap: packets dropped because the ring buffer was full (ps_drop)
 * @ps_ifdrop: libpcap: packets the interface dropped (ps_ifdrop; best effort, read
 *            from sysfs, so only right in the namespace sysfs was mounted in)
 * @first_ns: CLOCK_REALTIME timestamp of the first packet, 0 if none
 * @last_ns:  of the last packet
 * @err:      the first error of the capture thread (e.g. -ENOSPC writing), or 0
 */
struct nr_capture_stats {
	__u64 packets;
	__u64 bytes;
	__u64 ps_recv;
	__u64 ps_drop;
	__u64 ps_ifdrop;
	__u64 first_ns;
	__u64 last_ns;
	int err;
};

#define NR_CAPTURE_ERRBUF	256

/**
 * nr_capture__start() - open the capture and start its thread
 * @errbuf: receives one line saying what failed (libpcap's message included, e.g.
 *          "capture on 'veth9': No such device exists"), NR_CAPTURE_ERRBUF bytes
 *
 * Returns once the capture is active (packets from then on are captured) or failed;
 * nothing is left behind on failure (no thread, no file).
 * Return: 0 and *@ret set, or a negative errno (-ENODEV unknown interface, -EPERM
 * not permitted, -EINVAL bad filter, -ENOENT unknown namespace, ...).
 */
int nr_capture__start(const struct nr_capture_opts *opts, struct nr_capture **ret,
		      char *errbuf);

/**
 * nr_capture__stop() - stop the capture promptly, finish the file and free the capture
 * @ret: if not NULL, receives the statistics (also on error)
 *
 * Breaks libpcap's loop (pcap_breakloop(), which wakes its poll); the thread then takes
 * the packets already in the kernel ring without waiting for more, writes them and the
 * statistics block, and is joined. NULL-safe.
 * Return: 0, or the capture thread's first error (see nr_capture_stats.err).
 */
int nr_capture__stop(struct nr_capture *c, struct nr_capture_stats *ret);

/**
 * nr_capture__progress() - packets and bytes written so far (for a live status line)
 */
void nr_capture__progress(const struct nr_capture *c, __u64 *packets, __u64 *bytes);

/**
 * nr_capture_stats__counters() - the statistics as counter records for the trace file
 * @ts_ns: CLOCK_MONOTONIC time of the sample
 * @out:   receives NR_CNT_PCAP_RECV, NR_CNT_PCAP_DROP and NR_CNT_PCAP_IFDROP samples
 * Return: the number of records filled (3).
 */
int nr_capture_stats__counters(const struct nr_capture_stats *s, __u64 ts_ns,
			       struct nr_counter out[3]);

#endif /* NR_RECORD_CAPTURE_H */
