/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * schema.h - per-record-type field tables
 *
 * Every record type has a schema: the fixed size, each field's offset, width and column
 * codec, flags saying which fields are kernel text addresses (symbolized by the writer)
 * or stack ids, and the variable tail (packet snapshot, control text) with the field
 * that holds its length. The writer stores its schemas in the file's SCHEMA block and
 * the reader decodes chunks with the file's schemas, so a reader decodes record types
 * and fields newer than itself; known types are then normalized to this build's
 * structs (zero-extended or truncated). Field order in a schema is column order.
 */
#ifndef NR_SCHEMA_H
#define NR_SCHEMA_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>

/* column codecs of a field (FORMAT.md "Columns") */
enum {
	NR_COL_INT	= 1,	/* unsigned integer, width 1, 2, 4 or 8, little-endian column */
	NR_COL_ADDR	= 2,	/* 64-bit address, slot-cache coded */
	NR_COL_BYTES	= 3,	/* byte array (wire-order data, addresses, names), as is */
};

/* field flags */
#define NR_FLD_SYM	(1u << 0)	/* kernel text address: the writer symbolizes it */
#define NR_FLD_STACK	(1u << 1)	/* id of a STACKS entry (0: none) */
#define NR_FLD_SIGNED	(1u << 2)	/* two's complement (informational) */

/* tail codecs */
enum {
	NR_TAIL_NONE	= 0,
	NR_TAIL_RAW	= 1,	/* bytes as they are */
	NR_TAIL_SNAP	= 2,	/* packet snapshot, delta-coded against a reference */
};

struct nr_field {
	const char *name;
	__u32 off;
	__u16 width;
	__u8 codec;
	__u8 flags;
};

/**
 * struct nr_schema - layout of one record type
 * @fixed_size:     bytes of the fixed part, header included (a multiple of 8)
 * @tail_codec:     NR_TAIL_*; the tail follows the fixed part, zero-padded to 8
 * @tail_len_off:   offset of the field holding the tail's length in bytes
 * @tail_len_width: that field's width (1, 2 or 4)
 * @tail_max:       largest tail length allowed
 */
struct nr_schema {
	const char *name;
	__u16 type;
	__u16 nr_fields;
	__u32 fixed_size;
	__u16 tail_codec;
	__u16 tail_len_width;
	__u32 tail_len_off;
	__u32 tail_max;
	const struct nr_field *fields;
};

/** nr_schema_builtin() - this build's schema of record type @type, or NULL */
const struct nr_schema *nr_schema_builtin(__u16 type);

/** nr_schema_builtin_all() - all of this build's schemas, *n of them, by type */
const struct nr_schema *const *nr_schema_builtin_all(size_t *n);

/** nr_schema_field() - the field of @s at offset @off, or NULL */
const struct nr_field *nr_schema_field(const struct nr_schema *s, __u32 off);

/**
 * nr_schema_check() - structural validation of a schema (from a file or a test)
 * Fields in increasing offset order, not overlapping, inside the fixed part after the
 * 16-byte header, widths matching codecs; the tail length field one of the INT fields.
 * Return: 0, or -EBADMSG with the reason in @msg.
 */
int nr_schema_check(const struct nr_schema *s, char *msg, size_t msglen);

/**
 * nr_schema_compat() - may records of @file be read as this build's @known?
 * Every field of @known that lies inside @file's fixed part must be in @file at the
 * same offset with the same width and codec class, and the tails must agree.
 * Return: 0, or -EBADMSG with the reason in @msg.
 */
int nr_schema_compat(const struct nr_schema *file, const struct nr_schema *known,
		     char *msg, size_t msglen);

/** nr_schema_tail_len() - tail length stored in record @rec of schema @s (native order) */
__u32 nr_schema_tail_len(const struct nr_schema *s, const void *rec);

#endif /* NR_SCHEMA_H */
