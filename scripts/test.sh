#!/bin/bash
# The whole pipeline for each arch: setup, tree, build, initramfs, boot
# and the guest suites, then one summary over all arches against the
# committed baseline record.  Ends with "N passed, N failed".
#   TIER=quick|full      quick: the kselftest mm subset (make test);
#                        full: all of run_vmtests.sh (make test-full)
#   VARIANT=series|baseline
#   RECORD=1             write tests/expected/TIER/ from this run (baseline)
#   TEST_FLAVOURS="..."  make test-full: these flavours instead of the conf's
#                        FLAVOURS (empty: none)
#   FLAVOURS_ONLY=1      make test-full: only the flavours' boots, so that a
#                        long flavour can run beside the rest in two runs
set -uo pipefail
. "$(dirname "$0")/lib.sh"

usage() { echo "usage: $0 [ARCH...]   (ARCH: $ARCHES; default: all)"; }
[ "${1:-}" = -h ] && { usage; exit 0; }
arches=${*:-$ARCHES}
VARIANT=${VARIANT:-series}
TIER=${TIER:-quick}
check_variant "$VARIANT"
for a in $arches; do load_arch "$a"; done
case $TIER in
quick) mm=$(grep -v '^#' "$TOP/tests/mm-quick.txt" | tr '\n' ' ')
       tier_args="vmtest.fault_max=60 vmtest.fault_far=20 vmtest.stress_cycles=24 vmtest.pmem_cycles=2"
       export TIMEOUT=${TIMEOUT:-1500} SUITE_TIMEOUT=${SUITE_TIMEOUT:-1200} ;;
full) mm=
      tier_args="vmtest.fault_max=1000 vmtest.fault_far=200 vmtest.fault_tail=40 vmtest.stress_cycles=1000 vmtest.pmem_cycles=100"
      export TIMEOUT=${TIMEOUT:-14400} SUITE_TIMEOUT=${SUITE_TIMEOUT:-10800} ;;
*) die "unknown TIER '$TIER' (valid: quick full)" ;;
esac

[ "${FLAVOURS_ONLY:-0}" = 1 ] && { [ "$TIER" != full ] || [ "$VARIANT" != series ]; } &&
	die "FLAVOURS_ONLY=1 is for make test-full of the series (TIER=full VARIANT=series)"
[ "${FLAVOURS_ONLY:-0}" = 1 ] && [ -n "${TEST_FLAVOURS+set}" ] && [ -z "${TEST_FLAVOURS// }" ] &&
	die "FLAVOURS_ONLY=1 with TEST_FLAVOURS empty would boot nothing"
"$TOP/scripts/setup.sh" || exit 1
"$TOP/scripts/tree.sh" || exit 1
logs=()
for a in $arches; do
	[ "${FLAVOURS_ONLY:-0}" = 1 ] && break
	load_arch "$a"
	clog=$LOGS/console-$a-$VARIANT.log
	rm -f "$clog"
	logs+=("$a=$clog")
	"$TOP/scripts/build.sh" "$a" "$VARIANT" &&
	"$TOP/scripts/initramfs.sh" "$a" "$VARIANT" &&
	SUITES="$TEST_SUITES" MM_TESTS="$mm" EXTRA_APPEND="$tier_args" \
		"$TOP/scripts/boot.sh" "$a" "$VARIANT" ||
		log "$a: pipeline stopped (exit $?); counted as failure below"
	# The series once more per boot option that changes the memory layout
	# (BOOT_VARIANTS in the arch's conf): KUnit checks the patched base.
	[ "$VARIANT" = series ] || continue
	for extra in ${BOOT_VARIANTS:-}; do
		clog=$LOGS/console-$a-$VARIANT-$extra.log
		rm -f "$clog"
		logs+=("$a+$extra=$clog")
		[ -f "$(out_dir "$a" "$VARIANT")/initramfs.cpio.gz" ] || continue
		SUITES="boot kunit" EXTRA_APPEND="$extra" CONSOLE_TAG=$extra \
			"$TOP/scripts/boot.sh" "$a" "$VARIANT" ||
			log "$a $extra: boot failed (exit $?); counted as failure below"
	done
	# Suites that need a boot option of their own (SUITE_BOOTS in the
	# arch's conf: SUITE[+SUITE...]:ARG[,ARG...]), e.g. HVO with
	# hot-added memory; the first suite names the boot.
	for sb in ${SUITE_BOOTS:-}; do
		s=${sb%%:*}
		tag=${s%%+*}
		clog=$LOGS/console-$a-$VARIANT-$tag.log
		rm -f "$clog"
		logs+=("$a+$tag=$clog")
		[ -f "$(out_dir "$a" "$VARIANT")/initramfs.cpio.gz" ] || continue
		SUITES="boot ${s//+/ }" EXTRA_APPEND="$tier_args $(echo "${sb#*:}" | tr , ' ')" \
		CONSOLE_TAG=$tag "$TOP/scripts/boot.sh" "$a" "$VARIANT" ||
			log "$a $tag: boot failed (exit $?); counted as failure below"
	done
done
# make test-full also runs each arch's flavours (FLAVOURS in its conf,
# e.g. arm64 with 64K pages), each with the suites its own conf names,
# all of kselftest mm, and the suites' defaults: 60 fault points, 24
# stress cycles (KASAN and lockdep make every cycle several times
# slower).  Their known failures are the arch's own (summary.py).
if [ "$TIER" = full ] && [ "$VARIANT" = series ]; then
	for a in $arches; do
		load_arch "$a"
		[ -n "${TEST_FLAVOURS+set}" ] && FLAVOURS=$TEST_FLAVOURS
		for fl in ${FLAVOURS:-}; do
			suites=$(FLAVOUR=$fl; load_arch "$a"; echo "$TEST_SUITES")
			clog=$LOGS/console-$a-$VARIANT+$fl.log
			rm -f "$clog"
			logs+=("$a+$fl=$clog")
			FLAVOUR=$fl "$TOP/scripts/build.sh" "$a" "$VARIANT" &&
			FLAVOUR=$fl "$TOP/scripts/initramfs.sh" "$a" "$VARIANT" &&
			FLAVOUR=$fl SUITES="$suites" "$TOP/scripts/boot.sh" "$a" "$VARIANT" ||
				log "$a+$fl: pipeline stopped (exit $?); counted as failure below"
		done
	done
fi
mkdir -p "$BUILD/results"
python3 "$TOP/scripts/hotplug_table.py" "${logs[@]}" | tee "$BUILD/results/hotplug-$TIER.md"
log "summary ($VARIANT, tier $TIER; QEMU under TCG):"
rec=()
[ "${RECORD:-0}" = 1 ] && rec=(--record)
python3 "$TOP/scripts/summary.py" "${rec[@]}" --expected "$TOP/tests/expected/$TIER" "${logs[@]}"
