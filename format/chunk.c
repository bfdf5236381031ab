// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * chunk.c - column encoding and decoding of a chunk's records
 *
 * E, the encoded chunk, is a sequence of sections whose sizes all follow from the record
 * count and from sections before them (FORMAT.md "Chunk encoding"):
 *   TYPE   n x u16          FLAGS  n x u16          TS  8 byte planes of n deltas
 *   then per record type present, ascending: one column per schema field, in schema
 *   order, over that type's records; then the type's tail sections.
 * Columns make equal values adjacent, so zstd removes what repeats; addresses go through
 * a small slot cache so a recycled skb costs one byte; packet snapshots are coded as
 * 16-bit word differences against an earlier snapshot of the same flow, so a stream of
 * near-identical packets costs a few constant bytes each, which zstd then removes too.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chunk.h"
#include "netrec_abi.h"

static int grow(void **p, size_t *cap, size_t n, size_t elem)
{
	void *q;

	if (n <= *cap)
		return 0;
	q = realloc(*p, n * elem);
	if (!q)
		return -ENOMEM;
	*p = q;
	*cap = n;
	return 0;
}

static __u64 field_get(const __u8 *rec, const struct nr_field *f)
{
	const __u8 *p = rec + f->off;

	switch (f->width) {
	case 1: return *p;
	case 2: return nr_ld16(p);
	case 4: return nr_ld32(p);
	default: return nr_ld64(p);
	}
}

static __u8 *buf_grab(struct nr_buf *b, size_t n)
{
	if (b->len + n > b->cap && nr_buf_reserve(b, n))
		return NULL;
	b->len += n;
	return b->p + b->len - n;
}

static void put_planes(struct nr_buf *e, const __u64 *v, size_t n)
{
	__u8 *p = buf_grab(e, 8 * n);
	size_t i;
	int k;

	if (!p)
		return;
	for (k = 0; k < 8; k++, p += n)
		for (i = 0; i < n; i++)
			p[i] = (__u8)(v[i] >> (8 * k));
}

/* 16-bit big-endian word @w of a @len-byte snapshot, bytes past the end read as 0 */
static inline unsigned int snap_word(const __u8 *p, __u32 len, __u32 w)
{
	unsigned int hi = 2 * w < len ? p[2 * w] : 0;
	unsigned int lo = 2 * w + 1 < len ? p[2 * w + 1] : 0;

	return hi << 8 | lo;
}

static __u64 hash_bytes(__u64 h, const __u8 *p, size_t n)
{
	while (n--)
		h = (h ^ *p++) * 0x100000001b3ull;
	return h;
}

/*
 * The key of the flow a snapshot belongs to: addresses, protocol and ports at
 * the offsets the record gives (else the first bytes). Only the encoder uses it, to
 * pick the reference: the decoder follows the slot numbers it finds, so the choice can
 * improve without a format change.
 */
static __u64 snap_key(const struct nr_schema *s, const __u8 *rec, const __u8 *snap, __u32 len)
{
	__u64 h = 0xcbf29ce484222325ull;

	if (s->type == NR_REC_PKT) {
		const struct nr_pkt *p = (const void *)rec;
		__u32 l3 = p->snap_l3, l4 = p->snap_l4;

		/* not the probe: one packet seen at successive points is the same bytes */
		if (l3 != NR_OFF_NONE && l3 < len) {
			unsigned int ver = snap[l3] >> 4;

			if (ver == 4 && l3 + 20 <= len) {
				h = hash_bytes(h, snap + l3 + 9, 1);
				h = hash_bytes(h, snap + l3 + 12, 8);
			} else if (ver == 6 && l3 + 40 <= len) {
				h = hash_bytes(h, snap + l3 + 6, 1);
				h = hash_bytes(h, snap + l3 + 8, 32);
			} else {
				h = hash_bytes(h, snap + l3, len - l3 < 16 ? len - l3 : 16);
			}
			if (l4 != NR_OFF_NONE && l4 + 4 <= len)
				h = hash_bytes(h, snap + l4, 4);
			return h;
		}
	}
	return hash_bytes(h, snap, len < 16 ? len : 16);
}

