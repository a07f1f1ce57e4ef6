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
if [ ! -w $hp ] || [ -z "${VMTEST_PROBE:-}" ]; then
	if [ "${VMTEST_VARIANT:-}" = series ]; then
		fail hotplug_stress "no $hp or no hidden range"
	else
		skip hotplug_stress "no memmap_bench in this kernel"
	fi
	finish
fi
base=$((${VMTEST_PROBE%,*}))
bs=$(block_bytes)
range=$(printf '0x%x 0x%x' $base $((2 * bs)))
cycles=${VMTEST_STRESS_CYCLES:-24}
auto=$(cat $MEMSYS/auto_online_blocks)
echo offline >$MEMSYS/auto_online_blocks
pages() { local a b; a=$(vmstat nr_memmap_pages); b=$(vmstat nr_vmemmap_pgtable_pages); echo $((a + ${b:-0})); }
state() {
	echo "$(nr_blocks) $(grep -c 'System RAM' /proc/iomem) $(memmap_counters)" \
	     "$(cat /sys/kernel/debug/vmemmap 2>/dev/null | md5sum)"
}
warnings() { dmesg | grep -cE 'WARNING:|BUG:|Oops|Call Trace'; }

before=$(state) pages0=$(pages) warn0=$(warnings)
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
after=$(state) warn1=$(warnings)
diag "tally: stress cycles=$cycles done=$done_ failed=$failed leaked_pages=$(($(pages) - pages0))"
check "hotplug_stress: all $cycles cycles got through" [ "$done_" -eq "$cycles" ]
check "hotplug_stress: no drift in blocks, resources, counters, layout" [ "$after" = "$before" ]
check "hotplug_stress: no kernel warning" [ "$warn1" -eq "$warn0" ]
echo "$auto" >$MEMSYS/auto_online_blocks
finish
