#!/bin/bash
# Install what the harness needs, idempotently: host packages through
# apt-get, and static busybox and bash for each guest arch as .debs
# fetched into build/debs with a private apt state (the host's dpkg
# architecture list is left alone).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

[ "${1:-}" = -h ] && { echo "usage: $0   (no arguments)"; exit 0; }

BASE_DEB=$(cat "$TOP/patches/BASE")	# Debian version last tested
PKGS="linux-source-6.12 gcc make flex bison bc libelf-dev libssl-dev
      cpio xz-utils kmod rsync python3 python3-ply ccache git
      gcc-aarch64-linux-gnu libc6-dev-arm64-cross
      gcc-s390x-linux-gnu libc6-dev-s390x-cross gnuplot-nox"
# QEMU from bookworm-backports (10.0): bookworm's 7.2 cannot hot-plug
# virtio-mem on arm64's virt machine.
QEMU_PKGS="qemu-system-x86 qemu-system-arm qemu-system-s390x seabios"
QEMU_MIN=10

missing() {
	local p
	for p in $PKGS; do
		dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null |
			grep -q 'install ok installed' || echo "$p"
	done
}

# The backports suite, on the same mirror as the host's Debian source.
backports() {
	local list=/etc/apt/sources.list.d/vmemmap-bookworm-backports.list uri
	[ -f "$list" ] && return 0
	uri=$({ grep -hs '^URIs:' /etc/apt/sources.list.d/*.sources | awk '{ print $2 }'
		grep -hs '^deb ' /etc/apt/sources.list /etc/apt/sources.list.d/*.list |
			awk '{ print $2 }'; } | grep -v security | head -1 || true)
	[ -n "$uri" ] || die "no Debian apt source to take the backports mirror from"
	echo "deb $uri bookworm-backports main" >"$list"
	apt-get update -qq
}

qemu_version() { dpkg-query -W -f='${Version}' "$1" 2>/dev/null | sed 's/^1://; s/\..*//'; }
qemu_old() {
	local p
	for p in ${QEMU_PKGS% seabios}; do
		[ "$(qemu_version "$p")" -ge $QEMU_MIN ] 2>/dev/null || return 0
	done
	return 1
}

need=$(missing)
# The tested linux-source version, not merely some 6.12: a newer stable
# release is another base (6.12.118 came out while 6.12.117 was the tested
# one, and the plain install upgraded to it).
src_ver=$(dpkg-query -W -f='${Version}' linux-source-6.12 2>/dev/null || true)
if [ -n "$src_ver" ] && [ "$src_ver" != "$BASE_DEB" ]; then
	need="linux-source-6.12 $need"
fi
if [ -n "$need" ]; then
	log "setup: installing $(echo $need)"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	# The tested linux-source version first; the newest one otherwise.
	if apt-get install -y -qq --no-install-recommends --allow-downgrades \
		"linux-source-6.12=$BASE_DEB" >/dev/null 2>&1; then
		need=$(echo $need | tr ' ' '\n' | grep -vx linux-source-6.12 || true)
	else
		echo "warning: linux-source-6.12=$BASE_DEB is not available;" \
		     "using the newest 6.12.x: the series may not apply" >&2
	fi
	[ -z "$need" ] ||
		apt-get install -y -qq --no-install-recommends $need >/dev/null
	need=$(missing)
	[ -z "$need" ] || die "could not install: $need"
fi
if qemu_old; then
	log "setup: installing QEMU $QEMU_MIN.x from bookworm-backports"
	backports
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
		-t bookworm-backports $QEMU_PKGS >/dev/null ||
		die "could not install $QEMU_PKGS from bookworm-backports"
	! qemu_old || die "QEMU is older than $QEMU_MIN after the install"
fi

# Static busybox and bash for every guest arch, and the static libraries
# the kselftests link (libcap, libnuma), unpacked under build/debs.
debs=$BUILD/debs
GUEST_DEBS="busybox-static bash-static libcap-dev libnuma-dev"
if [ "$(cat "$debs/.done" 2>/dev/null)" != "$GUEST_DEBS" ]; then
	log "setup: fetching $GUEST_DEBS for $ARCHES"
	mkdir -p "$debs/state/lists/partial" "$debs/cache/archives/partial"
	opts=(-o "APT::Architectures::=amd64" -o "APT::Architectures::=arm64"
	      -o "APT::Architectures::=s390x"
	      -o "Dir::State=$debs/state" -o "Dir::State::status=/dev/null"
	      -o "Dir::Cache=$debs/cache" -o "Debug::NoLocking=1" -o "APT::Sandbox::User=root")
	apt-get "${opts[@]}" update -qq 2>/dev/null ||
		log "setup: some apt sources failed to update (ignored)"
	for a in $ARCHES; do
		load_arch "$a"
		mkdir -p "$debs/$DEB_ARCH"
		(cd "$debs/$DEB_ARCH" &&
		 apt-get "${opts[@]}" download -qq \
			$(printf "%s:$DEB_ARCH " $GUEST_DEBS) &&
		 for d in *.deb; do dpkg-deb -x "$d" root; done) ||
			die "could not fetch $GUEST_DEBS for $DEB_ARCH"
		[ -x "$debs/$DEB_ARCH/root/bin/busybox" ] &&
		[ -x "$debs/$DEB_ARCH/root/bin/bash-static" ] ||
			die "busybox or bash-static missing for $DEB_ARCH"
	done
	echo "$GUEST_DEBS" >"$debs/.done"
fi
log "setup: done"
