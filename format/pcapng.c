// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * pcapng.c - pcapng writer (see pcapng.h)
 *
 * Every block is laid out as
 *
 *   [type, total length, fixed fields]  [packet bytes]  [padding]  [options, trailer]
 *
 * The options are serialised into a per-writer scratch buffer (they are small: names,
 * comments, counters); packet bytes go out from the caller's buffer. The total length is
 * known before anything is written, so each block is one writev().
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include "pcapng.h"

#define PAD4(n)	(((n) + 3u) & ~3u)

struct nr_pcapng {
	int fd;
	int err;		/* first I/O error; sticky */
	bool seekable;		/* a regular file we can truncate back after a short write */
	__u32 nifaces;
	__u32 *snaplen;		/* per interface */
	__u64 off;		/* bytes of complete blocks written */
	__u64 packets;
	__u8 *opt;		/* scratch buffer for the options of the block being built */
	size_t opt_len;
	size_t opt_cap;
};

static const __u8 zeros[4];

static int opt_reserve(struct nr_pcapng *w, size_t more)
{
	size_t cap;
	__u8 *p;

	if (w->opt_len + more <= w->opt_cap)
		return 0;
	cap = w->opt_cap ? w->opt_cap : 256;
	while (cap < w->opt_len + more)
		cap *= 2;
	p = realloc(w->opt, cap);
	if (!p)
		return -ENOMEM;
	w->opt = p;
	w->opt_cap = cap;
	return 0;
}

/* Append an option header and @len bytes of @val (copied), padded to 4 bytes. */
static int opt_add(struct nr_pcapng *w, __u16 code, const void *val, size_t len)
{
	__u16 hdr[2] = { code, (__u16)len };
	int err;

	if (len > NR_PCAPNG_OPT_MAX)
		return -EINVAL;
	err = opt_reserve(w, 4 + PAD4(len));
	if (err)
		return err;
	memcpy(w->opt + w->opt_len, hdr, 4);
	/* @val NULL: zeros, for the caller to fill in */
	if (val)
		memcpy(w->opt + w->opt_len + 4, val, len);
	else
		memset(w->opt + w->opt_len + 4, 0, len);
	memset(w->opt + w->opt_len + 4 + len, 0, PAD4(len) - len);
	w->opt_len += 4 + PAD4(len);
	return 0;
}

/* Length in bytes of the valid UTF-8 sequence at @s (at most @n bytes), 0 if invalid. */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
	size_t len, i;
	__u32 cp;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2, cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		len = 3, cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4, cp = s[0] & 0x07;
	else
		return 0;
	if (len > n)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	/* overlong forms, UTF-16 surrogates, beyond U+10FFFF */
	if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	return len;
}

/* A string option, copied with invalid UTF-8 bytes replaced by '?'. NULL: nothing. */
static int opt_str(struct nr_pcapng *w, __u16 code, const char *s)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t len, i, n;
	__u8 *dst;
	int err;

	if (!s)
		return 0;
	len = strlen(s);
	err = opt_add(w, code, s, len);
	if (err)
		return err;
	dst = w->opt + w->opt_len - PAD4(len);
	for (i = 0; i < len; i += n) {
		n = utf8_seq(u + i, len - i);
		if (!n) {
			dst[i] = '?';
			n = 1;
		}
	}
	return 0;
}

static int opt_u64(struct nr_pcapng *w, __u16 code, __u64 v)
{
	return opt_add(w, code, &v, sizeof(v));
}

/* A timestamp option: high 32 bits, then low 32 bits (as in the EPB). */
static int opt_ts(struct nr_pcapng *w, __u16 code, __u64 ts)
{
	__u32 v[2] = { (__u32)(ts >> 32), (__u32)ts };

	return opt_add(w, code, v, sizeof(v));
}

/* Start the options of a new block. */
static void opt_begin(struct nr_pcapng *w)
{
	w->opt_len = 0;
}

