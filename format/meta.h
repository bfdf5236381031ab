/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * meta.h - metadata block payloads: the writer's encoders and the reader's decoders,
 * side by side in meta.c so each layout lives in one place (FORMAT.md "Metadata blocks")
 */
#ifndef NR_META_H
#define NR_META_H

#include "chunk.h"
#include "internal.h"
#include "nr_file.h"

/* encoders: append one block payload to @b. Return: 0, -EINVAL, -EOVERFLOW, -ENOMEM */
int nr_meta_enc_schema(struct nr_buf *b, const struct nr_schema *const *s, size_t n);
int nr_meta_enc_host(struct nr_buf *b, const struct nr_host *h);
int nr_meta_enc_clock(struct nr_buf *b, const struct nr_clock *c, bool at_end);
int nr_meta_enc_cmdline(struct nr_buf *b, __u32 argc, char *const *argv, const char *filter);
int nr_meta_enc_probes(struct nr_buf *b, const struct nr_probe_outcome *p, __u32 n);
int nr_meta_enc_enum(struct nr_buf *b, const struct nr_enum *e);
int nr_meta_enc_netdev(struct nr_buf *b, const struct nr_netns *ns, const struct nr_iface *ifs,
		       __u32 n);
/* symbols and stacks are written in batches: begin, add entries, end */
void nr_meta_enc_list_begin(struct nr_buf *b, size_t *count_off);
int nr_meta_enc_sym(struct nr_buf *b, const struct nr_sym *s);
int nr_meta_enc_stack(struct nr_buf *b, __u32 id, const __u64 *ips, __u32 nr);
void nr_meta_enc_list_end(struct nr_buf *b, size_t count_off, __u32 count);

/**
 * struct nr_meta_store - what the reader accumulates from metadata blocks before it
 * sorts and de-duplicates them into struct nr_meta (a later entry with the same key
 * replaces an earlier one)
 */
struct nr_meta_store {
	struct nr_arena arena;
	struct nr_schema_set schemas;		/* the file's schemas */
	__u32 nr_schemas;
	__u32 nr_probes, cap_probes;
	struct nr_probe_outcome *probes;
	__u32 nr_enums, cap_enums;
	struct nr_enum *enums;
	__u32 nr_syms, cap_syms;
	struct nr_sym *syms;
	__u32 nr_stacks, cap_stacks;
	struct nr_stack *stacks;
	__u64 nr_frames;
	__u32 nr_ifaces, cap_ifaces;
	struct nr_iface *ifaces;
	__u32 nr_netns, cap_netns;
	struct nr_netns *netns;
	bool has_host, has_clock_start, has_clock_end, has_cmdline;
};

/**
 * nr_meta_load() - decode one metadata block payload into @ms / @m
 * Return: 0; -EBADMSG with the reason in @msg; -EOVERFLOW past a limit; -ENOMEM.
 * Unknown block types are not passed here.
 */
int nr_meta_load(struct nr_meta_store *ms, struct nr_meta *m, __u16 type, const __u8 *p,
		 size_t len, bool swap, char *msg, size_t msglen);

/** nr_meta_finish() - sort, de-duplicate and publish the lists into @m */
int nr_meta_finish(struct nr_meta_store *ms, struct nr_meta *m);

void nr_meta_store_free(struct nr_meta_store *ms);

#endif /* NR_META_H */
