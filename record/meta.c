// SPDX-License-Identifier: GPL-2.0-only
/*
 * meta.c - host identity, kernel build id and clock reference (see meta.h)
 */
#include <errno.h>
#include <stdint.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include <bpf/libbpf.h>

#include "config.h"
#include "log.h"
#include "meta.h"
#include "readfile.h"

#define NT_GNU_BUILD_ID_	3	/* <elf.h>'s NT_GNU_BUILD_ID */
#define CLOCK_TRIES		16

int nr_build_id_parse(const void *notes, size_t len, __u8 *id, __u32 *id_len)
{
	const __u8 *p = notes;
	size_t off = 0;

	while (len - off >= 12) {
		__u32 namesz, descsz, type;
		size_t name_off, desc_off, next;

		memcpy(&namesz, p + off, 4);
		memcpy(&descsz, p + off + 4, 4);
		memcpy(&type, p + off + 8, 4);
		name_off = off + 12;
		/* sizes are 32-bit, so these sums cannot overflow a 64-bit size_t */
		desc_off = name_off + (((size_t)namesz + 3) & ~(size_t)3);
		next = desc_off + (((size_t)descsz + 3) & ~(size_t)3);
		if (desc_off > len || desc_off + descsz > len)
			return -EBADMSG;
		if (type == NT_GNU_BUILD_ID_ && namesz == 4 && !memcmp(p + name_off, "GNU", 4)) {
			if (descsz > NR_BUILD_ID_MAX)
				return -EOVERFLOW;
			if (descsz == 0)
				return -EBADMSG;
			memcpy(id, p + desc_off, descsz);
			*id_len = descsz;
			return 0;
		}
		if (next > len)
			break;
		off = next;
	}
	return -ENOENT;
}

int nr_kernel_build_id(const char *path, __u8 *id, __u32 *id_len)
{
	size_t len;
	void *buf;
	int err;

	err = nr_read_file(path ? path : NR_KERNEL_NOTES_PATH, 1 << 20, &buf, &len);
	if (err)
		return err;
	err = nr_build_id_parse(buf, len, id, id_len);
	free(buf);
	return err;
}

char *nr_build_id_str(const __u8 *id, __u32 len, char *buf, size_t size)
{
	static const char hex[] = "0123456789abcdef";
	size_t i;

	if (!size)
		return buf;
	for (i = 0; i < len && 2 * i + 2 < size; i++) {
		buf[2 * i] = hex[id[i] >> 4];
		buf[2 * i + 1] = hex[id[i] & 15];
	}
	buf[2 * i] = '\0';
	return buf;
}

/* One line of a small text file, without the newline; NULL if unreadable. */
static char *read_line(const char *path)
{
	size_t len;
	void *buf;
	char *s;

	if (nr_read_file(path, 4096, &buf, &len))
		return NULL;
	s = buf;
	s[strcspn(s, "\n")] = '\0';
	return s;
}

void nr_host__free(struct nr_host *h)
{
	if (!h)
		return;
	free(h->hostname);
	free(h->sysname);
	free(h->release);
	free(h->version);
	free(h->machine);
	free(h->netrec_version);
	free(h->boot_id);
	memset(h, 0, sizeof(*h));
}

int nr_host__collect(struct nr_host *ret)
{
	struct nr_host h = {};
	struct utsname u;
	long page;
	int n, err;

	if (uname(&u) == 0) {
		h.hostname = strdup(u.nodename);
		h.sysname = strdup(u.sysname);
		h.release = strdup(u.release);
		h.version = strdup(u.version);
		h.machine = strdup(u.machine);
		if (!h.hostname || !h.sysname || !h.release || !h.version || !h.machine)
			goto nomem;
	}
	h.netrec_version = strdup(NETREC_VERSION);
	if (!h.netrec_version)
		goto nomem;
	h.boot_id = read_line(NR_BOOT_ID_PATH);

	err = nr_kernel_build_id(NULL, h.build_id, &h.build_id_len);
	if (err) {
		pr_debug("no kernel build id in %s: %s\n", NR_KERNEL_NOTES_PATH, strerror(-err));
		h.build_id_len = 0;
	}
	n = libbpf_num_possible_cpus();
	h.ncpus = n > 0 ? (__u32)n : 0;
	page = sysconf(_SC_PAGESIZE);
	h.page_size = page > 0 ? (__u32)page : 0;
	*ret = h;
	return 0;
nomem:
	nr_host__free(&h);
	return -ENOMEM;
}

static __u64 ts_ns(const struct timespec *t)
{
	return (__u64)t->tv_sec * 1000000000ull + (__u64)t->tv_nsec;
}

int nr_clock__read(struct nr_clock *ret, __u64 *ret_err_ns)
{
	__u64 best = UINT64_MAX, best2 = UINT64_MAX;
	int i;

	for (i = 0; i < CLOCK_TRIES; i++) {
		struct timespec m0, r, m1, b, m2;
		__u64 width, mid_r, mid_b;

		if (clock_gettime(CLOCK_MONOTONIC, &m0) || clock_gettime(CLOCK_REALTIME, &r) ||
		    clock_gettime(CLOCK_MONOTONIC, &m1) || clock_gettime(CLOCK_BOOTTIME, &b) ||
		    clock_gettime(CLOCK_MONOTONIC, &m2))
			return -errno;
		width = ts_ns(&m1) - ts_ns(&m0);
		/* the narrowest pair of brackets; the realtime one is what we report */
		if (width + (ts_ns(&m2) - ts_ns(&m1)) >= best2)
			continue;
		best2 = width + (ts_ns(&m2) - ts_ns(&m1));
		best = width;
		mid_r = ts_ns(&m0) + width / 2;
		mid_b = ts_ns(&m1) + (ts_ns(&m2) - ts_ns(&m1)) / 2;
		ret->mono_ns = mid_r;
		ret->real_ns = ts_ns(&r);
		/* boot time at the instant of the realtime reading */
		ret->boot_ns = ts_ns(&b) - (mid_b - mid_r);
	}
	if (ret_err_ns)
		*ret_err_ns = (best + 1) / 2;
	return 0;
}
