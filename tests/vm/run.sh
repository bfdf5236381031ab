#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# run.sh - run guest scenarios on Debian's stock kernel in qemu (software emulation)
#
# usage: tests/vm/run.sh [OPTIONS] SCENARIO...     (or --all)
#
# Boots the kernel that linux-image-amd64 depends on (kernel.sh) with an initramfs of
# busybox, netrec and the other binaries the scenarios use, with their libraries and the
# kernel modules they need (mkinitramfs.sh), runs each scenario's NAME.sh in the guest
# (init), brings the files it leaves in $NETREC_OUT back over a 9p share, then runs
# NAME.check on the host if there is one. Prints every result, the console tail when
# something went wrong, the time of each phase, and "N passed, M failed, K skipped".
#
# Exit status: 0 all passed, 1 a check failed, 2 usage, 3 the guest died without
# reporting (kernel panic, init crash), 124 the guest hung (whole-run timeout),
# 77 skipped: no qemu, no busybox-static, not x86_64, or the kernel package cannot be had.
#
# Scenario headers (comment lines in NAME.sh, each optional, values space-separated):
#   # vm-timeout: SECONDS           guest-side limit for this scenario (default 120)
#   # vm-modules: NAME...           kernel modules beyond the default set
#   # vm-bin: SRC[:DEST]...         host executables (+ their libraries) beyond the defaults
#   # vm-file: SRC:DEST...          plain files
# In SRC, @BUILD/ stands for the build directory, and a trailing '?' marks an optional
# item that is left out (with a note) when it does not exist.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)

# What every guest gets. Modules: veth and bridge topologies, nftables with what drop,
# reject, conntrack, NAT and fib rules need, dummy devices, netem, and virtio + 9p for the
# result share. Binaries: busybox's applets shadow ip and nft, so scenarios call
# /sbin/ip and /usr/sbin/nft by full path.
default_modules="veth bridge dummy sch_netem nf_tables nft_reject_inet nft_ct nft_nat
nft_masq nft_chain_nat nft_fib_inet virtio_pci 9pnet_virtio 9p"
default_bins="@BUILD/netrec:/usr/local/bin/netrec @BUILD/tests/bench/nrload?:/usr/local/bin/nrload
/sbin/ip /usr/sbin/nft /usr/sbin/bpftool"

# usage [STATUS]: the help on stderr and exit 2, or on stdout and exit 0 for --help
usage() {
	if [ "${1:-2}" -eq 0 ]; then
		exec 3>&1
	else
		exec 3>&2
	fi
	sed -n 's/^# usage: /usage: /p' "$0" >&3
	cat >&3 <<EOF
options:
  -B DIR        build directory with netrec (default: $top/build)
  -o DIR        keep this run's files in DIR (console.log, results.txt, out/,
                initramfs.cpio); default: a temporary folder, kept only on failure
  -t SECONDS    limit for the whole guest run (default 300)
  -d DIR        where the scenarios are (default: $here/scenarios)
  -a, --all     every scenario there
  -S, --shell   console on this terminal and a guest shell after the scenarios
                ('exit' powers off; Ctrl-A x quits qemu)
  -h, --help    this help
environment:
  NETREC_VM_CACHE   kernel cache (default: $here/cache)
  NETREC_VM_KEEP=1  keep the temporary run folder even when everything passed
  NETREC_VM_QEMU    the qemu binary (default: qemu-system-x86_64)
  NETREC_VM_APPEND  more kernel command line (e.g. dyndbg=..., ftrace=...)
EOF
	exit "${1:-2}"
}

skip() {
	echo "vm: SKIP: $*" >&2
	exit 77
}

die() {
	echo "vm: $*" >&2
	exit 2
}

now() {
	date +%s.%N
}

# elapsed START [END]: seconds with one decimal
elapsed() {
	awk -v a="$1" -v b="${2:-$(now)}" 'BEGIN { printf "%.1f", b - a }'
}

build=$top/build
scen=$here/scenarios
rundir=
timeout=300
shell=0
all=0
while [ $# -gt 0 ]; do
	case $1 in
	-B) [ $# -ge 2 ] || usage; build=$2; shift ;;
	-o) [ $# -ge 2 ] || usage; rundir=$2; shift ;;
	-d) [ $# -ge 2 ] || usage; scen=$2; shift ;;
	-t) [ $# -ge 2 ] || usage; timeout=$2; shift ;;
	-a | --all) all=1 ;;
	-S | --shell) shell=1 ;;
	-h | --help) usage 0 ;;
	-*) echo "vm: unknown option '$1'" >&2; usage ;;
	*) break ;;
	esac
	shift
