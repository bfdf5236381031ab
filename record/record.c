// SPDX-License-Identifier: GPL-2.0-only
/*
 * record.c - run_record(): one recording from the kernel check to the final line
 * (the order of the steps is in record.h)
 *
 * Threads: this one handles signals (through a signalfd; every thread has them
 * blocked), the control FIFO, the COMMAND, --duration and the status line; the drain
 * thread (drain.c) owns the writer and the machine while events flow; the writer
 * compresses and writes on a thread of its own, the pcap capture runs on another.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <net/if.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "capture.h"
#include "config.h"
#include "control.h"
#include "drain.h"
#include "filter.h"
#include "loader.h"
#include "log.h"
#include "machine.h"
#include "netns.h"
#include "nr_features.h"
#include "record.h"
#include "status.h"
#include "ufilter.h"

#define STATUS_INTERVAL_MS	250
#define CHILD_TERM_WAIT_MS	3000	/* after SIGTERM, before SIGKILL */

enum stop_reason {
	STOP_NONE = 0,
	STOP_SIGNAL,
	STOP_DURATION,
	STOP_COMMAND,
	STOP_CONTROL,
	STOP_ERROR,
};

/* the STOP record's text (netrec_abi.h: why) */
static const char *const stop_text[] = {
	[STOP_NONE] = "",
	[STOP_SIGNAL] = "signal",
	[STOP_DURATION] = "duration",
	[STOP_COMMAND] = "command",
	[STOP_CONTROL] = "control",
	[STOP_ERROR] = "error",
};

struct rec {
	const struct record_opts *o;
	struct nr_filter *filter;
	struct nr_ufilter *ufilter;
	struct nr_machine *machine;
	struct nr_loader *loader;
	struct nr_writer *writer;
	struct nr_capture *capture;
	struct nr_drain *drain;
	struct nr_control *control;
	int sigfd;
	sigset_t oldmask;

	__u32 netns;		/* --netns inode, 0: all */
	__u32 ifindex;		/* -i, 0: all */
	__u32 ifindex_netns;	/* the namespace -i was resolved in (an ifindex is per netns) */
	__u64 start_ns;		/* CLOCK_MONOTONIC when the recording started */
	bool paused;
	bool status;		/* draw the live status line */
	bool status_drawn;

	pid_t child;		/* COMMAND, 0: none or reaped */
	int child_status;	/* its exit status as netrec passes it on */
	bool child_ran;

	enum stop_reason stop;
	int err;		/* the error that stopped the recording */
};

/* ---- before anything is written ---- */

static int compile_filter(struct rec *r)
{
	char errbuf[256];
	int err;

	if (!r->o->filter)
		return 0;
	err = nr_filter__compile(r->o->filter, &r->filter, errbuf, sizeof(errbuf));
	if (err) {
		if (err == -ENOMEM || !errbuf[0])
			pr_err("--filter '%s': %s\n", r->o->filter, strerror(-err));
		else
			pr_err("--filter: %s\n", errbuf);
		return err;
	}
	if (nr_filter__warning(r->filter))
		pr_warn("--filter '%s': %s\n", r->o->filter, nr_filter__warning(r->filter));
	if (r->o->user_filter)
		nr_filter__fall_back(r->filter, "asked for with --user-filter");
	return 0;
}

/* The output's directory must exist and be writable: say so before loading anything. */
static int check_output_dir(const char *path, const char *what)
{
	char dir[PATH_MAX];
	const char *slash = strrchr(path, '/');

	if (!slash)
		snprintf(dir, sizeof(dir), ".");
	else if (slash == path)
		snprintf(dir, sizeof(dir), "/");
	else
		snprintf(dir, sizeof(dir), "%.*s", (int)(slash - path), path);
	if (access(dir, W_OK | X_OK)) {
		int err = -errno;

		pr_err("cannot create %s '%s': %s\n", what, path, strerror(-err));
		return err;
	}
	return 0;
}

struct ifname_arg {
	const char *name;
	unsigned int ifindex;
	int err;
};

static int ifname_in_ns(void *arg)
{
	struct ifname_arg *a = arg;

	a->ifindex = if_nametoindex(a->name);
	a->err = a->ifindex ? 0 : -errno;
	return 0;
}

