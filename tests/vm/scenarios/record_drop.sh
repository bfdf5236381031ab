#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# record_drop.sh (guest) - record drops on the stock 6.1 kernel with netrec, bring the
# trace back; record_drop.check reports it on the host (another kernel, other drop-reason
# numbers) and checks the reasons by name
#
# Traffic, recorded with `netrec record -o drop.nr -- CMD` (the command-mode form that
# DESIGN.md gives), from namespace vma to vmb over veth:
#   3 ICMP echo requests dropped by an nftables rule in vmb    -> NETFILTER_DROP x3
#   1 UDP datagram to a port nobody listens on (nslookup)      -> NO_SOCKET x1
# Until `netrec record` is in the build this reports SKIP and so does the host check.
#
# vm-timeout: 120
# shellcheck source=SCRIPTDIR/../lib.sh
. /vm/lib.sh
# shellcheck source=SCRIPTDIR/../netns.sh
. /vm/netns.sh

traffic() {
	in_a ping -c 3 -i 0.2 -W 1 "$VM_B" >/dev/null 2>&1
	in_a nslookup -timeout=1 netrec.test "$VM_B" >/dev/null 2>&1
	return 0
}

if [ "${1:-}" = traffic ]; then
	traffic
	exit 0
fi

if netrec record --help >/tmp/record-help.txt 2>&1; then
	:
elif grep -q -e 'not in this build' -e "unknown command 'record'" /tmp/record-help.txt; then
	vm_skip record "$(head -n 1 /tmp/record-help.txt)"
	exit 0
fi

vm_netns_up || exit 0
in_b "$NFT" -f - <<EOF
table inet vmtest {
	chain input {
		type filter hook input priority 0; policy accept;
		icmp type echo-request counter drop
	}
}
EOF

vm_run record netrec record -o "$NETREC_OUT/drop.nr" -- /bin/sh "$0" traffic
vm_expect trace-size "$(stat -c %s "$NETREC_OUT/drop.nr" 2>/dev/null || echo 0)" -gt 0
in_b "$NFT" list ruleset >"$NETREC_OUT/ruleset.txt"
vm_grep nft-dropped "$NETREC_OUT/ruleset.txt" 'echo-request counter packets 3 '
vm_netns_down
exit 0
