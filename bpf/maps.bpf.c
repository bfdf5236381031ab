// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* maps.bpf.c - the one definition of every shared map and global (see maps.bpf.h) */
#define NR_MAPS_DEFINE
#include "maps.bpf.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";
