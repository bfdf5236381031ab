#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# record_e2e.sh NETREC NRLOAD - the end-to-end path through `netrec record` and
# `netrec report --json`, each count exact (namespaces from record_lib.sh):
#   1. 50 UDP datagrams from B to A:9 where nothing listens: exactly 50 drops, all
#      NO_SOCKET, all of the flow B:40101 -> A:9, in A
#   2. a TCP connect from B to A:81 (closed), IPv4 and IPv6: the client's connection
#      with its addresses and ports, CLOSE -> SYN_SENT -> CLOSE, refused
#   3. a TCP session B -> A:5001 with 64 KiB each way, closed from both ends: the full
#      sequence of states of the client and of the server
#   4. the file itself: mode 0600, closed cleanly, START and STOP "command"
#   5. without privileges: one line saying what is missing, exit 1, no file
. "$(dirname "$0")/record_lib.sh"

# 1. NO_SOCKET
f=$T/nosock.nr
if rec "$f" --netns "$A" -- "$NRLOAD" udp-closed -q -n 50 --netns "$B" --dst "$IP_A" \
	--dport 9 --sport 40101; then
	check "drops in total" 50 "$(j "$f" .totals.drops)"
	check "reasons" "NO_SOCKET" "$(j "$f" '[.drops[].reason] | unique | join(",")')"
	check "NO_SOCKET drops of the flow" 50 "$(j "$f" "[.drops[] | select(.reason ==
		\"NO_SOCKET\") | .flows[] | select(.proto == \"udp\" and .src == \"$IP_B\" and
		.sport == 40101 and .dst == \"$IP_A\" and .dport == 9) | .count] | add")"
	check "in netns A" "$A" "$(j "$f" '.netns[0].netns_name')"
	check "lost" 0 "$(j "$f" .totals.lost)"
	check "file mode" 600 "$(stat -c %a "$f")"
	check "closed cleanly" true "$("$NETREC" info --json "$f" | jq .clean_close)"
	check "control records" "stop:command" "$(j "$f" '[.coverage.control[] |
		"\(.kind):\(.text)"] | join(" ")')"
else
	rec_failed "udp-closed"
fi

# 2. TCP connect to a closed port, from the client's side
conn_check() {	# FILE FAMILY SRC DST SPORT
	local c=".tcp.connections[] | select(.dport == 81)"

	check "$2: one connection" 1 "$(j "$1" "[$c] | length")"
	check "$2: family" "$2" "$(j "$1" "$c | .family")"
	check "$2: addresses and ports" "$3:$5 $4:81" "$(j "$1" "$c | \"\(.src):\(.sport) \(.dst):\(.dport)\"")"
	check "$2: transitions" "CLOSE>SYN_SENT SYN_SENT>CLOSE" "$(j "$1" "[$c | .transitions[] |
		\"\(.from)>\(.to)\"] | join(\" \")")"
	check "$2: refused" refused "$(j "$1" "$c | .end")"
}
for fam in ipv4 ipv6; do
	f=$T/closed-$fam.nr
	dst=$IP_A src=$IP_B sport=40102
	[ $fam = ipv6 ] && dst=$IP6_A src=$IP6_B sport=40103
	if rec "$f" --netns "$B" -- "$NRLOAD" tcp-closed -q -n 1 --netns "$B" --dst "$dst" \
		--dport 81 --sport $sport; then
		conn_check "$f" $fam "$src" "$dst" $sport
	else
		rec_failed "tcp-closed, $fam"
	fi
done

# 3. a whole TCP session, both ends; the listener is made while recording
f=$T/session.nr
session() {
	in_a "$NRLOAD" serve -q -n 1 --dst "$IP_A" --dport 5001 --ready-file "$T/ready" &
	for _ in $(seq 100); do
		[ -s "$T/ready" ] && break
		sleep 0.02
	done
	"$NRLOAD" tcp-session -q --remote --netns "$B" --dst "$IP_A" --dport 5001 --sport 40104
	local rc=$?
	wait
	return $rc
}
export -f session in_a
export NRLOAD A B IP_A T
if rec "$f" --filter 'tcp port 5001' -- bash -c session; then
	c='.tcp.connections[] | select(.listener | not)'
	check "client states" "CLOSE>SYN_SENT SYN_SENT>ESTABLISHED ESTABLISHED>FIN_WAIT1 \
FIN_WAIT1>FIN_WAIT2 FIN_WAIT2>CLOSE" "$(j "$f" "[$c | select(.sport == 40104) |
		.transitions[] | \"\(.from)>\(.to)\"] | join(\" \")")"
	check "client end" "$B closed" "$(j "$f" "$c | select(.sport == 40104) |
		\"\(.netns_name) \(.end)\"")"
	check "server states" "LISTEN>SYN_RECV SYN_RECV>ESTABLISHED ESTABLISHED>CLOSE_WAIT \
CLOSE_WAIT>LAST_ACK LAST_ACK>CLOSE" "$(j "$f" "[$c | select(.sport == 5001 and
		.dport == 40104) | .transitions[] | \"\(.from)>\(.to)\"] | join(\" \")")"
	check "server end" "$A closed" "$(j "$f" "$c | select(.sport == 5001) |
		\"\(.netns_name) \(.end)\"")"
	check "listener" "CLOSE>LISTEN LISTEN>CLOSE" "$(j "$f" '[.tcp.connections[] |
		select(.listener) | .transitions[] | "\(.from)>\(.to)"] | join(" ")')"
	check "connections" 3 "$(j "$f" .tcp.total)"
else
	rec_failed "tcp session"
fi

# 5. not root (nobody, no capabilities): nothing is created
chmod 777 "$T"
setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all \
	"$NETREC" record -o "$T/nobody.nr" -- true 2>"$T/rec.err"
check "unprivileged: exit status" 1 $?
check "unprivileged: one line" 1 "$(grep -c . "$T/rec.err")"
contains "unprivileged: what is missing" "needs root, or CAP_BPF and CAP_PERFMON" \
	"$(cat "$T/rec.err")"
check "unprivileged: no file" no "$([ -e "$T/nobody.nr" ] && echo yes || echo no)"
"$NETREC" record -o "$T/bad.nr" --filter 'udp port' 2>"$T/rec.err"
check "bad filter: usage error" 2 $?
contains "bad filter: libpcap's reason" "syntax error" "$(cat "$T/rec.err")"
check "bad filter: no file" no "$([ -e "$T/bad.nr" ] && echo yes || echo no)"

summary
