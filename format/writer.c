// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * writer.c - the .nr writer
 *
 * The caller's thread (the recorder's drain thread) only validates and copies records
 * into the open chunk, interns stacks and resolves addresses it has not seen; sealing a
 * chunk hands it, with the SYMBOLS and STACKS blocks it references, to the I/O side as
 * one job. The I/O side sorts the chunk by time, encodes it in columns, compresses it
 * and writes the blocks in job order: on a background thread with opts.async (a bounded
 * queue; the caller waits only when the queue is full), else in the caller's thread.
 *
 * Crash safety: each block is written whole with one writev() after everything it
 * refers to, so a file cut at any byte holds complete blocks and at most one partial
 * one at its end. On an I/O error the file is truncated back to the last complete
 * block, nothing more is written, and the error is returned from then on.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>
#include <zstd.h>

#include "chunk.h"
#include "internal.h"
#include "meta.h"
#include "nr_file.h"
#include "nr_testing.h"

#define DEFAULT_LEVEL	1	/* chosen by measurement: FORMAT.md "Measurements" */
#define QUEUE_MAX	4	/* sealed chunks waiting for the I/O side */
#define ADDRS_MAX	(1u << 24)	/* distinct addresses resolved; later ones stay raw */
#define PENDING_MAX	(1u << 20)	/* pending SYMBOLS / STACKS payload written ahead */

enum { JOB_BLOCK, JOB_CHUNK };

struct job {
	struct job *next;
	int kind;
	__u16 blk_type, blk_flags;
	struct nr_buf payload;	/* JOB_BLOCK */
	struct nr_buf recs;	/* JOB_CHUNK: the records, back to back */
	__u32 n;
	bool sorted;
	struct nr_buf syms, stacks;	/* blocks to write before the chunk (len 0: none) */
};

/* per record type: what append needs to know beyond the schema */
struct wtype {
	const struct nr_schema *s;
	__u32 stack_off;
	bool has_stack;
	__u8 nsym;
	__u32 sym_off[8];
};

struct idx_chunk {
	__u64 off, size, first_ts, last_ts, raw_bytes;
	__u32 nr_events, flags;
};

struct idx_meta {
	__u64 off;
	__u16 type;
};

/* open-addressing set of non-zero u64 */
struct u64set {
	__u64 *v;
	size_t cap, n;
};

struct stack_ent {
	__u32 hash, id;
};

struct nr_writer {
	int fd;
	struct nr_writer_opts opts;
	bool swap, no_sort, no_zstd;
	__u32 split;
	__u16 minor;
	struct nr_schema_set set;
	struct wtype *wt;	/* NR_TYPES_MAX entries */

	/* caller side */
	struct nr_buf cur;
	__u32 cur_n;
	bool cur_sorted;
	__u64 cur_last_ts;
	struct nr_buf syms;	/* pending SYMBOLS payload */
	size_t syms_count_off;
	__u32 syms_n, syms_total;
	struct nr_buf stacks;	/* pending STACKS payload */
	size_t stacks_count_off;
	__u32 stacks_n;
	struct u64set addrs, symaddrs;
	struct stack_ent *stab;	/* stack hash table */
	size_t stab_cap;
	__u64 *frames;		/* all interned frames */
	size_t frames_len, frames_cap;
	__u32 *stack_off, *stack_nr;	/* by id */
	__u32 nr_stacks, stack_cap;
	__u64 events, raw_bytes, stacks_dropped;

	/* queue */
	pthread_t thr;
	bool thr_started, stop;
	pthread_mutex_t mu;
	pthread_cond_t cv_work, cv_done;
	struct job *qhead, *qtail;
	unsigned int qlen;
	__u64 submitted, completed;
	struct job *spare;	/* recycled chunk jobs (buffers kept) */
	int err;		/* sticky; read with atomics */

	/* I/O side */
	__u64 off;		/* end of the last complete block */
	__u64 chunks;
	struct idx_chunk *ichunks;
	size_t nichunks, capichunks;
	struct idx_meta *imeta;
	size_t nimeta, capimeta;
	__u32 seq;
	ZSTD_CCtx *cctx;
	struct nr_chunk_enc enc;
	struct nr_buf e, blk;
	struct { __u64 ts; __u32 off, pad; } *sortv;
	__u32 *offs;
	size_t sort_cap, offs_cap;
};

static int get_err(const struct nr_writer *w)
{
	return __atomic_load_n(&w->err, __ATOMIC_ACQUIRE);
}

static void set_err(struct nr_writer *w, int err)
{
	int zero = 0;

	__atomic_compare_exchange_n(&w->err, &zero, err, false, __ATOMIC_ACQ_REL,
				    __ATOMIC_ACQUIRE);
}

/* ---- small containers ---- */

static inline size_t mix64(__u64 v)
{
	v ^= v >> 33;
	v *= 0xff51afd7ed558ccdull;
	v ^= v >> 33;
	return (size_t)v;
}

