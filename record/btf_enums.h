/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * btf_enums.h - the name tables a trace file needs to name kernel numbers, read from
 * the recording kernel's BTF
 *
 * Drop reasons, TCP states, reset reasons and the like are numbers whose meaning
 * changes between kernel versions (values are inserted in the middle of enum
 * skb_drop_reason), so the recorder copies the running kernel's tables into the file.
 * Tables (struct nr_enum.name) and where they come from:
 *
 *   "skb_drop_reason"         enum skb_drop_reason, every value
 *   "skb_drop_reason_subsys"  enum skb_drop_reason_subsys (6.6+)
 *   "skb_drop_reason:NAME"    one per drop-reason subsystem whose reason enum was found
 *                             (vmlinux or a module's BTF, e.g. "skb_drop_reason:openvswitch"
 *                             from enum ovs_drop_reason); NAME is the subsystem's
 *                             enumerator without SKB_DROP_REASON_SUBSYS_, lowercase. Values
 *                             are the full reason values, subsystem in the high 16 bits.
 *   "tcp_state"               the (anonymous) enum holding TCP_ESTABLISHED
 *   "sk_rst_reason"           enum sk_rst_reason (6.10+)
 *   "xdp_action"              enum xdp_action
 *   "netdev_tx"               enum netdev_tx (a driver's ndo_start_xmit() result)
 *   "net_xmit_qdisc_t"        enum net_xmit_qdisc_t (__NET_XMIT_STOLEN, __NET_XMIT_BYPASS)
 *   "rtn_type"                the enum holding RTN_UNICAST (route types, fib results)
 *   "qdisc_drop_reason"       enum qdisc_drop_reason, where the kernel has it
 *
 * and, because the kernel defines them with #define (so BTF cannot have them), tables
 * built into netrec, named with the "netrec:" prefix so that nobody mistakes them for
 * the recording kernel's own:
 *
 *   "netrec:net_xmit"  NET_XMIT_* (qdisc enqueue and dev_queue_xmit results)
 *   "netrec:net_rx"    NET_RX_* (netif_receive_skb results)
 *   "netrec:tc_act"    TC_ACT_* (tc classifier / action verdicts)
 *
 * A table the kernel lacks is simply absent. Entries are sorted by value (ties keep the
 * kernel's order); names are the kernel's, prefixes included ("SKB_DROP_REASON_NO_SOCKET").
 *
 * Naming a drop reason value v (the analyzer's side): subsystem s = v >> 16; s == 0:
 * "skb_drop_reason"; otherwise find s in "skb_drop_reason_subsys", and v in the table
 * "skb_drop_reason:" + that name. format/nr_enums.h has the helpers and the names.
 */
#ifndef NR_RECORD_BTF_ENUMS_H
#define NR_RECORD_BTF_ENUMS_H

#include <stddef.h>
#include <linux/types.h>

#include "nr_enums.h"
#include "nr_file.h"

struct btf;

#define NR_BTF_DIR		"/sys/kernel/btf"
#define NR_BTF_MISSING_MSG \
	"kernel lacks BTF (CONFIG_DEBUG_INFO_BTF): no /sys/kernel/btf/vmlinux"

/**
 * struct nr_btf_enums_opts - where the tables come from
 * @sz:       sizeof(struct nr_btf_enums_opts)
 * @vmlinux:  an already loaded vmlinux BTF to use (not freed), or NULL to load one
 * @btf_dir:  directory with "vmlinux" and module BTF files; NULL: load vmlinux BTF with
 *            btf__load_vmlinux_btf() (sysfs, or an on-disk vmlinux matching the running
 *            kernel) and modules from /sys/kernel/btf
 * @no_fixed: leave out the "netrec:" tables
 */
struct nr_btf_enums_opts {
	size_t sz;
	const struct btf *vmlinux;
	const char *btf_dir;
	bool no_fixed;
	size_t :0;
};
#define nr_btf_enums_opts__last_field no_fixed

/**
 * nr_btf_enums__collect() - read every table listed above from the running kernel
 * @opts: may be NULL
 * @ret:  receives the tables (free with nr_enums__free())
 * @ret_nr: receives their number
 *
 * A module BTF file that cannot be read is skipped (debug log).
 * Return: 0; -ENOENT when the kernel has no BTF (print NR_BTF_MISSING_MSG); -EBADMSG
 * when the vmlinux BTF does not parse; -ENOMEM.
 */
int nr_btf_enums__collect(const struct nr_btf_enums_opts *opts, struct nr_enum **ret,
			  __u32 *ret_nr);

/**
 * nr_btf_enums__from_btf() - the tables from BTF objects already loaded
 * @vmlinux: the kernel's BTF
 * @mods:    module BTFs split on @vmlinux (searched for subsystem drop reasons only)
 * @nmods:   their number
 * @fixed:   add the "netrec:" tables
 * Return: 0 and the tables, or -ENOMEM.
 */
int nr_btf_enums__from_btf(const struct btf *vmlinux, const struct btf *const *mods, __u32 nmods,
			   bool fixed, struct nr_enum **ret, __u32 *ret_nr);

/* free the tables with nr_enums__free() (nr_enums.h) */

#endif /* NR_RECORD_BTF_ENUMS_H */
