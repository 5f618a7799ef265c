#!/usr/bin/env bash
# Prints one line when the order file is stale: more than a tenth of the methods it
# names are not in the object ILC just compiled (renamed or removed since the trace).
# Usage: check.sh ORDER_FILE ILC_OBJECT. Prints nothing when the layout is current.
set -uo pipefail
order=$1 object=$2
[ -f "$order" ] && [ -f "$object" ] && command -v nm >/dev/null || exit 0
total=$(grep -c . "$order")
missing=$(grep -vxFf <(nm --defined-only -j "$object" 2>/dev/null) "$order" | grep -c .)
if [ "$total" -gt 0 ] && [ $((missing * 10)) -gt "$total" ]; then
  echo "the binary's layout is stale: $missing of the $total methods in build/layout/managed-order.txt are gone; run tests/Layout/regenerate.sh as root and commit build/layout"
fi
