# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=bash
#
# record_lib.sh - sourced by the live tests of `netrec record` (record_*.sh), which are
# called as: record_X.sh NETREC NRLOAD
#
# Gives them:
#   - a skip (exit 77, with the reason) without root, BTF, the tools, or a netrec that
#     can record;
#   - two namespaces joined by veth (tests/bench/netns.sh), named recPIDa and recPIDb:
#       $A: $IF_A = 10.250.9.1/24, fd00:250:9::1/64     $B: $IF_B = 10.250.9.2, ::2
#     with permanent neighbours (no ARP or ND in the counts) and no IPv6 chatter,
#     removed on any exit with everything else the test made ($T, a temporary
#     directory);
#   - check/contains/summary for exact assertions, and rec/j for running netrec.
set -u

NETREC=$1
# shellcheck disable=SC2034 # used by the scripts that source this file
NRLOAD=$2
LIVE_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=../bench/netns.sh
. "$LIVE_DIR/../bench/netns.sh"

skip() {
	echo "SKIP: $*"
	exit 77
}

[ "$(id -u)" -eq 0 ] || skip "not root"
[ -r /sys/kernel/btf/vmlinux ] || skip "kernel lacks BTF (/sys/kernel/btf/vmlinux)"
for tool in ip jq nft; do
	command -v "$tool" >/dev/null 2>&1 || skip "$tool not installed"
done
if ! "$NETREC" record --help >/dev/null 2>&1; then
	skip "this netrec cannot record ($("$NETREC" record --help 2>&1 | head -n 1))"
fi

A="rec$$a"
B="rec$$b"
IF_A="rec$$a0"
IF_B="rec$$b0"
# shellcheck disable=SC2034 # used by the scripts that source this file
{
	IP_A=10.250.9.1
	IP_B=10.250.9.2
	IP6_A=fd00:250:9::1
	IP6_B=fd00:250:9::2
}
T=$(mktemp -d /tmp/record_live.XXXXXX)
LIVE_PIDS=""

record_cleanup() {
	local p
	for p in $LIVE_PIDS; do
		kill -9 "$p" 2>/dev/null
	done
	bench_ns_cleanup
	# a tmpfs a test mounted under $T
	grep -q " $T/" /proc/mounts 2>/dev/null &&
		awk -v t="$T/" 'index($2, t) == 1 { print $2 }' /proc/mounts | xargs -r umount -l
	rm -rf "$T"
	return 0
}
trap record_cleanup EXIT
trap 'exit 1' INT TERM

# quiet namespaces: no router solicitations, no MLD reports, no link-local addresses,
# so that the only packets are the test's (a fresh interface otherwise sends IPv6
# multicast for seconds, which the peer drops)
quiet_ns() {
	ip netns exec "$1" sysctl -qw net.ipv6.conf.all.router_solicitations=0 \
		net.ipv6.conf.default.router_solicitations=0 \
		net.ipv6.conf.default.mldv2_unsolicited_report_interval=0 \
		net.ipv6.conf.default.addr_gen_mode=1
}
if ! { bench_ns_add "$A" && bench_ns_add "$B" && quiet_ns "$A" && quiet_ns "$B" &&
	bench_veth "$A" "$IF_A" "$B" "$IF_B" 9 &&
	ip -n "$A" link set "$IF_A" multicast off && ip -n "$B" link set "$IF_B" multicast off; }
then
	echo "FAIL: cannot make the namespaces"
	exit 1
fi

pass=0
fail=0

# check WHAT EXPECTED GOT
check() {
	if [ "$2" = "$3" ]; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "FAIL: $1: expected '$2', got '$3'"
	fi
}

# contains WHAT NEEDLE HAYSTACK
contains() {
	case "$3" in
	*"$2"*) pass=$((pass + 1)) ;;
	*) fail=$((fail + 1)); echo "FAIL: $1: '$2' not in '$3'" ;;
	esac
}

# rec FILE [OPTIONS...] [-- COMMAND...]: netrec record -q -o FILE ...; stderr in $T/rec.err
rec() {
	local f=$1
	shift
	"$NETREC" record -q -o "$f" "$@" 2>"$T/rec.err"
}

# rec_failed WHAT: a recording that had to work did not
rec_failed() {
	fail=$((fail + 1))
	echo "FAIL: record ($1): $(cat "$T/rec.err")"
}

# j FILE JQ-EXPR: a value of `netrec report FILE --json`
j() {
	"$NETREC" report "$1" --json | jq -r "$2"
}

# drops_to FILE PORT: NO_SOCKET... any reason: drops whose flow goes to dport PORT
drops_to() {
	j "$1" "[.drops[].flows[] | select(.dport == $2) | .count] | add // 0"
}

# in_b COMMAND...: run in namespace B (and in_a for A)
in_a() { ip netns exec "$A" "$@"; }
in_b() { ip netns exec "$B" "$@"; }

summary() {
	echo "$pass passed, $fail failed"
	[ "$fail" -eq 0 ]
}
