// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_format - the .nr writer and reader: round trips of every record and block type,
 * byte-identical files for the same input, what the writer refuses, metadata lookups
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "internal.h"
#include "nr_file.h"
#include "nr_testing.h"
#include "nrblocks.h"
#include "schema.h"
#include "synth.h"

static char tmpdir[] = "/tmp/nr-test-format-XXXXXX";

static char *tpath(const char *name)
{
	static char buf[4][256];
	static int i;

	i = (i + 1) % 4;
	snprintf(buf[i], sizeof(buf[i]), "%s/%s", tmpdir, name);
	return buf[i];
}

/* the record the reader should return for an appended @in: stack frames interned */
static size_t expected(const struct nr_rec_hdr *in, void *out, __u32 *stack_nr,
		       const __u64 **frames)
{
	const struct nr_schema *s = nr_schema_builtin(in->type);
	struct nr_rec_hdr *h = out;
	__u32 tail = 0, stored;

	if (s->tail_codec)
		tail = nr_schema_tail_len(s, in);
	stored = s->fixed_size + (__u32)nr_align8(tail);
	memcpy(out, in, stored);
	memset((__u8 *)out + s->fixed_size + tail, 0, stored - s->fixed_size - tail);
	h->size = stored;
	h->flags &= ~NR_RF_STACK_INLINE;
	*stack_nr = 0;
	*frames = NULL;
	if (in->flags & NR_RF_STACK_INLINE) {
		const struct nr_field *f;
		__u32 i;

		for (i = 0; i < s->nr_fields; i++) {
			f = &s->fields[i];
			if (f->flags & NR_FLD_STACK) {
				*stack_nr = nr_ld32((const __u8 *)in + f->off);
				*frames = (const __u64 *)((const __u8 *)in + stored);
			}
		}
	}
	return stored;
}

static __u32 stack_id_of(const struct nr_rec_hdr *h)
{
	switch (h->type) {
	case NR_REC_PKT: return ((const struct nr_pkt *)h)->stack_id;
	case NR_REC_SOCK: return ((const struct nr_sock *)h)->stack_id;
	case NR_REC_FIB: return ((const struct nr_fib *)h)->stack_id;
	}
	return 0;
}

static void clear_stack_id(void *rec)
{
	struct nr_rec_hdr *h = rec;

	switch (h->type) {
	case NR_REC_PKT: ((struct nr_pkt *)h)->stack_id = 0; break;
	case NR_REC_SOCK: ((struct nr_sock *)h)->stack_id = 0; break;
	case NR_REC_FIB: ((struct nr_fib *)h)->stack_id = 0; break;
	}
}

static int write_synth(const char *path, enum synth_kind kind, __u64 n, __u64 seed,
		       const struct nr_writer_opts *o)
{
	return synth_write_file(path, o, kind, n, seed);
}

/* read @path back and compare every record with the synthetic stream */
static void check_roundtrip(const char *what, const char *path, enum synth_kind kind, __u64 n,
			    __u64 seed, bool unordered)
{
	static __u64 buf[SYNTH_REC_MAX / 8], exp[SYNTH_REC_MAX / 8], got[SYNTH_REC_MAX / 8];
	struct nr_reader_opts ro = { .sz = sizeof(ro), .unordered = unordered };
	const struct nr_rec_hdr *h;
	struct nr_reader *r;
	struct nr_error e;
	struct synth s;
	__u64 i = 0, bad = 0, badstack = 0;
	int ret;

	check_start(what);
	ret = nr_reader__open(path, &ro, &r, &e);
	if (!CHECK_EQ(ret, 0, "open")) {
		fprintf(stderr, "  %s\n", e.msg);
		return;
	}
	CHECK_EQ(nr_reader__meta(r)->file.nr_events, n, "file.nr_events");
	CHECK(nr_reader__meta(r)->file.clean_close, "clean_close");
	CHECK(nr_reader__meta(r)->file.has_index, "has_index");
	synth_init(&s, kind, seed);
	while ((ret = nr_reader__next(r, &h, &e)) > 0) {
		const struct nr_rec_hdr *in = synth_next(&s, buf);
		const struct nr_stack *st;
		const __u64 *frames;
		__u32 nr;
		size_t len = expected(in, exp, &nr, &frames);

		i++;
		if (h->size != len) {
			bad++;
			continue;
		}
		st = nr_meta__stack(nr_reader__meta(r), stack_id_of(h));
		if (nr ? (!st || st->nr != nr || memcmp(st->ip, frames, nr * 8)) : !!st)
			badstack++;
		memcpy(got, h, len);
		clear_stack_id(got);
		clear_stack_id(exp);
		if (memcmp(got, exp, len)) {
			if (!bad)
				fprintf(stderr, "  first difference at record %llu (type %u)\n",
					(unsigned long long)i, h->type);
			bad++;
		}
	}
	CHECK_EQ(ret, 0, "next ends cleanly");
	CHECK_EQ(i, n, "records read");
	CHECK_EQ(bad, 0, "records differing");
	CHECK_EQ(badstack, 0, "stacks differing");
	nr_reader__free(r);
}

