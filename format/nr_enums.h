/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * nr_enums.h - names and lookups for the enum tables a trace file carries
 *
 * The recorder (record/btf_enums.c) stores name tables read from the recording
 * kernel's BTF under the kernel's enum names ("skb_drop_reason", "sk_rst_reason", ...,
 * with "tcp_state" for the anonymous enum of TCP_ESTABLISHED), one table per drop-reason
 * subsystem as "skb_drop_reason:NAME", and a few tables built into netrec (the kernel
 * has #defines, not enums, for them) with the "netrec:" prefix. These helpers work on
 * struct nr_enum arrays wherever they come from (the recorder, or a reader's nr_meta).
 */
#ifndef NR_ENUMS_H
#define NR_ENUMS_H

#include <stddef.h>
#include <linux/types.h>

#include "nr_file.h"

#define NR_ENUM_NETREC_PREFIX		"netrec:"	/* table built into netrec */
#define NR_ENUM_DROP_SUBSYS_PREFIX	"skb_drop_reason:"
#define NR_ENUM_DROP_SUBSYS_ENUMERATOR	"SKB_DROP_REASON_SUBSYS_"
#define NR_DROP_REASON_SUBSYS_SHIFT	16

/** nr_enums__find() - the table called @name among @n tables, or NULL */
const struct nr_enum *nr_enums__find(const struct nr_enum *e, __u32 n, const char *name);

/**
 * nr_enum__name() - the name of @value in table @e (binary search; entries sorted by value)
 * Return: the first name with that value, or NULL when @e is NULL or lacks @value.
 */
const char *nr_enum__name(const struct nr_enum *e, __s64 value);

/**
 * nr_drop_subsys_table() - the table name of a drop-reason subsystem enumerator
 * @subsys_enumerator: e.g. "SKB_DROP_REASON_SUBSYS_OPENVSWITCH"
 * @buf: receives e.g. "skb_drop_reason:openvswitch"
 * Return: @buf, or NULL when the enumerator lacks the prefix or @buf is too small.
 */
char *nr_drop_subsys_table(const char *subsys_enumerator, char *buf, size_t size);

/**
 * nr_drop_reason_name() - the kernel's name of drop reason @value
 * @e, @n: the tables (e.g. nr_meta.enums, nr_meta.nr_enums)
 *
 * Reasons of subsystem 0 come from "skb_drop_reason"; others from their subsystem's
 * table, found through "skb_drop_reason_subsys".
 * Return: the name (e.g. "SKB_DROP_REASON_NO_SOCKET", "OVS_DROP_LAST_ACTION"), or NULL
 * when the file does not know it (the caller shows the number).
 */
const char *nr_drop_reason_name(const struct nr_enum *e, __u32 n, __u32 value);

/** nr_enums__free() - free @n tables (names, entries) and the array; NULL-safe */
void nr_enums__free(struct nr_enum *e, __u32 n);

#endif /* NR_ENUMS_H */
