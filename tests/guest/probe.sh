#!/bin/bash
# Hot-add through /sys/devices/system/memory/probe the range hidden from
# the kernel at boot by mem= (vmtest.probe=BASE,SIZE), block by block:
# probe -> memoryN appears offline -> online (every online type on the
# first block, online_movable on the others) -> offline, with MemTotal
# following exactly.  Bad writes to probe, state and auto_online_blocks
# must fail with upstream's errno and add nothing, and so must addresses
# that are no memory (vmtest.probe_refused, from the arch's conf: on
# arm64 and s390 probe adds only what the firmware described, ENXIO);
# offlining memory the kernel uses must fail and leave it online.  Probed memory has no sysfs
# way back out: hot-remove is the bench, virtio_mem, dimm and KUnit suites.
. /tests/lib.sh

probe=$MEMSYS/probe
[ -w $probe ] || needed probe "no $probe (the series offers it on every arch)"
[ -n "${VMTEST_PROBE:-}" ] || { skip probe "no hidden range given"; finish; }
base=$((${VMTEST_PROBE%,*}))
size=$((${VMTEST_PROBE#*,}))
bs=$(block_bytes)
auto=$(cat $MEMSYS/auto_online_blocks)
echo offline >$MEMSYS/auto_online_blocks

EINVAL="Invalid argument" ERANGE="Numerical result out of range"
EEXIST="File exists" EBUSY="Device or resource busy" E2BIG="Argument list too long"
ENXIO="No such device or address"
bad=0
# try_write FILE VALUE: "ok", or the error text of the failed write.
try_write() {
	local out
	out=$( { echo "$2" >"$1"; } 2>&1) && { echo ok; return; }
	echo "${out##*: }"
}
# expect NAME ERROR FILE VALUE: writing VALUE to FILE fails with ERROR.
expect() {
	local got
	got=$(try_write "$3" "$4")
	bad=$((bad + 1))
	if [ "$got" = "$2" ]; then
		ok "$1"
	else
		fail "$1" "wrote [$4]: got '$got', want '$2'"
	fi
}
# The state nothing may change: blocks, System RAM resources, counters.
snapshot() {
	echo "$(nr_blocks) $(grep -c 'System RAM' /proc/iomem) $(memmap_counters)"
}
blk_addr() { printf '0x%x' $(($1 * bs)); }

before=$(snapshot)
# A boot block that is RAM throughout (x86's first holds the BIOS area,
# which probe refuses before it finds the block present): the second.
present=$(ls -d $MEMSYS/memory[0-9]* | sed 's/.*memory//' | sort -n | sed -n 2p)
expect "probe refuses garbage" "$EINVAL" $probe xyz
expect "probe refuses an empty write" "$EINVAL" $probe ''
expect "probe refuses a negative address" "$EINVAL" $probe -1
expect "probe refuses a bare 0x" "$EINVAL" $probe 0x
expect "probe refuses an overflowing address" "$ERANGE" $probe 0x10000000000000000
expect "probe refuses a misaligned address" "$EINVAL" $probe "$(printf 0x%x $((base + 4096)))"
expect "probe refuses present memory" "$EEXIST" $probe "$(blk_addr "$present")"
# Beyond what the arch can map (mhp_range_allowed()): -E2BIG; where probe
# adds only what the firmware described (vmtest.probe_fw=1: arm64, s390),
# that check comes first: -ENXIO.
far=$E2BIG
[ "${VMTEST_PROBE_FW:-0}" = 1 ] && far=$ENXIO
expect "probe refuses an address beyond physical memory" "$far" $probe 0x40000000000000
expect "probe refuses a block that wraps" "$far" $probe "$(printf 0x%x $((-bs)))"
# The arch's own refusals (vmtest.probe_refused=WHAT:ADDR:ERRNO,...): a
# hole with no memory behind it, device memory, what firmware reserved.
for r in $(echo "${VMTEST_PROBE_REFUSED:-}" | tr , ' '); do
	what=${r%%:*} rest=${r#*:}
	eval "want=\$${rest#*:}"
	expect "probe refuses $what memory at ${rest%%:*}" "$want" $probe "${rest%%:*}"
done
[ "${VMTEST_PROBE_FW:-0}" = 1 ] &&
	check "probe says why it refused" sh -c "dmesg | grep -q 'is not memory the firmware described'"
for w in Online onlinex 'online online' movable ''; do
	expect "auto_online_blocks refuses [$w]" "$EINVAL" $MEMSYS/auto_online_blocks "$w"
done
check "auto_online_blocks unchanged by bad writes" grep -qx offline $MEMSYS/auto_online_blocks
check "bad input adds nothing" [ "$(snapshot)" = "$before" ]

# Memory the kernel itself sits in cannot be offlined: the write fails
# within a minute and the block stays online.
kaddr=$(awk -F'[- :]+' '/Kernel code/ { print $2; exit }' /proc/iomem)
if [ -n "$kaddr" ]; then
	kblk=$MEMSYS/memory$((0x$kaddr / bs))
	got=$(timeout 60 bash -c "$(declare -f try_write); try_write $kblk/state offline")
	bad=$((bad + 1))
	if [ "$got" = "$EBUSY" ] || [ "$got" = "$EINVAL" ]; then
		ok "offlining the kernel's own block fails ($got)"
	else
		fail "offlining the kernel's own block fails" "got '$got'"
	fi
	check "the kernel's own block stays online" grep -qx online $kblk/state
else
	skip "offlining the kernel's own block fails" "no Kernel code in /proc/iomem"
fi

# offline_retry BLOCK: offline it, again for a while if pages are busy.
offline_retry() {
	local i
	for i in 1 2 3 4 5 6 7 8 9 10; do
		echo offline >"$1/state" 2>/dev/null && return 0
		sleep 1
	done
	return 1
}
added=0 onlined=0 offlined=0
addr=$base
while [ $addr -lt $((base + size)) ]; do
	id=$((addr / bs))
	blk=$MEMSYS/memory$id
	total=$(meminfo MemTotal)
	check "probe adds memory$id" sh -c "printf 0x%x $addr >$probe"
	[ -d $blk ] || { addr=$((addr + bs)); continue; }
	added=$((added + 1))
	check "memory$id is offline after probe" grep -qx offline $blk/state
	expect "probe refuses memory$id again" "$EEXIST" $probe "$(printf 0x%x $addr)"
	# Every online type on the first block, kernel last: memory onlined
	# to a kernel zone may take unmovable allocations at once, and then
	# offlining it is refused with -EBUSY - upstream's rule, not a loss.
	types=online_movable
	[ $addr -eq $base ] && types="online_movable online online_kernel"
	for t in $types; do
		if ! echo $t >$blk/state; then
			fail "memory$id $t"
			continue
		fi
		onlined=$((onlined + 1))
		check "memory$id $t: MemTotal grew by the block" \
			[ "$(meminfo MemTotal)" -eq $((total + bs / 1024)) ]
		[ $t = online_kernel ] ||
			check "memory$id $t: in ZONE_MOVABLE" grep -q Movable $blk/valid_zones
		expect "memory$id refuses $t again" "$EINVAL" $blk/state $t
		if offline_retry $blk; then
			offlined=$((offlined + 1))
			ok "memory$id offline after $t"
			check "memory$id offline: MemTotal back" [ "$(meminfo MemTotal)" -eq "$total" ]
		elif [ $t = online_kernel ]; then
			got=$(try_write $blk/state offline)
			if [ "$got" = "$EBUSY" ] && grep -qx online $blk/state &&
			   [ "$(meminfo MemTotal)" -eq $((total + bs / 1024)) ]; then
				ok "memory$id after $t: offline refused with EBUSY, block intact"
			else
				fail "memory$id after $t: offline refused with EBUSY, block intact" \
					"got '$got', state $(cat $blk/state)"
			fi
		else
			fail "memory$id offline after $t" "still busy after 10 tries"
		fi
	done
	was=$(cat $blk/state)
	for w in Online 'online online' onlinex ''; do
		expect "memory$id state refuses [$w]" "$EINVAL" $blk/state "$w"
	done
	check "memory$id state unchanged by bad writes" grep -qx "$was" $blk/state
	addr=$((addr + bs))
done
echo "$auto" >$MEMSYS/auto_online_blocks
diag "tally: probe added=$added onlined=$onlined offlined=$offlined bad_inputs=$bad"
finish