/* Return: 1 added, 0 present, -ENOMEM */
static int u64set_add(struct u64set *s, __u64 v)
{
	size_t i;

	if ((s->n + 1) * 2 > s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 1024, k;
		__u64 *nv = calloc(cap, sizeof(*nv));

		if (!nv)
			return -ENOMEM;
		for (k = 0; k < s->cap; k++) {
			if (!s->v[k])
				continue;
			for (i = mix64(s->v[k]) & (cap - 1); nv[i]; i = (i + 1) & (cap - 1))
				;
			nv[i] = s->v[k];
		}
		free(s->v);
		s->v = nv;
		s->cap = cap;
	}
	for (i = mix64(v) & (s->cap - 1); s->v[i]; i = (i + 1) & (s->cap - 1))
		if (s->v[i] == v)
			return 0;
	s->v[i] = v;
	s->n++;
	return 1;
}

static bool u64set_has(const struct u64set *s, __u64 v)
{
	size_t i;

	if (!s->cap)
		return false;
	for (i = mix64(v) & (s->cap - 1); s->v[i]; i = (i + 1) & (s->cap - 1))
		if (s->v[i] == v)
			return true;
	return false;
}

static void u64set_free(struct u64set *s)
{
	free(s->v);
	memset(s, 0, sizeof(*s));
}

static int grow(void **p, size_t *cap, size_t n, size_t elem)
{
	size_t c = *cap ? *cap : 16;
	void *q;

	if (n <= *cap)
		return 0;
	while (c < n)
		c *= 2;
	q = realloc(*p, c * elem);
	if (!q)
		return -ENOMEM;
	*p = q;
	*cap = c;
	return 0;
}

/* ---- I/O side ---- */

static int write_all(int fd, struct iovec *iov, int cnt)
{
	while (cnt) {
		ssize_t n = writev(fd, iov, cnt);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (n == 0)
			return -EIO;
		while (cnt && (size_t)n >= iov->iov_len) {
			n -= (ssize_t)iov->iov_len;
			iov++;
			cnt--;
		}
		if (cnt) {
			iov->iov_base = (__u8 *)iov->iov_base + n;
			iov->iov_len -= (size_t)n;
		}
	}
	return 0;
}

/* After a failed write: cut the file back to its last complete block. */
static void io_fail(struct nr_writer *w, int err)
{
	set_err(w, err);
	if (ftruncate(w->fd, (off_t)w->off) == 0)
		lseek(w->fd, (off_t)w->off, SEEK_SET);
}

static int write_block(struct nr_writer *w, __u16 type, __u16 flags, const void *payload,
		       size_t len)
{
	static const __u8 zeros[8];
	__u8 hdr[NR_BLK_HDR_SIZE];
	struct iovec iov[3];
	__u16 t = nr_sw16(type, w->swap), f = nr_sw16(flags, w->swap);
	__u64 sz = nr_sw64(len, w->swap);
	__u32 crc;
	int err;

	if (get_err(w))
		return get_err(w);
	memcpy(hdr, &t, 2);
	memcpy(hdr + 2, &f, 2);
	memset(hdr + 4, 0, 4);
	memcpy(hdr + 8, &sz, 8);
	crc = nr_crc32c(0, hdr, 4);
	crc = nr_crc32c(crc, hdr + 8, 8);
	crc = nr_crc32c(crc, payload, len);
	crc = nr_sw32(crc, w->swap);
	memcpy(hdr + 4, &crc, 4);
	iov[0].iov_base = hdr;
	iov[0].iov_len = sizeof(hdr);
	iov[1].iov_base = (void *)payload;
	iov[1].iov_len = len;
	iov[2].iov_base = (void *)zeros;
	iov[2].iov_len = nr_align8(len) - len;
	err = write_all(w->fd, iov, 3);
	if (err) {
		io_fail(w, err);
		return err;
	}
	if (type != NR_BLK_CHUNK && type != NR_BLK_INDEX && type != NR_BLK_END &&
	    !grow((void **)&w->imeta, &w->capimeta, w->nimeta + 1, sizeof(*w->imeta))) {
		w->imeta[w->nimeta].off = w->off;
		w->imeta[w->nimeta].type = type;
		w->nimeta++;
	}
	__atomic_store_n(&w->off, w->off + NR_BLK_HDR_SIZE + nr_align8(len), __ATOMIC_RELEASE);
	return 0;
}

static int cmp_sortv(const void *a, const void *b)
{
	const __u64 x = *(const __u64 *)a, y = *(const __u64 *)b;

	return (x > y) - (x < y);
}

/* Compress E into the chunk payload's streams. */
static int put_streams(struct nr_writer *w, struct nr_buf *blk, size_t table_off, __u32 nstreams)
{
	size_t per = (w->e.len + nstreams - 1) / nstreams, done = 0;
	__u32 i;

	for (i = 0; i < nstreams; i++) {
		size_t raw = w->e.len - done < per ? w->e.len - done : per;
		size_t bound = ZSTD_compressBound(raw), csize = raw, ent = table_off + 16 * i;
		__u32 codec = NR_STREAM_RAW;

		if (nr_buf_reserve(blk, bound))
			return blk->err;
		if (!w->no_zstd && raw) {
			size_t r = ZSTD_compress2(w->cctx, blk->p + blk->len, bound,
						  w->e.p + done, raw);

			if (!ZSTD_isError(r) && r < raw) {
				codec = NR_STREAM_ZSTD;
				csize = r;
			}
		}
		if (codec == NR_STREAM_RAW)
			memcpy(blk->p + blk->len, w->e.p + done, raw);
		blk->len += csize;
		nr_buf_set_u32(blk, ent, codec);
		nr_buf_set_u32(blk, ent + 4, (__u32)raw);
		nr_buf_set_u32(blk, ent + 8, (__u32)csize);
		done += raw;
	}
	return 0;
}

