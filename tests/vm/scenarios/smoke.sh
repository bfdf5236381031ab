#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# smoke.sh (guest) - the whole chain on the stock kernel: two namespaces joined by veth,
# each kind of traffic netrec explains (ping, a TCP session, a UDP datagram to a closed
# port, nftables drop and reject), netrec itself, and kprobe, kretprobe, fentry and fexit
# programs loaded (bpftool) and attached (vm-attach) while the traffic runs.
# smoke.check reads what comes back in $NETREC_OUT on the host.
#
# vm-timeout: 120
# vm-bin: @BUILD/tests/vm/vm-attach?:/usr/local/bin/vm-attach
# vm-file: @BUILD/tests/vm/vm_probes.bpf.o?:/vm/files/vm_probes.bpf.o
# shellcheck source=SCRIPTDIR/../lib.sh
. /vm/lib.sh
# shellcheck source=SCRIPTDIR/../netns.sh
. /vm/netns.sh

OBJ=/vm/files/vm_probes.bpf.o
B=$VM_B

# nft_packets RULESET_FILE PORT: packets counted by the rule for tcp dport PORT
nft_packets() {
	sed -n "s/.*dport $2 counter packets \([0-9]*\) .*/\1/p" "$1"
}

# The traffic, run on its own or under vm-attach (then it is "$0 traffic").
traffic() {
	in_b cat /proc/net/snmp >/tmp/snmp_b.0
	in_a cat /proc/net/snmp >/tmp/snmp_a.0

	in_a ping -c 3 -i 0.2 -W 2 "$B" >/tmp/ping.txt 2>&1
	vm_grep ping /tmp/ping.txt '^3 packets transmitted, 3 packets received'
	in_a ping -6 -c 1 -W 2 "$VM_B6" >/tmp/ping6.txt 2>&1
	vm_grep ping6 /tmp/ping6.txt '^1 packets transmitted, 1 packets received'

	# one TCP session, 13 bytes from A to B
	(in_b nc -l -p 5001 >/tmp/tcp.recv) &
	srv=$!
	vm_wait_listen vmb 5001
	echo hello-netrec | in_a nc "$B" 5001
	wait $srv
	vm_expect tcp-payload "$(cat /tmp/tcp.recv)" = hello-netrec

	# one UDP datagram to a port nobody listens on (nslookup sends one query, gets
	# ICMP port unreachable back)
	in_a nslookup -timeout=1 netrec.test "$B" >/dev/null 2>&1

	# nftables in B: drop to 5002, reject (TCP reset) to 5003
	in_b "$NFT" -f - <<EOF
table inet vmtest {
	chain input {
		type filter hook input priority 0; policy accept;
		tcp dport 5002 counter drop
		tcp dport 5003 counter reject with tcp reset
	}
}
EOF
	in_a nc -w 1 "$B" 5003 </dev/null 2>/dev/null && vm_fail nft-reject "connect to 5003 succeeded"
	in_a nc -w 1 "$B" 5002 </dev/null 2>/dev/null && vm_fail nft-drop "connect to 5002 succeeded"
	in_b "$NFT" list ruleset >"$NETREC_OUT/ruleset.txt"
	vm_expect nft-reject "$(nft_packets "$NETREC_OUT/ruleset.txt" 5003)" -eq 1
	vm_expect nft-drop "$(nft_packets "$NETREC_OUT/ruleset.txt" 5002)" -ge 1

	if [ -x /usr/local/bin/nrload ]; then
		in_a nrload udp-closed -n 5 --dst "$B" --dport 9 >"$NETREC_OUT/nrload.txt" 2>&1 ||
			vm_fail nrload "nrload udp-closed exited $?"
		udp_expected=6
	else
		vm_skip nrload "nrload not built"
		udp_expected=1
	fi

	in_b cat /proc/net/snmp >/tmp/snmp_b.1
	in_a cat /proc/net/snmp >/tmp/snmp_a.1
	cp /tmp/snmp_* "$NETREC_OUT/"
	vm_expect udp-noports \
		$(($(vm_snmp /tmp/snmp_b.1 Udp NoPorts) - $(vm_snmp /tmp/snmp_b.0 Udp NoPorts))) \
		-eq $udp_expected
	# A's side of TCP: the session, the rejected and the dropped connect; only the reset
	# counts as a failed attempt (a SYN_SENT socket closed by its owner does not). B's
	# PassiveOpens is not exact: with 2 CPUs the handshake's last ACK and the first data
	# segment can race to create the child socket, and the loser is counted too.
	vm_expect tcp-active-opens \
		$(($(vm_snmp /tmp/snmp_a.1 Tcp ActiveOpens) - $(vm_snmp /tmp/snmp_a.0 Tcp ActiveOpens))) \
		-eq 3
	vm_expect tcp-attempt-fails \
		$(($(vm_snmp /tmp/snmp_a.1 Tcp AttemptFails) - $(vm_snmp /tmp/snmp_a.0 Tcp AttemptFails))) \
		-eq 1
}

if [ "${1:-}" = traffic ]; then
	traffic
	exit 0
fi

vm_expect kernel-btf "$(test -s /sys/kernel/btf/vmlinux && echo yes)" = yes
vm_expect kprobes-enabled "$(cat /sys/kernel/debug/kprobes/enabled 2>/dev/null)" = 1

vm_netns_up || exit 0

netrec --version >"$NETREC_OUT/version.txt" 2>&1
vm_grep netrec-version "$NETREC_OUT/version.txt" '^netrec [0-9]'
if netrec probes >"$NETREC_OUT/probes.txt" 2>&1; then
	vm_pass netrec-probes
elif grep -q 'not in this build' "$NETREC_OUT/probes.txt"; then
	vm_skip netrec-probes "$(cat "$NETREC_OUT/probes.txt")"
else
	vm_fail netrec-probes "'netrec probes' failed: $(tail -n 1 "$NETREC_OUT/probes.txt")"
fi

if [ -f "$OBJ" ] && [ -x /usr/local/bin/vm-attach ]; then
	# load through bpftool (its own loader), then attach all four with vm-attach
	# while the traffic runs; smoke.check judges vm-attach's report
	vm_run bpftool-loadall bpftool prog loadall "$OBJ" /sys/fs/bpf/vmp &&
		bpftool prog show >"$NETREC_OUT/bpftool-progs.txt" 2>&1
	rm -rf /sys/fs/bpf/vmp
	vm-attach "$OBJ" /bin/sh "$0" traffic >"$NETREC_OUT/attach.txt" 2>"$NETREC_OUT/attach.err" ||
		vm_fail vm-attach "vm-attach exited $?: $(tail -n 1 "$NETREC_OUT/attach.err")"
else
	vm_skip bpf "no vm_probes.bpf.o or vm-attach (built only with BPF support)"
	traffic
fi
exit 0
