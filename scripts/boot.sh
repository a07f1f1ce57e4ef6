#!/bin/bash
# Boot one built kernel under QEMU (TCG) with its initramfs and run guest
# suites, or give an interactive shell.
#   SUITES="boot kunit ..."   suites of tests/guest/ to run (default: boot)
#   MM_TESTS="mmap mremap"    kselftest mm categories for the mm suite
#   TIMEOUT=seconds           whole-boot watchdog (default 1800)
#   SUITE_TIMEOUT=seconds     per-suite limit inside the guest (default 1200)
#   VERBOSE=1                 echo the whole console
#   QEMU_ARGS="..."           more QEMU options (make bench: -icount)
#   QEMU_SMP=N                vCPUs (default 2); make bench QEMU_SMP=1 times
#                             hotplug without TCG's cross-vCPU TLB flushes
#   EXTRA_APPEND="..."        more kernel arguments
#   CONSOLE_TAG=name          log to console-ARCH-VARIANT-name.log
#   MEM=SIZE                  boot with SIZE of RAM (QEMU -m), without the
#                             arch's mem= cap and hotplug devices (make bench)
set -euo pipefail
. "$(dirname "$0")/lib.sh"

usage() { echo "usage: $0 [--shell] ARCH VARIANT   (ARCH: $ARCHES; VARIANT: $VARIANTS)"; }
[ "${1:-}" = -h ] && { usage; exit 0; }
shell=0
[ "${1:-}" = --shell ] && { shell=1; shift; }
[ $# -eq 2 ] || { usage >&2; exit 2; }
load_arch "$1"
check_variant "$2"
VARIANT=$2
out=$(out_dir "$ARCH_NAME" "$VARIANT")
[ -f "$out/$KIMAGE" ] || die "no kernel at $out/$KIMAGE: run scripts/build.sh $ARCH_NAME $VARIANT"
[ -f "$out/initramfs.cpio.gz" ] || die "no initramfs in $out: run scripts/initramfs.sh $ARCH_NAME $VARIANT"
command -v "$QEMU" >/dev/null || die "$QEMU missing: run scripts/setup.sh"
case ${QEMU_SMP:-2} in
*[!0-9]* | 0*) die "QEMU_SMP must be a number of vCPUs from 1 up, not '$QEMU_SMP'" ;;
esac

if [ -n "${MEM:-}" ]; then
	# Guest RAM without reserving it (MAP_NORESERVE): QEMU touches it
	# lazily, so a guest may be bigger than the host.
	QEMU_MEM=$MEM QEMU_MACHINE+=",memory-backend=ram0"
	QEMU_HOTPLUG="-object memory-backend-ram,id=ram0,size=$MEM,reserve=off"
	BOOT_ARGS=$(echo " $BOOT_ARGS " | sed 's/ mem=[^ ]*//g')
fi
suites=$(echo "${SUITES:-boot}" | tr ' ' ,)
mm=$(echo "${MM_TESTS:-}" | tr ' ' ,)
# Hot-added memory goes to ZONE_MOVABLE, also when a test onlines it with
# a plain "online" (auto-movable policy): else the kernel may pin it and
# virtio-mem can no longer unplug it.
append="console=$QEMU_CONSOLE panic=-1 loglevel=5 memhp_default_state=online_movable"
append+=" memory_hotplug.online_policy=auto-movable"
append+=" $BOOT_ARGS vmtest.suites=$suites vmtest.timeout=${SUITE_TIMEOUT:-1200}"
append+=" vmtest.variant=$VARIANT"
[ -n "$mm" ] && append+=" vmtest.mm=$mm"
[ -n "$PROBE_RANGE" ] && append+=" vmtest.probe=$PROBE_RANGE"
# What probe must refuse: only with the testing patches (the untouched
# base has no probe on arm64 and s390, and x86's trusts root).
if [ "$VARIANT" != baseline ]; then
	[ -n "${PROBE_REFUSED:-}" ] && append+=" vmtest.probe_refused=$(echo $PROBE_REFUSED | tr ' ' ,)"
	[ "${PROBE_FW:-0}" = 1 ] && append+=" vmtest.probe_fw=1"
fi
# KUnit suites that must have run; the series adds its own.
kunit=resource
[ "$VARIANT" = series ] && kunit+=,sparse_virtual
append+=" vmtest.kunit=$kunit"
[ $shell = 1 ] && append+=" vmtest.shell=1"
# test_hmm, built in where the arch's config has it, takes 512 MiB of
# device-private memory (and 8 MiB of memmap) as it starts: a test
# fixture, kept out of every boot that does not run the hmm suite, so
# that the bench's memmap per GiB and the other suites' counters see the
# machine classic SPARSEMEM (no ZONE_DEVICE) sees.
case ",$suites," in
*,hmm,*) ;;
*) [ $shell = 1 ] || append+=" initcall_blacklist=hmm_dmirror_init" ;;
esac
append+=" ${EXTRA_APPEND:-}"

# shellcheck disable=SC2206
qemu=("$QEMU" -M "$QEMU_MACHINE" -cpu "$QEMU_CPU" -smp "${QEMU_SMP:-2}" -m "$QEMU_MEM"
      -nographic -no-reboot -nic none -kernel "$out/$KIMAGE"
      -initrd "$out/initramfs.cpio.gz" -append "$append" $QEMU_HOTPLUG
      ${QEMU_ARGS:-})

mkdir -p "$LOGS"
if [ $shell = 1 ]; then
	exec "${qemu[@]}"
fi
clog=$LOGS/console-$(basename "$out")${CONSOLE_TAG:+-$CONSOLE_TAG}.log
log "boot $ARCH_NAME/$VARIANT: suites $suites (TCG; console: $clog)"
verbose=()
[ "${VERBOSE:-0}" = 1 ] && verbose=(--verbose)
python3 "$TOP/scripts/qemu.py" --log "$clog" --qmp "$out/qmp.sock" \
	--timeout "${TIMEOUT:-1800}" "${verbose[@]}" -- "${qemu[@]}"
