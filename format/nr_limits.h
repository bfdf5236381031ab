/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * nr_limits.h - the one set of limits of the .nr format, shared by writer and reader
 *
 * The writer refuses (-EOVERFLOW or -EINVAL) anything the reader would reject, and the
 * reader checks every length, count and offset of a file against these before it uses
 * or allocates anything. FORMAT.md section 14 lists the same numbers.
 */
#ifndef NR_LIMITS_H
#define NR_LIMITS_H

#define NR_FILE_MAJOR		1
#define NR_FILE_MINOR		0

#define NR_FILE_HDR_SIZE	32		/* file header written by this version */
#define NR_FILE_HDR_MAX		4096		/* largest file header a reader accepts */
#define NR_BLK_HDR_SIZE		16		/* block header */

#define NR_META_BLOCK_MAX	(16u << 20)	/* payload of one metadata block */
#define NR_META_TOTAL_MAX	(256ull << 20)	/* all metadata payloads of a file together */
#define NR_STR_MAX		4096		/* one string in metadata, bytes */

#define NR_CHUNK_RAW_DEFAULT	(2u << 20)	/* default uncompressed record bytes per chunk */
#define NR_CHUNK_RAW_MAX	(16u << 20)	/* decoded record bytes of one chunk */
#define NR_CHUNK_ENC_MAX	(32u << 20)	/* encoded (pre-zstd) bytes of one chunk */
#define NR_CHUNK_EVENTS_MAX	(NR_CHUNK_RAW_MAX / 16)
#define NR_CHUNK_STREAMS_MAX	64
#define NR_CHUNK_BLOCK_MAX	(NR_CHUNK_ENC_MAX + 64 + 16 * NR_CHUNK_STREAMS_MAX)

#define NR_TYPES_MAX		1024		/* record type ids are below this */
#define NR_SCHEMA_FIELDS_MAX	256
#define NR_SCHEMA_FIXED_MAX	4096		/* fixed part of a record */
#define NR_TAIL_MAX		16384		/* variable tail of a record */
#define NR_SNAP_REFS		256		/* snapshot references per chunk and type */

#define NR_SYMS_MAX		(1u << 22)
#define NR_STACKS_MAX		(1u << 22)
#define NR_STACK_FRAMES_MAX	(1u << 24)	/* all stacks' frames together */
#define NR_PROBES_MAX		65536
#define NR_ENUMS_MAX		4096
#define NR_ENUM_ENTRIES_MAX	65536
#define NR_IFACES_MAX		65536
#define NR_IFADDRS_MAX		4096		/* addresses of one interface */
#define NR_NETNS_MAX		65536
#define NR_ARGC_MAX		4096
#define NR_CHUNKS_MAX		(1u << 24)	/* chunks in one file */
#define NR_BLOCKS_MAX		(1u << 26)	/* blocks of any type in one file */

#define NR_MERGE_BYTES_MAX	(256ull << 20)	/* decoded chunks held at once for time order */

#endif /* NR_LIMITS_H */
