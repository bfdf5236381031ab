/* SPDX-License-Identifier: GPL-2.0-only */
/* nr_error.h - filling a struct nr_error (nr_file.h) for the one line a command prints */
#ifndef NR_RECORD_NR_ERROR_H
#define NR_RECORD_NR_ERROR_H

#include "nr_file.h"

/** nr_error_set() - @e->err = @err, @e->msg = the formatted text; @e may be NULL */
void nr_error_set(struct nr_error *e, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif /* NR_RECORD_NR_ERROR_H */
