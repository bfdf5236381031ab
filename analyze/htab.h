/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * htab.h - the analyzer's hash table: open addressing, linear probing, fixed-size keys
 * and values stored inline, deletion by backward shift (no tombstones, so a table that
 * sees millions of short-lived keys, such as skb addresses, never degrades).
 *
 * Keys are compared bytewise: callers zero any padding in them. Value pointers returned
 * by htab_get()/htab_put() stay valid until the next htab_put() or htab_del() on the
 * same table. Private to analyze/.
 */
#ifndef NR_ANALYZE_HTAB_H
#define NR_ANALYZE_HTAB_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>

struct htab {
	__u32 key_sz;		/* bytes, a multiple of 8 */
	__u32 val_sz;		/* bytes, rounded up to a multiple of 8 */
	__u32 slot_sz;		/* 8 (hash) + key_sz + val_sz */
	__u32 max_count;	/* refuse new keys beyond this many (0: no limit) */
	size_t mask;		/* capacity - 1; capacity is a power of two */
	size_t count;
	unsigned char *slots;	/* capacity * slot_sz bytes; hash 0 marks an empty slot */
};

void htab_init(struct htab *h, __u32 key_sz, __u32 val_sz, __u32 max_count);
void htab_fini(struct htab *h);

/* the value stored under @key, or NULL */
void *htab_get(const struct htab *h, const void *key);

/*
 * The value stored under @key; a new key gets a zeroed value and *created set.
 * Return: NULL when memory runs out or the table holds max_count keys already.
 */
void *htab_put(struct htab *h, const void *key, bool *created);

/* Remove @key. Return: true if it was there. */
bool htab_del(struct htab *h, const void *key);

/* Iteration over slots 0..htab_capacity()-1: key and value of a used slot, else NULL. */
static inline size_t htab_capacity(const struct htab *h)
{
	return h->slots ? h->mask + 1 : 0;
}

static inline const void *htab_slot_key(const struct htab *h, size_t i)
{
	const unsigned char *s = h->slots + i * h->slot_sz;

	return *(const __u64 *)s ? s + 8 : NULL;
}

static inline void *htab_slot_val(const struct htab *h, size_t i)
{
	unsigned char *s = h->slots + i * h->slot_sz;

	return *(const __u64 *)s ? s + 8 + h->key_sz : NULL;
}

/*
 * A one-entry memo in front of htab_put() for tables that only grow: storms repeat the
 * same key, and a repeat costs a compare instead of a hash and probe. Valid while the
 * table's slot array stays where it was (no growth since).
 */
#define HTAB_MEMO_KEY	48
struct htab_memo {
	const unsigned char *slots;
	void *val;
	__u64 key[HTAB_MEMO_KEY / 8];
};

void *htab_put_memo(struct htab *h, struct htab_memo *m, const void *key);

/* 64-bit hash of @len bytes (a multiple of 8) */
__u64 htab_hash(const void *key, __u32 len);

#endif /* NR_ANALYZE_HTAB_H */
