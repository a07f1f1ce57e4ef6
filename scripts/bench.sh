#!/bin/bash
# make bench: the series against upstream's SPARSEMEM_VMEMMAP (and, on
# x86_64, classic SPARSEMEM) built from the same tree, booted under the
# same QEMU settings in one invocation.  Writes a Markdown report to
# build/results/bench-DATE/report.md and prints it.
#   BENCH_LOOPS=N   round trips per case and run (default 1000000)
#   BENCH_REPS=N    runs per kernel (default 3), for the spread
#   BENCH_SIZES=".." RAM sizes to boot for the memmap's boot cost
#                   (default "2G 8G 32G"; QEMU allocates guest RAM lazily)
#   BENCH_COMPACT=N compaction trials per mode and order (default 5)
#   BENCH_COMPACT_MIB=M  MiB each compaction trial fragments (default 512)
#   SMOKE=1         s390 only (its kernels build fastest), 20000 loops, 1 run,
#                   no sizes, no allocations beside hotplug: that it works
#   BENCH_SAVE=1    copy the report and chart to bench/ (the committed summary)
# QEMU runs under TCG with -icount shift=0: one guest instruction is one
# nanosecond of guest time, so the timings count instructions.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

usage() { echo "usage: $0 [ARCH...]   (ARCH: $ARCHES; default: all)"; }
[ "${1:-}" = -h ] && { usage; exit 0; }
if [ "${SMOKE:-0}" = 1 ]; then
	arches=${*:-s390}
	loops=${BENCH_LOOPS:-20000} reps=${BENCH_REPS:-1} sizes=${BENCH_SIZES:-}
	compact=0 compact_mib=0
else
	arches=${*:-$ARCHES}
	loops=${BENCH_LOOPS:-1000000} reps=${BENCH_REPS:-3}
	sizes=${BENCH_SIZES:-2G 8G 32G}
	compact=${BENCH_COMPACT:-5} compact_mib=${BENCH_COMPACT_MIB:-512}
fi
for a in $arches; do load_arch "$a"; done
case $loops$reps$compact$compact_mib in
*[!0-9]*) die "BENCH_LOOPS, BENCH_REPS, BENCH_COMPACT and BENCH_COMPACT_MIB must be numbers" ;;
esac
[ "$compact" = 0 ] || [ "$compact_mib" -ge 64 ] ||
	die "BENCH_COMPACT_MIB must be at least 64 (MiB a compaction trial fragments)"

"$TOP/scripts/setup.sh" || exit 1
"$TOP/scripts/tree.sh" || exit 1
res=$BUILD/results/bench-$(date +%Y%m%d-%H%M%S)
mkdir -p "$res"
icount="-icount shift=0,sleep=off"
args=()
for a in $arches; do
	load_arch "$a"
	variants="upstream series"
	[ "$a" = x86_64 ] && variants+=" classic"
	images=()
	for v in $variants; do
		out=$(out_dir "$a" "$v")
		"$TOP/scripts/build.sh" "$a" "$v" &&
		KSELFTEST=0 "$TOP/scripts/initramfs.sh" "$a" "$v" ||
			die "$a/$v: build failed"
		images+=("$v=$out/vmlinux")
		"${CROSS_COMPILE}size" "$out/vmlinux" | awk 'NR == 2 { print $1 }' \
			>"$res/text-$a-$v"
		# The conversions, hotplug of one block, the workloads, and
		# (not with SMOKE, nor for classic) high-order allocations
		# beside hotplug cycles.
		SUITES=bench QEMU_ARGS=$icount CONSOLE_TAG=bench \
		EXTRA_APPEND="vmtest.bench_loops=$loops vmtest.bench_reps=$reps vmtest.bench_hotplug=$BENCH_HOTPLUG vmtest.bench_compact=$([ "$v" = classic ] && echo 0 || echo $compact) vmtest.bench_compact_mib=$compact_mib memhp_default_state=offline" \
			"$TOP/scripts/boot.sh" "$a" "$v" ||
			die "$a/$v: the benchmark failed, see $LOGS/console-$a-$v-bench.log"
		cp "$LOGS/console-$a-$v-bench.log" "$res/"
		args+=("$a/$v=$res/console-$a-$v-bench.log")
		# The conversions again on TCG's own clock: what a memory load
		# costs an emulator, which -icount does not show.
		SUITES=bench CONSOLE_TAG=bench-wall \
		EXTRA_APPEND="vmtest.bench_loops=$loops vmtest.bench_reps=$reps" \
			"$TOP/scripts/boot.sh" "$a" "$v" ||
			die "$a/$v: the benchmark failed, see $LOGS/console-$a-$v-bench-wall.log"
		cp "$LOGS/console-$a-$v-bench-wall.log" "$res/"
		args+=("$a/$v%wall=$res/console-$a-$v-bench-wall.log")
		# The memmap at boot, by size of RAM.
		for size in $sizes; do
			MEM=$size SUITES=bench QEMU_ARGS=$icount CONSOLE_TAG=bench-$size \
			EXTRA_APPEND="vmtest.bench_loops=0" \
				"$TOP/scripts/boot.sh" "$a" "$v" ||
				die "$a/$v: the $size boot failed, see $LOGS/console-$a-$v-bench-$size.log"
			cp "$LOGS/console-$a-$v-bench-$size.log" "$res/"
			args+=("$a/$v@$size=$res/console-$a-$v-bench-$size.log")
		done
	done
	log "bench $a: instruction and load counts of the probes"
	python3 "$TOP/scripts/loadcount.py" --arch "$a" --cross "$CROSS_COMPILE" \
		--base-sym "$VMEMMAP_BASE_SYM" "${images[@]}" >"$res/loads-$a.md" ||
		die "loadcount failed for $a"
done
# The x86_64 code shapes on this machine's own CPU, if it is one: no
# emulation, so what a load of the base costs real hardware here.
if [ "$(uname -m)" = x86_64 ] && [[ " $arches " = *" x86_64 "* ]]; then
	gcc -O2 -Wall -o "$res/native-x86" "$TOP/bench/native-x86.c" &&
	"$res/native-x86" $((loops * 100)) "$reps" >"$res/native-x86.txt" ||
		die "the native x86_64 replica failed"
fi
python3 "$TOP/scripts/benchreport.py" --loops "$loops" --reps "$reps" \
	--dir "$res" "${args[@]}" >"$res/report.md" || die "report failed"
# The chart: every ratio of the conversions table (random pfns).
gnuplot <<EOF || die "gnuplot failed"
set terminal pngcairo size 1200,600 noenhanced
set output "$res/chart.png"
set title "Guest instructions per round trip, against upstream (QEMU TCG -icount; lower is better)"
set style fill solid 0.6
set boxwidth 0.7
set yrange [0:*]
set ylabel "ratio to upstream"
set xtics rotate by -45 font ",9"
set grid ytics
set rmargin 12
set bmargin 12
plot "$res/ratios.dat" using 1:3:xtic(2) with boxes notitle, 1 with lines lt 2 title "upstream"
EOF
echo "![ratios](chart.png)" >>"$res/report.md"
cat "$res/report.md"
log "bench: report in $res/report.md"
# BENCH_SAVE=1: this run becomes the committed summary the README quotes.
if [ "${BENCH_SAVE:-0}" = 1 ] && [ "${SMOKE:-0}" != 1 ]; then
	mkdir -p "$TOP/bench"
	cp "$res/report.md" "$TOP/bench/summary.md"
	cp "$res/chart.png" "$TOP/bench/chart.png"
	log "bench: saved as bench/summary.md and bench/chart.png"
fi
