// SPDX-License-Identifier: GPL-2.0-only
/*
 * readfile.c - read a whole file into memory (see readfile.h)
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "readfile.h"

int nr_read_file(const char *path, size_t max, void **ret, size_t *ret_len)
{
	size_t len = 0, cap;
	struct stat st;
	char *buf, *p;
	int fd, err;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	/* regular files: one allocation; proc/sysfs files report 0 or a page */
	cap = (fstat(fd, &st) == 0 && st.st_size > 4096) ? (size_t)st.st_size + 1 : 65536;
	/* one byte beyond @max tells a file of exactly @max bytes from a longer one */
	if (cap > max + 2)
		cap = max + 2;
	buf = malloc(cap);
	if (!buf) {
		err = -ENOMEM;
		goto out;
	}
	for (;;) {
		ssize_t n;

		if (len > max) {
			err = -EFBIG;
			goto fail;
		}
		if (len + 1 >= cap) {
			cap = cap * 2 > max + 2 ? max + 2 : cap * 2;
			p = realloc(buf, cap);
			if (!p) {
				err = -ENOMEM;
				goto fail;
			}
			buf = p;
		}
		n = read(fd, buf + len, cap - 1 - len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			err = -errno;
			goto fail;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	buf[len] = '\0';
	*ret = buf;
	*ret_len = len;
	err = 0;
	goto out;
fail:
	free(buf);
out:
	close(fd);
	return err;
}
