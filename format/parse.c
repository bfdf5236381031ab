// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"

/* Parse the leading unsigned number of @s; *end points after it. */
static int parse_num(const char *s, unsigned long long *val, char **end)
{
	if (!s || !isdigit((unsigned char)*s))
		return -EINVAL;	/* also refuses "-1", " 1", "+1" and "" */
	errno = 0;
	*val = strtoull(s, end, 0);
	if (errno == ERANGE)
		return -ERANGE;
	if (errno || *end == s)
		return -EINVAL;
	return 0;
}

int nr_parse_u64(const char *s, __u64 min, __u64 max, __u64 *ret)
{
	unsigned long long v;
	char *end;
	int err;

	err = parse_num(s, &v, &end);
	if (err)
		return err;
	if (*end)
		return -EINVAL;
	if (v < min || v > max)
		return -ERANGE;
	*ret = v;
	return 0;
}

int nr_parse_u32(const char *s, __u32 min, __u32 max, __u32 *ret)
{
	__u64 v;
	int err;

	err = nr_parse_u64(s, min, max, &v);
	if (err)
		return err;
	*ret = (__u32)v;
	return 0;
}

struct unit {
	const char *suffix;
	unsigned long long mult;
};

static int parse_with_units(const char *s, const struct unit *units, __u64 min, __u64 max,
			    __u64 *ret)
{
	unsigned long long v;
	char *end;
	int err;

	err = parse_num(s, &v, &end);
	if (err)
		return err;
	for (; units->suffix; units++) {
		if (strcmp(end, units->suffix))
			continue;
		if (units->mult && v > ~0ULL / units->mult)
			return -ERANGE;
		v *= units->mult;
		if (v < min || v > max)
			return -ERANGE;
		*ret = v;
		return 0;
	}
	return -EINVAL;
}

int nr_parse_duration_ns(const char *s, __u64 min, __u64 max, __u64 *ret)
{
	static const struct unit units[] = {
		{ "", 1000000000ULL }, { "s", 1000000000ULL }, { "ms", 1000000ULL },
		{ "us", 1000ULL }, { "ns", 1ULL }, { "m", 60000000000ULL },
		{ "h", 3600000000000ULL }, { NULL, 0 },
	};

	return parse_with_units(s, units, min, max, ret);
}

int nr_parse_size(const char *s, __u64 min, __u64 max, __u64 *ret)
{
	static const struct unit units[] = {
		{ "", 1ULL }, { "k", 1ULL << 10 }, { "K", 1ULL << 10 }, { "M", 1ULL << 20 },
		{ "G", 1ULL << 30 }, { NULL, 0 },
	};

	return parse_with_units(s, units, min, max, ret);
}
