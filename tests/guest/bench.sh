#!/bin/bash
# The memory model benchmark (CONFIG_MEMMAP_BENCH): run it with
# vmtest.bench_loops= round trips per case (default 20000),
# vmtest.bench_reps= times (default 1), check that every round trip came
# back right, and print the raw figures as "# bench: rep=N case=..." lines
# for scripts/bench.sh.  Bad loop counts must be refused.  Kernels of the
# untouched baseline tree have no benchmark: skipped there, required
# everywhere else.
. /tests/lib.sh

f=/sys/kernel/debug/memmap_bench/run
if [ ! -e $f ]; then
	if [ "${VMTEST_VARIANT:-}" = baseline ]; then
		skip memmap_bench "the baseline tree has no CONFIG_MEMMAP_BENCH"
	else
		fail memmap_bench "no $f"
	fi
	finish
fi

loops=${VMTEST_BENCH_LOOPS:-20000}
reps=${VMTEST_BENCH_REPS:-1}
for bad in 0 -1 4294967297 junk ''; do
	if echo "$bad" >$f 2>/dev/null; then
		fail "memmap_bench refuses [$bad]" "accepted"
	else
		ok "memmap_bench refuses [$bad]"
	fi
done
for rep in $(seq "$reps"); do
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
	if [ $lines -ne 10 ]; then
		fail "memmap_bench run $rep" "$lines result lines, want 10"
	elif [ $wrong -ne 0 ]; then
		fail "memmap_bench run $rep" "$wrong cases came back wrong"
	else
		ok "memmap_bench run $rep: 10 cases, every round trip right"
	fi
done
# What the memmap costs in memory on this boot, for make bench's report.
diag "footprint: memtotal_kb=$(meminfo MemTotal) $(grep -E '^nr_(memmap_pages|memmap_boot_pages|vmemmap_pgtable_pages) ' /proc/vmstat | tr ' ' = | tr '\n' ' ')"
finish
