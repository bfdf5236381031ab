#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# analyze_live.sh NETREC - record real drops in namespaces made here and check that the
# report names the right reason, port, rule and namespace
#
#   netns anPIDa: veth anPIDa0, 10.98.0.1/24 - the receiver
#   netns anPIDb: veth anPIDb0, 10.98.0.2/24 - the sender
#
# 1. 20 UDP datagrams to 10.98.0.1:9, where nothing listens: exactly 20 NO_SOCKET drops
#    of that flow in netns a, a diagnosis naming "udp 10.98.0.1:9" and the namespace;
# 2. 15 datagrams to port 7777, which an nftables rule in netns a drops: exactly 15
#    NETFILTER_DROP drops there, a diagnosis telling to list the rules in that netns;
# 3. a TCP connect to 10.98.0.1:81 (closed): the client's connection SYN_SENT -> CLOSE,
#    refused, never established.
# Exit 77 (skip) without root, iproute2, bash's /dev/udp, or a netrec with `record`.
set -u

netrec=$1
if [ "$(id -u)" -ne 0 ]; then
	echo "SKIP: not root"
	exit 77
fi
for tool in ip jq nft; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		echo "SKIP: $tool not installed"
		exit 77
	fi
done
if ! "$netrec" record --help >/dev/null 2>&1; then
	echo "SKIP: this netrec cannot record ($("$netrec" record --help 2>&1 | head -1))"
	exit 77
fi

A="an$$a"
B="an$$b"
T=$(mktemp -d /tmp/analyze_live.XXXXXX)
cleanup() {
	ip netns del "$A" 2>/dev/null
	ip netns del "$B" 2>/dev/null
	rm -rf "$T"
	return 0
}
trap cleanup EXIT
trap 'exit 1' INT TERM

if ! { ip netns add "$A" && ip netns add "$B" &&
	ip link add "${A}0" netns "$A" type veth peer name "${B}0" netns "$B" &&
	ip -n "$A" addr add 10.98.0.1/24 dev "${A}0" &&
	ip -n "$B" addr add 10.98.0.2/24 dev "${B}0" &&
	ip -n "$A" link set lo up && ip -n "$B" link set lo up &&
	ip -n "$A" link set "${A}0" up && ip -n "$B" link set "${B}0" up; }; then
	echo "FAIL: cannot make the namespaces"
	exit 1
fi
# resolve ARP before recording (one datagram to a closed port, not recorded)
ip netns exec "$B" bash -c 'echo x > /dev/udp/10.98.0.1/9' 2>/dev/null
sleep 0.2

pass=0
fail=0
check() {	# what expected got
	if [ "$2" = "$3" ]; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "FAIL: $1: expected '$2', got '$3'"
	fi
}
contains() {	# what needle haystack
	case "$3" in
	*"$2"*) pass=$((pass + 1)) ;;
	*) fail=$((fail + 1)); echo "FAIL: $1: '$2' not in '$3'" ;;
	esac
}
record() {	# file command...
	local f=$1
	shift
	if ! "$netrec" record -o "$f" -- "$@" >"$T/record.log" 2>&1; then
		echo "FAIL: netrec record: $(tail -3 "$T/record.log")"
		fail=$((fail + 1))
		return 1
	fi
}
send_udp() {	# port count
	ip netns exec "$B" bash -c "for i in \$(seq $2); do echo x > /dev/udp/10.98.0.1/$1; \
		sleep 0.01; done" 2>/dev/null
	return 0
}

# 1. NO_SOCKET
if record "$T/nosock.nr" bash -c "$(declare -f send_udp); B=$B; send_udp 9 20"; then
	"$netrec" report "$T/nosock.nr" --netns "$A" --reason NO_SOCKET --json >"$T/nosock.json"
	check "NO_SOCKET drops to port 9" 20 "$(jq '[.drops[] | select(.reason == "NO_SOCKET")
		| .flows[] | select(.dst == "10.98.0.1" and .dport == 9) | .count] | add' \
		"$T/nosock.json")"
	what=$(jq -r '.reasons[] | select(.reason == "NO_SOCKET") | .diagnosis.what' \
		"$T/nosock.json")
	contains "diagnosis names the port" "udp 10.98.0.1:9" "$what"
	contains "diagnosis names the namespace" "in netns $A" "$what"
	text=$("$netrec" report "$T/nosock.nr" --netns "$A" --color=never)
	contains "text verdict" "NO_SOCKET" "$(echo "$text" | grep VERDICT)"
fi

# 2. NETFILTER_DROP
ip netns exec "$A" nft -f - <<EOF
table inet analyze_live {
	chain input {
		type filter hook input priority 0;
		udp dport 7777 drop
	}
}
EOF
if record "$T/nf.nr" bash -c "$(declare -f send_udp); B=$B; send_udp 7777 15"; then
	"$netrec" report "$T/nf.nr" --netns "$A" --reason NETFILTER_DROP --json >"$T/nf.json"
	check "NETFILTER_DROP drops to port 7777" 15 "$(jq '[.drops[]
		| select(.reason == "NETFILTER_DROP") | .flows[] | select(.dport == 7777)
		| .count] | add' "$T/nf.json")"
	check "only in that netns" 15 "$(jq '.totals.drops' "$T/nf.json")"
	check "--filter on the snapshots" 15 "$("$netrec" report "$T/nf.nr" --netns "$A" \
		--filter 'udp dst port 7777' --json | jq '.totals.drops')"
	check "--filter that matches nothing" 0 "$("$netrec" report "$T/nf.nr" --netns "$A" \
		--filter 'udp dst port 7778' --json | jq '.totals.drops')"
	check "--folded counts" 15 "$("$netrec" report "$T/nf.nr" --netns "$A" --folded |
		awk '/NETFILTER_DROP/ { n += $NF } END { print n + 0 }')"
	check "--drops-only pcapng" 15 "$("$netrec" pcap "$T/nf.nr" --netns "$A" --drops-only \
		-o "$T/nf.pcapng" 2>/dev/null && tshark -r "$T/nf.pcapng" -T fields \
		-e frame.comment 2>/dev/null | grep -c 'dropped: NETFILTER_DROP')"
	check=$(jq -r '.reasons[] | select(.reason == "NETFILTER_DROP") | .diagnosis.check' \
		"$T/nf.json")
	contains "diagnosis: list the rules" "nft list ruleset" "$check"
	contains "diagnosis: in that netns" "in netns $A" "$check"
fi
ip netns exec "$A" nft delete table inet analyze_live 2>/dev/null

# 3. TCP connect refused
# the connect fails, and netrec exits with its status: the shell ends with true
if record "$T/tcp.nr" ip netns exec "$B" bash -c 'exec 3<>/dev/tcp/10.98.0.1/81; true'; then
	"$netrec" report "$T/tcp.nr" --netns "$B" --json >"$T/tcp.json"
	conn='.tcp.connections[] | select(.dst == "10.98.0.1" and .dport == 81)'
	check "client transitions" "CLOSE>SYN_SENT SYN_SENT>CLOSE" "$(jq -r "[$conn |
		.transitions[] | \"\(.from)>\(.to)\"] | join(\" \")" "$T/tcp.json")"
	check "refused" "refused" "$(jq -r "$conn | .end" "$T/tcp.json")"
	check "never established" "false" "$(jq -r "$conn | .established" "$T/tcp.json")"
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
