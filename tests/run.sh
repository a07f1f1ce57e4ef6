#!/bin/bash
# Run the named guest suites (tests/guest/NAME.sh) and print one KTAP
# document: each suite is a subtest whose own results are indented.
SUITE_TIMEOUT=${VMTEST_TIMEOUT:-1200}
echo "KTAP version 1"
echo "1..$#"
n=0
for s in "$@"; do
	n=$((n + 1))
	if [ ! -f "/tests/guest/$s.sh" ]; then
		echo "not ok $n $s # no such suite"
		continue
	fi
	echo "    # Subtest: $s"
	timeout "$SUITE_TIMEOUT" /bin/bash "/tests/guest/$s.sh" 2>&1 |
		while IFS= read -r line; do printf '    %s\n' "$line"; done
	rc=${PIPESTATUS[0]}
	case $rc in
	0) echo "ok $n $s" ;;
	4) echo "ok $n $s # SKIP" ;;
	124|143) echo "not ok $n $s # timed out after ${SUITE_TIMEOUT}s" ;;
	*) echo "not ok $n $s # exit=$rc" ;;
	esac
done
