#!/bin/sh
# The systemd lane's checks: run inside the lane's container, where systemd is
# PID 1 (lane.sh), with each runtime given (oci-run first), each with
# --systemd-cgroup and a private --root:
#
#   checks.sh RUNTIME...
#
# prints one line per check and runtime:
#
#   LANE-RESULT RUNTIME CHECK pass|fail|skip MESSAGE
#
# A check is a function check_NAME listed in CHECKS; it runs in a subshell in
# $work (removed after it, with any container it left) and ends with pass,
# fail or skip. Configs are oci-run's `spec` with args, cgroupsPath and
# resources set, on the busybox rootfs in /lane/busybox.
#
# The same checks on both cgroup layouts systemd may have: hybrid v1 (lane.sh
# on this host) and pure v2 (lane.sh --cgroup-v2). They differ in the unit
# properties (MemoryLimit or MemoryMax, CPUShares or CPUWeight), the files
# and where they are (a hierarchy per controller, or one directory).
set -u

CHECKS="${LANE_CHECKS:-scope_properties default_unit nested_slice memory_oom pids_limit update_live update_refused pause_ps_events unit_exists property_rejected podman_systemd containerd_systemd}"
MEM=67108864 # 64 MiB
CG=/sys/fs/cgroup
if [ "$(stat -fc %T $CG)" = cgroup2fs ]; then v2=1 MEMORY=MemoryMax; else v2= MEMORY=MemoryLimit; fi

# ---- the checks ------------------------------------------------------------

# create makes the scope with init in it and the limits as unit properties and
# in the cgroup files; delete stops the unit and removes the cgroups.
check_scope_properties() {
  unit=lane-$name-props.scope
  new_bundle "system.slice:lane-$name:props" '{"memory": {"limit": '$MEM'}, "pids": {"limit": 40}, "cpu": {"shares": 512, "quota": 50000, "period": 100000}}' sleep 600
  rt create --bundle "$work" --pid-file "$work/pid" c1 >"$work/log" 2>&1 || fail "create: $(oneline "$work/log")"
  pid=$(cat "$work/pid")
  group=$(systemctl show -p ControlGroup --value "$unit")
  [ "$group" = "/system.slice/$unit" ] || fail "ControlGroup of $unit is '$group'"
  for dir in $(cgdirs "$group"); do
    grep -qx "$pid" "$dir/cgroup.procs" || fail "init $pid is not in $dir/cgroup.procs"
  done
  systemctl status "$unit" --no-pager >"$work/status" 2>&1
  grep -q "$pid" "$work/status" || fail "systemctl status $unit does not list init $pid: $(oneline "$work/status")"
  expect_property "$unit" $MEMORY $MEM
  expect_property "$unit" TasksMax 40
  expect_property "$unit" CPUQuotaPerSecUSec 500ms
  expect_property "$unit" CPUQuotaPeriodUSec 100ms
  expect_file "$(cgdir pids "$group")/pids.max" 40
  if [ -n "$v2" ]; then
    expect_property "$unit" CPUWeight 20 # shares 512 as runc converts them: 1 + (512 - 2) * 9999 / 262142
    expect_file "$CG$group/memory.max" $MEM
    expect_file "$CG$group/cpu.weight" 20
    expect_file "$CG$group/cpu.max" "50000 100000"
    cpu=CPUWeight
  else
    expect_property "$unit" CPUShares 512
    expect_file "$CG/memory$group/memory.limit_in_bytes" $MEM
    expect_file "$CG/cpu$group/cpu.cfs_quota_us" 50000 # cpu is a hierarchy of its own, or a link to cpu,cpuacct
    cpu=CPUShares
  fi
  rt delete --force c1 >"$work/log" 2>&1 || fail "delete: $(oneline "$work/log")"
  load=$(systemctl show -p LoadState --value "$unit")
  [ "$load" = not-found ] || fail "after delete $unit is $load: $(systemctl show -p ActiveState "$unit")"
  for dir in $(cgdirs "$group"); do [ ! -d "$dir" ] || fail "$dir is still there after delete"; done
  pass "$unit held init $pid with $MEMORY, TasksMax, $cpu and CPU quota set in systemd and the files; gone after delete"
}

# No cgroupsPath: runc's default unit, runc-ID.scope in system.slice.
check_default_unit() {
  new_bundle "" '{}' sleep 600
  rt create --bundle "$work" lane-default-$name >"$work/log" 2>&1 || fail "create: $(oneline "$work/log")"
  group=$(systemctl show -p ControlGroup --value "runc-lane-default-$name.scope")
  [ "$group" = "/system.slice/runc-lane-default-$name.scope" ] || fail "ControlGroup of runc-lane-default-$name.scope is '$group'"
  pass "runc-lane-default-$name.scope in system.slice"
}

