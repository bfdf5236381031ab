/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * nr_testing.h - writer hooks for tests and the test-vector generator only
 *
 * They make files a normal recorder never writes but a reader must handle: the other
 * byte order, a newer minor version with longer records, unknown blocks, unsorted
 * chunks. Not for use by the recorder.
 */
#ifndef NR_TESTING_H
#define NR_TESTING_H

#include "nr_file.h"
#include "schema.h"

struct nr_writer_test_opts {
	bool foreign_endian;		/* write header and metadata byte-swapped */
	__u16 minor;			/* header minor version; 0: this version's */
	const struct nr_schema *const *schemas;	/* replace the built-in schemas */
	size_t nr_schemas;
	bool no_sort;			/* keep append order; chunks flagged unordered */
	bool no_zstd;			/* store chunk streams uncompressed */
	__u32 split_streams;		/* cut E into this many streams (0, 1: one) */
};

int nr_writer__open_test(const char *path, const struct nr_writer_opts *opts,
			 const struct nr_writer_test_opts *t, struct nr_writer **ret);

/* write a block of any type with the given payload (after the open chunk is sealed) */
int nr_writer__raw_block(struct nr_writer *w, __u16 type, __u16 flags, const void *payload,
			 size_t len);

/* the software CRC-32C path, to compare with the hardware one */
__u32 nr_crc32c_sw(__u32 crc, const void *buf, size_t len);

#endif /* NR_TESTING_H */
