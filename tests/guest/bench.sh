#!/bin/bash
# The memory model benchmark (CONFIG_MEMMAP_BENCH).  Checks, on every
# kernel that has it: bad loop counts and bad hotplug ranges are refused,
# every round trip of the conversions comes back right, hotplug cycles
# leave the memory blocks and memmap counters as they were.  Prints the
# raw figures as "# bench: ..." lines for scripts/benchreport.py:
#   vmtest.bench_loops=N      round trips per case (default 20000; 0: none)
#   vmtest.bench_reps=N       runs of everything (default 1)
#   vmtest.bench_hotplug=START,SIZE  a range hidden by mem= to add, online,
#                             offline and remove (needs memhp_default_state=offline)
#   vmtest.bench_compact=N    high-order allocations in fragmented memory,
#                             N trials quiet and N beside those hotplug cycles
#   vmtest.bench_compact_mib=M  MiB each trial fragments (default 512)
# Kernels of the untouched baseline tree have no benchmark: skipped there,
# required everywhere else.
. /tests/lib.sh

dir=/sys/kernel/debug/memmap_bench
f=$dir/run
[ -e $f ] || needed memmap_bench "no $f (CONFIG_MEMMAP_BENCH)"

loops=${VMTEST_BENCH_LOOPS:-20000}
reps=${VMTEST_BENCH_REPS:-1}
for bad in 0 -1 4294967297 junk ''; do
	if echo "$bad" >$f 2>/dev/null; then
		fail "memmap_bench refuses [$bad]" "accepted"
	else
		ok "memmap_bench refuses [$bad]"
	fi
done

# The conversions, $reps times.
for rep in $(seq "$reps"); do
	[ "$loops" -gt 0 ] || break
	if ! echo "$loops" >$f; then
		fail "memmap_bench run $rep" "write failed"
		continue
	fi
	lines=0 wrong=0
	while read -r line; do
		echo "# bench: rep=$rep $line"
		lines=$((lines + 1))
		case "$line" in
		*" errors=0") ;;
		*) wrong=$((wrong + 1)); diag "wrong round trips: $line" ;;
		esac
	done <$f
	# Six cases (empty, pfn_page_pfn, virt_page_virt, folio_pfn,
	# pfn_valid, pfn_to_online_page), each sequential and random.
	if [ $lines -ne 12 ]; then
		fail "memmap_bench run $rep" "$lines result lines, want 12"
	elif [ $wrong -ne 0 ]; then
		fail "memmap_bench run $rep" "$wrong cases came back wrong"
	else
		ok "memmap_bench run $rep: 12 cases, every round trip right"
	fi
done

# Hotplug: bad ranges first, then the cycles.
hp=$dir/hotplug
blocks0=$(nr_blocks) counters0=$(memmap_counters)
for bad in junk 0x1000 '0x1000 0x1000' '0x100000000 0'; do
	if echo "$bad" >$hp 2>/dev/null; then
		fail "memmap_bench hotplug refuses [$bad]" "accepted"
	else
		ok "memmap_bench hotplug refuses [$bad]"
	fi
done
if [ -z "${VMTEST_BENCH_HOTPLUG:-}" ]; then
	range="0x100000000 0x8000000"
	if echo "$range" >$hp 2>/dev/null; then
		fail "memmap_bench hotplug refused while adding onlines" "accepted"
	else
		ok "memmap_bench hotplug refused while adding onlines"
	fi
else
	range=$(echo "$VMTEST_BENCH_HOTPLUG" | tr , ' ')
	for rep in $(seq "$reps"); do
		if echo "$range" >$hp; then
			diag "bench: hotplug rep=$rep $(cat $hp)"
			ok "memmap_bench hotplug cycle $rep"
		else
			fail "memmap_bench hotplug cycle $rep" "write failed"
		fi
	done
fi
check "memmap_bench hotplug leaves the memory blocks" [ "$(nr_blocks)" -eq "$blocks0" ]
check "memmap_bench hotplug leaves the memmap counters" [ "$(memmap_counters)" = "$counters0" ]