# A nested slice that does not exist yet: systemd makes lane.slice/lane-x.slice.
check_nested_slice() {
  unit=p-$name.scope
  new_bundle "lane-x.slice:p:$name" '{}' sleep 600
  rt create --bundle "$work" c1 >"$work/log" 2>&1 || fail "create: $(oneline "$work/log")"
  group=$(systemctl show -p ControlGroup --value "$unit")
  [ "$group" = "/lane.slice/lane-x.slice/$unit" ] || fail "ControlGroup of $unit is '$group'"
  [ "$(systemctl show -p ActiveState --value lane-x.slice)" = active ] || fail "lane-x.slice is not active"
  pass "$unit in $group"
}

# A memory hog is killed by the OOM killer at the unit's limit.
check_memory_oom() {
  new_bundle "system.slice:lane-$name:oom" '{"memory": {"limit": 33554432}}' sh -c 'x=$(head -c 200000000 /dev/zero | tr "\0" a); echo survived'
  status=0
  output=$(rt run --bundle "$work" c1 </dev/null 2>&1) || status=$?
  case "$output" in *survived*) fail "the hog survived a 32 MiB limit (status $status)" ;; esac
  [ "$status" -eq 137 ] || fail "run exited $status, not 137 (SIGKILL): $output"
  pass "the hog was killed (status $status) at $MEMORY 32 MiB"
}

# A fork bomb stops at the unit's TasksMax. busybox sh exits when a fork
# fails: the bomb is a subshell, and init execs its sleep without forking.
check_pids_limit() {
  unit=lane-$name-pids.scope
  new_bundle "system.slice:lane-$name:pids" '{"pids": {"limit": 10}}' sh -c '(while true; do sleep 600 & done) 2>/dev/null; exec sleep 600'
  rt create --bundle "$work" c1 >"$work/log" 2>&1 || fail "create: $(oneline "$work/log")"
  rt start c1 >"$work/log" 2>&1 || fail "start: $(oneline "$work/log")"
  sleep 2
  expect_property "$unit" TasksMax 10
  tasks=$(systemctl show -p TasksCurrent --value "$unit")
  [ "$tasks" -le 10 ] && [ "$tasks" -ge 8 ] || fail "TasksCurrent is $tasks with TasksMax 10"
  expect_file "$(cgdir pids "$(systemctl show -p ControlGroup --value "$unit")")/pids.max" 10
  pass "the bomb stopped at $tasks tasks (TasksMax 10)"
}

# update changes the unit's properties and the cgroup files.
check_update_live() {
  unit=lane-$name-upd.scope
  new_bundle "system.slice:lane-$name:upd" '{"memory": {"limit": '$MEM'}, "pids": {"limit": 40}}' sleep 600
  rt create --bundle "$work" c1 >"$work/log" 2>&1 || fail "create: $(oneline "$work/log")"
  rt update --memory 134217728 --pids-limit 60 --cpu-quota 20000 --cpu-period 100000 c1 >"$work/log" 2>&1 || fail "update: $(oneline "$work/log")"
  group=$(systemctl show -p ControlGroup --value "$unit")
  expect_property "$unit" $MEMORY 134217728
  expect_property "$unit" TasksMax 60
  expect_property "$unit" CPUQuotaPerSecUSec 200ms
  if [ -n "$v2" ]; then
    expect_file "$CG$group/memory.max" 134217728
    expect_file "$CG$group/cpu.max" "20000 100000"
  else
    expect_file "$CG/memory$group/memory.limit_in_bytes" 134217728
  fi
  expect_file "$(cgdir pids "$group")/pids.max" 60
  pass "$MEMORY, TasksMax and CPUQuotaPerSecUSec of $unit and its files followed update"
}