static void test_roundtrip(void)
{
	struct nr_writer_opts sync_small = { .sz = sizeof(sync_small), .chunk_bytes = 64 << 10,
					     .resolve = synth_resolve };
	struct nr_writer_opts async = { .sz = sizeof(async), .async = true,
					.chunk_bytes = 256 << 10, .resolve = synth_resolve };
	struct nr_writer_opts dflt = { .sz = sizeof(dflt), .resolve = synth_resolve };

	check_start("write storm");
	CHECK_EQ(write_synth(tpath("storm.nr"), SYNTH_STORM, 50000, 7, &sync_small), 0, "write");
	check_roundtrip("roundtrip storm", tpath("storm.nr"), SYNTH_STORM, 50000, 7, false);
	check_roundtrip("roundtrip storm unordered", tpath("storm.nr"), SYNTH_STORM, 50000, 7,
			true);

	check_start("write mixed async");
	CHECK_EQ(write_synth(tpath("mixed.nr"), SYNTH_MIXED, 60000, 3, &async), 0, "write");
	check_roundtrip("roundtrip mixed async", tpath("mixed.nr"), SYNTH_MIXED, 60000, 3, false);

	check_start("write mixed default");
	CHECK_EQ(write_synth(tpath("mixed2.nr"), SYNTH_MIXED, 30000, 5, &dflt), 0, "write");
	check_roundtrip("roundtrip mixed default opts", tpath("mixed2.nr"), SYNTH_MIXED, 30000, 5,
			false);
}

static void test_deterministic(void)
{
	struct nr_writer_opts a = { .sz = sizeof(a), .chunk_bytes = 100 << 10,
				    .resolve = synth_resolve };
	struct nr_writer_opts b = a;
	__u8 *x = NULL, *y = NULL;
	size_t xl = 0, yl = 0;
	struct stat st;

	check_start("deterministic");
	b.async = true;
	CHECK_EQ(write_synth(tpath("d1.nr"), SYNTH_MIXED, 20000, 11, &a), 0, "write sync");
	CHECK_EQ(write_synth(tpath("d2.nr"), SYNTH_MIXED, 20000, 11, &b), 0, "write async");
	CHECK_EQ(nrblk_read_file(tpath("d1.nr"), &x, &xl), 0, "read d1");
	CHECK_EQ(nrblk_read_file(tpath("d2.nr"), &y, &yl), 0, "read d2");
	CHECK_EQ(xl, yl, "same size");
	CHECK(xl == yl && x && y && !memcmp(x, y, xl), "byte-identical files (sync and async)");
	free(x);
	free(y);
	CHECK_EQ(stat(tpath("d1.nr"), &st), 0, "stat");
	CHECK_EQ(st.st_mode & 0777, 0600, "mode 0600");
}

