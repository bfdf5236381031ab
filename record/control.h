/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * control.h - steering a recording while it runs: `--control FIFO` lines and the
 * signals SIGUSR1 (pause) and SIGUSR2 (resume)
 *
 * A control line is one command, ended by a newline:
 *
 *   pause              stop emitting events (they are counted as paused)
 *   resume             emit again
 *   mark TEXT          a mark in the file (up to NR_CTL_TEXT_MAX bytes of text)
 *   max-stacks N       at most N more stacks from now on; "max-stacks unlimited" lifts it
 *   stop               end the recording as SIGINT would
 *
 * Leading and trailing blanks are ignored, and so are empty lines and lines starting
 * with '#'. Each command that changes the recording is also a control record in the
 * file (pause, resume, mark; max-stacks as a mark saying so).
 */
#ifndef NR_RECORD_CONTROL_H
#define NR_RECORD_CONTROL_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>

enum nr_control_op {
	NR_CONTROL_NONE = 0,	/* empty line or comment */
	NR_CONTROL_PAUSE,
	NR_CONTROL_RESUME,
	NR_CONTROL_MARK,
	NR_CONTROL_MAX_STACKS,
	NR_CONTROL_STOP,
};

/**
 * struct nr_control_cmd - one parsed control line
 * @op:   NR_CONTROL_*
 * @text: NR_CONTROL_MARK: the mark's text (points into the parsed line)
 * @n:    NR_CONTROL_MAX_STACKS: the budget, -1 for unlimited
 */
struct nr_control_cmd {
	enum nr_control_op op;
	const char *text;
	__s64 n;
};

/**
 * nr_control_parse() - parse one line (without its newline; modified in place)
 * @err: on failure, why (e.g. "unknown command 'paws'"), @errlen bytes
 * Return: 0, or -EINVAL.
 */
int nr_control_parse(char *line, struct nr_control_cmd *ret, char *err, size_t errlen);

struct nr_control;

/**
 * nr_control__open() - listen on FIFO @path, creating it (mode 0600) when it does not
 * exist; a FIFO made here is removed by nr_control__close()
 * Return: 0, -EEXIST when @path exists and is not a FIFO, or a negative errno.
 */
int nr_control__open(const char *path, struct nr_control **ret);

/** nr_control__fd() - the descriptor to poll for input (POLLIN) */
int nr_control__fd(const struct nr_control *c);

/**
 * nr_control__read() - read what is available and call @fn for each complete line
 *
 * Never blocks. A line longer than the buffer is dropped whole (with a warning). A
 * line that does not parse is reported (pr_warn) and skipped.
 * Return: 0, or the first non-zero value @fn returned, or a negative errno of read().
 */
int nr_control__read(struct nr_control *c, int (*fn)(void *ctx, const struct nr_control_cmd *cmd),
		     void *ctx);

/** nr_control__close() - close, and remove the FIFO if nr_control__open() made it */
void nr_control__close(struct nr_control *c);

#endif /* NR_RECORD_CONTROL_H */
