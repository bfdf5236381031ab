// SPDX-License-Identifier: GPL-2.0-only
/*
 * drain.c - ring buffer to trace file, on a thread of its own (drain.h)
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#include <bpf/libbpf.h>

#include "drain.h"
#include "loader.h"
#include "log.h"
#include "machine.h"
#include "nr_file.h"
#include "ufilter.h"

#define CTL_QUEUE	32	/* control records waiting for the drain thread */
#define NKINDS		(NR_CNT_PROG_MISSED + 1)	/* counter kinds the loader reports */

struct ctl_ent {
	__u16 kind;
	__u64 ts_ns;
	char text[NR_CTL_TEXT_MAX + 1];
};

struct nr_drain {
	struct nr_drain_opts o;
	struct ring_buffer *rb;
	pthread_t thr;
	int epfd;
	int wake_fd;		/* main -> drain: stop, or a control record queued */
	int done_fd;		/* drain -> main: stopped on an error */
	int err;		/* first error; written by the drain thread */
	bool stop;		/* atomic */

	pthread_mutex_t mu;	/* the control queue */
	struct ctl_ent *q;
	unsigned int qhead, qlen;

	/* counters: [probe][cpu, ncpus = NR_CPU_ALL][kind], cumulative */
	__u32 nprobes, ncpus;
	__u64 *cur, *last;
	__u64 *ufiltered;	/* [probe][cpu]: removed by the user-space filter */
	__u64 ufiltered_other;	/* ... of records naming no known probe or CPU */
	__u64 not_stored, not_stored_last;
	bool not_stored_warned;

	/* the last namespace and interface handed to the machine (most events repeat it) */
	__u32 seen_netns, seen_ifindex;

	__u64 events;		/* records from the probes appended */
	__u64 appended_since_seal;
	__u64 next_tick;
	struct nr_drain_stats st;	/* published with atomics */
};

__u64 nr_mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (__u64)ts.tv_sec * 1000000000ull + (__u64)ts.tv_nsec;
}

const struct nr_rec_hdr *nr_ctl_record(void *buf, size_t size, __u16 kind, __u64 ts_ns,
				       const char *text)
{
	struct nr_ctl *c = buf;
	size_t len = text ? strnlen(text, NR_CTL_TEXT_MAX) : 0;
	size_t total = (sizeof(*c) + len + 7) & ~(size_t)7;

	if (total > size)
		len = total = 0;
	memset(c, 0, total ? total : sizeof(*c));
	c->hdr.type = NR_REC_CTL;
	c->hdr.size = (__u32)(total ? total : sizeof(*c));
	c->hdr.ts_ns = ts_ns;
	c->kind = kind;
	c->text_len = (__u16)len;
	if (len)
		memcpy(c + 1, text, len);
	return &c->hdr;
}

static void set_err(struct nr_drain *d, int err)
{
	__u64 one = 1;

	if (d->err)
		return;
	__atomic_store_n(&d->err, err, __ATOMIC_RELEASE);
	if (write(d->done_fd, &one, sizeof(one)) < 0)
		pr_debug("drain: cannot signal the stop: %s\n", strerror(errno));
}

static size_t cnt_idx(const struct nr_drain *d, __u16 kind, __u32 probe, __u32 cpu)
{
	__u32 c = cpu == NR_CPU_ALL ? d->ncpus : cpu;

	return ((size_t)probe * (d->ncpus + 1) + c) * NKINDS + kind;
}

static bool cnt_valid(const struct nr_drain *d, __u16 kind, __u32 probe, __u32 cpu)
{
	return kind < NKINDS && probe < d->nprobes && (cpu < d->ncpus || cpu == NR_CPU_ALL);
}