static void test_meta(void)
{
	static __u64 buf[SYNTH_REC_MAX / 8];
	struct nr_writer_opts o = { .sz = sizeof(o), .resolve = synth_resolve };
	const struct nr_meta *m;
	const struct nr_sym *sym;
	const struct nr_iface *ifc;
	const struct nr_stack *st;
	struct nr_writer *w;
	struct nr_reader *r;
	struct nr_error e;
	struct synth s;
	__u64 off = 0;
	__u32 id = 0, id2 = 0;
	static const __u64 ips[3] = { 0xffffffff81c30a1c, 0xffffffff81d0009c, 0xdeadbeef };
	int i;

	check_start("meta");
	CHECK_EQ(nr_writer__open(tpath("meta.nr"), &o, &w), 0, "open");
	synth_init(&s, SYNTH_STORM, 1);
	CHECK_EQ(synth_write_meta(w, s.ts), 0, "meta");
	CHECK_EQ(nr_writer__stack(w, ips, 3, &id), 0, "stack");
	CHECK_EQ(nr_writer__stack(w, ips, 3, &id2), 0, "stack again");
	CHECK_EQ(id, id2, "same stack, same id");
	for (i = 0; i < 10; i++)
		CHECK_EQ(nr_writer__append(w, synth_next(&s, buf)), 0, "append");
	CHECK_EQ(synth_write_end(w, 3915187464144ull, s.ts), 0, "end clock");
	CHECK_EQ(nr_writer__close(w), 0, "close");

	CHECK_EQ(nr_reader__open(tpath("meta.nr"), NULL, &r, &e), 0, "reader open");
	m = nr_reader__meta(r);
	CHECK_STR(m->host.hostname, "synth-host", "hostname");
	CHECK_STR(m->host.release, "6.18.0-synthetic", "release");
	CHECK_STR(m->host.machine, "x86_64", "machine");
	CHECK_EQ(m->host.build_id_len, 20, "build id length");
	CHECK_EQ(m->host.build_id[0], 0x5a, "build id byte 0");
	CHECK_EQ(m->host.ncpus, 2, "ncpus");
	CHECK_EQ(m->clock_start.mono_ns, 3915187464144ull, "clock start");
	CHECK(m->has_clock_end, "clock end present");
	CHECK_EQ(m->clock_end.mono_ns, s.ts, "clock end");
	CHECK_EQ(m->argc, 5, "argc");
	CHECK_STR(m->argv[4], "--stack=all", "argv[4]");
	CHECK_STR(m->filter, "udp port 40999", "filter");
	CHECK_EQ(m->nr_probes, SP_MAX, "probes");
	CHECK_STR(nr_meta__probe(m, SP_KFREE_SKB)->name, "skb:kfree_skb", "probe 0 name");
	CHECK_STR(nr_meta__probe(m, SP_NEIGH_UPDATE)->msg, "attach refused", "probe msg");
	CHECK_EQ(nr_meta__probe(m, SP_NEIGH_UPDATE)->err, -EPERM, "probe err");
	CHECK(nr_meta__probe(m, SP_MAX) == NULL, "no probe past the table");
	CHECK_STR(nr_meta__enum_name(m, "skb_drop_reason", 6), "SKB_DROP_REASON_SOCKET_RCVBUFF",
		  "enum value 6");
	CHECK(nr_meta__enum_name(m, "skb_drop_reason", 7) == NULL, "enum value missing");
	CHECK(nr_meta__enum_name(m, "no_such_enum", 1) == NULL, "enum missing");
	CHECK_STR(nr_meta__enum_name(m, "tcp_state", 12), "TCP_NEW_SYN_RECV", "tcp_state 12");
	CHECK_EQ(m->nr_netns, 2, "netns");
	CHECK_STR(nr_meta__netns(m, 4026532301u)->name, "peer", "netns name");
	CHECK(nr_meta__netns(m, 4026531840u)->name == NULL, "unnamed netns");
	ifc = nr_meta__iface(m, 4026531840u, 2);
	CHECK(ifc != NULL, "eth0 found");
	if (ifc) {
		CHECK_STR(ifc->name, "eth0", "eth0 name");
		CHECK_EQ(ifc->mac_len, 6, "mac len");
		CHECK_EQ(ifc->mac[5], 0x56, "mac byte");
		CHECK_EQ(ifc->naddrs, 1, "addresses");
		CHECK_EQ(ifc->addrs[0].prefixlen, 24, "prefix");
		CHECK_EQ(ifc->mtu, 1500, "mtu");
	}
	CHECK(nr_meta__iface(m, 4026532301u, 2) == NULL, "eth0 not in peer ns");
	ifc = nr_meta__iface(m, 4026532301u, 5);
	CHECK(ifc != NULL, "veth in peer ns");
	if (ifc) {
		CHECK_STR(ifc->name, "veth-peer", "veth name");
		CHECK_STR(ifc->kind, "veth", "veth kind");
		CHECK_EQ(ifc->link_netns, 4026531840u, "veth peer netns");
		CHECK_EQ(ifc->link_ifindex, 6, "veth peer ifindex");
	}
	CHECK(nr_meta__iface(m, 4026531840u, 1)->kind == NULL, "lo has no kind");
	st = nr_meta__stack(m, id);
	CHECK(st && st->nr == 3 && st->ip[2] == 0xdeadbeef, "explicit stack");
	CHECK(nr_meta__stack(m, 0) == NULL, "stack 0");
	sym = nr_meta__sym(m, 0xffffffff81c30a1c, &off);
	CHECK(sym != NULL, "symbol found");
	if (sym) {
		CHECK_STR(sym->name, "__udp_queue_rcv_skb", "symbol name");
		CHECK_EQ(off, 0x21c, "offset");
		CHECK(sym->module == NULL, "vmlinux symbol");
	}
	CHECK(nr_meta__sym(m, 0xdeadbeef, &off) == NULL, "unresolved address");
	CHECK(nr_meta__sym(m, 0xffffffff81c30800 + 0x400, &off) == NULL, "past the symbol's end");
	/* only symbols of addresses used: 14 frames of the storm stack + location + 2 */
	CHECK(m->nr_syms >= 10 && m->nr_syms <= 16, "symbols: only those used");
	CHECK(nr_meta__sym(m, 0xffffffff81c41000, &off) == NULL, "unused symbol left out");
	nr_reader__free(r);
}