/*
 * Flow key -> reference slot, so each of up to NR_SNAP_REFS flows keeps its own
 * reference; a new flow takes the slot used longest ago.
 */
#define FLOWMAP_SIZE	1024

struct flowmap {
	__u64 key[FLOWMAP_SIZE];
	__u16 slot[FLOWMAP_SIZE];
	__u64 owner[NR_SNAP_REFS];	/* key whose snapshot a slot holds */
	__u64 used[NR_SNAP_REFS];	/* when the slot was last used */
	__u64 clock;
};

static unsigned int flowmap_slot(struct flowmap *fm, __u64 key)
{
	unsigned int i, h = (unsigned int)(key >> 32 ^ key) & (FLOWMAP_SIZE - 1), best = 0;
	unsigned int free_i = FLOWMAP_SIZE, slot;

	key |= 1;	/* 0 marks an empty entry */
	for (i = 0; i < 8; i++) {
		unsigned int k = (h + i) & (FLOWMAP_SIZE - 1);

		if (fm->key[k] == key && fm->owner[fm->slot[k]] == key) {
			slot = fm->slot[k];
			fm->used[slot] = ++fm->clock;
			return slot;
		}
		if (free_i == FLOWMAP_SIZE &&
		    (!fm->key[k] || fm->owner[fm->slot[k]] != fm->key[k]))
			free_i = k;	/* empty, or its slot went to another flow */
	}
	for (i = 1; i < NR_SNAP_REFS; i++)
		if (fm->used[i] < fm->used[best])
			best = i;
	slot = best;
	fm->owner[slot] = key;
	fm->used[slot] = ++fm->clock;
	if (free_i == FLOWMAP_SIZE)
		free_i = h;
	fm->key[free_i] = key;
	fm->slot[free_i] = (__u16)slot;
	return slot;
}

struct snap_ref {
	const __u8 *p;
	__u32 len;
};

static int encode_snap_tail(const struct nr_schema *s, const __u8 *recs, const __u32 *offs,
			    const __u32 *idx, __u32 cnt, struct nr_buf *e)
{
	struct snap_ref ref[NR_SNAP_REFS];
	struct nr_buf masks = { 0 }, data = { 0 };
	struct flowmap *fm = calloc(1, sizeof(*fm));
	__u32 j, w;
	int err;

	if (!fm)
		return -ENOMEM;
	memset(ref, 0, sizeof(ref));
	for (j = 0; j < cnt; j++) {
		const __u8 *rec = recs + offs[idx[j]];
		__u32 len = nr_schema_tail_len(s, rec);
		const __u8 *snap = rec + s->fixed_size;
		unsigned int slot;
		__u32 nw, rlen;
		__u8 *m;

		if (!len)
			continue;
		slot = flowmap_slot(fm, snap_key(s, rec, snap, len));
		nr_buf_u8(e, (__u8)slot);
		nw = (len + 1) / 2;
		m = buf_grab(&masks, (nw + 7) / 8);
		if (!m)
			break;
		memset(m, 0, (nw + 7) / 8);
		rlen = ref[slot].len < len ? ref[slot].len : len;
		for (w = 0; w < nw; w++) {
			unsigned int r = (snap_word(snap, len, w) -
					  snap_word(ref[slot].p, rlen, w)) & 0xffff;
			__u8 le[2] = { (__u8)r, (__u8)(r >> 8) };

			if (!r)
				continue;
			m[w / 8] |= (__u8)(1u << (w % 8));
			nr_buf_put(&data, le, 2);
		}
		ref[slot].p = snap;
		ref[slot].len = len;
	}
	err = masks.err ? masks.err : data.err;
	if (!err) {
		nr_buf_put(e, masks.p, masks.len);
		nr_buf_put(e, data.p, data.len);
	}
	nr_buf_free(&masks);
	nr_buf_free(&data);
	free(fm);
	return err;
}

