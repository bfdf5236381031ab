/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * pcapng.h - a pcapng writer shared by the recorder (capture beside a recording) and the
 * analyzer (export of packet snapshots with per-packet comments)
 *
 * Our own implementation of draft-ietf-opsawg-pcapng (the "pcapng" format Wireshark,
 * tshark and libpcap read), with no libpcap dependency so that format/ stays usable on
 * machines without it. One section per file, written in the host's byte order (the
 * section header's byte-order magic tells readers which). Each block's length is
 * computed first and the block is written with one writev(), packet bytes included
 * without a copy, so a file cut short ends on a block boundary or inside the last
 * block only.
 *
 * Timestamps: an interface's resolution is if_tsresol; netrec always writes 9 (ns), so
 * a packet's timestamp is nanoseconds since the Unix epoch (CLOCK_REALTIME), which is
 * what Wireshark shows. See format/clockref.h for the mapping to the CLOCK_MONOTONIC
 * timestamps of trace events.
 *
 * Readers: Wireshark and tshark read everything written here. libpcap (1.10) reads a
 * file with several interfaces only when they all have the same link type and snaplen;
 * give every interface of a file the same two when it must open in tcpdump.
 *
 * Not thread-safe: one writer per thread, or the caller serialises.
 */
#ifndef NR_PCAPNG_H
#define NR_PCAPNG_H

#include <stddef.h>
#include <linux/types.h>

/* Block types (spec section 10.1, "Standardized Block Type Codes"). */
enum {
	NR_PCAPNG_BT_IDB	= 0x00000001,	/* Interface Description Block */
	NR_PCAPNG_BT_PB		= 0x00000002,	/* Packet Block (obsolete) */
	NR_PCAPNG_BT_SPB	= 0x00000003,	/* Simple Packet Block */
	NR_PCAPNG_BT_NRB	= 0x00000004,	/* Name Resolution Block */
	NR_PCAPNG_BT_ISB	= 0x00000005,	/* Interface Statistics Block */
	NR_PCAPNG_BT_EPB	= 0x00000006,	/* Enhanced Packet Block */
	NR_PCAPNG_BT_DSB	= 0x0000000A,	/* Decryption Secrets Block */
	NR_PCAPNG_BT_CB_COPY	= 0x00000BAD,	/* Custom Block, may be copied */
	NR_PCAPNG_BT_CB_NOCOPY	= 0x40000BAD,	/* Custom Block, must not be copied */
	NR_PCAPNG_BT_SHB	= 0x0A0D0D0A,	/* Section Header Block ("\n\r\r\n") */
};

#define NR_PCAPNG_BYTE_ORDER_MAGIC	0x1A2B3C4Du
#define NR_PCAPNG_VERSION_MAJOR		1
#define NR_PCAPNG_VERSION_MINOR		0
#define NR_PCAPNG_SECTION_LEN_UNKNOWN	0xFFFFFFFFFFFFFFFFull

/* Options valid in every block (section 3.5) */
enum {
	NR_PCAPNG_OPT_ENDOFOPT		= 0,
	NR_PCAPNG_OPT_COMMENT		= 1,
	NR_PCAPNG_OPT_CUSTOM_STR	= 2988,		/* UTF-8 after the PEN, copyable */
	NR_PCAPNG_OPT_CUSTOM_BIN	= 2989,		/* octets after the PEN, copyable */
	NR_PCAPNG_OPT_CUSTOM_STR_NOCOPY	= 19372,
	NR_PCAPNG_OPT_CUSTOM_BIN_NOCOPY	= 19373,
};

/* Section Header Block options (section 4.1) */
enum {
	NR_PCAPNG_SHB_HARDWARE	= 2,
	NR_PCAPNG_SHB_OS	= 3,
	NR_PCAPNG_SHB_USERAPPL	= 4,
};

/* Interface Description Block options (section 4.2) */
enum {
	NR_PCAPNG_IF_NAME	= 2,
	NR_PCAPNG_IF_DESCRIPTION = 3,
	NR_PCAPNG_IF_IPV4ADDR	= 4,
	NR_PCAPNG_IF_IPV6ADDR	= 5,
	NR_PCAPNG_IF_MACADDR	= 6,
	NR_PCAPNG_IF_EUIADDR	= 7,
	NR_PCAPNG_IF_SPEED	= 8,
	NR_PCAPNG_IF_TSRESOL	= 9,
	NR_PCAPNG_IF_TZONE	= 10,
	NR_PCAPNG_IF_FILTER	= 11,
	NR_PCAPNG_IF_OS		= 12,
	NR_PCAPNG_IF_FCSLEN	= 13,
	NR_PCAPNG_IF_TSOFFSET	= 14,
	NR_PCAPNG_IF_HARDWARE	= 15,
};

