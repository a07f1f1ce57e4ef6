#!/bin/bash
# HugeTLB vmemmap optimisation (boot with hugetlb_free_vmemmap=on) against
# memory offline: probe two blocks of the range mem= hid, online them
# movable, fill them with hugepages (movable hugetlb allocations take
# ZONE_MOVABLE first), then offline the blocks one by one.  Each offline
# must dissolve the block's hugepages without a bad page state or any
# other kernel report, and its memory must leave MemTotal.  The memmap
# counters must fall by HVO's saving while the hugepages are allocated
# (7 of the 8 memmap pages of each 2M folio) and come back when they are
# dissolved.
. /tests/lib.sh

grep -qw 'hugetlb_free_vmemmap=on' /proc/cmdline ||
	{ skip hvo "boot without hugetlb_free_vmemmap=on"; finish; }
probe=$MEMSYS/probe
[ -w $probe ] || needed hvo "no $probe"
[ -n "${VMTEST_PROBE:-}" ] || { skip hvo "no hidden range given"; finish; }
[ -w /proc/sys/vm/nr_hugepages ] || needed hvo "no hugetlb"
[ "$(meminfo Hugepagesize)" = 2048 ] ||
	{ skip hvo "default hugepage size is not 2M"; finish; }

bs=$(block_bytes)
first=$((${VMTEST_PROBE%,*} / bs))
hp_kb=$(meminfo Hugepagesize)
per_block=$((bs / 1024 / hp_kb))
reports0=$(kernel_reports | wc -l)
# The memmap, boot and hot-added, in pages.
memmap() { echo $(($(vmstat nr_memmap_pages) + $(vmstat nr_memmap_boot_pages))); }
movable_free() {
	awk '$1 == "Node" { z = $4 } z == "Movable" && $1 == "nr_free_pages" { n += $2 } END { print n + 0 }' /proc/zoneinfo
}
# offline_block N: offline it, interrupting an offline that cannot finish.
offline_block() {
	echo offline >"$MEMSYS/memory$1/state" &
	local pid=$! t=120
	while kill -0 $pid 2>/dev/null && [ $t -gt 0 ]; do sleep 1; t=$((t - 1)); done
	kill -INT $pid 2>/dev/null
	wait $pid
}

echo offline >$MEMSYS/auto_online_blocks
for b in $first $((first + 1)); do
	printf '0x%x' $((b * bs)) >$probe 2>/dev/null &&
	echo online_movable >"$MEMSYS/memory$b/state" ||
		{ fail "hvo: probe and online block $b movable"; finish; }
done
ok "hvo: two blocks probed and online movable"

free0=$(movable_free) memmap0=$(memmap)
had=$(cat /proc/sys/vm/nr_hugepages)
want=$((had + 2 * per_block))
echo $want >/proc/sys/vm/nr_hugepages
got=$(($(cat /proc/sys/vm/nr_hugepages) - had))
free1=$(movable_free) memmap1=$(memmap)
diag "hvo: $got of $want hugepages of ${hp_kb}K; movable free pages $free0 -> $free1; memmap pages $memmap0 -> $memmap1"
check "hvo: hugepages allocated" [ "$got" -ge "$per_block" ]
# At least one block's worth of hugepages in the new blocks.
check "hvo: hugepages in the hot-added blocks" \
	[ $((free0 - free1)) -ge $((per_block * hp_kb / 4)) ]
check "hvo: memmap falls by 7 pages per 2M hugepage" \
	[ $((memmap0 - memmap1)) -ge $((got * 6)) ]
# After HVO freed boot memmap, which adds to MemTotal.
total0=$(meminfo MemTotal)

n=0
for b in $((first + 1)) $first; do
	n=$((n + 1))
	offline_block $b
	check "hvo: block $b offline" grep -qx offline "$MEMSYS/memory$b/state"
	check "hvo: MemTotal down by $n blocks" \
		[ "$(meminfo MemTotal)" -eq $((total0 - n * bs / 1024)) ]
done
memmap2=$(memmap)
echo "$had" >/proc/sys/vm/nr_hugepages
diag "hvo: memmap pages after offline $memmap2, after freeing the rest $(memmap)"
# Optimizing a folio and restoring it again nets nothing (+1 -8 +7).
check "hvo: memmap back where it was" [ "$(memmap)" -eq "$memmap0" ]
check "hvo: no bad page state" sh -c "! dmesg | grep -q 'Bad page state'"
check "hvo: no other kernel report" [ "$(kernel_reports | wc -l)" -eq "$reports0" ]
if dmesg | grep -q 'Bad page state'; then
	dmesg | grep -A3 'Bad page state' | head -12 | sed 's/^/# /'
fi
finish
