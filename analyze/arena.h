/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * arena.h - bump allocation for the result model: everything a struct nr_result points
 * to lives in one arena and is freed at once. Private to analyze/.
 */
#ifndef NR_ANALYZE_ARENA_H
#define NR_ANALYZE_ARENA_H

#include <stddef.h>

struct arena;

struct arena *arena_new(void);
void arena_free(struct arena *ar);

/* zeroed memory aligned to 16 bytes, or NULL */
void *arena_alloc(struct arena *ar, size_t size);
void *arena_calloc(struct arena *ar, size_t n, size_t size);
char *arena_strdup(struct arena *ar, const char *s);
char *arena_printf(struct arena *ar, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif /* NR_ANALYZE_ARENA_H */
