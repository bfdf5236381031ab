// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_host.c - host facts, kernel build id from ELF notes, clock reference
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "config.h"
#include "meta.h"

/*
 * /sys/kernel/notes of a Linux 6.18 x86_64 kernel (little-endian): a Xen note, the GNU
 * build id, two "Linux" notes and two more Xen notes. Each note: namesz, descsz, type,
 * name padded to 4, descriptor padded to 4.
 */
static const __u8 notes_6_18[] = {
	0x04, 0x00, 0x00, 0x00, 0x14, 0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00, /* 4, 20, 3 */
	'G', 'N', 'U', 0x00,
	0x4a, 0x5a, 0x9b, 0x0a, 0xff, 0xb6, 0x6c, 0x43, 0x7a, 0xbc, /* build id */
	0xd4, 0x55, 0xd2, 0x73, 0x8a, 0xf8, 0x79, 0x98, 0x5f, 0xa9,
	0x06, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x01, 0x01, 0x00, 0x00, /* 6, 4, 0x101 */
	'L', 'i', 'n', 'u', 'x', 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00,
	0x06, 0x00, 0x00, 0x00, 0x1e, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, /* 6, 30, 0x100 */
	'L', 'i', 'n', 'u', 'x', 0x00, 0x00, 0x00,
	'6', '.', '1', '.', '1', '0', '2', '-', '1', '.', '1', '8', '2', '.', 'a', 'm',
	'z', 'n', '2', '0', '2', '3', '.', 'x', '8', '6', '_', '6', '4', 0x00, 0x00, 0x00,
	0x04, 0x00, 0x00, 0x00, 0x0c, 0x00, 0x00, 0x00, 0x13, 0x00, 0x00, 0x00, /* 4, 12, 19 */
	'X', 'e', 'n', 0x00,
	0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0xff, 0xff, 0xff, 0x3f,
	0x04, 0x00, 0x00, 0x00, 0x08, 0x00, 0x00, 0x00, 0x12, 0x00, 0x00, 0x00, /* 4, 8, 18 */
	'X', 'e', 'n', 0x00,
	0x00, 0xfe, 0x78, 0x03, 0x00, 0x00, 0x00, 0x00,
};

/* a Xen note first, then the build id: the parser must walk past other notes */
static const __u8 notes_second[] = {
	0x04, 0x00, 0x00, 0x00, 0x08, 0x00, 0x00, 0x00, 0x12, 0x00, 0x00, 0x00,
	'X', 'e', 'n', 0x00,
	0x00, 0xfe, 0x78, 0x03, 0x00, 0x00, 0x00, 0x00,
	/* "GNU" note of another type (NT_GNU_ABI_TAG = 1): not the build id */
	0x04, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00,
	'G', 'N', 'U', 0x00,
	0x00, 0x00, 0x00, 0x00,
	/* an 8-byte build id */
	0x04, 0x00, 0x00, 0x00, 0x08, 0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00,
	'G', 'N', 'U', 0x00,
	0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08,
};

static const __u8 notes_none[] = {
	0x06, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x01, 0x01, 0x00, 0x00,
	'L', 'i', 'n', 'u', 'x', 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00,
};

/* descriptor claims 0x100 bytes, buffer ends first */
static const __u8 notes_truncated[] = {
	0x04, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00,
	'G', 'N', 'U', 0x00,
	0x4a, 0x5a, 0x9b, 0x0a,
};

/* name size near 4 GiB: must not wrap */
static const __u8 notes_huge_name[] = {
	0xfd, 0xff, 0xff, 0xff, 0x04, 0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00,
	'G', 'N', 'U', 0x00, 0x00, 0x00, 0x00, 0x00,
};

/* a 65-byte id, over NR_BUILD_ID_MAX */
static __u8 notes_long[12 + 4 + 68];

