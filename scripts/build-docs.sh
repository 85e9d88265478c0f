#!/usr/bin/env bash
# `make docs`: PotteryKit's DocC documentation, built with the toolchain's own
# `docc` (no plugin): symbol graphs from a build in its own scratch directory
# (so the flags do not invalidate the normal build), then `docc convert` with
# warnings as errors, so a broken symbol link or an undocumented parameter fails.
#
#   scripts/build-docs.sh [SWIFT]    -> .build/docs/PotteryKit.doccarchive
set -euo pipefail
swift=${1:-swift}
cd "$(dirname "$0")/.."
swift_path=$(command -v "$swift")
docc="$(dirname "$(readlink -f "$swift_path")")/docc"
[ -x "$docc" ] || docc=$(command -v docc) || { echo "make docs: no docc next to $swift_path or on PATH" >&2; exit 1; }

graphs=.build/docs/symbol-graphs
rm -rf "$graphs" .build/docs/PotteryKit.doccarchive
mkdir -p "$graphs"
"$swift" build --target PotteryKit --scratch-path .build/docs-build \
    -Xswiftc -emit-symbol-graph -Xswiftc -emit-symbol-graph-dir -Xswiftc "$PWD/$graphs"
"$docc" convert Sources/PotteryKit/PotteryKit.docc \
    --additional-symbol-graph-dir "$graphs" \
    --fallback-display-name PotteryKit --fallback-bundle-identifier org.pottery.PotteryKit \
    --output-path .build/docs/PotteryKit.doccarchive --warnings-as-errors
echo "make docs: .build/docs/PotteryKit.doccarchive"
