#!/usr/bin/env bash
# Builds the web console (console/) into console/dist, which the app's build copies to console/ in its output: `npm ci`
# only when its package-lock.json changed (tools/npm-ci.sh), `vite build` only when a source changed since the last
# build, after svelte-check has type-checked the sources (TypeScript and Svelte; any error or warning stops the build).
# Vite 8 needs Node.js ^20.19 or >=22.12: an older Node stops here with what to do.
set -euo pipefail
cd "$(dirname "$0")/.."

version=$(node -p 'process.versions.node' 2>/dev/null || echo none)
IFS=. read -r major minor _ <<<"$version.0.0"
supported() {
  [[ "$major" =~ ^[0-9]+$ && "$minor" =~ ^[0-9]+$ ]] || return 1
  { [ "$major" -eq 20 ] && [ "$minor" -ge 19 ]; } || { [ "$major" -eq 22 ] && [ "$minor" -ge 12 ]; } || [ "$major" -gt 22 ]
}
if ! supported; then
  echo "The console (console/) is built with Vite 8, which needs Node.js 20.19 or later (or 22.12 or later); this machine has Node.js $version." >&2
  echo "Install a newer Node.js (e.g. from NodeSource or nvm) and run this again." >&2
  exit 1
fi

tools/npm-ci.sh console
stamp=console/node_modules/.built-from-sources
sources=$(cd console && find . -path ./node_modules -prune -o -path ./dist -prune -o -type f -print | LC_ALL=C sort | xargs sha256sum | sha256sum)
if [ -f console/dist/index.html ] && [ "$(cat "$stamp" 2>/dev/null)" = "$sources" ]; then exit 0; fi
echo "Checking and building the console (svelte-check, vite build)..." >&2
npm run --prefix console check --silent >&2 || { echo "The console's sources do not type-check: see above." >&2; exit 1; }
npm run --prefix console build --silent -- --logLevel warn
echo "$sources" >"$stamp"
