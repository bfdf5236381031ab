// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * tcp.c - TCP connections from socket events
 *
 * A connection is one life of one socket address with one tuple: it starts with the
 * socket's first event (normally CLOSE -> SYN_SENT, LISTEN -> SYN_RECV for a passive
 * child, or CLOSE -> LISTEN) and ends when the socket reaches CLOSE. A socket address
 * is reused as soon as the socket is freed, and a socket can connect again after a
 * failed connect, so the next event after CLOSE starts a new connection, and so does
 * an event whose tuple contradicts the connection's (the close went unseen). A socket
 * first seen in the middle of its life (the recording started later) is "partial".
 *
 * State numbers are the recording kernel's; their names and the values that matter here
 * (CLOSE, ESTABLISHED, SYN_SENT, ...) come from the file's "tcp_state" table, with the
 * Linux values as the fallback for a file without one.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "analysis_int.h"

#define CONN_MAX_TRANS	32	/* transitions kept per connection; later ones counted */

struct conn {
	struct nr_res_conn c;		/* c.trans: malloc'd while open */
	__u16 state;
	__u16 proto;
	__u64 since;			/* entered @state at */
	__u32 cap_trans;
	__u32 rst_reason;
	bool has_rst_reason;
	bool saw_syn_sent;
	bool saw_syn_recv;
};

/*
 * resets sent for packets without a socket, by the tuple the tracepoint gave; all are
 * kept to explain refused connects, the ones outside the filters are not reported
 */
struct rst_val {
	__u64 count;
	__u32 reason;
	__u16 has_reason;
	__u16 shown;
};

static __u16 state_value(const struct nr_meta *m, const char *name, __u16 dflt)
{
	return (__u16)an_enum_value(m, "tcp_state", name, dflt);
}

int tcp_init(struct nr_analysis *a)
{
	const struct nr_meta *m = a->meta;

	/* fallbacks: include/net/tcp_states.h, unchanged since Linux 2.6 */
	a->st.established = state_value(m, "TCP_ESTABLISHED", 1);
	a->st.syn_sent = state_value(m, "TCP_SYN_SENT", 2);
	a->st.syn_recv = state_value(m, "TCP_SYN_RECV", 3);
	a->st.close = state_value(m, "TCP_CLOSE", 7);
	a->st.listen = state_value(m, "TCP_LISTEN", 10);
	a->st.new_syn_recv = state_value(m, "TCP_NEW_SYN_RECV", 12);
	htab_init(&a->conns, sizeof(__u64), sizeof(struct conn *), 0);
	htab_init(&a->rst_nosock, sizeof(struct nr_flow), sizeof(struct rst_val), 65536);
	return 0;
}

static void sock_flow(const struct nr_sock *s, struct nr_flow *f)
{
	memset(f, 0, sizeof(*f));
	f->family = (__u8)s->family;
	f->proto = s->protocol ? (__u8)s->protocol : IPPROTO_TCP;
	f->origin = NR_FLOW_FROM_SOCKET;
	f->sport = s->sport;
	f->dport = s->dport;
	memcpy(f->src, s->saddr, 16);
	memcpy(f->dst, s->daddr, 16);
	if (f->family == AF_INET) {
		memset(f->src + 4, 0, 12);
		memset(f->dst + 4, 0, 12);
	}
}

static void conn_flow(const struct conn *c, struct nr_flow *f)
{
	memset(f, 0, sizeof(*f));
	f->family = (__u8)c->c.family;
	f->proto = (__u8)c->proto;
	f->origin = NR_FLOW_FROM_SOCKET;
	f->sport = c->c.sport;
	f->dport = c->c.dport;
	memcpy(f->src, c->c.src, 16);
	memcpy(f->dst, c->c.dst, 16);
}

bool tcp_sock_flow(struct nr_analysis *a, __u64 sk, struct nr_flow *f)
{
	struct conn **c = htab_get(&a->conns, &sk);

	if (!c || !(*c)->c.family)
		return false;
	conn_flow(*c, f);
	return true;
}

