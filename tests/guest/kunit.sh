#!/bin/bash
# Report every KUnit case that ran at boot (built-in suites, results in
# debugfs), and fail if a suite named in vmtest.kunit= did not run.  The
# suites in vmtest.kunit_rerun= then run once more, now that boot is over
# (some cases can only run then), and are reported again as after_boot:.
. /tests/lib.sh

dir=/sys/kernel/debug/kunit
for want in $(echo "${VMTEST_KUNIT:-}" | tr , ' '); do
	[ -r "$dir/$want/results" ] || fail "$want" "suite did not run"
done
report() {
	local res=$1 suite=$2
	sed 's/^/# /' "$res"
	# Cases are the once-indented result lines of the suite's KTAP.
	cases=0
	while read -r line; do
		cases=$((cases + 1))
		name=$(echo "$line" | sed -E 's/^(not )?ok [0-9]+ //; s/ #.*//')
		case "$line" in
		not*) fail "$suite.$name" ;;
		*'# SKIP'*) skip "$suite.$name" "${line#*# SKIP}" ;;
		*) ok "$suite.$name" ;;
		esac
	done < <(grep -E '^    (not )?ok [0-9]+ ' "$res")
	[ $cases -gt 0 ] || fail "$suite" "no case results"
	if grep -qE '^not ok [0-9]+ ' "$res" && [ $_fail -eq 0 ]; then
		fail "$suite" "suite failed"
	fi
}
for res in "$dir"/*/results; do
	[ -r "$res" ] || continue
	report "$res" "$(basename "$(dirname "$res")")"
done
for suite in $(echo "${VMTEST_KUNIT_RERUN:-}" | tr , ' '); do
	if ! echo 1 >"$dir/$suite/run" 2>/dev/null; then
		fail "after_boot:$suite" "cannot run it through debugfs"
		continue
	fi
	report "$dir/$suite/results" "after_boot:$suite"
done
[ $_n -gt 0 ] || fail kunit "no KUnit suite ran"
finish