/* Enhanced Packet Block options (section 4.3) */
enum {
	NR_PCAPNG_EPB_FLAGS	= 2,
	NR_PCAPNG_EPB_HASH	= 3,
	NR_PCAPNG_EPB_DROPCOUNT	= 4,
	NR_PCAPNG_EPB_PACKETID	= 5,
	NR_PCAPNG_EPB_QUEUE	= 6,
	NR_PCAPNG_EPB_VERDICT	= 7,
};

/* epb_flags word (section 4.3.1): bits 0-1 direction, bits 2-4 reception type */
enum {
	NR_PCAPNG_EPB_DIR_UNKNOWN	= 0,
	NR_PCAPNG_EPB_DIR_INBOUND	= 1,
	NR_PCAPNG_EPB_DIR_OUTBOUND	= 2,
	NR_PCAPNG_EPB_RX_UNICAST	= 1 << 2,
	NR_PCAPNG_EPB_RX_MULTICAST	= 2 << 2,
	NR_PCAPNG_EPB_RX_BROADCAST	= 3 << 2,
	NR_PCAPNG_EPB_RX_PROMISC	= 4 << 2,
};

/* Interface Statistics Block options (section 4.6) */
enum {
	NR_PCAPNG_ISB_STARTTIME		= 2,
	NR_PCAPNG_ISB_ENDTIME		= 3,
	NR_PCAPNG_ISB_IFRECV		= 4,
	NR_PCAPNG_ISB_IFDROP		= 5,
	NR_PCAPNG_ISB_FILTERACCEPT	= 6,
	NR_PCAPNG_ISB_OSDROP		= 7,
	NR_PCAPNG_ISB_USRDELIV		= 8,
};

/* Link types netrec writes (tcpdump.org link-layer header types registry) */
enum {
	NR_LINKTYPE_NULL	= 0,	/* BSD loopback */
	NR_LINKTYPE_ETHERNET	= 1,
	NR_LINKTYPE_RAW		= 101,	/* raw IPv4 or IPv6, version nibble tells */
	NR_LINKTYPE_LINUX_SLL	= 113,	/* Linux "cooked" v1 (16-byte header) */
	NR_LINKTYPE_IPV4	= 228,
	NR_LINKTYPE_IPV6	= 229,
	NR_LINKTYPE_LINUX_SLL2	= 276,	/* Linux "cooked" v2 (20 bytes, has ifindex) */
};

#define NR_PCAPNG_TSRESOL_NS	9	/* if_tsresol: 10^-9 s */
#define NR_PCAPNG_OPT_MAX	0xffff	/* an option value's largest length */

struct nr_pcapng;

/**
 * struct nr_pcapng_opts - the section header's descriptive options
 * @sz:       sizeof(struct nr_pcapng_opts)
 * @hardware: shb_hardware, e.g. "x86_64", or NULL
 * @os:       shb_os, e.g. "Linux 6.18.44", or NULL
 * @userappl: shb_userappl, e.g. "netrec 0.1.0", or NULL
 * @comment:  an opt_comment for the whole file (may hold several lines), or NULL
 * @mode:     mode of a file nr_pcapng__open() creates; 0: 0600 (packets may be private)
 */
struct nr_pcapng_opts {
	size_t sz;
	const char *hardware;
	const char *os;
	const char *userappl;
	const char *comment;
	__u32 mode;
	size_t :0;
};
#define nr_pcapng_opts__last_field mode

/**
 * struct nr_pcapng_iface - one Interface Description Block
 * @linktype:    NR_LINKTYPE_*; every packet of the interface starts with that header
 * @snaplen:     largest captured length of a packet, 0 for no limit
 * @name:        if_name (e.g. "eth0"), or NULL
 * @description: if_description (e.g. "veth0 in netns 4026532301"), or NULL
 * @filter:      if_filter, the capture filter as libpcap text, or NULL
 * @os:          if_os, or NULL
 * @comment:     opt_comment, or NULL
 * @mac:         if_MACaddr (6 bytes), or NULL
 *
 * Timestamps are always nanoseconds (if_tsresol 9).
 */
struct nr_pcapng_iface {
	__u16 linktype;
	__u32 snaplen;
	const char *name;
	const char *description;
	const char *filter;
	const char *os;
	const char *comment;
	const __u8 *mac;
};

/**
 * struct nr_pcapng_opt - a raw option for nr_pcapng_pkt.opts (custom options, epb_hash...)
 * @code: option code; for custom options (2988/2989/19372/19373) @data starts with the
 *        4-byte Private Enterprise Number in host byte order
 * @len:  bytes of @data (padding is added by the writer)
 */
struct nr_pcapng_opt {
	__u16 code;
	__u16 len;
	const void *data;
};