static bool zero16(const __u8 *x)
{
	static const __u8 z[16];

	return !memcmp(x, z, 16);
}

static size_t addr_len(__u16 family)
{
	return family == AF_INET ? 4 : 16;
}

/* does @s contradict @c's tuple (the socket address now serves another connection)? */
static bool tuple_differs(const struct conn *c, const struct nr_sock *s)
{
	size_t l = addr_len(s->family);

	if (c->c.family && s->family && c->c.family != s->family)
		return true;
	if (c->c.sport && s->sport && c->c.sport != s->sport)
		return true;
	if (c->c.dport && s->dport && c->c.dport != s->dport)
		return true;
	if (!zero16(c->c.dst) && !zero16(s->daddr) && memcmp(c->c.dst, s->daddr, l))
		return true;
	return false;
}

/* fill in what the connection did not know yet (ports are set by bind / connect) */
static void tuple_learn(struct conn *c, const struct nr_sock *s)
{
	size_t l = addr_len(s->family);

	if (!c->c.family)
		c->c.family = s->family;
	if (!c->c.sport)
		c->c.sport = s->sport;
	if (!c->c.dport)
		c->c.dport = s->dport;
	if (zero16(c->c.src) && !zero16(s->saddr))
		memcpy(c->c.src, s->saddr, l);
	if (zero16(c->c.dst) && !zero16(s->daddr))
		memcpy(c->c.dst, s->daddr, l);
	if (!c->c.netns)
		c->c.netns = s->netns;
}

/*
 * Was @c's connect answered with a reset? Evidence besides a received reset: a reset the
 * stack sent without socket for this tuple, or its SYN dropped as NO_SOCKET (a local
 * peer: the reset goes with that drop).
 */
static bool refused(struct nr_analysis *a, const struct conn *c)
{
	struct nr_flow f, r;

	conn_flow(c, &f);
	r = f;
	memcpy(r.src, f.dst, 16);
	memcpy(r.dst, f.src, 16);
	r.sport = f.dport;
	r.dport = f.sport;
	if (htab_get(&a->rst_nosock, &f) || htab_get(&a->rst_nosock, &r))
		return true;
	f.origin = NR_FLOW_FROM_SNAPSHOT;
	return htab_get(&a->nosock_tcp, &f) != NULL;
}

static __u32 classify_end(struct nr_analysis *a, const struct conn *c)
{
	if (c->c.listener)
		return NR_CONN_LISTENER;
	if (c->c.established) {
		if (c->c.rst_recv)
			return NR_CONN_RESET_RECV;
		if (c->c.rst_sent)
			return NR_CONN_RESET_SENT;
		return NR_CONN_CLOSED;
	}
	if (c->saw_syn_sent)
		return c->c.rst_recv || refused(a, c) ? NR_CONN_REFUSED : NR_CONN_CONNECT_FAILED;
	if (c->saw_syn_recv)
		return NR_CONN_HANDSHAKE_ABORTED;
	/* first seen late in a state after ESTABLISHED: it was established */
	if (c->c.partial)
		return c->c.rst_recv ? NR_CONN_RESET_RECV :
		       c->c.rst_sent ? NR_CONN_RESET_SENT : NR_CONN_CLOSED;
	return NR_CONN_CONNECT_FAILED;
}

static int cmp_conn(const void *x, const void *y)
{
	const struct nr_res_conn *a = x, *b = y;

	if (a->first_ts != b->first_ts)
		return a->first_ts < b->first_ts ? -1 : 1;
	return a->id < b->id ? -1 : a->id > b->id;
}

