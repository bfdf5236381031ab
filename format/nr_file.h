/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * nr_file.h - the .nr trace file: metadata model, writer and reader.
 *
 * The library in format/ knows nothing of BPF or of reports. The byte layout is
 * specified in format/FORMAT.md. Conventions (STYLE.md):
 *  - functions that can fail return a negative errno; constructors set *ret only on
 *    success; destructors accept NULL;
 *  - file problems are -EBADMSG (corrupt or truncated), -EPROTONOSUPPORT (unknown major
 *    version), -EOVERFLOW (a limit exceeded); details go to an optional struct nr_error;
 *  - the library never prints above debug level.
 */
#ifndef NR_FILE_H
#define NR_FILE_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>

#include "netrec_abi.h"

#define NR_ERRMSG_LEN	160

/**
 * struct nr_error - details of a failure, for the one line the command prints
 * @err:    the negative errno also returned
 * @offset: file offset the problem was found at (0 if not applicable)
 * @msg:    what is wrong, lowercase, no trailing period, without the file name
 *          (e.g. "chunk 3 at offset 81920: checksum mismatch")
 */
struct nr_error {
	int err;
	__u64 offset;
	char msg[NR_ERRMSG_LEN];
};

/* ---- metadata model: what a file says about where it was recorded ---- */

#define NR_BUILD_ID_MAX	64

struct nr_host {
	char *hostname;
	char *sysname;		/* uname -s */
	char *release;		/* uname -r */
	char *version;		/* uname -v */
	char *machine;		/* uname -m */
	char *netrec_version;	/* version of the netrec that recorded */
	char *boot_id;		/* /proc/sys/kernel/random/boot_id, or NULL */
	__u8 build_id[NR_BUILD_ID_MAX]; /* kernel build id (/sys/kernel/notes) */
	__u32 build_id_len;
	__u32 ncpus;		/* possible CPUs */
	__u32 page_size;
};

/**
 * struct nr_clock - one reading of the recording machine's clocks, taken together
 * (the reference that maps event timestamps, CLOCK_MONOTONIC, to wall-clock time)
 */
struct nr_clock {
	__u64 mono_ns;		/* CLOCK_MONOTONIC */
	__u64 real_ns;		/* CLOCK_REALTIME, ns since the Unix epoch */
	__u64 boot_ns;		/* CLOCK_BOOTTIME */
};

/* struct nr_probe_outcome.status */
enum {
	NR_PROBE_ATTACHED	= 1,	/* attached; events may follow */
	NR_PROBE_FAILED		= 2,	/* the kernel has it, but load or attach failed */
	NR_PROBE_UNAVAILABLE	= 3,	/* the kernel lacks the tracepoint / function / mechanism */
	NR_PROBE_NOT_SELECTED	= 4,	/* known to netrec, not asked for */
};

/**
 * struct nr_probe_outcome - what became of one probe point
 * @id:        the id records carry in their probe field
 * @status:    NR_PROBE_*
 * @err:       negative errno of the failure, 0 otherwise
 * @name:      netrec's name of the point, e.g. "skb:kfree_skb", "kprobe:tcp_v4_rcv"
 * @target:    what was attached in the kernel: tracepoint or symbol actually used
 *             (e.g. "__netif_receive_skb_core.constprop.0"), or NULL
 * @mechanism: "tp_btf", "raw_tp", "tracepoint", "fentry", "kprobe", ..., or NULL
 * @msg:       why it failed or is unavailable, or NULL
 */
struct nr_probe_outcome {
	__u16 id;
	__u16 status;
	__s32 err;
	char *name;
	char *target;
	char *mechanism;
	char *msg;
};

struct nr_enum_entry {
	__s64 value;
	char *name;		/* as the kernel spells it, e.g. "SKB_DROP_REASON_NO_SOCKET" */
};

/**
 * struct nr_enum - a name table read from the recording kernel's BTF
 * Known names: "skb_drop_reason", "tcp_state", "sk_rst_reason", and subsystem drop
 * reason enums; entries sorted by value.
 */
struct nr_enum {
	char *name;
	__u32 nr;
	struct nr_enum_entry *e;
};

