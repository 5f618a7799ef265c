#!/usr/bin/env bash
# The cgroup v2 lane: boots Debian's kernel in qemu (TCG) with cgroup_no_v1=all,
# so the runtime meets a pure cgroup v2 host, with this host's / shared
# read-only over 9p; runs one script in it as root and prints the script's
# output, then the VM powers off.
#
#   lane.sh [--timeout SECONDS] [SCRIPT [ARG...]]
#
# SCRIPT runs by its #! line when it is executable, else with sh.
#
# Without SCRIPT it runs checks.sh with artifacts/bin/oci-run (or $OCIRUN_BIN)
# and runc, giving it the busybox rootfs prepare.sh made (and keeps).
#
# Output lines that start with LANE- are the lane's: LANE-RESULT lines from
# the checks, LANE-INFO, LANE-EXIT STATUS (the script's), LANE-BOOT-ERROR, and
# LANE-UNAVAILABLE when the lane cannot run on this machine. Exit status: the
# script's, 3 when unavailable, 124 when the VM ran out of time, 125 when it
# did not boot.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../../.." && pwd)

timeout=480 # under tests/run.sh's 10-minute hang limit, with room to spare
if [ "${1:-}" = --timeout ]; then timeout=$2; shift 2; fi

start=$(date +%s.%N)
prepared=$("$here/prepare.sh") || {
  status=$?
  [ "$status" = 3 ] && echo "$prepared"
  exit "$status"
}
read -r vmlinux initramfs rootfs <<<"$prepared"
cache=$(dirname "$(dirname "$vmlinux")")

# The job lives in the cache: the guest sees the host's files read-only, but
# /run as an empty tmpfs.
find "$cache" -maxdepth 1 -name 'run.*' -mmin +720 -exec rm -rf {} + # left by a lane.sh that was killed
run=$(mktemp -d "$cache/run.XXXXXX")
qemu=
cleanup() {
  if [ -n "$qemu" ] && kill -0 "$qemu" 2>/dev/null; then kill -9 "$qemu" 2>/dev/null || true; wait "$qemu" 2>/dev/null || true; fi
  rm -rf "$run"
}
trap cleanup EXIT
trap 'exit 143' TERM INT

if [ $# -eq 0 ]; then
  set -- "$here/checks.sh" --rootfs "$rootfs" "${OCIRUN_BIN:-$repo/artifacts/bin/oci-run}"
  runc=$(command -v runc || true)
  if [ -n "$runc" ]; then set -- "$@" "$runc"; else echo "LANE-INFO runc is not installed: no checks with runc"; fi
fi
script=$(realpath "$1")
shift
# The guest finds its init and job through the kernel's command line, split at spaces.
case "$here$run" in *[[:space:]]*) echo "LANE-BOOT-ERROR the lane cannot run from a path with spaces: $here"; exit 125 ;; esac

# An executable script runs by its #! line (the systemd lane's is bash), any other with sh.
{
  printf 'cd /\nexec'
  [ -x "$script" ] || printf ' sh'
  printf " '%s'" "$script" "$@" # the arguments are paths and names: no single quotes in them
  printf '\n'
} >"$run/job"

# The kernel's options: quiet, since the console is a log (warnings and worse
# reach it: a hung task's report); panic=-1 with -no-reboot, so a panic ends
# qemu; under TCG mitigations and the crypto self-tests cost seconds and test
# nothing the lane is for.
boot() {
  : >"$run/out"
  : >"$run/console"
  qemu-system-x86_64 \
    -accel tcg,thread=multi -cpu max -smp 2 -m 2048 \
    -nodefaults -no-user-config -display none -monitor none -no-reboot \
    -kernel "$vmlinux" -initrd "$initramfs" \
    -append "console=ttyS0 quiet loglevel=4 panic=-1 mitigations=off cryptomgr.notests cgroup_no_v1=all lane.init=$here/guest.sh lane.job=$run/job" \
    -serial "file:$run/console" \
    -virtfs local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap \
    -device virtio-serial-pci -chardev "file,id=out,path=$run/out" -device virtconsole,chardev=out \
    </dev/null >"$run/qemu.log" 2>&1 &
  qemu=$!
  launched=$(date +%s.%N)
  booted=
  stalled=0
  local size=0 quiet_since
  quiet_since=$(date +%s)
  while kill -0 "$qemu" 2>/dev/null && [ "$(date +%s)" -lt "$deadline" ]; do
    # The guest's first line comes once it runs from the host's root.
    if [ -z "$booted" ] && [ -s "$run/out" ]; then booted=$(date +%s.%N); fi
    # A check ends within its own limit and prints a line; this long without a
    # line, the guest itself is stuck (a task the kernel cannot kill).
    local now_size
    now_size=$(stat -c %s "$run/out")
    if [ "$now_size" != "$size" ]; then size=$now_size quiet_since=$(date +%s); fi
    if [ $(($(date +%s) - quiet_since)) -ge "$stall" ]; then stalled=1; break; fi
    sleep 0.1
  done
  timed_out=0
  if kill -0 "$qemu" 2>/dev/null; then
    [ "$stalled" = 1 ] || timed_out=1
    kill -9 "$qemu"
  fi
  wait "$qemu" 2>/dev/null || true
  qemu=
}

deadline=$(($(date +%s) + timeout))
stall=${OCIRUN_LANE_STALL:-150}
boot
if [ "$stalled" = 1 ]; then
  # Said in the output (CgroupV2LaneTests reports it as a skip), then one fresh boot if time is left.
  echo "LANE-STALL the guest printed nothing for ${stall}s after: $(grep '^LANE-RESULT' "$run/out" | tail -n1 | tr -d '\r' | cut -c1-200); its console ends with: $(tail -n 8 "$run/console" | tr -d '\r' | tr '\n' ' ' | cut -c1-600)"
  if [ $((deadline - $(date +%s))) -ge 200 ]; then
    echo "LANE-INFO booting the VM again after the stall"
    boot
  fi
fi
tr -d '\r' <"$run/out" # the guest's tty turns \n into \r\n
status=$(sed -n 's/^LANE-EXIT \([0-9]*\)\r*$/\1/p' "$run/out" | tail -n1)
seconds() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }
[ -z "$booted" ] || echo "LANE-INFO boot took $(seconds "$launched" "$booted") s (qemu started to the guest's first line)"
echo "LANE-INFO lane took $(seconds "$start" "$(date +%s.%N)") s (preparation and VM)"
if [ "$timed_out" = 1 ]; then
  echo "LANE-BOOT-ERROR the VM was still running after ${timeout}s and was killed; its console ends with:"
  tail -n 20 "$run/console" | tr -d '\r' | sed 's/^/  /'
  exit 124
fi
if [ -z "$status" ]; then
  echo "LANE-BOOT-ERROR the VM stopped before the script ended; qemu said: $(tr '\n' ' ' <"$run/qemu.log"); its console ends with:"
  tail -n 20 "$run/console" | tr -d '\r' | sed 's/^/  /'
  exit 125
fi
exit "$status"
