#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# nrload between two named namespaces joined by a veth pair (tests/bench/netns.sh, as the
# benchmark makes them): --netns, udp-nft against the nftables rule's own counter,
# udp-closed and tcp-closed across the pair, and serve + tcp-session --remote over IPv6.
# Root only; exits 77 (SKIP) otherwise. Namespaces are named bench-t<pid>-a/b and deleted
# on exit.
set -u
nrload=$1
here=$(dirname "$0")
. "$here/netns.sh"

if [ "$(id -u)" -ne 0 ]; then
	echo "SKIP: not root (makes network namespaces)"
	exit 77
fi
for t in ip nft; do
	command -v "$t" >/dev/null || { echo "SKIP: $t not installed"; exit 77; }
done

tmp=$(mktemp -d)
trap 'bench_ns_cleanup; rm -rf "$tmp"' EXIT
trap 'exit 1' INT TERM
a=bench-t$$-a
b=bench-t$$-b
fail=0

check() { # check WHAT GOT WANT
	if [ "$2" = "$3" ]; then echo "ok: $1"; else echo "FAIL: $1: got '$2', want '$3'"; fail=1; fi
}
field() { printf '%s\n' "$1" | sed -n "s/.*\"$2\":\([^,}]*\).*/\1/p"; }
counter() { "$nrload" counters --netns "$1" | awk -v n="$2" '$1 == n { print $2 }'; }

if ! { bench_ns_add "$a" && bench_ns_add "$b" && bench_veth "$a" bt$$a "$b" bt$$b 7 &&
	bench_nft_drop "$b" 9; }; then
	echo "SKIP: cannot set up namespaces, veth or nftables"
	exit 77
fi

# udp-nft: every datagram reaches b and the rule drops it
before=$(bench_nft_dropped "$b")
out=$("$nrload" udp-nft --netns "$a" --dst 10.250.7.2 --dport 9 -n 1000 -j)
check "udp-nft exit" "$?" 0
check "udp-nft sent" "$(field "$out" sent)" 1000
check "nft rule dropped = sent" "$(( $(bench_nft_dropped "$b") - before ))" 1000
out=$("$nrload" udp-nft --netns "$a" --dst fd00:250:7::2 --dport 9 -n 300 -j)
check "udp-nft ipv6 sent" "$(field "$out" sent)" 300
check "nft rule dropped = sent (ipv6)" "$(( $(bench_nft_dropped "$b") - before ))" 1300

# udp-closed across the pair: the drops and their counter are in b, not in a
nb=$(counter "$b" UdpNoPorts); na=$(counter "$a" UdpNoPorts)
out=$("$nrload" udp-closed --netns "$a" --dst 10.250.7.2 --dport 7777 -n 500 -j)
check "udp-closed across: sent" "$(field "$out" sent)" 500
check "UdpNoPorts in b" "$(( $(counter "$b" UdpNoPorts) - nb ))" 500
check "UdpNoPorts in a" "$(( $(counter "$a" UdpNoPorts) - na ))" 0

# tcp-closed across the pair, with --counters reporting a's side
out=$("$nrload" tcp-closed --netns "$a" --dst 10.250.7.2 --dport 7777 -n 50 -j --counters)
check "tcp-closed across: refused" "$(field "$out" refused)" 50
check "tcp-closed: TcpAttemptFails in a" "$(field "$out" TcpAttemptFails)" 50
check "tcp-closed: TcpOutRsts in b" "$(counter "$b" TcpOutRsts)" 50

# serve in b, one bulk session from a over IPv6
"$nrload" serve --netns "$b" --dst fd00:250:7::2 --dport 0 -n 1 -d 30s \
	--ready-file "$tmp/ready" -j >"$tmp/serve.out" &
spid=$!
i=0
while [ ! -s "$tmp/ready" ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
port=$(cat "$tmp/ready" 2>/dev/null)
out=$("$nrload" tcp-session --netns "$a" --dst fd00:250:7::2 --dport "${port:-0}" --remote \
	-b 2M -j)
check "tcp-session exit" "$?" 0
wait "$spid"
check "serve exit" "$?" 0
check "client bytes back" "$(field "$out" bytes_received)" 2097152
check "server bytes in" "$(field "$(cat "$tmp/serve.out")" bytes_received)" 2097152
check "TcpPassiveOpens in b" "$(counter "$b" TcpPassiveOpens)" 1

# a namespace that does not exist: one line, exit 1
err=$("$nrload" udp-closed --netns bench-t$$-none 2>&1 >/dev/null)
check "missing netns exit" "$?" 1
check "missing netns message" "$err" \
	"nrload: cannot open network namespace '/run/netns/bench-t$$-none': No such file or directory"
exit $fail
