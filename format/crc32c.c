// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * crc32c.c - CRC-32C (Castagnoli, reflected polynomial 0x82f63b78)
 *
 * The SSE4.2 crc32 instruction when the CPU has it (chosen once at run time), else
 * slicing-by-8 tables. Both give the same result; the unit test checks the standard
 * check value and compares the two paths on random data.
 */
#include <pthread.h>
#include <stdint.h>
#include <string.h>

#include "internal.h"

#define POLY 0x82f63b78u

static __u32 table[8][256];
static pthread_once_t table_once = PTHREAD_ONCE_INIT;

static void table_init(void)
{
	__u32 i, j, c;

	for (i = 0; i < 256; i++) {
		c = i;
		for (j = 0; j < 8; j++)
			c = c & 1 ? (c >> 1) ^ POLY : c >> 1;
		table[0][i] = c;
	}
	for (i = 0; i < 256; i++)
		for (j = 1; j < 8; j++)
			table[j][i] = (table[j - 1][i] >> 8) ^ table[0][table[j - 1][i] & 0xff];
}

/* Exported for the unit test that compares both paths. */
__u32 nr_crc32c_sw(__u32 crc, const void *buf, size_t len);

__u32 nr_crc32c_sw(__u32 crc, const void *buf, size_t len)
{
	const __u8 *p = buf;

	pthread_once(&table_once, table_init);
	crc = ~crc;
	while (len && ((uintptr_t)p & 7)) {
		crc = (crc >> 8) ^ table[0][(crc ^ *p++) & 0xff];
		len--;
	}
	while (len >= 8) {
		__u64 v = le64toh(nr_ld64(p)) ^ crc;

		crc = table[7][v & 0xff] ^ table[6][(v >> 8) & 0xff] ^
		      table[5][(v >> 16) & 0xff] ^ table[4][(v >> 24) & 0xff] ^
		      table[3][(v >> 32) & 0xff] ^ table[2][(v >> 40) & 0xff] ^
		      table[1][(v >> 48) & 0xff] ^ table[0][v >> 56];
		p += 8;
		len -= 8;
	}
	while (len--)
		crc = (crc >> 8) ^ table[0][(crc ^ *p++) & 0xff];
	return ~crc;
}

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <nmmintrin.h>

__attribute__((target("sse4.2")))
static __u32 crc32c_hw(__u32 crc, const void *buf, size_t len)
{
	const __u8 *p = buf;
	__u64 c = ~crc;

	while (len && ((uintptr_t)p & 7)) {
		c = _mm_crc32_u8((__u32)c, *p++);
		len--;
	}
	while (len >= 8) {
		c = _mm_crc32_u64(c, nr_ld64(p));
		p += 8;
		len -= 8;
	}
	while (len--)
		c = _mm_crc32_u8((__u32)c, *p++);
	return ~(__u32)c;
}

static int have_hw = -1;

__u32 nr_crc32c(__u32 crc, const void *buf, size_t len)
{
	if (have_hw < 0)
		__atomic_store_n(&have_hw, __builtin_cpu_supports("sse4.2") ? 1 : 0,
				 __ATOMIC_RELAXED);
	return have_hw ? crc32c_hw(crc, buf, len) : nr_crc32c_sw(crc, buf, len);
}
#else
__u32 nr_crc32c(__u32 crc, const void *buf, size_t len)
{
	return nr_crc32c_sw(crc, buf, len);
}
#endif
