#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# fail.sh (guest, harness self-test) - one pass, one deliberate failure, one file back
. /vm/lib.sh
vm_pass ok
vm_fail deliberate "this failure is what the self-test expects"
echo 42 >"$NETREC_OUT/answer.txt"