/* Terminate the option list (only when there are options) and append the trailer. */
static int opt_end(struct nr_pcapng *w)
{
	int err;

	if (w->opt_len) {
		err = opt_add(w, NR_PCAPNG_OPT_ENDOFOPT, NULL, 0);
		if (err)
			return err;
	}
	/* room for the trailing block length, filled in by write_block() */
	err = opt_reserve(w, 4);
	if (err)
		return err;
	w->opt_len += 4;
	return 0;
}

/*
 * Write one block: @head (type, length placeholder and the fixed fields, @head_len bytes),
 * then @data_len bytes of @data padded to 4, then the options and trailer in w->opt.
 * Loops over short writes; on failure truncates a regular file back to the last
 * complete block so readers never see half a block followed by more data.
 */
static int write_block(struct nr_pcapng *w, void *head, size_t head_len, const void *data,
		       size_t data_len)
{
	size_t pad = PAD4(data_len) - data_len;
	__u64 total = head_len + data_len + pad + w->opt_len;
	struct iovec iov[4], *v = iov;
	int cnt = 0;
	__u32 len32;

	if (w->err)
		return w->err;
	if (total > UINT32_MAX)
		return -EINVAL;
	len32 = (__u32)total;
	memcpy((__u8 *)head + 4, &len32, 4);
	memcpy(w->opt + w->opt_len - 4, &len32, 4);

	iov[cnt++] = (struct iovec){ head, head_len };
	if (data_len)
		iov[cnt++] = (struct iovec){ (void *)data, data_len };
	if (pad)
		iov[cnt++] = (struct iovec){ (void *)zeros, pad };
	iov[cnt++] = (struct iovec){ w->opt, w->opt_len };

	while (cnt) {
		ssize_t n = writev(w->fd, v, cnt);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			w->err = -errno;
			goto fail;
		}
		if (n == 0) {
			w->err = -EIO;
			goto fail;
		}
		while (cnt && (size_t)n >= v->iov_len) {
			n -= v->iov_len;
			v++;
			cnt--;
		}
		if (cnt) {
			v->iov_base = (__u8 *)v->iov_base + n;
			v->iov_len -= n;
		}
	}
	w->off += total;
	return 0;
fail:
	if (w->seekable && ftruncate(w->fd, (off_t)w->off) == 0)
		lseek(w->fd, (off_t)w->off, SEEK_SET);
	return w->err;
}

static int write_shb(struct nr_pcapng *w, const struct nr_pcapng_opts *o)
{
	struct {
		__u32 type, len, magic;
		__u16 major, minor;
		__u64 section_len;
	} __attribute__((packed)) h = {
		.type = NR_PCAPNG_BT_SHB,
		.magic = NR_PCAPNG_BYTE_ORDER_MAGIC,
		.major = NR_PCAPNG_VERSION_MAJOR,
		.minor = NR_PCAPNG_VERSION_MINOR,
		.section_len = NR_PCAPNG_SECTION_LEN_UNKNOWN,
	};
	int err;

	opt_begin(w);
	if (o) {
		if ((err = opt_str(w, NR_PCAPNG_OPT_COMMENT, o->comment)) ||
		    (err = opt_str(w, NR_PCAPNG_SHB_HARDWARE, o->hardware)) ||
		    (err = opt_str(w, NR_PCAPNG_SHB_OS, o->os)) ||
		    (err = opt_str(w, NR_PCAPNG_SHB_USERAPPL, o->userappl)))
			return err;
	}
	err = opt_end(w);
	if (err)
		return err;
	return write_block(w, &h, sizeof(h), NULL, 0);
}

/* Copy the options struct the caller passed, whatever its (older or newer) size. */
static int copy_opts(const struct nr_pcapng_opts *in, struct nr_pcapng_opts *out)
{
	size_t i;

	memset(out, 0, sizeof(*out));
	if (!in)
		return 0;
	if (in->sz < sizeof(size_t))
		return -EINVAL;
	/* a newer caller's extra fields must be zero: we would ignore them silently */
	for (i = sizeof(*out); i < in->sz; i++)
		if (((const __u8 *)in)[i])
			return -EINVAL;
	memcpy(out, in, in->sz < sizeof(*out) ? in->sz : sizeof(*out));
	return 0;
}

