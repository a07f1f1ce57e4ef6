# Shared helpers for the harness scripts: paths, per-arch facts, logging.
# Sourced, never run.

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${BUILD:-$TOP/build}
SRC=$BUILD/linux			# kernel git tree: base tag + patches/
BASE_SRC=$BUILD/linux-baseline		# worktree of the base tag
UP_SRC=$BUILD/linux-upstream		# worktree: the fixes + testing patches
LOGS=$BUILD/logs
ARCHES="x86_64 arm64 s390"
# series: the series, CONFIG_SPARSE_VIRTUAL=y.  baseline: the untouched base
# tree.  upstream: the base plus the series' fixes (tag "upstream") plus the
# testing patches, i.e. upstream's SPARSEMEM_VMEMMAP with the same bug
# fixes and the benchmark.  classic: the series' tree with
# CONFIG_SPARSE_VIRTUAL=n, classic SPARSEMEM (x86_64 only).
VARIANTS="series baseline upstream classic"
T0=${T0:-$(date +%s)}
export T0

log() { printf '[%4ds] %s\n' $(($(date +%s) - T0)) "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# load_arch ARCH: read that arch's facts from scripts/arch/ARCH.conf.
load_arch() {
	local a=$1
	[ -f "$TOP/scripts/arch/$a.conf" ] ||
		die "unknown ARCH '$a' (valid: $ARCHES)"
	# Facts an arch may leave out must not carry over from the arch
	# loaded before it (make test loads each in turn in one shell).
	unset BOOT_VARIANTS SUITE_BOOTS FLAVOURS
	# shellcheck source=/dev/null
	. "$TOP/scripts/arch/$a.conf"
	ARCH_NAME=$a
	# FLAVOUR: a variation of the arch's kernel, e.g. arm64's 64k pages:
	# scripts/arch/ARCH+FLAVOUR.conf overrides facts, configs/ARCH+FLAVOUR.config
	# adds options, and it builds in a directory of its own.
	if [ -n "${FLAVOUR:-}" ]; then
		[ -f "$TOP/scripts/arch/$a+$FLAVOUR.conf" ] ||
			die "unknown FLAVOUR '$FLAVOUR' for $a (valid: ${FLAVOURS:-none})"
		# shellcheck source=/dev/null
		. "$TOP/scripts/arch/$a+$FLAVOUR.conf"
	fi
}

# check_variant VARIANT [ARCH]: one of $VARIANTS, and possible on ARCH.
check_variant() {
	case " $VARIANTS " in
	*" $1 "*) ;;
	*) die "unknown VARIANT '$1' (valid: $VARIANTS)" ;;
	esac
	if [ "$1" = classic ] && [ -n "${2:-}" ] && [ "$2" != x86_64 ]; then
		die "VARIANT=classic is x86_64 only: $2 always selects SPARSE_VIRTUAL"
	fi
	return 0
}

# out_dir ARCH VARIANT: the O= directory of one kernel build.
out_dir() { echo "$BUILD/$1-$2${FLAVOUR:++$FLAVOUR}"; }

# src_dir VARIANT: which tree a variant builds from.
src_dir() {
	case $1 in
	baseline) echo "$BASE_SRC" ;;
	upstream) echo "$UP_SRC" ;;
	*) echo "$SRC" ;;
	esac
}

# kmake ARGS...: make in the right tree for $ARCH_NAME/$VARIANT with ccache.
kmake() {
	make -C "$(src_dir "$VARIANT")" O="$(out_dir "$ARCH_NAME" "$VARIANT")" \
		ARCH="$KARCH" CROSS_COMPILE="$CROSS_COMPILE" \
		CC="ccache ${CROSS_COMPILE}gcc" -j"$(nproc)" "$@"
}
