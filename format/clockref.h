/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * clockref.h - joining wall-clock timestamps (pcap captures) with event timestamps
 *
 * Trace events carry CLOCK_MONOTONIC nanoseconds of the recording machine. Packets that
 * libpcap captures carry the kernel's receive/transmit time stamp, which on Linux is
 * CLOCK_REALTIME (skb->tstamp, ktime_get_real()); the pcapng beside a trace therefore
 * holds nanoseconds since the Unix epoch. The file's clock references (struct nr_clock,
 * read at the start and the end of the recording, each a simultaneous reading of both
 * clocks) map one onto the other:
 *
 *     mono = real - (ref.real_ns - ref.mono_ns)
 *
 * CLOCK_REALTIME can be slewed (NTP) or stepped while recording; the offset is then
 * interpolated linearly between the start and end references, which is exact for a
 * constant slew and bounds the error by the change of the offset otherwise. A step
 * (settimeofday) during the recording moves packets by the step size; the difference
 * of the two offsets shows it (netrec info prints it).
 */
#ifndef NR_CLOCKREF_H
#define NR_CLOCKREF_H

#include <linux/types.h>

#include "nr_file.h"

/**
 * nr_clock_offset_ns() - CLOCK_REALTIME minus CLOCK_MONOTONIC at a reference reading
 */
static inline __s64 nr_clock_offset_ns(const struct nr_clock *c)
{
	return (__s64)(c->real_ns - c->mono_ns);
}

/**
 * nr_clock_real_to_mono() - the CLOCK_MONOTONIC time of a CLOCK_REALTIME timestamp
 * @start:   the reference read when the recording started
 * @end:     the reference read when it stopped, or NULL (then @start's offset is used)
 * @real_ns: the wall-clock timestamp, ns since the Unix epoch
 *
 * Between the references the offset is interpolated linearly in monotonic time; before
 * @start and after @end the nearest reference's offset applies.
 * Return: the monotonic timestamp, ns.
 */
static inline __u64 nr_clock_real_to_mono(const struct nr_clock *start, const struct nr_clock *end,
					  __u64 real_ns)
{
	__s64 off0 = nr_clock_offset_ns(start), off;
	__u64 mono = real_ns - (__u64)off0;
	double f;

	if (!end || end->mono_ns <= start->mono_ns)
		return mono;
	if (mono <= start->mono_ns)
		f = 0.0;
	else if (mono >= end->mono_ns)
		f = 1.0;
	else
		f = (double)(mono - start->mono_ns) / (double)(end->mono_ns - start->mono_ns);
	off = off0 + (__s64)(f * (double)(nr_clock_offset_ns(end) - off0));
	return real_ns - (__u64)off;
}

/**
 * nr_clock_mono_to_real() - the wall-clock time of a CLOCK_MONOTONIC event timestamp
 *
 * The inverse of nr_clock_real_to_mono(), with the same interpolation.
 * Return: ns since the Unix epoch.
 */
static inline __u64 nr_clock_mono_to_real(const struct nr_clock *start, const struct nr_clock *end,
					  __u64 mono_ns)
{
	__s64 off0 = nr_clock_offset_ns(start), off = off0;
	double f;

	if (end && end->mono_ns > start->mono_ns) {
		if (mono_ns <= start->mono_ns)
			f = 0.0;
		else if (mono_ns >= end->mono_ns)
			f = 1.0;
		else
			f = (double)(mono_ns - start->mono_ns) /
			    (double)(end->mono_ns - start->mono_ns);
		off = off0 + (__s64)(f * (double)(nr_clock_offset_ns(end) - off0));
	}
	return mono_ns + (__u64)off;
}

#endif /* NR_CLOCKREF_H */
