#!/bin/sh
# PID 1 of the lane's VM once initramfs-init.sh has switched to the host's
# root: runs the job that lane.sh left (lane.job= on the kernel command line)
# with its output on /dev/hvc0, says how it ended, and powers off.
set -eu
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root

# PID 1 must never exit: whatever happens, power off (the host's poweroff is systemd's).
trap '/bin/busybox sync; /bin/busybox poweroff -f' EXIT

job=$(tr ' ' '\n' </proc/cmdline | sed -n 's/^lane\.job=//p')
status=0
{
  if [ -z "$job" ] || [ ! -f "$job" ]; then
    echo "LANE-BOOT-ERROR no job file '$job'"
    status=2
  else
    # In the background, so that this PID 1 reaps the orphans (a container's
    # init left by create) while it waits.
    sh "$job" </dev/null &
    wait $! || status=$?
  fi
  echo "LANE-EXIT $status"
} >/dev/hvc0 2>&1
