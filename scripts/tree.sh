#!/bin/bash
# Make build/linux: Debian's linux-source-6.12 as a git tree with the base
# commit tagged "base", patches/series applied on top with git am (its
# last fix tagged "upstream", its last commit "series-end"), then the
# harness's own kernel patches, patches/testing/series; a worktree of the
# bare base at build/linux-baseline, and one of "upstream" plus the testing
# patches at build/linux-upstream.  Re-running it resets
# the tree to base + series unless the tree holds commits or edits that
# patches/ does not: those are kept (and built) until exported or forced.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

[ "${1:-}" = -h ] && {
	echo "usage: $0 [--force]  (--force: discard unexported tree work)"
	exit 0
}
force=${1:-}
tarball=/usr/src/linux-source-6.12.tar.xz
[ -f "$tarball" ] || die "$tarball missing: run scripts/setup.sh"

# Fixed identity and dates make the base commit's id the same on every
# machine for the same linux-source version, so base-commit: means something.
git_k() {
	GIT_AUTHOR_DATE="2000-01-01T00:00:00Z" GIT_COMMITTER_DATE="2000-01-01T00:00:00Z" \
	git -C "$SRC" -c user.name=harness -c user.email=harness@localhost "$@"
}

# A tree made from another linux-source version than the installed one
# (setup.sh installs the tested one) is another base.  It may hold
# unexported work, so say so rather than delete it.
src_ver=$(dpkg-query -W -f='${Version}' linux-source-6.12)
if [ -d "$SRC/.git" ] &&
   [ "$(git_k log -1 --format=%s base 2>/dev/null | awk '{ print $NF }')" != "$src_ver" ]; then
	die "build/linux is not from the installed linux-source-6.12 $src_ver:" \
	    "export its work (make export), then remove build/linux* and run make tree"
fi
if [ ! -d "$SRC/.git" ]; then
	log "tree: extracting $(basename $tarball)"
	rm -rf "$SRC" "$BASE_SRC"
	mkdir -p "$SRC"
	tar -xf "$tarball" -C "$SRC" --strip-components=1
	git_k init -q
	# Debian's top-level .gitignore ignores everything: add with -f.
	git_k add -f -A .
	git_k commit -q -m "Linux $(make -s -C "$SRC" kernelversion) from Debian linux-source-6.12 $(dpkg-query -W -f='${Version}' linux-source-6.12)"
	git_k tag base
fi

# The patch files in order: the series, then the harness's testing patches.
patch_files() {
	local p
	grep -v '^#' "$TOP/patches/series" | while read -r p; do
		[ -n "$p" ] && echo "$TOP/patches/$p"
	done
	[ -f "$TOP/patches/testing/series" ] || return 0
	grep -v '^#' "$TOP/patches/testing/series" | while read -r p; do
		[ -n "$p" ] && echo "$TOP/patches/testing/$p"
	done
}
# How many patches of patches/series are fixes: those above the marker
# line that export.sh writes after the last one.
fix_count() {
	awk '/^# The fixes end here/ { print n; found = 1; exit }
	     !/^#/ && NF { n++ }
	     END { if (!found) print 0 }' "$TOP/patches/series"
}
# Is what patches/ holds what the tree already carries?
series_ids() {
	local f
	patch_files | while read -r f; do
		git patch-id --stable <"$f" | cut -d' ' -f1
	done
}
tree_ids() {
	local c
	for c in $(git_k rev-list --reverse base..HEAD); do
		git_k show "$c" | git patch-id --stable | cut -d' ' -f1
	done
}
# Commits or edits in the tree that patches/ does not hold: work in progress.
unexported() {
	local known c id
	known=$(series_ids)
	git_k status --porcelain --untracked-files=no | head -1
	for c in $(git_k rev-list base..HEAD); do
		id=$(git_k show "$c" | git patch-id --stable | cut -d' ' -f1)
		grep -qx "$id" <<<"$known" || git_k log -1 --format='%h %s' "$c"
	done
}
if [ "$(series_ids)" != "$(tree_ids)" ] || [ -n "$(git_k status --porcelain --untracked-files=no)" ]; then
	wip=$(unexported)
	if [ -n "$wip" ] && [ "$force" != --force ]; then
		log "tree: keeping work that patches/ does not hold ('make export' saves it, FORCE=1 drops it):"
		echo "$wip" | sed 's/^/    /' >&2
	else
		log "tree: applying patches/series to base"
		git_k am --abort >/dev/null 2>&1 || true
		git_k checkout -q -f -B series base
		git_k tag -f series-end >/dev/null
		git_k tag -f upstream >/dev/null
		nfix=$(fix_count) i=0
		patch_files | while read -r f; do
			git_k am -q --keep-cr "$f" >/dev/null 2>&1 || {
				git_k am --abort >/dev/null 2>&1 || true
				die "patch does not apply: ${f#"$TOP"/}"
			}
			# The series proper ends here; the testing patches follow.
			case "$f" in "$TOP"/patches/testing/*) ;;
			*) git_k tag -f series-end >/dev/null
			   i=$((i + 1))
			   [ "$i" -gt "$nfix" ] || git_k tag -f upstream >/dev/null ;;
			esac
			log "tree: applied ${f#"$TOP"/}"
		done
	fi
fi

if [ ! -e "$BASE_SRC/.git" ]; then
	git_k worktree prune
	git_k worktree add -q --detach "$BASE_SRC" base
fi

# The upstream variant's tree: the fixes, then the same testing patches as
# the series gets.  Remade whenever either changes.
up_stamp=$( { git_k rev-parse upstream; cat "$TOP"/patches/testing/*.patch 2>/dev/null; } |
	sha1sum | cut -c1-12)
if [ ! -e "$UP_SRC/.git" ] || [ "$(cat "$BUILD/upstream.stamp" 2>/dev/null)" != "$up_stamp" ]; then
	log "tree: making $UP_SRC (tag upstream + patches/testing)"
	rm -rf "$UP_SRC" "$BUILD/upstream.stamp"
	git_k worktree prune
	git_k worktree add -q --detach "$UP_SRC" upstream
	[ -f "$TOP/patches/testing/series" ] &&
	grep -v '^#' "$TOP/patches/testing/series" | while read -r p; do
		[ -n "$p" ] || continue
		GIT_AUTHOR_DATE="2000-01-01T00:00:00Z" GIT_COMMITTER_DATE="2000-01-01T00:00:00Z" \
		git -C "$UP_SRC" -c user.name=harness -c user.email=harness@localhost \
			am -3 -q --keep-cr "$TOP/patches/testing/$p" >/dev/null 2>&1 || {
			git -C "$UP_SRC" am --abort >/dev/null 2>&1 || true
			die "testing patch does not apply to the upstream tag: $p"
		}
	done
	echo "$up_stamp" >"$BUILD/upstream.stamp"
fi
log "tree: $(git_k rev-list --count base..HEAD) patch(es) on base ($(git_k describe --tags --always))"
