// SPDX-License-Identifier: GPL-2.0-only
/*
 * filter.c - `netrec record --filter EXPR`: compile, translate, put into the probes, or
 * fall back to user space
 *
 * See filter.h for the loader's sequence and bpf/filter.bpf.h for the hook. This file
 * holds the policy (what is refused, when the kernel path is given up) and the parts that
 * need libbpf; libpcap is behind filter_pcap.c and the translation in filter_xlate.c.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <linux/filter.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "log.h"
#include "filter.h"
#include "filter_int.h"
#include "filter_xlate.h"

struct nr_filter {
	char *expr;
	struct nr_cbpf_insn *cbpf;
	unsigned int cbpf_len;
	struct bpf_insn *ebpf;		/* NULL when the translation was refused */
	size_t ebpf_cnt;
	unsigned int xlate_flags;
	bool in_kernel;
	bool tried;			/* nr_filter_try_load() has run */
	char reason[256];		/* why in user space */
	char warning[200];
};

/* What the hooks get when the filter does not run in the kernel: keep everything. */
static const struct bpf_insn keep_all[] = {
	{ .code = BPF_ALU | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 1 },
	{ .code = BPF_JMP | BPF_EXIT },
};

/* libpcap emits loads at SKF_AD_OFF + n for Linux socket metadata (`inbound`,
 * `outbound`); outside a socket filter they fail and reject every packet. */
static bool uses_metadata(const struct nr_cbpf_insn *prog, unsigned int len)
{
	unsigned int i;

	for (i = 0; i < len; i++)
		if (BPF_CLASS(prog[i].code) == BPF_LD && BPF_MODE(prog[i].code) == BPF_ABS &&
		    prog[i].k >= (__u32)SKF_AD_OFF)
			return true;
	return false;
}

static int translate(struct nr_filter *f, unsigned int flags)
{
	char why[200];
	int err;

	free(f->ebpf);
	f->ebpf = NULL;
	f->ebpf_cnt = 0;
	err = nr_xlate_cbpf(f->cbpf, f->cbpf_len, flags, &f->ebpf, &f->ebpf_cnt, why, sizeof(why));
	if (err == -ENOMEM)
		return err;
	f->xlate_flags = flags;
	if (err) {
		nr_filter__fall_back(f, why);
		return 0;
	}
	return 0;
}

int nr_filter__compile(const char *expr, struct nr_filter **ret, char *errbuf, size_t errlen)
{
	unsigned long long reach;
	struct nr_filter *f;
	int err;

	f = calloc(1, sizeof(*f));
	if (!f || !(f->expr = strdup(expr))) {
		free(f);
		snprintf(errbuf, errlen, "cannot compile filter '%s': %s", expr, strerror(ENOMEM));
		return -ENOMEM;
	}
	err = nr_pcap_compile(expr, true, &f->cbpf, &f->cbpf_len, errbuf, errlen);
	if (err)
		goto fail;
	if (uses_metadata(f->cbpf, f->cbpf_len)) {
		snprintf(errbuf, errlen,
			 "filter '%s' needs socket metadata (inbound, outbound), which the "
			 "probes do not see", expr);
		err = -EINVAL;
		goto fail;
	}
	reach = nr_xlate_max_abs_off(f->cbpf, f->cbpf_len);
	if (reach > NR_FILTER_BUF)
		snprintf(f->warning, sizeof(f->warning),
			 "filter '%s' reads up to byte %llu of the packet, but only the first %u "
			 "are captured: such reads reject the packet", expr, reach, NR_FILTER_BUF);
	f->in_kernel = true;
	err = translate(f, 0);
	if (err) {
		snprintf(errbuf, errlen, "cannot compile filter '%s': %s", expr, strerror(-err));
		goto fail;
	}
	pr_debug("filter '%s': %u classic BPF instructions, %zu eBPF%s\n", expr, f->cbpf_len,
		 f->ebpf_cnt, f->in_kernel ? "" : " (user space)");
	*ret = f;
	return 0;
fail:
	nr_filter__free(f);
	return err;
}

const char *nr_filter__expr(const struct nr_filter *f)
{
	return f->expr;
}

bool nr_filter__in_kernel(const struct nr_filter *f)
{
	return f && f->in_kernel;
}

const char *nr_filter__fallback_reason(const struct nr_filter *f)
{
	return f->in_kernel ? NULL : f->reason;
}

const char *nr_filter__warning(const struct nr_filter *f)
{
	return f->warning[0] ? f->warning : NULL;
}

void nr_filter__insn_cnt(const struct nr_filter *f, unsigned int *cbpf, unsigned int *ebpf)
{
	*cbpf = f->cbpf_len;
	*ebpf = f->ebpf ? (unsigned int)f->ebpf_cnt : 0;
}

