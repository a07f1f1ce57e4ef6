#!/bin/bash
# Plug a pc-dimm from the host (ACPI memory hotplug), check it comes
# online, then unplug it and check the kernel offlined and removed it and
# gave back its memmap (in RAM, or in the DIMM itself with
# memory_hotplug.memmap_on_memory=1).
. /tests/lib.sh

[ -d /sys/bus/acpi ] || { skip dimm "no ACPI"; finish; }
size=$((256 << 20))
total0=$(meminfo MemTotal)
blocks0=$(nr_blocks)
memmap0=$(vmstat nr_memmap_pages)
counters0=$(memmap_counters)

host dimm-add dimm0 $size
# With memory_hotplug.memmap_on_memory=1 ACPI puts each block's memmap in
# the block: MemTotal grows by the DIMM less that memmap.
pkb=$(awk '/^KernelPageSize/ { print $2; exit }' /proc/self/smaps)
plugged() {
	local want=$((size / 1024))
	memmap_on_memory &&
		want=$((want - ($(vmstat nr_memmap_pages) - memmap0) * pkb))
	[ "$(nr_blocks)" -gt "$blocks0" ] &&
		[ "$(meminfo MemTotal)" -ge $((total0 + want)) ]
}
check dimm_add_memtotal wait_for 120 plugged
check dimm_add_blocks [ "$(nr_blocks)" -gt "$blocks0" ]
check dimm_add_memmap [ "$(vmstat nr_memmap_pages)" -gt "$memmap0" ]
if memmap_on_memory; then
	mm_kb=$((($(vmstat nr_memmap_pages) - memmap0) * pkb))
	check dimm_memmap_in_the_dimm \
		[ "$(meminfo MemTotal)" -eq $((total0 + size / 1024 - mm_kb)) ]
fi
diag "plugged: $(memmap_counters)"

host dimm-del dimm0
removed() { [ "$(meminfo MemTotal)" -eq "$total0" ] && [ "$(nr_blocks)" -eq "$blocks0" ]; }
check dimm_remove_back wait_for 120 removed
diag "removed: $(memmap_counters)"
check dimm_remove_memmap_counters_back [ "$(memmap_counters)" = "$counters0" ]
finish