int nr_pcapng__fdopen(int fd, const struct nr_pcapng_opts *opts, struct nr_pcapng **ret)
{
	struct nr_pcapng_opts o;
	struct nr_pcapng *w;
	struct stat st;
	int err;

	err = copy_opts(opts, &o);
	if (err) {
		close(fd);
		return err;
	}
	w = calloc(1, sizeof(*w));
	if (!w) {
		close(fd);
		return -ENOMEM;
	}
	w->fd = fd;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
		off_t pos = lseek(fd, 0, SEEK_CUR);

		w->seekable = true;
		w->off = pos > 0 ? (__u64)pos : 0;
	}
	err = write_shb(w, &o);
	if (err) {
		nr_pcapng__close(w);
		return err;
	}
	*ret = w;
	return 0;
}

int nr_pcapng__open(const char *path, const struct nr_pcapng_opts *opts, struct nr_pcapng **ret)
{
	struct nr_pcapng_opts o;
	int fd, err;

	err = copy_opts(opts, &o);
	if (err)
		return err;
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, o.mode ? o.mode : 0600);
	if (fd < 0)
		return -errno;
	err = nr_pcapng__fdopen(fd, opts, ret);
	if (err)
		unlink(path);
	return err;
}

int nr_pcapng__add_iface(struct nr_pcapng *w, const struct nr_pcapng_iface *ifc, __u32 *ret_id)
{
	struct {
		__u32 type, len;
		__u16 linktype, reserved;
		__u32 snaplen;
	} h = { .type = NR_PCAPNG_BT_IDB, .linktype = ifc->linktype, .snaplen = ifc->snaplen };
	__u8 tsresol = NR_PCAPNG_TSRESOL_NS;
	__u32 *sl;
	int err;

	if (w->nifaces == UINT32_MAX)
		return -EOVERFLOW;
	sl = realloc(w->snaplen, (w->nifaces + 1) * sizeof(*sl));
	if (!sl)
		return -ENOMEM;
	w->snaplen = sl;

	opt_begin(w);
	if ((err = opt_str(w, NR_PCAPNG_OPT_COMMENT, ifc->comment)) ||
	    (err = opt_str(w, NR_PCAPNG_IF_NAME, ifc->name)) ||
	    (err = opt_str(w, NR_PCAPNG_IF_DESCRIPTION, ifc->description)) ||
	    (err = opt_add(w, NR_PCAPNG_IF_TSRESOL, &tsresol, 1)))
		return err;
	if (ifc->mac && (err = opt_add(w, NR_PCAPNG_IF_MACADDR, ifc->mac, 6)))
		return err;
	if (ifc->filter) {
		/* if_filter: one byte saying which filter language (0: libpcap), then the text */
		size_t n = strlen(ifc->filter);

		if (n + 1 > NR_PCAPNG_OPT_MAX)
			return -EINVAL;
		err = opt_add(w, NR_PCAPNG_IF_FILTER, NULL, n + 1);
		if (err)
			return err;
		memcpy(w->opt + w->opt_len - PAD4(n + 1) + 1, ifc->filter, n);
	}
	if ((err = opt_str(w, NR_PCAPNG_IF_OS, ifc->os)) || (err = opt_end(w)))
		return err;
	err = write_block(w, &h, sizeof(h), NULL, 0);
	if (err)
		return err;
	w->snaplen[w->nifaces] = ifc->snaplen;
	*ret_id = w->nifaces++;
	return 0;
}

