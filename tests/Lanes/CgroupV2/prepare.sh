#!/usr/bin/env bash
# Prepares what the cgroup v2 lane boots, cached so a second run downloads
# nothing: Debian's kernel (apt-get download, unpacked into the cache, never
# installed into the host's /boot), an initramfs of busybox-static, the
# kernel's 9p and virtio modules and initramfs-init.sh, and the checks' busybox
# rootfs. Installs the Debian packages the lane needs when they are missing.
# Prints "VMLINUX INITRAMFS ROOTFS"; when the lane cannot run here (no qemu
# and none to install, no kernel to be had) prints "LANE-UNAVAILABLE REASON"
# instead and exits 3; exits 1 on any other failure.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../../.." && pwd)
cache=${OCIRUN_LANE_CACHE:-/var/cache/oci-run-lane}
export DEBIAN_FRONTEND=noninteractive

# In load order: each needs only those before it (checked below against the
# modules' own depends= fields). virtio_console gives the guest /dev/hvc0 for
# the lane's output; overlay makes /tmp writable over the read-only host root.
modules="virtio_ring virtio virtio_pci_legacy_dev virtio_pci_modern_dev virtio_pci virtio_console
  netfs fscache 9pnet 9pnet_virtio 9p overlay"

log() { echo "lane: $*" >&2; }
unavailable() { echo "LANE-UNAVAILABLE $*"; exit 3; }

# Work directories in the cache, removed however this script ends.
scratch=()
trap 'rm -rf "${scratch[@]}"' EXIT

install_missing() {
  local need=()
  command -v qemu-system-x86_64 >/dev/null || need+=(qemu-system-x86)
  dpkg -s busybox-static >/dev/null 2>&1 || need+=(busybox-static)
  command -v runc >/dev/null || need+=(runc) # every check runs with runc too
  command -v xz >/dev/null || need+=(xz-utils)
  [ ${#need[@]} -eq 0 ] && return
  log "installing ${need[*]}"
  # Recommends would bring a desktop's worth of qemu helpers.
  apt-get update -qq && apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null ||
    log "could not install ${need[*]}"
}

# The image package linux-image-amd64 points at today (linux-image-6.1.0-NN-amd64).
kernel_package() {
  apt-cache show --no-all-versions linux-image-amd64 2>/dev/null |
    sed -n 's/^Depends: \(linux-image-[^ ,]*\).*/\1/p' | head -n1
}

# Unpacks vmlinux and the lane's modules from the kernel package downloaded
# into $1 into $cache/RELEASE.
unpack_kernel() {
  local tmp=$1 release=$2
  local patterns=("./boot/vmlinuz-$release")
  for m in $modules; do patterns+=("*/modules/$release/*/$m.ko"); done
  # A module may be built in: then it is not in the package, and tar's
  # complaint about it is checked by check_modules instead.
  dpkg-deb --fsys-tarfile "$tmp"/*.deb | tar -x -C "$tmp" --wildcards "${patterns[@]}" 2>/dev/null || true
  mkdir -p "$tmp/lane/modules"
  unpack_vmlinux "$tmp/boot/vmlinuz-$release" "$tmp/lane/vmlinux"
  find "$tmp" -path "*/modules/$release/*.ko" -exec cp {} "$tmp/lane/modules/" \;
  dpkg-deb --fsys-tarfile "$tmp"/*.deb | tar -x -O --wildcards "*/modules/$release/modules.builtin" >"$tmp/lane/modules.builtin"
  rm -rf "${cache:?}/$release"
  mv "$tmp/lane" "$cache/$release"
}

# The ELF kernel inside Debian's bzImage (xz-compressed after the setup code).
# qemu boots it directly through its PVH entry: under TCG the kernel's own
# xz decompression took 10-17 s of a 30 s boot.
unpack_vmlinux() {
  local offset
  offset=$(LC_ALL=C grep -abo $'\xfd7zXZ\x00' "$1" | head -n1 | cut -d: -f1)
  [ -n "$offset" ] || { log "no xz payload in $1"; return 1; }
  # xz stops at the end of its stream; tail, cut short, is not waited for.
  xz -dc --single-stream < <(tail -c +$((offset + 1)) "$1") >"$2"
  [ "$(head -c4 "$2")" = $'\x7fELF' ] || { log "$1 did not unpack to an ELF kernel"; return 1; }
}

# Writes modules/order (what to insmod) and fails if a module is missing or
# would be loaded before one it depends on.
check_modules() {
  local dir=$1 loaded=" " m dep
  : >"$dir/modules/order"
  for m in $modules; do
    if grep -q "/$m\.ko$" "$dir/modules.builtin"; then loaded+="$m "; continue; fi
    [ -f "$dir/modules/$m.ko" ] || { log "module $m is neither built in nor in the package"; return 1; }
    for dep in $(tr '\0' '\n' <"$dir/modules/$m.ko" | sed -n 's/^depends=//p' | tr ',' ' '); do
      case "$loaded" in *" $dep "*) ;; *) log "module $m needs $dep, which is not loaded before it"; return 1 ;; esac
    done
    echo "$m" >>"$dir/modules/order"
    loaded+="$m "
  done
}

