// SPDX-License-Identifier: GPL-2.0-only
/*
 * capture.c - libpcap capture beside a recording, written as pcapng (see capture.h)
 */
#include <errno.h>
#include <stdint.h>
#include <inttypes.h>
#include <pthread.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include <pcap/pcap.h>

#include "capture.h"
#include "log.h"
#include "netns.h"
#include "pcapng.h"

struct nr_capture {
	struct nr_capture_opts o;
	char *path;
	char *iface;
	char *filter;
	char *userappl;
	struct nr_clock clock;
	bool has_clock;
	int nsfd;		/* namespace to enter, -1 for ours */

	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	bool ready;		/* the thread finished setting up (see err) */
	int setup_err;
	char *errbuf;		/* the starter's, valid until ready */

	pcap_t *pcap;		/* owned by the thread; breakloop from others */
	struct nr_pcapng *w;
	__u32 ifid;
	__u64 start_ns;
	struct nr_capture_stats st;
};

static __u64 realtime_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_REALTIME, &t);
	return (__u64)t.tv_sec * 1000000000ull + (__u64)t.tv_nsec;
}

/* pcapng link types are the DLT values except where the two registries differ. */
static int dlt_to_linktype(int dlt)
{
	switch (dlt) {
	case DLT_RAW:
		return NR_LINKTYPE_RAW;	/* DLT_RAW is 12 or 14 by platform */
	default:
		return dlt;
	}
}

static int map_pcap_err(int status)
{
	switch (status) {
	case PCAP_ERROR_NO_SUCH_DEVICE:
		return -ENODEV;
	case PCAP_ERROR_PERM_DENIED:
	case PCAP_ERROR_PROMISC_PERM_DENIED:
		return -EPERM;
	case PCAP_ERROR_IFACE_NOT_UP:
		return -ENETDOWN;
	default:
		return -EIO;
	}
}

static void on_packet(u_char *user, const struct pcap_pkthdr *h, const u_char *bytes)
{
	struct nr_capture *c = (struct nr_capture *)user;
	/* nanosecond precision: tv_usec holds nanoseconds */
	__u64 ts = (__u64)h->ts.tv_sec * 1000000000ull + (__u64)h->ts.tv_usec;
	struct nr_pcapng_pkt p = {
		.iface = c->ifid,
		.ts_ns = ts,
		.data = bytes,
		.caplen = h->caplen,
		.len = h->len < h->caplen ? h->caplen : h->len,
	};
	int err;

	err = nr_pcapng__packet(c->w, &p);
	if (err) {
		if (!c->st.err)
			c->st.err = err;
		pcap_breakloop(c->pcap);
		return;
	}
	if (!c->st.packets)
		c->st.first_ns = ts;
	c->st.last_ns = ts;
	/* read by nr_capture__progress() on other threads */
	__atomic_store_n(&c->st.packets, c->st.packets + 1, __ATOMIC_RELAXED);
	__atomic_store_n(&c->st.bytes, c->st.bytes + h->caplen, __ATOMIC_RELAXED);
}

