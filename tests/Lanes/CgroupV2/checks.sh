#!/bin/sh
# The cgroup v2 lane's checks: run inside the lane's VM (lane.sh) as root on a
# pure cgroup v2 host, with each runtime given, oci-run first:
#
#   checks.sh [--rootfs DIR] OCIRUN [RUNTIME...]
#
# --rootfs gives a busybox rootfs made by bundles/busybox/make-rootfs.sh
# outside the VM (lane.sh does): made inside, under TCG, it takes a minute.
#
# prints one line per check and runtime:
#
#   LANE-RESULT RUNTIME CHECK pass|fail|skip MESSAGE
#
# A check is a function check_NAME, listed in CHECKS. It runs in a process of
# its own with a time limit, in $work (an empty directory on a tmpfs), with
# `rt` to call the runtime with a private --root, and ends by calling pass,
# fail or skip with a one-line message. What it leaves behind (containers,
# cgroups, files) is cleared after it. Every bundle's config.json is oci-run's
# `spec` (runc's default), so every runtime gets the same config.
set -eu

CHECKS="cgroup_namespace_root cgroup_dir_lifecycle default_device_rules memory_limit pids_limit cpu_limits update_live pause_resume events_stats"
LIMIT=60 # seconds per check; a hung container must not take the whole VM's time

# ---- the checks ------------------------------------------------------------

# The container sees its own cgroup as the root of its cgroup namespace
# (spec's default has a cgroup namespace).
check_cgroup_namespace_root() {
  new_bundle cat /proc/self/cgroup
  without_device_rules # default_device_rules checks those
  run_container
  [ "$status" -eq 0 ] || fail "run exited $status: $output"
  [ "$output" = "0::/" ] || fail "expected the single line 0::/ but got: $output"
  pass "/proc/self/cgroup is 0::/"
}

# create makes the container's cgroup with init in it; delete removes it.
check_cgroup_dir_lifecycle() {
  new_bundle sleep 600
  without_device_rules
  rt create --bundle "$bundle" --pid-file "$work/pid" "$id" </dev/null >"$work/create.log" 2>&1 ||
    fail "create exited $?: $(oneline "$work/create.log")"
  [ -d "$cgroup" ] || fail "no $cgroup after create"
  pid=$(cat "$work/pid")
  grep -qx "$pid" "$cgroup/cgroup.procs" || fail "init ($pid) is not in $cgroup/cgroup.procs: $(oneline "$cgroup/cgroup.procs")"
  rt delete "$id" >"$work/delete.log" 2>&1 || fail "delete of the created container exited $?: $(oneline "$work/delete.log")"
  [ ! -d "$cgroup" ] || fail "$cgroup is still there after delete"
  pass "$cgroup held init $pid after create and was gone after delete"
}

# spec's default device rules (deny all; the runtime adds the standard
# devices): the standard devices open, a device node outside them does not.
# Block 7:0 is a loop device; without a working filter its open fails with
# ENXIO (the driver is not loaded), with one with EPERM.
check_default_device_rules() {
  new_bundle sh -c 'head -c1 /dev/null && echo null-ok
[ "$(head -c1 /dev/zero | wc -c)" = 1 ] && echo zero-ok
mknod /tmp/blk b 7 0 && echo mknod-ok
head -c1 /tmp/blk
echo end'
  # A writable rootfs and CAP_MKNOD, so that only the device rules stop the open.
  edit_config 's/"readonly": true/"readonly": false/'
  edit_config 's/"CAP_KILL"/"CAP_KILL", "CAP_MKNOD"/g'
  run_container
  [ "$status" -eq 0 ] || fail "run exited $status: $output"
  for line in null-ok zero-ok mknod-ok end; do
    printf '%s\n' "$output" | grep -qx "$line" || fail "the container did not print $line: $output"
  done
  case "$output" in
    *"Operation not permitted"*) pass "/dev/null and /dev/zero open; a mknod-ed block device 7:0 does not (EPERM)" ;;
    *) fail "opening a block device outside the rules did not fail with EPERM: $output" ;;
  esac
}