/**
 * struct nr_sym - a kernel symbol covering addresses that appear in the file
 * @addr:   start address
 * @size:   bytes, 0 if unknown (then it extends to the next symbol)
 * @name:   symbol name
 * @module: module name, or NULL for vmlinux
 */
struct nr_sym {
	__u64 addr;
	__u64 size;
	char *name;
	char *module;
};

/** struct nr_stack - a de-duplicated kernel stack, innermost frame first */
struct nr_stack {
	__u32 id;		/* > 0 */
	__u32 nr;
	__u64 *ip;
};

struct nr_ifaddr {
	__u16 family;		/* AF_INET, AF_INET6 */
	__u8 prefixlen;
	__u8 _pad;
	__u8 addr[16];		/* network order; IPv4 in the first 4 bytes */
};

/** struct nr_iface - a network interface of one namespace, as seen while recording */
struct nr_iface {
	__u32 netns;		/* namespace inode */
	__u32 ifindex;
	char *name;
	__u32 type;		/* ARPHRD_* */
	__u32 flags;		/* IFF_* */
	__u32 mtu;
	__u32 link_ifindex;	/* peer / lower device, 0 if none */
	__u32 mac_len;
	__u8 mac[32];
	__u32 naddrs;
	struct nr_ifaddr *addrs;
	/* appended (meta): */
	__u32 link_netns;	/* namespace inode where link_ifindex lives, 0 if unknown */
	__u32 master_ifindex;	/* bridge / bond / VRF this device is enslaved to, 0 if none */
	char *kind;		/* rtnetlink link kind: "veth", "bridge", "vxlan", ..., or NULL */
};

/** struct nr_netns - a network namespace seen while recording */
struct nr_netns {
	__u32 inode;
	char *name;		/* name under /run/netns, or NULL */
};

/**
 * struct nr_file_info - facts about the file itself, filled by the reader
 * @clean_close:     the recorder closed the file (index and end block present)
 * @truncated_bytes: bytes at the end that do not form a whole block (cut off)
 * @trunc_msg:       what was cut off, or NULL
 * @nr_blocks:       valid blocks of any type read at open
 * @nr_unknown_blocks: blocks of types this version does not know, skipped
 * @nr_bad_blocks:   damaged index or end blocks (redundant: everything else still reads)
 * @meta_bytes:      metadata payload bytes
 */
struct nr_file_info {
	__u16 major;
	__u16 minor;
	bool foreign_endian;
	bool clean_close;
	bool has_index;
	__u32 nr_chunks;
	__u32 nr_bad_chunks;
	__u64 nr_events;
	__u64 first_ts;
	__u64 last_ts;
	__u64 file_bytes;
	__u64 chunk_bytes;	/* compressed event bytes, chunk headers included */
	__u64 raw_bytes;	/* uncompressed event bytes */
	__u64 truncated_bytes;
	char *trunc_msg;
	__u32 nr_blocks;
	__u32 nr_unknown_blocks;
	__u32 nr_bad_blocks;
	__u64 meta_bytes;
};

/**
 * struct nr_meta - everything a file says besides its events
 *
 * The reader loads all metadata blocks at open (they are small), so every lookup
 * works before the first event is read. Arrays sorted as documented per field.
 */
struct nr_meta {
	struct nr_file_info file;
	struct nr_host host;
	struct nr_clock clock_start;
	struct nr_clock clock_end;
	bool has_clock_end;
	__u32 argc;
	char **argv;		/* the recorder's command line */
	char *filter;		/* the filter expression, or NULL */
	__u32 nr_probes;
	struct nr_probe_outcome *probes;	/* sorted by id */
	__u32 nr_enums;
	struct nr_enum *enums;
	__u32 nr_syms;
	struct nr_sym *syms;			/* sorted by addr */
	__u32 nr_stacks;
	struct nr_stack *stacks;		/* sorted by id */
	__u32 nr_ifaces;
	struct nr_iface *ifaces;		/* sorted by (netns, ifindex) */
	__u32 nr_netns;
	struct nr_netns *netns;			/* sorted by inode */
};

/**
 * nr_meta__sym() - the symbol covering @addr
 * @ret_off: set to @addr - sym->addr when found
 * Return: the symbol, or NULL when no symbol covers @addr.
 */
