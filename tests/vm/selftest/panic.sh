#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# panic.sh (guest, harness self-test) - crash the kernel
echo c >/proc/sysrq-trigger
