#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# demo.sh - the README's first command: set up and build (tools/setup.sh), then record a
# known mix of network trouble between two network namespaces and print the report.
#
#   netns nrdemoPIDs (server, 10.250.77.1) <-veth-> nrdemoPIDc (client, 10.250.77.2)
#   in the server namespace an nftables rule drops UDP to port 7777
#
# The scenario, recorded with `netrec record -o build/demo.nr -- <scenario>`:
#   20 UDP datagrams to port 9, where nothing listens        -> 20 drops NO_SOCKET
#   15 UDP datagrams to port 7777, dropped by the rule       -> 15 drops NETFILTER_DROP
#    3 TCP connects to port 81, closed                       -> refused connections
#    1 TCP session: 64 KiB each way, closed from both ends   -> its states on both ends
#    a UDP socket whose receive buffer fills up              -> drops SOCKET_RCVBUFF
# The namespaces are removed on any exit. Output: build/demo.nr (or $NETREC_DEMO_OUT).
# Needs root (sudo tools/demo.sh).
set -eu
cd "$(dirname "$0")/.."

# the scenario: netrec runs it as its COMMAND once the probes are attached, with the
# namespaces' names in the environment
if [ "${1:-}" = scenario ]; then
	ready=$READY
	"$NRLOAD" udp-closed -q --netns "$C" --dst "$NET.1" --dport 9 -n 20
	"$NRLOAD" udp-send -q --netns "$C" --dst "$NET.1" --dport 7777 -n 15
	"$NRLOAD" tcp-closed -q --netns "$C" --dst "$NET.1" --dport 81 -n 3
	ip netns exec "$S" "$NRLOAD" serve -q -n 1 --dst "$NET.1" --dport 5001 \
		--ready-file "$ready" &
	for _ in $(seq 100); do
		[ -s "$ready" ] && break
		sleep 0.02
	done
	"$NRLOAD" tcp-session -q --remote --netns "$C" --dst "$NET.1" --dport 5001
	wait
	"$NRLOAD" udp-fill -q --netns "$S" --dst "$NET.1" -n 2000
	exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
	echo "demo: needs root: the recorder loads BPF programs (sudo tools/demo.sh)" >&2
	exit 1
fi
tools/setup.sh

NETREC=$PWD/build/netrec
NRLOAD=$PWD/build/tests/bench/nrload
OUT=${NETREC_DEMO_OUT:-build/demo.nr}
S="nrdemo$$s"
C="nrdemo$$c"
NET=10.250.77
READY=$PWD/build/demo-ready.$$
# shellcheck source=../tests/bench/netns.sh
. tests/bench/netns.sh

cleanup() {
	bench_ns_cleanup
	rm -f "$READY"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

bench_ns_add "$S"
bench_ns_add "$C"
bench_veth "$S" "${S}0" "$C" "${C}0" 77
ip netns exec "$S" nft -f - <<EOF
table inet nrdemo {
	chain input {
		type filter hook input priority filter; policy accept;
		udp dport 7777 counter drop
	}
}
EOF

echo "demo: recording the scenario into $OUT" >&2
export S C NET NRLOAD READY
"$NETREC" record -o "$OUT" --filter "net $NET.0/24" -- "$0" scenario
echo >&2
"$NETREC" report "$OUT"
echo >&2
echo "demo: the trace is $OUT: try 'build/netrec report $OUT --json', " \
	"'build/netrec report $OUT --packets', 'build/netrec info $OUT'" >&2
