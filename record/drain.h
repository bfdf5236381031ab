/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * drain.h - the thread that moves records from the probes' ring buffer into the trace
 * file while recording
 *
 * The probes wake user space only when the ring buffer is filling up (loader.h), so the
 * thread waits on the ring buffer's epoll descriptor with a short timeout and consumes
 * whatever is there each time: records arrive in batches, one system call per batch,
 * none per record. For each record it applies the user-space filter (when the filter
 * could not run in the kernel), describes namespaces and interfaces the file does not
 * have yet (nr_machine__iface_seen(), a hash lookup once they are known), and appends it
 * to the writer, which runs asynchronously: encoding, compression and disk happen on the
 * writer's thread, so draining only copies. Memory is bounded by the ring buffer, the
 * writer's queue of sealed chunks, and the tables below (sized at start).
 *
 * Every second it writes the probes' counters (struct nr_counter: cumulative values per
 * kind, probe and CPU, only those that changed) and seals the open chunk, so a recorder
 * killed at any moment leaves at most a second of events outside complete chunks.
 *
 * Control records (pause, resume, mark) come from the main thread through a small queue
 * and are written between two batches, after the records already in the ring.
 *
 * Only the drain thread touches the writer and the machine while it runs; the main
 * thread gets them back after nr_drain__stop().
 */
#ifndef NR_RECORD_DRAIN_H
#define NR_RECORD_DRAIN_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>

#include "netrec_abi.h"

struct nr_drain;
struct nr_loader;
struct nr_machine;
struct nr_ufilter;
struct nr_writer;

#define NR_DRAIN_POLL_MS	50	/* longest wait between two consumptions */
#define NR_DRAIN_TICK_NS	1000000000ull	/* counters and chunk sealing */

/**
 * struct nr_drain_opts - what the drain thread works with (none of it owned)
 * @loader:  attached probes; their ring buffer and counters
 * @writer:  the trace file
 * @machine: writes namespaces and interfaces first seen in events
 * @ufilter: the filter in user space, or NULL
 */
struct nr_drain_opts {
	struct nr_loader *loader;
	struct nr_writer *writer;
	struct nr_machine *machine;
	struct nr_ufilter *ufilter;
};

/**
 * struct nr_drain_stats - progress, readable from any thread
 * @events:      records from the probes written to the file
 * @lost:        records the probes could not put into the ring buffer (full)
 * @missed:      firings the kernel skipped (a probe's program nested on one CPU)
 * @filtered:    records the user-space filter removed
 * @not_stored:  records read but refused by the writer (malformed)
 * @rate_limited, @paused: events the probes left out for --rate-limit, while paused
 * @file_bytes:  bytes in the file so far
 */
struct nr_drain_stats {
	__u64 events;
	__u64 lost;
	__u64 missed;
	__u64 filtered;
	__u64 not_stored;
	__u64 rate_limited;
	__u64 paused;
	__u64 file_bytes;
};

/**
 * nr_drain__start() - start draining on a new thread
 * Return: 0, or a negative errno (nothing started).
 */
int nr_drain__start(const struct nr_drain_opts *o, struct nr_drain **ret);

/**
 * nr_drain__fd() - a descriptor that becomes readable (POLLIN) when the thread stopped
 * on its own, after an error (nr_drain__error() says which)
 */
int nr_drain__fd(const struct nr_drain *d);

/** nr_drain__error() - the error that stopped the thread (e.g. -ENOSPC), or 0 */
int nr_drain__error(const struct nr_drain *d);

/**
 * nr_drain__ctl() - queue a control record (NR_CTL_PAUSE, NR_CTL_RESUME, NR_CTL_MARK)
 * @ts_ns: CLOCK_MONOTONIC of the action
 * @text:  the text, or NULL; cut at NR_CTL_TEXT_MAX bytes
 * Return: 0, or -EAGAIN when the queue is full (the record is not written).
 */
int nr_drain__ctl(struct nr_drain *d, __u16 kind, __u64 ts_ns, const char *text);

/** nr_drain__progress() - the current figures (see struct nr_drain_stats) */
void nr_drain__progress(const struct nr_drain *d, struct nr_drain_stats *ret);

/**
 * nr_drain__stop() - end the drain: detach the probes, drain what is left, write the
 * queued control records and the final counters, join the thread, free it
 * @ret: receives the final figures (may be NULL)
 *
 * The writer and the machine are the caller's again afterwards (to write STOP and
 * close). NULL-safe.
 * Return: 0, or the first error the thread met (the writer's, e.g. -ENOSPC).
 */
int nr_drain__stop(struct nr_drain *d, struct nr_drain_stats *ret);

/**
 * nr_ctl_record() - build a control record in @buf
 * @size: bytes at @buf; at least sizeof(struct nr_ctl) + NR_CTL_TEXT_MAX + 8
 * Return: @buf as a record header, its size a multiple of 8, the text cut at
 * NR_CTL_TEXT_MAX bytes and zero-padded.
 */
const struct nr_rec_hdr *nr_ctl_record(void *buf, size_t size, __u16 kind, __u64 ts_ns,
				       const char *text);

/** nr_mono_ns() - CLOCK_MONOTONIC now, the clock of the probes' timestamps */
__u64 nr_mono_ns(void);

#endif /* NR_RECORD_DRAIN_H */