static int io_chunk(struct nr_writer *w, struct job *j)
{
	__u64 first_ts, last_ts;
	size_t pos, table_off;
	__u32 i, n = j->n, nstreams, flags = 0;
	int err;

	if (j->syms.len) {
		err = write_block(w, NR_BLK_SYMBOLS, 0, j->syms.p, j->syms.len);
		if (err)
			return err;
	}
	if (j->stacks.len) {
		err = write_block(w, NR_BLK_STACKS, 0, j->stacks.p, j->stacks.len);
		if (err)
			return err;
	}
	if (!n)
		return 0;

	if (grow((void **)&w->sortv, &w->sort_cap, n, sizeof(*w->sortv)) ||
	    grow((void **)&w->offs, &w->offs_cap, n, sizeof(*w->offs)))
		return -ENOMEM;
	for (pos = 0, i = 0; i < n; i++) {
		const struct nr_rec_hdr *h = (const void *)(j->recs.p + pos);

		w->sortv[i].ts = h->ts_ns;
		w->sortv[i].off = (__u32)pos;
		pos += h->size;
	}
	if (!j->sorted) {
		if (w->no_sort)
			flags |= NR_CHUNKF_UNORDERED;
		else
			nr_msort(w->sortv, n, sizeof(*w->sortv), cmp_sortv);
	}
	first_ts = ~0ull;
	last_ts = 0;
	for (i = 0; i < n; i++) {
		w->offs[i] = w->sortv[i].off;
		if (w->sortv[i].ts < first_ts)
			first_ts = w->sortv[i].ts;
		if (w->sortv[i].ts > last_ts)
			last_ts = w->sortv[i].ts;
	}

	w->e.len = 0;
	w->e.err = 0;
	w->e.max = NR_CHUNK_ENC_MAX;
	err = nr_chunk_encode(&w->enc, &w->set, j->recs.p, w->offs, n, first_ts, &w->e);
	if (err)
		return err;

	nstreams = w->split > 1 ? w->split : 1;
	if (nstreams > NR_CHUNK_STREAMS_MAX)
		nstreams = NR_CHUNK_STREAMS_MAX;
	w->blk.len = 0;
	w->blk.err = 0;
	w->blk.swap = w->swap;
	nr_buf_u32(&w->blk, 1);				/* version */
	nr_buf_u32(&w->blk, NR_CHUNK_HDR_SIZE);
	nr_buf_u32(&w->blk, flags);
	nr_buf_u32(&w->blk, w->seq);
	nr_buf_u32(&w->blk, n);
	nr_buf_u32(&w->blk, NR_CHUNK_ENCODING_COLUMNS);
	nr_buf_u64(&w->blk, first_ts);
	nr_buf_u64(&w->blk, last_ts);
	nr_buf_u64(&w->blk, j->recs.len);
	nr_buf_u32(&w->blk, (__u32)w->e.len);
	nr_buf_u32(&w->blk, nstreams);
	table_off = w->blk.len;
	nr_buf_zero(&w->blk, (size_t)NR_STREAM_ENT_SIZE * nstreams);
	if (w->blk.err)
		return w->blk.err;
	err = put_streams(w, &w->blk, table_off, nstreams);
	if (err)
		return err;

	if (grow((void **)&w->ichunks, &w->capichunks, w->nichunks + 1, sizeof(*w->ichunks)))
		return -ENOMEM;
	err = write_block(w, NR_BLK_CHUNK, 0, w->blk.p, w->blk.len);
	if (err)
		return err;
	w->ichunks[w->nichunks++] = (struct idx_chunk){
		.off = w->off - NR_BLK_HDR_SIZE - nr_align8(w->blk.len), .size = w->blk.len,
		.first_ts = first_ts, .last_ts = last_ts, .raw_bytes = j->recs.len,
		.nr_events = n, .flags = flags,
	};
	w->seq++;
	__atomic_store_n(&w->chunks, w->chunks + 1, __ATOMIC_RELEASE);
	return 0;
}

static void run_job(struct nr_writer *w, struct job *j)
{
	int err = 0;

	if (get_err(w))
		return;
	if (j->kind == JOB_BLOCK)
		err = write_block(w, j->blk_type, j->blk_flags, j->payload.p, j->payload.len);
	else
		err = io_chunk(w, j);
	if (err)
		set_err(w, err);
}

static void job_free(struct job *j)
{
	if (!j)
		return;
	nr_buf_free(&j->payload);
	nr_buf_free(&j->recs);
	nr_buf_free(&j->syms);
	nr_buf_free(&j->stacks);
	free(j);
}

/* keep one chunk job's buffers for the next chunk; free the rest */
static void job_recycle(struct nr_writer *w, struct job *j)
{
	if (j->kind != JOB_CHUNK || w->spare) {
		job_free(j);
		return;
	}
	j->recs.len = 0;
	j->syms.len = 0;
	j->stacks.len = 0;
	w->spare = j;
}

