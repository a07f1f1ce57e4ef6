# Helpers for guest suites: KTAP results and small memory queries.
# Sourced by tests/guest/*.sh.
_n=0 _fail=0 _pass=0
echo "KTAP version 1"

ok()   { _n=$((_n + 1)); _pass=$((_pass + 1)); echo "ok $_n $1"; }
fail() { _n=$((_n + 1)); _fail=$((_fail + 1)); echo "not ok $_n $1${2:+ # $2}"; }
skip() { _n=$((_n + 1)); echo "ok $_n $1 # SKIP ${2:-}"; }
diag() { echo "# $*"; }
# check NAME CMD...: one result from a command's exit status.
check() { local name=$1; shift; if "$@"; then ok "$name"; else fail "$name"; fi; }
# finish: print the plan; exit 1 on any failure, 4 if nothing ran.
finish() {
	echo "1..$_n"
	[ $_fail -eq 0 ] || exit 1
	[ $_pass -gt 0 ] || exit 4
	exit 0
}

MEMSYS=/sys/devices/system/memory
meminfo() { awk -v k="$1:" '$1 == k { print $2 }' /proc/meminfo; }	# kB
block_bytes() { printf '%d' "0x$(cat $MEMSYS/block_size_bytes)"; }
nr_blocks() { ls -d $MEMSYS/memory[0-9]* 2>/dev/null | wc -l; }
online_blocks() { grep -l '^online' $MEMSYS/memory[0-9]*/state 2>/dev/null | wc -l; }

# wait_for SECONDS CMD...: poll CMD once a second until it succeeds.
wait_for() {
	local t=$1; shift
	while [ "$t" -gt 0 ]; do
		"$@" && return 0
		sleep 1; t=$((t - 1))
	done
	"$@"
}

# host ACTION ARGS...: ask the host's QMP driver to act (see scripts/qemu.py).
host() { echo "@@vmtest-qmp $*"; }

# vmemmap_part FILE: the vmemmap region of a kernel page table dump, from
# its marker to the next one, whatever the arch calls the markers.
vmemmap_part() {
	awk '/---\[/ {
		m = tolower($0)
		if (!on && m ~ /vmemmap/ && m !~ /end/) { on = 1; print; next }
		if (on) { if (m ~ /vmemmap/) print; on = 0; next }
	}
	on' "$1"
}

# vmemmap_dump: the vmemmap region of this kernel's page table dump.
vmemmap_dump() {
	local f
	for f in /sys/kernel/debug/page_tables/kernel /sys/kernel/debug/kernel_page_tables; do
		[ -r "$f" ] || continue
		vmemmap_part "$f"
		return
	done
}

# vmemmap_leaves: "N PMD leaves of SIZE, N PTE leaves of SIZE" from the
# dump, whose lines name the level (pmd/pte, any case) and the size.
vmemmap_leaves() {
	local pmdkb ptekb
	pmdkb=$(awk '/^Hugepagesize:/ { print $2 }' /proc/meminfo)
	ptekb=$(awk '/^KernelPageSize:/ { print $2; exit }' /proc/self/smaps)
	vmemmap_dump | awk -v pmdkb="${pmdkb:-1024}" -v ptekb="${ptekb:-4}" '
	function kb(s,  n, u) {
		n = s + 0; u = substr(s, length(s))
		return u == "K" ? n : u == "M" ? n * 1024 : u == "G" ? n * 1048576 : 0
	}
	/^0x/ {
		lvl = ""; size = 0; mapped = 0
		for (i = 1; i <= NF; i++) {
			t = tolower($i)
			if (t == "pmd" || t == "pte") lvl = t
			else if (t == "rw" || t == "ro") mapped = 1
			else if ($i ~ /^[0-9]+[KMG]$/ && !size) size = kb($i)
		}
		# Unmapped ranges have no protection bits.
		if (lvl == "" || !mapped) next
		if (lvl == "pmd") pmd += size; else pte += size
	}
	END {
		printf "%d PMD leaves of %dK, %d PTE leaves of %dK\n", pmd / pmdkb, pmdkb, pte / ptekb, ptekb
	}'
}

# The memmap counters of /proc/vmstat: upstream's nr_memmap_pages and, with
# the series, nr_vmemmap_pgtable_pages and nr_validmap_pages (the validity
# map's pages and page tables) ("name=value ...").
vmstat() { awk -v k="$1" '$1 == k { print $2 }' /proc/vmstat; }
memmap_counters() {
	grep -E '^nr_(memmap_pages|vmemmap_pgtable_pages|validmap_pages) ' /proc/vmstat |
		tr ' ' = | tr '\n' ' '
}

# check_kunit NAME: run the KUnit suite sparse_virtual again (debugfs):
# its vmemmap layout and page-table counter cases see the memory as it is
# now.  Required on the series, skipped on kernels without the suite.
KUNIT_SV=/sys/kernel/debug/kunit/sparse_virtual
kunit_rerun() {
	echo 1 >$KUNIT_SV/run && grep -q '^    ok' $KUNIT_SV/results &&
		! grep -q '^    not ok' $KUNIT_SV/results
}
check_kunit() {
	if [ -w $KUNIT_SV/run ]; then
		check "$1" kunit_rerun
	elif [ "${VMTEST_VARIANT:-}" = series ]; then
		fail "$1" "no sparse_virtual suite"
	else
		skip "$1" "no sparse_virtual suite in ${VMTEST_VARIANT:-this kernel}"
	fi
}

# needed NAME WHY: something this suite needs is not in this kernel: a
# failure on kernels of the series' tree, a skip on the untouched baseline.
needed() {
	if [ "${VMTEST_VARIANT:-}" = baseline ]; then
		skip "$1" "baseline: $2"
	else
		fail "$1" "$2"
	fi
	finish
}

# What a hotplug cycle must leave as it found it: memory blocks, System
# RAM resources, memmap counters, the vmemmap layout in the kernel page
# table dump - and the memmap plus vmemmap page-table pages, for the leak
# count.
hotplug_state() {
	echo "$(nr_blocks) $(grep -c 'System RAM' /proc/iomem) $(memmap_counters)" \
	     "$(vmemmap_dump | md5sum)"
}
memmap_pages() {
	local a b
	a=$(vmstat nr_memmap_pages)
	b=$(vmstat nr_vmemmap_pgtable_pages)
	echo $((a + ${b:-0}))
}
# The first two memory blocks of the range mem= hid (vmtest.probe=BASE,...),
# as "START SIZE" for memmap_bench/hotplug.
hidden_pair() { printf '0x%x 0x%x' $((${VMTEST_PROBE%,*})) $((2 * $(block_bytes))); }

# Kernel reports in the log: warnings (lockdep's included), BUGs and
# KASAN reports ("BUG: KASAN: ..."), oopses, UBSAN reports, RCU stalls
# and hung tasks ("INFO: ...").  Not any line that names KASAN.
kernel_reports() { dmesg | grep -E 'WARNING:|BUG:|Oops|UBSAN:|INFO: '; }

# True if hot-added memory may carry its own memmap: the kernel was booted
# with memory_hotplug.memmap_on_memory=1 (the parameter reads Y, or
# "force" where a kernel has that mode).
memmap_on_memory() {
	case $(cat /sys/module/memory_hotplug/parameters/memmap_on_memory 2>/dev/null) in
	Y|force) return 0 ;;
	esac
	return 1
}