const struct nr_sym *nr_meta__sym(const struct nr_meta *m, __u64 addr, __u64 *ret_off);

/**
 * nr_meta__enum_name() - the name of @value in the enum table @enum_name
 * Return: the kernel's name, or NULL when the table or the value is unknown.
 */
const char *nr_meta__enum_name(const struct nr_meta *m, const char *enum_name, __s64 value);

/** nr_meta__enum() - the enum table called @name, or NULL */
const struct nr_enum *nr_meta__enum(const struct nr_meta *m, const char *name);

/** nr_meta__stack() - the stack with @id, or NULL (also for id 0) */
const struct nr_stack *nr_meta__stack(const struct nr_meta *m, __u32 id);

/** nr_meta__iface() - the interface @ifindex of namespace @netns, or NULL */
const struct nr_iface *nr_meta__iface(const struct nr_meta *m, __u32 netns, __u32 ifindex);

/** nr_meta__probe() - the probe outcome with @id, or NULL */
const struct nr_probe_outcome *nr_meta__probe(const struct nr_meta *m, __u16 id);

/** nr_meta__netns() - the namespace with @inode, or NULL */
const struct nr_netns *nr_meta__netns(const struct nr_meta *m, __u32 inode);

/* ---- writer ---- */

struct nr_writer;

/**
 * nr_resolve_fn - symbolizer the writer calls for each new kernel address
 * Return: 0 and *ret filled (strings are copied by the writer), or -ENOENT.
 */
typedef int (*nr_resolve_fn)(void *ctx, __u64 addr, struct nr_sym *ret);

struct nr_writer_opts {
	size_t sz;			/* sizeof(struct nr_writer_opts) */
	__u32 chunk_bytes;		/* uncompressed bytes per chunk; 0: default */
	int compress_level;		/* zstd level; 0: default */
	__u32 mode;			/* file mode; 0: 0600 */
	bool async;			/* encode, compress and write on a background thread */
	nr_resolve_fn resolve;		/* symbolizer for addresses in records and stacks */
	void *resolve_ctx;
	size_t :0;
};
#define nr_writer_opts__last_field resolve_ctx

/**
 * nr_writer__open() - create a trace file and write its header
 *
 * The file is created (or truncated) with mode opts->mode.
 * Every address field of appended records (per the schema in format/) and every stack
 * frame is resolved once through opts->resolve, and the writer guarantees each chunk
 * is preceded in the file by the SYMBOLS and STACKS blocks it references, so every
 * complete chunk of a file cut short still decodes fully.
 */
int nr_writer__open(const char *path, const struct nr_writer_opts *opts,
		    struct nr_writer **ret);

/* Metadata blocks; each may be written more than once, a later one adds to or
 * (host, clock, cmdline) replaces an earlier one. */
int nr_writer__host(struct nr_writer *w, const struct nr_host *host);
int nr_writer__clock(struct nr_writer *w, const struct nr_clock *clk, bool at_end);
int nr_writer__cmdline(struct nr_writer *w, __u32 argc, char *const *argv, const char *filter);
int nr_writer__probes(struct nr_writer *w, const struct nr_probe_outcome *p, __u32 n);
int nr_writer__enum(struct nr_writer *w, const struct nr_enum *e);
int nr_writer__ifaces(struct nr_writer *w, const struct nr_netns *ns,
		      const struct nr_iface *ifs, __u32 n);

/**
 * nr_writer__stack() - intern a kernel stack
 * @ips:    return addresses, innermost first; @nr of them (1..NR_STACK_MAX)
 * @ret_id: the stack's id (> 0), the same for the same frames
 */
int nr_writer__stack(struct nr_writer *w, const __u64 *ips, __u32 nr, __u32 *ret_id);

/**
 * nr_writer__append() - add one event record to the open chunk
 *
 * The record is copied. Its size must be a multiple of 8, within the limits the reader
 * accepts, and consistent with its type (e.g. snap_len fits); otherwise -EINVAL and
 * nothing is written. A stack in the ring-buffer form (NR_RF_STACK_INLINE) is interned
 * and replaced by its id. Records should come in roughly increasing ts_ns; the chunk
 * is sorted by time when it is sealed.
 */