static void *worker(void *arg)
{
	struct nr_writer *w = arg;
	struct job *j;

	pthread_mutex_lock(&w->mu);
	for (;;) {
		while (!w->qhead && !w->stop)
			pthread_cond_wait(&w->cv_work, &w->mu);
		j = w->qhead;
		if (!j)
			break;
		w->qhead = j->next;
		if (!w->qhead)
			w->qtail = NULL;
		pthread_mutex_unlock(&w->mu);

		run_job(w, j);

		pthread_mutex_lock(&w->mu);
		w->qlen--;
		w->completed++;
		job_recycle(w, j);
		pthread_cond_broadcast(&w->cv_done);
	}
	pthread_mutex_unlock(&w->mu);
	return NULL;
}

static void submit(struct nr_writer *w, struct job *j)
{
	if (!w->thr_started) {
		run_job(w, j);
		w->submitted++;
		w->completed++;
		job_recycle(w, j);
		return;
	}
	pthread_mutex_lock(&w->mu);
	while (w->qlen >= QUEUE_MAX)
		pthread_cond_wait(&w->cv_done, &w->mu);
	j->next = NULL;
	if (w->qtail)
		w->qtail->next = j;
	else
		w->qhead = j;
	w->qtail = j;
	w->qlen++;
	w->submitted++;
	pthread_cond_signal(&w->cv_work);
	pthread_mutex_unlock(&w->mu);
}

static void wait_idle(struct nr_writer *w)
{
	if (!w->thr_started)
		return;
	pthread_mutex_lock(&w->mu);
	while (w->completed < w->submitted)
		pthread_cond_wait(&w->cv_done, &w->mu);
	pthread_mutex_unlock(&w->mu);
}

static struct job *take_spare(struct nr_writer *w)
{
	struct job *j = NULL;

	if (w->thr_started)
		pthread_mutex_lock(&w->mu);
	if (w->spare) {
		j = w->spare;
		w->spare = NULL;
	}
	if (w->thr_started)
		pthread_mutex_unlock(&w->mu);
	if (!j)
		j = calloc(1, sizeof(*j));
	return j;
}

/* ---- caller side ---- */

static void swap_bufs(struct nr_buf *a, struct nr_buf *b)
{
	struct nr_buf t = *a;

	*a = *b;
	*b = t;
}

/*
 * Hand the pending SYMBOLS / STACKS payloads and (@chunk) the open chunk to the I/O
 * side, in that order.
 */
static int seal_some(struct nr_writer *w, bool chunk)
{
	struct job *j;

	if (!chunk && !w->syms_n && !w->stacks_n)
		return 0;
	if (chunk && !w->cur_n && !w->syms_n && !w->stacks_n)
		return 0;
	j = take_spare(w);
	if (!j)
		return -ENOMEM;
	j->kind = JOB_CHUNK;
	j->n = chunk ? w->cur_n : 0;
	j->sorted = w->cur_sorted;
	j->recs.len = j->syms.len = j->stacks.len = 0;
	if (chunk) {
		swap_bufs(&j->recs, &w->cur);
		w->cur.len = 0;
		w->cur_n = 0;
		w->cur_sorted = true;
	}
	if (w->syms_n) {
		nr_meta_enc_list_end(&w->syms, w->syms_count_off, w->syms_n);
		swap_bufs(&j->syms, &w->syms);
	}
	if (w->stacks_n) {
		nr_meta_enc_list_end(&w->stacks, w->stacks_count_off, w->stacks_n);
		swap_bufs(&j->stacks, &w->stacks);
	}
	w->syms.len = 0;
	w->stacks.len = 0;
	w->syms_n = 0;
	w->stacks_n = 0;
	submit(w, j);
	return get_err(w);
}

static int seal(struct nr_writer *w)
{
	return seal_some(w, true);
}

static int submit_block(struct nr_writer *w, __u16 type, __u16 flags, struct nr_buf *payload)
{
	struct job *j;
	int err;

	err = get_err(w);
	if (err)
		return err;
	j = calloc(1, sizeof(*j));
	if (!j)
		return -ENOMEM;
	j->kind = JOB_BLOCK;
	j->blk_type = type;
	j->blk_flags = flags;
	j->payload = *payload;
	memset(payload, 0, sizeof(*payload));
	submit(w, j);
	return get_err(w);
}

static int submit_meta(struct nr_writer *w, __u16 type, struct nr_buf *b, int enc_err)
{
	int err = enc_err ? enc_err : b->err;

	if (err) {
		nr_buf_free(b);
		return err;
	}
	return submit_block(w, type, 0, b);
}

static void new_meta_buf(struct nr_writer *w, struct nr_buf *b)
{
	memset(b, 0, sizeof(*b));
	b->swap = w->swap;
	b->max = NR_META_BLOCK_MAX;
}