/* --netns and -i into an inode and an ifindex */
static int resolve_names(struct rec *r)
{
	struct nr_netns_db *db = nr_machine__netns_db(r->machine);
	struct ifname_arg a = { .name = r->o->iface };
	int fd = -1, err;

	if (r->o->netns) {
		long long ino = nr_netns_db__resolve(db, r->o->netns);

		if (ino <= 0) {
			pr_err("--netns '%s': no such network namespace (a name under %s, a path "
			       "such as /proc/PID/ns/net, or an inode)\n", r->o->netns,
			       NR_NETNS_RUN_DIR);
			return ino < 0 ? (int)ino : -ENOENT;
		}
		r->netns = (__u32)ino;
	}
	if (!r->o->iface)
		return 0;
	if (r->netns) {
		fd = nr_netns_db__open(db, r->netns);
		if (fd < 0) {
			pr_err("--netns '%s': cannot enter it: %s\n", r->o->netns, strerror(-fd));
			return fd;
		}
	}
	err = nr_netns_call(fd, ifname_in_ns, &a);
	if (fd >= 0)
		close(fd);
	if (!err)
		err = a.err;
	if (err) {
		pr_err("-i '%s': no such interface%s%s%s\n", r->o->iface,
		       r->netns ? " in netns '" : "", r->netns ? r->o->netns : "",
		       r->netns ? "'" : "");
		return err;
	}
	r->ifindex = a.ifindex;
	r->ifindex_netns = r->netns;
	if (!r->ifindex_netns) {
		struct stat st;

		if (!stat("/proc/self/ns/net", &st))
			r->ifindex_netns = (__u32)st.st_ino;
	}
	return 0;
}

static int load_probes(struct rec *r)
{
	const struct record_opts *o = r->o;
	struct nr_loader_opts lo = {
		.sz = sizeof(lo),
		.profile = o->profile,
		.probes = o->probes,
		.nr_probes = o->nr_probes,
		.snaplen = o->snaplen > 0 ? (__u32)o->snaplen : 0,
		.no_snapshot = o->snaplen == 0,
		.stack_all = o->stack_all,
		.stack_sample = o->stack_sample >= 0 ? (__u32)o->stack_sample :
				o->stack_all ? 0 : NR_STACK_SAMPLE_DEFAULT,
		.limit_stacks = o->limit_stacks,
		.max_stacks = o->max_stacks,
		.netns = r->netns,
		.ifindex = r->ifindex,
		.ifindex_netns = r->ifindex_netns,
		.mark = o->mark,
		.mark_mask = o->mark_mask,
		.filter = r->filter,
		.follow = o->follow,
		.rate_limit = o->rate_limit,
		.ringbuf_bytes = o->buffer_bytes,
	};
	struct nr_error e = { 0 };
	int err;

	err = nr_loader__open(&lo, &r->loader, &e);
	if (!err)
		err = nr_loader__load(r->loader, &e);
	if (!err)
		err = nr_loader__attach(r->loader, &e);
	if (err) {
		pr_err("cannot record: %s\n", e.msg[0] ? e.msg : strerror(-err));
		return err;
	}
	if (r->filter && nr_loader__user_filter(r->loader)) {
		if (o->snaplen == 0) {
			pr_err("--filter '%s' runs in user space, on packet snapshots: --snaplen 0 "
			       "leaves nothing to filter on\n", o->filter);
			return -EINVAL;
		}
		err = nr_ufilter__new(r->filter, o->follow, 0, &r->ufilter);
		if (err) {
			pr_err("cannot set up the user-space filter: %s\n", strerror(-err));
			return err;
		}
	}
	return 0;
}

/* ---- files ---- */

/* An existing FILE becomes FILE.old (as perf does), never silently destroyed. */
static int keep_old(const char *path)
{
	char old[PATH_MAX];
	struct stat st;

	if (stat(path, &st) || !S_ISREG(st.st_mode) || !st.st_size)
		return 0;
	if (snprintf(old, sizeof(old), "%s.old", path) >= (int)sizeof(old))
		return -ENAMETOOLONG;
	if (rename(path, old)) {
		int err = -errno;

		pr_err("cannot keep '%s' as '%s': %s\n", path, old, strerror(-err));
		return err;
	}
	pr_debug("kept the previous '%s' as '%s'\n", path, old);
	return 0;
}

