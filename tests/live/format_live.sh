#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Live checks of the trace format (root: mount namespaces).
#
#   format_live.sh enospc TEST_CRASH NETREC
#       the writer on a 384 KiB tmpfs that fills up: ENOSPC comes back, the file is
#       truncated to whole blocks and reads (test_crash --enospc)
#   format_live.sh portable NETREC CHECK_VECTORS SAMPLES [NRLOAD]
#       the test vectors analysed with /proc/kallsyms and /sys/kernel/btf/vmlinux
#       replaced by empty files, byte for byte as expected; a trace recorded here (UDP
#       drops and TCP connects to a closed port in a namespace of its own) printing the
#       same dump and info with them hidden as without; and (with strace) proof that
#       dump and info open nothing under /proc or /sys
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
	nrload=${4:-}
	work=$(mktemp -d /tmp/nr-format-portable.XXXXXX)
	ns=format-port$$
	trap 'ip netns del "$ns" 2>/dev/null || true; rm -rf "$work"' EXIT INT TERM
	# a trace recorded on this machine, when netrec can record here: its dump and info
	# now, to compare with what they print once kallsyms and BTF are hidden
	recorded=
	if [ -n "$nrload" ] && "$netrec" record --help >/dev/null 2>&1 &&
	   ip netns add "$ns" 2>/dev/null; then
		ip -n "$ns" link set lo up
		if "$netrec" record -q -o "$work/rec.nr" --netns "$ns" -- \
			ip netns exec "$ns" sh -c "'$nrload' udp-fill -n 2000 >/dev/null &&
				'$nrload' tcp-closed -n 5 >/dev/null" 2>"$work/rec.err"; then
			recorded=$work/rec.nr
			for cmd in dump "dump --json" info "info --json"; do
				# shellcheck disable=SC2086
				"$netrec" $cmd "$recorded" >"$work/$(echo "$cmd" | tr ' ' _).out"
			done
			echo "recorded: $("$netrec" info "$recorded" | grep '^events:')"
		else
			echo "netrec record failed, only the vectors are checked:"
			cat "$work/rec.err"
		fi
	fi
	# shellcheck disable=SC2016 # expanded by the inner shell, from its arguments
	unshare -m sh -eu -c '
		mount --make-rprivate /
		empty=$5/empty
		: >"$empty"
		mount --bind "$empty" /proc/kallsyms
		if [ -e /sys/kernel/btf/vmlinux ]; then
			mount --bind "$empty" /sys/kernel/btf/vmlinux
			[ ! -s /sys/kernel/btf/vmlinux ] || { echo "FAIL: BTF still readable"; exit 1; }
		fi
		[ ! -s /proc/kallsyms ] || { echo "FAIL: kallsyms still readable"; exit 1; }
		echo "kallsyms and BTF hidden"
		"$2" "$1" "$3"
		if [ -n "$4" ]; then
			for cmd in dump "dump --json" info "info --json"; do
				out="$5/$(echo "$cmd" | tr " " _).out"
				"$1" $cmd "$4" | cmp -s - "$out" ||
					{ echo "FAIL: netrec $cmd of the recorded trace differs"; exit 1; }
			done
			echo "the recorded trace reads the same"
		fi' sh "$netrec" "$check" "$samples" "$recorded" "$work"
	if command -v strace >/dev/null; then
		log=$work/strace.log
		for f in "$samples/all-blocks.nr" $recorded; do
			for cmd in dump "dump --json" info "info --json"; do
				# shellcheck disable=SC2086
				strace -f -qq -e trace=open,openat,openat2 -o "$log" \
					"$netrec" $cmd "$f" >/dev/null 2>&1 || true
				if grep -E '"/(proc|sys)/' "$log" | grep -v '"/proc/self/'; then
					echo "FAIL: netrec $cmd $f opened the paths above"
					exit 1
				fi
			done
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
