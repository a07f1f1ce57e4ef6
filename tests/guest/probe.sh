#!/bin/bash
# Hot-add through /sys/devices/system/memory/probe the range hidden from
# the kernel at boot by mem= (vmtest.probe=BASE,SIZE), block by block:
# probe -> memoryN appears offline -> online_movable -> offline, with
# MemTotal following exactly.  Malformed writes must add nothing.
. /tests/lib.sh

probe=$MEMSYS/probe
[ -w $probe ] || { skip probe "no $probe on this arch"; finish; }
[ -n "${VMTEST_PROBE:-}" ] || { skip probe "no hidden range given"; finish; }
base=$((${VMTEST_PROBE%,*}))
size=$((${VMTEST_PROBE#*,}))
bs=$(block_bytes)
auto=$(cat $MEMSYS/auto_online_blocks)
echo offline >$MEMSYS/auto_online_blocks

blocks0=$(nr_blocks)
for bad in xyz -1 0x "$((base + 4096))" 0x10000000000000000; do
	if echo "$bad" >$probe 2>/dev/null; then
		fail "probe_rejects_${bad}"
	else
		ok "probe_rejects_${bad}"
	fi
done
check probe_bad_input_adds_nothing [ "$(nr_blocks)" -eq "$blocks0" ]

addr=$base
while [ $addr -lt $((base + size)) ]; do
	id=$((addr / bs))
	blk=$MEMSYS/memory$id
	total=$(meminfo MemTotal)
	check "probe_add_memory$id" sh -c "printf 0x%x $addr >$probe"
	check "memory${id}_offline_after_add" grep -qx offline $blk/state
	check "memory${id}_online_movable" sh -c "echo online_movable >$blk/state"
	check "memory${id}_memtotal_grew" [ "$(meminfo MemTotal)" -eq $((total + bs / 1024)) ]
	check "memory${id}_zone_movable" grep -q Movable $blk/valid_zones
	check "memory${id}_offline" sh -c "echo offline >$blk/state"
	check "memory${id}_memtotal_back" [ "$(meminfo MemTotal)" -eq "$total" ]
	if printf '0x%x' $addr >$probe 2>/dev/null; then
		fail "probe_again_memory${id}_rejected"
	else
		ok "probe_again_memory${id}_rejected"
	fi
	addr=$((addr + bs))
done
echo "$auto" >$MEMSYS/auto_online_blocks
finish
