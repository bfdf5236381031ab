/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * meta.h - facts about the recording machine that a trace file must carry so that it
 * analyses anywhere: host and kernel identity, kernel build id, clock reference
 *
 * Kernel symbols, enum tables and network namespaces have their own modules
 * (kallsyms.h, btf_enums.h, netns.h). Functions return 0 or a negative errno and
 * log at debug level only; the recorder decides what to tell the user.
 */
#ifndef NR_RECORD_META_H
#define NR_RECORD_META_H

#include <stddef.h>
#include <linux/types.h>

#include "nr_file.h"

#define NR_KERNEL_NOTES_PATH	"/sys/kernel/notes"
#define NR_BOOT_ID_PATH		"/proc/sys/kernel/random/boot_id"

/**
 * nr_host__collect() - fill @ret with this machine's identity
 *
 * uname fields (hostname is the UTS namespace's nodename), netrec's version, the boot
 * id, the kernel build id (from /sys/kernel/notes), the number of possible CPUs and the
 * page size. Facts that cannot be read are left empty (NULL, 0, build_id_len 0): their
 * absence is not an error, the file says so by leaving them out.
 * Return: 0, or -ENOMEM (then @ret holds nothing to free).
 */
int nr_host__collect(struct nr_host *ret);

/** nr_host__free() - free the strings nr_host__collect() allocated; NULL-safe */
void nr_host__free(struct nr_host *h);

/**
 * nr_build_id_parse() - find the GNU build id in a buffer of ELF notes
 * @notes:  the raw contents of an ELF note section (e.g. /sys/kernel/notes), each note
 *          a {namesz, descsz, type} header in host byte order, then the name and the
 *          descriptor, each padded to 4 bytes
 * @len:    bytes at @notes
 * @id:     receives up to NR_BUILD_ID_MAX bytes
 * @id_len: receives the id's length
 *
 * Never reads outside @notes, whatever the headers claim.
 * Return: 0; -ENOENT when there is no NT_GNU_BUILD_ID note named "GNU"; -EBADMSG when
 * a note header runs past the buffer before one was found; -EOVERFLOW for an id longer
 * than NR_BUILD_ID_MAX.
 */
int nr_build_id_parse(const void *notes, size_t len, __u8 *id, __u32 *id_len);

/**
 * nr_kernel_build_id() - the running kernel's build id, from @path
 * @path: NULL for /sys/kernel/notes
 * Return: as nr_build_id_parse(), or the negative errno of reading @path.
 */
int nr_kernel_build_id(const char *path, __u8 *id, __u32 *id_len);

/**
 * nr_build_id_str() - the id as lowercase hex into @buf (2 * @len + 1 bytes)
 * Return: @buf.
 */
char *nr_build_id_str(const __u8 *id, __u32 len, char *buf, size_t size);

/**
 * nr_clock__read() - read CLOCK_MONOTONIC, CLOCK_REALTIME and CLOCK_BOOTTIME together
 * @ret:       the reference; all three fields describe the same instant
 * @ret_err_ns: if not NULL, receives the uncertainty of the pairing in ns (half the
 *             width of the tightest monotonic bracket around the realtime reading)
 *
 * Takes several readings, each a CLOCK_REALTIME read bracketed by two CLOCK_MONOTONIC
 * reads and a CLOCK_BOOTTIME read bracketed by the second and a third one, and keeps
 * the reading with the narrowest bracket (the one least disturbed by preemption or an
 * interrupt). The monotonic value is the bracket's midpoint; the boot time is moved to
 * the same instant (BOOTTIME and MONOTONIC advance at the same rate).
 * Return: 0, or the negative errno of clock_gettime().
 */
int nr_clock__read(struct nr_clock *ret, __u64 *ret_err_ns);

#endif /* NR_RECORD_META_H */