/* the interfaces and namespaces a record names, into the file's description */
static int describe(struct nr_drain *d, const struct nr_rec_hdr *h)
{
	__u32 netns = 0, ifs[3] = { 0 }, i;
	int err = 0;

	switch (h->type) {
	case NR_REC_PKT: {
		const struct nr_pkt *p = (const void *)h;

		netns = p->netns;
		ifs[0] = p->ifindex;
		ifs[1] = p->iif;
		break;
	}
	case NR_REC_SOCK:
		netns = ((const struct nr_sock *)(const void *)h)->netns;
		break;
	case NR_REC_FIB: {
		const struct nr_fib *f = (const void *)h;

		netns = f->netns;
		ifs[0] = f->oif;
		ifs[1] = f->iif;
		ifs[2] = f->nh_ifindex;
		break;
	}
	case NR_REC_NEIGH: {
		const struct nr_neigh *n = (const void *)h;

		netns = n->netns;
		ifs[0] = n->ifindex;
		break;
	}
	default:
		return 0;
	}
	if (!netns)
		return 0;
	for (i = 0; i < 3 && err >= 0; i++) {
		if (i && (!ifs[i] || ifs[i] == ifs[0]))
			continue;
		if (netns == d->seen_netns && ifs[i] == d->seen_ifindex)
			continue;
		err = ifs[i] ? nr_machine__iface_seen(d->o.machine, d->o.writer, netns, ifs[i]) :
			       nr_machine__netns_seen(d->o.machine, d->o.writer, netns);
		if (err >= 0) {
			d->seen_netns = netns;
			d->seen_ifindex = ifs[i];
		}
	}
	return err < 0 ? err : 0;
}

/* the probe and CPU of a record, for per-probe, per-CPU accounting */
static bool rec_probe_cpu(const struct nr_rec_hdr *h, __u32 *probe, __u32 *cpu)
{
	switch (h->type) {
	case NR_REC_PKT:
		*probe = ((const struct nr_pkt *)(const void *)h)->probe;
		*cpu = ((const struct nr_pkt *)(const void *)h)->cpu;
		return true;
	case NR_REC_SOCK:
		*probe = ((const struct nr_sock *)(const void *)h)->probe;
		*cpu = ((const struct nr_sock *)(const void *)h)->cpu;
		return true;
	case NR_REC_FIB:
		*probe = ((const struct nr_fib *)(const void *)h)->probe;
		*cpu = ((const struct nr_fib *)(const void *)h)->cpu;
		return true;
	case NR_REC_NEIGH:
		*probe = ((const struct nr_neigh *)(const void *)h)->probe;
		*cpu = ((const struct nr_neigh *)(const void *)h)->cpu;
		return true;
	default:
		return false;
	}
}

static int on_record(void *ctx, void *data, size_t size)
{
	struct nr_drain *d = ctx;
	const struct nr_rec_hdr *h = data;
	int err;

	if (size < sizeof(*h) || h->size < sizeof(*h) || h->size > size) {
		d->not_stored++;
		return 0;
	}
	if (d->o.ufilter && !nr_ufilter__keep(d->o.ufilter, h)) {
		__u32 probe, cpu;

		if (rec_probe_cpu(h, &probe, &cpu) && probe < d->nprobes && cpu < d->ncpus)
			d->ufiltered[(size_t)probe * d->ncpus + cpu]++;
		else
			d->ufiltered_other++;
		return 0;
	}
	err = describe(d, h);
	if (err < 0) {
		set_err(d, err);
		return err;
	}
	err = nr_writer__append(d->o.writer, h);
	if (err == -EINVAL) {
		/* a record the file format would not hold: counted, never silent */
		if (!d->not_stored_warned)
			pr_debug("drain: record of type %u and size %u refused by the writer\n",
				 h->type, h->size);
		d->not_stored_warned = true;
		d->not_stored++;
		return 0;
	}
	if (err) {
		set_err(d, err);
		return err;
	}
	d->events++;
	d->appended_since_seal++;
	return 0;
}

static int collect(void *ctx, __u16 kind, __u16 probe, __u32 cpu, __u64 value)
{
	struct nr_drain *d = ctx;

	if (cnt_valid(d, kind, probe, cpu))
		d->cur[cnt_idx(d, kind, probe, cpu)] = value;
	return 0;
}

