#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# mkinitramfs.sh - build the qemu guest's initramfs (an uncompressed newc cpio archive)
#
# usage: mkinitramfs.sh -k KDIR -i INIT -o OUT [-m MODULE]... [-b BIN[:DEST]]...
#                       [-f FILE:DEST]...
#   -k KDIR    a kernel directory prepared by kernel.sh (modules/, release)
#   -i INIT    the guest's /init script
#   -o OUT     the archive to write
#   -m MODULE  a kernel module by name; its dependency closure comes along (below)
#   -b BIN     a host executable, copied to DEST (default: the same path) with every
#              shared library ldd names for it, each at the path ldd gives
#   -f FILE    a plain file, copied to DEST
#
# The archive always holds the static busybox with a link for each of its applets (a
# copied binary replaces an applet of the same path), /init, and /etc/vm-modules: the
# modules' .ko paths under /lib/modules/RELEASE in load order, for init to insmod one by
# one. modules.dep and modules.alias for the shipped modules are there too, so that the
# kernel's own module requests (busybox modprobe) find them.
#
# Module closure: each .ko's .modinfo section names its hard dependencies (depends=) and
# its soft ones (softdep=pre: ... post: ...). A name is a module file (with '-' and '_'
# equal), a built-in module (modules.builtin, nothing to load), or an alias: softdep
# names like crc32c are aliases, served here by the module that declares alias=NAME
# (the *_generic one when several do; crc32c_generic is what libcrc32c, and so
# nf_tables, needs). An unresolved hard dependency is an error, an unresolved softdep a
# warning. The load order is a topological sort (tsort) of "load A before B" pairs.
set -eu

die() {
	echo "mkinitramfs.sh: $*" >&2
	exit 1
}

kdir=
init=
out=
mods=
bins=
files=
while getopts k:i:o:m:b:f: opt; do
	case $opt in
	k) kdir=$OPTARG ;;
	i) init=$OPTARG ;;
	o) out=$OPTARG ;;
	m) mods="$mods $OPTARG" ;;
	b) bins="$bins $OPTARG" ;;
	f) files="$files $OPTARG" ;;
	*) die "usage: mkinitramfs.sh -k KDIR -i INIT -o OUT [-m MOD]... [-b BIN[:DEST]]..." \
		"[-f FILE:DEST]..." ;;
	esac
done
if [ -z "$kdir" ] || [ -z "$init" ] || [ -z "$out" ]; then
	die "-k, -i and -o are required"
fi
[ -f "$kdir/release" ] || die "$kdir: not a prepared kernel directory"
rel=$(cat "$kdir/release")
moddir=$kdir/modules
busybox=$(command -v busybox) || die "busybox not found (apt-get install busybox-static)"
# ldd fails on a static binary ("not a dynamic executable")
! ldd "$busybox" >/dev/null 2>&1 || die "$busybox is not static (apt-get install busybox-static)"

work=$(mktemp -d "${TMPDIR:-/tmp}/netrec-initramfs.XXXXXX")
trap 'rm -rf "$work"' EXIT
trap 'exit 1' HUP INT PIPE TERM
root=$work/root
mkdir -p "$root"

norm() {
	echo "$1" | tr - _
}

# depends= and softdep= of a .ko as "depends a,b" and "softdep pre: c post: d" lines.
# objcopy writes through a temporary file renamed over its output, so the output must be
# a plain file of ours (given /dev/stdout, it would replace that link with a file).
modinfo_deps() {
	objcopy -O binary -j .modinfo "$moddir/$1" "$work/modinfo.bin" &&
		tr '\0' '\n' <"$work/modinfo.bin" | sed -n 's/^\(depends\|softdep\)=/\1 /p'
}

# resolve NAME: prints a module name to load, "builtin", or nothing
resolve() {
	n=$(norm "$1")
	if grep -q "^$n " "$work/index"; then
		echo "$n"
		return
	fi
	if grep -qx "$n" "$work/builtin" ||
		tr '\0' '\n' <"$moddir/modules.builtin.modinfo" | grep -q "^[^.]*\.alias=$1$"; then
		echo builtin
		return
	fi
	hits=$(grep -rlzx -F "alias=$1" --include='*.ko' "$moddir/kernel" |
		sed 's|.*/||; s|\.ko$||' | tr - _ | sort)
	[ -n "$hits" ] || return 0
	echo "$hits" | grep -x "${n}_generic" || echo "$hits" | head -n 1
}

ko_of() {
	sed -n "s/^$1 //p" "$work/index"
}

