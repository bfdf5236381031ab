/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * status.h - what `netrec record` tells the user: the live status line on a terminal
 * and the lines at the end (pure formatting, unit-tested)
 */
#ifndef NR_RECORD_STATUS_H
#define NR_RECORD_STATUS_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>

/**
 * struct nr_status_info - the figures shown
 * @elapsed_ns:   since the recording started
 * @events:       records written
 * @rate:         records per second over the last interval
 * @lost:         records lost (ring buffer full) and firings the kernel skipped
 * @file_bytes:   size of the trace file
 * @paused:       recording is paused
 * @pcap:         a capture runs beside; @pcap_packets packets written so far
 */
struct nr_status_info {
	__u64 elapsed_ns;
	__u64 events;
	double rate;
	__u64 lost;
	__u64 file_bytes;
	bool paused;
	bool pcap;
	__u64 pcap_packets;
};

/** nr_status_line() - the live line (no newline, no terminal controls) into @buf */
void nr_status_line(char *buf, size_t len, const struct nr_status_info *s);

/** nr_human_bytes() - "512 B", "1.5 KiB", "12.3 MiB", "2.0 GiB"; returns @buf */
const char *nr_human_bytes(__u64 v, char *buf, size_t len);

/** nr_human_count() - "999", "12.3k", "4.56M"; returns @buf */
const char *nr_human_count(double v, char *buf, size_t len);

/**
 * struct nr_final_info - how a recording ended
 * @path:         the trace file
 * @events:       records from the probes written
 * @lost:         records lost because the ring buffer was full
 * @missed:       firings the kernel skipped (a probe's program already running on
 *                that CPU)
 * @not_stored:   records read but not stored
 * @file_bytes:   final size of the file
 * @elapsed_ns:   duration of the recording
 * @buffer_bytes: the ring buffer's size
 * @rate_limit:   --rate-limit, 0 if none
 * @filter:       --filter given
 */
struct nr_final_info {
	const char *path;
	__u64 events;
	__u64 lost;
	__u64 missed;
	__u64 not_stored;
	__u64 file_bytes;
	__u64 elapsed_ns;
	__u64 buffer_bytes;
	__u32 rate_limit;
	bool filter;
};

/**
 * nr_final_line() - "recorded N events (M lost) in T s: SIZE in FILE"
 */
void nr_final_line(char *buf, size_t len, const struct nr_final_info *f);

/**
 * nr_lost_advice() - when anything was lost, one line saying what and which option
 * would have prevented it (without "netrec: warning: ")
 * Return: true when @buf was filled, false when nothing was lost.
 */
bool nr_lost_advice(char *buf, size_t len, const struct nr_final_info *f);

#endif /* NR_RECORD_STATUS_H */