static int start_capture(struct rec *r)
{
	const struct record_opts *o = r->o;
	struct nr_capture_opts co = {
		.sz = sizeof(co),
		.path = o->pcap,
		.iface = o->pcap_iface ? o->pcap_iface : o->iface ? o->iface : "any",
		.netns = r->netns,
		.db = nr_machine__netns_db(r->machine),
		.filter = o->filter,
		.clock = nr_machine__clock_start(r->machine),
		.userappl = "netrec " NETREC_VERSION,
	};
	char errbuf[NR_CAPTURE_ERRBUF] = "";
	int err;

	if (!o->pcap)
		return 0;
	err = keep_old(o->pcap);
	if (err)
		return err;
	err = nr_capture__start(&co, &r->capture, errbuf);
	if (err)
		pr_err("--pcap '%s': %s\n", o->pcap, errbuf[0] ? errbuf : strerror(-err));
	return err;
}

static void write_error(const struct rec *r, int err)
{
	if (err == -ENOSPC)
		pr_err("'%s': no space left on device, recording stopped (the file stays "
		       "readable up to its last complete chunk)\n", r->o->output);
	else
		pr_err("cannot write '%s': %s, recording stopped\n", r->o->output, strerror(-err));
}

static int open_trace(struct rec *r)
{
	const struct record_opts *o = r->o;
	struct nr_writer_opts wo = {
		.sz = sizeof(wo),
		.compress_level = o->compress_level,
		.async = true,
		.resolve = nr_machine__resolve,
		.resolve_ctx = r->machine,
	};
	const struct nr_probe_outcome *outcomes;
	__u32 n;
	int err;

	err = keep_old(o->output);
	if (err)
		return err;
	err = nr_writer__open(o->output, &wo, &r->writer);
	if (err) {
		pr_err("cannot create '%s': %s\n", o->output, strerror(-err));
		return err;
	}
	outcomes = nr_loader__outcomes(r->loader, &n);
	err = nr_machine__write_start(r->machine, r->writer, (__u32)o->argc, o->argv, o->filter);
	if (!err)
		err = nr_writer__probes(r->writer, outcomes, n);
	if (err)
		write_error(r, err);
	return err;
}

static int append_ctl(struct rec *r, __u16 kind, __u64 ts, const char *text)
{
	union {
		struct nr_ctl c;
		__u8 b[sizeof(struct nr_ctl) + NR_CTL_TEXT_MAX + 8];
	} rec;

	return nr_writer__append(r->writer, nr_ctl_record(&rec, sizeof(rec), kind, ts, text));
}

/* ---- COMMAND ---- */

/* Reap COMMAND if it ended; true when it did. */
static bool reap(struct rec *r, bool block)
{
	int st;
	pid_t p;

	if (!r->child)
		return false;
	do {
		p = waitpid(r->child, &st, block ? 0 : WNOHANG);
	} while (p < 0 && errno == EINTR);
	if (p != r->child)
		return false;
	r->child = 0;
	if (WIFEXITED(st))
		r->child_status = WEXITSTATUS(st);
	else if (WIFSIGNALED(st))
		r->child_status = 128 + WTERMSIG(st);
	else
		r->child_status = 1;
	return true;
}

static int spawn(struct rec *r)
{
	char *const *argv = r->o->command;
	int pfd[2], child_err = 0;
	ssize_t n;
	pid_t pid;

	if (pipe2(pfd, O_CLOEXEC))
		return -errno;
	pid = fork();
	if (pid < 0) {
		close(pfd[0]);
		close(pfd[1]);
		return -errno;
	}
	if (pid == 0) {
		/* only async-signal-safe calls from here to exec */
		close(pfd[0]);
		sigprocmask(SIG_SETMASK, &r->oldmask, NULL);
		execvp(argv[0], argv);
		child_err = errno;
		if (write(pfd[1], &child_err, sizeof(child_err)) < 0)
			_exit(126);
		_exit(127);
	}
	close(pfd[1]);
	/* the exec closes the pipe: nothing to read means COMMAND runs */
	do {
		n = read(pfd[0], &child_err, sizeof(child_err));
	} while (n < 0 && errno == EINTR);
	close(pfd[0]);
	r->child = pid;
	r->child_ran = true;
	if (n == sizeof(child_err)) {
		pr_err("cannot run '%s': %s\n", argv[0], strerror(child_err));
		reap(r, true);
		r->child_status = 127;	/* as a shell says "command not found" */
		return -child_err;
	}
	return 0;
}

