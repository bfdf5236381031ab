/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * maps.bpf.h - the maps and global variables all probe families share
 *
 * Each is defined once, in maps.bpf.c (which defines NR_MAPS_DEFINE before including
 * this file), and declared extern everywhere else; `bpftool gen object` links the
 * families into one object, so there is one ring buffer, one counter map and one set of
 * cfg_* variables in netrec.skel.h.
 *
 *  cfg_*  rodata: set by the loader between open and load, constant to the verifier, so
 *         every disabled feature is dead code
 *  ctl_*  bss: written by user space while recording (pause, stack budget)
 */
#ifndef NR_MAPS_BPF_H
#define NR_MAPS_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "netrec_abi.h"
#include "nr_shared.h"
#include "filter.bpf.h"

#ifdef NR_MAPS_DEFINE
#define NR_GLOBAL
#define NR_INIT(...)	= __VA_ARGS__
#else
#define NR_GLOBAL	extern
#define NR_INIT(...)
#endif

/* The records (format/netrec_abi.h); the loader sets the size (--buffer-size). */
NR_GLOBAL struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4 * 1024 * 1024);
} events SEC(".maps");

/* struct nr_probe_stats per probe id and CPU; the loader sizes it to the probe count. */
NR_GLOBAL struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, NR_P__STATIC_MAX);
	__type(key, __u32);
	__type(value, struct nr_probe_stats);
} stats SEC(".maps");

/* skb address -> struct nr_track, only with --follow or first-sighting snapshots */
NR_GLOBAL struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 65536);
	__type(key, __u64);
	__type(value, struct nr_track);
} skb_track SEC(".maps");

/* stacks taken per site and second, per CPU (cfg_stack_sample, see nr_shared.h) */
NR_GLOBAL struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct nr_stack_sites);
} stack_sites SEC(".maps");

/* per-CPU scratch for the pcap-filter hook: the packet (or a header built from a
 * socket's tuple) from its network header on, and the filter's own memory */
NR_GLOBAL struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct nr_filter_buf);
} scratch SEC(".maps");

/* per-probe behaviour, NR_PF_* */
NR_GLOBAL const volatile __u8 cfg_probe_flags[NR_P__STATIC_MAX] NR_INIT({});
/* per-probe optional tracepoint arguments present in this kernel (nr_shared.h) */
NR_GLOBAL const volatile __u8 cfg_tp_args[NR_P__STATIC_MAX] NR_INIT({});
/* packet snapshot bytes (<= NR_SNAP_MAX); 0: none */
NR_GLOBAL const volatile __u32 cfg_snaplen NR_INIT(NR_SNAPLEN_DEFAULT);
/* stacks per second per site (probe, location, reason) and CPU; 0: every one */
NR_GLOBAL const volatile __u32 cfg_stack_sample NR_INIT(0);
/* kernel stack frames per record (1..NR_STACK_MAX) */
NR_GLOBAL const volatile __u32 cfg_stack_depth NR_INIT(NR_STACK_DEPTH_DEFAULT);
/* filters; 0 = off (a mark filter is off when its mask is 0) */
NR_GLOBAL const volatile __u32 cfg_netns NR_INIT(0);
NR_GLOBAL const volatile __u32 cfg_ifindex NR_INIT(0);
/* the namespace cfg_ifindex is in (an ifindex means something only within one); 0: any */
NR_GLOBAL const volatile __u32 cfg_ifindex_netns NR_INIT(0);
NR_GLOBAL const volatile __u32 cfg_mark NR_INIT(0);
NR_GLOBAL const volatile __u32 cfg_mark_mask NR_INIT(0);
/* call nr_pcap_filter() (the loader put the translated expression in) */
NR_GLOBAL const volatile __u8 cfg_filter NR_INIT(0);
/* keep later events of skbs that matched once (--follow) */
NR_GLOBAL const volatile __u8 cfg_follow NR_INIT(0);
/* remember emitted skbs to snapshot only their first sighting */
NR_GLOBAL const volatile __u8 cfg_track_first NR_INIT(0);
/* events per second over all probes and CPUs; 0 = unlimited */
NR_GLOBAL const volatile __u32 cfg_rate_limit NR_INIT(0);
/* wake user space when this many bytes are pending; below it the drain polls */
NR_GLOBAL const volatile __u64 cfg_wakeup_bytes NR_INIT(NR_WAKEUP_DEFAULT);

/* non-zero: count events as paused instead of emitting them */
NR_GLOBAL volatile __u32 ctl_paused NR_INIT(0);
/* non-zero: stacks are limited by ctl_stack_budget */
NR_GLOBAL volatile __u32 ctl_stack_limited NR_INIT(0);
/* stacks still allowed; each stack taken decrements it, <= 0 means none */
NR_GLOBAL volatile __s64 ctl_stack_budget NR_INIT(0);
/* CLOCK_MONOTONIC the one-second windows of the rate limit and of stack sampling
 * count from (set just before attach) */
NR_GLOBAL volatile __u64 ctl_rate_base_ns NR_INIT(0);
/* when a record last woke user space (nr_submit()) */
NR_GLOBAL volatile __u64 ctl_last_wakeup_ns NR_INIT(0);
/* rate limiter: window number << 32 | events in that window */
NR_GLOBAL volatile __u64 ctl_rate_state NR_INIT(0);

#endif /* NR_MAPS_BPF_H */
