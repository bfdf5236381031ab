// SPDX-License-Identifier: GPL-2.0-only
/*
 * onefile - replay fuzz inputs through LLVMFuzzerTestOneInput without libFuzzer
 *
 *   onefile [-s SUFFIX] FILE|DIR...
 *
 * Every regular file given, and every regular file in each directory given (not
 * recursively), in name order so runs are repeatable; -s limits the directories after
 * it to files whose names end in SUFFIX ("" for all). Exits 0 when all inputs ran (a
 * crash ends the process with the sanitizer's report), 1 when none was found.
 */
#include <dirent.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "nrblocks.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int one(const char *path)
{
	__u8 *buf;
	size_t len;

	if (nrblk_read_file(path, &buf, &len)) {
		fprintf(stderr, "onefile: cannot read %s\n", path);
		exit(1);
	}
	LLVMFuzzerTestOneInput(buf, len);
	free(buf);
	return 1;
}

static int cmp(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

static bool has_suffix(const char *name, const char *suffix)
{
	size_t n = strlen(name), s = strlen(suffix);

	return n >= s && !strcmp(name + n - s, suffix);
}

int main(int argc, char **argv)
{
	const char *suffix = "";
	int i, n = 0;

	for (i = 1; i < argc; i++) {
		struct dirent **ents;
		struct stat st;
		int k, m;

		if (!strcmp(argv[i], "-s") && i + 1 < argc) {
			suffix = argv[++i];
			continue;
		}
		if (stat(argv[i], &st)) {
			fprintf(stderr, "onefile: %s: no such file\n", argv[i]);
			return 1;
		}
		if (!S_ISDIR(st.st_mode)) {
			n += one(argv[i]);
			continue;
		}
		m = scandir(argv[i], &ents, NULL, cmp);
		for (k = 0; k < m; k++) {
			char p[4096];

			snprintf(p, sizeof(p), "%s/%s", argv[i], ents[k]->d_name);
			if (has_suffix(ents[k]->d_name, suffix) && !stat(p, &st) &&
			    S_ISREG(st.st_mode))
				n += one(p);
			free(ents[k]);
		}
		if (m >= 0)
			free(ents);
	}
	printf("%d inputs replayed\n", n);
	return n ? 0 : 1;
}