/* account a finished (or, at the end, still open) connection and free it */
static int conn_done(struct nr_analysis *a, struct conn *c, __u32 end)
{
	struct nr_res_tcp *t = &a->res->tcp;
	struct nr_res_conn *k;
	struct nr_flow f;
	__u32 i;
	int err = 0;

	c->c.end = end;
	conn_flow(c, &f);
	if (!an_flow_matches(a, &f, c->c.netns))
		goto out;
	t->connections++;
	if (c->c.established)
		t->established++;
	else if (!c->c.listener && !c->c.partial && end != NR_CONN_OPEN)
		t->never_established++;
	t->by_end[end < __NR_CONN_END_MAX ? end : 0]++;
	t->retrans += c->c.retrans;
	t->rst_sent += c->c.rst_sent;
	t->rst_recv += c->c.rst_recv;
	if (a->nr_kept_conns >= a->opts.max_conns) {
		t->conns_not_kept++;
		goto out;
	}
	if (a->nr_kept_conns == a->cap_kept_conns) {
		__u32 nc = a->cap_kept_conns ? a->cap_kept_conns * 2 : 16;
		void *n;

		if (nc > a->opts.max_conns)
			nc = a->opts.max_conns;
		n = realloc(a->kept_conns, nc * sizeof(*a->kept_conns));
		if (!n) {
			err = -ENOMEM;
			goto out;
		}
		a->kept_conns = n;
		a->cap_kept_conns = nc;
	}
	k = &a->kept_conns[a->nr_kept_conns];
	*k = c->c;
	k->netns_name = nr_result__netns_name(a->res, k->netns);
	if (c->has_rst_reason)
		k->rst_reason = an_enum_name(a, "sk_rst_reason", c->rst_reason);
	k->trans = arena_calloc(a->ar, c->c.nr_trans ? c->c.nr_trans : 1, sizeof(*k->trans));
	if (!k->trans) {
		err = -ENOMEM;
		goto out;
	}
	for (i = 0; i < c->c.nr_trans; i++) {
		k->trans[i] = c->c.trans[i];
		k->trans[i].from_name = an_tcp_state_name(a, k->trans[i].from);
		k->trans[i].to_name = an_tcp_state_name(a, k->trans[i].to);
		if (!k->trans[i].from_name || !k->trans[i].to_name) {
			err = -ENOMEM;
			goto out;
		}
	}
	a->nr_kept_conns++;
out:
	free(c->c.trans);
	free(c);
	return err;
}

static struct conn *conn_new(struct nr_analysis *a, const struct nr_sock *s, __u16 state)
{
	struct conn *c = calloc(1, sizeof(*c));
	struct conn **slot;

	if (!c)
		return NULL;
	slot = htab_put(&a->conns, &s->sk, NULL);
	if (!slot) {
		free(c);
		return NULL;
	}
	*slot = c;
	c->c.id = ++a->next_conn_id;
	c->c.sk = s->sk;
	c->c.first_ts = c->c.last_ts = s->hdr.ts_ns;
	c->proto = s->protocol ? s->protocol : IPPROTO_TCP;
	c->state = state;
	c->since = s->hdr.ts_ns;
	tuple_learn(c, s);
	return c;
}

/* end the connection of @sk, if open, and forget it */
static int conn_end(struct nr_analysis *a, struct conn *c, __u32 end)
{
	htab_del(&a->conns, &c->c.sk);
	return conn_done(a, c, end);
}

static void time_in_state(struct conn *c, __u64 ts)
{
	if (c->state < NR_TCP_NSTATES && ts > c->since)
		c->c.state_ns[c->state] += ts - c->since;
	c->since = ts;
	if (ts > c->c.last_ts)
		c->c.last_ts = ts;
}

static int add_trans(struct conn *c, const struct nr_sock *s)
{
	struct nr_res_trans *t;

	if (c->c.nr_trans >= CONN_MAX_TRANS) {
		/* keep the first ones and the last: how it ended matters */
		c->c.trans_lost++;
		t = &c->c.trans[c->c.nr_trans - 1];
	} else {
		if (c->c.nr_trans == c->cap_trans) {
			__u32 nc = c->cap_trans ? c->cap_trans * 2 : 8;
			void *n = realloc(c->c.trans, nc * sizeof(*c->c.trans));

			if (!n)
				return -ENOMEM;
			c->c.trans = n;
			c->cap_trans = nc;
		}
		t = &c->c.trans[c->c.nr_trans++];
	}
	memset(t, 0, sizeof(*t));
	t->ts = s->hdr.ts_ns;
	t->from = s->oldstate;
	t->to = s->newstate;
	return 0;
}