static int append_counter(struct nr_drain *d, __u64 ts, __u16 kind, __u16 probe, __u32 cpu,
			  __u64 value)
{
	struct nr_counter c = {
		.hdr = { .type = NR_REC_COUNTER, .size = sizeof(c), .ts_ns = ts },
		.value = value,
		.cpu = cpu,
		.probe = probe,
		.kind = kind,
	};

	return nr_writer__append(d->o.writer, &c.hdr);
}

/*
 * Read the probes' counters and write those that changed since the last time. The
 * user-space filter's removals are added to the probes' own FILTERED counts, per probe
 * and CPU, so the file says "filtered" once whoever filtered.
 */
static int write_counters(struct nr_drain *d)
{
	size_t n = (size_t)d->nprobes * (d->ncpus + 1) * NKINDS;
	__u64 ts = nr_mono_ns(), lost = 0, missed = 0, rl = 0, paused = 0, uf = d->ufiltered_other;
	__u32 probe, cpu;
	__u16 kind;
	int err;

	memset(d->cur, 0, n * sizeof(*d->cur));
	err = nr_loader__for_each_counter(d->o.loader, collect, d);
	if (err)
		return err;
	for (probe = 0; probe < d->nprobes; probe++) {
		for (cpu = 0; cpu <= d->ncpus; cpu++) {
			__u32 c = cpu == d->ncpus ? NR_CPU_ALL : cpu;
			__u64 *cur = &d->cur[cnt_idx(d, 0, probe, c)];
			__u64 *last = &d->last[cnt_idx(d, 0, probe, c)];

			if (cpu < d->ncpus) {
				__u64 u = d->ufiltered[(size_t)probe * d->ncpus + cpu];

				cur[NR_CNT_FILTERED] += u;
				uf += u;
			}
			lost += cur[NR_CNT_LOST];
			missed += cur[NR_CNT_PROG_MISSED];
			rl += cur[NR_CNT_RATE_LIMITED];
			paused += cur[NR_CNT_PAUSED];
			for (kind = 1; kind < NKINDS; kind++) {
				if (cur[kind] == last[kind])
					continue;
				err = append_counter(d, ts, kind, (__u16)probe, c, cur[kind]);
				if (err)
					return err;
				last[kind] = cur[kind];
			}
		}
	}
	if (d->not_stored != d->not_stored_last) {
		err = append_counter(d, ts, NR_CNT_USER_DROP, NR_PROBE_NONE, NR_CPU_ALL,
				     d->not_stored);
		if (err)
			return err;
		d->not_stored_last = d->not_stored;
	}
	__atomic_store_n(&d->st.lost, lost, __ATOMIC_RELAXED);
	__atomic_store_n(&d->st.missed, missed, __ATOMIC_RELAXED);
	__atomic_store_n(&d->st.rate_limited, rl, __ATOMIC_RELAXED);
	__atomic_store_n(&d->st.paused, paused, __ATOMIC_RELAXED);
	__atomic_store_n(&d->st.filtered, uf, __ATOMIC_RELAXED);
	return 0;
}

static int write_ctl_queue(struct nr_drain *d)
{
	struct ctl_ent e;
	union {
		struct nr_ctl c;
		__u8 b[sizeof(struct nr_ctl) + NR_CTL_TEXT_MAX + 8];
	} rec;
	int err;

	for (;;) {
		pthread_mutex_lock(&d->mu);
		if (!d->qlen) {
			pthread_mutex_unlock(&d->mu);
			return 0;
		}
		e = d->q[d->qhead];
		d->qhead = (d->qhead + 1) % CTL_QUEUE;
		d->qlen--;
		pthread_mutex_unlock(&d->mu);
		err = nr_writer__append(d->o.writer,
					nr_ctl_record(&rec, sizeof(rec), e.kind, e.ts_ns,
						      e.text[0] ? e.text : NULL));
		if (err)
			return err;
	}
}

