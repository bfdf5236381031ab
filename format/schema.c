// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * schema.c - this build's record schemas, derived from netrec_abi.h with offsetof() so
 * they cannot drift from the structs (a unit test also checks that every byte of each
 * struct is either a field or padding)
 */
#include <errno.h>
#include <stdio.h>

#include "internal.h"
#include "netrec_abi.h"
#include "schema.h"

#define F(st, m, codec, flags) \
	{ #m, offsetof(struct st, m), sizeof(((struct st *)0)->m), codec, flags }
#define FA(st, m, i, codec, flags) \
	{ #m "[" #i "]", offsetof(struct st, m[i]), sizeof(((struct st *)0)->m[i]), codec, flags }
#define NFIELDS(a) (sizeof(a) / sizeof((a)[0]))

static const struct nr_field pkt_fields[] = {
	F(nr_pkt, skb, NR_COL_ADDR, 0),
	F(nr_pkt, head, NR_COL_ADDR, 0),
	F(nr_pkt, sk, NR_COL_ADDR, 0),
	F(nr_pkt, location, NR_COL_ADDR, NR_FLD_SYM),
	F(nr_pkt, netns, NR_COL_INT, 0),
	F(nr_pkt, ifindex, NR_COL_INT, 0),
	F(nr_pkt, iif, NR_COL_INT, 0),
	F(nr_pkt, len, NR_COL_INT, 0),
	F(nr_pkt, mark, NR_COL_INT, 0),
	F(nr_pkt, reason, NR_COL_INT, 0),
	F(nr_pkt, aux, NR_COL_INT, 0),
	F(nr_pkt, stack_id, NR_COL_INT, NR_FLD_STACK),
	F(nr_pkt, pid, NR_COL_INT, 0),
	F(nr_pkt, probe, NR_COL_INT, 0),
	F(nr_pkt, cpu, NR_COL_INT, 0),
	F(nr_pkt, protocol_be, NR_COL_BYTES, 0),
	F(nr_pkt, dev_type, NR_COL_INT, 0),
	F(nr_pkt, snap_len, NR_COL_INT, 0),
	F(nr_pkt, snap_l3, NR_COL_INT, 0),
	F(nr_pkt, snap_l4, NR_COL_INT, 0),
	F(nr_pkt, pkt_type, NR_COL_INT, 0),
};

static const struct nr_field sock_fields[] = {
	F(nr_sock, sk, NR_COL_ADDR, 0),
	F(nr_sock, skb, NR_COL_ADDR, 0),
	F(nr_sock, netns, NR_COL_INT, 0),
	F(nr_sock, pid, NR_COL_INT, 0),
	F(nr_sock, probe, NR_COL_INT, 0),
	F(nr_sock, cpu, NR_COL_INT, 0),
	F(nr_sock, family, NR_COL_INT, 0),
	F(nr_sock, protocol, NR_COL_INT, 0),
	F(nr_sock, sport, NR_COL_INT, 0),
	F(nr_sock, dport, NR_COL_INT, 0),
	F(nr_sock, oldstate, NR_COL_INT, 0),
	F(nr_sock, newstate, NR_COL_INT, 0),
	F(nr_sock, reason, NR_COL_INT, 0),
	FA(nr_sock, val, 0, NR_COL_INT, 0),
	FA(nr_sock, val, 1, NR_COL_INT, 0),
	FA(nr_sock, val, 2, NR_COL_INT, 0),
	F(nr_sock, saddr, NR_COL_BYTES, 0),
	F(nr_sock, daddr, NR_COL_BYTES, 0),
	F(nr_sock, stack_id, NR_COL_INT, NR_FLD_STACK),
	F(nr_sock, comm, NR_COL_BYTES, 0),
};

static const struct nr_field fib_fields[] = {
	F(nr_fib, netns, NR_COL_INT, 0),
	F(nr_fib, tb_id, NR_COL_INT, 0),
	F(nr_fib, err, NR_COL_INT, NR_FLD_SIGNED),
	F(nr_fib, oif, NR_COL_INT, 0),
	F(nr_fib, iif, NR_COL_INT, 0),
	F(nr_fib, nh_ifindex, NR_COL_INT, 0),
	F(nr_fib, pid, NR_COL_INT, 0),
	F(nr_fib, probe, NR_COL_INT, 0),
	F(nr_fib, cpu, NR_COL_INT, 0),
	F(nr_fib, family, NR_COL_INT, 0),
	F(nr_fib, sport, NR_COL_INT, 0),
	F(nr_fib, dport, NR_COL_INT, 0),
	F(nr_fib, proto, NR_COL_INT, 0),
	F(nr_fib, tos, NR_COL_INT, 0),
	F(nr_fib, scope, NR_COL_INT, 0),
	F(nr_fib, rt_type, NR_COL_INT, 0),
	F(nr_fib, src, NR_COL_BYTES, 0),
	F(nr_fib, dst, NR_COL_BYTES, 0),
	F(nr_fib, gw, NR_COL_BYTES, 0),
	F(nr_fib, stack_id, NR_COL_INT, NR_FLD_STACK),
};

static const struct nr_field neigh_fields[] = {
	F(nr_neigh, neigh, NR_COL_ADDR, 0),
	F(nr_neigh, netns, NR_COL_INT, 0),
	F(nr_neigh, ifindex, NR_COL_INT, 0),
	F(nr_neigh, probe, NR_COL_INT, 0),
	F(nr_neigh, cpu, NR_COL_INT, 0),
	F(nr_neigh, family, NR_COL_INT, 0),
	F(nr_neigh, nud_state, NR_COL_INT, 0),
	F(nr_neigh, new_state, NR_COL_INT, 0),
	F(nr_neigh, lladdr_len, NR_COL_INT, 0),
	F(nr_neigh, err, NR_COL_INT, NR_FLD_SIGNED),
	F(nr_neigh, flags, NR_COL_INT, 0),
	F(nr_neigh, pid, NR_COL_INT, 0),
	F(nr_neigh, key, NR_COL_BYTES, 0),
	F(nr_neigh, lladdr, NR_COL_BYTES, 0),
};

static const struct nr_field counter_fields[] = {
	F(nr_counter, value, NR_COL_INT, 0),
	F(nr_counter, cpu, NR_COL_INT, 0),
	F(nr_counter, probe, NR_COL_INT, 0),
	F(nr_counter, kind, NR_COL_INT, 0),
};

static const struct nr_field ctl_fields[] = {
	F(nr_ctl, kind, NR_COL_INT, 0),
	F(nr_ctl, text_len, NR_COL_INT, 0),
};

static const struct nr_schema schemas[] = {
	{
		.name = "pkt", .type = NR_REC_PKT, .fixed_size = sizeof(struct nr_pkt),
		.fields = pkt_fields, .nr_fields = NFIELDS(pkt_fields),
		.tail_codec = NR_TAIL_SNAP, .tail_len_off = offsetof(struct nr_pkt, snap_len),
		.tail_len_width = 2, .tail_max = NR_SNAP_MAX,
	},
	{
		.name = "sock", .type = NR_REC_SOCK, .fixed_size = sizeof(struct nr_sock),
		.fields = sock_fields, .nr_fields = NFIELDS(sock_fields),
	},
	{
		.name = "fib", .type = NR_REC_FIB, .fixed_size = sizeof(struct nr_fib),
		.fields = fib_fields, .nr_fields = NFIELDS(fib_fields),
	},
	{
		.name = "neigh", .type = NR_REC_NEIGH, .fixed_size = sizeof(struct nr_neigh),
		.fields = neigh_fields, .nr_fields = NFIELDS(neigh_fields),
	},
	{
		.name = "counter", .type = NR_REC_COUNTER, .fixed_size = sizeof(struct nr_counter),
		.fields = counter_fields, .nr_fields = NFIELDS(counter_fields),
	},
	{
		.name = "ctl", .type = NR_REC_CTL, .fixed_size = sizeof(struct nr_ctl),
		.fields = ctl_fields, .nr_fields = NFIELDS(ctl_fields),
		.tail_codec = NR_TAIL_RAW, .tail_len_off = offsetof(struct nr_ctl, text_len),
		.tail_len_width = 2, .tail_max = NR_CTL_TEXT_MAX,
	},
};

static const struct nr_schema *const schema_ptrs[] = {
	&schemas[0], &schemas[1], &schemas[2], &schemas[3], &schemas[4], &schemas[5],
};

_Static_assert(NFIELDS(schema_ptrs) == NFIELDS(schemas), "schema_ptrs");

const struct nr_schema *nr_schema_builtin(__u16 type)
{
	size_t i;

	for (i = 0; i < NFIELDS(schemas); i++)
		if (schemas[i].type == type)
			return &schemas[i];
	return NULL;
}

const struct nr_schema *const *nr_schema_builtin_all(size_t *n)
{
	*n = NFIELDS(schema_ptrs);
	return schema_ptrs;
}

const struct nr_field *nr_schema_field(const struct nr_schema *s, __u32 off)
{
	__u32 i;

	for (i = 0; i < s->nr_fields; i++)
		if (s->fields[i].off == off)
			return &s->fields[i];
	return NULL;
}

__u32 nr_schema_tail_len(const struct nr_schema *s, const void *rec)
{
	const __u8 *p = (const __u8 *)rec + s->tail_len_off;

	switch (s->tail_len_width) {
	case 1: return *p;
	case 2: return nr_ld16(p);
	case 4: return nr_ld32(p);
	}
	return 0;
}

#define FAIL(...) do { snprintf(msg, msglen, __VA_ARGS__); return -EBADMSG; } while (0)

int nr_schema_check(const struct nr_schema *s, char *msg, size_t msglen)
{
	const struct nr_field *tl;
	__u32 i, end = 16;

	if (s->type == 0 || s->type >= NR_TYPES_MAX)
		FAIL("record type %u out of range", s->type);
	if (s->fixed_size < 16 || s->fixed_size > NR_SCHEMA_FIXED_MAX || s->fixed_size % 8)
		FAIL("record type %u: fixed size %u invalid", s->type, s->fixed_size);
	if (s->nr_fields > NR_SCHEMA_FIELDS_MAX)
		FAIL("record type %u: %u fields exceed %u", s->type, s->nr_fields,
		     NR_SCHEMA_FIELDS_MAX);
	for (i = 0; i < s->nr_fields; i++) {
		const struct nr_field *f = &s->fields[i];

		if (f->off < end || f->width == 0 || f->off + (__u32)f->width > s->fixed_size)
			FAIL("record type %u: field %u (offset %u, width %u) misplaced",
			     s->type, i, f->off, f->width);
		switch (f->codec) {
		case NR_COL_INT:
			if (f->width != 1 && f->width != 2 && f->width != 4 && f->width != 8)
				FAIL("record type %u: field %u: integer width %u", s->type, i,
				     f->width);
			break;
		case NR_COL_ADDR:
			if (f->width != 8)
				FAIL("record type %u: field %u: address width %u", s->type, i,
				     f->width);
			break;
		case NR_COL_BYTES:
			break;
		default:
			FAIL("record type %u: field %u: unknown codec %u", s->type, i, f->codec);
		}
		end = f->off + f->width;
	}
	switch (s->tail_codec) {
	case NR_TAIL_NONE:
		return 0;
	case NR_TAIL_RAW:
	case NR_TAIL_SNAP:
		break;
	default:
		FAIL("record type %u: unknown tail codec %u", s->type, s->tail_codec);
	}
	tl = nr_schema_field(s, s->tail_len_off);
	if (!tl || tl->codec != NR_COL_INT || tl->width != s->tail_len_width ||
	    tl->width > 4)
		FAIL("record type %u: tail length field at offset %u invalid", s->type,
		     s->tail_len_off);
	if (s->tail_max > NR_TAIL_MAX)
		FAIL("record type %u: tail limit %u exceeds %u", s->type, s->tail_max, NR_TAIL_MAX);
	return 0;
}

static bool same_class(const struct nr_field *a, const struct nr_field *b)
{
	/* an address may be stored as a plain integer and back: same bytes, same meaning */
	bool ai = a->codec == NR_COL_INT || a->codec == NR_COL_ADDR;
	bool bi = b->codec == NR_COL_INT || b->codec == NR_COL_ADDR;

	return a->width == b->width && ai == bi;
}

int nr_schema_compat(const struct nr_schema *file, const struct nr_schema *known,
		     char *msg, size_t msglen)
{
	__u32 i;

	for (i = 0; i < known->nr_fields; i++) {
		const struct nr_field *k = &known->fields[i], *f;

		if (k->off + (__u32)k->width > file->fixed_size)
			continue;	/* an older, shorter record: zero-extended */
		f = nr_schema_field(file, k->off);
		if (!f || !same_class(f, k))
			FAIL("record type %s: field '%s' at offset %u does not match this "
			     "version's layout", known->name, k->name, k->off);
	}
	if (file->tail_codec == NR_TAIL_NONE) {
		if (known->tail_codec != NR_TAIL_NONE &&
		    known->tail_len_off + known->tail_len_width <= file->fixed_size)
			FAIL("record type %s: tail missing", known->name);
		return 0;
	}
	if (known->tail_codec == NR_TAIL_NONE || file->tail_len_off != known->tail_len_off ||
	    file->tail_len_width != known->tail_len_width)
		FAIL("record type %s: tail does not match this version's layout", known->name);
	return 0;
}
