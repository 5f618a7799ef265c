#!/usr/bin/env bash
# Makes bundles/busybox/rootfs (or the directory given) from Debian's
# busybox-static: one static binary plus a symlink per applet, the directories
# a container expects, and a tiny /etc/passwd and /etc/group. The one busybox
# recipe: the tests, the benchmark and tests/Layout call it too.
set -euo pipefail
bundle=$(cd "$(dirname "$0")" && pwd)
rootfs="${1:-$bundle/rootfs}"
busybox=/bin/busybox
if ! dpkg -s busybox-static >/dev/null 2>&1; then
  echo "installing busybox-static" >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq busybox-static >/dev/null
fi
rm -rf "$rootfs"
mkdir -p "$rootfs"/{bin,dev,etc,proc,sys,tmp,root}
cp "$busybox" "$rootfs/bin/busybox"
for applet in $("$rootfs/bin/busybox" --list); do
  [ -e "$rootfs/bin/$applet" ] || ln -s busybox "$rootfs/bin/$applet"
done
echo 'root:x:0:0:root:/root:/bin/sh' > "$rootfs/etc/passwd"
echo 'nobody:x:65534:65534:nobody:/:/bin/false' >> "$rootfs/etc/passwd"
printf 'root:x:0:\ntty:x:5:\nnogroup:x:65534:\n' > "$rootfs/etc/group"
chmod 1777 "$rootfs/tmp"
