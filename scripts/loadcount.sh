#!/bin/bash
# The load-count table of one arch from its built upstream and series
# kernels (scripts/loadcount.py does the counting).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
[ $# -eq 1 ] || { echo "usage: $0 ARCH   (ARCH: $ARCHES)" >&2; exit 2; }
load_arch "$1"
imgs=()
for v in upstream series; do
	f=$(out_dir "$ARCH_NAME" "$v")/vmlinux
	[ -f "$f" ] || die "no $f: run scripts/build.sh $ARCH_NAME $v"
	imgs+=("$v=$f")
done
python3 "$TOP/scripts/loadcount.py" --arch "$ARCH_NAME" --cross "$CROSS_COMPILE" \
	--base-sym "$VMEMMAP_BASE_SYM" "${imgs[@]}"
