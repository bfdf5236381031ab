#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# bpf_probes.sh (guest) - the probes on the stock 6.1 kernel: the live tests of the BPF
# side (tests/live/test_probes, test_limits, test_paths) run unchanged in the guest. They
# load every probe with each mechanism (tp_btf, raw_tp, classic tracepoint) against this
# kernel's BTF and tracefs layouts (kfree_skb without rx_sk, consume_skb without its
# location, tcp_send_reset without a reason, other drop-reason numbers) and check the
# records exactly, with the reason values read from this kernel's BTF.
#
# vm-timeout: 400
# vm-bin: @BUILD/tests/live/test_probes?:/usr/local/bin/test_probes @BUILD/tests/live/test_limits?:/usr/local/bin/test_limits @BUILD/tests/live/test_paths?:/usr/local/bin/test_paths
# shellcheck source=SCRIPTDIR/../lib.sh
. /vm/lib.sh

for t in test_probes test_limits test_paths; do
	if [ ! -x "/usr/local/bin/$t" ]; then
		vm_skip "$t" "not built (needs BPF support)"
		continue
	fi
	# busybox would run its own ip applet, which has no veth and no netns
	NR_IP=/sbin/ip "/usr/local/bin/$t" >"$NETREC_OUT/$t.txt" 2>&1
	rc=$?
	if [ "$rc" -eq 0 ]; then
		vm_pass "$t"
		vm_info "$t: $(tail -n 1 "$NETREC_OUT/$t.txt")"
	else
		vm_fail "$t" "exit $rc: $(grep -c ': ' "$NETREC_OUT/$t.txt") failures, last: " \
			"$(grep ': ' "$NETREC_OUT/$t.txt" | tail -n 1)"
	fi
done
exit 0
