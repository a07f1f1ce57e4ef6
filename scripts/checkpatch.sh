#!/bin/bash
# checkpatch.pl --strict on every patch in patches/series and
# patches/testing/series, with the kernel tree's own script.  Fails on any
# error or warning; CHECKs are shown, and the cover letter explains any
# that stay.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

[ "${1:-}" = -h ] && { echo "usage: $0   (no arguments)"; exit 0; }
[ -x "$SRC/scripts/checkpatch.pl" ] || die "no kernel tree: run scripts/tree.sh"
bad=0
while read -r p; do
	case "$p" in ''|'#'*|*/'#'*|*/) continue ;; esac
	# Debian's python3 has the ply module that spdxcheck.py wants.  The
	# tree has no upstream history, so checkpatch cannot look up the ids
	# of Fixes: tags (UNKNOWN_COMMIT_ID); they were checked against the
	# public archives the commit messages' sources name, by hand.
	# FILE_PATH_CHANGES asks whether MAINTAINERS needs updating for every
	# new file: the series' new files are arch/*/include/asm/ headers,
	# which the arch entries cover already (arch review m3), and the
	# testing patches are never posted.
	out=$(cd "$SRC" && PATH=/usr/bin:$PATH ./scripts/checkpatch.pl --strict \
		--ignore UNKNOWN_COMMIT_ID,FILE_PATH_CHANGES "$TOP/patches/$p" 2>&1)
	if echo "$out" | grep -qE '^(ERROR|WARNING|CHECK):'; then
		echo "$out" | grep -E '^(ERROR|WARNING|CHECK):' -A3
	fi
	echo "$out" | grep -qE '^(ERROR|WARNING):' && bad=1
	echo "$p: $(echo "$out" | grep '^total:')"
done < <(for d in patches patches/testing; do
	[ -f "$TOP/$d/series" ] && grep -v '^#' "$TOP/$d/series" | sed "s|^|${d#patches}/|; s|^/||"
done)
exit $bad
