/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * readfile.h - read a whole (proc, sys or regular) file into memory
 */
#ifndef NR_RECORD_READFILE_H
#define NR_RECORD_READFILE_H

#include <stddef.h>

/**
 * nr_read_file() - read @path whole into a new buffer
 * @max:     refuse files larger than this many bytes
 * @ret:     receives the buffer (free() it); a NUL byte follows the contents
 * @ret_len: receives the number of bytes read (the NUL not counted)
 *
 * Works on proc and sysfs files, whose size stat() reports as 0 or 4096: it reads
 * until end of file, growing the buffer as needed.
 * Return: 0, -EFBIG above @max, or the negative errno of open()/read().
 */
int nr_read_file(const char *path, size_t max, void **ret, size_t *ret_len);

#endif /* NR_RECORD_READFILE_H */
