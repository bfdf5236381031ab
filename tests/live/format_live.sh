#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Live checks of the trace format (root: mount namespaces).
#
#   format_live.sh enospc TEST_CRASH NETREC
#       the writer on a 384 KiB tmpfs that fills up: ENOSPC comes back, the file is
#       truncated to whole blocks and reads (test_crash --enospc)
#   format_live.sh portable NETREC CHECK_VECTORS SAMPLES
#       the test vectors analysed with /proc/kallsyms and /sys/kernel/btf/vmlinux
#       replaced by empty files, byte for byte as expected; and (with strace) proof
#       that dump and info open nothing under /proc or /sys
set -eu

skip() {
	echo "SKIP: $*"
	exit 77
}

[ "$(id -u)" -eq 0 ] || skip "not root (needs mount namespaces)"
command -v unshare >/dev/null || skip "no unshare"
unshare -m true 2>/dev/null || skip "unshare -m refused"

mode=$1
shift
case $mode in
enospc)
	test_crash=$1
	netrec=$2
	dir=$(mktemp -d /tmp/nr-format-enospc.XXXXXX)
	trap 'rmdir "$dir" 2>/dev/null || true' EXIT INT TERM
	# a private mount: gone with the namespace, whatever happens
	# shellcheck disable=SC2016 # expanded by the inner shell, from its arguments
	exec unshare -m sh -c '
		mount --make-rprivate / &&
		mount -t tmpfs -o size=384k nr-format-enospc "$1" &&
		"$2" --enospc "$1" "$3"' sh "$dir" "$test_crash" "$netrec"
	;;
portable)
	netrec=$1
	check=$2
	samples=$3
	# shellcheck disable=SC2016 # expanded by the inner shell, from its arguments
	unshare -m sh -eu -c '
		mount --make-rprivate /
		empty=$(mktemp)
		trap "rm -f \"$empty\"" EXIT
		mount --bind "$empty" /proc/kallsyms
		if [ -e /sys/kernel/btf/vmlinux ]; then
			mount --bind "$empty" /sys/kernel/btf/vmlinux
			[ ! -s /sys/kernel/btf/vmlinux ] || { echo "FAIL: BTF still readable"; exit 1; }
		fi
		[ ! -s /proc/kallsyms ] || { echo "FAIL: kallsyms still readable"; exit 1; }
		echo "kallsyms and BTF hidden"
		"$2" "$1" "$3"' sh "$netrec" "$check" "$samples"
	if command -v strace >/dev/null; then
		log=$(mktemp)
		trap 'rm -f "$log"' EXIT INT TERM
		for cmd in "dump" "dump --json" "info" "info --json"; do
			# shellcheck disable=SC2086
			strace -f -qq -e trace=open,openat,openat2 -o "$log" \
				"$netrec" $cmd "$samples/all-blocks.nr" >/dev/null 2>&1 || true
			if grep -E '"/(proc|sys)/' "$log" | grep -v '"/proc/self/'; then
				echo "FAIL: netrec $cmd opened the paths above"
				exit 1
			fi
		done
		echo "dump and info open nothing under /proc or /sys"
	else
		echo "strace not installed: open calls not checked"
	fi
	;;
*)
	echo "usage: format_live.sh enospc|portable ..." >&2
	exit 2
	;;
esac