# closure: the .ko paths of $mods and everything they pull in, in load order, on stdout
closure() {
	# name -> .ko path (relative to $moddir), one line each, names normalised
	find "$moddir/kernel" -name '*.ko' | sed "s|^$moddir/||" |
		awk '{ n = $0; sub(/.*\//, "", n); sub(/\.ko$/, "", n); gsub(/-/, "_", n); print n, $0 }' |
		sort >"$work/index"
	sed 's|.*/||; s|\.ko$||' "$moddir/modules.builtin" | tr - _ | sort -u >"$work/builtin"

	# breadth-first over the requested modules and everything they pull in
	: >"$work/pairs"
	: >"$work/seen"
	queue=
	for m in $mods; do
		r=$(resolve "$m")
		[ -n "$r" ] || die "module '$m' not found in $rel"
		[ "$r" = builtin ] || queue="$queue $r"
	done
	queue=${queue# }
	while [ -n "$queue" ]; do
		m=${queue%% *}
		if [ "$m" = "$queue" ]; then
			queue=
		else
			queue=${queue#* }
		fi
		grep -qx "$m" "$work/seen" && continue
		echo "$m" >>"$work/seen"
		echo "$m $m" >>"$work/pairs"
		modinfo_deps "$(ko_of "$m")" >"$work/modinfo"
		for d in $(sed -n 's/^depends //p' "$work/modinfo" | tr , ' '); do
			r=$(resolve "$d")
			[ -n "$r" ] || die "module '$m' depends on '$d', which $rel lacks"
			[ "$r" = builtin ] && continue
			echo "$r $m" >>"$work/pairs"
			queue="$queue $r"
		done
		# softdep=pre: a b post: c, a list of words
		when=
		# shellcheck disable=SC2013
		for w in $(sed -n 's/^softdep //p' "$work/modinfo"); do
			case $w in
			pre:) when=pre ;;
			post:) when=post ;;
			*)
				r=$(resolve "$w")
				if [ -z "$r" ]; then
					echo "mkinitramfs.sh: softdep '$w' of '$m' not found, ignoring" >&2
					continue
				fi
				[ "$r" = builtin ] && continue
				if [ "$when" = post ]; then
					echo "$m $r" >>"$work/pairs"
				else
					echo "$r $m" >>"$work/pairs"
				fi
				queue="$queue $r"
				;;
			esac
		done
	done

	tsort "$work/pairs" | while read -r m; do
		ko_of "$m"
	done
}

# The closure takes a second (processes per module and per dependency); it only changes
# with the kernel and the module list, so the kernel's cache directory keeps it. A cache
# that cannot be written just means computing it again next time.
cached=$kdir/closure-$(echo "$mods" | tr -s ' ' '\n' | sed '/^$/d' | sort -u | md5sum |
	cut -c1-16)
order=$cached
if [ ! -f "$cached" ]; then
	closure >"$work/order"
	order=$work/order
	{ cp "$order" "$cached.$$" && mv "$cached.$$" "$cached"; } 2>/dev/null || rm -f "$cached.$$"
fi

mkdir -p "$root/lib/modules/$rel" "$root/etc"
while read -r ko; do
	mkdir -p "$root/lib/modules/$rel/$(dirname "$ko")"
	cp "$moddir/$ko" "$root/lib/modules/$rel/$ko"
done <"$order"
cp "$order" "$root/etc/vm-modules"
cp "$moddir/modules.builtin" "$moddir/modules.order" "$root/lib/modules/$rel/"
if [ -s "$root/etc/vm-modules" ]; then
	"$busybox" depmod -b "$root" "$rel" 2>/dev/null ||
		echo "mkinitramfs.sh: busybox depmod failed, on-demand module loads will not work" >&2
fi
echo "$rel" >"$root/etc/vm-release"

mkdir -p "$root/bin" "$root/sbin" "$root/usr/bin" "$root/usr/sbin" "$root/usr/local/bin" \
	"$root/dev" "$root/proc" "$root/sys" "$root/run" "$root/tmp" "$root/root" "$root/var"
ln -s ../run "$root/var/run"
cp "$busybox" "$root/bin/busybox"
"$busybox" --list-full | while read -r a; do
	[ "$a" = bin/busybox ] || ln -sf /bin/busybox "$root/$a"
done
cp "$init" "$root/init"
chmod 755 "$root/init"
printf 'root:x:0:0:root:/root:/bin/sh\n' >"$root/etc/passwd"
printf 'root:x:0:\n' >"$root/etc/group"
for f in /etc/protocols /etc/services; do
	[ -f "$f" ] && cp "$f" "$root$f"
done

# put SRC at DEST, replacing a busybox link there rather than writing through it
place() {
	mkdir -p "$root$(dirname "$2")"
	rm -f "$root$2"
	cp -L "$1" "$root$2"
}

for spec in $bins; do
	src=${spec%%:*}
	dest=${spec#*:}
	[ "$dest" != "$spec" ] || dest=$src
	[ -x "$src" ] || die "$src: not an executable"
	place "$src" "$dest"
	# ldd: "libx.so.1 => /path (addr)", "/lib64/ld-linux-x86-64.so.2 (addr)"; a static
	# binary has none ("not a dynamic executable", status 1)
	libs=$(ldd "$src" 2>/dev/null || true)
	if echo "$libs" | grep -q 'not found'; then
		die "$src: $(echo "$libs" | grep 'not found' | head -n 1 | tr -s '\t ' ' ')"
	fi
	for lib in $(echo "$libs" |
		awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }'); do
		[ -e "$root$lib" ] || place "$lib" "$lib"
	done
done

for spec in $files; do
	src=${spec%%:*}
	dest=${spec#*:}
	[ "$dest" != "$spec" ] || die "-f $spec: FILE:DEST expected"
	[ -f "$src" ] || die "$src: no such file"
	place "$src" "$dest"
done

(cd "$root" && find . | sort | "$busybox" cpio -o -H newc 2>/dev/null) >"$out.tmp"
mv "$out.tmp" "$out"
