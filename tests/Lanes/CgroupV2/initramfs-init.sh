#!/bin/busybox sh
# /init of the lane's initramfs. Sets up what a pure cgroup v2 host has, with
# busybox, which is already in memory (a program read over 9p costs far more
# under TCG): loads the 9p modules, mounts the host's root (shared read-only by
# qemu as "hostroot") and under it proc, sys, dev, cgroup2 and writable /run,
# /tmp, /var/tmp; checks that no v1 hierarchy exists; then switches to the host
# root and runs guest.sh (lane.init= on the kernel command line) as PID 1.
# A failure before that powers the VM off at once, so the host side never
# waits for its timeout to learn that the boot broke.
/bin/busybox --install -s /bin
export PATH=/bin
set -eu

fail() {
  echo "LANE-BOOT-ERROR $*" >/dev/console
  poweroff -f
}

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev

# /modules/order lists them in dependency order (prepare.sh writes it).
while read -r module; do
  insmod "/modules/$module.ko" || fail "insmod $module"
done </modules/order

arg() { tr ' ' '\n' </proc/cmdline | sed -n "s/^lane\.$1=//p"; }
init=$(arg init)
[ -n "$init" ] || fail "no lane.init= on the kernel command line"

root=/newroot
mkdir -p $root
mount -t 9p -o ro,trans=virtio,version=9p2000.L,cache=loose,msize=512000 hostroot $root || fail "mount of the host root over 9p"
[ -f "$root$init" ] || fail "$init is not in the host root"

mount --move /proc $root/proc
mount --move /sys $root/sys
mount --move /dev $root/dev
mkdir -p $root/dev/pts $root/dev/shm
mount -t devpts devpts $root/dev/pts
mount -t tmpfs tmpfs $root/dev/shm
mount -t cgroup2 cgroup2 $root/sys/fs/cgroup || fail "mount of cgroup2"
mount -t tmpfs -o mode=755 tmpfs $root/run
# /tmp and /var/tmp keep the host's files (a checkout or a test's binary may
# live there) and take writes in memory.
for dir in /tmp /var/tmp; do
  mkdir -p "$root/run/lane$dir/upper" "$root/run/lane$dir/work"
  chmod 1777 "$root/run/lane$dir/upper"
  mount -t overlay overlay -o "lowerdir=$root$dir,upperdir=$root/run/lane$dir/upper,workdir=$root/run/lane$dir/work" "$root$dir" ||
    fail "overlay on $dir"
done

# The lane's own result: pure v2 means no v1 hierarchy mounted and every
# controller in the v2 root. It goes to the output console, as the checks' do.
out=$root/dev/hvc0
echo "LANE-INFO kernel $(uname -r), booted in $(cut -d' ' -f1 $root/proc/uptime) s (guest clock)" >$out
controllers=$(cat $root/sys/fs/cgroup/cgroup.controllers)
missing=
for c in cpuset cpu io memory hugetlb pids; do
  case " $controllers " in *" $c "*) ;; *) missing="$missing $c" ;; esac
done
v1=$(awk '$3 == "cgroup" { print $2 }' $root/proc/mounts | tr '\n' ' ')
if [ -n "$v1" ]; then
  echo "LANE-RESULT lane pure-v2 fail cgroup v1 hierarchies are mounted: $v1" >$out
elif [ -n "$missing" ]; then
  echo "LANE-RESULT lane pure-v2 fail controllers missing from the v2 root:$missing (it has: $controllers)" >$out
else
  echo "LANE-RESULT lane pure-v2 pass no v1 hierarchy; v2 root controllers: $controllers" >$out
fi
# As systemd does on a v2 host: every controller is enabled for the root's children.
for c in $controllers; do
  echo "+$c" >$root/sys/fs/cgroup/cgroup.subtree_control || echo "LANE-INFO could not enable $c in the root cgroup" >$out
done

exec switch_root $root /bin/sh "$init"