/* COMMAND still running when the recording stops: SIGTERM, then SIGKILL. */
static void end_child(struct rec *r)
{
	int waited;

	if (!r->child || reap(r, false))
		return;
	kill(r->child, SIGTERM);
	for (waited = 0; waited < CHILD_TERM_WAIT_MS; waited += 10) {
		if (reap(r, false))
			return;
		usleep(10000);
	}
	pr_warn("'%s' did not exit after SIGTERM, killing it\n", r->o->command[0]);
	kill(r->child, SIGKILL);
	reap(r, true);
}

/* ---- while recording ---- */

static void set_stop(struct rec *r, enum stop_reason why)
{
	if (r->stop == STOP_NONE)
		r->stop = why;
}

static void set_paused(struct rec *r, bool paused)
{
	if (r->paused == paused)
		return;
	nr_loader__pause(r->loader, paused);
	r->paused = paused;
	if (nr_drain__ctl(r->drain, paused ? NR_CTL_PAUSE : NR_CTL_RESUME, nr_mono_ns(), NULL))
		pr_warn("control queue full: %s not written to the file\n",
			paused ? "pause" : "resume");
}

static int on_control(void *ctx, const struct nr_control_cmd *cmd)
{
	struct rec *r = ctx;
	char text[64];

	switch (cmd->op) {
	case NR_CONTROL_PAUSE:
	case NR_CONTROL_RESUME:
		set_paused(r, cmd->op == NR_CONTROL_PAUSE);
		break;
	case NR_CONTROL_MARK:
		if (nr_drain__ctl(r->drain, NR_CTL_MARK, nr_mono_ns(), cmd->text))
			pr_warn("control queue full: mark not written to the file\n");
		break;
	case NR_CONTROL_MAX_STACKS:
		nr_loader__set_max_stacks(r->loader, cmd->n);
		if (cmd->n < 0)
			snprintf(text, sizeof(text), "max-stacks unlimited");
		else
			snprintf(text, sizeof(text), "max-stacks %lld", (long long)cmd->n);
		if (nr_drain__ctl(r->drain, NR_CTL_MARK, nr_mono_ns(), text))
			pr_warn("control queue full: '%s' not written to the file\n", text);
		break;
	case NR_CONTROL_STOP:
		set_stop(r, STOP_CONTROL);
		break;
	default:
		break;
	}
	return 0;
}

static void on_signals(struct rec *r)
{
	struct signalfd_siginfo si;

	while (read(r->sigfd, &si, sizeof(si)) == sizeof(si)) {
		switch (si.ssi_signo) {
		case SIGINT:
		case SIGTERM:
		case SIGHUP:
			set_stop(r, STOP_SIGNAL);
			break;
		case SIGUSR1:
			set_paused(r, true);
			break;
		case SIGUSR2:
			set_paused(r, false);
			break;
		case SIGCHLD:
			if (reap(r, false))
				set_stop(r, STOP_COMMAND);
			break;
		default:
			break;
		}
	}
}

static void draw_status(struct rec *r, __u64 now, __u64 *last_ns, __u64 *last_events)
{
	struct nr_drain_stats ds;
	struct nr_status_info si = { 0 };
	char line[160];

	nr_drain__progress(r->drain, &ds);
	si.elapsed_ns = now - r->start_ns;
	si.events = ds.events;
	si.rate = now > *last_ns ? (double)(ds.events - *last_events) * 1e9 /
				   (double)(now - *last_ns) : 0;
	si.lost = ds.lost + ds.missed + ds.not_stored;
	si.file_bytes = ds.file_bytes;
	si.paused = r->paused;
	if (r->capture) {
		__u64 bytes;

		si.pcap = true;
		nr_capture__progress(r->capture, &si.pcap_packets, &bytes);
	}
	*last_ns = now;
	*last_events = ds.events;
	nr_status_line(line, sizeof(line), &si);
	fprintf(stderr, "\r%s\033[K", line);
	r->status_drawn = true;
}

static void erase_status(struct rec *r)
{
	if (r->status_drawn)
		fprintf(stderr, "\r\033[K");
	r->status_drawn = false;
}

