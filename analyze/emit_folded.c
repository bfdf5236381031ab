// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * emit_folded.c - --folded: drop stacks in the folded format of flamegraph.pl,
 * speedscope and inferno: one line per distinct stack, frames from the outermost to the
 * innermost joined by ';', then a space and the count. Frames are function names (the
 * offsets would split one function into many boxes); the drop reason is the last frame,
 * as "[REASON]", so the flame graph's tips say why. Drops without a stack appear as
 * "[no stack];location_function;[REASON]", so the counts add up to all drops.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "emit.h"

struct line {
	char *text;
	__u64 count;
};

static int cmp_line(const void *x, const void *y)
{
	return strcmp(((const struct line *)x)->text, ((const struct line *)y)->text);
}

static void append_sym(char *buf, size_t size, size_t *n, const char *frame)
{
	const char *plus = strchr(frame, '+');
	int l = plus ? (int)(plus - frame) : (int)strlen(frame);

	if (*n < size)
		*n += (size_t)snprintf(buf + *n, size - *n, "%s%.*s", *n ? ";" : "", l, frame);
}

static int emit_folded(FILE *f, const struct nr_result *r, const struct nr_emit_opts *eo)
{
	struct arena *ar = arena_new();
	struct line *lines = NULL;
	size_t nl = 0, cap = 0, i;
	__u32 ri, gi, si;
	int err = 0;

	if (!ar)
		return -ENOMEM;
	for (ri = 0; ri < r->nr_reasons; ri++) {
		const struct nr_res_reason *rr = &r->reasons[ri];

		for (gi = 0; gi < rr->nr_groups; gi++) {
			const struct nr_res_group *g = &rr->groups[gi];
			__u64 with = 0;

			for (si = 0; si <= g->nr_stacks; si++) {
				char buf[8192];
				size_t n = 0;
				__u64 count;
				__u32 k;

				if (si < g->nr_stacks) {
					const struct nr_res_stack *st = g->stacks[si].stack;

					for (k = st->nr_frames; k > 0; k--)
						append_sym(buf, sizeof(buf), &n, st->frames[k - 1]);
					count = g->stacks[si].count;
					with += count;
				} else {
					count = g->count - with;
					if (!count)
						continue;
					append_sym(buf, sizeof(buf), &n, "[no stack]");
					append_sym(buf, sizeof(buf), &n, g->location_str);
				}
				if (n < sizeof(buf))
					n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s[%s]",
							      n ? ";" : "", rr->name);
				if (nl == cap) {
					size_t nc = cap ? cap * 2 : 64;
					void *p = realloc(lines, nc * sizeof(*lines));

					if (!p) {
						err = -ENOMEM;
						goto out;
					}
					lines = p;
					cap = nc;
				}
				lines[nl].text = arena_strdup(ar, buf);
				lines[nl].count = count;
				if (!lines[nl].text) {
					err = -ENOMEM;
					goto out;
				}
				nl++;
			}
		}
	}
	qsort(lines, nl, sizeof(*lines), cmp_line);
	for (i = 0; i < nl; i++) {
		__u64 c = lines[i].count;

		/* one line per distinct stack: equal ones (same frames, other offsets) merge */
		while (i + 1 < nl && !strcmp(lines[i].text, lines[i + 1].text))
			c += lines[++i].count;
		fprintf(f, "%s %llu\n", lines[i].text, (unsigned long long)c);
	}
	(void)eo;
	if (ferror(f))
		err = -EIO;
out:
	free(lines);
	arena_free(ar);
	return err;
}

const struct nr_emitter nr_emit_folded = { "folded", emit_folded };