static void test_build_id(void)
{
	static const __u8 want[20] = { 0x4a, 0x5a, 0x9b, 0x0a, 0xff, 0xb6, 0x6c, 0x43, 0x7a, 0xbc,
				       0xd4, 0x55, 0xd2, 0x73, 0x8a, 0xf8, 0x79, 0x98, 0x5f, 0xa9 };
	__u8 id[NR_BUILD_ID_MAX];
	__u32 len = 0;
	char hex[2 * NR_BUILD_ID_MAX + 1];

	check_start("build id");
	CHECK_EQ(nr_build_id_parse(notes_6_18, sizeof(notes_6_18), id, &len), 0, "6.18 notes");
	CHECK_EQ(len, 20, "sha1 build id length");
	CHECK_MEM(id, want, 20, "build id bytes");
	CHECK_STR(nr_build_id_str(id, len, hex, sizeof(hex)),
		  "4a5a9b0affb66c437abcd455d2738af879985fa9", "build id hex");
	CHECK_STR(nr_build_id_str(id, len, hex, 9), "4a5a9b0a", "hex cut to the buffer");

	CHECK_EQ(nr_build_id_parse(notes_second, sizeof(notes_second), id, &len), 0, "later note");
	CHECK_EQ(len, 8, "8-byte id");
	CHECK_MEM(id, "\x01\x02\x03\x04\x05\x06\x07\x08", 8, "8-byte id bytes");

	CHECK_EQ(nr_build_id_parse(notes_none, sizeof(notes_none), id, &len), -ENOENT, "absent");
	CHECK_EQ(nr_build_id_parse(notes_none, 0, id, &len), -ENOENT, "empty");
	CHECK_EQ(nr_build_id_parse(notes_6_18, 11, id, &len), -ENOENT, "shorter than a header");
	CHECK_EQ(nr_build_id_parse(notes_truncated, sizeof(notes_truncated), id, &len), -EBADMSG,
		 "descriptor past the end");
	CHECK_EQ(nr_build_id_parse(notes_huge_name, sizeof(notes_huge_name), id, &len), -EBADMSG,
		 "huge name size");
	/* the 6.18 notes cut inside the build id's descriptor */
	CHECK_EQ(nr_build_id_parse(notes_6_18, 30, id, &len), -EBADMSG, "cut inside the id");

	notes_long[0] = 4;
	notes_long[4] = 65;
	notes_long[8] = 3;
	memcpy(notes_long + 12, "GNU", 4);
	CHECK_EQ(nr_build_id_parse(notes_long, sizeof(notes_long), id, &len), -EOVERFLOW,
		 "id longer than NR_BUILD_ID_MAX");
}

static void test_host(void)
{
	struct nr_host h;
	struct utsname u;
	__u8 id[NR_BUILD_ID_MAX];
	__u32 len = 0;
	int err;

	check_start("host");
	if (!CHECK_EQ(nr_host__collect(&h), 0, "collect"))
		return;
	CHECK_EQ(uname(&u), 0, "uname");
	CHECK_STR(h.hostname, u.nodename, "hostname");
	CHECK_STR(h.sysname, "Linux", "sysname");
	CHECK_STR(h.release, u.release, "release");
	CHECK_STR(h.version, u.version, "version");
	CHECK_STR(h.machine, u.machine, "machine");
	CHECK_STR(h.netrec_version, NETREC_VERSION, "netrec version");
	CHECK_EQ(h.page_size, sysconf(_SC_PAGESIZE), "page size");
	CHECK(h.ncpus >= (__u32)sysconf(_SC_NPROCESSORS_ONLN), "possible >= online CPUs");
	if (access(NR_BOOT_ID_PATH, R_OK) == 0)
		CHECK(h.boot_id && strlen(h.boot_id) == 36 && h.boot_id[8] == '-',
		      "boot id is a uuid");
	err = nr_kernel_build_id(NULL, id, &len);
	if (err == 0) {
		CHECK_EQ(h.build_id_len, len, "build id length");
		CHECK_MEM(h.build_id, id, len, "build id");
		printf("host: %s %s %s, build id of %u bytes\n", h.hostname, h.release, h.machine,
		       len);
	} else {
		CHECK_EQ(h.build_id_len, 0, "no build id when notes lack one");
		printf("host: no kernel build id (%s)\n", strerror(-err));
	}
	CHECK_EQ(nr_kernel_build_id("/nonexistent/notes", id, &len), -ENOENT, "missing file");
	nr_host__free(&h);
	CHECK(h.hostname == NULL, "free clears");
	nr_host__free(NULL);
}

static __u64 now(clockid_t c)
{
	struct timespec t;

	clock_gettime(c, &t);
	return (__u64)t.tv_sec * 1000000000ull + (__u64)t.tv_nsec;
}

static void test_clock(void)
{
	struct nr_clock c;
	__u64 m0, m1, r0, r1, b0, b1, err_ns = ~0ull;

	check_start("clock");
	m0 = now(CLOCK_MONOTONIC);
	r0 = now(CLOCK_REALTIME);
	b0 = now(CLOCK_BOOTTIME);
	CHECK_EQ(nr_clock__read(&c, &err_ns), 0, "read");
	m1 = now(CLOCK_MONOTONIC);
	r1 = now(CLOCK_REALTIME);
	b1 = now(CLOCK_BOOTTIME);
	CHECK(c.mono_ns >= m0 && c.mono_ns <= m1, "monotonic inside the call");
	CHECK(c.real_ns >= r0 && c.real_ns <= r1, "realtime inside the call");
	CHECK(c.boot_ns >= b0 && c.boot_ns <= b1, "boottime inside the call");
	/* equal without a suspend; each is paired within a few ns of the same instant */
	CHECK(c.boot_ns + 1000 >= c.mono_ns, "boottime >= monotonic (within 1 us)");
	CHECK(err_ns < 1000000, "pairing uncertainty below 1 ms");
	printf("clock: pairing uncertainty %llu ns\n", (unsigned long long)err_ns);
	CHECK_EQ(nr_clock__read(&c, NULL), 0, "read without uncertainty");
}

int main(void)
{
	test_build_id();
	test_host();
	test_clock();
	return check_exit();
}
