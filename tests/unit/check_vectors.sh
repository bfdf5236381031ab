#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# The format test vectors (format/FORMAT.md section 15).
#
#   check_vectors.sh NETREC DIR            compare, byte for byte, what `netrec dump`,
#                                          `dump --json`, `info`, `info --json` print for
#                                          each DIR/NAME.nr with NAME.{dump.txt,dump.json,
#                                          info.txt,info.json,status} (stderr and exit codes)
#   check_vectors.sh --update GEN NETREC DIR   remake the files with GEN, then the outputs
#
# Run from DIR with relative names, so the messages do not depend on where DIR is.
set -u

update=false
if [ "${1:-}" = "--update" ]; then
	update=true
	gen=$2
	shift 2
fi
[ $# -eq 2 ] || { echo "usage: check_vectors.sh [--update GEN] NETREC DIR" >&2; exit 2; }
netrec=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
dir=$2

if $update; then
	"$gen" "$dir" || exit 1
fi
cd "$dir" || exit 1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

# one vector's outputs into directory $2
run() {
	f=$1
	out=$2
	name=${f%.nr}
	: >"$out/$name.status"
	for cmd in "dump" "dump --json" "info" "info --json"; do
		case $cmd in
		"dump") o=$name.dump.txt ;;
		"dump --json") o=$name.dump.json ;;
		"info") o=$name.info.txt ;;
		"info --json") o=$name.info.json ;;
		esac
		# shellcheck disable=SC2086
		LC_ALL=C "$netrec" $cmd "$f" >"$out/$o" 2>"$tmp/err"
		echo "$cmd: exit $?" >>"$out/$name.status"
		cat "$tmp/err" >>"$out/$name.status"
	done
}

status=0
count=0
for f in *.nr; do
	[ -e "$f" ] || { echo "no vectors in $dir" >&2; exit 1; }
	count=$((count + 1))
	if $update; then
		run "$f" .
		continue
	fi
	mkdir -p "$tmp/out"
	run "$f" "$tmp/out"
	for o in "$tmp"/out/*; do
		b=$(basename "$o")
		if ! cmp -s "$o" "$b"; then
			echo "FAIL: $b differs from the expected output:" >&2
			diff -u "$b" "$o" | head -40 >&2
			status=1
		fi
	done
	rm -rf "$tmp/out"
	# the same file must give byte-identical output every time
	mkdir -p "$tmp/a" "$tmp/b"
	run "$f" "$tmp/a"
	run "$f" "$tmp/b"
	if ! diff -r "$tmp/a" "$tmp/b" >/dev/null; then
		echo "FAIL: $f: two runs differ" >&2
		status=1
	fi
	rm -rf "$tmp/a" "$tmp/b"
done
if $update; then
	echo "updated $count vectors in $dir"
else
	echo "$count vectors checked"
fi
exit $status
