# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=sh
#
# netns.sh - guest helpers for scenarios: two network namespaces, vma and vmb, joined by
# the veth pair vma0 <-> vmb0, with IPv4 and IPv6 addresses, lo up in both.
# Sourced after lib.sh. Each `ip` exec costs 0.15-0.3 s under TCG, so the setup is three
# `ip -batch` runs. ip and nft are called by full path: busybox's applets shadow them.

# shellcheck disable=SC2034 # used by the scenarios that source this file
{
	IP=/sbin/ip
	NFT=/usr/sbin/nft
	VM_A=10.199.0.1
	VM_B=10.199.0.2
	VM_A6=fd00:199::1
	VM_B6=fd00:199::2
}

in_a() {
	"$IP" netns exec vma "$@"
}

in_b() {
	"$IP" netns exec vmb "$@"
}

vm_netns_setup_() {
	"$IP" -batch - <<EOF || return 1
netns add vma
netns add vmb
link add vma0 netns vma type veth peer name vmb0 netns vmb
EOF
	"$IP" -n vma -batch - <<EOF || return 1
link set lo up
addr add $VM_A/24 dev vma0
addr add $VM_A6/64 dev vma0 nodad
link set vma0 up
EOF
	"$IP" -n vmb -batch - <<EOF
link set lo up
addr add $VM_B/24 dev vmb0
addr add $VM_B6/64 dev vmb0 nodad
link set vmb0 up
EOF
}

# vm_netns_up: make the two namespaces; reports the check "netns" and returns non-zero
# when they could not be made
vm_netns_up() {
	vm_run netns vm_netns_setup_
}

# vm_netns_down: remove the two namespaces (and with them the veth pair), so that the
# next scenario can make them again
vm_netns_down() {
	"$IP" netns del vma 2>/dev/null
	"$IP" netns del vmb 2>/dev/null
	return 0
}

# vm_snmp FILE GROUP FIELD: a counter from a saved copy of /proc/net/snmp (e.g. Udp
# NoPorts), whose groups are a line of names followed by a line of values
vm_snmp() {
	awk -v g="$2:" -v f="$3" '$1 == g && !h { for (i = 2; i <= NF; i++) c[$i] = i; h = 1; next }
		$1 == g && h { print $c[f]; exit }' "$1"
}

# vm_wait_listen NS PORT: wait up to 5 s for a TCP listener on PORT in namespace NS
vm_wait_listen() {
	vm_n_=0
	while ! "$IP" netns exec "$1" netstat -ltn 2>/dev/null | grep -q ":$2 "; do
		vm_n_=$((vm_n_ + 1))
		[ $vm_n_ -lt 50 ] || return 1
		usleep 100000
	done
}
