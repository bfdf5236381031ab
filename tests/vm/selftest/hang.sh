#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# hang.sh (guest, harness self-test) - never finish within the whole-run limit
# vm-timeout: 600
sleep 600
