#!/bin/bash
# temporary experiment (not committed)
. /tests/lib.sh
bs=$(block_bytes); b=$((${VMTEST_PROBE%,*} / bs + 2))
echo offline >$MEMSYS/auto_online_blocks
printf '0x%x' $((b * bs)) >$MEMSYS/probe; echo online_movable >$MEMSYS/memory$b/state
echo 64 >/proc/sys/vm/nr_hugepages
mkdir -p /mnt/huge && mount -t hugetlbfs none /mnt/huge
fallocate -l $((64 << 21)) /mnt/huge/held
diag "before: $(grep -E 'HugePages_(Total|Free|Surp)' /proc/meminfo | tr -s ' ' | tr '\n' ' ')"
s=$(date +%s%N); echo offline >$MEMSYS/memory$b/state; rc=$?; e=$(date +%s%N)
diag "offline rc=$rc in $(((e - s) / 1000000)) ms"
diag "after: $(grep -E 'HugePages_(Total|Free|Surp)' /proc/meminfo | tr -s ' ' | tr '\n' ' ')"
grep -E "pgmigrate|isolated" /proc/vmstat | tr '\n' ' ' | sed 's/^/# /'; echo
for i in 1 2 3; do sleep 1; echo offline >$MEMSYS/memory$b/state 2>/dev/null && { diag "retry $i ok"; break; }; diag "retry $i failed"; done
finish
