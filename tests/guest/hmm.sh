#!/bin/bash
# Device-private memory: kselftest mm's hmm-tests against test_hmm
# (CONFIG_TEST_HMM=y, /dev/hmm_dmirrorN).  Its device memory is ZONE_DEVICE
# memory without a direct map, whose memmap the engine populates when the
# driver grows its pool (256 MiB chunks, kept until the module goes).  Each
# case of hmm-tests is reported here; the coherent-device variants skip
# (they need test_hmm.spm_addr_dev0/1, i.e. reserved physical memory).
# Then: the memmap grew by whole chunks' memmaps only, and the kernel log
# stayed clean.
. /tests/lib.sh

bin=/kselftest/mm/hmm-tests
[ -x $bin ] || needed hmm "no hmm-tests in the kselftest build"
[ -c /dev/hmm_dmirror0 ] || needed hmm "no /dev/hmm_dmirror0 (CONFIG_TEST_HMM)"
chunk=$((256 << 20))
psize=$(($(awk '/^KernelPageSize/ { print $2; exit }' /proc/self/smaps) * 1024))
per_chunk=$((chunk / psize * 64 / psize))
reports0=$(kernel_reports | wc -l)
m0=$(vmstat nr_memmap_pages)
chunks0=$(grep -c 'hmm_dmirror' /proc/iomem)

# 6.12's make_device_exclusive_range() refuses tail pages, so with THP
# "always" the exclusive cases get -EBUSY on any kernel; run them as
# distributions do, with THP on madvise (the THP cases ask for it).
thp=/sys/kernel/mm/transparent_hugepage/enabled
thp0=$(sed 's/.*\[\(.*\)\].*/\1/' $thp 2>/dev/null)
[ -w $thp ] && echo madvise >$thp
cd /kselftest/mm || exit 1
$bin >/tmp/hmm.out 2>&1
rc=$?
[ -n "$thp0" ] && echo "$thp0" >$thp
while IFS= read -r line; do
	case "$line" in
	'ok '*'# SKIP'*)
		name=${line#ok * }; skip "hmm: ${name%% # SKIP*}" "${line#*# SKIP }" ;;
	'ok '*) name=${line#ok * }; ok "hmm: $name" ;;
	'not ok '*) name=${line#not ok * }; fail "hmm: $name" ;;
	'# '*) echo "$line" ;;
	esac
done </tmp/hmm.out
[ "$rc" -eq 0 ] || fail "hmm: hmm-tests exit status" "$rc"

all=$(grep -c 'hmm_dmirror' /proc/iomem)
chunks=$((all - chunks0))
m1=$(vmstat nr_memmap_pages)
diag "hmm: $all device chunks ($chunks new), memmap $m0 -> $m1 pages ($per_chunk per chunk)"
check "hmm: the device chunks have a memmap" [ "$all" -gt 0 -a "$m1" -ge $((all * per_chunk)) ]
check "hmm: memmap grew by exactly the new chunks' memmap" \
	[ $((m1 - m0)) -eq $((chunks * per_chunk)) ]
check "hmm: no kernel reports" [ "$(kernel_reports | wc -l)" -eq "$reports0" ]
finish
