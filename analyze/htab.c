// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <stdlib.h>
#include <string.h>

#include "htab.h"

#define HTAB_MIN_CAP	16

void htab_init(struct htab *h, __u32 key_sz, __u32 val_sz, __u32 max_count)
{
	memset(h, 0, sizeof(*h));
	h->key_sz = key_sz;
	h->val_sz = (val_sz + 7) & ~7u;
	h->slot_sz = 8 + h->key_sz + h->val_sz;
	h->max_count = max_count;
}

void htab_fini(struct htab *h)
{
	free(h->slots);
	h->slots = NULL;
	h->mask = 0;
	h->count = 0;
}

static inline __u64 mix64(__u64 x)
{
	/* the splitmix64 finaliser: every input bit reaches every output bit */
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ULL;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebULL;
	x ^= x >> 31;
	return x;
}

__u64 htab_hash(const void *key, __u32 len)
{
	const unsigned char *p = key;
	__u64 h = 0x9e3779b97f4a7c15ULL ^ len, w;
	__u32 i;

	/* multiply-xor per word, one full avalanche at the end */
	for (i = 0; i < len; i += 8) {
		memcpy(&w, p + i, 8);
		h = (h ^ w) * 0xff51afd7ed558ccdULL;
		h ^= h >> 32;
	}
	/* 0 marks an empty slot */
	return mix64(h) | 1;
}

/* keys are multiples of 8 bytes: compare word by word, no call */
static inline bool key_eq(const unsigned char *a, const void *b, __u32 len)
{
	const unsigned char *q = b;
	__u32 i;

	for (i = 0; i < len; i += 8) {
		__u64 x, y;

		memcpy(&x, a + i, 8);
		memcpy(&y, q + i, 8);
		if (x != y)
			return false;
	}
	return true;
}

static inline unsigned char *slot(const struct htab *h, size_t i)
{
	return h->slots + i * h->slot_sz;
}

static inline __u64 slot_hash(const unsigned char *s)
{
	__u64 v;

	memcpy(&v, s, 8);
	return v;
}

/*
 * The slot holding @key (*found true), or the empty slot ending its probe run where it
 * would go (*found false). The table must have slots.
 */
static size_t probe(const struct htab *h, const void *key, __u64 hv, bool *found)
{
	size_t i;

	for (i = hv & h->mask;; i = (i + 1) & h->mask) {
		unsigned char *s = slot(h, i);
		__u64 sh = slot_hash(s);

		if (!sh || (sh == hv && key_eq(s + 8, key, h->key_sz))) {
			*found = sh != 0;
			return i;
		}
	}
}

void *htab_get(const struct htab *h, const void *key)
{
	bool found;
	size_t i;

	if (!h->slots)
		return NULL;
	i = probe(h, key, htab_hash(key, h->key_sz), &found);
	return found ? slot(h, i) + 8 + h->key_sz : NULL;
}

static int grow(struct htab *h)
{
	size_t ncap = h->slots ? (h->mask + 1) * 2 : HTAB_MIN_CAP;
	size_t ocap = h->slots ? h->mask + 1 : 0, i, j;
	unsigned char *old = h->slots, *ns;

	ns = calloc(ncap, h->slot_sz);
	if (!ns)
		return -1;
	h->slots = ns;
	h->mask = ncap - 1;
	for (i = 0; i < ocap; i++) {
		unsigned char *s = old + i * h->slot_sz;
		__u64 sh = slot_hash(s);

		if (!sh)
			continue;
		for (j = sh & h->mask; slot_hash(slot(h, j)); j = (j + 1) & h->mask)
			;
		memcpy(slot(h, j), s, h->slot_sz);
	}
	free(old);
	return 0;
}

void *htab_put(struct htab *h, const void *key, bool *created)
{
	unsigned char *s;
	bool found;
	__u64 hv;
	size_t i;

	if (created)
		*created = false;
	if (!h->slots && grow(h))
		return NULL;
	hv = htab_hash(key, h->key_sz);
	i = probe(h, key, hv, &found);
	if (found)
		return slot(h, i) + 8 + h->key_sz;
	if (h->max_count && h->count >= h->max_count)
		return NULL;
	/* keep the load factor at most 1/2: probe runs stay short */
	if ((h->count + 1) * 2 > h->mask + 1) {
		if (grow(h))
			return NULL;
		i = probe(h, key, hv, &found);
	}
	s = slot(h, i);
	memcpy(s, &hv, 8);
	memcpy(s + 8, key, h->key_sz);
	memset(s + 8 + h->key_sz, 0, h->val_sz);
	h->count++;
	if (created)
		*created = true;
	return s + 8 + h->key_sz;
}

bool htab_del(struct htab *h, const void *key)
{
	bool found;
	size_t i, j;

	if (!h->slots)
		return false;
	i = probe(h, key, htab_hash(key, h->key_sz), &found);
	if (!found)
		return false;
	/*
	 * Backward shift: move later members of the probe run into the hole when their
	 * home slot does not lie cyclically in (hole, j].
	 */
	for (j = (i + 1) & h->mask;; j = (j + 1) & h->mask) {
		unsigned char *s = slot(h, j);
		__u64 sh = slot_hash(s);
		size_t home;

		if (!sh)
			break;
		home = sh & h->mask;
		if (((j - home) & h->mask) >= ((j - i) & h->mask)) {
			memcpy(slot(h, i), s, h->slot_sz);
			i = j;
		}
	}
	memset(slot(h, i), 0, 8);
	h->count--;
	return true;
}

void *htab_put_memo(struct htab *h, struct htab_memo *m, const void *key)
{
	void *v;

	if (m->val && m->slots == h->slots && h->key_sz <= HTAB_MEMO_KEY &&
	    key_eq((const unsigned char *)m->key, key, h->key_sz))
		return m->val;
	v = htab_put(h, key, NULL);
	if (v && h->key_sz <= HTAB_MEMO_KEY) {
		m->slots = h->slots;
		m->val = v;
		memcpy(m->key, key, h->key_sz);
	}
	return v;
}
