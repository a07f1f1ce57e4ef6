#!/bin/bash
# Regenerate patches/ from the kernel tree's commits with git format-patch:
# base..series-end (the series) into patches/, with patches/series and the
# cover letter, and series-end..HEAD (the harness's own kernel patches:
# benchmark hooks, the probe file on arm64 and s390) into patches/testing/.
# The cover letter's own text (subject and blurb) is kept in
# patches/cover-letter.txt, the version in patches/VERSION; format-patch
# adds the shortlog, diffstat and base-commit.  No .patch file is ever
# edited by hand.
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
version=$(cat "$TOP/patches/VERSION")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# The series proper is base..series-end; what follows it up to HEAD are
# the harness's own kernel patches (patches/testing/), never posted.
git -C "$SRC" merge-base --is-ancestor series-end HEAD 2>/dev/null ||
	die "no tag series-end below HEAD in $SRC: tag the series' last commit"
n=$(git -C "$SRC" rev-list --count base..series-end)
# The fixes come first; the tag "upstream" marks the last of them.
git -C "$SRC" merge-base --is-ancestor upstream series-end 2>/dev/null ||
	die "no tag upstream below series-end in $SRC: tag the last fix"
nfix=$(git -C "$SRC" rev-list --count base..upstream)
t=$(git -C "$SRC" rev-list --count series-end..HEAD)

if [ "$n" -gt 0 ]; then
	# The cover letter's subject and text come from patches/cover-letter.txt
	# (first line the subject, then a blank line, then the text) through
	# the branch description, which format-patch turns into the letter.
	[ -f "$text" ] || die "$text missing: write the cover letter's text there"
	# format-patch reads the description of the branch that ends the
	# range, so the range ends at a branch made for it at series-end.
	cp "$text" "$tmp/desc"
	git -C "$SRC" branch -f export-series series-end >/dev/null
	git -C "$SRC" config branch.export-series.description "$(cat "$tmp/desc")"
	# A fixed abbreviation keeps the index lines the same on every machine.
	git -C "$SRC" -c core.abbrev=12 format-patch -q --cover-letter --cover-from-description=subject \
		--subject-prefix="PATCH $version" \
		--base=base --no-signature --zero-commit -o "$tmp/out" base..export-series
fi
if [ "$t" -gt 0 ]; then
	git -C "$SRC" -c core.abbrev=12 format-patch -q --subject-prefix="TESTING" \
		--no-signature --zero-commit -o "$tmp/testing" series-end..HEAD
fi

# write_series DIR FROM [NFIX]: copy FROM's patches into DIR, list them in
# DIR/series, with a marker line after the first NFIX (the fixes).
write_series() {
	local p i=0
	mkdir -p "$1"
	rm -f "$1"/*.patch
	: >"$1/series.new"
	for p in "$2"/*.patch; do
		[ -f "$p" ] || continue
		cp "$p" "$1/"
		case "$p" in */0000-cover-letter.patch) continue ;; esac
		basename "$p" >>"$1/series.new"
		i=$((i + 1))
		[ "$i" != "${3:-}" ] ||
			echo "# The fixes end here: the upstream variant is the base plus the patches above." >>"$1/series.new"
	done
	mv "$1/series.new" "$1/series"
}
write_series "$TOP/patches" "$tmp/out" "$nfix"
write_series "$TOP/patches/testing" "$tmp/testing"
log "export: $n patch(es) written to patches/, $t to patches/testing/ (base $(cat "$TOP/patches/BASE"))"