const struct bpf_insn *nr_filter__ebpf(const struct nr_filter *f, size_t *cnt)
{
	*cnt = f->ebpf_cnt;
	return f->ebpf;
}

void nr_filter__fall_back(struct nr_filter *f, const char *reason)
{
	f->in_kernel = false;
	snprintf(f->reason, sizeof(f->reason), "%s", reason);
}

bool nr_filter__match(const struct nr_filter *f, const void *pkt, __u32 caplen, __u32 wirelen)
{
	static const __u8 none[1];

	if (caplen > NR_FILTER_BUF)
		caplen = NR_FILTER_BUF;
	return nr_pcap_run(f->cbpf, f->cbpf_len, pkt ? pkt : none, pkt ? caplen : 0, wirelen) != 0;
}

bool nr_filter__match_tuple(const struct nr_filter *f, __u16 family, __u8 proto,
			    const __u8 *saddr, const __u8 *daddr, __u16 sport, __u16 dport)
{
	__u8 hdr[NR_FILTER_TUPLE_LEN];
	__u32 len;

	len = nr_filter_tuple(hdr, family == AF_INET6 ? NR_FILTER_AF_INET6 : NR_FILTER_AF_INET,
			      proto, saddr, daddr, sport, dport);
	return nr_filter__match(f, hdr, len, len);
}

void nr_filter__free(struct nr_filter *f)
{
	if (!f)
		return;
	free(f->expr);
	free(f->cbpf);
	free(f->ebpf);
	free(f);
}

/* The line of a verifier log that says why: the last one before the statistics. */
static void log_reason(const char *log, char *out, size_t outlen)
{
	const char *line = log, *best = NULL, *end;
	size_t best_len = 0;

	while (*line) {
		end = strchrnul(line, '\n');
		if (end > line && strncmp(line, "processed ", 10) &&
		    strncmp(line, "verification time", 17) && strncmp(line, "stack depth", 11)) {
			best = line;
			best_len = (size_t)(end - line);
		}
		line = *end ? end + 1 : end;
	}
	if (best)
		snprintf(out, outlen, "%.*s", (int)best_len, best);
	else if (outlen)
		out[0] = '\0';
}

static struct bpf_insn ins(__u8 code, __u8 dst, __u8 src, __s16 off, __s32 imm)
{
	return (struct bpf_insn){ .code = code, .dst_reg = dst, .src_reg = src, .off = off,
				  .imm = imm };
}

int nr_filter_try_load(const struct bpf_insn *body, size_t body_cnt, __u32 prog_flags,
		       char *log, size_t loglen)
{
	LIBBPF_OPTS(bpf_prog_load_opts, opts, .prog_flags = prog_flags);
	const size_t log_size = 1 << 20;
	struct bpf_insn *prog = NULL;
	size_t cnt = 0;
	unsigned int sites;
	int map_fd, fd, err;
	char *vlog = NULL;

	map_fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, "nr_filter_try", sizeof(__u32),
				sizeof(struct nr_filter_buf), 1, NULL);
	if (map_fd < 0)
		return -errno;
	{
		/* the probes' situation: r1 a map value, r2 and r3 unknown 32-bit values */
		const struct bpf_insn caller[] = {
			ins(BPF_JMP | BPF_CALL, 0, 0, 0, BPF_FUNC_get_prandom_u32),
			ins(BPF_ALU64 | BPF_MOV | BPF_X, BPF_REG_6, BPF_REG_0, 0, 0),
			ins(BPF_JMP | BPF_CALL, 0, 0, 0, BPF_FUNC_get_prandom_u32),
			ins(BPF_ALU64 | BPF_MOV | BPF_X, BPF_REG_7, BPF_REG_0, 0, 0),
			ins(BPF_ST | BPF_MEM | BPF_W, BPF_REG_10, 0, -4, 0),
			ins(BPF_ALU64 | BPF_MOV | BPF_X, BPF_REG_2, BPF_REG_10, 0, 0),
			ins(BPF_ALU64 | BPF_ADD | BPF_K, BPF_REG_2, 0, 0, -4),
			ins(BPF_LD | BPF_IMM | BPF_DW, BPF_REG_1, BPF_PSEUDO_MAP_FD, 0, map_fd),
			ins(0, 0, 0, 0, 0),
			ins(BPF_JMP | BPF_CALL, 0, 0, 0, BPF_FUNC_map_lookup_elem),
			ins(BPF_JMP | BPF_JNE | BPF_K, BPF_REG_0, 0, 2, 0),
			ins(BPF_ALU | BPF_MOV | BPF_K, BPF_REG_0, 0, 0, 0),
			ins(BPF_JMP | BPF_EXIT, 0, 0, 0, 0),
			ins(BPF_ALU64 | BPF_MOV | BPF_X, BPF_REG_1, BPF_REG_0, 0, 0),
			ins(BPF_ALU | BPF_MOV | BPF_X, BPF_REG_2, BPF_REG_6, 0, 0),
			ins(BPF_ALU | BPF_MOV | BPF_X, BPF_REG_3, BPF_REG_7, 0, 0),
			ins(BPF_JMP | BPF_CALL, 0, 0, 0, NR_FILTER_HOOK_ID),
			ins(BPF_JMP | BPF_EXIT, 0, 0, 0, 0),
		};

		err = nr_xlate_splice(caller, sizeof(caller) / sizeof(caller[0]), body, body_cnt,
				      &prog, &cnt, &sites);
	}
	if (!err && sites != 1)
		err = -EINVAL;
	if (err)
		goto out;

	fd = bpf_prog_load(BPF_PROG_TYPE_RAW_TRACEPOINT, "nr_filter_try", "Dual BSD/GPL", prog,
			   cnt, &opts);
	if (fd >= 0) {
		close(fd);
		goto out;
	}
	err = -errno;
	if (err == -EPERM || !log || !loglen)
		goto out;
	/* again, for the verifier's reason */
	vlog = calloc(1, log_size);
	if (!vlog)
		goto out;
	opts.log_buf = vlog;
	opts.log_size = log_size;
	opts.log_level = 1;
	fd = bpf_prog_load(BPF_PROG_TYPE_RAW_TRACEPOINT, "nr_filter_try", "Dual BSD/GPL", prog,
			   cnt, &opts);
	if (fd >= 0)
		close(fd);	/* only refused without a log: keep the first error */
	log_reason(vlog, log, loglen);
