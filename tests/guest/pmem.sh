#!/bin/bash
# ZONE_DEVICE memmaps of emulated persistent memory: the legacy e820 pmem
# range of memmap=SIZE!ADDR (x86_64), which starts and ends inside a
# memory section, taken through every mode the nvdimm drivers offer:
#  raw     the namespace as it boots (/dev/pmemN), memmap in RAM;
#  pfn-ram a pfn device, memmap in RAM;
#  pfn-dev a pfn device, memmap in the device (an altmap: fsdax's layout);
#  dax-ram device-dax, 2M alignment, memmap in RAM: compound pages, whose
#          tail struct pages share vmemmap pages where the arch optimises;
#  dax-dev device-dax, 2M alignment, memmap in the device.
# Each bind must succeed (the range is the review's example: 6M into a
# section, ending 4M into one), add exactly the memmap its mode should
# (nr_memmap_pages: the partial sections share the boot memmap of the RAM
# beside them), take RAM for it or not, keep data written through it
# across unbind/rebind cycles, run the KUnit layout check while bound, and
# leave the memmap counters and vmemmap layout exactly as they were.
. /tests/lib.sh

spec=$(sed -n 's/.*\bmemmap=\([0-9]*[KMG]\)!\(0x[0-9a-f]*\).*/\1 \2/p' /proc/cmdline)
[ -n "$spec" ] || { skip pmem "boot without memmap=SIZE!ADDR"; finish; }
ND=/sys/bus/nd
[ -d $ND ] || needed pmem "no libnvdimm"
cycles=${VMTEST_PMEM_CYCLES:-2}
bytes() {
	local n=${1%[KMG]}
	case $1 in *K) echo $((n << 10)) ;; *M) echo $((n << 20)) ;; *G) echo $((n << 30)) ;; esac
}
set -- $spec
size=$(bytes "$1") start=$(($2))
end=$((start + size))
SECTION=$((128 << 20))
PAGE=4096 SPAGE=64 ALIGN=$((2 << 20))

# The memmap pages upstream's counter adds for [START, END): per section
# part, its struct pages rounded up to pages; with COMPOUND (pages per
# compound page, tails sharing vmemmap pages), 2 vmemmap pages per
# compound page (VMEMMAP_RESERVE_NR).  A part of a section that has boot
# memory (a memory block) adds none: it uses the boot memmap.
memmap_for() {
	local s=$1 e=$2 compound=${3:-0} n=0 p bs
	bs=$(block_bytes)
	while [ "$s" -lt "$e" ]; do
		p=$(((s / SECTION + 1) * SECTION))
		[ "$p" -gt "$e" ] && p=$e
		if [ -d $MEMSYS/memory$((s / bs)) ]; then
			:
		elif [ "$compound" -gt 0 ]; then
			n=$((n + 2 * (p - s) / PAGE / compound))
		else
			n=$((n + ((p - s) / PAGE * SPAGE + PAGE - 1) / PAGE))
		fi
		s=$p
	done
	echo $n
}

region=
for r in $ND/devices/region*; do
	[ "$(printf '%d' "$(cat "$r/resource" 2>/dev/null)")" = "$start" ] && region=$r
done
[ -n "$region" ] || { fail pmem "no nvdimm region at $(printf 0x%x $start)"; finish; }
check "pmem: region $(basename $region) is the $1 at $2" [ "$(cat $region/size)" -eq "$size" ]
ns=$(basename "$(ls -d $region/namespace*.0 | head -1)")
drv=$ND/drivers/nd_pmem
reports0=$(kernel_reports | wc -l)
clean() { [ "$(kernel_reports | wc -l)" -eq "$reports0" ]; }
state() { echo "$(memmap_counters) $(vmemmap_dump | md5sum)"; }
# Free pages, the per-cpu counter differences folded in first, with the
# pages on the per-cpu lists (which keep 2M blocks too): a vmemmap block
# freed by one unbind is the next bind's without touching nr_free_pages.
free_pages() {
	sync; echo 3 >/proc/sys/vm/drop_caches; echo 1 >/proc/sys/vm/stat_refresh
	echo $(($(vmstat nr_free_pages) + $(awk '$1 == "count:" { n += $2 } END { print n + 0 }' /proc/zoneinfo)))
}
uuid() { cat /proc/sys/kernel/random/uuid; }
blockdev_of() { ls "$ND/devices/$1/block" 2>/dev/null | head -1; }
# Data written through a device at 1 MiB from its start; SEED picks it.
put() { dd if=/dev/urandom of=/tmp/pmem.$2 bs=64k count=16 2>/dev/null &&
	dd if=/tmp/pmem.$2 of=/dev/$1 bs=64k seek=16 conv=fsync 2>/dev/null; }
