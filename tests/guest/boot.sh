#!/bin/bash
# The guest booted cleanly: no kernel warning, memory blocks present and
# online, and the vmemmap region mapped in the kernel page tables (dumped
# here so a reader sees the layout).
. /tests/lib.sh

diag "kernel: $(uname -r) $(uname -m)"
diag "cmdline: $(cat /proc/cmdline)"
if dmesg | grep -E 'WARNING:|BUG:|Oops|Call Trace' >/tmp/warn; then
	sed 's/^/# /' /tmp/warn | head -40
	fail no_kernel_warnings
else
	ok no_kernel_warnings
fi

total_kb=$(meminfo MemTotal)
online_kb=$(( $(online_blocks) * $(block_bytes) / 1024 ))
diag "MemTotal ${total_kb} kB; $(online_blocks) of $(nr_blocks) memory blocks of $(block_bytes) bytes online"
check memory_blocks_online [ "$(online_blocks)" -gt 0 ]
check memtotal_within_online_blocks [ "$total_kb" -le "$online_kb" ]

# The vmemmap part of the kernel page table dump, whatever the arch calls it.
ptdump=
for f in /sys/kernel/debug/page_tables/kernel /sys/kernel/debug/kernel_page_tables; do
	[ -r "$f" ] && { ptdump=$f; break; }
done
if [ -z "$ptdump" ]; then
	fail vmemmap_mapped "no kernel page table dump in debugfs"
else
	vmemmap_part "$ptdump" | sed 's/^/# /' | head -60 >/tmp/vmemmap
	cat /tmp/vmemmap
	check vmemmap_mapped grep -qw RW /tmp/vmemmap
fi

# The series counts the page-table pages that map the memmap; upstream
# and the baseline have no such counter.
diag "vmemmap: $(vmemmap_leaves); $(memmap_counters)"
if [ "${VMTEST_VARIANT:-}" = series ]; then
	check engine_pgtable_counter [ "$(vmstat nr_vmemmap_pgtable_pages)" -gt 0 ]
else
	skip engine_pgtable_counter "$VMTEST_VARIANT: no generic engine"
fi
# Which layout this boot has, for the boots with nokaslr and no5lvl.
diag "layout: cmdline [$(tr -d '\n' </proc/cmdline | grep -oE '(nokaslr|no5lvl)' | tr '\n' ' ')] la57 $(grep -cw la57 /proc/cpuinfo)"
finish
