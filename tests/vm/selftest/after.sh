#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# after.sh (guest, harness self-test) - runs after slow.sh: nothing it started survives
. /vm/lib.sh
vm_expect no-leftovers "$(ps -o pid,args | grep -c '[s]leep 300')" -eq 0