static void publish(struct nr_drain *d)
{
	struct nr_writer_stats ws;

	nr_writer__stats(d->o.writer, &ws);
	__atomic_store_n(&d->st.events, d->events, __ATOMIC_RELAXED);
	__atomic_store_n(&d->st.not_stored, d->not_stored, __ATOMIC_RELAXED);
	__atomic_store_n(&d->st.file_bytes, ws.file_bytes, __ATOMIC_RELAXED);
}

/* once a second: counters, and the open chunk sealed so that it reaches the disk */
static int tick(struct nr_drain *d, bool force)
{
	__u64 now = nr_mono_ns();
	int err;

	if (!force && now < d->next_tick)
		return 0;
	d->next_tick = now + NR_DRAIN_TICK_NS;
	err = write_counters(d);
	if (!err && d->appended_since_seal) {
		err = nr_writer__seal(d->o.writer);
		d->appended_since_seal = 0;
	}
	return err;
}

static int consume(struct nr_drain *d)
{
	int n = ring_buffer__consume(d->rb);

	if (n < 0 && !d->err)
		set_err(d, n);
	return d->err;
}

static void *drain_main(void *arg)
{
	struct nr_drain *d = arg;
	struct epoll_event ev[2];
	int n, i, err;

	d->next_tick = nr_mono_ns() + NR_DRAIN_TICK_NS;
	while (!__atomic_load_n(&d->stop, __ATOMIC_ACQUIRE)) {
		n = epoll_wait(d->epfd, ev, 2, NR_DRAIN_POLL_MS);
		if (n < 0 && errno != EINTR) {
			set_err(d, -errno);
			break;
		}
		for (i = 0; i < n; i++) {
			__u64 v;

			if (ev[i].data.fd == d->wake_fd && read(d->wake_fd, &v, sizeof(v)) < 0)
				pr_debug("drain: wake read: %s\n", strerror(errno));
		}
		if (consume(d))
			break;
		err = write_ctl_queue(d);
		if (!err)
			err = tick(d, false);
		if (err) {
			set_err(d, err);
			break;
		}
		publish(d);
	}
	return NULL;
}

/* @started: the mutex exists; descriptors are open or -1, the ring buffer NULL or not */
static void drain_free(struct nr_drain *d, bool started)
{
	if (started) {
		if (d->epfd >= 0)
			close(d->epfd);
		if (d->wake_fd >= 0)
			close(d->wake_fd);
		if (d->done_fd >= 0)
			close(d->done_fd);
		ring_buffer__free(d->rb);
		pthread_mutex_destroy(&d->mu);
	}
	free(d->cur);
	free(d->last);
	free(d->ufiltered);
	free(d->q);
	free(d);
}

int nr_drain__start(const struct nr_drain_opts *o, struct nr_drain **ret)
{
	const struct nr_plan *plan = nr_loader__plan(o->loader);
	struct epoll_event ev = { .events = EPOLLIN };
	struct nr_drain *d;
	size_t n;
	int err;

	d = calloc(1, sizeof(*d));
	if (!d)
		return -ENOMEM;
	d->o = *o;
	d->epfd = d->wake_fd = d->done_fd = -1;
	d->nprobes = plan->nr;
	d->ncpus = nr_loader__ncpus(o->loader);
	n = (size_t)d->nprobes * (d->ncpus + 1) * NKINDS;
	d->cur = calloc(n, sizeof(*d->cur));
	d->last = calloc(n, sizeof(*d->last));
	d->ufiltered = calloc((size_t)d->nprobes * d->ncpus, sizeof(*d->ufiltered));
	d->q = calloc(CTL_QUEUE, sizeof(*d->q));
	if (!d->cur || !d->last || !d->ufiltered || !d->q) {
		err = -ENOMEM;
		goto fail;
	}
	pthread_mutex_init(&d->mu, NULL);
	d->rb = ring_buffer__new(nr_loader__ringbuf_fd(o->loader), on_record, d, NULL);
	if (!d->rb) {
		err = -errno;
		goto fail_fds;
	}
	d->epfd = epoll_create1(EPOLL_CLOEXEC);
	d->wake_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	d->done_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (d->epfd < 0 || d->wake_fd < 0 || d->done_fd < 0) {
		err = -errno;
		goto fail_fds;
	}
	ev.data.fd = ring_buffer__epoll_fd(d->rb);
	if (epoll_ctl(d->epfd, EPOLL_CTL_ADD, ev.data.fd, &ev)) {
		err = -errno;
		goto fail_fds;
	}
	ev.data.fd = d->wake_fd;
	if (epoll_ctl(d->epfd, EPOLL_CTL_ADD, d->wake_fd, &ev)) {
		err = -errno;
		goto fail_fds;
	}
	err = -pthread_create(&d->thr, NULL, drain_main, d);
	if (err)
		goto fail_fds;
	*ret = d;
	return 0;

fail_fds:
	drain_free(d, true);
	return err;
fail:
	drain_free(d, false);
	return err;
}

