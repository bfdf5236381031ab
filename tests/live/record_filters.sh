#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# record_filters.sh NETREC NRLOAD - each filter of `netrec record`: the flow it excludes
# leaves no event, the flow it includes all of its events (namespaces from
# record_lib.sh; drops are NO_SOCKET drops of UDP to closed ports):
#   --filter EXPR, in the kernel and with --user-filter, on packets and on TCP sockets
#   --netns, -i (a veth and the loopback of one namespace), --mark V and V/M
#   --follow: datagrams to A:7000 that a DNAT rule in A sends to the closed port 9 are
#             dropped with port 9 in their headers; `--filter 'udp dst port 7000'` keeps
#             their drops only with --follow (in the kernel and in user space)
. "$(dirname "$0")/record_lib.sh"

# send NS DST PORT COUNT: UDP datagrams to a closed port
send() {
	"$NRLOAD" udp-closed -q --netns "$1" --dst "$2" --dport "$3" -n "$4"
}
export -f send
export NRLOAD A B IP_A IP_B

# two flows from B to A: 20 datagrams to port 9, 30 to port 10
two_flows='send $B $IP_A 9 20 && send $B $IP_A 10 30'

for mode in kernel user; do
	extra=()
	[ $mode = user ] && extra=(--user-filter)

	f=$T/filter-$mode.nr
	if rec "$f" --netns "$A" --filter 'udp dst port 9' "${extra[@]}" -- bash -c "$two_flows"
	then
		check "$mode filter: included flow" 20 "$(drops_to "$f" 9)"
		check "$mode filter: excluded flow" 0 "$(drops_to "$f" 10)"
		check "$mode filter: no other drop" 20 "$(j "$f" .totals.drops)"
		check "$mode filter: excluded counted as filtered" true \
			"$(j "$f" '.coverage.filtered >= 30')"
		check "$mode filter: stored in the file" "udp dst port 9" \
			"$("$NETREC" info --json "$f" | jq -r .filter)"
	else
		rec_failed "$mode filter"
	fi
	if [ $mode = user ]; then
		contains "user filter: said so" "runs in user space" "$(cat "$T/rec.err")"
	fi

	# socket events through the filter: the tuple of the connection
	f=$T/tcpfilter-$mode.nr
	if rec "$f" --netns "$B" --filter 'tcp dst port 81' "${extra[@]}" -- bash -c \
		'"$NRLOAD" tcp-closed -q -n 1 --netns $B --dst $IP_A --dport 81 &&
		 "$NRLOAD" tcp-closed -q -n 1 --netns $B --dst $IP_A --dport 82'; then
		check "$mode filter: the included connection" "CLOSE>SYN_SENT SYN_SENT>CLOSE" \
			"$(j "$f" '[.tcp.connections[] | select(.dport == 81) | .transitions[] |
			"\(.from)>\(.to)"] | join(" ")')"
		check "$mode filter: only that connection" 1 "$(j "$f" .tcp.total)"
	else
		rec_failed "$mode tcp filter"
	fi
done

# --netns: 10 drops in A (B -> A:9), 15 in B (A -> B:9)
for ns in "$A" "$B"; do
	f=$T/netns-$ns.nr
	if rec "$f" --netns "$ns" -- bash -c 'send $B $IP_A 9 10 && send $A $IP_B 9 15'; then
		want=10 dst=$IP_A
		[ "$ns" = "$B" ] && want=15 dst=$IP_B
		check "--netns $ns: its drops" "$want" "$(j "$f" .totals.drops)"
		check "--netns $ns: only to its address" "$dst" \
			"$(j "$f" '[.drops[].flows[].dst] | unique | join(",")')"
		check "--netns $ns: named" "$ns" "$(j "$f" '[.netns[].netns_name] | join(",")')"
	else
		rec_failed "--netns $ns"
	fi
done
# by inode and by path, the same namespace
ino=$(stat -L -c %i "/run/netns/$A")
for spec in "$ino" "/run/netns/$A"; do
	f=$T/netns-spec.nr
	if rec "$f" --netns "$spec" -- bash -c 'send $B $IP_A 9 10 && send $A $IP_B 9 15'; then
		check "--netns $spec" 10 "$(j "$f" .totals.drops)"
	else
		rec_failed "--netns $spec"
	fi
done
rec "$T/none.nr" --netns "rec$$nosuch" -- true
check "--netns unknown: exit status" 1 $?
contains "--netns unknown: says so" "no such network namespace" "$(cat "$T/rec.err")"
check "--netns unknown: no file" no "$([ -e "$T/none.nr" ] && echo yes || echo no)"

# -i: in A, 10 drops arrive on the veth (from B), 12 on lo (A to itself)
for dev in "$IF_A" lo; do
	f=$T/iface-$dev.nr
	if rec "$f" --netns "$A" -i "$dev" -- bash -c \
		'send $B $IP_A 9 10 && send $A 127.0.0.1 9 12'; then
		want=10
		[ "$dev" = lo ] && want=12
		check "-i $dev: its drops" "$want" "$(j "$f" .totals.drops)"
		check "-i $dev: only on it" "$dev" "$(j "$f" '[.devices[].ifname] | join(",")')"
	else
		rec_failed "-i $dev"
	fi
done
rec "$T/none.nr" --netns "$A" -i "$IF_B" -- true
check "-i of another namespace: exit status" 1 $?
contains "-i of another namespace: says so" "no such interface" "$(cat "$T/rec.err")"

# --mark: a rule in A marks datagrams to port 9 with 0x42 before they are dropped
in_a nft -f - <<EOF
table inet recmark {
	chain pre {
		type filter hook prerouting priority -150; policy accept;
		udp dport 9 meta mark set 0x42
	}
}
EOF
for m in 0x42 0x40/0xf0 66; do
	f=$T/mark.nr
	if rec "$f" --netns "$A" --mark "$m" -- bash -c "$two_flows"; then
		check "--mark $m: marked flow" 20 "$(drops_to "$f" 9)"
		check "--mark $m: unmarked flow" 0 "$(drops_to "$f" 10)"
	else
		rec_failed "--mark $m"
	fi
done
f=$T/mark0.nr
if rec "$f" --netns "$A" --mark 0x41 -- bash -c "$two_flows"; then
	check "--mark 0x41: nothing" 0 "$(j "$f" .totals.drops)"
fi
in_a nft delete table inet recmark

# --follow: DNAT 7000 -> 9 in A
in_a nft -f - <<EOF
table ip recnat {
	chain pre {
		type nat hook prerouting priority -100; policy accept;
		udp dport 7000 dnat to $IP_A:9
	}
}
EOF
for mode in kernel user; do
	extra=()
	[ $mode = user ] && extra=(--user-filter)
	for follow in yes no; do
		fo=()
		want=0
		[ $follow = yes ] && fo=(--follow) && want=12
		f=$T/follow.nr
		if rec "$f" --netns "$A" --profile path --filter 'udp dst port 7000' \
			"${fo[@]}" "${extra[@]}" -- bash -c 'send $B $IP_A 7000 12'; then
			check "$mode filter, follow $follow: drops after DNAT" "$want" \
				"$(drops_to "$f" 9)"
			check "$mode filter, follow $follow: all drops" "$want" \
				"$(j "$f" .totals.drops)"
		else
			rec_failed "$mode, follow $follow"
		fi
	done
done
in_a nft delete table ip recnat

summary
