#!/bin/bash
# Regenerate patches/ from the kernel tree's commits base..HEAD with git
# format-patch: stable file names, patches/series, and the cover letter.
# The cover letter's own text (subject and blurb) is kept in
# patches/cover-letter.txt; format-patch adds the shortlog, diffstat and
# base-commit.  No .patch file is ever edited by hand.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

[ "${1:-}" = -h ] && { echo "usage: $0   (no arguments)"; exit 0; }
[ -d "$SRC/.git" ] || die "no kernel tree: run scripts/tree.sh"
[ -z "$(git -C "$SRC" status --porcelain --untracked-files=no)" ] ||
	die "the kernel tree has uncommitted edits: commit them first"
# Debian's top-level .gitignore ignores everything, so a new file is left
# out of a commit unless added with -f.  The tree holds no build output
# (builds are out of tree), so an ignored file here is such a new file,
# but for what the kselftest mm build writes into the source tree.
new=$(git -C "$SRC" ls-files --others --ignored --exclude-standard |
	grep -v '^tools/testing/selftests/mm/local_config\.' || true)
[ -z "$new" ] || die "new files not committed (git add -f them): $(echo $new)"

text=$TOP/patches/cover-letter.txt
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=$(git -C "$SRC" rev-list --count base..HEAD)

if [ "$n" -gt 0 ]; then
	# The cover letter's subject and text come from patches/cover-letter.txt
	# (first line the subject, then a blank line, then the text) through
	# the branch description, which format-patch turns into the letter.
	[ -f "$text" ] || die "$text missing: write the cover letter's text there"
	cp "$text" "$tmp/desc"
	git -C "$SRC" config branch."$(git -C "$SRC" branch --show-current)".description "$(cat "$tmp/desc")"
	# A fixed abbreviation keeps the index lines the same on every machine.
	git -C "$SRC" -c core.abbrev=12 format-patch -q --cover-letter --cover-from-description=subject \
		--base=base --no-signature --zero-commit -o "$tmp/out" base..HEAD
fi

rm -f "$TOP"/patches/*.patch
: >"$TOP/patches/series.new"
for p in "$tmp"/out/*.patch; do
	[ -f "$p" ] || continue
	cp "$p" "$TOP/patches/"
	case "$p" in */0000-cover-letter.patch) continue ;; esac
	basename "$p" >>"$TOP/patches/series.new"
done
mv "$TOP/patches/series.new" "$TOP/patches/series"
log "export: $n patch(es) written to patches/ (base $(cat "$TOP/patches/BASE"))"
