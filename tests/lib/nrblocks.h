/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * nrblocks.h - a test's own view of a .nr file's blocks (FORMAT.md sections 3-4), to
 * find where to cut or damage a file and to re-seal a block after patching it
 */
#ifndef NR_TESTS_NRBLOCKS_H
#define NR_TESTS_NRBLOCKS_H

#include <stddef.h>
#include <linux/types.h>

struct nrblk {
	size_t off;	/* of the block header */
	__u16 type;
	__u16 flags;
	__u64 size;	/* payload bytes */
	size_t end;	/* where the next block starts */
};

/* the blocks of a native-endian file; returns how many (at most @max), -1 if malformed */
int nrblk_walk(const __u8 *buf, size_t len, struct nrblk *out, int max);

/* recompute the CRC of the block at @off after its header or payload was changed */
void nrblk_reseal(__u8 *buf, size_t off);

/* recompute the file header's CRC after it was changed */
void nrblk_reseal_header(__u8 *buf);

/* read / write a whole file; read returns a malloc'ed buffer */
int nrblk_read_file(const char *path, __u8 **buf, size_t *len);
int nrblk_write_file(const char *path, const __u8 *buf, size_t len);

#endif /* NR_TESTS_NRBLOCKS_H */