# A 24 MiB string in the shell is killed at a 16 MiB limit without swap;
# on v2 memory+swap 16 MiB over 16 MiB of memory is memory.swap.max 0.
check_memory_limit() {
  new_bundle sh -c "x=\$(head -c 25165824 /dev/zero | tr '\\0' a); echo allocated \${#x}"
  with_resources '{ "memory": { "limit": 16777216, "swap": 16777216 } }'
  run_container
  [ "$status" -eq 137 ] || fail "expected the OOM killer's SIGKILL (137), got $status: $output"
  case "$output" in *allocated*) fail "the hog was not stopped: $output" ;; esac
  pass "a 24 MiB hog is OOM-killed at memory.max 16 MiB"
}

# A fork bomb stops at pids.max.
check_pids_limit() {
  new_bundle sh -c 'for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do sleep 30 & done; echo all forked'
  with_resources '{ "pids": { "limit": 8 } }'
  run_container
  case "$output" in
    *"all forked"*) fail "20 processes forked under pids.max 8: $output" ;;
    *"can't fork"*) pass "fork fails at pids.max 8" ;;
    *) fail "expected can't fork, got status $status: $output" ;;
  esac
}

# cpu shares become cpu.weight with runc's conversion (1024 -> 39); quota and period are cpu.max.
check_cpu_limits() {
  new_bundle sleep 600
  with_resources '{ "cpu": { "shares": 1024, "quota": 50000, "period": 100000 } }'
  rt create --bundle "$bundle" "$id" </dev/null >"$work/create.log" 2>&1 || fail "create exited $?: $(oneline "$work/create.log")"
  weight=$(cat "$cgroup/cpu.weight") max=$(cat "$cgroup/cpu.max")
  rt delete --force "$id" >/dev/null 2>&1 || true
  [ "$weight" = 39 ] || fail "cpu.weight is $weight, expected 39"
  [ "$max" = "50000 100000" ] || fail "cpu.max is '$max', expected '50000 100000'"
  pass "cpu.weight 39, cpu.max 50000 100000"
}

# update lowers pids.max of a running container, which then cannot fork.
check_update_live() {
  new_bundle sh -c 'while [ ! -e /go ]; do sleep 0.1; done; for i in 1 2 3 4 5 6 7 8 9 10; do sleep 30 & done; echo all forked'
  with_resources '{ "pids": { "limit": 100 }, "memory": { "limit": 268435456 } }'
  edit_config 's/"readonly": true/"readonly": false/'
  rt run -d --bundle "$bundle" "$id" </dev/null >"$work/log.txt" 2>&1 || fail "run -d exited $?: $(oneline "$work/log.txt")"
  rt update --pids-limit 5 --memory 128m "$id" >"$work/update.log" 2>&1 || fail "update exited $?: $(oneline "$work/update.log")"
  [ "$(cat "$cgroup/pids.max")" = 5 ] || fail "pids.max is $(cat "$cgroup/pids.max") after update"
  [ "$(cat "$cgroup/memory.max")" = 134217728 ] || fail "memory.max is $(cat "$cgroup/memory.max") after update"
  touch "$bundle/rootfs/go"
  for _ in $(seq 100); do [ "$(rt state "$id" | grep -c '"stopped"')" = 1 ] && break; sleep 0.1; done
  case "$(cat "$work/log.txt")" in
    *"all forked"*) fail "10 processes forked after pids.max was lowered to 5" ;;
    *"can't fork"*) pass "after update the container cannot fork past pids.max 5" ;;
    *) fail "expected can't fork: $(oneline "$work/log.txt")" ;;
  esac
}