done
case $timeout in
'' | *[!0-9]*) die "-t $timeout: not a number of seconds" ;;
esac
scen=$(cd "$scen" 2>/dev/null && pwd) || die "no scenario directory $scen"
if [ "$all" = 1 ]; then
	for f in "$scen"/*.sh; do
		[ ! -f "$f" ] || set -- "$@" "$(basename "$f" .sh)"
	done
fi
[ $# -gt 0 ] || usage
scenarios=$*
for s in "$@"; do
	case $s in
	*[!a-z0-9_]*) die "scenario '$s': names are [a-z0-9_]" ;;
	esac
	[ -f "$scen/$s.sh" ] || die "no scenario '$s' ($scen/$s.sh)"
done
build=$(cd "$build" 2>/dev/null && pwd) || die "no build directory $build (meson setup build)"
[ -x "$build/netrec" ] || die "$build/netrec missing (meson compile -C $build)"

[ "$(uname -m)" = x86_64 ] || skip "host is $(uname -m): the guest runs the host's x86_64 binaries"
qemu=${NETREC_VM_QEMU:-qemu-system-x86_64}
command -v "$qemu" >/dev/null || skip "no $qemu (apt-get install qemu-system-x86)"
# ldd fails on a static binary ("not a dynamic executable")
if ! bb=$(command -v busybox) || ldd "$bb" >/dev/null 2>&1; then
	skip "no static busybox (apt-get install busybox-static)"
fi

t_start=$(now)
# 1. kernel
set +e
kdir=$("$here/kernel.sh" "${NETREC_VM_CACHE:-$here/cache}")
rc=$?
set -e
[ $rc -ne 77 ] || skip "the stock kernel package cannot be had here"
[ $rc -eq 0 ] || die "kernel.sh failed ($rc)"
t_kernel=$(now)

if [ -z "$rundir" ]; then
	rundir=$(mktemp -d "${TMPDIR:-/tmp}/netrec-vm.XXXXXX")
	keep=${NETREC_VM_KEEP:-0}
else
	mkdir -p "$rundir"
	rundir=$(cd "$rundir" && pwd)
	rm -rf "$rundir/out" "$rundir/console.log" "$rundir/results.txt" "$rundir/host.txt"
	keep=1
fi
mkdir -p "$rundir/out"

# 2. initramfs: defaults plus every scenario's header requests
header() {
	sed -n "s/^# vm-$2:[[:space:]]*//p" "$scen/$1.sh" | tr '\n' ' '
}
expand() {
	src=${1%%:*}
	rest=${1#"$src"}
	opt=0
	case $src in *'?') opt=1; src=${src%'?'} ;; esac
	case $src in @BUILD/*) src=$build/${src#@BUILD/} ;; esac
	if [ ! -e "$src" ]; then
		[ "$opt" = 1 ] || die "$src: missing (asked by $2)"
		echo "vm: $src not built, the guest goes without it" >&2
		return
	fi
	echo "$src$rest"
}
margs=
for m in $default_modules; do
	margs="$margs -m $m"
done
for b in $default_bins; do
	b=$(expand "$b" defaults) || exit 2
	[ -z "$b" ] || margs="$margs -b $b"
done
printf 'shell=%s\nscenarios="%s"\n' "$shell" "$scenarios" >"$rundir/run.conf"
for s in $scenarios; do
	for m in $(header "$s" modules); do
		margs="$margs -m $m"
	done
	for b in $(header "$s" bin); do
		b=$(expand "$b" "$s.sh") || exit 2
		[ -z "$b" ] || margs="$margs -b $b"
	done
	for f in $(header "$s" file); do
		f=$(expand "$f" "$s.sh") || exit 2
		[ -z "$f" ] || margs="$margs -f $f"
	done
	margs="$margs -f $scen/$s.sh:/vm/scenarios/$s.sh"
	t=$(header "$s" timeout | tr -d ' ')
	case $t in
	'') ;;
	*[!0-9]*) die "$s.sh: vm-timeout '$t' is not a number" ;;
	*) echo "timeout_$s=$t" >>"$rundir/run.conf" ;;
	esac
done
# shellcheck disable=SC2086
"$here/mkinitramfs.sh" -k "$kdir" -i "$here/init" -o "$rundir/initramfs.cpio" $margs \
	-f "$here/lib.sh:/vm/lib.sh" -f "$here/netns.sh:/vm/netns.sh" \
	-f "$rundir/run.conf:/vm/run.conf" ||
	die "cannot build the initramfs"
t_initramfs=$(now)

# 3. boot. Always TCG: the /dev/kvm on these hosts (kvm-pvm) crashes a stock kernel, and
# -accel kvm:tcg would not fall back. PVH entry of the plain vmlinux skips a 4 s
# decompression. ttyS0 is the console, ttyS1 the result lines.
append="console=ttyS0 panic=-1 oops=panic ${NETREC_VM_APPEND:-}"
set -- -accel tcg -cpu max -smp 2 -m 1024 -nodefaults -no-reboot -display none \
	-kernel "$kdir/vmlinux" -initrd "$rundir/initramfs.cpio" \
	-virtfs "local,path=$rundir/out,mount_tag=out,security_model=none,id=out"
if [ "$shell" = 1 ]; then
	set -- "$@" -chardev "stdio,id=con,mux=on,signal=off,logfile=$rundir/console.log" \
		-serial chardev:con -mon chardev=con -serial "file:$rundir/results.txt" \
		-append "$append"
	echo "vm: guest console follows; after the scenarios a shell, Ctrl-A x quits qemu" >&2
	set +e
	"$qemu" "$@"
	qrc=$?
	set -e
else
	set -- "$@" -serial "file:$rundir/console.log" -serial "file:$rundir/results.txt" \
		-append "$append"
	set +e
	timeout -k 5 "$timeout" "$qemu" "$@" </dev/null
	qrc=$?
	set -e
fi
t_vm=$(now)

# 4. the guest's results
res=$rundir/results.txt
touch "$res"
tr -d '\r' <"$res" >"$res.txt" && mv "$res.txt" "$res"
status=0
if [ "$qrc" -eq 124 ] || [ "$qrc" -eq 137 ]; then
	echo "vm: FAIL: guest hung: no power-off within ${timeout} s" >&2
	status=124
elif ! grep -q '^NETREC-EXIT ' "$res"; then
	if grep -q 'Kernel panic' "$rundir/console.log"; then
		echo "vm: FAIL: guest kernel panic: $(grep -m1 'Kernel panic' "$rundir/console.log")" >&2
	else
		echo "vm: FAIL: guest stopped without reporting (qemu exit $qrc)" >&2
	fi
	status=3
fi
last=$(grep '^NETREC-SCENARIO ' "$res" | tail -n 1 | cut -d' ' -f2)
if [ "$status" -ne 0 ] && [ -n "$last" ]; then
	echo "vm: the guest was in scenario '$last'" >&2
fi
guest_sum=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$res" | tail -n 1 || true)

# 5. host-side checks, with the files the guest brought back
: >"$rundir/host.txt"
if grep -q -e 'BUG:' -e 'Oops' -e 'WARNING:' -e 'Call Trace:' "$rundir/console.log"; then
	echo "NETREC-FAIL guest/kernel-log: the kernel logged a BUG, oops or warning" \
		>>"$rundir/host.txt"
fi
for s in $scenarios; do
	chk=$scen/$s.check
	[ -f "$chk" ] || continue
	if [ "$status" -ne 0 ] && ! grep -q "^NETREC-SCENARIO $s\$" "$res"; then
		echo "NETREC-SKIP $s/host: the guest never ran the scenario" >>"$rundir/host.txt"
		continue
	fi
	NETREC_SCENARIO=$s NETREC_OUT=$rundir/out/$s NETREC=$build/netrec NETREC_BUILD=$build \
		NETREC_GUEST_RESULTS=$res NETREC_RESULTS='' NETREC_LIB=$here/lib.sh \
		sh "$chk" >>"$rundir/host.txt" || echo "NETREC-FAIL $s/host: $s.check exited $?" \
		>>"$rundir/host.txt"
done
t_host=$(now)

# 6. report
cat "$res" "$rundir/host.txt" | grep -E '^NETREC-(PASS|FAIL|SKIP|INFO) ' |
	sed 's/^NETREC-\([A-Z]*\) /\1 /'
passed=$(cat "$res" "$rundir/host.txt" | grep -c '^NETREC-PASS' || true)
failed=$(cat "$res" "$rundir/host.txt" | grep -c '^NETREC-FAIL' || true)
skipped=$(cat "$res" "$rundir/host.txt" | grep -c '^NETREC-SKIP' || true)
if [ "$status" -eq 0 ]; then
	# the guest's own count must match the lines that reached the host
	gp=$(grep -c '^NETREC-PASS' "$res" || true)
	gf=$(grep -c '^NETREC-FAIL' "$res" || true)
	case $guest_sum in
	"$gp passed, $gf failed"*) ;;
	*)
		echo "vm: FAIL: the guest counted '$guest_sum', the host saw $gp passed, $gf failed" >&2
		failed=$((failed + 1))
		;;
	esac
	[ "$failed" -eq 0 ] || status=1
else
	failed=$((failed + 1))
fi
if [ "$status" -ne 0 ]; then
	echo "---- console tail ($rundir/console.log)" >&2
	tail -n 40 "$rundir/console.log" >&2
	echo "----" >&2
	keep=1
fi
echo "vm: times: kernel $(elapsed "$t_start" "$t_kernel") s, initramfs" \
	"$(elapsed "$t_kernel" "$t_initramfs") s, qemu $(elapsed "$t_initramfs" "$t_vm") s," \
	"host checks $(elapsed "$t_vm" "$t_host") s, total $(elapsed "$t_start") s"
if [ "$keep" = 1 ]; then
	echo "vm: run files kept in $rundir"
else
	rm -rf "$rundir"
fi
echo "$passed passed, $failed failed, $skipped skipped"
exit "$status"
