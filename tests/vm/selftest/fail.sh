#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# fail.sh (guest, harness self-test) - one pass, one deliberate failure, two files back:
# a small one and 4 MiB of random bytes (trace-sized) with their checksum
# vm-timeout: 97
# shellcheck source=SCRIPTDIR/../lib.sh
. /vm/lib.sh
vm_pass ok
vm_fail deliberate "this failure is what the self-test expects"
echo 42 >"$NETREC_OUT/answer.txt"
head -c 4194304 /dev/urandom >/tmp/bulk.bin
cp /tmp/bulk.bin "$NETREC_OUT/bulk.bin"
sha256sum </tmp/bulk.bin >"$NETREC_OUT/bulk.sha256"
