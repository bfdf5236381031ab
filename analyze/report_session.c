// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * report_session.c - open a trace file, turn the command-line filters into analysis
 * options, stream every record through the analysis
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "nr_file.h"
#include "report.h"

/* "since 10, reason NO_SOCKET, filter 'udp'": what the header says was filtered */
static void desc_add(struct report_session *s, const char *what, const char *arg, bool quote)
{
	size_t n = strlen(s->filter_desc);

	snprintf(s->filter_desc + n, sizeof(s->filter_desc) - n, "%s%s %s%s%s", n ? ", " : "",
		 what, quote ? "'" : "", arg, quote ? "'" : "");
}

static int time_opt(struct report_session *s, const char *opt, const char *arg, __u64 *ns,
		    bool *relative)
{
	int err = nr_parse_time(arg, s->meta, ns, relative);

	if (err == -ENOENT)
		pr_err("%s '%s': '%s' has no clock reference for wall-clock times, use seconds\n",
		       opt, arg, s->path);
	else if (err)
		pr_err("%s: '%s' is neither seconds (10, 2.5, 500ms) nor a UTC time "
		       "(2026-11-05T10:00:00Z)\n", opt, arg);
	return err;
}

int report_session_open(struct report_session *s, const struct report_opts *o,
			__u32 max_paths, nr_on_packet_fn on_packet, void *ctx)
{
	struct nr_reader_opts ropts = { .sz = sizeof(ropts), .skip_bad_chunks = true };
	struct nr_analysis_opts aopts = { .sz = sizeof(aopts) };
	struct nr_error e = { 0 };
	bool rel_since = false, rel_until = false;
	char pcap_err[512];
	__u32 i;
	int err;

	memset(s, 0, sizeof(*s));
	s->path = o->path;
	err = nr_reader__open(o->path, &ropts, &s->reader, &e);
	if (err) {
		pr_err("'%s': %s\n", o->path, e.msg[0] ? e.msg : strerror(-err));
		return err;
	}
	s->meta = nr_reader__meta(s->reader);
	if (!s->meta->file.clean_close)
		pr_warn("'%s' was not closed cleanly%s%s, reading what is complete\n", o->path,
			s->meta->file.trunc_msg ? ": " : "",
			s->meta->file.trunc_msg ? s->meta->file.trunc_msg : "");

	err = -EINVAL;
	if (o->since && time_opt(s, "--since", o->since, &aopts.since_ns, &rel_since))
		goto fail;
	if (o->until && time_opt(s, "--until", o->until, &aopts.until_ns, &rel_until))
		goto fail;
	if (o->since && o->until && rel_since != rel_until) {
		pr_err("--since and --until: use both relative seconds or both wall-clock times\n");
		goto fail;
	}
	aopts.window_relative = rel_since || rel_until;
	if (o->since)
		desc_add(s, "since", o->since, false);
	if (o->until)
		desc_add(s, "until", o->until, false);
	for (i = 0; i < o->nr_reasons; i++) {
		char *list = strdup(o->reasons[i]), *tok, *save = NULL;

		if (!list) {
			err = -ENOMEM;
			goto fail;
		}
		for (tok = strtok_r(list, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
			if (aopts.nr_reasons >= NR_ANALYSIS_MAX_REASONS) {
				pr_err("--reason: at most %d reasons\n", NR_ANALYSIS_MAX_REASONS);
				free(list);
				goto fail;
			}
			if (nr_resolve_reason(s->meta, tok, &aopts.reasons[aopts.nr_reasons])) {
				pr_err("--reason: '%s' is not a drop reason of '%s' (netrec info "
				       "lists them)\n", tok, o->path);
				free(list);
				goto fail;
			}
			aopts.nr_reasons++;
			desc_add(s, "reason", tok, false);
		}
		free(list);
	}
	if (o->netns) {
		if (nr_resolve_netns(s->meta, o->netns, &aopts.netns)) {
			pr_err("--netns: '%s' is neither an inode number nor a namespace name in '%s'\n",
			       o->netns, o->path);
			goto fail;
		}
		desc_add(s, "netns", o->netns, false);
	}
	if (o->filter) {
		err = nr_pkt_filter__new(o->filter, &s->pf, pcap_err, sizeof(pcap_err));
		if (err) {
			pr_err("--filter '%s': %s\n", o->filter, pcap_err);
			goto fail;
		}
		aopts.pkt_match = nr_pkt_filter__match;
		aopts.pkt_match_ctx = s->pf;
		desc_add(s, "filter", o->filter, true);
	}
	aopts.max_paths = max_paths ? max_paths : 1;
	aopts.max_conns = o->max_conns;
	aopts.on_packet = on_packet;
	aopts.on_packet_ctx = ctx;
	aopts.keep_snapshots = on_packet != NULL;
	err = nr_analysis__new(s->meta, &aopts, &s->an);
	if (err) {
		pr_err("analysing '%s': %s\n", o->path, strerror(-err));
		goto fail;
	}
	return 0;
fail:
	report_session_close(s);
	return err;
}

void report_session_set_ctx(struct report_session *s, void *ctx)
{
	nr_analysis__set_packet_ctx(s->an, ctx);
}

int report_session_run(struct report_session *s)
{
	const struct nr_rec_hdr *rec;
	struct nr_error e = { 0 };
	unsigned int bad = 0;
	int ret, err;

	for (;;) {
		ret = nr_reader__next(s->reader, &rec, &e);
		if (ret == 0)
			break;
		if (ret < 0) {
			/* a bad chunk is skipped by the reader; say so once, then go on */
			if (!bad++)
				pr_warn("'%s': %s, skipping\n", s->path, e.msg[0] ? e.msg :
					strerror(-ret));
			if (ret != -EBADMSG || bad > 100000) {
				pr_err("'%s': %s\n", s->path, e.msg[0] ? e.msg : strerror(-ret));
				return ret;
			}
			continue;
		}
		s->records++;
		err = nr_analysis__add(s->an, rec);
		if (err) {
			pr_err("analysing '%s': %s\n", s->path, strerror(-err));
			return err;
		}
		if (s->tick && (s->records & 255) == 0) {
			err = s->tick(s->tick_ctx, rec->ts_ns);
			if (err)
				return err;
		}
	}
	err = nr_analysis__finish(s->an, &s->result);
	if (err)
		pr_err("analysing '%s': %s\n", s->path, strerror(-err));
	return err;
}

void report_session_close(struct report_session *s)
{
	nr_result__free(s->result);
	nr_analysis__free(s->an);
	nr_pkt_filter__free(s->pf);
	nr_reader__free(s->reader);
	memset(s, 0, sizeof(*s));
}
