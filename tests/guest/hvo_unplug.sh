#!/bin/bash
# HugeTLB vmemmap optimisation (hugetlb_free_vmemmap=on, hugepages=N at
# boot) against every way x86_64 takes memory away, before the hvo suite
# (which probes the first two blocks of the hidden range):
#  1. boot-time hugepages: freeing them restores 7 memmap pages each;
#  2. hugepages in use (a hugetlbfs file holds them) in a probed movable
#     block: offlining migrates them, the file keeps its pages, nothing
#     is reported;
#  3. virtio-mem shrink with free hugepages in the memory it plugged;
#  4. ACPI DIMM unplug with free hugepages in the DIMM.
# Each time the memory must really go (memory blocks, and MemTotal less
# the boot memmap HVO frees when hugepages are allocated again), the
# kernel log must stay clean and the memmap (nr_memmap_pages plus
# nr_memmap_boot_pages) must come back exactly once the pool is empty.
. /tests/lib.sh

grep -qw 'hugetlb_free_vmemmap=on' /proc/cmdline ||
	{ skip hvo_unplug "boot without hugetlb_free_vmemmap=on"; finish; }
[ -w /proc/sys/vm/nr_hugepages ] || needed hvo_unplug "no hugetlb"
[ "$(meminfo Hugepagesize)" = 2048 ] ||
	{ skip hvo_unplug "default hugepage size is not 2M"; finish; }
boot_hp=$(sed -n 's/.*\bhugepages=\([0-9]*\).*/\1/p' /proc/cmdline)

nrhp=/proc/sys/vm/nr_hugepages
bs=$(block_bytes)
hp_per_block=$((bs / (2 << 20)))
reports0=$(kernel_reports | wc -l)
memmap() { echo $(($(vmstat nr_memmap_pages) + $(vmstat nr_memmap_boot_pages))); }
movable_free() {
	awk '$1 == "Node" { z = $4 } z == "Movable" && $1 == "nr_free_pages" { n += $2 } END { print n + 0 }' /proc/zoneinfo
}
bad_pages() { dmesg | grep -c 'Bad page state'; }
pkb=$(awk '/^KernelPageSize/ { print $2; exit }' /proc/self/smaps)
# MemTotal as it should be: TOTAL kB, plus the boot memmap that HVO gave
# back to the page allocator since BOOT (nr_memmap_boot_pages) was read,
# as it does when the hugepages are allocated again in boot memory.
memtotal_want() { echo $(($1 + ($2 - $(vmstat nr_memmap_boot_pages)) * pkb)); }
clean() { [ "$(bad_pages)" -eq 0 ] && [ "$(kernel_reports | wc -l)" -eq "$reports0" ]; }

# 1. Boot-time hugepages: each was optimised at boot, so freeing it
# allocates the 7 vmemmap pages HVO had given back.
if [ -n "$boot_hp" ] && [ "$boot_hp" -gt 0 ]; then
	have=$(cat $nrhp)
	check "hvo_unplug: the $boot_hp boot-time hugepages are there" [ "$have" -ge "$boot_hp" ]
	m0=$(memmap)
	echo 0 >$nrhp
	diag "hvo_unplug: freed $have hugepages: memmap $m0 -> $(memmap)"
	check "hvo_unplug: freeing them restores 7 memmap pages each" \
		[ "$(memmap)" -eq $((m0 + 7 * have)) ]
	check "hvo_unplug: cleanly" clean
else
	fail "hvo_unplug: booted without hugepages=N"
fi
echo 0 >$nrhp

# 2. Hugepages in use, in a probed block onlined movable: offline must
# migrate them (to temporary folios outside the block) and dissolve the
# originals.  The block is the third of the hidden range.
probe=$MEMSYS/probe
if [ -w $probe ] && [ -n "${VMTEST_PROBE:-}" ]; then
	b=$((${VMTEST_PROBE%,*} / bs + 2))
	auto=$(cat $MEMSYS/auto_online_blocks)
	echo offline >$MEMSYS/auto_online_blocks
	printf '0x%x' $((b * bs)) >$probe 2>/dev/null &&
		echo online_movable >$MEMSYS/memory$b/state
	check "hvo_unplug: block $b probed and online movable" \
		grep -qx online $MEMSYS/memory$b/state
	# Probing allocated the block's memmap; offlining keeps it.
	memmap0=$(memmap) free0=$(movable_free)
	echo "$hp_per_block" >$nrhp
	mkdir -p /mnt/huge && mount -t hugetlbfs none /mnt/huge
	fallocate -l $((hp_per_block << 21)) /mnt/huge/held
	used=$(($(meminfo HugePages_Total) - $(meminfo HugePages_Free)))
	diag "hvo_unplug: $used hugepages held by /mnt/huge/held; movable free $free0 -> $(movable_free)"
	check "hvo_unplug: a hugetlbfs file holds the pool" [ "$used" -eq "$hp_per_block" ]
	check "hvo_unplug: they lie in the block" \
		[ $((free0 - $(movable_free))) -ge $((hp_per_block * 512 / 2)) ]
	total0=$(meminfo MemTotal) boot0=$(vmstat nr_memmap_boot_pages)
	echo offline >$MEMSYS/memory$b/state
	check "hvo_unplug: block $b offline with hugepages in use" \
		grep -qx offline $MEMSYS/memory$b/state
	check "hvo_unplug: MemTotal down by the block" \
		[ "$(meminfo MemTotal)" -eq "$(memtotal_want $((total0 - bs / 1024)) "$boot0")" ]
	check "hvo_unplug: the file still holds its hugepages (migrated)" \
		[ $(($(meminfo HugePages_Total) - $(meminfo HugePages_Free))) -eq "$used" ]
	rm -f /mnt/huge/held
	umount /mnt/huge
	echo 0 >$nrhp
	diag "hvo_unplug: memmap $memmap0 -> $(memmap)"
	check "hvo_unplug: memmap back after the in-use offline" [ "$(memmap)" -eq "$memmap0" ]
	check "hvo_unplug: cleanly after the in-use offline" clean
	echo "$auto" >$MEMSYS/auto_online_blocks
