// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * util.c - output buffer, string arena and string codec shared by writer and reader
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

const char *nr_blk_name(__u16 type)
{
	switch (type) {
	case NR_BLK_SCHEMA:	return "schema";
	case NR_BLK_HOST:	return "host";
	case NR_BLK_CLOCK:	return "clock";
	case NR_BLK_CMDLINE:	return "cmdline";
	case NR_BLK_PROBES:	return "probes";
	case NR_BLK_ENUM:	return "enum";
	case NR_BLK_SYMBOLS:	return "symbols";
	case NR_BLK_STACKS:	return "stacks";
	case NR_BLK_NETDEV:	return "netdev";
	case NR_BLK_CHUNK:	return "chunk";
	case NR_BLK_INDEX:	return "index";
	case NR_BLK_END:	return "end";
	}
	return NULL;
}

int nr_buf_reserve(struct nr_buf *b, size_t more)
{
	size_t need, cap;
	__u8 *p;

	if (b->err)
		return b->err;
	need = b->len + more;
	if (need < b->len || (b->max && need > b->max)) {
		b->err = -EOVERFLOW;
		return b->err;
	}
	if (need <= b->cap)
		return 0;
	cap = b->cap ? b->cap : 256;
	while (cap < need)
		cap = cap > SIZE_MAX / 2 ? need : cap * 2;
	p = realloc(b->p, cap);
	if (!p) {
		b->err = -ENOMEM;
		return b->err;
	}
	b->p = p;
	b->cap = cap;
	return 0;
}

void nr_buf_free(struct nr_buf *b)
{
	free(b->p);
	b->p = NULL;
	b->len = b->cap = 0;
	b->err = 0;
}

int nr_buf_str(struct nr_buf *b, const char *s)
{
	size_t n;

	if (!s) {
		nr_buf_u32(b, NR_STR_ABSENT);
		return 0;
	}
	n = strlen(s);
	if (n > NR_STR_MAX)
		return -EOVERFLOW;
	nr_buf_u32(b, (__u32)n);
	nr_buf_put(b, s, n);
	return 0;
}

struct nr_arena_blk {
	struct nr_arena_blk *next;
	size_t used, cap;
	__u8 data[] __attribute__((aligned(8)));
};

#define ARENA_BLK	(64u << 10)

void *nr_arena_alloc(struct nr_arena *a, size_t n)
{
	struct nr_arena_blk *blk = a->head;
	size_t want = nr_align8(n ? n : 1);
	void *p;

	if (want < n)
		return NULL;
	if (!blk || blk->cap - blk->used < want) {
		size_t cap = want > ARENA_BLK / 4 ? want : ARENA_BLK;

		blk = malloc(sizeof(*blk) + cap);
		if (!blk)
			return NULL;
		blk->cap = cap;
		blk->used = 0;
		if (a->head && cap != ARENA_BLK) {
			/* a big one-off: keep the current block open for small ones */
			blk->next = a->head->next;
			a->head->next = blk;
		} else {
			blk->next = a->head;
			a->head = blk;
		}
	}
	p = blk->data + blk->used;
	blk->used += want;
	a->used += want;
	memset(p, 0, want);
	return p;
}

char *nr_arena_strndup(struct nr_arena *a, const void *s, size_t n)
{
	char *p = nr_arena_alloc(a, n + 1);

	if (!p)
		return NULL;
	memcpy(p, s, n);
	p[n] = 0;
	return p;
}

void nr_arena_free(struct nr_arena *a)
{
	struct nr_arena_blk *blk = a->head, *next;

	for (; blk; blk = next) {
		next = blk->next;
		free(blk);
	}
	a->head = NULL;
	a->used = 0;
}

int nr_cur_str(struct nr_cur *c, struct nr_arena *a, char **ret)
{
	__u32 n = nr_cur_u32(c);
	const __u8 *p;

	*ret = NULL;
	if (c->bad)
		return -EBADMSG;
	if (n == NR_STR_ABSENT)
		return 0;
	if (n > NR_STR_MAX) {
		c->bad = true;
		return -EBADMSG;
	}
	p = nr_cur_take(c, n);
	if (!p)
		return -EBADMSG;
	*ret = nr_arena_strndup(a, p, n);
	return *ret ? 0 : -ENOMEM;
}

static void isort(__u8 *p, size_t n, size_t size, int (*cmp)(const void *, const void *),
		  __u8 *tmp)
{
	size_t i, j;

	for (i = 1; i < n; i++) {
		if (cmp(p + (i - 1) * size, p + i * size) <= 0)
			continue;
		memcpy(tmp, p + i * size, size);
		for (j = i; j > 0 && cmp(p + (j - 1) * size, tmp) > 0; j--)
			memcpy(p + j * size, p + (j - 1) * size, size);
		memcpy(p + j * size, tmp, size);
	}
}

void nr_msort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *))
{
	__u8 *a = base, *buf, *src, *dst, one[256];
	size_t width, i;

	if (n < 2)
		return;
	buf = n <= SIZE_MAX / size ? malloc(n * size) : NULL;
	if (!buf) {
		__u8 *tmp = size <= sizeof(one) ? one : malloc(size);

		if (tmp)
			isort(a, n, size, cmp, tmp);
		if (tmp != one)
			free(tmp);
		return;
	}
	/* runs of 8 by insertion, then bottom-up merges between a and buf */
	for (i = 0; i < n; i += 8)
		isort(a + i * size, n - i < 8 ? n - i : 8, size, cmp, buf);
	src = a;
	dst = buf;
	for (width = 8; width < n; width *= 2) {
		for (i = 0; i < n; i += 2 * width) {
			size_t l = i, m = i + width < n ? i + width : n;
			size_t r = m, e = i + 2 * width < n ? i + 2 * width : n, k = i;

			while (l < m && r < e) {
				if (cmp(src + r * size, src + l * size) < 0)
					memcpy(dst + k++ * size, src + r++ * size, size);
				else
					memcpy(dst + k++ * size, src + l++ * size, size);
			}
			memcpy(dst + k * size, src + l * size, (m - l) * size);
			k += m - l;
			memcpy(dst + k * size, src + r * size, (e - r) * size);
		}
		__u8 *t = src;
		src = dst;
		dst = t;
	}
	if (src != a)
		memcpy(a, src, n * size);
	free(buf);
}
