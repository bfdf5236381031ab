/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * json.h - a small streaming JSON writer (bpftool's json_writer in spirit): nesting and
 * commas are tracked, strings escaped, output indented by two spaces per level so
 * golden files diff well. Private to analyze/.
 */
#ifndef NR_ANALYZE_JSON_H
#define NR_ANALYZE_JSON_H

#include <stdbool.h>
#include <stdio.h>
#include <linux/types.h>

#define JSON_MAX_DEPTH	32

struct json {
	FILE *f;
	int depth;
	bool first[JSON_MAX_DEPTH];	/* nothing written yet at this level */
	bool after_key;
};

void json_init(struct json *j, FILE *f);
void json_obj(struct json *j);		/* { */
void json_obj_end(struct json *j);	/* } */
void json_arr(struct json *j);		/* [ */
void json_arr_end(struct json *j);	/* ] */
void json_key(struct json *j, const char *key);
void json_str(struct json *j, const char *s);	/* NULL writes null */
void json_u64(struct json *j, __u64 v);
void json_i64(struct json *j, __s64 v);
void json_bool(struct json *j, bool v);
void json_null(struct json *j);
void json_pct(struct json *j, __u64 part, __u64 whole);	/* a percentage, 2 decimals */

/* key + value shorthands */
void json_kstr(struct json *j, const char *key, const char *s);
void json_ku64(struct json *j, const char *key, __u64 v);
void json_kbool(struct json *j, const char *key, bool v);

#endif /* NR_ANALYZE_JSON_H */
