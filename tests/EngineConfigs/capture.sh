#!/usr/bin/env bash
# Captures the config.json that Docker, podman and containerd's ctr give a
# runtime for a plain busybox container and for one with limits, into
# tests/EngineConfigs/ (see README.md there). Run by hand, as root, never by CI.
#
# Each engine is started privately (its own root, state and socket under one
# temp dir) and given a capturing runtime: a shell script that copies
# <bundle>/config.json on `create` and then execs the real runc with the same
# arguments, so every container really runs. Everything is torn down at the end,
# failure or not.
#
# Needs: docker.io, containerd, podman, runc, umoci, busybox-static (Debian 12).
set -euo pipefail

repo=$(cd "$(dirname "$0")/../.." && pwd)
out="$repo/tests/EngineConfigs"
[ "$(id -u)" = 0 ] || { echo "capture.sh: run as root" >&2; exit 1; }
for c in containerd ctr dockerd podman conmon runc umoci unshare; do
  command -v "$c" >/dev/null || { echo "capture.sh: needs $c (apt-get install docker.io containerd podman runc umoci)" >&2; exit 1; }
done
runc=$(command -v runc)
docker=/usr/bin/docker # docker.io's client: another docker may come first on PATH

T=$(mktemp -d /tmp/engineconfigs.XXXXXX)
SOCK="$T/containerd.sock"
echo "capture.sh: working in $T" >&2

