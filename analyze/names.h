/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * names.h - what the analysis takes from the shared decoder (decode.h): the flow of a
 * packet snapshot, symbol+0xoff, enum names without prefix. One place, so the model
 * does not depend on the decoder's own types. Private to analyze/.
 */
#ifndef NR_ANALYZE_NAMES_H
#define NR_ANALYZE_NAMES_H

#include <stddef.h>

#include "analysis.h"

/* the flow of @p's snapshot. Return: 0, or -ENOENT when it has no IP header to read */
int an_snap_flow(const struct nr_pkt *p, struct nr_flow *f);

/* "symbol+0xoff", "symbol+0xoff [module]", or "0x<addr>" */
const char *an_sym(const struct nr_meta *m, __u64 addr, char *buf, size_t size);

/* the name of @v in @table without the kernel's prefix, or "UNKNOWN(v)" */
const char *an_enum(const struct nr_meta *m, const char *table, __s64 v, char *buf,
		    size_t size);

#endif /* NR_ANALYZE_NAMES_H */
