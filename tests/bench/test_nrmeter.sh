#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# nrmeter: exit status passed through, the JSON report, CPU and peak RSS of reaped
# descendants, a command stopped by SIGINT through its PID file. No root needed.
set -u
meter=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
check() { # check WHAT GOT WANT
	if [ "$2" = "$3" ]; then echo "ok: $1"; else echo "FAIL: $1: got '$2', want '$3'"; fail=1; fi
}
field() { sed -n "s/.*\"$2\":\([^,}]*\).*/\1/p" "$1"; }

"$meter" -o "$tmp/a.json" -p "$tmp/a.pid" -- sh -c 'exit 3'
check "exit status passed through" "$?" 3
check "report exit" "$(field "$tmp/a.json" exit)" 3
check "report signal" "$(field "$tmp/a.json" signal)" 0
check "pid file matches report" "$(cat "$tmp/a.pid")" "$(field "$tmp/a.json" pid)"

# a grandchild that fills a 64 MB buffer a few times: the shell reaps it, so it counts
"$meter" -o "$tmp/b.json" -- sh -c 'dd if=/dev/zero of=/dev/null bs=64M count=4 2>/dev/null'
check "grandchild ok" "$?" 0
rss=$(field "$tmp/b.json" maxrss_kb)
cpu=$(field "$tmp/b.json" cpu_s)
above() { awk -v v="$1" -v min="$2" 'BEGIN { print (v > min) ? "yes" : "no: " v }'; }
check "peak RSS covers the grandchild (> 60000 kB)" "$(above "$rss" 60000)" yes
check "CPU time counted (> 0.01 s)" "$(above "$cpu" 0.01)" yes

"$meter" -o "$tmp/c.json" -p "$tmp/c.pid" -- sleep 30 &
mpid=$!
i=0
while [ ! -s "$tmp/c.pid" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
kill -INT "$(cat "$tmp/c.pid")"
wait "$mpid"
check "stopped by SIGINT: status 130" "$?" 130
check "report signal 2" "$(field "$tmp/c.json" signal)" 2
check "report exit -1" "$(field "$tmp/c.json" exit)" -1
wall=$(field "$tmp/c.json" wall_s)
check "stopped early (wall < 10 s)" "$(above 10 "$wall")" yes

"$meter" -- /nonexistent/cmd 2>"$tmp/err"
check "missing command: 127" "$?" 127
check "missing command message" "$(head -1 "$tmp/err")" \
	"nrmeter: cannot run '/nonexistent/cmd': No such file or directory"
"$meter" 2>/dev/null
check "no command: usage error" "$?" 2
exit $fail
