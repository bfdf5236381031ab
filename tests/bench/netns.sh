# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=sh
#
# Network namespaces for the benchmark and live tests, sourced (". tests/bench/netns.sh").
# Every namespace made here is remembered in BENCH_NETNS and deleted by bench_ns_cleanup,
# which the caller runs from its EXIT trap; deleting a namespace also deletes the veth
# end inside it and so the pair. Callers choose names that start with "bench" so they
# never collide with other users of the machine.

BENCH_NETNS=""

# bench_ns_add NAME: a namespace with loopback up
bench_ns_add() {
	ip netns add "$1" || return 1
	BENCH_NETNS="$BENCH_NETNS $1"
	ip -n "$1" link set lo up
}

bench_ns_cleanup() {
	for ns in $BENCH_NETNS; do
		ip netns del "$ns" 2>/dev/null
	done
	BENCH_NETNS=""
}

# bench_mac NS IFACE
bench_mac() {
	ip -n "$1" -o link show dev "$2" | sed -n 's/.*link\/ether \([0-9a-f:]*\).*/\1/p'
}

# bench_veth NS_A IF_A NS_B IF_B NET_ID
# A veth pair between two namespaces: IF_A is 10.250.NET_ID.1/24 and fd00:250:NET_ID::1/64,
# IF_B .2 and ::2. Neighbour entries are permanent and IPv6 addresses skip duplicate
# address detection, so the first packets neither wait for ARP/ND (and get dropped when
# its queue overflows) nor leave before the address is usable: every packet sent is one
# packet received on the other side.
bench_veth() {
	ip -n "$1" link add "$2" type veth peer name "$4" netns "$3" || return 1
	ip -n "$1" addr add "10.250.$5.1/24" dev "$2"
	ip -n "$1" addr add "fd00:250:$5::1/64" dev "$2" nodad
	ip -n "$3" addr add "10.250.$5.2/24" dev "$4"
	ip -n "$3" addr add "fd00:250:$5::2/64" dev "$4" nodad
	ip -n "$1" link set "$2" up
	ip -n "$3" link set "$4" up
	_mac_a=$(bench_mac "$1" "$2")
	_mac_b=$(bench_mac "$3" "$4")
	ip -n "$1" neigh replace "10.250.$5.2" lladdr "$_mac_b" dev "$2" nud permanent
	ip -n "$1" neigh replace "fd00:250:$5::2" lladdr "$_mac_b" dev "$2" nud permanent
	ip -n "$3" neigh replace "10.250.$5.1" lladdr "$_mac_a" dev "$4" nud permanent
	ip -n "$3" neigh replace "fd00:250:$5::1" lladdr "$_mac_a" dev "$4" nud permanent
}

# bench_nft_drop NS PORT: drop UDP to PORT on input, counting what the rule dropped
bench_nft_drop() {
	ip netns exec "$1" nft -f - <<EOF
table inet bench {
	chain input {
		type filter hook input priority filter; policy accept;
		udp dport $2 counter drop
	}
}
EOF
}

# bench_nft_dropped NS: packets the rule of bench_nft_drop has dropped so far
bench_nft_dropped() {
	ip netns exec "$1" nft list chain inet bench input |
		sed -n 's/.*counter packets \([0-9]*\) bytes.*drop.*/\1/p'
}
