#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# after.sh (guest, harness self-test) - runs after slow.sh: nothing it started survives
# shellcheck source=SCRIPTDIR/../lib.sh
. /vm/lib.sh
# shellcheck disable=SC2009 # busybox has no pgrep
vm_expect no-leftovers "$(ps -o pid,args | grep -c '[s]leep 300')" -eq 0
# the watchdog of fail.sh (limit 97 s) went with its sleep when fail.sh ended
# shellcheck disable=SC2009
vm_expect no-watchdog-leftovers "$(ps -o pid,args | grep -c '[s]leep 97')" -eq 0
