// SPDX-License-Identifier: GPL-2.0-only
/*
 * features.c - lazy, cached probes of what the running kernel offers (see nr_features.h)
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/bpf.h>
#include <linux/capability.h>

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "nr_features.h"
#include "log.h"

#ifndef CAP_PERFMON
#define CAP_PERFMON	38
#endif
#ifndef CAP_BPF
#define CAP_BPF		39
#endif

static const char *const tracefs_roots[] = { "/sys/kernel/tracing", "/sys/kernel/debug/tracing" };

static struct btf *vmlinux_btf;
static int vmlinux_btf_err;

const struct btf *nr_vmlinux_btf(void)
{
	if (!vmlinux_btf && !vmlinux_btf_err) {
		vmlinux_btf = btf__load_vmlinux_btf();
		if (!vmlinux_btf) {
			vmlinux_btf_err = -errno ? -errno : -ENOENT;
			pr_debug("no kernel BTF: %s\n", strerror(-vmlinux_btf_err));
		}
	}
	return vmlinux_btf;
}

static int probe_btf(void)
{
	return nr_vmlinux_btf() ? 1 : 0;
}

static bool cap_has(const struct __user_cap_data_struct *d, int cap)
{
	return d[cap / 32].effective & (1u << (cap % 32));
}

static int probe_priv(void)
{
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3] = {};

	if (syscall(SYS_capget, &hdr, data))
		return -errno;
	if (cap_has(data, CAP_SYS_ADMIN))
		return 1;
	return cap_has(data, CAP_BPF) && cap_has(data, CAP_PERFMON);
}

/* trial loads need the privileges; without them the answer is unknown, not "no" */
static int need_priv(void)
{
	int p = nr_feat(NR_FEAT_PRIV);

	return p == 1 ? 0 : -EPERM;
}

static int probe_ringbuf(void)
{
	int err = need_priv();

	return err ? err : libbpf_probe_bpf_map_type(BPF_MAP_TYPE_RINGBUF, NULL);
}

static int probe_raw_tp(void)
{
	int err = need_priv();

	return err ? err : libbpf_probe_bpf_prog_type(BPF_PROG_TYPE_RAW_TRACEPOINT, NULL);
}

static int probe_tracepoint(void)
{
	int err = need_priv();

	return err ? err : libbpf_probe_bpf_prog_type(BPF_PROG_TYPE_TRACEPOINT, NULL);
}

