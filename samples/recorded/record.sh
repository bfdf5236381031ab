#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# record.sh - record the traces of samples/recorded with netrec itself (root):
# real files from a real kernel, small enough to keep in the repository, that must
# analyse anywhere (tests/unit: their reports byte for byte; tests/live/record_crash.sh:
# the same reports without /proc/kallsyms and kernel BTF)
#
#   drops.nr  20 UDP datagrams to a closed port (NO_SOCKET), 10 to a port an nftables
#             rule drops (NETFILTER_DROP), 3 refused TCP connects (NO_SOCKET, SYN), a UDP
#             socket whose receive buffer fills up (SOCKET_RCVBUFF)
#   tcp.nr    a TCP session of 1000 bytes each way, closed from both ends; refused
#             connects over IPv4 and IPv6 (TCP states on both ends)
#   path.nr   --profile path: a UDP datagram to a closed port and a short TCP session,
#             every packet with its transmit and receive points
#
# Between two namespaces nrsampPIDs (server, 10.250.78.1, fd00:250:78::1) and nrsampPIDc
# (client, .2), removed on exit. Afterwards: meson compile -C build
# update-recorded-goldens (the expected reports), and check the differences by eye.
set -eu
cd "$(dirname "$0")/../.."
build=${NETREC_BUILD:-build}	# the build directory to record with
NETREC=$PWD/$build/netrec
NRLOAD=$PWD/$build/tests/bench/nrload
OUT=$PWD/samples/recorded
S=${S:-nrsamp$$s}
C=${C:-nrsamp$$c}
NET=10.250.78
NET6=fd00:250:78
READY=${READY:-$(mktemp -u /tmp/nrsamp.XXXXXX)}
# shellcheck source=../../tests/bench/netns.sh
. tests/bench/netns.sh

# the scenarios, run by netrec as its COMMAND
session() {	# PORT BYTES
	ip netns exec "$S" "$NRLOAD" serve -q -n 1 --dst "$NET.1" --dport "$1" \
		--ready-file "$READY.$1" &
	for _ in $(seq 100); do
		[ -s "$READY.$1" ] && break
		sleep 0.02
	done
	"$NRLOAD" tcp-session -q --remote --netns "$C" --dst "$NET.1" --dport "$1" \
		--sport 40000 -b "$2" -s "$2"
	wait
	rm -f "$READY.$1"
}
case "${1:-}" in
drops)
	"$NRLOAD" udp-closed -q --netns "$C" --dst "$NET.1" --dport 9 --sport 40001 -n 20
	"$NRLOAD" udp-send -q --netns "$C" --dst "$NET.1" --dport 7777 --sport 40002 -n 10
	"$NRLOAD" tcp-closed -q --netns "$C" --dst "$NET.1" --dport 81 -n 3
	"$NRLOAD" udp-fill -q --netns "$S" --dst "$NET.1" -n 12
	exit 0 ;;
tcp)
	session 5001 1000
	"$NRLOAD" tcp-closed -q --netns "$C" --dst "$NET.1" --dport 81 --sport 40003 -n 1
	"$NRLOAD" tcp-closed -q --netns "$C" --dst "$NET6::1" --dport 81 --sport 40004 -n 1
	exit 0 ;;
path)
	"$NRLOAD" udp-closed -q --netns "$C" --dst "$NET.1" --dport 9 --sport 40005 -n 1
	session 5002 100
	exit 0 ;;
esac

if [ "$(id -u)" -ne 0 ]; then
	echo "record.sh: needs root" >&2
	exit 1
fi
trap bench_ns_cleanup EXIT
trap 'exit 1' INT TERM
bench_ns_add "$S"
bench_ns_add "$C"
for ns in "$S" "$C"; do	# no IPv6 chatter: only the scenario's packets
	ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.router_solicitations=0 \
		net.ipv6.conf.default.router_solicitations=0 \
		net.ipv6.conf.default.mldv2_unsolicited_report_interval=0 \
		net.ipv6.conf.default.addr_gen_mode=1
done
bench_veth "$S" "${S}0" "$C" "${C}0" 78
ip -n "$S" link set "${S}0" multicast off
ip -n "$C" link set "${C}0" multicast off
ip netns exec "$S" nft -f - <<EOF2
table inet nrsamp {
	chain input {
		type filter hook input priority filter; policy accept;
		udp dport 7777 drop
	}
}
EOF2
export S C NET NET6 NRLOAD READY
rec() {	# NAME [OPTIONS...]
	local name=$1
	shift
	"$NETREC" record -q -o "$OUT/$name.nr" "$@" -- "$0" "$name"
	rm -f "$OUT/$name.nr.old"
	chmod 644 "$OUT/$name.nr"	# a sample to share, not a private trace
	echo "recorded $OUT/$name.nr: $(stat -c %s "$OUT/$name.nr") bytes"
}
rec drops --filter "net $NET.0/24"
rec tcp --filter "net $NET.0/24 or net $NET6::/64"
rec path --profile path --filter "net $NET.0/24"
