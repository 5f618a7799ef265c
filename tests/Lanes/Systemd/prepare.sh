#!/usr/bin/env bash
# Builds the systemd lane's Debian rootfs (bookworm minbase + $packages),
# cached in $OCIRUN_LANE_CACHE/systemd-rootfs so a kept machine builds it once
# (~300 MB with podman, a few minutes). The mirror is the one apt
# on this machine uses. Prints the rootfs path; prints "LANE-UNAVAILABLE
# REASON" and exits 3 when it cannot be built here (no debootstrap, no mirror).
set -euo pipefail
cache=${OCIRUN_LANE_CACHE:-/var/cache/oci-run-lane}
rootfs=$cache/systemd-rootfs
export DEBIAN_FRONTEND=noninteractive
log() { echo "lane: $*" >&2; }
unavailable() { echo "LANE-UNAVAILABLE $*"; exit 3; }

# What the lane needs in the rootfs (procps: `runc ps` runs ps; podman for the
# podman check). A cache made with another list gets the missing ones added.
packages="systemd systemd-sysv dbus procps podman conmon crun"
# Units that fail or wait in a container without their hardware or network.
masked="getty@tty1.service console-getty.service systemd-networkd-wait-online.service podman-restart.service podman-auto-update.service podman-auto-update.timer"

ready() { [ -f "$rootfs/.lane-complete" ] && [ "$(cat "$rootfs/.lane-complete")" = "$packages" ]; }
ready && { echo "$rootfs"; exit 0; }
mkdir -p "$cache"
exec 9>"$cache/systemd-rootfs.lock"
flock 9 # a second run waits for the first build
ready && { echo "$rootfs"; exit 0; }

# apt-get in the rootfs; postinst scripts need /proc.
in_rootfs_install() {
  mount -t proc proc "$1/proc"
  local status=0
  chroot "$1" apt-get install -y -qq --no-install-recommends $packages >>"$cache/systemd-rootfs.log" 2>&1 || status=$?
  chroot "$1" apt-get clean
  umount "$1/proc"
  for unit in $masked; do ln -sf /dev/null "$1/etc/systemd/system/$unit"; done
  return $status
}

if [ -f "$rootfs/.lane-complete" ]; then
  log "adding packages to the cached rootfs: $packages"
  in_rootfs_install "$rootfs" || { tail -5 "$cache/systemd-rootfs.log" >&2; unavailable "apt-get install in the cached rootfs failed"; }
  echo "$packages" >"$rootfs/.lane-complete"
  echo "$rootfs"
  exit 0
fi

command -v debootstrap >/dev/null || { apt-get install -y -qq debootstrap >/dev/null 2>&1 || true; }
command -v debootstrap >/dev/null || unavailable "debootstrap is not installed and could not be"

# The first Debian mirror apt on this machine is set up with (deb822 or one-line sources).
mirror=$(cat /etc/apt/sources.list /etc/apt/sources.list.d/* 2>/dev/null |
  sed -n -e 's/^URIs: *\([^ ]*\).*/\1/p' -e 's/^deb \(\[[^]]*\] \)\?\([^ ]*\) .*/\2/p' | grep -v security | head -n1 || true)
[ -n "$mirror" ] || unavailable "no apt mirror in /etc/apt/sources.list*"

tmp=$cache/systemd-rootfs.tmp
rm -rf "$tmp" "$rootfs"
log "debootstrap bookworm from $mirror (once; cached in $rootfs)"
debootstrap --variant=minbase bookworm "$tmp" "$mirror" >"$cache/systemd-rootfs.log" 2>&1 ||
  { tail -5 "$cache/systemd-rootfs.log" >&2; unavailable "debootstrap failed (see $cache/systemd-rootfs.log)"; }
in_rootfs_install "$tmp" || { tail -5 "$cache/systemd-rootfs.log" >&2; unavailable "apt-get install $packages in the rootfs failed"; }
echo lane >"$tmp/etc/hostname"
echo "$packages" >"$tmp/.lane-complete"
mv "$tmp" "$rootfs"
echo "$rootfs"
