#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# run_fuzzer.sh FUZZER SECONDS SEED_DIR...: a bounded libFuzzer run from the seeds, in a
# scratch corpus (the checked-in seeds are never written); a crash fails the test and
# its input is kept in the build directory (crash-*) to be added to tests/fuzz/corpus/
set -eu
fuzzer=$1
secs=$2
shift 2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT INT TERM
mkdir "$work/corpus"
for d in "$@"; do
	find "$d" -maxdepth 1 -type f ! -name '*.txt' ! -name '*.json' ! -name '*.status' \
		-exec cp {} "$work/corpus/" \;
done
exec "$fuzzer" -max_total_time="$secs" -max_len=65536 -rss_limit_mb=2048 \
	-timeout=20 -artifact_prefix="$(pwd)/" -print_final_stats=1 "$work/corpus"
