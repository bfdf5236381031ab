#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# record_control.sh NETREC NRLOAD - steering `netrec record` and what it does around
# the recording, every count exact (namespaces from record_lib.sh; drops are NO_SOCKET
# drops of UDP datagrams from B to closed ports of A):
#   pause/resume: 10 sent, pause, 15 sent, resume, 20 sent: 30 drops in the file and 15
#     counted as paused; with SIGUSR1/SIGUSR2 and with the control FIFO (which also
#     takes marks and max-stacks, each a control record)
#   --rate-limit 10: 50 datagrams at once leave 10 drops and 40 rate-limited
#   stacks: 20 drops with --stack-sample 0 have 20 stacks; --max-stacks 3 leaves 3 and
#     counts 17 skipped
#   --buffer-size 8k and a burst of 20000: drops recorded + lost = 20000, and the last
#     line says which option would have prevented it
#   --pcap: the capture holds the 20 datagrams sent; `netrec pcap --beside` marks the
#     20 of them as dropped; the capture's counters are in the file
#   COMMAND: its exit status, 128 + signal when killed, 127 when it cannot run
#   --duration: stops by itself, with STOP "duration"
#   SIGTERM: stops, with STOP "signal", the file closed cleanly
#   an existing output is kept as FILE.old
. "$(dirname "$0")/record_lib.sh"

send() {	# PORT COUNT
	"$NRLOAD" udp-closed -q --netns "$B" --dst "$IP_A" --dport "$1" -n "$2"
}
export -f send
export NRLOAD A B IP_A IP_B T

# the recorder is COMMAND's parent: signals go to $PPID; a pause takes effect when netrec
# has read it, so each step waits a little before sending (the two ways are run as
# ${!how} below)
# shellcheck disable=SC2034,SC2016
signals='send 9 10 && sleep 0.3 && kill -USR1 $PPID && sleep 0.3 && send 10 15 &&
	sleep 0.3 && kill -USR2 $PPID && sleep 0.3 && send 11 20'
# shellcheck disable=SC2034,SC2016
fifo='send 9 10 && sleep 0.3 && echo pause > $T/ctl && sleep 0.3 && send 10 15 &&
	sleep 0.3 && printf "mark after the pause\nmax-stacks 5\nresume\n" > $T/ctl &&
	sleep 0.3 && send 11 20'
for how in signals fifo; do
	f=$T/pause-$how.nr
	opts=()
	[ $how = fifo ] && opts=(--control "$T/ctl")
	# --filter: only the test's datagrams count as paused, not what else A's namespace
	# does meanwhile (netlink, for one)
	if rec "$f" --netns "$A" --filter udp "${opts[@]}" -- bash -c "${!how}"; then
		check "pause ($how): before" 10 "$(drops_to "$f" 9)"
		check "pause ($how): while paused" 0 "$(drops_to "$f" 10)"
		check "pause ($how): after" 20 "$(drops_to "$f" 11)"
		check "pause ($how): counted as paused" 15 "$(j "$f" .coverage.paused)"
		want="pause resume stop"
		[ $how = fifo ] && want="pause mark:after the pause mark:max-stacks 5 resume stop"
		check "pause ($how): control records" "$want" "$(j "$f" '[.coverage.control[] |
			if .kind == "mark" then "mark:\(.text)" else .kind end] | join(" ")')"
		check "pause ($how): paused for a while" true \
			"$(j "$f" '.coverage.paused_ns > 500000000')"
	else
		rec_failed "pause, $how"
	fi
done
check "the FIFO made by netrec is removed" no "$([ -e "$T/ctl" ] && echo yes || echo no)"
touch "$T/notfifo"
rec "$T/none.nr" --control "$T/notfifo" -- true
check "--control on a regular file: exit status" 1 $?
contains "--control on a regular file: says so" "not a FIFO" "$(cat "$T/rec.err")"

# --rate-limit: the 50 datagrams go out within a millisecond, well inside one second
f=$T/rate.nr
if rec "$f" --netns "$A" --filter udp --rate-limit 10 -- bash -c 'send 9 50'; then
	check "rate limit: kept" 10 "$(j "$f" .totals.drops)"
	check "rate limit: counted" 40 "$(j "$f" .coverage.rate_limited)"
else
	rec_failed "rate limit"
fi

# stacks: every drop's with --stack-sample 0, a budget with --max-stacks
f=$T/stacks.nr
if rec "$f" --netns "$A" --filter udp --stack-sample 0 -- bash -c 'send 9 20'; then
	check "stacks: one per drop" 20 "$(j "$f" '.drops[0].with_stack')"
