#!/usr/bin/env bash
# Builds oci-run and runs every test: unit tests (no root) and, as root,
# integration tests with real containers, and engine tests (containerd, CRI,
# Docker, podman started privately, each driving oci-run and runc). Prints "N passed, N failed, N skipped".
# Extra arguments go to every `dotnet test` (e.g. --filter "Category!=Stress").
set -uo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"

if [ "$(id -u)" = 0 ] && ! dpkg -s busybox-static >/dev/null 2>&1; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq busybox-static >/dev/null
fi

dotnet publish src/OciRun -c Release -r linux-x64 -o artifacts/bin -nologo -v quiet || { echo "0 passed, 1 failed"; exit 1; }

log=$(mktemp)
status=0
for project in tests/LibContainer.Tests tests/OciRun.Tests tests/OciRun.IntegrationTests tests/OciRun.EngineTests; do
  [ -d "$project" ] || continue
  dotnet test "$project" -nologo --blame-hang-timeout 10m "$@" 2>&1 | tee -a "$log" || status=1
done

# Sum the VSTest summary lines ("Failed:     0, Passed:    12, Skipped:     1, ...").
read -r passed failed skipped < <(grep -Eo 'Failed: +[0-9]+, Passed: +[0-9]+, Skipped: +[0-9]+' "$log" |
  awk -F'[:,] +' '{f+=$2; p+=$4; s+=$6} END {print p+0, f+0, s+0}')
rm -f "$log"
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
echo "${passed} passed, ${failed} failed, ${skipped} skipped"
exit "$status"