# An update a cgroup file refuses (a CPU this machine does not have) fails,
# and the unit keeps the properties it had, as the files do: systemd rewrites
# its cgroups from its properties, and would bring the refused limits back.
# runc 1.1.5 leaves the new properties on the unit (its result is a skip).
check_update_refused() {
  unit=lane-$name-refused.scope
  new_bundle "system.slice:lane-$name:refused" '{"pids": {"limit": 40}, "cpu": {"cpus": "0"}}' sleep 600
  rt create --bundle "$work" c1 >"$work/log" 2>&1 || fail "create: $(oneline "$work/log")"
  group=$(systemctl show -p ControlGroup --value "$unit")
  rt update --pids-limit 60 --cpuset-cpus 63 c1 >"$work/log" 2>&1 && fail "update to CPU 63 succeeded"
  grep -q "cpuset.cpus" "$work/log" || fail "the error does not name cpuset.cpus: $(oneline "$work/log")"
  if [ "$(systemctl show -p TasksMax --value "$unit")" != 40 ] && [ "$name" = runc ]; then
    skip "runc 1.1.5 leaves the refused update's properties on the unit (TasksMax=$(systemctl show -p TasksMax --value "$unit") AllowedCPUs=$(systemctl show -p AllowedCPUs --value "$unit")), and systemd has written pids.max $(cat "$(cgdir pids "$group")/pids.max")"
  fi
  expect_file "$(cgdir pids "$group")/pids.max" 40
  expect_file "$(cgdir cpuset "$group")/cpuset.cpus" 0
  expect_property "$unit" TasksMax 40
  expect_property "$unit" AllowedCPUs 0
  rt state c1 | grep -q '"status": *"created"' || fail "the container is not created after the refused update: $(rt state c1 | tr '\n' ' ')"
  pass "refused ($(oneline "$work/log" | cut -c1-160)); TasksMax 40 and AllowedCPUs 0 on the unit and in the files"
}

# pause/resume through the freezer of the scope's cgroup, ps and events --stats read it.
check_pause_ps_events() {
  unit=lane-$name-pause.scope
  new_bundle "system.slice:lane-$name:pause" '{"memory": {"limit": '$MEM'}}' sleep 600
  rt create --bundle "$work" --pid-file "$work/pid" c1 >"$work/log" 2>&1 || fail "create: $(oneline "$work/log")"
  rt start c1 >"$work/log" 2>&1 || fail "start: $(oneline "$work/log")"
  group=$(systemctl show -p ControlGroup --value "$unit")
  rt pause c1 >"$work/log" 2>&1 || fail "pause: $(oneline "$work/log")"
  expect_frozen "$group" yes
  rt state c1 | grep -q '"status": *"paused"' || fail "state after pause: $(rt state c1 | tr '\n' ' ')"
  rt resume c1 >"$work/log" 2>&1 || fail "resume: $(oneline "$work/log")"
  expect_frozen "$group" no
  rt ps c1 >"$work/ps" 2>&1 || fail "ps: $(oneline "$work/ps")"
  grep -q "$(cat "$work/pid")" "$work/ps" || fail "ps does not list init: $(oneline "$work/ps")"
  rt events --stats c1 >"$work/events" 2>&1 || fail "events --stats: $(oneline "$work/events")"
  grep -q '"memory"' "$work/events" || fail "events --stats has no memory: $(oneline "$work/events")"
  rt exec -d --pid-file "$work/exec.pid" c1 sleep 600 >"$work/log" 2>&1 || fail "exec -d: $(oneline "$work/log")"
  [ "$(cat "/proc/$(cat "$work/exec.pid")/cgroup")" = "$(cat "/proc/$(cat "$work/pid")/cgroup")" ] ||
    fail "the exec'd process's cgroups are not init's: $(tr '\n' ' ' <"/proc/$(cat "$work/exec.pid")/cgroup")"
  rt kill --all c1 KILL >"$work/log" 2>&1 || fail "kill --all: $(oneline "$work/log")"
  pass "paused and resumed through $(cgdir freezer "$group"); ps, events --stats, exec (into $unit) and kill --all worked"
}

# A second container for a unit that exists is refused, and leaves nothing.
check_unit_exists() {
  unit=lane-$name-dup.scope
  new_bundle "system.slice:lane-$name:dup" '{}' sleep 600
  rt create --bundle "$work" c1 >"$work/log" 2>&1 || fail "create: $(oneline "$work/log")"
  if rt create --bundle "$work" c2 >"$work/log" 2>&1; then
    [ "$name" = runc ] && skip "runc 1.1.5 takes an existing unit as its own (UnitExists is no error there)"
    fail "a second create for $unit succeeded"
  fi
  grep -q "already exists" "$work/log" || fail "the error does not say the unit exists: $(oneline "$work/log")"
  rt state c2 >/dev/null 2>&1 && fail "c2 is left in state"
  [ "$(systemctl show -p ActiveState --value "$unit")" = active ] || fail "$unit is no longer active after the refused create"
  pass "refused: $(oneline "$work/log")"
}

