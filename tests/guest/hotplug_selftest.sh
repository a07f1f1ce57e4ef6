#!/bin/bash
# kselftest memory-hotplug: online/offline blocks, then the same with the
# memory notifier error injection.
. /tests/lib.sh
out=/tmp/mem-on-off.log

# arm64 refuses to offline boot memory: where a virtio-mem device exists,
# plug some memory first so that the test has hot-plugged blocks to use.
vmem=$(ls -d /sys/bus/virtio/drivers/virtio_mem/virtio* 2>/dev/null | head -1)
if [ -n "$vmem" ]; then
	total0=$(meminfo MemTotal)
	host virtio-mem-resize vm0 $((512 << 20))
	grown() { [ "$(meminfo MemTotal)" -ge $((total0 + 524288)) ]; }
	check virtio_mem_plugged_for_test wait_for 120 grown
fi
/kselftest/memory-hotplug/mem-on-off-test.sh -r 2 >$out 2>&1
rc=$?
sed 's/^/# /' $out
case $rc in
0) ok mem-on-off-test ;;
4) skip mem-on-off-test "$(tail -1 $out)" ;;
*) fail mem-on-off-test "exit=$rc" ;;
esac
if [ -n "$vmem" ]; then
	host virtio-mem-resize vm0 0
	shrunk() { [ "$(meminfo MemTotal)" -eq "$total0" ]; }
	check virtio_mem_unplugged_after_test wait_for 120 shrunk
fi
finish
