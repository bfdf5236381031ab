#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# selftest.sh - the harness's own test: run.sh on the scenarios in selftest/, each made to
# go wrong in one way, must report it the way run.sh documents:
#   fail slow after   a failed check, a scenario killed at its guest-side limit (with what
#                     it started), files brought back (one of 4 MiB, intact): exit 1,
#                     exact counts
#   panic             a kernel crash: exit 3, "guest kernel panic", the scenario named
#   hang              no power-off within the whole-run limit: exit 124, the scenario named
#
# usage: selftest.sh BUILDDIR            exit 0 pass, 1 fail, 77 run.sh skipped
set -u
here=$(cd "$(dirname "$0")" && pwd)
build=${1:?usage: selftest.sh BUILDDIR}

NETREC_SCENARIO=harness
NETREC_RESULTS=$(mktemp -d "${TMPDIR:-/tmp}/netrec-vm-selftest.XXXXXX")/results
work=$(dirname "$NETREC_RESULTS")
trap 'rm -rf "$work"' EXIT
: >"$NETREC_RESULTS"
# shellcheck source=SCRIPTDIR/lib.sh
. "$here/lib.sh"

# vmrun NAME [RUN.SH ARGS]...: sets rc; stdout and stderr in $work/NAME.{out,err}
vmrun() {
	name=$1
	shift
	"$here/run.sh" -B "$build" -d "$here/selftest" -o "$work/$name" "$@" \
		>"$work/$name.out" 2>"$work/$name.err"
	rc=$?
	if [ "$rc" -eq 77 ]; then
		cat "$work/$name.err" >&2
		exit 77
	fi
	sed "s|^|[$name] |" "$work/$name.out" "$work/$name.err" >&2
}

vmrun checks fail slow after
vm_expect checks-exit "$rc" -eq 1
vm_grep checks-deliberate "$work/checks.out" '^FAIL fail/deliberate: this failure is what'
vm_grep checks-file-back "$work/checks.out" '^PASS fail/file-back$'
vm_grep checks-bulk "$work/checks.out" '^PASS fail/bulk-intact$'
vm_grep checks-timeout "$work/checks.out" '^FAIL slow/timeout: killed after 2 s$'
vm_grep checks-killed-all "$work/checks.out" '^PASS after/no-leftovers$'
vm_grep checks-counts "$work/checks.out" '^8 passed, 2 failed, 0 skipped$'

vmrun panic panic
vm_expect panic-exit "$rc" -eq 3
vm_grep panic-said "$work/panic.err" '^vm: FAIL: guest kernel panic'
vm_grep panic-where "$work/panic.err" "^vm: the guest was in scenario 'panic'"

vmrun hang -t 20 hang
vm_expect hang-exit "$rc" -eq 124
vm_grep hang-said "$work/hang.err" '^vm: FAIL: guest hung'
vm_grep hang-where "$work/hang.err" "^vm: the guest was in scenario 'hang'"

cat "$NETREC_RESULTS"
passed=$(grep -c '^NETREC-PASS' "$NETREC_RESULTS")
failed=$(grep -c '^NETREC-FAIL' "$NETREC_RESULTS")
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