make_initramfs() {
  local dir=$1 out=$2 tmp
  tmp=$(mktemp -d "$cache/initramfs.XXXXXX")
  scratch+=("$tmp")
  mkdir -p "$tmp"/{bin,dev,proc,sys,modules}
  cp /bin/busybox "$tmp/bin/busybox"
  cp "$here/initramfs-init.sh" "$tmp/init"
  chmod 755 "$tmp/init"
  while read -r m; do cp "$dir/modules/$m.ko" "$tmp/modules/"; done <"$dir/modules/order"
  cp "$dir/modules/order" "$tmp/modules/order"
  mknod "$tmp/dev/console" c 5 1 # init's stdio, before devtmpfs is mounted
  # Uncompressed: under TCG unpacking gzip costs more than copying 3 MB.
  (cd "$tmp" && find . | /bin/busybox cpio -o -H newc -R 0:0 2>/dev/null) >"$out.tmp"
  mv "$out.tmp" "$out"
}

mkdir -p "$cache"
exec 9>"$cache/lock"
flock 9 # two test runs may prepare at once

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then install_missing; fi
command -v qemu-system-x86_64 >/dev/null || unavailable "qemu-system-x86_64 is not installed (Debian package qemu-system-x86)"
[ -x /bin/busybox ] || unavailable "/bin/busybox is not installed (Debian package busybox-static)"
command -v xz >/dev/null || unavailable "xz is not installed (Debian package xz-utils)"

# The kernel linux-image-amd64 names. Where the package lists are missing, or
# stale and name a package the mirror no longer has, they are refreshed once;
# offline, the newest kernel already cached will do.
release=
for attempt in 1 2; do
  package=$(kernel_package)
  if [ -n "$package" ]; then
    release=${package#linux-image-}
    [ -f "$cache/$release/vmlinux" ] && break
    tmp=$(mktemp -d "$cache/download.XXXXXX")
    scratch+=("$tmp")
    log "downloading $package"
    if (cd "$tmp" && apt-get download -qq -o APT::Sandbox::User=root "$package"); then
      unpack_kernel "$tmp" "$release"
      break
    fi
    release=
  fi
  [ "$attempt" = 1 ] && [ "$(id -u)" = 0 ] || break
  apt-get update -qq || break
done
if [ -z "$release" ]; then
  release=$(cd "$cache" && ls -d */vmlinux 2>/dev/null | sed 's,/vmlinux$,,' | sort -V | tail -n1)
  [ -n "$release" ] || unavailable "no Debian kernel: linux-image-amd64 could not be found or downloaded and $cache has none"
fi
dir="$cache/$release"
check_modules "$dir"

key=$( (cat "$here/initramfs-init.sh" "$dir/modules/order" /bin/busybox) | sha256sum | cut -c1-16)
initramfs="$dir/initramfs-$key.cpio"
if [ ! -f "$initramfs" ]; then
  log "making the initramfs for $release"
  rm -f "$dir"/initramfs-*.cpio
  make_initramfs "$dir" "$initramfs"
fi
# Made here, not in the VM, where its ~400 ln processes take a minute under TCG.
recipe=$repo/bundles/busybox/make-rootfs.sh
key=$(cat "$recipe" /bin/busybox | sha256sum | cut -c1-16)
rootfs="$cache/rootfs-$key"
if [ ! -d "$rootfs" ]; then
  rm -rf "$cache"/rootfs-*
  "$recipe" "$rootfs.tmp" >&2
  mv "$rootfs.tmp" "$rootfs"
fi

echo "$dir/vmlinux $initramfs $rootfs"
