/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * chunk.h - the column encoding of a chunk's records (FORMAT.md "Chunk encoding")
 *
 * The encoder turns a chunk's records, in the order given, into one byte string E of
 * column sections; the writer then compresses E with zstd. The decoder parses E with
 * the file's schemas and writes records in this build's layout. Everything the decoder
 * reads from E is bounds-checked; sizes are derived, never trusted.
 */
#ifndef NR_CHUNK_H
#define NR_CHUNK_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>

#include "internal.h"
#include "schema.h"

/* schemas by record type; NULL where a type has none */
struct nr_schema_set {
	const struct nr_schema *by_type[NR_TYPES_MAX];
};

struct nr_chunk_enc {
	__u64 *scratch;		/* per-record timestamps deltas, literals */
	size_t scratch_cap;
	__u32 *idx;		/* records of each type */
	size_t idx_cap;
};

/**
 * nr_chunk_encode() - append the encoding of @n records to @e
 * @recs:  the records, each in the layout of its type's schema in @set
 * @offs:  offsets in @recs of the records, in the order to encode them
 * @first_ts: the chunk's first timestamp (the base of the first delta)
 * Return: 0, -ENOMEM, or -EOVERFLOW when @e passes its maximum.
 */
int nr_chunk_encode(struct nr_chunk_enc *ce, const struct nr_schema_set *set,
		    const __u8 *recs, const __u32 *offs, __u32 n, __u64 first_ts,
		    struct nr_buf *e);

void nr_chunk_enc_free(struct nr_chunk_enc *ce);

/**
 * struct nr_dec_type - how the decoder handles one record type
 * @s:         the file's schema (NULL: the type has no schema)
 * @out_fixed: fixed size of the records it produces: this build's struct size for a
 *             known type (fields past it dropped, missing ones zero), else @s's
 * @tail_max:  largest tail accepted
 */
struct nr_dec_type {
	const struct nr_schema *s;
	__u32 out_fixed;
	__u32 tail_max;
};

struct nr_chunk_dec {
	__u32 *off;		/* per record: offset of its output */
	__u32 *tlen;		/* per record: tail length */
	__u32 *idx;		/* records of each type */
	__u16 *type;
	__u8 **recp;		/* output record of each of a type's records */
	size_t cap;
	size_t *sec;		/* section offsets */
	size_t *nlit;		/* address literals of each address section */
	size_t sec_cap;
};

/**
 * struct nr_chunk_out - decoded records
 * @recs: @n records back to back, each hdr.size bytes (a multiple of 8), in E's order
 */
struct nr_chunk_out {
	__u8 *recs;
	size_t len;
	__u32 n;
	__u64 min_ts, max_ts;
	bool sorted;		/* timestamps never decrease */
};

/**
 * nr_chunk_decode() - decode the chunk encoding @e of @n records
 * @raw_bytes: the chunk header's record bytes in the file's layout (checked)
 * @types:     per record type, NR_TYPES_MAX entries
 * @buf, @bufcap: the output buffer, reused across calls (grown with malloc as needed;
 *             the caller frees *buf)
 * Return: 0 and @out filled (out->recs == *buf), or -EBADMSG with the reason in @msg,
 * or -ENOMEM.
 */
int nr_chunk_decode(struct nr_chunk_dec *cd, const __u8 *e, size_t elen, __u32 n,
		    __u64 first_ts, __u64 raw_bytes, const struct nr_dec_type *types,
		    __u8 **buf, size_t *bufcap, struct nr_chunk_out *out, char *msg,
		    size_t msglen);

void nr_chunk_dec_free(struct nr_chunk_dec *cd);

/* the slot of a non-zero address in the 254-entry address cache */
static inline unsigned int nr_addr_slot(__u64 v)
{
	return 1 + (unsigned int)((__u32)((v * 0x9e3779b97f4a7c15ull) >> 32) % 254);
}

#define NR_ADDR_LITERAL	255

#endif /* NR_CHUNK_H */
