#!/bin/bash
# make bench: the series against upstream's SPARSEMEM_VMEMMAP (and, on
# x86_64, classic SPARSEMEM) built from the same tree, booted under the
# same QEMU settings in one invocation.  Writes a Markdown report to
# build/results/bench-DATE/report.md and prints it.
#   BENCH_LOOPS=N   round trips per case and run (default 1000000)
#   BENCH_REPS=N    runs per kernel (default 3), for the spread
#   SMOKE=1         x86_64 only, 20000 loops, 1 run: that the bench works
# QEMU runs under TCG with -icount shift=0: one guest instruction is one
# nanosecond of guest time, so the timings count instructions.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

usage() { echo "usage: $0 [ARCH...]   (ARCH: $ARCHES; default: all)"; }
[ "${1:-}" = -h ] && { usage; exit 0; }
if [ "${SMOKE:-0}" = 1 ]; then
	arches=${*:-x86_64}
	loops=${BENCH_LOOPS:-20000} reps=${BENCH_REPS:-1}
else
	arches=${*:-$ARCHES}
	loops=${BENCH_LOOPS:-1000000} reps=${BENCH_REPS:-3}
fi
for a in $arches; do load_arch "$a"; done
case $loops$reps in *[!0-9]*) die "BENCH_LOOPS and BENCH_REPS must be numbers" ;; esac

"$TOP/scripts/setup.sh" || exit 1
"$TOP/scripts/tree.sh" || exit 1
res=$BUILD/results/bench-$(date +%Y%m%d-%H%M%S)
mkdir -p "$res"
args=()
for a in $arches; do
	load_arch "$a"
	variants="upstream series"
	[ "$a" = x86_64 ] && variants+=" classic"
	images=()
	for v in $variants; do
		out=$(out_dir "$a" "$v")
		"$TOP/scripts/build.sh" "$a" "$v" &&
		"$TOP/scripts/initramfs.sh" "$a" "$v" ||
			die "$a/$v: build failed"
		images+=("$v=$out/vmlinux")
		SUITES=bench QEMU_ARGS="-icount shift=0,sleep=off" \
		EXTRA_APPEND="vmtest.bench_loops=$loops vmtest.bench_reps=$reps" \
			"$TOP/scripts/boot.sh" "$a" "$v" ||
			die "$a/$v: the benchmark failed, see $LOGS/console-$a-$v.log"
		cp "$LOGS/console-$a-$v.log" "$res/console-$a-$v.log"
		"${CROSS_COMPILE}size" "$out/vmlinux" | awk 'NR == 2 { print $1 }' \
			>"$res/text-$a-$v"
		args+=("$a/$v=$res/console-$a-$v.log")
	done
	log "bench $a: instruction and load counts of the probes"
	python3 "$TOP/scripts/loadcount.py" --arch "$a" --cross "$CROSS_COMPILE" \
		--base-sym "$VMEMMAP_BASE_SYM" "${images[@]}" >"$res/loads-$a.md" ||
		die "loadcount failed for $a"
done
python3 "$TOP/scripts/benchreport.py" --loops "$loops" --reps "$reps" \
	--dir "$res" "${args[@]}" >"$res/report.md" || die "report failed"
cat "$res/report.md"
log "bench: report in $res/report.md"
