#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# record_paths.sh NETREC NRLOAD - `--profile path`: each packet of a UDP and of a TCP
# exchange between the namespaces of record_lib.sh shows the transmit points on the
# sender's veth and the receive points on the receiver's, in the order the kernel goes
# through them (veth hands the skb over inside its transmit, so the receiver's netif_rx
# comes before the sender's net_dev_xmit); packets are followed by skb address from
# their first sighting (record_paths.jq over `netrec dump --json`):
#   UDP B -> A:6001, a listening socket: tx on B, rx on A, then (UDP copies with the
#     checksum, no tracepoint) at most its free, no drop
#   UDP B -> A:9, no socket: tx on B, rx on A, dropped (also in the report's packets)
#   TCP B -> A:6002 session, 100 bytes each way: SYN, SYN-ACK and each data segment
#   --probe net:netif_receive_skb on the drops profile: each drop's path is that point
#     and the drop; --snaplen 40 cuts snapshots at 40 bytes, --snaplen 0 takes none
. "$(dirname "$0")/record_lib.sh"

export NRLOAD A B IP_A T
tx() { echo "net:net_dev_queue@$1 net:net_dev_start_xmit@$1 net:netif_rx@$2 net:net_dev_xmit@$1 net:netif_receive_skb@$2"; }
AB=$(tx "$IF_B" "$IF_A")
BA=$(tx "$IF_A" "$IF_B")

# path PACKET-SELECTOR: the paths of the packets the jq selector picks, one per line
path() {
	"$NETREC" dump --json "$f" | jq -s -c -f "$LIVE_DIR/record_paths.jq" |
		jq -r "select(.packet != null) | select($1) | .path | join(\" \")"
}

# delivered PACKET-SELECTOR: the same without the packet's free at the end, which only
# some frees show: a socket's reader on another CPU than the one the skb came from hands
# it back there (skb_attempt_defer_free), and that free is traced as consume_skb; one on
# the same CPU frees it directly, untraced
delivered() {
	path "$1" | sed 's/ skb:consume_skb@-$//'
}

f=$T/udp.nr
exchange='in_a "$NRLOAD" serve -q --proto udp -n 1 --dst $IP_A --dport 6001 \
	--ready-file $T/ready & for i in $(seq 100); do [ -s $T/ready ] && break; sleep 0.02; done;
	"$NRLOAD" udp-send -q -n 1 --netns $B --dst $IP_A --dport 6001 --sport 40301 &&
	"$NRLOAD" udp-closed -q -n 1 --netns $B --dst $IP_A --dport 9 --sport 40302; wait'
export -f in_a
if rec "$f" --profile path --filter "udp and host $IP_A" -- bash -c "$exchange"; then
	check "udp delivered" "$AB" "$(delivered '.packet.dport == 6001')"
	check "udp to a closed port" "$AB skb:kfree_skb@$IF_A" "$(path '.packet.dport == 9')"
	check "udp: the report's path of the drop" \
		"net:net_dev_queue net:net_dev_start_xmit net:netif_rx net:net_dev_xmit net:netif_receive_skb skb:kfree_skb" \
		"$(j "$f" '[.packets[0].path[].probe] | join(" ")')"
else
	rec_failed "udp"
fi

f=$T/tcp.nr
session='in_a "$NRLOAD" serve -q -n 1 --dst $IP_A --dport 6002 --ready-file $T/ready2 &
	for i in $(seq 100); do [ -s $T/ready2 ] && break; sleep 0.02; done;
	"$NRLOAD" tcp-session -q --remote --netns $B --dst $IP_A --dport 6002 --sport 40303 \
		-b 100 -s 100; wait'
if rec "$f" --profile path --filter "tcp port 6002" -- bash -c "$session"; then
	check "tcp SYN" "$AB skb:consume_skb@-" "$(path '.packet.tcp_flags == "SYN"')"
	check "tcp SYN-ACK" "$BA" "$(path '.packet.tcp_flags == "SYN,ACK"')"
	check "tcp client data" "$AB skb:skb_copy_datagram_iovec@-" \
		"$(delivered '.packet.tcp_flags == "PSH,ACK" and .packet.sport == 40303')"
	check "tcp server data" "$BA skb:skb_copy_datagram_iovec@-" \
		"$(delivered '.packet.tcp_flags == "PSH,ACK" and .packet.sport == 6002')"
	check "tcp: every packet crossed the veth" 0 "$("$NETREC" dump --json "$f" |
		jq -s -c -f "$LIVE_DIR/record_paths.jq" | jq -r 'select(.packet.proto == "tcp") |
		.path | join(" ")' | grep -v -c -e "^$AB" -e "^$BA")"
else
	rec_failed "tcp"
fi

# one more probe on the drops profile; snapshot lengths
f=$T/probe.nr
if rec "$f" --probe net:netif_receive_skb --snaplen 40 --filter "udp and host $IP_A" -- \
	"$NRLOAD" udp-closed -q -n 3 --netns "$B" --dst "$IP_A" --dport 9; then
	check "--probe: the added point before each drop" \
		"net:netif_receive_skb skb:kfree_skb" "$(j "$f" '[.packets[] |
		[.path[].probe] | join(" ")] | unique | join(",")')"
	check "--snaplen 40: snapshots cut at 40 bytes" 40 "$("$NETREC" dump --json "$f" |
		jq -s '[.[] | select(.type == "pkt") | .snap_len] | max')"
else
	rec_failed "--probe"
fi
f=$T/nosnap.nr
if rec "$f" --netns "$A" --snaplen 0 -- "$NRLOAD" udp-closed -q -n 3 --netns "$B" \
	--dst "$IP_A" --dport 9; then
	check "--snaplen 0: no snapshot" 0 "$("$NETREC" dump --json "$f" |
		jq -s '[.[] | select(.type == "pkt") | .snap_len] | max')"
	check "--snaplen 0: the drops still" 3 "$(j "$f" .totals.drops)"
else
	rec_failed "--snaplen 0"
fi

summary