else
	fail "hvo_unplug: no probe file or hidden range"
fi

# PTE leaves of the vmemmap in the page table dump, and how many make a
# table (a PMD leaf's worth).
pte_leaves() { vmemmap_leaves | sed -n 's/.* \([0-9]*\) PTE leaves.*/\1/p'; }
ptes_per_table=$(($(meminfo Hugepagesize) / $(awk '/^KernelPageSize:/ { print $2; exit }' /proc/self/smaps)))

# unplug NAME GROW-CMD SHRINK-CMD BYTES: grow by BYTES from the host, fill
# the new memory with free hugepages, take it away again.
unplug() {
	local name=$1 grow=$2 shrink=$3 bytes=$4 total0 blocks0 free0 got memmap0 boot0 pgt0
	total0=$(meminfo MemTotal) blocks0=$(nr_blocks) memmap0=$(memmap)
	pgt0=$(vmstat nr_vmemmap_pgtable_pages) pte0=$(pte_leaves)
	boot0=$(vmstat nr_memmap_boot_pages)
	host $grow
	grown() { [ "$(meminfo MemTotal)" -ge $((total0 + bytes / 1024)) ]; }
	check "hvo_unplug: $name plugged" wait_for 120 grown
	free0=$(movable_free)
	echo $((bytes / (2 << 20))) >$nrhp
	got=$(cat $nrhp)
	diag "hvo_unplug: $name: $got hugepages; movable free $free0 -> $(movable_free)"
	check "hvo_unplug: $name: hugepages in its memory" \
		[ $((free0 - $(movable_free))) -ge $((bytes / 4096 / 2)) ]
	host $shrink
	gone() {
		[ "$(nr_blocks)" -eq "$blocks0" ] &&
			[ "$(meminfo MemTotal)" -eq "$(memtotal_want "$total0" "$boot0")" ]
	}
	check "hvo_unplug: $name unplugged with hugepages in it" wait_for 120 gone
	echo 0 >$nrhp
	diag "hvo_unplug: $name: memmap $memmap0 -> $(memmap), vmemmap page tables ${pgt0:-uncounted} -> $(vmstat nr_vmemmap_pgtable_pages)"
	check "hvo_unplug: $name: memmap back" [ "$(memmap)" -eq "$memmap0" ]
	# HVO split the PMD leaves of the unplugged memory's memmap into PTE
	# tables: the teardown must have freed them and their count, and left
	# no mapping of memmap nobody uses.
	check_kunit "hvo_unplug: $name: KUnit vmemmap layout and counter after it"
	# What stays is HVO's split of PMD leaves whose hugepages fell in boot
	# memory: the counter may grow by those tables (a full PTE table per
	# PMD leaf) and by nothing else.
	if [ -n "$pgt0" ]; then
		check "hvo_unplug: $name: page-table counter moved only by HVO's splits in boot memory" \
			[ $(($(vmstat nr_vmemmap_pgtable_pages) - pgt0)) -eq $((($(pte_leaves) - pte0) / ptes_per_table)) ]
	else
		skip "hvo_unplug: $name: page-table counter moved only by HVO's splits in boot memory" \
			"no nr_vmemmap_pgtable_pages in ${VMTEST_VARIANT:-this kernel}"
	fi
	check "hvo_unplug: $name: cleanly" clean
}

# 3. virtio-mem: its device (vm0) plugs and unplugs in sub-block units.
if ls -d /sys/bus/virtio/drivers/virtio_mem/virtio* >/dev/null 2>&1; then
	unplug virtio-mem "virtio-mem-resize vm0 $((256 << 20))" "virtio-mem-resize vm0 0" $((256 << 20))
else
	fail "hvo_unplug: no virtio-mem device"
fi
# 4. An ACPI DIMM: the guest offlines and removes it on the eject request.
if [ -d /sys/bus/acpi ]; then
	unplug dimm "dimm-add hvodimm $((256 << 20))" "dimm-del hvodimm" $((256 << 20))
else
	fail "hvo_unplug: no ACPI"
fi

if [ "$(bad_pages)" -gt 0 ]; then
	dmesg | grep -A3 'Bad page state' | head -12 | sed 's/^/# /'
fi
finish
