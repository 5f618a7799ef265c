#!/usr/bin/env bash
# The engines' view of the runtimes: the wall time of `ctr run --rm` and
# `docker run --rm` of busybox `true` with oci-run, crun and runc side by side,
# on a private containerd and a private dockerd started here and torn down at
# the end, failed or not. bench.sh calls it last; it also runs alone, as root:
#   tests/Benchmark/engines.sh [--quick] [--repetitions N] [--warmup N]
#     [--runtimes oci-run,crun,runc] [--oci-run PATH] [--mount-v1-hugetlb]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
cd "$repo"

repetitions=20 warmup=2 wanted=oci-run,crun,runc ocirun="" mount_hugetlb=no
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) repetitions=5 warmup=1 ;;
    --repetitions) repetitions=${2:?--repetitions needs a number}; shift ;;
    --warmup) warmup=${2:?--warmup needs a number}; shift ;;
    --runtimes) wanted=${2:?--runtimes needs a list: oci-run,crun,runc}; shift ;;
    --oci-run) ocirun=${2:?--oci-run needs a path}; shift ;;
    --mount-v1-hugetlb) mount_hugetlb=yes ;;
    -h|--help) sed -n '2,7p' "$0"; exit 0 ;;
    *) echo "engines.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
  esac
  shift
done
[[ "$repetitions" =~ ^[1-9][0-9]*$ && "$warmup" =~ ^[0-9]+$ ]] ||
  { echo "engines.sh: --repetitions takes a number from 1, --warmup one from 0" >&2; exit 2; }
[ "$(id -u)" = 0 ] || { echo "engines.sh: starts containerd and dockerd: run it as root" >&2; exit 1; }

