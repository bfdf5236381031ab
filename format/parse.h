/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * parse.h - the one place command-line numbers are parsed
 *
 * Each parser accepts the whole string or nothing: errno is reset, the end pointer and
 * the range are checked. Return: 0 and *ret set, or -EINVAL (not a number, trailing
 * text) / -ERANGE (outside [min, max]); *ret is untouched on failure.
 */
#ifndef NR_PARSE_H
#define NR_PARSE_H

#include <linux/types.h>

int nr_parse_u32(const char *s, __u32 min, __u32 max, __u32 *ret);
int nr_parse_u64(const char *s, __u64 min, __u64 max, __u64 *ret);

/* "10", "10s", "500ms", "2m", "1h" -> nanoseconds */
int nr_parse_duration_ns(const char *s, __u64 min, __u64 max, __u64 *ret);

/* "4096", "64k", "16M", "1G" (powers of 1024) -> bytes */
int nr_parse_size(const char *s, __u64 min, __u64 max, __u64 *ret);

#endif /* NR_PARSE_H */
