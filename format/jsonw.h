/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * jsonw.h - the one JSON writer of netrec
 *
 * Streams JSON to a FILE: objects, arrays, keys and values, with commas and (optionally)
 * indentation handled here. Strings are escaped per RFC 8259 (quote, backslash, control
 * characters as \u00XX; invalid UTF-8 bytes as \u00XX of their value, so output is
 * always valid JSON); numbers are integers printed exactly, or fixed-point decimals, so
 * the same data gives byte-identical output on every machine and locale.
 *
 *	struct nr_jsonw *j = nr_jsonw_new(stdout, false);
 *	nr_jsonw_obj_open(j);
 *	nr_jsonw_kv_str(j, "reason", "NO_SOCKET");
 *	nr_jsonw_kv_u64(j, "count", 3);
 *	nr_jsonw_obj_close(j);
 *	nr_jsonw_free(j);	(ends the line)
 */
#ifndef NR_JSONW_H
#define NR_JSONW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <linux/types.h>

struct nr_jsonw;

/** nr_jsonw_new() - a writer to @f; @pretty indents by two spaces. NULL on ENOMEM */
struct nr_jsonw *nr_jsonw_new(FILE *f, bool pretty);

/** nr_jsonw_free() - end the current line and free; NULL-safe */
void nr_jsonw_free(struct nr_jsonw *j);

/** nr_jsonw_reset() - start a new top-level value on a new line (JSON lines) */
void nr_jsonw_reset(struct nr_jsonw *j);

void nr_jsonw_obj_open(struct nr_jsonw *j);
void nr_jsonw_obj_close(struct nr_jsonw *j);
void nr_jsonw_arr_open(struct nr_jsonw *j);
void nr_jsonw_arr_close(struct nr_jsonw *j);
void nr_jsonw_key(struct nr_jsonw *j, const char *key);

void nr_jsonw_str(struct nr_jsonw *j, const char *s);	/* NULL writes null */
void nr_jsonw_strn(struct nr_jsonw *j, const char *s, size_t n);
void nr_jsonw_u64(struct nr_jsonw *j, __u64 v);
void nr_jsonw_s64(struct nr_jsonw *j, __s64 v);
void nr_jsonw_bool(struct nr_jsonw *j, bool v);
void nr_jsonw_null(struct nr_jsonw *j);
/* @v with exactly @decimals digits after the point (0..9), rounded half away from 0 */
void nr_jsonw_fixed(struct nr_jsonw *j, double v, int decimals);
/* bytes as a string of lowercase hex digits */
void nr_jsonw_hex(struct nr_jsonw *j, const void *p, size_t n);

static inline void nr_jsonw_kv_str(struct nr_jsonw *j, const char *k, const char *v)
{
	nr_jsonw_key(j, k);
	nr_jsonw_str(j, v);
}

static inline void nr_jsonw_kv_u64(struct nr_jsonw *j, const char *k, __u64 v)
{
	nr_jsonw_key(j, k);
	nr_jsonw_u64(j, v);
}

static inline void nr_jsonw_kv_s64(struct nr_jsonw *j, const char *k, __s64 v)
{
	nr_jsonw_key(j, k);
	nr_jsonw_s64(j, v);
}

static inline void nr_jsonw_kv_bool(struct nr_jsonw *j, const char *k, bool v)
{
	nr_jsonw_key(j, k);
	nr_jsonw_bool(j, v);
}

#endif /* NR_JSONW_H */
