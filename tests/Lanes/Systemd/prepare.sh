#!/usr/bin/env bash
# Builds the systemd lane's Debian rootfs (bookworm minbase + systemd, procps for runc ps,
# systemd-sysv, dbus), cached in $OCIRUN_LANE_CACHE/systemd-rootfs so a kept
# machine builds it once (~300 MB, a few minutes). The mirror is the one apt
# on this machine uses. Prints the rootfs path; prints "LANE-UNAVAILABLE
# REASON" and exits 3 when it cannot be built here (no debootstrap, no mirror).
set -euo pipefail
cache=${OCIRUN_LANE_CACHE:-/var/cache/oci-run-lane}
rootfs=$cache/systemd-rootfs
export DEBIAN_FRONTEND=noninteractive
log() { echo "lane: $*" >&2; }
unavailable() { echo "LANE-UNAVAILABLE $*"; exit 3; }

[ -x "$rootfs/lib/systemd/systemd" ] && [ -f "$rootfs/.lane-complete" ] && { echo "$rootfs"; exit 0; }
mkdir -p "$cache"
exec 9>"$cache/systemd-rootfs.lock"
flock 9 # a second run waits for the first build
[ -f "$rootfs/.lane-complete" ] && { echo "$rootfs"; exit 0; }

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
# apt inside the chroot needs /proc and /dev only for a few postinst scripts.
mount -t proc proc "$tmp/proc"
trap 'umount "$tmp/proc" 2>/dev/null || true' EXIT
chroot "$tmp" apt-get install -y -qq --no-install-recommends systemd systemd-sysv dbus procps >>"$cache/systemd-rootfs.log" 2>&1 ||
  { tail -5 "$cache/systemd-rootfs.log" >&2; unavailable "apt-get install systemd in the rootfs failed"; }
chroot "$tmp" apt-get clean
umount "$tmp/proc"
trap - EXIT
# systemd as PID 1 in a container: no getty, no units that need hardware.
ln -sf /dev/null "$tmp/etc/systemd/system/getty@tty1.service"
ln -sf /dev/null "$tmp/etc/systemd/system/console-getty.service"
ln -sf /dev/null "$tmp/etc/systemd/system/systemd-networkd-wait-online.service"
echo lane >"$tmp/etc/hostname"
touch "$tmp/.lane-complete"
mv "$tmp" "$rootfs"
echo "$rootfs"