int nr_chunk_encode(struct nr_chunk_enc *ce, const struct nr_schema_set *set,
		    const __u8 *recs, const __u32 *offs, __u32 n, __u64 first_ts,
		    struct nr_buf *e)
{
	__u32 start[NR_TYPES_MAX], lcnt[NR_TYPES_MAX];
	__u64 prev = first_ts;
	__u32 i, t, j, f;
	__u8 *p;

	{

		memset(lcnt, 0, sizeof(lcnt));
		if (grow((void **)&ce->scratch, &ce->scratch_cap, n ? n : 1, sizeof(__u64)) ||
		    grow((void **)&ce->idx, &ce->idx_cap, n ? n : 1, sizeof(__u32)))
			return -ENOMEM;

		p = buf_grab(e, 4 * (size_t)n);
		if (!p)
			return e->err;
		for (i = 0; i < n; i++) {
			const struct nr_rec_hdr *h = (const void *)(recs + offs[i]);

			nr_st16le(p + 2 * i, h->type);
			nr_st16le(p + 2 * (n + i), h->flags & ~NR_RF_STACK_INLINE);
			ce->scratch[i] = h->ts_ns - prev;
			prev = h->ts_ns;
			lcnt[h->type]++;
		}
		put_planes(e, ce->scratch, n);

		for (t = 0, j = 0; t < NR_TYPES_MAX; t++) {
			start[t] = j;
			j += lcnt[t];
		}
		for (i = 0; i < n; i++) {
			const struct nr_rec_hdr *h = (const void *)(recs + offs[i]);

			ce->idx[start[h->type]++] = i;
		}

		for (t = 0, j = 0; t < NR_TYPES_MAX; t++) {
			const struct nr_schema *s;
			const __u32 *idx = ce->idx + j;
			__u32 c = lcnt[t];

			if (!c)
				continue;
			j += c;
			s = set->by_type[t];
			if (!s)
				return -EINVAL;
			for (f = 0; f < s->nr_fields; f++) {
				const struct nr_field *fd = &s->fields[f];
				__u32 k;

				switch (fd->codec) {
				case NR_COL_INT:
					p = buf_grab(e, (size_t)c * fd->width);
					if (!p)
						return e->err;
					for (k = 0; k < c; k++, p += fd->width) {
						__u64 v = field_get(recs + offs[idx[k]], fd);

						switch (fd->width) {
						case 1: *p = (__u8)v; break;
						case 2: nr_st16le(p, (__u16)v); break;
						case 4: nr_st32le(p, (__u32)v); break;
						default: nr_st64le(p, v); break;
						}
					}
					break;
				case NR_COL_ADDR: {
					__u64 table[256];
					__u32 nlit = 0;

					memset(table, 0, sizeof(table));
					p = buf_grab(e, c);
					if (!p)
						return e->err;
					for (k = 0; k < c; k++) {
						__u64 v = nr_ld64(recs + offs[idx[k]] + fd->off);
						unsigned int slot;

						if (!v) {
							p[k] = 0;
							continue;
						}
						slot = nr_addr_slot(v);
						if (table[slot] == v) {
							p[k] = (__u8)slot;
							continue;
						}
						p[k] = NR_ADDR_LITERAL;
						table[slot] = v;
						ce->scratch[nlit++] = v;
					}
					put_planes(e, ce->scratch, nlit);
					break;
				}
				default:	/* NR_COL_BYTES */
					p = buf_grab(e, (size_t)c * fd->width);
					if (!p)
						return e->err;
					for (k = 0; k < c; k++, p += fd->width)
						memcpy(p, recs + offs[idx[k]] + fd->off, fd->width);
					break;
				}
			}
			if (s->tail_codec == NR_TAIL_RAW) {
				for (f = 0; f < c; f++) {
					const __u8 *rec = recs + offs[idx[f]];

					nr_buf_put(e, rec + s->fixed_size, nr_schema_tail_len(s, rec));
				}
			} else if (s->tail_codec == NR_TAIL_SNAP) {
				int err = encode_snap_tail(s, recs, offs, idx, c, e);

				if (err)
					return err;
			}
		}
	}
	return e->err;
}

