#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Install what a fresh Debian 12 machine lacks to build and test netrec, then configure
# the build directories. Idempotent; needs root only when something must be installed.
set -eu
cd "$(dirname "$0")/.."

pkgs="build-essential clang llvm libbpf-dev bpftool libelf-dev zlib1g-dev libzstd-dev
libpcap-dev meson ninja-build pkg-config iproute2 nftables jq tshark
libclang-rt-14-dev qemu-system-x86 busybox-static xz-utils"

missing=""
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
		missing="$missing $p"
done
if [ -n "$missing" ]; then
	echo "setup: installing:$missing" >&2
	if [ "$(id -u)" -ne 0 ]; then
		echo "setup: need root to install packages (run with sudo)" >&2
		exit 1
	fi
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	# shellcheck disable=SC2086
	apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi

[ -f build/build.ninja ] || meson setup build >/dev/null
meson compile -C build >/dev/null