# A property systemd refuses fails create with systemd's words (oci-run names
# the config field too), and leaves no unit, no cgroup and no state. On v1
# BlockIOWeight 5 (under its 10); on v2 oci-run refuses that weight itself
# before systemd, so there a unified cpu.weight of 20000, which the driver
# passes on as CPUWeight (systemd's range ends at 10000).
check_property_rejected() {
  unit=lane-$name-bad.scope
  if [ -n "$v2" ]; then
    property=CPUWeight resources='{"unified": {"cpu.weight": "20000"}}' field=linux.resources.unified
  else
    property=BlockIOWeight resources='{"blockIO": {"weight": 5}}' field=linux.resources.blockIO.weight
  fi
  new_bundle "system.slice:lane-$name:bad" "$resources" sleep 600
  rt create --bundle "$work" c1 >"$work/log" 2>&1 && fail "create with $resources succeeded"
  grep -q "$property is out of range" "$work/log" || fail "the error does not give systemd's reason: $(oneline "$work/log")"
  [ "$name" = runc ] || grep -q "$field" "$work/log" || fail "the error does not name $field: $(oneline "$work/log")"
  [ "$(systemctl show -p LoadState --value "$unit")" = not-found ] || fail "$unit is left: $(systemctl show -p ActiveState "$unit")"
  [ -z "$(rt list -q 2>/dev/null)" ] || fail "state is left: $(rt list -q | tr '\n' ' ')"
  for dir in $(cgdirs "/system.slice/$unit"); do [ ! -d "$dir" ] || fail "$dir is left"; done
  pass "refused, nothing left: $(grep "$property is out of range" "$work/log" | tr '\n' ' ' | cut -c1-400)" # without runc's warnings
}

# podman with cgroup_manager "systemd" runs a container with the runtime
# (through a wrapper: podman passes no --root): conmon calls it with
# --systemd-cgroup and cgroupsPath machine.slice:libpod:ID.
check_podman_systemd() {
  command -v podman >/dev/null || skip "podman is not installed in the lane's rootfs"
  printf '#!/bin/sh\nexec %s --root %s "$@"\n' "$runtime" "$work/rr" >"$work/wrapper"
  chmod +x "$work/wrapper"
  pm() { podman --root "$work/root" --runroot "$work/run" --tmpdir "$work/tmp" --storage-driver vfs --cgroup-manager systemd \
    --events-backend file --runtime "$work/wrapper" "$@"; }
  tar -C /lane/busybox -c . | pm import - lane-busybox >"$work/log" 2>&1 || fail "podman import: $(oneline "$work/log")"
  pm run -d --name c1 --network none lane-busybox sleep 600 >"$work/cid" 2>"$work/log" || fail "podman run -d: $(oneline "$work/log")"
  cid=$(cat "$work/cid")
  unit=libpod-$cid.scope
  [ "$(systemctl show -p ActiveState --value "$unit")" = active ] || fail "$unit is not active: $(systemctl list-units --no-legend 'libpod*' | tr '\n' ' ')"
  group=$(systemctl show -p ControlGroup --value "$unit")
  [ "$group" = "/machine.slice/$unit" ] || fail "ControlGroup of $unit is '$group'"
  grep -q "\"cgroupDriver\": *\"systemd\"" "$work/rr/$cid/state.json" 2>/dev/null || [ "$name" = runc ] ||
    fail "oci-run's state for $cid does not name the systemd driver"
  # On v2 podman gives a container a private cgroup namespace (its /proc/self/cgroup says 0::/) unless told otherwise.
  output=$(pm run --rm --network none ${v2:+--cgroupns host} lane-busybox cat /proc/self/cgroup 2>&1) || fail "podman run: $output"
  case "$output" in *machine.slice/libpod-*.scope*) ;; *) fail "the container's /proc/self/cgroup has no libpod scope: $output" ;; esac
  pm rm -f c1 >"$work/log" 2>&1 || fail "podman rm -f: $(oneline "$work/log")"
  [ "$(systemctl show -p LoadState --value "$unit")" = not-found ] || fail "$unit is still loaded after podman rm"
  pass "podman ran $unit in machine.slice, and removed it"
}