void nr_chunk_enc_free(struct nr_chunk_enc *ce)
{
	free(ce->scratch);
	free(ce->idx);
	memset(ce, 0, sizeof(*ce));
}

#define BAD(...) do { snprintf(msg, msglen, __VA_ARGS__); return -EBADMSG; } while (0)

/* set bits of a byte (no popcnt instruction assumed) */
static const __u8 popcnt8[256] = {
#define B2(n) n, n + 1, n + 1, n + 2
#define B4(n) B2(n), B2(n + 1), B2(n + 1), B2(n + 2)
#define B6(n) B4(n), B4(n + 1), B4(n + 1), B4(n + 2)
	B6(0), B6(1), B6(1), B6(2)
#undef B2
#undef B4
#undef B6
};

void nr_chunk_dec_free(struct nr_chunk_dec *cd)
{
	free(cd->off);
	free(cd->tlen);
	free(cd->idx);
	free(cd->type);
	free(cd->recp);
	free(cd->sec);
	free(cd->nlit);
	memset(cd, 0, sizeof(*cd));
}

static int dec_grow(struct nr_chunk_dec *cd, size_t n)
{
	size_t cap = cd->cap, c1 = cap, c2 = cap, c3 = cap, c4 = cap, c5 = cap;

	if (n <= cap)
		return 0;
	if (grow((void **)&cd->off, &c1, n, sizeof(__u32)) ||
	    grow((void **)&cd->tlen, &c2, n, sizeof(__u32)) ||
	    grow((void **)&cd->idx, &c3, n, sizeof(__u32)) ||
	    grow((void **)&cd->type, &c4, n, sizeof(__u16)) ||
	    grow((void **)&cd->recp, &c5, n, sizeof(__u8 *)))
		return -ENOMEM;
	cd->cap = n;
	return 0;
}

static __u64 ld_le(const __u8 *p, unsigned int width)
{
	switch (width) {
	case 1: return *p;
	case 2: return nr_ld16le(p);
	case 4: return nr_ld32le(p);
	default: return nr_ld64le(p);
	}
}

static inline __u64 from_planes(const __u8 *p, size_t n, size_t i)
{
	__u64 v = 0;
	int k;

	for (k = 7; k >= 0; k--)
		v = v << 8 | p[k * n + i];
	return v;
}

/* per present type: where its sections start */
struct tinfo {
	__u32 t, cnt, first;	/* first: index into cd->idx */
	size_t fsec;		/* first entry in cd->sec: one per field */
	size_t tail_pos;	/* tail sections */
	size_t refs_pos, masks_pos, data_pos, tail_end;
};