out:
	free(vlog);
	free(prog);
	close(map_fd);
	return err;
}

/* Test-load the translation once; give up the kernel path if the verifier refuses it. */
static int try_in_kernel(struct nr_filter *f)
{
	char why[200] = "", reason[256];
	int err;

	f->tried = true;
	err = nr_filter_try_load(f->ebpf, f->ebpf_cnt, 0, why, sizeof(why));
	if (err && strstr(why, "misaligned") && !(f->xlate_flags & NR_XLATE_BYTE_LOADS)) {
		/* this kernel enforces aligned loads: build packet words from bytes */
		pr_debug("filter '%s': %s, translating with byte loads\n", f->expr, why);
		err = translate(f, NR_XLATE_BYTE_LOADS);
		if (err)
			return err;
		if (!f->in_kernel)
			return 0;
		why[0] = '\0';
		err = nr_filter_try_load(f->ebpf, f->ebpf_cnt, 0, why, sizeof(why));
	}
	if (!err)
		return 0;
	if (err == -ENOMEM)
		return err;
	if (err == -EPERM) {
		/* cannot tell here; the probes' own load will say */
		pr_debug("filter '%s': cannot test-load the translation: %s\n", f->expr,
			 strerror(-err));
		return 0;
	}
	snprintf(reason, sizeof(reason), "the kernel refused its eBPF translation (%s%s%s)",
		 strerror(-err), why[0] ? ": " : "", why);
	nr_filter__fall_back(f, reason);
	return 0;
}

int nr_filter__prepare_object(struct nr_filter *f, struct bpf_object *obj)
{
	const struct bpf_insn *body = keep_all;
	size_t body_cnt = sizeof(keep_all) / sizeof(keep_all[0]);
	unsigned int total = 0;
	struct bpf_program *prog;
	int err;

	if (f && f->in_kernel && !f->tried) {
		err = try_in_kernel(f);
		if (err)
			return err;
	}
	if (nr_filter__in_kernel(f)) {
		body = f->ebpf;
		body_cnt = f->ebpf_cnt;
	}
	bpf_object__for_each_program(prog, obj) {
		struct bpf_insn *out = NULL;
		unsigned int sites;
		size_t cnt;

		err = nr_xlate_splice(bpf_program__insns(prog), bpf_program__insn_cnt(prog), body,
				      body_cnt, &out, &cnt, &sites);
		if (err)
			return err;
		if (!sites)
			continue;
		err = bpf_program__set_insns(prog, out, cnt);
		free(out);
		if (err)
			return err;
		pr_debug("prog '%s': %u filter hook%s given %zu instructions each\n",
			 bpf_program__name(prog), sites, sites == 1 ? "" : "s", body_cnt);
		total += sites;
	}
	if (!total && nr_filter__in_kernel(f))
		nr_filter__fall_back(f, "no program of the BPF object calls the filter hook");
	return (int)total;
}
