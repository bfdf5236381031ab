/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * log.h - diagnostics on stderr, by level (xdp-tools style)
 *
 * stdout carries data only. Library code (format/, analyze/ model) logs at debug at
 * most; the command that decides what to do about a failure logs it once. Messages
 * start lowercase, have no trailing period, quote names, and end non-fatal ones with
 * ", ignoring" or ", falling back to ...".
 */
#ifndef NR_LOG_H
#define NR_LOG_H

#include <stdarg.h>

enum nr_log_level {
	NR_LOG_ERROR	= 0,
	NR_LOG_WARN	= 1,
	NR_LOG_INFO	= 2,	/* default */
	NR_LOG_DEBUG	= 3,
	NR_LOG_VERBOSE	= 4,
};

extern enum nr_log_level nr_log_level;

void nr_log(enum nr_log_level level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void nr_vlog(enum nr_log_level level, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));

/* "netrec: " is prepended to errors and warnings; messages end with "\n". */
#define pr_err(...)	nr_log(NR_LOG_ERROR, __VA_ARGS__)
#define pr_warn(...)	nr_log(NR_LOG_WARN, __VA_ARGS__)
#define pr_info(...)	nr_log(NR_LOG_INFO, __VA_ARGS__)
#define pr_debug(...)	nr_log(NR_LOG_DEBUG, __VA_ARGS__)
#define pr_verbose(...)	nr_log(NR_LOG_VERBOSE, __VA_ARGS__)

#endif /* NR_LOG_H */