int nr_chunk_decode(struct nr_chunk_dec *cd, const __u8 *e, size_t elen, __u32 n,
		    __u64 first_ts, __u64 raw_bytes, const struct nr_dec_type *types,
		    __u8 **buf, size_t *bufcap, struct nr_chunk_out *out, char *msg,
		    size_t msglen)
{
	struct tinfo ti[64], *tis = ti;
	size_t nti = 0, pos, nsec = 0, out_len = 0, i;
	__u64 file_len = 0, ts, prev, min_ts = ~0ull, max_ts = 0;
	bool sorted = true;
	__u8 *o = NULL;
	__u32 j;

	memset(out, 0, sizeof(*out));
	if (n == 0) {
		if (elen)
			BAD("%zu encoded bytes for no records", elen);
		return 0;
	}
	if ((size_t)n > elen / 12)
		BAD("%u records need more than the %zu encoded bytes", n, elen);
	if (dec_grow(cd, n))
		return -ENOMEM;

	/* record types, and the set of types present */
	for (i = 0; i < n; i++) {
		__u16 t = nr_ld16le(e + 2 * i);
		size_t k;

		if (t >= NR_TYPES_MAX || !types[t].s)
			BAD("record %zu: type %u has no schema", i, t);
		cd->type[i] = t;
		for (k = 0; k < nti; k++)
			if (tis[k].t == t)
				break;
		if (k == nti) {
			if (nti == sizeof(ti) / sizeof(ti[0]))
				BAD("more than %zu record types in one chunk", nti);
			memset(&tis[k], 0, sizeof(tis[k]));
			tis[k].t = t;
			nti++;
		}
		tis[k].cnt++;
	}
	/* ascending type order, as the encoder writes them */
	for (i = 1; i < nti; i++) {
		struct tinfo x = tis[i];
		size_t k = i;

		for (; k > 0 && tis[k - 1].t > x.t; k--)
			tis[k] = tis[k - 1];
		tis[k] = x;
	}
	for (i = 0, j = 0; i < nti; i++) {
		tis[i].first = j;
		j += tis[i].cnt;
		nsec += types[tis[i].t].s->nr_fields;
	}
	{
		__u32 fill[64];

		for (i = 0; i < nti; i++)
			fill[i] = tis[i].first;
		for (i = 0; i < n; i++) {
			size_t k = 0;

			while (tis[k].t != cd->type[i])
				k++;
			cd->idx[fill[k]++] = (__u32)i;
		}
	}
	{
		size_t cap1 = cd->sec_cap, cap2 = cd->sec_cap;

		if (grow((void **)&cd->sec, &cap1, nsec ? nsec : 1, sizeof(size_t)) ||
		    grow((void **)&cd->nlit, &cap2, nsec ? nsec : 1, sizeof(size_t)))
			return -ENOMEM;
		cd->sec_cap = cap1 < cap2 ? cap1 : cap2;
	}

	/* locate every section; read tail lengths; check everything fits in E */
	pos = 12 * (size_t)n;
	nsec = 0;
	for (i = 0; i < nti; i++) {
		struct tinfo *x = &tis[i];
		const struct nr_dec_type *dt = &types[x->t];
		const struct nr_schema *s = dt->s;
		const __u32 *idx = cd->idx + x->first;
		__u32 f, k;

		x->fsec = nsec;
		for (f = 0; f < s->nr_fields; f++) {
			const struct nr_field *fd = &s->fields[f];
			size_t sz;

			cd->sec[nsec++] = pos;
			if (fd->codec == NR_COL_ADDR) {
				size_t lit = 0;

				if (x->cnt > elen - pos)
					BAD("type %u field %u: column past the end", x->t, f);
				for (k = 0; k < x->cnt; k++)
					lit += e[pos + k] == NR_ADDR_LITERAL;
				cd->nlit[nsec - 1] = lit;
				sz = x->cnt + 8 * lit;
			} else {
				sz = (size_t)x->cnt * fd->width;
			}
			if (sz > elen - pos)
				BAD("type %u field %u: column past the end", x->t, f);
			if (s->tail_codec != NR_TAIL_NONE && fd->off == s->tail_len_off) {
				for (k = 0; k < x->cnt; k++) {
					__u32 len = (__u32)ld_le(e + pos + (size_t)k * fd->width,
								 fd->width);

					if (len > dt->tail_max)
						BAD("record %u: %s tail of %u bytes exceeds %u",
						    idx[k], s->name ? s->name : "record", len,
						    dt->tail_max);
					cd->tlen[idx[k]] = len;
				}
			}
			pos += sz;
		}
		x->tail_pos = pos;
		if (s->tail_codec == NR_TAIL_NONE) {
			for (k = 0; k < x->cnt; k++)
				cd->tlen[idx[k]] = 0;
		} else if (s->tail_codec == NR_TAIL_RAW) {
			size_t sum = 0;

			for (k = 0; k < x->cnt; k++)
				sum += cd->tlen[idx[k]];
			if (sum > elen - pos)
				BAD("type %u: tails past the end", x->t);
			pos += sum;
		} else {
			size_t nref = 0, mbytes = 0, pop = 0;

			for (k = 0; k < x->cnt; k++) {
				__u32 len = cd->tlen[idx[k]];

				if (len) {
					nref++;
					mbytes += ((len + 1) / 2 + 7) / 8;
				}
			}
			if (nref > elen - pos || mbytes > elen - pos - nref)
				BAD("type %u: snapshot sections past the end", x->t);
			x->refs_pos = pos;	/* any byte is a valid reference: 256 of them */
			pos += nref;
			x->masks_pos = pos;
			for (k = 0, j = 0; k < x->cnt; k++) {
				__u32 len = cd->tlen[idx[k]], nw = (len + 1) / 2, mb = (nw + 7) / 8;

				if (!len)
					continue;
				if (nw % 8 && (e[pos + mb - 1] >> (nw % 8)))
					BAD("record %u: snapshot mask has bits past the end", idx[k]);
				for (j = 0; j < mb; j++)
					pop += popcnt8[e[pos + j]];
				pos += mb;
			}
			x->data_pos = pos;
			if (pop > (elen - pos) / 2)
				BAD("type %u: snapshot data past the end", x->t);
			pos += 2 * pop;
		}
		x->tail_end = pos;
	}
	if (pos != elen)
		BAD("%zu encoded bytes left over after the last column", elen - pos);

	/* output layout; the file's record bytes must match the chunk header */
	for (i = 0; i < n; i++) {
		const struct nr_dec_type *dt = &types[cd->type[i]];
		size_t al = nr_align8(cd->tlen[i]);

		file_len += dt->s->fixed_size + al;
		if (out_len > 4 * (size_t)NR_CHUNK_RAW_MAX)
			BAD("records too large when decoded");
		cd->off[i] = (__u32)out_len;
		out_len += dt->out_fixed + al;
	}
	if (out_len > 4 * (size_t)NR_CHUNK_RAW_MAX)
		BAD("records too large when decoded");
	if (file_len != raw_bytes)
		BAD("records take %llu bytes, header says %llu", (unsigned long long)file_len,
		    (unsigned long long)raw_bytes);
	if (out_len > *bufcap || !*buf) {
		size_t cap = out_len > 8 ? out_len : 8;
		__u8 *nb = malloc(cap);

		if (!nb)
			return -ENOMEM;
		free(*buf);
		*buf = nb;
		*bufcap = cap;
	}
	o = *buf;
	memset(o, 0, out_len);

	/* headers */
	ts = first_ts;
	for (i = 0; i < n; i++) {
		struct nr_rec_hdr *h = (void *)(o + cd->off[i]);

		prev = ts;
		ts += from_planes(e + 4 * (size_t)n, n, i);
		h->type = cd->type[i];
		h->flags = nr_ld16le(e + 2 * ((size_t)n + i)) & ~NR_RF_STACK_INLINE;
		h->size = types[h->type].out_fixed + (__u32)nr_align8(cd->tlen[i]);
		h->ts_ns = ts;
		if (ts < min_ts)
			min_ts = ts;
		if (ts > max_ts)
			max_ts = ts;
		if (i && ts < prev)
			sorted = false;
	}

	/* fields and tails, one type at a time, through a table of the type's records */
	for (i = 0; i < nti; i++) {
		const struct tinfo *x = &tis[i];
		const struct nr_dec_type *dt = &types[x->t];
		const struct nr_schema *s = dt->s;
		const __u32 *idx = cd->idx + x->first;
		const __u32 of = dt->out_fixed;
		__u8 **rp = cd->recp;
		__u32 f, k, c = x->cnt;

		for (k = 0; k < c; k++)
			rp[k] = o + cd->off[idx[k]];
		for (f = 0; f < s->nr_fields; f++) {
			const struct nr_field *fd = &s->fields[f];
			const __u8 *src = e + cd->sec[x->fsec + f];
			const __u32 fo = fd->off, fw = fd->width;
			bool keep = fo + fw <= of;

			if (fd->codec == NR_COL_ADDR) {
				__u64 table[256];
				const __u8 *lit = src + c;
				size_t nlit = 0, L = cd->nlit[x->fsec + f];

				memset(table, 0, sizeof(table));
				for (k = 0; k < c; k++) {
					__u8 code = src[k];
					__u64 v;

					if (code == 0) {
						v = 0;
					} else if (code == NR_ADDR_LITERAL) {
						v = from_planes(lit, L, nlit++);
						if (v)
							table[nr_addr_slot(v)] = v;
					} else {
						v = table[code];
					}
					if (keep)
						memcpy(rp[k] + fo, &v, 8);
				}
				continue;
			}
			if (!keep)
				continue;
			if (fd->codec == NR_COL_BYTES) {
				if (fw == 16) {
					for (k = 0; k < c; k++)
						memcpy(rp[k] + fo, src + 16 * (size_t)k, 16);
				} else {
					for (k = 0; k < c; k++)
						memcpy(rp[k] + fo, src + (size_t)k * fw, fw);
				}
				continue;
			}
			switch (fw) {
			case 1:
				for (k = 0; k < c; k++)
					rp[k][fo] = src[k];
				break;
			case 2:
				for (k = 0; k < c; k++) {
					__u16 v = nr_ld16le(src + 2 * (size_t)k);
					memcpy(rp[k] + fo, &v, 2);
				}
				break;
			case 4:
				for (k = 0; k < c; k++) {
					__u32 v = nr_ld32le(src + 4 * (size_t)k);
					memcpy(rp[k] + fo, &v, 4);
				}
				break;
			default:
				for (k = 0; k < c; k++) {
					__u64 v = nr_ld64le(src + 8 * (size_t)k);
					memcpy(rp[k] + fo, &v, 8);
				}
				break;
			}
		}
		if (s->tail_codec == NR_TAIL_RAW) {
			const __u8 *src = e + x->tail_pos;

			for (k = 0; k < c; k++) {
				__u32 len = cd->tlen[idx[k]];

				memcpy(rp[k] + of, src, len);
				src += len;
			}
		} else if (s->tail_codec == NR_TAIL_SNAP) {
			struct snap_ref ref[NR_SNAP_REFS];
			const __u8 *refs = e + x->refs_pos, *m = e + x->masks_pos;
			const __u8 *d = e + x->data_pos;

			memset(ref, 0, sizeof(ref));
			for (k = 0; k < c; k++) {
				__u32 len = cd->tlen[idx[k]], nw, w, cp;
				__u8 *snap = rp[k] + of;
				unsigned int slot;

				if (!len)
					continue;
				slot = *refs++;
				cp = ref[slot].len < len ? ref[slot].len : len;
				if (cp)
					memcpy(snap, ref[slot].p, cp);
				nw = (len + 1) / 2;
				for (w = 0; w < nw; w += 8) {
					unsigned int bits = *m++;

					while (bits) {
						unsigned int ww = w + (unsigned int)__builtin_ctz(bits);
						__u8 *q = snap + 2 * ww;
						unsigned int r = d[0] | (unsigned int)d[1] << 8;

						d += 2;
						bits &= bits - 1;
						if (2 * ww + 1 < len) {
							unsigned int v = ((unsigned int)q[0] << 8 | q[1]) + r;

							q[0] = (__u8)(v >> 8);
							q[1] = (__u8)v;
						} else {
							/* the last, odd byte: its low half is 0 */
							q[0] = (__u8)((((unsigned int)q[0] << 8) + r) >> 8);
						}
					}
				}
				ref[slot].p = snap;
				ref[slot].len = len;
			}
		}
	}

	out->recs = o;
	out->len = out_len;
	out->n = n;
	out->min_ts = min_ts;
	out->max_ts = max_ts;
	out->sorted = sorted;
	return 0;
}