static void test_refuse(void)
{
	static __u64 buf[SYNTH_REC_MAX / 8];
	struct nr_writer_opts o = { .sz = sizeof(o) };
	struct nr_writer *w;
	struct nr_pkt *p = (void *)buf;
	struct nr_ctl *c = (void *)buf;
	struct nr_rec_hdr *h = (void *)buf;
	struct nr_writer_stats st;
	__u32 id;

	check_start("refuse");
	CHECK_EQ(nr_writer__open(tpath("refuse.nr"), &o, &w), 0, "open");
	memset(buf, 0, sizeof(buf));
	p->hdr.type = NR_REC_PKT;
	p->hdr.size = sizeof(*p);
	CHECK_EQ(nr_writer__append(w, &p->hdr), 0, "a minimal pkt");
	p->hdr.size = sizeof(*p) - 8;
	CHECK_EQ(nr_writer__append(w, &p->hdr), -EINVAL, "shorter than the struct");
	p->hdr.size = sizeof(*p) + 4;
	CHECK_EQ(nr_writer__append(w, &p->hdr), -EINVAL, "size not a multiple of 8");
	p->hdr.size = sizeof(*p) + 8;
	CHECK_EQ(nr_writer__append(w, &p->hdr), -EINVAL, "size beyond the snapshot");
	p->snap_len = 20;
	p->hdr.size = sizeof(*p) + 16;
	CHECK_EQ(nr_writer__append(w, &p->hdr), -EINVAL, "snapshot needs 24");
	p->hdr.size = sizeof(*p) + 24;
	CHECK_EQ(nr_writer__append(w, &p->hdr), 0, "snapshot of 20 in 24");
	p->snap_len = NR_SNAP_MAX + 8;
	p->hdr.size = sizeof(*p) + NR_SNAP_MAX + 8;
	CHECK_EQ(nr_writer__append(w, &p->hdr), -EINVAL, "snapshot over the limit");
	p->snap_len = 0;
	p->hdr.size = sizeof(*p);
	p->stack_id = 5;
	CHECK_EQ(nr_writer__append(w, &p->hdr), -EINVAL, "stack id never defined");
	p->stack_id = NR_STACK_MAX + 1;
	p->hdr.flags = NR_RF_STACK_INLINE;
	p->hdr.size = sizeof(*p) + 8 * (NR_STACK_MAX + 1);
	CHECK_EQ(nr_writer__append(w, &p->hdr), -EINVAL, "too many inline frames");
	p->hdr.flags = 0;
	p->stack_id = 0;
	h->type = NR_REC_FUNC;
	CHECK_EQ(nr_writer__append(w, h), -EINVAL, "type without schema");
	h->type = 999;
	CHECK_EQ(nr_writer__append(w, h), -EINVAL, "unknown type");
	h->type = NR_TYPES_MAX + 5;
	CHECK_EQ(nr_writer__append(w, h), -EINVAL, "type out of range");
	memset(buf, 0, sizeof(buf));
	c->hdr.type = NR_REC_CTL;
	c->text_len = NR_CTL_TEXT_MAX + 1;
	c->hdr.size = (__u32)(sizeof(*c) + nr_align8(c->text_len));
	CHECK_EQ(nr_writer__append(w, &c->hdr), -EINVAL, "control text over the limit");
	CHECK_EQ(nr_writer__stack(w, buf, 0, &id), -EINVAL, "empty stack");
	CHECK_EQ(nr_writer__stack(w, buf, NR_STACK_MAX + 1, &id), -EINVAL, "stack too deep");
	nr_writer__stats(w, &st);
	CHECK_EQ(st.events, 2, "two records taken");
	CHECK_EQ(nr_writer__close(w), 0, "close");
}