else
	rec_failed "stacks"
fi
f=$T/maxstacks.nr
if rec "$f" --netns "$A" --filter udp --stack-sample 0 --max-stacks 3 -- bash -c 'send 9 20'
then
	check "--max-stacks 3: stacks" 3 "$(j "$f" '.drops[0].with_stack')"
	check "--max-stacks 3: the others counted" 17 "$(j "$f" .coverage.stack_skipped)"
	check "--max-stacks 3: every drop still there" 20 "$(j "$f" .totals.drops)"
else
	rec_failed "max-stacks"
fi

# a ring buffer too small for a burst: what is lost is counted, exactly, and said
f=$T/lost.nr
if rec "$f" --netns "$A" --filter udp --buffer-size 8k -- bash -c 'send 9 20000'; then
	got=$(j "$f" .totals.drops)
	lost=$(j "$f" .totals.lost)
	check "small buffer: something lost" true "$([ "$lost" -gt 0 ] && echo true ||
		echo "false ($lost)")"
	check "small buffer: recorded + lost = sent" 20000 $((got + lost))
	check "small buffer: info agrees" "$lost" "$("$NETREC" info --json "$f" | jq .lost_total)"
	contains "small buffer: the advice" "a larger --buffer-size" "$(cat "$T/rec.err")"
else
	rec_failed "small buffer"
fi

# --pcap beside, on A's veth
f=$T/cap.nr
if rec "$f" --netns "$A" -i "$IF_A" --pcap "$T/cap.pcapng" -- bash -c 'send 9 20'; then
	check "pcap: the datagrams" 20 "$(tshark -r "$T/cap.pcapng" \
		-Y 'udp.dstport == 9 && !icmp' 2>/dev/null | wc -l)"
	check "pcap: mode" 600 "$(stat -c %a "$T/cap.pcapng")"
	check "pcap: counters in the file" "$(tshark -r "$T/cap.pcapng" 2>/dev/null | wc -l)" \
		"$(j "$f" .coverage.pcap.received)"
	"$NETREC" pcap "$f" --beside "$T/cap.pcapng" -o "$T/annotated.pcapng" 2>/dev/null
	check "pcap: dropped packets marked" 20 "$(tshark -r "$T/annotated.pcapng" -T fields \
		-e frame.comment 2>/dev/null | grep -c 'dropped: NO_SOCKET')"
else
	rec_failed "pcap"
fi

# COMMAND's exit status
rec "$T/cmd.nr" --netns "$A" -- sh -c 'exit 3'
check "COMMAND exit 3" 3 $?
rec "$T/cmd.nr" --netns "$A" -- sh -c 'kill -TERM $$'
check "COMMAND killed by SIGTERM" 143 $?
rec "$T/cmd.nr" --netns "$A" -- "$T/no such command"
check "COMMAND that cannot run" 127 $?
contains "COMMAND that cannot run: says so" "cannot run" "$(cat "$T/rec.err")"
check "COMMAND that cannot run: a valid file" 0 \
	"$("$NETREC" info "$T/cmd.nr" >/dev/null 2>&1; echo $?)"

# --duration
start=$(date +%s%N)
rec "$T/dur.nr" --netns "$A" --duration 1500ms
rc=$?
ms=$((($(date +%s%N) - start) / 1000000))
check "--duration: exit status" 0 "$rc"
check "--duration: took 1.5 s" true "$([ $ms -ge 1500 ] && [ $ms -lt 4000 ] && echo true ||
	echo "false ($ms ms)")"
check "--duration: stop record" duration "$(j "$T/dur.nr" '.coverage.control[-1].text')"

# SIGTERM, with an existing file of that name kept
echo "old contents" > "$T/sig.nr"
"$NETREC" record -q -o "$T/sig.nr" --netns "$A" 2>"$T/rec.err" &
pid=$!
LIVE_PIDS="$LIVE_PIDS $pid"
sleep 1.5
kill -TERM $pid
wait $pid
check "SIGTERM: exit status" 0 $?
check "SIGTERM: stop record" signal "$(j "$T/sig.nr" '.coverage.control[-1].text')"
check "SIGTERM: closed cleanly" true "$("$NETREC" info --json "$T/sig.nr" | jq .clean_close)"
check "the previous file kept as .old" "old contents" "$(cat "$T/sig.nr.old")"

summary
