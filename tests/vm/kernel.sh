#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# kernel.sh - fetch and prepare Debian's stock amd64 kernel for the qemu guest tests
#
# usage: kernel.sh CACHE_DIR
#
# Resolves the kernel package that the metapackage linux-image-amd64 currently depends on
# (the ABI name moves, and old ABI packages leave the mirror, so nothing is pinned),
# downloads it with apt-get, and prepares CACHE_DIR/<package>_<version>/ holding:
#   vmlinux    the uncompressed kernel ELF, booted by qemu through its PVH entry point
#              (decompressing a bzImage under TCG costs about 4 s of every boot)
#   modules/   lib/modules/<release>/ of the package (modules, modules.builtin, ...)
#   config     the kernel's build configuration
#   release    the kernel release string (uname -r in the guest)
# and prints that directory on stdout. A prepared directory is reused as long as the
# metapackage points at the same version; older ones are removed. Concurrent runs are
# serialised with a lock on CACHE_DIR/.lock.
#
# Exit status: 0 ok, 77 the kernel cannot be had here (no apt, no lists, no mirror), with
# the reason on stderr, 1 anything else.
set -eu

meta=linux-image-amd64

die() {
	echo "kernel.sh: $*" >&2
	exit 1
}

skip() {
	echo "kernel.sh: $*" >&2
	exit 77
}

[ $# -eq 1 ] || die "usage: kernel.sh CACHE_DIR"
cache=$1

# resolve: set pkg and ver to the kernel package linux-image-amd64 depends on, from the
# apt lists; false if they do not say. apt-cache show gives the dependency with its exact
# version in one call (about 0.6 s).
resolve() {
	dep=$(apt-cache show --no-all-versions "$meta" 2>/dev/null |
		sed -n 's/^Depends:.*\(linux-image-[0-9][^ ,]*\) (= \([^)]*\)).*/\1 \2/p' |
		head -n 1)
	[ -n "$dep" ] || return 1
	pkg=${dep% *}
	ver=${dep#* }
}

can_update() {
	[ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null
}

# Extract the kernel ELF from a bzImage. The x86 boot header says where the compressed
# payload is: setup_sects at 0x1f1 (0 means 4), payload_offset and payload_length at
# 0x248 (boot protocol 2.08+), relative to the protected-mode code that follows the
# (setup_sects + 1) * 512 bytes of real-mode setup. The payload's own magic says how it
# was compressed; its last 4 bytes are the decompressed size, which --single-stream
# (xz) or the decompressors' tolerance of trailing data skips.
extract_vmlinux() {
	img=$1
	out=$2
	[ "$(od -An -c -j 514 -N 4 "$img" | tr -d ' ')" = HdrS ] ||
		die "$img: not a bzImage (no HdrS boot header)"
	sects=$(od -An -tu1 -j 497 -N 1 "$img" | tr -d ' ')
	[ "$sects" -ne 0 ] || sects=4
	start=$(((sects + 1) * 512 + $(od -An -tu4 -j 584 -N 4 "$img")))
	len=$(od -An -tu4 -j 588 -N 4 "$img" | tr -d ' ')
	magic=$(tail -c +$((start + 1)) "$img" | head -c 6 | od -An -tx1 | tr -d ' \n')
	case $magic in
	fd377a585a00) dec="xz -dc --single-stream" ;;
	1f8b*) dec="gzip -dc" ;;
	28b52ffd*) dec="zstd -dcq" ;;
	5d0000*) dec="xz -dc --format=lzma" ;;
	*) die "$img: unknown payload compression (magic $magic)" ;;
	esac
	# gzip exits 2 for "trailing garbage ignored": judge by the result, not the status
	tail -c +$((start + 1)) "$img" | head -c "$len" | $dec >"$out" 2>/dev/null || true
	[ "$(head -c 4 "$out" | od -An -tx1 | tr -d ' ')" = 7f454c46 ] ||
		die "$img: payload did not decompress to an ELF image"
}

# use_cached WHY: fall back to a kernel prepared earlier, or skip with WHY
use_cached() {
	dir=
	for d in "$cache"/linux-image-*; do
		[ ! -f "$d/release" ] || dir=$d
	done
	[ -n "$dir" ] || skip "$1"
	echo "kernel.sh: $1; using the cached $(basename "$dir")" >&2
	echo "$dir"
	exit 0
}

# download PKG VERSION into $tmp; apt-get download as root warns that _apt cannot write
# there, so its output goes to a log, shown only when the download fails
download() {
	rm -f "$tmp"/*.deb
	(cd "$tmp" && apt-get download "$1=$2") >"$tmp/apt.log" 2>&1
}

# unpack DEB DIR: vmlinux, modules, config and release into DIR (replaced atomically)
unpack() {
	mkdir -p "$tmp/x" "$tmp/k"
	dpkg-deb --fsys-tarfile "$1" | tar -x -C "$tmp/x" --wildcards \
		'./boot/vmlinuz-*' './boot/config-*' './lib/modules/*'
	rel=$(ls "$tmp/x/lib/modules")
	if [ -z "$rel" ] || [ ! -f "$tmp/x/boot/vmlinuz-$rel" ]; then
		die "$1: no kernel image and modules in the package"
	fi
	extract_vmlinux "$tmp/x/boot/vmlinuz-$rel" "$tmp/k/vmlinux"
	mv "$tmp/x/boot/config-$rel" "$tmp/k/config"
	mv "$tmp/x/lib/modules/$rel" "$tmp/k/modules"
	echo "$rel" >"$tmp/k/release"
	rm -rf "$2"
	mv "$tmp/k" "$2"
}

[ "$(uname -m)" = x86_64 ] || skip "host is $(uname -m): the guest runs the host's x86_64 binaries"
for tool in apt-cache apt-get dpkg-deb; do
	command -v $tool >/dev/null || skip "no $tool on this host to fetch Debian's kernel"
done

mkdir -p "$cache"
cache=$(cd "$cache" && pwd)
exec 9>"$cache/.lock"
flock 9

if ! resolve && can_update; then
	apt-get update -qq >/dev/null 2>&1 || true
	resolve || true
fi
[ -n "$dep" ] || use_cached "cannot resolve $meta from the apt lists (run apt-get update)"
dir=$cache/${pkg}_$ver
if [ -f "$dir/release" ]; then
	echo "$dir"
	exit 0
fi

echo "kernel.sh: fetching $pkg $ver" >&2
tmp=$cache/.tmp.$$
rm -rf "$tmp"
mkdir -p "$tmp"
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' HUP INT PIPE TERM
if ! download "$pkg" "$ver"; then
	# stale lists name a version the mirror no longer has: refresh them once
	if can_update; then
		echo "kernel.sh: download of $pkg $ver failed, updating the apt lists" >&2
		apt-get update -qq >/dev/null 2>&1 || true
		resolve || true
	fi
	if [ -z "$dep" ] || ! download "$pkg" "$ver"; then
		tail -n 5 "$tmp/apt.log" >&2
		use_cached "cannot download the kernel package (no mirror reachable?)"
	fi
	dir=$cache/${pkg}_$ver
fi
unpack "$(ls "$tmp"/*.deb)" "$dir"
# keep only the kernel in use: each one is about 470 MB unpacked
for old in "$cache"/linux-image-*; do
	[ "$old" = "$dir" ] || rm -rf "$old"
done
echo "$dir"
