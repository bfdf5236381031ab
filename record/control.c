// SPDX-License-Identifier: GPL-2.0-only
/*
 * control.c - the control FIFO of a recording and its line syntax (control.h)
 */
#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "control.h"
#include "log.h"
#include "netrec_abi.h"
#include "parse.h"

/* a mark's text plus the command word and some blanks */
#define LINE_MAX_BYTES	(NR_CTL_TEXT_MAX + 64)

struct nr_control {
	int fd;
	char *path;
	bool created;
	bool skipping;		/* inside a line too long for the buffer */
	size_t len;
	char buf[LINE_MAX_BYTES];
};

static char *trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

int nr_control_parse(char *line, struct nr_control_cmd *ret, char *err, size_t errlen)
{
	char *s = trim(line), *arg;
	size_t wlen;

	memset(ret, 0, sizeof(*ret));
	if (!*s || *s == '#')
		return 0;
	for (wlen = 0; s[wlen] && !isspace((unsigned char)s[wlen]); wlen++)
		;
	arg = trim(s + wlen);
	s[wlen] = '\0';

	if (!strcmp(s, "pause") || !strcmp(s, "resume") || !strcmp(s, "stop")) {
		if (*arg) {
			snprintf(err, errlen, "'%s' takes no argument", s);
			return -EINVAL;
		}
		ret->op = !strcmp(s, "pause") ? NR_CONTROL_PAUSE :
			  !strcmp(s, "resume") ? NR_CONTROL_RESUME : NR_CONTROL_STOP;
		return 0;
	}
	if (!strcmp(s, "mark")) {
		if (!*arg) {
			snprintf(err, errlen, "'mark' needs a text");
			return -EINVAL;
		}
		if (strlen(arg) > NR_CTL_TEXT_MAX) {
			snprintf(err, errlen, "mark text longer than %d bytes", NR_CTL_TEXT_MAX);
			return -EINVAL;
		}
		ret->op = NR_CONTROL_MARK;
		ret->text = arg;
		return 0;
	}
	if (!strcmp(s, "max-stacks")) {
		__u64 n;

		if (!strcmp(arg, "unlimited")) {
			ret->n = -1;
		} else if (!nr_parse_u64(arg, 0, (__u64)INT64_MAX, &n)) {
			ret->n = (__s64)n;
		} else {
			snprintf(err, errlen, "'max-stacks' needs a number or 'unlimited', not '%s'",
				 arg);
			return -EINVAL;
		}
		ret->op = NR_CONTROL_MAX_STACKS;
		return 0;
	}
	snprintf(err, errlen, "unknown command '%.40s' (pause, resume, mark TEXT, "
		 "max-stacks N, stop)", s);
	return -EINVAL;
}

int nr_control__open(const char *path, struct nr_control **ret)
{
	struct nr_control *c;
	struct stat st;
	int err;

	c = calloc(1, sizeof(*c));
	if (!c)
		return -ENOMEM;
	c->fd = -1;
	c->path = strdup(path);
	if (!c->path) {
		err = -ENOMEM;
		goto fail;
	}
	if (mkfifo(path, 0600) == 0) {
		c->created = true;
	} else if (errno != EEXIST) {
		err = -errno;
		goto fail;
	}
	/* read-write: the FIFO then never reports end-of-file when a writer closes it */
	c->fd = open(path, O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (c->fd < 0) {
		err = -errno;
		goto fail;
	}
	if (fstat(c->fd, &st)) {
		err = -errno;
		goto fail;
	}
	if (!S_ISFIFO(st.st_mode)) {
		err = -EEXIST;
		goto fail;
	}
	*ret = c;
	return 0;
fail:
	nr_control__close(c);
	return err;
}

int nr_control__fd(const struct nr_control *c)
{
	return c->fd;
}

static int one_line(char *line, int (*fn)(void *ctx, const struct nr_control_cmd *cmd),
		    void *ctx)
{
	struct nr_control_cmd cmd;
	char err[160];

	if (nr_control_parse(line, &cmd, err, sizeof(err))) {
		pr_warn("control: %s, ignoring\n", err);
		return 0;
	}
	return cmd.op == NR_CONTROL_NONE ? 0 : fn(ctx, &cmd);
}

/* Hand every complete line in the buffer to @fn; keep the partial one. */
static int take_lines(struct nr_control *c,
		      int (*fn)(void *ctx, const struct nr_control_cmd *cmd), void *ctx)
{
	size_t start = 0, i;
	int ret = 0;

	for (i = 0; i < c->len && !ret; i++) {
		if (c->buf[i] != '\n')
			continue;
		c->buf[i] = '\0';
		if (!c->skipping)
			ret = one_line(c->buf + start, fn, ctx);
		c->skipping = false;
		start = i + 1;
	}
	memmove(c->buf, c->buf + start, c->len - start);
	c->len -= start;
	if (c->len == sizeof(c->buf) - 1) {
		if (!c->skipping)
			pr_warn("control: line longer than %zu bytes, ignoring\n",
				sizeof(c->buf) - 1);
		c->skipping = true;
		c->len = 0;
	}
	return ret;
}

int nr_control__read(struct nr_control *c, int (*fn)(void *ctx, const struct nr_control_cmd *cmd),
		     void *ctx)
{
	for (;;) {
		/* lines left from the last call first (it stopped at a non-zero @fn) */
		int ret = take_lines(c, fn, ctx);
		ssize_t n;

		if (ret)
			return ret;
		n = read(c->fd, c->buf + c->len, sizeof(c->buf) - 1 - c->len);
		if (n < 0)
			return errno == EAGAIN || errno == EINTR ? 0 : -errno;
		if (n == 0)
			return 0;
		c->len += (size_t)n;
	}
}

void nr_control__close(struct nr_control *c)
{
	if (!c)
		return;
	if (c->fd >= 0)
		close(c->fd);
	if (c->created)
		unlink(c->path);
	free(c->path);
	free(c);
}
