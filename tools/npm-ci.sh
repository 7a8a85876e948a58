#!/usr/bin/env bash
# Installs the pinned npm packages of each tool folder given (e.g. tools/ifc) with `npm ci`, only when its
# node_modules is missing or was installed from another package-lock.json (idempotent, offline-friendly on reruns).
set -euo pipefail
for dir in "$@"; do
  stamp="$dir/node_modules/.installed-from-lock"
  cmp -s "$dir/package-lock.json" "$stamp" 2>/dev/null && continue
  npm ci --prefix "$dir" --no-audit --no-fund --silent
  cp "$dir/package-lock.json" "$stamp"
done