# pause freezes a counter (cgroup.freeze), state says paused, resume lets it go on.
check_pause_resume() {
  new_bundle sh -c 'i=0; while true; do i=$((i+1)); echo $i > /count; sleep 0.05; done'
  without_device_rules
  edit_config 's/"readonly": true/"readonly": false/'
  rt run -d --bundle "$bundle" "$id" </dev/null >"$work/run.log" 2>&1 || fail "run -d exited $?: $(oneline "$work/run.log")"
  sleep 0.5
  rt pause "$id" >"$work/pause.log" 2>&1 || fail "pause exited $?: $(oneline "$work/pause.log")"
  rt state "$id" | grep -q '"paused"' || fail "state does not say paused: $(rt state "$id" | tr '\n' ' ')"
  grep -q '^1$' "$cgroup/cgroup.freeze" || fail "cgroup.freeze is not 1"
  a=$(cat "$bundle/rootfs/count"); sleep 0.5; b=$(cat "$bundle/rootfs/count")
  [ "$a" = "$b" ] || fail "the counter moved while paused ($a -> $b)"
  rt resume "$id" >"$work/resume.log" 2>&1 || fail "resume exited $?: $(oneline "$work/resume.log")"
  sleep 0.5; c=$(cat "$bundle/rootfs/count")
  [ "$c" != "$b" ] || fail "the counter did not move after resume ($b)"
  rt delete --force "$id" >/dev/null 2>&1
  [ ! -d "$cgroup" ] || fail "$cgroup is still there after delete --force"
  pass "the counter stopped at $b while paused and reached $c after resume"
}

# events --stats reads the v2 files: memory usage and pids of a live container.
check_events_stats() {
  new_bundle sleep 600
  without_device_rules
  rt run -d --bundle "$bundle" "$id" </dev/null >"$work/run.log" 2>&1 || fail "run -d exited $?: $(oneline "$work/run.log")"
  rt events --stats "$id" >"$work/events.json" 2>&1 || fail "events --stats exited $?: $(oneline "$work/events.json")"
  rt delete --force "$id" >/dev/null 2>&1
  grep -q '"type":"stats"' "$work/events.json" || fail "no stats line: $(oneline "$work/events.json")"
  grep -q '"pids":{"current":1' "$work/events.json" || fail "pids.current is not 1: $(oneline "$work/events.json")"
  grep -q '"memory":{' "$work/events.json" || fail "no memory stats: $(oneline "$work/events.json")"
  pass "events --stats: $(cut -c1-200 "$work/events.json")"
}

# ---- helpers for the checks ------------------------------------------------

# The check's result, its message on one line; it ends the check.
result() {
  printf '%s %s\n' "$1" "$(printf '%s' "$2" | tr '\n' ' ' | cut -c1-1000)" >"$work/result"
  exit 0
}
pass() { result pass "$*"; }
fail() { result fail "$*"; }
skip() { result skip "$*"; }

rt() { "$runtime" --root "$work/state" "$@"; }

# A file's content on one line, for messages.
oneline() { tr '\n' ' ' <"$1" | cut -c1-400; }

# $bundle: a copy of the busybox rootfs and spec's config.json with the given
# args and the cgroupsPath $cgpath (host directory $cgroup).
new_bundle() {
  bundle=$work/bundle
  mkdir -p "$bundle"
  cp -a "$base/rootfs" "$bundle/rootfs"
  args=
  for a in "$@"; do args="$args${args:+, }$(json_string "$a")"; done
  # spec writes "args": [ "sh" ] over three lines and "linux": { alone on a line; its terminal
  # (runc's default) is turned off: the checks read the container's output as pipes.
  sed -e '/^    "args": \[$/,/^    \],$/c\    "args": ['"$(printf '%s' "$args" | sed 's/\\/\\\\/g')"'],' \
    -e 's|^    "terminal": true,$|    "terminal": false,|' \
    -e 's|^  "linux": {$|  "linux": {\n    "cgroupsPath": "'"$cgpath"'",|' \
    "$base/config.json" >"$bundle/config.json"
  grep -q '"cgroupsPath"' "$bundle/config.json" && ! grep -qx '      "sh"' "$bundle/config.json" &&
    grep -q '"terminal": false' "$bundle/config.json" ||
    fail "could not set args, terminal and cgroupsPath in spec's config.json (has its layout changed?)"
}

# A JSON string of a shell string: quotes, backslashes, tabs and newlines escaped
# (sed -z reads it whole, newlines included: one process, which counts under TCG).
json_string() {
  printf '%s' "$1" | sed -z -e 's/\\/\\\\/g; s/"/\\"/g; s/\t/\\t/g; s/\n/\\n/g; s/^/"/; s/$/"/'
}

