#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Build netrec and run every test suite: unit, fuzz, live (needs root + BPF; skips with
# the reason otherwise) and vm (qemu guest; skips where qemu cannot run), then the unit
# and fuzz suites again under AddressSanitizer + UndefinedBehaviorSanitizer.
set -eu
cd "$(dirname "$0")/.."
tools/setup.sh

status=0
meson test -C build --print-errorlogs --suite unit --suite fuzz --suite live --suite vm ||
	status=1

[ -f build-asan/build.ninja ] ||
	CC=clang meson setup build-asan -Db_sanitize=address,undefined -Db_lundef=false \
		-Dbuildtype=debug >/dev/null
meson compile -C build-asan >/dev/null
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
	meson test -C build-asan --print-errorlogs --suite unit --suite fuzz || status=1

exit $status