/* the open connection of @s's socket, or a new one first seen in @state */
static struct conn *conn_for(struct nr_analysis *a, const struct nr_sock *s, __u16 state,
			     int *err)
{
	struct conn **slot = htab_get(&a->conns, &s->sk), *c = slot ? *slot : NULL;

	*err = 0;
	if (c && tuple_differs(c, s)) {
		*err = conn_end(a, c, NR_CONN_REUSED);
		if (*err)
			return NULL;
		c = NULL;
	}
	if (!c) {
		c = conn_new(a, s, state);
		if (!c) {
			*err = -ENOMEM;
			return NULL;
		}
		c->c.partial = state != a->st.close;
		if (state == a->st.listen)
			c->c.listener = true;
		else if (state == a->st.syn_sent)
			c->saw_syn_sent = true;
		else if (state == a->st.syn_recv || state == a->st.new_syn_recv)
			c->saw_syn_recv = true;
		else if (state != a->st.close)
			c->c.established = true;	/* past the handshake before we looked */
	}
	tuple_learn(c, s);
	return c;
}

static int state_change(struct nr_analysis *a, const struct nr_sock *s)
{
	struct conn *c;
	int err;

	c = conn_for(a, s, s->oldstate, &err);
	if (!c)
		return err;
	if (!c->c.nr_trans && s->oldstate == a->st.listen &&
	    (s->newstate == a->st.syn_recv || s->newstate == a->st.new_syn_recv)) {
		/* a passive open: the child socket starts as a copy of its listener */
		c->c.listener = false;
		c->c.partial = false;
	}
	time_in_state(c, s->hdr.ts_ns);
	err = add_trans(c, s);
	if (err)
		return err;
	c->state = s->newstate;
	if (s->newstate == a->st.established)
		c->c.established = true;
	else if (s->newstate == a->st.listen)
		c->c.listener = true;
	else if (s->newstate == a->st.syn_sent)
		c->saw_syn_sent = true;
	else if (s->newstate == a->st.syn_recv || s->newstate == a->st.new_syn_recv)
		c->saw_syn_recv = true;
	if (s->newstate == a->st.close)
		return conn_end(a, c, classify_end(a, c));
	return 0;
}

static int rst_without_socket(struct nr_analysis *a, const struct nr_sock *s)
{
	struct rst_val *v;
	struct nr_flow f;

	sock_flow(s, &f);
	v = htab_put(&a->rst_nosock, &f, NULL);
	if (!v)
		return a->rst_nosock.count >= 65536 ? 0 : -ENOMEM;
	v->count++;
	v->reason = s->reason;
	v->has_reason = 1;
	if (an_flow_matches(a, &f, s->netns)) {
		v->shown = 1;
		a->res->tcp.rst_sent++;
	}
	return 0;
}

int tcp_add(struct nr_analysis *a, const struct nr_sock *s, enum probe_kind kind)
{
	struct conn *c;
	int err;

	if (s->protocol && s->protocol != IPPROTO_TCP && s->protocol != IPPROTO_MPTCP)
		return 0;
	switch (kind) {
	case PK_TCP_STATE:
		if (!s->sk)
			return 0;
		return state_change(a, s);
	case PK_TCP_RST_SENT:
		if (!s->sk)
			return rst_without_socket(a, s);
		c = conn_for(a, s, s->oldstate, &err);
		if (!c)
			return err;
		c->c.rst_sent++;
		c->rst_reason = s->reason;
		c->has_rst_reason = true;
		return 0;
	case PK_TCP_RST_RECV:
	case PK_TCP_RETRANS:
		if (!s->sk) {
			if (kind == PK_TCP_RETRANS)
				a->res->tcp.retrans_unknown_sock++;
			return 0;
		}
		c = conn_for(a, s, s->oldstate, &err);
		if (!c)
			return err;
		if (kind == PK_TCP_RETRANS)
			c->c.retrans++;
		else
			c->c.rst_recv++;
		if (s->hdr.ts_ns > c->c.last_ts)
			c->c.last_ts = s->hdr.ts_ns;
		return 0;
	default:
		return 0;
	}
}

