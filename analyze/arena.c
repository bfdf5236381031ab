// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"

#define ARENA_BLOCK	(64 * 1024)

struct arena_block {
	struct arena_block *next;
	size_t used;
	size_t size;
	_Alignas(16) unsigned char data[];
};

struct arena {
	struct arena_block *head;
};

struct arena *arena_new(void)
{
	return calloc(1, sizeof(struct arena));
}

void arena_free(struct arena *ar)
{
	struct arena_block *b, *n;

	if (!ar)
		return;
	for (b = ar->head; b; b = n) {
		n = b->next;
		free(b);
	}
	free(ar);
}

void *arena_alloc(struct arena *ar, size_t size)
{
	struct arena_block *b = ar->head;
	void *p;

	size = (size + 15) & ~(size_t)15;
	if (!size)
		size = 16;
	if (!b || b->size - b->used < size) {
		size_t bs = size > ARENA_BLOCK ? size : ARENA_BLOCK;

		b = malloc(sizeof(*b) + bs);
		if (!b)
			return NULL;
		b->used = 0;
		b->size = bs;
		/* a big block goes behind the current one so its free space stays usable */
		if (ar->head && bs > ARENA_BLOCK) {
			b->next = ar->head->next;
			ar->head->next = b;
		} else {
			b->next = ar->head;
			ar->head = b;
		}
	}
	p = b->data + b->used;
	b->used += size;
	memset(p, 0, size);
	return p;
}

void *arena_calloc(struct arena *ar, size_t n, size_t size)
{
	if (size && n > SIZE_MAX / size)
		return NULL;
	return arena_alloc(ar, n * size);
}

char *arena_strdup(struct arena *ar, const char *s)
{
	size_t len;
	char *p;

	if (!s)
		return NULL;
	len = strlen(s);
	p = arena_alloc(ar, len + 1);
	if (p)
		memcpy(p, s, len + 1);
	return p;
}

char *arena_printf(struct arena *ar, const char *fmt, ...)
{
	va_list ap;
	char *p;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return NULL;
	p = arena_alloc(ar, (size_t)n + 1);
	if (!p)
		return NULL;
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}
