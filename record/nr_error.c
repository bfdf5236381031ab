// SPDX-License-Identifier: GPL-2.0-only
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "nr_error.h"

void nr_error_set(struct nr_error *e, int err, const char *fmt, ...)
{
	va_list ap;

	if (!e)
		return;
	memset(e, 0, sizeof(*e));
	e->err = err;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
}