static int cmp_open(const void *x, const void *y)
{
	const struct conn *a = *(struct conn *const *)x, *b = *(struct conn *const *)y;

	return a->c.id < b->c.id ? -1 : a->c.id > b->c.id;
}

static int cmp_rst(const void *x, const void *y)
{
	const struct nr_res_rst *a = x, *b = y;

	if (a->count != b->count)
		return a->count > b->count ? -1 : 1;
	return memcmp(&a->flow, &b->flow, sizeof(a->flow));
}

int tcp_finish(struct nr_analysis *a)
{
	struct nr_res_tcp *t = &a->res->tcp;
	struct conn **open;
	size_t i, n = 0;
	int err = 0;

	/* still open: in order of first event, so the result does not depend on hashing */
	open = calloc(a->conns.count ? a->conns.count : 1, sizeof(*open));
	if (!open)
		return -ENOMEM;
	for (i = 0; i < htab_capacity(&a->conns); i++) {
		struct conn **c = htab_slot_val(&a->conns, i);

		if (c)
			open[n++] = *c;
	}
	qsort(open, n, sizeof(*open), cmp_open);
	htab_fini(&a->conns);
	for (i = 0; i < n; i++) {
		time_in_state(open[i], a->last_ts);
		if (!err)
			err = conn_done(a, open[i], NR_CONN_OPEN);
		else {
			free(open[i]->c.trans);
			free(open[i]);
		}
	}
	free(open);
	if (err)
		return err;

	t->conns = arena_calloc(a->ar, a->nr_kept_conns ? a->nr_kept_conns : 1, sizeof(*t->conns));
	if (!t->conns)
		return -ENOMEM;
	if (a->nr_kept_conns)
		memcpy(t->conns, a->kept_conns, a->nr_kept_conns * sizeof(*t->conns));
	t->nr_conns = a->nr_kept_conns;
	qsort(t->conns, t->nr_conns, sizeof(*t->conns), cmp_conn);

	t->rst_nosock = arena_calloc(a->ar, a->rst_nosock.count ? a->rst_nosock.count : 1,
				     sizeof(*t->rst_nosock));
	if (!t->rst_nosock)
		return -ENOMEM;
	for (i = 0; i < htab_capacity(&a->rst_nosock); i++) {
		const struct nr_flow *f = htab_slot_key(&a->rst_nosock, i);
		const struct rst_val *v;
		struct nr_res_rst *r;

		if (!f)
			continue;
		v = htab_slot_val(&a->rst_nosock, i);
		if (!v->shown)
			continue;
		r = &t->rst_nosock[t->nr_rst_nosock++];
		r->flow = *f;
		r->count = v->count;
		r->reason = v->has_reason ? an_enum_name(a, "sk_rst_reason", v->reason) : NULL;
	}
	qsort(t->rst_nosock, t->nr_rst_nosock, sizeof(*t->rst_nosock), cmp_rst);
	return 0;
}

void tcp_free(struct nr_analysis *a)
{
	size_t i;

	for (i = 0; i < htab_capacity(&a->conns); i++) {
		struct conn **c = htab_slot_val(&a->conns, i);

		if (c) {
			free((*c)->c.trans);
			free(*c);
		}
	}
	htab_fini(&a->conns);
	htab_fini(&a->rst_nosock);
	free(a->kept_conns);
}