/* Resolve a kernel address once; a new symbol joins the pending SYMBOLS payload. */
static void resolve_addr(struct nr_writer *w, __u64 addr)
{
	struct nr_sym s;
	int added;

	if (!addr || !w->opts.resolve || w->addrs.n >= ADDRS_MAX)
		return;
	added = u64set_add(&w->addrs, addr);
	if (added <= 0)
		return;
	memset(&s, 0, sizeof(s));
	if (w->opts.resolve(w->opts.resolve_ctx, addr, &s) || !s.name)
		return;
	if (s.addr > addr || w->syms_total >= NR_SYMS_MAX || u64set_has(&w->symaddrs, s.addr))
		return;
	if (strlen(s.name) > NR_STR_MAX || (s.module && strlen(s.module) > NR_STR_MAX))
		return;
	if (u64set_add(&w->symaddrs, s.addr) < 0)
		return;
	if (!w->syms_n) {
		w->syms.len = 0;
		w->syms.err = 0;
		w->syms.swap = w->swap;
		nr_meta_enc_list_begin(&w->syms, &w->syms_count_off);
	}
	if (nr_meta_enc_sym(&w->syms, &s) == 0 && !w->syms.err) {
		w->syms_n++;
		w->syms_total++;
	}
}

static __u32 frames_hash(const __u64 *ips, __u32 nr)
{
	return nr_crc32c(nr, ips, (size_t)nr * 8) | 1;	/* 0 marks an empty slot */
}

/* Return: the stack's id, or 0 when the limits are reached or memory is short */
static __u32 intern_stack(struct nr_writer *w, const __u64 *ips, __u32 nr)
{
	__u32 h = frames_hash(ips, nr), id, k;
	size_t i;

	if (w->stab_cap) {
		for (i = h & (w->stab_cap - 1); w->stab[i].hash; i = (i + 1) & (w->stab_cap - 1)) {
			__u32 sid = w->stab[i].id;

			if (w->stab[i].hash == h && w->stack_nr[sid] == nr &&
			    !memcmp(w->frames + w->stack_off[sid], ips, (size_t)nr * 8))
				return sid;
		}
	}
	if (w->nr_stacks >= NR_STACKS_MAX || w->frames_len + nr > NR_STACK_FRAMES_MAX) {
		w->stacks_dropped++;
		return 0;
	}
	if ((w->nr_stacks + 2) * 2 > w->stab_cap) {
		size_t cap = w->stab_cap ? w->stab_cap * 2 : 256, q;
		struct stack_ent *nt = calloc(cap, sizeof(*nt));

		if (!nt)
			return 0;
		for (q = 0; q < w->stab_cap; q++) {
			if (!w->stab[q].hash)
				continue;
			for (i = w->stab[q].hash & (cap - 1); nt[i].hash; i = (i + 1) & (cap - 1))
				;
			nt[i] = w->stab[q];
		}
		free(w->stab);
		w->stab = nt;
		w->stab_cap = cap;
	}
	{
		size_t sc = w->stack_cap, sc2 = w->stack_cap;

		if (grow((void **)&w->frames, &w->frames_cap, w->frames_len + nr, sizeof(__u64)) ||
		    grow((void **)&w->stack_off, &sc, w->nr_stacks + 2, sizeof(__u32)) ||
		    grow((void **)&w->stack_nr, &sc2, w->nr_stacks + 2, sizeof(__u32)))
			return 0;
		w->stack_cap = (__u32)(sc < sc2 ? sc : sc2);
	}
	if (!w->stacks_n) {
		w->stacks.len = 0;
		w->stacks.err = 0;
		w->stacks.swap = w->swap;
		nr_meta_enc_list_begin(&w->stacks, &w->stacks_count_off);
	}
	id = w->nr_stacks + 1;
	if (nr_meta_enc_stack(&w->stacks, id, ips, nr) || w->stacks.err)
		return 0;
	w->stacks_n++;
	w->nr_stacks = id;
	w->stack_off[id] = (__u32)w->frames_len;
	w->stack_nr[id] = nr;
	memcpy(w->frames + w->frames_len, ips, (size_t)nr * 8);
	w->frames_len += nr;
	for (i = h & (w->stab_cap - 1); w->stab[i].hash; i = (i + 1) & (w->stab_cap - 1))
		;
	w->stab[i].hash = h;
	w->stab[i].id = id;
	for (k = 0; k < nr; k++)
		resolve_addr(w, ips[k]);
	return id;
}

int nr_writer__stack(struct nr_writer *w, const __u64 *ips, __u32 nr, __u32 *ret_id)
{
	__u32 id;
	int err;

	err = get_err(w);
	if (err)
		return err;
	if (!ips || nr == 0 || nr > NR_STACK_MAX)
		return -EINVAL;
	id = intern_stack(w, ips, nr);
	if (!id)
		return w->nr_stacks >= NR_STACKS_MAX ? -EOVERFLOW : -ENOMEM;
	*ret_id = id;
	return 0;
}

