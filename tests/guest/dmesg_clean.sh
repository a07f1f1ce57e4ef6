#!/bin/bash
# Last suite of a run that hunts for reports (the kasan flavour): the whole
# kernel log, from boot through every suite before this one, has no
# report (kernel_reports in tests/lib.sh).  Allocation failures that
# fault injection provoked on purpose are not reports: they print a
# stack under an "allocation failure" line, without any of these headlines.
. /tests/lib.sh

if kernel_reports >/tmp/reports; then
	sed 's/^/# /' /tmp/reports | head -60
	fail "kernel log clean" "$(wc -l </tmp/reports) report lines"
else
	ok "kernel log clean"
fi
finish