/**
 * struct nr_pcapng_pkt - one Enhanced Packet Block
 * @iface:     interface id from nr_pcapng__add_iface()
 * @flags:     epb_flags (NR_PCAPNG_EPB_*), 0 to leave it out
 * @ts_ns:     nanoseconds since the Unix epoch
 * @data:      the captured bytes, starting with the interface's link-layer header
 * @caplen:    bytes at @data
 * @len:       the packet's length on the wire (>= @caplen)
 * @comments:  @ncomments opt_comment strings (each up to 65535 bytes), or NULL
 * @opts:      @nopts further options, or NULL
 */
struct nr_pcapng_pkt {
	__u32 iface;
	__u32 flags;
	__u64 ts_ns;
	const void *data;
	__u32 caplen;
	__u32 len;
	const char *const *comments;
	__u32 ncomments;
	__u32 nopts;
	const struct nr_pcapng_opt *opts;
};

/* struct nr_pcapng_ifstats.present bits: which counters the block carries */
#define NR_PCAPNG_ST_START	(1u << 0)
#define NR_PCAPNG_ST_END	(1u << 1)
#define NR_PCAPNG_ST_IFRECV	(1u << 2)
#define NR_PCAPNG_ST_IFDROP	(1u << 3)
#define NR_PCAPNG_ST_ACCEPT	(1u << 4)
#define NR_PCAPNG_ST_OSDROP	(1u << 5)
#define NR_PCAPNG_ST_USRDELIV	(1u << 6)

/**
 * struct nr_pcapng_ifstats - one Interface Statistics Block
 * @iface:    interface id
 * @present:  NR_PCAPNG_ST_* bits of the counters to write
 * @ts_ns:    when the counters were read, ns since the Unix epoch
 * @start_ns: isb_starttime, @end_ns: isb_endtime
 * @ifrecv:   packets the interface received (libpcap ps_recv)
 * @ifdrop:   packets the interface dropped (ps_ifdrop)
 * @osdrop:   packets the OS dropped for lack of buffer space (ps_drop)
 * @accept:   packets the filter accepted; @usrdeliv: packets delivered to the writer
 */
struct nr_pcapng_ifstats {
	__u32 iface;
	__u32 present;
	__u64 ts_ns;
	__u64 start_ns;
	__u64 end_ns;
	__u64 ifrecv;
	__u64 ifdrop;
	__u64 osdrop;
	__u64 accept;
	__u64 usrdeliv;
};

/**
 * nr_pcapng__open() - create (or truncate) @path and write the section header
 * @opts: may be NULL
 * Return: 0 and *@ret set, or a negative errno.
 */
int nr_pcapng__open(const char *path, const struct nr_pcapng_opts *opts, struct nr_pcapng **ret);

/**
 * nr_pcapng__fdopen() - write a pcapng stream to @fd (a file, a pipe, stdout)
 *
 * The writer owns @fd from then on and closes it in nr_pcapng__close(), also when this
 * function fails. @opts->mode is ignored.
 * Return: 0 and *@ret set, or a negative errno.
 */
int nr_pcapng__fdopen(int fd, const struct nr_pcapng_opts *opts, struct nr_pcapng **ret);

/**
 * nr_pcapng__add_iface() - write an Interface Description Block
 * @ret_id: the interface id packets refer to (0, 1, 2, ... in the order added)
 * Return: 0, -EINVAL for an option longer than 65535 bytes, or an I/O error.
 */
int nr_pcapng__add_iface(struct nr_pcapng *w, const struct nr_pcapng_iface *ifc, __u32 *ret_id);

/**
 * nr_pcapng__packet() - write one Enhanced Packet Block
 *
 * The packet bytes are written straight from @p->data (no copy). Comments are written
 * as opt_comment options in the order given; bytes that are not valid UTF-8 are
 * replaced by '?' (the spec requires valid UTF-8 from writers).
 * Return: 0; -EINVAL for an unknown interface, caplen > len, caplen above the
 * interface's snaplen or an oversized option; or an I/O error (also from then on).
 */
int nr_pcapng__packet(struct nr_pcapng *w, const struct nr_pcapng_pkt *p);

/**
 * nr_pcapng__ifstats() - write an Interface Statistics Block
 * Return: 0, -EINVAL for an unknown interface, or an I/O error.
 */
int nr_pcapng__ifstats(struct nr_pcapng *w, const struct nr_pcapng_ifstats *s);

struct nr_pcapng_stats {
	__u64 packets;		/* Enhanced Packet Blocks written */
	__u64 bytes;		/* bytes written to the file so far */
	__u32 ifaces;		/* Interface Description Blocks written */
};

/** nr_pcapng__stats() - what the writer has written so far */
void nr_pcapng__stats(const struct nr_pcapng *w, struct nr_pcapng_stats *ret);

/**
 * nr_pcapng__close() - close the file and free the writer; NULL-safe
 * Return: 0, or the first error the writer met (then the file ends after the last
 * complete block that was written).
 */
int nr_pcapng__close(struct nr_pcapng *w);

#endif /* NR_PCAPNG_H */
