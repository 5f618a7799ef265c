#!/usr/bin/env bash
# The side-by-side benchmark: oci-run, crun and runc on the same busybox bundle.
# Run as root from anywhere: tests/Benchmark/bench.sh [--quick] [--mount-v1-hugetlb] [--no-engines] [options for the program]
# Then engines.sh times `ctr run --rm` and `docker run --rm` with each runtime (--no-engines skips it).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
cd "$repo"

quick=() mount_hugetlb=no engines=yes engines_quick=() pass=()
for a in "$@"; do
  case "$a" in
    --quick) quick=(--repetitions 30 --warmup 3 --containers 100 --state-repetitions 30 --rss-repetitions 5) engines_quick=(--quick) ;;
    --no-engines) engines=no ;;
    --mount-v1-hugetlb) mount_hugetlb=yes ;;
    *) pass+=("$a") ;;
  esac
done

need=()
for p in runc crun busybox-static time; do dpkg -s "$p" >/dev/null 2>&1 || need+=("$p"); done
if [ ${#need[@]} -gt 0 ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi
dotnet publish src/OciRun -c Release -r linux-x64 -o artifacts/bin -nologo -v quiet

runtimes=oci-run,crun,runc
controllers=$(cat /sys/fs/cgroup/unified/cgroup.controllers 2>/dev/null || true)
if [ -d /sys/fs/cgroup/unified ] && [ -n "$controllers" ]; then
  if [ "$mount_hugetlb" = yes ] && [ "$controllers" = hugetlb ] && [ ! -e /sys/fs/cgroup/hugetlb ]; then
    # Moves hugetlb from the cgroup2 tree to a v1 hierarchy; the host's existing mounts stay as they are.
    mkdir /sys/fs/cgroup/hugetlb && mount -t cgroup -o hugetlb cgroup /sys/fs/cgroup/hugetlb
  else
    cat >&2 <<NOTE
note: this host is hybrid and its cgroup2 tree holds controllers ($controllers): crun refuses
      such a layout, so its column is left out. To let crun run, move the controller to a v1
      hierarchy (for hugetlb: mkdir /sys/fs/cgroup/hugetlb && mount -t cgroup -o hugetlb cgroup
      /sys/fs/cgroup/hugetlb), or run this script with --mount-v1-hugetlb to do exactly that.
NOTE
    runtimes=oci-run,runc
  fi
fi

latest="$here/latest.md"
dotnet run --project "$here" -c Release -- --runtimes "$runtimes" "${quick[@]}" "${pass[@]}" --output "$latest"
{ echo; cat "$latest"; } >> "$here/RESULTS.md"
echo "table kept in $here/RESULTS.md and $latest"

if [ "$engines" = yes ]; then
  "$here/engines.sh" "${engines_quick[@]}" --oci-run artifacts/bin/oci-run
fi
