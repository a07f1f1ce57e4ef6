#!/bin/bash
# Report every KUnit case that ran at boot (built-in suites, results in
# debugfs), and fail if a suite named in vmtest.kunit= did not run.
. /tests/lib.sh

dir=/sys/kernel/debug/kunit
for want in $(echo "${VMTEST_KUNIT:-}" | tr , ' '); do
	[ -r "$dir/$want/results" ] || fail "$want" "suite did not run"
done
for res in "$dir"/*/results; do
	[ -r "$res" ] || continue
	suite=$(basename "$(dirname "$res")")
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
	grep -qE '^not ok [0-9]+ ' "$res" && [ $_fail -eq 0 ] && fail "$suite" "suite failed"
done
[ $_n -gt 0 ] || fail kunit "no KUnit suite ran"
finish
