#!/usr/bin/env bash
# npm run demo: installs what is missing, builds, brings the lab up and opens the monitor on it.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/deps.sh
# Run as installed: its first line picks node and the flags it runs with (source/launch/launcher.ts).
exec dist/patroni-tui.js demo "$@"
