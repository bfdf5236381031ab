# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=sh
#
# lib.sh - result lines for the qemu guest tests, sourced by the guest's scenarios
# (tests/vm/scenarios/NAME.sh) and by their host-side checks (NAME.check)
#
# Every result is one line on $NETREC_RESULTS:
#   NETREC-PASS <scenario>/<check>
#   NETREC-FAIL <scenario>/<check>: <why>
#   NETREC-SKIP <scenario>/<check>: <why>
#   NETREC-INFO <scenario>: <text>         (versions, measurements; not counted)
# In the guest that is /dev/ttyS1, the second serial port, a file on the host that the
# kernel log never touches; the guest also keeps a copy in $NETREC_TALLY to count. On the
# host NETREC_RESULTS is empty and the runner reads a check script's stdout. Command
# output (vm_run) goes to stderr, which is the console log in the guest.

: "${NETREC_SCENARIO:=adhoc}"

vm_result() {
	if [ -n "${NETREC_RESULTS:-}" ]; then
		printf '%s\n' "$*" >>"$NETREC_RESULTS"
	else
		printf '%s\n' "$*"
	fi
	if [ -n "${NETREC_TALLY:-}" ]; then
		printf '%s\n' "$*" >>"$NETREC_TALLY"
	fi
}

# vm_pass CHECK
vm_pass() {
	vm_result "NETREC-PASS $NETREC_SCENARIO/$1"
}

# vm_fail CHECK WHY...
vm_fail() {
	vm_c_=$1
	shift
	vm_result "NETREC-FAIL $NETREC_SCENARIO/$vm_c_: $*"
}

# vm_skip CHECK WHY...
vm_skip() {
	vm_c_=$1
	shift
	vm_result "NETREC-SKIP $NETREC_SCENARIO/$vm_c_: $*"
}

# vm_info TEXT...
vm_info() {
	vm_result "NETREC-INFO $NETREC_SCENARIO: $*"
}

# vm_run CHECK CMD [ARG]...: pass if CMD exits 0, else fail naming the status and
# CMD's last line of output. The output goes to stderr (the console log in the guest).
vm_run() {
	vm_c_=$1
	shift
	vm_out_=$(mktemp)
	if "$@" >"$vm_out_" 2>&1; then
		vm_rc_=0
	else
		vm_rc_=$?
	fi
	sed "s|^|[$vm_c_] |" "$vm_out_" >&2
	if [ "$vm_rc_" -eq 0 ]; then
		vm_pass "$vm_c_"
	else
		vm_fail "$vm_c_" "'$*' exited $vm_rc_: $(tail -n 1 "$vm_out_")"
	fi
	rm -f "$vm_out_"
	return "$vm_rc_"
}

# vm_expect CHECK GOT OP WANT: OP is a test(1) comparison (-eq -ne -gt -ge -lt -le, or
# = != for strings); fails with both values
vm_expect() {
	if test "$2" "$3" "$4" 2>/dev/null; then
		vm_pass "$1"
		return 0
	fi
	vm_fail "$1" "got '$2', expected $3 '$4'"
	return 1
}

# vm_grep CHECK FILE PATTERN [WHAT]: pass if the extended regex PATTERN matches a line of
# FILE; else fail and show FILE's head on stderr
vm_grep() {
	if grep -Eq -e "$3" "$2" 2>/dev/null; then
		vm_pass "$1"
		return 0
	fi
	vm_fail "$1" "no line matching '$3' in $(basename "$2")${4:+ ($4)}"
	head -n 40 "$2" 2>/dev/null | sed "s|^|[$1] |" >&2
	return 1
}
