#!/bin/bash
# Grow a virtio-mem device from the host (QMP), check the memory arrives
# online and MemTotal follows, then shrink it back to zero and check every
# block it added is gone again, and the memmap with it (/proc/vmstat).
. /tests/lib.sh

dev=$(ls -d /sys/bus/virtio/drivers/virtio_mem/virtio* 2>/dev/null | head -1)
[ -n "$dev" ] || { skip virtio_mem "no virtio-mem device"; finish; }
grow=$((512 << 20))
total0=$(meminfo MemTotal)
blocks0=$(nr_blocks)
memmap0=$(vmstat nr_memmap_pages)
counters0=$(memmap_counters)

host virtio-mem-resize vm0 $grow
grown() { [ "$(meminfo MemTotal)" -ge $((total0 + grow / 1024)) ]; }
check virtio_mem_grow_memtotal wait_for 120 grown
check virtio_mem_grow_blocks [ "$(nr_blocks)" -gt "$blocks0" ]
check virtio_mem_grow_memmap [ "$(vmstat nr_memmap_pages)" -gt "$memmap0" ]
diag "grown: MemTotal $(meminfo MemTotal) kB, $(nr_blocks) blocks, $(memmap_counters)"

host virtio-mem-resize vm0 0
shrunk() { [ "$(meminfo MemTotal)" -eq "$total0" ] && [ "$(nr_blocks)" -eq "$blocks0" ]; }
check virtio_mem_shrink_back wait_for 120 shrunk
diag "shrunk: MemTotal $(meminfo MemTotal) kB, $(nr_blocks) blocks, $(memmap_counters)"
check virtio_mem_shrink_memmap_counters_back [ "$(memmap_counters)" = "$counters0" ]
finish
