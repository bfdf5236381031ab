#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# record_crash.sh NETREC NRLOAD - what a recording leaves when it cannot end normally,
# and where its file can be read (namespaces from record_lib.sh):
#   kill -9: while B sends a steady 1000 datagrams/s to A's closed port, the recorder is
#     killed after 2.5 s; `netrec info` says the file was not closed cleanly and how many
#     events it holds (about 2 s of them: chunks are sealed every second), `netrec report`
#     reads it and counts exactly the NO_SOCKET drops `netrec dump` shows
#   disk full: recording a drop storm onto a 512 KiB tmpfs stops with one line naming the
#     file and "no space left on device", exit status 1, COMMAND stopped, and the file
#     reads (info and report exit 0)
#   portability: a file recorded here gives byte-identical `report --json` and `info`
#     with /proc/kallsyms and /sys/kernel/btf/vmlinux unreadable (a mount namespace with
#     both covered), as do the recorded samples in samples/recorded
. "$(dirname "$0")/record_lib.sh"

# 1. kill -9 during a steady stream
f=$T/killed.nr
"$NETREC" record -q -o "$f" --netns "$A" 2>"$T/rec.err" &
rpid=$!
LIVE_PIDS="$LIVE_PIDS $rpid"
"$NRLOAD" udp-closed -q --netns "$B" --dst "$IP_A" --dport 9 -n 0 --rate 1000 -d 4s &
lpid=$!
LIVE_PIDS="$LIVE_PIDS $lpid"
sleep 2.5
kill -9 $rpid
wait $rpid 2>/dev/null
kill $lpid 2>/dev/null
wait $lpid 2>/dev/null
info=$("$NETREC" info --json "$f" 2>/dev/null)
check "kill -9: info exit status" 0 $?
check "kill -9: not closed cleanly" false "$(echo "$info" | jq .clean_close)"
events=$(echo "$info" | jq .events)
check "kill -9: holds the events of complete chunks" true \
	"$([ "${events:-0}" -ge 900 ] && [ "${events:-0}" -le 2600 ] && echo true ||
	echo "false ($events)")"
contains "kill -9: info text says so" "NOT cleanly" "$("$NETREC" info "$f" 2>&1)"
"$NETREC" report "$f" --json >"$T/killed.json" 2>/dev/null
check "kill -9: report exit status" 0 $?
dumped=$("$NETREC" dump "$f" 2>/dev/null | grep -c 'skb:kfree_skb reason=NO_SOCKET')
check "kill -9: report counts what the file holds" "$dumped" \
	"$(jq '[.drops[] | select(.reason == "NO_SOCKET") | .count] | add' "$T/killed.json")"
check "kill -9: a second of events or more" true "$([ "$dumped" -ge 900 ] && echo true ||
	echo "false ($dumped)")"

# 2. a full disk
mkdir "$T/small"
if mount -t tmpfs -o size=512k recsmall "$T/small"; then
	f=$T/small/full.nr
	start=$(date +%s)
	"$NETREC" record -q -o "$f" --netns "$A" -- "$NRLOAD" udp-closed -q --netns "$B" \
		--dst "$IP_A" --dport 9 -n 0 -d 60s 2>"$T/rec.err"
	rc=$?
	check "disk full: exit status" 1 "$rc"
	check "disk full: one line" 1 "$(grep -c . "$T/rec.err")"
	contains "disk full: names the file" "$f" "$(cat "$T/rec.err")"
	contains "disk full: says why" "no space left on device" "$(cat "$T/rec.err")"
	check "disk full: stopped at once, COMMAND too" true \
		"$([ $(($(date +%s) - start)) -lt 30 ] && echo true || echo false)"
	check "disk full: info reads it" 0 "$("$NETREC" info "$f" >/dev/null 2>&1; echo $?)"
	check "disk full: report reads it" 0 \
		"$("$NETREC" report "$f" --json >"$T/full.json" 2>/dev/null; echo $?)"
	check "disk full: drops in it" true "$(jq '.totals.drops > 10000' "$T/full.json")"
	check "disk full: mode" 600 "$(stat -c %a "$f")"
	umount "$T/small"
else
	echo "note: cannot mount a tmpfs, disk-full case not run"
fi

# 3. portability: the analysis never reads the machine it runs on
f=$T/port.nr
rec "$f" --netns "$A" -- bash -c "'$NRLOAD' udp-closed -q --netns $B --dst $IP_A --dport 9 \
	-n 30 && '$NRLOAD' tcp-closed -q --netns $B --dst $IP_A --dport 81 -n 2"
files=("$f")
for s in "$LIVE_DIR"/../../samples/recorded/*.nr; do
	[ -e "$s" ] && files+=("$s")
done
for g in "${files[@]}"; do
	"$NETREC" report "$g" --json >"$T/normal.json"
	"$NETREC" info "$g" >"$T/normal.info"
	unshare -m bash -c "mount --bind /dev/null /proc/kallsyms &&
		mount -t tmpfs none /sys/kernel/btf &&
		! cat /proc/kallsyms | grep -q . && [ ! -e /sys/kernel/btf/vmlinux ] &&
		'$NETREC' report '$g' --json >'$T/blind.json' && '$NETREC' info '$g' >'$T/blind.info'"
	check "$(basename "$g"): analysed without kallsyms and BTF" 0 $?
	check "$(basename "$g"): the same report" same \
		"$(cmp -s "$T/normal.json" "$T/blind.json" && echo same || echo different)"
	check "$(basename "$g"): the same info" same \
		"$(cmp -s "$T/normal.info" "$T/blind.info" && echo same || echo different)"
done
check "portability: the recorded file has its symbols" true \
	"$("$NETREC" report "$f" --json | jq '.drops[0].location | startswith("__udp4_lib_rcv+")')"

summary
