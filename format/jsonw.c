// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "jsonw.h"

#define DEPTH_MAX 64

struct nr_jsonw {
	FILE *f;
	bool pretty;
	unsigned int depth;
	bool first[DEPTH_MAX];	/* nothing written yet at this depth */
	bool after_key;
	bool started;		/* a top-level value was begun */
};

struct nr_jsonw *nr_jsonw_new(FILE *f, bool pretty)
{
	struct nr_jsonw *j = calloc(1, sizeof(*j));

	if (!j)
		return NULL;
	j->f = f;
	j->pretty = pretty;
	j->first[0] = true;
	return j;
}

void nr_jsonw_reset(struct nr_jsonw *j)
{
	if (j->started)
		fputc('\n', j->f);
	j->depth = 0;
	j->first[0] = true;
	j->after_key = false;
	j->started = false;
}

void nr_jsonw_free(struct nr_jsonw *j)
{
	if (!j)
		return;
	if (j->started)
		fputc('\n', j->f);
	free(j);
}

static void newline(struct nr_jsonw *j)
{
	unsigned int i;

	if (!j->pretty)
		return;
	fputc('\n', j->f);
	for (i = 0; i < j->depth; i++)
		fputs("  ", j->f);
}

/* separator before a value or a key */
static void sep(struct nr_jsonw *j)
{
	if (j->after_key) {
		j->after_key = false;
		return;
	}
	if (j->depth == 0) {
		if (j->started)
			fputc('\n', j->f);	/* a second top-level value: JSON lines */
		j->started = true;
		return;
	}
	if (!j->first[j->depth])
		fputc(',', j->f);
	j->first[j->depth] = false;
	newline(j);
}

static void open_(struct nr_jsonw *j, char c)
{
	sep(j);
	fputc(c, j->f);
	if (j->depth + 1 < DEPTH_MAX)
		j->depth++;
	j->first[j->depth] = true;
}

static void close_(struct nr_jsonw *j, char c)
{
	bool empty = j->first[j->depth];

	if (j->depth)
		j->depth--;
	if (!empty)
		newline(j);
	fputc(c, j->f);
}

void nr_jsonw_obj_open(struct nr_jsonw *j) { open_(j, '{'); }
void nr_jsonw_obj_close(struct nr_jsonw *j) { close_(j, '}'); }
void nr_jsonw_arr_open(struct nr_jsonw *j) { open_(j, '['); }
void nr_jsonw_arr_close(struct nr_jsonw *j) { close_(j, ']'); }

/* length of the valid UTF-8 sequence at @s (1..4), or 0 */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	unsigned int c = s[0], need, i, cp;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		need = 1, cp = c & 0x1f;
	else if (c >= 0xe0 && c <= 0xef)
		need = 2, cp = c & 0x0f;
	else if (c >= 0xf0 && c <= 0xf4)
		need = 3, cp = c & 0x07;
	else
		return 0;
	if (n < need + 1)
		return 0;
	for (i = 1; i <= need; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if ((need == 2 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
	    (need == 3 && (cp < 0x10000 || cp > 0x10ffff)))
		return 0;
	return need + 1;
}

void nr_jsonw_strn(struct nr_jsonw *j, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;

	sep(j);
	fputc('"', j->f);
	while (i < n) {
		unsigned char c = p[i];
		size_t l;

		switch (c) {
		case '"': fputs("\\\"", j->f); i++; continue;
		case '\\': fputs("\\\\", j->f); i++; continue;
		case '\n': fputs("\\n", j->f); i++; continue;
		case '\r': fputs("\\r", j->f); i++; continue;
		case '\t': fputs("\\t", j->f); i++; continue;
		}
		if (c < 0x20 || c == 0x7f) {
			fprintf(j->f, "\\u%04x", c);
			i++;
			continue;
		}
		l = utf8_len(p + i, n - i);
		if (!l) {
			fprintf(j->f, "\\u%04x", c);	/* a stray byte, kept visible */
			i++;
			continue;
		}
		fwrite(p + i, 1, l, j->f);
		i += l;
	}
	fputc('"', j->f);
}

void nr_jsonw_str(struct nr_jsonw *j, const char *s)
{
	if (!s) {
		nr_jsonw_null(j);
		return;
	}
	nr_jsonw_strn(j, s, strlen(s));
}

void nr_jsonw_key(struct nr_jsonw *j, const char *key)
{
	nr_jsonw_str(j, key);
	fputs(j->pretty ? ": " : ":", j->f);
	j->after_key = true;
}

void nr_jsonw_u64(struct nr_jsonw *j, __u64 v)
{
	sep(j);
	fprintf(j->f, "%llu", (unsigned long long)v);
}

void nr_jsonw_s64(struct nr_jsonw *j, __s64 v)
{
	sep(j);
	fprintf(j->f, "%lld", (long long)v);
}

void nr_jsonw_bool(struct nr_jsonw *j, bool v)
{
	sep(j);
	fputs(v ? "true" : "false", j->f);
}

void nr_jsonw_null(struct nr_jsonw *j)
{
	sep(j);
	fputs("null", j->f);
}

void nr_jsonw_fixed(struct nr_jsonw *j, double v, int decimals)
{
	static const double pow10[] = { 1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9 };
	unsigned long long ip, fp, scaled;
	bool neg = v < 0;

	if (decimals < 0)
		decimals = 0;
	if (decimals > 9)
		decimals = 9;
	if (!isfinite(v) || fabs(v) >= 9e18 / pow10[decimals]) {
		nr_jsonw_null(j);	/* JSON has no inf or nan */
		return;
	}
	/* integer arithmetic after one rounding, so no locale or libc formatting differs */
	scaled = (unsigned long long)llround(fabs(v) * pow10[decimals]);
	ip = scaled / (unsigned long long)pow10[decimals];
	fp = scaled % (unsigned long long)pow10[decimals];
	sep(j);
	if (neg && scaled)
		fputc('-', j->f);
	if (decimals)
		fprintf(j->f, "%llu.%0*llu", ip, decimals, fp);
	else
		fprintf(j->f, "%llu", ip);
}

void nr_jsonw_hex(struct nr_jsonw *j, const void *p, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *b = p;
	size_t i;

	sep(j);
	fputc('"', j->f);
	for (i = 0; i < n; i++) {
		fputc(hex[b[i] >> 4], j->f);
		fputc(hex[b[i] & 15], j->f);
	}
	fputc('"', j->f);
}
