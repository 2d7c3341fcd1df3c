#!/usr/bin/env bash
# npm run bench [-- options]: builds the CLI and the benchmark, then runs it (see scripts/bench/main.ts).
# A benchmark, not a test: it prints figures and writes them; only a broken run fails.
set -euo pipefail
cd "$(dirname "$0")/.."

npm run --silent build
npx tsc -p scripts/bench/tsconfig.json
# The benchmark renders the App in its own process too: bundled like the CLI, so with the same patched Ink.
node --import tsx scripts/build/bundle.ts scripts/bench/main.ts dist/bench/scripts/bench/main.js

# React's production build, as the installed command runs it; and no CI markers, under which Ink draws nothing.
export NODE_ENV=production
unset CI CONTINUOUS_INTEGRATION
while read -r name; do unset "$name"; done < <(compgen -e | grep '^CI_' || true)

# The change and switchover phases run the monitor inside this process: with the installed command's own Node
# flags (the first line of dist/patroni-tui.js, after "node"), as the command runs for a user.
read -r -a cli_node_flags < <(sed -n '1s/^#!.*[[:space:]]node\b//p' dist/patroni-tui.js)
exec node "${cli_node_flags[@]}" --expose-gc dist/bench/scripts/bench/main.js "$@"