need=()
for p in containerd docker.io umoci runc crun busybox-static; do dpkg -s "$p" >/dev/null 2>&1 || need+=("$p"); done
if [ ${#need[@]} -gt 0 ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
if [ -z "$ocirun" ]; then
  dotnet publish src/OciRun -c Release -r linux-x64 -o artifacts/bin -nologo -v quiet
  ocirun=artifacts/bin/oci-run
fi
[ -x "$ocirun" ] || { echo "engines.sh: no oci-run binary at '$ocirun'" >&2; exit 2; }
ocirun=$(realpath "$ocirun")
docker_client=/usr/bin/docker   # Debian's: a newer CLI may come first on PATH

# The runtimes, by the names dockerd knows them by ("runc" is its built-in one, from PATH).
declare -A binary=([oci-run]="$ocirun" [crun]="$(command -v crun || true)" [runc]="$(command -v runc || true)")
runtimes=() notes=()
for r in ${wanted//,/ }; do
  [ -n "${binary[$r]:-}" ] || { echo "engines.sh: no runtime '$r' (oci-run, crun or runc)" >&2; exit 2; }
  runtimes+=("$r")
done

# crun 1.8 refuses a hybrid host whose cgroup2 tree holds a controller (as bench.sh says).
controllers=$(cat /sys/fs/cgroup/unified/cgroup.controllers 2>/dev/null || true)
if [ -d /sys/fs/cgroup/unified ] && [ -n "$controllers" ] && [[ " ${runtimes[*]} " == *" crun "* ]]; then
  if [ "$mount_hugetlb" = yes ] && [ "$controllers" = hugetlb ] && [ ! -e /sys/fs/cgroup/hugetlb ]; then
    # Moves hugetlb from the cgroup2 tree to a v1 hierarchy; the host's existing mounts stay as they are.
    mkdir /sys/fs/cgroup/hugetlb && mount -t cgroup -o hugetlb cgroup /sys/fs/cgroup/hugetlb
  else
    echo "note: the cgroup2 tree holds controllers ($controllers): crun refuses this host, its column is left out (--mount-v1-hugetlb moves hugetlb to a v1 hierarchy: tests/Benchmark/README.md)" >&2
    notes+=("crun left out: this hybrid host's cgroup2 tree holds controllers ($controllers), which crun 1.8 refuses.")
    kept=(); for r in "${runtimes[@]}"; do [ "$r" = crun ] || kept+=("$r"); done; runtimes=("${kept[@]}")
  fi
fi
[[ " ${runtimes[*]} " == *" oci-run "* ]] || { echo "engines.sh: oci-run must be one of the runtimes (the ratios are oci-run's)" >&2; exit 2; }

# ---- the private world and its teardown -------------------------------------

# Short: containerd's socket path must fit a sockaddr_un.
T=$(mktemp -d /tmp/eb-XXXXXX)
sock=$T/containerd.sock
dsock=$T/docker.sock
export DOCKER_CONFIG=$T/client   # nothing of the host's ~/.docker, nothing written there
mkdir -p "$DOCKER_CONFIG" "$T/fifo"
pids=()   # daemons started here, in order of start

host_dirs=(/run/docker/plugins /run/docker /run/containerd/s /run/containerd/fifo /run/containerd)
engine_cgroups=(default moby docker)
hierarchies() { awk '{for (i = 1; i <= NF; i++) if ($i == "-") { if ($(i+1) == "cgroup" || $(i+1) == "cgroup2") print $5; break }}' /proc/self/mountinfo | sort -u; }
existed=()   # what the engines may create outside $T, as it was before: only new ones are removed
for p in /etc/docker/key.json "${host_dirs[@]}"; do [ -e "$p" ] && existed+=("$p"); done
for h in $(hierarchies); do for c in "${engine_cgroups[@]}"; do [ -d "$h/$c" ] && existed+=("$h/$c"); done; done
did_exist() { local p; for p in "${existed[@]}"; do [ "$p" = "$1" ] && return 0; done; return 1; }

alive() { [ -d "/proc/$1" ] && ! grep -q '^State:.*Z' "/proc/$1/status" 2>/dev/null; }
stop_pid() {   # SIGTERM, ten seconds to go, then SIGKILL
  local pid=$1 i
  alive "$pid" || return 0
  kill -TERM "$pid" 2>/dev/null
  for i in $(seq 100); do alive "$pid" || break; sleep 0.1; done
  alive "$pid" && kill -KILL "$pid" 2>/dev/null
  for i in $(seq 50); do alive "$pid" || break; sleep 0.1; done
}
argv() { { tr '\0' '\n' < "/proc/$1/cmdline"; } 2>/dev/null; }
flag() { awk -v f="$1" 'p { print; exit } $0 == f { p = 1 }'; }   # the value after a flag in an argv on stdin

teardown() {
  local status=$? pid h c r root m argvs address ns id
  set +e
  trap - EXIT INT TERM
  exec >&3 2>&4
  echo "tearing down $T" >&2
  # The containers, through the engines.
  if [ -S "$dsock" ]; then
    ids=$(timeout 30 "$docker_client" -H "unix://$dsock" ps -aq 2>/dev/null)
    [ -n "$ids" ] && timeout 60 "$docker_client" -H "unix://$dsock" rm -f $ids >/dev/null 2>&1
  fi
  if [ -S "$sock" ]; then
    for id in $(timeout 30 ctr -a "$sock" -n default containers ls -q 2>/dev/null); do
      timeout 30 ctr -a "$sock" -n default tasks delete --force "$id" >/dev/null 2>&1
      timeout 30 ctr -a "$sock" -n default containers delete "$id" >/dev/null 2>&1
    done
  fi
  # The daemons by PID, last started first (dockerd before its containerd).
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do stop_pid "${pids[$i]}"; wait "${pids[$i]}" 2>/dev/null; done
  # The shims: they outlive containerd and ignore SIGTERM; found by -address $sock.
  for d in /proc/[0-9]*; do
    pid=${d#/proc/}
    argvs=$(argv "$pid") || continue
    [ "$(flag -address <<<"$argvs")" = "$sock" ] || continue
    kill -KILL "$pid" 2>/dev/null
    for i in $(seq 50); do alive "$pid" || break; sleep 0.1; done
    ns=$(flag -namespace <<<"$argvs"); id=$(flag -id <<<"$argvs")
    [ -n "$ns" ] && [ -n "$id" ] && rm -f "/run/containerd/s/$(printf '%s' "$sock/$ns/$id" | sha256sum | cut -d' ' -f1)"
  done
  # Anything else whose command line names $T (a stuck ctr or docker client).
  for d in /proc/[0-9]*; do
    pid=${d#/proc/}
    [ "$pid" = $$ ] || [ "$pid" = "$BASHPID" ] && continue
    argv "$pid" | grep -qF -- "$T" && kill -KILL "$pid" 2>/dev/null
  done
  # What the runtimes left in their roots: ctr's per runtime, dockerd's shared by every runtime name.
  for r in "${runtimes[@]}"; do
    for root in "$T/rr-$r/default" "$T/run/runtime-runc/moby"; do
      [ -d "$root" ] || continue
      for id in $(timeout 30 "${binary[$r]}" --root "$root" list -q 2>/dev/null); do
        timeout 30 "${binary[$r]}" --root "$root" delete -f "$id" >/dev/null 2>&1
      done
    done
  done
  # Mounts under $T, deepest first (overlay snapshots, dockerd's netns bind mounts).
  awk -v t="$T" '$5 == t || index($5, t "/") == 1 { print length($5), $5 }' /proc/self/mountinfo | sort -rn | cut -d' ' -f2- | uniq |
    while read -r m; do umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null; done
  # The engines' cgroup parents, in every hierarchy, only those that were not there before.
  for h in $(hierarchies); do
    for c in "${engine_cgroups[@]}"; do
      [ -d "$h/$c" ] && ! did_exist "$h/$c" && find "$h/$c" -depth -type d -exec rmdir {} \; 2>/dev/null
    done
  done
  # What the engines write outside $T whatever their flags, only new (and empty) ones.
  did_exist /etc/docker/key.json || rm -f /etc/docker/key.json
  for d in "${host_dirs[@]}"; do did_exist "$d" || rmdir "$d" 2>/dev/null; done
  rm -rf --one-file-system "$T"
  exit "$status"
}
# The script's own stdout and stderr, for a teardown that runs inside a redirected step.
exec 3>&1 4>&2
trap teardown EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

wait_for() {   # what, pid, command...: polls until the command succeeds, the daemon dies, or 60 s pass
  local what=$1 pid=$2 i; shift 2
  for i in $(seq 600); do
    "$@" >/dev/null 2>&1 && return 0
    alive "$pid" || { echo "engines.sh: $what exited:" >&2; tail -5 "$T/$what.log" >&2; return 1; }
    sleep 0.1
  done
  echo "engines.sh: $what not answering within 60 s:" >&2; tail -5 "$T/$what.log" >&2; return 1
}

# ---- the image, offline -----------------------------------------------------

echo "making the busybox image" >&2
bundles/busybox/make-rootfs.sh "$T/rootfs"
tar -C "$T/rootfs" -cf "$T/rootfs.tar" .
umoci init --layout "$T/oci"
umoci new --image "$T/oci:latest"
umoci unpack --image "$T/oci:latest" "$T/unpacked"
cp -a "$T/rootfs/." "$T/unpacked/rootfs/"
umoci repack --image "$T/oci:latest" "$T/unpacked"
umoci config --image "$T/oci:latest" --config.cmd sh --config.env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
tar -C "$T/oci" -cf "$T/oci.tar" .
rm -rf "$T/rootfs" "$T/unpacked" "$T/oci"

# ---- containerd (CRI off) and dockerd on it ---------------------------------

mkdir -p "$T/containerd/root" "$T/containerd/state" "$T/containerd/opt"
cat > "$T/containerd.toml" <<TOML
version = 2
root = "$T/containerd/root"
state = "$T/containerd/state"
disabled_plugins = ["io.containerd.grpc.v1.cri"]
[grpc]
  address = "$sock"
[ttrpc]
  address = ""
[debug]
  address = ""
[plugins."io.containerd.internal.v1.opt"]
  path = "$T/containerd/opt"
TOML
echo "starting containerd and dockerd in $T" >&2
containerd --config "$T/containerd.toml" </dev/null >>"$T/containerd.log" 2>&1 &
pids+=($!)
wait_for containerd "${pids[-1]}" ctr -a "$sock" version
ctr -a "$sock" -n default images import --base-name local.test/busybox "$T/oci.tar" >/dev/null

add_runtimes=()
for r in "${runtimes[@]}"; do [ "$r" = runc ] || add_runtimes+=(--add-runtime "$r=${binary[$r]}"); done
echo '{}' > "$T/daemon.json"
# In a network namespace of its own: its bridge (and libnetwork's prestart hook) stay off the host.
unshare --net dockerd --config-file "$T/daemon.json" --data-root "$T/root" --exec-root "$T/run" \
  --pidfile "$T/docker.pid" -H "unix://$dsock" --containerd "$sock" --iptables=false --ip-masq=false \
  "${add_runtimes[@]}" </dev/null >>"$T/dockerd.log" 2>&1 &
pids+=($!)
docker=("$docker_client" -H "unix://$dsock")
wait_for dockerd "${pids[-1]}" "${docker[@]}" version
[ -n "$("${docker[@]}" network inspect bridge --format '{{range .IPAM.Config}}{{.Subnet}}{{end}}' 2>/dev/null)" ] ||
  { echo "engines.sh: dockerd has no default bridge network" >&2; exit 1; }
"${docker[@]}" import "$T/rootfs.tar" busybox:latest >/dev/null

# ---- the measurements -------------------------------------------------------

n=0
ctr_run() {   # runtime: one `ctr run --rm` of busybox true, a new ID each time
  n=$((n + 1))
  ctr -a "$sock" -n default run --rm --runc-binary "${binary[$1]}" --runc-root "$T/rr-$1" --fifo-dir "$T/fifo" \
    local.test/busybox:latest "bench-$1-$n" true </dev/null
}
docker_run() { "${docker[@]}" run --rm --runtime "$1" --network none busybox true </dev/null; }

mkdir -p "$T/samples"
cases=()
for engine in ctr docker; do for r in "${runtimes[@]}"; do cases+=("$engine:$r"); done; done
measure() {   # case, file or "": runs it once, appends its wall time in ms to the file
  local engine=${1%%:*} r=${1#*:} start end
  start=$EPOCHREALTIME
  if ! "${engine}_run" "$r" >"$T/out" 2>&1; then
    echo "engines.sh: $engine run --rm with $r failed:" >&2; cat "$T/out" >&2; return 1
  fi
  end=$EPOCHREALTIME
  [ -z "$2" ] || echo "$(( ${end/./} - ${start/./} ))" | awk '{ printf "%.3f\n", $1 / 1000 }' >> "$2"
}

load_start=$(cut -d' ' -f1 /proc/loadavg)
echo "measuring ${cases[*]}: $warmup warm-up and $repetitions measured repetitions (load average $load_start)" >&2
for ((i = 0; i < warmup; i++)); do for c in "${cases[@]}"; do measure "$c" ""; done; done
for ((i = 0; i < repetitions; i++)); do
  # Each repetition visits every case, starting one further along than the last.
  for ((j = 0; j < ${#cases[@]}; j++)); do
    c=${cases[$(( (i + j) % ${#cases[@]} ))]}
    measure "$c" "$T/samples/${c/:/-}"
  done
done
load_end=$(cut -d' ' -f1 /proc/loadavg)

median() { sort -n "$1" | awk '{ v[NR] = $1 } END { printf "%.2f", NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else printf "n/a" }'; }
for c in "${cases[@]}"; do
  f="$T/samples/${c/:/-}"
  echo "$c: median $(median "$f") ms, min $(sort -n "$f" | head -1), max $(sort -n "$f" | tail -1) ($(wc -l < "$f") samples)" >&2
done

latest="$here/engines-latest.md"
has() { [[ " ${runtimes[*]} " == *" $1 "* ]]; }
{
  cpu=$(grep -m1 '^model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
  echo "### $(date -u '+%Y-%m-%d %H:%M') UTC, $(nproc) cores, ${cpu:-unknown CPU}, kernel $(uname -r)"
  echo
  echo "Wall time of one engine command, from the client's start to its exit: medians of $repetitions interleaved repetitions after $warmup warm-up ones; load average $load_start at the start, $load_end at the end."
  for note in "${notes[@]}"; do echo; echo "$note"; done
  echo
  header="| figure |" rule="|---|"
  for r in "${runtimes[@]}"; do header+=" $r |"; rule+="---:|"; done
  for r in crun runc; do has "$r" && { header+=" oci-run/$r |"; rule+="---:|"; }; done
  echo "$header"; echo "$rule"
  for engine in ctr docker; do
    case $engine in
      ctr) row="| \`ctr run --rm\` of busybox true (ms) |" ;;
      docker) row="| \`docker run --rm --network none\` of busybox true (ms) |" ;;
    esac
    for r in "${runtimes[@]}"; do row+=" $(median "$T/samples/$engine-$r") |"; done
    for r in crun runc; do
      has "$r" && row+=" $(ratio "$(median "$T/samples/$engine-oci-run")" "$(median "$T/samples/$engine-$r")") |"
    done
    echo "$row"
  done
  echo
} > "$latest"
cat "$latest"
{ echo; cat "$latest"; } >> "$here/RESULTS.md"
echo "table kept in $here/RESULTS.md and $latest" >&2
