#!/bin/bash
# kselftest memory-hotplug: online/offline blocks, then the same with the
# memory notifier error injection.
. /tests/lib.sh
out=/tmp/mem-on-off.log
/kselftest/memory-hotplug/mem-on-off-test.sh -r 2 >$out 2>&1
rc=$?
sed 's/^/# /' $out
case $rc in
0) ok mem-on-off-test ;;
4) skip mem-on-off-test "$(tail -1 $out)" ;;
*) fail mem-on-off-test "exit=$rc" ;;
esac
finish