int nr_writer__append(struct nr_writer *w, const struct nr_rec_hdr *rec)
{
	const struct wtype *wt;
	__u32 tail = 0, frames = 0, stored;
	struct nr_rec_hdr *h;
	__u8 *dst;
	int err;

	err = get_err(w);
	if (err)
		return err;
	if (!rec || rec->type >= NR_TYPES_MAX || !w->wt[rec->type].s || rec->size % 8)
		return -EINVAL;
	wt = &w->wt[rec->type];
	if (rec->size < wt->s->fixed_size)
		return -EINVAL;
	if (wt->s->tail_codec != NR_TAIL_NONE) {
		tail = nr_schema_tail_len(wt->s, rec);
		if (tail > wt->s->tail_max)
			return -EINVAL;
	}
	stored = wt->s->fixed_size + (__u32)nr_align8(tail);
	if (rec->flags & NR_RF_STACK_INLINE) {
		if (!wt->has_stack)
			return -EINVAL;
		frames = nr_ld32((const __u8 *)rec + wt->stack_off);
		if (frames > NR_STACK_MAX)
			return -EINVAL;
	} else if (wt->has_stack &&
		   nr_ld32((const __u8 *)rec + wt->stack_off) > w->nr_stacks) {
		return -EINVAL;	/* an id the file would not define */
	}
	if (rec->size != stored + 8 * frames)
		return -EINVAL;

	if (w->cur_n && w->cur.len + stored > w->opts.chunk_bytes) {
		err = seal(w);
		if (err)
			return err;
	}
	if (w->cur.len + stored > w->cur.cap && nr_buf_reserve(&w->cur, stored))
		return -ENOMEM;
	dst = w->cur.p + w->cur.len;
	memcpy(dst, rec, stored);
	h = (struct nr_rec_hdr *)dst;
	h->size = stored;
	h->flags &= ~NR_RF_STACK_INLINE;
	if (rec->flags & NR_RF_STACK_INLINE) {
		__u32 id = 0;

		if (frames)
			id = intern_stack(w, (const __u64 *)((const __u8 *)rec + stored), frames);
		memcpy(dst + wt->stack_off, &id, 4);
	}
	for (__u8 k = 0; k < wt->nsym; k++)
		resolve_addr(w, nr_ld64(dst + wt->sym_off[k]));
	w->cur.len += stored;
	if (w->cur_n && rec->ts_ns < w->cur_last_ts)
		w->cur_sorted = false;
	w->cur_last_ts = rec->ts_ns;
	w->cur_n++;
	w->events++;
	w->raw_bytes += stored;
	if (w->cur.len >= w->opts.chunk_bytes)
		return seal(w);
	/* a burst of new stacks or symbols: write them ahead, they precede the chunk anyway */
	if (w->syms.len > PENDING_MAX || w->stacks.len > PENDING_MAX)
		return seal_some(w, false);
	return 0;
}

int nr_writer__flush(struct nr_writer *w)
{
	int err = seal(w);

	wait_idle(w);
	return err ? err : get_err(w);
}

int nr_writer__seal(struct nr_writer *w)
{
	return seal(w);
}

void nr_writer__stats(const struct nr_writer *w, struct nr_writer_stats *ret)
{
	ret->events = w->events;
	ret->raw_bytes = w->raw_bytes;
	ret->chunks = __atomic_load_n(&w->chunks, __ATOMIC_ACQUIRE);
	ret->file_bytes = __atomic_load_n(&w->off, __ATOMIC_ACQUIRE);
}

/* ---- metadata ---- */

int nr_writer__host(struct nr_writer *w, const struct nr_host *host)
{
	struct nr_buf b;

	new_meta_buf(w, &b);
	return submit_meta(w, NR_BLK_HOST, &b, nr_meta_enc_host(&b, host));
}

int nr_writer__clock(struct nr_writer *w, const struct nr_clock *clk, bool at_end)
{
	struct nr_buf b;

	new_meta_buf(w, &b);
	return submit_meta(w, NR_BLK_CLOCK, &b, nr_meta_enc_clock(&b, clk, at_end));
}

int nr_writer__cmdline(struct nr_writer *w, __u32 argc, char *const *argv, const char *filter)
{
	struct nr_buf b;

	new_meta_buf(w, &b);
	return submit_meta(w, NR_BLK_CMDLINE, &b, nr_meta_enc_cmdline(&b, argc, argv, filter));
}

int nr_writer__probes(struct nr_writer *w, const struct nr_probe_outcome *p, __u32 n)
{
	struct nr_buf b;

	new_meta_buf(w, &b);
	return submit_meta(w, NR_BLK_PROBES, &b, nr_meta_enc_probes(&b, p, n));
}

int nr_writer__enum(struct nr_writer *w, const struct nr_enum *e)
{
	struct nr_buf b;

	new_meta_buf(w, &b);
	return submit_meta(w, NR_BLK_ENUM, &b, nr_meta_enc_enum(&b, e));
}

int nr_writer__ifaces(struct nr_writer *w, const struct nr_netns *ns,
		      const struct nr_iface *ifs, __u32 n)
{
	struct nr_buf b;

	if (!ns || (n && !ifs))
		return -EINVAL;
	new_meta_buf(w, &b);
	return submit_meta(w, NR_BLK_NETDEV, &b, nr_meta_enc_netdev(&b, ns, ifs, n));
}

int nr_writer__raw_block(struct nr_writer *w, __u16 type, __u16 flags, const void *payload,
			 size_t len)
{
	struct nr_buf b;
	int err;

	err = seal(w);
	if (err)
		return err;
	new_meta_buf(w, &b);
	nr_buf_put(&b, payload, len);
	if (b.err) {
		err = b.err;
		nr_buf_free(&b);
		return err;
	}
	return submit_block(w, type, flags, &b);
}

