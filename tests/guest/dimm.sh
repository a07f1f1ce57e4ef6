#!/bin/bash
# Plug a pc-dimm from the host (ACPI memory hotplug), check it comes
# online, then unplug it and check the kernel offlined and removed it.
. /tests/lib.sh

[ -d /sys/bus/acpi ] || { skip dimm "no ACPI"; finish; }
size=$((256 << 20))
total0=$(meminfo MemTotal)
blocks0=$(nr_blocks)

host dimm-add dimm0 $size
plugged() { [ "$(meminfo MemTotal)" -ge $((total0 + size / 1024)) ]; }
check dimm_add_memtotal wait_for 120 plugged
check dimm_add_blocks [ "$(nr_blocks)" -gt "$blocks0" ]

host dimm-del dimm0
removed() { [ "$(meminfo MemTotal)" -eq "$total0" ] && [ "$(nr_blocks)" -eq "$blocks0" ]; }
check dimm_remove_back wait_for 120 removed
finish
