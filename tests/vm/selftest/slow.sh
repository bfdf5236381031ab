#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# slow.sh (guest, harness self-test) - outlives its guest-side limit; init must kill it
# and everything it started, and go on
# vm-timeout: 2
sleep 300 &
sleep 300