# What the engines write outside $T whatever their flags: note what exists now,
# so teardown removes only what this run made.
cgroup_names="default docker moby k8s.io libpod_parent"
hierarchies=$(awk '{for (i = 7; i < NF; i++) if ($i == "-") { if ($(i+1) ~ /^cgroup2?$/) print $5; break }}' /proc/self/mountinfo | sort -u)
existed() { grep -qxF "$1" "$T/existed"; }
{
  for p in /etc/docker/key.json /run/docker /run/containerd /run/containers /var/lib/containers; do
    [ -e "$p" ] && echo "$p"
  done
  ls -d /run/containerd/s/* 2>/dev/null
  for h in $hierarchies; do
    for name in $cgroup_names; do [ -e "$h/$name" ] && echo "$h/$name"; done
  done
  ls -d /sys/fs/cgroup/* 2>/dev/null
} > "$T/existed" || true

pids_to_stop=""

teardown() {
  set +e
  echo "capture.sh: tearing down" >&2
  # Containers, through their engines.
  if [ -S "$T/docker.sock" ]; then
    ids=$("$docker" -H "unix://$T/docker.sock" ps -aq)
    [ -n "$ids" ] && "$docker" -H "unix://$T/docker.sock" rm -f $ids >/dev/null
  fi
  [ -f "$T/containers.conf" ] && podman_ rm -af >/dev/null 2>&1
  if [ -S "$SOCK" ]; then
    for id in $(ctr -a "$SOCK" -n default containers ls -q); do
      ctr -a "$SOCK" -n default tasks kill -s SIGKILL "$id" >/dev/null 2>&1
      sleep 1
      ctr -a "$SOCK" -n default tasks delete "$id" >/dev/null 2>&1
      ctr -a "$SOCK" -n default containers delete "$id" >/dev/null 2>&1
    done
  fi
  # Daemons: SIGTERM by PID, then SIGKILL.
  [ -f "$T/docker.pid" ] && pids_to_stop="$(cat "$T/docker.pid") $pids_to_stop"
  for pid in $pids_to_stop; do
    kill -TERM "$pid" 2>/dev/null
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$pid" 2>/dev/null
  done
  # Leftovers (shims outlive containerd and ignore SIGTERM; conmon): every process naming $T.
  for cmdline in /proc/[0-9]*/cmdline; do
    pid=${cmdline#/proc/}; pid=${pid%/cmdline}
    [ "$pid" = $$ ] && continue
    { tr '\0' ' ' < "$cmdline"; } 2>/dev/null | grep -qF "$T" && kill -KILL "$pid" 2>/dev/null
  done
  sleep 0.5
  # Containers left in the runtime roots.
  for root in "$T/rr-ctr/default" "$T/docker-run/runtime-runc/moby" "$T/rr-podman"; do
    [ -d "$root" ] || continue
    for id in $("$runc" --root "$root" list -q); do "$runc" --root "$root" delete -f "$id"; done
  done
  # Mounts under $T, deepest first (dockerd leaves a netns bind mount).
  awk -v t="$T" 'index($5, t "/") == 1 {print $5}' /proc/self/mountinfo | awk '{print length, $0}' | sort -rn | cut -d' ' -f2- |
    while read -r m; do umount "$m" || umount -l "$m"; done
  # Cgroups the engines' parents made, depth first; only new ones.
  for h in $hierarchies; do
    for name in $cgroup_names; do
      existed "$h/$name" || { [ -d "$h/$name" ] && find "$h/$name" -depth -type d -exec rmdir {} \; ; }
    done
  done
  # podman writes libpod_parent/conmon/tasks as plain files where a controller is not mounted
  # (in the tmpfs that holds a v1 host's hierarchies).
  if [ "$(stat -f -c %T /sys/fs/cgroup)" = tmpfs ]; then
    for e in /sys/fs/cgroup/*; do
      existed "$e" || mountpoint -q "$e" || rm -rf "$e"
    done
  fi
  # Shim sockets: containerd names them sha256(<address>/<namespace>/<id>).
  if [ -f "$T/runtime-calls.log" ]; then
    grep -o -- '--root [^ ]* .*create .*' "$T/runtime-calls.log" | while read -r _ root rest; do
      id=${rest##* }
      s="/run/containerd/s/$(printf '%s' "$SOCK/$(basename "$root")/$id" | sha256sum | cut -d' ' -f1)"
      existed "$s" || rm -f "$s"
    done
  fi
  existed /etc/docker/key.json || rm -f /etc/docker/key.json
  for d in /run/docker/plugins /run/docker /run/containerd/s /run/containerd /run/containers/networks /run/containers; do
    existed "$d" || rmdir "$d" 2>/dev/null
  done
  existed /var/lib/containers || rm -rf /var/lib/containers
  rm -rf "$T"
}
trap teardown EXIT

# --- The busybox image, made offline from busybox-static.
"$repo/bundles/busybox/make-rootfs.sh" "$T/rootfs"
tar -C "$T/rootfs" -cf "$T/rootfs.tar" .
path_env=PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
umoci init --layout "$T/oci"
umoci new --image "$T/oci:latest"
umoci unpack --image "$T/oci:latest" "$T/ub" >/dev/null
cp -a "$T/rootfs/." "$T/ub/rootfs/"
umoci repack --image "$T/oci:latest" "$T/ub"
umoci config --image "$T/oci:latest" --config.cmd sh --config.env "$path_env"
tar -C "$T/oci" -cf "$T/oci.tar" .

# --- The capturing runtime.
mkdir -p "$T/captured"
cat > "$T/capture-runtime" <<EOF
#!/bin/sh
# Logs every call; on create copies the bundle's config.json to
# $T/captured/<name in capture-name>.json; then runs runc with the same arguments.
set -eu
PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
echo "\$*" >> "$T/runtime-calls.log"
bundle=. create= prev=
for a in "\$@"; do
  case "\$prev" in --bundle|-b) bundle=\$a ;; esac
  case "\$a" in create) create=1 ;; --bundle=*) bundle=\${a#--bundle=} ;; esac
  prev=\$a
done
[ -z "\$create" ] || cp "\$bundle/config.json" "$T/captured/\$(cat "$T/capture-name").json"
exec "$runc" "\$@"
EOF
# podman passes no --root: give its runc a private one.
printf '#!/bin/sh\nexec "%s" --root "%s" "$@"\n' "$T/capture-runtime" "$T/rr-podman" > "$T/capture-runtime-podman"
chmod +x "$T/capture-runtime" "$T/capture-runtime-podman"

# The script in each container prints the limits it feels, where a v1 host shows them
# (for the record only: it is the config that is kept).
limits='cd /sys/fs/cgroup && cat memory/memory.limit_in_bytes pids/pids.max cpu/cpu.cfs_quota_us cpu/cpu.cfs_period_us cpu/cpu.shares || { echo "no cgroup v1 files; /sys/fs/cgroup has:"; ls /sys/fs/cgroup; }'

# capture NAME COMMAND...: runs COMMAND (an engine's run) and keeps the config it gave the runtime as NAME.json.
capture() {
  name=$1; shift
  echo "$name" > "$T/capture-name"
  rm -f "$T/captured/$name.json"
  echo "capture.sh: $name" >&2
  "$@" | tee "$T/captured/$name.out"
  [ -f "$T/captured/$name.json" ] || { echo "capture.sh: $name: the runtime was never asked to create" >&2; exit 1; }
  cp "$T/captured/$name.json" "$out/$name.json"
}

# --- containerd, and ctr.
ctr_version=$(ctr --version | sed -E 's/.* ([0-9]+\.[0-9]+)\..*/\1/')
cat > "$T/containerd.toml" <<EOF
version = 2
root = "$T/containerd/root"
state = "$T/containerd/state"
disabled_plugins = ["io.containerd.grpc.v1.cri"]
[grpc]
  address = "$SOCK"
[ttrpc]
  address = ""
[debug]
  address = ""
[plugins."io.containerd.internal.v1.opt"]
  path = "$T/containerd/opt"
EOF
containerd --config "$T/containerd.toml" > "$T/containerd.log" 2>&1 &
pids_to_stop="$!"
for _ in $(seq 100); do ctr -a "$SOCK" version >/dev/null 2>&1 && break; sleep 0.2; done
ctr -a "$SOCK" version >/dev/null

ctr -a "$SOCK" -n default images import --base-name local.test/busybox "$T/oci.tar" >/dev/null
ctr_run() { ctr -a "$SOCK" -n default run --runc-binary "$T/capture-runtime" --runc-root "$T/rr-ctr" --fifo-dir "$T/fifo" --rm "$@" </dev/null; }
capture "ctr-$ctr_version-plain" ctr_run local.test/busybox:latest ec-plain sh -c "$limits"
capture "ctr-$ctr_version-limits" ctr_run --memory-limit 67108864 --cpus 0.5 local.test/busybox:latest ec-limits sh -c "$limits"

# --- dockerd, in a network namespace of its own so its bridge stays off the host.
docker_version=$("$docker" --version | sed -E 's/^Docker version ([0-9]+\.[0-9]+)\..*/\1/')
printf '{"runtimes": {"capture": {"path": "%s"}}, "default-runtime": "capture"}\n' "$T/capture-runtime" > "$T/daemon.json"
unshare --net dockerd --config-file "$T/daemon.json" --data-root "$T/docker" --exec-root "$T/docker-run" \
  --pidfile "$T/docker.pid" -H "unix://$T/docker.sock" --containerd "$SOCK" --iptables=false --ip-masq=false \
  > "$T/dockerd.log" 2>&1 &
for _ in $(seq 100); do "$docker" -H "unix://$T/docker.sock" version >/dev/null 2>&1 && break; sleep 0.2; done
dockerc() { "$docker" -H "unix://$T/docker.sock" "$@"; }
dockerc import "$T/rootfs.tar" busybox:latest >/dev/null
capture "docker-$docker_version-plain" dockerc run --rm busybox sh -c "$limits"
capture "docker-$docker_version-limits" dockerc run --rm --memory 64m --pids-limit 50 --cpus 0.5 busybox sh -c "$limits"

# --- podman (conmon, no daemon).
podman_version=$(podman --version | sed -E 's/^podman version ([0-9]+\.[0-9]+)\..*/\1/')
cat > "$T/containers.conf" <<EOF
[engine]
cgroup_manager = "cgroupfs"
events_logger = "file"
lock_type = "file"
runtime = "capture"
conmon_env_vars = ["$path_env", "CONTAINERS_CONF=$T/containers.conf"]
runtime_supports_json = ["crun", "runc", "capture"]
[engine.runtimes]
capture = ["$T/capture-runtime-podman"]
EOF
podman_() {
  CONTAINERS_CONF="$T/containers.conf" podman --root "$T/podman/root" --runroot "$T/podman/run" --tmpdir "$T/podman/tmp" \
    --storage-driver overlay --cgroup-manager cgroupfs --events-backend file \
    --network-config-dir "$T/podman/net" --volumepath "$T/podman/vol" "$@"
}
podman_ import "$T/rootfs.tar" busybox >/dev/null
# No network (its default bridge would change the host's), and rlimits this host can
# set: podman's defaults (NOFILE 1048576, NPROC 4194304) fail without CAP_SYS_RESOURCE.
podman_run() { podman_ run --rm --network none --ulimit nofile=20000:20000 --ulimit nproc=32768:32768 "$@"; }
capture "podman-$podman_version-plain" podman_run busybox sh -c "$limits"
capture "podman-$podman_version-limits" podman_run --memory 64m --pids-limit 50 --cpus 0.5 busybox sh -c "$limits"

echo "capture.sh: the runtime was called as:" >&2
cat "$T/runtime-calls.log" >&2
echo "capture.sh: kept $(cd "$T/captured" && echo *.json) in $out" >&2
