#!/bin/bash
# Build every patch of the series in turn, so that git bisect never lands
# on a tree that does not build.  Each commit base..HEAD of build/linux is
# checked out in its own worktree (build/linux-bisect) and built out of
# tree with the series config (options a commit does not know yet drop
# out through olddefconfig).  A new compiler warning fails the commit too.
#   ARCH=x86_64 (default) | arm64 | s390
#   FROM=N    start at the Nth patch (the ones before it were checked already)
#   ONLY="N.." build only these patches (the ones a fixup touched)
set -uo pipefail
. "$(dirname "$0")/lib.sh"

[ "${1:-}" = -h ] && { echo "usage: $0 [ARCH]   (default x86_64)"; exit 0; }
load_arch "${1:-x86_64}"
cfg=$(out_dir "$ARCH_NAME" series)/.config
[ -f "$cfg" ] || die "no series config: run scripts/build.sh $ARCH_NAME series first"
wt=$BUILD/linux-bisect
out=$BUILD/$ARCH_NAME-bisect
export CCACHE_DIR=${CCACHE_DIR:-$BUILD/ccache}
git -C "$SRC" worktree remove --force "$wt" 2>/dev/null
# A run killed while it made the worktree leaves a directory git does not know.
rm -rf "$wt"
git -C "$SRC" worktree prune
git -C "$SRC" worktree add -q --detach "$wt" base || die "cannot make $wt"
mkdir -p "$out" "$LOGS"

pass=0 fail=0 n=0
for c in $(git -C "$SRC" rev-list --reverse base..HEAD); do
	n=$((n + 1))
	subj=$(git -C "$SRC" log -1 --format=%s "$c")
	if [ "$n" -lt "${FROM:-1}" ]; then
		echo "ok $n $subj # SKIP before FROM=${FROM:-1}"
		continue
	fi
	if [ -n "${ONLY:-}" ] && ! [[ " $ONLY " == *" $n "* ]]; then
		echo "ok $n $subj # SKIP not in ONLY=$ONLY"
		continue
	fi
	git -C "$wt" checkout -q --detach "$c"
	cp "$cfg" "$out/.config"
	blog=$LOGS/bisect-$ARCH_NAME-$n.log
	if make -C "$wt" O="$out" ARCH="$KARCH" CROSS_COMPILE="$CROSS_COMPILE" \
		CC="ccache ${CROSS_COMPILE}gcc" olddefconfig >"$blog" 2>&1 &&
	   make -C "$wt" O="$out" ARCH="$KARCH" CROSS_COMPILE="$CROSS_COMPILE" \
		CC="ccache ${CROSS_COMPILE}gcc" -j"$(nproc)" >>"$blog" 2>&1 &&
	   ! grep -q 'warning:' "$blog"; then
		echo "ok $n $subj"
		pass=$((pass + 1))
	else
		echo "not ok $n $subj # see $blog"
		grep -E 'warning:|error:' "$blog" | head -5 | sed 's/^/#   /'
		fail=$((fail + 1))
	fi
done
echo "1..$n"
git -C "$SRC" worktree remove --force "$wt"
log "bisect $ARCH_NAME: every patch built in turn"
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
