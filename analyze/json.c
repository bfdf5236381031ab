// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <string.h>

#include "json.h"

void json_init(struct json *j, FILE *f)
{
	memset(j, 0, sizeof(*j));
	j->f = f;
	j->first[0] = true;
}

static void indent(struct json *j)
{
	int i;

	fputc('\n', j->f);
	for (i = 0; i < j->depth; i++)
		fputs("  ", j->f);
}

/* separator and indentation before a value (or a key) */
static void pre(struct json *j)
{
	if (j->after_key) {
		j->after_key = false;
		return;
	}
	if (!j->first[j->depth])
		fputc(',', j->f);
	if (j->depth)
		indent(j);
	j->first[j->depth] = false;
}

static void open_(struct json *j, char c)
{
	pre(j);
	fputc(c, j->f);
	if (j->depth < JSON_MAX_DEPTH - 1)
		j->depth++;
	j->first[j->depth] = true;
}

static void close_(struct json *j, char c)
{
	bool empty = j->first[j->depth];

	if (j->depth)
		j->depth--;
	if (!empty)
		indent(j);
	fputc(c, j->f);
	if (!j->depth)
		fputc('\n', j->f);
}

void json_obj(struct json *j) { open_(j, '{'); }
void json_obj_end(struct json *j) { close_(j, '}'); }
void json_arr(struct json *j) { open_(j, '['); }
void json_arr_end(struct json *j) { close_(j, ']'); }

static void quoted(struct json *j, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	fputc('"', j->f);
	for (; *p; p++) {
		switch (*p) {
		case '"': fputs("\\\"", j->f); break;
		case '\\': fputs("\\\\", j->f); break;
		case '\n': fputs("\\n", j->f); break;
		case '\r': fputs("\\r", j->f); break;
		case '\t': fputs("\\t", j->f); break;
		default:
			if (*p < 0x20 || *p == 0x7f)
				fprintf(j->f, "\\u%04x", *p);
			else
				fputc(*p, j->f);
		}
	}
	fputc('"', j->f);
}

void json_key(struct json *j, const char *key)
{
	pre(j);
	quoted(j, key);
	fputs(": ", j->f);
	j->after_key = true;
}

void json_str(struct json *j, const char *s)
{
	if (!s) {
		json_null(j);
		return;
	}
	pre(j);
	quoted(j, s);
}

void json_u64(struct json *j, __u64 v)
{
	pre(j);
	fprintf(j->f, "%llu", (unsigned long long)v);
}

void json_i64(struct json *j, __s64 v)
{
	pre(j);
	fprintf(j->f, "%lld", (long long)v);
}

void json_bool(struct json *j, bool v)
{
	pre(j);
	fputs(v ? "true" : "false", j->f);
}

void json_null(struct json *j)
{
	pre(j);
	fputs("null", j->f);
}

void json_pct(struct json *j, __u64 part, __u64 whole)
{
	/* integer arithmetic: the same digits on every machine */
	__u64 bp = whole ? (part * 10000 + whole / 2) / whole : 0;

	pre(j);
	fprintf(j->f, "%llu.%02llu", (unsigned long long)(bp / 100),
		(unsigned long long)(bp % 100));
}

void json_kstr(struct json *j, const char *key, const char *s)
{
	json_key(j, key);
	json_str(j, s);
}

void json_ku64(struct json *j, const char *key, __u64 v)
{
	json_key(j, key);
	json_u64(j, v);
}

void json_kbool(struct json *j, const char *key, bool v)
{
	json_key(j, key);
	json_bool(j, v);
}