static int setup_fail(struct nr_capture *c, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int setup_fail(struct nr_capture *c, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(c->errbuf, NR_CAPTURE_ERRBUF, fmt, ap);
	va_end(ap);
	return err;
}

static int open_writer(struct nr_capture *c, int dlt)
{
	char comment[256] = "", desc[160], os[160] = "";
	struct nr_pcapng_opts po = { .sz = sizeof(po), .userappl = c->userappl };
	struct nr_pcapng_iface ifc = {
		.linktype = (__u16)dlt_to_linktype(dlt),
		.snaplen = c->o.snaplen,
		.name = c->iface,
		.filter = c->filter,
	};
	struct utsname u;
	int err;

	if (c->has_clock)
		snprintf(comment, sizeof(comment),
			 "netrec clock reference: CLOCK_MONOTONIC %" PRIu64
			 " ns = CLOCK_REALTIME %" PRIu64
			 " ns (packet timestamps are CLOCK_REALTIME)",
			 (uint64_t)c->clock.mono_ns, (uint64_t)c->clock.real_ns);
	if (uname(&u) == 0) {
		snprintf(os, sizeof(os), "%s %s", u.sysname, u.release);
		po.hardware = u.machine;
	}
	po.os = os[0] ? os : NULL;
	po.comment = comment[0] ? comment : NULL;
	if (c->o.netns)
		snprintf(desc, sizeof(desc), "%s in netns %u", c->iface, c->o.netns);
	else
		snprintf(desc, sizeof(desc), "%s", c->iface);
	ifc.description = desc;

	err = nr_pcapng__open(c->path, &po, &c->w);
	if (err)
		return setup_fail(c, err, "cannot create '%s': %s", c->path, strerror(-err));
	err = nr_pcapng__add_iface(c->w, &ifc, &c->ifid);
	if (err)
		return setup_fail(c, err, "cannot write '%s': %s", c->path, strerror(-err));
	return 0;
}

/* Everything up to the first packet; runs on the capture thread (in the namespace). */
static int setup(struct nr_capture *c)
{
	char ebuf[PCAP_ERRBUF_SIZE] = "";
	struct bpf_program prog;
	int status;

	if (c->nsfd >= 0 && setns(c->nsfd, CLONE_NEWNET))
		return setup_fail(c, -errno, "cannot enter netns %u: %s", c->o.netns,
				  strerror(errno));
	c->pcap = pcap_create(c->iface, ebuf);
	if (!c->pcap)
		return setup_fail(c, -ENODEV, "capture on '%s': %s", c->iface, ebuf);
	if (pcap_set_snaplen(c->pcap, (int)c->o.snaplen) ||
	    pcap_set_immediate_mode(c->pcap, 1) ||
	    pcap_set_buffer_size(c->pcap, (int)c->o.buffer_bytes) ||
	    pcap_set_promisc(c->pcap, c->o.promisc) ||
	    pcap_set_tstamp_precision(c->pcap, PCAP_TSTAMP_PRECISION_NANO))
		return setup_fail(c, -EINVAL, "capture on '%s': %s", c->iface,
				  pcap_geterr(c->pcap));
	status = pcap_activate(c->pcap);
	if (status < 0)
		return setup_fail(c, map_pcap_err(status), "capture on '%s': %s%s%s", c->iface,
				  pcap_statustostr(status),
				  status == PCAP_ERROR ? ": " : "",
				  status == PCAP_ERROR ? pcap_geterr(c->pcap) : "");
	if (status > 0)
		pr_debug("capture on '%s': %s\n", c->iface, pcap_statustostr(status));
	/* the "any" device: prefer the v2 cooked header, it names the interface */
	if (pcap_datalink(c->pcap) == DLT_LINUX_SLL &&
	    pcap_set_datalink(c->pcap, DLT_LINUX_SLL2))
		pr_debug("capture on '%s': no DLT_LINUX_SLL2, keeping DLT_LINUX_SLL\n", c->iface);
	if (c->filter) {
		if (pcap_compile(c->pcap, &prog, c->filter, 1, PCAP_NETMASK_UNKNOWN))
			return setup_fail(c, -EINVAL, "capture filter '%s': %s", c->filter,
					  pcap_geterr(c->pcap));
		status = pcap_setfilter(c->pcap, &prog);
		pcap_freecode(&prog);
		if (status)
			return setup_fail(c, -EINVAL, "capture filter '%s': %s", c->filter,
					  pcap_geterr(c->pcap));
	}
	return open_writer(c, pcap_datalink(c->pcap));
}

static void finish(struct nr_capture *c)
{
	struct nr_pcapng_ifstats s = {
		.iface = c->ifid,
		.present = NR_PCAPNG_ST_START | NR_PCAPNG_ST_END | NR_PCAPNG_ST_USRDELIV,
		.start_ns = c->start_ns,
		.usrdeliv = c->st.packets,
	};
	struct pcap_stat ps;
	int err;

	if (pcap_stats(c->pcap, &ps) == 0) {
		c->st.ps_recv = ps.ps_recv;
		c->st.ps_drop = ps.ps_drop;
		c->st.ps_ifdrop = ps.ps_ifdrop;
		s.present |= NR_PCAPNG_ST_IFRECV | NR_PCAPNG_ST_IFDROP | NR_PCAPNG_ST_OSDROP;
		s.ifrecv = ps.ps_recv;
		s.ifdrop = ps.ps_ifdrop;
		s.osdrop = ps.ps_drop;
	} else {
		pr_debug("capture on '%s': no statistics: %s\n", c->iface, pcap_geterr(c->pcap));
	}
	s.ts_ns = s.end_ns = realtime_ns();
	err = nr_pcapng__ifstats(c->w, &s);
	if (err && !c->st.err)
		c->st.err = err;
}

/*
 * Stopped: take what is already in the ring (packets sent just before the stop) without
 * waiting for more. Bounded: at most the ring's content, in a few batches.
 */
static void drain(struct nr_capture *c)
{
	char ebuf[PCAP_ERRBUF_SIZE];
	int i;

	if (pcap_setnonblock(c->pcap, 1, ebuf))
		return;
	for (i = 0; i < 64 && !c->st.err; i++)
		if (pcap_dispatch(c->pcap, -1, on_packet, (u_char *)c) <= 0)
			break;
}

static void *capture_thread(void *arg)
{
	struct nr_capture *c = arg;
	int err, status;

	err = setup(c);
	c->start_ns = realtime_ns();
	pthread_mutex_lock(&c->lock);
	c->setup_err = err;
	c->ready = true;
	c->errbuf = NULL;
	pthread_cond_signal(&c->cond);
	pthread_mutex_unlock(&c->lock);
	if (err)
		return NULL;

	status = pcap_loop(c->pcap, -1, on_packet, (u_char *)c);
	if (status == PCAP_ERROR && !c->st.err) {
		pr_debug("capture on '%s': %s\n", c->iface, pcap_geterr(c->pcap));
		c->st.err = -EIO;
	}
	if (status == PCAP_ERROR_BREAK && !c->st.err)
		drain(c);
	finish(c);
	return NULL;
}

static void capture_free(struct nr_capture *c)
{
	if (c->pcap)
		pcap_close(c->pcap);
	if (c->nsfd >= 0)
		close(c->nsfd);
	free(c->path);
	free(c->iface);
	free(c->filter);
	free(c->userappl);
	pthread_mutex_destroy(&c->lock);
	pthread_cond_destroy(&c->cond);
	free(c);
}

static char *dup_opt(const char *s, bool *fail)
{
	char *d;

	if (!s)
		return NULL;
	d = strdup(s);
	if (!d)
		*fail = true;
	return d;
}

int nr_capture__start(const struct nr_capture_opts *opts, struct nr_capture **ret,
		      char *errbuf)
{
	struct nr_capture *c;
	bool fail = false;
	int err;

	errbuf[0] = '\0';
	if (!opts || opts->sz < offsetof(struct nr_capture_opts, filter) || !opts->path ||
	    !opts->iface) {
		snprintf(errbuf, NR_CAPTURE_ERRBUF, "capture: no file or interface given");
		return -EINVAL;
	}
	c = calloc(1, sizeof(*c));
	if (!c)
		return -ENOMEM;
	memcpy(&c->o, opts, opts->sz < sizeof(c->o) ? opts->sz : sizeof(c->o));
	c->nsfd = -1;
	pthread_mutex_init(&c->lock, NULL);
	pthread_cond_init(&c->cond, NULL);
	c->path = dup_opt(opts->path, &fail);
	c->iface = dup_opt(opts->iface, &fail);
	c->filter = dup_opt(c->o.filter, &fail);
	c->userappl = dup_opt(c->o.userappl, &fail);
	if (fail) {
		capture_free(c);
		return -ENOMEM;
	}
	if (c->o.clock) {
		c->clock = *c->o.clock;
		c->has_clock = true;
	}
	if (!c->o.snaplen)
		c->o.snaplen = NR_CAPTURE_SNAPLEN_DEFAULT;
	if (!c->o.buffer_bytes)
		c->o.buffer_bytes = NR_CAPTURE_BUFFER_DEFAULT;
	if (c->o.netns) {
		long long self = nr_netns_self();

		if (self <= 0 || (__u32)self != c->o.netns) {
			err = c->o.db ? nr_netns_db__open(c->o.db, c->o.netns) : -ENOENT;
			if (err < 0) {
				snprintf(errbuf, NR_CAPTURE_ERRBUF,
					 "capture: cannot open netns %u: %s",
					 c->o.netns, strerror(-err));
				capture_free(c);
				return err;
			}
			c->nsfd = err;
		}
	}

	c->errbuf = errbuf;
	err = pthread_create(&c->thread, NULL, capture_thread, c);
	if (err) {
		snprintf(errbuf, NR_CAPTURE_ERRBUF, "capture: cannot start thread: %s",
			 strerror(err));
		capture_free(c);
		return -err;
	}
	pthread_mutex_lock(&c->lock);
	while (!c->ready)
		pthread_cond_wait(&c->cond, &c->lock);
	err = c->setup_err;
	pthread_mutex_unlock(&c->lock);
	if (err) {
		pthread_join(c->thread, NULL);
		if (c->w) {
			nr_pcapng__close(c->w);
			unlink(c->path);
		}
		capture_free(c);
		return err;
	}
	*ret = c;
	return 0;
}

int nr_capture__stop(struct nr_capture *c, struct nr_capture_stats *ret)
{
	int err;

	if (!c)
		return 0;
	pcap_breakloop(c->pcap);
	pthread_join(c->thread, NULL);
	err = nr_pcapng__close(c->w);
	if (err && !c->st.err)
		c->st.err = err;
	if (ret)
		*ret = c->st;
	err = c->st.err;
	capture_free(c);
	return err;
}

void nr_capture__progress(const struct nr_capture *c, __u64 *packets, __u64 *bytes)
{
	*packets = __atomic_load_n(&c->st.packets, __ATOMIC_RELAXED);
	*bytes = __atomic_load_n(&c->st.bytes, __ATOMIC_RELAXED);
}

int nr_capture_stats__counters(const struct nr_capture_stats *s, __u64 ts_ns,
			       struct nr_counter out[3])
{
	static const __u16 kinds[3] = { NR_CNT_PCAP_RECV, NR_CNT_PCAP_DROP, NR_CNT_PCAP_IFDROP };
	const __u64 values[3] = { s->ps_recv, s->ps_drop, s->ps_ifdrop };
	int i;

	for (i = 0; i < 3; i++) {
		memset(&out[i], 0, sizeof(out[i]));
		out[i].hdr.type = NR_REC_COUNTER;
		out[i].hdr.size = sizeof(out[i]);
		out[i].hdr.ts_ns = ts_ns;
		out[i].value = values[i];
		out[i].cpu = NR_CPU_ALL;
		out[i].probe = NR_PROBE_NONE;
		out[i].kind = kinds[i];
	}
	return 3;
}