/* Load "return 0" as a tp_btf program for some tracepoint the kernel's BTF names. */
static int probe_tp_btf(void)
{
	const struct bpf_insn insns[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 0 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	const struct btf *btf = nr_vmlinux_btf();
	int id, fd, err = need_priv();
	__u32 i, n;

	if (err)
		return err;
	if (!btf)
		return 0;
	id = btf__find_by_name_kind(btf, "btf_trace_kfree_skb", BTF_KIND_TYPEDEF);
	for (i = 1, n = btf__type_cnt(btf); id < 0 && i < n; i++) {
		const struct btf_type *t = btf__type_by_id(btf, i);

		if (btf_is_typedef(t) &&
		    !strncmp(btf__name_by_offset(btf, t->name_off), "btf_trace_", 10))
			id = (int)i;
	}
	if (id < 0)
		return 0;

	LIBBPF_OPTS(bpf_prog_load_opts, opts,
		.expected_attach_type = BPF_TRACE_RAW_TP,
		.attach_btf_id = (__u32)id,
	);
	fd = bpf_prog_load(BPF_PROG_TYPE_TRACING, "nr_tp_btf", "GPL", insns, 2, &opts);
	if (fd < 0) {
		pr_debug("trial tp_btf load: %s\n", strerror(errno));
		return 0;
	}
	close(fd);
	return 1;
}

static int tracefs_events_dir(char *buf, size_t len)
{
	int first_err = -ENOENT;
	size_t i;

	for (i = 0; i < sizeof(tracefs_roots) / sizeof(tracefs_roots[0]); i++) {
		snprintf(buf, len, "%s/events", tracefs_roots[i]);
		if (!access(buf, R_OK | X_OK))
			return 0;
		if (errno != ENOENT && first_err == -ENOENT)
			first_err = -errno;
	}
	return first_err;
}

static int probe_tracefs(void)
{
	char dir[64];
	int err = tracefs_events_dir(dir, sizeof(dir));

	if (err == -ENOENT)
		return 0;
	return err ? err : 1;
}

int nr_tracefs_event(const char *sys, const char *event)
{
	char path[256];
	struct stat st;
	int err = tracefs_events_dir(path, sizeof(path));
	size_t n;

	if (err)
		return err;
	n = strlen(path);
	snprintf(path + n, sizeof(path) - n, "/%s/%s", sys, event);
	if (!stat(path, &st))
		return S_ISDIR(st.st_mode) ? 1 : 0;
	return errno == ENOENT ? 0 : -errno;
}

static const struct {
	const char *name;
	int (*probe)(void);
} feats[__NR_FEAT_MAX] = {
	[NR_FEAT_BTF] = { "kernel BTF", probe_btf },
	[NR_FEAT_PRIV] = { "BPF privileges", probe_priv },
	[NR_FEAT_RINGBUF] = { "BPF ring buffer", probe_ringbuf },
	[NR_FEAT_TP_BTF] = { "tp_btf programs", probe_tp_btf },
	[NR_FEAT_RAW_TP] = { "raw_tp programs", probe_raw_tp },
	[NR_FEAT_TRACEPOINT] = { "tracepoint programs", probe_tracepoint },
	[NR_FEAT_TRACEFS] = { "tracefs", probe_tracefs },
};

static bool feat_probed[__NR_FEAT_MAX];
static int feat_result[__NR_FEAT_MAX];

int nr_feat(enum nr_feat f)
{
	if ((unsigned int)f >= __NR_FEAT_MAX)
		return -EINVAL;
	if (!feat_probed[f]) {
		int r = feats[f].probe();

		/* a probe answers 1, 0, or -errno; anything > 1 is "present" */
		feat_result[f] = r > 0 ? 1 : r;
		feat_probed[f] = true;
		pr_debug("feature '%s': %s\n", feats[f].name,
			 r > 0 ? "yes" : r == 0 ? "no" : strerror(-r));
	}
	return feat_result[f];
}

const char *nr_feat_name(enum nr_feat f)
{
	if ((unsigned int)f >= __NR_FEAT_MAX)
		return "unknown";
	return feats[f].name;
}

void nr_features__reset(void)
{
	memset(feat_probed, 0, sizeof(feat_probed));
	btf__free(vmlinux_btf);
	vmlinux_btf = NULL;
	vmlinux_btf_err = 0;
}

/* The type of @id as C spells it, typedefs and qualifiers resolved away. */
static void type_str(const struct btf *btf, __u32 id, char *buf, size_t len, int depth)
{
	const struct btf_type *t;
	const char *name;
	size_t n;

	if (depth > 16) {
		snprintf(buf, len, "?");
		return;
	}
	t = btf__type_by_id(btf, id);
	while (t && (btf_is_mod(t) || btf_is_typedef(t))) {
		id = t->type;
		t = btf__type_by_id(btf, id);
	}
	if (!id || !t) {
		snprintf(buf, len, "void");
		return;
	}
	name = btf__name_by_offset(btf, t->name_off);
	switch (btf_kind(t)) {
	case BTF_KIND_PTR:
		type_str(btf, t->type, buf, len, depth + 1);
		n = strlen(buf);
		snprintf(buf + n, len - n, n && buf[n - 1] == '*' ? "*" : " *");
		break;
	case BTF_KIND_STRUCT:
		snprintf(buf, len, "struct %s", name);
		break;
	case BTF_KIND_UNION:
		snprintf(buf, len, "union %s", name);
		break;
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64:
		snprintf(buf, len, "enum %s", name);
		break;
	case BTF_KIND_FUNC_PROTO:
		snprintf(buf, len, "fn");
		break;
	default:
		snprintf(buf, len, "%s", name && *name ? name : "?");
		break;
	}
}

int nr_btf_tp_proto(const struct btf *btf, const char *event, struct nr_tp_proto *ret)
{
	const struct btf_type *t;
	const struct btf_param *p;
	char tname[128];
	__u32 i, vlen;
	int id;

	memset(ret, 0, sizeof(*ret));
	snprintf(tname, sizeof(tname), "btf_trace_%s", event);
	id = btf__find_by_name_kind(btf, tname, BTF_KIND_TYPEDEF);
	if (id < 0)
		return -ENOENT;
	t = btf__type_by_id(btf, id);
	t = t ? btf__type_by_id(btf, t->type) : NULL;
	if (!t || !btf_is_ptr(t))
		return -EINVAL;
	t = btf__type_by_id(btf, t->type);
	if (!t || !btf_is_func_proto(t) || btf_vlen(t) < 1)
		return -EINVAL;
	vlen = btf_vlen(t);
	p = btf_params(t);
	ret->nr = vlen - 1;
	for (i = 1; i < vlen && i - 1 < NR_TP_MAX_ARGS; i++)
		type_str(btf, p[i].type, ret->types[i - 1], sizeof(ret->types[0]), 0);
	return 0;
}

static int running_feat(void *ctx, enum nr_feat f)
{
	(void)ctx;
	return nr_feat(f);
}

static int running_tp_proto(void *ctx, const char *event, struct nr_tp_proto *ret)
{
	const struct btf *btf = nr_vmlinux_btf();

	(void)ctx;
	if (!btf)
		return -ENOENT;
	return nr_btf_tp_proto(btf, event, ret);
}

static int running_tracefs_event(void *ctx, const char *sys, const char *event)
{
	(void)ctx;
	return nr_tracefs_event(sys, event);
}

const struct nr_kernel nr_kernel_running = {
	.feat = running_feat,
	.tp_proto = running_tp_proto,
	.tracefs_event = running_tracefs_event,
};
