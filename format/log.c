// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <stdio.h>

#include "log.h"

enum nr_log_level nr_log_level = NR_LOG_INFO;

void nr_vlog(enum nr_log_level level, const char *fmt, va_list ap)
{
	if (level > nr_log_level)
		return;
	if (level == NR_LOG_ERROR)
		fputs("netrec: ", stderr);
	else if (level == NR_LOG_WARN)
		fputs("netrec: warning: ", stderr);
	vfprintf(stderr, fmt, ap);
}

void nr_log(enum nr_log_level level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	nr_vlog(level, fmt, ap);
	va_end(ap);
}
