#!/usr/bin/env bash
# Rewrites build/layout from a trace of what each oci-run process runs:
# init first, then create, start, state, list, kill, delete and run. Run as
# root after changing code on those paths, and commit the two files. See
# build/layout/README.md.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
cd "$repo"
work=$(mktemp -d /tmp/ocirun-layout-XXXXXX)
root="$work/root"
cleanup() {
  for id in $(ls "$root" 2>/dev/null); do "$work/bin/oci-run" --root "$root" delete --force "$id" || true; done
  rm -rf "$work"
}
trap cleanup EXIT

# A build with symbols and the linker's map; its native link must run again to write the map.
rm -rf src/OciRun/obj/Release/net10.0/linux-x64/native src/OciRun/bin/Release/net10.0/linux-x64/native
dotnet publish src/OciRun -c Release -r linux-x64 -o "$work/bin" -nologo -v quiet -p:StripSymbols=false -p:LinkMap="$work/link.map"
rm -rf src/OciRun/obj/Release/net10.0/linux-x64/native src/OciRun/bin/Release/net10.0/linux-x64/native
binary="$work/bin/oci-run"
nm -n "$binary" | awk '$2 ~ /^[TtWw]$/ && !seen[$1]++ {print $1, $3}' > "$work/functions"
gcc -O2 -o "$work/covtrace" "$here/covtrace.c"

# Two busybox bundles (the example's rootfs, `oci-run spec`'s config): /bin/true, and a sleep to kill.
for b in true sleep; do
  bundles/busybox/make-rootfs.sh "$work/$b/rootfs"
  (cd "$work/$b" && "$binary" spec)
  # spec's terminal is runc's default; the traced commands run without one.
  sed -i 's/"terminal": true/"terminal": false/' "$work/$b/config.json"
done
sed -i 's/"sh"/"\/bin\/true"/' "$work/true/config.json"
# As engines write it: compact JSON (the reader runs other code than for indented), and
# Docker's prerelease version 1.0.2-dev (the benchmark's too, for crun 1.8).
sed -i 's/"ociVersion": *"[^"]*"/"ociVersion": "1.0.2-dev"/' "$work/true/config.json"
# People write it indented, as `oci-run spec` does: a third bundle keeps that form.
mkdir -p "$work/indented" && ln -s "$work/true/rootfs" "$work/indented/rootfs" && cp "$work/true/config.json" "$work/indented/"
sed 's/^ *//' "$work/true/config.json" | tr -d '\n' | sed 's/": /":/g' > "$work/true/compact.json"
mv "$work/true/compact.json" "$work/true/config.json"
sed -i 's/"sh"/"\/bin\/sleep", "100"/' "$work/sleep/config.json"

trace() { "$work/covtrace" "$work/functions" "$work/hits" "$binary" -- "$binary" --root "$root" "$@"; }
# create returns while init waits on exec.fifo: the trace goes on until init has exec'd.
trace create --bundle "$work/true" c1 &
traced_create=$!
while [ ! -f "$root/c1/state.json" ]; do sleep 0.1; done
trace state c1 >/dev/null
trace list >/dev/null
trace start c1
wait "$traced_create"
trace delete c1
"$binary" --root "$root" run --detach --bundle "$work/sleep" k1
trace kill k1 9
trace delete --force k1
trace run --bundle "$work/true" r1
trace run --bundle "$work/indented" r2
trace --version >/dev/null

dotnet run "$here/Layout.cs" -- "$binary" "$work/link.map" "$work/hits" build/layout