static void run_loop(struct rec *r)
{
	__u64 deadline = r->o->duration_ns ? r->start_ns + r->o->duration_ns : 0;
	__u64 last_ns = r->start_ns, last_events = 0, next_status = r->start_ns;
	struct pollfd pfd[3] = {
		{ .fd = r->sigfd, .events = POLLIN },
		{ .fd = nr_drain__fd(r->drain), .events = POLLIN },
		{ .fd = r->control ? nr_control__fd(r->control) : -1, .events = POLLIN },
	};

	while (r->stop == STOP_NONE) {
		__u64 now = nr_mono_ns(), wake = deadline;
		int timeout = -1;

		if (deadline && now >= deadline) {
			set_stop(r, STOP_DURATION);
			break;
		}
		if (r->status && (!wake || next_status < wake))
			wake = next_status;
		if (wake)
			timeout = wake > now ? (int)((wake - now + 999999) / 1000000) : 0;
		if (poll(pfd, 3, timeout) < 0 && errno != EINTR) {
			r->err = -errno;
			set_stop(r, STOP_ERROR);
			break;
		}
		if (pfd[0].revents)
			on_signals(r);
		if (pfd[1].revents) {
			r->err = nr_drain__error(r->drain);
			set_stop(r, STOP_ERROR);
		}
		if (pfd[2].revents && r->control) {
			int err = nr_control__read(r->control, on_control, r);

			if (err) {
				pr_warn("control FIFO '%s': %s, closing it\n", r->o->control,
					strerror(-err));
				pfd[2].fd = -1;
			}
		}
		now = nr_mono_ns();
		if (r->status && now >= next_status && r->stop == STOP_NONE) {
			draw_status(r, now, &last_ns, &last_events);
			next_status = now + STATUS_INTERVAL_MS * 1000000ull;
		}
	}
}

/* ---- the end ---- */

static int finish(struct rec *r)
{
	struct nr_drain_stats ds = { 0 };
	struct nr_capture_stats cs = { 0 };
	int err, cerr = 0;

	erase_status(r);
	end_child(r);

	err = nr_drain__stop(r->drain, &ds);
	r->drain = NULL;
	if (r->capture) {
		struct nr_counter cnt[3];
		int i, n;

		cerr = nr_capture__stop(r->capture, &cs);
		r->capture = NULL;
		n = nr_capture_stats__counters(&cs, nr_mono_ns(), cnt);
		for (i = 0; i < n && !err; i++)
			err = nr_writer__append(r->writer, &cnt[i].hdr);
	}
	if (!err)
		err = append_ctl(r, NR_CTL_STOP, nr_mono_ns(), stop_text[r->stop]);
	if (!err)
		err = nr_machine__write_end(r->machine, r->writer);
	if (!r->err)
		r->err = err;
	err = nr_writer__close(r->writer);
	r->writer = NULL;
	if (!r->err)
		r->err = err;
	if (r->err)
		write_error(r, r->err);
	if (cerr)
		pr_err("--pcap '%s': %s, the capture is cut short\n", r->o->pcap,
		       cerr == -ENOSPC ? "no space left on device" : strerror(-cerr));

	{
		struct nr_final_info f = {
			.path = r->o->output,
			.events = ds.events,
			.lost = ds.lost,
			.missed = ds.missed,
			.not_stored = ds.not_stored,
			.elapsed_ns = nr_mono_ns() - r->start_ns,
			.buffer_bytes = r->o->buffer_bytes ? r->o->buffer_bytes : NR_RINGBUF_DEFAULT,
			.rate_limit = r->o->rate_limit,
			.filter = r->o->filter != NULL,
		};
		struct stat st;
		char line[512];

		if (!stat(r->o->output, &st))
			f.file_bytes = (__u64)st.st_size;
		else
			f.file_bytes = ds.file_bytes;
		/* after a write error the line above said what the file holds */
		if (r->o->status != NR_STATUS_NEVER && !r->err) {
			nr_final_line(line, sizeof(line), &f);
			pr_info("%s\n", line);
			if (r->o->pcap && !cerr)
				pr_info("captured %llu packets (%llu dropped by the capture) in %s\n",
					(unsigned long long)cs.packets,
					(unsigned long long)(cs.ps_drop + cs.ps_ifdrop), r->o->pcap);
		}
		if (nr_lost_advice(line, sizeof(line), &f))
			pr_warn("%s\n", line);
	}
	return r->err || cerr ? -1 : 0;
}