int nr_writer__append(struct nr_writer *w, const struct nr_rec_hdr *rec);

/**
 * nr_writer__flush() - seal the open chunk and write it out (waits for the I/O)
 *
 * A crash loses the open chunk (up to opts.chunk_bytes of records): a recorder calls
 * this periodically (e.g. every second) so that a quiet recording loses at most that
 * much time.
 */
int nr_writer__flush(struct nr_writer *w);

/**
 * nr_writer__seal() - seal the open chunk and hand it to the I/O side without waiting
 * for it (with opts.async; otherwise the same as nr_writer__flush()), so that a recorder
 * with few events still puts them into complete chunks every so often: a file cut short
 * then loses only what came since the last seal. Does nothing when no record is pending.
 * Return: 0, or the writer's first error.
 */
int nr_writer__seal(struct nr_writer *w);

struct nr_writer_stats {
	__u64 events;		/* records appended */
	__u64 chunks;		/* chunks written */
	__u64 raw_bytes;	/* records' bytes before encoding */
	__u64 file_bytes;	/* bytes in the file so far */
};

void nr_writer__stats(const struct nr_writer *w, struct nr_writer_stats *ret);

/**
 * nr_writer__close() - flush, write the index and the end block, close, free
 *
 * After an I/O error (e.g. -ENOSPC) the writer truncates the file back to its last
 * complete block, so what is on disk stays valid (not cleanly closed). NULL-safe.
 * A file-size limit (RLIMIT_FSIZE) comes back as -EFBIG only when the process ignores
 * SIGXFSZ (the library never changes signal dispositions; the recorder does).
 * Return: 0, or the first error the writer met.
 */
int nr_writer__close(struct nr_writer *w);

/* ---- reader ---- */

struct nr_reader;

struct nr_reader_opts {
	size_t sz;			/* sizeof(struct nr_reader_opts) */
	bool unordered;			/* events in file order instead of time order */
	bool skip_bad_chunks;		/* report a bad chunk once, then go on with the next
					 * (damaged metadata always refuses the file) */
	size_t :0;
};
#define nr_reader_opts__last_field skip_bad_chunks

/**
 * nr_reader__open() - open a trace file and load its metadata
 *
 * Reads the header and every metadata block (with the index when the file has one,
 * otherwise by scanning block headers), and validates them; never trusts a length,
 * offset or count. A file that was not closed cleanly opens, with
 * meta->file.clean_close false and what was cut off in meta->file.trunc_msg.
 */
int nr_reader__open(const char *path, const struct nr_reader_opts *opts,
		    struct nr_reader **ret, struct nr_error *reterr);

/** nr_reader__open_mem() - the same, on a buffer the caller keeps alive (fuzzing) */
int nr_reader__open_mem(const void *buf, size_t len, const struct nr_reader_opts *opts,
			struct nr_reader **ret, struct nr_error *reterr);

const struct nr_meta *nr_reader__meta(const struct nr_reader *r);

/**
 * nr_reader__next() - the next event record
 *
 * Records come in time order (unless opts->unordered), in native byte order, and are
 * validated: for a known type, hdr.size >= sizeof(its struct) (an older, shorter record
 * is zero-extended) and variable parts (snapshot, text) lie inside the record. The
 * pointer is valid until the next call.
 * Return: 1 record, 0 end of events, negative errno on a bad chunk (details in reterr).
 */
int nr_reader__next(struct nr_reader *r, const struct nr_rec_hdr **ret, struct nr_error *reterr);

struct nr_schema;

/**
 * nr_reader__schema() - the file's layout of record type @type (format/schema.h), or
 * NULL when the file has none; lets a consumer show the fields of record types newer
 * than itself by name
 */
const struct nr_schema *nr_reader__schema(const struct nr_reader *r, __u16 type);

/** nr_reader__free() - close and free; NULL-safe */
void nr_reader__free(struct nr_reader *r);

/** nr_rec_name() - "pkt", "sock", ... for a record type, or NULL if unknown */
const char *nr_rec_name(__u16 type);

#endif /* NR_FILE_H */
