#!/bin/bash
# Stress: vmtest.stress_cycles (default 24) add/online/offline/remove
# cycles of two memory blocks of the range mem= hid, through
# memmap_bench/hotplug, while two walkers run on the other vCPU: one reads
# the /proc/kpageflags of those blocks (pfn to struct page) and one
# compacts memory; both must have run (the reader is skipped where the
# blocks lie beyond /proc/kpageflags: s390).  Compaction must really scan
# while the blocks come and go (offline waits for it only one RCU grace
# period, it does not turn it off), and again once the cycles are over.
# The reader (tests/helpers/kpfread.c) times every read() and tells those
# that slept (voluntary context switch) from those only preempted, and
# from those that took a page fault: none may sleep as long as offlining
# the two blocks takes, which a reader that waited for an offline would.
# Every cycle must get through, and afterwards the memory blocks, System
# RAM resources, memmap counters and vmemmap layout must be as before,
# with no kernel warning.  The untouched baseline tree has no memmap_bench.
. /tests/lib.sh

hp=/sys/kernel/debug/memmap_bench/hotplug
[ -w $hp ] && [ -n "${VMTEST_PROBE:-}" ] ||
	needed hotplug_stress "no $hp or no hidden range"
range=$(hidden_pair)
cycles=${VMTEST_STRESS_CYCLES:-24}
auto=$(cat $MEMSYS/auto_online_blocks)
echo offline >$MEMSYS/auto_online_blocks
warnings() { kernel_reports | wc -l; }

# Pages the compaction scanners looked at, and reads of the kpageflags of
# the two blocks: 4K (512 pfns) a read, round and round the range.
scanned() { echo $(($(vmstat compact_migrate_scanned) + $(vmstat compact_free_scanned))); }
reads_out=/tmp/kpageflags-reads runs=/tmp/compact-runs stop=/tmp/stress-stop
page=$(($(awk '/^KernelPageSize/ { print $2; exit }' /proc/self/smaps) * 1024))
first=$((${range% *} / page * 8 / 4096)) len=$((${range#* } / page * 8 / 4096))

before=$(hotplug_state) pages0=$(memmap_pages) warn0=$(warnings) scan0=$(scanned)
# /proc/kpageflags ends at max_pfn, which s390 does not raise for memory
# added above it: there the reader would only read end-of-file.
kpf() { dd if=/proc/kpageflags bs=4096 count=1 skip=$1 2>/dev/null | wc -c; }
reach=$(kpf $first)
# The walkers stop at $stop, not by a signal: a kill could land between
# the truncation and the write of a count.  If the suite is killed, the
# trap stops them too; they write nowhere the suite's output goes.
rm -f $stop $reads_out $runs
trap 'touch $stop; exit 1' TERM INT
if [ "$reach" = 4096 ]; then
	kpfread $first $len $stop >$reads_out 2>&1 &
	reader=$!
else
	reader=
fi
(n=0; while [ ! -e $stop ] && echo 1 >/proc/sys/vm/compact_memory
 do n=$((n + 1)); echo $n >$runs; sleep 0.2; done) >/dev/null 2>&1 &
compactor=$!
done_=0 failed=0 first_fail= off_min= off_max=0
for i in $(seq "$cycles"); do
	if err=$( (echo "$range" >$hp) 2>&1); then
		done_=$((done_ + 1))
		off=$(sed -n 's/.* offline_ns=\([0-9]*\).*/\1/p' $hp)
		off=$((off / 1000))
		[ -n "$off_min" ] && [ "$off_min" -le "$off" ] || off_min=$off
		[ "$off_max" -ge "$off" ] || off_max=$off
	else
		failed=$((failed + 1))
		[ -n "$first_fail" ] || first_fail="cycle $i: ${err##*: }"
	fi
done
touch $stop
reader_rc=0
[ -z "$reader" ] || wait $reader || reader_rc=$?
wait $compactor
scan1=$(scanned)
echo 1 >/proc/sys/vm/compact_memory
after=$(hotplug_state) warn1=$(warnings) scan2=$(scanned)
kpf_line=$(cat $reads_out 2>/dev/null)
field() { echo "$kpf_line" | sed -n "s/.*$1=\([0-9]*\).*/\1/p"; }
reads=$(field reads) longest_slept=$(field longest_slept_us)
compactions=$(cat $runs 2>/dev/null || echo 0)
diag "walkers: ${reads:-0} full kpageflags reads of 512 pfns, $compactions compactions scanning $((scan1 - scan0)) pages; $((scan2 - scan1)) after"
[ -z "$reader" ] || diag "kpageflags reads: $kpf_line (exit $reader_rc); offlining the two blocks took ${off_min:-?}-$off_max us a cycle"
diag "tally: stress cycles=$cycles done=$done_ failed=$failed leaked_pages=$(($(memmap_pages) - pages0))"
if [ -n "$first_fail" ]; then
	diag "first failure: $first_fail"
	dmesg | grep -iE 'memmap_bench|offlin|isolat' | tail -5 | while read -r l; do diag "$l"; done
fi
[ "$after" = "$before" ] || diag "state after: [$after], before: [$before]"
check "hotplug_stress: compaction ran beside the cycles" [ "$compactions" -gt 0 ]
if [ -n "$reader" ]; then
	check "hotplug_stress: the kpageflags reader ran beside the cycles" \
		[ "$reader_rc" -eq 0 -a "${reads:-0}" -gt 0 ]
	check "hotplug_stress: no kpageflags read slept as long as an offline" \
		[ "${longest_slept:-1}" -lt "${off_min:-0}" ]
else
	skip "hotplug_stress: the kpageflags reader ran beside the cycles" \
		"the blocks are beyond max_pfn, where /proc/kpageflags ends"
	skip "hotplug_stress: no kpageflags read slept as long as an offline" \
		"the blocks are beyond max_pfn, where /proc/kpageflags ends"
fi
check "hotplug_stress: compaction scanned beside the cycles" [ "$scan1" -gt "$scan0" ]
check "hotplug_stress: compaction scans after the cycles" [ "$scan2" -gt "$scan1" ]
check "hotplug_stress: all $cycles cycles got through" [ "$done_" -eq "$cycles" ]
check "hotplug_stress: no drift in blocks, resources, counters, layout" [ "$after" = "$before" ]
check "hotplug_stress: no kernel warning" [ "$warn1" -eq "$warn0" ]
echo "$auto" >$MEMSYS/auto_online_blocks
finish