/* ---- open and close ---- */

static int write_header(struct nr_writer *w)
{
	__u8 h[NR_FILE_HDR_SIZE];
	__u32 v32, crc;
	__u16 v16;
	struct iovec iov = { h, sizeof(h) };

	memset(h, 0, sizeof(h));
	memcpy(h, NR_MAGIC, NR_MAGIC_LEN);
	v32 = nr_sw32(NR_BYTE_ORDER_MAGIC, w->swap);
	memcpy(h + 8, &v32, 4);
	v16 = nr_sw16(NR_FILE_MAJOR, w->swap);
	memcpy(h + 12, &v16, 2);
	v16 = nr_sw16(w->minor, w->swap);
	memcpy(h + 14, &v16, 2);
	v32 = nr_sw32(NR_FILE_HDR_SIZE, w->swap);
	memcpy(h + 16, &v32, 4);
	crc = nr_sw32(nr_crc32c(0, h, sizeof(h)), w->swap);
	memcpy(h + 28, &crc, 4);
	int err;

	w->off = 0;
	err = write_all(w->fd, &iov, 1);
	if (err)
		return err;
	w->off = sizeof(h);
	return 0;
}

static bool opts_valid(const void *opts, size_t known)
{
	const __u8 *p = opts;
	size_t sz = *(const size_t *)opts, i;

	for (i = known; i < sz; i++)
		if (p[i])
			return false;
	return true;
}

static void writer_free(struct nr_writer *w)
{
	struct job *j, *next;

	for (j = w->qhead; j; j = next) {
		next = j->next;
		job_free(j);
	}
	job_free(w->spare);
	nr_buf_free(&w->cur);
	nr_buf_free(&w->syms);
	nr_buf_free(&w->stacks);
	nr_buf_free(&w->e);
	nr_buf_free(&w->blk);
	u64set_free(&w->addrs);
	u64set_free(&w->symaddrs);
	free(w->stab);
	free(w->frames);
	free(w->stack_off);
	free(w->stack_nr);
	free(w->ichunks);
	free(w->imeta);
	free(w->sortv);
	free(w->offs);
	free(w->wt);
	nr_chunk_enc_free(&w->enc);
	ZSTD_freeCCtx(w->cctx);
	if (w->thr_started) {
		pthread_mutex_destroy(&w->mu);
		pthread_cond_destroy(&w->cv_work);
		pthread_cond_destroy(&w->cv_done);
	}
	free(w);
}

int nr_writer__open_test(const char *path, const struct nr_writer_opts *opts,
			 const struct nr_writer_test_opts *t, struct nr_writer **ret)
{
	const struct nr_schema *const *all;
	struct nr_writer *w;
	struct nr_buf b;
	size_t n, i;
	int err, level;

	if (!path || !ret)
		return -EINVAL;
	if (opts && (opts->sz < offsetof(struct nr_writer_opts, chunk_bytes) ||
		     !opts_valid(opts, sizeof(*opts))))
		return -EINVAL;
	w = calloc(1, sizeof(*w));
	if (!w)
		return -ENOMEM;
	w->fd = -1;
	if (opts)
		memcpy(&w->opts, opts, opts->sz < sizeof(*opts) ? opts->sz : sizeof(*opts));
	w->opts.sz = sizeof(w->opts);
	if (!w->opts.chunk_bytes)
		w->opts.chunk_bytes = NR_CHUNK_RAW_DEFAULT;
	if (w->opts.chunk_bytes > NR_CHUNK_RAW_MAX) {
		err = -EINVAL;
		goto err_free;
	}
	level = w->opts.compress_level ? w->opts.compress_level : DEFAULT_LEVEL;
	if (level < ZSTD_minCLevel() || level > ZSTD_maxCLevel()) {
		err = -EINVAL;
		goto err_free;
	}
	w->minor = NR_FILE_MINOR;
	if (t) {
		w->swap = t->foreign_endian;
		w->no_sort = t->no_sort;
		w->no_zstd = t->no_zstd;
		w->split = t->split_streams;
		if (t->minor)
			w->minor = t->minor;
	}
	all = nr_schema_builtin_all(&n);
	if (t && t->schemas) {
		all = t->schemas;
		n = t->nr_schemas;
	}
	w->wt = calloc(NR_TYPES_MAX, sizeof(*w->wt));
	if (!w->wt) {
		err = -ENOMEM;
		goto err_free;
	}
	for (i = 0; i < n; i++) {
		const struct nr_schema *s = all[i];
		struct wtype *wt = &w->wt[s->type];
		char msg[NR_ERRMSG_LEN];
		__u32 f;

		if (nr_schema_check(s, msg, sizeof(msg)) || w->set.by_type[s->type]) {
			err = -EINVAL;
			goto err_free;
		}
		w->set.by_type[s->type] = s;
		wt->s = s;
		for (f = 0; f < s->nr_fields; f++) {
			const struct nr_field *fd = &s->fields[f];

			if ((fd->flags & NR_FLD_STACK) && fd->codec == NR_COL_INT && fd->width == 4) {
				wt->has_stack = true;
				wt->stack_off = fd->off;
			}
			if ((fd->flags & NR_FLD_SYM) && fd->width == 8 &&
			    wt->nsym < sizeof(wt->sym_off) / sizeof(wt->sym_off[0]))
				wt->sym_off[wt->nsym++] = fd->off;
		}
	}
	w->cctx = ZSTD_createCCtx();
	if (!w->cctx) {
		err = -ENOMEM;
		goto err_free;
	}
	ZSTD_CCtx_setParameter(w->cctx, ZSTD_c_compressionLevel, level);
	ZSTD_CCtx_setParameter(w->cctx, ZSTD_c_checksumFlag, 0);
	ZSTD_CCtx_setParameter(w->cctx, ZSTD_c_contentSizeFlag, 1);
	w->cur_sorted = true;
	w->e.max = NR_CHUNK_ENC_MAX;

	w->fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
		     w->opts.mode ? w->opts.mode : 0600);
	if (w->fd < 0) {
		err = -errno;
		goto err_free;
	}
	if (fchmod(w->fd, w->opts.mode ? w->opts.mode : 0600)) {
		err = -errno;
		goto err_close;
	}
	err = write_header(w);
	if (err)
		goto err_close;
	new_meta_buf(w, &b);
	err = nr_meta_enc_schema(&b, all, n);
	if (!err)
		err = write_block(w, NR_BLK_SCHEMA, 0, b.p, b.len);
	nr_buf_free(&b);
	if (err)
		goto err_close;

	if (w->opts.async) {
		pthread_mutex_init(&w->mu, NULL);
		pthread_cond_init(&w->cv_work, NULL);
		pthread_cond_init(&w->cv_done, NULL);
		w->thr_started = true;
		err = -pthread_create(&w->thr, NULL, worker, w);
		if (err) {
			w->thr_started = false;
			pthread_mutex_destroy(&w->mu);
			pthread_cond_destroy(&w->cv_work);
			pthread_cond_destroy(&w->cv_done);
			goto err_close;
		}
	}
	*ret = w;
	return 0;

