// SPDX-License-Identifier: GPL-2.0-only
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "netcounters.h"

/* /proc/net files are a few kilobytes; this caps what a corrupt or odd file can cost */
#define PROC_FILE_MAX (1 << 20)

static int counters_add(struct nrl_counters *c, const char *proto, size_t proto_len,
			const char *field, size_t field_len, long long value)
{
	struct nrl_counter *e;

	if (proto_len + field_len >= NRL_COUNTER_NAME_MAX)
		return -EOVERFLOW;
	if (c->n == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 256;

		e = realloc(c->v, cap * sizeof(*e));
		if (!e)
			return -ENOMEM;
		c->v = e;
		c->cap = cap;
	}
	e = &c->v[c->n++];
	memcpy(e->name, proto, proto_len);
	memcpy(e->name + proto_len, field, field_len);
	e->name[proto_len + field_len] = '\0';
	e->value = value;
	return 0;
}

/* One whitespace-separated token starting at or after *p; NULL at the end of the line. */
static const char *next_token(const char **p, size_t *len)
{
	const char *s = *p, *e;

	while (*s == ' ' || *s == '\t')
		s++;
	if (!*s || *s == '\n')
		return NULL;
	for (e = s; *e && !isspace((unsigned char)*e); e++)
		;
	*len = (size_t)(e - s);
	*p = e;
	return s;
}

static int parse_value(const char *s, size_t len, long long *v)
{
	char buf[32], *end;

	if (!len || len >= sizeof(buf))
		return -EBADMSG;
	memcpy(buf, s, len);
	buf[len] = '\0';
	errno = 0;
	*v = strtoll(buf, &end, 10);
	if (errno || *end)
		return -EBADMSG;
	return 0;
}

static const char *next_line(const char *p)
{
	const char *nl = strchr(p, '\n');

	return nl ? nl + 1 : p + strlen(p);
}

int nrl_counters_parse_pairs(struct nrl_counters *c, const char *text)
{
	const char *hdr = text;

	while (*hdr) {
		const char *val = next_line(hdr), *colon = strchr(hdr, ':');
		const char *hp, *vp;
		size_t plen, hlen, vlen;
		int err;

		if (*hdr == '\n') {		/* tolerate blank lines */
			hdr = val;
			continue;
		}
		if (!colon || colon > val || !*val)
			return -EBADMSG;
		plen = (size_t)(colon - hdr);
		if (strncmp(val, hdr, plen + 1))	/* "Proto:" on both lines */
			return -EBADMSG;
		hp = colon + 1;
		vp = val + plen + 1;
		for (;;) {
			const char *h = next_token(&hp, &hlen), *v = next_token(&vp, &vlen);
			long long value;

			if (!h && !v)
				break;
			if (!h || !v)
				return -EBADMSG;	/* field count differs */
			err = parse_value(v, vlen, &value);
			if (!err)
				err = counters_add(c, hdr, plen, h, hlen, value);
			if (err)
				return err;
		}
		hdr = next_line(val);
	}
	return 0;
}

int nrl_counters_parse_flat(struct nrl_counters *c, const char *text)
{
	const char *line;

	for (line = text; *line; line = next_line(line)) {
		const char *p = line, *name, *v;
		size_t nlen, vlen;
		long long value;
		int err;

		name = next_token(&p, &nlen);
		if (!name)
			continue;
		v = next_token(&p, &vlen);
		if (!v || next_token(&p, &vlen))
			return -EBADMSG;
		err = parse_value(v, vlen, &value);
		if (!err)
			err = counters_add(c, name, nlen, "", 0, value);
		if (err)
			return err;
	}
	return 0;
}

/* Read a whole /proc file; *ret is NUL-terminated and owned by the caller. */
static int read_file(const char *path, char **ret)
{
	size_t len = 0, cap = 16384;
	char *buf = malloc(cap);
	int fd, err = 0;

	if (!buf)
		return -ENOMEM;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		err = -errno;
		goto out;
	}
	for (;;) {
		ssize_t n;

		if (len + 1 == cap) {
			char *nb;

			if (cap >= PROC_FILE_MAX) {
				err = -EFBIG;
				break;
			}
			nb = realloc(buf, cap * 2);
			if (!nb) {
				err = -ENOMEM;
				break;
			}
			buf = nb;
			cap *= 2;
		}
		n = read(fd, buf + len, cap - 1 - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			err = -errno;
			break;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	close(fd);
out:
	if (err) {
		free(buf);
		return err;
	}
	buf[len] = '\0';
	*ret = buf;
	return 0;
}

int nrl_counters_read(struct nrl_counters *c)
{
	static const struct {
		const char *path;
		int flat;
		int optional;	/* snmp6 is absent when IPv6 is disabled */
	} files[] = {
		{ "/proc/self/net/snmp", 0, 0 },
		{ "/proc/self/net/netstat", 0, 0 },
		{ "/proc/self/net/snmp6", 1, 1 },
	};
	size_t i;

	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		char *text;
		int err = read_file(files[i].path, &text);

		if (err == -ENOENT && files[i].optional)
			continue;
		if (err)
			return err;
		err = files[i].flat ? nrl_counters_parse_flat(c, text)
				    : nrl_counters_parse_pairs(c, text);
		free(text);
		if (err)
			return err;
	}
	return 0;
}

long long nrl_counters_get(const struct nrl_counters *c, const char *name, int *found)
{
	size_t i;

	for (i = 0; i < c->n; i++) {
		if (!strcmp(c->v[i].name, name)) {
			if (found)
				*found = 1;
			return c->v[i].value;
		}
	}
	if (found)
		*found = 0;
	return 0;
}

void nrl_counters_free(struct nrl_counters *c)
{
	if (!c)
		return;
	free(c->v);
	c->v = NULL;
	c->n = c->cap = 0;
}
