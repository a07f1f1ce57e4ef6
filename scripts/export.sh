#!/bin/bash
# Regenerate patches/ from the kernel tree's commits base..HEAD with git
# format-patch: stable file names, patches/series, and the cover letter.
# The cover letter's own text (subject and blurb) is taken from the
# existing patches/0000-cover-letter.patch and carried into the new one;
# shortlog, diffstat and base-commit are regenerated.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

[ "${1:-}" = -h ] && { echo "usage: $0   (no arguments)"; exit 0; }
[ -d "$SRC/.git" ] || die "no kernel tree: run scripts/tree.sh"
[ -z "$(git -C "$SRC" status --porcelain --untracked-files=no)" ] ||
	die "the kernel tree has uncommitted edits: commit them first"

cover=$TOP/patches/0000-cover-letter.patch
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=$(git -C "$SRC" rev-list --count base..HEAD)

if [ "$n" -gt 0 ]; then
	# Subject and blurb of the current cover letter become the branch
	# description, which format-patch turns back into a cover letter.
	if [ -f "$cover" ]; then
		python3 - "$cover" >"$tmp/desc" <<'PY'
import email, sys
msg = email.message_from_file(open(sys.argv[1]))
subj = ' '.join(msg['Subject'].split())
subj = subj.split('] ', 1)[-1] if subj.startswith('[') else subj
body = msg.get_payload()
# The blurb ends where format-patch's shortlog starts ("Name (N):").
lines = body.split('\n')
end = len(lines)
for i, l in enumerate(lines):
    if l.endswith('):') and '(' in l and i + 1 < len(lines) and lines[i + 1].startswith('  '):
        end = i
        break
print(subj + '\n\n' + '\n'.join(lines[:end]).strip())
PY
	else
		printf 'SUBJECT HERE\n\nBLURB HERE\n' >"$tmp/desc"
	fi
	git -C "$SRC" config branch."$(git -C "$SRC" branch --show-current)".description "$(cat "$tmp/desc")"
	git -C "$SRC" format-patch -q --cover-letter --cover-from-description=subject \
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
