// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * reader.c - the .nr reader
 *
 * Open reads the file header and every metadata block: through the index when the file
 * ends with a valid END block and INDEX, else by walking the blocks from the header on,
 * checking each one's checksum (so a file cut short or damaged still opens, and says
 * what was cut off). Events are then decoded chunk by chunk: chunks whose time ranges
 * overlap are merged so records come in time order, holding only the overlapping chunks
 * in memory.
 *
 * Nothing from the file is trusted: every offset and length is checked against the
 * file size and the limits in nr_limits.h before it is used, counts are checked against
 * the bytes that would have to hold them before anything is allocated, and reads tell
 * apart "all there", "nothing more" (a clean end) and "cut off".
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zstd.h>

#include "chunk.h"
#include "internal.h"
#include "meta.h"
#include "nr_file.h"

struct rchunk {
	__u64 off;		/* block header offset */
	__u64 size;		/* payload bytes */
	__u64 first_ts, last_ts, raw_bytes;
	__u32 nr_events, flags;
	__u32 num;		/* chunk number in file order, from 0 */
	bool from_index;	/* header fields still to be checked against the block */
	char *bad;		/* known bad at open: why */
};

struct active {
	struct nr_chunk_out out;	/* out.recs is buf */
	__u8 *buf;
	size_t cap;
	__u32 *order;		/* record offsets in time order, for unordered chunks */
	__u32 i;		/* current record */
	size_t pos;		/* its offset in out.recs */
	__u64 ts;
	__u32 num;
};

enum { READ_OK = 1, READ_EOF = 0, READ_SHORT = -1 };

struct nr_reader {
	const __u8 *mem;
	int fd;
	__u64 size;
	struct nr_reader_opts opts;
	bool swap;
	struct nr_meta meta;
	struct nr_meta_store ms;
	struct nr_dec_type *types;	/* NR_TYPES_MAX */
	struct rchunk *chunks;
	__u32 nchunks, capchunks;
	__u32 *order;			/* chunk indices in loading order */
	__u32 next_load;
	struct active **heap;
	__u32 nheap;
	bool cur_out;			/* heap[0]'s record was handed out */
	size_t active_bytes;
	int sticky;
	struct nr_error sticky_err;
	ZSTD_DCtx *dctx;
	struct nr_chunk_dec cd;
	struct nr_buf rbuf;		/* bytes read from the file */
	struct nr_buf ebuf;		/* a chunk's encoded bytes */
	struct active *pool[4];		/* finished chunks, buffers kept for the next ones */
	__u32 npool;
	__u64 meta_bytes;
	__u64 resync_budget;		/* payload bytes resync() may still checksum */
	__u64 damaged_off;		/* a damaged INDEX or END block, 0 if none */
	__u16 damaged_type;
	char msg[NR_ERRMSG_LEN];
};

