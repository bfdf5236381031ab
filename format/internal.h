/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * internal.h - what the pieces of format/ share and nothing outside format/ (and its
 * tests) may use: block type numbers, byte-order helpers, the growable output buffer,
 * the bounds-checked input cursor and the string arena.
 *
 * Byte order: block headers, chunk headers and metadata payloads are in the byte order
 * the file header declares (the writer's). The buffer and the cursor carry a `swap`
 * flag and convert on every access; column data inside chunks is little-endian by
 * definition and never swapped (see FORMAT.md).
 */
#ifndef NR_FORMAT_INTERNAL_H
#define NR_FORMAT_INTERNAL_H

#include <byteswap.h>
#include <endian.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <linux/types.h>

#include "nr_limits.h"

#define NR_MAGIC		"\x89NREC\r\n\x1a"
#define NR_MAGIC_LEN		8
#define NR_BYTE_ORDER_MAGIC	0x1a2b3c4du

/* Block types. Explicit values, append-only (FORMAT.md "Blocks"). */
enum {
	NR_BLK_SCHEMA	= 1,
	NR_BLK_HOST	= 2,
	NR_BLK_CLOCK	= 3,
	NR_BLK_CMDLINE	= 4,
	NR_BLK_PROBES	= 5,
	NR_BLK_ENUM	= 6,
	NR_BLK_SYMBOLS	= 7,
	NR_BLK_STACKS	= 8,
	NR_BLK_NETDEV	= 9,
	NR_BLK_CHUNK	= 16,
	NR_BLK_INDEX	= 17,
	NR_BLK_END	= 18,
};

/* Block header flags. */
#define NR_BLKF_REQUIRED	(1u << 0)	/* a reader not knowing the type must refuse */

/* Chunk flags. */
#define NR_CHUNKF_UNORDERED	(1u << 0)	/* records not sorted by time within the chunk */

/* Chunk stream codecs. */
enum {
	NR_STREAM_RAW	= 0,
	NR_STREAM_ZSTD	= 1,
};

#define NR_CHUNK_ENCODING_COLUMNS	1
#define NR_CHUNK_HDR_SIZE	56	/* chunk header inside the CHUNK payload */
#define NR_STREAM_ENT_SIZE	16
#define NR_END_PAYLOAD_SIZE	32
#define NR_INDEX_CHUNK_ENT	48
#define NR_INDEX_META_ENT	16

#define NR_STR_ABSENT		0xffffffffu	/* string length meaning "no string" (NULL) */

const char *nr_blk_name(__u16 type);

/* CRC-32C (Castagnoli), as iSCSI/ext4/btrfs use it: nr_crc32c(0, "123456789", 9) == 0xe3069283 */
__u32 nr_crc32c(__u32 crc, const void *buf, size_t len);

static inline size_t nr_align8(size_t n)
{
	return (n + 7) & ~(size_t)7;
}

static inline __u16 nr_sw16(__u16 v, bool swap) { return swap ? bswap_16(v) : v; }
static inline __u32 nr_sw32(__u32 v, bool swap) { return swap ? bswap_32(v) : v; }
static inline __u64 nr_sw64(__u64 v, bool swap) { return swap ? bswap_64(v) : v; }

/* little-endian loads and stores at any alignment (column data) */
static inline __u16 nr_ld16le(const void *p) { __u16 v; memcpy(&v, p, 2); return le16toh(v); }
static inline __u32 nr_ld32le(const void *p) { __u32 v; memcpy(&v, p, 4); return le32toh(v); }
static inline __u64 nr_ld64le(const void *p) { __u64 v; memcpy(&v, p, 8); return le64toh(v); }
static inline void nr_st16le(void *p, __u16 v) { v = htole16(v); memcpy(p, &v, 2); }
static inline void nr_st32le(void *p, __u32 v) { v = htole32(v); memcpy(p, &v, 4); }
static inline void nr_st64le(void *p, __u64 v) { v = htole64(v); memcpy(p, &v, 8); }

/* native loads and stores at any alignment (records) */
static inline __u16 nr_ld16(const void *p) { __u16 v; memcpy(&v, p, 2); return v; }
static inline __u32 nr_ld32(const void *p) { __u32 v; memcpy(&v, p, 4); return v; }
static inline __u64 nr_ld64(const void *p) { __u64 v; memcpy(&v, p, 8); return v; }

/**
 * struct nr_buf - growable output buffer
 * @err:  sticky: -ENOMEM after a failed allocation, -EOVERFLOW past @max;
 *        appends after an error are dropped
 * @swap: write integers byte-swapped (a foreign-endian file, tests only)
 * @max:  largest length allowed (0: no limit)
 */
struct nr_buf {
	__u8 *p;
	size_t len, cap, max;
	int err;
	bool swap;
};

int nr_buf_reserve(struct nr_buf *b, size_t more);
void nr_buf_free(struct nr_buf *b);

static inline void nr_buf_put(struct nr_buf *b, const void *d, size_t n)
{
	if (b->len + n > b->cap && nr_buf_reserve(b, n))
		return;
	if (n)
		memcpy(b->p + b->len, d, n);
	b->len += n;
}

static inline void nr_buf_zero(struct nr_buf *b, size_t n)
{
	if (b->len + n > b->cap && nr_buf_reserve(b, n))
		return;
	memset(b->p + b->len, 0, n);
	b->len += n;
}

static inline void nr_buf_u8(struct nr_buf *b, __u8 v) { nr_buf_put(b, &v, 1); }
static inline void nr_buf_u16(struct nr_buf *b, __u16 v)
{
	v = nr_sw16(v, b->swap);
	nr_buf_put(b, &v, 2);
}
static inline void nr_buf_u32(struct nr_buf *b, __u32 v)
{
	v = nr_sw32(v, b->swap);
	nr_buf_put(b, &v, 4);
}
static inline void nr_buf_u64(struct nr_buf *b, __u64 v)
{
	v = nr_sw64(v, b->swap);
	nr_buf_put(b, &v, 8);
}

/* overwrite a u32 / u64 written earlier at @off (lengths known only afterwards) */
static inline void nr_buf_set_u32(struct nr_buf *b, size_t off, __u32 v)
{
	if (!b->err && off + 4 <= b->len) {
		v = nr_sw32(v, b->swap);
		memcpy(b->p + off, &v, 4);
	}
}

/* A string: u32 length then the bytes, no terminator; NULL is NR_STR_ABSENT. */
int nr_buf_str(struct nr_buf *b, const char *s);

/**
 * struct nr_cur - bounds-checked reader over untrusted bytes
 *
 * Every read checks the remaining length; a read past the end sets @bad and returns
 * zeros, so a parser may read a whole structure and test @bad once at the end.
 */
struct nr_cur {
	const __u8 *p;
	size_t len, pos;
	bool swap;
	bool bad;
};

static inline struct nr_cur nr_cur_init(const void *p, size_t len, bool swap)
{
	struct nr_cur c = { .p = p, .len = len, .pos = 0, .swap = swap, .bad = false };
	return c;
}

static inline size_t nr_cur_left(const struct nr_cur *c)
{
	return c->bad ? 0 : c->len - c->pos;
}

static inline const __u8 *nr_cur_take(struct nr_cur *c, size_t n)
{
	const __u8 *p;

	if (c->bad || n > c->len - c->pos) {
		c->bad = true;
		return NULL;
	}
	p = c->p + c->pos;
	c->pos += n;
	return p;
}

static inline __u8 nr_cur_u8(struct nr_cur *c)
{
	const __u8 *p = nr_cur_take(c, 1);
	return p ? *p : 0;
}

static inline __u16 nr_cur_u16(struct nr_cur *c)
{
	const __u8 *p = nr_cur_take(c, 2);
	return p ? nr_sw16(nr_ld16(p), c->swap) : 0;
}

static inline __u32 nr_cur_u32(struct nr_cur *c)
{
	const __u8 *p = nr_cur_take(c, 4);
	return p ? nr_sw32(nr_ld32(p), c->swap) : 0;
}

static inline __u64 nr_cur_u64(struct nr_cur *c)
{
	const __u8 *p = nr_cur_take(c, 8);
	return p ? nr_sw64(nr_ld64(p), c->swap) : 0;
}

/* A sub-cursor over the next @n bytes (an entry with a length prefix). */
static inline struct nr_cur nr_cur_sub(struct nr_cur *c, size_t n)
{
	const __u8 *p = nr_cur_take(c, n);
	struct nr_cur s = nr_cur_init(p, p ? n : 0, c->swap);

	s.bad = !p;
	return s;
}

/**
 * struct nr_arena - bump allocator for the strings and small arrays a reader keeps
 * (freed all at once, so no error path can leak one of them)
 */
struct nr_arena_blk;
struct nr_arena {
	struct nr_arena_blk *head;
	size_t used;		/* bytes handed out, for the metadata memory cap */
};

void *nr_arena_alloc(struct nr_arena *a, size_t n);	/* zeroed, 8-aligned */
char *nr_arena_strndup(struct nr_arena *a, const void *s, size_t n);
void nr_arena_free(struct nr_arena *a);

/*
 * Read a string (see nr_buf_str) into @a. Return: 0 and *ret (NULL when absent), or
 * -EBADMSG (bad length; @c marked bad), -ENOMEM.
 */
int nr_cur_str(struct nr_cur *c, struct nr_arena *a, char **ret);

/* stable sort (merge sort; insertion sort if no memory for the merge buffer) */
void nr_msort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *));

#endif /* NR_FORMAT_INTERNAL_H */
