#!/bin/bash
# memory_hotplug.memmap_on_memory=1: a hot-added memory block carries its
# own memmap (an altmap at its start) instead of taking it from RAM.
# Probe the last block of the range mem= hid, online it and check that
# MemTotal grew by the block less its memmap, that the memmap counter
# grew by exactly that memmap and that the vmemmap page tables (the
# series' counter) came from RAM; offline it and check MemTotal is back.
# The probe files of the harness's kernels ask for the memmap on the
# memory (patches/testing/), as ACPI and dax/kmem do; the rest of this
# boot (hotplug_faults, hotplug_stress, dimm) then adds, fails and removes
# such blocks.
. /tests/lib.sh

probe=$MEMSYS/probe
[ -w $probe ] && [ -n "${VMTEST_PROBE:-}" ] ||
	needed memmap_on_memory "no $probe or no hidden range"
if ! memmap_on_memory; then
	fail memmap_on_memory "not booted with memory_hotplug.memmap_on_memory=1"
	finish
fi
base=$((${VMTEST_PROBE%,*}))
size=$((${VMTEST_PROBE#*,}))
bs=$(block_bytes)
if [ "$size" -lt $((3 * bs)) ]; then
	fail memmap_on_memory "the hidden range has fewer than 3 blocks"
	finish
fi
pkb=$(($(awk '/^KernelPageSize/ { print $2; exit }' /proc/self/smaps)))
addr=$((base + size - bs))
blk=$MEMSYS/memory$((addr / bs))
auto=$(cat $MEMSYS/auto_online_blocks)
echo offline >$MEMSYS/auto_online_blocks

total0=$(meminfo MemTotal) memmap0=$(vmstat nr_memmap_pages)
check "memmap_on_memory: probe adds the block" \
	sh -c "printf '0x%x' $addr >$probe"
check "memmap_on_memory: it appears offline" \
	[ "$(cat $blk/state 2>/dev/null)" = offline ]
mm_kb=$((($(vmstat nr_memmap_pages) - memmap0) * pkb))
diag "block $(basename $blk): $((bs >> 10)) kB, its memmap $mm_kb kB"
check "memmap_on_memory: the memmap counter grew by the block's memmap" \
	[ "$mm_kb" -gt 0 -a "$mm_kb" -lt $((bs >> 10)) ]
check "memmap_on_memory: the block onlines" sh -c "echo online >$blk/state"
grew=$(($(meminfo MemTotal) - total0))
diag "MemTotal grew by $grew kB"
check "memmap_on_memory: MemTotal grew by the block less its memmap" \
	[ "$grew" -eq $(((bs >> 10) - mm_kb)) ]
check "memmap_on_memory: the block offlines" sh -c "echo offline >$blk/state"
check "memmap_on_memory: MemTotal is back" [ "$(meminfo MemTotal)" -eq "$total0" ]
check "memmap_on_memory: no kernel report" [ -z "$(kernel_reports)" ]
echo "$auto" >$MEMSYS/auto_online_blocks
finish