same() { dd if=/dev/$1 bs=64k skip=16 count=16 2>/dev/null | cmp -s - /tmp/pmem.$2; }

# 1. Raw: the namespace as the kernel bound it at boot.  A legacy e820
# region asks for struct pages (ND_REGION_PAGEMAP), so even raw has a
# memmap, in RAM.  Everything after is measured from the unbound state.
raw=$(blockdev_of "$ns")
check "pmem: raw $ns bound as ${raw:-nothing}" [ -n "$raw" ]
check "pmem: raw: data written" put "$raw" raw
sraw=$(state) mraw=$(vmstat nr_memmap_pages)
echo "$ns" >$drv/unbind
check "pmem: raw: unbound" [ ! -e "$drv/$ns" ]
s0=$(state) m0=$(vmstat nr_memmap_pages)
echo "$ns" >$drv/bind
check "pmem: raw: data survives a rebind" same "$(blockdev_of "$ns")" raw
check "pmem: raw: memmap exact each way" \
	[ $((mraw - m0)) -eq "$(memmap_for "$start" "$end")" -a "$(state)" = "$sraw" ]
echo "$ns" >$drv/unbind

# setup KIND MODE: configure the region's seed device of KIND (pfn, dax)
# with the namespace, memmap location MODE (ram, pmem) and 2M alignment;
# print its name.
setup() {
	local dev
	dev=$(cat "$region/${1}_seed")
	[ -n "$dev" ] || return 1
	uuid >"$ND/devices/$dev/uuid" &&
		echo "$2" >"$ND/devices/$dev/mode" &&
		echo $ALIGN >"$ND/devices/$dev/align" &&
		echo "$ns" >"$ND/devices/$dev/namespace" &&
		echo "$dev"
}
daxdev() { ls "$ND/devices/$1/" 2>/dev/null | grep -m1 '^dax[0-9]*\.[0-9]*$'; }

