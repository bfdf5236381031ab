#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# meta_netns.sh TEST [ARGS...] - run a meta live test in two network namespaces made for it
#
#   netns metaPIDa: lo, metaPIDa0 (veth, index 10, 02:6d:65:74:61:01) <-> metaPIDb0 in b,
#                   10.77.0.1/24, fd00:6d65::1/64;
#                   metaPIDbr (bridge, index 12, down);
#                   metaPIDa1 (veth, index 13) <-> metaPIDa2 (veth, index 14, in the bridge)
#   netns metaPIDb: lo, metaPIDb0 (veth, index 20, 02:6d:65:74:61:02),
#                   10.77.0.2/24, fd00:6d65::2/64
#
# The test gets the names in META_NS_A and META_NS_B, and META_NS_PREFIX (metaPID) for
# namespaces it makes itself. Every namespace named with the prefix (and with them the
# interfaces) is removed on any exit. Exit 77 (skip) without root or iproute2.
set -u

if [ "$(id -u)" -ne 0 ]; then
	echo "SKIP: not root"
	exit 77
fi
if ! command -v ip >/dev/null 2>&1; then
	echo "SKIP: iproute2 (ip) not installed"
	exit 77
fi

A="meta$$a"
B="meta$$b"
cleanup() {
	for ns in $(ip netns list 2>/dev/null | awk '{ print $1 }'); do
		case "$ns" in
		"meta$$"*) ip netns del "$ns" 2>/dev/null ;;
		esac
	done
	return 0
}
trap cleanup EXIT
trap 'exit 1' INT TERM

if ! ip netns add "$A" 2>/dev/null; then
	echo "SKIP: cannot create network namespaces"
	exit 77
fi
set -e
ip netns add "$B"
ip -n "$A" link add "${A}0" index 10 address 02:6d:65:74:61:01 type veth \
	peer name "${B}0" netns "$B" index 20 address 02:6d:65:74:61:02
ip -n "$A" link add "${A}br" index 12 type bridge
ip -n "$A" link add "${A}1" index 13 type veth peer name "${A}2" index 14
ip -n "$A" link set "${A}2" master "${A}br"
ip -n "$A" addr add 10.77.0.1/24 dev "${A}0"
ip -n "$A" addr add fd00:6d65::1/64 dev "${A}0" nodad
ip -n "$B" addr add 10.77.0.2/24 dev "${B}0"
ip -n "$B" addr add fd00:6d65::2/64 dev "${B}0" nodad
for ns in "$A" "$B"; do
	ip -n "$ns" link set lo up
done
ip -n "$A" link set "${A}0" up
ip -n "$B" link set "${B}0" up
set +e

META_NS_A="$A" META_NS_B="$B" META_NS_PREFIX="meta$$" "$@"
exit $?