# Whole-system work that converts pfns to pages all the time: read the
# flags of every page, and compact all memory.
if [ "$loops" -gt 0 ]; then
	for rep in $(seq "$reps"); do
		t0=$EPOCHREALTIME
		cat /proc/kpageflags >/dev/null
		t1=$EPOCHREALTIME
		echo 1 >/proc/sys/vm/compact_memory
		t2=$EPOCHREALTIME
		diag "bench: workload rep=$rep kpageflags_us=$(( (${t1/./} - ${t0/./}) )) compact_us=$(( (${t2/./} - ${t1/./}) ))"
	done
fi

# Compaction beside hotplug (vmtest.bench_compact=N, make bench): the
# share of high-order allocations (order 3, and the PMD order, THP's) that
# succeed in memory fragmented by tests/helpers/fragment, quiet and while
# the hotplug cycle of the bench range runs over and over, N trials of
# each, in the order quiet busy busy quiet quiet busy ... so that neither
# mode is always first, after one warm-up trial that is not counted (the
# first fragmentation of a boot differs from all later ones).  Offline
# holds pfn walkers off for one RCU grace period; it must not turn
# compaction off.  Proactive compaction is off meanwhile: direct
# compaction is what is measured.  Each trial fragments afresh
# VMTEST_BENCH_COMPACT_MIB (default 512) MiB, after the fragmenter has
# taken and holds whole all free memory but that and a margin above the
# watermarks, so that the trial's size does not depend on the RAM size
# and fragmented memory is most of what is then free.  The trial asks
# for as many blocks of the order as the free lists hold whole and for
# half of the rest of free memory in such blocks besides, which only
# compaction can make: direct compaction has to run.  A trial
# in which it did not (compact_stall unchanged) measured nothing and is
# reported void, not passed.  The allocations are not movable, so
# they compact the boot zones beside the cycle, not the zone the cycle
# changes: a movable block held by the kernel in ZONE_MOVABLE could not
# be migrated, and the cycle's offline would wait for the trial instead
# of running beside it.  They retry (__GFP_RETRY_MAYFAIL, the retry
# policy of hugetlb's pool): one-shot async compaction (__GFP_NORETRY)
# gives up whenever another task wants the CPU, which the cycle's work
# makes happen, hotplug or not.
compact_trial() {
	local order=$1 mode=$2 trial=$3 mib n cycles=0 frag cyc= hold margin
	local stall0 success0 stalls compacted scan0 wake0
	rm -f /tmp/frag-ready /tmp/frag-stop /tmp/cyc-stop /tmp/cyc-count
	# A margin above the watermarks stays free and unfragmented.
	margin=$((2 * $(cat /proc/sys/vm/min_free_kbytes) + 131072))	# kB
	mib=$((($(meminfo MemFree) - margin) / 1024))
	[ "$mib" -le "$frag_mib" ] || mib=$frag_mib
	hold=$((($(meminfo MemFree) - margin) / 1024 - mib))
	[ "$hold" -ge 0 ] || hold=0
	diag "compaction trial: free_kb=$(meminfo MemFree) margin_kb=$margin hold_mib=$hold fragment_mib=$mib"
	fragment $mib /tmp/frag-ready /tmp/frag-stop $hold &
	frag=$!
	while [ ! -e /tmp/frag-ready ] && kill -0 $frag 2>/dev/null; do
		sleep 1
	done
	[ -e /tmp/frag-ready ] || {
		# Not a failure of the kernel under test: the OOM killer took
		# the fragmenter (the margin was too small); make bench's report
		# shows the trial as missing.
		skip "memmap_bench compaction order $order $mode $trial" "fragment did not get ready"
		touch /tmp/frag-stop; wait $frag
		return
	}
	# Ask for every block of the order the free lists hold whole, and
	# for half of the rest of free memory in such blocks: that half
	# only compaction can make.
	# (busybox's awk has no ^: p is 2^k for the column of order k.)
	n=$(awk -v o=$order -v b=$((1 << order)) '{ p = 1
		for (i = 5; i <= NF; i++) {
			if (i - 5 >= o) whole += $i * p / b; else rest += $i * p
			p *= 2 } }
		END { printf "%d", whole + rest / b / 2 }' /proc/buddyinfo)
	diag "compaction trial: free_kb=$(meminfo MemFree) ask=$n buddyinfo: $(awk '{ $1 = $2 = $3 = ""; printf "%s;", $0 }' /proc/buddyinfo)"
	scan0=$(vmstat compact_migrate_scanned) wake0=$(vmstat compact_daemon_wake)
	if [ "$mode" = busy ]; then
		(c=0; while [ ! -e /tmp/cyc-stop ] && echo "$range" >$hp
		 do c=$((c + 1)); echo $c >/tmp/cyc-count; done) 2>/dev/null &
		cyc=$!
	fi
	# Direct compaction's own counters over the allocations: that it
	# ran, and succeeded, beside the cycles as without them.
	stall0=$(vmstat compact_stall) success0=$(vmstat compact_success)
	if echo "$order $n" >$dir/alloc; then
		line=$(cat $dir/alloc)
	else
		line=
	fi
	stalls=$(($(vmstat compact_stall) - stall0))
	compacted=$(($(vmstat compact_success) - success0))
	diag "compaction trial: migrate_scanned=$(($(vmstat compact_migrate_scanned) - scan0)) daemon_wakes=$(($(vmstat compact_daemon_wake) - wake0))"
	touch /tmp/cyc-stop /tmp/frag-stop
	[ -z "$cyc" ] || wait $cyc
	wait $frag
	cycles=$(cat /tmp/cyc-count 2>/dev/null || echo 0)
	if [ -z "$line" ]; then
		fail "memmap_bench compaction order $order $mode $trial" "alloc write failed"
	elif [ "$mode" = busy ] && [ "$cycles" -eq 0 ]; then
		fail "memmap_bench compaction order $order $mode $trial" "no hotplug cycle ran beside it"
	else
		# make bench's report leaves out a void trial (stalls=0).
		diag "bench: compaction mode=$mode $line cycles=$cycles trial=$trial stalls=$stalls compacted=$compacted"
		if [ "$stalls" -eq 0 ]; then
			skip "memmap_bench compaction order $order $mode $trial" "void: no direct compaction ran"
		else
			ok "memmap_bench compaction order $order $mode $trial"
		fi
	fi
}
trials=${VMTEST_BENCH_COMPACT:-0}
frag_mib=${VMTEST_BENCH_COMPACT_MIB:-512}
case $trials$frag_mib in
*[!0-9]*) fail "memmap_bench compaction" "bad vmtest.bench_compact=$trials or bench_compact_mib=$frag_mib"; trials=0 ;;
esac
if [ "$trials" -gt 0 ] && [ -n "${VMTEST_BENCH_HOTPLUG:-}" ]; then
	page_kb=$(awk '/^KernelPageSize/ { print $2; exit }' /proc/self/smaps)
	# A PMD maps PAGESIZE / 8 pages, except on s390 (1M segments).
	case $(uname -m) in
	s390x) pmd_order=8 ;;
	*) pmd_order=$(awk -v n=$((page_kb * 128)) 'BEGIN { o = 0; while (n > 1) { n /= 2; o++ } print o }') ;;
	esac
	# No order beyond the buddy allocator's largest (/proc/buddyinfo).
	max_order=$(($(awk 'NR == 1 { print NF - 5 }' /proc/buddyinfo)))
	[ "$pmd_order" -le "$max_order" ] || pmd_order=$max_order
	proactive=$(cat /proc/sys/vm/compaction_proactiveness)
	echo 0 >/proc/sys/vm/compaction_proactiveness
	for order in 3 $pmd_order; do
		compact_trial $order warmup 0
		for t in $(seq "$trials"); do
			if [ $((t % 2)) = 1 ]; then
				compact_trial $order quiet $t
				compact_trial $order busy $t
			else
				compact_trial $order busy $t
				compact_trial $order quiet $t
			fi
		done
	done
	echo "$proactive" >/proc/sys/vm/compaction_proactiveness
fi

# What the memmap costs at boot, for make bench's report.
diag "bench: boot $(cat $dir/boot)"
diag "bench: layout $(vmemmap_leaves), $(vmstat nr_vmemmap_pgtable_pages) page-table pages"
diag "footprint: memtotal_kb=$(meminfo MemTotal) $(grep -E '^nr_(memmap_pages|memmap_boot_pages|vmemmap_pgtable_pages|validmap_pages) ' /proc/vmstat | tr ' ' = | tr '\n' ' ')"
finish
