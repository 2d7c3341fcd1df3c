#!/usr/bin/env bash
# The one quality gate: installs what is missing, builds, typechecks, runs the unit and component tests, then
# the tests against a real lab — which it brings up, and tears down (with a Docker engine it started) at the end.
set -euo pipefail
cd "$(dirname "$0")/.."

dockerd_pidfile=$(mktemp)
export DOCKERD_PIDFILE="$dockerd_pidfile"
bash scripts/setup.sh
bash scripts/deps.sh
npm run --silent typecheck
npm run --silent lint

cleanup() {
	local status=$?
	# Every lab the suites bring up, whether or not a suite got to tear its own down.
	node dist/patroni-tui.js lab destroy --scope labtest --state-dir "${PATRONI_TUI_TEST_LAB_DIR:-${TMPDIR:-/tmp}/patroni-tui-test-lab}" --port-offset 100 || true
	node dist/patroni-tui.js lab destroy --scope v2lab --state-dir "${TMPDIR:-/tmp}/patroni-tui-test-v2lab" --port-offset 600 || true
	if [[ -s "$dockerd_pidfile" ]]; then
		# Stop only the engine this run started, by its pid.
		kill "$(cat "$dockerd_pidfile")" 2>/dev/null || true
		sleep 2
	fi
	rm -f "$dockerd_pidfile"
	exit "$status"
}
trap cleanup EXIT

npm run --silent test:unit
npm run --silent test:lab