# Applies a sed expression to the bundle's config.json; fails the check if it changed nothing.
edit_config() {
  cp "$bundle/config.json" "$work/config.before"
  sed -i -e "$1" "$bundle/config.json"
  ! cmp -s "$work/config.before" "$bundle/config.json" || fail "config edit '$1' changed nothing"
}

# Drops linux.resources (spec's device rules) from the bundle's config.
without_device_rules() { edit_config '/^    "resources": {$/,/^    },$/d'; }

# Sets linux.resources to the JSON object given (on one line), in place of spec's device rules.
with_resources() { edit_config '/^    "resources": {$/,/^    },$/c\    "resources": '"$(printf '%s' "$1" | sed 's/\\/\\\\/g')"','; }

# run of the bundle: $status and $output (stdout and stderr, the runtime's and the container's).
run_container() {
  status=0
  output=$(rt run --bundle "$bundle" "$id" </dev/null 2>&1) || status=$?
}

# ---- the runner ------------------------------------------------------------

# One check with one runtime, in this process (started by the loop at the end).
if [ "${1:-}" = --one ]; then
  runtime=$2 check=$3 work=$4 base=$5
  id=$check
  cgpath=/oci-run-lane/${runtime##*/}-$check
  cgroup=/sys/fs/cgroup$cgpath
  cd "$work"
  "check_$check"
  fail "ended without a result"
fi

# Deletes what a check left: its containers, the lane's cgroups, its files.
clear_after() {
  local left
  for left in $("$1" --root "$2/state" list -q 2>/dev/null); do
    "$1" --root "$2/state" delete --force "$left" >/dev/null 2>&1 || true
  done
  if [ -d /sys/fs/cgroup/oci-run-lane ]; then
    find /sys/fs/cgroup/oci-run-lane -depth -type d -exec rmdir {} \; 2>/dev/null || true
  fi
  rm -rf "$2"
}

rootfs=
if [ "${1:-}" = --rootfs ]; then rootfs=$2; shift 2; fi
[ $# -ge 1 ] || { echo "usage: $0 [--rootfs DIR] OCIRUN [RUNTIME...]" >&2; exit 2; }
ocirun=$1
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../../.." && pwd)

# Everything on a tmpfs of its own, unmounted at the end.
base=$(mktemp -d /tmp/lane-checks.XXXXXX)
mount -t tmpfs -o mode=700 tmpfs "$base"
trap 'umount -l "$base"; rmdir "$base"' EXIT

started=$(date +%s)
if [ -n "$rootfs" ]; then
  cp -a "$rootfs" "$base/rootfs"
else
  bash "$repo/bundles/busybox/make-rootfs.sh" "$base/rootfs" >"$base/rootfs.log" 2>&1 ||
    { echo "LANE-BOOT-ERROR make-rootfs.sh failed: $(oneline "$base/rootfs.log")"; exit 1; }
fi
(cd "$base" && "$ocirun" spec) >"$base/spec.log" 2>&1 ||
  { echo "LANE-BOOT-ERROR $ocirun spec failed: $(oneline "$base/spec.log")"; exit 1; }
echo "LANE-INFO the busybox rootfs and spec's config took $(($(date +%s) - started)) s"

for runtime in "$@"; do
  name=${runtime##*/}
  started=$(date +%s)
  for check in $CHECKS; do
    work=$base/$name-$check
    mkdir "$work"
    status=0
    timeout -k 5 "$LIMIT" sh "$0" --one "$runtime" "$check" "$work" "$base" </dev/null >"$work/log" 2>&1 || status=$?
    if [ -s "$work/result" ]; then
      read -r result <"$work/result"
    elif [ "$status" -eq 124 ] || [ "$status" -eq 137 ]; then
      result="fail did not finish within ${LIMIT}s: $(oneline "$work/log")"
    else
      result="fail ended with status $status and no result: $(oneline "$work/log")"
    fi
    clear_after "$runtime" "$work"
    echo "LANE-RESULT $name $check $result"
  done
  echo "LANE-INFO checks with $name took $(($(date +%s) - started)) s"
done
