// SPDX-License-Identifier: GPL-2.0-only
/*
 * fuzz_reader - libFuzzer target for the trace reader and the decoders behind dump
 *
 * Each input is opened as a trace file (nr_reader__open_mem) in time order and in file
 * order, with and without skipping bad chunks; every event is read, its addresses,
 * stack, interface, probe and enum values are looked up in the metadata, and packet
 * snapshots are decoded, as netrec dump would. Built with -fsanitize=fuzzer when the
 * compiler is clang; onefile.c replays a corpus through the same function otherwise.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "decode.h"
#include "nr_file.h"

/* a sink the compiler cannot drop */
static volatile size_t sink;

static void touch_meta(const struct nr_meta *m)
{
	char b[256];
	__u32 i, k;

	for (i = 0; i < m->nr_syms; i++)
		sink += strlen(nr_decode_sym(m, m->syms[i].addr + 1, b, sizeof(b)));
	for (i = 0; i < m->nr_stacks; i++)
		for (k = 0; k < m->stacks[i].nr; k++)
			sink += strlen(nr_decode_sym(m, m->stacks[i].ip[k], b, sizeof(b)));
	for (i = 0; i < m->nr_enums; i++)
		for (k = 0; k < m->enums[i].nr; k++)
			sink += strlen(nr_decode_enum(m, m->enums[i].name, "SKB_",
						      m->enums[i].e[k].value, b, sizeof(b)));
	for (i = 0; i < m->nr_ifaces; i++)
		sink += strlen(nr_decode_iface(m, m->ifaces[i].netns, m->ifaces[i].ifindex, b,
					       sizeof(b)));
	for (i = 0; i < m->nr_probes; i++)
		sink += strlen(nr_decode_probe(m, m->probes[i].id, b, sizeof(b)));
	for (i = 0; i < m->nr_netns; i++)
		sink += nr_meta__netns(m, m->netns[i].inode) != NULL;
	for (i = 0; i < m->argc; i++)
		sink += strlen(m->argv[i]);
	sink += m->host.hostname ? strlen(m->host.hostname) : 0;
}

static void touch_rec(const struct nr_meta *m, const struct nr_rec_hdr *h)
{
	struct nr_pkt_info pi;
	char b[256];

	switch (h->type) {
	case NR_REC_PKT: {
		const struct nr_pkt *p = (const void *)h;

		if (h->size < sizeof(*p))
			__builtin_trap();	/* the reader promises the struct is there */
		nr_decode_pkt(p, &pi);
		sink += strlen(nr_decode_flow(&pi, b, sizeof(b)));
		sink += strlen(nr_decode_sym(m, p->location, b, sizeof(b)));
		sink += strlen(nr_decode_drop_reason(m, p->reason, b, sizeof(b)));
		sink += strlen(nr_decode_iface(m, p->netns, p->ifindex, b, sizeof(b)));
		sink += nr_meta__stack(m, p->stack_id) != NULL;
		sink += strlen(nr_decode_probe(m, p->probe, b, sizeof(b)));
		break;
	}
	case NR_REC_SOCK: {
		const struct nr_sock *k = (const void *)h;

		if (h->size < sizeof(*k))
			__builtin_trap();
		sink += strlen(nr_decode_tcp_state(m, k->oldstate, b, sizeof(b)));
		sink += strlen(nr_decode_endpoint(k->family, k->saddr, k->sport, b, sizeof(b)));
		sink += nr_meta__stack(m, k->stack_id) != NULL;
		break;
	}
	case NR_REC_CTL: {
		const struct nr_ctl *c = (const void *)h;

		if (h->size < sizeof(*c) || c->text_len > h->size - sizeof(*c))
			__builtin_trap();
		break;
	}
	}
}

static void read_all(const uint8_t *data, size_t size, bool unordered, bool skip)
{
	struct nr_reader_opts o = { .sz = sizeof(o), .unordered = unordered,
				    .skip_bad_chunks = skip };
	const struct nr_rec_hdr *h;
	struct nr_reader *r;
	struct nr_error e;
	__u64 prev = 0;
	int ret;

	if (nr_reader__open_mem(data, size, &o, &r, &e))
		return;
	touch_meta(nr_reader__meta(r));
	while ((ret = nr_reader__next(r, &h, &e)) != 0) {
		if (ret < 0) {
			if (!skip)
				break;
			continue;
		}
		if (h->size < sizeof(*h) || h->size % 8)
			__builtin_trap();
		touch_rec(nr_reader__meta(r), h);
		prev = h->ts_ns;
	}
	sink += prev;
	nr_reader__free(r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	read_all(data, size, false, false);
	read_all(data, size, true, true);
	read_all(data, size, false, true);
	return 0;
}