static int fail(struct nr_error *e, int err, __u64 off, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int fail(struct nr_error *e, int err, __u64 off, const char *fmt, ...)
{
	va_list ap;

	if (e) {
		e->err = err;
		e->offset = off;
		va_start(ap, fmt);
		vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
		va_end(ap);
	}
	return err;
}

const char *nr_rec_name(__u16 type)
{
	switch (type) {
	case NR_REC_PKT:	return "pkt";
	case NR_REC_SOCK:	return "sock";
	case NR_REC_FIB:	return "fib";
	case NR_REC_NEIGH:	return "neigh";
	case NR_REC_FUNC:	return "func";
	case NR_REC_COUNTER:	return "counter";
	case NR_REC_CTL:	return "ctl";
	}
	return NULL;
}

/*
 * Bytes [off, off + len) of the file. Return: READ_OK and *p (valid until the next
 * read), READ_EOF when off is the end of the file, READ_SHORT when the file ends
 * inside the range, or a negative errno.
 */
static int src_read(struct nr_reader *r, __u64 off, size_t len, const __u8 **p)
{
	size_t got = 0;

	if (off > r->size)
		return READ_SHORT;
	if (off == r->size && len)
		return READ_EOF;
	if (len > r->size - off)
		return READ_SHORT;
	if (r->mem) {
		*p = r->mem + off;
		return READ_OK;
	}
	r->rbuf.len = 0;
	if (nr_buf_reserve(&r->rbuf, len ? len : 1))
		return -ENOMEM;
	while (got < len) {
		ssize_t n = pread(r->fd, r->rbuf.p + got, len - got, (off_t)(off + got));

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (n == 0)
			return READ_SHORT;	/* the file shrank under us */
		got += (size_t)n;
	}
	*p = r->rbuf.p;
	return READ_OK;
}

struct blkhdr {
	__u16 type, flags;
	__u32 crc;
	__u64 size;
};

static void parse_blkhdr(const struct nr_reader *r, const __u8 *p, struct blkhdr *h)
{
	h->type = nr_sw16(nr_ld16(p), r->swap);
	h->flags = nr_sw16(nr_ld16(p + 2), r->swap);
	h->crc = nr_sw32(nr_ld32(p + 4), r->swap);
	h->size = nr_sw64(nr_ld64(p + 8), r->swap);
}

static bool blk_known(__u16 type)
{
	return nr_blk_name(type) != NULL;
}

static __u64 blk_limit(__u16 type)
{
	return type == NR_BLK_CHUNK || !blk_known(type) ? NR_CHUNK_BLOCK_MAX :
	       type == NR_BLK_INDEX ? 64ull * NR_CHUNKS_MAX : NR_META_BLOCK_MAX;
}

static const char *blk_label(__u16 type, char *buf, size_t len)
{
	const char *n = nr_blk_name(type);

	if (n)
		return n;
	snprintf(buf, len, "type %u", type);
	return buf;
}

/*
 * The fuzz target is built with FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION: checksums
 * then always match, or nearly every mutation would stop at them and the fuzzer would
 * never reach the parsers behind (as libpng and OpenSSL do).
 */
#ifdef FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
#define CRC_MATCHES(a, b) ((void)(a), (void)(b), true)
#else
#define CRC_MATCHES(a, b) ((a) == (b))
#endif

/* checksum of a block whose header @hp and payload @pp were read */
static bool blk_crc_ok(const __u8 *hp, const __u8 *pp, const struct blkhdr *h)
{
	__u32 crc = nr_crc32c(0, hp, 4);

	crc = nr_crc32c(crc, hp + 8, 8);
	crc = nr_crc32c(crc, pp, h->size);
	return CRC_MATCHES(crc, h->crc);
}

/*
 * Read and check the whole block at @off. Return: READ_OK with *h and *payload set,
 * READ_EOF / READ_SHORT as src_read, -EBADMSG (checksum or size) or -errno.
 */
static int read_block(struct nr_reader *r, __u64 off, struct blkhdr *h, const __u8 **payload)
{
	__u8 hb[NR_BLK_HDR_SIZE];
	const __u8 *p;
	int ret;

	ret = src_read(r, off, NR_BLK_HDR_SIZE, &p);
	if (ret != READ_OK)
		return ret;
	memcpy(hb, p, sizeof(hb));
	parse_blkhdr(r, hb, h);
	if (h->size > blk_limit(h->type))
		return -EOVERFLOW;
	ret = src_read(r, off + NR_BLK_HDR_SIZE, h->size, &p);
	if (ret != READ_OK)
		return ret == READ_EOF ? READ_SHORT : ret;
	if (!blk_crc_ok(hb, p, h))
		return -EBADMSG;
	*payload = p;
	return READ_OK;
}

/* ---- chunk header ---- */

struct chunk_hdr {
	__u32 version, hdr_size, flags, seq, nr_events, encoding, enc_bytes, nr_streams;
	__u64 first_ts, last_ts, raw_bytes;
	size_t data_off;
};

static int parse_chunk_hdr(const struct nr_reader *r, const __u8 *p, size_t len,
			   struct chunk_hdr *c, char *msg, size_t msglen)
{
	struct nr_cur cur = nr_cur_init(p, len, r->swap);
	__u64 raw_sum = 0, stored_sum = 0;
	__u32 i;

#define CBAD(...) do { snprintf(msg, msglen, __VA_ARGS__); return -EBADMSG; } while (0)
	c->version = nr_cur_u32(&cur);
	c->hdr_size = nr_cur_u32(&cur);
	c->flags = nr_cur_u32(&cur);
	c->seq = nr_cur_u32(&cur);
	c->nr_events = nr_cur_u32(&cur);
	c->encoding = nr_cur_u32(&cur);
	c->first_ts = nr_cur_u64(&cur);
	c->last_ts = nr_cur_u64(&cur);
	c->raw_bytes = nr_cur_u64(&cur);
	c->enc_bytes = nr_cur_u32(&cur);
	c->nr_streams = nr_cur_u32(&cur);
	if (cur.bad)
		CBAD("chunk header truncated");
	if (c->version == 0)
		CBAD("chunk version 0");
	if (c->hdr_size < NR_CHUNK_HDR_SIZE || c->hdr_size % 4 || c->hdr_size > len)
		CBAD("chunk header size %u invalid", c->hdr_size);
	if (c->encoding != NR_CHUNK_ENCODING_COLUMNS)
		CBAD("unsupported chunk encoding %u", c->encoding);
	if (c->nr_events > NR_CHUNK_EVENTS_MAX)
		CBAD("%u events exceed the limit of %u", c->nr_events, NR_CHUNK_EVENTS_MAX);
	if (c->raw_bytes > NR_CHUNK_RAW_MAX)
		CBAD("%llu record bytes exceed the limit of %u",
		     (unsigned long long)c->raw_bytes, NR_CHUNK_RAW_MAX);
	if (c->raw_bytes < 16ull * c->nr_events)
		CBAD("%u events cannot fit in %llu bytes", c->nr_events,
		     (unsigned long long)c->raw_bytes);
	if (c->enc_bytes > NR_CHUNK_ENC_MAX)
		CBAD("%u encoded bytes exceed the limit of %u", c->enc_bytes, NR_CHUNK_ENC_MAX);
	if (c->nr_events && c->first_ts > c->last_ts)
		CBAD("time range ends before it starts");
	if (c->nr_streams > NR_CHUNK_STREAMS_MAX ||
	    (size_t)c->nr_streams * NR_STREAM_ENT_SIZE > len - c->hdr_size)
		CBAD("%u streams do not fit", c->nr_streams);
	cur.pos = c->hdr_size;
	for (i = 0; i < c->nr_streams; i++) {
		__u32 codec = nr_cur_u32(&cur), raw = nr_cur_u32(&cur), stored = nr_cur_u32(&cur);

		nr_cur_u32(&cur);
		if (codec != NR_STREAM_RAW && codec != NR_STREAM_ZSTD)
			CBAD("stream %u: unknown codec %u", i, codec);
		if (codec == NR_STREAM_RAW && raw != stored)
			CBAD("stream %u: stored %u bytes for %u", i, stored, raw);
		raw_sum += raw;
		stored_sum += stored;
	}
	c->data_off = cur.pos;
	if (raw_sum != c->enc_bytes)
		CBAD("streams hold %llu bytes, header says %u", (unsigned long long)raw_sum,
		     c->enc_bytes);
	if (stored_sum != len - c->data_off)
		CBAD("streams take %llu bytes, block has %zu", (unsigned long long)stored_sum,
		     len - c->data_off);
	return 0;
#undef CBAD
}

static int add_chunk(struct nr_reader *r, struct rchunk *c)
{
	if (r->nchunks >= NR_CHUNKS_MAX)
		return -EOVERFLOW;
	if (r->nchunks == r->capchunks) {
		__u32 cap = r->capchunks ? r->capchunks * 2 : 64;
		struct rchunk *n = realloc(r->chunks, sizeof(*n) * cap);

		if (!n)
			return -ENOMEM;
		r->chunks = n;
		r->capchunks = cap;
	}
	c->num = r->nchunks;
	r->chunks[r->nchunks++] = *c;
	return 0;
}

/* ---- open: metadata ---- */

static int load_meta(struct nr_reader *r, __u64 off, const struct blkhdr *h, const __u8 *p,
		     struct nr_error *reterr)
{
	int err;

	r->meta_bytes += h->size;
	if (r->meta_bytes > NR_META_TOTAL_MAX)
		return fail(reterr, -EOVERFLOW, off, "metadata exceeds %llu bytes",
			    (unsigned long long)NR_META_TOTAL_MAX);
	r->msg[0] = 0;
	err = nr_meta_load(&r->ms, &r->meta, h->type, p, h->size, r->swap, r->msg,
			   sizeof(r->msg));
	if (err == -ENOMEM)
		return fail(reterr, err, off, "out of memory");
	if (err)
		return fail(reterr, err, off, "%s block at offset %llu: %s", nr_blk_name(h->type),
			    (unsigned long long)off, r->msg);
	return 0;
}

static int note_trunc(struct nr_reader *r, __u64 bytes, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int note_trunc(struct nr_reader *r, __u64 bytes, const char *fmt, ...)
{
	char buf[NR_ERRMSG_LEN];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	r->meta.file.truncated_bytes = bytes;
	r->meta.file.trunc_msg = nr_arena_strndup(&r->ms.arena, buf, strlen(buf));
	return r->meta.file.trunc_msg ? 0 : -ENOMEM;
}

/* is there a whole, valid block at @off? */
static bool valid_block_at(struct nr_reader *r, __u64 off)
{
	struct blkhdr h;
	const __u8 *p;

	if (off == r->size)
		return true;
	return read_block(r, off, &h, &p) == READ_OK && h.size <= blk_limit(h.type);
}

/*
 * After a damaged block at @off: the next offset where a valid block starts (whole,
 * known type, checksum matching), or the end of the file. @claimed_next, where the
 * damaged block says the next one is, is tried first.
 */
static __u64 resync(struct nr_reader *r, __u64 off, __u64 claimed_next)
{
	__u8 win[65536];
	__u64 q, wstart = 0, wend = 0;

	if (claimed_next > off && claimed_next <= r->size && valid_block_at(r, claimed_next))
		return claimed_next;
	for (q = off + 8; q + NR_BLK_HDR_SIZE <= r->size; q += 8) {
		const __u8 *p;
		struct blkhdr h;

		if (q + NR_BLK_HDR_SIZE > wend) {
			size_t n = r->size - q < sizeof(win) ? (size_t)(r->size - q) : sizeof(win);

			if (src_read(r, q, n, &p) != READ_OK)
				break;
			memcpy(win, p, n);
			wstart = q;
			wend = q + n;
		}
		parse_blkhdr(r, win + (q - wstart), &h);
		if (!blk_known(h.type) || h.size > blk_limit(h.type) ||
		    h.size > r->size - q - NR_BLK_HDR_SIZE)
			continue;
		/* a file crafted full of plausible headers must not make this quadratic */
		if (h.size > r->resync_budget)
			return r->size;
		r->resync_budget -= h.size;
		if (valid_block_at(r, q))
			return q;
	}
	return r->size;
}

static int bad_chunk_at(struct nr_reader *r, __u64 off, __u64 size, const char *why)
{
	struct rchunk c;
	char buf[NR_ERRMSG_LEN];

	memset(&c, 0, sizeof(c));
	c.off = off;
	c.size = size;
	snprintf(buf, sizeof(buf), "chunk %u at offset %llu: %.100s", r->nchunks,
		 (unsigned long long)off, why);
	c.bad = nr_arena_strndup(&r->ms.arena, buf, strlen(buf));
	if (!c.bad)
		return -ENOMEM;
	r->meta.file.nr_bad_chunks++;
	return add_chunk(r, &c);
}

static int scan(struct nr_reader *r, __u64 pos, struct nr_error *reterr)
{
	__u64 nblocks = 0;
	char lb[32];
	int err;

	for (;;) {
		struct blkhdr h;
		const __u8 *p;
		__u64 next;
		int ret;

		if (++nblocks > NR_BLOCKS_MAX)
			return fail(reterr, -EOVERFLOW, pos, "more than %u blocks", NR_BLOCKS_MAX);
		ret = src_read(r, pos, NR_BLK_HDR_SIZE, &p);
		if (ret == READ_EOF)
			return 0;
		if (ret == READ_SHORT)
			return note_trunc(r, r->size - pos,
					  "file ends %llu bytes into a block header at offset %llu",
					  (unsigned long long)(r->size - pos),
					  (unsigned long long)pos);
		if (ret < 0)
			return fail(reterr, ret, pos, "read failed: %s", strerror(-ret));
		parse_blkhdr(r, p, &h);
		next = pos + NR_BLK_HDR_SIZE + nr_align8(h.size);

		if (h.size > blk_limit(h.type) || h.size > r->size - pos - NR_BLK_HDR_SIZE) {
			/*
			 * Past its limit, or past the end of the file: the file was cut off
			 * here, unless a valid block follows, in which case this block's
			 * header is damaged and its size cannot be believed.
			 */
			__u64 q = resync(r, pos, 0);

			if (q == r->size && h.size <= blk_limit(h.type))
				return note_trunc(r, r->size - pos,
						  "file ends inside the %s block at offset %llu: "
						  "%llu of %llu bytes present",
						  blk_label(h.type, lb, sizeof(lb)),
						  (unsigned long long)pos,
						  (unsigned long long)(r->size - pos - NR_BLK_HDR_SIZE),
						  (unsigned long long)h.size);
			if (h.type == NR_BLK_CHUNK || !blk_known(h.type)) {
				err = bad_chunk_at(r, pos, 0, "block header damaged");
				if (err)
					return fail(reterr, err, pos, "out of memory");
				pos = q;
				continue;
			}
			if (h.size > blk_limit(h.type))
				return fail(reterr, -EBADMSG, pos, "%s block at offset %llu: size "
					    "%llu exceeds the limit", blk_label(h.type, lb, sizeof(lb)),
					    (unsigned long long)pos, (unsigned long long)h.size);
			return fail(reterr, -EBADMSG, pos, "%s block at offset %llu: size %llu runs "
				    "past the end of the file", blk_label(h.type, lb, sizeof(lb)),
				    (unsigned long long)pos, (unsigned long long)h.size);
		}
		ret = read_block(r, pos, &h, &p);
		if (ret < 0 && ret != -EBADMSG)
			return fail(reterr, ret, pos, "read failed: %s", strerror(-ret));
		if (ret == -EBADMSG) {
			if (h.type == NR_BLK_INDEX || h.type == NR_BLK_END) {
				/* redundant: the blocks are still read, the file is not
				 * reported as closed cleanly */
				if (!r->damaged_off) {
					r->damaged_off = pos;
					r->damaged_type = h.type;
				}
				r->meta.file.nr_bad_blocks++;
				pos = resync(r, pos, next);
				continue;
			}
			if (h.type == NR_BLK_CHUNK) {
				err = bad_chunk_at(r, pos, h.size, "checksum mismatch");
				if (err)
					return fail(reterr, err, pos, "out of memory");
				pos = resync(r, pos, next);
				continue;
			}
			/* metadata, or a block of unknown type: nothing can say what the
			 * damage took, so the file is refused */
			return fail(reterr, -EBADMSG, pos, "%s block at offset %llu: checksum mismatch",
				    blk_label(h.type, lb, sizeof(lb)), (unsigned long long)pos);
		}
		r->meta.file.nr_blocks++;

		switch (h.type) {
		case NR_BLK_CHUNK: {
			struct chunk_hdr ch;
			struct rchunk c;

			if (parse_chunk_hdr(r, p, h.size, &ch, r->msg, sizeof(r->msg))) {
				err = bad_chunk_at(r, pos, h.size, r->msg);
				if (err)
					return fail(reterr, err, pos, "out of memory");
				break;
			}
			memset(&c, 0, sizeof(c));
			c.off = pos;
			c.size = h.size;
			c.first_ts = ch.first_ts;
			c.last_ts = ch.last_ts;
			c.raw_bytes = ch.raw_bytes;
			c.nr_events = ch.nr_events;
			c.flags = ch.flags;
			err = add_chunk(r, &c);
			if (err)
				return fail(reterr, err, pos, "too many chunks");
			break;
		}
		case NR_BLK_INDEX:
			break;
		case NR_BLK_END:
			if (next >= r->size && !r->damaged_off)
				r->meta.file.clean_close = true;
			break;
		default:
			if (!blk_known(h.type)) {
				if (h.flags & NR_BLKF_REQUIRED)
					return fail(reterr, -EPROTONOSUPPORT, pos,
						    "block type %u at offset %llu is required but "
						    "not known to this version", h.type,
						    (unsigned long long)pos);
				r->meta.file.nr_unknown_blocks++;
				break;
			}
			err = load_meta(r, pos, &h, p, reterr);
			if (err)
				return err;
			break;
		}
		pos = next;
		if (pos > r->size)
			pos = r->size;	/* the padding of the last block is cut: nothing lost */
	}
}

/* ---- open: through the index ---- */

static int use_index_payload(struct nr_reader *r, __u64 hdr_size, __u64 index_off,
			     const __u8 *idx, size_t idx_len, __u64 nr_events, __u64 nr_chunks,
			     struct nr_error *reterr);

static int use_index(struct nr_reader *r, __u64 hdr_size, struct nr_error *reterr)
{
	struct blkhdr h;
	const __u8 *p;
	struct nr_cur c;
	__u64 end_off, index_off, nr_events, nr_chunks;
	__u8 *idx;
	int err;

	if (r->size < hdr_size + 2 * NR_BLK_HDR_SIZE + NR_END_PAYLOAD_SIZE)
		return 1;
	end_off = r->size - NR_BLK_HDR_SIZE - NR_END_PAYLOAD_SIZE;
	if (read_block(r, end_off, &h, &p) != READ_OK || h.type != NR_BLK_END ||
	    h.size != NR_END_PAYLOAD_SIZE)
		return 1;
	c = nr_cur_init(p, h.size, r->swap);
	nr_cur_u32(&c);
	nr_cur_u32(&c);
	index_off = nr_cur_u64(&c);
	nr_events = nr_cur_u64(&c);
	nr_chunks = nr_cur_u64(&c);
	if (index_off < hdr_size || index_off >= end_off || index_off % 8)
		return 1;
	if (read_block(r, index_off, &h, &p) != READ_OK || h.type != NR_BLK_INDEX ||
	    index_off + NR_BLK_HDR_SIZE + nr_align8(h.size) != end_off)
		return 1;
	/* the metadata reads below reuse the read buffer: keep a copy of the index */
	idx = malloc(h.size ? h.size : 1);
	if (!idx)
		return -ENOMEM;
	memcpy(idx, p, h.size);
	err = use_index_payload(r, hdr_size, index_off, idx, h.size, nr_events, nr_chunks,
				reterr);
	free(idx);
	return err;
}

static int use_index_payload(struct nr_reader *r, __u64 hdr_size, __u64 index_off,
			     const __u8 *idx, size_t idx_len, __u64 nr_events, __u64 nr_chunks,
			     struct nr_error *reterr)
{
	struct blkhdr h;
	const __u8 *p;
	struct nr_cur c;
	__u64 sum = 0, prev = hdr_size;
	__u32 ce, me, nc, nm, i;
	struct rchunk *tmp;
	int err;

	c = nr_cur_init(idx, idx_len, r->swap);
	nr_cur_u32(&c);
	ce = nr_cur_u32(&c);
	me = nr_cur_u32(&c);
	nc = nr_cur_u32(&c);
	nm = nr_cur_u32(&c);
	nr_cur_u32(&c);
	if (c.bad || ce < NR_INDEX_CHUNK_ENT || me < NR_INDEX_META_ENT || nc != nr_chunks ||
	    nc > NR_CHUNKS_MAX || nm > NR_BLOCKS_MAX ||
	    (__u64)nc * ce + (__u64)nm * me != nr_cur_left(&c))
		return 1;
	tmp = calloc(nc ? nc : 1, sizeof(*tmp));
	if (!tmp)
		return -ENOMEM;
	for (i = 0; i < nc; i++) {
		struct nr_cur e = nr_cur_sub(&c, ce);
		struct rchunk *x = &tmp[i];

		x->off = nr_cur_u64(&e);
		x->first_ts = nr_cur_u64(&e);
		x->last_ts = nr_cur_u64(&e);
		x->raw_bytes = nr_cur_u64(&e);
		x->nr_events = nr_cur_u32(&e);
		x->flags = nr_cur_u32(&e);
		x->size = nr_cur_u64(&e);
		x->from_index = true;
		sum += x->nr_events;
		if (e.bad || x->off < prev || x->off % 8 || x->size > NR_CHUNK_BLOCK_MAX ||
		    x->off + NR_BLK_HDR_SIZE + x->size > index_off ||
		    x->nr_events > NR_CHUNK_EVENTS_MAX || x->raw_bytes > NR_CHUNK_RAW_MAX ||
		    (x->nr_events && x->first_ts > x->last_ts)) {
			free(tmp);
			return 1;
		}
		prev = x->off + NR_BLK_HDR_SIZE + x->size;
	}
	if (sum != nr_events) {
		free(tmp);
		return 1;
	}
	/* an index that disagrees with the blocks it points at is not used */
	for (i = 0; i < nc; i++) {
		if (src_read(r, tmp[i].off, NR_BLK_HDR_SIZE, &p) != READ_OK) {
			free(tmp);
			return 1;
		}
		parse_blkhdr(r, p, &h);
		if (h.type != NR_BLK_CHUNK || h.size != tmp[i].size) {
			free(tmp);
			return 1;
		}
	}
	/* metadata blocks: read and load each; a damaged one is an error as when scanning */
	for (i = 0; i < nm; i++) {
		struct nr_cur e = nr_cur_sub(&c, me);
		__u64 off = nr_cur_u64(&e);
		__u16 type = nr_cur_u16(&e);
		char lb[32];
		int ret;

		if (e.bad || off < hdr_size || off >= index_off || off % 8) {
			free(tmp);
			return 1;
		}
		ret = read_block(r, off, &h, &p);
		if (ret == READ_OK && h.type != type) {
			free(tmp);
			return 1;
		}
		if (ret != READ_OK) {
			free(tmp);
			if (ret == -EBADMSG)
				return fail(reterr, -EBADMSG, off,
					    "%s block at offset %llu: checksum mismatch",
					    blk_label(type, lb, sizeof(lb)), (unsigned long long)off);
			return ret == -ENOMEM ? ret : 1;
		}
		r->meta.file.nr_blocks++;
		if (!blk_known(h.type)) {
			if (h.flags & NR_BLKF_REQUIRED) {
				free(tmp);
				return fail(reterr, -EPROTONOSUPPORT, off,
					    "block type %u at offset %llu is required but not known "
					    "to this version", h.type, (unsigned long long)off);
			}
			r->meta.file.nr_unknown_blocks++;
			continue;
		}
		if (h.type == NR_BLK_CHUNK || h.type == NR_BLK_INDEX || h.type == NR_BLK_END)
			continue;
		err = load_meta(r, off, &h, p, reterr);
		if (err) {
			free(tmp);
			return err;
		}
	}
	for (i = 0; i < nc; i++) {
		err = add_chunk(r, &tmp[i]);
		if (err) {
			free(tmp);
			return fail(reterr, err, 0, "too many chunks");
		}
	}
	free(tmp);
	r->meta.file.nr_blocks += nc + 2;
	r->meta.file.has_index = true;
	r->meta.file.clean_close = true;
	return 0;
}

/* ---- open ---- */

static int cmp_order(const void *a, const void *b, void *arg)
{
	const struct nr_reader *r = arg;
	const struct rchunk *x = &r->chunks[*(const __u32 *)a];
	const struct rchunk *y = &r->chunks[*(const __u32 *)b];

	if (x->first_ts != y->first_ts)
		return x->first_ts < y->first_ts ? -1 : 1;
	return (x->num > y->num) - (x->num < y->num);
}

static int finish_open(struct nr_reader *r, struct nr_error *reterr)
{
	struct nr_file_info *fi = &r->meta.file;
	__u64 last_good = 0;
	__u32 i, t;
	int err;

	err = nr_meta_finish(&r->ms, &r->meta);
	if (err)
		return fail(reterr, err, 0, "out of memory");
	for (t = 1; t < NR_TYPES_MAX; t++) {
		const struct nr_schema *s = r->ms.schemas.by_type[t], *k;
		struct nr_dec_type *dt = &r->types[t];

		if (!s)
			continue;
		k = nr_schema_builtin((__u16)t);
		dt->s = s;
		dt->out_fixed = s->fixed_size;
		dt->tail_max = s->tail_max;
		if (!k)
			continue;
		if (nr_schema_compat(s, k, r->msg, sizeof(r->msg)))
			return fail(reterr, -EBADMSG, 0, "%s", r->msg);
		dt->out_fixed = k->fixed_size;
		if (k->tail_max < dt->tail_max)
			dt->tail_max = k->tail_max;
	}

	r->order = malloc(sizeof(*r->order) * (r->nchunks ? r->nchunks : 1));
	if (!r->order)
		return fail(reterr, -ENOMEM, 0, "out of memory");
	fi->first_ts = ~0ull;
	for (i = 0; i < r->nchunks; i++) {
		struct rchunk *c = &r->chunks[i];

		r->order[i] = i;
		fi->nr_chunks++;
		if (c->bad) {
			/* its time is unknown: place it right after the chunk before it */
			c->first_ts = c->last_ts = last_good + (last_good != ~0ull);
			continue;
		}
		fi->nr_events += c->nr_events;
		fi->raw_bytes += c->raw_bytes;
		fi->chunk_bytes += NR_BLK_HDR_SIZE + c->size;
		if (c->nr_events) {
			if (c->first_ts < fi->first_ts)
				fi->first_ts = c->first_ts;
			if (c->last_ts > fi->last_ts)
				fi->last_ts = c->last_ts;
		}
		last_good = c->last_ts;
	}
	if (fi->first_ts == ~0ull)
		fi->first_ts = 0;
	if (!r->opts.unordered)
		qsort_r(r->order, r->nchunks, sizeof(*r->order), cmp_order, r);
	if (!fi->clean_close && !fi->trunc_msg) {
		if (r->damaged_off)
			err = note_trunc(r, 0, "the %s block at offset %llu is damaged",
					 nr_blk_name(r->damaged_type),
					 (unsigned long long)r->damaged_off);
		else
			err = note_trunc(r, 0, "no end block: the recorder did not close the file");
		if (err)
			return fail(reterr, -ENOMEM, 0, "out of memory");
	}
	fi->meta_bytes = r->meta_bytes;
	return 0;
}

static int open_common(struct nr_reader *r, struct nr_error *reterr)
{
	const __u8 *p;
	__u8 hb[NR_FILE_HDR_MAX];
	__u32 bom, hsize, crc;
	__u16 major, minor;
	int ret;

	if (r->size < NR_MAGIC_LEN)
		return fail(reterr, -EBADMSG, 0, "not a netrec trace: %llu bytes, too short for "
			    "a header", (unsigned long long)r->size);
	ret = src_read(r, 0, NR_MAGIC_LEN, &p);
	if (ret < 0)
		return fail(reterr, ret, 0, "read failed: %s", strerror(-ret));
	if (memcmp(p, NR_MAGIC, NR_MAGIC_LEN))
		return fail(reterr, -EBADMSG, 0, "not a netrec trace (bad magic)");
	if (src_read(r, 0, 16, &p) != READ_OK)
		return fail(reterr, -EBADMSG, 0, "file header truncated: %llu of %u bytes",
			    (unsigned long long)r->size, NR_FILE_HDR_SIZE);
	bom = nr_ld32(p + 8);
	if (bom == NR_BYTE_ORDER_MAGIC)
		r->swap = false;
	else if (bom == bswap_32(NR_BYTE_ORDER_MAGIC))
		r->swap = true;
	else
		return fail(reterr, -EBADMSG, 8, "file header: bad byte-order mark 0x%08x", bom);
	major = nr_sw16(nr_ld16(p + 12), r->swap);
	minor = nr_sw16(nr_ld16(p + 14), r->swap);
	if (major > NR_FILE_MAJOR)
		return fail(reterr, -EPROTONOSUPPORT, 12, "file format version %u.%u is newer "
			    "than this netrec reads (%u.%u)", major, minor, NR_FILE_MAJOR,
			    NR_FILE_MINOR);
	if (major < 1)
		return fail(reterr, -EBADMSG, 12, "file header: format version %u.%u invalid",
			    major, minor);
	if (src_read(r, 0, NR_FILE_HDR_SIZE, &p) != READ_OK)
		return fail(reterr, -EBADMSG, 0, "file header truncated: %llu of %u bytes",
			    (unsigned long long)r->size, NR_FILE_HDR_SIZE);
	hsize = nr_sw32(nr_ld32(p + 16), r->swap);
	if (hsize < NR_FILE_HDR_SIZE || hsize > NR_FILE_HDR_MAX || hsize % 8)
		return fail(reterr, -EBADMSG, 16, "file header: size %u invalid", hsize);
	ret = src_read(r, 0, hsize, &p);
	if (ret != READ_OK)
		return fail(reterr, -EBADMSG, 0, "file header truncated: %llu of %u bytes",
			    (unsigned long long)r->size, hsize);
	memcpy(hb, p, hsize);
	crc = nr_sw32(nr_ld32(hb + 28), r->swap);
	memset(hb + 28, 0, 4);
	if (!CRC_MATCHES(nr_crc32c(0, hb, hsize), crc))
		return fail(reterr, -EBADMSG, 28, "file header: checksum mismatch");
	r->meta.file.major = major;
	r->meta.file.minor = minor;
	r->meta.file.foreign_endian = r->swap;
	r->meta.file.file_bytes = r->size;
	r->resync_budget = 4 * r->size + (64ull << 20);

	ret = use_index(r, hsize, reterr);
	if (ret < 0)
		return ret;
	if (ret > 0) {
		/* no usable index: forget anything it loaded and walk the blocks */
		nr_meta_store_free(&r->ms);
		memset(&r->meta, 0, sizeof(r->meta));
		r->meta.file.major = major;
		r->meta.file.minor = minor;
		r->meta.file.foreign_endian = r->swap;
		r->meta.file.file_bytes = r->size;
		r->meta_bytes = 0;
		r->nchunks = 0;
		ret = scan(r, hsize, reterr);
		if (ret < 0)
			return ret;
	}
	return finish_open(r, reterr);
}

static struct nr_reader *reader_new(const struct nr_reader_opts *opts)
{
	struct nr_reader *r = calloc(1, sizeof(*r));

	if (!r)
		return NULL;
	r->fd = -1;
	if (opts) {
		size_t sz = opts->sz < sizeof(r->opts) ? opts->sz : sizeof(r->opts);

		memcpy(&r->opts, opts, sz);
	}
	r->types = calloc(NR_TYPES_MAX, sizeof(*r->types));
	r->dctx = ZSTD_createDCtx();
	if (!r->types || !r->dctx) {
		nr_reader__free(r);
		return NULL;
	}
	return r;
}

static bool opts_ok(const struct nr_reader_opts *opts)
{
	const __u8 *p = (const __u8 *)opts;
	size_t i;

	if (!opts)
		return true;
	if (opts->sz < offsetof(struct nr_reader_opts, unordered))
		return false;
	for (i = sizeof(*opts); i < opts->sz; i++)
		if (p[i])
			return false;
	return true;
}

int nr_reader__open_mem(const void *buf, size_t len, const struct nr_reader_opts *opts,
			struct nr_reader **ret, struct nr_error *reterr)
{
	struct nr_reader *r;
	int err;

	if (!ret || (!buf && len) || !opts_ok(opts))
		return fail(reterr, -EINVAL, 0, "invalid arguments");
	r = reader_new(opts);
	if (!r)
		return fail(reterr, -ENOMEM, 0, "out of memory");
	r->mem = buf ? buf : (const void *)"";
	r->size = len;
	err = open_common(r, reterr);
	if (err) {
		nr_reader__free(r);
		return err;
	}
	*ret = r;
	return 0;
}

int nr_reader__open(const char *path, const struct nr_reader_opts *opts,
		    struct nr_reader **ret, struct nr_error *reterr)
{
	struct nr_reader *r;
	struct stat st;
	int err;

	if (!path || !ret || !opts_ok(opts))
		return fail(reterr, -EINVAL, 0, "invalid arguments");
	r = reader_new(opts);
	if (!r)
		return fail(reterr, -ENOMEM, 0, "out of memory");
	r->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (r->fd < 0) {
		err = -errno;
		nr_reader__free(r);
		return fail(reterr, err, 0, "%s", strerror(-err));
	}
	if (fstat(r->fd, &st)) {
		err = -errno;
		nr_reader__free(r);
		return fail(reterr, err, 0, "%s", strerror(-err));
	}
	if (!S_ISREG(st.st_mode)) {
		nr_reader__free(r);
		return fail(reterr, -EINVAL, 0, "not a regular file");
	}
	r->size = (__u64)st.st_size;
	posix_fadvise(r->fd, 0, 0, POSIX_FADV_SEQUENTIAL);
	err = open_common(r, reterr);
	if (err) {
		nr_reader__free(r);
		return err;
	}
	*ret = r;
	return 0;
}

const struct nr_meta *nr_reader__meta(const struct nr_reader *r)
{
	return &r->meta;
}

const struct nr_schema *nr_reader__schema(const struct nr_reader *r, __u16 type)
{
	return type < NR_TYPES_MAX ? r->types[type].s : NULL;
}

/* ---- events ---- */

static void active_free(struct active *a)
{
	if (!a)
		return;
	free(a->buf);
	free(a->order);
	free(a);
}

/* a finished chunk: keep its record buffer for the next chunk (no page faults) */
static void active_put(struct nr_reader *r, struct active *a)
{
	if (r->npool == sizeof(r->pool) / sizeof(r->pool[0])) {
		active_free(a);
		return;
	}
	free(a->order);
	a->order = NULL;
	r->pool[r->npool++] = a;
}

static struct active *active_get(struct nr_reader *r)
{
	struct active *a;

	if (!r->npool)
		return calloc(1, sizeof(struct active));
	a = r->pool[--r->npool];
	a->i = 0;
	a->pos = 0;
	a->ts = 0;
	return a;
}

static const struct nr_rec_hdr *active_rec(const struct active *a)
{
	return (const void *)(a->out.recs + (a->order ? a->order[a->i] : a->pos));
}

static int cmp_u64pair(const void *a, const void *b)
{
	const __u64 *x = a, *y = b;

	return (x[0] > y[0]) - (x[0] < y[0]);
}

/* Decode chunk @c into a new active. Return: 0, or -errno with r->msg set. */
static int load_chunk(struct nr_reader *r, const struct rchunk *c, struct active **ret)
{
	char why[NR_ERRMSG_LEN];
	struct chunk_hdr ch;
	struct blkhdr h;
	struct active *a;
	const __u8 *p;
	size_t done = 0, src = 0;
	__u32 i;
	int ret2, err;

#define LBAD(...) do { snprintf(r->msg, sizeof(r->msg), __VA_ARGS__); return -EBADMSG; } while (0)
	if (c->bad) {
		snprintf(r->msg, sizeof(r->msg), "%s", c->bad);
		return -EBADMSG;
	}
	ret2 = read_block(r, c->off, &h, &p);
	if (ret2 == -EBADMSG)
		LBAD("chunk %u at offset %llu: checksum mismatch", c->num,
		     (unsigned long long)c->off);
	if (ret2 == -EOVERFLOW || ret2 == READ_SHORT || ret2 == READ_EOF)
		LBAD("chunk %u at offset %llu: block does not fit in the file", c->num,
		     (unsigned long long)c->off);
	if (ret2 < 0) {
		snprintf(r->msg, sizeof(r->msg), "chunk %u at offset %llu: read failed: %s",
			 c->num, (unsigned long long)c->off, strerror(-ret2));
		return ret2;
	}
	if (h.type != NR_BLK_CHUNK || h.size != c->size)
		LBAD("chunk %u at offset %llu: block does not match the index", c->num,
		     (unsigned long long)c->off);
	if (parse_chunk_hdr(r, p, h.size, &ch, why, sizeof(why)))
		LBAD("chunk %u at offset %llu: %.100s", c->num, (unsigned long long)c->off, why);
	if (ch.nr_events != c->nr_events || ch.first_ts != c->first_ts ||
	    ch.last_ts != c->last_ts || ch.raw_bytes != c->raw_bytes || ch.flags != c->flags)
		LBAD("chunk %u at offset %llu: header does not match the index", c->num,
		     (unsigned long long)c->off);

	r->ebuf.len = 0;
	if (nr_buf_reserve(&r->ebuf, ch.enc_bytes ? ch.enc_bytes : 1))
		return -ENOMEM;
	src = ch.data_off;
	for (i = 0; i < ch.nr_streams; i++) {
		const __u8 *e = p + ch.hdr_size + (size_t)i * NR_STREAM_ENT_SIZE;
		__u32 codec = nr_sw32(nr_ld32(e), r->swap);
		__u32 raw = nr_sw32(nr_ld32(e + 4), r->swap);
		__u32 stored = nr_sw32(nr_ld32(e + 8), r->swap);

		if (codec == NR_STREAM_RAW) {
			memcpy(r->ebuf.p + done, p + src, raw);
		} else {
			size_t got = ZSTD_decompressDCtx(r->dctx, r->ebuf.p + done, raw, p + src,
							 stored);

			if (ZSTD_isError(got))
				LBAD("chunk %u at offset %llu: stream %u: %s", c->num,
				     (unsigned long long)c->off, i, ZSTD_getErrorName(got));
			if (got != raw)
				LBAD("chunk %u at offset %llu: stream %u: %zu bytes, expected %u",
				     c->num, (unsigned long long)c->off, i, got, raw);
		}
		done += raw;
		src += stored;
	}

	a = active_get(r);
	if (!a)
		return -ENOMEM;
	err = nr_chunk_decode(&r->cd, r->ebuf.p, ch.enc_bytes, ch.nr_events, ch.first_ts,
			      ch.raw_bytes, r->types, &a->buf, &a->cap, &a->out, why,
			      sizeof(why));
	if (err) {
		active_put(r, a);
		if (err == -ENOMEM)
			return err;
		LBAD("chunk %u at offset %llu: %.100s", c->num, (unsigned long long)c->off, why);
	}
	if (a->out.n && (a->out.min_ts != ch.first_ts || a->out.max_ts != ch.last_ts)) {
		active_put(r, a);
		LBAD("chunk %u at offset %llu: events outside the chunk's time range", c->num,
		     (unsigned long long)c->off);
	}
	if (!a->out.sorted && !(ch.flags & NR_CHUNKF_UNORDERED)) {
		active_put(r, a);
		LBAD("chunk %u at offset %llu: events out of time order", c->num,
		     (unsigned long long)c->off);
	}
	if (!a->out.sorted && !r->opts.unordered) {
		/* (ts, offset) pairs sorted stably give the time order */
		__u64 *pairs = malloc(sizeof(*pairs) * 2 * a->out.n);
		size_t pos = 0;

		a->order = malloc(sizeof(*a->order) * a->out.n);
		if (!pairs || !a->order) {
			free(pairs);
			active_put(r, a);
			return -ENOMEM;
		}
		for (i = 0; i < a->out.n; i++) {
			const struct nr_rec_hdr *hh = (const void *)(a->out.recs + pos);

			pairs[2 * i] = hh->ts_ns;
			pairs[2 * i + 1] = pos;
			pos += hh->size;
		}
		nr_msort(pairs, a->out.n, 2 * sizeof(*pairs), cmp_u64pair);
		for (i = 0; i < a->out.n; i++)
			a->order[i] = (__u32)pairs[2 * i + 1];
		free(pairs);
	}
	a->num = c->num;
	if (a->out.n)
		a->ts = active_rec(a)->ts_ns;
	*ret = a;
	return 0;
#undef LBAD
}

static bool heap_less(const struct active *x, const struct active *y)
{
	if (x->ts != y->ts)
		return x->ts < y->ts;
	return x->num < y->num;
}

static void heap_down(struct nr_reader *r, __u32 i)
{
	for (;;) {
		__u32 l = 2 * i + 1, m = i;
		struct active *t;

		if (l < r->nheap && heap_less(r->heap[l], r->heap[m]))
			m = l;
		if (l + 1 < r->nheap && heap_less(r->heap[l + 1], r->heap[m]))
			m = l + 1;
		if (m == i)
			return;
		t = r->heap[i];
		r->heap[i] = r->heap[m];
		r->heap[m] = t;
		i = m;
	}
}

static void heap_push(struct nr_reader *r, struct active *a)
{
	__u32 i = r->nheap++;

	r->heap[i] = a;
	while (i && heap_less(r->heap[i], r->heap[(i - 1) / 2])) {
		struct active *t = r->heap[i];

		r->heap[i] = r->heap[(i - 1) / 2];
		r->heap[(i - 1) / 2] = t;
		i = (i - 1) / 2;
	}
}

static void heap_pop(struct nr_reader *r)
{
	struct active *a = r->heap[0];

	r->active_bytes -= a->out.len;
	active_put(r, a);
	r->heap[0] = r->heap[--r->nheap];
	heap_down(r, 0);
}

/* move heap[0] past the record handed out last time */
static void advance(struct nr_reader *r)
{
	struct active *a = r->heap[0];

	a->pos += active_rec(a)->size;
	a->i++;
	if (a->i >= a->out.n) {
		heap_pop(r);
		return;
	}
	a->ts = active_rec(a)->ts_ns;
	if (r->nheap > 1)
		heap_down(r, 0);
}

int nr_reader__next(struct nr_reader *r, const struct nr_rec_hdr **ret, struct nr_error *reterr)
{
	int err;

	if (r->sticky) {
		if (reterr)
			*reterr = r->sticky_err;
		return r->sticky;
	}
	if (r->cur_out) {
		r->cur_out = false;
		advance(r);
	}
	while (r->next_load < r->nchunks) {
		const struct rchunk *c = &r->chunks[r->order[r->next_load]];
		struct active *a = NULL;

		if (r->nheap) {
			if (r->opts.unordered)
				break;
			if (c->first_ts > r->heap[0]->ts)
				break;
			if (r->active_bytes > NR_MERGE_BYTES_MAX)
				break;	/* pathological overlap: order only within memory */
		}
		if (!r->heap) {
			r->heap = malloc(sizeof(*r->heap) * r->nchunks);
			if (!r->heap)
				return fail(reterr, -ENOMEM, 0, "out of memory");
		}
		r->next_load++;
		r->msg[0] = 0;
		err = load_chunk(r, c, &a);
		if (err) {
			if (err == -ENOMEM)
				snprintf(r->msg, sizeof(r->msg), "out of memory");
			fail(reterr, err, c->off, "%s", r->msg);
			if (!r->opts.skip_bad_chunks || err == -ENOMEM) {
				r->sticky = err;
				fail(&r->sticky_err, err, c->off, "%s", r->msg);
			}
			return err;
		}
		if (!a->out.n) {
			active_put(r, a);
			continue;
		}
		r->active_bytes += a->out.len;
		heap_push(r, a);
	}
	if (!r->nheap)
		return 0;
	*ret = active_rec(r->heap[0]);
	r->cur_out = true;
	return 1;
}

void nr_reader__free(struct nr_reader *r)
{
	__u32 i;

	if (!r)
		return;
	for (i = 0; i < r->nheap; i++)
		active_free(r->heap[i]);
	for (i = 0; i < r->npool; i++)
		active_free(r->pool[i]);
	free(r->heap);
	free(r->order);
	free(r->chunks);
	free(r->types);
	nr_meta_store_free(&r->ms);
	nr_chunk_dec_free(&r->cd);
	nr_buf_free(&r->rbuf);
	nr_buf_free(&r->ebuf);
	ZSTD_freeDCtx(r->dctx);
	if (r->fd >= 0)
		close(r->fd);
	free(r);
}