# containerd's runc shim with SystemdCgroup (what kubelet and containerd are
# set up with on systemd hosts): ctr run --runc-systemd-cgroup hands the
# runtime --systemd-cgroup and cgroupsPath system.slice:ctr:ID. The task
# runs in ctr-ID.scope with its memory limit, its exit status comes back,
# task exec joins the scope, metrics reads it, and the unit goes with the task.
check_containerd_systemd() {
  [ -x /lane/bin/containerd ] && [ -x /lane/bin/containerd-shim-runc-v2 ] && [ -x /lane/bin/ctr ] || skip "containerd is not installed on the host"
  export PATH=/lane/bin:$PATH # containerd finds its shim on PATH
  printf 'version = 2\nroot = "%s"\nstate = "%s"\ndisabled_plugins = ["io.containerd.grpc.v1.cri"]\n[grpc]\n  address = "%s"\n' \
    "$work/c-root" "$work/c-state" "$work/c.sock" >"$work/containerd.toml"
  containerd --config "$work/containerd.toml" >"$work/containerd.log" 2>&1 &
  echo $! >"$work/containerd.pid" # clear_after ends it
  for _ in $(seq 1 100); do [ -S "$work/c.sock" ] && break; sleep 0.1; done
  [ -S "$work/c.sock" ] || fail "containerd did not start: $(oneline "$work/containerd.log")"
  printf '#!/bin/sh\nexec %s --root %s "$@"\n' "$runtime" "$work/rr" >"$work/wrapper"
  chmod +x "$work/wrapper"
  cp -a /lane/busybox "$work/rootfs" # ctr's spec mounts a tmpfs on /run: the rootfs must take a mkdir
  mkdir -p "$work/rootfs/run"
  c() { ctr -a "$work/c.sock" "$@"; }
  crun() { c run --rootfs --env PATH=/bin --runc-binary "$work/wrapper" --runc-systemd-cgroup "$@"; }
  unit=ctr-lane-$name.scope
  crun --cgroup "system.slice:ctr:lane-$name" --memory-limit $MEM -d "$work/rootfs" c1 sleep 600 >"$work/log" 2>&1 || fail "ctr run -d: $(oneline "$work/log")"
  [ "$(systemctl show -p ActiveState --value "$unit")" = active ] || fail "$unit is not active"
  expect_property "$unit" $MEMORY $MEM
  group=$(systemctl show -p ControlGroup --value "$unit")
  output=$(c task exec --exec-id e1 c1 cat /proc/self/cgroup 2>&1) || fail "task exec: $output"
  case "$output" in *"$group"*) ;; *) fail "the exec'd process is not in $group: $output" ;; esac
  c task metrics c1 >"$work/metrics" 2>&1 || fail "task metrics: $(oneline "$work/metrics")"
  grep -q "memory" "$work/metrics" || fail "task metrics has no memory: $(oneline "$work/metrics")"
  c task kill -s KILL c1 >"$work/log" 2>&1 || fail "task kill: $(oneline "$work/log")"
  for _ in $(seq 1 50); do c task ls | grep -q "c1.*STOPPED" && break; sleep 0.1; done
  c task delete c1 >"$work/log" 2>&1 || fail "task delete: $(oneline "$work/log")"
  [ "$(systemctl show -p LoadState --value "$unit")" = not-found ] || fail "$unit is still loaded after task delete"
  status=0
  output=$(crun --rm --cgroup "system.slice:ctr:lane-$name-rm" "$work/rootfs" c2 sh -c 'cat /proc/self/cgroup; exit 3' 2>&1) || status=$?
  [ "$status" = 3 ] || fail "ctr run --rm exited $status, not 3: $output"
  case "$output" in *"/system.slice/ctr-lane-$name-rm.scope"*) ;; *) fail "ctr run --rm's container is not in its scope: $output" ;; esac
  pass "ctr with the runc shim and SystemdCgroup: $unit with $MEMORY, task exec, metrics, kill, delete, and run --rm's exit status"
}

# ---- helpers -----------------------------------------------------------------

result() {
  printf '%s %s\n' "$1" "$(printf '%s' "$2" | tr '\n' ' ' | cut -c1-1000)" >"$work/result"
  exit 0
}
pass() { result pass "$*"; }
fail() { result fail "$*"; }
skip() { result skip "$*"; }

rt() { "$runtime" --systemd-cgroup --root "$work/state" "$@"; }

oneline() { tr '\n' ' ' <"$1" | cut -c1-400; }

expect_property() {
  got=$(systemctl show -p "$2" --value "$1")
  [ "$got" = "$3" ] || fail "$1: $2 is '$got', expected '$3'"
}

expect_file() {
  got=$(cat "$1" 2>&1)
  [ "$got" = "$2" ] || fail "$1 is '$got', expected '$2'"
}

