#!/bin/bash
# make run: show the memory model and the vmemmap layout, hot-add memory
# (sysfs probe where the arch has it, else virtio-mem from the host), and
# show the memmap growing in the kernel page tables.
. /tests/lib.sh

diag "kernel $(uname -r) on $(uname -m)"
diag "memory model: SPARSEMEM with a virtual memmap; $(nr_blocks) memory blocks of $(block_bytes) bytes"
grep -E 'MemTotal|MemFree' /proc/meminfo | sed 's/^/# /'
diag "vmemmap: $(vmemmap_leaves); $(memmap_counters)"
diag "vmemmap region of the kernel page tables:"
vmemmap_dump | sed 's/^/#   /' | tee /tmp/before >/dev/null
cat /tmp/before

total=$(meminfo MemTotal)
if [ -w $MEMSYS/probe ] && [ -n "${VMTEST_PROBE:-}" ]; then
	addr=$((${VMTEST_PROBE%,*}))
	diag "hot-adding $(block_bytes) bytes at $(printf 0x%x $addr) through $MEMSYS/probe"
	check probe_add sh -c "printf 0x%x $addr >$MEMSYS/probe"
	blk=$MEMSYS/memory$((addr / $(block_bytes)))
	grep -qx offline $blk/state && echo online_movable >$blk/state
elif [ -d /sys/bus/virtio/drivers/virtio_mem ]; then
	diag "asking the host to grow virtio-mem by 512 MiB"
	host virtio-mem-resize vm0 $((512 << 20))
	grown() { [ "$(meminfo MemTotal)" -gt "$total" ]; }
	wait_for 60 grown
else
	skip hot_add "no hot-add method on this arch yet"
	finish
fi
check memtotal_grew [ "$(meminfo MemTotal)" -gt "$total" ]
grep -E 'MemTotal' /proc/meminfo | sed 's/^/# after: /'
diag "vmemmap region after the hot-add (+ new, - gone):"
vmemmap_dump | sed 's/^/#   /' >/tmp/after
diff -u /tmp/before /tmp/after | grep -E '^[-+]#' | sed 's/^\([-+]\)/# \1 /'
check memmap_grew sh -c '! cmp -s /tmp/before /tmp/after'
finish