/* nr_writer__seal(): a chunk out without waiting (async), nothing when nothing is open */
static void test_seal(void)
{
	static __u64 buf[SYNTH_REC_MAX / 8];
	struct nr_writer_opts o = { .sz = sizeof(o), .async = true };
	struct nr_writer_stats st;
	struct nr_writer *w;
	struct nr_reader *r;
	struct nr_error e;
	struct synth s;
	int i;

	check_start("seal");
	CHECK_EQ(nr_writer__open(tpath("seal.nr"), &o, &w), 0, "open");
	synth_init(&s, SYNTH_MIXED, 4);
	CHECK_EQ(nr_writer__seal(w), 0, "seal with nothing open");
	for (i = 0; i < 10; i++)
		CHECK_EQ(nr_writer__append(w, synth_next(&s, buf)), 0, "append");
	CHECK_EQ(nr_writer__seal(w), 0, "seal");
	CHECK_EQ(nr_writer__seal(w), 0, "seal again: nothing open");
	CHECK_EQ(nr_writer__append(w, synth_next(&s, buf)), 0, "append");
	CHECK_EQ(nr_writer__flush(w), 0, "flush");
	nr_writer__stats(w, &st);
	CHECK_EQ(st.chunks, 2, "two chunks, no empty one");
	CHECK_EQ(st.events, 11, "events");
	CHECK_EQ(nr_writer__close(w), 0, "close");
	CHECK_EQ(nr_reader__open(tpath("seal.nr"), NULL, &r, &e), 0, "read");
	CHECK_EQ(nr_reader__meta(r)->file.nr_chunks, 2, "chunks in the file");
	CHECK_EQ(nr_reader__meta(r)->file.nr_events, 11, "events in the file");
	nr_reader__free(r);
}

static void test_opts(void)
{
	struct { struct nr_writer_opts o; __u64 extra; } big;
	struct nr_writer *w;

	check_start("opts");
	memset(&big, 0, sizeof(big));
	big.o.sz = sizeof(big);
	CHECK_EQ(nr_writer__open(tpath("o.nr"), &big.o, &w), 0, "larger opts, zero tail");
	nr_writer__close(w);
	big.extra = 1;
	CHECK_EQ(nr_writer__open(tpath("o.nr"), &big.o, &w), -EINVAL, "larger opts, set tail");
	big.extra = 0;
	big.o.compress_level = 99;
	CHECK_EQ(nr_writer__open(tpath("o.nr"), &big.o, &w), -EINVAL, "bad level");
	big.o.compress_level = 0;
	big.o.chunk_bytes = NR_CHUNK_RAW_MAX + 1;
	CHECK_EQ(nr_writer__open(tpath("o.nr"), &big.o, &w), -EINVAL, "chunk over the limit");
	CHECK_EQ(nr_writer__open("/nonexistent/dir/x.nr", NULL, &w), -ENOENT, "bad path");
	big.o.chunk_bytes = 0;
	big.o.mode = 0640;
	CHECK_EQ(nr_writer__open(tpath("mode.nr"), &big.o, &w), 0, "mode 0640");
	nr_writer__close(w);
	{
		struct stat st;

		CHECK_EQ(stat(tpath("mode.nr"), &st), 0, "stat");
		CHECK_EQ(st.st_mode & 0777, 0640, "mode as asked");
	}
}

int main(void)
{
	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return 1;
	}
	test_roundtrip();
	test_deterministic();
	test_meta();
	test_refuse();
	test_seal();
	test_opts();
	if (!check_failed) {
		char cmd[300];

		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
		if (system(cmd))
			fprintf(stderr, "could not remove %s\n", tmpdir);
	}
	return check_exit();
}