# mode NAME KIND MODE DRIVER: bind, check, cycle, unbind, detach.
declare -A drop dsize mm
mode() {
	local name=$1 kind=$2 loc=$3 drvdir=$ND/drivers/$4 dev f0 m1 want compound=0 c
	local b d seed good s1
	dev=$(setup "$kind" "$loc")
	if [ -z "$dev" ]; then
		fail "pmem: $name: cannot configure a $kind device"
		return
	fi
	[ "$kind" = dax ] && [ "$loc" = ram ] && compound=$((ALIGN / PAGE))
	f0=$(free_pages) m0=$(vmstat nr_memmap_pages)
	if ! echo "$dev" >"$drvdir/bind" 2>/tmp/pmem.err; then
		fail "pmem: $name: $dev binds" "$(cat /tmp/pmem.err)"
		echo "" >"$ND/devices/$dev/namespace"
		return
	fi
	ok "pmem: $name: $dev binds"
	drop[$name]=$((f0 - $(free_pages)))
	m1=$(vmstat nr_memmap_pages)
	mm[$name]=$((m1 - m0)) dsize[$name]=$(cat "$ND/devices/$dev/size")
	want=$(memmap_for "$start" "$end" $compound)
	diag "pmem: $name: memmap +${mm[$name]} pages (want $want), RAM -${drop[$name]} pages, data size ${dsize[$name]}"
	check "pmem: $name: memmap as the mode and layout say" [ "${mm[$name]}" -eq "$want" ]
	if [ "$kind" = pfn ]; then
		b=$(blockdev_of "$dev")
		check "pmem: $name: data written" put "$b" "$name"
	else
		d=$(daxdev "$dev")
		seed=$(dd if=/dev/urandom bs=4 count=1 2>/dev/null | od -An -tu4 | tr -d ' ')
		check "pmem: $name: data written" daxrw "/dev/$d" write "$seed" 64
	fi
	check_kunit "pmem: $name: KUnit layout check while bound"
	# The RAM a bind takes is sampled again in the first rebinds: other
	# work frees or takes a few hundred pages now and then, so a memmap
	# in RAM counts its largest sample, a memmap in the device its least.
	good=0
	for c in $(seq "$cycles"); do
		echo "$dev" >"$drvdir/unbind"
		[ "$(vmstat nr_memmap_pages)" -eq "$m0" ] || break
		[ "$c" -gt 3 ] || f0=$(free_pages)
		echo "$dev" >"$drvdir/bind" || break
		if [ "$c" -le 3 ]; then
			s1=$((f0 - $(free_pages)))
			if [ "$loc" = ram ]; then
				[ "$s1" -le "${drop[$name]}" ] || drop[$name]=$s1
			else
				[ "$s1" -ge "${drop[$name]}" ] || drop[$name]=$s1
			fi
		fi
		[ "$(vmstat nr_memmap_pages)" -eq "$m1" ] && [ -e "$drvdir/$dev" ] || break
		good=$c
	done
	diag "pmem: $name: RAM the bind takes, over the first rebinds: ${drop[$name]} pages"
	[ "$good" -eq "$cycles" ] ||
		diag "pmem: $name: cycle $((good + 1)): memmap $(vmstat nr_memmap_pages), bound: $([ -e "$drvdir/$dev" ] && echo yes || echo no)"
	check "pmem: $name: $cycles unbind/bind cycles, memmap exact each way" [ "$good" -eq "$cycles" ]
	if [ "$kind" = pfn ]; then
		check "pmem: $name: data survives the rebinds" same "$(blockdev_of "$dev")" "$name"
	else
		check "pmem: $name: data survives the rebinds" \
			daxrw "/dev/$(daxdev "$dev")" check "$seed" 64
	fi
	echo "$dev" >"$drvdir/unbind"
	echo "" >"$ND/devices/$dev/namespace"
	s1=$(state)
	[ "$s1" = "$s0" ] || diag "pmem: $name: after unbind '$s1', at the start '$s0'"
	check "pmem: $name: unbound, counters and vmemmap layout as before" [ "$s1" = "$s0" ]
	check "pmem: $name: cleanly" clean
}


mode pfn-ram pfn ram nd_pmem
mode pfn-dev pfn pmem nd_pmem
mode dax-ram dax ram dax_pmem
mode dax-dev dax pmem dax_pmem

# The memmap in the device takes its RAM away (x86 has always populated
# partial sections from RAM; here they share the boot memmap anyway).
full=$(memmap_for $(((start + SECTION - 1) / SECTION * SECTION)) $((end / SECTION * SECTION)))
for k in pfn dax; do
	r=${drop[$k-ram]:-0} d=${drop[$k-dev]:-0} want=${mm[$k-ram]:-0}
	check "pmem: $k: a device memmap saves the $want pages it takes in RAM (RAM used: ram $r, dev $d)" \
		[ "$want" -gt 0 -a $((r - d)) -ge $((want * 3 / 4)) ]
	check "pmem: $k: the device reserves room for the memmap it holds" \
		[ $((${dsize[$k-ram]:-0} - ${dsize[$k-dev]:-0})) -ge $((full * PAGE)) ]
done
# Back to raw, the info block cleared as ndctl does it.
echo 1 >"$region/$ns/force_raw" 2>/dev/null || echo 1 >"$ND/devices/$ns/force_raw"
echo "$ns" >$drv/bind
b=$(blockdev_of "$ns")
[ -n "$b" ] && dd if=/dev/zero of=/dev/$b bs=4k seek=1 count=1 conv=fsync 2>/dev/null
echo "$ns" >$drv/unbind
echo 0 >"$ND/devices/$ns/force_raw"
echo "$ns" >$drv/bind
check "pmem: raw again after the info block is cleared" [ -n "$(blockdev_of "$ns")" ]
check "pmem: counters and vmemmap layout as at the start" [ "$(state)" = "$sraw" ]
finish
