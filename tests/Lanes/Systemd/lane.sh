#!/usr/bin/env bash
# The systemd lane: a Debian bookworm container with systemd as PID 1 (this
# machine runs no systemd), started with oci-run itself; inside it the checks
# (checks.sh) drive the systemd cgroup driver of oci-run and of runc, side by
# side, against that systemd over its D-Bus.
#
#   lane.sh [SCRIPT [ARG...]]              # default: checks.sh oci-run runc
#   lane.sh --cgroup-v2 [SCRIPT [ARG...]]  # the same on a pure cgroup v2 host
#
# --cgroup-v2: this host is cgroup v1 hybrid, so the lane runs itself inside
# the cgroup v2 lane's VM (../CgroupV2/lane.sh), where systemd meets a pure v2
# layout. The rootfs and the busybox rootfs are made here first (the VM has
# no network and sees this host's / read-only).
#
# The outer container: args /lib/systemd/systemd, env container=oci, its own
# cgroup namespace with a writable cgroup mount, tmpfs on /run, /run/lock and
# /tmp, every capability but CAP_SYS_RESOURCE, no masked or read-only paths,
# every device allowed; its rootfs is an overlay over the cached one
# (prepare.sh), so each run starts from the same files. /lane in it holds (read
# only) the oci-run binary under test, runc, a busybox rootfs and the checks.
#
# Prints the script's lines (LANE-RESULT RUNTIME CHECK pass|fail|skip MESSAGE
# from the checks), LANE-INFO lines, LANE-EXIT STATUS; LANE-UNAVAILABLE REASON
# and exit 3 when the lane cannot run here.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../../.." && pwd)
ocirun=${OCIRUN_BIN:-$repo/artifacts/bin/oci-run}
begun=$(date +%s)
mode=host busybox=
case "${1:-}" in
  --cgroup-v2) mode=v2; shift ;;
  # How --cgroup-v2 runs this script in the VM: the environment does not cross into it, arguments do.
  --in-v2-vm) mode=vm ocirun=$2 busybox=$3; shift 3; export TMPDIR=/run ;; # the VM's /tmp is an overlay: no upper dir there
esac
info() { echo "LANE-INFO $*"; }
unavailable() { echo "LANE-UNAVAILABLE $*"; exit 3; }

[ "$(id -u)" = 0 ] || unavailable "the systemd lane needs root"
[ -x "$ocirun" ] || unavailable "no oci-run binary at $ocirun (dotnet publish src/OciRun first)"
command -v jq >/dev/null || apt-get install -y -qq jq >/dev/null 2>&1 || true
command -v jq >/dev/null || unavailable "jq is not installed and could not be"
command -v runc >/dev/null || apt-get install -y -qq --no-install-recommends runc >/dev/null 2>&1 || true
rootfs=$("$here/prepare.sh") || { status=$?; [ "$status" = 3 ] && echo "$rootfs"; exit "$status"; }

