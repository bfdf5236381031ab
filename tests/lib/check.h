/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * check.h - assertions for netrec's C tests (in the spirit of selftests' ASSERT_*)
 *
 * Each CHECK_* prints what was expected and what came, with file:line and the test's
 * name, counts the failure and returns from nothing: a test goes on to report every
 * mismatch. main() ends with check_exit(), which prints "N passed, M failed" and
 * returns 1 if anything failed. A test that cannot run returns CHECK_SKIP (77, which
 * meson reports as SKIP) after check_skip("why").
 */
#ifndef NR_CHECK_H
#define NR_CHECK_H

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHECK_SKIP 77

static unsigned int check_passed, check_failed;
static const char *check_test = "";

static inline void check_start(const char *name)
{
	check_test = name;
}

#define CHECK_FAIL_(fmt, ...)                                                             \
	do {                                                                              \
		check_failed++;                                                           \
		fprintf(stderr, "%s:%d: %s: " fmt "\n", __FILE__, __LINE__, check_test,     \
			##__VA_ARGS__);                                                   \
	} while (0)

#define CHECK(cond, what)                                                                 \
	({                                                                                \
		int ok_ = !!(cond);                                                       \
		if (ok_)                                                                  \
			check_passed++;                                                   \
		else                                                                      \
			CHECK_FAIL_("%s: expected true: %s", what, #cond);                \
		ok_;                                                                      \
	})

#define CHECK_EQ(got, want, what)                                                         \
	({                                                                                \
		long long got_ = (long long)(got), want_ = (long long)(want);             \
		int ok_ = got_ == want_;                                                  \
		if (ok_)                                                                  \
			check_passed++;                                                   \
		else                                                                      \
			CHECK_FAIL_("%s: got %lld (0x%llx), want %lld (0x%llx)", what, got_,  \
				    (unsigned long long)got_, want_,                      \
				    (unsigned long long)want_);                           \
		ok_;                                                                      \
	})

#define CHECK_STR(got, want, what)                                                        \
	({                                                                                \
		const char *got_ = (got), *want_ = (want);                                \
		int ok_ = (got_ && want_) ? !strcmp(got_, want_) : got_ == want_;         \
		if (ok_)                                                                  \
			check_passed++;                                                   \
		else                                                                      \
			CHECK_FAIL_("%s: got \"%s\", want \"%s\"", what,                   \
				    got_ ? got_ : "(null)", want_ ? want_ : "(null)");    \
		ok_;                                                                      \
	})

#define CHECK_MEM(got, want, len, what)                                                   \
	({                                                                                \
		size_t len_ = (len);                                                      \
		int ok_ = !memcmp((got), (want), len_);                                   \
		if (ok_)                                                                  \
			check_passed++;                                                   \
		else                                                                      \
			CHECK_FAIL_("%s: %zu bytes differ", what, len_);                  \
		ok_;                                                                      \
	})

static inline void check_skip(const char *why)
{
	printf("SKIP: %s\n", why);
}

static inline int check_exit(void)
{
	printf("%u passed, %u failed\n", check_passed, check_failed);
	return check_failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

#endif /* NR_CHECK_H */
