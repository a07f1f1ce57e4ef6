#!/bin/bash
# Stress: vmtest.stress_cycles (default 24) add/online/offline/remove
# cycles of two memory blocks of the range mem= hid, through
# memmap_bench/hotplug, while two walkers run on the other vCPU: one reads
# /proc/kpageflags (every pfn to its struct page) and one compacts memory.
# Every cycle must get through, and afterwards the memory blocks, System
# RAM resources, memmap counters and vmemmap layout must be as before,
# with no kernel warning.  The untouched baseline tree has no memmap_bench.
. /tests/lib.sh

hp=/sys/kernel/debug/memmap_bench/hotplug
[ -w $hp ] && [ -n "${VMTEST_PROBE:-}" ] ||
	needed hotplug_stress "no $hp or no hidden range"
range=$(hidden_pair)
cycles=${VMTEST_STRESS_CYCLES:-24}
auto=$(cat $MEMSYS/auto_online_blocks)
echo offline >$MEMSYS/auto_online_blocks
warnings() { dmesg | grep -cE 'WARNING:|BUG:|Oops|Call Trace'; }

before=$(hotplug_state) pages0=$(memmap_pages) warn0=$(warnings)
(while :; do cat /proc/kpageflags >/dev/null; done) &
reader=$!
(while :; do echo 1 >/proc/sys/vm/compact_memory; sleep 0.2; done) &
compactor=$!
done_=0 failed=0
for i in $(seq "$cycles"); do
	if echo "$range" >$hp 2>/dev/null; then
		done_=$((done_ + 1))
	else
		failed=$((failed + 1))
	fi
done
kill $reader $compactor 2>/dev/null
wait $reader $compactor 2>/dev/null
after=$(hotplug_state) warn1=$(warnings)
diag "tally: stress cycles=$cycles done=$done_ failed=$failed leaked_pages=$(($(memmap_pages) - pages0))"
check "hotplug_stress: all $cycles cycles got through" [ "$done_" -eq "$cycles" ]
check "hotplug_stress: no drift in blocks, resources, counters, layout" [ "$after" = "$before" ]
check "hotplug_stress: no kernel warning" [ "$warn1" -eq "$warn0" ]
echo "$auto" >$MEMSYS/auto_online_blocks
finish
