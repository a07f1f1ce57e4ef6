#!/bin/bash
# Build the guest's initramfs for ARCH x VARIANT: static busybox and bash,
# the kselftest mm and memory-hotplug tests cross-built statically from the
# same kernel tree, and tests/ as /tests with tests/init as /init.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

usage() { echo "usage: $0 ARCH VARIANT   (ARCH: $ARCHES; VARIANT: $VARIANTS)"; }
[ "${1:-}" = -h ] && { usage; exit 0; }
[ $# -eq 2 ] || { usage >&2; exit 2; }
load_arch "$1"
check_variant "$2"
VARIANT=$2
out=$(out_dir "$ARCH_NAME" "$VARIANT")
src=$(src_dir "$VARIANT")
debs=$BUILD/debs/$DEB_ARCH/root
[ -x "$debs/bin/busybox" ] || die "no busybox for $DEB_ARCH: run scripts/setup.sh"
[ -d "$out/usr/include" ] || die "no kernel headers in $out: run scripts/build.sh $ARCH_NAME $VARIANT"

# Kselftests: rebuilt only when the tree's HEAD changes, and not at all
# with KSELFTEST=0 (make bench boots only its own suite).
ks=$out/kselftest
head=$(git -C "$src" rev-parse HEAD)
if [ "${KSELFTEST:-1}" = 0 ]; then
	mkdir -p "$ks"
elif [ "$(cat "$ks/.head" 2>/dev/null)" != "$head" ]; then
	log "initramfs $ARCH_NAME/$VARIANT: building kselftest mm, memory-hotplug"
	rm -rf "$ks"
	klog=$LOGS/kselftest-$(basename "$out").log
	# 6.12.y's mm/khugepaged.c uses KSFT_SKIP without kselftest.h;
	# defining it to the header's own value builds it unchanged.
	make -C "$src/tools/testing/selftests" O="$out/kselftest-build" \
		KHDR_INCLUDES="-isystem $out/usr/include" \
		EXTRA_CFLAGS="-DKSFT_SKIP=4 -I$debs/usr/include $(printf -- '-L%s ' "$debs"/usr/lib/*-linux-gnu*)" \
		ARCH="$KARCH" CROSS_COMPILE="$CROSS_COMPILE" \
		CC="ccache ${CROSS_COMPILE}gcc -static" \
		TARGETS="mm memory-hotplug" INSTALL_PATH="$ks" \
		-j"$(nproc)" install >"$klog" 2>&1 ||
		die "kselftest build failed, see $klog"
	[ -x "$ks/mm/run_vmtests.sh" ] || die "kselftest mm missing, see $klog"
	echo "$head" >"$ks/.head"
fi

log "initramfs $ARCH_NAME/$VARIANT: packing"
root=$out/initramfs
rm -rf "$root"
mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,proc,sys,dev,tmp,run,root,etc,mnt}
cp "$debs/bin/busybox" "$root/bin/busybox"
cp "$debs/bin/bash-static" "$root/bin/bash"
# The applet list is the same on every arch: ask the host's busybox.
for a in $("$BUILD/debs/amd64/root/bin/busybox" --list); do
	[ -e "$root/bin/$a" ] || ln -s busybox "$root/bin/$a"
done
cp -r "$ks" "$root/kselftest"
# The suites' own small programs (tests/helpers/NAME.c -> /bin/NAME).
for c in "$TOP"/tests/helpers/*.c; do
	"${CROSS_COMPILE}gcc" -static -O2 -Wall -Werror -o "$root/bin/$(basename "$c" .c)" "$c" ||
		die "cannot build $c for $ARCH_NAME"
done
cp -r "$TOP/tests" "$root/tests"
cp "$TOP/tests/init" "$root/init"
echo "root:x:0:0:root:/root:/bin/sh" >"$root/etc/passwd"
echo "nobody:x:65534:65534:nobody:/:/bin/false" >>"$root/etc/passwd"
printf 'root:x:0:\nnobody:x:65534:\n' >"$root/etc/group"
(cd "$root" && find . | sort | cpio -o -H newc --quiet | gzip -1) >"$out/initramfs.cpio.gz"
log "initramfs $ARCH_NAME/$VARIANT: $(du -h "$out/initramfs.cpio.gz" | cut -f1)"
