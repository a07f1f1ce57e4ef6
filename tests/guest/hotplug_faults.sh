#!/bin/bash
# Injected failures: add, online, offline and remove two memory blocks of
# the range mem= hid (vmtest.probe=BASE,...) through memmap_bench/hotplug,
# with the Nth fault-injection point of the task made to fail (failslab
# and fail_page_alloc with ignore-gfp-wait=N, /proc/self/task/TID/fail-nth)
# for N = 1 .. vmtest.fault_max (default 60).  A cycle can have
# thousands of points (s390 maps the memmap page by page), so with
# vmtest.fault_far=K (default 0) the points of a clean cycle are counted,
# K more points spread evenly over the rest of it are tried, and then its
# last vmtest.fault_tail (default 20): the online, offline and remove
# steps.  Page allocations of every order are failed, order 0 too.
# Whether the cycle fails or gets through, nothing may be left behind:
# memory blocks, System RAM resources, the memmap counters and the
# vmemmap layout are as before every attempt, and a cycle that fails
# tells its writer ENOMEM (an allocation failed), never another errno.  The untouched baseline
# tree has no memmap_bench.
. /tests/lib.sh

hp=/sys/kernel/debug/memmap_bench/hotplug
fi_dir=/sys/kernel/debug
[ -w $hp ] && [ -n "${VMTEST_PROBE:-}" ] ||
	needed hotplug_faults "no $hp or no hidden range"
if [ ! -d $fi_dir/failslab ] || [ ! -d $fi_dir/fail_page_alloc ]; then
	fail hotplug_faults "no failslab/fail_page_alloc in debugfs"
	finish
fi
range=$(hidden_pair)
max=${VMTEST_FAULT_MAX:-60}
far=${VMTEST_FAULT_FAR:-0} tail=${VMTEST_FAULT_TAIL:-20}
auto=$(cat $MEMSYS/auto_online_blocks)
echo offline >$MEMSYS/auto_online_blocks
echo 0 >$fi_dir/fail_page_alloc/min-order

# Faults injected: every failure fault injection forces takes one off the
# attribute's "times" (when it is not -1), so start both from a large
# budget and count what was used.  (Counting log lines does not work: a
# thousand allocation-failure reports overrun the kernel log.)
budget=1000000
times0=$(cat $fi_dir/failslab/times) times1=$(cat $fi_dir/fail_page_alloc/times)
injected() {
	echo $((2 * budget - $(cat $fi_dir/failslab/times) - \
		$(cat $fi_dir/fail_page_alloc/times)))
}

for d in failslab fail_page_alloc; do
	echo N >$fi_dir/$d/ignore-gfp-wait
	echo 1 >$fi_dir/$d/verbose
	echo $budget >$fi_dir/$d/times
done

before=$(hotplug_state) pages0=$(memmap_pages)
nth=/proc/self/task/$BASHPID/fail-nth
# Opened now, so that no open may use up the injected fault: fd 6 arms
# and disarms fail-nth (a write ignores the file position).
exec 6>"$nth" 5>/dev/null
# The error of a failed cycle goes to fd 8, a file whose page exists
# already, so that writing it while armed allocates nothing; the file is
# reopened at its start before each attempt and blanked after a failure.
errf=/tmp/hotplug_faults.err
blank() { printf '%4095s\n' '' >$errf; }
blank
failed=0 through=0 drift=0 tried=0 inj0=$(injected) errnos=
# Run the cycle with its Nth point failed; rc=0 if it got through.  A
# failed cycle must tell the writer ENOMEM: an allocation failed, nothing
# else went wrong.
attempt() {
	local msg
	exec 7>$hp 8<>$errf
	echo "$1" >&6
	if echo "$range" >&7 2>&8; then rc=0; else rc=1; fi
	echo 0 >&6
	exec 7>&- 8>&-
	tried=$((tried + 1))
	if [ $rc = 0 ]; then
		through=$((through + 1))
	else
		failed=$((failed + 1))
		read -r msg <$errf
		msg=${msg##*: }
		errnos+="${msg:-no error text}"$'\n'
		[ "$msg" = "Cannot allocate memory" ] ||
			diag "fault $1: the cycle failed with '$msg', not ENOMEM"
		blank
	fi
	now=$(hotplug_state)
	if [ "$now" != "$before" ]; then
		drift=$((drift + 1))
		diag "fault $1 (cycle $([ $rc = 0 ] && echo got through || echo failed)): left [$now], was [$before]"
	fi
}
for n in $(seq "$max"); do attempt "$n"; done
# Count a cycle's points: fail-nth counts down at each point and reads
# back what is left (read through fd 9, opened before arming: no point).
# The count is of one cycle; the next may differ by a few.  The last
# points of a cycle on s390 are uevents of online and offline, whose
# failure the cycle survives.
points=0
if [ "$far" -gt 0 ]; then
	exec 7>$hp 9<"$nth"
	echo 1000000 >&6
	echo "$range" >&7 2>&5 && read -r left <&9 && points=$((1000000 - left))
	echo 0 >&6
	exec 7>&- 9<&-
	check "hotplug_faults: a clean cycle counts its fault points" [ "$points" -gt 0 ]
	if [ "$points" -gt "$max" ]; then
		tail0=$((points - tail > max ? points - tail + 1 : max + 1))
		step=$(((tail0 - max) / (far + 1)))
		[ "$step" -ge 1 ] || step=1
		for n in $(seq $((max + step)) "$step" $((tail0 - 1)) | head -n "$far"); do
			attempt "$n"
		done
		for n in $(seq "$tail0" "$points"); do attempt "$n"; done
	fi
fi
inj=$(($(injected) - inj0))
diag "tally: faults min_order=0 tried=$tried points=$points injected=$inj failed=$failed through=$through drift=$drift leaked_pages=$(($(memmap_pages) - pages0))"
check "hotplug_faults: faults were injected" [ "$inj" -gt 0 ]
check "hotplug_faults: some cycles failed under injection" [ "$failed" -gt 0 ]
check "hotplug_faults: nothing left behind after any attempt" [ "$drift" -eq 0 ]
diag "errors of the failed cycles: $(printf '%s' "$errnos" | sort | uniq -c | awk '{ $1 = $1 " x"; print }' | paste -sd, -)"
check "hotplug_faults: every failed cycle told the writer ENOMEM" \
	[ -z "$(printf '%s' "$errnos" | grep -vx 'Cannot allocate memory')" ]
# And without injection the cycle works, leaving nothing either.
check "hotplug_faults: a clean cycle afterwards" sh -c "echo '$range' >$hp"
check "hotplug_faults: nothing left behind by it" [ "$(hotplug_state)" = "$before" ]
for d in failslab fail_page_alloc; do
	echo Y >$fi_dir/$d/ignore-gfp-wait
	echo 2 >$fi_dir/$d/verbose
done
echo "$times0" >$fi_dir/failslab/times
echo "$times1" >$fi_dir/fail_page_alloc/times
echo 1 >$fi_dir/fail_page_alloc/min-order
echo "$auto" >$MEMSYS/auto_online_blocks
finish