if [ "$mode" = v2 ]; then
  # The VM's busybox rootfs is the one the cgroup v2 lane keeps: made in the VM, under TCG, it takes a minute.
  prepared=$("$here/../CgroupV2/prepare.sh") || { status=$?; [ "$status" = 3 ] && echo "$prepared"; exit "$status"; }
  read -r _ _ busybox <<<"$prepared"
  [ $# -eq 0 ] || set -- "$(realpath "$1")" "${@:2}" # the VM starts in /
  # The VM gets what is left of 540 s after the preparation (a first rootfs
  # build takes minutes): the whole lane stays under tests/run.sh's 10-minute
  # hang limit.
  exec "$here/../CgroupV2/lane.sh" --timeout $((540 - ($(date +%s) - begun))) "$here/lane.sh" --in-v2-vm "$(realpath "$ocirun")" "$busybox" "$@"
fi

start=$(date +%s)
cache=$(dirname "$rootfs")
work=$(mktemp -d "${TMPDIR:-/tmp}/oci-run-systemd-lane.XXXXXX")
id=systemd-lane-$$
state=$work/state
merged=$work/merged
cleanup() {
  "$ocirun" --root "$state" delete --force "$id" >/dev/null 2>&1 || true
  umount "$merged" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# The rootfs: the cached one, read-only, under an overlay whose writes go to $work.
mkdir -p "$work/upper" "$work/overlay-work" "$merged" "$work/lane"
mount -t overlay overlay -o "lowerdir=$rootfs,upperdir=$work/upper,workdir=$work/overlay-work" "$merged"

# /lane: what the checks run (copies: the binary under test may be rebuilt meanwhile).
cp "$ocirun" "$work/lane/oci-run"
runtimes=(/lane/oci-run)
if command -v runc >/dev/null; then cp "$(command -v runc)" "$work/lane/runc"; runtimes+=(/lane/runc); else info "runc is not installed"; fi
cp "$here/checks.sh" "$work/lane/checks.sh"
# containerd and its runc shim for the containerd check, from this machine (they need only libc).
mkdir "$work/lane/bin"
for b in containerd containerd-shim-runc-v2 ctr; do
  if command -v $b >/dev/null; then cp "$(command -v $b)" "$work/lane/bin/"; else info "$b is not installed"; fi
done
# The checks' busybox rootfs: bind-mounted at /lane/busybox; made here unless --cgroup-v2 gave one.
mkdir "$work/lane/busybox"
if [ -z "$busybox" ]; then busybox=$work/busybox; "$repo/bundles/busybox/make-rootfs.sh" "$busybox" >/dev/null; fi
if [ $# -gt 0 ]; then cp "$1" "$work/lane/script.sh"; chmod +x "$work/lane/script.sh"; shift; script=(/lane/script.sh "$@"); else script=(/lane/checks.sh "${runtimes[@]}"); fi

# Every capability the runtime knows but CAP_SYS_RESOURCE (root here lacks it too).
caps=$("$ocirun" features | jq -c '[.linux.capabilities[] | select(. != "CAP_SYS_RESOURCE")]')
"$ocirun" spec --bundle "$work" >/dev/null
jq --arg root "$merged" --arg lane "$work/lane" --arg busybox "$busybox" --arg cg "/oci-run-systemd-lane-$$" --argjson caps "$caps" '
  .process.args = ["/lib/systemd/systemd"] |
  .process.terminal = false |
  .process.env += ["container=oci"] |
  .process.capabilities = {bounding: $caps, effective: $caps, permitted: $caps} |
  .root = {path: $root, readonly: false} |
  .hostname = "lane" |
  .mounts = ([.mounts[] | select(.destination != "/sys/fs/cgroup" and .destination != "/dev/shm" and .destination != "/dev/mqueue")] + [
    {destination: "/sys/fs/cgroup", type: "cgroup", source: "cgroup", options: ["nosuid", "noexec", "nodev", "relatime", "rw"]},
    {destination: "/run", type: "tmpfs", source: "tmpfs", options: ["nosuid", "nodev", "mode=755"]},
    {destination: "/run/lock", type: "tmpfs", source: "tmpfs", options: ["nosuid", "nodev", "noexec"]},
    {destination: "/tmp", type: "tmpfs", source: "tmpfs", options: ["nosuid", "nodev"]},
    {destination: "/dev/shm", type: "tmpfs", source: "shm", options: ["nosuid", "noexec", "nodev", "mode=1777"]},
    {destination: "/lane", type: "bind", source: $lane, options: ["rbind", "ro"]},
    {destination: "/lane/busybox", type: "bind", source: $busybox, options: ["rbind", "ro"]}]) |
  .linux.cgroupsPath = $cg |
  .linux.resources = {devices: [{allow: true, access: "rwm"}]} |
  .linux.maskedPaths = [] | .linux.readonlyPaths = [] |
  .linux.namespaces = [{type: "pid"}, {type: "ipc"}, {type: "uts"}, {type: "mount"}, {type: "cgroup"}, {type: "network"}]
' "$work/config.json" >"$work/config.json.new"
mv "$work/config.json.new" "$work/config.json"

"$ocirun" --root "$state" create --bundle "$work" "$id" </dev/null >"$work/systemd.log" 2>&1 ||
  { echo "LANE-RESULT lane systemd_running fail oci-run could not create the systemd container: $(tail -c 600 "$work/systemd.log" | tr '\n' ' ')"; echo "LANE-BOOT-ERROR oci-run create of the systemd container failed: $(tail -c 600 "$work/systemd.log" | tr '\n' ' ')"; exit 125; }
"$ocirun" --root "$state" start "$id"
# Under TCG (in the VM) systemd boots many times slower than here.
limit=60
[ "$mode" = vm ] && limit=300
booted= s=
deadline=$(($(date +%s) + limit))
while [ "$(date +%s)" -lt "$deadline" ]; do
  sleep 0.5
  s=$("$ocirun" --root "$state" exec "$id" systemctl is-system-running 2>/dev/null || true)
  case "$s" in running | degraded) booted=$s; break ;; esac
done
if [ -z "$booted" ]; then
  echo "LANE-RESULT lane systemd_running fail systemd did not reach running in $limit s (last: ${s:-nothing})"
  echo "LANE-BOOT-ERROR systemd did not reach running (last: ${s:-nothing}): $(tail -c 800 "$work/systemd.log" | tr '\n' ' ')"
  "$ocirun" --root "$state" exec "$id" systemctl --failed --no-legend 2>&1 | sed 's/^/LANE-INFO failed: /' || true
  exit 125
fi
echo "LANE-RESULT lane systemd_running pass systemd is $booted"
info "systemd is $booted $(( $(date +%s) - start )) s after the lane started (cgroup layout inside: $("$ocirun" --root "$state" exec "$id" stat -fc %T /sys/fs/cgroup))"
[ "$booted" = degraded ] && "$ocirun" --root "$state" exec "$id" systemctl --failed --no-legend 2>&1 | sed 's/^/LANE-INFO failed unit: /' || true

status=0
"$ocirun" --root "$state" exec "$id" "${script[@]}" </dev/null || status=$?
echo "LANE-EXIT $status"
info "the lane took $(( $(date +%s) - start )) s"
exit "$status"
