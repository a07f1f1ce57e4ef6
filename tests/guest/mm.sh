#!/bin/bash
# kselftest mm through its own run_vmtests.sh: the categories in
# vmtest.mm= (comma separated), or all of them.  Its TAP passes through.
cd /kselftest/mm || exit 1
cats=$(echo "${VMTEST_MM:-}" | tr , ' ')
if [ -n "$cats" ]; then
	exec ./run_vmtests.sh -t "$cats"
fi
exec ./run_vmtests.sh
