#!/bin/bash
# A hot-add the architecture refuses: s390 with KASAN maps the shadow of
# memory above mem= to its read-only early shadow page (patch 27), so
# adding two blocks of the hidden range through memmap_bench/hotplug
# must fail with ERANGE, say why in the kernel log, and leave blocks,
# resources, counters and layout as they were.  Run by the s390+kasan
# flavour instead of the hotplug suites.
. /tests/lib.sh

hp=/sys/kernel/debug/memmap_bench/hotplug
[ -w $hp ] && [ -n "${VMTEST_PROBE:-}" ] ||
	needed hotplug_refused "no $hp or no hidden range"
range=$(hidden_pair)
# memmap_bench/hotplug refuses (EBUSY) while adding onlines by default.
auto=$(cat $MEMSYS/auto_online_blocks)
echo offline >$MEMSYS/auto_online_blocks
before=$(hotplug_state) pages0=$(memmap_pages)
err=$( (echo "$range" >$hp) 2>&1) && rc=0 || rc=1
diag "write [$range]: ${err:-accepted}"
check "hotplug_refused: the add fails" [ $rc = 1 ]
check "hotplug_refused: with ERANGE" sh -c "echo '$err' | grep -q 'out of range'"
check "hotplug_refused: the log says why" sh -c "dmesg | grep -q 'KASAN shadow is read-only'"
check "hotplug_refused: nothing added" [ "$(hotplug_state)" = "$before" ]
check "hotplug_refused: no memmap page leaked" [ "$(memmap_pages)" = "$pages0" ]
echo "$auto" >$MEMSYS/auto_online_blocks
finish
