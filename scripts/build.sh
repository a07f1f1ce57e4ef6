#!/bin/bash
# Configure and build one kernel: ARCH x VARIANT, out of tree under build/,
# with ccache.  The config is allnoconfig plus configs/common.config,
# configs/kunit.config, configs/ARCH.config and configs/VARIANT.config
# where it exists; every option they ask for (the last word on each)
# is checked in the result, so a symbol that silently fell out fails here.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

usage() { echo "usage: $0 ARCH VARIANT   (ARCH: $ARCHES; VARIANT: $VARIANTS)"; }
[ "${1:-}" = -h ] && { usage; exit 0; }
[ $# -eq 2 ] || { usage >&2; exit 2; }
load_arch "$1"
check_variant "$2" "$1"
VARIANT=$2
out=$(out_dir "$ARCH_NAME" "$VARIANT")
src=$(src_dir "$VARIANT")
[ -d "$src/.git" ] || [ -f "$src/.git" ] || die "no kernel tree at $src: run scripts/tree.sh"
mkdir -p "$out" "$LOGS"
export CCACHE_DIR=${CCACHE_DIR:-$BUILD/ccache} CCACHE_MAXSIZE=${CCACHE_MAXSIZE:-6G}

frags=("$TOP/configs/common.config" "$TOP/configs/kunit.config"
       "$TOP/configs/$ARCH_NAME.config")
# Options of the series itself: the baseline tree does not know them.
[ -f "$TOP/configs/$VARIANT.config" ] && frags+=("$TOP/configs/$VARIANT.config")
[ -n "${FLAVOUR:-}" ] && frags+=("$TOP/configs/$ARCH_NAME+$FLAVOUR.config")
[ -n "${EXTRA_CONFIG:-}" ] && frags+=("$EXTRA_CONFIG")
stamp=$(cat "${frags[@]}" | sha1sum | cut -c1-12)
blog=$LOGS/build-$(basename "$out").log
: >"$blog"

if [ "$(cat "$out/.frag-stamp" 2>/dev/null)" != "$stamp" ] || [ ! -f "$out/.config" ]; then
	log "build $ARCH_NAME/$VARIANT: configuring"
	cat "${frags[@]}" >"$out/fragment.config"
	kmake KCONFIG_ALLCONFIG="$out/fragment.config" allnoconfig >>"$blog" 2>&1 ||
		die "allnoconfig failed, see $blog"
	# Every requested option must have survived Kconfig's dependencies.
	bad=0
	while IFS= read -r line; do
		case "$line" in
		CONFIG_*=n)	# off: "is not set", or gone with its dependencies
			grep -q "^${line%=n}=" "$out/.config" || continue
			want="# ${line%=n} is not set" ;;
		CONFIG_*) want=$line ;;
		*) continue ;;
		esac
		grep -qxF "$want" "$out/.config" || {
			echo "config: asked for '$line', got '$(grep -E "^(# )?${line%%=*}[= ]" "$out/.config" || echo unset)'" >&2
			bad=1
		}
	done < <(tac "$out/fragment.config" | awk -F= '/^CONFIG_/ && !seen[$1]++' )
	[ $bad = 0 ] || die "config for $ARCH_NAME/$VARIANT lost requested options"
	echo "$stamp" >"$out/.frag-stamp"
fi

log "build $ARCH_NAME/$VARIANT: compiling (log: $blog)"
if ! kmake >>"$blog" 2>&1; then
	grep -E 'error|Error' "$blog" | head -20 >&2
	die "build of $ARCH_NAME/$VARIANT failed, see $blog"
fi
kmake headers >>"$blog" 2>&1 || die "headers for $ARCH_NAME/$VARIANT failed, see $blog"
log "build $ARCH_NAME/$VARIANT: $(du -h "$out/$KIMAGE" | cut -f1) $KIMAGE"
