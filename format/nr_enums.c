// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * nr_enums.c - lookups in enum name tables (see nr_enums.h)
 */
#include <stdlib.h>
#include <string.h>

#include "nr_enums.h"

const struct nr_enum *nr_enums__find(const struct nr_enum *e, __u32 n, const char *name)
{
	__u32 i;

	for (i = 0; i < n; i++)
		if (e[i].name && !strcmp(e[i].name, name))
			return &e[i];
	return NULL;
}

const char *nr_enum__name(const struct nr_enum *e, __s64 value)
{
	__u32 lo = 0, hi;

	if (!e)
		return NULL;
	hi = e->nr;
	/* the first entry >= value */
	while (lo < hi) {
		__u32 mid = lo + (hi - lo) / 2;

		if (e->e[mid].value < value)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < e->nr && e->e[lo].value == value ? e->e[lo].name : NULL;
}

char *nr_drop_subsys_table(const char *subsys_enumerator, char *buf, size_t size)
{
	size_t plen = strlen(NR_ENUM_DROP_SUBSYS_ENUMERATOR);
	const char *s;
	size_t i, n;

	if (strncmp(subsys_enumerator, NR_ENUM_DROP_SUBSYS_ENUMERATOR, plen) ||
	    !subsys_enumerator[plen])
		return NULL;
	s = subsys_enumerator + plen;
	n = strlen(NR_ENUM_DROP_SUBSYS_PREFIX);
	if (n + strlen(s) + 1 > size)
		return NULL;
	memcpy(buf, NR_ENUM_DROP_SUBSYS_PREFIX, n);
	for (i = 0; s[i]; i++)
		buf[n + i] = (s[i] >= 'A' && s[i] <= 'Z') ? (char)(s[i] - 'A' + 'a') : s[i];
	buf[n + i] = '\0';
	return buf;
}

const char *nr_drop_reason_name(const struct nr_enum *e, __u32 n, __u32 value)
{
	__u32 subsys = value >> NR_DROP_REASON_SUBSYS_SHIFT;
	const char *sname;
	char table[128];

	if (!subsys)
		return nr_enum__name(nr_enums__find(e, n, "skb_drop_reason"), value);
	sname = nr_enum__name(nr_enums__find(e, n, "skb_drop_reason_subsys"), subsys);
	if (!sname || !nr_drop_subsys_table(sname, table, sizeof(table)))
		return NULL;
	return nr_enum__name(nr_enums__find(e, n, table), value);
}

void nr_enums__free(struct nr_enum *e, __u32 n)
{
	__u32 i, j;

	if (!e)
		return;
	for (i = 0; i < n; i++) {
		for (j = 0; j < e[i].nr; j++)
			free(e[i].e[j].name);
		free(e[i].e);
		free(e[i].name);
	}
	free(e);
}