# The directory of a group (as systemd's ControlGroup gives it) for a controller:
# in the controller's hierarchy on v1, the one directory on v2.
cgdir() { if [ -n "$v2" ]; then echo "$CG$2"; else echo "$CG/$1$2"; fi; }

# Every directory a group has: where systemd, memory, pids and the freezer keep it on v1; the one on v2.
cgdirs() { if [ -n "$v2" ]; then echo "$CG$1"; else for h in systemd memory pids freezer; do echo "$CG/$h$1"; done; fi; }

# The freezer's word on a group: frozen (yes) or thawed (no). On v2 both what
# was asked (cgroup.freeze) and what the kernel did (cgroup.events).
expect_frozen() {
  if [ -n "$v2" ]; then
    if [ "$2" = yes ]; then want=1; else want=0; fi
    expect_file "$CG$1/cgroup.freeze" $want
    grep -qx "frozen $want" "$CG$1/cgroup.events" || fail "$CG$1/cgroup.events does not say frozen $want: $(oneline "$CG$1/cgroup.events")"
  else
    if [ "$2" = yes ]; then expect_file "$CG/freezer$1/freezer.state" FROZEN; else expect_file "$CG/freezer$1/freezer.state" THAWED; fi
  fi
}

json_string() { printf '"%s"' "$(printf '%s' "$1" | sed 's/\\/\\\\/g; s/"/\\"/g')"; }

# $work/config.json: spec's with the cgroupsPath ("" for none), the resources (a JSON object on one line) and
# args; without spec's terminal (a check has none to give it, and create would refuse it without a console socket).
new_bundle() {
  cgpath=$1 resources=$2
  shift 2
  args=
  for a in "$@"; do args="$args${args:+, }$(json_string "$a")"; done
  sed -e '/^    "args": \[$/,/^    \],$/c\    "args": ['"$(printf '%s' "$args" | sed 's/\\/\\\\/g')"'],' \
    -e '/^    "resources": {$/,/^    },$/c\    "resources": '"$resources"',' \
    -e 's|"path": "rootfs"|"path": "/lane/busybox"|' \
    -e 's|^    "terminal": true,$|    "terminal": false,|' \
    "$base/config.json" >"$work/config.json"
  if [ -n "$cgpath" ]; then sed -i 's|^  "linux": {$|  "linux": {\n    "cgroupsPath": "'"$cgpath"'",|' "$work/config.json"; fi
}

# Deletes what a check left: its containers (podman's too, under $work/rr),
# failed units, what is mounted under its $work (podman's shm of a container:
# deepest first), its files.
clear_after() {
  for root in "$2/state" "$2/rr"; do
    for left in $("$1" --systemd-cgroup --root "$root" list -q 2>/dev/null); do
      "$1" --systemd-cgroup --root "$root" delete --force "$left" >/dev/null 2>&1 || true
    done
  done
  if [ -f "$2/containerd.pid" ]; then
    /lane/bin/ctr -a "$2/c.sock" task kill -s KILL c1 >/dev/null 2>&1 || true
    for task in c1 c2; do /lane/bin/ctr -a "$2/c.sock" task delete -f $task >/dev/null 2>&1 || true; /lane/bin/ctr -a "$2/c.sock" container delete $task >/dev/null 2>&1 || true; done
    kill "$(cat "$2/containerd.pid")" 2>/dev/null || true
  fi
  systemctl reset-failed >/dev/null 2>&1 || true
  awk -v w="$2" '$2 == w || index($2, w "/") == 1 { print $2 }' /proc/self/mounts | sort -r | while read -r m; do umount -l "$m" 2>/dev/null || true; done
  rm -rf "$2"
}

# ---- running -----------------------------------------------------------------

base=$(mktemp -d)
"$1" spec --bundle "$base" || { echo "LANE-RESULT $(basename "$1") spec fail cannot write spec's config"; exit 1; }
for runtime in "$@"; do
  name=$(basename "$runtime")
  started=$(date +%s)
  for check in $CHECKS; do
    work=$(mktemp -d)
    ( check_$check ) </dev/null >"$work/out" 2>&1
    if [ -f "$work/result" ]; then line=$(cat "$work/result"); else line="fail the check ended without a result: $(oneline "$work/out")"; fi
    echo "LANE-RESULT $name $check $line"
    clear_after "$runtime" "$work"
  done
  echo "LANE-INFO checks with $name took $(($(date +%s) - started)) s"
done
rm -rf "$base"