static void cleanup(struct rec *r)
{
	erase_status(r);
	end_child(r);
	nr_drain__stop(r->drain, NULL);
	nr_capture__stop(r->capture, NULL);
	nr_writer__close(r->writer);
	nr_control__close(r->control);
	nr_loader__close(r->loader);
	nr_ufilter__free(r->ufilter);
	nr_machine__free(r->machine);
	nr_filter__free(r->filter);
	if (r->sigfd >= 0)
		close(r->sigfd);
	pthread_sigmask(SIG_SETMASK, &r->oldmask, NULL);
}

static int open_control(struct rec *r)
{
	int err;

	if (!r->o->control)
		return 0;
	err = nr_control__open(r->o->control, &r->control);
	if (err)
		pr_err("--control '%s': %s\n", r->o->control,
		       err == -EEXIST ? "exists and is not a FIFO" : strerror(-err));
	return err;
}

int run_record(const struct record_opts *o)
{
	struct nr_machine_opts mo = { .sz = sizeof(mo) };
	struct rec r = { .o = o, .sigfd = -1 };
	char errbuf[NR_MACHINE_ERRBUF] = "";
	struct nr_error e = { 0 };
	sigset_t mask;
	int err, ret = EXIT_FAILURE;

	/* before any thread exists, so that every thread inherits the mask */
	sigemptyset(&mask);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGHUP);
	sigaddset(&mask, SIGUSR1);
	sigaddset(&mask, SIGUSR2);
	sigaddset(&mask, SIGCHLD);
	pthread_sigmask(SIG_BLOCK, &mask, &r.oldmask);
	r.sigfd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
	if (r.sigfd < 0) {
		err = errno;
		pr_err("cannot set up signal handling: %s\n", strerror(err));
		goto out;
	}

	/* 1. what can be checked without touching anything */
	if (compile_filter(&r)) {
		ret = 2;
		goto out;
	}
	err = nr_loader__check_kernel(&e);
	if (err) {
		pr_err("cannot record: %s\n", e.msg);
		goto out;
	}
	if (check_output_dir(o->output, "the trace file") ||
	    (o->pcap && check_output_dir(o->pcap, "the capture")) || open_control(&r))
		goto out;

	/* 2. the machine, and the names it resolves */
	mo.vmlinux = nr_vmlinux_btf();
	err = nr_machine__open(&mo, &r.machine, errbuf);
	if (err) {
		pr_err("cannot record: %s\n", errbuf[0] ? errbuf : strerror(-err));
		goto out;
	}
	if (resolve_names(&r))
		goto out;

	/* 3. the probes */
	if (load_probes(&r))
		goto out;
	r.start_ns = nr_mono_ns();
	nr_machine__load_symbols(r.machine);

	/* 4. the files, then events flow into them */
	if (start_capture(&r))
		goto out;
	if (open_trace(&r)) {
		/* no trace, no capture beside it: nothing half made stays behind */
		if (r.capture) {
			nr_capture__stop(r.capture, NULL);
			r.capture = NULL;
			unlink(o->pcap);
		}
		goto out;
	}
	err = append_ctl(&r, NR_CTL_START, r.start_ns, NULL);
	if (err) {
		write_error(&r, err);
		goto out;
	}
	{
		struct nr_drain_opts dopts = {
			.loader = r.loader,
			.writer = r.writer,
			.machine = r.machine,
			.ufilter = r.ufilter,
		};

		err = nr_drain__start(&dopts, &r.drain);
		if (err) {
			pr_err("cannot start draining events: %s\n", strerror(-err));
			goto out;
		}
	}
	r.status = o->status == NR_STATUS_ALWAYS ||
		   (o->status == NR_STATUS_AUTO && isatty(STDERR_FILENO));
	if (o->command && spawn(&r))
		set_stop(&r, STOP_COMMAND);

	/* 5. until something says stop */
	if (r.stop == STOP_NONE) {
		if (!o->command && o->status != NR_STATUS_NEVER)
			pr_info("recording into '%s'%s\n", o->output,
				o->duration_ns ? "" : ", Ctrl-C to stop");
		run_loop(&r);
	}

	/* 6. the end */
	if (finish(&r))
		ret = EXIT_FAILURE;
	else if (r.child_ran)
		ret = r.child_status;
	else
		ret = EXIT_SUCCESS;
out:
	cleanup(&r);
	return ret;
}