int nr_pcapng__packet(struct nr_pcapng *w, const struct nr_pcapng_pkt *p)
{
	struct {
		__u32 type, len, iface, ts_high, ts_low, caplen, origlen;
	} h = {
		.type = NR_PCAPNG_BT_EPB,
		.iface = p->iface,
		.ts_high = (__u32)(p->ts_ns >> 32),
		.ts_low = (__u32)p->ts_ns,
		.caplen = p->caplen,
		.origlen = p->len,
	};
	__u32 i;
	int err;

	if (p->iface >= w->nifaces || p->caplen > p->len ||
	    (w->snaplen[p->iface] && p->caplen > w->snaplen[p->iface]) ||
	    (p->caplen && !p->data) || (p->ncomments && !p->comments) || (p->nopts && !p->opts))
		return -EINVAL;

	opt_begin(w);
	for (i = 0; i < p->ncomments; i++) {
		err = opt_str(w, NR_PCAPNG_OPT_COMMENT, p->comments[i]);
		if (err)
			return err;
	}
	if (p->flags && (err = opt_add(w, NR_PCAPNG_EPB_FLAGS, &p->flags, 4)))
		return err;
	for (i = 0; i < p->nopts; i++) {
		err = opt_add(w, p->opts[i].code, p->opts[i].data, p->opts[i].len);
		if (err)
			return err;
	}
	err = opt_end(w);
	if (err)
		return err;
	err = write_block(w, &h, sizeof(h), p->data, p->caplen);
	if (err)
		return err;
	w->packets++;
	return 0;
}

int nr_pcapng__ifstats(struct nr_pcapng *w, const struct nr_pcapng_ifstats *s)
{
	struct {
		__u32 type, len, iface, ts_high, ts_low;
	} h = {
		.type = NR_PCAPNG_BT_ISB,
		.iface = s->iface,
		.ts_high = (__u32)(s->ts_ns >> 32),
		.ts_low = (__u32)s->ts_ns,
	};
	/* in the order the spec lists them; the times are written as EPB timestamps */
	const struct {
		__u32 bit;
		__u16 code;
		bool ts;
		__u64 v;
	} opts[] = {
		{ NR_PCAPNG_ST_START, NR_PCAPNG_ISB_STARTTIME, true, s->start_ns },
		{ NR_PCAPNG_ST_END, NR_PCAPNG_ISB_ENDTIME, true, s->end_ns },
		{ NR_PCAPNG_ST_IFRECV, NR_PCAPNG_ISB_IFRECV, false, s->ifrecv },
		{ NR_PCAPNG_ST_IFDROP, NR_PCAPNG_ISB_IFDROP, false, s->ifdrop },
		{ NR_PCAPNG_ST_ACCEPT, NR_PCAPNG_ISB_FILTERACCEPT, false, s->accept },
		{ NR_PCAPNG_ST_OSDROP, NR_PCAPNG_ISB_OSDROP, false, s->osdrop },
		{ NR_PCAPNG_ST_USRDELIV, NR_PCAPNG_ISB_USRDELIV, false, s->usrdeliv },
	};
	size_t i;
	int err;

	if (s->iface >= w->nifaces)
		return -EINVAL;
	opt_begin(w);
	for (i = 0; i < sizeof(opts) / sizeof(opts[0]); i++) {
		if (!(s->present & opts[i].bit))
			continue;
		err = opts[i].ts ? opt_ts(w, opts[i].code, opts[i].v) :
				   opt_u64(w, opts[i].code, opts[i].v);
		if (err)
			return err;
	}
	err = opt_end(w);
	if (err)
		return err;
	return write_block(w, &h, sizeof(h), NULL, 0);
}

void nr_pcapng__stats(const struct nr_pcapng *w, struct nr_pcapng_stats *ret)
{
	ret->packets = w->packets;
	ret->bytes = w->off;
	ret->ifaces = w->nifaces;
}

int nr_pcapng__close(struct nr_pcapng *w)
{
	int err;

	if (!w)
		return 0;
	err = w->err;
	if (close(w->fd) && !err)
		err = -errno;
	free(w->snaplen);
	free(w->opt);
	free(w);
	return err;
}
