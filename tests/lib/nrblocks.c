// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"
#include "nrblocks.h"

int nrblk_walk(const __u8 *buf, size_t len, struct nrblk *out, int max)
{
	size_t pos;
	int n = 0;

	if (len < 32)
		return -1;
	pos = nr_ld32(buf + 16);
	while (pos + NR_BLK_HDR_SIZE <= len && n < max) {
		struct nrblk *b = &out[n++];

		b->off = pos;
		b->type = nr_ld16(buf + pos);
		b->flags = nr_ld16(buf + pos + 2);
		b->size = nr_ld64(buf + pos + 8);
		if (b->size > len - pos - NR_BLK_HDR_SIZE)
			return -1;
		b->end = pos + NR_BLK_HDR_SIZE + nr_align8(b->size);
		pos = b->end;
	}
	return n;
}

void nrblk_reseal(__u8 *buf, size_t off)
{
	__u64 size = nr_ld64(buf + off + 8);
	__u32 crc = nr_crc32c(0, buf + off, 4);

	crc = nr_crc32c(crc, buf + off + 8, 8);
	crc = nr_crc32c(crc, buf + off + NR_BLK_HDR_SIZE, size);
	memcpy(buf + off + 4, &crc, 4);
}

void nrblk_reseal_header(__u8 *buf)
{
	__u32 hsize = nr_ld32(buf + 16), crc;

	memset(buf + 28, 0, 4);
	crc = nr_crc32c(0, buf, hsize);
	memcpy(buf + 28, &crc, 4);
}

int nrblk_read_file(const char *path, __u8 **buf, size_t *len)
{
	struct stat st;
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	if (fstat(fd, &st)) {
		close(fd);
		return -errno;
	}
	*buf = malloc((size_t)st.st_size + 1);
	if (!*buf) {
		close(fd);
		return -ENOMEM;
	}
	n = read(fd, *buf, (size_t)st.st_size);
	close(fd);
	if (n != st.st_size) {
		free(*buf);
		return -EIO;
	}
	*len = (size_t)n;
	return 0;
}

int nrblk_write_file(const char *path, const __u8 *buf, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = write(fd, buf, len);
	if (close(fd) || n != (ssize_t)len)
		return -EIO;
	return 0;
}
