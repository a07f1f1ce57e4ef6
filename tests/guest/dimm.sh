#!/bin/bash
# Plug a pc-dimm from the host (ACPI memory hotplug), check it comes
# online, then unplug it and check the kernel offlined and removed it and
# gave back its memmap.
. /tests/lib.sh

[ -d /sys/bus/acpi ] || { skip dimm "no ACPI"; finish; }
size=$((256 << 20))
total0=$(meminfo MemTotal)
blocks0=$(nr_blocks)
memmap0=$(vmstat nr_memmap_pages)
counters0=$(memmap_counters)

host dimm-add dimm0 $size
plugged() { [ "$(meminfo MemTotal)" -ge $((total0 + size / 1024)) ]; }
check dimm_add_memtotal wait_for 120 plugged
check dimm_add_blocks [ "$(nr_blocks)" -gt "$blocks0" ]
check dimm_add_memmap [ "$(vmstat nr_memmap_pages)" -gt "$memmap0" ]
diag "plugged: $(memmap_counters)"

host dimm-del dimm0
removed() { [ "$(meminfo MemTotal)" -eq "$total0" ] && [ "$(nr_blocks)" -eq "$blocks0" ]; }
check dimm_remove_back wait_for 120 removed
diag "removed: $(memmap_counters)"
check dimm_remove_memmap_counters_back [ "$(memmap_counters)" = "$counters0" ]
finish