err_close:
	close(w->fd);
	unlink(path);
err_free:
	writer_free(w);
	return err;
}

int nr_writer__open(const char *path, const struct nr_writer_opts *opts, struct nr_writer **ret)
{
	return nr_writer__open_test(path, opts, NULL, ret);
}

static int write_index_and_end(struct nr_writer *w)
{
	struct nr_buf b;
	__u64 index_off, events = 0;
	size_t i;
	int err;

	new_meta_buf(w, &b);
	b.max = 0;
	nr_buf_u32(&b, 1);			/* version */
	nr_buf_u32(&b, NR_INDEX_CHUNK_ENT);
	nr_buf_u32(&b, NR_INDEX_META_ENT);
	nr_buf_u32(&b, (__u32)w->nichunks);
	nr_buf_u32(&b, (__u32)w->nimeta);
	nr_buf_u32(&b, 0);
	for (i = 0; i < w->nichunks; i++) {
		const struct idx_chunk *c = &w->ichunks[i];

		nr_buf_u64(&b, c->off);
		nr_buf_u64(&b, c->first_ts);
		nr_buf_u64(&b, c->last_ts);
		nr_buf_u64(&b, c->raw_bytes);
		nr_buf_u32(&b, c->nr_events);
		nr_buf_u32(&b, c->flags);
		nr_buf_u64(&b, c->size);
		events += c->nr_events;
	}
	for (i = 0; i < w->nimeta; i++) {
		nr_buf_u64(&b, w->imeta[i].off);
		nr_buf_u16(&b, w->imeta[i].type);
		nr_buf_u16(&b, 0);
		nr_buf_u32(&b, 0);
	}
	if (b.err) {
		err = b.err;
		nr_buf_free(&b);
		return err;
	}
	index_off = w->off;
	err = write_block(w, NR_BLK_INDEX, 0, b.p, b.len);
	nr_buf_free(&b);
	if (err)
		return err;

	new_meta_buf(w, &b);
	nr_buf_u32(&b, 1);
	nr_buf_u32(&b, 0);
	nr_buf_u64(&b, index_off);
	nr_buf_u64(&b, events);
	nr_buf_u64(&b, w->nichunks);
	err = b.err ? b.err : write_block(w, NR_BLK_END, 0, b.p, b.len);
	nr_buf_free(&b);
	return err;
}

int nr_writer__close(struct nr_writer *w)
{
	int err, cerr;

	if (!w)
		return 0;
	seal(w);
	if (w->thr_started) {
		pthread_mutex_lock(&w->mu);
		w->stop = true;
		pthread_cond_signal(&w->cv_work);
		pthread_mutex_unlock(&w->mu);
		pthread_join(w->thr, NULL);
		w->thr_started = false;
		pthread_mutex_destroy(&w->mu);
		pthread_cond_destroy(&w->cv_work);
		pthread_cond_destroy(&w->cv_done);
	}
	err = get_err(w);
	if (!err) {
		err = write_index_and_end(w);
		if (err)
			set_err(w, err);
	}
	cerr = close(w->fd) ? -errno : 0;
	if (!err)
		err = cerr;
	writer_free(w);
	return err;
}
