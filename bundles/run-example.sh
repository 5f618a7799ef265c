#!/usr/bin/env bash
# Builds oci-run and runs the busybox example bundle (as root).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
dotnet publish src/OciRun -c Release -r linux-x64 -o artifacts/bin -nologo -v quiet
bundles/busybox/make-rootfs.sh
exec artifacts/bin/oci-run run --bundle bundles/busybox "example-$$"