int nr_drain__fd(const struct nr_drain *d)
{
	return d->done_fd;
}

int nr_drain__error(const struct nr_drain *d)
{
	return __atomic_load_n(&d->err, __ATOMIC_ACQUIRE);
}

static void wake(struct nr_drain *d)
{
	__u64 one = 1;

	if (write(d->wake_fd, &one, sizeof(one)) < 0)
		pr_debug("drain: cannot wake the thread: %s\n", strerror(errno));
}

int nr_drain__ctl(struct nr_drain *d, __u16 kind, __u64 ts_ns, const char *text)
{
	struct ctl_ent *e;

	pthread_mutex_lock(&d->mu);
	if (d->qlen == CTL_QUEUE) {
		pthread_mutex_unlock(&d->mu);
		return -EAGAIN;
	}
	e = &d->q[(d->qhead + d->qlen) % CTL_QUEUE];
	e->kind = kind;
	e->ts_ns = ts_ns;
	snprintf(e->text, sizeof(e->text), "%s", text ? text : "");
	d->qlen++;
	pthread_mutex_unlock(&d->mu);
	wake(d);
	return 0;
}

void nr_drain__progress(const struct nr_drain *d, struct nr_drain_stats *ret)
{
	ret->events = __atomic_load_n(&d->st.events, __ATOMIC_RELAXED);
	ret->lost = __atomic_load_n(&d->st.lost, __ATOMIC_RELAXED);
	ret->missed = __atomic_load_n(&d->st.missed, __ATOMIC_RELAXED);
	ret->filtered = __atomic_load_n(&d->st.filtered, __ATOMIC_RELAXED);
	ret->not_stored = __atomic_load_n(&d->st.not_stored, __ATOMIC_RELAXED);
	ret->rate_limited = __atomic_load_n(&d->st.rate_limited, __ATOMIC_RELAXED);
	ret->paused = __atomic_load_n(&d->st.paused, __ATOMIC_RELAXED);
	ret->file_bytes = __atomic_load_n(&d->st.file_bytes, __ATOMIC_RELAXED);
}

int nr_drain__stop(struct nr_drain *d, struct nr_drain_stats *ret)
{
	int err;

	if (!d)
		return 0;
	__atomic_store_n(&d->stop, true, __ATOMIC_RELEASE);
	wake(d);
	pthread_join(d->thr, NULL);

	/* the thread is gone: the rest runs here. No probe fires after the detach, so
	 * what the ring buffer holds now is everything, and the counters are final. */
	nr_loader__detach(d->o.loader);
	err = d->err;
	if (!err)
		err = consume(d);
	if (!err)
		err = write_ctl_queue(d);
	if (!err)
		err = tick(d, true);
	if (err)
		set_err(d, err);
	publish(d);
	if (ret)
		nr_drain__progress(d, ret);

	drain_free(d, true);
	return err;
}
